"""Money kernel overhead, as ratios against raw Decimal work measured in the same run.

The baselines do the same arithmetic on bare ``Decimal`` values in an explicit
context, so the ratio is the price of currency checks, validation and exactness
traps, not of decimal arithmetic itself.
"""

from __future__ import annotations

import decimal
import time
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

from partnerkit.money import Currency, Money, Rounding, allocate, total

N = 20_000
CTX = decimal.Context(prec=60)


def _best(fn: Callable[[], object], repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def run() -> None:
    usd = Currency("USD")
    amounts = [Decimal(i) / 1000 for i in range(1, N + 1)]
    moneys = [Money(a, usd) for a in amounts]

    def decimal_sum() -> Decimal:
        acc = Decimal(0)
        for a in amounts:
            acc = CTX.add(acc, a)
        return acc

    def money_sum() -> Money:
        return total(moneys, currency=usd)

    def decimal_round() -> list[Decimal]:
        q = Decimal("0.01")
        return [a.quantize(q, rounding=decimal.ROUND_HALF_UP, context=CTX) for a in amounts]

    def money_round() -> list[Money]:
        return [m.round(rounding=Rounding.HALF_UP) for m in moneys]

    weights = list(range(1, 1001))

    def fraction_split() -> list[Fraction]:
        whole = Fraction(1_000_000_00)
        s = sum(weights)
        return [whole * w / s for w in weights]

    def money_allocate() -> tuple[Money, ...]:
        return allocate(Money("1000000.00", usd), weights, rounding=Rounding.DOWN)

    for name, base, subject in (
        (f"sum of {N} amounts", decimal_sum, money_sum),
        (f"round {N} amounts to cents", decimal_round, money_round),
        ("allocate over 1000 weights", fraction_split, money_allocate),
    ):
        b, s = _best(base), _best(subject)
        timing = f"baseline {b * 1e3:8.2f} ms  partnerkit {s * 1e3:8.2f} ms"
        print(f"{name:<32} {timing}  ratio {s / b:5.1f}x")
