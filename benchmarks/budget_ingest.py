"""Budget ingestion throughput against a hand-written baseline measured in the same run.

1,000,000 usage records over 10,000 customers with monthly budgets, thresholds
at 75/90/100 %.  The baseline is a plain dict-of-Decimal loop that only sums
and compares to the three marks; partnerkit's ``ingest_usage`` also checks the
association and the month window, fires threshold events, freezes automatic
budgets at exhaustion and returns new accounts.  Target: ratio >= 0.4.
"""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta
from decimal import Decimal

from partnerkit.budget import BudgetAccount, BudgetType, FreezeMode, ingest_usage, set_budget
from partnerkit.ids import ActorId, CustomerId, PartnerId
from partnerkit.money import Currency, Money
from partnerkit.partners import AssociationType
from partnerkit.periods import GMT_PLUS_8, UTC

CUSTOMERS = 10_000
EVENTS = 1_000_000
USD = Currency("USD")


def _setup() -> tuple[dict[CustomerId, BudgetAccount], list[tuple[CustomerId, Decimal, datetime]]]:
    rng = random.Random(20240601)
    start = datetime(2024, 6, 1, tzinfo=GMT_PLUS_8)
    accounts: dict[CustomerId, BudgetAccount] = {}
    for i in range(CUSTOMERS):
        cid = CustomerId(f"c{i:05d}")
        account = BudgetAccount(
            cid, PartnerId(f"p{i % 50}"), AssociationType.RESELLER, start - timedelta(days=30)
        )
        amount = Money(Decimal(rng.randrange(5_000, 200_000)).scaleb(-2), USD)
        mode = FreezeMode.AUTOMATIC if i % 2 else FreezeMode.MANUAL
        accounts[cid], _ = set_budget(
            account, budget_type=BudgetType.MONTHLY, amount=amount, freeze_mode=mode,
            actor=ActorId("bench"), as_of=start, unfreeze_now=True,
        )  # fmt: skip
    ids = list(accounts)
    first = start.astimezone(UTC)
    amounts = [Decimal(rng.randrange(1, 20_000)).scaleb(-4) for _ in range(1000)]
    usage = [
        (ids[rng.randrange(CUSTOMERS)], amounts[n % 1000], first + timedelta(seconds=n * 2))
        for n in range(EVENTS)
    ]
    return accounts, usage


def _baseline(
    accounts: dict[CustomerId, BudgetAccount], usage: list[tuple[CustomerId, Decimal, datetime]]
) -> int:
    marks = {}
    for cid, account in accounts.items():
        amount = account.budget.amount.amount if account.budget else Decimal(0)
        marks[cid] = (amount * 75 / 100, amount * 90 / 100, amount)
    totals = dict.fromkeys(accounts, Decimal(0))
    crossings = 0
    for cid, amount, _at in usage:
        total = totals[cid] + amount
        totals[cid] = total
        m75, m90, m100 = marks[cid]
        if total >= m100 or total >= m90 or total >= m75:
            crossings += 1
    return crossings


def _best(fn, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def run() -> None:
    accounts, usage = _setup()
    baseline = _best(lambda: _baseline(accounts, usage))
    engine = _best(lambda: ingest_usage(accounts, usage, currency=USD))
    _, events = ingest_usage(accounts, usage, currency=USD)
    fired = sum(1 for e in events if e.name == "BudgetThresholdReached")
    frozen = sum(1 for e in events if e.name == "CustomerFrozen")
    base_rate, rate = EVENTS / baseline, EVENTS / engine
    print(
        f"usage records: {EVENTS:,} over {CUSTOMERS:,} customers; {fired:,} threshold events, {frozen:,} freezes"
    )
    print(f"baseline (dict of Decimal)  {base_rate:12,.0f} records/s")
    print(f"partnerkit ingest_usage     {rate:12,.0f} records/s")
    print(f"ratio {rate / base_rate:.2f} (target >= 0.40)")


if __name__ == "__main__":
    run()
