from __future__ import annotations

import decimal
from decimal import Decimal

import pytest

from partnerkit.errors import (
    CurrencyMismatchError,
    InvalidArgumentError,
    PartnerkitError,
    PrecisionError,
    UnknownCurrencyError,
)
from partnerkit.money import (
    Currency,
    Money,
    Rate,
    Rounding,
    allocate,
    divide,
    quantize,
    to_decimal,
    total,
)

USD = Currency("USD")
EUR = Currency("EUR")
JPY = Currency("JPY")
KWD = Currency("KWD")


def usd(amount: str) -> Money:
    return Money(amount, USD)


class TestCurrency:
    def test_minor_units_come_from_cldr(self) -> None:
        assert [c.minor_units for c in (USD, JPY, KWD, Currency("CNY"))] == [2, 0, 3, 2]

    @pytest.mark.parametrize("code", ["XYZ", "usd", "", "US", 840, None])
    def test_unknown_codes_raise(self, code: object) -> None:
        with pytest.raises(UnknownCurrencyError) as info:
            Currency(code)  # type: ignore[arg-type]
        assert info.value.code == code
        assert isinstance(info.value, PartnerkitError)
        assert isinstance(info.value, ValueError)

    def test_currencies_are_values(self) -> None:
        assert Currency("USD") == USD
        assert hash(Currency("USD")) == hash(USD)
        assert repr(USD) == "Currency('USD')"
        assert str(USD) == "USD"

    def test_zero_starts_sums_of_empty_bills(self) -> None:
        assert sum([], USD.zero) == Money(0, USD)
        assert USD.zero.is_zero()


class TestConstruction:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("12.30", Decimal("12.30")),
            ("-0.00000001", Decimal("-0.00000001")),
            ("+7", Decimal("7")),
            (12, Decimal("12")),
            (Decimal("1E+2"), Decimal("100")),
            (Decimal("-0"), Decimal("0")),
        ],
    )
    def test_accepts_exact_amounts(self, raw: Decimal | int | str, expected: Decimal) -> None:
        amount = Money(raw, USD).amount
        assert amount == expected
        assert amount.as_tuple() == expected.as_tuple()

    def test_keeps_trailing_zeros(self) -> None:
        assert repr(usd("12.30")) == "Money('12.30', 'USD')"
        assert str(usd("0.00000000")) == "0.00000000 USD"

    @pytest.mark.parametrize(
        "raw",
        [
            1.5,
            0.1,
            True,
            False,
            "1e3",
            "1E+2",
            " 5",
            "1,000",
            "12.",
            ".5",
            "NaN",
            "Infinity",
            "",
            Decimal("NaN"),
            Decimal("sNaN"),
            Decimal("Infinity"),
            Decimal("-Infinity"),
            None,
            [1],
        ],
    )
    def test_rejects_inexact_or_non_numbers(self, raw: object) -> None:
        with pytest.raises(InvalidArgumentError) as info:
            Money(raw, USD)  # type: ignore[arg-type]
        assert info.value.argument == "amount"

    def test_rejects_a_missing_or_wrong_currency(self) -> None:
        with pytest.raises(InvalidArgumentError) as info:
            Money("1", "USD")  # type: ignore[arg-type]
        assert info.value.argument == "currency"

    def test_of_accepts_a_code(self) -> None:
        assert Money.of("1.00", "USD") == usd("1.00")

    def test_money_is_frozen(self) -> None:
        m = usd("1")
        with pytest.raises(AttributeError):
            m.amount = Decimal(2)  # type: ignore[misc]


class TestArithmetic:
    def test_add_sub_neg_abs(self) -> None:
        assert usd("10.10") + usd("0.05") == usd("10.15")
        assert usd("10.10") - usd("10.15") == usd("-0.05")
        assert -usd("3.5") == usd("-3.5")
        assert abs(usd("-3.5")) == usd("3.5")

    def test_multiplication_by_decimal_int_and_rate(self) -> None:
        assert usd("2.50") * Decimal("1.5") == usd("3.750")
        assert 3 * usd("2.50") == usd("7.50")
        assert usd("200") * Rate("0.25") == usd("50")
        assert Rate("0.25") * usd("200") == usd("50")

    def test_money_divided_by_money_is_a_ratio(self) -> None:
        ratio = usd("1") / usd("3")
        assert isinstance(ratio, Decimal)
        assert ratio == Decimal("0.3333333333333333333333333333333333")

    def test_division_by_zero_money_is_refused(self) -> None:
        with pytest.raises(InvalidArgumentError):
            usd("1") / usd("0")

    @pytest.mark.parametrize(
        "operation",
        [
            lambda: usd("1") + 1,  # type: ignore[operator]
            lambda: 1 + usd("1"),  # type: ignore[operator]
            lambda: usd("1") - Decimal(1),  # type: ignore[operator]
            lambda: usd("1") * usd("1"),  # type: ignore[operator]
            lambda: usd("1") * 1.5,  # type: ignore[operator]
            lambda: usd("1") * True,
            lambda: usd("1") * Decimal("NaN"),
            lambda: usd("1") / 2,  # type: ignore[operator]
            lambda: 2 / usd("1"),  # type: ignore[operator]
            lambda: usd("1") < 2,  # type: ignore[operator]
            lambda: usd("1") >= Decimal(0),  # type: ignore[operator]
            lambda: usd("1") <= 2,  # type: ignore[operator]
            lambda: usd("1") > 2,  # type: ignore[operator]
            lambda: usd("1") ** 2,  # type: ignore[operator]
            lambda: usd("1") // usd("1"),  # type: ignore[operator]
        ],
    )
    def test_everything_else_is_a_type_error(self, operation: object) -> None:
        with pytest.raises(TypeError):
            operation()  # type: ignore[operator]

    @pytest.mark.parametrize(
        ("operation", "symbol"),
        [
            (lambda a, b: a + b, "+"),
            (lambda a, b: a - b, "-"),
            (lambda a, b: a / b, "/"),
            (lambda a, b: a < b, "<"),
            (lambda a, b: a <= b, "<="),
            (lambda a, b: a > b, ">"),
            (lambda a, b: a >= b, ">="),
        ],
    )
    def test_two_currencies_raise_a_mismatch(self, operation: object, symbol: str) -> None:
        with pytest.raises(CurrencyMismatchError) as info:
            operation(usd("1"), Money("1", EUR))  # type: ignore[operator]
        assert (info.value.left, info.value.right, info.value.operation) == ("USD", "EUR", symbol)

    def test_equality_across_currencies_is_false_not_an_error(self) -> None:
        assert usd("1") != Money("1", EUR)
        assert usd("1.0") == usd("1.00")

    def test_ordering_within_a_currency(self) -> None:
        assert usd("1") < usd("2") <= usd("2") < usd("3")
        assert usd("3") > usd("2") >= usd("2")
        assert max(usd("1"), usd("5"), usd("3")) == usd("5")

    def test_predicates(self) -> None:
        assert usd("0.00").is_zero()
        assert usd("0.01").is_positive()
        assert usd("-0.01").is_negative()
        assert not usd("0").is_positive()
        assert not usd("0").is_negative()

    def test_exact_arithmetic_refuses_to_round_silently(self) -> None:
        huge = usd("1" + "0" * 70)
        tiny = usd("0." + "0" * 10 + "1")
        with pytest.raises(PrecisionError):
            huge + tiny

    def test_arithmetic_ignores_the_ambient_decimal_context(self) -> None:
        with decimal.localcontext() as ctx:
            ctx.prec = 3
            ctx.rounding = decimal.ROUND_FLOOR
            assert usd("1234.5678") + usd("0.0001") == usd("1234.5679")
            assert usd("1234.5678").round(rounding=Rounding.HALF_UP) == usd("1234.57")
            assert usd("1") / usd("3") == Decimal("0.3333333333333333333333333333333333")


class TestRounding:
    @pytest.mark.parametrize(
        ("mode", "positive", "negative"),
        [
            (Rounding.HALF_UP, "2.35", "-2.35"),
            (Rounding.HALF_EVEN, "2.34", "-2.34"),
            (Rounding.DOWN, "2.34", "-2.34"),
            (Rounding.UP, "2.35", "-2.35"),
        ],
    )
    def test_named_modes_on_an_exact_half(
        self, mode: Rounding, positive: str, negative: str
    ) -> None:
        assert usd("2.345").round(rounding=mode) == usd(positive)
        assert usd("-2.345").round(rounding=mode) == usd(negative)

    def test_default_places_are_the_currency_minor_units(self) -> None:
        assert Money("2.5", JPY).round(rounding=Rounding.HALF_UP) == Money("3", JPY)
        assert (
            Money("1.23456", KWD).round(rounding=Rounding.HALF_UP).amount.as_tuple().exponent == -3
        )

    def test_places_used_by_the_spec(self) -> None:
        line = usd("1.123456789012345")
        assert line.round(2, rounding=Rounding.HALF_UP) == usd("1.12")
        assert line.round(8, rounding=Rounding.HALF_UP) == usd("1.12345679")
        assert line.round(10, rounding=Rounding.DOWN) == usd("1.1234567890")

    @pytest.mark.parametrize("places", [-1, 29, 1.5, True, "2"])
    def test_bad_places_are_refused(self, places: object) -> None:
        with pytest.raises(InvalidArgumentError):
            usd("1").round(places, rounding=Rounding.HALF_UP)  # type: ignore[arg-type]

    def test_rounding_must_be_named(self) -> None:
        with pytest.raises(InvalidArgumentError):
            quantize(Decimal("1.5"), 0, rounding=decimal.ROUND_HALF_UP)  # type: ignore[arg-type]

    def test_monthly_total_rounded_once_example_ex04(self) -> None:
        """billing.md EX-04: lines keep full precision, the total is rounded once."""
        lines = [usd("8083.8494925"), usd("-853.8495"), usd("-37.9425")]
        exact = total(lines, currency=USD)
        assert exact == usd("7192.0574925")
        assert exact.round(rounding=Rounding.HALF_UP) == usd("7192.06")
        hourly = [usd("0.016"), usd("0.019"), usd("0.0199")]
        truncated = total((h.round(rounding=Rounding.DOWN) for h in hourly), currency=USD)
        per_line = total((h.round(rounding=Rounding.HALF_UP) for h in hourly), currency=USD)
        once = total(hourly, currency=USD).round(rounding=Rounding.HALF_UP)
        assert (truncated, per_line, once) == (usd("0.03"), usd("0.06"), usd("0.05"))


class TestMinorUnits:
    def test_round_trip(self) -> None:
        assert usd("12.30").to_minor_units() == 1230
        assert Money.from_minor_units(1230, USD) == usd("12.30")
        assert Money.from_minor_units(-5, "JPY") == Money("-5", JPY)

    def test_never_truncates(self) -> None:
        with pytest.raises(PrecisionError):
            usd("12.305").to_minor_units()

    def test_units_must_be_an_int(self) -> None:
        with pytest.raises(InvalidArgumentError):
            Money.from_minor_units(12.5, USD)  # type: ignore[arg-type]


class TestConvert:
    def test_exact_then_explicitly_rounded(self) -> None:
        """billing.md EX-05: 31.44 USD at 7.7565 HKD is 243.864360, shown 243.86."""
        converted = usd("31.44").convert("HKD", rate=Decimal("7.7565"))
        assert converted == Money("243.864360", Currency("HKD"))
        assert converted.round(rounding=Rounding.HALF_UP) == Money("243.86", Currency("HKD"))

    @pytest.mark.parametrize("rate", [0, -1, "0.0", 1.1])
    def test_rate_must_be_positive_and_exact(self, rate: object) -> None:
        with pytest.raises(InvalidArgumentError):
            usd("1").convert("HKD", rate=rate)  # type: ignore[arg-type]


class TestAllocate:
    def test_three_equal_parts(self) -> None:
        parts = allocate(usd("100.00"), [1, 1, 1], rounding=Rounding.DOWN)
        assert parts == (usd("33.34"), usd("33.33"), usd("33.33"))

    def test_zero_weight_gets_exactly_zero(self) -> None:
        parts = allocate(usd("0.05"), [0, 1, 1], rounding=Rounding.HALF_EVEN)
        assert parts[0] == usd("0")
        assert parts[1] + parts[2] == usd("0.05")

    def test_rounding_up_takes_units_from_the_most_overpaid(self) -> None:
        parts = allocate(usd("1.00"), [1, 1, 1], rounding=Rounding.UP)
        assert parts == (usd("0.33"), usd("0.33"), usd("0.34"))

    def test_negative_totals(self) -> None:
        parts = allocate(usd("-100.00"), [1, 1, 1], rounding=Rounding.DOWN)
        assert parts == (usd("-33.34"), usd("-33.33"), usd("-33.33"))

    def test_more_places(self) -> None:
        parts = allocate(usd("1"), [1, 2], rounding=Rounding.HALF_UP, places=8)
        assert parts == (usd("0.33333333"), usd("0.66666667"))

    def test_total_with_more_places_than_allowed_is_refused(self) -> None:
        with pytest.raises(PrecisionError):
            allocate(usd("0.005"), [1, 1], rounding=Rounding.DOWN)

    @pytest.mark.parametrize(
        "weights", [[], [0, 0], [1, -1], [1.5], "11", [True], None, [Decimal("NaN")]]
    )
    def test_bad_weights_are_refused(self, weights: object) -> None:
        with pytest.raises(InvalidArgumentError):
            allocate(usd("1"), weights, rounding=Rounding.DOWN)  # type: ignore[arg-type]

    def test_rounding_must_be_named(self) -> None:
        with pytest.raises(InvalidArgumentError):
            allocate(usd("1"), [1], rounding="down")  # type: ignore[arg-type]


class TestRate:
    def test_percent_round_trip(self) -> None:
        assert Rate.from_percent(16) == Rate("0.16")
        assert Rate("0.0474").percent == Decimal("4.74")
        assert str(Rate("0.0474")) == "4.74%"
        assert repr(Rate("0.5")) == "Rate('0.5')"

    def test_complement_is_what_the_payer_pays(self) -> None:
        """billing.md 0.2: a discount of d % means paying (1 - d/100) of the base."""
        assert usd("1000") * Rate.from_percent(25).complement() == usd("750.00")

    def test_rates_are_ordered(self) -> None:
        assert Rate("0.1") < Rate("0.2")

    @pytest.mark.parametrize("value", ["-0.01", "1.01", 2, 0.5, "NaN", True])
    def test_out_of_range_or_inexact_is_refused(self, value: object) -> None:
        with pytest.raises(InvalidArgumentError):
            Rate(value)  # type: ignore[arg-type]

    def test_bounds_are_inclusive(self) -> None:
        assert Rate(0).value == 0
        assert Rate(1).complement() == Rate(0)


def test_to_decimal_names_the_argument() -> None:
    with pytest.raises(InvalidArgumentError) as info:
        to_decimal(0.5, argument="price")
    assert info.value.argument == "price"
    assert info.value.value == 0.5


def test_total_refuses_non_money_and_mixed_currencies() -> None:
    """total() checks every item, like Money + Money."""
    with pytest.raises(InvalidArgumentError):
        total([Decimal(1)], currency="USD")  # type: ignore[list-item]
    with pytest.raises(CurrencyMismatchError):
        total([Money.of("1", "USD"), Money.of("1", "EUR")], currency="USD")


def test_divide_refuses_zero_and_non_finite() -> None:
    """divide() is the context-free ratio; bad operands are named."""
    assert divide(Decimal(2), Decimal(8)) == Decimal("0.25")
    with pytest.raises(InvalidArgumentError):
        divide(Decimal(1), Decimal(0))
    with pytest.raises(InvalidArgumentError):
        divide(Decimal("NaN"), Decimal(1))
