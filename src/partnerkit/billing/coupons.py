"""Cash coupons and the order in which a bill run deducts them.

At bill generation Huawei deducts cash coupons **transaction by transaction,
in sequence** (R-BILL-27): lines in ascending transaction time, then order or
transaction id, then line id (DC-07).  On each line the coupons that apply
(R-BILL-29) are tried tier by tier: the customer's own coupons first
(R-BILL-28), then a reseller's, then the partner's "All" coupons; inside a
tier the soonest expiry, the smallest balance, the earliest ``valid_from``,
then the coupon id (DC-08).  That order is a :class:`CouponPolicy`, so a
vendor with another order is a second policy object, not a second code path.

A deduction never makes a line negative (C-01, DC-05): it is the smaller of
what the line still owes and the coupon's balance, rounded **down** to the
policy's places (8, DC-02), so money only moves between a coupon and a line
and the total is conserved exactly.

>>> from datetime import datetime
>>> from partnerkit.ids import CustomerId, PartnerId
>>> from partnerkit.periods import GMT_PLUS_8, Period
>>> usd = lambda a: Money.of(a, "USD")
>>> line = BillLine(
...     line_id="L1", customer_id=CustomerId("A"), partner_id=PartnerId("p"),
...     cycle=Period.parse("2024M5"), bill_type=BillType.EXPENDITURE,
...     billing_mode=BillingMode.PAY_PER_USE, product_code="ecs", order_or_txn_id="T1",
...     transaction_time=datetime(2024, 5, 31, tzinfo=GMT_PLUS_8),
...     customer_expenditure=usd("160.00"), settlement_amount=usd("120.00"),
...     coupons_used=usd("0"), tax=usd("0"))
>>> coupon = Coupon(
...     coupon_id="CP20091000015QNEK", balance=usd("500.00"),
...     valid_from=datetime(2020, 9, 18, tzinfo=GMT_PLUS_8),
...     valid_to=datetime(2099, 12, 31, 23, 59, 59, tzinfo=GMT_PLUS_8),
...     billing_modes=frozenset({BillingMode.PAY_PER_USE, BillingMode.YEARLY_MONTHLY}),
...     customer_id=CustomerId("A"))
>>> run = apply_coupons([line], [coupon])
>>> run.lines[0].coupons_used, run.coupons[0].balance
(Money('120.00', 'USD'), Money('380.00', 'USD'))
"""

from __future__ import annotations

import enum
import heapq
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, TypeVar, final

import attrs

import partnerkit._validators as _v
from partnerkit._construct import checked
from partnerkit.billing.bill import BillingMode, BillLine, BillType
from partnerkit.billing.trace import Trace, TraceKind
from partnerkit.decisions import Decision, Reason
from partnerkit.errors import InvalidArgumentError, RuleViolationError
from partnerkit.ids import CustomerId, PartnerId
from partnerkit.money import Money, Rate, Rounding
from partnerkit.periods import require_aware

__all__ = [
    "Coupon",
    "CouponKind",
    "CouponOrderKey",
    "CouponPolicy",
    "CouponRun",
    "CouponStatus",
    "CouponTier",
    "Deduction",
    "Forfeit",
    "RefundCause",
    "apply_coupons",
    "coupon_applies",
    "refund_to_coupon",
]


class CouponStatus(enum.Enum):
    """A coupon's status (R-BILL-31)."""

    AVAILABLE = "available"
    USED = "used"
    INVALID = "invalid"


class CouponKind(enum.Enum):
    """What a coupon is; every kind runs through one engine (DC-32).

    A **discount** coupon takes a percentage of what the line still owes (its
    balance caps the total it may take), so the coupons after it pay the
    discounted amount; a **voucher** pays an amount like a cash coupon, but a
    line takes at most ``CouponPolicy.vouchers_per_line`` of them (peers.md B1).
    """

    CASH = "cash"
    TEST = "test"
    VOUCHER = "voucher"
    DISCOUNT = "discount"


class CouponTier(enum.IntEnum):
    """Deduction tiers (R-BILL-28, DC-08): lower tiers are used first."""

    CUSTOMER = 1
    RESELLER = 2
    ALL = 3


def _modes(value: Iterable[BillingMode]) -> frozenset[BillingMode]:
    modes = frozenset(value)
    if not modes or not all(isinstance(m, BillingMode) for m in modes):
        raise InvalidArgumentError(
            "billing_modes", value, "a non-empty set of BillingMode", rule_id="R-BILL-29"
        )
    return modes


def _products(value: Iterable[str] | None) -> frozenset[str] | None:
    return None if value is None else _excluded(value)


def _excluded(value: Iterable[str]) -> frozenset[str]:
    products = frozenset(value)
    if not all(isinstance(p, str) and p for p in products):
        raise InvalidArgumentError("products", value, "product codes are non-empty strings")
    return products


@checked
@final
@attrs.frozen(kw_only=True)
class Coupon:
    """A cash or test coupon (billing.md 1.9).

    Attributes:
        coupon_id: The coupon id (``CP20091000015QNEK``).
        balance: What is left to deduct.
        valid_from: First instant of validity, inclusive (DC-09).
        valid_to: Last instant of validity, inclusive (DC-09).
        billing_modes: The billing modes it applies to (R-BILL-29).
        customer_id: The one customer it is assigned to; ``None`` is "All".
        reseller_id: The reseller it is assigned to, if any (tier 2, DC-08).
        included_products: When given, only these product codes qualify.
        excluded_products: Product codes it never applies to.
        marketplace: Whether it applies to Marketplace products (the samples
            say "Inapplicable to Marketplace products", so ``False``).
        multi_use: ``False`` makes it USED after its first deduction (DC-10).
        kind: Cash, test, voucher or discount coupon (DC-32).
        discount_rate: The share of the owed amount a DISCOUNT coupon takes;
            ``None`` for every other kind.
        status: AVAILABLE, USED or INVALID (R-BILL-31).
        holder: The partner holding it (R-BILL-26), for storage.
        spend_before: When set, only spend generated before this instant
            qualifies: a customer's own coupons once it joins a partner in the
            reseller model (R-BILL-33, see :meth:`prior_spend_only`).
        version: Storage version (optimistic concurrency).
    """

    coupon_id: str = attrs.field(validator=_v.text)
    balance: Money = attrs.field(validator=_v.money)
    valid_from: datetime = attrs.field(validator=_v.aware)
    valid_to: datetime = attrs.field(validator=_v.aware)
    billing_modes: frozenset[BillingMode] = attrs.field(converter=_modes)
    customer_id: CustomerId | None = attrs.field(default=None, validator=_v.optional_text)
    reseller_id: PartnerId | None = attrs.field(default=None, validator=_v.optional_text)
    included_products: frozenset[str] | None = attrs.field(default=None, converter=_products)
    excluded_products: frozenset[str] = attrs.field(default=frozenset(), converter=_excluded)
    marketplace: bool = False
    multi_use: bool = True
    kind: CouponKind = CouponKind.CASH
    discount_rate: Rate | None = None
    status: CouponStatus = CouponStatus.AVAILABLE
    holder: PartnerId | None = attrs.field(default=None, validator=_v.optional_text)
    spend_before: datetime | None = attrs.field(default=None, validator=_v.optional_aware)
    version: int = 0

    def __attrs_post_init__(self) -> None:
        if (self.kind is CouponKind.DISCOUNT) != (self.discount_rate is not None):
            raise InvalidArgumentError(
                "discount_rate",
                self.discount_rate,
                "a DISCOUNT coupon has a rate; other kinds have none",
                rule_id="R-BILL-29",
            )
        if self.discount_rate is not None and not (
            isinstance(self.discount_rate, Rate) and 0 < self.discount_rate.value <= 1
        ):
            raise InvalidArgumentError(
                "discount_rate", self.discount_rate, "a Rate above 0 and at most 1"
            )
        if self.balance.is_negative():
            raise InvalidArgumentError(
                "balance", self.balance, "a coupon balance is >= 0", rule_id="R-BILL-31"
            )
        if self.valid_to < self.valid_from:
            raise InvalidArgumentError(
                "valid_to",
                self.valid_to,
                "valid_to must not precede valid_from",
                rule_id="R-BILL-29",
            )

    @property
    def tier(self) -> CouponTier:
        """Customer-specific, reseller-specific or partner-wide (R-BILL-28, DC-08)."""
        if self.customer_id is not None:
            return CouponTier.CUSTOMER
        if self.reseller_id is not None:
            return CouponTier.RESELLER
        return CouponTier.ALL

    def prior_spend_only(self, associated_at: datetime) -> Coupon:
        """The coupon once its customer joined a partner in the reseller model (R-BILL-33).

        From then on it offsets only expenditure generated before
        ``associated_at``; a later association never widens it.
        """
        when = require_aware(associated_at, argument="associated_at")
        if self.spend_before is not None and self.spend_before <= when:
            return self
        return attrs.evolve(self, spend_before=when)

    def expired_at(self, instant: datetime) -> bool:
        """Whether ``instant`` is after the inclusive ``valid_to`` (DC-09)."""
        return instant > self.valid_to


def _reason(code: str, message: str, **fields: Any) -> Reason:
    return Reason(code, "R-BILL-29", message, fields)


def coupon_applies(coupon: Coupon, line: BillLine) -> Decision:
    """Whether ``coupon`` may pay part of ``line`` (R-BILL-29, DC-05, DC-09).

    A coupon that does not apply is skipped, not an error, so this returns a
    :class:`~partnerkit.decisions.Decision` listing every reason against.
    The line's ``transaction_time`` is tested against the validity window.

    >>> from partnerkit.periods import GMT_PLUS_8, Period
    >>> usd = lambda a: Money.of(a, "USD")
    >>> when = datetime(2024, 5, 31, tzinfo=GMT_PLUS_8)
    >>> line = BillLine(
    ...     line_id="L", customer_id=CustomerId("A"), partner_id=PartnerId("p"),
    ...     cycle=Period.parse("2024M5"), bill_type=BillType.EXPENDITURE,
    ...     billing_mode=BillingMode.YEARLY_MONTHLY, product_code="ecs", order_or_txn_id="T",
    ...     transaction_time=when, customer_expenditure=usd("50"), settlement_amount=usd("50"),
    ...     coupons_used=usd("0"), tax=usd("0"))
    >>> coupon = Coupon(coupon_id="K", balance=usd("10"), valid_from=when, valid_to=when,
    ...                 billing_modes=[BillingMode.PAY_PER_USE])
    >>> coupon_applies(coupon, line).codes
    ('BILLING_MODE_NOT_COVERED',)
    """
    reasons: list[Reason] = []
    if line.bill_type is not BillType.EXPENDITURE or not line.amount_due_ex_tax.is_positive():
        reasons.append(
            Reason(
                "NOTHING_TO_PAY",
                "R-BILL-03",
                "coupons pay only expenditure lines that still owe something (DC-05)",
                {"bill_type": line.bill_type, "amount_due_ex_tax": line.amount_due_ex_tax},
            )
        )
    if coupon.balance.currency != line.settlement_amount.currency:
        reasons.append(
            _reason(
                "CURRENCY_MISMATCH",
                "the coupon is in another currency",
                coupon=coupon.balance.currency,
                line=line.settlement_amount.currency,
            )
        )
    if line.product_code in coupon.excluded_products or (
        coupon.included_products is not None and line.product_code not in coupon.included_products
    ):
        reasons.append(
            _reason("PRODUCT_NOT_COVERED", "the product is not covered", product=line.product_code)
        )
    if line.marketplace and not coupon.marketplace:
        reasons.append(_reason("MARKETPLACE_EXCLUDED", "inapplicable to Marketplace products"))
    if line.billing_mode not in coupon.billing_modes:
        reasons.append(
            _reason(
                "BILLING_MODE_NOT_COVERED",
                "the billing mode is not covered",
                billing_mode=line.billing_mode,
                allowed=tuple(sorted(m.value for m in coupon.billing_modes)),
            )
        )
    if coupon.customer_id is not None and coupon.customer_id != line.customer_id:
        reasons.append(
            _reason(
                "OTHER_CUSTOMER",
                "the coupon is assigned to another customer",
                coupon_customer=coupon.customer_id,
                line_customer=line.customer_id,
            )
        )
    if coupon.reseller_id is not None and coupon.reseller_id != line.partner_id:
        reasons.append(
            _reason(
                "OTHER_RESELLER",
                "the coupon is assigned to another reseller",
                coupon_reseller=coupon.reseller_id,
                line_partner=line.partner_id,
            )
        )
    if not coupon.valid_from <= line.transaction_time <= coupon.valid_to:
        reasons.append(
            _reason(
                "OUTSIDE_VALIDITY",
                "the transaction is outside the validity window (DC-09)",
                transaction_time=line.transaction_time,
                valid_from=coupon.valid_from,
                valid_to=coupon.valid_to,
            )
        )
    if coupon.spend_before is not None and line.transaction_time >= coupon.spend_before:
        reasons.append(
            Reason(
                "AFTER_ASSOCIATION",
                "R-BILL-33",
                "the customer's own coupon offsets only spend from before its reseller association",
                {"transaction_time": line.transaction_time, "spend_before": coupon.spend_before},
            )
        )
    if coupon.status is not CouponStatus.AVAILABLE or not coupon.balance.is_positive():
        reasons.append(
            _reason(
                "NOT_AVAILABLE",
                "the coupon is not available or has no balance",
                status=coupon.status,
                balance=coupon.balance,
            )
        )
    return Decision.of(reasons)


class CouponOrderKey(enum.Enum):
    """One key of the within-line coupon order (DC-08)."""

    #: The kind's group in ``CouponPolicy.kind_order`` (discounts, then vouchers, then cash).
    KIND = "kind"
    TIER = "tier"
    EXPIRY = "expiry"
    BALANCE = "balance"
    VALID_FROM = "valid-from"
    COUPON_ID = "coupon-id"


def _order(value: Sequence[CouponOrderKey]) -> tuple[CouponOrderKey, ...]:
    keys = tuple(value)
    if len(set(keys)) != len(keys) or CouponOrderKey.COUPON_ID not in keys:
        raise InvalidArgumentError(
            "order",
            value,
            "distinct keys ending in a total tie-break (COUPON_ID)",
            rule_id="R-BILL-28",
        )
    return keys


_KEY_OF: dict[CouponOrderKey, Callable[[Coupon], Any]] = {
    CouponOrderKey.KIND: lambda c: 0,  # replaced per policy by the kind's group
    CouponOrderKey.TIER: lambda c: c.tier,
    CouponOrderKey.EXPIRY: lambda c: c.valid_to,
    CouponOrderKey.BALANCE: lambda c: c.balance.amount,
    CouponOrderKey.VALID_FROM: lambda c: c.valid_from,
    CouponOrderKey.COUPON_ID: lambda c: c.coupon_id,
}


def _kind_groups(value: Iterable[Iterable[CouponKind]]) -> tuple[frozenset[CouponKind], ...]:
    groups = tuple(frozenset(group) for group in value)
    kinds = [kind for group in groups for kind in group]
    if not all(isinstance(k, CouponKind) for k in kinds) or sorted(
        k.value for k in kinds
    ) != sorted(k.value for k in CouponKind):
        raise InvalidArgumentError(
            "kind_order", value, "every CouponKind exactly once, in groups", rule_id="R-BILL-28"
        )
    return groups


@checked
@final
@attrs.frozen(kw_only=True)
class CouponPolicy:
    """How a bill run orders and rounds coupon deductions (DC-02, DC-07, DC-08).

    Attributes:
        order: Sort keys of the coupons tried on a line.  The default is
            Huawei's: discount coupons, then vouchers, then cash and test
            coupons (peers.md B1); within a kind, customer tier first
            (R-BILL-28), then DC-08.
        places: Decimal places of a deduction (8, DC-02).
        rounding: Rounding of a deduction; ``DOWN`` so it never exceeds
            what the line owes or the coupon holds (C-01).
        kind_order: Groups of coupon kinds, in deduction order (``KIND`` key).
        vouchers_per_line: The most vouchers one line may use (``None``: no
            limit); Huawei takes one voucher per order.

    >>> CouponPolicy().order[:2]
    (<CouponOrderKey.KIND: 'kind'>, <CouponOrderKey.TIER: 'tier'>)
    """

    order: tuple[CouponOrderKey, ...] = attrs.field(
        default=(
            CouponOrderKey.KIND,
            CouponOrderKey.TIER,
            CouponOrderKey.EXPIRY,
            CouponOrderKey.BALANCE,
            CouponOrderKey.VALID_FROM,
            CouponOrderKey.COUPON_ID,
        ),
        converter=_order,
    )
    places: int = 8
    rounding: Rounding = Rounding.DOWN
    kind_order: tuple[frozenset[CouponKind], ...] = attrs.field(
        default=(
            frozenset({CouponKind.DISCOUNT}),
            frozenset({CouponKind.VOUCHER}),
            frozenset({CouponKind.CASH, CouponKind.TEST}),
        ),
        converter=_kind_groups,
    )
    vouchers_per_line: int | None = 1

    _getters: tuple[Callable[[Coupon], Any], ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        rank = {kind: n for n, group in enumerate(self.kind_order) for kind in group}
        getters = tuple(
            (lambda c: rank[c.kind]) if key is CouponOrderKey.KIND else _KEY_OF[key]
            for key in self.order
        )
        object.__setattr__(self, "_getters", getters)
        per_line = self.vouchers_per_line
        if per_line is not None and (
            isinstance(per_line, bool) or not isinstance(per_line, int) or per_line < 1
        ):
            raise InvalidArgumentError("vouchers_per_line", per_line, "None or a count >= 1")

    def sort_key(self, coupon: Coupon) -> tuple[Any, ...]:
        """The coupon's position in this policy's order."""
        return tuple(get(coupon) for get in self._getters)

    @property
    def balance_position(self) -> int | None:
        """Where the coupon's current balance sits in :meth:`sort_key`, if the order uses it.

        The only key that changes during a bill run; a columnar run patches
        it instead of rebuilding the coupon.
        """
        if CouponOrderKey.BALANCE not in self.order:
            return None
        return self.order.index(CouponOrderKey.BALANCE)


@final
@attrs.frozen
class Deduction:
    """One coupon paying part of one line, with the balance before and after."""

    line_id: str
    coupon_id: str
    amount: Money
    balance_before: Money
    balance_after: Money


@final
@attrs.frozen
class Forfeit:
    """A balance lost because the coupon expired before a later line (DC-09).

    The balance stays on the INVALID coupon for the record; it can no longer pay.
    """

    coupon_id: str
    amount: Money
    at: datetime


@final
@attrs.frozen
class CouponRun:
    """The result of a bill run's coupon pass: new lines and coupons, and what moved."""

    lines: tuple[BillLine, ...]
    coupons: tuple[Coupon, ...]
    deductions: tuple[Deduction, ...]
    forfeits: tuple[Forfeit, ...]

    def trace(self, line_id: str) -> Trace:
        """The line's settlement amount, each coupon deduction in order, then tax."""
        line = next((item for item in self.lines if item.line_id == line_id), None)
        if line is None:
            raise InvalidArgumentError("line_id", line_id, "not a line of this run")
        before = line.coupons_used - sum(
            (d.amount for d in self.deductions if d.line_id == line_id),
            line.coupons_used.currency.zero,
        )
        t = Trace.start(f"settlement amount of {line_id}", line.settlement_amount)
        if not before.is_zero():
            t = t.then(TraceKind.COUPON, "coupons deducted earlier", -before)
        for d in self.deductions:
            if d.line_id == line_id:
                t = t.then(
                    TraceKind.COUPON,
                    f"coupon {d.coupon_id}, balance {d.balance_before.amount} -> "
                    f"{d.balance_after.amount}",
                    -d.amount,
                    coupon_id=d.coupon_id,
                )
        if not line.tax.is_zero():
            t = t.then(TraceKind.TAX, "tax on the post-coupon amount", line.tax)
        return t


def _at_most_places(amount: Money, rules: CouponPolicy) -> Money:
    """Round to the policy's places only when the amount has more (keeps 120.00 as 120.00)."""
    exponent = amount.amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -rules.places:
        return amount
    return amount.round(rules.places, rounding=rules.rounding)


_T = TypeVar("_T", BillLine, Coupon)


_FIELDS: dict[type, tuple[str, ...]] = {
    cls: tuple(f.name for f in attrs.fields(cls)) for cls in (BillLine, Coupon)
}


def _replace(value: _T, **changes: Any) -> _T:
    """``attrs.evolve`` without re-validation, for values the run derived itself.

    Only the bill run calls it, with changes it has just checked: a deduction
    never exceeds what the line owes (C-01) or the coupon holds.
    """
    result = object.__new__(type(value))
    for name in _FIELDS[type(value)]:
        object.__setattr__(result, name, changes[name] if name in changes else getattr(value, name))
    return result


def _line_order(line: BillLine) -> tuple[datetime, str, str]:
    return (line.transaction_time, line.order_or_txn_id, line.line_id)


def _open(line: BillLine) -> Money | None:
    """What an expenditure line still owes before tax, or ``None`` if coupons cannot pay it."""
    if line.bill_type is not BillType.EXPENDITURE:
        return None
    owed = line.amount_due_ex_tax
    return owed if owed.is_positive() else None


def _fits(coupon: Coupon, line: BillLine) -> bool:
    """The coupon-side checks of :func:`coupon_applies` for a line that owes something."""
    return (
        coupon.status is CouponStatus.AVAILABLE
        and coupon.balance.is_positive()
        and line.billing_mode in coupon.billing_modes
        and coupon.valid_from <= line.transaction_time <= coupon.valid_to
        and (coupon.customer_id is None or coupon.customer_id == line.customer_id)
        and (coupon.reseller_id is None or coupon.reseller_id == line.partner_id)
        and line.product_code not in coupon.excluded_products
        and (coupon.included_products is None or line.product_code in coupon.included_products)
        and (coupon.marketplace or not line.marketplace)
        and coupon.balance.currency == line.settlement_amount.currency
        and (coupon.spend_before is None or line.transaction_time < coupon.spend_before)
    )


def _applies(coupon: Coupon, line: BillLine) -> bool:
    """:func:`coupon_applies` without the reasons: the bill run's hot path (same checks)."""
    return _open(line) is not None and _fits(coupon, line)


def apply_coupons(
    lines: Iterable[BillLine],
    coupons: Iterable[Coupon],
    *,
    policy: CouponPolicy | None = None,
) -> CouponRun:
    """Deduct coupons from a bill run's lines (R-BILL-27..29, DC-05, DC-07..10).

    Lines are processed in transaction order whatever order they come in, so
    the result does not depend on input order.  A coupon whose ``valid_to``
    precedes a line's transaction time becomes INVALID and its balance is
    forfeited (DC-09).  Returns the lines and coupons in their input order.
    See the module docstring for an example.

    Cost: a line looks only at its customer's live coupons and the
    partner-wide ones; spent and expired coupons leave the pool.
    """
    rules = policy if policy is not None else CouponPolicy()
    items = list(lines)
    given = list(coupons)
    wallet = {c.coupon_id: c for c in given}
    if len(wallet) != len(given):
        raise InvalidArgumentError(
            "coupons", [c.coupon_id for c in given], "coupon ids must be unique"
        )
    ids = [item.line_id for item in items]
    if len(set(ids)) != len(ids):
        raise InvalidArgumentError("lines", ids, "line ids must be unique")
    updated = {item.line_id: item for item in items}
    live: dict[CustomerId | None, dict[str, None]] = {}
    expiries: list[tuple[datetime, str]] = []
    for c in given:
        if c.status is CouponStatus.AVAILABLE:
            heapq.heappush(expiries, (c.valid_to, c.coupon_id))
            if c.balance.is_positive():
                live.setdefault(c.customer_id, {})[c.coupon_id] = None
    deductions: list[Deduction] = []
    forfeits: list[Forfeit] = []
    for line in sorted(items, key=_line_order):
        while expiries and expiries[0][0] < line.transaction_time:
            _, coupon_id = heapq.heappop(expiries)
            coupon = wallet[coupon_id]
            if coupon.status is CouponStatus.AVAILABLE:
                if coupon.balance.is_positive():
                    forfeits.append(Forfeit(coupon_id, coupon.balance, line.transaction_time))
                wallet[coupon_id] = _replace(coupon, status=CouponStatus.INVALID)
            live.get(coupon.customer_id, {}).pop(coupon_id, None)
        pool = [*live.get(line.customer_id, ()), *live.get(None, ())]
        if not pool:
            continue
        current = updated[line.line_id]
        opened = _open(current)
        if opened is None:
            continue
        candidates = [wallet[i] for i in pool if _fits(wallet[i], current)]
        if len(candidates) > 1:
            candidates.sort(key=rules.sort_key)
        owed, used = opened, current.coupons_used
        vouchers = 0
        for coupon in candidates:
            if not owed.is_positive():
                break
            if coupon.kind is CouponKind.VOUCHER:
                if rules.vouchers_per_line is not None and vouchers >= rules.vouchers_per_line:
                    continue
                vouchers += 1
            base = owed if coupon.discount_rate is None else owed * coupon.discount_rate
            amount = _at_most_places(min(base, coupon.balance), rules)
            if not amount.is_positive():
                continue
            balance = coupon.balance - amount
            status = (
                CouponStatus.USED
                if balance.is_zero() or not coupon.multi_use
                else CouponStatus.AVAILABLE
            )
            wallet[coupon.coupon_id] = _replace(coupon, balance=balance, status=status)
            if status is not CouponStatus.AVAILABLE:
                live[coupon.customer_id].pop(coupon.coupon_id, None)
            owed, used = owed - amount, used + amount
            deductions.append(
                Deduction(line.line_id, coupon.coupon_id, amount, coupon.balance, balance)
            )
        if used is not current.coupons_used:
            updated[line.line_id] = _replace(current, coupons_used=used)
    return CouponRun(
        tuple(updated[i] for i in ids),
        tuple(wallet[i] for i in wallet),
        tuple(deductions),
        tuple(forfeits),
    )


class RefundCause(enum.Enum):
    """Why an order is unsubscribed; three causes return coupons (R-BILL-30)."""

    BEFORE_EFFECTIVE = "unsubscribed-before-effective"
    ORDER_EXCEPTION = "order-exception"
    UNSTARTED_RENEWAL = "unstarted-renewal"
    AFTER_EFFECTIVE = "unsubscribed-after-effective"
    DOWNGRADE = "downgrade"


_RETURNS_COUPONS = frozenset(
    {RefundCause.BEFORE_EFFECTIVE, RefundCause.ORDER_EXCEPTION, RefundCause.UNSTARTED_RENEWAL}
)


def refund_to_coupon(
    coupon: Coupon, amount: Money, *, cause: RefundCause, as_of: datetime
) -> Coupon:
    """Return a deducted amount to the **same** coupon (R-BILL-17, R-BILL-30, DC-09).

    Only the three causes of R-BILL-30 return coupons; any other raises
    ``RuleViolationError`` and the refund goes to cash.  The coupon becomes
    AVAILABLE again if ``as_of`` is within its validity; otherwise the amount
    is recorded on it and it stays INVALID.

    >>> from partnerkit.periods import GMT_PLUS_8
    >>> k = Coupon(coupon_id="K", balance=Money.of("0.00", "USD"),
    ...            valid_from=datetime(2024, 1, 1, tzinfo=GMT_PLUS_8),
    ...            valid_to=datetime(2024, 12, 31, tzinfo=GMT_PLUS_8),
    ...            billing_modes={BillingMode.YEARLY_MONTHLY}, status=CouponStatus.USED)
    >>> back = refund_to_coupon(k, Money.of("40.00", "USD"), cause=RefundCause.BEFORE_EFFECTIVE,
    ...                         as_of=datetime(2024, 6, 1, tzinfo=GMT_PLUS_8))
    >>> back.balance, back.status
    (Money('40.00', 'USD'), <CouponStatus.AVAILABLE: 'available'>)
    """
    if cause not in _RETURNS_COUPONS:
        raise RuleViolationError(
            "R-BILL-30",
            "coupons are not returned on this unsubscription; the refund goes to cash",
            fields={"coupon_id": coupon.coupon_id, "cause": cause.value, "amount": amount},
        )
    if not amount.is_positive():
        raise InvalidArgumentError(
            "amount", amount, "a returned amount is > 0", rule_id="R-BILL-17"
        )
    require_aware(as_of)
    status = CouponStatus.AVAILABLE if as_of <= coupon.valid_to else CouponStatus.INVALID
    return attrs.evolve(coupon, balance=coupon.balance + amount, status=status)
