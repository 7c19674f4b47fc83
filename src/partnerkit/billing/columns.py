"""A columnar bill run: one customer's month as columns, the same figures as the object path.

The unit of a split bill run is a customer partition (item 7 of the billing
issue): all lines of one customer, because coupons are deducted line by line
in transaction order.  :func:`run_customer` takes that partition as
:class:`CustomerColumns` (one tuple per field, Decimals instead of Money)
and returns exactly what :func:`~partnerkit.billing.apply_coupons` followed
by :func:`~partnerkit.billing.close_customer` return for the same lines: the
:class:`~partnerkit.billing.CustomerPartial`, the coupons after the run,
every deduction and forfeit, and each line's coupons used.  A property test
pins the two paths to identical results; this one skips building a
validated ``BillLine`` and ``Money`` per line, which is what a bill run over
millions of rows spends most of its time on.

Partials from any number of workers merge with
:func:`~partnerkit.billing.merge_partials`, where the era's total rounding
happens once.

>>> from datetime import datetime
>>> from decimal import Decimal
>>> from partnerkit.billing import rounding_for_cycle
>>> from partnerkit.money import Currency
>>> from partnerkit.periods import GMT_PLUS_8, Period
>>> june = Period.parse("2024M6")
>>> cols = CustomerColumns(
...     partner_id=PartnerId("p"), cycle=june, customer_id=CustomerId("c"),
...     currency=Currency("USD"), line_ids=("l1", "l2"), order_or_txn_ids=("t1", "t2"),
...     transaction_times=(datetime(2024, 6, 3, tzinfo=GMT_PLUS_8),
...                        datetime(2024, 6, 4, tzinfo=GMT_PLUS_8)),
...     settlement=(Decimal("30.00"), Decimal("20.00")),
...     product_codes=("ecs", "ecs"),
...     billing_modes=(BillingMode.PAY_PER_USE, BillingMode.PAY_PER_USE))
>>> run = run_customer(cols, [], rounding=rounding_for_cycle(june))
>>> run.partial.expenditures, run.partial.lines
(Money('50.00', 'USD'), 2)
"""

from __future__ import annotations

import decimal
import heapq
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, final

import attrs

import partnerkit._validators as _v
from partnerkit.billing.bill import (
    BillingMode,
    BillLine,
    BillType,
    CustomerPartial,
    RoundingPolicy,
)
from partnerkit.billing.coupons import (
    Coupon,
    CouponKind,
    CouponPolicy,
    CouponStatus,
    Deduction,
    Forfeit,
)
from partnerkit.errors import InvalidArgumentError
from partnerkit.ids import CustomerId, PartnerId
from partnerkit.money import Currency, Money, Rate
from partnerkit.periods import Period

__all__ = ["ColumnRun", "CustomerColumns", "run_customer", "settle_column"]

#: The exact context of :mod:`partnerkit.money` (60 digits, inexact results trap).
_EXACT = decimal.Context(
    prec=60,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=-999_999,
    Emax=999_999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow, decimal.Inexact],
)
_QUANTIZE = decimal.Context(
    prec=60,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=-999_999,
    Emax=999_999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
_ZERO = Decimal(0)


def settle_column(expenditures: Iterable[Decimal], discount: Rate) -> tuple[Decimal, ...]:
    """I-01 over a column: each expenditure times ``1 - discount``, exactly (R-BILL-01).

    The same figures as :func:`~partnerkit.billing.settle` line by line.

    >>> settle_column([Decimal("1000"), Decimal("10.01")], Rate.from_percent(25))
    (Decimal('750.00'), Decimal('7.5075'))
    """
    if not isinstance(discount, Rate):
        raise InvalidArgumentError("discount", discount, "expected a Rate")
    factor = discount.complement().value
    multiply = _EXACT.multiply
    result = []
    for amount in expenditures:
        if not isinstance(amount, Decimal) or not amount.is_finite():
            raise InvalidArgumentError("expenditures", amount, "finite Decimal amounts")
        result.append(multiply(amount, factor))
    return tuple(result)


def _column(
    name: str, values: Sequence[Any] | None, size: int, kind: type | tuple[type, ...]
) -> None:
    if values is None:
        return
    if not isinstance(values, tuple) or len(values) != size:
        raise InvalidArgumentError(name, values, f"a tuple of {size} values, one per line")
    for value in values:
        if not isinstance(value, kind):
            raise InvalidArgumentError(name, value, f"expected {getattr(kind, '__name__', kind)}")


def _amounts(name: str, values: tuple[Decimal, ...] | None) -> None:
    if values is None:
        return
    for value in values:
        if not value.is_finite():
            raise InvalidArgumentError(name, value, "amounts are finite Decimals")


@final
@attrs.frozen(kw_only=True)
class CustomerColumns:
    """One customer's lines of a month as columns, one entry per line.

    The optional columns default to: every line an expenditure, no coupons
    used yet, no tax, nothing from Marketplace.  The checks of
    :class:`~partnerkit.billing.BillLine` apply (C-01, C-02, aware times,
    one currency); a bad row raises naming its column.

    Attributes:
        partner_id: The customer's partner (the lines' ``partner_id``).
        cycle: The billing cycle (a month).
        customer_id: The customer.
        currency: The currency of every amount.
        line_ids: Unique line ids.
        order_or_txn_ids: Order or transaction ids (the second sort key).
        transaction_times: Timezone-aware transaction times.
        settlement: Settlement amounts.
        product_codes: Product codes.
        billing_modes: Billing modes.
        bill_types: Line types (default: all expenditure).
        coupons_used: Coupons already used per line (default: zero).
        tax: Tax per line (default: zero).
        marketplace: Marketplace flags (default: none).
        billed_partner_id: Whose bill the lines land on, when not the
            partner's own (R-BILL-14).
    """

    partner_id: PartnerId = attrs.field(validator=_v.text)
    cycle: Period = attrs.field(validator=_v.month)
    customer_id: CustomerId = attrs.field(validator=_v.text)
    currency: Currency
    line_ids: tuple[str, ...]
    order_or_txn_ids: tuple[str, ...]
    transaction_times: tuple[datetime, ...]
    settlement: tuple[Decimal, ...]
    product_codes: tuple[str, ...]
    billing_modes: tuple[BillingMode, ...]
    bill_types: tuple[BillType, ...] | None = None
    coupons_used: tuple[Decimal, ...] | None = None
    tax: tuple[Decimal, ...] | None = None
    marketplace: tuple[bool, ...] | None = None
    billed_partner_id: PartnerId | None = attrs.field(default=None, validator=_v.optional_text)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.currency, Currency):
            raise InvalidArgumentError("currency", self.currency, "expected a Currency")
        size = len(self.line_ids) if isinstance(self.line_ids, tuple) else -1
        if size < 1:
            raise InvalidArgumentError("line_ids", self.line_ids, "a non-empty tuple of line ids")
        _column("line_ids", self.line_ids, size, str)
        _column("order_or_txn_ids", self.order_or_txn_ids, size, str)
        _column("transaction_times", self.transaction_times, size, datetime)
        _column("settlement", self.settlement, size, Decimal)
        _column("product_codes", self.product_codes, size, str)
        _column("billing_modes", self.billing_modes, size, BillingMode)
        _column("bill_types", self.bill_types, size, BillType)
        _column("coupons_used", self.coupons_used, size, Decimal)
        _column("tax", self.tax, size, Decimal)
        _column("marketplace", self.marketplace, size, bool)
        if len(set(self.line_ids)) != size:
            raise InvalidArgumentError("line_ids", self.line_ids, "line ids must be unique")
        texts_of = {
            "line_ids": self.line_ids,
            "order_or_txn_ids": self.order_or_txn_ids,
            "product_codes": self.product_codes,
        }
        for name, texts in texts_of.items():
            if not all(texts):
                raise InvalidArgumentError(name, texts, "expected non-empty strings")
        for when in self.transaction_times:
            if when.tzinfo is None or when.utcoffset() is None:
                raise InvalidArgumentError(
                    "transaction_times", when, "expected a timezone-aware datetime"
                )
        _amounts("settlement", self.settlement)
        _amounts("coupons_used", self.coupons_used)
        _amounts("tax", self.tax)
        self._check_identities(size)

    def _check_identities(self, size: int) -> None:
        """C-01 for expenditures, C-02 for refunds, as :class:`BillLine` checks them."""
        types = self.bill_types or (BillType.EXPENDITURE,) * size
        used = self.coupons_used or (_ZERO,) * size
        tax = self.tax or (_ZERO,) * size
        for index, kind in enumerate(types):
            settlement = self.settlement[index]
            if kind is BillType.EXPENDITURE:
                if used[index] < 0 or used[index] > settlement:
                    raise InvalidArgumentError(
                        "coupons_used",
                        used[index],
                        f"0 <= coupons used <= settlement (C-01), line {self.line_ids[index]}",
                        rule_id="R-BILL-03",
                    )
            elif kind is BillType.REFUND and (settlement > 0 or used[index] > 0 or tax[index] > 0):
                raise InvalidArgumentError(
                    "settlement",
                    self.line_ids[index],
                    "refund lines carry no positive amounts (C-02)",
                    rule_id="R-BILL-17",
                )

    @property
    def billed_partner(self) -> PartnerId:
        """Whose bill the lines land on (R-BILL-14)."""
        return self.billed_partner_id if self.billed_partner_id is not None else self.partner_id

    @classmethod
    def from_lines(cls, lines: Iterable[BillLine]) -> CustomerColumns:
        """The columns of one customer's bill lines (``customer_expenditure`` is not needed)."""
        items = list(lines)
        if not items:
            raise InvalidArgumentError("lines", items, "at least one line")
        first = items[0]
        keys = {(i.customer_id, i.partner_id, i.cycle, i.billed_partner_id) for i in items}
        if len(keys) != 1:
            raise InvalidArgumentError(
                "lines", len(keys), "one customer, partner, billed partner and cycle"
            )
        currency = first.settlement_amount.currency
        return cls(
            partner_id=first.partner_id,
            cycle=first.cycle,
            customer_id=first.customer_id,
            currency=currency,
            line_ids=tuple(i.line_id for i in items),
            order_or_txn_ids=tuple(i.order_or_txn_id for i in items),
            transaction_times=tuple(i.transaction_time for i in items),
            settlement=tuple(_amount_in(i.settlement_amount, currency) for i in items),
            product_codes=tuple(i.product_code for i in items),
            billing_modes=tuple(i.billing_mode for i in items),
            bill_types=tuple(i.bill_type for i in items),
            coupons_used=tuple(_amount_in(i.coupons_used, currency) for i in items),
            tax=tuple(_amount_in(i.tax, currency) for i in items),
            marketplace=tuple(i.marketplace for i in items),
            billed_partner_id=first.billed_partner_id,
        )


def _amount_in(amount: Money, currency: Currency) -> Decimal:
    if amount.currency != currency:
        raise InvalidArgumentError("lines", amount, "all money fields share one currency")
    return amount.amount


_RawDeduction = tuple[str, str, Decimal, Decimal, Decimal]


@final
@attrs.frozen
class ColumnRun:
    """What :func:`run_customer` returns: the same values as the object path.

    Attributes:
        partial: The customer's partial, as :func:`close_customer` builds it.
        coupons: The coupons after the run, in input order.
        forfeits: Balances lost to expiry (DC-09).
        coupons_used: Each line's coupons used after the run, in column order.
        currency: The currency of every amount.
        raw_deductions: Each deduction as ``(line_id, coupon_id, amount,
            balance_before, balance_after)``; :attr:`deductions` builds the
            values when an auditor asks.
    """

    partial: CustomerPartial
    coupons: tuple[Coupon, ...]
    forfeits: tuple[Forfeit, ...]
    coupons_used: tuple[Decimal, ...]
    currency: Currency
    raw_deductions: tuple[_RawDeduction, ...]

    @property
    def deductions(self) -> tuple[Deduction, ...]:
        """Every deduction, in the order made, as :func:`apply_coupons` lists them."""
        unit = self.currency
        return tuple(
            Deduction(
                line_id,
                coupon_id,
                Money._trusted(amount, unit),
                Money._trusted(before, unit),
                Money._trusted(after, unit),
            )
            for line_id, coupon_id, amount, before, after in self.raw_deductions
        )


class _Live:
    """A coupon's changing state during a run (balance and status) and its window."""

    __slots__ = ("balance", "coupon", "key", "spend_before", "status", "valid_from", "valid_to")

    def __init__(self, coupon: Coupon, key: list[Any]) -> None:
        self.coupon = coupon
        self.balance = coupon.balance.amount
        self.status = coupon.status
        self.key = key
        self.valid_from = coupon.valid_from
        self.valid_to = coupon.valid_to
        self.spend_before = coupon.spend_before


def _usable(c: Coupon, columns: CustomerColumns) -> bool:
    """The checks of ``coupon_applies`` that do not depend on the line."""
    return (
        c.status is CouponStatus.AVAILABLE
        and c.balance.is_positive()
        and (c.customer_id is None or c.customer_id == columns.customer_id)
        and (c.reseller_id is None or c.reseller_id == columns.partner_id)
        and c.balance.currency == columns.currency
    )


def _covers(c: Coupon, mode: BillingMode, product: str, marketplace: bool) -> bool:
    """The checks of ``coupon_applies`` on the line's mode, product and Marketplace flag."""
    return (
        mode in c.billing_modes
        and product not in c.excluded_products
        and (c.included_products is None or product in c.included_products)
        and (c.marketplace or not marketplace)
    )


def run_customer(
    columns: CustomerColumns,
    coupons: Iterable[Coupon],
    *,
    rounding: RoundingPolicy,
    coupon_policy: CouponPolicy | None = None,
) -> ColumnRun:
    """Deduct coupons from one customer's lines and sum them into its partial.

    Exactly :func:`~partnerkit.billing.apply_coupons` then
    :func:`~partnerkit.billing.close_customer` on the same lines: lines in
    transaction order, coupons in the policy's order, each deduction at most
    ``places`` decimals rounded with the policy's mode, expiry forfeits, and
    the era's per-line rounding.  Give it the customer's coupons and any
    partner-wide ones this partition may use.
    """
    if not isinstance(columns, CustomerColumns):
        raise InvalidArgumentError("columns", columns, "expected CustomerColumns")
    if not isinstance(rounding, RoundingPolicy):
        raise InvalidArgumentError("rounding", rounding, "expected a RoundingPolicy")
    rules = coupon_policy if coupon_policy is not None else CouponPolicy()
    given = list(coupons)
    if not all(isinstance(c, Coupon) for c in given):
        raise InvalidArgumentError("coupons", given, "expected Coupon values")
    if len({c.coupon_id for c in given}) != len(given):
        raise InvalidArgumentError(
            "coupons", [c.coupon_id for c in given], "coupon ids must be unique"
        )
    size = len(columns.line_ids)
    times = columns.transaction_times
    settlement = columns.settlement
    used = list(columns.coupons_used or (_ZERO,) * size)
    types = columns.bill_types
    marketplace = columns.marketplace
    position = rules.balance_position
    unit = Decimal((0, (1,), -rules.places))
    mode = rules.rounding.decimal_mode
    currency = columns.currency
    states = {c.coupon_id: _Live(c, list(rules.sort_key(c))) for c in given}
    # Invariant: a coupon in ``mine`` is AVAILABLE with a positive balance; it leaves
    # when used up, single-used or expired.
    mine = [states[c.coupon_id] for c in given if _usable(c, columns)]
    covering: dict[tuple[int, str, bool], frozenset[_Live]] = {}
    expiries = [(c.valid_to, c.coupon_id) for c in given if c.status is CouponStatus.AVAILABLE]
    heapq.heapify(expiries)
    deductions: list[_RawDeduction] = []
    forfeits: list[Forfeit] = []
    subtract, add, multiply = _EXACT.subtract, _EXACT.add, _EXACT.multiply
    voucher_limit = rules.vouchers_per_line
    line_ids = columns.line_ids
    txn_ids = columns.order_or_txn_ids
    modes = columns.billing_modes
    products = columns.product_codes
    expenditure_only = types is None or all(t is BillType.EXPENDITURE for t in types)
    order = sorted(range(size), key=lambda i: (times[i], txn_ids[i], line_ids[i]))
    for index in order:
        when = times[index]
        while expiries and expiries[0][0] < when:
            _, coupon_id = heapq.heappop(expiries)
            state = states[coupon_id]
            if state.status is CouponStatus.AVAILABLE:
                if state.balance > 0:
                    forfeits.append(
                        Forfeit(coupon_id, Money._trusted(state.balance, currency), when)
                    )
                state.status = CouponStatus.INVALID
            if state in mine:
                mine.remove(state)
        if not mine or (
            not expenditure_only and types is not None and types[index] is not BillType.EXPENDITURE
        ):
            continue
        owed = subtract(settlement[index], used[index])
        if owed <= 0:
            continue
        line_mode = modes[index]
        product = products[index]
        flagged = marketplace is not None and marketplace[index]
        shape = (id(line_mode), product, flagged)
        covers = covering.get(shape)
        if covers is None:
            covers = frozenset(
                s for s in states.values() if _covers(s.coupon, line_mode, product, flagged)
            )
            covering[shape] = covers
        candidates = [
            s
            for s in mine
            if s in covers
            and s.valid_from <= when <= s.valid_to
            and (s.spend_before is None or when < s.spend_before)
        ]
        if len(candidates) > 1:
            if position is not None:
                for s in candidates:
                    s.key[position] = s.balance
            candidates.sort(key=lambda s: s.key)
        vouchers = 0
        for state in candidates:
            if owed <= 0:
                break
            coupon = state.coupon
            if coupon.kind is CouponKind.VOUCHER:
                if voucher_limit is not None and vouchers >= voucher_limit:
                    continue
                vouchers += 1
            base = (
                owed if coupon.discount_rate is None else multiply(owed, coupon.discount_rate.value)
            )
            amount = base if base <= state.balance else state.balance
            exponent = amount.as_tuple().exponent
            if not (isinstance(exponent, int) and exponent >= -rules.places):
                amount = amount.quantize(unit, rounding=mode, context=_QUANTIZE)
            if amount <= 0:
                continue
            before = state.balance
            after = subtract(before, amount)
            state.balance = after
            if after.is_zero() or not state.coupon.multi_use:
                state.status = CouponStatus.USED
                mine.remove(state)
            owed = subtract(owed, amount)
            used[index] = add(used[index], amount)
            deductions.append((line_ids[index], state.coupon.coupon_id, amount, before, after))
    after_coupons = tuple(
        c
        if (states[c.coupon_id].balance, states[c.coupon_id].status) == (c.balance.amount, c.status)
        else attrs.evolve(
            c,
            balance=Money._trusted(states[c.coupon_id].balance, c.balance.currency),
            status=states[c.coupon_id].status,
        )
        for c in given
    )
    partial = _partial(columns, used, rounding)
    return ColumnRun(
        partial, after_coupons, tuple(forfeits), tuple(used), currency, tuple(deductions)
    )


def _partial(
    columns: CustomerColumns, used: list[Decimal], policy: RoundingPolicy
) -> CustomerPartial:
    """The sums :func:`close_customer` makes, over columns."""
    subtract, add = _EXACT.subtract, _EXACT.add
    size = len(used)
    tax = columns.tax or (_ZERO,) * size
    kinds = (BillType.EXPENDITURE, BillType.REFUND, BillType.ADJUSTMENT)
    position = {id(kind): n for n, kind in enumerate(kinds)}
    types = columns.bill_types
    slots = [0] * size if types is None else [position[id(t)] for t in types]
    sums = [_ZERO, _ZERO, _ZERO]
    products: dict[str, Decimal] = {}
    coupons = _ZERO
    taxes = _ZERO
    line_mode = policy.line_rounding
    decimal_mode = line_mode.decimal_mode if line_mode is not None else None
    unit = Decimal((0, (1,), -policy.places))
    settlement = columns.settlement
    codes = columns.product_codes
    for index in range(size):
        amount = add(subtract(settlement[index], used[index]), tax[index])
        if decimal_mode is not None:
            amount = amount.quantize(unit, rounding=decimal_mode, context=_QUANTIZE)
        slot = slots[index]
        sums[slot] = add(sums[slot], amount)
        product = codes[index]
        products[product] = add(products.get(product, _ZERO), amount)
        coupons = add(coupons, used[index])
        taxes = add(taxes, tax[index])
    currency = columns.currency

    def money(value: Decimal) -> Money:
        return Money._trusted(value, currency)

    customer_total = add(add(sums[0], sums[1]), sums[2])
    return CustomerPartial(
        columns.billed_partner,
        columns.cycle,
        currency,
        money(sums[0]),
        money(sums[1]),
        money(sums[2]),
        money(coupons),
        money(taxes),
        tuple(sorted((k, money(v)) for k, v in products.items())),
        ((columns.customer_id, money(customer_total)),),
        size,
    )
