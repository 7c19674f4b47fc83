"""BillingService: coupons, month close, issue, top-up and repayment over the in-memory store."""

from __future__ import annotations

from datetime import datetime

import pytest
from tests.support.world import at

from partnerkit.adapters.memory import InMemoryStore
from partnerkit.billing import BillingMode, BillLine, BillStatus, BillType, Coupon, CouponStatus
from partnerkit.errors import (
    IdempotencyConflictError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    RuleViolationError,
)
from partnerkit.ids import ActorId, CustomerId, IdempotencyKey, PartnerId
from partnerkit.money import Money
from partnerkit.periods import Period
from partnerkit.permissions import Actor, OrgRole
from partnerkit.services.billing import BillingService, MonthClosed, PartnerBillIssued

D1 = PartnerId("d1")
JUNE = Period.parse("2024M6")
SYSTEM = Actor.system()
ADMIN = Actor.partner_user(ActorId("d1-admin"), D1, {OrgRole.ADMIN})
OTHER = Actor.partner_user(ActorId("d2-admin"), PartnerId("d2"), {OrgRole.ADMIN})


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


def line(i: int, amount: str, customer: str = "alice", day: int = 3) -> BillLine:
    return BillLine(
        line_id=f"L{i}",
        customer_id=CustomerId(customer),
        partner_id=D1,
        cycle=JUNE,
        bill_type=BillType.EXPENDITURE,
        billing_mode=BillingMode.PAY_PER_USE,
        product_code="ecs",
        order_or_txn_id=f"T{i}",
        transaction_time=at(f"2024-06-{day:02d} 10:00"),
        customer_expenditure=usd(amount),
        settlement_amount=usd(amount),
        coupons_used=usd("0"),
        tax=usd("0"),
    )


def coupon(cid: str, balance: str, customer: str | None = None) -> Coupon:
    return Coupon(
        coupon_id=cid,
        balance=usd(balance),
        valid_from=at("2024-01-01 00:00"),
        valid_to=datetime.fromisoformat("2024-12-31 23:59:59").replace(
            tzinfo=at("2024-01-01 00:00").tzinfo
        ),
        billing_modes={BillingMode.PAY_PER_USE},
        customer_id=CustomerId(customer) if customer else None,
        holder=D1,
    )


@pytest.fixture
def store() -> InMemoryStore:
    return InMemoryStore()


def test_a_month_from_coupons_to_repayment(store: InMemoryStore) -> None:
    """R-BILL-26..28 coupons, R-BILL-07 close, R-BILL-12/46 issue, R-BILL-47 repay, all through the ports."""
    service = BillingService(store.unit_of_work)
    key = iter(IdempotencyKey(f"k{i}") for i in range(100))
    now = at("2024-06-01 09:00")
    service.grant_coupon(
        SYSTEM, coupon("K-A", "50.00", "alice"), as_of=now, idempotency_key=next(key)
    )
    service.grant_coupon(SYSTEM, coupon("K-ALL", "30.00"), as_of=now, idempotency_key=next(key))
    service.top_up(ADMIN, D1, usd("100.00"), as_of=now, idempotency_key=next(key))
    lines = [line(1, "80.00"), line(2, "200.005", "bob", day=4)]
    (closed,) = service.close_month(
        SYSTEM, D1, JUNE, lines, as_of=at("2024-07-01 02:00"), idempotency_key=next(key)
    )
    assert isinstance(closed, MonthClosed)
    assert [(d.coupon_id, d.amount) for d in closed.deductions] == [
        ("K-A", usd("50.00")),
        ("K-ALL", usd("30.00")),
    ]
    assert closed.monthly_total == usd("200.005")
    assert closed.bill.amount_due == usd("200.01")
    assert {c.coupon_id: c.status for c in service.coupons(D1)} == {
        "K-A": CouponStatus.USED,
        "K-ALL": CouponStatus.USED,
    }
    (issued,) = service.issue(SYSTEM, D1, JUNE, idempotency_key=next(key))
    assert isinstance(issued, PartnerBillIssued)
    assert issued.occurred_at == at("2024-07-05 12:00")
    assert service.bill(D1, JUNE).outstanding == usd("100.01")
    assert service.funds(D1).balance == usd("0.00")
    service.repay(ADMIN, D1, usd("150.00"), as_of=at("2024-07-06 09:00"), idempotency_key=next(key))
    assert service.bill(D1, JUNE).status is BillStatus.PAID
    assert service.funds(D1).balance == usd("49.99")


def test_commands_are_idempotent_and_refusals_change_nothing(store: InMemoryStore) -> None:
    """Idempotency keys replay; a second close, a wrong actor or an over-limit amount leave the store as it was."""
    service = BillingService(store.unit_of_work)
    now = at("2024-06-01 09:00")
    first = service.top_up(ADMIN, D1, usd("10.00"), as_of=now, idempotency_key=IdempotencyKey("t"))
    assert (
        service.top_up(ADMIN, D1, usd("10.00"), as_of=now, idempotency_key=IdempotencyKey("t"))
        == first
    )
    assert service.funds(D1).balance == usd("10.00")
    with pytest.raises(IdempotencyConflictError):
        service.top_up(ADMIN, D1, usd("11.00"), as_of=now, idempotency_key=IdempotencyKey("t"))
    service.close_month(
        SYSTEM, D1, JUNE, [line(1, "5.00")], as_of=now, idempotency_key=IdempotencyKey("c")
    )
    snapshot = store.snapshot()
    with pytest.raises(RuleViolationError):
        service.close_month(
            SYSTEM, D1, JUNE, [line(1, "5.00")], as_of=now, idempotency_key=IdempotencyKey("c2")
        )
    with pytest.raises(PermissionDeniedError):
        service.top_up(OTHER, D1, usd("1.00"), as_of=now, idempotency_key=IdempotencyKey("o"))
    with pytest.raises(PermissionDeniedError):
        service.close_month(
            ADMIN, D1, Period.parse("2024M7"), [], as_of=now, idempotency_key=IdempotencyKey("a")
        )
    with pytest.raises(InvalidArgumentError):
        service.top_up(ADMIN, D1, usd("20000.01"), as_of=now, idempotency_key=IdempotencyKey("big"))
    with pytest.raises(InvalidArgumentError):
        service.grant_coupon(SYSTEM, Coupon(
            coupon_id="X", balance=usd("1"), valid_from=now, valid_to=now, billing_modes={BillingMode.PAY_PER_USE},
        ), as_of=now, idempotency_key=IdempotencyKey("x"))  # fmt: skip
    assert store.snapshot() == snapshot
    with pytest.raises(NotFoundError):
        service.funds(PartnerId("nobody"))
