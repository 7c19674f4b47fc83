"""Multi-tier repricing: R-BILL-72 and DC-19 as effective-dated data."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.support.world import at

from partnerkit.billing import (
    Override,
    RebillingBasis,
    RepricingConfig,
    add_config,
    config_in_effect,
    reprice,
    reprice_chain,
)
from partnerkit.errors import InvalidArgumentError, RuleViolationError
from partnerkit.money import Money
from partnerkit.periods import Period


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


def config(
    seller: str = "d1",
    buyer: str = "r1",
    month: str = "2024M7",
    percent: str = "-10",
    basis: RebillingBasis = RebillingBasis.LIST_PRICE,
    overrides: tuple[Override, ...] = (),
) -> RepricingConfig:
    return RepricingConfig(
        seller=seller,
        buyer=buyer,
        effective_from=Period.parse(month),
        percent=Decimal(percent),
        basis=basis,
        overrides=overrides,
    )


def test_first_matching_override_wins() -> None:
    """R-BILL-72 as data: ordered product-group overrides, only the first match applies."""
    c = config(
        percent="5",
        basis=RebillingBasis.SELLER_COST,
        overrides=(
            Override(
                products={"cdn", "obs"}, percent=Decimal("-2"), basis=RebillingBasis.LIST_PRICE
            ),
            Override(products={"cdn"}, percent=Decimal("50")),
        ),
    )
    assert reprice(usd("100"), usd("80"), "cdn", c)[0] == usd("98.00")
    assert reprice(usd("100"), usd("80"), "ecs", c)[0] == usd("84.00")
    price, trace = reprice(usd("100"), usd("80"), "obs", c)
    assert trace.result() == price
    assert "override 0" in trace.explain()


def test_two_tiers_do_not_compound() -> None:
    """DC-19 / R-BILL-72 / R-ELIG-126: each tier prices its direct buyer; the chain must link."""
    d_to_r = config(percent="-10")
    r_to_c = config(seller="r1", buyer="alice", percent="5", basis=RebillingBasis.SELLER_COST)
    chain = reprice_chain(usd("100.00"), "ecs", [d_to_r, r_to_c], vendor_cost=usd("75.00"))
    assert chain.prices == (usd("90.00"), usd("94.50"))
    list_based = config(seller="r1", buyer="alice", percent="5", basis=RebillingBasis.LIST_PRICE)
    assert reprice_chain(usd("100.00"), "ecs", [d_to_r, list_based]).prices[1] == usd("105.00")
    with pytest.raises(InvalidArgumentError) as caught:
        reprice_chain(usd("100"), "ecs", [d_to_r, config(seller="r2", buyer="bob")])
    assert caught.value.rule_id == "R-BILL-72"


def test_effective_dated_by_month() -> None:
    """Repricing takes effect on a month boundary; the latest started config applies."""
    configs = [config(month="2024M7", percent="-10"), config(month="2024M9", percent="-20")]
    june = config_in_effect(configs, seller="d1", buyer="r1", month=Period.parse("2024M6"))
    assert june is None
    august = config_in_effect(configs, seller="d1", buyer="r1", month=Period.parse("2024M8"))
    assert august is not None
    assert august.percent == Decimal(-10)
    later = config_in_effect(configs, seller="d1", buyer="r1", month=Period.parse("2025M1"))
    assert later is not None
    assert later.percent == Decimal(-20)
    with pytest.raises(InvalidArgumentError):
        RepricingConfig(
            seller="d", buyer="r", effective_from=Period.parse("2024Q3"), percent=Decimal(1)
        )
    with pytest.raises(InvalidArgumentError):
        config(percent="-100.01")


def test_new_configs_are_for_future_months() -> None:
    """A config for the current month is only a correction; past months never; one per month."""
    now = at("2024-07-15 10:00")
    held = add_config((), config(month="2024M8"), as_of=now)
    with pytest.raises(RuleViolationError):
        add_config(held, config(month="2024M8", percent="-5"), as_of=now)
    corrected = add_config(held, config(month="2024M8", percent="-5"), as_of=now, correction=True)
    assert [c.percent for c in corrected] == [Decimal(-5)]
    with pytest.raises(RuleViolationError):
        add_config(held, config(month="2024M7"), as_of=now)
    assert len(add_config(held, config(month="2024M7"), as_of=now, correction=True)) == 2
    with pytest.raises(RuleViolationError):
        add_config(held, config(month="2024M6"), as_of=now, correction=True)


@pytest.mark.rules("R-BILL-72")
@given(
    st.decimals(min_value=0, max_value=100_000, places=2),
    st.lists(st.decimals(min_value=-100, max_value=100, places=2), min_size=1, max_size=4),
)
def test_chain_traces_recompute_every_price(list_price: Decimal, percents: list[Decimal]) -> None:
    """R-BILL-72: each tier's price is its basis plus its adjustment, exactly, as its trace says."""
    sellers = [f"t{i}" for i in range(len(percents) + 1)]
    chain = [
        RepricingConfig(
            seller=sellers[i],
            buyer=sellers[i + 1],
            effective_from=Period.parse("2024M7"),
            percent=p,
        )
        for i, p in enumerate(percents)
    ]
    result = reprice_chain(Money.of(list_price, "USD"), "ecs", chain)
    cost = Money.of(list_price, "USD")
    for price, trace, p in zip(result.prices, result.traces, percents, strict=True):
        assert trace.result() == price
        assert price * 100 == cost * 100 + cost * p
        cost = price


def test_alibaba_tier_discount_applies_only_once_approved() -> None:
    """R-CUST-112 / R-BILL-72: the BD starts the application; the discount applies after approval."""
    import attrs

    pending = attrs.evolve(config(month="2024M9", percent="-20"), approved=False)
    configs = [config(month="2024M7", percent="-10"), pending]
    month = Period.parse("2024M10")
    before = config_in_effect(configs, seller="d1", buyer="r1", month=month)
    assert before is not None
    assert before.percent == Decimal(-10)
    approved = [configs[0], attrs.evolve(pending, approved=True)]
    after = config_in_effect(approved, seller="d1", buyer="r1", month=month)
    assert after is not None
    assert after.percent == Decimal(-20)
