"""The worked examples of customers.md section 6 that touch partners, association and care.

Each test names its example (E-nn) and the rules it pins.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from tests.support.world import VENDOR, World, account_manager, admin, at, customer

from partnerkit.customers import (
    FAILURE_MESSAGES,
    HUAWEI,
    Association,
    CustomerAlert,
    EnterpriseRole,
    Initiator,
    InvitationMethod,
    Lead,
    LeadChannel,
    LossReason,
    NotLostFeedback,
    PreRegistration,
    PreRegistrationRequest,
    PreRegistrationStatus,
    attributed_manager,
    delete_preregistration,
    evaluate_preregistration,
    flow_back_lead,
    route_lead,
)
from partnerkit.errors import InvalidArgumentError, PermissionDeniedError, RuleViolationError
from partnerkit.ids import ActorId, CustomerId, IdempotencyKey, InvitationId, PartnerId
from partnerkit.partners import AssociationType, Partner, PartnerRole, ResellerDelegation
from partnerkit.permissions import Action, Actor, OrgRole, evaluate_permission, validate_roles
from partnerkit.services.customers import (
    ASSIGNMENTS,
    ASSOCIATIONS,
    AUTHORIZATIONS,
    DELEGATIONS,
    INVITATIONS,
    PREREGISTRATIONS,
)

_keys = iter(range(10**6))


def key() -> IdempotencyKey:
    return IdempotencyKey(f"k-{next(_keys)}")


def request(rid: str, email: str, **kw: object) -> PreRegistrationRequest:
    return PreRegistrationRequest(rid, "Customer Ltd", email, "+852", "5555 0000", **kw)  # type: ignore[arg-type]


def preregister(world: World, partner: str, rid: str, email: str, when: str) -> None:
    world.service.preregister(
        admin(partner), request(rid, email), as_of=at(when), idempotency_key=key()
    )


def accept(
    world: World, customer_id: str, invitation: str, when: str, *, new_account: bool = False
) -> object:
    return world.service.accept_invitation(
        Actor.customer(CustomerId(customer_id)), InvitationId(invitation), new_account=new_account,
        signed_instructions="V1001", as_of=at(when), idempotency_key=key(),
    )  # fmt: skip


def stored(world: World, collection: object, item: str) -> object:
    with world.store.unit_of_work() as uow:
        return uow.repository(collection).find(item)  # type: ignore[arg-type]


def associate(world: World, partner: str, customer_id: str, email: str, day: str) -> None:
    """Pre-register, register and accept: the usual path to an associated customer."""
    preregister(world, partner, f"pr-{customer_id}", email, f"{day} 09:00")
    world.record(customer(customer_id, email, f"{day} 09:30"))
    accept(world, customer_id, f"pr-{customer_id}/email", f"{day} 10:00")


class TestPreRegistration:
    def test_e01_exclusivity_for_fifteen_days(self, world: World) -> None:
        """E-01: R-CUST-08 exclusivity ends exactly at valid_until; the holder's record expires."""
        preregister(world, "p1", "pr-1", "alice@x.com", "2024-03-01 10:00")
        record = stored(world, PREREGISTRATIONS, "pr-1")
        assert isinstance(record, PreRegistration)
        assert record.valid_until == at("2024-03-16 10:00")
        with pytest.raises(RuleViolationError) as info:
            preregister(world, "p2", "pr-2", "Alice@X.com ", "2024-03-10 12:00")
        assert info.value.rule_id == "R-CUST-08"
        assert info.value.fields["code"] == "PREREGISTERED_BY_ANOTHER_PARTNER"
        preregister(world, "p2", "pr-2", "alice@x.com", "2024-03-16 10:00")
        first = stored(world, PREREGISTRATIONS, "pr-1")
        assert isinstance(first, PreRegistration)
        assert first.status is PreRegistrationStatus.EXPIRED

    def test_e02_capacity_of_one_hundred(self) -> None:
        """E-02: R-CUST-07 counts pending-review and valid records; R-CUST-14 deletion limits."""
        csp = Partner(PartnerId("p"), PartnerRole.CSP, "HK", contact_email="p@example.com")
        now = at("2024-03-01 10:00")

        def record(i: int, status: PreRegistrationStatus) -> PreRegistration:
            return PreRegistration(
                f"r{i}", csp.id, "n", f"c{i}@x.com", "+852 1", AssociationType.RESELLER, status, now,
                now + timedelta(days=15) if status is PreRegistrationStatus.PRE_REGISTERED else None,
            )  # fmt: skip

        held = [record(i, PreRegistrationStatus.PRE_REGISTERED) for i in range(97)]
        held += [record(i, PreRegistrationStatus.PENDING_REVIEW) for i in range(97, 100)]

        def decide(records: list[PreRegistration]) -> tuple[str, ...]:
            decision = evaluate_preregistration(
                csp, request("new", "new@x.com"), customer=None, partner_records=records,
                email_records=(), associated_partner=None, as_of=now,
            )  # fmt: skip
            return tuple(r.code for r in decision.refusals)

        assert decide(held) == ("PREREGISTRATION_LIMIT_REACHED",)

        with pytest.raises(RuleViolationError) as info:
            delete_preregistration(held[99], actor=ActorId("u"), as_of=now)
        assert info.value.fields["code"] == "CANNOT_DELETE_PREREGISTRATION"
        deleted, _ = delete_preregistration(held[0], actor=ActorId("u"), as_of=now)
        assert decide([deleted, *held[1:]]) == ()

    def test_e03_reviewable_versus_hard_refusal(self, world: World) -> None:
        """E-03: R-CUST-10 review path due in 2 working days; R-CUST-09 hard refusal."""
        world.record(customer("c3", "bob@x.com", "2024-04-30 09:00", followed_by_direct_sales=True))
        with pytest.raises(RuleViolationError) as info:
            world.service.preregister(
                admin("p1"), request("pr-3", "bob@x.com"), as_of=at("2024-05-10 11:00"),
                idempotency_key=key(), customer_id=CustomerId("c3"),
            )  # fmt: skip
        assert str(info.value).startswith(
            "This customer cannot be directly preregistered due to the following reasons."
        )
        assert info.value.rule_id == "R-CUST-10"
        world.service.preregister(
            admin("p1"), request("pr-3", "bob@x.com"), as_of=at("2024-05-10 11:00"),
            idempotency_key=key(), customer_id=CustomerId("c3"), request_review=True,
        )  # fmt: skip
        record = stored(world, PREREGISTRATIONS, "pr-3")
        assert isinstance(record, PreRegistration)
        assert record.status is PreRegistrationStatus.PENDING_REVIEW
        assert record.review_due_on == date(2024, 5, 14)
        # Already associated with another partner: hard refusal, no review path.
        associate(world, "p2", "c4", "carol@x.com", "2024-05-01")
        with pytest.raises(RuleViolationError) as info:
            world.service.preregister(
                admin("p1"), request("pr-4", "carol@x.com"), as_of=at("2024-05-02 10:00"),
                idempotency_key=key(), customer_id=CustomerId("c4"), request_review=True,
            )  # fmt: skip
        assert info.value.fields["code"] == "ALREADY_ASSOCIATED"
        assert info.value.rule_id == "R-CUST-09"

    def test_e04_partner_contact_missing(self, world: World) -> None:
        """E-04: R-CUST-11 a partner with no mobile and no email cannot pre-register."""
        bare = Partner(PartnerId("p9"), PartnerRole.CSP, "HK")
        world.service.register_partner(bare, actor=VENDOR, as_of=at("2024-01-01 00:00"))
        with pytest.raises(RuleViolationError) as info:
            preregister(world, "p9", "pr-9", "dan@x.com", "2024-03-01 10:00")
        assert info.value.fields["code"] == "PARTNER_CONTACT_MISSING"


class TestInvitations:
    def test_e05_email_link_valid_for_seven_days(self, world: World) -> None:
        """E-05: R-CUST-19 an email link opened after 7 days has expired; a resend works."""
        preregister(world, "p1", "pr-5", "erin@x.com", "2024-05-01 09:00")
        world.record(customer("c5", "erin@x.com", "2024-05-07 09:00"))
        with pytest.raises(RuleViolationError) as info:
            accept(world, "c5", "pr-5/email", "2024-05-08 09:00")
        assert str(info.value) == "The invitation link has expired. [R-CUST-19]"
        world.service.send_invitation(
            admin("p1"), "pr-5", invitation_id=InvitationId("inv-5b"), as_of=at("2024-05-08 10:00"),
            idempotency_key=key(),
        )  # fmt: skip
        assert accept(world, "c5", "inv-5b", "2024-05-09 10:00").associated  # type: ignore[attr-defined]

    def test_e06_an_email_invitation_is_single_use(self, world: World) -> None:
        """E-06: R-CUST-20 a used invitation link cannot be used again."""
        associate(world, "p1", "c6", "fay@x.com", "2024-05-01")
        world.record(customer("c7", "gus@x.com", "2024-05-01 09:00"))
        with pytest.raises(RuleViolationError) as info:
            accept(world, "c7", "pr-c6/email", "2024-05-01 11:00")
        assert info.value.message.startswith(FAILURE_MESSAGES["INVITATION_USED"])

    def test_general_links_are_reusable_by_different_customers(self, world: World) -> None:
        """R-CUST-20 / G-14: a general link serves many customers, each once."""
        world.service.generate_link(
            admin("p1"), invitation_id=InvitationId("gen"), method=InvitationMethod.GENERAL_LINK,
            as_of=at("2024-05-01 09:00"), idempotency_key=key(),
        )  # fmt: skip
        for cid in ("c8", "c9"):
            world.record(customer(cid, f"{cid}@x.com", "2024-05-01 09:00"))
            assert accept(world, cid, "gen", "2024-05-01 10:00", new_account=True).associated  # type: ignore[attr-defined]

    def test_e07_remarks_limit(self, world: World) -> None:
        """E-07: R-CUST-21 remarks of 100 characters pass, 101 are refused."""

        def link(remarks: str) -> object:
            return world.service.generate_link(
                admin("p1"), invitation_id=InvitationId(f"l{len(remarks)}"),
                method=InvitationMethod.CUSTOM_LINK, custom_tag="spring", remarks=remarks,
                as_of=at("2024-05-01 09:00"), idempotency_key=key(),
            )  # fmt: skip

        link("x" * 100)
        with pytest.raises(InvalidArgumentError) as info:
            link("x" * 101)
        assert info.value.rule_id == "R-CUST-21"

    def test_e08_am_link_assigns_the_customer(self, world: World) -> None:
        """E-08: R-CUST-24 and R-CUST-22 a link made by an AM assigns the customer and tags it."""
        world.service.generate_link(
            account_manager("p1", "am01"), invitation_id=InvitationId("am-link"),
            method=InvitationMethod.CUSTOM_LINK, custom_tag="am01",
            as_of=at("2024-05-01 09:00"), idempotency_key=key(),
        )  # fmt: skip
        world.record(customer("c10", "hal@x.com", "2024-05-01 09:00"))
        accept(world, "c10", "am-link", "2024-05-01 10:00", new_account=True)
        assignment = stored(world, ASSIGNMENTS, "c10")
        association = stored(world, ASSOCIATIONS, "c10")
        assert getattr(assignment, "manager", None) == "am01"
        assert getattr(association, "custom_tag", None) == "am01"

    def test_e09_links_are_for_new_accounts(self, world: World) -> None:
        """E-09: R-CUST-25 an existing account must be invited by email."""
        world.service.generate_link(
            admin("p1"), invitation_id=InvitationId("qr"), method=InvitationMethod.GENERAL_LINK,
            as_of=at("2024-05-01 09:00"), idempotency_key=key(),
        )  # fmt: skip
        world.record(customer("c11", "ivy@x.com", "2024-04-29 09:00"))
        with pytest.raises(RuleViolationError) as info:
            accept(world, "c11", "qr", "2024-05-01 10:00", new_account=False)
        assert info.value.fields["code"] == "EXISTING_ACCOUNT_REQUIRES_ONLINE_INVITATION"
        preregister(world, "p1", "pr-11", "ivy@x.com", "2024-05-01 11:00")
        assert accept(world, "c11", "pr-11/email", "2024-05-01 12:00").associated  # type: ignore[attr-defined]


class TestAssociationEligibility:
    @pytest.mark.parametrize(
        ("facts", "code"),
        [
            ({"registered": "2024-04-22 09:00"}, "REGISTRATION_TOO_OLD"),
            ({"has_valid_reserved_instances": True}, "RESERVED_INSTANCES"),
            ({"enterprise_role": EnterpriseRole.MEMBER}, "ENTERPRISE_MEMBER"),
        ],
    )
    def test_e10_customer_conditions(
        self, world: World, facts: dict[str, object], code: str
    ) -> None:
        """E-10: R-CUST-30 and R-CUST-31 refuse with the vendor's messages (R-CUST-36)."""
        registered = str(facts.pop("registered", "2024-04-29 09:00"))
        preregister(world, "p1", "pr-12", "jo@x.com", "2024-04-29 09:30")
        world.record(customer("c12", "jo@x.com", registered, **facts))
        with pytest.raises(RuleViolationError) as info:
            accept(world, "c12", "pr-12/email", "2024-04-30 10:00")
        assert info.value.fields["code"] == code
        if code in FAILURE_MESSAGES:
            assert info.value.message == f"{FAILURE_MESSAGES[code]} [{info.value.rule_id}]"
        assert stored(world, ASSOCIATIONS, "c12") is None

    def test_e10_prepaid_partner(self, world: World) -> None:
        """E-10 / R-CUST-06: prepaid partners cannot develop reseller-model customers (message #6)."""
        world.service.register_partner(
            Partner(PartnerId("pp"), PartnerRole.CSP, "HK", contact_email="pp@x.com", prepaid=True),
            actor=VENDOR, as_of=at("2024-01-01 00:00"),
        )  # fmt: skip
        preregister(world, "pp", "pr-13", "kim@x.com", "2024-04-29 09:30")
        world.record(customer("c13", "kim@x.com", "2024-04-29 09:00"))
        with pytest.raises(RuleViolationError) as info:
            accept(world, "c13", "pr-13/email", "2024-04-29 10:00")
        assert str(info.value).startswith(
            "Prepaid partners cannot develop customers in reseller model."
        )


class TestDelegation:
    def test_e21_exclusive_control_and_withdrawal(self, world: World) -> None:
        """E-21: R-CUST-62 the distributor may not act while delegated; R-CUST-64 withdrawal returns control."""
        associate(world, "r1", "c21", "lee@x.com", "2024-05-01")
        association = stored(world, ASSOCIATIONS, "c21")
        assert isinstance(association, Association)
        assert association.distributor_id == "d1"
        d1 = Partner(PartnerId("d1"), PartnerRole.DISTRIBUTOR, "HK")
        r1 = Partner(PartnerId("r1"), PartnerRole.RESELLER, "HK", distributor_id=PartnerId("d1"))
        from partnerkit.money import Money

        world.service.change_delegation(
            admin("d1"), PartnerId("r1"), as_of=at("2024-05-02 09:00"),
            budget_freeze_authorized=True, monthly_budget_quota=Money.of("100.00", "USD"),
            one_time_budget_quota=Money.of("50.00", "USD"),
        )  # fmt: skip
        delegation = stored(world, DELEGATIONS, "r1")
        assert isinstance(delegation, ResellerDelegation)
        dist = evaluate_permission(
            admin("d1"), Action.FREEZE, partner=d1, association=association, delegation=delegation
        )
        assert dist.codes == ("DELEGATED_TO_RESELLER",)
        res = evaluate_permission(
            admin("r1"),
            Action.MANAGE_BUDGET,
            partner=r1,
            association=association,
            delegation=delegation,
        )
        assert res.allowed
        world.service.change_delegation(
            admin("d1"),
            PartnerId("r1"),
            as_of=at("2024-05-03 09:00"),
            budget_freeze_authorized=False,
        )
        withdrawn = stored(world, DELEGATIONS, "r1")
        assert isinstance(withdrawn, ResellerDelegation)
        assert withdrawn.monthly_budget_quota == Money.of("100.00", "USD")
        res = evaluate_permission(
            admin("r1"),
            Action.MANAGE_BUDGET,
            partner=r1,
            association=association,
            delegation=withdrawn,
        )
        assert res.codes == ("NOT_DELEGATED",)
        dist = evaluate_permission(
            admin("d1"),
            Action.MANAGE_BUDGET,
            partner=d1,
            association=association,
            delegation=withdrawn,
        )
        assert dist.allowed


class TestDisassociation:
    def test_e27_partner_side_spacing(self, world: World) -> None:
        """E-27: R-CUST-86 one partner request per customer per 3 calendar months; rejected ones count."""
        associate(world, "p1", "c27", "mo@x.com", "2024-01-02")

        def ask(rid: str, when: str) -> None:
            world.service.request_disassociation(
                admin("p1"), CustomerId("c27"), request_id=rid, reason="contract ended",
                acknowledged=True, as_of=at(when), idempotency_key=key(),
            )  # fmt: skip

        ask("d-1", "2024-01-10 10:00")
        world.service.respond_to_disassociation(
            Actor.customer(CustomerId("c27")), "d-1", agree=False, as_of=at("2024-01-11 10:00")
        )
        with pytest.raises(RuleViolationError) as info:
            ask("d-2", "2024-03-01 10:00")
        assert info.value.fields["code"] == "DISASSOCIATION_TOO_FREQUENT"
        assert info.value.rule_id == "R-CUST-86"
        ask("d-3", "2024-04-10 10:00")

    def test_e28_reseller_waits_for_the_customers_request(self, world: World) -> None:
        """E-28: R-CUST-87 both spacing rules (G-12)."""
        associate(world, "r1", "c28", "ned@x.com", "2024-01-02")
        customer_actor = Actor.customer(CustomerId("c28"))

        def ask(actor: Actor, rid: str, when: str) -> None:
            world.service.request_disassociation(
                actor, CustomerId("c28"), request_id=rid, reason="moving", acknowledged=True,
                as_of=at(when), idempotency_key=key(),
            )  # fmt: skip

        ask(customer_actor, "d-1", "2024-02-01 10:00")
        world.service.respond_to_disassociation(
            admin("r1"), "d-1", agree=False, as_of=at("2024-02-02 10:00")
        )
        with pytest.raises(RuleViolationError) as info:
            ask(admin("r1"), "d-2", "2024-04-30 10:00")
        assert info.value.fields["code"] == "CUSTOMER_REQUESTED_RECENTLY"
        with pytest.raises(RuleViolationError):
            ask(customer_actor, "d-3", "2024-04-15 10:00")
        ask(admin("r1"), "d-4", "2024-05-01 09:00")  # 3 months after the customer's request
        world.service.respond_to_disassociation(
            customer_actor, "d-4", agree=False, as_of=at("2024-05-01 09:30")
        )
        ask(customer_actor, "d-5", "2024-05-01 10:00")  # 3 months after its own request
        world.service.respond_to_disassociation(
            admin("r1"), "d-5", agree=False, as_of=at("2024-05-01 11:00")
        )
        with pytest.raises(RuleViolationError) as info:
            ask(admin("r1"), "d-6", "2024-05-01 12:00")
        assert info.value.fields["code"] == "DISASSOCIATION_TOO_FREQUENT"

    def test_e29_blockers(self, world: World) -> None:
        """E-29: R-CUST-89 manual freeze, R-CUST-90 RIs, R-CUST-91 currency, R-CUST-92 pending orders."""
        associate(world, "p1", "c29", "ola@x.com", "2024-06-01")

        def ask(actor: Actor, **kw: object) -> None:
            world.service.request_disassociation(
                actor, CustomerId("c29"), request_id=f"d-{next(_keys)}", reason="r", acknowledged=True,
                as_of=at("2024-07-01 10:00"), idempotency_key=key(), **kw,  # type: ignore[arg-type]
            )  # fmt: skip

        with pytest.raises(RuleViolationError) as info:
            ask(admin("p1"), manually_frozen=True)
        assert info.value.fields["code"] == "UNFREEZE_BEFORE_DISASSOCIATION"
        world.record(
            customer("c29", "ola@x.com", "2024-06-01 09:30", has_valid_reserved_instances=True)
        )
        with pytest.raises(RuleViolationError) as info:
            ask(admin("p1"))
        assert info.value.rule_id == "R-CUST-90"
        world.record(
            customer(
                "c29",
                "ola@x.com",
                "2024-06-01 09:30",
                currency_set=False,
                orders_awaiting_partner_payment=1,
            )
        )
        with pytest.raises(RuleViolationError) as info:
            ask(Actor.customer(CustomerId("c29")))
        codes = [r.code for r in info.value.reasons]  # type: ignore[attr-defined]
        assert codes == ["CURRENCY_NOT_SET", "ORDERS_AWAITING_PARTNER_PAYMENT"]

    def test_e30_completion_ends_what_hangs_on_it(self, world: World) -> None:
        """E-30: R-CUST-94 the customer agrees; R-CUST-95 the association, AM and authorization end."""
        associate(world, "p1", "c30", "pat@x.com", "2024-06-01")
        world.service.assign_account_manager(
            admin("p1"), CustomerId("c30"), ActorId("am01"), as_of=at("2024-06-02 10:00")
        )
        world.service.request_authorization(
            admin("p1"), CustomerId("c30"), authorization_id="auth-30", accept_commitment=True,
            as_of=at("2024-06-02 11:00"), idempotency_key=key(),
        )  # fmt: skip
        world.service.respond_to_authorization(
            Actor.customer(CustomerId("c30")), "auth-30", agree=True, as_of=at("2024-06-02 12:00")
        )
        world.service.request_disassociation(
            admin("p1"), CustomerId("c30"), request_id="d-30", reason="ended", acknowledged=True,
            as_of=at("2024-06-10 10:00"), idempotency_key=key(),
        )  # fmt: skip
        events = world.service.respond_to_disassociation(
            Actor.customer(CustomerId("c30")), "d-30", agree=True, as_of=at("2024-06-11 10:00")
        )
        assert [e.name for e in events] == [
            "CustomerDisassociated",
            "AccountManagerChanged",
            "AuthorizationChanged",
        ]
        association = stored(world, ASSOCIATIONS, "c30")
        assert not getattr(association, "active", True)
        assignment = stored(world, ASSIGNMENTS, "c30")
        assert attributed_manager(assignment, at("2024-06-12 10:00")) is None  # type: ignore[arg-type]
        authorization = stored(world, AUTHORIZATIONS, "auth-30")
        assert getattr(getattr(authorization, "status", None), "value", None) == "revoked"


class TestAuthorization:
    def test_e35_lifecycle(self, world: World) -> None:
        """E-35: R-CUST-113..116 request, accept without expiry, revoke with a 128-character cause."""
        associate(world, "p1", "c35", "quin@x.com", "2024-07-01")
        c35 = Actor.customer(CustomerId("c35"))
        world.service.request_authorization(
            admin("p1"), CustomerId("c35"), authorization_id="a-35", accept_commitment=True,
            as_of=at("2024-07-01 16:19"), idempotency_key=key(),
        )  # fmt: skip
        decision = world.service.check_on_behalf(
            admin("p1"), CustomerId("c35"), product="ECS", as_of=at("2024-07-01 16:20")
        )
        assert decision.codes == ("AUTHORIZATION_REQUIRED",)
        world.service.respond_to_authorization(
            c35, "a-35", agree=True, as_of=at("2024-07-01 16:33")
        )
        authorization = stored(world, AUTHORIZATIONS, "a-35")
        assert getattr(authorization, "effective_at", None) == at("2024-07-01 16:33")
        assert world.service.check_on_behalf(
            admin("p1"), CustomerId("c35"), product="RDS", as_of=at("2030-01-01 00:00")
        ).allowed
        with pytest.raises(InvalidArgumentError) as info:
            world.service.revoke_authorization(
                c35, "a-35", reason="x" * 129, as_of=at("2024-07-02 10:00")
            )
        assert info.value.rule_id == "R-CUST-116"
        world.service.revoke_authorization(
            c35, "a-35", reason="x" * 128, as_of=at("2024-07-02 10:00")
        )
        assert not world.service.check_on_behalf(
            admin("p1"), CustomerId("c35"), product="ECS", as_of=at("2024-07-02 11:00")
        ).allowed
        with pytest.raises(RuleViolationError):
            world.service.revoke_authorization(
                c35, "a-35", reason="again", as_of=at("2024-07-03 10:00")
            )

    def test_e36_reseller_needs_its_distributor_first(self, world: World) -> None:
        """E-36: R-CUST-119 distributor switch first; R-CUST-120 only ECS, EVS, EIP."""
        associate(world, "r1", "c36", "rae@x.com", "2024-07-01")
        with pytest.raises(PermissionDeniedError) as info:
            world.service.request_authorization(
                admin("r1"), CustomerId("c36"), authorization_id="a-36", accept_commitment=False,
                as_of=at("2024-07-02 10:00"), idempotency_key=key(),
            )  # fmt: skip
        assert info.value.rule_id == "R-CUST-119"
        world.service.change_delegation(
            admin("d1"), PartnerId("r1"), as_of=at("2024-07-02 11:00"), on_behalf_authorized=True,
            accept_commitment=True,
        )  # fmt: skip
        world.service.request_authorization(
            admin("r1"), CustomerId("c36"), authorization_id="a-36", accept_commitment=False,
            as_of=at("2024-07-02 12:00"), idempotency_key=key(),
        )  # fmt: skip
        world.service.respond_to_authorization(
            Actor.customer(CustomerId("c36")), "a-36", agree=True, as_of=at("2024-07-02 13:00")
        )
        check = world.service.check_on_behalf
        assert check(
            admin("r1"), CustomerId("c36"), product="ECS", as_of=at("2024-07-03 10:00")
        ).allowed
        assert check(
            admin("r1"), CustomerId("c36"), product="RDS", as_of=at("2024-07-03 10:00")
        ).codes == ("PRODUCT_NOT_ORDERABLE_ON_BEHALF",)
        world.service.change_delegation(
            admin("d1"), PartnerId("r1"), as_of=at("2024-07-04 10:00"), on_behalf_authorized=False
        )
        assert check(
            admin("r1"), CustomerId("c36"), product="ECS", as_of=at("2024-07-04 11:00")
        ).codes == ("DISTRIBUTOR_AUTHORIZATION_REQUIRED",)


class TestAccountManagersAndAlerts:
    def test_e37_attribution_windows(self, world: World) -> None:
        """E-37: R-CUST-129 attribution from the next day; R-CUST-131 unassignment on the 1st of next month."""
        associate(world, "p1", "c37", "sam@x.com", "2024-05-01")
        world.service.assign_account_manager(
            admin("p1"), CustomerId("c37"), ActorId("am01"), as_of=at("2024-05-10 15:00")
        )
        world.service.unassign_account_manager(
            admin("p1"), CustomerId("c37"), as_of=at("2024-05-20 10:00")
        )
        assignment = stored(world, ASSIGNMENTS, "c37")
        spent = {day: attributed_manager(assignment, at(f"{day} 12:00")) for day in  # type: ignore[arg-type]
                 ("2024-05-10", "2024-05-11", "2024-05-25", "2024-06-02")}  # fmt: skip
        assert spent == {
            "2024-05-10": None,
            "2024-05-11": "am01",
            "2024-05-25": "am01",
            "2024-06-02": None,
        }
        assert getattr(assignment, "attribution_until", None) == at("2024-06-01 00:00")

    def test_e38_one_account_manager_per_customer(self, world: World) -> None:
        """E-38: R-CUST-128 an assigned customer cannot be assigned again."""
        associate(world, "p1", "c38", "tia@x.com", "2024-05-01")
        world.service.assign_account_manager(
            admin("p1"), CustomerId("c38"), ActorId("am01"), as_of=at("2024-05-10 15:00")
        )
        with pytest.raises(RuleViolationError) as info:
            world.service.assign_account_manager(
                admin("p1"), CustomerId("c38"), ActorId("am02"), as_of=at("2024-05-11 15:00")
            )
        assert info.value.fields["code"] == "CUSTOMER_ALREADY_ASSIGNED"

    def test_e39_organisation_roles(self) -> None:
        """E-39: R-CUST-133 role combinations; R-CUST-130 AM plus another role sees all customers."""
        assert validate_roles({OrgRole.ACCOUNT_MANAGER, OrgRole.ACCOUNT_DIRECTOR}).codes == (
            "AM_AND_AD",
        )
        assert validate_roles({OrgRole.ADMIN, OrgRole.FINANCE_SPECIALIST}).codes == (
            "ADMIN_COMBINED",
        )
        assert validate_roles(
            {
                OrgRole.ACCOUNT_MANAGER,
                OrgRole.FINANCE_SPECIALIST,
                OrgRole.CUSTOM,
                OrgRole.ACCOUNT_DIRECTOR,
            }
        ).has("ROLE_COUNT")
        mixed = Actor.partner_user(
            ActorId("u"), PartnerId("p1"), {OrgRole.ACCOUNT_MANAGER, OrgRole.FINANCE_SPECIALIST}
        )
        assert mixed.sees_all_customers
        assert not account_manager("p1", "am").sees_all_customers
        with pytest.raises(InvalidArgumentError):
            Actor.partner_user(
                ActorId("u"), PartnerId("p1"), {OrgRole.ACCOUNT_MANAGER, OrgRole.ACCOUNT_DIRECTOR}
            )

    def test_e40_customer_contacts(self) -> None:
        """E-40: R-CUST-134 five contacts are allowed, a sixth is refused."""
        Partner(
            PartnerId("p"), PartnerRole.CSP, "HK", customer_contacts=[f"c{i}" for i in range(5)]
        )
        with pytest.raises(InvalidArgumentError) as info:
            Partner(
                PartnerId("p"), PartnerRole.CSP, "HK", customer_contacts=[f"c{i}" for i in range(6)]
            )
        assert info.value.rule_id == "R-CUST-134"

    def test_e41_alert_handling(self, world: World) -> None:
        """E-41: R-CUST-139..141 one handler, a required answer, handled once."""
        associate(world, "p1", "c41", "uma@x.com", "2024-05-01")
        world.service.assign_account_manager(
            admin("p1"), CustomerId("c41"), ActorId("am01"), as_of=at("2024-05-02 10:00")
        )
        alert = CustomerAlert(
            "al-1", CustomerId("c41"), PartnerId("p1"), "churn risk warning", at("2024-05-09 19:16")
        )
        world.service.raise_alert(alert, actor=VENDOR, as_of=at("2024-05-09 19:16"))
        handle = world.service.handle_alert
        with pytest.raises(PermissionDeniedError):
            handle(
                admin("p1"),
                "al-1",
                customer_lost=True,
                loss_reason=LossReason.COMPETITOR,
                as_of=at("2024-05-10 09:00"),
            )
        am01 = account_manager("p1", "am01")
        with pytest.raises(InvalidArgumentError):
            handle(am01, "al-1", customer_lost=True, as_of=at("2024-05-10 09:00"))
        handle(
            am01,
            "al-1",
            customer_lost=True,
            loss_reason=LossReason.COMPETITOR,
            as_of=at("2024-05-10 09:00"),
        )
        with pytest.raises(RuleViolationError) as info:
            handle(
                am01,
                "al-1",
                customer_lost=False,
                not_lost_feedback=NotLostFeedback.OTHER,
                as_of=at("2024-05-10 10:00"),
            )
        assert info.value.fields["code"] == "ALERT_ALREADY_HANDLED"
        associate(world, "p1", "c42", "val@x.com", "2024-05-01")
        other = CustomerAlert(
            "al-2", CustomerId("c42"), PartnerId("p1"), "churn", at("2024-05-09 19:16")
        )
        world.service.raise_alert(other, actor=VENDOR, as_of=at("2024-05-09 19:16"))
        handle(
            admin("p1"),
            "al-2",
            customer_lost=False,
            not_lost_feedback=NotLostFeedback.NORMAL_FLUCTUATION,
            as_of=at("2024-05-10 09:00"),
        )


class TestLeads:
    def test_e44_alibaba_lead_flow(self) -> None:
        """E-44: R-CUST-155 hand-over after 7 days; R-CUST-156 flow-back after 60 days."""
        chengdu = Lead("u-1", "Chengdu", registered_at=at("2018-04-01 00:00"))
        _, events = route_lead(chengdu, as_of=at("2018-04-07 23:59"), customer_confirmed=True)
        assert events == ()
        routed, _ = route_lead(chengdu, as_of=at("2018-04-08 00:00"), customer_confirmed=True)
        assert routed.channel is LeadChannel.ASC
        unconfirmed, _ = route_lead(chengdu, as_of=at("2018-04-08 00:00"), customer_confirmed=False)
        assert unconfirmed.channel is LeadChannel.NEW_REGISTRATION
        still, _ = flow_back_lead(routed, as_of=at("2018-06-06 23:59"))
        assert still.channel is LeadChannel.ASC
        back, _ = flow_back_lead(routed, as_of=at("2018-06-07 00:00"))
        assert back.channel is LeadChannel.OFFICIAL_WEB_OPS
        hangzhou = Lead("u-2", "Hangzhou", registered_at=at("2018-04-01 00:00"))
        assert (
            route_lead(hangzhou, as_of=at("2018-04-08 00:00"), customer_confirmed=False)[0].channel
            is LeadChannel.TELESALES
        )
        assert HUAWEI.lead_flow_back_days == 60


def test_invitations_are_stored_with_the_pre_registration(world: World) -> None:
    """R-CUST-18: pre-registering with 'send invitation' emails a 7-day link."""
    preregister(world, "p1", "pr-x", "wes@x.com", "2024-05-01 09:00")
    invitation = stored(world, INVITATIONS, "pr-x/email")
    assert getattr(invitation, "expires_at", None) == at("2024-05-08 09:00")
    assert Initiator.PARTNER.value == "partner"
