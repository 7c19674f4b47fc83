"""BillingService: paying one bill, bank transfers, the consumption quota and Alibaba issuances.

R-BILL-11, R-BILL-37..41, R-BILL-45, R-BILL-48, R-BILL-54 through the ports; the budget
engine honours the credit limit.
"""

from __future__ import annotations

import itertools
from datetime import date

import attrs
import pytest
from tests.support.world import VENDOR, World, admin, at, customer

from partnerkit.billing import (
    BillStatus,
    ConsumptionQuotaAlert,
    CostBearer,
    CouponTemplate,
    CreditLimitExceeded,
    CreditLimitRestored,
    IssuanceLimit,
    IssuanceStatus,
    PartnerBill,
    RecipientKind,
)
from partnerkit.budget import Operation
from partnerkit.calendars import WEEKENDS
from partnerkit.customers import InvitationMethod
from partnerkit.errors import (
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    RuleViolationError,
)
from partnerkit.ids import ActorId, CustomerId, IdempotencyKey, InvitationId, PartnerId
from partnerkit.money import Money
from partnerkit.partners import Partner, PartnerRole
from partnerkit.periods import Period
from partnerkit.permissions import Actor, OrgRole
from partnerkit.services.billing import (
    PARTNER_BILLS,
    BillingService,
    ConsumptionQuotaChanged,
    IssuanceChanged,
    TransferCredited,
)
from partnerkit.services.budgets import BudgetService
from partnerkit.services.customers import PARTNERS

K = itertools.count()
SYSTEM = Actor.system()
P1 = PartnerId("p1")


def key() -> IdempotencyKey:
    return IdempotencyKey(f"c-{next(K)}")


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


@pytest.fixture
def world() -> World:
    return World()


def test_pay_one_issued_bill(world: World) -> None:
    """R-BILL-11 estimates are not paid; R-BILL-45 one limited transaction pays an issued bill."""
    service = BillingService(world.store.unit_of_work)
    may = Period.parse("2024M5")
    with world.store.unit_of_work() as uow:
        bill = PartnerBill.estimate(P1, may, usd("120.00"))
        uow.repository(PARTNER_BILLS).add(attrs.evolve(bill, status=BillStatus.UNPAID))
        uow.repository(PARTNER_BILLS).add(PartnerBill.estimate(P1, may.next(), usd("5.00")))
        uow.commit()
    (paid,) = service.pay_bill(
        admin("p1"), P1, may, usd("100.00"), as_of=at("2024-06-06 10:00"), idempotency_key=key()
    )
    assert paid.snapshots()[0] == service.bill(P1, may)
    assert service.bill(P1, may).outstanding == usd("20.00")
    with pytest.raises(RuleViolationError) as caught:
        service.pay_bill(
            admin("p1"), P1, may.next(), usd("5.00"), as_of=at("2024-06-06 10:00"),
            idempotency_key=key(),
        )  # fmt: skip
    assert caught.value.rule_id == "R-BILL-11"
    with pytest.raises(InvalidArgumentError) as limit:
        service.pay_bill(
            admin("p1"), P1, may, usd("20000.01"), as_of=at("2024-06-06 10:00"),
            idempotency_key=key(),
        )  # fmt: skip
    assert limit.value.rule_id == "R-BILL-45"
    with pytest.raises(PermissionDeniedError):
        service.pay_bill(
            admin("p2"), P1, may, usd("1.00"), as_of=at("2024-06-06 10:00"), idempotency_key=key()
        )
    assert service.bill(P1, may).outstanding == usd("20.00")


def test_bank_transfer_credit_and_its_deadline(world: World) -> None:
    """R-BILL-48: credited within 3 working days of the ticket; later is reported as late."""
    service = BillingService(world.store.unit_of_work)
    filed = at("2024-06-07 10:00")  # a Friday
    (on_time,) = service.record_transfer(
        VENDOR, P1, usd("300.00"), ticket_filed=filed, credited_at=at("2024-06-12 18:00"),
        calendar=WEEKENDS, idempotency_key=key(),
    )  # fmt: skip
    assert isinstance(on_time, TransferCredited)
    assert (on_time.due_by, on_time.late) == (date(2024, 6, 12), False)
    (late,) = service.record_transfer(
        VENDOR, P1, usd("1.00"), ticket_filed=filed, credited_at=at("2024-06-13 09:00"),
        calendar=WEEKENDS, idempotency_key=key(),
    )  # fmt: skip
    assert isinstance(late, TransferCredited)
    assert late.late
    assert service.funds(P1).balance == usd("301.00")
    with pytest.raises(InvalidArgumentError):
        service.record_transfer(
            VENDOR, P1, usd("1.00"), ticket_filed=filed, credited_at=at("2024-06-06 09:00"),
            calendar=WEEKENDS, idempotency_key=key(),
        )  # fmt: skip
    with pytest.raises(PermissionDeniedError):
        service.record_transfer(
            admin("p1"), P1, usd("1.00"), ticket_filed=filed, credited_at=filed,
            calendar=WEEKENDS, idempotency_key=key(),
        )  # fmt: skip
    assert service.funds(P1).balance == usd("301.00")


def _reseller_customer(world: World, cid: str) -> None:
    world.service.generate_link(
        admin("p1"), invitation_id=InvitationId(f"link-{cid}"),
        method=InvitationMethod.GENERAL_LINK, as_of=at("2024-06-03 09:00"), idempotency_key=key(),
    )  # fmt: skip
    world.record(customer(cid, f"{cid}@x.com", "2024-06-03 08:00"))
    world.service.accept_invitation(
        Actor.customer(CustomerId(cid)), InvitationId(f"link-{cid}"), new_account=True,
        signed_instructions="V1001", as_of=at("2024-06-03 10:00"), idempotency_key=key(),
    )  # fmt: skip
    BudgetService(world.store.unit_of_work).sync(world.store.events(), as_of=at("2024-06-03 10:00"))


def test_credit_limit_blocks_reseller_customers_until_repaid(world: World) -> None:
    """R-BILL-54: alert above 80 %, over the limit the partner's reseller-model customers cannot
    buy (the budget engine reads the stored quota), and repayment lifts it."""
    _reseller_customer(world, "c1")
    budgets = BudgetService(world.store.unit_of_work)
    service = BillingService(world.store.unit_of_work)
    service.set_consumption_quota(VENDOR, P1, usd("1000.00"), as_of=at("2024-06-01 00:00"))
    assert service.set_consumption_quota(VENDOR, P1, usd("1000.00"), as_of=at("2024-06-01")) == ()
    when = at("2024-06-05 10:00")
    buy = Operation.YEARLY_MONTHLY_PURCHASE
    events = service.record_consumption(
        SYSTEM, P1, usd("800.01"), as_of=when, idempotency_key=key()
    )
    assert [type(e) for e in events] == [ConsumptionQuotaChanged, ConsumptionQuotaAlert]
    assert (
        "PARTNER_QUOTA_EXHAUSTED"
        not in budgets.check_operation(CustomerId("c1"), buy, as_of=when).codes
    )
    events = service.record_consumption(
        SYSTEM, P1, usd("200.00"), as_of=when, idempotency_key=key()
    )
    assert [type(e) for e in events] == [ConsumptionQuotaChanged, CreditLimitExceeded]
    blocked = budgets.check_operation(CustomerId("c1"), buy, as_of=when)
    assert "PARTNER_QUOTA_EXHAUSTED" in blocked.codes
    assert (
        "PARTNER_QUOTA_EXHAUSTED"
        not in budgets.check_operation(
            CustomerId("c1"), buy, as_of=when, partner_restricted=False
        ).codes
    )
    with world.store.unit_of_work() as uow:  # an issued bill to repay
        bill = PartnerBill.estimate(P1, Period.parse("2024M5"), usd("1000.01"))
        uow.repository(PARTNER_BILLS).add(attrs.evolve(bill, status=BillStatus.UNPAID))
        uow.commit()
    repaid = service.repay(
        admin("p1"), P1, usd("0.01"), as_of=at("2024-06-06 10:00"), idempotency_key=key()
    )
    assert any(isinstance(e, CreditLimitRestored) for e in repaid)
    quota = service.consumption_quota(P1)
    assert quota is not None
    assert quota.used == usd("1000.00")
    assert (
        "PARTNER_QUOTA_EXHAUSTED"
        not in budgets.check_operation(CustomerId("c1"), buy, as_of=when).codes
    )
    with pytest.raises(NotFoundError):
        service.record_consumption(SYSTEM, PartnerId("p2"), usd("1"), as_of=when,
                                   idempotency_key=key())  # fmt: skip
    with pytest.raises(PermissionDeniedError):
        service.set_consumption_quota(admin("p1"), P1, usd("9999"), as_of=when)


def _alibaba(world: World, *, enabled: bool) -> Actor:
    world.service.register_partner(
        Partner(PartnerId("ad"), PartnerRole.ALIBABA_DISTRIBUTOR, "CN",
                contact_email="ad@example.com", coupon_issuance_enabled=enabled),
        actor=VENDOR, as_of=at("2024-06-01 00:00"),
    )  # fmt: skip
    return Actor.partner_user(ActorId("ad-admin"), PartnerId("ad"), {OrgRole.ADMIN})


def template(limit: IssuanceLimit = IssuanceLimit.ONE) -> CouponTemplate:
    return CouponTemplate(
        template_id="T1", amount=Money.of("100", "CNY"), cost_bearer=CostBearer.VENDOR, limit=limit
    )


def test_issuance_lifecycle_through_the_service(world: World) -> None:
    """R-BILL-37..41: issue from a template, approve into a coupon, limited-to-1, cancel pending."""
    issuer = _alibaba(world, enabled=True)
    service = BillingService(world.store.unit_of_work)
    now = at("2024-06-03 10:00")
    service.create_template(issuer, template(), as_of=now, idempotency_key=key())
    (requested,) = service.request_issuance(
        issuer, "i1", "T1", RecipientKind.END_USER, "u1", as_of=now, idempotency_key=key()
    )
    assert isinstance(requested, IssuanceChanged)
    assert requested.issuance.status is IssuanceStatus.PENDING
    assert requested.coupon is None
    (approved,) = service.decide_issuance(
        VENDOR, "i1", approve=True, as_of=at("2024-06-04 10:00"), idempotency_key=key()
    )
    assert isinstance(approved, IssuanceChanged)
    assert approved.coupon is not None
    assert (approved.coupon.balance, approved.coupon.customer_id, approved.coupon.holder) == (
        Money.of("100", "CNY"), CustomerId("u1"), PartnerId("ad"),
    )  # fmt: skip
    assert service.coupons(PartnerId("ad")) == (approved.coupon,)
    with pytest.raises(RuleViolationError) as once:
        service.request_issuance(
            issuer, "i2", "T1", RecipientKind.END_USER, "u1", as_of=now, idempotency_key=key()
        )
    assert once.value.rule_id == "R-BILL-39"
    with pytest.raises(RuleViolationError) as tier2:
        service.request_issuance(
            issuer, "i3", "T1", RecipientKind.TIER_TWO_RESELLER, "r2", as_of=now,
            idempotency_key=key(),
        )  # fmt: skip
    assert tier2.value.rule_id == "R-BILL-38"
    service.request_issuance(
        issuer, "i4", "T1", RecipientKind.END_USER, "u2", as_of=now, idempotency_key=key()
    )
    (cancelled,) = service.cancel_issuance(issuer, "i4", as_of=now, idempotency_key=key())
    assert isinstance(cancelled, IssuanceChanged)
    assert cancelled.issuance.status is IssuanceStatus.CANCELLED
    with pytest.raises(RuleViolationError):
        service.decide_issuance(VENDOR, "i4", approve=True, as_of=now, idempotency_key=key())
    assert [i.status for i in service.issuances(PartnerId("ad"))] == [
        IssuanceStatus.APPROVED, IssuanceStatus.CANCELLED,
    ]  # fmt: skip


def test_issuance_needs_the_feature_and_may_skip_approval(world: World) -> None:
    """R-BILL-41: the BD must enable the function; R-BILL-40 without approval it is issued at once."""
    issuer = _alibaba(world, enabled=False)
    service = BillingService(world.store.unit_of_work, issuance_needs_approval=False)
    now = at("2024-06-03 10:00")
    service.create_template(
        issuer, template(IssuanceLimit.UNLIMITED), as_of=now, idempotency_key=key()
    )
    with pytest.raises(RuleViolationError) as caught:
        service.request_issuance(
            issuer, "i1", "T1", RecipientKind.END_USER, "u1", as_of=now, idempotency_key=key()
        )
    assert caught.value.rule_id == "R-BILL-41"
    _alibaba(world, enabled=True)
    (issued,) = service.request_issuance(
        issuer, "i1", "T1", RecipientKind.END_USER, "u1", as_of=now, idempotency_key=key()
    )
    assert isinstance(issued, IssuanceChanged)
    assert issued.issuance.status is IssuanceStatus.APPROVED
    assert issued.coupon is not None
    with world.store.unit_of_work() as uow:
        assert uow.repository(PARTNERS).get("ad").coupon_issuance_enabled


def test_close_month_taxes_the_post_coupon_amount(world: World) -> None:
    """R-BILL-04 / I-08 / DC-04: with the partner's region, tax follows the coupon pass."""
    from datetime import datetime

    from partnerkit.billing import BillingMode, BillLine, BillType, Coupon, TaxPolicy
    from partnerkit.money import Rate
    from partnerkit.services.billing import MonthClosed

    june = Period.parse("2024M6")
    line = BillLine(
        line_id="L1", customer_id=CustomerId("c1"), partner_id=P1, cycle=june,
        bill_type=BillType.EXPENDITURE, billing_mode=BillingMode.PAY_PER_USE, product_code="ecs",
        order_or_txn_id="T1", transaction_time=at("2024-06-03 10:00"),
        customer_expenditure=usd("100.00"), settlement_amount=usd("100.00"),
        coupons_used=usd("0"), tax=usd("0"),
    )  # fmt: skip
    ends = datetime.fromisoformat("2024-12-31 23:59:59").replace(
        tzinfo=at("2024-06-01 00:00").tzinfo
    )
    coupon = Coupon(
        coupon_id="K", balance=usd("40.00"), valid_from=at("2024-06-01 00:00"), valid_to=ends,
        billing_modes={BillingMode.PAY_PER_USE}, holder=P1,
    )  # fmt: skip
    service = BillingService(
        world.store.unit_of_work, tax_policy=TaxPolicy(rates={"SG": Rate.from_percent(9)})
    )
    service.grant_coupon(SYSTEM, coupon, as_of=at("2024-06-01 00:00"), idempotency_key=key())
    (closed,) = service.close_month(
        SYSTEM, P1, june, [line], as_of=at("2024-07-01 02:00"), idempotency_key=key(),
        tax_region="SG",
    )  # fmt: skip
    assert isinstance(closed, MonthClosed)
    assert closed.tax == usd("5.40")  # 9 % of 100.00 - 40.00
    assert closed.monthly_total == usd("65.40")
    assert service.bill(P1, june).amount_due == usd("65.40")


def test_finance_specialists_pay_account_managers_do_not(world: World) -> None:
    """Finance specialists top up and pay (eligibility.md roles: top-up, withdrawal); an AM may not."""
    service = BillingService(world.store.unit_of_work)
    finance = Actor.partner_user(ActorId("fin"), P1, {OrgRole.FINANCE_SPECIALIST})
    manager = Actor.partner_user(ActorId("am"), P1, {OrgRole.ACCOUNT_MANAGER})
    service.top_up(finance, P1, usd("10.00"), as_of=at("2024-06-03 10:00"), idempotency_key=key())
    with pytest.raises(PermissionDeniedError):
        service.top_up(
            manager, P1, usd("10.00"), as_of=at("2024-06-03 10:00"), idempotency_key=key()
        )
    assert service.funds(P1).balance == usd("10.00")
