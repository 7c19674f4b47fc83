"""A quarter's incentive run against a hand-written plain-Decimal loop measured in the same run.

1,000,000 revenue lines of 2024Q3 over 10,000 partners (100 each), under a
quarterly rebate paying a rate per partner tier (``ByTier``: Gold 8 %,
Silver 5 %, Bronze 3 %, R-INC-15).  About 5 % of the lines are
unsubscriptions (negative, R-INC-05), 20 % carry a partner discount and 10 %
a vendor coupon (both deducted, R-INC-02, R-INC-07), and about 2 % are on a
product classed "no revenue or rebate" (R-INC-03).  Both paths start from the
same raw rows and produce each partner's exact eligible base and its earning
rounded once, half-up, to 2 places (DC-INC-01).  The script asserts that the
per-partner figures and the grand totals are identical, then prints lines/s
and ratios.

Two ratios are printed: ``calculate`` per partner on lines already built
(what a service does with lines loaded from storage; grouping included), and
the whole run from the raw rows (building validated ``RevenueLine`` values
too).  Target for the issue: ratio >= 0.2.  ``INCENTIVE_RUN_PARTNERS``
scales it down.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Context, Decimal

from partnerkit.ids import CustomerId, PartnerId
from partnerkit.incentives.calculate import calculate
from partnerkit.incentives.policy import ByTier, IncentivePolicy
from partnerkit.incentives.revenue import (
    OrderType,
    ProductClass,
    ProductClassification,
    RevenueLine,
)
from partnerkit.money import Currency, Money, scale
from partnerkit.periods import GMT_PLUS_8, Period, PeriodKind

PARTNERS = int(os.environ.get("INCENTIVE_RUN_PARTNERS", "10000"))
LINES_PER_PARTNER = 100
CUSTOMERS_PER_PARTNER = 10
USD = Currency("USD")
QUARTER = Period.quarter(2024, 3)
FIRST_DAY = QUARTER.first_day
AS_OF = datetime(2024, 10, 6, tzinfo=GMT_PLUS_8)
TIERS = ("Gold", "Silver", "Bronze")
RATES = {"Gold": Decimal("0.08"), "Silver": Decimal("0.05"), "Bronze": Decimal("0.03")}
NO_REBATE = "hws.service.type.aics"
PRODUCTS = tuple(f"svc{n:02d}" for n in range(40))
EXACT = Context(prec=60)
CENT = Decimal("0.01")

POLICY = IncentivePolicy(
    policy_id="q-rebate",
    name="Quarterly rebate",
    period_kind=PeriodKind.QUARTER,
    schedule=ByTier(rates=RATES),
)
CLASSIFICATIONS = (
    ProductClassification(
        product_code=NO_REBATE,
        effective_month=Period.month(2024, 1),
        incentive_policy=ProductClass.NO_REVENUE_OR_REBATE,
    ),
)

# partner, customer, unsubscription?, product, day of the quarter, amount, discount, coupons
Row = tuple[str, str, bool, str, int, Decimal, Decimal, Decimal]
Figures = dict[str, tuple[Decimal, Decimal]]  # partner -> (exact base, rounded earning)


def _tier(partner: str) -> str:
    return TIERS[int(partner[1:]) % len(TIERS)]


def _data() -> list[Row]:
    rng = random.Random(20240701)
    days = QUARTER.days
    rows: list[Row] = []
    for p in range(PARTNERS):
        partner = f"p{p:05d}"
        for _ in range(LINES_PER_PARTNER):
            customer = f"c{p:05d}-{rng.randrange(CUSTOMERS_PER_PARTNER)}"
            product = NO_REBATE if rng.random() < 0.02 else PRODUCTS[rng.randrange(len(PRODUCTS))]
            unsubscription = rng.random() < 0.05
            units = rng.randrange(1, 500_000_000)  # up to 5,000 USD with 5 places
            discount = units * rng.randrange(5, 26) // 100 if rng.random() < 0.2 else 0
            coupons = rng.randrange(0, (units - discount) // 2 + 1) if rng.random() < 0.1 else 0
            rows.append(
                (
                    partner,
                    customer,
                    unsubscription,
                    product,
                    rng.randrange(days),
                    scale(Decimal(units), -5),
                    scale(Decimal(discount), -5),
                    scale(Decimal(coupons), -5),
                )
            )
    return rows


def _build(rows: list[Row]) -> list[RevenueLine]:
    days = [FIRST_DAY + timedelta(days=n) for n in range(QUARTER.days)]
    lines = []
    for i, (partner, customer, unsub, product, day, amount, discount, coupons) in enumerate(rows):
        lines.append(
            RevenueLine(
                revenue_id=f"R{i:07d}",
                partner_id=PartnerId(partner),
                customer_id=CustomerId(customer),
                order_type=OrderType.UNSUBSCRIPTION if unsub else OrderType.SUBSCRIPTION,
                product_code=product,
                generated_on=days[day],
                amount=Money(amount, USD),
                partner_discount=Money(discount, USD) if discount else None,
                vendor_coupons=Money(coupons, USD) if coupons else None,
            )
        )
    return lines


def _partnerkit_run(lines: list[RevenueLine]) -> Figures:
    """Group the lines per partner and ``calculate`` each partner's earning."""
    by_partner: dict[PartnerId, list[RevenueLine]] = {}
    for line in lines:
        by_partner.setdefault(line.partner_id, []).append(line)
    figures: Figures = {}
    for partner, group in by_partner.items():
        earning = calculate(
            POLICY,
            group,
            partner_id=partner,
            period=QUARTER,
            as_of=AS_OF,
            tier=_tier(partner),
            classifications=CLASSIFICATIONS,
        )
        figures[partner] = (earning.base.amount, earning.amount.amount)
    return figures


def _whole(rows: list[Row]) -> Figures:
    return _partnerkit_run(_build(rows))


def _baseline(rows: list[Row]) -> Figures:
    """Plain Decimal: signed discounted base per partner, times the tier rate, rounded once."""
    add, sub, mul = EXACT.add, EXACT.subtract, EXACT.multiply
    excluded_from = Period.month(2024, 1).first_day
    excluded_days = {
        n for n in range(QUARTER.days) if FIRST_DAY + timedelta(days=n) >= excluded_from
    }
    bases: dict[str, Decimal] = {}
    zero = Decimal(0)
    for partner, _customer, unsub, product, day, amount, discount, coupons in rows:
        if product == NO_REBATE and day in excluded_days:
            continue
        eligible = sub(sub(amount, discount), coupons)
        base = bases.get(partner, zero)
        bases[partner] = sub(base, eligible) if unsub else add(base, eligible)
    return {
        partner: (
            base,
            mul(base, RATES[_tier(partner)]).quantize(CENT, rounding=ROUND_HALF_UP, context=EXACT),
        )
        for partner, base in bases.items()
    }


def _best(fn: Callable[[], object], repeat: int = 2) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def _totals(figures: Figures) -> tuple[Decimal, Decimal]:
    base = sum((b for b, _ in figures.values()), Decimal(0))
    earned = sum((e for _, e in figures.values()), Decimal(0))
    return base, earned


def run() -> None:
    rows = _data()
    count = len(rows)
    lines = _build(rows)
    ours = _partnerkit_run(lines)
    theirs = _baseline(rows)
    assert ours.keys() == theirs.keys(), "the same partners"
    for partner, figures in theirs.items():
        assert ours[partner] == figures, (partner, ours[partner], figures)
    base, earned = _totals(theirs)
    assert _totals(ours) == (base, earned), (_totals(ours), base, earned)
    excluded = sum(1 for r in rows if r[3] == NO_REBATE)
    negative = sum(1 for r in rows if r[2])

    baseline = _best(lambda: _baseline(rows))
    prebuilt = _best(lambda: _partnerkit_run(lines))
    whole = _best(lambda: _whole(rows), repeat=1)
    print(
        f"lines {count:,} over {PARTNERS:,} partners in {QUARTER}, ByTier 8/5/3 %;"
        f" {negative:,} unsubscriptions, {excluded:,} on a no-rebate product"
    )
    print(f"identical figures for every partner: base {base} USD, earnings {earned} USD")
    print(f"baseline plain-Decimal loop : {count / baseline:12,.0f} lines/s")
    print(
        f"calculate, lines prebuilt   : {count / prebuilt:12,.0f} lines/s"
        f"  ratio {baseline / prebuilt:.2f}  (target >= 0.2; grouped per partner)"
    )
    print(
        f"calculate, from rows        : {count / whole:12,.0f} lines/s"
        f"  ratio {baseline / whole:.2f}"
    )


if __name__ == "__main__":
    run()
