"""Exact money: currencies, amounts, named rounding, allocation and rates.

Money in partnerkit is a :class:`~decimal.Decimal` amount with a
:class:`Currency`, never a float.
Amounts keep their full precision until somebody rounds them *explicitly*
with a named :class:`Rounding` mode: Huawei bills since cycle 2021-08 keep
line amounts exact and round only the monthly total (spec ``billing.md``
I-10), and coupon deductions live at 8 decimal places.

No function here reads or sets the ambient :mod:`decimal` context.
Additions, subtractions and multiplications run in a private context of
60 significant digits that *traps* inexact results, so they are either exact
or raise :class:`~partnerkit.errors.PrecisionError`.
The one inherently inexact operation, ``Money / Money``, returns a ratio
computed to 34 significant digits with half-even rounding.

>>> usd = Currency("USD")
>>> line_a = Money("8083.8494925", usd)
>>> total = line_a - Money("853.8495", usd) - Money("37.9425", usd)
>>> total
Money('7192.0574925', 'USD')
>>> total.round(rounding=Rounding.HALF_UP)
Money('7192.06', 'USD')
"""

from __future__ import annotations

import decimal
import enum
import functools
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final, final

import attrs
from babel import numbers as _babel_numbers

from partnerkit.errors import (
    CurrencyMismatchError,
    InvalidArgumentError,
    PrecisionError,
    UnknownCurrencyError,
)

__all__ = [
    "AmountLike",
    "Currency",
    "Money",
    "Rate",
    "Rounding",
    "allocate",
    "divide",
    "quantize",
    "scale",
    "to_decimal",
    "total",
]

#: What :class:`Money` and :class:`Rate` accept as an amount.
#: ``str`` must be a plain decimal numeral such as ``"-12.30"``.
AmountLike = Decimal | int | str

#: Significant digits carried by exact arithmetic.  Far beyond any bill.
EXACT_DIGITS: Final = 60
#: Significant digits of the ratio returned by ``Money / Money``.
RATIO_DIGITS: Final = 34

_EXACT: Final = decimal.Context(
    prec=EXACT_DIGITS,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=-999_999,
    Emax=999_999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow, decimal.Inexact],
)
_QUANTIZE: Final = decimal.Context(
    prec=EXACT_DIGITS,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=-999_999,
    Emax=999_999,
    traps=[decimal.InvalidOperation, decimal.Overflow],
)
_RATIO: Final = decimal.Context(
    prec=RATIO_DIGITS,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=-999_999,
    Emax=999_999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
_MAX_PLACES: Final = 28
_NUMERAL: Final = re.compile(r"[+-]?\d+(\.\d+)?")
_ONE: Final = Decimal(1)


class Rounding(enum.Enum):
    """The named rounding modes partnerkit uses; every rounding names one.

    ``HALF_UP`` rounds halves away from zero (the ordinary meaning of "rounded
    off", spec DC-01 default); ``HALF_EVEN`` is banker's rounding; ``DOWN``
    truncates toward zero (Huawei's pre-2021-06 "truncated" bills); ``UP``
    rounds away from zero.

    >>> [Money("-2.345", Currency("USD")).round(rounding=r).amount for r in Rounding]
    [Decimal('-2.35'), Decimal('-2.34'), Decimal('-2.34'), Decimal('-2.35')]
    """

    HALF_UP = "half-up"
    HALF_EVEN = "half-even"
    DOWN = "down"
    UP = "up"

    @property
    def decimal_mode(self) -> str:
        """The matching :mod:`decimal` rounding constant."""
        return _DECIMAL_MODES[self]


_DECIMAL_MODES: Final = {
    Rounding.HALF_UP: decimal.ROUND_HALF_UP,
    Rounding.HALF_EVEN: decimal.ROUND_HALF_EVEN,
    Rounding.DOWN: decimal.ROUND_DOWN,
    Rounding.UP: decimal.ROUND_UP,
}


def to_decimal(value: object, *, argument: str = "amount") -> Decimal:
    """Turn an :data:`AmountLike` into a finite :class:`~decimal.Decimal`, or refuse.

    Floats and bools are refused (a float has already lost the cents), and so
    are NaN, infinities and strings that are not a plain decimal numeral
    (``"1e3"``, ``" 5"``, ``"1,000"``).

    >>> to_decimal("12.30")
    Decimal('12.30')
    >>> to_decimal(0.1)
    Traceback (most recent call last):
    ...
    partnerkit.errors.InvalidArgumentError: invalid amount=0.1: floats are not exact; pass a Decimal or a string such as '12.30'
    """  # noqa: E501
    if isinstance(value, bool):
        raise InvalidArgumentError(argument, value, "bool is not a number")
    if isinstance(value, float):
        raise InvalidArgumentError(
            argument, value, "floats are not exact; pass a Decimal or a string such as '12.30'"
        )
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        if not _NUMERAL.fullmatch(value):
            raise InvalidArgumentError(
                argument, value, "expected a plain decimal numeral such as '-12.30'"
            )
        result = Decimal(value)
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidArgumentError(argument, value, "NaN and infinity are not amounts")
        result = value
        exponent = result.as_tuple().exponent
        if isinstance(exponent, int) and exponent > 0:
            try:
                result = result.quantize(_ONE, context=_EXACT)
            except decimal.DecimalException as exc:
                raise InvalidArgumentError(
                    argument, value, "too large for exact arithmetic"
                ) from exc
    else:
        raise InvalidArgumentError(
            argument, value, f"expected Decimal, int or str, got {type(value).__name__}"
        )
    if result.is_zero() and result.is_signed():
        result = result.copy_abs()
    return result


def quantize(value: Decimal, places: int, *, rounding: Rounding) -> Decimal:
    """Round a Decimal to ``places`` decimal places with a named mode.

    >>> quantize(Decimal("0.125"), 2, rounding=Rounding.HALF_EVEN)
    Decimal('0.12')
    >>> quantize(Decimal("1.23456789012"), 10, rounding=Rounding.DOWN)
    Decimal('1.2345678901')
    """
    _check_places(places)
    if not isinstance(rounding, Rounding):
        raise InvalidArgumentError("rounding", rounding, "expected a partnerkit Rounding")
    exponent = Decimal((0, (1,), -places))
    return value.quantize(exponent, rounding=rounding.decimal_mode, context=_QUANTIZE)


def _to_amount(value: AmountLike) -> Decimal:
    """The attrs converter of ``Money.amount``; typed so that mypy rejects floats."""
    return to_decimal(value)


def divide(numerator: Decimal, denominator: Decimal) -> Decimal:
    """A ratio of two Decimals to 34 significant digits, half-even (the ``Money / Money`` context).

    >>> divide(Decimal(1), Decimal(3))
    Decimal('0.3333333333333333333333333333333333')
    """
    if not isinstance(denominator, Decimal) or not denominator.is_finite() or denominator.is_zero():
        raise InvalidArgumentError(
            "denominator", denominator, "expected a finite, non-zero Decimal"
        )
    if not isinstance(numerator, Decimal) or not numerator.is_finite():
        raise InvalidArgumentError("numerator", numerator, "expected a finite Decimal")
    return _RATIO.divide(numerator, denominator)


def scale(value: Decimal, places: int) -> Decimal:
    """``value * 10**places``, exactly, without the ambient decimal context.

    >>> scale(Decimal("0.75"), 2), scale(Decimal("75"), -2)
    (Decimal('75'), Decimal('0.75'))
    """
    if isinstance(places, bool) or not isinstance(places, int):
        raise InvalidArgumentError("places", places, "expected an int")
    return value.scaleb(places, context=_EXACT)


def _check_places(places: object) -> None:
    if isinstance(places, bool) or not isinstance(places, int):
        raise InvalidArgumentError("places", places, "expected an int")
    if not 0 <= places <= _MAX_PLACES:
        raise InvalidArgumentError("places", places, f"expected 0..{_MAX_PLACES}")


def _exact(operation: str, left: Decimal, right: Decimal) -> Decimal:
    try:
        if operation == "+":
            return _EXACT.add(left, right)
        if operation == "-":
            return _EXACT.subtract(left, right)
        return _EXACT.multiply(left, right)
    except decimal.Inexact as exc:
        raise PrecisionError(
            "amount",
            f"{left} {operation} {right}",
            f"the exact result needs more than {EXACT_DIGITS} significant digits",
        ) from exc


@functools.cache
def _minor_units(code: str) -> int:
    return _babel_numbers.get_currency_precision(code)


@functools.cache
def _known(code: str) -> bool:
    return _babel_numbers.is_currency(code)


@final
@attrs.frozen(init=False, repr=False)
class Currency:
    """An ISO 4217 currency with its minor units from babel's CLDR data.

    Codes are upper case and must be known to CLDR; anything else raises
    :class:`~partnerkit.errors.UnknownCurrencyError`.
    The minor units are CLDR's accounting digits, which match ISO 4217 for
    every currency in the spec (USD 2, CNY 2, JPY 0, CLP 0, KWD 3).

    >>> Currency("USD").minor_units, Currency("JPY").minor_units
    (2, 0)
    >>> Currency("XYZ")
    Traceback (most recent call last):
    ...
    partnerkit.errors.UnknownCurrencyError: invalid currency='XYZ': not an ISO 4217 currency code known to CLDR
    """  # noqa: E501

    code: str
    minor_units: int

    def __init__(self, code: str) -> None:
        if not isinstance(code, str) or not _known(code):
            raise UnknownCurrencyError(code)
        self.__attrs_init__(code, _minor_units(code))

    @property
    def zero(self) -> Money:
        """A zero amount in this currency, the start value of every sum.

        >>> sum([], Currency("EUR").zero)
        Money('0', 'EUR')
        """
        return Money(Decimal(0), self)

    def __repr__(self) -> str:
        return f"Currency({self.code!r})"

    def __str__(self) -> str:
        return self.code


def _to_currency(value: Currency | str) -> Currency:
    return value if isinstance(value, Currency) else Currency(value)


def _check_currency(instance: object, attribute: object, value: Any) -> None:
    if not isinstance(value, Currency):
        raise InvalidArgumentError("currency", value, "expected a partnerkit Currency")


@final
@attrs.frozen(repr=False, order=False)
class Money:
    """An exact amount of one currency.

    Arithmetic stays inside one currency: ``+``, ``-``, unary ``-``, ``abs``,
    ``Money * (Decimal | int | Rate)`` and ``Money / Money`` (a
    :class:`~decimal.Decimal` ratio).
    Anything else is a :class:`TypeError`, which mypy reports too; two
    currencies in one operation raise
    :class:`~partnerkit.errors.CurrencyMismatchError`.
    Equality compares amount and currency, so ``USD 1 == EUR 1`` is simply
    ``False``; ordering comparisons across currencies raise.

    >>> usd = Currency("USD")
    >>> Money("10.10", usd) + Money(5, usd)
    Money('15.10', 'USD')
    >>> Money("10.10", usd) * Decimal("0.5")
    Money('5.050', 'USD')
    >>> Money("10", usd) / Money("4", usd)
    Decimal('2.5')
    >>> Money("1", usd) + Money("1", Currency("EUR"))
    Traceback (most recent call last):
    ...
    partnerkit.errors.CurrencyMismatchError: cannot + USD and EUR: currencies differ
    """

    amount: Decimal = attrs.field(converter=_to_amount)
    currency: Currency = attrs.field(validator=_check_currency)

    @classmethod
    def _trusted(cls, amount: Decimal, currency: Currency) -> Money:
        """Build from a finite Decimal that partnerkit itself computed; skips validation."""
        result = object.__new__(cls)
        object.__setattr__(result, "amount", amount.copy_abs() if amount.is_zero() else amount)
        object.__setattr__(result, "currency", currency)
        return result

    @classmethod
    def zero(cls, currency: Currency | str) -> Money:
        """Zero in ``currency``.

        >>> Money.zero("CNY")
        Money('0', 'CNY')
        """
        return cls(Decimal(0), _to_currency(currency))

    @classmethod
    def of(cls, amount: AmountLike, currency: Currency | str) -> Money:
        """Build from an amount and a currency or currency code.

        >>> Money.of("12.30", "USD")
        Money('12.30', 'USD')
        """
        return cls(amount, _to_currency(currency))

    @classmethod
    def from_minor_units(cls, units: int, currency: Currency | str) -> Money:
        """Build from an integer count of minor units (cents).

        >>> Money.from_minor_units(1230, "USD")
        Money('12.30', 'USD')
        """
        if isinstance(units, bool) or not isinstance(units, int):
            raise InvalidArgumentError("units", units, "expected an int count of minor units")
        cur = _to_currency(currency)
        return cls(Decimal(units).scaleb(-cur.minor_units, context=_EXACT), cur)

    def to_minor_units(self) -> int:
        """The amount as an integer count of minor units; never truncates.

        >>> Money.of("12.30", "USD").to_minor_units()
        1230
        >>> Money.of("12.305", "USD").to_minor_units()
        Traceback (most recent call last):
        ...
        partnerkit.errors.PrecisionError: invalid amount=Money('12.305', 'USD'): not a whole number of minor units; round it first
        """  # noqa: E501
        scaled = self.amount.scaleb(self.currency.minor_units, context=_EXACT)
        if scaled != scaled.to_integral_value(context=_QUANTIZE):
            raise PrecisionError(
                "amount", self, "not a whole number of minor units; round it first"
            )
        return int(scaled)

    def round(self, places: int | None = None, *, rounding: Rounding) -> Money:
        """Round to ``places`` decimal places (default: the currency's minor units).

        The rounding mode is required: there is no hidden default.

        >>> Money.of("0.125", "USD").round(rounding=Rounding.HALF_EVEN)
        Money('0.12', 'USD')
        >>> Money.of("1.123456789", "USD").round(8, rounding=Rounding.HALF_UP)
        Money('1.12345679', 'USD')
        """
        digits = self.currency.minor_units if places is None else places
        return Money._trusted(quantize(self.amount, digits, rounding=rounding), self.currency)

    def convert(self, currency: Currency | str, *, rate: AmountLike) -> Money:
        """The exact amount in ``currency`` at ``rate`` units of it per unit of ours.

        Nothing is rounded: round the result explicitly (spec DC-28 converts
        the rounded amount due, then rounds half-up).

        >>> due = Money.of("1234.56", "USD")
        >>> due.convert("HKD", rate="7.7565").round(rounding=Rounding.HALF_UP)
        Money('9575.86', 'HKD')
        """
        factor = to_decimal(rate, argument="rate")
        if factor <= 0:
            raise InvalidArgumentError("rate", rate, "an exchange rate must be positive")
        return Money(_exact("*", self.amount, factor), _to_currency(currency))

    def is_zero(self) -> bool:
        """Whether the amount is zero."""
        return self.amount.is_zero()

    def is_positive(self) -> bool:
        """Whether the amount is greater than zero."""
        return self.amount > 0

    def is_negative(self) -> bool:
        """Whether the amount is less than zero."""
        return self.amount < 0

    def _same_currency(self, other: Money, operation: str) -> None:
        if other.currency is not self.currency and other.currency != self.currency:
            raise CurrencyMismatchError(self.currency.code, other.currency.code, operation)

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "+")
        return Money._trusted(_exact("+", self.amount, other.amount), self.currency)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "-")
        return Money._trusted(_exact("-", self.amount, other.amount), self.currency)

    def __neg__(self) -> Money:
        return Money._trusted(self.amount.copy_negate(), self.currency)

    def __abs__(self) -> Money:
        return Money._trusted(self.amount.copy_abs(), self.currency)

    def __mul__(self, other: Decimal | int | Rate) -> Money:
        if isinstance(other, Rate):
            factor = other.value
        elif isinstance(other, Decimal) and other.is_finite():
            factor = other
        elif isinstance(other, int) and not isinstance(other, bool):
            factor = Decimal(other)
        else:
            return NotImplemented
        return Money._trusted(_exact("*", self.amount, factor), self.currency)

    __rmul__ = __mul__

    def __truediv__(self, other: Money) -> Decimal:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "/")
        if other.amount.is_zero():
            raise InvalidArgumentError("divisor", other, "cannot divide by a zero amount")
        return _RATIO.divide(self.amount, other.amount)

    def __lt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "<")
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "<=")
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, ">")
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, ">=")
        return self.amount >= other.amount

    def __repr__(self) -> str:
        return f"Money({format(self.amount, 'f')!r}, {self.currency.code!r})"

    def __str__(self) -> str:
        return f"{format(self.amount, 'f')} {self.currency.code}"


def total(amounts: Iterable[Money], *, currency: Currency | str) -> Money:
    """Sum amounts of one currency; an empty input is zero.

    >>> total([Money.of("1.10", "USD"), Money.of("2.20", "USD")], currency="USD")
    Money('3.30', 'USD')
    >>> total([], currency="USD")
    Money('0', 'USD')
    """
    result = Money.zero(currency)
    unit, acc = result.currency, result.amount
    for amount in amounts:
        if not isinstance(amount, Money):
            raise InvalidArgumentError("amounts", amount, "expected Money")
        if amount.currency is not unit and amount.currency != unit:
            raise CurrencyMismatchError(unit.code, amount.currency.code, "+")
        acc = _exact("+", acc, amount.amount)
    return Money._trusted(acc, unit)


def _check_weight(value: object) -> Fraction:
    weight = to_decimal(value, argument="weight")
    if weight < 0:
        raise InvalidArgumentError("weight", value, "weights must not be negative")
    return Fraction(weight)


def _round_fraction(value: Fraction, rounding: Rounding) -> int:
    """Round an exact rational to an integer with a named mode."""
    magnitude = abs(value)
    floor = magnitude.numerator // magnitude.denominator
    remainder = magnitude - floor
    if rounding is Rounding.DOWN:
        result = floor
    elif rounding is Rounding.UP:
        result = floor + (1 if remainder else 0)
    elif remainder > Fraction(1, 2):
        result = floor + 1
    elif remainder < Fraction(1, 2):
        result = floor
    elif rounding is Rounding.HALF_UP:
        result = floor + 1
    else:  # HALF_EVEN on an exact half
        result = floor + (floor % 2)
    return -result if value < 0 else result


def allocate(
    money: Money,
    weights: Sequence[AmountLike],
    *,
    rounding: Rounding,
    places: int | None = None,
) -> tuple[Money, ...]:
    """Split ``money`` by ``weights`` so that the parts sum exactly to the whole.

    Each part starts as its exact share rounded to ``places`` (default: the
    currency's minor units) with ``rounding``.
    The units that this leaves over (or short) go, one each, to the parts
    whose rounding moved them furthest from their exact share: the
    largest-remainder (Hamilton) method.  Ties go to the larger weight, then
    to the earlier part (spec DC-22), so only parts of equal weight depend on
    their position.
    Every part is then less than one unit from its exact share, parts with
    zero weight get exactly zero, and the parts sum to ``money``.

    ``money`` must itself be a whole number of units at ``places``; round it
    first otherwise.

    >>> allocate(Money.of("100.00", "USD"), [1, 1, 1], rounding=Rounding.DOWN)
    (Money('33.34', 'USD'), Money('33.33', 'USD'), Money('33.33', 'USD'))
    >>> allocate(Money.of("-0.05", "USD"), [3, 1], rounding=Rounding.HALF_UP)
    (Money('-0.04', 'USD'), Money('-0.01', 'USD'))
    """
    digits = money.currency.minor_units if places is None else places
    _check_places(digits)
    if not isinstance(rounding, Rounding):
        raise InvalidArgumentError("rounding", rounding, "expected a partnerkit Rounding")
    if isinstance(weights, (str, bytes)) or not isinstance(weights, Sequence):
        raise InvalidArgumentError("weights", weights, "expected a sequence of weights")
    if not weights:
        raise InvalidArgumentError("weights", weights, "need at least one weight")
    exact_weights = [_check_weight(w) for w in weights]
    weight_sum = sum(exact_weights, Fraction(0))
    if weight_sum == 0:
        raise InvalidArgumentError("weights", weights, "weights must not all be zero")
    scale = Fraction(10) ** digits
    units_fraction = Fraction(money.amount) * scale
    if units_fraction.denominator != 1:
        raise PrecisionError(
            "money", money, f"has more than {digits} decimal places; round it before allocating"
        )
    units = units_fraction.numerator
    shares = [units * w / weight_sum for w in exact_weights]
    parts = [_round_fraction(share, rounding) for share in shares]
    leftover = units - sum(parts)
    if leftover:
        step = 1 if leftover > 0 else -1
        # Furthest below the exact share first when adding units, furthest above first when
        # taking them away; ties go to the larger weight, then to the earlier part.
        order = sorted(
            range(len(parts)),
            key=lambda i: (step * (parts[i] - shares[i]), -exact_weights[i], i),
        )
        for index in order[: abs(leftover)]:
            parts[index] += step
    exponent = -digits
    return tuple(
        Money(Decimal(part).scaleb(exponent, context=_EXACT), money.currency) for part in parts
    )


def _check_unit_interval(instance: object, attribute: object, value: Decimal) -> None:
    if not 0 <= value <= 1:
        raise InvalidArgumentError(
            "rate", value, "a rate is a fraction between 0 and 1 (use Rate.from_percent for %)"
        )


def _to_rate_decimal(value: AmountLike) -> Decimal:
    return to_decimal(value, argument="rate")


@final
@attrs.frozen(order=True, repr=False)
class Rate:
    """A fraction between 0 and 1: a discount, rebate, commission or tax rate.

    ``Rate("0.16")`` is 16 %.  A discount of *d* % means the payer pays
    ``(1 - d)`` of the base (spec ``billing.md`` 0.2), which is
    :meth:`complement`.

    >>> discount = Rate.from_percent(16)
    >>> discount
    Rate('0.16')
    >>> Money.of("100.00", "USD") * discount.complement()
    Money('84.0000', 'USD')
    >>> Rate("1.5")
    Traceback (most recent call last):
    ...
    partnerkit.errors.InvalidArgumentError: invalid rate=Decimal('1.5'): a rate is a fraction between 0 and 1 (use Rate.from_percent for %)
    """  # noqa: E501

    value: Decimal = attrs.field(converter=_to_rate_decimal, validator=_check_unit_interval)

    @classmethod
    def from_percent(cls, percent: AmountLike) -> Rate:
        """Build from a percentage: ``Rate.from_percent(25) == Rate("0.25")``.

        >>> Rate.from_percent("4.74").value
        Decimal('0.0474')
        """
        return cls(to_decimal(percent, argument="percent").scaleb(-2, context=_EXACT))

    @property
    def percent(self) -> Decimal:
        """The rate as a percentage.

        >>> Rate("0.0474").percent
        Decimal('4.74')
        """
        return self.value.scaleb(2, context=_EXACT)

    def complement(self) -> Rate:
        """``1 - rate``: what the payer keeps paying after a discount.

        >>> Rate("0.25").complement()
        Rate('0.75')
        """
        return Rate(_EXACT.subtract(_ONE, self.value))

    def __repr__(self) -> str:
        return f"Rate({format(self.value, 'f')!r})"

    def __str__(self) -> str:
        return f"{format(self.percent, 'f')}%"
