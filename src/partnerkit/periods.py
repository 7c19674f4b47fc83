"""Billing and statistical periods: months, quarters, half-years and years.

A :class:`Period` is a calendar period such as ``2024M6``, ``2024Q3``,
``2024H1`` or ``2024Y`` (the codes of spec ``incentives.md`` 1.1).
It is independent of any time zone; its instants are asked for *in* a zone:
Huawei bills run on calendar months in GMT+08:00 (:data:`GMT_PLUS_8`), so
``Period.month(2024, 6).start(GMT_PLUS_8)`` is 2024-06-01 00:00 +08:00,
which is 2024-05-31 16:00 UTC.

Month arithmetic uses :mod:`dateutil.relativedelta`, which *clamps* to the
month's end: one month after 31 January is 28 or 29 February (see
:func:`add_months`).

>>> p = Period.parse("2024Q3")
>>> p.first_day, p.last_day
(datetime.date(2024, 7, 1), datetime.date(2024, 9, 30))
>>> str(p.next()), [str(m) for m in p.months()]
('2024Q4', ['2024M7', '2024M8', '2024M9'])
"""

from __future__ import annotations

import enum
import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any, Final, final

import attrs
from dateutil.relativedelta import relativedelta

from partnerkit.errors import InvalidArgumentError

__all__ = [
    "GMT_PLUS_8",
    "UTC",
    "Period",
    "PeriodKind",
    "add_months",
    "require_aware",
]

#: Coordinated Universal Time.
UTC: Final = UTC
#: Beijing time, the reference zone of Huawei bills and revenue periods (spec C1, DC-38).
GMT_PLUS_8: Final = timezone(timedelta(hours=8), "GMT+08:00")

_MIN_YEAR: Final = 1
_MAX_YEAR: Final = 9998  # leaves room for next() and end() of the last period


def require_aware(value: object, *, argument: str = "as_of") -> datetime:
    """Return ``value`` if it is a timezone-aware datetime, else raise.

    Every instant that enters partnerkit goes through here: a naive datetime
    is ambiguous by hours, which is a day's bill at a month end.

    >>> require_aware(datetime(2024, 6, 1, tzinfo=UTC))
    datetime.datetime(2024, 6, 1, 0, 0, tzinfo=datetime.timezone.utc)
    >>> require_aware(datetime(2024, 6, 1))
    Traceback (most recent call last):
    ...
    partnerkit.errors.InvalidArgumentError: invalid as_of=datetime.datetime(2024, 6, 1, 0, 0): naive datetime; pass a timezone-aware one
    """  # noqa: E501
    if not isinstance(value, datetime):
        raise InvalidArgumentError(argument, value, "expected a timezone-aware datetime")
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidArgumentError(argument, value, "naive datetime; pass a timezone-aware one")
    return value


def add_months(day: date, months: int) -> date:
    """Move ``day`` by whole months, clamping to the end of a shorter month.

    This is :class:`dateutil.relativedelta.relativedelta` semantics (not
    :mod:`dateutil.rrule`, which would skip months without that day).

    >>> add_months(date(2024, 1, 31), 1)
    datetime.date(2024, 2, 29)
    >>> add_months(date(2024, 2, 29), 12)
    datetime.date(2025, 2, 28)
    """
    if isinstance(months, bool) or not isinstance(months, int):
        raise InvalidArgumentError("months", months, "expected an int")
    result: date = day + relativedelta(months=months)
    return result


class PeriodKind(enum.Enum):
    """The length of a :class:`Period`; the value is its letter in a code."""

    MONTH = "M"
    QUARTER = "Q"
    HALF_YEAR = "H"
    YEAR = "Y"

    @property
    def months(self) -> int:
        """How many calendar months one period of this kind spans."""
        return _MONTHS[self]

    @property
    def per_year(self) -> int:
        """How many periods of this kind fit in a year."""
        return 12 // _MONTHS[self]


_MONTHS: Final = {
    PeriodKind.MONTH: 1,
    PeriodKind.QUARTER: 3,
    PeriodKind.HALF_YEAR: 6,
    PeriodKind.YEAR: 12,
}

_CODE: Final = re.compile(r"(\d{4})(?:([MQH])(\d{1,2})|(Y))")
_DASHED_MONTH: Final = re.compile(r"(\d{4})-(\d{2})")
_COMPACT_MONTH: Final = re.compile(r"(\d{4})(\d{2})")


def _check_year(instance: object, attribute: object, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgumentError("year", value, "expected an int")
    if not _MIN_YEAR <= value <= _MAX_YEAR:
        raise InvalidArgumentError("year", value, f"expected {_MIN_YEAR}..{_MAX_YEAR}")


def _check_kind(instance: object, attribute: object, value: Any) -> None:
    if not isinstance(value, PeriodKind):
        raise InvalidArgumentError("kind", value, "expected a PeriodKind")


@final
@attrs.frozen(repr=False, order=False)
class Period:
    """A calendar month, quarter, half-year or year.

    Build one with :meth:`month`, :meth:`quarter`, :meth:`half_year`,
    :meth:`year_of`, :meth:`containing` or :meth:`parse`.
    Periods of one kind are ordered; comparing different kinds raises.

    Attributes:
        kind: Month, quarter, half-year or year.
        year: The calendar year.
        index: 1-based position in the year (month 1..12, quarter 1..4,
            half 1..2, and 1 for a year).
    """

    kind: PeriodKind = attrs.field(validator=_check_kind)
    year: int = attrs.field(validator=_check_year)
    index: int = attrs.field()

    @index.validator
    def _check_index(self, attribute: object, value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidArgumentError("index", value, "expected an int")
        if not 1 <= value <= self.kind.per_year:
            raise InvalidArgumentError(
                "index", value, f"a {self.kind.name.lower()} index is 1..{self.kind.per_year}"
            )

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """The calendar month ``year``-``month``.

        >>> str(Period.month(2024, 6))
        '2024M6'
        """
        return cls(PeriodKind.MONTH, year, month)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        """The calendar quarter ``quarter`` (1..4) of ``year``."""
        return cls(PeriodKind.QUARTER, year, quarter)

    @classmethod
    def half_year(cls, year: int, half: int) -> Period:
        """The half-year ``half`` (1..2) of ``year``."""
        return cls(PeriodKind.HALF_YEAR, year, half)

    @classmethod
    def year_of(cls, year: int) -> Period:
        """The calendar year ``year``."""
        return cls(PeriodKind.YEAR, year, 1)

    @classmethod
    def containing(cls, kind: PeriodKind, day: date) -> Period:
        """The period of ``kind`` that contains the calendar day ``day``.

        >>> str(Period.containing(PeriodKind.QUARTER, date(2024, 11, 30)))
        '2024Q4'
        """
        if not isinstance(day, date) or isinstance(day, datetime):
            raise InvalidArgumentError("day", day, "expected a date (use at() for an instant)")
        return cls(kind, day.year, (day.month - 1) // _MONTHS[kind] + 1)

    @classmethod
    def at(cls, kind: PeriodKind, instant: datetime, *, tz: tzinfo) -> Period:
        """The period of ``kind`` that contains ``instant`` as seen in ``tz``.

        >>> late = datetime(2024, 6, 30, 17, 0, tzinfo=UTC)
        >>> str(Period.at(PeriodKind.MONTH, late, tz=UTC)), str(
        ...     Period.at(PeriodKind.MONTH, late, tz=GMT_PLUS_8)
        ... )
        ('2024M6', '2024M7')
        """
        local = require_aware(instant, argument="instant").astimezone(tz)
        return cls.containing(kind, local.date())

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse a period code.

        Canonical codes are ``2024M6`` (or ``2024M06``), ``2024Q3``,
        ``2024H1`` and ``2024Y``.  Months are also read from the other forms
        the sources print: ``2024-06`` and ``202406``.

        >>> [str(Period.parse(t)) for t in ("2023M6", "2024-02", "202208", "2024Y")]
        ['2023M6', '2024M2', '2022M8', '2024Y']
        >>> Period.parse("2024Q5")
        Traceback (most recent call last):
        ...
        partnerkit.errors.InvalidArgumentError: invalid index=5: a quarter index is 1..4
        """
        if not isinstance(text, str):
            raise InvalidArgumentError("period", text, "expected a period code string")
        match = _CODE.fullmatch(text)
        if match:
            year = int(match.group(1))
            if match.group(4):
                return cls.year_of(year)
            kind = PeriodKind(match.group(2))
            return cls(kind, year, int(match.group(3)))
        match = _DASHED_MONTH.fullmatch(text) or _COMPACT_MONTH.fullmatch(text)
        if match:
            return cls.month(int(match.group(1)), int(match.group(2)))
        raise InvalidArgumentError(
            "period", text, "expected a code like 2024M6, 2024Q3, 2024H1, 2024Y or 2024-06"
        )

    @property
    def code(self) -> str:
        """The canonical code: ``2024M6``, ``2024Q3``, ``2024H1`` or ``2024Y``."""
        if self.kind is PeriodKind.YEAR:
            return f"{self.year:04d}Y"
        return f"{self.year:04d}{self.kind.value}{self.index}"

    @property
    def first_day(self) -> date:
        """The first calendar day of the period."""
        return date(self.year, (self.index - 1) * self.kind.months + 1, 1)

    @property
    def last_day(self) -> date:
        """The last calendar day of the period (inclusive)."""
        return add_months(self.first_day, self.kind.months) - timedelta(days=1)

    @property
    def days(self) -> int:
        """How many calendar days the period has.

        >>> Period.month(2024, 2).days, Period.month(2023, 2).days, Period.year_of(2024).days
        (29, 28, 366)
        """
        return (self.last_day - self.first_day).days + 1

    def contains(self, day: date) -> bool:
        """Whether the calendar day ``day`` lies in the period.

        >>> Period.month(2024, 2).contains(date(2024, 2, 29))
        True
        """
        if not isinstance(day, date) or isinstance(day, datetime):
            raise InvalidArgumentError("day", day, "expected a date (use contains_instant)")
        return self.first_day <= day <= self.last_day

    def start(self, tz: tzinfo) -> datetime:
        """The first instant of the period in ``tz`` (inclusive).

        >>> Period.month(2024, 6).start(GMT_PLUS_8).astimezone(UTC)
        datetime.datetime(2024, 5, 31, 16, 0, tzinfo=datetime.timezone.utc)
        """
        return datetime.combine(self.first_day, datetime.min.time(), tzinfo=tz)

    def end(self, tz: tzinfo) -> datetime:
        """The first instant *after* the period in ``tz`` (exclusive)."""
        return self.next().start(tz)

    def contains_instant(self, instant: datetime, *, tz: tzinfo) -> bool:
        """Whether ``instant`` falls in the period as seen in ``tz``.

        >>> june = Period.month(2024, 6)
        >>> june.contains_instant(datetime(2024, 5, 31, 16, 0, tzinfo=UTC), tz=GMT_PLUS_8)
        True
        """
        # Compare in UTC: Python compares two datetimes of the *same* zone by wall clock.
        moment = require_aware(instant, argument="instant").astimezone(UTC)
        return self.start(tz).astimezone(UTC) <= moment < self.end(tz).astimezone(UTC)

    def shift(self, count: int) -> Period:
        """The period ``count`` periods later (earlier when negative).

        >>> str(Period.month(2024, 11).shift(3)), str(Period.quarter(2024, 1).shift(-1))
        ('2025M2', '2023Q4')
        """
        if isinstance(count, bool) or not isinstance(count, int):
            raise InvalidArgumentError("count", count, "expected an int")
        ordinal = self.year * self.kind.per_year + (self.index - 1) + count
        year, offset = divmod(ordinal, self.kind.per_year)
        return Period(self.kind, year, offset + 1)

    def next(self) -> Period:
        """The following period of the same kind."""
        return self.shift(1)

    def previous(self) -> Period:
        """The preceding period of the same kind."""
        return self.shift(-1)

    def months(self) -> tuple[Period, ...]:
        """The calendar months the period spans, in order."""
        first = Period.containing(PeriodKind.MONTH, self.first_day)
        return tuple(first.shift(i) for i in range(self.kind.months))

    def __lt__(self, other: Period) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        self._same_kind(other, "<")
        return (self.year, self.index) < (other.year, other.index)

    def __le__(self, other: Period) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        self._same_kind(other, "<=")
        return (self.year, self.index) <= (other.year, other.index)

    def __gt__(self, other: Period) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        self._same_kind(other, ">")
        return (self.year, self.index) > (other.year, other.index)

    def __ge__(self, other: Period) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        self._same_kind(other, ">=")
        return (self.year, self.index) >= (other.year, other.index)

    def _same_kind(self, other: Period, operation: str) -> None:
        if other.kind is not self.kind:
            raise InvalidArgumentError(
                "other",
                other,
                f"cannot compare ({operation}) a {self.kind.name} with a {other.kind.name}",
            )

    def __repr__(self) -> str:
        return f"Period.parse({self.code!r})"

    def __str__(self) -> str:
        return self.code
