"""A month's bill run against a hand-written plain-Decimal loop measured in the same run.

1,000,000 pay-per-use lines over 10,000 customers (100 each), a settlement
discount of 20-30 % per customer, and 3 customer-specific coupons per
customer.  Both paths start from the same raw rows (customer, time, list
price, discount) and produce the same figures: each line's settlement, the
coupons deducted in transaction order (soonest expiry, smallest balance,
8 places, never below zero) and the partner's exact and rounded totals.
The script asserts the totals are identical, then prints lines/s and ratios.

Two ratios are printed: the whole run (building validated ``BillLine``
values from the raw rows, the coupon pass and the close), and the bill run on
lines already built (what a service does with lines loaded from storage).
Target for the issue: ratio >= 0.5.  ``BILL_RUN_CUSTOMERS`` scales it down.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Context, Decimal
from typing import Any

from partnerkit.billing import (
    BillingMode,
    BillLine,
    BillType,
    Coupon,
    CustomerColumns,
    CustomerPartial,
    MonthlyBill,
    apply_coupons,
    close_customer,
    merge_partials,
    rounding_for_cycle,
    run_customer,
    settle,
    settle_column,
)
from partnerkit.ids import CustomerId, PartnerId
from partnerkit.money import Currency, Money, Rate, scale
from partnerkit.periods import GMT_PLUS_8, Period

CUSTOMERS = int(os.environ.get("BILL_RUN_CUSTOMERS", "10000"))
LINES_PER_CUSTOMER = 100
USD = Currency("USD")
PARTNER = PartnerId("d1")
CYCLE = Period.month(2024, 6)
START = datetime(2024, 6, 1, tzinfo=GMT_PLUS_8)
EXACT = Context(prec=60)

Row = tuple[str, int, Decimal, Decimal]  # customer, second of the month, list price, discount %
CouponRow = tuple[str, str, Decimal, datetime]  # coupon id, customer, balance, valid_to


def _data() -> tuple[list[Row], list[CouponRow]]:
    rng = random.Random(20240601)
    prices = [scale(Decimal(rng.randrange(1, 2_000_000)), -5) for _ in range(997)]
    rows: list[Row] = []
    coupons: list[CouponRow] = []
    for c in range(CUSTOMERS):
        customer = f"c{c:05d}"
        pct = Decimal(20 + c % 11)
        for n in range(LINES_PER_CUSTOMER):
            second = rng.randrange(0, 29 * 86_400)
            rows.append((customer, second, prices[(c * 31 + n) % 997], pct))
        for k in range(3):
            balance = scale(Decimal(rng.randrange(1_000, 300_000)), -2)
            ends = START + timedelta(days=10 * (k + 1) + rng.randrange(0, 5))
            coupons.append((f"K{c:05d}-{k}", customer, balance, ends))
    return rows, coupons


def _build(rows: list[Row], coupons: list[CouponRow]) -> tuple[list[BillLine], list[Coupon]]:
    lines = []
    for i, (customer, second, price, pct) in enumerate(rows):
        expenditure = Money(price, USD)
        lines.append(
            BillLine(
                line_id=f"L{i:07d}",
                customer_id=CustomerId(customer),
                partner_id=PARTNER,
                cycle=CYCLE,
                bill_type=BillType.EXPENDITURE,
                billing_mode=BillingMode.PAY_PER_USE,
                product_code="ecs",
                order_or_txn_id=f"T{i:07d}",
                transaction_time=START + timedelta(seconds=second),
                customer_expenditure=expenditure,
                settlement_amount=settle(expenditure, Rate.from_percent(pct)),
                coupons_used=USD.zero,
                tax=USD.zero,
            )
        )
    wallet = [
        Coupon(
            coupon_id=cid,
            balance=Money(balance, USD),
            valid_from=START,
            valid_to=ends,
            billing_modes={BillingMode.PAY_PER_USE},
            customer_id=CustomerId(customer),
        )
        for cid, customer, balance, ends in coupons
    ]
    return lines, wallet


def _partnerkit_run(lines: list[BillLine], wallet: list[Coupon]) -> MonthlyBill:
    """The split bill run: per customer, coupons then a partial; one exact merge."""
    policy = rounding_for_cycle(CYCLE)
    by_customer: dict[CustomerId, list[BillLine]] = {}
    for line in lines:
        by_customer.setdefault(line.customer_id, []).append(line)
    coupons: dict[CustomerId | None, list[Coupon]] = {}
    for coupon in wallet:
        coupons.setdefault(coupon.customer_id, []).append(coupon)
    partials = []
    for customer, group in by_customer.items():
        run = apply_coupons(group, coupons.get(customer, ()))
        partials.append(close_customer(PARTNER, CYCLE, run.lines, policy=policy))
    return merge_partials(partials, policy=policy)


def _whole(rows: list[Row], coupons: list[CouponRow]) -> MonthlyBill:
    return _partnerkit_run(*_build(rows, coupons))


def _wallets(coupons: list[CouponRow]) -> dict[str, list[Coupon]]:
    wallets: dict[str, list[Coupon]] = {}
    for cid, customer, balance, ends in coupons:
        wallets.setdefault(customer, []).append(
            Coupon(
                coupon_id=cid,
                balance=Money(balance, USD),
                valid_from=START,
                valid_to=ends,
                billing_modes={BillingMode.PAY_PER_USE},
                customer_id=CustomerId(customer),
            )
        )
    return wallets


def _columnar(rows: list[Row], coupons: list[CouponRow]) -> MonthlyBill:
    """The split bill run on columns, from the raw rows: one partition per customer."""
    policy = rounding_for_cycle(CYCLE)
    wallets = _wallets(coupons)
    grouped: dict[str, tuple[list[int], list[Row]]] = {}
    for i, row in enumerate(rows):
        indices, mine = grouped.setdefault(row[0], ([], []))
        indices.append(i)
        mine.append(row)
    partials: list[CustomerPartial] = []
    for customer, (indices, mine) in grouped.items():
        count = len(mine)
        ids = tuple(f"{i:07d}" for i in indices)
        columns = CustomerColumns(
            partner_id=PARTNER,
            cycle=CYCLE,
            customer_id=CustomerId(customer),
            currency=USD,
            line_ids=tuple("L" + i for i in ids),
            order_or_txn_ids=tuple("T" + i for i in ids),
            transaction_times=tuple(START + timedelta(seconds=r[1]) for r in mine),
            settlement=settle_column((r[2] for r in mine), Rate.from_percent(mine[0][3])),
            product_codes=("ecs",) * count,
            billing_modes=(BillingMode.PAY_PER_USE,) * count,
        )
        partials.append(run_customer(columns, wallets.get(customer, ()), rounding=policy).partial)
    return merge_partials(partials, policy=policy)


def _baseline(rows: list[Row], coupons: list[CouponRow]) -> tuple[Decimal, Decimal, Decimal]:
    """Plain Decimal: settle, deduct coupons in order, sum, round once."""
    add, mul, sub = EXACT.add, EXACT.multiply, EXACT.subtract
    eight = Decimal("1e-8")
    wallets: dict[str, list[list[Any]]] = {}
    for cid, customer, balance, ends in coupons:
        wallets.setdefault(customer, []).append([ends, balance, cid])
    lines: dict[str, list[tuple[int, int, Decimal]]] = {}
    for i, (customer, second, price, pct) in enumerate(rows):
        factor = sub(Decimal(1), EXACT.divide(pct, Decimal(100)))
        lines.setdefault(customer, []).append((second, i, mul(price, factor)))
    total = Decimal(0)
    used_total = Decimal(0)
    for customer, items in lines.items():
        wallet = wallets.get(customer, [])
        items.sort()
        for second, _i, settlement in items:
            owed = settlement
            when = START + timedelta(seconds=second)
            live = sorted(
                (w for w in wallet if w[1] > 0 and when <= w[0]),
                key=lambda w: (w[0], w[1], w[2]),
            )
            for w in live:
                if owed <= 0:
                    break
                amount = min(owed, w[1])
                if amount.as_tuple().exponent < -8:
                    amount = amount.quantize(eight, rounding=ROUND_DOWN, context=EXACT)
                if amount <= 0:
                    continue
                w[1] = sub(w[1], amount)
                owed = sub(owed, amount)
                used_total = add(used_total, amount)
            total = add(total, owed)
    rounded = total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP, context=EXACT)
    return total, rounded, used_total


def _best(fn: Callable[[], object], repeat: int = 2) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def run() -> None:
    rows, coupons = _data()
    count = len(rows)
    lines, wallet = _build(rows, coupons)
    bill = _partnerkit_run(lines, wallet)
    exact, rounded, used = _baseline(rows, coupons)
    assert bill.monthly_total.amount == exact, (bill.monthly_total, exact)
    assert bill.amount_due.amount == rounded, (bill.amount_due, rounded)
    assert bill.coupons.amount == used, (bill.coupons, used)

    columnar = _columnar(rows, coupons)
    assert columnar == bill, "the columnar run must equal the object run"

    baseline = _best(lambda: _baseline(rows, coupons))
    columns = _best(lambda: _columnar(rows, coupons))
    prebuilt = _best(lambda: _partnerkit_run(lines, wallet))
    whole = _best(lambda: _whole(rows, coupons), repeat=1)
    rate = count / baseline
    print(f"lines {count:,} over {CUSTOMERS:,} customers, 3 coupons each")
    print(f"identical totals: exact {exact} USD, due {rounded} USD, coupons {used} USD")
    print(f"baseline plain-Decimal loop : {rate:12,.0f} lines/s")
    print(
        f"partnerkit columnar run     : {count / columns:12,.0f} lines/s"
        f"  ratio {baseline / columns:.2f}  (target >= 0.5; from the raw rows)"
    )
    print(
        f"object path, lines prebuilt : {count / prebuilt:12,.0f} lines/s"
        f"  ratio {baseline / prebuilt:.2f}"
    )
    print(
        f"object path, from rows      : {count / whole:12,.0f} lines/s"
        f"  ratio {baseline / whole:.2f}"
    )


if __name__ == "__main__":
    run()
