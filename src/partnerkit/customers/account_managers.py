"""Account managers (SM-9) and customer churn alerts (SM-10).

One account manager per customer.  Attribution of spend starts the day after
assignment (policy: or the 1st of that month) and an unassignment takes
effect on the 1st of the next month in GMT+08:00 (R-CUST-129, R-CUST-131).

>>> from datetime import datetime
>>> from partnerkit.periods import GMT_PLUS_8
>>> a, _ = assign_account_manager(None, CustomerId("c"), PartnerId("p"), ActorId("am01"),
...     actor=ActorId("admin"), as_of=datetime(2024, 5, 10, 15, 0, tzinfo=GMT_PLUS_8))
>>> a.attribution_from.isoformat()
'2024-05-11T00:00:00+08:00'
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time, timedelta
from typing import final

import attrs

import partnerkit._validators as _v
from partnerkit.customers.policy import HUAWEI, AttributionStart, CustomerPolicy
from partnerkit.errors import InvalidArgumentError, PermissionDeniedError, RuleViolationError
from partnerkit.events import Event
from partnerkit.ids import ActorId, CustomerId, PartnerId
from partnerkit.periods import Period, PeriodKind, require_aware

__all__ = [
    "AccountManagerAssignment",
    "AccountManagerChanged",
    "AlertChanged",
    "AlertStatus",
    "CustomerAlert",
    "LossReason",
    "NotLostFeedback",
    "assign_account_manager",
    "attributed_manager",
    "end_assignment",
    "handle_alert",
    "unassign_account_manager",
]


@final
@attrs.frozen
class AccountManagerAssignment:
    """Who manages a customer, and the window of spend credited to them.

    Attributes:
        manager: The current AM; ``None`` once the unassignment took effect.
        attribution_from: First instant of spend credited to ``manager``.
        attribution_until: First instant *not* credited (the 1st of next month
            after an unassignment), or ``None``.
        history: Earlier ``(manager, from, until)`` windows (R-CUST-132).
    """

    customer_id: CustomerId = attrs.field(validator=_v.text)
    partner_id: PartnerId = attrs.field(validator=_v.text)
    manager: ActorId | None
    assigned_at: datetime = attrs.field(validator=_v.aware)
    attribution_from: datetime = attrs.field(validator=_v.aware)
    attribution_until: datetime | None = attrs.field(default=None, validator=_v.optional_aware)
    history: tuple[tuple[ActorId, datetime, datetime], ...] = ()
    version: int = attrs.field(default=0, kw_only=True)


@attrs.frozen(kw_only=True)
class AccountManagerChanged(Event):
    """An account manager was assigned, changed or unassigned."""

    before: AccountManagerAssignment | None
    after: AccountManagerAssignment

    def snapshots(self) -> tuple[object, ...]:
        """The stored values after the change."""
        return (self.after,)


def _midnight(day: date, policy: CustomerPolicy) -> datetime:
    return datetime.combine(day, time(0), tzinfo=policy.time_zone)


def _attribution_start(when: datetime, policy: CustomerPolicy) -> datetime:
    local = when.astimezone(policy.time_zone).date()
    if policy.attribution_start is AttributionStart.MONTH_START:
        return _midnight(local.replace(day=1), policy)
    return _midnight(local + timedelta(days=1), policy)


def _next_month_start(when: datetime, policy: CustomerPolicy) -> datetime:
    month = Period.at(PeriodKind.MONTH, when, tz=policy.time_zone)
    return month.end(policy.time_zone)


def _effective(current: AccountManagerAssignment | None, when: datetime) -> ActorId | None:
    """The manager still holding rights at ``when`` (an unassignment is deferred)."""
    if current is None or current.manager is None:
        return None
    if current.attribution_until is not None and when >= current.attribution_until:
        return None
    return current.manager


def assign_account_manager(
    current: AccountManagerAssignment | None,
    customer_id: CustomerId,
    partner_id: PartnerId,
    manager: ActorId,
    *,
    actor: ActorId,
    as_of: datetime,
    change: bool = False,
    policy: CustomerPolicy = HUAWEI,
) -> tuple[AccountManagerAssignment, tuple[AccountManagerChanged, ...]]:
    """Assign ``manager`` to a customer (R-CUST-127, R-CUST-128).

    A customer with an AM cannot be assigned again (``CUSTOMER_ALREADY_ASSIGNED``)
    unless ``change=True`` (changing it from the customer details, G-22): the
    old AM keeps attribution until the 1st of next month and the new one
    starts at the later of that and its normal start, so windows never overlap.
    """
    when = require_aware(as_of)
    if not isinstance(manager, str) or not manager:
        raise InvalidArgumentError("manager", manager, "expected an account-manager user id")
    holder = _effective(current, when)
    start = _attribution_start(when, policy)
    history = current.history if current is not None else ()
    if holder is not None and current is not None:
        if not change:
            raise RuleViolationError(
                "R-CUST-128",
                "the customer already has an account manager",
                fields={"code": "CUSTOMER_ALREADY_ASSIGNED", "manager": holder},
            )
        if holder == manager:
            return current, ()
        old_until = current.attribution_until or _next_month_start(when, policy)
        history = (*history, (holder, current.attribution_from, old_until))
        start = max(start, old_until)
    elif current is not None and current.manager is not None:
        until = current.attribution_until or when
        history = (*history, (current.manager, current.attribution_from, until))
    after = AccountManagerAssignment(customer_id, partner_id, manager, when, start, None, history)
    event = AccountManagerChanged(occurred_at=when, actor=actor, before=current, after=after)
    return after, (event,)


def unassign_account_manager(
    current: AccountManagerAssignment,
    *,
    actor: ActorId,
    as_of: datetime,
    policy: CustomerPolicy = HUAWEI,
) -> tuple[AccountManagerAssignment, tuple[AccountManagerChanged, ...]]:
    """Schedule the end of an assignment for the 1st of next month, GMT+08:00 (R-CUST-131)."""
    when = require_aware(as_of)
    if _effective(current, when) is None:
        raise RuleViolationError(
            "R-CUST-131",
            "the customer has no account manager to unassign",
            fields={"code": "NOT_ASSIGNED"},
        )
    if current.attribution_until is not None:
        return current, ()
    after = attrs.evolve(current, attribution_until=_next_month_start(when, policy))
    return after, (
        AccountManagerChanged(occurred_at=when, actor=actor, before=current, after=after),
    )


def end_assignment(
    current: AccountManagerAssignment, *, actor: ActorId, as_of: datetime, reason: str
) -> tuple[AccountManagerAssignment, tuple[AccountManagerChanged, ...]]:
    """End an assignment at once (disassociation, G-26), attribution up to ``as_of``."""
    when = require_aware(as_of)
    if _effective(current, when) is None:
        return current, ()
    after = attrs.evolve(current, attribution_until=when)
    event = AccountManagerChanged(
        occurred_at=when, actor=actor, reason=reason, before=current, after=after
    )
    return after, (event,)


def attributed_manager(
    assignment: AccountManagerAssignment | None, spent_at: datetime
) -> ActorId | None:
    """Whose spend is an expenditure made at ``spent_at`` (R-CUST-129, R-CUST-131)?

    >>> from partnerkit.periods import GMT_PLUS_8
    >>> a, _ = assign_account_manager(None, CustomerId("c"), PartnerId("p"), ActorId("am01"),
    ...     actor=ActorId("admin"), as_of=datetime(2024, 5, 10, tzinfo=GMT_PLUS_8))
    >>> attributed_manager(a, datetime(2024, 5, 10, 12, tzinfo=GMT_PLUS_8)) is None
    True
    >>> attributed_manager(a, datetime(2024, 5, 11, 12, tzinfo=GMT_PLUS_8))
    'am01'
    """
    when = require_aware(spent_at, argument="spent_at")
    if assignment is None:
        return None
    for manager, start, until in assignment.history:
        if start <= when < until:
            return manager
    if assignment.manager is None or when < assignment.attribution_from:
        return None
    if assignment.attribution_until is not None and when >= assignment.attribution_until:
        return None
    return assignment.manager


# --- customer alerts (SM-10, R-CUST-139..142) ---------------------------------------------


class AlertStatus(enum.Enum):
    """Whether an alert still waits for its handler."""

    UNHANDLED = "unhandled"
    HANDLED = "handled"


class LossReason(enum.Enum):
    """Why a lost customer was lost (R-CUST-141)."""

    PRODUCT_CAPABILITY = "Product capability"
    COMMERCE = "Commerce"
    COMPETITOR = "Competitor"
    SERVICE_SUSPENSION = "Customer service suspension"
    SHORT_TERM_SERVICE = "Short-term customer service"
    OTHER = "Other"


class NotLostFeedback(enum.Enum):
    """What is going on with a customer that was not lost (R-CUST-141)."""

    SERVICE_ADJUSTMENT = "Service adjustment, in regular contact"
    NEW_EXPENDITURE = "New customer expenditure"
    SERVICE_CONTRACTION = "Customer service contraction"
    NORMAL_FLUCTUATION = "Normal customer expenditure fluctuation"
    OTHER = "Other"


@final
@attrs.frozen
class CustomerAlert:
    """A churn ("Loss") alert about a customer, ingested from the vendor (G-23)."""

    id: str = attrs.field(validator=_v.text)
    customer_id: CustomerId = attrs.field(validator=_v.text)
    partner_id: PartnerId = attrs.field(validator=_v.text)
    title: str = attrs.field(validator=_v.text)
    alerted_at: datetime = attrs.field(validator=_v.aware)
    status: AlertStatus = AlertStatus.UNHANDLED
    handled_by: ActorId | None = None
    handled_at: datetime | None = attrs.field(default=None, validator=_v.optional_aware)
    customer_lost: bool | None = None
    loss_reason: LossReason | None = None
    not_lost_feedback: NotLostFeedback | None = None
    version: int = attrs.field(default=0, kw_only=True)


@attrs.frozen(kw_only=True)
class AlertChanged(Event):
    """An alert was handled."""

    before: CustomerAlert
    after: CustomerAlert

    def snapshots(self) -> tuple[object, ...]:
        """The stored values after the change."""
        return (self.after,)


def handle_alert(
    alert: CustomerAlert,
    *,
    actor: ActorId,
    actor_is_partner_handler: bool,
    assignment: AccountManagerAssignment | None,
    customer_lost: bool,
    as_of: datetime,
    loss_reason: LossReason | None = None,
    not_lost_feedback: NotLostFeedback | None = None,
) -> tuple[CustomerAlert, tuple[AlertChanged, ...]]:
    """Process an alert: exactly one handler, with a required answer (R-CUST-140, R-CUST-141).

    The handler is the customer's AM when one is assigned, otherwise the
    partner (``actor_is_partner_handler``: an admin or a user allowed to
    manage the partner's alerts).
    """
    when = require_aware(as_of)
    if alert.status is AlertStatus.HANDLED:
        raise RuleViolationError(
            "R-CUST-140", "the alert was already handled",
            fields={"code": "ALERT_ALREADY_HANDLED", "handled_by": alert.handled_by},
        )  # fmt: skip
    manager = _effective(assignment, when)
    if (manager is not None and actor != manager) or (
        manager is None and not actor_is_partner_handler
    ):
        raise PermissionDeniedError(
            actor, "handle", alert.id, rule_id="R-CUST-140",
            reason="the alert belongs to the customer's account manager, or to the partner if none",
        )  # fmt: skip
    if not isinstance(customer_lost, bool):
        raise InvalidArgumentError(
            "customer_lost", customer_lost, "answer yes or no", rule_id="R-CUST-141"
        )
    if customer_lost and not isinstance(loss_reason, LossReason):
        raise InvalidArgumentError(
            "loss_reason", loss_reason, "a lost customer needs a reason", rule_id="R-CUST-141"
        )
    if not customer_lost and not isinstance(not_lost_feedback, NotLostFeedback):
        raise InvalidArgumentError(
            "not_lost_feedback", not_lost_feedback, "a customer not lost needs feedback",
            rule_id="R-CUST-141",
        )  # fmt: skip
    after = attrs.evolve(
        alert, status=AlertStatus.HANDLED, handled_by=actor, handled_at=when,
        customer_lost=customer_lost, loss_reason=loss_reason if customer_lost else None,
        not_lost_feedback=None if customer_lost else not_lost_feedback,
    )  # fmt: skip
    return after, (AlertChanged(occurred_at=when, actor=actor, before=alert, after=after),)
