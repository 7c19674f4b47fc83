"""The cattrs converter for partnerkit values: the JSON edge.

Money travels as ``{"amount": "12.30", "currency": "USD"}`` with the amount
as a *string*, so no JSON parser ever turns cents into a float.
Decimals are strings in plain notation, datetimes ISO 8601 with their offset
(naive ones are refused), dates ISO 8601, enums by value, currencies by
code, rates as decimal strings and periods by code (``"2024M6"``).

>>> import json
>>> from partnerkit.money import Money
>>> converter = make_converter()
>>> json.dumps(converter.unstructure(Money.of("12.30", "USD")))
'{"amount": "12.30", "currency": "USD"}'
>>> converter.structure({"amount": "12.30", "currency": "USD"}, Money)
Money('12.30', 'USD')
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import cattrs

from partnerkit.errors import InvalidArgumentError
from partnerkit.money import Currency, Money, Rate, to_decimal
from partnerkit.periods import Period, require_aware

__all__ = ["configure_converter", "make_converter"]


def _plain(value: Decimal) -> str:
    return format(value, "f")


def _decimal(value: Any, _: object = None) -> Decimal:
    return to_decimal(value)


def _structure_money(value: Any, _: object) -> Money:
    if not isinstance(value, dict) or set(value) != {"amount", "currency"}:
        raise InvalidArgumentError(
            "money", value, 'expected {"amount": "<decimal string>", "currency": "<ISO code>"}'
        )
    return Money(to_decimal(value["amount"]), Currency(value["currency"]))


def _structure_datetime(value: Any, _: object) -> datetime:
    if not isinstance(value, str):
        raise InvalidArgumentError("datetime", value, "expected an ISO 8601 string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InvalidArgumentError("datetime", value, "not ISO 8601") from exc
    return require_aware(parsed, argument="datetime")


def _structure_date(value: Any, _: object) -> date:
    if not isinstance(value, str):
        raise InvalidArgumentError("date", value, "expected an ISO 8601 date string")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidArgumentError("date", value, "not an ISO 8601 date") from exc


def _unstructure_datetime(value: datetime) -> str:
    return require_aware(value, argument="datetime").isoformat()


def configure_converter(converter: cattrs.Converter) -> None:
    """Register partnerkit's hooks on an existing converter.

    >>> conv = cattrs.Converter()
    >>> configure_converter(conv)
    >>> conv.unstructure(Period.parse("2024Q3"))
    '2024Q3'
    """
    converter.register_unstructure_hook(Decimal, _plain)
    converter.register_structure_hook(Decimal, _decimal)
    converter.register_unstructure_hook(Currency, lambda c: c.code)
    converter.register_structure_hook(Currency, lambda v, _: Currency(v))
    converter.register_unstructure_hook(
        Money, lambda m: {"amount": _plain(m.amount), "currency": m.currency.code}
    )
    converter.register_structure_hook(Money, _structure_money)
    converter.register_unstructure_hook(Rate, lambda r: _plain(r.value))
    converter.register_structure_hook(Rate, lambda v, _: Rate(to_decimal(v, argument="rate")))
    converter.register_unstructure_hook(Period, lambda p: p.code)
    converter.register_structure_hook(Period, lambda v, _: Period.parse(v))
    converter.register_unstructure_hook(datetime, _unstructure_datetime)
    converter.register_structure_hook(datetime, _structure_datetime)
    converter.register_unstructure_hook(date, lambda d: d.isoformat())
    converter.register_structure_hook(date, _structure_date)


def make_converter() -> cattrs.Converter:
    """A new converter with partnerkit's hooks; customise it freely.

    Structuring errors inside attrs classes arrive as cattrs'
    ``ClassValidationError`` groups whose leaves are partnerkit errors.
    """
    converter = cattrs.Converter()
    configure_converter(converter)
    return converter
