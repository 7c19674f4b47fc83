"""Revenue and incentive statistics (incentives.md 4.5: R-INC-57, R-INC-58, R-INC-59; EX-INC-25)."""

from __future__ import annotations

import random
from datetime import date, datetime
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnerkit.errors import InvalidArgumentError
from partnerkit.ids import CustomerId, PartnerId
from partnerkit.incentives.calculate import calculate
from partnerkit.incentives.policy import Flat, IncentivePolicy
from partnerkit.incentives.revenue import (
    BillingMode,
    OrderType,
    ProductClass,
    ProductClassification,
    RevenueLine,
)
from partnerkit.incentives.statistics import (
    TOP_N,
    Ranked,
    by_billing_mode,
    incentive_statistics,
    monthly_revenue,
    revenue_summary,
    statistics_scope,
    top_customers,
    top_services,
)
from partnerkit.money import Money
from partnerkit.partners import PartnerRole
from partnerkit.periods import GMT_PLUS_8, Period, PeriodKind

CSP = statistics_scope(PartnerId("p1"), PartnerRole.CSP)
JULY = Period.parse("2024M7")


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


def line(
    rid: str,
    amount: str,
    *,
    customer: str = "c1",
    product: str = "ecs",
    day: date = date(2024, 7, 10),
    partner: str = "p1",
    order: OrderType = OrderType.SUBSCRIPTION,
    mode: BillingMode = BillingMode.YEARLY_MONTHLY,
    tax: str | None = None,
) -> RevenueLine:
    return RevenueLine(
        revenue_id=rid,
        partner_id=PartnerId(partner),
        customer_id=CustomerId(customer),
        order_type=order,
        product_code=product,
        generated_on=day,
        amount=usd(amount),
        tax=usd(tax) if tax else None,
        billing_mode=mode,
    )


@pytest.mark.rules("R-INC-57", "DC-INC-30")
def test_monthly_revenue_runs_from_january_to_the_current_month() -> None:
    """Every month up to the current one, zero-filled; tax shown apart; later months ignored."""
    lines = [
        line("A", "2000", day=date(2024, 1, 15), tax="120"),
        line("B", "100", day=date(2024, 1, 20), order=OrderType.UNSUBSCRIPTION),
        line("C", "10.005", day=date(2024, 3, 1)),
        line("D", "999", day=date(2024, 4, 1)),  # after the current month
        line("E", "50", day=date(2023, 12, 31)),  # last year
    ]
    months = monthly_revenue(lines, CSP, up_to=Period.parse("2024M3"))
    assert [str(m.period) for m in months] == ["2024M1", "2024M2", "2024M3"]
    assert [m.total for m in months] == [usd("1900.00"), usd("0.00"), usd("10.01")]
    assert months[2].exact == usd("10.005")
    assert months[0].tax_inclusive == usd("2020.00")  # (2000 + 120) - 100, display only
    assert [m.lines for m in months] == [2, 0, 1]


@pytest.mark.rules("R-INC-57")
def test_top_ten_customers_and_services_of_a_month_and_a_quarter() -> None:
    lines = [
        line(f"L{n:02d}", str(100 + n), customer=f"c{n:02d}", product=f"s{n % 12:02d}")
        for n in range(12)
    ]
    lines.append(line("M1", "500", customer="c00", product="s00", day=date(2024, 8, 2)))
    top = top_customers(lines, CSP, period=JULY)
    assert len(top) == TOP_N
    assert [r.key for r in top] == [f"c{n:02d}" for n in range(11, 1, -1)]
    assert top[0] == Ranked(key="c11", exact=usd("111"), total=usd("111.00"), lines=1)
    quarter = top_customers(lines, CSP, period=Period.parse("2024Q3"))
    assert quarter[0] == Ranked(key="c00", exact=usd("600"), total=usd("600.00"), lines=2)
    services = top_services(lines, CSP, period=Period.parse("2024Q3"), limit=2)
    assert [(r.key, r.total) for r in services] == [("s00", usd("600.00")), ("s11", usd("111.00"))]


@pytest.mark.rules("R-INC-57")
def test_rankings_break_ties_by_id_and_refuse_other_periods() -> None:
    lines = [
        line("1", "5", customer="b"),
        line("2", "5", customer="a"),
        line("3", "5", customer="c"),
    ]
    assert [r.key for r in top_customers(lines, CSP, period=JULY)] == ["a", "b", "c"]
    with pytest.raises(InvalidArgumentError) as caught:
        top_customers(lines, CSP, period=Period.parse("2024Y"))
    assert caught.value.rule_id == "R-INC-57"
    with pytest.raises(InvalidArgumentError):
        top_services(lines, CSP, period=JULY, limit=0)


@pytest.mark.rules("R-INC-57", "R-INC-02", "R-INC-03")
def test_breakdown_by_billing_mode() -> None:
    """Pay-per-use counts; a no-rebate product counts for nothing; every mode is listed."""
    rules = [
        ProductClassification(
            product_code="aics",
            effective_month=Period.parse("2024M1"),
            incentive_policy=ProductClass.NO_REVENUE_OR_REBATE,
        )
    ]
    lines = [
        line("1", "300", mode=BillingMode.PAY_PER_USE),
        line("2", "45.5", mode=BillingMode.PAY_PER_USE, order=OrderType.REFUND),
        line("3", "1000", mode=BillingMode.RI_UPFRONT),
        line("4", "777", mode=BillingMode.RI_UPFRONT, product="aics"),
    ]
    breakdown = by_billing_mode(lines, CSP, period=JULY, classifications=rules)
    shares = {s.billing_mode: (s.total, s.lines) for s in breakdown.shares}
    assert shares == {
        BillingMode.YEARLY_MONTHLY: (usd("0.00"), 0),
        BillingMode.PAY_PER_USE: (usd("254.50"), 2),
        BillingMode.RI_UPFRONT: (usd("1000.00"), 2),
        BillingMode.RI_HOURLY: (usd("0.00"), 0),
    }
    assert breakdown.total == usd("1254.50")


@pytest.mark.rules("R-INC-57", "DC-INC-30")
def test_revenue_summary_with_expenditures_refunds_and_drill_down() -> None:
    lines = [
        line("1", "2000", customer="c1", tax="100"),
        line("2", "100", customer="c1", order=OrderType.UNSUBSCRIPTION),
        line("3", "300.125", customer="c2"),
        line("4", "50", customer="c2", order=OrderType.REFUND),
    ]
    summary = revenue_summary(lines, CSP, period=JULY)
    assert summary.expenditures == usd("2300.125")
    assert summary.refunds == usd("-150")
    assert summary.total == usd("2150.13")
    assert summary.tax_inclusive == usd("2250.13")
    c1 = summary.customer(CustomerId("c1"))
    assert (c1.expenditures, c1.refunds, c1.net) == (usd("2000"), usd("-100"), usd("1900"))
    assert c1.revenue_ids == ("1", "2")
    assert [c.customer_id for c in summary.customers] == ["c1", "c2"]


@pytest.mark.rules("R-INC-59", "R-INC-04")
def test_a_csp_sees_its_own_customers_a_distributor_its_resellers_too() -> None:
    """Same lines, same mapping: the CSP view leaves out the reseller's customer."""
    mapping = {PartnerId("r1"): PartnerId("p1")}
    lines = [line("1", "100", customer="own"), line("2", "400", customer="theirs", partner="r1")]
    as_csp = statistics_scope(PartnerId("p1"), PartnerRole.CSP, mapping)
    as_distributor = statistics_scope(PartnerId("p1"), PartnerRole.DISTRIBUTOR, mapping)
    assert [r.key for r in top_customers(lines, as_csp, period=JULY)] == ["own"]
    assert [r.key for r in top_customers(lines, as_distributor, period=JULY)] == ["theirs", "own"]
    summary = revenue_summary(lines, as_csp, period=JULY)
    assert summary.total == usd("100.00")
    with pytest.raises(InvalidArgumentError) as caught:
        summary.customer(CustomerId("theirs"))
    assert caught.value.rule_id == "R-INC-59"
    reseller = statistics_scope(PartnerId("r1"), PartnerRole.RESELLER, mapping)
    assert [r.key for r in top_customers(lines, reseller, period=JULY)] == ["theirs"]


@attrs.frozen
class Statement:
    """An issued earning as stored: no detail lines kept."""

    partner_id: PartnerId
    period: Period
    policy_id: str
    amount: Money
    lines: tuple[()] = ()


@pytest.mark.rules("R-INC-58", "EX-INC-25", "CF-28")
def test_incentive_summary_of_the_year_ex_inc_25() -> None:
    """EX-INC-25: 1,241.93 + 10.00 = 1,251.93 USD over all customers in 2023."""
    earnings = [
        Statement(PartnerId("p1"), Period.parse("2023Q1"), "quarterly", usd("1241.93")),
        Statement(PartnerId("p1"), Period.parse("2023M5"), "monthly", usd("10.00")),
        Statement(PartnerId("p1"), Period.parse("2022Q4"), "quarterly", usd("99.00")),
        Statement(PartnerId("p2"), Period.parse("2023M5"), "monthly", usd("7.00")),
    ]
    lines = [
        line("1", "1500", day=date(2023, 2, 1)),
        line("2", "25", day=date(2023, 5, 3), order=OrderType.REFUND),
    ]
    stats = incentive_statistics(earnings, lines, CSP, year=2023)
    assert stats.summary.earnings == usd("1251.93")
    assert (stats.summary.expenditures, stats.summary.refunds) == (usd("1500"), usd("-25"))
    assert [(str(t.period), t.amount) for t in stats.trend] == [
        ("2023Q1", usd("1241.93")),
        ("2023M5", usd("10.00")),
    ]
    assert [(p.policy_id, p.amount) for p in stats.programmes] == [
        ("monthly", usd("10.00")),
        ("quarterly", usd("1241.93")),
    ]


@pytest.mark.rules("R-INC-58")
def test_incentive_top_customers_and_services_from_calculated_earnings() -> None:
    policy = IncentivePolicy(
        policy_id="rebate",
        name="Monthly rebate",
        period_kind=PeriodKind.MONTH,
        schedule=Flat(rate=Decimal("0.10")),
    )
    lines = [
        line("1", "100", customer="a", product="ecs", day=date(2024, 7, 1)),
        line("2", "300", customer="b", product="evs", day=date(2024, 7, 2)),
        line("3", "50", customer="a", product="evs", day=date(2024, 8, 1)),
    ]
    as_of = datetime(2024, 9, 10, tzinfo=GMT_PLUS_8)
    earnings = [
        calculate(policy, lines, partner_id=PartnerId("p1"), period=Period.parse(m), as_of=as_of)
        for m in ("2024M7", "2024M8")
    ]
    stats = incentive_statistics(earnings, lines, CSP, year=2024)
    assert [(r.key, r.total) for r in stats.top_customers] == [
        ("b", usd("30.00")),
        ("a", usd("15.00")),
    ]
    assert [(r.key, r.exact) for r in stats.top_services] == [
        ("evs", usd("35.0")),
        ("ecs", usd("10.0")),
    ]
    august = incentive_statistics(earnings, lines, CSP, year=2024, period=Period.parse("2024M8"))
    assert [(r.key, r.total) for r in august.top_customers] == [("a", usd("5.00"))]
    assert stats.summary.earnings == usd("45.00")
    with pytest.raises(InvalidArgumentError):
        incentive_statistics(earnings, lines, CSP, year=2024, period=Period.parse("2023M8"))


MODES = list(BillingMode)


@st.composite
def revenue_lines(draw: st.DrawFn) -> list[RevenueLine]:
    count = draw(st.integers(min_value=0, max_value=25))
    result = []
    for n in range(count):
        cents = draw(st.integers(min_value=1, max_value=10**12))
        result.append(
            line(
                f"R{n:03d}",
                f"{cents // 10**8}.{cents % 10**8:08d}",
                customer=f"c{draw(st.integers(0, 6))}",
                product=f"s{draw(st.integers(0, 4))}",
                order=draw(st.sampled_from(list(OrderType))),
                mode=draw(st.sampled_from(MODES)),
                day=date(2024, 7, draw(st.integers(1, 31))),
            )
        )
    return result


@pytest.mark.rules("R-INC-57")
@given(lines=revenue_lines(), seed=st.integers())
def test_breakdown_sums_exactly_and_rankings_ignore_input_order(
    lines: list[RevenueLine], seed: int
) -> None:
    """For any lines: the billing-mode shares sum exactly to the total; top-N is order free."""
    breakdown = by_billing_mode(lines, CSP, period=JULY)
    assert sum((s.exact.amount for s in breakdown.shares), Decimal(0)) == breakdown.exact.amount
    assert breakdown.exact == revenue_summary(lines, CSP, period=JULY).exact
    shuffled = list(lines)
    random.Random(seed).shuffle(shuffled)
    for top in (top_customers, top_services):
        assert top(shuffled, CSP, period=JULY) == top(lines, CSP, period=JULY)
