"""The vendors' published bill identities, as values that cannot break them.

Huawei's fee records state ``official = discount + erase + consume`` and
``consume = Σ payment instruments``: discounts and the truncation ("erase",
抹零) lower the **price**; vouchers, cash coupons, stored-value cards, cash
and credit are **instruments** that pay what is left, in a fixed priority
(peers.md B1).  Alibaba's bill items go gross → invoice discount → coupons →
round-down → cash coupons and prepaid card → payment (peers.md B2).
Microsoft publishes where it rounds: down to cents before and after the
currency conversion (peers.md B5).  Each is a policy here, not a code path:
:class:`InstrumentOrder` for the instrument priority, :class:`ConversionRounding`
for the rounding points.

>>> from partnerkit.money import Money
>>> usd = lambda a: Money.of(a, "USD")
>>> record = settle_fee(usd("100.00"), discount=usd("12.345"),
...                     available={Instrument.VOUCHER: usd("10"), Instrument.CASH: usd("500")})
>>> record.erase_amount, [(i.value, str(m.amount)) for i, m in record.instruments]
(Money('0.005', 'USD'), [('voucher', '10'), ('cash', '77.65')])
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import final

import attrs

import partnerkit._validators as _v
from partnerkit._construct import checked
from partnerkit.billing.trace import Trace, TraceKind
from partnerkit.errors import InvalidArgumentError
from partnerkit.money import Currency, Money, Rounding, total

__all__ = [
    "HUAWEI_INSTRUMENT_ORDER",
    "HUAWEI_LOCAL_DISPLAY",
    "MICROSOFT_LICENSE",
    "MICROSOFT_USAGE",
    "AlibabaBillItem",
    "ConversionRounding",
    "FeeRecord",
    "Instrument",
    "InstrumentOrder",
    "alibaba_bill_item",
    "convert_subtotal",
    "settle_fee",
    "used_consumption_quota",
]


class Instrument(enum.Enum):
    """Huawei's payment instruments (``consume_amount`` is their sum)."""

    VOUCHER = "voucher"
    CASH_COUPON = "cash-coupon"
    FLEXIPURCHASE_COUPON = "flexipurchase-coupon"
    STORED_VALUE_CARD = "stored-value-card"
    BONUS = "bonus"
    CASH = "cash"
    CREDIT = "credit"
    DEBT = "debt"
    WRITEOFF = "writeoff"


def _order(value: Iterable[Instrument]) -> tuple[Instrument, ...]:
    order = tuple(value)
    if (
        not order
        or len(set(order)) != len(order)
        or not all(isinstance(i, Instrument) for i in order)
    ):
        raise InvalidArgumentError("order", value, "distinct Instrument values, at least one")
    if Instrument.DEBT in order:
        raise InvalidArgumentError(
            "order", value, "DEBT is what no instrument covered, not a choice"
        )
    return order


@checked
@final
@attrs.frozen
class InstrumentOrder:
    """Which instruments pay a fee, in which order; what none covers is debt."""

    order: tuple[Instrument, ...] = attrs.field(converter=_order)


#: Huawei's on-demand deduction order: voucher > cash coupon > stored-value card > cash > credit.
HUAWEI_INSTRUMENT_ORDER = InstrumentOrder(
    (
        Instrument.VOUCHER,
        Instrument.CASH_COUPON,
        Instrument.STORED_VALUE_CARD,
        Instrument.CASH,
        Instrument.CREDIT,
    )
)


def _instruments(value: Iterable[tuple[Instrument, Money]]) -> tuple[tuple[Instrument, Money], ...]:
    pairs = tuple(value)
    for pair in pairs:
        if (
            not isinstance(pair, tuple)
            or len(pair) != 2
            or not isinstance(pair[0], Instrument)
            or not isinstance(pair[1], Money)
        ):
            raise InvalidArgumentError("instruments", pair, "(Instrument, Money) pairs")
    return pairs


@checked
@final
@attrs.frozen(kw_only=True)
class FeeRecord:
    """A Huawei fee record whose identities hold by construction.

    ``official_amount = official_discount_amount + erase_amount + consume_amount``
    and ``consume_amount = Σ instruments``; a record that breaks either is
    refused with the difference.
    """

    official_amount: Money = attrs.field(validator=_v.money)
    official_discount_amount: Money = attrs.field(validator=_v.money)
    erase_amount: Money = attrs.field(validator=_v.money)
    consume_amount: Money = attrs.field(validator=_v.money)
    instruments: tuple[tuple[Instrument, Money], ...] = attrs.field(converter=_instruments)

    def __attrs_post_init__(self) -> None:
        parts = self.official_discount_amount + self.erase_amount + self.consume_amount
        if parts != self.official_amount:
            raise InvalidArgumentError(
                "official_amount",
                self.official_amount,
                f"official = discount + erase + consume, which is {parts}",
            )
        paid = total((m for _, m in self.instruments), currency=self.consume_amount.currency)
        if paid != self.consume_amount:
            raise InvalidArgumentError(
                "instruments",
                self.instruments,
                f"consume = the sum of the instruments, which is {paid}",
            )

    def trace(self) -> Trace:
        """Official price, the discount, the erased fraction, then each instrument down to zero."""
        t = Trace.start("official amount", self.official_amount)
        t = t.then(TraceKind.DISCOUNT, "official discount", -self.official_discount_amount)
        t = t.then(TraceKind.ROUNDING, "erased fraction (truncation)", -self.erase_amount)
        for instrument, amount in self.instruments:
            t = t.then(TraceKind.COUPON, f"paid by {instrument.value}", -amount)
        return t


def settle_fee(
    official: Money,
    *,
    discount: Money,
    available: Mapping[Instrument, Money],
    order: InstrumentOrder = HUAWEI_INSTRUMENT_ORDER,
    erase_places: int | None = None,
    erase_rounding: Rounding = Rounding.DOWN,
) -> FeeRecord:
    """Price a fee and pay it with instruments in order; the uncovered rest is debt.

    The discounted price is truncated to ``erase_places`` (the currency's
    minor units by default) with ``erase_rounding``; the fraction cut off is
    the erase amount.  Each instrument in ``order`` pays what it can from
    ``available``; what none covers is recorded as :attr:`Instrument.DEBT`.
    """
    for name, value in (("official", official), ("discount", discount)):
        if not isinstance(value, Money) or value.is_negative():
            raise InvalidArgumentError(name, value, "a Money >= 0")
    if discount > official:
        raise InvalidArgumentError("discount", discount, "cannot exceed the official amount")
    currency = official.currency
    net = official - discount
    consume = net.round(erase_places, rounding=erase_rounding)
    if consume > net or consume.is_negative():
        raise InvalidArgumentError(
            "erase_rounding", erase_rounding, "the erase lowers the price; use DOWN or HALF_*"
        )
    erase = net - consume
    left = consume
    paid: list[tuple[Instrument, Money]] = []
    for instrument in order.order:
        balance = available.get(instrument, currency.zero)
        if not isinstance(balance, Money) or balance.is_negative():
            raise InvalidArgumentError("available", balance, "balances are Money >= 0")
        share = min(left, balance)
        if share.is_positive():
            paid.append((instrument, share))
            left = left - share
    if left.is_positive():
        paid.append((Instrument.DEBT, left))
    return FeeRecord(
        official_amount=official,
        official_discount_amount=discount,
        erase_amount=erase,
        consume_amount=consume,
        instruments=tuple(paid),
    )


@final
@attrs.frozen(kw_only=True)
class AlibabaBillItem:
    """An Alibaba bill item (QueryBill) whose two identities hold by construction.

    ``pretax_amount = pretax_gross_amount - invoice_discount - deducted_by_coupons
    - round_down_discount`` and ``payment_amount = pretax_amount -
    deducted_by_cash_coupons - deducted_by_prepaid_card``.
    """

    pretax_gross_amount: Money = attrs.field(validator=_v.money)
    invoice_discount: Money = attrs.field(validator=_v.money)
    deducted_by_coupons: Money = attrs.field(validator=_v.money)
    round_down_discount: Money = attrs.field(validator=_v.money)
    pretax_amount: Money = attrs.field(validator=_v.money)
    deducted_by_cash_coupons: Money = attrs.field(validator=_v.money)
    deducted_by_prepaid_card: Money = attrs.field(validator=_v.money)
    payment_amount: Money = attrs.field(validator=_v.money)

    def __attrs_post_init__(self) -> None:
        pretax = (
            self.pretax_gross_amount
            - self.invoice_discount
            - self.deducted_by_coupons
            - self.round_down_discount
        )
        if pretax != self.pretax_amount:
            raise InvalidArgumentError(
                "pretax_amount", self.pretax_amount, f"gross less reductions is {pretax}"
            )
        payment = self.pretax_amount - self.deducted_by_cash_coupons - self.deducted_by_prepaid_card
        if payment != self.payment_amount:
            raise InvalidArgumentError(
                "payment_amount", self.payment_amount, f"pretax less instruments is {payment}"
            )


def alibaba_bill_item(
    gross: Money,
    *,
    invoice_discount: Money,
    coupons: Money,
    cash_coupons: Money,
    prepaid_card: Money,
    round_down_places: int = 2,
) -> AlibabaBillItem:
    """Apply Alibaba's order: invoice discount, coupons, round-down, cash coupons, prepaid card.

    ``coupons``, ``cash_coupons`` and ``prepaid_card`` are what is available;
    each pays at most what is left.  The round-down (抹零) truncates to
    ``round_down_places`` (a policy: 1 would drop the cents too).

    >>> cny = lambda a: Money.of(a, "CNY")
    >>> item = alibaba_bill_item(cny("105.8765"), invoice_discount=cny("5.00"), coupons=cny("20"),
    ...                          cash_coupons=cny("30"), prepaid_card=cny("100"))
    >>> item.round_down_discount, item.pretax_amount, item.payment_amount
    (Money('0.0065', 'CNY'), Money('80.87', 'CNY'), Money('0.00', 'CNY'))
    """
    values = {
        "gross": gross,
        "invoice_discount": invoice_discount,
        "coupons": coupons,
        "cash_coupons": cash_coupons,
        "prepaid_card": prepaid_card,
    }
    for name, value in values.items():
        if not isinstance(value, Money) or value.is_negative():
            raise InvalidArgumentError(name, value, "a Money >= 0")
    if invoice_discount > gross:
        raise InvalidArgumentError("invoice_discount", invoice_discount, "cannot exceed gross")
    after_discount = gross - invoice_discount
    by_coupons = min(coupons, after_discount)
    before_round = after_discount - by_coupons
    pretax = before_round.round(round_down_places, rounding=Rounding.DOWN)
    by_cash_coupons = min(cash_coupons, pretax)
    by_card = min(prepaid_card, pretax - by_cash_coupons)
    return AlibabaBillItem(
        pretax_gross_amount=gross,
        invoice_discount=invoice_discount,
        deducted_by_coupons=by_coupons,
        round_down_discount=before_round - pretax,
        pretax_amount=pretax,
        deducted_by_cash_coupons=by_cash_coupons,
        deducted_by_prepaid_card=by_card,
        payment_amount=pretax - by_cash_coupons - by_card,
    )


@final
@attrs.frozen(kw_only=True)
class ConversionRounding:
    """Where a price is rounded around its currency conversion (peers.md B5).

    Attributes:
        before: Round ``unit price x quantity`` (or the unit price, when
            ``per_unit``) in the source currency first, with this mode.
        after: Round the converted amount with this mode.
        per_unit: Convert and round the unit price, then multiply by the
            quantity (Microsoft's license formula).
        places: Decimal places of each rounding (default: the currency's).
    """

    before: Rounding | None
    after: Rounding | None
    per_unit: bool = False
    places: int | None = None


#: Microsoft usage: ROUNDDOWN(ROUNDDOWN(price x quantity, 2) x rate, 2).
MICROSOFT_USAGE = ConversionRounding(before=Rounding.DOWN, after=Rounding.DOWN, places=2)
#: Microsoft licenses: ROUNDDOWN(price x rate, 2) x quantity.
MICROSOFT_LICENSE = ConversionRounding(before=None, after=Rounding.DOWN, per_unit=True, places=2)
#: Huawei's local display: exact in the billing currency, rounded half-up once after FX (DC-28).
HUAWEI_LOCAL_DISPLAY = ConversionRounding(before=None, after=Rounding.HALF_UP)


def convert_subtotal(
    unit_price: Money,
    quantity: Decimal,
    *,
    currency: Currency | str,
    rate: Decimal,
    policy: ConversionRounding,
) -> Money:
    """A subtotal in ``currency`` with the policy's rounding points.

    >>> convert_subtotal(Money.of("0.0123", "USD"), Decimal(1000), currency="EUR",
    ...                  rate=Decimal("0.9137"), policy=MICROSOFT_USAGE)
    Money('11.23', 'EUR')
    >>> convert_subtotal(Money.of("0.0123", "USD"), Decimal(1000), currency="EUR",
    ...                  rate=Decimal("0.9137"), policy=HUAWEI_LOCAL_DISPLAY)
    Money('11.24', 'EUR')
    """
    if not isinstance(quantity, Decimal) or not quantity.is_finite() or quantity < 0:
        raise InvalidArgumentError("quantity", quantity, "a finite Decimal >= 0")
    if policy.per_unit:
        unit = unit_price.convert(currency, rate=rate)
        if policy.after is not None:
            unit = unit.round(policy.places, rounding=policy.after)
        return unit * quantity
    amount = unit_price * quantity
    if policy.before is not None:
        amount = amount.round(policy.places, rounding=policy.before)
    converted = amount.convert(currency, rate=rate)
    if policy.after is not None:
        converted = converted.round(policy.places, rounding=policy.after)
    return converted


def used_consumption_quota(
    *, due_amount: Money, unbilled_amount: Money, balance: Money, coupon_amount: Money
) -> Money:
    """Huawei international's identity: used = due + unbilled - balance - coupons.

    ``balance`` is the ``amount`` field of ShowPartnerConsumptionQuota (the
    cash the partner holds); the result is what counts against the quota.

    >>> usd = lambda a: Money.of(a, "USD")
    >>> used_consumption_quota(due_amount=usd("800"), unbilled_amount=usd("350.50"),
    ...                        balance=usd("100"), coupon_amount=usd("50.50"))
    Money('1000.00', 'USD')
    """
    for name, value in (
        ("due_amount", due_amount),
        ("unbilled_amount", unbilled_amount),
        ("balance", balance),
        ("coupon_amount", coupon_amount),
    ):
        if not isinstance(value, Money):
            raise InvalidArgumentError(name, value, "expected Money")
    return due_amount + unbilled_amount - balance - coupon_amount
