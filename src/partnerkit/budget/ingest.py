"""Batch usage ingestion: :func:`~partnerkit.budget.record_usage` at stream speed.

:func:`ingest_usage` gives exactly the accounts that applying
:func:`~partnerkit.budget.operations.record_usage` to every record in order
would give, and the same threshold, freeze and reset events.  Per-record
``UsageRecorded`` events are folded into one per customer, at the end.

Most records change nothing but a running sum, so the loop keeps, per
customer, the spend and the next spend level at which anything could happen
(a threshold, the freeze point, the window's end, the association) and only
falls back to the full operation when a record reaches one of them.

>>> from datetime import datetime
>>> from decimal import Decimal
>>> from partnerkit.budget.model import BudgetAccount, BudgetType, FreezeMode
>>> from partnerkit.budget.operations import set_budget
>>> from partnerkit.ids import ActorId, CustomerId, PartnerId
>>> from partnerkit.money import Currency, Money
>>> from partnerkit.partners import AssociationType
>>> from partnerkit.periods import GMT_PLUS_8
>>> t0 = datetime(2024, 6, 3, tzinfo=GMT_PLUS_8)
>>> a = BudgetAccount(CustomerId("c"), PartnerId("p"), AssociationType.RESELLER, t0)
>>> a, _ = set_budget(a, budget_type=BudgetType.MONTHLY, amount=Money.of("100.00", "USD"),
...                   freeze_mode=FreezeMode.AUTOMATIC, actor=ActorId("u"), as_of=t0)
>>> usage = [(CustomerId("c"), Decimal("40"), t0), (CustomerId("c"), Decimal("40"), t0)]
>>> accounts, events = ingest_usage({a.customer_id: a}, usage, currency=Currency("USD"))
>>> accounts["c"].budget.consumed, [e.name for e in events]
(Money('80', 'USD'), ['BudgetThresholdReached', 'UsageRecorded'])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any, Final, cast

import attrs

from partnerkit.budget.model import (
    HUAWEI_BUDGETS,
    Budget,
    BudgetAccount,
    BudgetPolicy,
    FreezeCause,
    FreezeMode,
)
from partnerkit.budget.operations import UsageRecorded, _marks, record_usage
from partnerkit.errors import InvalidArgumentError
from partnerkit.events import Event
from partnerkit.ids import SYSTEM_ACTOR, CustomerId
from partnerkit.money import _EXACT, Currency, Money

__all__ = ["ingest_usage"]

_INFINITY: Final = Decimal("Infinity")
_ZERO: Final = Decimal(0)


def _trigger(account: BudgetAccount, policy: BudgetPolicy) -> Decimal:
    """The lowest spend at which a record needs the full operation."""
    budget = cast(Budget, account.budget)  # only budgeted accounts reach here
    levels = [mark for t, mark in _marks(budget, policy) if t not in budget.fired]
    if (
        budget.freeze_mode is not FreezeMode.MANUAL
        and FreezeCause.BUDGET_AUTO not in account.causes
    ):
        levels.append(budget.freeze_point.amount)
    return min(levels, default=_INFINITY)


def _state(account: BudgetAccount, policy: BudgetPolicy, like: datetime) -> list[Any] | None:
    """[spend, low, high, trigger] with bounds in ``like``'s zone (same tzinfo: fast compares)."""
    budget = account.budget
    if budget is None:
        return None
    zone = like.tzinfo
    low = max(budget.window_start, account.associated_at).astimezone(zone)
    high = budget.window_end.astimezone(zone) if budget.window_end is not None else None
    return [budget.consumed.amount, low, high, _trigger(account, policy)]


def ingest_usage(
    accounts: Mapping[CustomerId, BudgetAccount],
    usage: Iterable[tuple[CustomerId, Decimal, datetime]],
    *,
    currency: Currency,
    policy: BudgetPolicy = HUAWEI_BUDGETS,
) -> tuple[dict[CustomerId, BudgetAccount], tuple[Event, ...]]:
    """Apply ``(customer, amount, at)`` records in order; amounts are Decimals in ``currency``.

    Unknown customers and customers without a budget are skipped, as
    :func:`~partnerkit.budget.operations.record_usage` would leave them.

    Returns the changed accounts (every account of ``accounts``, updated) and
    the events: thresholds, freezes and resets in order, then one
    ``UsageRecorded`` per customer with the records' total.
    """
    if not isinstance(currency, Currency):
        raise InvalidArgumentError("currency", currency, "expected a Currency")
    result = dict(accounts)
    states: dict[CustomerId, list[Any] | None] = {}
    unknown: list[Any] = []  # sentinel: not looked up yet
    totals: dict[CustomerId, list[Any]] = {}
    events: list[Event] = []
    add = _EXACT.add
    decimal_type = Decimal
    for customer_id, amount, at in usage:
        state = states.get(customer_id, unknown)
        if state is unknown:
            account = result.get(customer_id)
            if account is None or account.budget is None:
                states[customer_id] = None
                continue
            if account.budget.amount.currency != currency:
                raise InvalidArgumentError(
                    "currency", currency, f"{customer_id}'s budget is in another currency"
                )
            state = states[customer_id] = _state(account, policy, at)
        if state is None:
            continue
        if type(amount) is not decimal_type or not amount.is_finite():
            raise InvalidArgumentError("amount", amount, "usage amounts are finite Decimals")
        high = state[2]
        if state[1] <= at and (high is None or at < high):
            spent = add(state[0], amount)
            if _ZERO <= spent < state[3]:
                state[0] = spent
                total = totals.get(customer_id)
                if total is None:
                    totals[customer_id] = [amount, 1, at]
                else:
                    total[0] = add(total[0], amount)
                    total[1] += 1
                    total[2] = at
                continue
        # Something may happen: run the full operation on the materialized account.
        account = result[customer_id]
        budget = cast(Budget, account.budget)  # a state exists only for budgeted accounts
        current = attrs.evolve(
            account, budget=attrs.evolve(budget, consumed=Money._trusted(state[0], currency))
        )
        after, emitted = record_usage(
            current, Money._trusted(amount, currency), at=at, policy=policy
        )
        result[customer_id] = after
        counted = False
        for event in emitted:
            if isinstance(event, UsageRecorded):
                counted = True
            else:
                events.append(event)
        if counted:
            total = totals.get(customer_id)
            if total is None:
                totals[customer_id] = [amount, 1, at]
            else:
                total[0] = add(total[0], amount)
                total[1] += 1
                total[2] = at
        states[customer_id] = _state(after, policy, at)
    for customer_id, state in states.items():
        if state is None:
            continue
        account = result[customer_id]
        budget = cast(Budget, account.budget)
        if budget.consumed.amount != state[0]:
            final = Money._trusted(state[0], currency)
            account = attrs.evolve(account, budget=attrs.evolve(budget, consumed=final))
            result[customer_id] = account
        total = totals.get(customer_id)
        if total is not None:
            events.append(
                UsageRecorded(
                    occurred_at=total[2],
                    actor=SYSTEM_ACTOR,
                    account=account,
                    amount=Money._trusted(total[0], currency),
                    records=total[1],
                )
            )
    return result, tuple(events)
