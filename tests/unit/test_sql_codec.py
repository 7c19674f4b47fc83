"""The SQL adapter's codec: every stored shape round-trips exactly; rows cannot name arbitrary code."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import MappingProxyType

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnerkit.adapters.sql import dumps, loads, register
from partnerkit.errors import InvalidArgumentError
from partnerkit.incentives import Band, Flat, IncentivePolicy, Ladder, LadderMode
from partnerkit.money import Currency, Money, Rate
from partnerkit.partners import PartnerRole
from partnerkit.periods import GMT_PLUS_8, Period, PeriodKind
from partnerkit.testing import strategies as pks


class Colour(enum.Enum):
    RED = "red"


@attrs.frozen
class Outside:
    colour: Colour
    hidden: int = attrs.field(init=False, default=7)


def test_every_leaf_and_container_round_trips() -> None:
    value = (
        Money.of("-0.00000001", "USD"),
        Decimal("1E+3"),
        datetime(2024, 6, 1, 9, tzinfo=GMT_PLUS_8),
        date(2024, 2, 29),
        timedelta(days=5, seconds=3, microseconds=7),
        Period.parse("2024Q3"),
        Currency("JPY"),
        Rate(Decimal("0.25")),
        PartnerRole.CSP,
        frozenset({"b", "a"}),
        {Period.parse("2024M1"): None, "k": [1, "x"]},
        MappingProxyType({"a": Decimal("0.1")}),
        (),
        True,
        None,
        42,
    )
    back = loads(dumps(value))
    assert back == value
    assert isinstance(back[11], MappingProxyType)
    assert isinstance(back[0], Money)
    assert dumps(back) == dumps(value)


def test_unions_come_back_as_what_they_were() -> None:
    """A policy's schedule is a union: a Ladder stays a Ladder, with its mode."""
    ladder = Ladder(
        bands=(Band(lower="0", rate="0.1"), Band(lower="100", rate="0.2")), mode=LadderMode.MARGINAL
    )
    for schedule in (ladder, Flat(rate="0.2")):
        policy = IncentivePolicy(
            policy_id="p", name="n", period_kind=PeriodKind.QUARTER, schedule=schedule
        )
        assert loads(dumps(policy)) == policy


def test_outside_types_need_registering() -> None:
    text = dumps(Outside(Colour.RED))
    with pytest.raises(InvalidArgumentError):
        loads(text)
    register(Outside)
    register(Colour)
    assert loads(text) == Outside(Colour.RED)
    with pytest.raises(InvalidArgumentError):
        register(int)


@pytest.mark.parametrize(
    "text",
    [
        '{"~": "attrs", "t": "os:system", "f": {}}',
        '{"~": "attrs", "t": "partnerkit.money:Currency.zero", "f": {}}',
        '{"~": "enum", "t": "partnerkit.money:Money", "v": 1}',
        '{"~": "attrs", "t": "partnerkit.partners:PartnerRole", "f": {}}',
        '{"~": "nope", "v": 1}',
        '{"plain": "dict"}',
        '{"~": "attrs", "t": "partnerkit", "f": {}}',
        '{"~": "attrs", "t": "partnerkit.nowhere:Thing", "f": {}}',
        '{"~": "attrs", "t": "partnerkit.money:Nothing", "f": {}}',
    ],
)
def test_rows_that_are_not_partnerkit_values_are_refused(text: str) -> None:
    with pytest.raises(InvalidArgumentError):
        loads(text)


@given(st.lists(pks.money(), max_size=5), pks.aware_datetimes(), pks.periods())
def test_money_and_time_round_trip_for_any_input(
    amounts: list[Money], when: datetime, period: Period
) -> None:
    """Exact amounts, offsets and periods survive storage for any input."""
    value = (tuple(amounts), when, period)
    back = loads(dumps(value))
    assert back == value
    assert back[1].utcoffset() == when.utcoffset()
    assert [m.amount.as_tuple() for m in back[0]] == [m.amount.as_tuple() for m in amounts]


def test_naive_datetimes_and_floats_are_not_stored() -> None:
    with pytest.raises(InvalidArgumentError):
        dumps(datetime(2024, 1, 1))  # noqa: DTZ001
    with pytest.raises(InvalidArgumentError):
        dumps({"x": 0.1})
    assert loads(dumps(datetime(2024, 1, 1, tzinfo=UTC))).tzinfo is not None
