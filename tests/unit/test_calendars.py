from __future__ import annotations

from datetime import date, datetime

import pytest

from partnerkit.adapters.holiday_calendars import HolidaysCalendar, country_calendar
from partnerkit.calendars import (
    WEEKENDS,
    DayOfMonth,
    MonthlySchedule,
    NthWorkingDay,
    Roll,
    WeekdayCalendar,
    WorkingCalendar,
    add_working_days,
    nth_working_day,
    roll_backward,
    roll_forward,
    working_days_between,
)
from partnerkit.errors import InvalidArgumentError
from partnerkit.periods import Period

# 2024: 1 May (Wed) is a holiday in this synthetic calendar, and so is 2 May.
MAY_DAY = WeekdayCalendar(holidays={date(2024, 5, 1), date(2024, 5, 2), date(2024, 5, 3)})
CHINA = country_calendar("CN")

ASC = MonthlySchedule(
    {
        "statistics": DayOfMonth(7),
        "confirm": DayOfMonth(10),
        "invoice": DayOfMonth(15),
        "payment": DayOfMonth(25),
    }
)


class TestWeekdayCalendar:
    def test_weekends_are_not_worked(self) -> None:
        week = [date(2024, 6, d) for d in range(3, 10)]  # Monday 3 June .. Sunday 9 June
        assert [WEEKENDS.is_working_day(d) for d in week] == [True] * 5 + [False] * 2

    def test_holidays_and_make_up_days(self) -> None:
        cal = WeekdayCalendar(holidays={date(2025, 10, 8)}, working_days={date(2025, 10, 11)})
        assert not cal.is_working_day(date(2025, 10, 8))  # a Wednesday holiday
        assert cal.is_working_day(date(2025, 10, 11))  # a make-up Saturday
        assert not cal.is_working_day(date(2025, 10, 12))

    def test_other_weekends(self) -> None:
        friday_saturday = WeekdayCalendar(weekend={4, 5})
        assert not friday_saturday.is_working_day(date(2024, 6, 7))
        assert friday_saturday.is_working_day(date(2024, 6, 9))

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"weekend": {0, 1, 2, 3, 4, 5, 6}},
            {"weekend": {7}},
            {"weekend": {True}},
            {"holidays": {"2024-01-01"}},
            {"holidays": {datetime(2024, 1, 1)}},  # noqa: DTZ001
            {"holidays": {date(2024, 1, 1)}, "working_days": {date(2024, 1, 1)}},
        ],
    )
    def test_bad_configuration_is_refused(self, kwargs: dict[str, object]) -> None:
        with pytest.raises(InvalidArgumentError):
            WeekdayCalendar(**kwargs)  # type: ignore[arg-type]

    def test_satisfies_the_protocol(self) -> None:
        assert isinstance(WEEKENDS, WorkingCalendar)
        assert isinstance(CHINA, WorkingCalendar)

    def test_day_must_be_a_date(self) -> None:
        with pytest.raises(InvalidArgumentError):
            WEEKENDS.is_working_day(datetime(2024, 6, 3))  # noqa: DTZ001


class TestRolling:
    def test_a_working_day_stays(self) -> None:
        assert roll_forward(WEEKENDS, date(2024, 6, 3)) == date(2024, 6, 3)
        assert roll_backward(WEEKENDS, date(2024, 6, 3)) == date(2024, 6, 3)

    def test_two_non_working_days_in_a_row(self) -> None:
        assert roll_forward(WEEKENDS, date(2024, 6, 8)) == date(2024, 6, 10)
        assert roll_backward(WEEKENDS, date(2024, 6, 9)) == date(2024, 6, 7)

    def test_holiday_chain_running_into_a_weekend(self) -> None:
        # Wed 1 .. Fri 3 May are holidays and Sat 4 / Sun 5 the weekend: five days in a row.
        assert roll_forward(MAY_DAY, date(2024, 5, 1)) == date(2024, 5, 6)
        assert roll_backward(MAY_DAY, date(2024, 5, 5)) == date(2024, 4, 30)

    def test_china_national_day_chain_ends_on_a_make_up_saturday(self) -> None:
        # 1-8 October 2025 are holidays; Saturday 11 October is worked instead.
        assert roll_forward(CHINA, date(2025, 10, 1)) == date(2025, 10, 9)
        assert add_working_days(CHINA, date(2025, 10, 10), 1) == date(2025, 10, 11)
        assert add_working_days(WEEKENDS, date(2025, 10, 10), 1) == date(2025, 10, 13)

    def test_a_calendar_without_working_days_is_reported(self) -> None:
        class Never:
            def is_working_day(self, day: date, /) -> bool:
                return False

        with pytest.raises(InvalidArgumentError) as info:
            roll_forward(Never(), date(2024, 1, 1))
        assert info.value.argument == "calendar"

    def test_not_a_calendar(self) -> None:
        with pytest.raises(InvalidArgumentError):
            roll_forward(object(), date(2024, 1, 1))  # type: ignore[arg-type]


class TestWorkingDayArithmetic:
    def test_mdf_lead_time_example(self) -> None:
        """incentives.md DC-INC-15 example: 10 working days after Fri 2024-09-06 is Fri 09-20."""
        activity = date(2024, 9, 20)
        assert add_working_days(WEEKENDS, date(2024, 9, 6), 10) <= activity
        assert add_working_days(WEEKENDS, date(2024, 9, 9), 10) > activity

    def test_counting_starts_after_the_day(self) -> None:
        saturday = date(2024, 6, 8)
        assert add_working_days(WEEKENDS, saturday, 1) == date(2024, 6, 10)
        assert add_working_days(WEEKENDS, saturday, 0) == saturday
        assert add_working_days(WEEKENDS, date(2024, 6, 10), -1) == date(2024, 6, 7)

    def test_across_a_holiday_chain(self) -> None:
        assert add_working_days(MAY_DAY, date(2024, 4, 30), 1) == date(2024, 5, 6)
        assert add_working_days(MAY_DAY, date(2024, 5, 6), -1) == date(2024, 4, 30)

    def test_between_counts_half_open(self) -> None:
        assert working_days_between(WEEKENDS, date(2024, 6, 7), date(2024, 6, 14)) == 5
        assert working_days_between(WEEKENDS, date(2024, 6, 14), date(2024, 6, 7)) == -5
        assert working_days_between(WEEKENDS, date(2024, 6, 10), date(2024, 6, 7)) == -1
        assert working_days_between(WEEKENDS, date(2024, 6, 8), date(2024, 6, 9)) == 0

    def test_count_must_be_an_int(self) -> None:
        with pytest.raises(InvalidArgumentError):
            add_working_days(WEEKENDS, date(2024, 6, 7), 1.0)  # type: ignore[arg-type]


class TestMonthRules:
    def test_nth_working_day(self) -> None:
        assert nth_working_day(WEEKENDS, 2024, 6, 1) == date(2024, 6, 3)
        assert nth_working_day(WEEKENDS, 2024, 6, 2) == date(2024, 6, 4)
        assert nth_working_day(MAY_DAY, 2024, 5, 1) == date(2024, 5, 6)
        assert nth_working_day(WEEKENDS, 2024, 7, 1) == date(2024, 7, 1)

    def test_nth_working_day_beyond_the_month(self) -> None:
        with pytest.raises(InvalidArgumentError):
            nth_working_day(WEEKENDS, 2024, 2, 22)
        with pytest.raises(InvalidArgumentError):
            nth_working_day(WEEKENDS, 2024, 2, 0)

    @pytest.mark.parametrize(
        ("day", "year", "month", "expected"),
        [
            (29, 2023, 2, date(2023, 2, 28)),  # clamped to Tue 28 Feb
            (30, 2024, 2, date(2024, 2, 29)),  # clamped to Thu 29 Feb
            (31, 2024, 4, date(2024, 4, 30)),  # clamped to Tue 30 Apr
            (31, 2024, 8, date(2024, 9, 2)),  # Sat 31 Aug rolls into September
            (30, 2024, 11, date(2024, 12, 2)),  # Sat 30 Nov
        ],
    )
    def test_day_of_month_at_month_ends(
        self, day: int, year: int, month: int, expected: date
    ) -> None:
        assert DayOfMonth(day).date_in(year, month, WEEKENDS) == expected

    def test_day_of_month_roll_modes(self) -> None:
        assert DayOfMonth(8, Roll.PRECEDING).date_in(2024, 6, WEEKENDS) == date(2024, 6, 7)
        assert DayOfMonth(8, Roll.NONE).date_in(2024, 6, WEEKENDS) == date(2024, 6, 8)

    @pytest.mark.parametrize("day", [0, 32, True, 7.0])
    def test_bad_day_of_month(self, day: object) -> None:
        with pytest.raises(InvalidArgumentError):
            DayOfMonth(day)  # type: ignore[arg-type]

    @pytest.mark.parametrize("n", [0, 24, False])
    def test_bad_nth(self, n: object) -> None:
        with pytest.raises(InvalidArgumentError):
            NthWorkingDay(n)  # type: ignore[arg-type]

    def test_nth_working_day_rule(self) -> None:
        assert NthWorkingDay(2).date_in(2024, 6, WEEKENDS) == date(2024, 6, 4)


class TestMonthlySchedule:
    def test_asc_commission_cycle_in_china(self) -> None:
        """Seed 004 L60: the 7th, 10th, 15th and 25th of M+1, each postponed past holidays."""
        dates = ASC.dates_for(Period.month(2025, 9), CHINA)
        assert dates == {
            "statistics": date(2025, 10, 9),  # 7 Oct is inside National Day week
            "confirm": date(2025, 10, 10),
            "invoice": date(2025, 10, 15),
            "payment": date(2025, 10, 27),  # Sat 25 Oct rolls to Monday
        }

    def test_quarterly_statements_use_the_month_after_the_quarter(self) -> None:
        dates = ASC.dates_for(Period.quarter(2024, 3), WEEKENDS)
        assert dates["statistics"] == date(2024, 10, 7)

    def test_december_rolls_into_the_next_year(self) -> None:
        assert ASC.dates_for(Period.month(2024, 12), WEEKENDS)["payment"] == date(2025, 1, 27)

    @pytest.mark.parametrize(
        "milestones",
        [
            (),
            {},
            (("a", DayOfMonth(1)), ("a", DayOfMonth(2))),
            (("a", 1),),
            ((1, DayOfMonth(1)),),
        ],
    )
    def test_bad_milestones(self, milestones: object) -> None:
        with pytest.raises(InvalidArgumentError):
            MonthlySchedule(milestones)  # type: ignore[arg-type]

    def test_needs_a_period(self) -> None:
        with pytest.raises(InvalidArgumentError):
            ASC.dates_for("2024M6", WEEKENDS)  # type: ignore[arg-type]


class TestHolidaysAdapter:
    def test_make_up_saturday_and_substituted_weekday(self) -> None:
        assert CHINA.is_working_day(date(2025, 10, 11))  # Saturday, worked
        assert CHINA.is_working_day(date(2025, 9, 28))  # Sunday, worked
        assert not CHINA.is_working_day(date(2025, 10, 8))  # Wednesday, a holiday
        assert not CHINA.is_working_day(date(2025, 10, 12))  # an ordinary Sunday

    def test_unknown_country(self) -> None:
        with pytest.raises(InvalidArgumentError):
            HolidaysCalendar("ZZ")

    def test_rejects_non_dates(self) -> None:
        with pytest.raises(InvalidArgumentError):
            CHINA.is_working_day("2025-10-11")  # type: ignore[arg-type]
        assert repr(CHINA) == "HolidaysCalendar('CN', subdiv=None)"
