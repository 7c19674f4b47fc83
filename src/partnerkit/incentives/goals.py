"""The annual revenue goal and the growth rebate it gates (1.7, 2.12, 3.3; R-INC-22..28).

A goal below the review threshold (360,000 USD) takes effect when it is
submitted and can never change (R-INC-23); a goal at or above it is reviewed
within 5 working days and is immutable once approved (R-INC-24).  Only a goal
under review can be withdrawn, with a reason (R-INC-25); one live goal per
partner and year (R-INC-28, DC-INC-39).  A committed goal that *exceeds* the
threshold makes the partner eligible for the growth rebate (R-INC-26; the
comparison is a policy switch, DC-INC-08).  Completion is revenue over goal,
truncated to 2 places (R-INC-27, DC-INC-38).

>>> from datetime import datetime
>>> from partnerkit.periods import GMT_PLUS_8
>>> goal, _ = submit_goal((), PartnerId("p"), 2023, Money.of(350000, "USD"),
...     actor=ActorId("admin"), administrator=True, as_of=datetime(2023, 2, 22, 15, 39, 4,
...     tzinfo=GMT_PLUS_8))
>>> goal.status, goal.approved_at == goal.created_at
(<AnnualGoalStatus.EFFECTIVE: 'effective'>, True)
>>> completion_rate(Money.of(16600, "USD"), goal.goal)
Decimal('4.74')
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import final

import attrs

import partnerkit._validators as _v
from partnerkit.calendars import WeekdayCalendar, WorkingCalendar, add_working_days
from partnerkit.decisions import Decision, Reason
from partnerkit.eligibility.network import goal_completion_percent
from partnerkit.errors import InvalidArgumentError, PermissionDeniedError, RuleViolationError
from partnerkit.events import Event
from partnerkit.ids import ActorId, PartnerId
from partnerkit.money import Money
from partnerkit.periods import GMT_PLUS_8, require_aware

__all__ = [
    "HUAWEI_GOALS",
    "AnnualGoal",
    "AnnualGoalChanged",
    "AnnualGoalStatus",
    "GoalImmutableError",
    "GoalPolicy",
    "approve_goal",
    "completion_rate",
    "growth_base",
    "growth_rebate_eligible",
    "modify_goal",
    "reject_goal",
    "review_due",
    "submit_goal",
    "withdraw_goal",
]


class AnnualGoalStatus(enum.Enum):
    """An annual revenue goal's status (3.3)."""

    EFFECTIVE = "effective"
    APPROVING = "approving"
    APPROVED = "approved"
    WITHDRAWN = "withdrawn"
    REJECTED = "rejected"


_LIVE = frozenset(
    {AnnualGoalStatus.EFFECTIVE, AnnualGoalStatus.APPROVING, AnnualGoalStatus.APPROVED}
)
_COMMITTED = frozenset({AnnualGoalStatus.EFFECTIVE, AnnualGoalStatus.APPROVED})


class GoalImmutableError(RuleViolationError):
    """An effective or approved goal was asked to change (R-INC-23, R-INC-24)."""


@final
@attrs.frozen(kw_only=True)
class GoalPolicy:
    """The goal rules of a vendor (DC-INC-08).

    Attributes:
        review_threshold: Goals at or above it are reviewed (360,000 USD).
        review_working_days: The review's promised duration (5 working days).
        growth_inclusive: Whether a goal *equal* to the threshold earns the
            growth rebate (``False``: the literal "exceeds").
        calendar: Working days for the review deadline.
    """

    review_threshold: Money = attrs.field(default=Money.of(360000, "USD"), validator=_v.money)
    review_working_days: int = 5
    growth_inclusive: bool = False
    calendar: WorkingCalendar = attrs.field(factory=WeekdayCalendar)


#: Huawei's goal rules.
HUAWEI_GOALS = GoalPolicy()


@final
@attrs.frozen(kw_only=True)
class AnnualGoal:
    """A partner's revenue goal for a calendar year (1.7)."""

    partner_id: PartnerId = attrs.field(validator=_v.text)
    year: int
    goal: Money = attrs.field(validator=_v.money)
    status: AnnualGoalStatus
    created_at: datetime = attrs.field(validator=_v.aware)
    approved_at: datetime | None = attrs.field(default=None, validator=_v.optional_aware)
    withdraw_reason: str | None = None
    version: int = 0


@attrs.frozen(kw_only=True)
class AnnualGoalChanged(Event):
    """A goal was submitted, approved, rejected or withdrawn."""

    before: AnnualGoal | None
    after: AnnualGoal

    def snapshots(self) -> tuple[object, ...]:
        """The stored goal after the change."""
        return (self.after,)


def submit_goal(
    existing: Iterable[AnnualGoal],
    partner_id: PartnerId,
    year: int,
    goal: Money,
    *,
    actor: ActorId,
    as_of: datetime,
    administrator: bool,
    permitted: bool = False,
    policy: GoalPolicy = HUAWEI_GOALS,
) -> tuple[AnnualGoal, tuple[AnnualGoalChanged, ...]]:
    """Submit a goal: effective at once below the threshold, else under review (R-INC-22..24, 28).

    Only the administrator, or a member granted the permission, may set it
    (R-INC-22); a second live goal for the year is refused (R-INC-28).
    """
    when = require_aware(as_of)
    if not administrator and not permitted:
        raise PermissionDeniedError(
            actor,
            "set the annual revenue goal",
            partner_id,
            rule_id="R-INC-22",
            reason="only the administrator, unless a member was granted the permission",
        )
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 9999:
        raise InvalidArgumentError("year", year, "a calendar year")
    if not isinstance(goal, Money) or not goal.is_positive():
        raise InvalidArgumentError("goal", goal, "a goal greater than 0", rule_id="R-INC-23")
    if goal.currency != policy.review_threshold.currency:
        raise InvalidArgumentError("goal", goal, f"a goal in {policy.review_threshold.currency}")
    live = [
        g for g in existing if g.partner_id == partner_id and g.year == year and g.status in _LIVE
    ]
    if live:
        raise RuleViolationError(
            "R-INC-28",
            f"partner {partner_id} already has a {live[0].status.value} goal for {year}",
            fields={"partner_id": partner_id, "year": year, "status": live[0].status.value},
        )
    reviewed = goal >= policy.review_threshold
    created = AnnualGoal(
        partner_id=partner_id,
        year=year,
        goal=goal,
        status=AnnualGoalStatus.APPROVING if reviewed else AnnualGoalStatus.EFFECTIVE,
        created_at=when,
        approved_at=None if reviewed else when,
    )
    return created, (AnnualGoalChanged(occurred_at=when, actor=actor, before=None, after=created),)


def review_due(goal: AnnualGoal, *, policy: GoalPolicy = HUAWEI_GOALS) -> date:
    """The last day of the promised review: 5 working days after submission (C9, R-INC-24).

    >>> from partnerkit.periods import GMT_PLUS_8
    >>> g = AnnualGoal(partner_id=PartnerId("p"), year=2023, goal=Money.of(390000, "USD"),
    ...     status=AnnualGoalStatus.APPROVING,
    ...     created_at=datetime(2023, 3, 14, 15, 40, 45, tzinfo=GMT_PLUS_8))
    >>> review_due(g)
    datetime.date(2023, 3, 21)
    """
    day = goal.created_at.astimezone(GMT_PLUS_8).date()
    return add_working_days(policy.calendar, day, policy.review_working_days)


def _decide(
    goal: AnnualGoal,
    to: AnnualGoalStatus,
    *,
    actor: ActorId,
    as_of: datetime,
    rule_id: str,
    reason: str | None = None,
) -> tuple[AnnualGoal, tuple[AnnualGoalChanged, ...]]:
    when = require_aware(as_of)
    if goal.status is not AnnualGoalStatus.APPROVING:
        raise RuleViolationError(
            rule_id,
            f"only a goal under review can become {to.value}, not a {goal.status.value}",
            fields={"status": goal.status.value, "requested": to.value},
        )
    after = attrs.evolve(
        goal,
        status=to,
        approved_at=when if to is AnnualGoalStatus.APPROVED else None,
        withdraw_reason=reason,
        version=goal.version + 1,
    )
    event = AnnualGoalChanged(
        occurred_at=when, actor=actor, reason=reason, before=goal, after=after
    )
    return after, (event,)


def approve_goal(
    goal: AnnualGoal, *, actor: ActorId, as_of: datetime
) -> tuple[AnnualGoal, tuple[AnnualGoalChanged, ...]]:
    """The vendor approves a goal under review; it is then immutable (R-INC-24)."""
    return _decide(goal, AnnualGoalStatus.APPROVED, actor=actor, as_of=as_of, rule_id="R-INC-24")


def reject_goal(
    goal: AnnualGoal, *, actor: ActorId, as_of: datetime, reason: str
) -> tuple[AnnualGoal, tuple[AnnualGoalChanged, ...]]:
    """The vendor rejects a goal under review; a new one may be submitted (3.3, DC-INC-39)."""
    return _decide(
        goal, AnnualGoalStatus.REJECTED, actor=actor, as_of=as_of, rule_id="R-INC-24", reason=reason
    )


def withdraw_goal(
    goal: AnnualGoal, *, actor: ActorId, as_of: datetime, reason: str
) -> tuple[AnnualGoal, tuple[AnnualGoalChanged, ...]]:
    """Withdraw a goal under review; a reason is required (R-INC-25)."""
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidArgumentError("reason", reason, "a withdrawal reason", rule_id="R-INC-25")
    return _decide(
        goal,
        AnnualGoalStatus.WITHDRAWN,
        actor=actor,
        as_of=as_of,
        rule_id="R-INC-25",
        reason=reason,
    )


def modify_goal(goal: AnnualGoal, new_goal: Money) -> AnnualGoal:
    """Goals never change in place: effective and approved ones are immutable (R-INC-23, R-INC-24).

    A goal under review is withdrawn and submitted again instead (R-INC-25).
    This function exists so that callers get the rule's error.
    """
    if goal.status in _COMMITTED:
        rule = "R-INC-23" if goal.status is AnnualGoalStatus.EFFECTIVE else "R-INC-24"
        raise GoalImmutableError(
            rule,
            f"the {goal.status.value} {goal.year} goal can never be changed",
            fields={"status": goal.status.value, "goal": goal.goal, "requested": new_goal},
        )
    raise RuleViolationError(
        "R-INC-25",
        f"a {goal.status.value} goal is not changed: withdraw it and submit another",
        fields={"status": goal.status.value, "requested": new_goal},
    )


def growth_rebate_eligible(
    goal: AnnualGoal | None, *, policy: GoalPolicy = HUAWEI_GOALS
) -> Decision:
    """A committed goal exceeding the threshold opens the growth rebate (R-INC-26, DC-INC-08).

    Committed means effective or approved; "exceeds" is strict unless the
    policy's ``growth_inclusive`` switch is on.
    """
    if goal is None or goal.status not in _COMMITTED:
        return Decision.deny(
            Reason("NO_COMMITTED_GOAL", "R-INC-26", "no effective or approved goal for the year")
        )
    threshold = policy.review_threshold
    enough = goal.goal >= threshold if policy.growth_inclusive else goal.goal > threshold
    if enough:
        return Decision.allow()
    return Decision.deny(
        Reason(
            "GOAL_TOO_LOW",
            "R-INC-26",
            f"the goal must exceed {threshold}",
            {"goal": goal.goal, "threshold": threshold, "inclusive": policy.growth_inclusive},
        )
    )


def completion_rate(revenue_earned: Money, goal: Money) -> Decimal:
    """Revenue earned over the goal, in percent, truncated to 2 places (R-INC-27, DC-INC-38).

    >>> completion_rate(Money.of("-56.00", "USD"), Money.of("10.10", "USD"))
    Decimal('-554.45')
    """
    return goal_completion_percent(revenue_earned, goal)


def growth_base(this_year: Money, last_year: Money) -> Money:
    """The growth rebate's base: the increase over last year, never below zero (DC-INC-07).

    >>> growth_base(Money.of(500000, "USD"), Money.of(420000, "USD"))
    Money('80000', 'USD')
    """
    increase = this_year - last_year
    return increase if increase.is_positive() else this_year.currency.zero
