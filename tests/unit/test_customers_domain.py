"""Unit tests of the pure customer functions: transitions, refusals and bad input."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import attrs
import pytest

from partnerkit.customers import (
    ALIBABA,
    HUAWEI,
    AcceptanceResult,
    Association,
    AssociationRequest,
    AssociationStatus,
    AttributionStart,
    AuthorizationStatus,
    CustomerAlert,
    CustomerAuthorization,
    CustomerFacts,
    CustomerPolicy,
    EnterpriseRole,
    Initiator,
    Invitation,
    InvitationMethod,
    InvitationStatus,
    Lead,
    LeadChannel,
    LossReason,
    PreRegistration,
    PreRegistrationRequest,
    PreRegistrationStatus,
    RequestStatus,
    Site,
    accept_invitation,
    approve_review,
    assign_account_manager,
    attributed_manager,
    delete_preregistration,
    end_assignment,
    evaluate_association,
    evaluate_disassociation,
    evaluate_preregistration,
    expire_invitation,
    expire_preregistration,
    flow_back_lead,
    generate_link,
    handle_alert,
    normalize_email,
    preregister,
    reject_review,
    request_authorization,
    request_disassociation,
    respond_to_authorization,
    respond_to_disassociation,
    revoke_authorization,
    route_lead,
    send_email_invitation,
    transfer_leads,
    unassign_account_manager,
)
from partnerkit.decisions import Decision, Reason
from partnerkit.errors import (
    InvalidArgumentError,
    PartnerkitError,
    PermissionDeniedError,
    RuleViolationError,
)
from partnerkit.ids import ActorId, CustomerId, InvitationId, PartnerId
from partnerkit.money import Money
from partnerkit.partners import (
    AssociationType,
    Partner,
    PartnerRole,
    ResellerCandidate,
    ResellerDelegation,
    ResellerInvitationStatus,
    RoleKind,
    Tier,
    accept_reseller_invitation,
    change_delegation,
    evaluate_reseller_invitation,
    invite_reseller,
)
from partnerkit.periods import GMT_PLUS_8

T = datetime(2024, 6, 3, 10, tzinfo=GMT_PLUS_8)
CSP = Partner(
    PartnerId("p1"), PartnerRole.CSP, "HK", contact_email="p1@x.com", referral_enabled=True
)
DIST = Partner(PartnerId("d1"), PartnerRole.DISTRIBUTOR, "HK", authorized_regions={"Kowloon"})
RES = Partner(PartnerId("r1"), PartnerRole.RESELLER, "HK", distributor_id=PartnerId("d1"))
USER = ActorId("u1")


def facts(**kw: Any) -> CustomerFacts:
    values: dict[str, Any] = {"registered_at": T - timedelta(days=1)}
    values.update(kw)
    return CustomerFacts(CustomerId("c1"), "c1@x.com", **values)


def form(**kw: Any) -> PreRegistrationRequest:
    return PreRegistrationRequest("pr-1", "Name", "c1@x.com", "+852", "1", **kw)


def email_invitation(**kw: Any) -> Invitation:
    base = Invitation(
        InvitationId("i1"), CSP.id, InvitationMethod.EMAIL, AssociationType.RESELLER, USER, T,
        expires_at=T + timedelta(days=7), email="c1@x.com",
    )  # fmt: skip
    return attrs.evolve(base, **kw)


def association(**kw: Any) -> Association:
    return attrs.evolve(Association(CustomerId("c1"), CSP.id, AssociationType.RESELLER, T), **kw)


class TestPartners:
    def test_roles_map_to_kinds(self) -> None:
        """R-CUST-153: Alibaba's direct reseller is a CSP-like direct partner, its agency refers."""
        assert PartnerRole.DIRECT_RESELLER.kind is RoleKind.DIRECT
        assert PartnerRole.TIER2_RESELLER.kind is RoleKind.TIER_TWO
        assert PartnerRole.AGENCY.association_types(referral_enabled=False) == {
            AssociationType.REFERRAL
        }

    def test_tier_two_needs_a_distributor_and_only_it(self) -> None:
        with pytest.raises(InvalidArgumentError):
            Partner(PartnerId("r"), PartnerRole.RESELLER, "HK")
        with pytest.raises(InvalidArgumentError):
            Partner(PartnerId("p"), PartnerRole.CSP, "HK", distributor_id=PartnerId("d"))

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"id": "", "role": PartnerRole.CSP, "country": "HK"},
            {"id": "p", "role": "csp", "country": "HK"},
            {"id": "p", "role": PartnerRole.CSP, "country": ""},
            {"id": "p", "role": PartnerRole.CSP, "country": "HK", "contact_email": ""},
            {"id": "p", "role": PartnerRole.CSP, "country": "HK", "authorized_regions": "Kowloon"},
            {"id": "p", "role": PartnerRole.CSP, "country": "HK", "customer_contacts": "one"},
            {
                "id": "p",
                "role": PartnerRole.CSP,
                "country": "HK",
                "commitment_accepted_at": datetime(2024, 1, 1),  # noqa: DTZ001
            },
        ],
    )
    def test_bad_partner_facts(self, kwargs: dict[str, object]) -> None:
        with pytest.raises(InvalidArgumentError):
            Partner(**kwargs)  # type: ignore[arg-type]

    def test_tiers_are_values(self) -> None:
        gold = Tier("gold", "Gold", rank=3)  # type: ignore[arg-type]
        assert gold == Tier("gold", "Gold", rank=3)  # type: ignore[arg-type]
        with pytest.raises(InvalidArgumentError):
            Tier("x", "X", rank=-1)  # type: ignore[arg-type]
        assert attrs.evolve(CSP, tier=gold).tier == gold

    def test_reseller_invitation_checks_every_condition(self) -> None:
        """R-CUST-29: region, existing reseller, service country and the onboarding constraints."""
        bad = ResellerCandidate(
            PartnerId("x"), "Lantau", "SG", is_reseller=True, has_credit_account=True,
            real_name_authenticated=True,
        )  # fmt: skip
        decision = evaluate_reseller_invitation(CSP, bad)
        assert decision.codes == (
            "NOT_A_DISTRIBUTOR",
            "REGION_NOT_AUTHORIZED",
            "ALREADY_A_RESELLER",
            "SERVICE_COUNTRY_MISMATCH",
            "CANDIDATE_CREDIT_ACCOUNT",
            "CANDIDATE_REAL_NAME_AUTHENTICATED",
        )
        assert all(r.rule_id == "R-CUST-29" for r in decision.reasons)

    def test_reseller_link_lifecycle(self) -> None:
        """eligibility.md 3.5: INVITED -> RESTRICTED on a blocker -> ASSOCIATED once resolved."""
        good = ResellerCandidate(PartnerId("x"), "Kowloon", "HK")
        invitation, _ = invite_reseller(DIST, good, as_of=T)
        with pytest.raises(RuleViolationError):
            invite_reseller(DIST, attrs.evolve(good, region="Lantau"), as_of=T)
        blocked = attrs.evolve(good, in_other_programme=True)
        restricted, none, no_delegation, events = accept_reseller_invitation(
            invitation, DIST, blocked, role=PartnerRole.RESELLER, as_of=T
        )
        assert (restricted.status, none, no_delegation) == (
            ResellerInvitationStatus.RESTRICTED,
            None,
            None,
        )
        assert events[0].snapshots() == (restricted,)
        with pytest.raises(InvalidArgumentError):
            accept_reseller_invitation(restricted, DIST, good, role=PartnerRole.CSP, as_of=T)
        done, reseller, delegation, events = accept_reseller_invitation(
            restricted, DIST, good, role=PartnerRole.RESELLER, as_of=T
        )
        assert done.status is ResellerInvitationStatus.ASSOCIATED
        assert reseller is not None
        assert reseller.distributor_id == DIST.id
        assert delegation == ResellerDelegation(DIST.id, reseller.id)
        with pytest.raises(RuleViolationError):
            accept_reseller_invitation(done, DIST, good, role=PartnerRole.RESELLER, as_of=T)

    def test_delegation_changes(self) -> None:
        """R-CUST-61 quotas on grant; R-CUST-64 withdrawal keeps them; R-CUST-67 letter on first grant."""
        base = ResellerDelegation(DIST.id, RES.id)
        quota = Money.of("100.00", "USD")
        with pytest.raises(PermissionDeniedError):
            change_delegation(base, actor=CSP.id, as_of=T, on_behalf_authorized=True)
        with pytest.raises(InvalidArgumentError):
            change_delegation(base, actor=DIST.id, as_of=T, budget_freeze_authorized=True)
        with pytest.raises(RuleViolationError) as info:
            change_delegation(base, actor=DIST.id, as_of=T, on_behalf_authorized=True)
        assert info.value.rule_id == "R-CUST-67"
        granted, events = change_delegation(
            base, actor=DIST.id, as_of=T, budget_freeze_authorized=True,
            monthly_budget_quota=quota, one_time_budget_quota=quota, on_behalf_authorized=True,
            accept_commitment=True,
        )  # fmt: skip
        assert events[0].before == base
        assert events[0].after == granted
        withdrawn, _ = change_delegation(
            granted,
            actor=DIST.id,
            as_of=T,
            budget_freeze_authorized=False,
            on_behalf_authorized=False,
        )
        assert withdrawn.monthly_budget_quota == quota
        again, _ = change_delegation(withdrawn, actor=DIST.id, as_of=T, on_behalf_authorized=True)
        assert again.on_behalf_authorized  # the letter is only needed the first time
        assert change_delegation(again, actor=DIST.id, as_of=T, on_behalf_authorized=True) == (
            again,
            (),
        )
        with pytest.raises(InvalidArgumentError):
            ResellerDelegation(DIST.id, RES.id, monthly_budget_quota=Money.of("-1", "USD"))


class TestPreRegistration:
    def test_referral_and_distributor_permission(self) -> None:
        """R-CUST-01 and R-CUST-16."""
        plain = Partner(PartnerId("p"), PartnerRole.CSP, "HK", contact_email="e@x.com")
        decision = evaluate_preregistration(
            plain, form(association_type=AssociationType.REFERRAL), customer=None,
            partner_records=(), email_records=(), associated_partner=None, as_of=T,
        )  # fmt: skip
        assert decision.refusals[0].code == "ASSOCIATION_TYPE_NOT_PERMITTED"
        locked = attrs.evolve(DIST, customer_development_enabled=False, contact_email="d@x.com")
        decision = evaluate_preregistration(
            locked, form(), customer=None, partner_records=(), email_records=(),
            associated_partner=None, as_of=T,
        )  # fmt: skip
        assert decision.refusals[0].code == "DEVELOPMENT_NOT_ENABLED"

    @pytest.mark.parametrize(
        ("kw", "code"),
        [
            ({"site": Site.CHINESE_MAINLAND}, "CHINA_SITE"),
            ({"signed_contract_with_vendor": True}, "SIGNED_WITH_VENDOR"),
            ({"has_cash_expenditure": True}, "CASH_EXPENDITURE"),
            ({"unified_accounting_master_linked": True}, "UNIFIED_ACCOUNTING_MEMBER"),
        ],
    )
    def test_hard_refusals(self, kw: dict[str, object], code: str) -> None:
        """R-CUST-09: no review can lift these."""
        decision = evaluate_preregistration(
            CSP, form(), customer=facts(**kw), partner_records=(), email_records=(),
            associated_partner=None, as_of=T,
        )  # fmt: skip
        assert [r.code for r in decision.refusals] == [code]
        assert not decision.review_possible
        with pytest.raises(RuleViolationError):
            preregister(
                CSP, form(), customer=facts(**kw), partner_records=(), email_records=(),
                associated_partner=None, as_of=T, request_review=True,
            )  # fmt: skip

    @pytest.mark.parametrize(
        ("kw", "code"),
        [
            ({"registered_at": T - timedelta(days=8)}, "REGISTERED_TOO_LONG_AGO_OR_FOLLOWED"),
            (
                {"has_cash_expenditure": True, "followed_by_direct_sales": True},
                "REGISTERED_TOO_LONG_AGO_OR_FOLLOWED",
            ),
            ({"registration_country": "SG"}, "COUNTRY_MISMATCH"),
            ({"belongs_to_online_sales_team": True}, "ONLINE_SALES_TEAM"),
        ],
    )
    def test_reviewable_refusals(self, kw: dict[str, object], code: str) -> None:
        """R-CUST-10: each sends the pre-registration to a manual review."""
        decision = evaluate_preregistration(
            CSP, form(), customer=facts(**kw), partner_records=(), email_records=(),
            associated_partner=None, as_of=T,
        )  # fmt: skip
        assert decision.review_possible
        assert [r.code for r in decision.reviewable] == [code]

    def test_own_duplicate(self) -> None:
        """R-CUST-08: a partner cannot hold the same email twice."""
        held, _ = preregister(
            CSP,
            form(),
            customer=None,
            partner_records=(),
            email_records=(),
            associated_partner=None,
            as_of=T,
        )
        decision = evaluate_preregistration(
            CSP, attrs.evolve(form(), id="pr-2"), customer=None, partner_records=(held,),
            email_records=(held,), associated_partner=None, as_of=T,
        )  # fmt: skip
        assert decision.refusals[0].code == "ALREADY_PREREGISTERED"

    def test_review_decisions(self) -> None:
        """SM-1: approval starts the 15 days; rejection is final; only pending reviews are decided."""
        pending, _ = preregister(
            CSP, form(), customer=facts(registration_country="SG"), partner_records=(),
            email_records=(), associated_partner=None, as_of=T, request_review=True,
        )  # fmt: skip
        approved, _ = approve_review(pending, actor=USER, as_of=T + timedelta(days=2))
        assert approved.valid_until == T + timedelta(days=17)
        rejected, events = reject_review(pending, actor=USER, as_of=T, reason="no")
        assert rejected.status is PreRegistrationStatus.REVIEW_REJECTED
        assert events[0].reason == "no"
        with pytest.raises(RuleViolationError):
            approve_review(approved, actor=USER, as_of=T)
        with pytest.raises(RuleViolationError):
            delete_preregistration(rejected, actor=USER, as_of=T)

    def test_expiry(self) -> None:
        """R-CUST-08 / G-13: 15 x 24 h."""
        held, _ = preregister(
            CSP,
            form(),
            customer=None,
            partner_records=(),
            email_records=(),
            associated_partner=None,
            as_of=T,
        )
        assert expire_preregistration(held, as_of=T + timedelta(days=15, seconds=-1)) == (held, ())
        expired, events = expire_preregistration(held, as_of=T + timedelta(days=15))
        assert expired.status is PreRegistrationStatus.EXPIRED
        assert events[0].snapshots() == (expired,)
        deleted, _ = delete_preregistration(expired, actor=USER, as_of=T + timedelta(days=16))
        assert deleted.status is PreRegistrationStatus.DELETED

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"customer_name": " "},
            {"email": "no-at-sign"},
            {"mobile_country_code": "852"},
            {"mobile_number": ""},
        ],
    )
    def test_required_fields(self, kwargs: dict[str, str]) -> None:
        """R-CUST-13: full name, email and mobile with country code are required."""
        values = {
            "id": "pr",
            "customer_name": "N",
            "email": "a@x.com",
            "mobile_country_code": "+852",
            "mobile_number": "1",
        }
        values.update(kwargs)
        with pytest.raises(InvalidArgumentError) as info:
            PreRegistrationRequest(**values)  # type: ignore[arg-type]
        assert info.value.rule_id == "R-CUST-13"

    def test_email_matching(self) -> None:
        """R-CUST-12 / G-18: trimmed, case-insensitive."""
        assert normalize_email(" A@X.COM ") == "a@x.com"
        with pytest.raises(InvalidArgumentError):
            normalize_email(42)  # type: ignore[arg-type]


class TestInvitations:
    def test_email_invitation_needs_a_valid_pre_registration_of_the_partner(self) -> None:
        """R-CUST-18 and G-15."""
        held, _ = preregister(
            CSP,
            form(),
            customer=None,
            partner_records=(),
            email_records=(),
            associated_partner=None,
            as_of=T,
        )
        other = attrs.evolve(CSP, id=PartnerId("p2"))
        with pytest.raises(PermissionDeniedError):
            send_email_invitation(
                other, held, invitation_id=InvitationId("i"), inviter=USER, as_of=T
            )
        with pytest.raises(RuleViolationError) as info:
            send_email_invitation(
                CSP,
                held,
                invitation_id=InvitationId("i"),
                inviter=USER,
                as_of=T + timedelta(days=16),
            )
        assert info.value.fields["code"] == "NOT_PREREGISTERED"
        locked = attrs.evolve(DIST, customer_development_enabled=False)
        with pytest.raises(PermissionDeniedError):
            send_email_invitation(
                locked,
                attrs.evolve(held, partner_id=DIST.id),
                invitation_id=InvitationId("i"),
                inviter=USER,
                as_of=T,
            )
        invitation, _ = send_email_invitation(
            CSP,
            held,
            invitation_id=InvitationId("i"),
            inviter=USER,
            as_of=T,
            inviter_is_account_manager=True,
        )
        assert invitation.account_manager == USER

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"method": InvitationMethod.EMAIL},
            {"method": InvitationMethod.CUSTOM_LINK},
            {"method": InvitationMethod.GENERAL_LINK, "custom_tag": "t"},
            {"method": InvitationMethod.PROMOTIONAL_LINK},
            {"method": InvitationMethod.PROMOTIONAL_LINK, "campaign_ends_at": T},
            {"method": InvitationMethod.GENERAL_LINK, "campaign_ends_at": T + timedelta(days=1)},
            {"method": InvitationMethod.GENERAL_LINK, "remarks": 5},
        ],
    )
    def test_bad_links(self, kwargs: dict[str, object]) -> None:
        """R-CUST-21: tags for customized links, windows for promotional ones."""
        with pytest.raises(InvalidArgumentError):
            generate_link(CSP, invitation_id=InvitationId("l"), inviter=USER, as_of=T, **kwargs)  # type: ignore[arg-type]

    def test_reseller_links_are_reseller_model(self) -> None:
        """R-CUST-21 role difference: a reseller has no association-type choice."""
        with pytest.raises(RuleViolationError):
            generate_link(
                RES, invitation_id=InvitationId("l"), method=InvitationMethod.CUSTOM_LINK,
                custom_tag="t", inviter=USER, as_of=T, association_type=AssociationType.REFERRAL,
            )  # fmt: skip

    def test_promotional_link_expires_with_its_campaign(self) -> None:
        """R-CUST-21: a promotional link after its window has expired."""
        link, _ = generate_link(
            CSP, invitation_id=InvitationId("promo"), method=InvitationMethod.PROMOTIONAL_LINK,
            inviter=USER, as_of=T, campaign_ends_at=T + timedelta(days=3),
        )  # fmt: skip
        decision = evaluate_association(
            CSP, facts(), link, existing=None, email_records=(), new_account=True,
            as_of=T + timedelta(days=3),
        )  # fmt: skip
        assert decision.codes == ("INVITATION_EXPIRED",)
        expired, events = expire_invitation(link, as_of=T + timedelta(days=3))
        assert expired.status is InvitationStatus.EXPIRED
        assert events[0].snapshots() == (expired,)
        assert expire_invitation(link, as_of=T) == (link, ())


class TestAssociation:
    def test_every_reason_in_table_order(self) -> None:
        """R-CUST-36 / G-39: all failures, in the failure table's order.

        Includes SPECIAL_CONTRACT: a customer with a commercial special contract
        cannot be associated with a partner (R-CUST-30, R-BILL-71).
        """
        worst = facts(
            is_partner_or_applying=True, special_contract=True, is_vendor_internal_account=True,
            enterprise_role=EnterpriseRole.MASTER_WITH_INDEPENDENT_MEMBERS,
            has_cash_expenditure=True, topup_balance_and_invoice_over_limit=True,
            registered_at=T - timedelta(days=30), overdue_payment=True, credit_bill_run_overdue=True,
            site=Site.CHINESE_MAINLAND, unified_accounting_master_linked=True,
            professional_service_contract=True, has_valid_reserved_instances=True,
        )  # fmt: skip
        prepaid = attrs.evolve(CSP, prepaid=True)
        other = PreRegistration(
            "x", PartnerId("p9"), "n", "c1@x.com", "+1 1", AssociationType.RESELLER,
            PreRegistrationStatus.PRE_REGISTERED, T, T + timedelta(days=1),
        )  # fmt: skip
        decision = evaluate_association(
            prepaid, worst, email_invitation(status=InvitationStatus.ASSOCIATED),
            existing=association(partner_id=PartnerId("p9")), email_records=(other,),
            new_account=False, as_of=T,
        )  # fmt: skip
        assert decision.codes == (
            "INVITATION_USED", "PREPAID_PARTNER", "PREREGISTERED_BY_ANOTHER_PARTNER",
            "CUSTOMER_IS_PARTNER", "ASSOCIATED_WITH_ANOTHER_PARTNER", "SPECIAL_CONTRACT",
            "VENDOR_INTERNAL_ACCOUNT", "ENTERPRISE_MASTER", "CONSUMPTION_RECORD",
            "TOPUP_INVOICE_OVER_LIMIT", "REGISTRATION_TOO_OLD", "OVERDUE_PAYMENT",
            "CREDIT_BILL_RUN_OVERDUE", "CHINA_SITE", "UNIFIED_ACCOUNTING",
            "PROFESSIONAL_SERVICE_CONTRACT", "RESERVED_INSTANCES",
        )  # fmt: skip

    def test_referral_specific_messages(self) -> None:
        """R-CUST-36 #14 and #15: referral needs the grant and a matching country."""
        plain = attrs.evolve(CSP, referral_enabled=False)
        referral = email_invitation(association_type=AssociationType.REFERRAL)
        decision = evaluate_association(
            plain, facts(registration_country="SG"), referral, existing=None, email_records=(),
            new_account=False, as_of=T,
        )  # fmt: skip
        assert decision.codes == ("REFERRAL_NOT_SIGNED", "REFERRAL_COUNTRY")
        with pytest.raises(InvalidArgumentError):
            evaluate_association(
                RES, facts(), referral, existing=None, email_records=(), new_account=False, as_of=T
            )

    def test_reseller_model_needs_signed_instructions(self) -> None:
        """R-CUST-35: only the reseller model needs the association instructions."""
        result = accept_invitation(
            CSP, facts(), email_invitation(), existing=None, email_records=(), assignment=None,
            new_account=False, signed_instructions=None, as_of=T,
        )  # fmt: skip
        assert result.decision.codes == ("INSTRUCTIONS_NOT_SIGNED",)
        assert result.events[0].snapshots()[0].status is InvitationStatus.ASSOCIATION_FAILED  # type: ignore[attr-defined]
        referral = email_invitation(association_type=AssociationType.REFERRAL)
        ok = accept_invitation(
            CSP, facts(), referral, existing=None, email_records=(), assignment=None,
            new_account=False, signed_instructions=None, as_of=T,
        )  # fmt: skip
        assert ok.associated
        assert ok.message is None

    def test_default_freeze_only_for_the_reseller_model(self) -> None:
        """R-CUST-32: a reseller-model association is frozen by default; the policy can switch it off."""
        result = accept_invitation(
            CSP, facts(), email_invitation(), existing=None, email_records=(), assignment=None,
            new_account=False, signed_instructions="V1001", as_of=T,
        )  # fmt: skip
        event = result.events[0]
        assert getattr(event, "default_freeze", None) is True
        assert getattr(event, "disclosed_to", None) == (CSP.id,)
        relaxed = attrs.evolve(HUAWEI, freeze_on_reseller_association=False)
        result = accept_invitation(
            CSP, facts(), email_invitation(), existing=None, email_records=(), assignment=None,
            new_account=False, signed_instructions="V1001", as_of=T, policy=relaxed,
        )  # fmt: skip
        assert getattr(result.events[0], "default_freeze", None) is False

    def test_reseller_customer_is_disclosed_to_the_distributor(self) -> None:
        """R-CUST-37: the profile goes to the partner and its distributor."""
        invitation = attrs.evolve(email_invitation(), partner_id=RES.id)
        result = accept_invitation(
            RES, facts(), invitation, existing=None, email_records=(), assignment=None,
            new_account=False, signed_instructions="V1001", as_of=T,
        )  # fmt: skip
        assert getattr(result.events[0], "disclosed_to", None) == (RES.id, DIST.id)
        assert result.association is not None
        assert result.association.distributor_id == DIST.id

    def test_a_refused_reusable_link_records_nothing(self) -> None:
        link, _ = generate_link(
            CSP,
            invitation_id=InvitationId("g"),
            method=InvitationMethod.GENERAL_LINK,
            inviter=USER,
            as_of=T,
        )
        result = accept_invitation(
            CSP, facts(), link, existing=None, email_records=(), assignment=None,
            new_account=False, signed_instructions="V1001", as_of=T,
        )  # fmt: skip
        assert result == AcceptanceResult(result.decision, None, ())
        assert not result.associated


class TestDisassociation:
    def request(self, **kw: Any) -> AssociationRequest:
        values: dict[str, Any] = {"initiator": Initiator.PARTNER}
        values.update(kw)
        return AssociationRequest(
            "d", CustomerId("c1"), CSP.id, reason="r", requested_at=T, **values
        )

    def test_acknowledgement_and_reason_are_required(self) -> None:
        """R-CUST-93."""
        with pytest.raises(InvalidArgumentError):
            request_disassociation(association(), facts(), request_id="d", initiator=Initiator.PARTNER, reason="r",
                                   acknowledged=False, history=(), manually_frozen=False, actor=USER, as_of=T)  # fmt: skip
        with pytest.raises(InvalidArgumentError):
            request_disassociation(association(), facts(), request_id="d", initiator=Initiator.PARTNER, reason=" ",
                                   acknowledged=True, history=(), manually_frozen=False, actor=USER, as_of=T)  # fmt: skip

    def test_pending_request_and_inactive_association(self) -> None:
        """R-CUST-93 one at a time; R-CUST-85 an ended association cannot be ended again."""
        decision = evaluate_disassociation(
            association(status=AssociationStatus.DISASSOCIATED),
            facts(), initiator=Initiator.CUSTOMER, history=(self.request(),), manually_frozen=False,
            as_of=T + timedelta(days=200),
        )  # fmt: skip
        assert decision.codes == ("NOT_ASSOCIATED", "REQUEST_PENDING")

    def test_partner_blockers(self) -> None:
        """R-CUST-88 and R-CUST-90."""
        decision = evaluate_disassociation(
            association(), facts(enterprise_role=EnterpriseRole.MASTER_WITH_INDEPENDENT_MEMBERS, has_partner_support_plan=True),
            initiator=Initiator.PARTNER, history=(), manually_frozen=False, as_of=T,
        )  # fmt: skip
        assert decision.codes == (
            "ENTERPRISE_MASTER_WITH_MEMBERS",
            "RESERVED_INSTANCES_OR_SUPPORT_PLAN",
        )

    def test_customer_blockers_for_reseller_model_only(self) -> None:
        """R-CUST-91: enterprise links, arrears, RIs, currency, special contracts; referral customers are free."""
        heavy = facts(
            enterprise_role=EnterpriseRole.MEMBER, overdue_payment=True, has_valid_reserved_instances=True,
            special_commerce_contract_active=True,
        )  # fmt: skip
        decision = evaluate_disassociation(
            association(),
            heavy,
            initiator=Initiator.CUSTOMER,
            history=(),
            manually_frozen=False,
            as_of=T,
        )
        assert decision.codes == (
            "ENTERPRISE_LINKED",
            "OVERDUE_PAYMENT",
            "RESERVED_INSTANCES_OR_SUPPORT_PLAN",
            "SPECIAL_COMMERCE_CONTRACT",
        )
        referral = association(association_type=AssociationType.REFERRAL)
        assert evaluate_disassociation(
            referral,
            heavy,
            initiator=Initiator.CUSTOMER,
            history=(),
            manually_frozen=False,
            as_of=T,
        ).allowed

    def test_immediate_disassociation_policy(self) -> None:
        """G-11: with confirmation switched off a request completes at once."""
        immediate = attrs.evolve(HUAWEI, disassociation_requires_confirmation=False)
        request, after, events = request_disassociation(
            association(), facts(), request_id="d", initiator=Initiator.PARTNER, reason="r",
            acknowledged=True, history=(), manually_frozen=False, actor=USER, as_of=T, policy=immediate,
        )  # fmt: skip
        assert request.status is RequestStatus.COMPLETED
        assert not after.active
        assert [e.name for e in events] == ["AssociationRequestChanged", "CustomerDisassociated"]

    def test_responses(self) -> None:
        """R-CUST-94: processed once, against the matching association."""
        pending = self.request()
        with pytest.raises(RuleViolationError):
            respond_to_disassociation(
                pending,
                association(customer_id=CustomerId("other")),
                agree=True,
                actor=USER,
                as_of=T,
            )
        rejected, same, _ = respond_to_disassociation(
            pending, association(), agree=False, actor=USER, as_of=T
        )
        assert rejected.status is RequestStatus.REJECTED
        assert same.active
        with pytest.raises(RuleViolationError):
            respond_to_disassociation(rejected, association(), agree=True, actor=USER, as_of=T)


class TestAuthorization:
    def pending(self) -> CustomerAuthorization:
        return CustomerAuthorization("a", CSP.id, CustomerId("c1"), T)

    def test_request_marks_the_commitment_letter(self) -> None:
        """R-CUST-114: the first request records the accepted letter on the partner."""
        authorization, partner, events = request_authorization(
            CSP, association(), authorization_id="a", delegation=None, pending=None,
            accept_commitment=True, actor=USER, as_of=T,
        )  # fmt: skip
        assert partner.commitment_accepted_at == T
        assert events[0].snapshots() == (authorization, partner)
        with pytest.raises(RuleViolationError) as info:
            request_authorization(
                partner, association(), authorization_id="b", delegation=None, pending=authorization,
                accept_commitment=False, actor=USER, as_of=T,
            )  # fmt: skip
        assert info.value.fields["code"] == "REQUEST_PENDING"

    def test_only_reseller_model_customers(self) -> None:
        """R-CUST-113: referral customers are not operated on behalf."""
        referral = association(association_type=AssociationType.REFERRAL)
        with pytest.raises(RuleViolationError) as info:
            request_authorization(
                CSP, referral, authorization_id="a", delegation=None, pending=None,
                accept_commitment=True, actor=USER, as_of=T,
            )  # fmt: skip
        assert info.value.fields["code"] == "NOT_RESELLER_MODEL"

    def test_answers_and_revocation(self) -> None:
        """R-CUST-115 and R-CUST-116."""
        rejected, _ = respond_to_authorization(self.pending(), agree=False, actor=USER, as_of=T)
        assert rejected.status is AuthorizationStatus.REJECTED
        with pytest.raises(RuleViolationError):
            respond_to_authorization(rejected, agree=True, actor=USER, as_of=T)
        with pytest.raises(RuleViolationError):
            revoke_authorization(rejected, reason="r", actor=USER, as_of=T)
        with pytest.raises(InvalidArgumentError):
            revoke_authorization(rejected, reason="", actor=USER, as_of=T)


class TestAccountManagers:
    def test_month_start_attribution_policy(self) -> None:
        """R-CUST-129 CONFLICT as a policy: the RES statistics page counts from the 1st."""
        policy = attrs.evolve(HUAWEI, attribution_start=AttributionStart.MONTH_START)
        assignment, _ = assign_account_manager(
            None, CustomerId("c"), CSP.id, ActorId("am"), actor=USER, as_of=T, policy=policy
        )
        assert assignment.attribution_from == datetime(2024, 6, 1, tzinfo=GMT_PLUS_8)

    def test_change_moves_rights_now_and_attribution_next_month(self) -> None:
        """G-22: windows never overlap."""
        first, _ = assign_account_manager(
            None, CustomerId("c"), CSP.id, ActorId("am1"), actor=USER, as_of=T
        )
        assert assign_account_manager(
            first, CustomerId("c"), CSP.id, ActorId("am1"), actor=USER, as_of=T, change=True
        ) == (first, ())
        second, _ = assign_account_manager(
            first,
            CustomerId("c"),
            CSP.id,
            ActorId("am2"),
            actor=USER,
            as_of=T + timedelta(days=1),
            change=True,
        )
        assert second.attribution_from == datetime(2024, 7, 1, tzinfo=GMT_PLUS_8)
        assert attributed_manager(second, datetime(2024, 6, 20, tzinfo=GMT_PLUS_8)) == "am1"
        assert attributed_manager(second, datetime(2024, 7, 2, tzinfo=GMT_PLUS_8)) == "am2"
        assert attributed_manager(None, T) is None

    def test_reassign_after_the_unassignment_took_effect(self) -> None:
        """R-CUST-131 then R-CUST-127: a customer whose AM left can be assigned again."""
        first, _ = assign_account_manager(
            None, CustomerId("c"), CSP.id, ActorId("am1"), actor=USER, as_of=T
        )
        leaving, _ = unassign_account_manager(first, actor=USER, as_of=T)
        assert unassign_account_manager(leaving, actor=USER, as_of=T) == (leaving, ())
        july = datetime(2024, 7, 2, tzinfo=GMT_PLUS_8)
        with pytest.raises(RuleViolationError):
            unassign_account_manager(leaving, actor=USER, as_of=july)
        again, _ = assign_account_manager(
            leaving, CustomerId("c"), CSP.id, ActorId("am2"), actor=USER, as_of=july
        )
        assert attributed_manager(again, datetime(2024, 6, 15, tzinfo=GMT_PLUS_8)) == "am1"
        ended, _ = end_assignment(
            again, actor=USER, as_of=july + timedelta(days=5), reason="disassociated"
        )
        assert end_assignment(ended, actor=USER, as_of=july + timedelta(days=6), reason="x") == (
            ended,
            (),
        )
        with pytest.raises(InvalidArgumentError):
            assign_account_manager(None, CustomerId("c"), CSP.id, ActorId(""), actor=USER, as_of=T)

    def test_alert_answers_must_fit(self) -> None:
        """R-CUST-141: not-lost needs feedback; the answer is yes or no."""
        alert = CustomerAlert("al", CustomerId("c"), CSP.id, "churn", T)
        with pytest.raises(InvalidArgumentError):
            handle_alert(
                alert,
                actor=USER,
                actor_is_partner_handler=True,
                assignment=None,
                customer_lost=False,
                as_of=T,
            )
        with pytest.raises(InvalidArgumentError):
            handle_alert(
                alert,
                actor=USER,
                actor_is_partner_handler=True,
                assignment=None,
                customer_lost="yes",  # type: ignore[arg-type]
                as_of=T,
            )
        handled, events = handle_alert(alert, actor=USER, actor_is_partner_handler=True, assignment=None, customer_lost=True,
                                       loss_reason=LossReason.COMMERCE, as_of=T)  # fmt: skip
        assert events[0].snapshots() == (handled,)


class TestLeads:
    def test_converted_or_consuming_leads_stay(self) -> None:
        """R-CUST-155: only unconverted, non-consuming registrations become leads."""
        start = datetime(2018, 4, 1, tzinfo=GMT_PLUS_8)
        later = start + timedelta(days=8)
        assert (
            route_lead(
                Lead("a", "Chengdu", registered_at=start, converted=True),
                as_of=later,
                customer_confirmed=True,
            )[1]
            == ()
        )
        consuming = Lead("b", "Chengdu", registered_at=start, last_consumption_at=start)
        assert route_lead(consuming, as_of=later, customer_confirmed=True)[1] == ()

    def test_consumption_postpones_flow_back_and_centres_transfer(self) -> None:
        """R-CUST-156 and R-CUST-157."""
        start = datetime(2018, 4, 1, tzinfo=GMT_PLUS_8)
        lead = Lead("a", "Chengdu", registered_at=start, channel=LeadChannel.ASC, entered_channel_at=start,
                    last_consumption_at=start + timedelta(days=30), service_centre="chengdu-1")  # fmt: skip
        assert flow_back_lead(lead, as_of=start + timedelta(days=61))[1] == ()
        assert (
            flow_back_lead(Lead("n", "X", registered_at=start), as_of=start + timedelta(days=90))[1]
            == ()
        )
        moved, events = transfer_leads((lead, Lead("z", "Y", registered_at=start)), from_centre="chengdu-1",
                                       to_centre="chengdu-2", as_of=start, actor=USER)  # fmt: skip
        assert moved[0].service_centre == "chengdu-2"
        assert len(events) == 1
        with pytest.raises(RuleViolationError):
            transfer_leads((lead,), from_centre="x", to_centre="x", as_of=start, actor=USER)


class TestValuesAndPolicies:
    @pytest.mark.parametrize(
        "build",
        [
            lambda: CustomerPolicy(preregistration_capacity=0),
            lambda: CustomerPolicy(email_invitation_validity=timedelta(0)),
            lambda: CustomerFacts(CustomerId(""), "a@x.com", registered_at=T),
            lambda: CustomerFacts(CustomerId("c"), "a@x.com", registered_at=datetime(2024, 1, 1)),  # noqa: DTZ001
            lambda: CustomerFacts(
                CustomerId("c"), "a@x.com", registered_at=T, orders_awaiting_partner_payment=-1
            ),
            lambda: Reason("", "R-CUST-1", "m"),
            lambda: Decision.deny(),
            lambda: Decision(("not a reason",)),  # type: ignore[arg-type]
            lambda: Decision.allow().violation(),
            lambda: Lead("", "X", registered_at=T),
            lambda: CustomerAlert("", CustomerId("c"), CSP.id, "t", T),
            lambda: Association(
                CustomerId("c"),
                CSP.id,
                AssociationType.RESELLER,
                datetime(2024, 1, 1),  # noqa: DTZ001
            ),
        ],
    )
    def test_bad_values_raise_partnerkit_errors(self, build: object) -> None:
        with pytest.raises(PartnerkitError):
            build()  # type: ignore[operator]

    def test_presets_differ_only_in_data(self) -> None:
        """Vendor differences are policy values: Alibaba documents no on-behalf product limit."""
        assert frozenset({"ECS", "EVS", "EIP"}) == HUAWEI.reseller_on_behalf_products
        assert ALIBABA.reseller_on_behalf_products is None


class TestAlibabaModels:
    def test_tier_one_distributors_recruit_tier_two_resellers(self) -> None:
        """R-CUST-151 and R-CUST-153: an Alibaba T1 distributor invites T2 resellers; others cannot."""
        t1 = Partner(
            PartnerId("t1"), PartnerRole.ALIBABA_DISTRIBUTOR, "CN", authorized_regions={"Sichuan"}
        )
        candidate = ResellerCandidate(PartnerId("t2"), "Sichuan", "CN")
        invitation, _ = invite_reseller(t1, candidate, as_of=T)
        _, reseller, _, _ = accept_reseller_invitation(
            invitation, t1, candidate, role=PartnerRole.TIER2_RESELLER, as_of=T
        )
        assert reseller is not None
        assert reseller.kind is RoleKind.TIER_TWO
        assert reseller.association_types() == {AssociationType.RESELLER}
        direct = Partner(
            PartnerId("dr"), PartnerRole.DIRECT_RESELLER, "CN", authorized_regions={"Sichuan"}
        )
        assert evaluate_reseller_invitation(direct, candidate).codes == ("NOT_A_DISTRIBUTOR",)
        agency = Partner(PartnerId("ag"), PartnerRole.AGENCY, "CN")
        assert agency.association_types() == {AssociationType.REFERRAL}


@pytest.mark.parametrize(
    "build",
    [
        lambda: Association(CustomerId("c"), CSP.id, AssociationType.RESELLER, None),  # type: ignore[arg-type]
        lambda: AssociationRequest("d", CustomerId("c"), CSP.id, Initiator.PARTNER, "r", None),  # type: ignore[arg-type]
        lambda: CustomerAuthorization("a", CSP.id, CustomerId("c"), None),  # type: ignore[arg-type]
        lambda: CustomerAlert("al", CustomerId("c"), CSP.id, "t", None),  # type: ignore[arg-type]
        lambda: Lead("l", "X", registered_at=None),  # type: ignore[arg-type]
    ],
)
def test_required_instants_are_required(build: object) -> None:
    """A value's required timestamp cannot be left out (naive or missing)."""
    with pytest.raises(InvalidArgumentError):
        build()  # type: ignore[operator]


def test_spacing_counts_calendar_days_and_clamps_month_ends() -> None:
    """R-CUST-86 / G-12: allowed from the same calendar day three months on, clamped: 30 Nov 2023 -> 29 Feb 2024."""
    asked = AssociationRequest(
        "d", CustomerId("c1"), CSP.id, Initiator.PARTNER, "r",
        datetime(2023, 11, 30, 23, 0, tzinfo=GMT_PLUS_8), status=RequestStatus.REJECTED,
    )  # fmt: skip
    base = Association(CustomerId("c1"), CSP.id, AssociationType.RESELLER, T)

    def decide(when: datetime) -> tuple[str, ...]:
        return evaluate_disassociation(
            base, CustomerFacts(CustomerId("c1"), "c1@x.com", registered_at=T), initiator=Initiator.PARTNER,
            history=(asked,), manually_frozen=False, as_of=when,
        ).codes  # fmt: skip

    assert decide(datetime(2024, 2, 28, 23, 59, tzinfo=GMT_PLUS_8)) == (
        "DISASSOCIATION_TOO_FREQUENT",
    )
    assert decide(datetime(2024, 2, 29, 0, 0, tzinfo=GMT_PLUS_8)) == ()


def test_arrears_block_association_and_disassociation() -> None:
    """R-BILL-55: unpaid bills stop an association; a reseller-model customer in arrears cannot leave."""
    decision = evaluate_association(
        CSP, facts(unpaid_bills=True), email_invitation(), existing=None, email_records=(),
        new_account=False, as_of=T,
    )  # fmt: skip
    assert "OVERDUE_PAYMENT" in decision.codes
    assert "OVERDUE_PAYMENT" not in evaluate_association(
        CSP, facts(), email_invitation(), existing=None, email_records=(), new_account=False, as_of=T,
    ).codes  # fmt: skip
    leaving = evaluate_disassociation(
        association(), facts(overdue_payment=True), initiator=Initiator.CUSTOMER, history=(),
        manually_frozen=False, as_of=T,
    )  # fmt: skip
    assert leaving.codes == ("OVERDUE_PAYMENT",)
