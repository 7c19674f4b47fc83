"""EligibilityService: applications, benefit requests, members and opportunities over a store."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from tests.support.world import VENDOR, World, account_manager, admin, at, customer

from partnerkit.customers import InvitationMethod
from partnerkit.eligibility import Evidence, Facts
from partnerkit.eligibility.benefits import HUAWEI_STAGE_BENEFITS
from partnerkit.eligibility.catalogs import huawei
from partnerkit.eligibility.opportunities import Opportunity, OpportunityType
from partnerkit.errors import (
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    RuleViolationError,
)
from partnerkit.ids import ActorId, CustomerId, IdempotencyKey, InvitationId, PartnerId
from partnerkit.money import Money
from partnerkit.permissions import Actor, OrgRole
from partnerkit.services.eligibility import (
    ApplicationStatus,
    EligibilityService,
    EnrolmentChanged,
    MemberSaved,
    OpportunityChanged,
    RequestStatus,
)

K = itertools.count()
NOW = datetime(2024, 7, 1, 9, tzinfo=UTC)
P1 = PartnerId("p1")
SI_VALIDATION = next(b for b in HUAWEI_STAGE_BENEFITS if b.id == "si.coupons.validation")


def key() -> IdempotencyKey:
    return IdempotencyKey(f"e-{next(K)}")


def usd(amount: int) -> Money:
    return Money.of(amount, "USD")


def csp_facts(customers: int) -> Facts:
    certs = [Evidence(kind="certificate", id=f"c{n}", holder=f"P{n}",
                      attributes={"family": "ACCREDITATION"}) for n in range(4)]  # fmt: skip
    return Facts(
        flags={"network.member", "account.enterprise", "agreement.CSP"},
        levels={"company.path.SOFTWARE_PARTNER": "VALIDATION"},
        metrics={"revenue.annual": 370000, "customers.count": customers},
        evidence=certs,
    )


@pytest.fixture
def service() -> EligibilityService:
    return EligibilityService(World().store.unit_of_work)


def test_apply_review_and_climb_the_ladder(service: EligibilityService) -> None:
    """R-ELIG-034, R-ELIG-036, R-ELIG-038: apply with a snapshot; the vendor approves; the next
    application aims at the next tier and is refused with every blocker."""
    (filed,) = service.apply(
        admin("p1"), huawei.CSP, csp_facts(10), as_of=NOW, idempotency_key=key()
    )
    assert isinstance(filed, EnrolmentChanged)
    assert (filed.enrolment.applied_for, filed.enrolment.status) == (
        "STANDARD", ApplicationStatus.UNDER_REVIEW,
    )  # fmt: skip
    assert filed.evaluation is not None
    assert filed.evaluation.eligible
    with pytest.raises(RuleViolationError) as pending:
        service.apply(admin("p1"), huawei.CSP, csp_facts(10), as_of=NOW, idempotency_key=key())
    assert pending.value.fields["code"] == "APPLICATION_PENDING"
    (approved,) = service.decide_application(VENDOR, P1, huawei.CSP.id, approve=True, as_of=NOW,
                                             idempotency_key=key())  # fmt: skip
    assert isinstance(approved, EnrolmentChanged)
    assert approved.enrolment.level == "STANDARD"
    with pytest.raises(RuleViolationError) as short:
        service.apply(admin("p1"), huawei.CSP, csp_facts(9), as_of=NOW, idempotency_key=key())
    assert short.value.rule_id == "R-ELIG-036"
    assert [getattr(r, "code", "") for r in short.value.reasons] == ["csp.adv.customers"]
    (advanced,) = service.apply(admin("p1"), huawei.CSP, csp_facts(10), as_of=NOW,
                                idempotency_key=key())  # fmt: skip
    assert isinstance(advanced, EnrolmentChanged)
    assert advanced.enrolment.applied_for == "ADVANCED"
    (rejected,) = service.decide_application(VENDOR, P1, huawei.CSP.id, approve=False, as_of=NOW,
                                             idempotency_key=key())  # fmt: skip
    assert isinstance(rejected, EnrolmentChanged)
    assert (rejected.enrolment.level, rejected.enrolment.status) == (
        "STANDARD", ApplicationStatus.REJECTED,
    )  # fmt: skip
    with pytest.raises(RuleViolationError):
        service.decide_application(VENDOR, P1, huawei.CSP.id, approve=True, as_of=NOW,
                                   idempotency_key=key())  # fmt: skip
    assert [e.level for e in service.enrolments(P1)] == ["STANDARD"]


def test_only_admins_apply_and_only_the_vendor_decides(service: EligibilityService) -> None:
    """R-ELIG-063 / section 4.3: applications by the administrator, decisions by the vendor."""
    with pytest.raises(PermissionDeniedError):
        service.apply(account_manager("p1", "am"), huawei.CSP, csp_facts(10), as_of=NOW,
                      idempotency_key=key())  # fmt: skip
    with pytest.raises(PermissionDeniedError):
        service.decide_application(admin("p1"), P1, huawei.CSP.id, approve=True, as_of=NOW,
                                   idempotency_key=key())  # fmt: skip
    with pytest.raises(NotFoundError):
        service.decide_application(VENDOR, P1, huawei.CSP.id, approve=True, as_of=NOW,
                                   idempotency_key=key())  # fmt: skip
    assert service.enrolments(P1) == ()


def test_benefit_requests_count_approved_amounts(service: EligibilityService) -> None:
    """R-ELIG-092, R-ELIG-094, GAP-18: one pending at a time; approved amounts use the quota;
    rejected ones do not."""
    may = datetime(2024, 5, 1, tzinfo=UTC)

    def ask(request_id: str, amount: int) -> object:
        return service.request_benefit(
            admin("p1"), request_id, SI_VALIDATION, usd(amount), current_stage="VALIDATION",
            as_of=may, idempotency_key=key(),
        )  # fmt: skip

    ask("r1", 10000)
    with pytest.raises(RuleViolationError) as pending:
        ask("r2", 100)
    assert pending.value.rule_id == "R-ELIG-092"
    service.decide_benefit(VENDOR, "r1", approve=True, as_of=NOW, idempotency_key=key())
    with pytest.raises(RuleViolationError) as quota:
        ask("r3", 5001)
    assert quota.value.fields["requested"] == usd(5001)
    ask("r4", 5000)
    service.decide_benefit(VENDOR, "r4", approve=False, as_of=NOW, idempotency_key=key())
    ask("r5", 5000)
    statuses = {r.request_id: r.status for r in service.benefit_requests(P1)}
    assert statuses == {"r1": RequestStatus.APPROVED, "r4": RequestStatus.REJECTED,
                        "r5": RequestStatus.UNDER_REVIEW}  # fmt: skip
    with pytest.raises(RuleViolationError):
        service.decide_benefit(VENDOR, "r1", approve=True, as_of=NOW, idempotency_key=key())


def test_members_and_their_roles(service: EligibilityService) -> None:
    """R-ELIG-057, R-ELIG-058: members with 1-3 roles; set-to-target; refusals store nothing."""
    (saved,) = service.save_member(admin("p1"), "m1", {OrgRole.ACCOUNT_MANAGER}, as_of=NOW)
    assert isinstance(saved, MemberSaved)
    assert service.save_member(admin("p1"), "m1", {OrgRole.ACCOUNT_MANAGER}, as_of=NOW) == ()
    with pytest.raises(RuleViolationError) as caught:
        service.save_member(admin("p1"), "m1", {OrgRole.ACCOUNT_MANAGER, OrgRole.ACCOUNT_DIRECTOR},
                            as_of=NOW)  # fmt: skip
    assert caught.value.rule_id == "R-ELIG-058"
    with pytest.raises(PermissionDeniedError):
        service.save_member(admin("p2"), "m1", {OrgRole.FINANCE_SPECIALIST}, as_of=NOW)


def test_opportunities_for_own_customers_with_logged_progress() -> None:
    """R-ELIG-106, R-ELIG-107, R-ELIG-109: the assigned manager creates and progresses its
    customer's opportunity; others may not."""
    world = World()
    world.service.generate_link(
        admin("p1"), invitation_id=InvitationId("l1"), method=InvitationMethod.GENERAL_LINK,
        as_of=at("2024-06-03 09:00"), idempotency_key=key(),
    )  # fmt: skip
    world.record(customer("k1", "k1@x.com", "2024-06-03 08:00"))
    world.service.accept_invitation(
        Actor.customer(CustomerId("k1")), InvitationId("l1"), new_account=True,
        signed_instructions="V1001", as_of=at("2024-06-03 10:00"), idempotency_key=key(),
    )  # fmt: skip
    world.service.assign_account_manager(admin("p1"), CustomerId("k1"), ActorId("m1"),
                                         as_of=at("2024-06-04 10:00"))  # fmt: skip
    service = EligibilityService(world.store.unit_of_work)
    m1 = account_manager("p1", "m1")
    opportunity = Opportunity(
        opportunity_id="o1", customer_id="k1", owner="m1", name="Migration",
        type=OpportunityType.NEW, phase="DISCOVERY", win_probability=20, bidding=False,
        monthly_revenue="5000",
    )  # fmt: skip
    (created,) = service.create_opportunity(m1, opportunity, as_of=NOW, idempotency_key=key())
    assert isinstance(created, OpportunityChanged)
    (moved,) = service.specify_progress(m1, "o1", "SOLUTION_COMMUNICATION", 50, as_of=NOW,
                                        idempotency_key=key())  # fmt: skip
    assert isinstance(moved, OpportunityChanged)
    assert len(moved.opportunity.progress) == 1
    m2 = account_manager("p1", "m2")
    other = Opportunity(
        opportunity_id="o2", customer_id="k1", owner="m2", name="Other", type=OpportunityType.NEW,
        phase="DISCOVERY", win_probability=10, bidding=False, monthly_revenue="1",
    )  # fmt: skip
    with pytest.raises(RuleViolationError) as caught:
        service.create_opportunity(m2, other, as_of=NOW, idempotency_key=key())
    assert caught.value.rule_id == "R-ELIG-106"
    with pytest.raises(PermissionDeniedError):
        service.specify_progress(m2, "o1", "CLOSED", 90, as_of=NOW, idempotency_key=key())
    with pytest.raises(InvalidArgumentError):
        service.create_opportunity(m2, opportunity, as_of=NOW, idempotency_key=key())
