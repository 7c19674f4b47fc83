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

import decimal
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


def _state(account: BudgetAccount, policy: BudgetPolicy, like: datetime) -> list[Any]:
    """[spend, low, high, trigger, records, last_at, raw_total, base_spend].

    The bounds are in ``like``'s zone so that comparisons with usage instants
    of that zone take Python's same-tzinfo fast path.
    """
    budget = cast(Budget, account.budget)
    zone = like.tzinfo
    low = max(budget.window_start, account.associated_at).astimezone(zone)
    end = budget.window_end
    high = end.astimezone(zone) if end is not None else datetime.max.replace(tzinfo=zone)
    spent = budget.consumed.amount
    return [spent, low, high, _trigger(account, policy), 0, None, _ZERO, spent]


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
    states: dict[CustomerId, list[Any]] = {}
    skipped: set[CustomerId] = set()
    events: list[Event] = []
    add = _EXACT.add
    zero = _ZERO
    decimal_type = Decimal
    get = states.get
    try:
        for customer_id, amount, at in usage:
            state = get(customer_id)
            if state is None:
                if customer_id in skipped:
                    continue
                account = result.get(customer_id)
                if account is None or account.budget is None:
                    skipped.add(customer_id)
                    continue
                if account.budget.amount.currency != currency:
                    raise InvalidArgumentError(
                        "currency", currency, f"{customer_id}'s budget is in another currency"
                    )
                state = states[customer_id] = _state(account, policy, at)
            if type(amount) is not decimal_type:
                raise InvalidArgumentError("amount", amount, "usage amounts are Decimals")
            if state[1] <= at < state[2]:
                spent = add(state[0], amount)
                if zero <= spent < state[3]:
                    state[0] = spent
                    state[4] += 1
                    state[5] = at
                    continue
            # Something may happen: run the full operation on the materialized account.
            _slow(result, states, customer_id, state, Money(amount, currency), at, events, policy)
    except decimal.InvalidOperation as exc:
        raise InvalidArgumentError("amount", "NaN", "usage amounts are finite Decimals") from exc
    for customer_id, state in states.items():
        account = _materialize(result[customer_id], state[0], currency)
        result[customer_id] = account
        if state[4]:
            raw = add(state[6], _EXACT.subtract(state[0], state[7]))
            events.append(
                UsageRecorded(
                    occurred_at=state[5],
                    actor=SYSTEM_ACTOR,
                    account=account,
                    amount=Money._trusted(raw, currency),
                    records=state[4],
                )
            )
    return result, tuple(events)


def _materialize(account: BudgetAccount, spent: Decimal, currency: Currency) -> BudgetAccount:
    budget = cast(Budget, account.budget)
    if budget.consumed.amount == spent:
        return account
    return attrs.evolve(
        account, budget=attrs.evolve(budget, consumed=Money._trusted(spent, currency))
    )


def _slow(
    result: dict[CustomerId, BudgetAccount],
    states: dict[CustomerId, list[Any]],
    customer_id: CustomerId,
    state: list[Any],
    amount: Money,
    at: datetime,
    events: list[Event],
    policy: BudgetPolicy,
) -> None:
    """Apply one record with :func:`record_usage` and restart the fast run after it."""
    current = _materialize(result[customer_id], state[0], amount.currency)
    raw = _EXACT.add(state[6], _EXACT.subtract(state[0], state[7]))  # the fast run so far
    after, emitted = record_usage(current, amount, at=at, policy=policy)
    result[customer_id] = after
    records, last = state[4], state[5]
    for event in emitted:
        if isinstance(event, UsageRecorded):
            raw = _EXACT.add(raw, amount.amount)
            records, last = records + 1, at
        else:
            events.append(event)
    fresh = _state(after, policy, at)
    fresh[4], fresh[5], fresh[6] = records, last, raw
    states[customer_id] = fresh
