"""Partner discounts and order price adjustments for referral customers.

A partner with the vendor's permission may grant a referral customer a
**general discount** (one percentage for every product category, 0-25 %,
R-CUST-101/102, R-BILL-65) with a validity period, or lower the price of one
**pending** order (R-BILL-60..62, R-CUST-111).  Neither exists for
reseller-model customers (R-CUST-99, R-BILL-64), partners in 29 Latin-American
and Caribbean places may not grant them (R-CUST-100, R-BILL-63), and at most
one reduction applies to an order (R-BILL-69, R-CUST-110).

Questions ("may this partner discount this customer?") return a
:class:`~partnerkit.decisions.Decision`; commands raise with the same reasons.

>>> from partnerkit.money import Money
>>> order = Order(order_id="CS1", status=OrderStatus.PENDING, items=(
...     OrderItem(item_id="a", product_code="ecs", subtotal=Money.of("154.00", "USD"),
...               maximum_discount=Money.of("15.40", "USD")),
...     OrderItem(item_id="b", product_code="evs", subtotal=Money.of("46.00", "USD"),
...               maximum_discount=Money.of("4.60", "USD"))))
>>> adjusted = adjust_order_price(order, Money.of("10.00", "USD"))
>>> [(i.item_id, str(i.discount.amount), str(i.after.amount)) for i in adjusted.items]
[('a', '7.70', '146.30'), ('b', '2.30', '43.70')]
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, final

import attrs

import partnerkit._validators as _v
from partnerkit._construct import checked
from partnerkit.billing.bill import BillingMode
from partnerkit.decisions import Decision, Reason
from partnerkit.errors import InvalidArgumentError
from partnerkit.ids import CustomerId, PartnerId
from partnerkit.money import Money, Rate, Rounding, allocate, total
from partnerkit.partners import AssociationType
from partnerkit.periods import require_aware

__all__ = [
    "DISCOUNT_BANNED_COUNTRIES",
    "HUAWEI_DISCOUNTS",
    "AdjustedItem",
    "AdjustedOrder",
    "CommercialDiscount",
    "CommercialDiscountLevel",
    "CommercialDiscountStatus",
    "DiscountPolicy",
    "Order",
    "OrderItem",
    "OrderStatus",
    "PartnerDiscount",
    "Reduction",
    "ReductionKind",
    "adjust_order_price",
    "choose_reduction",
    "commercial_discounts_of",
    "discounted_price",
    "may_discount",
    "set_partner_discount",
]

#: R-CUST-100: the 29 places whose partners may not set customer discounts
#: (ISO 3166-1 alpha-2; French Guiana is GF).
DISCOUNT_BANNED_COUNTRIES = frozenset(
    {
        "CL", "BR", "CO", "SV", "JM", "BO", "UY", "AR", "EC", "DO", "SR", "HT", "PE", "PY", "GY",
        "HN", "MX", "BB", "GF", "NI", "PA", "CR", "PR", "TT", "BZ", "GT", "BS", "BM", "LC",
    }
)  # fmt: skip


@final
@attrs.frozen(kw_only=True)
class DiscountPolicy:
    """A vendor's partner-discount rules.

    Attributes:
        max_percent: The top of the slider (25, R-CUST-102).
        banned_countries: Partner countries that may not discount (R-CUST-100).
        excluded_products: Products never discounted: Marketplace and Spot ECS
            (R-BILL-68; DC-17 resolves the Spot ECS conflict as excluded).
    """

    max_percent: int = 25
    banned_countries: frozenset[str] = DISCOUNT_BANNED_COUNTRIES
    excluded_products: frozenset[str] = frozenset({"marketplace", "spot-ecs"})


#: Huawei's rules.
HUAWEI_DISCOUNTS = DiscountPolicy()


def _reason(code: str, rule_id: str, message: str, **fields: Any) -> Reason:
    return Reason(code, rule_id, message, fields)


def may_discount(
    *,
    partner_country: str,
    has_permission: bool,
    association: AssociationType,
    policy: DiscountPolicy = HUAWEI_DISCOUNTS,
) -> Decision:
    """Whether a partner may discount, or adjust prices for, a customer (R-CUST-98..100).

    >>> may_discount(partner_country="MX", has_permission=True,
    ...              association=AssociationType.RESELLER).codes
    ('RESELLER_MODEL_CUSTOMER', 'REGION_NOT_ALLOWED')
    """
    reasons = []
    if not has_permission:
        reasons.append(
            _reason(
                "PERMISSION_DENIED",
                "R-CUST-98",
                "the vendor's operation manager has not granted the customer-discount permission",
                permission="customer.discount",
            )
        )
    if association is not AssociationType.REFERRAL:
        reasons.append(
            _reason(
                "RESELLER_MODEL_CUSTOMER",
                "R-CUST-99",
                "discounts and price adjustments are for referral customers only",
                association=association,
            )
        )
    if partner_country in policy.banned_countries:
        reasons.append(
            _reason(
                "REGION_NOT_ALLOWED",
                "R-CUST-100",
                "partners in this place may not set customer discounts",
                country=partner_country,
            )
        )
    return Decision.of(reasons)


@final
@attrs.frozen(kw_only=True)
class PartnerDiscount:
    """A general discount granted to one referral customer (R-CUST-101..103).

    Attributes:
        partner_id: The granting partner.
        customer_id: The customer.
        percent: One integer percentage for every product category.
        valid_from: First instant in force (inclusive).
        valid_to: Last instant in force (inclusive).
    """

    partner_id: PartnerId = attrs.field(validator=_v.text)
    customer_id: CustomerId = attrs.field(validator=_v.text)
    percent: int
    valid_from: datetime = attrs.field(validator=_v.aware)
    valid_to: datetime = attrs.field(validator=_v.aware)

    def __attrs_post_init__(self) -> None:
        if isinstance(self.percent, bool) or not isinstance(self.percent, int):
            raise InvalidArgumentError(
                "percent", self.percent, "an integer percent", rule_id="R-CUST-102"
            )
        if self.valid_to < self.valid_from:
            raise InvalidArgumentError(
                "valid_to", self.valid_to, "must not precede valid_from", rule_id="R-CUST-103"
            )

    def in_force(self, instant: datetime) -> bool:
        """Whether the discount applies at ``instant``."""
        return self.valid_from <= instant <= self.valid_to

    @property
    def rate(self) -> Rate:
        """The discount as a rate."""
        return Rate.from_percent(self.percent)


def set_partner_discount(
    current: PartnerDiscount | None,
    requested: PartnerDiscount,
    *,
    as_of: datetime,
    policy: DiscountPolicy = HUAWEI_DISCOUNTS,
) -> PartnerDiscount | None:
    """Save a discount setting: it replaces the old one; ``0 %`` deletes it (R-CUST-102, 104).

    Once the current discount is in effect, only its expiry and percentage may
    change (R-CUST-104, R-BILL-66).  Returns the discount now held, or ``None``.

    >>> from datetime import datetime, timezone
    >>> t = lambda d: datetime(2024, 4, d, tzinfo=timezone.utc)
    >>> d = PartnerDiscount(partner_id=PartnerId("p"), customer_id=CustomerId("c"), percent=16,
    ...                     valid_from=t(22), valid_to=t(30))
    >>> set_partner_discount(d, attrs.evolve(d, percent=0), as_of=t(25)) is None
    True
    """
    require_aware(as_of)
    if not 0 <= requested.percent <= policy.max_percent:
        raise InvalidArgumentError(
            "percent",
            requested.percent,
            f"a general discount is 0..{policy.max_percent} %",
            rule_id="R-CUST-102",
        )
    if current is not None and (current.partner_id, current.customer_id) != (
        requested.partner_id,
        requested.customer_id,
    ):
        raise InvalidArgumentError(
            "requested", requested, "replaces the same partner's discount of the same customer"
        )
    if (
        current is not None
        and current.valid_from <= as_of
        and requested.percent
        and requested.valid_from != current.valid_from
    ):
        raise InvalidArgumentError(
            "valid_from",
            requested.valid_from,
            "once in effect, only the expiry and percentage may change",
            rule_id="R-CUST-104",
        )
    return requested if requested.percent else None


def discounted_price(
    list_price: Money,
    discount: PartnerDiscount | None,
    *,
    product_code: str,
    paid_at: datetime,
    policy: DiscountPolicy = HUAWEI_DISCOUNTS,
) -> tuple[Money, Decision]:
    """What a referral customer pays with its partner discount (R-CUST-109, DC-24).

    The discount applies to the official list price when the order's payment
    time is within its inclusive validity and the product is in scope
    (Marketplace and Spot ECS excluded, DC-17).  The decision says why not.

    >>> from datetime import timezone
    >>> d = PartnerDiscount(partner_id=PartnerId("p"), customer_id=CustomerId("c"), percent=16,
    ...     valid_from=datetime(2024, 4, 22, tzinfo=timezone.utc),
    ...     valid_to=datetime(2024, 6, 20, 23, 59, 59, tzinfo=timezone.utc))
    >>> discounted_price(Money.of("100.00", "USD"), d, product_code="ecs",
    ...                  paid_at=datetime(2024, 5, 1, tzinfo=timezone.utc))[0]
    Money('84.0000', 'USD')
    """
    require_aware(paid_at, argument="paid_at")
    if discount is None:
        return list_price, Decision.allow()
    reasons = []
    if not discount.in_force(paid_at):
        reasons.append(
            _reason(
                "DISCOUNT_NOT_IN_FORCE",
                "R-CUST-103",
                "the payment time is outside the discount's validity",
                paid_at=paid_at,
            )
        )
    if product_code in policy.excluded_products:
        reasons.append(
            _reason(
                "PRODUCT_NOT_DISCOUNTABLE",
                "R-CUST-109",
                "Marketplace and Spot ECS products take no partner discount",
                product=product_code,
            )
        )
    if reasons:
        return list_price, Decision.of(reasons)
    return list_price * discount.rate.complement(), Decision.allow()


class OrderStatus(enum.Enum):
    """Order statuses that matter to price adjustment (R-BILL-60)."""

    PENDING = "pending"
    PAID = "paid"
    CANCELED = "canceled"


@checked
@final
@attrs.frozen(kw_only=True)
class OrderItem:
    """One item of an order: its subtotal at official price and its maximum discount."""

    item_id: str = attrs.field(validator=_v.text)
    product_code: str = attrs.field(validator=_v.text)
    subtotal: Money
    maximum_discount: Money

    def __attrs_post_init__(self) -> None:
        if self.subtotal.is_negative() or self.maximum_discount.is_negative():
            raise InvalidArgumentError("subtotal", self.subtotal, "amounts are >= 0")
        if self.maximum_discount > self.subtotal:
            raise InvalidArgumentError(
                "maximum_discount", self.maximum_discount, "cannot exceed the subtotal"
            )


def _items(value: Iterable[OrderItem]) -> tuple[OrderItem, ...]:
    items = tuple(value)
    if not all(isinstance(i, OrderItem) for i in items):
        raise InvalidArgumentError("items", value, "expected OrderItem values")
    return items


@final
@attrs.frozen
class AdjustedItem:
    """An item after adjustment: ``after = subtotal - discount`` (R-BILL-62)."""

    item_id: str
    subtotal: Money
    discount: Money
    after: Money


@final
@attrs.frozen
class AdjustedOrder:
    """The adjusted order: the order discount is the sum of item discounts (R-BILL-62)."""

    order_id: str
    items: tuple[AdjustedItem, ...]
    discount: Money
    after: Money


@checked
@final
@attrs.frozen(kw_only=True)
class Order:
    """A subscription order with its items (R-BILL-75).

    Orders exist only for yearly/monthly purchases; pay-per-use spend is
    seen under resources and expenditures, never as an order (R-BILL-75).

    Attributes:
        order_id: The order number.
        status: Pending, paid or canceled.
        items: The items at official price.
        customer_id: The customer it was placed for, when known.
        billing_mode: A subscription billing mode (not pay-per-use).
        placed_by: The partner that placed it on the customer's behalf
            (R-BILL-77), if any.
        adjusted: The price adjustment applied while pending (R-BILL-60).
        version: Storage version.
    """

    order_id: str = attrs.field(validator=_v.text)
    status: OrderStatus
    items: tuple[OrderItem, ...] = attrs.field(converter=_items)
    customer_id: CustomerId | None = attrs.field(default=None, validator=_v.optional_text)
    billing_mode: BillingMode = BillingMode.YEARLY_MONTHLY
    placed_by: PartnerId | None = attrs.field(default=None, validator=_v.optional_text)
    adjusted: AdjustedOrder | None = None
    version: int = 0

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.billing_mode, BillingMode) or self.billing_mode in (
            BillingMode.PAY_PER_USE,
            BillingMode.RI_HOURLY,
        ):
            raise InvalidArgumentError(
                "billing_mode",
                self.billing_mode,
                "orders are for subscription purchases; pay-per-use spend is not an order",
                rule_id="R-BILL-75",
            )
        if not self.items:
            raise InvalidArgumentError("items", self.items, "an order has items")
        currencies = {i.subtotal.currency for i in self.items}
        if len(currencies) != 1:
            raise InvalidArgumentError("items", self.items, "one currency per order")


def adjust_order_price(
    order: Order,
    discount: Money | Mapping[str, Money],
    *,
    policy: DiscountPolicy = HUAWEI_DISCOUNTS,
) -> AdjustedOrder:
    """Lower a pending order's price per order or per item (R-BILL-60, 62; R-CUST-111).

    An order-level ``discount`` is spread over the applicable items in
    proportion to their subtotals: exact shares rounded down to the minor
    unit, remaining cents by largest remainder (ties: larger subtotal, then
    item order); an item that would pass its maximum is capped and the excess
    redistributed (DC-22).  A mapping gives each item's discount directly.
    See the module docstring for an example.
    """
    if order.status is not OrderStatus.PENDING:
        raise InvalidArgumentError(
            "order",
            order.order_id,
            f"only a pending order can be adjusted, not a {order.status.value} one",
            rule_id="R-BILL-60",
        )
    currency = order.items[0].subtotal.currency
    applicable = [i for i in order.items if i.product_code not in policy.excluded_products]
    if isinstance(discount, Money):
        shares = _spread(discount, applicable)
    else:
        unknown = set(discount) - {i.item_id for i in applicable}
        if unknown:
            raise InvalidArgumentError(
                "discount", sorted(unknown), "not discountable items of this order",
                rule_id="R-BILL-68",
            )  # fmt: skip
        shares = dict(discount)
    items = []
    for item in order.items:
        amount = shares.get(item.item_id, currency.zero)
        if amount.is_negative():
            raise InvalidArgumentError(
                "discount", amount, "a discount is >= 0", rule_id="R-BILL-62"
            )
        if amount > item.maximum_discount:
            raise InvalidArgumentError(
                "discount",
                amount,
                f"item {item.item_id} allows at most {item.maximum_discount}",
                rule_id="R-BILL-62",
            )
        items.append(AdjustedItem(item.item_id, item.subtotal, amount, item.subtotal - amount))
    order_discount = total((i.discount for i in items), currency=currency)
    return AdjustedOrder(
        order.order_id,
        tuple(items),
        order_discount,
        total((i.after for i in items), currency=currency),
    )


def _spread(discount: Money, items: list[OrderItem]) -> dict[str, Money]:
    if discount.is_negative():
        raise InvalidArgumentError("discount", discount, "a discount is >= 0", rule_id="R-BILL-62")
    ceiling = total((i.maximum_discount for i in items), currency=discount.currency)
    if discount > ceiling:
        raise InvalidArgumentError(
            "discount", discount, f"the order allows at most {ceiling}", rule_id="R-BILL-62"
        )
    fixed: dict[str, Money] = {}
    remaining, pool = discount, list(items)
    while pool:
        if remaining.is_zero():
            fixed.update({i.item_id: discount.currency.zero for i in pool})
            break
        parts = allocate(remaining, [i.subtotal.amount for i in pool], rounding=Rounding.DOWN)
        over = [i for i, part in zip(pool, parts, strict=True) if part > i.maximum_discount]
        if not over:
            fixed.update({i.item_id: part for i, part in zip(pool, parts, strict=True)})
            break
        for item in over:
            fixed[item.item_id] = item.maximum_discount
            remaining = remaining - item.maximum_discount
        pool = [i for i in pool if i not in over]
    return fixed


class ReductionKind(enum.Enum):
    """The price reductions of which at most one applies (R-BILL-69)."""

    PARTNER_DISCOUNT = "partner-discount"
    PRICE_ADJUSTMENT = "price-adjustment"
    COMMERCIAL_DISCOUNT = "commercial-discount"
    PROMOTION = "promotion"


@final
@attrs.frozen
class Reduction:
    """One reduction offered on an order line, as an amount off the list price."""

    kind: ReductionKind
    amount: Money
    reference: str = ""


def choose_reduction(
    list_price: Money, offered: Iterable[Reduction], *, selected: ReductionKind | None = None
) -> tuple[Money, Reduction | None, Decision]:
    """Apply at most one reduction to a list price (R-BILL-69, R-CUST-110).

    A price adjustment, when offered, is the only reduction the order may use.
    Otherwise the customer's ``selected`` kind applies; with no selection and
    several offers, that is a refusal listing each offer.  Returns the price,
    the reduction used and a decision whose reasons say why the others were
    excluded, so the trace can show them.

    >>> usd = lambda a: Money.of(a, "USD")
    >>> price, used, why = choose_reduction(usd("100"), [
    ...     Reduction(ReductionKind.PARTNER_DISCOUNT, usd("16")),
    ...     Reduction(ReductionKind.PROMOTION, usd("10"))], selected=ReductionKind.PROMOTION)
    >>> price, used.kind, why.codes
    (Money('90', 'USD'), <ReductionKind.PROMOTION: 'promotion'>, ('NOT_COMBINABLE',))
    """
    offers = list(offered)
    kinds = [o.kind for o in offers]
    if len(set(kinds)) != len(kinds):
        raise InvalidArgumentError("offered", kinds, "one offer per kind")
    adjustment = next((o for o in offers if o.kind is ReductionKind.PRICE_ADJUSTMENT), None)
    if adjustment is not None:
        chosen: Reduction | None = adjustment
    elif selected is not None:
        chosen = next((o for o in offers if o.kind is selected), None)
        if chosen is None:
            raise InvalidArgumentError("selected", selected, "not among the offers")
    elif len(offers) == 1:
        chosen = offers[0]
    elif not offers:
        chosen = None
    else:
        raise InvalidArgumentError(
            "selected", None, "several reductions are offered; choose one", rule_id="R-BILL-69"
        )
    excluded = [
        _reason(
            "NOT_COMBINABLE",
            "R-BILL-69",
            f"{o.kind.value} cannot be combined with {chosen.kind.value}"
            if chosen
            else "not chosen",
            kind=o.kind,
            amount=o.amount,
        )
        for o in offers
        if o is not chosen
    ]
    if chosen is None:
        return list_price, None, Decision.allow()
    if chosen.amount.is_negative() or chosen.amount > list_price:
        raise InvalidArgumentError(
            "amount", chosen.amount, "a reduction is between 0 and the list price"
        )
    return list_price - chosen.amount, chosen, Decision.of(excluded)


class CommercialDiscountLevel(enum.Enum):
    """Whom a vendor's commercial (special-offer contract) discount covers (R-BILL-71)."""

    PARTNER = "partner-level"
    CUSTOMER = "customer-level"


class CommercialDiscountStatus(enum.Enum):
    """A commercial discount's status at an instant (R-BILL-71)."""

    PENDING = "pending"
    EFFECTIVE = "effective"
    EXPIRED = "expired"


@final
@attrs.frozen(kw_only=True)
class CommercialDiscount:
    """A read-only commercial discount record the vendor created (R-BILL-71).

    A customer-level record names its customer; a partner-level one does not.
    A customer with a special contract cannot be associated with a partner
    at all (R-CUST-30), so partners only see these records.
    """

    discount_id: str = attrs.field(validator=_v.text)
    level: CommercialDiscountLevel
    partner_id: PartnerId = attrs.field(validator=_v.text)
    effective_at: datetime = attrs.field(validator=_v.aware)
    expires_at: datetime = attrs.field(validator=_v.aware)
    customer_id: CustomerId | None = attrs.field(default=None, validator=_v.optional_text)

    def __attrs_post_init__(self) -> None:
        if (self.level is CommercialDiscountLevel.CUSTOMER) != (self.customer_id is not None):
            raise InvalidArgumentError(
                "customer_id",
                self.customer_id,
                "a customer-level discount names its customer; a partner-level one does not",
                rule_id="R-BILL-71",
            )
        if self.expires_at < self.effective_at:
            raise InvalidArgumentError(
                "expires_at", self.expires_at, "must not precede effective_at", rule_id="R-BILL-71"
            )

    def status(self, as_of: datetime) -> CommercialDiscountStatus:
        """Pending before ``effective_at``, expired after ``expires_at`` (inclusive window)."""
        when = require_aware(as_of)
        if when < self.effective_at:
            return CommercialDiscountStatus.PENDING
        if when > self.expires_at:
            return CommercialDiscountStatus.EXPIRED
        return CommercialDiscountStatus.EFFECTIVE


def commercial_discounts_of(
    records: Iterable[CommercialDiscount], customer_id: CustomerId
) -> tuple[CommercialDiscount, ...]:
    """Search the records by customer: its customer-level rows, newest first (R-BILL-71)."""
    return tuple(
        sorted(
            (r for r in records if r.customer_id == customer_id),
            key=lambda r: (r.effective_at, r.discount_id),
            reverse=True,
        )
    )
