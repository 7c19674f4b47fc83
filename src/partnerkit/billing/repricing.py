"""Multi-tier repricing as effective-dated data: distributor → reseller → customer.

A :class:`RepricingConfig` says how a seller prices one buyer from a month on:
a signed percentage on a **rebilling basis** (the list price, or the seller's
own cost), with ordered product-group overrides of which only the **first**
that matches applies.  The distributor → reseller and the reseller → customer
configs have the same shape (Google Channel's model, peers.md B3; Alibaba's
multi-tier discounts, R-BILL-72).  Each tier prices only its direct buyers
from its own basis; percentages never compound across tiers (DC-19).

Configs take effect on a month boundary.  A new config is for a future month;
the current month is allowed only as an explicit correction.

>>> from partnerkit.money import Money
>>> from partnerkit.periods import Period
>>> d_to_r = RepricingConfig(seller="d1", buyer="r1", effective_from=Period.parse("2024M6"),
...                          percent=Decimal("-10"), basis=RebillingBasis.LIST_PRICE)
>>> r_to_c = RepricingConfig(seller="r1", buyer="alice", effective_from=Period.parse("2024M6"),
...                          percent=Decimal("5"), basis=RebillingBasis.SELLER_COST)
>>> chain = reprice_chain(Money.of("100.00", "USD"), "ecs", [d_to_r, r_to_c])
>>> [str(p.amount) for p in chain.prices]
['90.0000', '94.500000']
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterable, Sequence
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Any, final

import attrs

import partnerkit._validators as _v
from partnerkit._construct import checked
from partnerkit.billing.trace import Trace, TraceKind
from partnerkit.errors import InvalidArgumentError, RuleViolationError
from partnerkit.money import Money, scale
from partnerkit.periods import GMT_PLUS_8, Period, PeriodKind, require_aware

__all__ = [
    "ChainPrice",
    "Override",
    "RebillingBasis",
    "RepricingConfig",
    "add_config",
    "config_in_effect",
    "reprice",
    "reprice_chain",
]


class RebillingBasis(enum.Enum):
    """What a tier's percentage multiplies."""

    #: The vendor's official list price.
    LIST_PRICE = "list-price"
    #: The seller's own cost: what the tier above charged it (or the vendor's
    #: settlement for the top tier).
    SELLER_COST = "seller-cost"


def _percent(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Decimal) or not value.is_finite() or value < -100:
        raise InvalidArgumentError(
            attribute.name, value, "a finite Decimal percentage >= -100", rule_id="R-BILL-72"
        )


def _group(value: Iterable[str]) -> frozenset[str]:
    group = frozenset(value)
    if not group or not all(isinstance(p, str) and p for p in group):
        raise InvalidArgumentError("products", value, "a non-empty set of product codes")
    return group


@checked
@final
@attrs.frozen(kw_only=True)
class Override:
    """A product-group override: the first one that matches a product wins."""

    products: frozenset[str] = attrs.field(converter=_group)
    percent: Decimal = attrs.field(validator=_percent)
    basis: RebillingBasis = RebillingBasis.SELLER_COST


def _overrides(value: Iterable[Override]) -> tuple[Override, ...]:
    items = tuple(value)
    if not all(isinstance(o, Override) for o in items):
        raise InvalidArgumentError("overrides", value, "expected Override values")
    return items


@checked
@final
@attrs.frozen(kw_only=True)
class RepricingConfig:
    """How ``seller`` prices ``buyer`` from ``effective_from`` on.

    Attributes:
        seller: The pricing partner (a distributor or a reseller).
        buyer: The reseller or customer priced.
        effective_from: The first month it applies (a month boundary).
        percent: Signed adjustment: ``-10`` marks down 10 %, ``5`` marks up 5 %.
        basis: What the percentage multiplies.
        overrides: Ordered; only the first override whose products include
            the line's product applies.
        approved: Whether it may take effect.  Alibaba's multi-tier discounts
            are started by the business director and apply only once approved
            (R-CUST-112); vendors without approval keep the default ``True``.
    """

    seller: str = attrs.field(validator=_v.text)
    buyer: str = attrs.field(validator=_v.text)
    effective_from: Period = attrs.field(validator=_v.month)
    percent: Decimal = attrs.field(validator=_percent)
    basis: RebillingBasis = RebillingBasis.SELLER_COST
    overrides: tuple[Override, ...] = attrs.field(default=(), converter=_overrides)
    approved: bool = True

    def rule_for(self, product_code: str) -> tuple[Decimal, RebillingBasis, int | None]:
        """The percentage and basis for a product, and which override (index) chose them."""
        for index, override in enumerate(self.overrides):
            if product_code in override.products:
                return override.percent, override.basis, index
        return self.percent, self.basis, None


def config_in_effect(
    configs: Iterable[RepricingConfig], *, seller: str, buyer: str, month: Period
) -> RepricingConfig | None:
    """The seller's approved config for the buyer in ``month``: the latest that has started."""
    started = [
        c
        for c in configs
        if c.seller == seller and c.buyer == buyer and c.effective_from <= month and c.approved
    ]
    return max(started, key=lambda c: c.effective_from) if started else None


def add_config(
    configs: Sequence[RepricingConfig],
    config: RepricingConfig,
    *,
    as_of: datetime,
    tz: tzinfo = GMT_PLUS_8,
    correction: bool = False,
) -> tuple[RepricingConfig, ...]:
    """Add a config for a future month; one per seller, buyer and month (peers.md B3).

    The current month is allowed only with ``correction=True`` (it replaces
    that month's config); past months never.
    """
    now = Period.at(PeriodKind.MONTH, require_aware(as_of), tz=tz)
    start = config.effective_from
    if start < now or (start == now and not correction):
        raise RuleViolationError(
            "R-BILL-72",
            "repricing takes effect from a future month (the current month only as a correction)",
            fields={"effective_from": str(start), "current_month": str(now)},
        )
    same = [
        c
        for c in configs
        if (c.seller, c.buyer, c.effective_from) == (config.seller, config.buyer, start)
    ]
    if same and not correction:
        raise RuleViolationError(
            "R-BILL-72",
            "a config for this buyer and month already exists",
            fields={"buyer": config.buyer, "effective_from": str(start)},
        )
    return (*(c for c in configs if c not in same), config)


def reprice(
    list_price: Money, seller_cost: Money, product_code: str, config: RepricingConfig
) -> tuple[Money, Trace]:
    """One tier's price for a line, exact, with its trace.

    >>> from partnerkit.money import Money
    >>> from partnerkit.periods import Period
    >>> c = RepricingConfig(seller="r1", buyer="c", effective_from=Period.parse("2024M6"),
    ...     percent=Decimal("5"), overrides=[Override(products={"cdn"}, percent=Decimal("-2"),
    ...     basis=RebillingBasis.LIST_PRICE)])
    >>> price, trace = reprice(Money.of("100", "USD"), Money.of("80", "USD"), "cdn", c)
    >>> price
    Money('98.00', 'USD')
    """
    percent, basis, index = config.rule_for(product_code)
    base = list_price if basis is RebillingBasis.LIST_PRICE else seller_cost
    change = base * scale(percent, -2)
    price = base + change
    which = f"override {index}" if index is not None else "default"
    trace = Trace.start(f"{basis.value} of {product_code} for {config.buyer}", base).then(
        TraceKind.DISCOUNT if change.is_negative() else TraceKind.SUM,
        f"{config.seller} -> {config.buyer}: {percent} % ({which}, from {config.effective_from})",
        change,
    )
    return price, trace


@final
@attrs.frozen
class ChainPrice:
    """Prices down a chain: ``prices[i]`` is what tier ``i``'s buyer pays, with traces."""

    prices: tuple[Money, ...]
    traces: tuple[Trace, ...]


def reprice_chain(
    list_price: Money,
    product_code: str,
    chain: Sequence[RepricingConfig],
    *,
    vendor_cost: Money | None = None,
) -> ChainPrice:
    """Price a line down a chain of configs, top tier first (DC-19: no compounding).

    Each tier's ``SELLER_COST`` basis is what the tier above charged; the top
    tier's is ``vendor_cost`` (default: the list price).  Consecutive configs
    must link: each buyer is the next seller.
    """
    for upper, lower in itertools.pairwise(chain):
        if upper.buyer != lower.seller:
            raise InvalidArgumentError(
                "chain",
                (upper.buyer, lower.seller),
                "each tier prices only its direct buyers: a buyer must be the next seller",
                rule_id="R-BILL-72",
            )
    cost = vendor_cost if vendor_cost is not None else list_price
    prices, traces = [], []
    for config in chain:
        cost, trace = reprice(list_price, cost, product_code, config)
        prices.append(cost)
        traces.append(trace)
    return ChainPrice(tuple(prices), tuple(traces))
