from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from partnerkit.errors import InvalidArgumentError
from partnerkit.periods import GMT_PLUS_8, UTC, Period, PeriodKind, add_months, require_aware


class TestParsing:
    @pytest.mark.parametrize(
        ("text", "kind", "year", "index"),
        [
            ("2024M6", PeriodKind.MONTH, 2024, 6),
            ("2024M06", PeriodKind.MONTH, 2024, 6),
            ("2023M12", PeriodKind.MONTH, 2023, 12),
            ("2024Q3", PeriodKind.QUARTER, 2024, 3),
            ("2024H2", PeriodKind.HALF_YEAR, 2024, 2),
            ("2024Y", PeriodKind.YEAR, 2024, 1),
            ("2024-02", PeriodKind.MONTH, 2024, 2),
            ("202208", PeriodKind.MONTH, 2022, 8),
        ],
    )
    def test_codes_from_the_sources(
        self, text: str, kind: PeriodKind, year: int, index: int
    ) -> None:
        """incentives.md EX: parsing 2024Q3, 2024Y and 2023M6; the other month forms of 1.1."""
        assert Period.parse(text) == Period(kind, year, index)

    @pytest.mark.parametrize(
        "text",
        ["2024M13", "2024M0", "2024Q0", "2024Q5", "2024H3", "24M6", "2024-13", "2024", "", "2024y"],
    )
    def test_bad_codes_are_refused(self, text: str) -> None:
        with pytest.raises(InvalidArgumentError):
            Period.parse(text)

    def test_parse_needs_a_string(self) -> None:
        with pytest.raises(InvalidArgumentError):
            Period.parse(202406)  # type: ignore[arg-type]

    def test_canonical_codes_have_no_zero_padding(self) -> None:
        assert [
            str(p) for p in (Period.month(2024, 5), Period.quarter(2023, 1), Period.year_of(2024))
        ] == [
            "2024M5",
            "2023Q1",
            "2024Y",
        ]
        assert repr(Period.half_year(2024, 1)) == "Period.parse('2024H1')"

    @pytest.mark.parametrize(
        ("kind", "year", "index"),
        [
            (PeriodKind.MONTH, 2024, 13),
            (PeriodKind.YEAR, 2024, 2),
            (PeriodKind.MONTH, 0, 1),
            (PeriodKind.MONTH, 2024.0, 1),
            (PeriodKind.MONTH, 2024, True),
            ("M", 2024, 1),
        ],
    )
    def test_construction_validates(self, kind: object, year: object, index: object) -> None:
        with pytest.raises(InvalidArgumentError):
            Period(kind, year, index)  # type: ignore[arg-type]


class TestCalendarBounds:
    @pytest.mark.parametrize(
        ("period", "first", "last", "days"),
        [
            (Period.month(2024, 2), date(2024, 2, 1), date(2024, 2, 29), 29),
            (Period.month(2023, 2), date(2023, 2, 1), date(2023, 2, 28), 28),
            (Period.month(2100, 2), date(2100, 2, 1), date(2100, 2, 28), 28),
            (Period.month(2000, 2), date(2000, 2, 1), date(2000, 2, 29), 29),
            (Period.month(2024, 4), date(2024, 4, 1), date(2024, 4, 30), 30),
            (Period.month(2024, 12), date(2024, 12, 1), date(2024, 12, 31), 31),
            (Period.quarter(2024, 1), date(2024, 1, 1), date(2024, 3, 31), 91),
            (Period.half_year(2024, 2), date(2024, 7, 1), date(2024, 12, 31), 184),
            (Period.year_of(2023), date(2023, 1, 1), date(2023, 12, 31), 365),
        ],
    )
    def test_month_ends_and_leap_years(
        self, period: Period, first: date, last: date, days: int
    ) -> None:
        assert (period.first_day, period.last_day, period.days) == (first, last, days)
        assert period.contains(last)
        assert not period.contains(last + timedelta(days=1))
        assert not period.contains(first - timedelta(days=1))

    def test_containing_a_day(self) -> None:
        assert Period.containing(PeriodKind.QUARTER, date(2024, 3, 31)) == Period.quarter(2024, 1)
        assert Period.containing(PeriodKind.HALF_YEAR, date(2024, 7, 1)) == Period.half_year(
            2024, 2
        )

    def test_days_and_instants_are_not_mixed_up(self) -> None:
        instant = datetime(2024, 6, 1, tzinfo=UTC)
        with pytest.raises(InvalidArgumentError):
            Period.containing(PeriodKind.MONTH, instant)
        with pytest.raises(InvalidArgumentError):
            Period.month(2024, 6).contains(instant)


class TestTimeZones:
    def test_huawei_months_start_at_midnight_beijing(self) -> None:
        june = Period.month(2024, 6)
        assert june.start(GMT_PLUS_8) == datetime(2024, 5, 31, 16, 0, tzinfo=UTC)
        assert june.end(GMT_PLUS_8) == datetime(2024, 6, 30, 16, 0, tzinfo=UTC)

    def test_an_instant_belongs_to_different_months_in_different_zones(self) -> None:
        instant = datetime(2024, 6, 30, 16, 0, tzinfo=UTC)  # 2024-07-01 00:00 in Beijing
        assert Period.at(PeriodKind.MONTH, instant, tz=UTC) == Period.month(2024, 6)
        assert Period.at(PeriodKind.MONTH, instant, tz=GMT_PLUS_8) == Period.month(2024, 7)
        assert not Period.month(2024, 6).contains_instant(instant, tz=GMT_PLUS_8)
        just_before = instant - timedelta(microseconds=1)
        assert Period.month(2024, 6).contains_instant(just_before, tz=GMT_PLUS_8)

    def test_year_boundary_in_a_negative_offset(self) -> None:
        new_york = ZoneInfo("America/New_York")
        instant = datetime(2025, 1, 1, 3, 0, tzinfo=UTC)
        assert Period.at(PeriodKind.YEAR, instant, tz=new_york) == Period.year_of(2024)
        assert Period.at(PeriodKind.QUARTER, instant, tz=UTC) == Period.quarter(2025, 1)

    def test_dst_zone_month_has_its_real_length(self) -> None:
        berlin = ZoneInfo("Europe/Berlin")
        march = Period.month(2024, 3)
        elapsed = march.end(berlin).astimezone(UTC) - march.start(berlin).astimezone(UTC)
        assert elapsed == timedelta(days=31, hours=-1)

    def test_naive_instants_are_refused(self) -> None:
        with pytest.raises(InvalidArgumentError):
            Period.at(PeriodKind.MONTH, datetime(2024, 6, 1), tz=UTC)  # noqa: DTZ001
        with pytest.raises(InvalidArgumentError):
            Period.month(2024, 6).contains_instant(datetime(2024, 6, 1), tz=UTC)  # noqa: DTZ001


class TestNavigation:
    def test_next_and_previous_cross_years(self) -> None:
        assert Period.month(2024, 12).next() == Period.month(2025, 1)
        assert Period.month(2025, 1).previous() == Period.month(2024, 12)
        assert Period.quarter(2024, 4).next() == Period.quarter(2025, 1)
        assert Period.half_year(2024, 1).previous() == Period.half_year(2023, 2)
        assert Period.year_of(2024).shift(-24) == Period.year_of(2000)

    def test_months_of_each_kind(self) -> None:
        assert Period.half_year(2024, 2).months() == tuple(
            Period.month(2024, m) for m in range(7, 13)
        )
        assert len(Period.year_of(2024).months()) == 12
        assert Period.month(2024, 2).months() == (Period.month(2024, 2),)

    def test_shift_needs_an_int(self) -> None:
        with pytest.raises(InvalidArgumentError):
            Period.month(2024, 1).shift(1.0)  # type: ignore[arg-type]

    def test_ordering_within_a_kind(self) -> None:
        assert Period.month(2024, 1) < Period.month(2024, 2) <= Period.month(2024, 2)
        assert Period.month(2025, 1) > Period.month(2024, 12) >= Period.month(2024, 12)
        assert sorted([Period.quarter(2024, 2), Period.quarter(2023, 4)])[0] == Period.quarter(
            2023, 4
        )

    @pytest.mark.parametrize(
        "operation",
        [
            lambda a, b: a < b,
            lambda a, b: a <= b,
            lambda a, b: a > b,
            lambda a, b: a >= b,
        ],
    )
    def test_ordering_across_kinds_is_refused(self, operation: object) -> None:
        with pytest.raises(InvalidArgumentError):
            operation(Period.month(2024, 1), Period.quarter(2024, 1))  # type: ignore[operator]
        with pytest.raises(TypeError):
            operation(Period.month(2024, 1), "2024M1")  # type: ignore[operator]


class TestAddMonths:
    @pytest.mark.parametrize(
        ("start", "months", "expected"),
        [
            (date(2024, 1, 29), 1, date(2024, 2, 29)),
            (date(2024, 1, 30), 1, date(2024, 2, 29)),
            (date(2024, 1, 31), 1, date(2024, 2, 29)),
            (date(2023, 1, 31), 1, date(2023, 2, 28)),
            (date(2024, 3, 31), 1, date(2024, 4, 30)),
            (date(2024, 3, 31), -1, date(2024, 2, 29)),
            (date(2024, 2, 29), 12, date(2025, 2, 28)),
            (date(2024, 2, 29), 48, date(2028, 2, 29)),
            (date(2024, 8, 31), 3, date(2024, 11, 30)),
        ],
    )
    def test_clamps_to_month_end(self, start: date, months: int, expected: date) -> None:
        assert add_months(start, months) == expected

    def test_months_must_be_an_int(self) -> None:
        with pytest.raises(InvalidArgumentError):
            add_months(date(2024, 1, 1), 1.0)  # type: ignore[arg-type]


class TestRequireAware:
    def test_accepts_any_aware_zone(self) -> None:
        value = datetime(2024, 1, 1, tzinfo=timezone(timedelta(hours=-5)))
        assert require_aware(value) is value

    @pytest.mark.parametrize("value", [datetime(2024, 1, 1), date(2024, 1, 1), "2024-01-01T00:00Z"])  # noqa: DTZ001
    def test_refuses_naive_and_non_datetimes(self, value: object) -> None:
        with pytest.raises(InvalidArgumentError) as info:
            require_aware(value, argument="when")
        assert info.value.argument == "when"
