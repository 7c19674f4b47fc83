"""Working-day calendars and the schedule rules built on them.

A calendar is anything with ``is_working_day(day) -> bool``
(:class:`WorkingCalendar`).
The default, :data:`WEEKENDS`, treats Saturday and Sunday as non-working;
:class:`WeekdayCalendar` adds public holidays and *make-up working days*:
China moves working days onto weekends around its holidays (in 2025,
Saturday 11 October is a working day and Wednesday 8 October is not), so a
calendar that only knows holidays gets settlement dates wrong.
:mod:`partnerkit.adapters.holiday_calendars` wraps the ``holidays`` package
for real country data.

The arithmetic follows spec DC-INC-15: "postponed on a holiday" is
:func:`roll_forward`; "N working days after X" counts from the first working
day after X (:func:`add_working_days`); "at least N working days before D"
is ``add_working_days(submitted, N) <= D``.

>>> from datetime import date
>>> add_working_days(WEEKENDS, date(2024, 9, 6), 10)  # a Friday
datetime.date(2024, 9, 20)
>>> statistics_day = DayOfMonth(7)  # Alibaba ASC: "the 7th, postponed on holidays"
>>> statistics_day.date_in(2024, 9, WEEKENDS)  # 7 Sep 2024 is a Saturday
datetime.date(2024, 9, 9)
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import enum
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any, Final, Protocol, final, runtime_checkable

import attrs

from partnerkit._construct import checked
from partnerkit.errors import InvalidArgumentError
from partnerkit.periods import Period

__all__ = [
    "WEEKENDS",
    "DayOfMonth",
    "MonthlySchedule",
    "NthWorkingDay",
    "Roll",
    "ScheduleRule",
    "WeekdayCalendar",
    "WorkingCalendar",
    "add_working_days",
    "nth_working_day",
    "roll_backward",
    "roll_forward",
    "working_days_between",
]

#: How far any search for a working day may look before the calendar is
#: declared broken (a calendar with no working day at all).
SEARCH_LIMIT_DAYS: Final = 3660
_ONE_DAY: Final = timedelta(days=1)


@runtime_checkable
class WorkingCalendar(Protocol):
    """Anything that can tell a working day from a non-working one."""

    def is_working_day(self, day: date, /) -> bool:
        """Whether ``day`` is a working day."""
        ...


def _check_day(value: object, argument: str = "day") -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidArgumentError(argument, value, "expected a calendar date")
    return value


def _check_calendar(value: object) -> WorkingCalendar:
    if not isinstance(value, WorkingCalendar):
        raise InvalidArgumentError(
            "calendar", value, "expected an object with is_working_day(date) -> bool"
        )
    return value


def _dates(value: Iterable[date]) -> frozenset[date]:
    return frozenset(_check_day(d, "holidays") for d in value)


def _weekdays(value: Iterable[int]) -> frozenset[int]:
    days = frozenset(value)
    if not all(isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 6 for d in days):
        raise InvalidArgumentError("weekend", value, "weekdays are 0 (Monday) .. 6 (Sunday)")
    if len(days) == 7:
        raise InvalidArgumentError("weekend", value, "a calendar needs at least one working day")
    return days


@checked
@final
@attrs.frozen
class WeekdayCalendar:
    """Weekends plus holidays, minus make-up working days.

    Attributes:
        weekend: Weekday numbers that are not worked (0 = Monday); default
            Saturday and Sunday.
        holidays: Dates that are not worked even on a weekday.
        working_days: Make-up working days: dates that *are* worked even on a
            weekend.  A date in both ``holidays`` and ``working_days`` is
            refused.

    >>> cal = WeekdayCalendar(holidays={date(2025, 10, 8)}, working_days={date(2025, 10, 11)})
    >>> cal.is_working_day(date(2025, 10, 8)), cal.is_working_day(date(2025, 10, 11))
    (False, True)
    """

    weekend: frozenset[int] = attrs.field(default=frozenset({5, 6}), converter=_weekdays)
    holidays: frozenset[date] = attrs.field(factory=frozenset, converter=_dates)
    working_days: frozenset[date] = attrs.field(factory=frozenset, converter=_dates)

    def __attrs_post_init__(self) -> None:
        both = self.holidays & self.working_days
        if both:
            raise InvalidArgumentError(
                "working_days", sorted(both), "a date cannot be a holiday and a working day"
            )

    def is_working_day(self, day: date, /) -> bool:
        """Whether ``day`` is a working day."""
        _check_day(day)
        if day in self.working_days:
            return True
        if day in self.holidays:
            return False
        return day.weekday() not in self.weekend


#: Monday to Friday, no holidays.  The default calendar.
WEEKENDS: Final = WeekdayCalendar()


def _step_to_working_day(calendar: WorkingCalendar, day: date, step: timedelta) -> date:
    current = day
    for _ in range(SEARCH_LIMIT_DAYS):
        if calendar.is_working_day(current):
            return current
        current += step
    raise InvalidArgumentError(
        "calendar", calendar, f"no working day within {SEARCH_LIMIT_DAYS} days of {day}"
    )


def roll_forward(calendar: WorkingCalendar, day: date) -> date:
    """``day`` if it is a working day, else the next working day.

    This is "postponed when it falls on a holiday" (``遇节假日顺延``, seed
    004).  Chains of non-working days are crossed in one go.

    >>> roll_forward(WEEKENDS, date(2024, 6, 8))  # Saturday -> Monday
    datetime.date(2024, 6, 10)
    """
    return _step_to_working_day(_check_calendar(calendar), _check_day(day), _ONE_DAY)


def roll_backward(calendar: WorkingCalendar, day: date) -> date:
    """``day`` if it is a working day, else the previous working day.

    >>> roll_backward(WEEKENDS, date(2024, 6, 9))  # Sunday -> Friday
    datetime.date(2024, 6, 7)
    """
    return _step_to_working_day(_check_calendar(calendar), _check_day(day), -_ONE_DAY)


def add_working_days(calendar: WorkingCalendar, day: date, count: int) -> date:
    """The ``count``-th working day after ``day`` (before it when negative).

    ``day`` itself never counts, working or not; ``count == 0`` returns
    ``day`` unchanged.

    >>> add_working_days(WEEKENDS, date(2024, 6, 7), 1)  # Friday -> Monday
    datetime.date(2024, 6, 10)
    >>> add_working_days(WEEKENDS, date(2024, 6, 10), -1)
    datetime.date(2024, 6, 7)
    """
    cal = _check_calendar(calendar)
    current = _check_day(day)
    if isinstance(count, bool) or not isinstance(count, int):
        raise InvalidArgumentError("count", count, "expected an int")
    step = _ONE_DAY if count >= 0 else -_ONE_DAY
    for _ in range(abs(count)):
        current = _step_to_working_day(cal, current + step, step)
    return current


def working_days_between(calendar: WorkingCalendar, start: date, end: date) -> int:
    """How many working days separate ``start`` from ``end``.

    Forward it counts the working days in ``(start, end]``; backward (``end <
    start``) it is minus the working days in ``[end, start)``.  So it is the
    inverse of :func:`add_working_days`:
    ``working_days_between(cal, d, add_working_days(cal, d, n)) == n``.

    >>> working_days_between(WEEKENDS, date(2024, 6, 7), date(2024, 6, 14))
    5
    >>> working_days_between(WEEKENDS, date(2024, 6, 8), date(2024, 6, 7))
    -1
    """
    cal = _check_calendar(calendar)
    first, last = _check_day(start, "start"), _check_day(end, "end")
    if last >= first:
        low, high, sign = first + _ONE_DAY, last, 1
    else:
        low, high, sign = last, first - _ONE_DAY, -1
    count = 0
    current = low
    while current <= high:
        count += cal.is_working_day(current)
        current += _ONE_DAY
    return sign * count


def nth_working_day(calendar: WorkingCalendar, year: int, month: int, n: int) -> date:
    """The ``n``-th working day of a calendar month (``n >= 1``).

    >>> nth_working_day(WEEKENDS, 2024, 6, 2)  # 1 June 2024 is a Saturday
    datetime.date(2024, 6, 4)
    """
    cal = _check_calendar(calendar)
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise InvalidArgumentError("n", n, "expected an int >= 1")
    first = Period.month(year, month).first_day
    found = first if cal.is_working_day(first) else add_working_days(cal, first, 1)
    if n > 1:
        found = add_working_days(cal, found, n - 1)
    if found.month != month:
        raise InvalidArgumentError(
            "n", n, f"{year}-{month:02d} has fewer than {n} working days in this calendar"
        )
    return found


class Roll(enum.Enum):
    """What a schedule date does when it lands on a non-working day."""

    #: Keep the date as it is.
    NONE = "none"
    #: Move to the next working day (``遇节假日顺延``).
    FOLLOWING = "following"
    #: Move to the previous working day.
    PRECEDING = "preceding"


def _check_day_of_month(instance: object, attribute: object, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 31:
        raise InvalidArgumentError("day", value, "expected a day of month 1..31")


def _check_n(instance: object, attribute: object, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 23:
        raise InvalidArgumentError("n", value, "expected a working-day number 1..23")


@final
@attrs.frozen
class DayOfMonth:
    """A fixed day of the month, rolled off non-working days.

    A day beyond the month's end is clamped to its last day first (the 31st
    of February is the 28th or 29th), then rolled.

    Attributes:
        day: 1..31.
        roll: What to do on a non-working day; default :attr:`Roll.FOLLOWING`.

    >>> DayOfMonth(31).date_in(2024, 2, WEEKENDS)  # 29 Feb 2024 is a Thursday
    datetime.date(2024, 2, 29)
    """

    day: int = attrs.field(validator=_check_day_of_month)
    roll: Roll = Roll.FOLLOWING

    def date_in(self, year: int, month: int, calendar: WorkingCalendar) -> date:
        """The date this rule gives in ``year``-``month``."""
        period = Period.month(year, month)
        last = _stdlib_calendar.monthrange(period.year, period.index)[1]
        nominal = date(period.year, period.index, min(self.day, last))
        if self.roll is Roll.FOLLOWING:
            return roll_forward(calendar, nominal)
        if self.roll is Roll.PRECEDING:
            return roll_backward(calendar, nominal)
        _check_calendar(calendar)
        return nominal


@final
@attrs.frozen
class NthWorkingDay:
    """The n-th working day of the month ("the 2nd working day").

    >>> NthWorkingDay(1).date_in(2024, 9, WEEKENDS)
    datetime.date(2024, 9, 2)
    """

    n: int = attrs.field(validator=_check_n)

    def date_in(self, year: int, month: int, calendar: WorkingCalendar) -> date:
        """The date this rule gives in ``year``-``month``."""
        return nth_working_day(calendar, year, month, self.n)


#: A rule that yields one date per month.
ScheduleRule = DayOfMonth | NthWorkingDay


def _check_milestones(instance: object, attribute: object, value: object) -> None:
    if not isinstance(value, tuple) or not value:
        raise InvalidArgumentError("milestones", value, "expected a non-empty tuple")
    names = [name for name, _ in value]
    if len(set(names)) != len(names):
        raise InvalidArgumentError("milestones", value, "milestone names must be unique")
    for name, rule in value:
        if not isinstance(name, str) or not isinstance(rule, DayOfMonth | NthWorkingDay):
            raise InvalidArgumentError("milestones", value, "expected (name, rule) pairs")


def _milestone_tuple(
    value: Mapping[str, ScheduleRule] | tuple[tuple[str, ScheduleRule], ...],
) -> tuple[tuple[str, ScheduleRule], ...]:
    if isinstance(value, Mapping):
        return tuple(value.items())
    return tuple(value)


@checked
@final
@attrs.frozen
class MonthlySchedule:
    """Named dates that recur in the month(s) after a statement period.

    Alibaba's authorised-service-centre commission cycle (seed 004, spec
    incentives C22) is four milestones in month M+1 for statement month M,
    each postponed when it falls on a holiday:

    >>> asc = MonthlySchedule(
    ...     {"statistics": DayOfMonth(7), "confirm": DayOfMonth(10),
    ...      "invoice": DayOfMonth(15), "payment": DayOfMonth(25)}
    ... )
    >>> asc.dates_for(Period.month(2024, 8), WEEKENDS)["statistics"]
    datetime.date(2024, 9, 9)

    Attributes:
        milestones: ``(name, rule)`` pairs in order (a mapping is accepted).
        months_after: How many months after the period's *last* month the
            milestones fall; default 1.
    """

    milestones: tuple[tuple[str, ScheduleRule], ...] = attrs.field(
        converter=_milestone_tuple, validator=_check_milestones
    )
    months_after: int = 1

    def dates_for(self, period: Period, calendar: WorkingCalendar) -> dict[str, date]:
        """The milestone dates for statement ``period``, in milestone order."""
        if not isinstance(period, Period):
            raise InvalidArgumentError("period", period, "expected a Period")
        month = period.months()[-1].shift(self.months_after)
        return {
            name: rule.date_in(month.year, month.index, calendar) for name, rule in self.milestones
        }
