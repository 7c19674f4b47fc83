"""Budget and freeze operations: pure functions from an account to a new account and events.

Every function takes the current :class:`~partnerkit.budget.model.BudgetAccount`
and ``as_of`` (or the usage's own instant) and returns ``(account, events)``.
Windows roll lazily: the first operation at or after a monthly window's end
resets the spend, re-arms the thresholds and, by policy, lifts a
``BUDGET_AUTO``-only freeze (R-CUST-44, G-08).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import cast

import attrs

from partnerkit.budget.model import (
    HUAWEI_BUDGETS,
    Budget,
    BudgetAccount,
    BudgetPolicy,
    BudgetType,
    FreezeCause,
    FreezeHold,
    FreezeMode,
    FreezeScope,
    Operation,
)
from partnerkit.customers.association import CustomerAssociated, CustomerDisassociated
from partnerkit.decisions import Decision, Reason
from partnerkit.errors import InvalidArgumentError, RuleViolationError
from partnerkit.events import Event
from partnerkit.ids import SYSTEM_ACTOR, ActorId, PartnerId
from partnerkit.money import Money, Rounding, scale
from partnerkit.partners import AssociationType
from partnerkit.periods import Period, PeriodKind, require_aware

__all__ = [
    "BudgetAccountChanged",
    "BudgetPeriodReset",
    "BudgetSet",
    "BudgetThresholdReached",
    "BudgetWithdrawn",
    "CustomerFrozen",
    "CustomerUnfrozen",
    "ResourceRetentionExpiring",
    "ResourcesReleased",
    "UsageRecorded",
    "as_of",
    "cascade_freeze",
    "close_account",
    "evaluate_operation",
    "freeze",
    "open_account",
    "recheck",
    "recipients",
    "record_usage",
    "set_budget",
    "unfreeze",
    "withdraw_budget",
]

_HUNDRED = Decimal(100)


# --- events ---------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class BudgetAccountChanged(Event):
    """Base of every budget event: it carries the account after the change."""

    account: BudgetAccount

    def snapshots(self) -> tuple[object, ...]:
        """The stored account after the change."""
        return (self.account,)


@attrs.frozen(kw_only=True)
class BudgetSet(BudgetAccountChanged):
    """A budget was set or changed (the adjustment record, R-CUST-54)."""

    before: Budget | None
    after: Budget


@attrs.frozen(kw_only=True)
class BudgetWithdrawn(BudgetAccountChanged):
    """A budget was withdrawn (R-CUST-60) or ended with the association (G-26)."""

    before: Budget


@attrs.frozen(kw_only=True)
class BudgetThresholdReached(BudgetAccountChanged):
    """Spend reached an alert threshold (R-CUST-47).

    Attributes:
        threshold: The percentage reached.
        consumed: Spend in the window when it was reached.
        amount: The budget amount.
        recipients: Who is told: the partner and its budget recipients, and
            for a reseller's customer the distributor and its recipients too.
    """

    threshold: Decimal
    consumed: Money
    amount: Money
    recipients: tuple[str, ...]


@attrs.frozen(kw_only=True)
class CustomerFrozen(BudgetAccountChanged):
    """A freeze hold was added."""

    hold: FreezeHold


@attrs.frozen(kw_only=True)
class CustomerUnfrozen(BudgetAccountChanged):
    """Freeze holds were cleared."""

    cleared: tuple[FreezeHold, ...]


@attrs.frozen(kw_only=True)
class BudgetPeriodReset(BudgetAccountChanged):
    """A monthly budget restored at the start of a month (R-CUST-44)."""

    previous_consumed: Money


@attrs.frozen(kw_only=True)
class UsageRecorded(BudgetAccountChanged):
    """Usage counted against the budget (one record, or a batch total from ingestion)."""

    amount: Money
    records: int = 1


@attrs.frozen(kw_only=True)
class ResourceRetentionExpiring(BudgetAccountChanged):
    """Frozen resources will be released at ``release_at`` unless unfrozen (5.3)."""

    release_at: datetime


@attrs.frozen(kw_only=True)
class ResourcesReleased(BudgetAccountChanged):
    """Frozen resources were released after the retention period (R-CUST-74)."""


# --- helpers ----------------------------------------------------------------------------------


def recipients(account: BudgetAccount) -> tuple[str, ...]:
    """Who a budget alert goes to (R-CUST-47, R-CUST-56).

    >>> from datetime import datetime
    >>> from partnerkit.ids import CustomerId, PartnerId
    >>> from partnerkit.periods import UTC
    >>> a = BudgetAccount(CustomerId("c"), PartnerId("r1"), AssociationType.RESELLER,
    ...                   datetime(2024, 1, 1, tzinfo=UTC), distributor_id=PartnerId("d1"))
    >>> recipients(a)
    ('partner:r1', 'budget-recipients:r1', 'partner:d1', 'budget-recipients:d1')
    """
    found = [f"partner:{account.partner_id}", f"budget-recipients:{account.partner_id}"]
    if account.distributor_id is not None:
        found += [
            f"partner:{account.distributor_id}",
            f"budget-recipients:{account.distributor_id}",
        ]
    return tuple(found)


def _require_reseller_model(account: BudgetAccount, rule_id: str, what: str) -> None:
    if account.association_type is not AssociationType.RESELLER:
        raise RuleViolationError(
            rule_id,
            f"{what} applies only to reseller-model customers",
            fields={
                "code": f"{what.upper().replace(' ', '_')}_NOT_APPLICABLE",
                "customer": account.customer_id,
            },
        )


def _month_window(when: datetime, policy: BudgetPolicy) -> tuple[datetime, datetime]:
    month = Period.at(PeriodKind.MONTH, when, tz=policy.time_zone)
    return month.start(policy.time_zone), month.end(policy.time_zone)


def _marks(budget: Budget, policy: BudgetPolicy) -> tuple[tuple[Decimal, Decimal], ...]:
    """(threshold, spend at which it is reached), exact: ``consumed * 100 >= t * amount``."""
    amount = budget.amount.amount
    thresholds = budget.thresholds or policy.thresholds
    return tuple((t, scale((budget.amount * t).amount, -2)) for t in thresholds) if amount else ()


def _reached(budget: Budget, policy: BudgetPolicy) -> frozenset[Decimal]:
    """Thresholds the spend has reached by the rule ``consumed * 100 >= t * amount``.

    Unlike :func:`_marks` (the alert marks), a zero budget has reached every
    threshold: it sends no alerts (G-01) but keeps its record of fired ones.
    """
    consumed = scale(budget.consumed.amount, 2)
    thresholds = budget.thresholds or policy.thresholds
    return frozenset(t for t in thresholds if consumed >= (budget.amount * t).amount)


def _threshold_events(
    account: BudgetAccount, budget: Budget, when: datetime, policy: BudgetPolicy
) -> tuple[Budget, list[Event]]:
    """Fire every threshold now met and not yet fired (G-03); a zero budget fires none (G-01)."""
    consumed = budget.consumed.amount
    newly = [t for t, mark in _marks(budget, policy) if consumed >= mark and t not in budget.fired]
    if not newly:
        return budget, []
    after = attrs.evolve(budget, fired=budget.fired | frozenset(newly))
    holder = attrs.evolve(account, budget=after)
    events: list[Event] = [
        BudgetThresholdReached(
            occurred_at=when,
            actor=SYSTEM_ACTOR,
            account=holder,
            threshold=t,
            consumed=budget.consumed,
            amount=budget.amount,
            recipients=recipients(account),
        )
        for t in newly
    ]
    return after, events


def _auto_freeze(account: BudgetAccount, when: datetime) -> tuple[BudgetAccount, list[Event]]:
    """Add the ``BUDGET_AUTO`` hold when an automatic budget is at its freeze point."""
    budget = account.budget
    if (
        budget is None
        or budget.freeze_mode is FreezeMode.MANUAL
        or budget.consumed < budget.freeze_point
        or FreezeCause.BUDGET_AUTO in account.causes
    ):
        return account, []
    hold = FreezeHold(
        cause=FreezeCause.BUDGET_AUTO,
        scope=budget.auto_freeze_scope,
        set_by=SYSTEM_ACTOR,
        set_at=when,
        reason="budget exhausted",
    )
    after = _with_hold(account, hold, when)
    return after, [CustomerFrozen(occurred_at=when, actor=SYSTEM_ACTOR, account=after, hold=hold)]


def _with_hold(account: BudgetAccount, hold: FreezeHold, when: datetime) -> BudgetAccount:
    resources = account.resources_frozen_at
    if hold.scope is FreezeScope.ACCOUNT_AND_RESOURCES and resources is None:
        resources = when
    return attrs.evolve(account, holds=(*account.holds, hold), resources_frozen_at=resources)


def _roll(
    account: BudgetAccount, when: datetime, policy: BudgetPolicy
) -> tuple[BudgetAccount, list[Event]]:
    """Restore a monthly budget whose window ended before ``when`` (R-CUST-44, G-08)."""
    budget = account.budget
    if budget is None or budget.window_end is None or when < budget.window_end:
        return account, []
    start, end = _month_window(when, policy)
    zero = budget.amount.currency.zero
    restored = attrs.evolve(
        budget, window_start=start, window_end=end, consumed=zero, fired=frozenset()
    )
    after = attrs.evolve(account, budget=restored)
    events: list[Event] = [
        BudgetPeriodReset(
            occurred_at=when, actor=SYSTEM_ACTOR, account=after, previous_consumed=budget.consumed
        )
    ]
    if policy.auto_unfreeze_on_period_reset and after.causes == {FreezeCause.BUDGET_AUTO}:
        cleared = after.holds
        after = attrs.evolve(after, holds=(), resources_frozen_at=None, retention_warned=False)
        events.append(
            CustomerUnfrozen(
                occurred_at=when,
                actor=SYSTEM_ACTOR,
                reason="monthly budget restored",
                account=after,
                cleared=cleared,
            )
        )
    # Zero spend meets no threshold: a zero budget has none (G-01), others start empty.
    return after, events


def _optional(thresholds: tuple[Decimal, ...] | None) -> tuple[Decimal, ...] | None:
    return None if thresholds is None else tuple(Decimal(t) for t in thresholds)


def _partner_holds(account: BudgetAccount) -> tuple[FreezeHold, ...]:
    return tuple(h for h in account.holds if h.cause is not FreezeCause.PARENT_CASCADE)


def _clear_partner_holds(account: BudgetAccount) -> tuple[BudgetAccount, tuple[FreezeHold, ...]]:
    """Clear every hold the partner controls (G-09); a parent's cascade hold stays."""
    cleared = _partner_holds(account)
    kept = tuple(h for h in account.holds if h.cause is FreezeCause.PARENT_CASCADE)
    resources = any(h.scope is FreezeScope.ACCOUNT_AND_RESOURCES for h in kept)
    after = attrs.evolve(
        account,
        holds=kept,
        resources_frozen_at=account.resources_frozen_at if resources else None,
        retention_warned=account.retention_warned if resources else False,
    )
    return after, cleared


def cascade_freeze(
    account: BudgetAccount,
    *,
    parent: PartnerId,
    frozen: bool,
    actor: ActorId,
    as_of: datetime,
    scope: FreezeScope = FreezeScope.ACCOUNT,
    reason: str = "the partner above froze its sub-accounts",
) -> tuple[BudgetAccount, tuple[Event, ...]]:
    """Apply or lift a parent's freeze on a sub-account (Alibaba's trusteeship cascade).

    ``parent`` must be the account's partner or its distributor.  The
    ``PARENT_CASCADE`` hold is independent of the partner's own holds: the
    partner cannot clear it, and lifting it clears nothing else.
    """
    when = require_aware(as_of)
    if parent not in {account.partner_id, account.distributor_id}:
        raise RuleViolationError(
            "R-CUST-70",
            "only the customer's partner or its distributor cascades a freeze",
            fields={"code": "NOT_A_PARENT", "parent": parent},
        )
    has = FreezeCause.PARENT_CASCADE in account.causes
    if frozen and not has:
        hold = FreezeHold(
            cause=FreezeCause.PARENT_CASCADE, scope=scope, set_by=actor, set_at=when, reason=reason
        )
        after = _with_hold(account, hold, when)
        return after, (
            CustomerFrozen(occurred_at=when, actor=actor, reason=reason, account=after, hold=hold),
        )
    if not frozen and has:
        cleared = tuple(h for h in account.holds if h.cause is FreezeCause.PARENT_CASCADE)
        kept = _partner_holds(account)
        resources = any(h.scope is FreezeScope.ACCOUNT_AND_RESOURCES for h in kept)
        after = attrs.evolve(
            account,
            holds=kept,
            resources_frozen_at=account.resources_frozen_at if resources else None,
        )
        return after, (
            CustomerUnfrozen(
                occurred_at=when, actor=actor, reason=reason, account=after, cleared=cleared
            ),
        )
    return account, ()


def _check_reason(reason: object, policy: BudgetPolicy) -> str:
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidArgumentError("reason", reason, "a reason is required", rule_id="R-CUST-75")
    if len(reason) > policy.reason_max_length:
        raise InvalidArgumentError(
            "reason",
            f"{reason[:20]}... ({len(reason)} characters)",
            f"at most {policy.reason_max_length} characters",
            rule_id="R-CUST-75",
        )
    return reason


def _check_amount(amount: object, policy: BudgetPolicy, argument: str = "amount") -> Money:
    if not isinstance(amount, Money) or amount.is_negative():
        raise InvalidArgumentError(argument, amount, "a budget is a non-negative Money")
    if amount.round(policy.amount_places, rounding=Rounding.DOWN) != amount:
        raise InvalidArgumentError(
            argument, amount, f"at most {policy.amount_places} decimal places (G-01)"
        )
    return amount


# --- account lifecycle --------------------------------------------------------------------


def open_account(
    event: CustomerAssociated, *, policy: BudgetPolicy = HUAWEI_BUDGETS
) -> tuple[BudgetAccount, tuple[Event, ...]]:
    """The budget account of a newly associated customer (R-CUST-32).

    A reseller-model association that leaves the account frozen by default
    adds the ``ASSOCIATION_DEFAULT`` hold; no budget is set yet.
    """
    association = event.association
    account = BudgetAccount(
        association.customer_id,
        association.partner_id,
        association.association_type,
        association.associated_at,
        distributor_id=association.distributor_id,
    )
    if not event.default_freeze:
        return account, (
            BudgetAccountChanged(occurred_at=event.occurred_at, actor=event.actor, account=account),
        )
    hold = FreezeHold(
        cause=FreezeCause.ASSOCIATION_DEFAULT,
        scope=FreezeScope.ACCOUNT,
        set_by=SYSTEM_ACTOR,
        set_at=event.occurred_at,
        reason="associated in the reseller model",
    )
    frozen = _with_hold(account, hold, event.occurred_at)
    return frozen, (
        CustomerFrozen(
            occurred_at=event.occurred_at, actor=SYSTEM_ACTOR, account=frozen, hold=hold
        ),
    )


def close_account(
    account: BudgetAccount, event: CustomerDisassociated
) -> tuple[BudgetAccount, tuple[Event, ...]]:
    """End the budget and the partner's holds with the association (R-CUST-95, G-26)."""
    when = event.occurred_at
    events: list[Event] = []
    after = account
    if after.budget is not None:
        before = after.budget
        after = attrs.evolve(after, budget=None)
        events.append(
            BudgetWithdrawn(
                occurred_at=when,
                actor=event.actor,
                reason="disassociated",
                account=after,
                before=before,
            )
        )
    if after.holds:
        cleared = after.holds
        after = attrs.evolve(after, holds=(), resources_frozen_at=None, retention_warned=False)
        events.append(
            CustomerUnfrozen(
                occurred_at=when,
                actor=event.actor,
                reason="disassociated",
                account=after,
                cleared=cleared,
            )
        )
    return after, tuple(events)


# --- budgets --------------------------------------------------------------------------------


def set_budget(
    account: BudgetAccount,
    *,
    budget_type: BudgetType,
    amount: Money,
    freeze_mode: FreezeMode,
    actor: ActorId,
    as_of: datetime,
    unfreeze_now: bool = False,
    auto_freeze_scope: FreezeScope = FreezeScope.ACCOUNT,
    grace: Money | None = None,
    thresholds: tuple[Decimal, ...] | None = None,
    unfreeze_reason: str = "budget set with Unfreeze Now",
    policy: BudgetPolicy = HUAWEI_BUDGETS,
) -> tuple[BudgetAccount, tuple[Event, ...]]:
    """Set the customer's budget to a target (idempotent by construction).

    The same type keeps the window and its spend: raising re-arms thresholds
    no longer met, lowering can fire them at once (G-03).  The other type
    replaces the budget with a fresh window (G-05).  ``unfreeze_now`` clears
    every hold, resources included, in the same operation (R-CUST-52); an
    exhausted automatic budget then freezes again at the next re-check
    (R-CUST-50).

    >>> from datetime import datetime
    >>> from partnerkit.ids import CustomerId, PartnerId
    >>> from partnerkit.periods import GMT_PLUS_8
    >>> when = datetime(2024, 6, 3, 10, tzinfo=GMT_PLUS_8)
    >>> account = BudgetAccount(CustomerId("c"), PartnerId("p"), AssociationType.RESELLER, when)
    >>> account, events = set_budget(account, budget_type=BudgetType.MONTHLY,
    ...     amount=Money.of("1000.00", "USD"), freeze_mode=FreezeMode.AUTOMATIC,
    ...     actor=ActorId("u"), as_of=when)
    >>> account.budget.window_start.isoformat(), [e.name for e in events]
    ('2024-06-01T00:00:00+08:00', ['BudgetSet'])
    """
    when = require_aware(as_of)
    _require_reseller_model(account, "R-CUST-42", "budget")
    target = _check_amount(amount, policy)
    if not isinstance(budget_type, BudgetType) or not isinstance(freeze_mode, FreezeMode):
        raise InvalidArgumentError(
            "budget_type", budget_type, "expected BudgetType and FreezeMode values"
        )
    if grace is not None:
        _check_amount(grace, policy, "grace")
        if grace.currency != target.currency:
            raise InvalidArgumentError("grace", grace, "must be in the budget's currency")
    current, events = _roll(account, when, policy)
    before = current.budget
    if (
        before is not None
        and before.type is budget_type
        and before.amount.currency == target.currency
    ):
        wanted = (target, freeze_mode, auto_freeze_scope, grace, _optional(thresholds))
        now = (
            before.amount,
            before.freeze_mode,
            before.auto_freeze_scope,
            before.grace,
            before.thresholds,
        )
        if wanted == now and not (unfreeze_now and current.holds):
            return current, tuple(events)  # set-to-target: the same setting changes nothing
        budget = attrs.evolve(
            before,
            amount=target,
            freeze_mode=freeze_mode,
            auto_freeze_scope=auto_freeze_scope,
            grace=grace,
            thresholds=thresholds,
            revision=before.revision + 1,
            fired=frozenset(),
        )
        budget = attrs.evolve(budget, fired=before.fired & _reached(budget, policy))
    elif budget_type is BudgetType.MONTHLY:
        start, end = _month_window(when, policy)
        budget = Budget(
            type=budget_type,
            amount=target,
            freeze_mode=freeze_mode,
            auto_freeze_scope=auto_freeze_scope,
            grace=grace,
            thresholds=thresholds,
            revision=(before.revision + 1) if before else 1,
            window_start=start,
            window_end=end,
            consumed=target.currency.zero,
        )
    else:
        budget = Budget(
            type=budget_type,
            amount=target,
            freeze_mode=freeze_mode,
            auto_freeze_scope=auto_freeze_scope,
            grace=grace,
            thresholds=thresholds,
            revision=(before.revision + 1) if before else 1,
            window_start=when,
            consumed=target.currency.zero,
        )
    after = attrs.evolve(current, budget=budget)
    if after == current:
        return current, tuple(events)
    events.append(
        BudgetSet(occurred_at=when, actor=actor, account=after, before=before, after=budget)
    )
    budget, fired = _threshold_events(after, budget, when, policy)
    after = attrs.evolve(after, budget=budget)
    events.extend(fired)
    after, frozen = _auto_freeze(after, when)
    events.extend(frozen)
    if unfreeze_now and _partner_holds(after):
        after, cleared = _clear_partner_holds(after)
        events.append(
            CustomerUnfrozen(
                occurred_at=when,
                actor=actor,
                reason=unfreeze_reason,
                account=after,
                cleared=cleared,
            )
        )
    return after, tuple(events)


def withdraw_budget(
    account: BudgetAccount,
    *,
    actor: ActorId,
    as_of: datetime,
    policy: BudgetPolicy = HUAWEI_BUDGETS,
) -> tuple[BudgetAccount, tuple[Event, ...]]:
    """Remove the budget (R-CUST-60); the freeze state is unchanged (G-32)."""
    when = require_aware(as_of)
    _require_reseller_model(account, "R-CUST-42", "budget")
    current, events = _roll(account, when, policy)
    if current.budget is None:
        return current, tuple(events)
    before = current.budget
    after = attrs.evolve(current, budget=None)
    events.append(BudgetWithdrawn(occurred_at=when, actor=actor, account=after, before=before))
    return after, tuple(events)


def record_usage(
    account: BudgetAccount,
    amount: Money,
    *,
    at: datetime,
    policy: BudgetPolicy = HUAWEI_BUDGETS,
) -> tuple[BudgetAccount, tuple[Event, ...]]:
    """Count list-price spend (before tax) made at ``at`` against the budget (R-CUST-46).

    Refunds are negative and the spend never drops below zero (4.2).  Spend
    before the association, or before the budget's window, does not count.
    Thresholds fire on crossing; an automatic budget freezes at exhaustion
    (R-CUST-49).  Without a budget, usage changes nothing.
    """
    when = require_aware(at, argument="at")
    if not isinstance(amount, Money):
        raise InvalidArgumentError("amount", amount, "usage is a Money amount")
    if when < account.associated_at or account.budget is None:
        return account, ()
    if amount.currency != account.budget.amount.currency:
        raise InvalidArgumentError("amount", amount, "usage must be in the budget's currency")
    current, events = _roll(account, when, policy)
    budget = cast(Budget, current.budget)  # rolling keeps the budget
    if when < budget.window_start:
        return current, tuple(events)
    spent = budget.consumed + amount
    budget = attrs.evolve(
        budget, consumed=spent if not spent.is_negative() else spent.currency.zero
    )
    after = attrs.evolve(current, budget=budget)
    events.append(UsageRecorded(occurred_at=when, actor=SYSTEM_ACTOR, account=after, amount=amount))
    budget, fired = _threshold_events(after, budget, when, policy)
    after = attrs.evolve(after, budget=budget)
    events.extend(fired)
    after, frozen = _auto_freeze(after, when)
    events.extend(frozen)
    return after, tuple(events)


def as_of(
    account: BudgetAccount, when: datetime, *, policy: BudgetPolicy = HUAWEI_BUDGETS
) -> BudgetAccount:
    """The account as it stands at ``when`` for queries: a month that ended is restored.

    Unlike :func:`recheck` it adds no freeze: an unfrozen, exhausted automatic
    budget stays unfrozen until the scheduled check (R-CUST-50).
    """
    current, _ = _roll(account, require_aware(when), policy)
    return current


def recheck(
    account: BudgetAccount, *, as_of: datetime, policy: BudgetPolicy = HUAWEI_BUDGETS
) -> tuple[BudgetAccount, tuple[Event, ...]]:
    """The scheduled (hourly) check: restore months, re-freeze, retention timers.

    An automatic budget still exhausted is frozen again (R-CUST-50, R-CUST-79).
    Resources frozen for the retention period are released; a warning comes
    ``policy.retention_warning`` before (R-CUST-74, 5.3).
    """
    when = require_aware(as_of)
    after, events = _roll(account, when, policy)
    after, frozen = _auto_freeze(after, when)
    events.extend(frozen)
    started = after.resources_frozen_at
    if started is not None and not after.resources_released:
        release_at = started + policy.resource_retention
        if when >= release_at:
            after = attrs.evolve(after, resources_released=True, retention_warned=True)
            events.append(ResourcesReleased(occurred_at=when, actor=SYSTEM_ACTOR, account=after))
        elif when >= release_at - policy.retention_warning and not after.retention_warned:
            after = attrs.evolve(after, retention_warned=True)
            events.append(
                ResourceRetentionExpiring(
                    occurred_at=when, actor=SYSTEM_ACTOR, account=after, release_at=release_at
                )
            )
    return after, tuple(events)


# --- freezing -------------------------------------------------------------------------------


def freeze(
    account: BudgetAccount,
    *,
    scope: FreezeScope,
    reason: str,
    actor: ActorId,
    as_of: datetime,
    policy: BudgetPolicy = HUAWEI_BUDGETS,
) -> tuple[BudgetAccount, tuple[Event, ...]]:
    """The partner freezes the account, or the account and resources (R-CUST-71..75).

    Freezing again with a wider scope escalates the manual hold; the same
    scope again changes nothing.
    """
    when = require_aware(as_of)
    _require_reseller_model(account, "R-CUST-70", "freeze")
    text = _check_reason(reason, policy)
    if not isinstance(scope, FreezeScope):
        raise InvalidArgumentError("scope", scope, "expected a FreezeScope")
    manual = [h for h in account.holds if h.cause is FreezeCause.PARTNER_MANUAL]
    if any(h.scope is scope or h.scope is FreezeScope.ACCOUNT_AND_RESOURCES for h in manual):
        return account, ()
    hold = FreezeHold(
        cause=FreezeCause.PARTNER_MANUAL, scope=scope, set_by=actor, set_at=when, reason=text
    )
    kept = tuple(h for h in account.holds if h.cause is not FreezeCause.PARTNER_MANUAL)
    after = _with_hold(attrs.evolve(account, holds=kept), hold, when)
    return after, (
        CustomerFrozen(occurred_at=when, actor=actor, reason=text, account=after, hold=hold),
    )


def unfreeze(
    account: BudgetAccount,
    *,
    scope: FreezeScope,
    reason: str,
    actor: ActorId,
    as_of: datetime,
    partner_frozen: bool = False,
    policy: BudgetPolicy = HUAWEI_BUDGETS,
) -> tuple[BudgetAccount, tuple[Event, ...]]:
    """The partner unfreezes: every partner-controllable hold is cleared (G-09).

    An account-only unfreeze is refused while resources are frozen (G-10);
    the partner's own frozen account refuses it too (R-CUST-78).  If an
    automatic budget is still exhausted, the next re-check freezes again.
    """
    when = require_aware(as_of)
    _require_reseller_model(account, "R-CUST-70", "freeze")
    text = _check_reason(reason, policy)
    if partner_frozen:
        raise RuleViolationError(
            "R-CUST-78",
            "the partner's own account is frozen; unfreezing customers fails",
            fields={"code": "PARTNER_ACCOUNT_FROZEN"},
        )
    if not isinstance(scope, FreezeScope):
        raise InvalidArgumentError("scope", scope, "expected a FreezeScope")
    if scope is FreezeScope.ACCOUNT and account.scope is FreezeScope.ACCOUNT_AND_RESOURCES:
        raise RuleViolationError(
            "R-CUST-73",
            "resources are frozen: unfreeze the account and resources",
            fields={"code": "RESOURCES_FROZEN"},
        )
    if not _partner_holds(account):
        return account, ()
    after, cleared = _clear_partner_holds(account)
    return after, (
        CustomerUnfrozen(
            occurred_at=when, actor=actor, reason=text, account=after, cleared=cleared
        ),
    )


# --- the single decision point (5.6, R-CUST-72) ------------------------------------------------

_PURCHASES = frozenset(
    {
        Operation.YEARLY_MONTHLY_PURCHASE,
        Operation.RESERVED_INSTANCE_PURCHASE,
        Operation.PAY_PER_USE_PURCHASE,
    }
)
_ALLOWED_WHEN_ACCOUNT_FROZEN = frozenset({Operation.UNSUBSCRIBE, Operation.RENAME, Operation.VIEW})


def evaluate_operation(
    account: BudgetAccount,
    operation: Operation,
    *,
    partner_restricted: bool = False,
    policy: BudgetPolicy = HUAWEI_BUDGETS,
) -> Decision:
    """May the customer do ``operation`` now? Every reason, most important first (5.6).

    1. the partner's consumption quota is used up (R-CUST-83);
    2. the account is frozen: purchases, renewals and changes are blocked,
       unsubscribing, renaming and viewing are not (R-CUST-72); frozen
       resources leave only viewing (R-CUST-73, DESIGN CHOICE);
    3. an exhausted budget blocks yearly/monthly and reserved-instance
       purchases, and pay-per-use ones only by policy (R-CUST-48);
    4. a reseller-model customer without a budget cannot purchase (G-32, G-33).

    Referral customers are never restricted by partner budgets or freezes.
    """
    if not isinstance(operation, Operation):
        raise InvalidArgumentError("operation", operation, "expected an Operation")
    if account.association_type is not AssociationType.RESELLER:
        return Decision.allow()
    reasons: list[Reason] = []
    if partner_restricted and operation in _PURCHASES:
        reasons.append(
            Reason(
                "PARTNER_QUOTA_EXHAUSTED", "R-CUST-83", "the partner's consumption quota is used up"
            )
        )
    scope = account.scope
    if scope is FreezeScope.ACCOUNT_AND_RESOURCES and operation is not Operation.VIEW:
        reasons.append(
            Reason(
                "RESOURCES_FROZEN",
                "R-CUST-73",
                "the account and its resources are frozen",
                {"causes": sorted(c.value for c in account.causes)},
            )
        )
    elif scope is FreezeScope.ACCOUNT and operation not in _ALLOWED_WHEN_ACCOUNT_FROZEN:
        reasons.append(
            Reason(
                "ACCOUNT_FROZEN",
                "R-CUST-72",
                "the account is frozen",
                {"causes": sorted(c.value for c in account.causes)},
            )
        )
    budget = account.budget
    if budget is not None and budget.exhausted:
        blocked = {Operation.YEARLY_MONTHLY_PURCHASE, Operation.RESERVED_INSTANCE_PURCHASE}
        if (
            policy.restrict_pay_per_use_when_exhausted_manual
            or budget.freeze_mode is not FreezeMode.MANUAL
        ):
            blocked.add(Operation.PAY_PER_USE_PURCHASE)
        if operation in blocked:
            reasons.append(
                Reason(
                    "BUDGET_EXHAUSTED",
                    "R-CUST-48",
                    "the budget is used up",
                    {"consumed": str(budget.consumed), "amount": str(budget.amount)},
                )
            )
    if budget is None and operation in _PURCHASES:
        reasons.append(Reason("NO_BUDGET", "R-CUST-42", "the partner has not set a budget yet"))
    return Decision.of(reasons)
