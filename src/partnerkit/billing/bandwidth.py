"""95th-percentile bandwidth billing (billing.md section 5, R-BILL-05, R-BILL-79..81).

Some network products bill the month's 95th-percentile bandwidth rather than
traffic.  Bandwidth is sampled every five minutes, 288 samples a day.  Only
**valid days** count: days with traffic above zero (R-BILL-80).  The billed
sample follows DC-20: sort the valid days' samples descending, drop the top
``floor(5 % x N)`` and bill the next one (nearest-rank P95).  The settlement
is then I-02: ``unit price x billable bandwidth x valid days / days in month``.

>>> from datetime import date
>>> from decimal import Decimal
>>> from partnerkit.money import Money
>>> from partnerkit.periods import Period
>>> day = [Decimal(n) for n in range(1, 289)]
>>> result = p95_settlement(
...     "cdn", {date(2024, 9, 2): day}, cycle=Period.parse("2024M9"),
...     unit_price=Money.of("3", "USD"))
>>> result.billable_bandwidth, result.valid_days, result.settlement_amount
(Decimal('274'), 1, Money('27.4', 'USD'))
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import final

import attrs

import partnerkit._validators as _v
from partnerkit._construct import checked
from partnerkit.billing.bill import usage_days_ratio
from partnerkit.billing.trace import Trace, TraceKind
from partnerkit.errors import InvalidArgumentError, RuleViolationError
from partnerkit.money import Money, Rate, divide
from partnerkit.periods import Period

__all__ = [
    "HUAWEI_P95",
    "SAMPLES_PER_DAY",
    "P95Policy",
    "P95Settlement",
    "billable_bandwidth",
    "p95_settlement",
]

#: Five-minute samples in a day (R-BILL-05).
SAMPLES_PER_DAY = 288


_FIVE_PERCENT = Rate.from_percent(5)


def _codes(value: Iterable[str]) -> frozenset[str]:
    codes = frozenset(value)
    if not codes or not all(isinstance(c, str) and c for c in codes):
        raise InvalidArgumentError("products", value, "a non-empty set of product codes")
    return codes


@checked
@final
@attrs.frozen(kw_only=True)
class P95Policy:
    """Which products bill by percentile, and the share of top samples discarded.

    Attributes:
        products: Product codes billed by 95th percentile (R-BILL-79).
        discard: The share of the highest samples dropped (5 %, DC-20).
    """

    products: frozenset[str] = attrs.field(converter=_codes)
    discard: Rate = _FIVE_PERCENT


#: Huawei's eligible products (R-BILL-79): CDN, Anti-DDoS, OBS, Live, VPC,
#: Cloud Connect and Direct Connect.
HUAWEI_P95 = P95Policy(
    products=frozenset({"cdn", "aad", "obs", "live", "vpc", "cloud-connect", "direct-connect"})
)


def billable_bandwidth(samples: Sequence[Decimal], *, policy: P95Policy = HUAWEI_P95) -> Decimal:
    """The sample billed: drop the top ``floor(discard x N)``, take the next (DC-20, R-BILL-81).

    ``N`` must be whole days of samples (R-BILL-05); no samples bill zero.

    >>> billable_bandwidth([Decimal(n) for n in range(1, 289)])
    Decimal('274')
    """
    count = len(samples)
    if count % SAMPLES_PER_DAY:
        raise InvalidArgumentError(
            "samples", count, "whole days of 288 five-minute samples", rule_id="R-BILL-05"
        )
    if not count:
        return Decimal(0)
    for value in samples:
        if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
            raise InvalidArgumentError(
                "samples", value, "bandwidth samples are finite Decimals >= 0", rule_id="R-BILL-81"
            )
    dropped = math.floor(count * Fraction(policy.discard.value))
    return sorted(samples, reverse=True)[min(dropped, count - 1)]


@final
@attrs.frozen
class P95Settlement:
    """A month of one percentile-billed product: the figures of I-02 and a trace.

    Attributes:
        product_code: The product.
        cycle: The month.
        valid_days: Days with traffic above zero (R-BILL-80).
        samples: Samples counted (288 per valid day).
        billable_bandwidth: The billed sample (DC-20).
        usage_days_ratio: ``valid_days / days in month`` (I-06).
        unit_price: The fixed unit price.
        settlement_amount: I-02, unrounded.
    """

    product_code: str
    cycle: Period
    valid_days: int
    samples: int
    billable_bandwidth: Decimal
    usage_days_ratio: Decimal
    unit_price: Money
    settlement_amount: Money

    def trace(self) -> Trace:
        """The settlement as basis x bandwidth x ratio, for an auditor to redo."""
        full = self.unit_price * self.billable_bandwidth
        return Trace.start(
            f"{self.billable_bandwidth} x unit price {self.unit_price.amount} "
            f"(P95 of {self.samples} samples)",
            full,
        ).then(
            TraceKind.DISCOUNT,
            f"usage-days ratio {self.valid_days}/{self.cycle.days} (I-06)",
            self.settlement_amount - full,
        )


def p95_settlement(
    product_code: str,
    daily_samples: Mapping[date, Sequence[Decimal]],
    *,
    cycle: Period,
    unit_price: Money,
    policy: P95Policy = HUAWEI_P95,
) -> P95Settlement:
    """Settle one month of a percentile-billed product (R-BILL-79..81, I-02, I-06).

    ``daily_samples`` maps each day of the month to its 288 samples; days
    without traffic (every sample zero) are not valid days and are ignored.
    The settlement divides by the days in the month last: exact when the
    quotient terminates, else 34 significant digits, half-even.
    See the module docstring for an example.
    """
    if product_code not in policy.products:
        raise RuleViolationError(
            "R-BILL-79",
            f"{product_code!r} is not billed by 95th-percentile bandwidth",
            fields={"product_code": product_code, "allowed": tuple(sorted(policy.products))},
        )
    _v.require_month(cycle)
    valid: list[Decimal] = []
    days = 0
    for day, samples in sorted(daily_samples.items()):
        if not cycle.contains(day):
            raise InvalidArgumentError("daily_samples", day, f"a day outside {cycle}")
        if len(samples) != SAMPLES_PER_DAY:
            raise InvalidArgumentError(
                "daily_samples", (day, len(samples)), "288 samples a day", rule_id="R-BILL-05"
            )
        if any(value > 0 for value in samples):
            days += 1
            valid.extend(samples)
    billed = billable_bandwidth(valid, policy=policy)
    ratio = usage_days_ratio(len(valid), cycle.days)
    # I-02 with the division by days in month last, so terminating results stay
    # exact; a repeating quotient keeps 34 significant digits (half-even).
    numerator = unit_price * billed * Decimal(days)
    amount = Money(divide(numerator.amount, Decimal(cycle.days)), unit_price.currency)
    return P95Settlement(product_code, cycle, days, len(valid), billed, ratio, unit_price, amount)
