"""Requirements as composable data: the language every eligibility rule is written in (GAP-01).

A requirement is a small frozen value with an ``id``, a ``label`` shown in the
checklist, the ``rule_id`` it comes from, an optional ``reason_code`` for a
refusal, and a ``severity`` (advisory lines are shown but never block).  Leaves
test one fact; composites combine them:

* :class:`Threshold`: a metric compared with a value, with a unit;
* :class:`Flag`: a yes/no fact holds (or, for blockers, does not);
* :class:`Count`: evidence items of a kind, filtered by attributes and
  status, still valid, optionally inside a time :class:`Window`, compared
  with a number (distinct items or distinct holders);
* :class:`Rank`: a position on a ladder (stage, tier) at least a level;
* :class:`Elapsed`: at least N months or days have passed since a named date;
* :class:`DaysBefore`: now is at least N (working) days before a named date;
* :class:`AllOf`, :class:`AnyOf`, :class:`AtLeast` (n of), :class:`Not`.

They serialise to and from JSON through cattrs (:func:`to_json`,
:func:`from_json`), so a catalogue can live in a file.

>>> from decimal import Decimal
>>> advanced = AllOf(id="csp.advanced", label="Advanced tier", rule_id="R-ELIG-035", items=(
...     Threshold(id="revenue", label="Annual revenue", rule_id="R-ELIG-035",
...               metric="revenue.annual", value=Decimal("360000"), unit="USD"),
...     Flag(id="member", label="Network member", rule_id="R-ELIG-001", fact="network.member"),
... ))
>>> from_json(to_json(advanced)) == advanced
True
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Optional, Union, final

import attrs
import cattrs
from cattrs.strategies import configure_tagged_union

import partnerkit._validators as _v
from partnerkit._construct import checked
from partnerkit.errors import InvalidArgumentError
from partnerkit.money import to_decimal

__all__ = [
    "AllOf",
    "AnyOf",
    "AtLeast",
    "Count",
    "DaysBefore",
    "Distinct",
    "Elapsed",
    "Flag",
    "Not",
    "Op",
    "Rank",
    "Requirement",
    "Severity",
    "Threshold",
    "Window",
    "WindowKind",
    "from_data",
    "from_json",
    "requirement_converter",
    "to_data",
    "to_json",
    "walk",
]


class Op(enum.Enum):
    """How a current value compares with the required one (0.4: "at least N" is ``>=``)."""

    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"
    EQ = "=="

    def holds(self, current: Decimal, required: Decimal) -> bool:
        """Whether ``current <op> required``."""
        if self is Op.GE:
            return current >= required
        if self is Op.GT:
            return current > required
        if self is Op.LE:
            return current <= required
        if self is Op.LT:
            return current < required
        return current == required

    @property
    def monotone(self) -> bool:
        """Whether more of the fact can only help (``>=`` and ``>``)."""
        return self in (Op.GE, Op.GT)


class Severity(enum.Enum):
    """Whether an unmet line blocks (default) or is only shown (GAP-01)."""

    BLOCKING = "blocking"
    ADVISORY = "advisory"


class WindowKind(enum.Enum):
    """How a count is restricted in time (0.4 conventions)."""

    #: ``(as_of - N months, as_of]``: "in the last N months".
    ROLLING_MONTHS = "rolling-months"
    #: ``(as_of - N days, as_of]``.
    ROLLING_DAYS = "rolling-days"
    #: The calendar year of ``as_of``: "this year".
    CALENDAR_YEAR = "calendar-year"


@final
@attrs.frozen(kw_only=True)
class Window:
    """A time window for :class:`Count`."""

    kind: WindowKind
    length: int | None = None

    def __attrs_post_init__(self) -> None:
        rolling = self.kind in (WindowKind.ROLLING_MONTHS, WindowKind.ROLLING_DAYS)
        if rolling and (
            isinstance(self.length, bool) or not isinstance(self.length, int) or self.length < 1
        ):
            raise InvalidArgumentError("length", self.length, "a rolling window has a length >= 1")
        if not rolling and self.length is not None:
            raise InvalidArgumentError("length", self.length, "a calendar year has no length")


class Distinct(enum.Enum):
    """What :class:`Count` counts: distinct items, or distinct holders (people)."""

    ITEMS = "items"
    HOLDERS = "holders"


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise InvalidArgumentError("value", value, "an exact number (Decimal or int)")
    result = Decimal(value)
    if not result.is_finite():
        raise InvalidArgumentError("value", value, "a finite number")
    return result


def _mapping(value: Mapping[str, str] | None) -> Mapping[str, str]:
    items = dict(value or {})
    for key, text in items.items():
        if not isinstance(key, str) or not key or not isinstance(text, str):
            raise InvalidArgumentError("where", items, "a mapping of attribute names to strings")
    return MappingProxyType(items)


def _names(value: Any) -> tuple[str, ...]:
    items = tuple(value or ())
    if not all(isinstance(i, str) and i for i in items):
        raise InvalidArgumentError("names", items, "non-empty strings")
    return items


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidArgumentError("value", value, "a whole count >= 0")
    return value


@attrs.define(kw_only=True, frozen=True)
class _Base:
    id: str = attrs.field(validator=_v.text)
    label: str = attrs.field(validator=_v.text)
    rule_id: str | None = attrs.field(default=None, validator=_v.optional_text)
    reason_code: str | None = attrs.field(default=None, validator=_v.optional_text)
    severity: Severity = Severity.BLOCKING


@final
@attrs.frozen(kw_only=True)
class Threshold(_Base):
    """A metric compared with a value: "annual revenue >= 360,000 USD"."""

    metric: str = attrs.field(validator=_v.text)
    op: Op = Op.GE
    value: Decimal = attrs.field(converter=_decimal)
    unit: str | None = None


@final
@attrs.frozen(kw_only=True)
class Flag(_Base):
    """A yes/no fact: holds when ``expected`` (``False`` for blockers such as arrears)."""

    fact: str = attrs.field(validator=_v.text)
    expected: bool = True


@checked
@final
@attrs.frozen(kw_only=True)
class Count(_Base):
    """Evidence items of a kind, filtered and counted: "2 employees with a work-level certificate".

    Attributes:
        kind: The evidence kind counted.
        where: Attributes every counted item has.
        statuses: When given, only items in one of these statuses count.
        valid_only: Only items not lapsed at ``as_of`` count (default).
        window: Only items whose ``occurred_at`` falls in the window count.
        distinct: Count distinct items, or distinct holders.
        op: The comparison; ``value`` the required count.
    """

    kind: str = attrs.field(validator=_v.text)
    where: Mapping[str, str] = attrs.field(factory=dict, converter=_mapping, hash=False)
    statuses: tuple[str, ...] | None = attrs.field(
        default=None, converter=attrs.converters.optional(_names)
    )
    valid_only: bool = True
    window: Window | None = None
    distinct: Distinct = Distinct.ITEMS
    op: Op = Op.GE
    value: int = attrs.field(converter=_count)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Count):
            return NotImplemented
        return attrs.astuple(self, recurse=False, filter=lambda a, _: a.name != "where") == (
            attrs.astuple(other, recurse=False, filter=lambda a, _: a.name != "where")
        ) and dict(self.where) == dict(other.where)

    def __hash__(self) -> int:
        return hash((self.id, self.kind, self.value))


@checked
@final
@attrs.frozen(kw_only=True)
class Rank(_Base):
    """A position on a ladder at least a level: "role validation or higher on the path"."""

    ladder: str = attrs.field(validator=_v.text)
    levels: tuple[str, ...] = attrs.field(converter=_names)
    at_least: str = attrs.field(validator=_v.text)

    def __attrs_post_init__(self) -> None:
        if not self.levels or len(set(self.levels)) != len(self.levels):
            raise InvalidArgumentError("levels", self.levels, "distinct levels, lowest first")
        if self.at_least not in self.levels:
            raise InvalidArgumentError("at_least", self.at_least, "one of the levels")


@final
@attrs.frozen(kw_only=True)
class Elapsed(_Base):
    """At least ``months`` and ``days`` have passed since the named date (">= 1 year old")."""

    date: str = attrs.field(validator=_v.text)
    months: int = attrs.field(default=0, converter=_count)
    days: int = attrs.field(default=0, converter=_count)


@final
@attrs.frozen(kw_only=True)
class DaysBefore(_Base):
    """``as_of`` is at least ``days`` (working) days before the named date."""

    date: str = attrs.field(validator=_v.text)
    days: int = attrs.field(converter=_count)
    working_days: bool = False


def _items(value: Any) -> tuple[Requirement, ...]:
    items = tuple(value)
    if not all(isinstance(i, _REQUIREMENT_TYPES) for i in items):
        raise InvalidArgumentError("items", items, "expected requirements")
    return items


@checked
@final
@attrs.frozen(kw_only=True)
class AllOf(_Base):
    """Every item must hold; all are evaluated, so every miss is reported (EX-15)."""

    items: tuple[Requirement, ...] = attrs.field(converter=_items)


@checked
@final
@attrs.frozen(kw_only=True)
class AnyOf(_Base):
    """At least one item must hold."""

    items: tuple[Requirement, ...] = attrs.field(converter=_items)


@checked
@final
@attrs.frozen(kw_only=True)
class AtLeast(_Base):
    """At least ``n`` of the items must hold."""

    n: int = attrs.field(converter=_count)
    items: tuple[Requirement, ...] = attrs.field(converter=_items)

    def __attrs_post_init__(self) -> None:
        if not 1 <= self.n <= len(self.items):
            raise InvalidArgumentError("n", self.n, f"between 1 and {len(self.items)}")


@final
@attrs.frozen(kw_only=True)
class Not(_Base):
    """The item must not hold: "not enrolled in CSP"."""

    item: Requirement = attrs.field()

    @item.validator
    def _check(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, _REQUIREMENT_TYPES):
            raise InvalidArgumentError("item", value, "expected a requirement")


#: Any requirement.
Requirement = Union[  # noqa: UP007
    Threshold, Flag, Count, Rank, Elapsed, DaysBefore, AllOf, AnyOf, AtLeast, Not
]
_REQUIREMENT_TYPES = (
    Threshold,
    Flag,
    Count,
    Rank,
    Elapsed,
    DaysBefore,
    AllOf,
    AnyOf,
    AtLeast,
    Not,
)
for _cls in _REQUIREMENT_TYPES:
    attrs.resolve_types(_cls, globals())

_TAGS = {
    Threshold: "threshold",
    Flag: "flag",
    Count: "count",
    Rank: "rank",
    Elapsed: "elapsed",
    DaysBefore: "days-before",
    AllOf: "all-of",
    AnyOf: "any-of",
    AtLeast: "at-least",
    Not: "not",
}


def _date(value: Any) -> date:
    if not isinstance(value, str):
        raise InvalidArgumentError("date", value, "an ISO 8601 date string")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidArgumentError("date", value, "not an ISO 8601 date") from exc


def requirement_converter() -> cattrs.Converter:
    """A converter that writes requirements as JSON-ready data with a ``kind`` tag.

    Numbers travel as decimal strings; enums by value.
    """
    converter = cattrs.Converter(omit_if_default=True)
    converter.register_unstructure_hook(Decimal, lambda value: format(value, "f"))
    converter.register_structure_hook(Decimal, lambda value, _: to_decimal(value, argument="value"))
    converter.register_unstructure_hook(date, lambda value: value.isoformat())
    converter.register_structure_hook(date, lambda value, _: _date(value))
    converter.register_unstructure_hook(
        MappingProxyType,
        lambda m: dict(m),  # where-clauses
    )
    configure_tagged_union(
        Requirement, converter, tag_generator=lambda cls: _TAGS[cls], tag_name="type"
    )
    optional = Optional[Requirement]  # noqa: UP045 - a runtime type, not an annotation
    converter.register_unstructure_hook(
        optional, lambda value: None if value is None else converter.unstructure(value, Requirement)
    )
    converter.register_structure_hook(
        optional,
        lambda value, _: None if value is None else converter.structure(value, Requirement),  # type: ignore[arg-type]
    )
    return converter


_CONVERTER = requirement_converter()


def to_data(requirement: Requirement) -> dict[str, Any]:
    """The requirement as plain data (dicts, lists, strings)."""
    if not isinstance(requirement, _REQUIREMENT_TYPES):
        raise InvalidArgumentError("requirement", requirement, "expected a requirement")
    data: dict[str, Any] = _CONVERTER.unstructure(requirement, Requirement)
    return data


def from_data(data: Mapping[str, Any]) -> Requirement:
    """A requirement from plain data; bad data raises ``InvalidArgumentError`` with the cause."""
    try:
        result: Requirement = _CONVERTER.structure(dict(data), Requirement)  # type: ignore[arg-type]
    except (cattrs.BaseValidationError, KeyError, TypeError, ValueError) as exc:
        raise InvalidArgumentError("requirement", data, f"not a requirement: {exc}") from exc
    return result


def to_json(requirement: Requirement) -> str:
    """The requirement as a JSON document (keys sorted, two-space indent)."""
    return json.dumps(to_data(requirement), indent=2, sort_keys=True)


def from_json(text: str) -> Requirement:
    """A requirement from a JSON document."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidArgumentError("text", text[:80], f"not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise InvalidArgumentError("text", text[:80], "a JSON object")
    return from_data(data)


def walk(requirement: Requirement) -> tuple[Requirement, ...]:
    """The requirement and all its descendants, depth first."""
    if isinstance(requirement, (AllOf, AnyOf, AtLeast)):
        return (requirement, *(r for item in requirement.items for r in walk(item)))
    if isinstance(requirement, Not):
        return (requirement, *walk(requirement.item))
    return (requirement,)
