from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from partnerkit.calendars import (
    WEEKENDS,
    WeekdayCalendar,
    add_working_days,
    roll_forward,
    working_days_between,
)
from partnerkit.events import Event
from partnerkit.money import Currency, Money, Rate, Rounding
from partnerkit.periods import Period, PeriodKind, add_months
from partnerkit.serialization import make_converter
from partnerkit.testing.strategies import (
    amounts,
    aware_datetimes,
    currencies,
    events,
    money,
    periods,
    rates,
    time_zones,
)

CONVERTER = make_converter()


def _round_trip(value: Any, kind: type) -> Any:
    return CONVERTER.structure(json.loads(json.dumps(CONVERTER.unstructure(value))), kind)


@given(money())
def test_money_json_round_trip_is_identity(value: Money) -> None:
    back = _round_trip(value, Money)
    assert back == value
    assert back.amount.as_tuple() == value.amount.as_tuple()


@given(currencies())
def test_currency_json_round_trip_is_identity(value: Currency) -> None:
    assert _round_trip(value, Currency) == value


@given(amounts(places=12))
def test_decimal_json_round_trip_is_identity(value: Decimal) -> None:
    back = _round_trip(value, Decimal)
    assert back.as_tuple() == value.as_tuple() or (value.is_zero() and back.is_zero())


@given(rates())
def test_rate_json_round_trip_is_identity(value: Rate) -> None:
    assert _round_trip(value, Rate) == value


@given(periods())
def test_period_json_round_trip_is_identity(value: Period) -> None:
    assert _round_trip(value, Period) == value


@given(aware_datetimes())
def test_datetime_json_round_trip_keeps_instant_and_offset(value: datetime) -> None:
    back = _round_trip(value, datetime)
    assert back == value
    assert back.utcoffset() == value.utcoffset()


@given(st.dates())
def test_date_json_round_trip_is_identity(value: date) -> None:
    assert _round_trip(value, date) == value


@given(st.sampled_from(PeriodKind), st.sampled_from(Rounding))
def test_enum_json_round_trip_is_identity(kind: PeriodKind, rounding: Rounding) -> None:
    assert _round_trip(kind, PeriodKind) is kind
    assert _round_trip(rounding, Rounding) is rounding


@given(events())
def test_event_json_round_trip_is_identity(value: Event) -> None:
    assert _round_trip(value, Event) == value


@given(periods())
def test_period_codes_parse_back(period: Period) -> None:
    assert Period.parse(period.code) == period


@given(periods(), st.integers(min_value=-200, max_value=200))
def test_shifting_is_invertible_and_ordered(period: Period, count: int) -> None:
    moved = period.shift(count)
    assert moved.shift(-count) == period
    assert (moved > period) == (count > 0)


@given(periods())
def test_periods_tile_the_calendar(period: Period) -> None:
    assert period.next().first_day == period.last_day + timedelta(days=1)
    months = period.months()
    assert months[0].first_day == period.first_day
    assert months[-1].last_day == period.last_day
    assert sum(m.days for m in months) == period.days


@given(aware_datetimes(), st.sampled_from(PeriodKind), time_zones())
def test_the_period_at_an_instant_contains_it(instant: datetime, kind: PeriodKind, tz: Any) -> None:
    period = Period.at(kind, instant, tz=tz)
    assert period.contains_instant(instant, tz=tz)
    assert not period.next().contains_instant(instant, tz=tz)
    assert not period.previous().contains_instant(instant, tz=tz)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)), st.integers(-60, 60))
def test_add_months_clamps_but_never_overflows_the_month(day: date, months: int) -> None:
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == min(day.day, Period.month(moved.year, moved.month).last_day.day)


holidays = st.frozensets(
    st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 12, 31)), max_size=60
)


@given(holidays, st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 11, 30)))
def test_roll_forward_lands_on_the_first_working_day(days_off: frozenset[date], day: date) -> None:
    calendar = WeekdayCalendar(holidays=days_off)
    rolled = roll_forward(calendar, day)
    assert calendar.is_working_day(rolled)
    assert rolled >= day
    assert all(
        not calendar.is_working_day(day + timedelta(days=i)) for i in range((rolled - day).days)
    )


@given(
    holidays,
    st.dates(min_value=date(2024, 2, 1), max_value=date(2024, 10, 31)),
    st.integers(min_value=-20, max_value=20),
)
def test_add_working_days_is_counted_by_working_days_between(
    days_off: frozenset[date], day: date, count: int
) -> None:
    calendar = WeekdayCalendar(holidays=days_off)
    moved = add_working_days(calendar, day, count)
    assert working_days_between(calendar, day, moved) == count
    if count:
        assert calendar.is_working_day(moved)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_weekend_calendar_never_rolls_more_than_two_days(day: date) -> None:
    assert (roll_forward(WEEKENDS, day) - day).days <= 2
