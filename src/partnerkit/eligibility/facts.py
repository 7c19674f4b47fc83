"""The facts an eligibility question is answered from: a read-only snapshot the caller supplies.

The library never looks facts up itself.  A snapshot holds four kinds of fact,
each addressed by a name the requirements use (GAP-01):

* **metrics**: numbers such as ``revenue.annual`` or ``customers.count``;
* **flags**: yes/no facts that hold, such as ``network.member`` or ``account.in_arrears``;
* **levels**: where the partner stands on a ladder, such as
  ``path.SOFTWARE_PARTNER -> VALIDATION`` or ``program.CSP -> ADVANCED``;
* **dates**: named instants, such as ``event.starts_at``;
* **evidence**: countable items (certificates, cases, solutions, badges,
  dedicated people) with attributes, a holder, a time and a validity.

>>> from decimal import Decimal
>>> facts = Facts(metrics={"revenue.annual": Decimal("360000")}, flags={"network.member"})
>>> facts.metric("revenue.annual"), facts.metric("customers.count"), facts.has("network.member")
(Decimal('360000'), Decimal('0'), True)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any, final

import attrs

import partnerkit._validators as _v
from partnerkit._construct import checked
from partnerkit.errors import InvalidArgumentError
from partnerkit.money import to_decimal
from partnerkit.periods import require_aware

__all__ = ["Evidence", "Facts"]

_ZERO = Decimal(0)


def _texts(value: Mapping[str, str] | None) -> Mapping[str, str]:
    items = dict(value or {})
    for key, text in items.items():
        if not isinstance(key, str) or not key or not isinstance(text, str):
            raise InvalidArgumentError("attributes", items, "a mapping of names to strings")
    return MappingProxyType(items)


@checked
@final
@attrs.frozen(kw_only=True)
class Evidence:
    """One countable item: a certificate, a case, a solution, a badge, a dedicated person.

    Attributes:
        kind: What it is (``certificate``, ``case``, ``solution`` ...).
        id: Its id; counts are of distinct ids unless a requirement counts holders.
        attributes: Descriptive values a requirement can filter on
            (``level: WORK``, ``family: ACCREDITATION``, ``competency: cloud_migration``).
        holder: The person or account it belongs to, for counting people.
        occurred_at: When it was issued, passed or happened (for time windows).
        valid_to: When it lapses; ``None`` never lapses.
        status: Its review status (``PASSED``, ``CERTIFIED``, ``NORMAL`` ...).
    """

    kind: str = attrs.field(validator=_v.text)
    id: str = attrs.field(validator=_v.text)
    attributes: Mapping[str, str] = attrs.field(
        factory=dict, converter=_texts, eq=False, hash=False
    )
    holder: str | None = attrs.field(default=None, validator=_v.optional_text)
    occurred_at: datetime | None = attrs.field(default=None, validator=_v.optional_aware)
    valid_to: datetime | None = attrs.field(default=None, validator=_v.optional_aware)
    status: str | None = attrs.field(default=None, validator=_v.optional_text)

    @property
    def _attribute_items(self) -> tuple[tuple[str, str], ...]:
        return tuple(sorted(self.attributes.items()))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Evidence):
            return NotImplemented
        return (self.kind, self.id, self._attribute_items, self.holder, self.occurred_at,
                self.valid_to, self.status) == (other.kind, other.id, other._attribute_items,
                other.holder, other.occurred_at, other.valid_to, other.status)  # fmt: skip

    def __hash__(self) -> int:
        return hash((self.kind, self.id, self._attribute_items, self.holder))

    def matches(self, kind: str, where: Mapping[str, str]) -> bool:
        """Whether it is of ``kind`` and has every attribute in ``where``."""
        return self.kind == kind and all(self.attributes.get(k) == v for k, v in where.items())

    def valid_at(self, instant: datetime) -> bool:
        """Whether it has not lapsed at ``instant`` (``valid_to`` is inclusive)."""
        return self.valid_to is None or instant <= self.valid_to


def _metrics(value: Mapping[str, Any] | None) -> Mapping[str, Decimal]:
    items = {}
    for name, amount in dict(value or {}).items():
        if not isinstance(name, str) or not name:
            raise InvalidArgumentError("metrics", name, "metric names are non-empty strings")
        items[name] = to_decimal(amount, argument=f"metrics[{name}]")
    return MappingProxyType(items)


def _flags(value: Iterable[str] | None) -> frozenset[str]:
    flags = frozenset(value or ())
    if not all(isinstance(f, str) and f for f in flags):
        raise InvalidArgumentError("flags", sorted(map(str, flags)), "flags are non-empty strings")
    return flags


def _levels(value: Mapping[str, str] | None) -> Mapping[str, str]:
    items = dict(value or {})
    for name, level in items.items():
        if not isinstance(name, str) or not name or not isinstance(level, str) or not level:
            raise InvalidArgumentError("levels", items, "a mapping of ladder names to levels")
    return MappingProxyType(items)


def _dates(value: Mapping[str, datetime] | None) -> Mapping[str, datetime]:
    items = dict(value or {})
    for name, when in items.items():
        if not isinstance(name, str) or not name:
            raise InvalidArgumentError("dates", name, "date names are non-empty strings")
        require_aware(when, argument=f"dates[{name}]")
    return MappingProxyType(items)


def _evidence(value: Iterable[Evidence] | None) -> tuple[Evidence, ...]:
    items = tuple(value or ())
    if not all(isinstance(e, Evidence) for e in items):
        raise InvalidArgumentError("evidence", items, "expected Evidence values")
    return items


@checked
@final
@attrs.frozen(kw_only=True, eq=False)
class Facts:
    """A read-only snapshot of what is true about a partner (and its company) now.

    Missing metrics read as zero and missing flags as not holding, so a
    snapshot lists only what it knows.  Metric values are exact (no floats).
    """

    metrics: Mapping[str, Decimal] = attrs.field(factory=dict, converter=_metrics)
    flags: frozenset[str] = attrs.field(factory=frozenset, converter=_flags)
    levels: Mapping[str, str] = attrs.field(factory=dict, converter=_levels)
    dates: Mapping[str, datetime] = attrs.field(factory=dict, converter=_dates)
    evidence: tuple[Evidence, ...] = attrs.field(factory=tuple, converter=_evidence)

    def metric(self, name: str) -> Decimal:
        """The metric's value, zero when the snapshot does not have it."""
        return self.metrics.get(name, _ZERO)

    def has(self, flag: str) -> bool:
        """Whether the flag holds."""
        return flag in self.flags

    def level(self, ladder: str) -> str | None:
        """Where the partner stands on ``ladder``, if anywhere."""
        return self.levels.get(ladder)

    def date(self, name: str) -> datetime | None:
        """The named instant, if known."""
        return self.dates.get(name)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Facts):
            return NotImplemented
        return (
            dict(self.metrics) == dict(other.metrics)
            and self.flags == other.flags
            and dict(self.levels) == dict(other.levels)
            and dict(self.dates) == dict(other.dates)
            and sorted(self.evidence, key=_key) == sorted(other.evidence, key=_key)
        )

    __hash__ = None  # type: ignore[assignment]


def _key(item: Evidence) -> tuple[str, str, str]:
    return (item.kind, item.id, item.holder or "")
