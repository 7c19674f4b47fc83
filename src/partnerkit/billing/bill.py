"""Bill lines, their identities, the precision eras and the monthly partner bill.

A :class:`BillLine` is one row of the partner bill (billing.md 1.1).  Its
money fields obey the identities of 1.2:

* I-01 ``settlement = expenditure x (1 - settlement discount)``;
* I-02 ``settlement = fixed unit price x usage x size x usage-days ratio``;
* I-03 ``amount due ex tax = settlement - coupons used``;
* I-04 ``amount due = amount due ex tax + tax``.

A :class:`MonthlyBill` sums lines (I-09), rounds where the cycle's
:class:`PrecisionEra` says (I-10, R-BILL-07), floors the amount due at zero
(I-11) and keeps by-product and by-customer trees that sum exactly (I-13).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar, final

import attrs

import partnerkit._validators as _v
from partnerkit.billing.trace import Trace, TraceKind
from partnerkit.customers import Association
from partnerkit.decisions import Decision, Reason
from partnerkit.errors import InvalidArgumentError
from partnerkit.ids import CustomerId, PartnerId
from partnerkit.money import Currency, Money, Rate, Rounding, divide, quantize, total
from partnerkit.partners import AssociationType
from partnerkit.periods import Period

_E = TypeVar("_E", bound=enum.Enum)

__all__ = [
    "BillLine",
    "BillType",
    "BillingMode",
    "CustomerPartial",
    "MonthlyBill",
    "PrecisionEra",
    "RoundingPolicy",
    "TaxPolicy",
    "apply_tax",
    "billable_to_partner",
    "close_customer",
    "close_month",
    "fixed_price_settlement",
    "merge_partials",
    "rounding_for_cycle",
    "settle",
    "usage_days_ratio",
    "usage_in_pricing_unit",
]


def _parse_label(enum_type: type[_E], label: str, labels: dict[str, _E]) -> _E:
    key = " ".join(str(label).replace("-", " ").replace("/", " / ").split()).casefold()
    found = labels.get(key)
    if found is None:
        raise InvalidArgumentError(
            enum_type.__name__,
            label,
            f"not one of the closed values {sorted(labels)}",
            rule_id="R-BILL-16",
        )
    return found


class BillType(enum.Enum):
    """The three line types of a partner bill (R-BILL-16)."""

    EXPENDITURE = "expenditure"
    REFUND = "refund"
    ADJUSTMENT = "adjustment"

    @classmethod
    def parse(cls, label: str) -> BillType:
        """The value of a console or export label; anything else raises (R-BILL-16).

        >>> BillType.parse("Expenditure")
        <BillType.EXPENDITURE: 'expenditure'>
        """
        return _parse_label(cls, label, {m.value: m for m in cls})


class BillingMode(enum.Enum):
    """How the line's product is billed (R-BILL-16)."""

    PAY_PER_USE = "pay-per-use"
    YEARLY_MONTHLY = "yearly-monthly"
    RI_UPFRONT = "ri-upfront"
    RI_HOURLY = "ri-hourly"
    SAVINGS_PLAN = "savings-plan"

    @classmethod
    def parse(cls, label: str) -> BillingMode:
        """The value of a console or export label; anything else raises (R-BILL-16).

        >>> BillingMode.parse("Yearly/Monthly"), BillingMode.parse("Pay-per-Use")
        (<BillingMode.YEARLY_MONTHLY: 'yearly-monthly'>, <BillingMode.PAY_PER_USE: 'pay-per-use'>)
        """
        return _parse_label(cls, label, _MODE_LABELS)


_MODE_LABELS = {
    "pay per use": BillingMode.PAY_PER_USE,
    "yearly / monthly": BillingMode.YEARLY_MONTHLY,
    "ri upfront": BillingMode.RI_UPFRONT,
    "ri hourly": BillingMode.RI_HOURLY,
    "savings plans": BillingMode.SAVINGS_PLAN,
    "savings plan": BillingMode.SAVINGS_PLAN,
}


class PrecisionEra(enum.Enum):
    """Huawei's precision eras by billing cycle (billing.md 3.8, R-BILL-07, DC-03)."""

    #: Cycles before 2021-06: each settled amount truncated to 2 places.
    LEGACY_TRUNCATE = "legacy-truncate"
    #: Cycles 2021-06 and 2021-07: each settled amount rounded, then summed.
    TRANSITION_ROUND = "transition-round"
    #: Cycles from 2021-08: full precision; only the monthly total is rounded.
    MODERN = "modern"


@final
@attrs.frozen(kw_only=True)
class RoundingPolicy:
    """Where a bill rounds, and how: the rounding points are policy (DC-01..03).

    Coupon deductions round on their own (:class:`~partnerkit.billing.coupons.CouponPolicy`).

    Attributes:
        line_rounding: How each line's settlement amount is rounded before
            summing; ``None`` keeps full precision.
        total_rounding: How the monthly total is rounded (I-10).
        places: Decimal places of displayed amounts (2).
        exchange_rounding: Local-currency display (I-12, DC-28: half-up).
    """

    line_rounding: Rounding | None = None
    total_rounding: Rounding = Rounding.HALF_UP
    places: int = 2
    exchange_rounding: Rounding = Rounding.HALF_UP

    @classmethod
    def for_era(cls, era: PrecisionEra, *, rounding: Rounding = Rounding.HALF_UP) -> RoundingPolicy:
        """The policy of a precision era; ``rounding`` is DC-01's mode (half-up)."""
        if era is PrecisionEra.LEGACY_TRUNCATE:
            return cls(line_rounding=Rounding.DOWN, total_rounding=rounding)
        if era is PrecisionEra.TRANSITION_ROUND:
            return cls(line_rounding=rounding, total_rounding=rounding)
        return cls(line_rounding=None, total_rounding=rounding)


_TRANSITION_START = Period.month(2021, 6)
_MODERN_START = Period.month(2021, 8)


def rounding_for_cycle(cycle: Period, *, rounding: Rounding = Rounding.HALF_UP) -> RoundingPolicy:
    """The Huawei rounding policy of a billing cycle (R-BILL-07).

    >>> rounding_for_cycle(Period.parse("2021M5")).line_rounding
    <Rounding.DOWN: 'down'>
    >>> rounding_for_cycle(Period.parse("2024M6")).line_rounding is None
    True
    """
    _v.require_month(cycle)
    if cycle < _TRANSITION_START:
        era = PrecisionEra.LEGACY_TRUNCATE
    elif cycle < _MODERN_START:
        era = PrecisionEra.TRANSITION_ROUND
    else:
        era = PrecisionEra.MODERN
    return RoundingPolicy.for_era(era, rounding=rounding)


# --- line identities -------------------------------------------------------------------


def settle(expenditure: Money, discount: Rate) -> Money:
    """I-01: the settlement amount of a percentage settlement discount (R-BILL-01).

    >>> settle(Money.of("1000", "USD"), Rate.from_percent(25))
    Money('750.00', 'USD')
    """
    if not isinstance(discount, Rate):
        raise InvalidArgumentError("discount", discount, "expected a Rate")
    return expenditure * discount.complement()


def fixed_price_settlement(
    unit_price: Money,
    usage: Decimal,
    *,
    linear_size: Decimal = Decimal(1),
    usage_days: Decimal = Decimal(1),
) -> Money:
    """I-02: a fixed unit price times usage, size and usage-days ratio (R-BILL-02).

    >>> fixed_price_settlement(Money.of("0.1", "USD"), Decimal("720"), linear_size=Decimal("10"))
    Money('720.0', 'USD')
    """
    for name, value in (("usage", usage), ("linear_size", linear_size), ("usage_days", usage_days)):
        if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
            raise InvalidArgumentError(
                name, value, "expected a finite Decimal >= 0", rule_id="R-BILL-02"
            )
    return unit_price * usage * linear_size * usage_days


def usage_in_pricing_unit(total_usage: Decimal, conversion_factor: Decimal) -> Decimal:
    """I-07: usage in the pricing unit, truncated to 10 places (R-BILL-06).

    >>> usage_in_pricing_unit(Decimal(1), Decimal(1073741824))
    Decimal('9E-10')
    """
    if (
        not isinstance(conversion_factor, Decimal)
        or not conversion_factor.is_finite()
        or conversion_factor <= 0
    ):
        raise InvalidArgumentError(
            "conversion_factor", conversion_factor, "must be > 0", rule_id="R-BILL-06"
        )
    return quantize(divide(total_usage, conversion_factor), 10, rounding=Rounding.DOWN)


def usage_days_ratio(points: int, days_in_month: int) -> Decimal:
    """I-06: ``(points / 288) / days in month`` for 95th-percentile products (R-BILL-05).

    The point count must be a whole number of days (a multiple of 288, DC-20).

    >>> usage_days_ratio(288 * 15, 30)
    Decimal('0.5')
    """
    if isinstance(points, bool) or not isinstance(points, int) or points < 0 or points % 288:
        raise InvalidArgumentError(
            "points", points, "a multiple of 288 five-minute samples", rule_id="R-BILL-05"
        )
    if not 28 <= days_in_month <= 31:
        raise InvalidArgumentError("days_in_month", days_in_month, "expected 28..31")
    return divide(Decimal(points // 288), Decimal(days_in_month))


@final
@attrs.frozen(kw_only=True)
class BillLine:
    """One partner-bill line (billing.md 1.1) with the identities enforced.

    Attributes:
        line_id: Unique line id.
        customer_id: The end customer.
        partner_id: The customer's direct partner (the reseller for a
            reseller's customer, R-BILL-14).
        cycle: The billing cycle (a month).
        bill_type: Expenditure, refund or adjustment.
        billing_mode: How the product is billed.
        product_code: The product (for coupon scopes and the by-product tree).
        order_or_txn_id: Order or transaction id (orders coupon deductions, DC-07).
        transaction_time: Payment time (subscriptions) or end of consumption
            (pay-per-use), R-BILL-15.
        customer_expenditure: List-price consumption.
        settlement_amount: What the partner owes before coupons (I-01/I-02).
        coupons_used: Coupons deducted on this line (8 places).
        tax: Tax on the post-coupon amount (DC-04).
        refund_coupons: On a refund line, whether coupons return (R-BILL-17).
        marketplace: A Marketplace (KooGallery) product.
        billed_partner_id: The partner the vendor bills when it is not
            ``partner_id``: the distributor of a reseller's customer (R-BILL-14).
        usage_start: Start of the consumption period, when known; a
            pay-per-use or RI-hourly line's transaction time (the end of
            consumption) may not precede it (R-BILL-15).
    """

    line_id: str = attrs.field(validator=_v.text)
    customer_id: CustomerId = attrs.field(validator=_v.text)
    partner_id: PartnerId = attrs.field(validator=_v.text)
    cycle: Period
    bill_type: BillType
    billing_mode: BillingMode
    product_code: str = attrs.field(validator=_v.text)
    order_or_txn_id: str = attrs.field(validator=_v.text)
    transaction_time: datetime = attrs.field(validator=_v.aware)
    customer_expenditure: Money = attrs.field(validator=_v.money)
    settlement_amount: Money = attrs.field(validator=_v.money)
    coupons_used: Money = attrs.field(validator=_v.money)
    tax: Money = attrs.field(validator=_v.money)
    refund_coupons: bool = False
    marketplace: bool = False
    billed_partner_id: PartnerId | None = attrs.field(default=None, validator=_v.optional_text)
    usage_start: datetime | None = attrs.field(default=None, validator=_v.optional_aware)

    def __attrs_post_init__(self) -> None:
        if (
            self.usage_start is not None
            and self.billing_mode in (BillingMode.PAY_PER_USE, BillingMode.RI_HOURLY)
            and self.transaction_time < self.usage_start
        ):
            raise InvalidArgumentError(
                "transaction_time",
                self.transaction_time,
                "a pay-per-use line's transaction time is the end of consumption, "
                "not before its start",
                rule_id="R-BILL-15",
            )
        currency = self.settlement_amount.currency
        for name in ("customer_expenditure", "coupons_used", "tax"):
            if getattr(self, name).currency != currency:
                raise InvalidArgumentError(
                    name, getattr(self, name), "all money fields share one currency"
                )
        if self.bill_type is BillType.EXPENDITURE:
            if self.coupons_used.is_negative() or self.coupons_used > self.settlement_amount:
                raise InvalidArgumentError(
                    "coupons_used",
                    self.coupons_used,
                    "0 <= coupons used <= settlement amount (C-01)",
                    rule_id="R-BILL-03",
                )
        elif self.bill_type is BillType.REFUND:
            positive = [
                n
                for n in ("customer_expenditure", "settlement_amount", "coupons_used", "tax")
                if getattr(self, n).is_positive()
            ]
            if positive:
                raise InvalidArgumentError(
                    positive[0],
                    getattr(self, positive[0]),
                    "refund lines carry no positive amounts (C-02)",
                    rule_id="R-BILL-17",
                )

    @property
    def billed_partner(self) -> PartnerId:
        """Whose bill the line lands on: the distributor for a reseller's customer (R-BILL-14)."""
        return self.billed_partner_id if self.billed_partner_id is not None else self.partner_id

    @property
    def amount_due_ex_tax(self) -> Money:
        """I-03: settlement amount minus coupons used (R-BILL-03)."""
        return self.settlement_amount - self.coupons_used

    @property
    def amount_due(self) -> Money:
        """I-04: amount due ex tax plus tax (R-BILL-04)."""
        return self.amount_due_ex_tax + self.tax

    def trace(self) -> Trace:
        """How the line's amount due was derived (I-03, I-04)."""
        t = Trace.start(f"settlement amount of {self.line_id}", self.settlement_amount)
        if not self.coupons_used.is_zero():
            t = t.then(TraceKind.COUPON, "coupons used", -self.coupons_used)
        if not self.tax.is_zero():
            t = t.then(TraceKind.TAX, "tax on the post-coupon amount", self.tax)
        return t


def billable_to_partner(line: BillLine, association: Association) -> Decision:
    """Whether a customer's line belongs on its partner's bill (R-BILL-13).

    Only the spend of reseller-model customers enters a partner bill, and
    only from the association on (until a disassociation).  Referral
    customers pay the vendor directly.
    """
    reasons = []
    if (association.customer_id, association.partner_id) != (line.customer_id, line.partner_id):
        reasons.append(
            Reason(
                "NOT_THIS_ASSOCIATION",
                "R-BILL-13",
                "the association is another customer's or partner's",
                {"customer_id": association.customer_id, "partner_id": association.partner_id},
            )
        )
    if association.association_type is not AssociationType.RESELLER:
        reasons.append(
            Reason(
                "REFERRAL_CUSTOMER",
                "R-BILL-13",
                "referral customers pay the vendor directly",
                {"customer_id": line.customer_id},
            )
        )
    ended = association.disassociated_at
    if line.transaction_time < association.associated_at or (
        ended is not None and line.transaction_time >= ended
    ):
        reasons.append(
            Reason(
                "OUTSIDE_ASSOCIATION",
                "R-BILL-13",
                "the spend falls outside the association",
                {
                    "transaction_time": line.transaction_time,
                    "associated_at": association.associated_at,
                },
            )
        )
    return Decision.of(reasons)


@final
@attrs.frozen(kw_only=True)
class TaxPolicy:
    """Tax on the post-coupon amount, by the partner's registration region (I-08, DC-04).

    ``rates`` maps a region code to a rate; regions not listed pay no tax
    (DC-04's default).  Tax is computed per line at full precision; only the
    monthly total rounds.
    """

    rates: dict[str, Rate] = attrs.field(factory=dict)

    def rate_for(self, region: str) -> Rate:
        """The region's rate, zero when none is configured."""
        return self.rates.get(region, _ZERO_RATE)


_ZERO_RATE = Rate(Decimal(0))


def apply_tax(line: BillLine, *, region: str, policy: TaxPolicy) -> BillLine:
    """The line with ``tax = rate x amount due ex tax`` (I-08, DC-04); refunds keep their tax.

    Call it after the coupon pass, so coupons reduce the taxable base (2.3 B.4).

    >>> from datetime import datetime
    >>> from partnerkit.periods import GMT_PLUS_8
    >>> usd = lambda a: Money.of(a, "USD")
    >>> line = BillLine(
    ...     line_id="L", customer_id=CustomerId("c"), partner_id=PartnerId("p"),
    ...     cycle=Period.parse("2024M6"), bill_type=BillType.EXPENDITURE,
    ...     billing_mode=BillingMode.PAY_PER_USE, product_code="ecs", order_or_txn_id="T",
    ...     transaction_time=datetime(2024, 6, 3, tzinfo=GMT_PLUS_8),
    ...     customer_expenditure=usd("1000"), settlement_amount=usd("750"),
    ...     coupons_used=usd("100"), tax=usd("0"))
    >>> apply_tax(line, region="SG", policy=TaxPolicy(rates={"SG": Rate.from_percent(9)})).tax
    Money('58.50', 'USD')
    """
    if line.bill_type is not BillType.EXPENDITURE:
        return line
    tax = line.amount_due_ex_tax * policy.rate_for(region)
    return attrs.evolve(line, tax=tax)


# --- the monthly bill ------------------------------------------------------------------


@final
@attrs.frozen
class CustomerPartial:
    """One customer's share of a partner's month: exact sums of its lines.

    Partials from any number of workers merge exactly (:func:`merge_partials`);
    rounding waits for the merged bill, except where the era rounds lines.
    """

    partner_id: PartnerId
    cycle: Period
    currency: Currency
    expenditures: Money
    refunds: Money
    adjustments: Money
    coupons: Money
    tax: Money
    by_product: tuple[tuple[str, Money], ...]
    by_customer: tuple[tuple[CustomerId, Money], ...]
    lines: int


def _line_total(line: BillLine, policy: RoundingPolicy) -> Money:
    """A line's contribution: its amount due, rounded per line when the era says so."""
    if policy.line_rounding is None:
        return line.amount_due
    return line.amount_due.round(policy.places, rounding=policy.line_rounding)


def close_customer(
    partner_id: PartnerId, cycle: Period, lines: Iterable[BillLine], *, policy: RoundingPolicy
) -> CustomerPartial:
    """Sum one partition of lines (normally one customer's) into a partial (I-09, I-13)."""
    items = list(lines)
    if not items:
        raise InvalidArgumentError("lines", items, "a partial needs at least one line")
    currency = items[0].settlement_amount.currency
    sums: dict[BillType, list[Money]] = {kind: [] for kind in BillType}
    products: dict[str, list[Money]] = {}
    customers: dict[CustomerId, list[Money]] = {}
    coupons: list[Money] = []
    taxes: list[Money] = []
    for line in items:
        if line.billed_partner != partner_id or (line.cycle is not cycle and line.cycle != cycle):
            raise InvalidArgumentError(
                "lines",
                line.line_id,
                "every line must be billed to the partner, in the cycle (R-BILL-14)",
                rule_id="R-BILL-14",
            )
        amount = _line_total(line, policy)
        sums[line.bill_type].append(amount)
        products.setdefault(line.product_code, []).append(amount)
        customers.setdefault(line.customer_id, []).append(amount)
        coupons.append(line.coupons_used)
        taxes.append(line.tax)
    return CustomerPartial(
        partner_id,
        cycle,
        currency,
        total(sums[BillType.EXPENDITURE], currency=currency),
        total(sums[BillType.REFUND], currency=currency),
        total(sums[BillType.ADJUSTMENT], currency=currency),
        total(coupons, currency=currency),
        total(taxes, currency=currency),
        tuple(sorted((k, total(v, currency=currency)) for k, v in products.items())),
        tuple(sorted((k, total(v, currency=currency)) for k, v in customers.items())),
        len(items),
    )


def _merge_tree(
    trees: Iterable[tuple[tuple[Any, Money], ...]], currency: Currency
) -> tuple[tuple[Any, Money], ...]:
    merged: dict[Any, Money] = {}
    for tree in trees:
        for key, amount in tree:
            merged[key] = merged.get(key, currency.zero) + amount
    return tuple(sorted(merged.items()))


@final
@attrs.frozen
class MonthlyBill:
    """A partner's monthly bill (billing.md 1.3).

    Attributes:
        monthly_total: I-09, exact (or the sum of era-rounded lines).
        displayed_total: I-10, the total rounded once with the policy's mode.
        amount_due: I-11, ``max(0, displayed_total)``.
        negative_balance: What a negative bill leaves (DC-25), else zero.
    """

    partner_id: PartnerId
    cycle: Period
    expenditures: Money
    refunds: Money
    adjustments: Money
    coupons: Money
    tax: Money
    monthly_total: Money
    displayed_total: Money
    amount_due: Money
    negative_balance: Money
    by_product: tuple[tuple[str, Money], ...]
    by_customer: tuple[tuple[CustomerId, Money], ...]
    lines: int
    policy: RoundingPolicy

    def local_amount_due(self, currency: Currency | str, *, rate: Decimal) -> Money:
        """I-12: the amount due converted at ``rate`` and rounded (R-BILL-18, DC-28)."""
        return self.amount_due.convert(currency, rate=rate).round(
            rounding=self.policy.exchange_rounding
        )

    def trace(self) -> Trace:
        """The bill's derivation: the three sums, the rounding and the floor."""
        t = Trace.start("expenditures", self.expenditures)
        t = t.then(TraceKind.SUM, "refunds", self.refunds)
        t = t.then(TraceKind.SUM, "adjustments", self.adjustments)
        rounding = self.displayed_total - self.monthly_total
        if not rounding.is_zero():
            mode = self.policy.total_rounding.value
            t = t.then(
                TraceKind.ROUNDING,
                f"round the total to {self.policy.places} places, {mode}",
                rounding,
            )
        if self.amount_due != self.displayed_total:
            t = t.then(
                TraceKind.FLOOR,
                "a negative bill is due 0 (I-11)",
                self.amount_due - self.displayed_total,
            )
        return t


def merge_partials(partials: Iterable[CustomerPartial], *, policy: RoundingPolicy) -> MonthlyBill:
    """Merge partials into the partner's bill: exact sums, one rounding (I-09..I-11, I-13).

    The order of the partials does not matter; no global state is needed.
    """
    items = list(partials)
    if not items:
        raise InvalidArgumentError("partials", items, "need at least one partial")
    first = items[0]
    currency = first.currency
    if any(
        (p.partner_id, p.cycle, p.currency) != (first.partner_id, first.cycle, currency)
        for p in items
    ):
        raise InvalidArgumentError("partials", items, "partials of one partner, cycle and currency")
    expenditures = total((p.expenditures for p in items), currency=currency)
    refunds = total((p.refunds for p in items), currency=currency)
    adjustments = total((p.adjustments for p in items), currency=currency)
    monthly = expenditures + refunds + adjustments
    displayed = monthly.round(policy.places, rounding=policy.total_rounding)
    due = displayed if not displayed.is_negative() else currency.zero
    negative = displayed if displayed.is_negative() else currency.zero
    return MonthlyBill(
        first.partner_id,
        first.cycle,
        expenditures,
        refunds,
        adjustments,
        total((p.coupons for p in items), currency=currency),
        total((p.tax for p in items), currency=currency),
        monthly,
        displayed,
        due,
        negative,
        _merge_tree((p.by_product for p in items), currency),
        _merge_tree((p.by_customer for p in items), currency),
        sum(p.lines for p in items),
        policy,
    )


def close_month(
    partner_id: PartnerId,
    cycle: Period,
    lines: Iterable[BillLine],
    *,
    policy: RoundingPolicy | None = None,
) -> MonthlyBill:
    """Close a partner's month in one go: partials per customer, then one merge.

    ``policy`` defaults to the cycle's Huawei era (R-BILL-07).

    >>> from datetime import datetime
    >>> from partnerkit.periods import GMT_PLUS_8
    >>> usd = lambda a: Money.of(a, "USD")
    >>> when = datetime(2024, 6, 3, tzinfo=GMT_PLUS_8)
    >>> def line(i, amount, kind=BillType.EXPENDITURE):
    ...     return BillLine(
    ...         line_id=f"l{i}", customer_id=CustomerId("c"), partner_id=PartnerId("p"),
    ...         cycle=Period.parse("2024M6"), bill_type=kind, billing_mode=BillingMode.PAY_PER_USE,
    ...         product_code="ecs", order_or_txn_id=f"t{i}", transaction_time=when,
    ...         customer_expenditure=usd(amount), settlement_amount=usd(amount),
    ...         coupons_used=usd("0"), tax=usd("0"))
    >>> lines = [line(1, "8083.8494925"), line(2, "-853.8495", BillType.REFUND),
    ...          line(3, "-37.9425", BillType.ADJUSTMENT)]
    >>> bill = close_month(PartnerId("p"), Period.parse("2024M6"), lines)
    >>> bill.monthly_total, bill.amount_due
    (Money('7192.0574925', 'USD'), Money('7192.06', 'USD'))
    """
    rules = policy if policy is not None else rounding_for_cycle(cycle)
    groups: dict[CustomerId, list[BillLine]] = {}
    for line in lines:
        groups.setdefault(line.customer_id, []).append(line)
    if not groups:
        raise InvalidArgumentError("lines", (), "a month needs at least one line")
    partials = [
        close_customer(partner_id, cycle, group, policy=rules)
        for _, group in sorted(groups.items())
    ]
    return merge_partials(partials, policy=rules)
