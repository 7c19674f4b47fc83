"""Incentive policies as data (incentives.md 1.4, 2.5-2.8; DC-INC-05, DC-INC-06, DC-INC-09).

A policy holds a rate schedule, a tagged union of frozen values:

* :class:`Flat`: one rate on every eligible line;
* :class:`PerProduct`: a rate per product code or product line, with a default;
* :class:`ByTier`: a rate per partner tier or level (R-INC-15);
* :class:`Ladder`: bands ``[lower, upper)`` of the period base with a rate each,
  applied to the whole base (RETROACTIVE, the default, DC-INC-06) or band
  by band (MARGINAL);
* :class:`Accelerator`: a base schedule, multiplied above a target.

The policy adds an optional cap on the earning (after ladders, DC-INC-09),
a minimum base below which nothing is earned, the period kind, and an
effective month.  Policies round-trip through JSON (:func:`policy_to_json`).

>>> from decimal import Decimal
>>> ladder = Ladder(bands=(Band(lower=Decimal(0), rate=Decimal("0.10")),
...                        Band(lower=Decimal(10000), rate=Decimal("0.15")),
...                        Band(lower=Decimal(50000), rate=Decimal("0.20"))))
>>> marginal = attrs.evolve(ladder, mode=LadderMode.MARGINAL)
>>> ladder.earning(Decimal(60000)), marginal.earning(Decimal(60000))
(Decimal('12000.00'), Decimal('9000.00'))
"""

from __future__ import annotations

import decimal
import enum
import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Union, final

import attrs
import cattrs
from cattrs.strategies import configure_tagged_union

import partnerkit._validators as _v
from partnerkit._construct import checked
from partnerkit.errors import InvalidArgumentError
from partnerkit.money import Money, to_decimal
from partnerkit.partners import PartnerRole
from partnerkit.periods import Period, PeriodKind

__all__ = [
    "Accelerator",
    "Band",
    "ByTier",
    "ClawbackMode",
    "Flat",
    "IncentivePolicy",
    "Ladder",
    "LadderMode",
    "PerProduct",
    "Schedule",
    "policy_from_json",
    "policy_to_json",
]

_EXACT_CTX = decimal.Context(
    prec=60,
    Emin=-999_999,
    Emax=999_999,
    traps=[decimal.Inexact, decimal.InvalidOperation, decimal.Overflow],
)


def _rate(value: Any) -> Decimal:
    rate = to_decimal(value, argument="rate")
    if rate < 0:
        raise InvalidArgumentError("rate", value, "a rate >= 0 (as a fraction, 0.20 is 20 %)")
    return rate


def _amount(value: Any) -> Decimal:
    return to_decimal(value, argument="amount")


def _rates(value: Mapping[str, Any]) -> Mapping[str, Decimal]:
    items = {}
    for key, rate in dict(value).items():
        if not isinstance(key, str) or not key:
            raise InvalidArgumentError("rates", key, "keys are non-empty strings")
        items[key] = _rate(rate)
    return MappingProxyType(items)


def _mul(a: Decimal, b: Decimal) -> Decimal:
    return _EXACT_CTX.multiply(a, b)


@final
@attrs.frozen(kw_only=True)
class Flat:
    """One rate on every eligible line."""

    rate: Decimal = attrs.field(converter=_rate)

    def line_rate(self, product: str, line: str | None, tier: str | None) -> Decimal:
        """The rate of one line."""
        return self.rate


@checked
@final
@attrs.frozen(kw_only=True, eq=False)
class PerProduct:
    """A rate per product code, else per product line, else the default (DC-INC-05)."""

    rates: Mapping[str, Decimal] = attrs.field(converter=_rates)
    default: Decimal = attrs.field(converter=_rate)

    def line_rate(self, product: str, line: str | None, tier: str | None) -> Decimal:
        """The product's rate, or its line's, or the default."""
        if product in self.rates:
            return self.rates[product]
        if line is not None and line in self.rates:
            return self.rates[line]
        return self.default

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PerProduct):
            return NotImplemented
        return dict(self.rates) == dict(other.rates) and self.default == other.default

    def __hash__(self) -> int:
        return hash((tuple(sorted(self.rates.items())), self.default))


@checked
@final
@attrs.frozen(kw_only=True, eq=False)
class ByTier:
    """A rate per partner tier or level (R-INC-15); an unknown tier earns ``default``."""

    rates: Mapping[str, Decimal] = attrs.field(converter=_rates)
    default: Decimal = attrs.field(default=Decimal(0), converter=_rate)

    def line_rate(self, product: str, line: str | None, tier: str | None) -> Decimal:
        """The tier's rate."""
        return self.rates.get(tier, self.default) if tier is not None else self.default

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ByTier):
            return NotImplemented
        return dict(self.rates) == dict(other.rates) and self.default == other.default

    def __hash__(self) -> int:
        return hash((tuple(sorted(self.rates.items())), self.default))


class LadderMode(enum.Enum):
    """Whole-amount (RETROACTIVE, the default) or band-by-band (MARGINAL) ladders (DC-INC-06)."""

    RETROACTIVE = "retroactive"
    MARGINAL = "marginal"


@final
@attrs.frozen(kw_only=True)
class Band:
    """A ladder band from ``lower`` (inclusive) up to the next band's lower (exclusive)."""

    lower: Decimal = attrs.field(converter=_amount)
    rate: Decimal = attrs.field(converter=_rate)


def _bands(value: Any) -> tuple[Band, ...]:
    bands = tuple(value)
    if not bands or not all(isinstance(b, Band) for b in bands):
        raise InvalidArgumentError("bands", bands, "at least one Band")
    lowers = [b.lower for b in bands]
    if lowers[0] != 0 or lowers != sorted(set(lowers)):
        raise InvalidArgumentError("bands", lowers, "bands start at 0 and rise strictly")
    return bands


@checked
@final
@attrs.frozen(kw_only=True)
class Ladder:
    """Bands of the period base (EX-INC-28); negative bases earn at the first band's rate."""

    bands: tuple[Band, ...] = attrs.field(converter=_bands)
    mode: LadderMode = LadderMode.RETROACTIVE

    def band_for(self, base: Decimal) -> Band:
        """The band the base falls in (lower bounds inclusive)."""
        reached = self.bands[0]
        for band in self.bands:
            if base >= band.lower:
                reached = band
        return reached

    def earning(self, base: Decimal) -> Decimal:
        """The exact earning on ``base``."""
        if base <= 0 or self.mode is LadderMode.RETROACTIVE:
            return _mul(base, self.band_for(base).rate)
        earned = Decimal(0)
        for index, band in enumerate(self.bands):
            upper = self.bands[index + 1].lower if index + 1 < len(self.bands) else None
            if base <= band.lower:
                break
            top = base if upper is None or base < upper else upper
            earned = _EXACT_CTX.add(earned, _mul(_EXACT_CTX.subtract(top, band.lower), band.rate))
        return earned


@final
@attrs.frozen(kw_only=True)
class Accelerator:
    """A base schedule whose earning is multiplied once the base reaches ``target``."""

    base: Flat | PerProduct | ByTier | Ladder
    target: Decimal = attrs.field(converter=_amount)
    multiplier: Decimal = attrs.field(converter=_rate)


#: Any rate schedule.
Schedule = Union[Flat, PerProduct, ByTier, Ladder, Accelerator]  # noqa: UP007
_SCHEDULES = (Flat, PerProduct, ByTier, Ladder, Accelerator)


class ClawbackMode(enum.Enum):
    """Where a refund lands (DC-INC-04): the period it is generated in (default), or its origin."""

    IN_PERIOD = "in-period"
    RESTATE_ORIGINAL = "restate-original"


#: Roles that earn no revenue-based incentives (R-INC-04, DC-INC-34).
_NON_EARNING = frozenset({PartnerRole.RESELLER, PartnerRole.TIER2_RESELLER})


def _schedule(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, _SCHEDULES):
        raise InvalidArgumentError(attribute.name, value, "a rate schedule")


@checked
@final
@attrs.frozen(kw_only=True)
class IncentivePolicy:
    """An incentive policy as data (1.4, DC-INC-05).

    Attributes:
        policy_id: Its id.
        name: Its name ("Monthly rebate", "ASC commission").
        period_kind: Month, quarter or year (2.3).
        schedule: The rate schedule.
        currency: The earning currency.
        per_line_rounding: Round each product line's commission before summing
            (the ASC, DC-INC-26); otherwise the period earning rounds once.
        cap: The most one period may earn (after ladders, DC-INC-09).
        minimum_base: Below this eligible base nothing is earned.
        effective_from: The first month it applies.
        clawback: Where refunds land (DC-INC-04).
        partner_roles: The roles it pays (empty: any role that earns).  Resellers
            under a distributor and Alibaba tier-2 resellers earn no revenue-based
            incentives, so naming them is refused (R-INC-04, DC-INC-34).
    """

    policy_id: str = attrs.field(validator=_v.text)
    name: str = attrs.field(validator=_v.text)
    period_kind: PeriodKind
    schedule: Schedule = attrs.field(validator=_schedule)
    currency: str = "USD"
    per_line_rounding: bool = False
    cap: Money | None = None
    minimum_base: Money | None = None
    effective_from: Period | None = None
    clawback: ClawbackMode = ClawbackMode.IN_PERIOD
    partner_roles: frozenset[PartnerRole] = attrs.field(default=frozenset(), converter=frozenset)

    def __attrs_post_init__(self) -> None:
        barred = sorted(r.value for r in self.partner_roles & _NON_EARNING)
        if barred:
            raise InvalidArgumentError(
                "partner_roles", barred, "roles that earn revenue-based incentives",
                rule_id="R-INC-04",
            )  # fmt: skip
        if self.period_kind not in (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR):
            raise InvalidArgumentError("period_kind", self.period_kind, "month, quarter or year")
        for name in ("cap", "minimum_base"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, Money) or value.is_negative()):
                raise InvalidArgumentError(name, value, "a Money >= 0")


def _converter() -> cattrs.Converter:
    converter = cattrs.Converter(omit_if_default=True)
    converter.register_unstructure_hook(Decimal, lambda v: format(v, "f"))
    converter.register_structure_hook(Decimal, lambda v, _: to_decimal(v, argument="value"))
    converter.register_unstructure_hook(
        MappingProxyType, lambda m: {k: format(v, "f") for k, v in m.items()}
    )
    converter.register_unstructure_hook(
        Money, lambda m: {"amount": format(m.amount, "f"), "currency": m.currency.code}
    )
    converter.register_structure_hook(Money, lambda v, _: Money.of(v["amount"], v["currency"]))
    converter.register_unstructure_hook(Period, lambda p: p.code)
    converter.register_structure_hook(Period, lambda v, _: Period.parse(v))
    converter.register_unstructure_hook(date, lambda d: d.isoformat())
    tags = {Flat: "flat", PerProduct: "per-product", ByTier: "by-tier", Ladder: "ladder",
            Accelerator: "accelerator"}  # fmt: skip
    inner = Union[Flat, PerProduct, ByTier, Ladder]  # noqa: UP007
    configure_tagged_union(inner, converter, tag_generator=lambda c: tags[c], tag_name="type")
    configure_tagged_union(Schedule, converter, tag_generator=lambda c: tags[c], tag_name="type")
    return converter


_CONVERTER = _converter()


def policy_to_json(policy: IncentivePolicy) -> str:
    """The policy as a JSON document."""
    if not isinstance(policy, IncentivePolicy):
        raise InvalidArgumentError("policy", policy, "expected an IncentivePolicy")
    return json.dumps(_CONVERTER.unstructure(policy), indent=2, sort_keys=True)


def policy_from_json(text: str) -> IncentivePolicy:
    """A policy from a JSON document; bad documents raise ``InvalidArgumentError``."""
    try:
        data = json.loads(text)
        result: IncentivePolicy = _CONVERTER.structure(data, IncentivePolicy)
    except (
        json.JSONDecodeError,
        cattrs.BaseValidationError,
        KeyError,
        TypeError,
        ValueError,
    ) as exc:
        raise InvalidArgumentError("policy", text[:80], f"not a policy: {exc}") from exc
    return result
