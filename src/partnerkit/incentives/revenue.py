"""Which revenue counts for incentives, and for whom (incentives.md 2.1, 2.2; R-INC-01..18).

A :class:`RevenueLine` is one settled consumption line.  Its eligible amount
is the price charged after the partner discount and any price adjustment,
less vendor (cash and test) coupons, without tax, signed negative for
unsubscriptions and refunds; products classed "no revenue or rebate" on the
revenue date count for nothing, positive and negative lines alike
(R-INC-01..03, R-INC-05, R-INC-07, DC-INC-03).  A distributor is credited
with its resellers' customers' revenue (R-INC-04).  Lines keep 8 places; a
period total rounds once, half-up, to 2 places (DC-INC-01).

>>> from datetime import date
>>> from partnerkit.money import Money
>>> usd = lambda a: Money.of(a, "USD")
>>> a = RevenueLine(revenue_id="A", partner_id=PartnerId("p"), customer_id=CustomerId("c"),
...     order_type=OrderType.SUBSCRIPTION, product_code="obs", generated_on=date(2024, 7, 1),
...     amount=usd("2000"))
>>> b = attrs.evolve(a, revenue_id="B", order_type=OrderType.UNSUBSCRIPTION, product_code="evs",
...                  amount=usd("100"))
>>> period_revenue([a, b], partner_id=PartnerId("p"), period=Period.parse("2024M7")).total
Money('1900.00', 'USD')
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, tzinfo
from typing import final

import attrs

import partnerkit._validators as _v
from partnerkit.customers.account_managers import AccountManagerAssignment, attributed_manager
from partnerkit.errors import InvalidArgumentError
from partnerkit.ids import ActorId, CustomerId, PartnerId
from partnerkit.money import Money, Rounding, total
from partnerkit.periods import GMT_PLUS_8, Period, require_aware

__all__ = [
    "BillingMode",
    "OrderType",
    "PeriodRevenue",
    "ProductClass",
    "ProductClassification",
    "RevenueLine",
    "classification_on",
    "credited_partner",
    "eligible_amount",
    "manager_lines",
    "period_revenue",
    "revenue_date",
]

_PLACES = 8


class OrderType(enum.Enum):
    """Order types of revenue lines (1.6); unsubscriptions and refunds are negative (R-INC-05)."""

    SUBSCRIPTION = "subscription"
    NEW_PURCHASE = "new-purchase"
    RENEWAL = "renewal"
    CHANGE = "change"
    PRICE_ADJUSTMENT = "price-adjustment"
    UNSUBSCRIPTION = "unsubscription"
    REFUND = "refund"

    @property
    def sign(self) -> int:
        """-1 for unsubscriptions and refunds, +1 otherwise."""
        return -1 if self in (OrderType.UNSUBSCRIPTION, OrderType.REFUND) else 1


class BillingMode(enum.Enum):
    """How the line was billed (1.6); statistics break revenue down by it (R-INC-57)."""

    YEARLY_MONTHLY = "yearly-monthly"
    PAY_PER_USE = "pay-per-use"
    RI_UPFRONT = "ri-upfront"
    RI_HOURLY = "ri-hourly"


class ProductClass(enum.Enum):
    """A product's incentive classification (1.3, R-INC-03)."""

    STANDARD_PRODUCT = "standard-product"
    NO_REVENUE_OR_REBATE = "no-revenue-or-rebate"
    NONE = "none"


@final
@attrs.frozen(kw_only=True)
class ProductClassification:
    """A product's classification from a month on (R-INC-03)."""

    product_code: str = attrs.field(validator=_v.text)
    effective_month: Period = attrs.field(validator=_v.month)
    incentive_policy: ProductClass


def classification_on(
    classifications: Iterable[ProductClassification], product_code: str, day: date
) -> ProductClass:
    """The classification in force on ``day``: the latest whose month has started (R-INC-03).

    Products never classified are STANDARD_PRODUCT.
    """
    month = Period.month(day.year, day.month)
    started = [
        c for c in classifications if c.product_code == product_code and c.effective_month <= month
    ]
    if not started:
        return ProductClass.STANDARD_PRODUCT
    return max(started, key=lambda c: c.effective_month).incentive_policy


def _eight(instance: object, attribute: attrs.Attribute[Money], value: Money) -> None:
    _v.money(instance, attribute, value)
    exponent = value.amount.as_tuple().exponent
    if value.is_negative() or (isinstance(exponent, int) and exponent < -_PLACES):
        raise InvalidArgumentError(
            attribute.name, value, "a non-negative amount with at most 8 places", rule_id="R-INC-05"
        )


@final
@attrs.frozen(kw_only=True)
class RevenueLine:
    """One settled consumption line (1.6).  Amounts are positive; ``order_type`` gives the sign.

    Attributes:
        revenue_id: The line's id.
        partner_id: The customer's partner (a reseller for a distributor's customers).
        customer_id: The customer.
        order_type: Subscription, renewal, unsubscription ...
        product_code: The product.
        generated_on: The revenue date (GMT+08:00 calendar day).
        amount: The price charged to the customer (tax excluded).
        partner_discount: The partner-granted discount on it (R-INC-07).
        price_adjustment: The order price adjustment on it (R-INC-07).
        vendor_coupons: Paid with the vendor's cash or test coupons (R-INC-02).
        tax: VAT, sales tax, GST, turnover taxes (display only, R-INC-02).
        reseller_id: The reseller, for a distributor's revenue.
        product_line: The product line (ASC commission per line, R-INC-16).
        account_manager_id: The manager credited, if any (R-INC-06).
        billing_mode: How it was billed (pay-per-use counts too, DC-INC-03).
        settled: Whether it comes from settled (billed) data; unpaid or failed
            orders never count (R-INC-17).
        reverses_sale_on: For an unsubscription or refund, the revenue date of the
            sale it reverses; a policy that restates refunds books it there (DC-INC-04).
    """

    revenue_id: str = attrs.field(validator=_v.text)
    partner_id: PartnerId = attrs.field(validator=_v.text)
    customer_id: CustomerId = attrs.field(validator=_v.text)
    order_type: OrderType
    product_code: str = attrs.field(validator=_v.text)
    generated_on: date
    amount: Money = attrs.field(validator=_eight)
    partner_discount: Money | None = attrs.field(default=None)
    price_adjustment: Money | None = attrs.field(default=None)
    vendor_coupons: Money | None = attrs.field(default=None)
    tax: Money | None = attrs.field(default=None)
    reseller_id: PartnerId | None = attrs.field(default=None, validator=_v.optional_text)
    product_line: str | None = attrs.field(default=None, validator=_v.optional_text)
    account_manager_id: str | None = attrs.field(default=None, validator=_v.optional_text)
    billing_mode: BillingMode = BillingMode.YEARLY_MONTHLY
    settled: bool = True
    reverses_sale_on: date | None = None

    def __attrs_post_init__(self) -> None:
        if isinstance(self.generated_on, datetime) or not isinstance(self.generated_on, date):
            raise InvalidArgumentError("generated_on", self.generated_on, "expected a date")
        currency = self.amount.currency
        for name in ("partner_discount", "price_adjustment", "vendor_coupons", "tax"):
            value = getattr(self, name)
            if value is None:
                continue
            if not isinstance(value, Money) or value.is_negative() or value.currency != currency:
                raise InvalidArgumentError(name, value, f"a Money >= 0 in {currency.code}")
        origin = self.reverses_sale_on
        if origin is not None and (
            self.order_type.sign > 0
            or isinstance(origin, datetime)
            or not isinstance(origin, date)
            or origin > self.generated_on
        ):
            raise InvalidArgumentError(
                "reverses_sale_on",
                origin,
                "the date of the sale a refund reverses, not later",
                rule_id="R-INC-05",
            )
        reductions = self._reductions()
        if reductions > self.amount:
            raise InvalidArgumentError(
                "vendor_coupons", reductions, "discounts and coupons exceed the amount",
                rule_id="R-INC-02",
            )  # fmt: skip

    def _reductions(self) -> Money:
        return total(
            (m for m in (self.partner_discount, self.price_adjustment, self.vendor_coupons) if m),
            currency=self.amount.currency,
        )

    @property
    def tax_inclusive(self) -> Money:
        """The signed amount with tax, for display only (R-INC-02, CF-10)."""
        base = self.amount - self._reductions() + (self.tax or self.amount.currency.zero)
        return base * self.order_type.sign


def revenue_date(instant: datetime, *, tz: tzinfo = GMT_PLUS_8) -> date:
    """The revenue day of an expenditure: its calendar day in Beijing time by default (R-INC-12).

    >>> from datetime import timezone
    >>> revenue_date(datetime(2024, 6, 30, 17, 0, tzinfo=timezone.utc))
    datetime.date(2024, 7, 1)
    """
    return require_aware(instant, argument="instant").astimezone(tz).date()


def manager_lines(
    lines: Iterable[RevenueLine],
    manager: ActorId,
    assignments: Mapping[CustomerId, AccountManagerAssignment],
    *,
    tz: tzinfo = GMT_PLUS_8,
) -> tuple[RevenueLine, ...]:
    """The lines credited to a manager: from the day after assignment to removal (R-INC-06).

    A line counts when the customer's manager at the start of the line's
    revenue day (``tz``) is ``manager``; lines come back in revenue-id order.
    """
    chosen = [
        line
        for line in lines
        if attributed_manager(
            assignments.get(line.customer_id),
            datetime.combine(line.generated_on, time(0), tzinfo=tz),
        )
        == manager
    ]
    return tuple(sorted(chosen, key=lambda line: line.revenue_id))


def eligible_amount(
    line: RevenueLine, classifications: Iterable[ProductClassification] = ()
) -> Money:
    """The line's signed eligible revenue (R-INC-01, R-INC-02, R-INC-05, R-INC-07, DC-INC-03).

    ``amount - partner discount - price adjustment - vendor coupons``, tax
    excluded, negative for unsubscriptions and refunds, zero for products
    classed "no revenue or rebate" on the revenue date.
    """
    if classification_on(classifications, line.product_code, line.generated_on) is (
        ProductClass.NO_REVENUE_OR_REBATE
    ):
        return line.amount.currency.zero
    return (line.amount - line._reductions()) * line.order_type.sign


def credited_partner(line: RevenueLine, distributor_of: Mapping[PartnerId, PartnerId]) -> PartnerId:
    """Whose revenue it is: a reseller's customers' lines go to the distributor (R-INC-04).

    >>> from partnerkit.money import Money
    >>> line = RevenueLine(revenue_id="L", partner_id=PartnerId("r1"), customer_id=CustomerId("c"),
    ...     order_type=OrderType.RENEWAL, product_code="ecs", generated_on=date(2024, 7, 1),
    ...     amount=Money.of("1", "USD"))
    >>> credited_partner(line, {PartnerId("r1"): PartnerId("d1")})
    'd1'
    """
    return distributor_of.get(line.partner_id, line.partner_id)


@final
@attrs.frozen
class PeriodRevenue:
    """A partner's eligible revenue for a period: exact, rounded once, and the lines used."""

    partner_id: PartnerId
    period: Period
    exact: Money
    total: Money
    tax_inclusive: Money
    lines: tuple[str, ...]
    excluded: tuple[str, ...]


def period_revenue(
    lines: Iterable[RevenueLine],
    *,
    partner_id: PartnerId,
    period: Period,
    classifications: Iterable[ProductClassification] = (),
    distributor_of: Mapping[PartnerId, PartnerId] | None = None,
) -> PeriodRevenue:
    """Sum a partner's eligible revenue in a period, rounded once half-up (DC-INC-01).

    Lines of other partners and other periods are ignored; lines of
    "no revenue or rebate" products are listed as excluded.
    """
    mapping = distributor_of or {}
    rules = tuple(classifications)
    mine = sorted(
        (
            line
            for line in lines
            if credited_partner(line, mapping) == partner_id and period.contains(line.generated_on)
        ),
        key=lambda line: line.revenue_id,
    )
    if not mine:
        raise InvalidArgumentError(
            "lines", partner_id, "no revenue lines of the partner in the period"
        )
    currency = mine[0].amount.currency
    amounts = [(line, eligible_amount(line, rules)) for line in mine]
    exact = total((a for _, a in amounts), currency=currency)
    excluded = tuple(
        line.revenue_id
        for line in mine
        if classification_on(rules, line.product_code, line.generated_on)
        is ProductClass.NO_REVENUE_OR_REBATE
    )
    return PeriodRevenue(
        partner_id,
        period,
        exact,
        exact.round(rounding=Rounding.HALF_UP),
        total((line.tax_inclusive for line in mine), currency=currency).round(
            rounding=Rounding.HALF_UP
        ),
        tuple(line.revenue_id for line in mine),
        excluded,
    )
