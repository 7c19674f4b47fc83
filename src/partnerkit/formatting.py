r"""Locale-aware display of money and rates, through babel.

The locale is a required argument: nothing here reads the environment's
locale, so a server renders the same text on every machine.
Display rounding is explicit too: amounts are rounded with a named
:class:`~partnerkit.money.Rounding` (default half-up, spec DC-01) *before*
babel sees them, so babel never rounds through the ambient decimal context.

>>> from partnerkit.money import Money
>>> format_money(Money.of("1234.5", "USD"), locale="en_US")
'$1,234.50'
>>> format_money(Money.of("1234.5", "EUR"), locale="de_DE")
'1.234,50\xa0€'
>>> format_money(Money.of("80", "USD"), locale="en_US", places=8)
'$80.00000000'
"""

from __future__ import annotations

import copy

from babel import Locale, UnknownLocaleError

from partnerkit.errors import InvalidArgumentError
from partnerkit.money import Money, Rate, Rounding, quantize

__all__ = ["format_money", "format_rate"]


def _locale(locale: str | Locale) -> Locale:
    if isinstance(locale, Locale):
        return locale
    if not isinstance(locale, str) or not locale:
        raise InvalidArgumentError("locale", locale, "a locale such as 'en_US' is required")
    try:
        return Locale.parse(locale)
    except (UnknownLocaleError, ValueError) as exc:
        raise InvalidArgumentError("locale", locale, "unknown locale") from exc


def format_money(
    money: Money,
    *,
    locale: str | Locale,
    places: int | None = None,
    rounding: Rounding = Rounding.HALF_UP,
) -> str:
    """Render ``money`` for people reading ``locale``.

    Args:
        money: The amount.
        locale: A babel locale or identifier (``"en_US"``, ``"zh_CN"``); required.
        places: Decimal places shown; default the currency's minor units.
            Huawei shows some amounts at 8 places.
        rounding: How the amount is rounded for display; default half-up.

    >>> format_money(Money.of("-7192.0574925", "CNY"), locale="zh_CN")
    '-¥7,192.06'
    """
    if not isinstance(money, Money):
        raise InvalidArgumentError("money", money, "expected a partnerkit Money")
    loc = _locale(locale)
    digits = money.currency.minor_units if places is None else places
    value = quantize(money.amount, digits, rounding=rounding)
    pattern = copy.copy(loc.currency_formats["standard"])
    pattern.frac_prec = (digits, digits)
    return str(pattern.apply(value, loc, currency=money.currency.code, currency_digits=False))


def format_rate(
    rate: Rate,
    *,
    locale: str | Locale,
    places: int = 2,
    rounding: Rounding = Rounding.HALF_UP,
) -> str:
    r"""Render a rate as a percentage with ``places`` decimals (spec: 4.74 %).

    >>> format_rate(Rate("0.0474"), locale="en_US")
    '4.74%'
    >>> format_rate(Rate("0.16"), locale="de_DE", places=0)
    '16\xa0%'
    """
    if not isinstance(rate, Rate):
        raise InvalidArgumentError("rate", rate, "expected a partnerkit Rate")
    loc = _locale(locale)
    value = quantize(rate.value, places + 2, rounding=rounding)
    pattern = copy.copy(loc.percent_formats[None])
    pattern.frac_prec = (places, places)
    return str(pattern.apply(value, loc))
