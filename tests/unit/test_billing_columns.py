"""CustomerColumns refuses bad rows the way BillLine does; run_customer and settle_column edges."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
import pytest
from tests.support.billing import P, coupon, line, usd
from tests.support.world import at

from partnerkit.billing import (
    BillingMode,
    BillType,
    CouponStatus,
    CustomerColumns,
    apply_coupons,
    close_customer,
    rounding_for_cycle,
    run_customer,
    settle,
    settle_column,
)
from partnerkit.errors import InvalidArgumentError
from partnerkit.ids import CustomerId
from partnerkit.money import Currency, Money, Rate
from partnerkit.periods import Period

MAY = Period.parse("2024M5")
POLICY = rounding_for_cycle(MAY)


def columns(**changes: Any) -> CustomerColumns:
    base: dict[str, Any] = {
        "partner_id": P,
        "cycle": MAY,
        "customer_id": CustomerId("A"),
        "currency": Currency("USD"),
        "line_ids": ("l1", "l2"),
        "order_or_txn_ids": ("t1", "t2"),
        "transaction_times": (at("2024-05-03 10:00"), at("2024-05-04 10:00")),
        "settlement": (Decimal("30.00"), Decimal("20.00")),
        "product_codes": ("ecs", "ecs"),
        "billing_modes": (BillingMode.PAY_PER_USE, BillingMode.PAY_PER_USE),
    }
    base.update(changes)
    return CustomerColumns(**base)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"line_ids": ()}, "line_ids"),
        ({"line_ids": ("l1", "l1")}, "line_ids"),
        ({"line_ids": ["l1", "l2"]}, "line_ids"),
        ({"order_or_txn_ids": ("t1",)}, "order_or_txn_ids"),
        ({"product_codes": ("ecs", "")}, "product_codes"),
        ({"settlement": (Decimal("1"), 2)}, "settlement"),
        ({"settlement": (Decimal("1"), Decimal("NaN"))}, "settlement"),
        (
            {
                "transaction_times": (
                    at("2024-05-03 10:00"),
                    at("2024-05-04 10:00").replace(tzinfo=None),
                )
            },
            "transaction_times",
        ),
        ({"billing_modes": (BillingMode.PAY_PER_USE, "pay-per-use")}, "billing_modes"),
        ({"currency": "USD"}, "currency"),
        ({"coupons_used": (Decimal("31"), Decimal("0"))}, "coupons_used"),
        ({"coupons_used": (Decimal("-1"), Decimal("0"))}, "coupons_used"),
        ({"bill_types": (BillType.REFUND, BillType.EXPENDITURE)}, "settlement"),
        ({"cycle": Period.parse("2024Q2")}, "cycle"),
    ],
)
def test_bad_columns_name_their_field(changes: dict[str, Any], field: str) -> None:
    """R-BILL-03 (C-01), R-BILL-17 (C-02): the BillLine checks hold for columns, naming the column."""
    with pytest.raises(InvalidArgumentError) as caught:
        columns(**changes)
    assert caught.value.argument == field


def test_settle_column_matches_settle_line_by_line() -> None:
    """R-BILL-01 (I-01): the column settles exactly as settle() does."""
    amounts = [Decimal("1000"), Decimal("10.01"), Decimal("0.0000001")]
    rate = Rate.from_percent(23)
    assert settle_column(amounts, rate) == tuple(
        settle(Money.of(a, "USD"), rate).amount for a in amounts
    )
    with pytest.raises(InvalidArgumentError):
        settle_column(amounts, Decimal("0.2"))  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError):
        settle_column([Decimal("Infinity")], rate)


def test_from_lines_needs_one_customer_and_currency() -> None:
    """R-BILL-14: one partition is one customer of one partner and cycle, in one currency."""
    with pytest.raises(InvalidArgumentError):
        CustomerColumns.from_lines([])
    with pytest.raises(InvalidArgumentError):
        CustomerColumns.from_lines([line("a", "1"), line("b", "1", customer="B")])
    eur = Money.of(1, "EUR")
    euro = attrs.evolve(
        line("e", "1"), customer_expenditure=eur, settlement_amount=eur,
        coupons_used=eur * 0, tax=eur * 0,
    )  # fmt: skip
    with pytest.raises(InvalidArgumentError):
        CustomerColumns.from_lines([line("a", "1"), euro])


def test_run_customer_refuses_bad_arguments() -> None:
    """Bad input gets a clear error: wrong types and duplicate coupon ids."""
    good = columns()
    with pytest.raises(InvalidArgumentError):
        run_customer(object(), [], rounding=POLICY)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError):
        run_customer(good, [], rounding="half-up")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError):
        run_customer(good, ["K"], rounding=POLICY)  # type: ignore[list-item]
    twice = coupon("K", "1", valid_to="2024-12-31 00:00")
    with pytest.raises(InvalidArgumentError):
        run_customer(good, [twice, twice], rounding=POLICY)


def test_expiry_single_use_and_deductions_match_the_object_path() -> None:
    """R-BILL-27, DC-09, DC-10: an expired coupon forfeits; a single-use one is used once."""
    lines = [
        line("a", "30", when="2024-05-03 10:00"),
        line("b", "20", when="2024-05-20 10:00"),
        line("c", "20", when="2024-05-21 10:00", kind=BillType.ADJUSTMENT),
    ]
    wallet = [
        coupon("early", "100", valid_to="2024-05-10 00:00", customer="A"),
        coupon("once", "100", valid_to="2024-12-31 00:00", customer="A", multi_use=False),
        coupon("other", "5", valid_to="2024-05-05 00:00", customer="B"),
    ]
    objects = apply_coupons(lines, wallet)
    run = run_customer(CustomerColumns.from_lines(lines), wallet, rounding=POLICY)
    assert run.deductions == objects.deductions
    assert run.forfeits == objects.forfeits
    assert run.coupons == objects.coupons
    assert run.partial == close_customer(P, MAY, objects.lines, policy=POLICY)
    assert [c.status for c in run.coupons] == [
        CouponStatus.INVALID, CouponStatus.USED, CouponStatus.INVALID,
    ]  # fmt: skip
    assert run.coupons_used == (Decimal("30"), Decimal("20"), Decimal("0"))
    assert run.deductions[0].amount == usd("30")
