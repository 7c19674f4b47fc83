"""Invariants of bill arithmetic: identities, exact merges, coupon conservation, order independence."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.support.world import at

from partnerkit.billing import (
    BillingMode,
    BillLine,
    BillStatus,
    BillType,
    Coupon,
    CouponKind,
    CouponPolicy,
    CouponStatus,
    CustomerColumns,
    PartnerBill,
    TaxPolicy,
    apply_coupons,
    apply_tax,
    close_customer,
    close_month,
    coupon_applies,
    fixed_price_settlement,
    merge_partials,
    outstanding,
    rounding_for_cycle,
    run_customer,
    settle,
    usage_days_ratio,
    usage_in_pricing_unit,
)
from partnerkit.ids import CustomerId, PartnerId
from partnerkit.money import Money, Rate, Rounding, total
from partnerkit.periods import Period

P = PartnerId("p1")
CYCLE = Period.parse("2024M5")
START = at("2024-05-01 00:00")
CUSTOMERS = (CustomerId("A"), CustomerId("B"), CustomerId("C"))
MODES = (BillingMode.PAY_PER_USE, BillingMode.YEARLY_MONTHLY)

amounts = st.decimals(min_value=0, max_value=10_000, places=7, allow_nan=False)
coupon_amounts = st.decimals(min_value=0, max_value=500, places=2, allow_nan=False)


@st.composite
def bill_lines(draw: st.DrawFn, *, types: tuple[BillType, ...] = tuple(BillType)) -> list[BillLine]:
    count = draw(st.integers(min_value=1, max_value=12))
    lines = []
    for i in range(count):
        kind = draw(st.sampled_from(types))
        amount: Decimal = draw(amounts)
        if kind is BillType.REFUND or (kind is BillType.ADJUSTMENT and draw(st.booleans())):
            amount = -amount
        settlement = Money.of(amount, "USD")
        coupons = Money.of(0, "USD")
        if kind is BillType.EXPENDITURE and draw(st.booleans()):
            coupons = Money.of(
                draw(st.decimals(min_value=0, max_value=amount, places=7, allow_nan=False)), "USD"
            )
        lines.append(
            BillLine(
                line_id=f"L{i}",
                customer_id=CustomerId(draw(st.sampled_from(CUSTOMERS))),
                partner_id=P,
                cycle=CYCLE,
                bill_type=kind,
                billing_mode=draw(st.sampled_from(MODES)),
                product_code=draw(st.sampled_from(("ecs", "obs", "rds"))),
                order_or_txn_id=f"T{draw(st.integers(0, 3))}",
                transaction_time=START + timedelta(hours=draw(st.integers(0, 24 * 30))),
                customer_expenditure=settlement,
                settlement_amount=settlement,
                coupons_used=coupons,
                tax=Money.of(0, "USD") if kind is not BillType.EXPENDITURE else Money.of(1, "USD"),
                marketplace=draw(st.booleans()),
            )
        )
    return lines


@st.composite
def wallets(draw: st.DrawFn) -> list[Coupon]:
    count = draw(st.integers(min_value=0, max_value=6))
    coupons = []
    for i in range(count):
        start = START - timedelta(days=draw(st.integers(0, 3)))
        kind = draw(st.sampled_from(tuple(CouponKind)))
        rate = Rate.from_percent(draw(st.integers(1, 100))) if kind is CouponKind.DISCOUNT else None
        coupons.append(
            Coupon(
                kind=kind,
                discount_rate=rate,
                coupon_id=f"K{i}",
                balance=Money.of(draw(coupon_amounts), "USD"),
                valid_from=start,
                valid_to=START + timedelta(days=draw(st.integers(0, 40))),
                billing_modes=draw(st.sets(st.sampled_from(MODES), min_size=1)),
                customer_id=draw(st.sampled_from((None, *CUSTOMERS))),
                multi_use=draw(st.booleans()),
                excluded_products=draw(st.sets(st.sampled_from(("obs", "rds")), max_size=1)),
                marketplace=draw(st.booleans()),
                spend_before=draw(
                    st.none() | st.integers(0, 30).map(lambda d: START + timedelta(days=d))
                ),
            )
        )
    return coupons


@pytest.mark.rules("R-BILL-03", "R-BILL-04")
@given(bill_lines())
def test_line_identities_hold_and_traces_recompute(lines: list[BillLine]) -> None:
    """R-BILL-03/04 (I-03, I-04): amount due = settlement - coupons + tax; the trace agrees."""
    for ln in lines:
        assert ln.amount_due == ln.settlement_amount - ln.coupons_used + ln.tax
        assert ln.trace().result() == ln.amount_due


@pytest.mark.rules("R-BILL-07", "R-BILL-09", "R-BILL-19")
@given(bill_lines(), st.randoms(use_true_random=False), st.integers(1, 4))
def test_partials_merge_exactly_in_any_order(
    lines: list[BillLine], rnd: random.Random, workers: int
) -> None:
    """R-BILL-07, R-BILL-09, R-BILL-19 (I-09..I-11, I-13): any partition, any merge order, same bill."""
    policy = rounding_for_cycle(CYCLE)
    whole = close_month(P, CYCLE, lines)
    shuffled = list(lines)
    rnd.shuffle(shuffled)
    chunks = [shuffled[i::workers] for i in range(workers)]
    partials = [close_customer(P, CYCLE, c, policy=policy) for c in chunks if c]
    rnd.shuffle(partials)
    merged = merge_partials(partials, policy=policy)
    assert merged == whole
    exact = total((ln.amount_due for ln in lines), currency="USD")
    assert whole.monthly_total == exact
    assert whole.displayed_total == exact.round(2, rounding=Rounding.HALF_UP)
    assert whole.amount_due == max(whole.displayed_total, Money.of(0, "USD"))
    assert total((m for _, m in whole.by_product), currency="USD") == exact
    assert total((m for _, m in whole.by_customer), currency="USD") == exact
    assert whole.trace().result() == whole.amount_due


@pytest.mark.rules("R-BILL-27", "R-BILL-28", "R-BILL-29")
@given(bill_lines(), wallets())
def test_coupons_conserve_money_and_never_make_a_line_negative(
    lines: list[BillLine], coupons: list[Coupon]
) -> None:
    """R-BILL-27..29, C-01, DC-05, DC-09: what coupons lose, lines gain; expiry forfeits; no line below 0."""
    run = apply_coupons(lines, coupons)
    before = total((c.balance for c in coupons), currency="USD")
    after = total((c.balance for c in run.coupons), currency="USD")
    deducted = total((d.amount for d in run.deductions), currency="USD")
    forfeited = total((f.amount for f in run.forfeits), currency="USD")
    assert before == after + deducted
    # an expired coupon keeps its balance on record, INVALID (DC-09); the forfeit names it
    invalid = total(
        (c.balance for c in run.coupons if c.status is CouponStatus.INVALID), currency="USD"
    )
    assert forfeited == invalid
    gained = total(
        (new.coupons_used - old.coupons_used for old, new in zip(lines, run.lines, strict=True)),
        currency="USD",
    )
    assert gained == deducted
    for old, new in zip(lines, run.lines, strict=True):
        assert new.settlement_amount == old.settlement_amount
        if old.bill_type is BillType.EXPENDITURE:
            assert not new.amount_due_ex_tax.is_negative()
        else:
            assert new == old
        assert run.trace(new.line_id).result() == new.amount_due
    for coupon in run.coupons:
        assert not coupon.balance.is_negative()
        touched = any(d.coupon_id == coupon.coupon_id for d in run.deductions)
        if touched and coupon.balance.is_zero() and coupon.status is not CouponStatus.INVALID:
            assert coupon.status is CouponStatus.USED


@pytest.mark.rules("R-BILL-27")
@given(bill_lines(), wallets(), st.randoms(use_true_random=False))
def test_coupon_run_does_not_depend_on_input_order(
    lines: list[BillLine], coupons: list[Coupon], rnd: random.Random
) -> None:
    """R-BILL-27, DC-07, DC-08: the deduction sequence is a total order, so input order is irrelevant."""
    run = apply_coupons(lines, coupons)
    lines2, coupons2 = list(lines), list(coupons)
    rnd.shuffle(lines2)
    rnd.shuffle(coupons2)
    run2 = apply_coupons(lines2, coupons2)
    assert {ln.line_id: ln for ln in run.lines} == {ln.line_id: ln for ln in run2.lines}
    assert {c.coupon_id: c for c in run.coupons} == {c.coupon_id: c for c in run2.coupons}
    assert run.deductions == run2.deductions


@pytest.mark.rules("R-BILL-28")
@given(bill_lines(types=(BillType.EXPENDITURE,)), wallets())
def test_general_coupons_pay_only_after_the_customers_own(
    lines: list[BillLine], coupons: list[Coupon]
) -> None:
    """R-BILL-28: on a line, no 'All' coupon deducts while an applicable customer coupon of the
    same kind group still holds money; kinds go discounts, vouchers, then cash and test."""
    run = apply_coupons(lines, coupons)
    groups = CouponPolicy().kind_order
    for ln in run.lines:
        on_line = [d for d in run.deductions if d.line_id == ln.line_id]
        used = [next(c for c in coupons if c.coupon_id == d.coupon_id) for d in on_line]
        keys = [
            (next(n for n, g in enumerate(groups) if c.kind in g), c.customer_id is None)
            for c in used
        ]
        assert keys == sorted(keys)
        assert sum(c.kind is CouponKind.VOUCHER for c in used) <= 1


@pytest.mark.rules("R-BILL-29")
@given(bill_lines(), wallets(), st.data())
def test_the_hot_path_agrees_with_the_explained_decision(
    lines: list[BillLine], coupons: list[Coupon], data: st.DataObject
) -> None:
    """R-BILL-29: the bill run's fast applicability test equals ``coupon_applies(...).allowed``."""
    from partnerkit.billing.coupons import _applies

    for coupon in coupons:
        coupon = attrs.evolve(
            coupon,
            excluded_products=data.draw(st.sets(st.sampled_from(("ecs", "obs")))),
            reseller_id=data.draw(st.sampled_from((None, P, PartnerId("p2")))),
            marketplace=data.draw(st.booleans()),
            status=data.draw(st.sampled_from(CouponStatus)),
        )
        for ln in lines:
            ln = attrs.evolve(ln, marketplace=data.draw(st.booleans()))
            assert _applies(coupon, ln) == coupon_applies(coupon, ln).allowed


@pytest.mark.rules("R-BILL-07", "R-BILL-27", "R-BILL-28", "R-BILL-29")
@given(bill_lines(), wallets(), st.sampled_from(("2021M5", "2021M6", "2024M5")))
def test_columnar_run_equals_the_object_path(
    lines: list[BillLine], coupons: list[Coupon], era: str
) -> None:
    """The columnar bill run gives exactly the object path's figures (R-BILL-07, 27..29).

    For each customer partition: the partial, the coupons after, every
    deduction and forfeit, and each line's coupons used, under each rounding
    era (per-line truncation, per-period rounding, monthly total).
    """
    policy = rounding_for_cycle(Period.parse(era))
    for customer in sorted({ln.customer_id for ln in lines}):
        mine = [ln for ln in lines if ln.customer_id == customer]
        objects = apply_coupons(mine, coupons)
        expected = close_customer(P, CYCLE, objects.lines, policy=policy)
        run = run_customer(CustomerColumns.from_lines(mine), coupons, rounding=policy)
        assert run.partial == expected
        assert [str(m.amount) for _, m in run.partial.by_product] == [
            str(m.amount) for _, m in expected.by_product
        ]
        assert run.coupons == objects.coupons
        assert run.deductions == objects.deductions
        assert run.forfeits == objects.forfeits
        assert run.coupons_used == tuple(ln.coupons_used.amount for ln in objects.lines)


rates = st.integers(min_value=0, max_value=100).map(Rate.from_percent)


@pytest.mark.rules("R-BILL-01", "R-BILL-02", "R-BILL-05", "R-BILL-06", "R-BILL-18")
@given(
    amounts,
    rates,
    st.decimals(min_value=0, max_value=1000, places=4, allow_nan=False),
    st.integers(0, 31),
    st.sampled_from((28, 29, 30, 31)),
    st.decimals(min_value=Decimal("0.0001"), max_value=10_000, places=4, allow_nan=False),
    st.decimals(min_value=Decimal("0.01"), max_value=50, places=4, allow_nan=False),
)
def test_pricing_identities_hold_for_any_input(
    expenditure: Decimal,
    discount: Rate,
    usage: Decimal,
    days: int,
    month_days: int,
    factor: Decimal,
    fx: Decimal,
) -> None:
    """I-01, I-02, I-06, I-07, I-12 (R-BILL-01, 02, 05, 06, 18) for any input.

    I-01: settlement = expenditure x (1 - discount); I-02 with the usage-days
    ratio of I-06 (valid days / days in month, never above 1); I-07 truncates
    toward zero to 10 places and never adds usage; I-12 converts exactly and
    rounds half-up once.
    """
    spent = Money.of(expenditure, "USD")
    settled = settle(spent, discount)
    assert settled == spent - spent * discount
    assert Money.of(0, "USD") <= settled <= spent
    valid = min(days, month_days)
    ratio = usage_days_ratio(288 * valid, month_days)
    assert ratio * month_days == valid
    unit = Money.of("0.05", "USD")
    fixed = fixed_price_settlement(unit, usage, usage_days=ratio)
    assert fixed == unit * usage * ratio
    in_unit = usage_in_pricing_unit(usage, factor)
    assert in_unit <= usage / factor < in_unit + Decimal("1e-10")
    bill = close_month(P, CYCLE, [attrs.evolve(_one_line(settled), tax=Money.of(0, "USD"))])
    local = bill.local_amount_due("CNY", rate=fx)
    exact = bill.amount_due.amount * fx
    assert local == Money.of(exact, "CNY").round(2, rounding=Rounding.HALF_UP)


def _one_line(settlement: Money) -> BillLine:
    return BillLine(
        line_id="L",
        customer_id=CustomerId("A"),
        partner_id=P,
        cycle=CYCLE,
        bill_type=BillType.EXPENDITURE,
        billing_mode=BillingMode.PAY_PER_USE,
        product_code="ecs",
        order_or_txn_id="T",
        transaction_time=START,
        customer_expenditure=settlement,
        settlement_amount=settlement,
        coupons_used=Money.of(0, "USD"),
        tax=Money.of(0, "USD"),
    )


@pytest.mark.rules("R-BILL-04", "R-BILL-10")
@given(
    bill_lines(types=(BillType.EXPENDITURE,)),
    st.integers(0, 30),
    st.lists(st.tuples(amounts, amounts), min_size=1, max_size=6),
)
def test_tax_and_outstanding_identities_hold(
    lines: list[BillLine], tax_percent: int, dues: list[tuple[Decimal, Decimal]]
) -> None:
    """I-05 / I-08 (R-BILL-04): tax is the region's rate on the post-coupon amount, and the
    line's amount due is settlement - coupons + tax; I-14 (R-BILL-10): outstanding = the
    latest cycle's unpaid fees + earlier cycles' unpaid fees."""
    policy = TaxPolicy(rates={"SG": Rate.from_percent(tax_percent)})
    for ln in lines:
        taxed = apply_tax(ln, region="SG", policy=policy)
        assert taxed.tax == taxed.amount_due_ex_tax * Rate.from_percent(tax_percent)
        assert taxed.amount_due == ln.settlement_amount - ln.coupons_used + taxed.tax
        assert apply_tax(ln, region="XX", policy=policy).tax.is_zero()
    bills = []
    for index, (due, paid) in enumerate(dues):
        high, low = max(due, paid), min(due, paid)
        bill = PartnerBill.estimate(
            P, CYCLE.shift(-index), Money.of(high, "USD").round(2, rounding=Rounding.DOWN)
        )
        paid_money = Money.of(low, "USD").round(2, rounding=Rounding.DOWN)
        status = BillStatus.PAID if paid_money == bill.amount_due else BillStatus.PARTIALLY_PAID
        bills.append(attrs.evolve(bill, paid=paid_money, status=status))
    owed = outstanding(bills, latest=CYCLE)
    assert owed.current == bills[0].outstanding
    assert owed.previous == total((b.outstanding for b in bills[1:]), currency="USD")
    assert owed.total == owed.current + owed.previous
