"""Withholding tax on partner bills and its effect on the incentive freeze (R-INC-115, DC-INC-33).

For Malaysian and Kenyan partners, from 2021-11-01 00:00:00 GMT+08:00 prices
include withholding tax (WHT): the partner pays the vendor the fee less the
WHT and the tax authority the WHT, and provides the certificate.  Before
that instant prices excluded WHT and the vendor got the whole fee.  A bill
counts as fully paid for the incentive freeze once the cash received plus
the WHT covered by an accepted certificate reaches the amount due.

>>> from datetime import datetime
>>> from decimal import Decimal
>>> from partnerkit.periods import GMT_PLUS_8
>>> split = withholding_on(Money.of(100, "USD"), Decimal("0.10"), country="MY",
...                           billed_at=datetime(2022, 1, 5, tzinfo=GMT_PLUS_8))
>>> split.to_vendor, split.to_authority
(Money('90.00', 'USD'), Money('10.00', 'USD'))
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import final

import attrs

from partnerkit.billing.payments import withholding_split
from partnerkit.errors import InvalidArgumentError
from partnerkit.money import Money, Rate, to_decimal
from partnerkit.periods import GMT_PLUS_8, require_aware

__all__ = ["WHT_COUNTRIES", "WHT_FROM", "WithholdingSplit", "bill_fully_paid", "withholding_on"]

#: Countries whose prices include WHT from :data:`WHT_FROM` (R-INC-115).
WHT_COUNTRIES = frozenset({"MY", "KE"})
#: The instant the regime changed (C25).
WHT_FROM = datetime(2021, 11, 1, tzinfo=GMT_PLUS_8)


@final
@attrs.frozen
class WithholdingSplit:
    """Who gets what of a fee: the vendor, and the tax authority (withheld by the partner)."""

    to_vendor: Money
    to_authority: Money
    included: bool


def withholding_on(
    fee: Money, rate: Decimal | str, *, country: str, billed_at: datetime
) -> WithholdingSplit:
    """Split a fee under the WHT regime in force when it was billed (R-INC-115, EX-INC-23).

    Before the switch, or outside the listed countries, the vendor gets the
    whole fee (any WHT is the partner's, on top).  Amounts round half-up to
    the currency's minor unit and always sum to the fee (the billing area's
    :func:`~partnerkit.billing.payments.withholding_split`, R-BILL-59).
    """
    when = require_aware(billed_at, argument="billed_at")
    wht = to_decimal(rate, argument="rate")
    if not Decimal(0) <= wht < Decimal(1):
        raise InvalidArgumentError("rate", rate, "a WHT rate in [0, 1)", rule_id="R-INC-115")
    if fee.is_negative():
        raise InvalidArgumentError("fee", fee, "a fee >= 0")
    if country not in WHT_COUNTRIES or when < WHT_FROM:
        return WithholdingSplit(fee, fee.currency.zero, False)
    vendor, authority = withholding_split(fee, Rate(wht))
    return WithholdingSplit(vendor, authority, True)


def bill_fully_paid(due: Money, cash: Money, certified_wht: Money) -> bool:
    """Whether a bill counts as paid for the incentive freeze (DC-INC-33).

    >>> usd = lambda a: Money.of(a, "USD")
    >>> bill_fully_paid(usd(100), usd(90), usd(10)), bill_fully_paid(usd(100), usd(90), usd(0))
    (True, False)
    """
    return cash + certified_wht >= due
