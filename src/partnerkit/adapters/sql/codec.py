"""A self-describing JSON codec for stored values and events (the SQL adapter's row bodies).

Every frozen attrs value partnerkit stores - entities of any collection,
events, idempotency records - becomes JSON text and back *exactly*: money
keeps every digit as a string, datetimes keep their offset, tuples stay
tuples and frozensets frozensets.  Leaf values go through partnerkit's
cattrs converter (:func:`partnerkit.serialization.make_converter`); attrs
values, enums and containers carry a small type tag so that unions
(a schedule that is a ``Ladder`` or a ``Flat``) come back as what they were.

Decoding only builds classes from ``partnerkit`` modules and from classes
you :func:`register` - a database row cannot name an arbitrary import.
Decoded attrs values are built through their ``__init__``, so their
validators run again: a corrupted row raises, it is never half-trusted.

>>> from partnerkit.money import Money
>>> text = dumps((Money.of("12.34567891", "USD"), frozenset({1})))
>>> loads(text)
(Money('12.34567891', 'USD'), frozenset({1}))
"""

from __future__ import annotations

import enum
import importlib
import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import attrs

from partnerkit.errors import InvalidArgumentError, PartnerkitError
from partnerkit.money import Currency, Money, Rate
from partnerkit.periods import Period
from partnerkit.serialization import make_converter

__all__ = ["dumps", "loads", "register"]

_CONVERTER = make_converter()
_REGISTERED: dict[str, type] = {}


def register(cls: type) -> type:
    """Allow values of ``cls`` (an attrs class or enum outside partnerkit) to be decoded.

    Usable as a class decorator; returns ``cls``.
    """
    if not isinstance(cls, type) or not (attrs.has(cls) or issubclass(cls, enum.Enum)):
        raise InvalidArgumentError("cls", cls, "an attrs class or an Enum")
    _REGISTERED[_name(cls)] = cls
    return cls


def _name(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _resolve(name: str) -> type:
    known = _REGISTERED.get(name)
    if known is not None:
        return known
    module_name, _, qualname = name.partition(":")
    if not (module_name == "partnerkit" or module_name.startswith("partnerkit.")) or not qualname:
        raise InvalidArgumentError("type", name, "a partnerkit type or a registered one")
    try:
        target: Any = importlib.import_module(module_name)
        for part in qualname.split("."):
            target = getattr(target, part)
    except (ImportError, AttributeError) as exc:
        raise InvalidArgumentError("type", name, "a class partnerkit knows") from exc
    if not isinstance(target, type):
        raise InvalidArgumentError("type", name, "a class")
    return target


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int) and not isinstance(value, enum.Enum):
        return value
    if isinstance(value, float):
        raise InvalidArgumentError("value", value, "floats are never stored")
    if isinstance(value, enum.Enum):
        return {"~": "enum", "t": _name(type(value)), "v": _encode(value.value)}
    if isinstance(value, Money):
        return {"~": "money", "v": _CONVERTER.unstructure(value)}
    if isinstance(value, Decimal):
        return {"~": "dec", "v": format(value, "f")}
    if isinstance(value, datetime):
        return {"~": "dt", "v": _CONVERTER.unstructure(value)}
    if isinstance(value, date):
        return {"~": "date", "v": value.isoformat()}
    if isinstance(value, timedelta):
        return {"~": "td", "v": [value.days, value.seconds, value.microseconds]}
    if isinstance(value, Period):
        return {"~": "period", "v": value.code}
    if isinstance(value, Currency):
        return {"~": "ccy", "v": value.code}
    if isinstance(value, Rate):
        return {"~": "rate", "v": format(value.value, "f")}
    if attrs.has(type(value)):
        fields = {}
        for field in attrs.fields(type(value)):
            fields[field.name] = _encode(getattr(value, field.name))
        return {"~": "attrs", "t": _name(type(value)), "f": fields}
    if isinstance(value, tuple):
        return {"~": "tuple", "v": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, frozenset):
        items = [_encode(v) for v in value]
        return {"~": "fset", "v": sorted(items, key=lambda i: json.dumps(i, sort_keys=True))}
    if isinstance(value, (dict, MappingProxyType)):
        pairs = [[_encode(k), _encode(v)] for k, v in value.items()]
        kind = "proxy" if isinstance(value, MappingProxyType) else "map"
        return {"~": kind, "v": pairs}
    raise InvalidArgumentError("value", type(value).__name__, "a value partnerkit can store")


def _decode(data: Any) -> Any:
    if data is None or isinstance(data, (bool, str, int)):
        return data
    if isinstance(data, list):
        return [_decode(v) for v in data]
    if not isinstance(data, dict) or "~" not in data:
        raise InvalidArgumentError("row", str(data)[:60], "a stored partnerkit value")
    tag = data["~"]
    if tag == "attrs":
        cls = _resolve(data["t"])
        if not attrs.has(cls):
            raise InvalidArgumentError("type", data["t"], "an attrs class")
        values = {name: _decode(v) for name, v in data["f"].items()}
        init: dict[str, Any] = {}
        late: dict[str, Any] = {}
        for field in attrs.fields(cls):
            if field.name not in values:
                continue
            if field.init:
                init[field.alias] = values[field.name]
            else:
                late[field.name] = values[field.name]
        made = cls(**init)
        for name, value in late.items():
            object.__setattr__(made, name, value)
        return made
    if tag == "enum":
        cls = _resolve(data["t"])
        if not issubclass(cls, enum.Enum):
            raise InvalidArgumentError("type", data["t"], "an Enum")
        return cls(_decode(data["v"]))
    simple: dict[str, Any] = {
        "money": lambda v: _CONVERTER.structure(v, Money),
        "dec": Decimal,
        "dt": lambda v: _CONVERTER.structure(v, datetime),
        "date": date.fromisoformat,
        "td": lambda v: timedelta(days=v[0], seconds=v[1], microseconds=v[2]),
        "period": Period.parse,
        "ccy": Currency,
        "rate": lambda v: Rate(Decimal(v)),
        "tuple": lambda v: tuple(_decode(i) for i in v),
        "fset": lambda v: frozenset(_decode(i) for i in v),
        "map": lambda v: {_decode(k): _decode(x) for k, x in v},
        "proxy": lambda v: MappingProxyType({_decode(k): _decode(x) for k, x in v}),
    }
    if tag not in simple:
        raise InvalidArgumentError("row", tag, "a known value tag")
    return simple[tag](data["v"])


def dumps(value: object) -> str:
    """``value`` as JSON text (compact, keys sorted so equal values give equal text)."""
    return json.dumps(_encode(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def loads(text: str) -> Any:
    """The value :func:`dumps` wrote; bad text raises ``InvalidArgumentError``."""
    try:
        data = json.loads(text, parse_float=_no_float)
        return _decode(data)
    except PartnerkitError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, ArithmeticError) as exc:
        raise InvalidArgumentError("row", str(text)[:60], "a value written by partnerkit") from exc


def _no_float(text: str) -> Any:
    raise InvalidArgumentError("row", text, "a stored value never holds a float")
