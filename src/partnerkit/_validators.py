"""attrs field validators shared by the kernel's values (private).

Each raises :class:`~partnerkit.errors.InvalidArgumentError` naming the field.
"""

from __future__ import annotations

from typing import Any

import attrs

from partnerkit.errors import InvalidArgumentError
from partnerkit.money import Money
from partnerkit.periods import Period, PeriodKind, require_aware


def text(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """The field is a non-empty string."""
    if not isinstance(value, str) or not value:
        raise InvalidArgumentError(attribute.name, value, "expected a non-empty string")


def optional_text(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """The field is ``None`` or a non-empty string."""
    if value is not None:
        text(instance, attribute, value)


def aware(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """The field is a timezone-aware datetime."""
    require_aware(value, argument=attribute.name)


def optional_aware(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """The field is ``None`` or a timezone-aware datetime."""
    if value is not None:
        require_aware(value, argument=attribute.name)


def money(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """The field is a :class:`~partnerkit.money.Money`."""
    if not isinstance(value, Money):
        raise InvalidArgumentError(attribute.name, value, "expected Money")


def require_month(value: object, *, argument: str = "cycle") -> Period:
    """``value`` if it is a calendar-month :class:`~partnerkit.periods.Period`, else raise."""
    if not isinstance(value, Period) or value.kind is not PeriodKind.MONTH:
        raise InvalidArgumentError(argument, value, "a billing cycle is a calendar month")
    return value


def month(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """The field is a calendar-month period."""
    require_month(value, argument=attribute.name)
