"""Hypothesis strategies for partnerkit's kernel values.

Use them in your own property tests of bill maths:

>>> from hypothesis import given
>>> @given(money(currency=Currency("USD")))
... def test_negation_is_an_involution(m: Money) -> None:
...     assert -(-m) == m
>>> test_negation_is_an_involution()
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo
from decimal import Decimal

from hypothesis import strategies as st

from partnerkit.events import Event
from partnerkit.ids import ActorId
from partnerkit.money import Currency, Money, Rate
from partnerkit.periods import GMT_PLUS_8, UTC, Period, PeriodKind

__all__ = [
    "CURRENCY_CODES",
    "amounts",
    "aware_datetimes",
    "currencies",
    "events",
    "money",
    "periods",
    "rates",
    "time_zones",
]

#: Currencies with 0, 2 and 3 minor units that the spec and its peers use.
CURRENCY_CODES = ("USD", "CNY", "HKD", "EUR", "JPY", "CLP", "KWD", "ZAR")

_LIMIT = Decimal("1000000000000")  # a trillion: beyond any partner bill


def currencies() -> st.SearchStrategy[Currency]:
    """One of :data:`CURRENCY_CODES` as a :class:`~partnerkit.money.Currency`."""
    return st.sampled_from(CURRENCY_CODES).map(Currency)


def amounts(*, places: int = 8, limit: Decimal = _LIMIT) -> st.SearchStrategy[Decimal]:
    """Finite decimals in ``[-limit, limit]`` with at most ``places`` decimals."""
    return st.decimals(
        min_value=-limit, max_value=limit, places=places, allow_nan=False, allow_infinity=False
    )


def money(
    *,
    currency: Currency | st.SearchStrategy[Currency] | None = None,
    places: int | None = 8,
    limit: Decimal = _LIMIT,
) -> st.SearchStrategy[Money]:
    """Money in ``currency`` (any of :func:`currencies` by default).

    ``places=None`` draws amounts at each currency's minor units.
    """
    if currency is None:
        currency_strategy: st.SearchStrategy[Currency] = currencies()
    elif isinstance(currency, Currency):
        currency_strategy = st.just(currency)
    else:
        currency_strategy = currency

    def build(cur: Currency) -> st.SearchStrategy[Money]:
        digits = cur.minor_units if places is None else places
        return amounts(places=digits, limit=limit).map(lambda a: Money(a, cur))

    return currency_strategy.flatmap(build)


def rates(*, places: int = 6) -> st.SearchStrategy[Rate]:
    """Rates in ``[0, 1]`` with at most ``places`` decimals."""
    return st.decimals(min_value=0, max_value=1, places=places).map(Rate)


def periods(*, kind: PeriodKind | None = None) -> st.SearchStrategy[Period]:
    """Periods of ``kind`` (any kind by default) in the years 1990..2100."""
    kinds = st.just(kind) if kind is not None else st.sampled_from(PeriodKind)

    def build(k: PeriodKind) -> st.SearchStrategy[Period]:
        return st.builds(
            Period,
            st.just(k),
            st.integers(min_value=1990, max_value=2100),
            st.integers(min_value=1, max_value=k.per_year),
        )

    return kinds.flatmap(build)


def time_zones() -> st.SearchStrategy[tzinfo]:
    """UTC, GMT+08:00 and fixed offsets from -14:00 to +14:00 in quarter hours."""
    offsets = st.integers(min_value=-56, max_value=56).map(
        lambda q: timezone(timedelta(minutes=15 * q))
    )
    return st.one_of(st.just(UTC), st.just(GMT_PLUS_8), offsets)


def aware_datetimes() -> st.SearchStrategy[datetime]:
    """Timezone-aware datetimes between 1990 and 2100."""
    return st.datetimes(
        min_value=datetime(1990, 1, 2),  # noqa: DTZ001 - bounds for Hypothesis are naive by API
        max_value=datetime(2100, 12, 30),  # noqa: DTZ001
        timezones=time_zones(),
    )


def events() -> st.SearchStrategy[Event]:
    """Base :class:`~partnerkit.events.Event` values."""
    return st.builds(
        Event,
        occurred_at=aware_datetimes(),
        actor=st.text(min_size=1, max_size=20).map(ActorId),
        reason=st.none() | st.text(max_size=50),
    )
