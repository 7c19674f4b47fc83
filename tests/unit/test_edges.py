from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal

import attrs
import cattrs
import pytest
from babel import Locale

from partnerkit.errors import InvalidArgumentError, UnknownCurrencyError
from partnerkit.events import Event
from partnerkit.formatting import format_money, format_rate
from partnerkit.ids import ActorId
from partnerkit.money import Currency, Money, Rate, Rounding
from partnerkit.periods import GMT_PLUS_8, Period, PeriodKind
from partnerkit.serialization import make_converter

CONVERTER = make_converter()


@attrs.frozen(kw_only=True)
class Charged(Event):
    amount: Money
    rate: Rate
    period: Period
    on: date
    kind: PeriodKind


class TestSerialization:
    def test_money_travels_with_a_string_amount(self) -> None:
        wire = json.dumps(CONVERTER.unstructure(Money.of("12.30", "USD")))
        assert wire == '{"amount": "12.30", "currency": "USD"}'

    def test_small_and_large_amounts_stay_in_plain_notation(self) -> None:
        zero8 = Money.of("0", "USD").round(8, rounding=Rounding.HALF_UP)
        assert CONVERTER.unstructure(zero8) == {"amount": "0.00000000", "currency": "USD"}
        assert CONVERTER.unstructure(Decimal("1E-10")) == "0.0000000001"

    def test_an_event_round_trips_through_json(self) -> None:
        event = Charged(
            occurred_at=datetime(2024, 6, 1, 9, 0, tzinfo=GMT_PLUS_8),
            actor=ActorId("p-1"),
            reason="monthly bill",
            amount=Money.of("7192.0574925", "USD"),
            rate=Rate("0.16"),
            period=Period.parse("2024M6"),
            on=date(2024, 7, 5),
            kind=PeriodKind.QUARTER,
        )
        data = json.loads(json.dumps(CONVERTER.unstructure(event)))
        assert data["occurred_at"] == "2024-06-01T09:00:00+08:00"
        assert data["rate"] == "0.16"
        assert data["period"] == "2024M6"
        assert data["kind"] == "Q"
        back = CONVERTER.structure(data, Charged)
        assert back == event
        assert back.occurred_at.utcoffset() == timedelta(hours=8)

    @pytest.mark.parametrize(
        ("payload", "target"),
        [
            ({"amount": 12.3, "currency": "USD"}, Money),
            ({"amount": "1e3", "currency": "USD"}, Money),
            ({"amount": "1", "currency": "XYZ"}, Money),
            ({"amount": "1"}, Money),
            ("12.30 USD", Money),
            (1.5, Decimal),
            ("2024-06-01T00:00:00", datetime),
            ("yesterday", datetime),
            (20240601, datetime),
            ("2024-13-01", date),
            (20240601, date),
            ("1.5", Rate),
            ("2024M13", Period),
        ],
    )
    def test_bad_payloads_raise_partnerkit_errors(self, payload: object, target: type) -> None:
        with pytest.raises(InvalidArgumentError):
            CONVERTER.structure(payload, target)

    def test_errors_inside_classes_keep_the_partnerkit_leaf(self) -> None:
        data = {"occurred_at": "2024-06-01T00:00:00", "actor": "p-1", "reason": None}
        with pytest.raises(cattrs.ClassValidationError) as info:
            CONVERTER.structure(data, Event)
        assert any(isinstance(e, InvalidArgumentError) for e in info.value.exceptions)

    def test_unstructuring_a_naive_datetime_is_refused(self) -> None:
        with pytest.raises(InvalidArgumentError):
            CONVERTER.unstructure(datetime(2024, 1, 1))  # noqa: DTZ001

    def test_currency_by_code(self) -> None:
        assert CONVERTER.unstructure(Currency("JPY")) == "JPY"
        assert CONVERTER.structure("JPY", Currency) == Currency("JPY")
        with pytest.raises(UnknownCurrencyError):
            CONVERTER.structure("ABC", Currency)


class TestFormatting:
    @pytest.mark.parametrize(
        ("money", "locale", "expected"),
        [
            (Money.of("1234.5", "USD"), "en_US", "$1,234.50"),
            (Money.of("1234.5", "EUR"), "de_DE", "1.234,50\xa0€"),
            (Money.of("-7192.0574925", "CNY"), "zh_CN", "-¥7,192.06"),
            (Money.of("1234", "JPY"), "ja_JP", "￥1,234"),
            (Money.of("1.2345", "KWD"), "en_US", "KWD1.235"),
        ],
    )
    def test_locale_is_explicit(self, money: Money, locale: str, expected: str) -> None:
        assert format_money(money, locale=locale) == expected

    def test_display_rounding_is_named(self) -> None:
        half = Money.of("0.125", "USD")
        assert format_money(half, locale="en_US") == "$0.13"
        assert format_money(half, locale="en_US", rounding=Rounding.HALF_EVEN) == "$0.12"
        assert format_money(half, locale="en_US", rounding=Rounding.DOWN) == "$0.12"

    def test_eight_places_keep_trailing_zeros(self) -> None:
        assert format_money(Money.of("80", "USD"), locale="en_US", places=8) == "$80.00000000"

    def test_babel_locale_objects_work(self) -> None:
        assert format_money(Money.of("1", "USD"), locale=Locale.parse("en_GB")) == "US$1.00"

    @pytest.mark.parametrize("locale", [None, "", "xx_XX", "not a locale", 42])
    def test_locale_is_required_and_checked(self, locale: object) -> None:
        with pytest.raises(InvalidArgumentError) as info:
            format_money(Money.of("1", "USD"), locale=locale)  # type: ignore[arg-type]
        assert info.value.argument == "locale"

    def test_rates(self) -> None:
        assert format_rate(Rate("0.0474"), locale="en_US") == "4.74%"
        assert format_rate(Rate("0.16"), locale="de_DE", places=0) == "16\xa0%"

    def test_wrong_types(self) -> None:
        with pytest.raises(InvalidArgumentError):
            format_money(Decimal(1), locale="en_US")  # type: ignore[arg-type]
        with pytest.raises(InvalidArgumentError):
            format_rate(Decimal(1), locale="en_US")  # type: ignore[arg-type]
