"""Calculating a period's earning from revenue lines, with a trace (incentives.md 2.5-2.9).

:func:`calculate` is deterministic, exact and independent of input order: it
selects the partner's lines of the period (credited through its resellers,
R-INC-04), computes each eligible amount (R-INC-01..07), applies the
policy's schedule (per line, per product line, by tier, or a ladder on the
period base), the accelerator and the cap, and rounds once, half-up, to the
currency's minor unit (DC-INC-01) - or per product line for ASC commissions
(DC-INC-26).  The :class:`Earning` carries every line used, every line
excluded with its reason, the rate or band reached, and a trace that
recomputes the amount.

>>> from datetime import date, datetime, timezone
>>> from decimal import Decimal
>>> from partnerkit.ids import CustomerId, PartnerId
>>> from partnerkit.money import Money
>>> from partnerkit.periods import Period, PeriodKind
>>> from partnerkit.incentives.policy import Flat, IncentivePolicy
>>> from partnerkit.incentives.revenue import OrderType, RevenueLine
>>> policy = IncentivePolicy(policy_id="q", name="Quarterly rebate", period_kind=PeriodKind.QUARTER,
...                          schedule=Flat(rate=Decimal("0.80")))
>>> lines = [RevenueLine(revenue_id=f"L{n}", partner_id=PartnerId("p"), customer_id=CustomerId("c"),
...          order_type=OrderType.RENEWAL, product_code="evs", generated_on=date(2023, 3, 1),
...          amount=Money.of("100", "USD")) for n in range(6)]
>>> calculate(policy, lines, partner_id=PartnerId("p"), period=Period.parse("2023Q1"),
...           as_of=datetime(2023, 4, 1, tzinfo=timezone.utc)).amount
Money('480.00', 'USD')
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import final

import attrs

from partnerkit.billing.trace import Trace, TraceKind
from partnerkit.errors import InvalidArgumentError
from partnerkit.ids import PartnerId
from partnerkit.incentives.policy import (
    Accelerator,
    ByTier,
    ClawbackMode,
    Flat,
    IncentivePolicy,
    Ladder,
    LadderMode,
    PerProduct,
)
from partnerkit.incentives.revenue import (
    OrderType,
    ProductClass,
    ProductClassification,
    RevenueLine,
    classification_on,
)
from partnerkit.money import Money, Rounding, scale, total
from partnerkit.periods import GMT_PLUS_8, Period, require_aware

__all__ = ["Earning", "EarningLine", "calculate", "estimated_rebate"]


@final
@attrs.frozen
class EarningLine:
    """One revenue line's contribution: eligible amount, the rate applied, the exact earning."""

    revenue_id: str
    eligible: Money
    rate: Decimal | None
    earning: Money | None


@final
@attrs.frozen(kw_only=True)
class Earning:
    """A period's earning under one policy, explained down to its revenue lines.

    Attributes:
        partner_id: The credited partner.
        period: The period.
        policy_id: The policy applied.
        base: The exact eligible revenue of the period.
        exact: The earning before rounding.
        amount: The earning, rounded as the policy says.
        reached: The rate, band or tier that applied, as text.
        excluded: ``(revenue_id, reason)`` of every line left out.
        capped: Whether the cap applied.
        trace: Base, schedule, cap and rounding; ``trace.result() == amount``.
        columns: The lines used as ``(revenue_id, eligible, rate, earning)``
            Decimals, in revenue-id order (``lines`` builds the values).
    """

    partner_id: PartnerId
    period: Period
    policy_id: str
    base: Money
    exact: Money
    amount: Money
    reached: str
    excluded: tuple[tuple[str, str], ...]
    capped: bool
    trace: Trace
    columns: tuple[tuple[str, Decimal, Decimal | None, Decimal | None], ...] = attrs.field(
        eq=False, repr=False
    )

    @property
    def lines(self) -> tuple[EarningLine, ...]:
        """Every line used, in revenue-id order, with its eligible amount, rate and earning."""
        currency = self.base.currency
        return tuple(
            EarningLine(
                revenue_id,
                Money._trusted(eligible, currency),
                rate,
                None if earned is None else Money._trusted(earned, currency),
            )
            for revenue_id, eligible, rate, earned in self.columns
        )


#: Exact arithmetic for the line loop: 60 digits, inexact results trap.
_EXACT = decimal.Context(
    prec=60,
    Emin=-999_999,
    Emax=999_999,
    traps=[decimal.Inexact, decimal.InvalidOperation, decimal.Overflow],
)


_NEGATIVE = frozenset(t for t in OrderType if t.sign < 0)


def _rate_text(rate: Decimal) -> str:
    return f"{format(scale(rate, 2).normalize(_EXACT), 'f')} %"


def calculate(
    policy: IncentivePolicy,
    lines: Iterable[RevenueLine],
    *,
    partner_id: PartnerId,
    period: Period,
    as_of: datetime,
    tier: str | None = None,
    classifications: Iterable[ProductClassification] = (),
    distributor_of: Mapping[PartnerId, PartnerId] | None = None,
) -> Earning:
    """The partner's earning for ``period`` under ``policy`` (R-INC-01..07, DC-INC-01, 05, 06, 09).

    Lines generated after ``as_of`` (GMT+08:00 day) are not known yet and are
    left out, as are other partners' lines and other periods'.  Unsettled
    lines (R-INC-17) and lines of "no revenue or rebate" products (R-INC-02)
    are listed in ``excluded`` with the reason.
    """
    if not isinstance(policy, IncentivePolicy):
        raise InvalidArgumentError("policy", policy, "expected an IncentivePolicy")
    if not isinstance(period, Period) or period.kind is not policy.period_kind:
        raise InvalidArgumentError("period", period, f"a {policy.period_kind.value} period")
    if policy.effective_from is not None and period.first_day < policy.effective_from.first_day:
        raise InvalidArgumentError(
            "period", period, f"the policy applies from {policy.effective_from}"
        )
    today = require_aware(as_of).astimezone(GMT_PLUS_8).date()
    first = period.first_day
    last = period.last_day
    mapping = distributor_of or {}
    rules = tuple(classifications)
    zero = Money.of(0, policy.currency)
    currency = zero.currency
    restate = policy.clawback is ClawbackMode.RESTATE_ORIGINAL

    def booked(line: RevenueLine) -> date:
        # DC-INC-04: refunds land where generated, or on their sale under a restating policy
        if restate and line.reverses_sale_on is not None:
            return line.reverses_sale_on
        return line.generated_on

    mine = sorted(
        (
            line
            for line in lines
            if line.generated_on <= today
            and first <= booked(line) <= last
            and mapping.get(line.partner_id, line.partner_id) == partner_id
        ),
        key=lambda line: line.revenue_id,
    )
    if any(line.amount.currency != currency for line in mine):
        raise InvalidArgumentError("lines", partner_id, f"revenue lines in {policy.currency}")
    classes: dict[tuple[str, int, int], ProductClass] = {}
    classified = {rule.product_code for rule in rules}
    excluded: list[tuple[str, str]] = []
    counted: list[tuple[RevenueLine, Decimal]] = []
    add, subtract = _EXACT.add, _EXACT.subtract
    for line in mine:
        if not line.settled:
            excluded.append((line.revenue_id, "NOT_SETTLED"))  # R-INC-17
            continue
        if line.product_code in classified:
            day = booked(line)
            key = (line.product_code, day.year, day.month)
            cls = classes.get(key)
            if cls is None:
                cls = classes[key] = classification_on(rules, line.product_code, day)
            if cls is ProductClass.NO_REVENUE_OR_REBATE:
                excluded.append((line.revenue_id, "NO_REVENUE_OR_REBATE"))  # R-INC-02
                continue
        value = line.amount.amount
        for reduction in (line.partner_discount, line.price_adjustment, line.vendor_coupons):
            if reduction is not None:
                value = subtract(value, reduction.amount)
        if line.order_type in _NEGATIVE:
            value = value.copy_negate()
        counted.append((line, value))
    base_amount = Decimal(0)
    for _, value in counted:
        base_amount = add(base_amount, value)
    base = Money._trusted(base_amount, currency)
    schedule = policy.schedule
    inner = schedule.base if isinstance(schedule, Accelerator) else schedule
    columns: list[tuple[str, Decimal, Decimal | None, Decimal | None]]
    if isinstance(inner, Ladder):
        band = inner.band_for(base_amount)
        exact = Money._trusted(inner.earning(base_amount), currency)
        reached = (
            f"band from {band.lower} at {_rate_text(band.rate)}"
            if inner.mode is LadderMode.RETROACTIVE
            else f"marginal bands up to {band.lower}"
        )
        columns = [(line.revenue_id, value, None, None) for line, value in counted]
    else:
        assert isinstance(inner, (Flat, PerProduct, ByTier))  # the schedule union
        multiply = _EXACT.multiply
        columns = []
        for line, value in counted:
            rate = inner.line_rate(line.product_code, line.product_line, tier)
            columns.append((line.revenue_id, value, rate, multiply(value, rate)))
        if policy.per_line_rounding:
            groups: dict[str, Decimal] = {}
            for (line, _), (_, _, _, earned) in zip(counted, columns, strict=True):
                group = line.product_line or line.product_code
                groups[group] = add(groups.get(group, Decimal(0)), earned or Decimal(0))
            exact = total(
                (
                    Money._trusted(v, currency).round(rounding=Rounding.HALF_UP)
                    for v in groups.values()
                ),
                currency=currency,
            )
        else:
            summed = Decimal(0)
            for _, _, _, earned in columns:
                summed = add(summed, earned or Decimal(0))
            exact = Money._trusted(summed, currency)
        rates = sorted({rate for _, _, rate, _ in columns if rate is not None})
        reached = ", ".join(_rate_text(r) for r in rates) or "no lines"
        if isinstance(inner, ByTier):
            reached = f"tier {tier}: {reached}"
    trace = Trace.start(f"eligible revenue of {len(counted)} lines", base)
    trace = trace.then(TraceKind.DISCOUNT, f"schedule: {reached}", exact - base)
    if isinstance(schedule, Accelerator) and base_amount >= schedule.target:
        boosted = exact * schedule.multiplier
        trace = trace.then(
            TraceKind.SUM,
            f"accelerator x{schedule.multiplier} above {schedule.target}",
            boosted - exact,
        )
        exact = boosted
    if policy.minimum_base is not None and base < policy.minimum_base:
        trace = trace.then(TraceKind.FLOOR, f"below the minimum base {policy.minimum_base}", -exact)
        exact = zero
    capped = policy.cap is not None and exact > policy.cap
    if capped and policy.cap is not None:
        trace = trace.then(TraceKind.FLOOR, f"cap {policy.cap}", policy.cap - exact)
        exact = policy.cap
    amount = exact.round(rounding=Rounding.HALF_UP)
    if amount != exact:
        trace = trace.then(
            TraceKind.ROUNDING, "half-up to the minor unit (DC-INC-01)", amount - exact
        )
    return Earning(
        partner_id=partner_id,
        period=period,
        policy_id=policy.policy_id,
        base=base,
        exact=exact,
        amount=amount,
        reached=reached,
        excluded=tuple(excluded),
        capped=capped,
        trace=trace,
        columns=tuple(columns),
    )


def estimated_rebate(subtotal: Money, discount: Money, rate: Decimal) -> Money:
    """The rebate estimate on a pending order: the discounted price times the rate (R-INC-07).

    >>> estimated_rebate(Money.of("154.00", "USD"), Money.of("15.40", "USD"), Decimal("0.25"))
    Money('34.65', 'USD')
    """
    if discount.is_negative() or discount > subtotal:
        raise InvalidArgumentError("discount", discount, "between 0 and the subtotal")
    return ((subtotal - discount) * rate).round(rounding=Rounding.HALF_UP)
