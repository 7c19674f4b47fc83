"""Builders of bill lines and coupons shared by the billing tests."""

from __future__ import annotations

from datetime import datetime

from tests.support.world import at

from partnerkit.billing import BillingMode, BillLine, BillType, Coupon
from partnerkit.ids import CustomerId, PartnerId
from partnerkit.money import Money
from partnerkit.periods import Period

P = PartnerId("p1")


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


def line(
    line_id: str,
    settlement: str,
    *,
    customer: str = "A",
    when: str = "2024-05-03 10:00",
    kind: BillType = BillType.EXPENDITURE,
    mode: BillingMode = BillingMode.PAY_PER_USE,
    cycle: str = "2024M5",
    coupons: str = "0",
    tax: str = "0",
    product: str = "ecs",
    txn: str | None = None,
    marketplace: bool = False,
) -> BillLine:
    return BillLine(
        line_id=line_id,
        customer_id=CustomerId(customer),
        partner_id=P,
        cycle=Period.parse(cycle),
        bill_type=kind,
        billing_mode=mode,
        product_code=product,
        order_or_txn_id=txn or f"T-{line_id}",
        transaction_time=at(when),
        customer_expenditure=usd(settlement),
        settlement_amount=usd(settlement),
        coupons_used=usd(coupons),
        tax=usd(tax),
        marketplace=marketplace,
    )


def coupon(
    coupon_id: str,
    balance: str,
    *,
    valid_to: str,
    valid_from: str = "2024-01-01 00:00",
    customer: str | None = None,
    modes: frozenset[BillingMode] = frozenset({BillingMode.PAY_PER_USE}),
    multi_use: bool = True,
) -> Coupon:
    return Coupon(
        coupon_id=coupon_id,
        balance=usd(balance),
        valid_from=at(valid_from),
        valid_to=datetime.fromisoformat(valid_to).replace(tzinfo=at(valid_from).tzinfo),
        billing_modes=modes,
        customer_id=CustomerId(customer) if customer else None,
        multi_use=multi_use,
    )
