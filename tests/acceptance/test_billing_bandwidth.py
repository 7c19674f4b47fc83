"""95th-percentile bandwidth: EX-10 and EX-27, R-BILL-05 and R-BILL-79..81."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnerkit.billing import (
    HUAWEI_P95,
    P95Policy,
    billable_bandwidth,
    p95_settlement,
)
from partnerkit.errors import InvalidArgumentError, RuleViolationError
from partnerkit.money import Money, Rate
from partnerkit.periods import Period

SEPT = Period.parse("2024M9")
DAY = [Decimal(n) for n in range(1, 289)]
ZERO_DAY = [Decimal(0)] * 288


def test_ex27_one_day_bills_the_274th_value() -> None:
    """EX-27 unit test: R-BILL-81 / DC-20, k = floor(14.4) = 14, so 274 Mbit/s; ratio 1/30."""
    assert billable_bandwidth(DAY) == Decimal(274)
    result = p95_settlement(
        "cdn", {date(2024, 9, 2): DAY}, cycle=SEPT, unit_price=Money.of("3", "USD")
    )
    assert result.billable_bandwidth == Decimal(274)
    assert result.valid_days == 1
    assert result.settlement_amount == Money.of("27.4", "USD")
    assert result.trace().result() == result.settlement_amount


def test_ex27_fifteen_valid_days_bill_the_217th_highest() -> None:
    """EX-27 / EX-10: R-BILL-80 valid days only; N = 4320, k = 216, ratio 15/30."""
    samples = {date(2024, 9, d): [Decimal(d * 1000 + n) for n in range(288)] for d in range(1, 16)}
    samples |= {date(2024, 9, d): ZERO_DAY for d in range(16, 31)}
    result = p95_settlement("obs", samples, cycle=SEPT, unit_price=Money.of("2", "USD"))
    everything = sorted((v for day in samples.values() for v in day if v), reverse=True)
    assert result.samples == 4320
    assert result.valid_days == 15
    assert result.billable_bandwidth == everything[216]
    assert result.usage_days_ratio == Decimal("0.5")
    assert result.settlement_amount == Money.of(everything[216], "USD")


def test_only_eligible_products_bill_by_percentile() -> None:
    """R-BILL-79: an ECS line cannot be P95-billed; the policy lists the products."""
    with pytest.raises(RuleViolationError) as caught:
        p95_settlement("ecs", {}, cycle=SEPT, unit_price=Money.of("1", "USD"))
    assert caught.value.rule_id == "R-BILL-79"
    assert "ecs" in P95Policy(products={"ecs"}).products
    assert "cdn" in HUAWEI_P95.products


def test_partial_days_and_foreign_days_are_rejected() -> None:
    """R-BILL-05: whole days of 288 samples; days outside the cycle are refused."""
    with pytest.raises(InvalidArgumentError) as caught:
        billable_bandwidth(DAY[:100])
    assert caught.value.rule_id == "R-BILL-05"
    with pytest.raises(InvalidArgumentError):
        p95_settlement(
            "cdn", {date(2024, 9, 1): DAY[:287]}, cycle=SEPT, unit_price=Money.of("1", "USD")
        )
    with pytest.raises(InvalidArgumentError):
        p95_settlement("cdn", {date(2024, 10, 1): DAY}, cycle=SEPT, unit_price=Money.of("1", "USD"))
    with pytest.raises(InvalidArgumentError):
        billable_bandwidth([Decimal(-1)] * 288)
    assert billable_bandwidth([]) == Decimal(0)


def test_a_different_discard_share_is_policy() -> None:
    """DC-20 as policy: a P90 vendor drops the top 10 % (k = 28, bills 260)."""
    p90 = P95Policy(products={"cdn"}, discard=Rate.from_percent(10))
    assert billable_bandwidth(DAY, policy=p90) == Decimal(260)


@pytest.mark.rules("R-BILL-81")
@given(st.lists(st.decimals(min_value=0, max_value=10_000, places=3), min_size=288, max_size=288))
def test_the_billed_sample_is_the_nearest_rank_p95(samples: list[Decimal]) -> None:
    """R-BILL-81: at most 5 % of samples lie strictly above the billed one, and it is a sample."""
    billed = billable_bandwidth(samples)
    assert billed in samples
    assert sum(1 for s in samples if s > billed) <= 14
    assert sum(1 for s in samples if s >= billed) >= 15
