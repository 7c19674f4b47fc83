"""Reseller quota pools: a distributor caps what its reseller may budget (R-CUST-65, R-CUST-66).

A pool is ``allocated + available = total``, where ``allocated`` is the sum of
the current budgets of that type over the reseller's customers (G-31).
Because allocation is a sum of budget amounts, not of spend, the monthly pool
"restores" every month without doing anything.

>>> pool = QuotaPool(Money.of("100.00", "USD"), Money.of("60.00", "USD"))
>>> pool.available, pool.percent_allocated
(Money('40.00', 'USD'), Decimal('60'))
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import final

import attrs

from partnerkit.budget.model import BudgetAccount, BudgetType
from partnerkit.decisions import Decision, Reason
from partnerkit.errors import InvalidArgumentError
from partnerkit.ids import CustomerId
from partnerkit.money import Money, Rounding, quantize, scale, total
from partnerkit.partners import ResellerDelegation

__all__ = ["QuotaPool", "evaluate_quota", "quota_pool"]


@final
@attrs.frozen
class QuotaPool:
    """One of a reseller's pools: ``allocated + available = total``.

    Lowering the total below what is allocated is allowed; ``available`` is
    then zero and increases are refused until back under (G-31).
    """

    total: Money
    allocated: Money

    @property
    def available(self) -> Money:
        """What the reseller can still hand out."""
        left = self.total - self.allocated
        return left if not left.is_negative() else self.total.currency.zero

    @property
    def percent_allocated(self) -> Decimal:
        """Allocated as a whole percentage, floored ("0%", 4.7)."""
        if self.total.is_zero():
            return Decimal(100) if self.allocated.is_positive() else Decimal(0)
        return quantize(scale(self.allocated / self.total, 2), 0, rounding=Rounding.DOWN)


def _pool_total(delegation: ResellerDelegation, budget_type: BudgetType) -> Money | None:
    if budget_type is BudgetType.MONTHLY:
        return delegation.monthly_budget_quota
    return delegation.one_time_budget_quota


def quota_pool(
    delegation: ResellerDelegation, accounts: Iterable[BudgetAccount], budget_type: BudgetType
) -> QuotaPool | None:
    """The reseller's pool of ``budget_type``, or ``None`` when no quota was granted."""
    pool_total = _pool_total(delegation, budget_type)
    if pool_total is None:
        return None
    amounts = [
        a.budget.amount
        for a in accounts
        if a.partner_id == delegation.reseller_id
        and a.budget is not None
        and a.budget.type is budget_type
    ]
    return QuotaPool(pool_total, total(amounts, currency=pool_total.currency))


def evaluate_quota(
    delegation: ResellerDelegation,
    accounts: Iterable[BudgetAccount],
    *,
    customer_id: CustomerId,
    budget_type: BudgetType,
    amount: Money,
) -> Decision:
    """May the reseller set ``customer_id``'s budget to ``amount``? (R-CUST-65).

    The customer's current budget of that type is replaced, so it is left out
    of the allocation; lowering a budget is always allowed.
    """
    if not isinstance(budget_type, BudgetType):
        raise InvalidArgumentError("budget_type", budget_type, "expected a BudgetType")
    others = [a for a in accounts if a.customer_id != customer_id]
    current = next((a for a in accounts if a.customer_id == customer_id), None)
    pool = quota_pool(delegation, others, budget_type)
    if pool is None:
        return Decision.deny(
            Reason("NO_QUOTA", "R-CUST-61", "the distributor granted no quota of this type")
        )
    if amount.currency != pool.total.currency:
        raise InvalidArgumentError("amount", amount, "must be in the quota's currency")
    previous = (
        current.budget.amount
        if current and current.budget and current.budget.type is budget_type
        else None
    )
    if previous is not None and amount <= previous:
        return Decision.allow()
    if pool.allocated + amount > pool.total:
        return Decision.deny(
            Reason(
                "BUDGET_QUOTA_EXCEEDED",
                "R-CUST-65",
                "the budget exceeds the quota your distributor set",
                {
                    "requested": str(amount),
                    "available": str(pool.available),
                    "total": str(pool.total),
                },
            )
        )
    return Decision.allow()
