"""Properties of the incentive calculation (issue acceptance: order, monotonicity, trace, clawback).

R-INC-01, R-INC-02, R-INC-05, R-INC-07, DC-INC-01, DC-INC-04, DC-INC-06.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

from partnerkit.ids import CustomerId, PartnerId
from partnerkit.incentives.calculate import calculate
from partnerkit.incentives.policy import (
    Accelerator,
    Band,
    ByTier,
    ClawbackMode,
    Flat,
    IncentivePolicy,
    Ladder,
    LadderMode,
    PerProduct,
    Schedule,
)
from partnerkit.incentives.revenue import (
    OrderType,
    ProductClass,
    ProductClassification,
    RevenueLine,
)
from partnerkit.money import Money, total
from partnerkit.periods import Period, PeriodKind

P = PartnerId("p1")
Q = Period.parse("2024Q3")
AS_OF = datetime(2025, 1, 1, tzinfo=UTC)
PRODUCTS = ("ecs", "obs", "evs", "aics")
CLASSES = (
    ProductClassification(
        product_code="aics",
        effective_month=Period.parse("2024M8"),
        incentive_policy=ProductClass.NO_REVENUE_OR_REBATE,
    ),
)

cents = st.integers(min_value=0, max_value=10_000_000).map(lambda n: Decimal(n).scaleb(-2))
rates = st.integers(min_value=0, max_value=100).map(lambda n: Decimal(n).scaleb(-2))


@st.composite
def revenue_lines(draw: st.DrawFn, *, negatives: bool = True) -> RevenueLine:
    amount = draw(cents)
    discount = draw(st.sampled_from([Decimal(0), amount * Decimal("0.1")]))
    order = draw(
        st.sampled_from(
            [OrderType.SUBSCRIPTION, OrderType.RENEWAL, OrderType.UNSUBSCRIPTION]
            if negatives
            else [OrderType.SUBSCRIPTION, OrderType.RENEWAL]
        )
    )
    return RevenueLine(
        revenue_id=f"R{draw(st.integers(0, 10**9))}",
        partner_id=P,
        customer_id=CustomerId(draw(st.sampled_from(["c1", "c2"]))),
        order_type=order,
        product_code=draw(st.sampled_from(PRODUCTS)),
        generated_on=Q.first_day + timedelta(days=draw(st.integers(0, Q.days - 1))),
        amount=Money.of(amount, "USD"),
        vendor_coupons=Money.of(discount, "USD") if discount else None,
        product_line=draw(st.sampled_from([None, "compute", "storage"])),
    )


def unique(lines: list[RevenueLine]) -> list[RevenueLine]:
    return [attrs.evolve(x, revenue_id=f"L{n:04d}") for n, x in enumerate(lines)]


@st.composite
def ladders(draw: st.DrawFn, mode: LadderMode | None = None) -> Ladder:
    lowers = sorted(set(draw(st.lists(st.integers(1, 200_000), max_size=3))))
    bands = [Band(lower="0", rate=draw(rates))]
    bands += [Band(lower=Decimal(x), rate=draw(rates)) for x in lowers]
    return Ladder(bands=tuple(bands), mode=mode or draw(st.sampled_from(list(LadderMode))))


linear: st.SearchStrategy[Schedule] = st.one_of(
    rates.map(lambda r: Flat(rate=r)),
    st.builds(
        lambda a, b, d: PerProduct(rates={"ecs": a, "storage": b}, default=d), rates, rates, rates
    ),
    st.builds(lambda g, s: ByTier(rates={"Gold": g, "Silver": s}, default="0"), rates, rates),
)
schedules: st.SearchStrategy[Schedule] = st.one_of(
    linear,
    ladders(),
    st.builds(
        lambda r, t, m: Accelerator(base=Flat(rate=r), target=t, multiplier=m),
        rates,
        cents,
        st.sampled_from(["1", "1.5", "2"]),
    ),
)


def policy(schedule: Schedule, **extra: Any) -> IncentivePolicy:
    return IncentivePolicy(
        policy_id="p", name="Rebate", period_kind=PeriodKind.QUARTER, schedule=schedule, **extra
    )


def earn(schedule: Schedule, lines: list[RevenueLine], **extra: object) -> Money:
    return calculate(
        policy(schedule, **extra),
        lines,
        partner_id=P,
        period=Q,
        as_of=AS_OF,
        tier="Gold",
        classifications=CLASSES,
    ).amount


@given(
    schedules,
    st.lists(revenue_lines(), max_size=30),
    st.randoms(use_true_random=False),
    st.booleans(),
)
def test_order_independent(
    schedule: Schedule, lines: list[RevenueLine], rnd: object, per_line: bool
) -> None:
    """The earning, its base, its lines and exclusions do not depend on the input order."""
    lines = unique(lines)
    shuffled = list(lines)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    one = calculate(
        policy(schedule, per_line_rounding=per_line),
        lines,
        partner_id=P,
        period=Q,
        as_of=AS_OF,
        tier="Gold",
        classifications=CLASSES,
    )
    two = calculate(
        policy(schedule, per_line_rounding=per_line),
        shuffled,
        partner_id=P,
        period=Q,
        as_of=AS_OF,
        tier="Gold",
        classifications=CLASSES,
    )
    assert (one.amount, one.base, one.exact, one.excluded, one.lines) == (
        two.amount,
        two.base,
        two.exact,
        two.excluded,
        two.lines,
    )


@given(schedules, st.lists(revenue_lines(), max_size=30), st.booleans())
def test_trace_recomputes(schedule: Schedule, lines: list[RevenueLine], per_line: bool) -> None:
    """The trace's steps sum to the earning; its start is the exact eligible base."""
    earning = calculate(
        policy(schedule, per_line_rounding=per_line),
        unique(lines),
        partner_id=P,
        period=Q,
        as_of=AS_OF,
        tier="Gold",
        classifications=CLASSES,
    )
    assert earning.trace.result() == earning.amount
    assert earning.trace.steps[0].amount == earning.base
    assert total((x.eligible for x in earning.lines), currency="USD") == earning.base


@given(
    st.one_of(linear, ladders(LadderMode.MARGINAL)),
    st.lists(revenue_lines(negatives=False), max_size=20),
    revenue_lines(negatives=False),
)
def test_adding_revenue_never_lowers(
    schedule: Schedule, lines: list[RevenueLine], extra: RevenueLine
) -> None:
    """With non-negative rates, an extra eligible line never lowers the earning (flat, per
    product, by tier, marginal ladders)."""
    base = unique(lines)
    more = [*base, attrs.evolve(extra, revenue_id="Z")]
    assert earn(schedule, more) >= earn(schedule, base)


@given(
    ladders(LadderMode.RETROACTIVE),
    st.lists(revenue_lines(negatives=False), max_size=20),
    revenue_lines(negatives=False),
)
def test_retroactive_ladder_only_drops_across_a_threshold(
    schedule: Ladder, lines: list[RevenueLine], extra: RevenueLine
) -> None:
    """DC-INC-06: a whole-amount ladder may earn less after more revenue only when the base
    crossed into a band with a lower rate; within a band, or with rising rates, it never drops."""
    base = unique(lines)
    more = [*base, attrs.evolve(extra, revenue_id="Z")]
    before = calculate(
        policy(schedule), base, partner_id=P, period=Q, as_of=AS_OF, classifications=CLASSES
    )
    after = calculate(
        policy(schedule), more, partner_id=P, period=Q, as_of=AS_OF, classifications=CLASSES
    )
    if after.amount < before.amount:
        low = schedule.band_for(before.base.amount)
        high = schedule.band_for(after.base.amount)
        assert low != high
        assert high.rate < low.rate
    rising = [b.rate for b in schedule.bands] == sorted(b.rate for b in schedule.bands)
    if rising:
        assert after.amount >= before.amount


@given(linear, st.lists(revenue_lines(negatives=False), min_size=1, max_size=15), st.data())
def test_clawback_nets_to_restating(
    schedule: Schedule, lines: list[RevenueLine], data: st.DataObject
) -> None:
    """DC-INC-04: for a linear schedule, a refund booked in the later period it is generated in
    (a negative earning there, ClawbackMode.IN_PERIOD) nets exactly to the RESTATE_ORIGINAL
    policy, which books it back in the sale's period."""
    sales = unique(lines)
    sold = data.draw(st.sampled_from(sales))
    refund = attrs.evolve(
        sold,
        revenue_id="REFUND",
        order_type=OrderType.REFUND,
        generated_on=date(2024, 10, 15),
        reverses_sale_on=sold.generated_on,
    )
    rows = [*sales, refund]
    q4 = Period.parse("2024Q4")

    def exact(mode: ClawbackMode, period: Period) -> Money:
        return calculate(
            policy(schedule, clawback=mode),
            rows,
            partner_id=P,
            period=period,
            as_of=AS_OF,
            tier="Gold",
        ).exact

    in_period = exact(ClawbackMode.IN_PERIOD, Q) + exact(ClawbackMode.IN_PERIOD, q4)
    restated = exact(ClawbackMode.RESTATE_ORIGINAL, Q) + exact(ClawbackMode.RESTATE_ORIGINAL, q4)
    assert in_period == restated
    assert exact(ClawbackMode.RESTATE_ORIGINAL, q4).is_zero()
