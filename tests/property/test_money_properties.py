from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from partnerkit.errors import CurrencyMismatchError, InvalidArgumentError
from partnerkit.money import Currency, Money, Rate, Rounding, allocate, total
from partnerkit.testing.strategies import currencies, money, rates

USD = Currency("USD")
usd_money = money(currency=USD)
roundings = st.sampled_from(Rounding)


@given(usd_money, usd_money, usd_money)
def test_addition_is_associative(a: Money, b: Money, c: Money) -> None:
    assert (a + b) + c == a + (b + c)


@given(usd_money, usd_money)
def test_addition_is_commutative(a: Money, b: Money) -> None:
    assert a + b == b + a


@given(usd_money, usd_money)
def test_subtraction_undoes_addition(a: Money, b: Money) -> None:
    assert (a + b) - b == a
    assert a - a == USD.zero
    assert -a + a == USD.zero
    assert abs(-a) == abs(a)


@given(st.lists(usd_money, max_size=20), st.randoms())
def test_total_is_order_independent(amounts: list[Money], rnd: object) -> None:
    shuffled = list(amounts)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert total(amounts, currency=USD) == total(shuffled, currency=USD)


@given(money(), st.integers(min_value=0, max_value=12), roundings)
def test_rounding_is_idempotent(m: Money, places: int, rounding: Rounding) -> None:
    once = m.round(places, rounding=rounding)
    assert once.round(places, rounding=rounding) == once


@given(money(), st.integers(min_value=0, max_value=12), roundings)
def test_rounding_moves_less_than_one_unit_in_the_last_place(
    m: Money, places: int, rounding: Rounding
) -> None:
    moved = abs((m.round(places, rounding=rounding) - m).amount)
    assert moved < Decimal(1).scaleb(-places)


@given(
    money(places=None),
    st.lists(st.decimals(min_value=0, max_value=10**6, places=3), min_size=1, max_size=12).filter(
        lambda ws: any(w > 0 for w in ws)
    ),
    roundings,
)
def test_allocate_sums_exactly_and_stays_within_one_unit(
    whole: Money, weights: list[Decimal], rounding: Rounding
) -> None:
    parts = allocate(whole, weights, rounding=rounding)
    assert len(parts) == len(weights)
    assert total(parts, currency=whole.currency) == whole
    unit = Fraction(1, 10**whole.currency.minor_units)
    weight_sum = sum(Fraction(w) for w in weights)
    for part, weight in zip(parts, weights, strict=True):
        exact_share = Fraction(whole.amount) * Fraction(weight) / weight_sum
        assert abs(Fraction(part.amount) - exact_share) < unit
        if weight == 0:
            assert part.is_zero()
        assert part.amount.as_tuple().exponent == -whole.currency.minor_units


@given(
    money(currency=USD, places=2),
    st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=8).filter(any),
    st.permutations(range(8)),
)
def test_allocate_is_order_independent_for_distinct_weights(
    whole: Money, weights: list[int], order: list[int]
) -> None:
    assume(len(set(weights)) == len(weights))  # distinct weights: no tie-breaking by position
    perm = [i for i in order if i < len(weights)]
    direct = allocate(whole, weights, rounding=Rounding.HALF_EVEN)
    permuted = allocate(whole, [weights[i] for i in perm], rounding=Rounding.HALF_EVEN)
    assert [permuted[perm.index(i)] for i in range(len(weights))] == list(direct)


@given(money(), money())
def test_mixing_currencies_always_raises(a: Money, b: Money) -> None:
    assume(a.currency != b.currency)
    for operation in (
        lambda: a + b,
        lambda: a - b,
        lambda: a < b,
        lambda: a <= b,
        lambda: a > b,
        lambda: a >= b,
        lambda: a / b,
    ):
        with pytest.raises(CurrencyMismatchError):
            operation()
    with pytest.raises(CurrencyMismatchError):
        total([a, b], currency=a.currency)


@given(
    st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from([Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), Decimal("-Infinity")]),
    currencies(),
)
def test_float_nan_and_infinity_are_always_rejected(value: object, currency: Currency) -> None:
    with pytest.raises(InvalidArgumentError):
        Money(value, currency)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError):
        Rate(value)  # type: ignore[arg-type]


@given(st.floats(allow_nan=False, allow_infinity=False).map(repr))
def test_float_reprs_with_exponents_are_rejected_or_exact(text: str) -> None:
    if "e" in text or "inf" in text:
        with pytest.raises(InvalidArgumentError):
            Money(text, USD)
    else:
        assert Money(text, USD).amount == Decimal(text)


@given(usd_money, rates())
def test_discount_and_complement_partition_the_base(base: Money, rate: Rate) -> None:
    assert base * rate + base * rate.complement() == base


@given(money(places=None))
def test_minor_units_round_trip(m: Money) -> None:
    assert Money.from_minor_units(m.to_minor_units(), m.currency) == m


@given(money(currency=st.sampled_from([Currency("JPY"), Currency("KWD")]), places=None))
def test_strategies_respect_a_currency_strategy(m: Money) -> None:
    assert m.currency.code in {"JPY", "KWD"}
    assert m.amount == m.round(rounding=Rounding.DOWN).amount
