"""Opportunities, shared opportunities and marketing tasks (section 5.J).

Own-pipeline opportunities belong to the account manager who creates them
for its own customers; directors only view (R-ELIG-106, R-ELIG-107).  The
phase changes only through "specify progress", which logs it (R-ELIG-109).
Vendor-shared opportunities must be accepted within 3 working days or are
rejected automatically (R-ELIG-113); partner-originated ones need PCE
(R-ELIG-111).

>>> from datetime import timezone
>>> from partnerkit.calendars import WEEKENDS
>>> ho_accept_deadline(datetime(2024, 3, 2, 9, 0, tzinfo=timezone.utc), WEEKENDS).isoformat()
'2024-03-07T00:00:00+00:00'
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import datetime, time, timedelta
from typing import Any, final

import attrs
from dateutil.relativedelta import relativedelta

import partnerkit._validators as _v
from partnerkit.calendars import WEEKENDS, WorkingCalendar, add_working_days, roll_forward
from partnerkit.decisions import Decision, Reason
from partnerkit.errors import InvalidArgumentError, RuleViolationError
from partnerkit.periods import require_aware
from partnerkit.permissions import OrgRole

__all__ = [
    "PREREGISTRATION_VALIDITY",
    "CallOutcome",
    "Interest",
    "Opportunity",
    "OpportunityType",
    "ProgressEntry",
    "ho_accept_deadline",
    "ho_auto_rejected",
    "may_complete_task",
    "may_create_opportunity",
    "may_create_po",
    "may_reject_ho",
    "may_view_tasks",
    "preregistration_valid",
    "shared_overview",
    "visible_opportunities",
]

#: A pre-registration lasts 15 days (R-ELIG-110).
PREREGISTRATION_VALIDITY = timedelta(days=15)


def may_create_opportunity(
    roles: Iterable[OrgRole], *, owns_customer: bool, reseller_customer_of_distributor: bool = False
) -> Decision:
    """Account managers create opportunities for their own customers (R-ELIG-106).

    Directors only view; a distributor may also create them for its
    resellers' customers.
    """
    held = frozenset(roles)
    reasons = []
    if OrgRole.ACCOUNT_DIRECTOR in held and OrgRole.ACCOUNT_MANAGER not in held:
        reasons.append(Reason("VIEW_ONLY_ROLE", "R-ELIG-106", "account directors only view"))
    elif not (owns_customer or reseller_customer_of_distributor):
        reasons.append(Reason("NOT_CUSTOMER_OWNER", "R-ELIG-106", "only for your own customers"))
    return Decision.of(reasons)


class OpportunityType(enum.Enum):
    """Opportunity types (R-ELIG-108)."""

    NEW = "new"
    CONTINUOUS_OPERATIONS = "continuous-operations"


@final
@attrs.frozen
class ProgressEntry:
    """One "specify progress" entry: phase, win probability, when, and a note."""

    phase: str
    win_probability: int
    at: datetime
    note: str = ""


def _percent(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise InvalidArgumentError(
            attribute.name, value, "a whole percent 0..100", rule_id="R-ELIG-108"
        )


def _short(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or len(value) > 1000:
        raise InvalidArgumentError(attribute.name, value, "text of at most 1,000 characters",
                                   rule_id="R-ELIG-108")  # fmt: skip


@final
@attrs.frozen(kw_only=True)
class Opportunity:
    """An own-pipeline opportunity with its mandatory fields (R-ELIG-108).

    Attributes:
        opportunity_id: Its id.
        customer_id: The customer.
        owner: The account manager who created it.
        name: Its name.
        type: New or continuous operations.
        phase: Its development phase.
        win_probability: 0..100.
        bidding: Whether it is a bidding project.
        monthly_revenue: Estimated monthly revenue (a positive number, as text of the unit).
        notes: Free text (at most 1,000 characters).
        progress: The progress log.
        version: Storage version.
    """

    opportunity_id: str = attrs.field(validator=_v.text)
    customer_id: str = attrs.field(validator=_v.text)
    owner: str = attrs.field(validator=_v.text)
    name: str = attrs.field(validator=[_v.text, _short])
    type: OpportunityType
    phase: str = attrs.field(validator=_v.text)
    win_probability: int = attrs.field(validator=_percent)
    bidding: bool
    monthly_revenue: str = attrs.field(validator=_v.text)
    notes: str = attrs.field(default="", validator=_short)
    progress: tuple[ProgressEntry, ...] = ()
    version: int = 0

    def modify(self, **changes: object) -> Opportunity:
        """Change fields other than the phase; the phase changes by progress only (R-ELIG-109)."""
        if "phase" in changes or "win_probability" in changes:
            raise RuleViolationError(
                "R-ELIG-109",
                "the development phase changes only through Specify Progress",
                fields={"code": "PHASE_VIA_PROGRESS_ONLY", "opportunity": self.opportunity_id},
            )
        if {"opportunity_id", "customer_id", "owner", "progress"} & set(changes):
            raise InvalidArgumentError("changes", sorted(changes), "identity fields are fixed")
        return attrs.evolve(self, **changes)  # type: ignore[arg-type]

    def specify_progress(
        self, phase: str, win_probability: int, *, at: datetime, note: str = ""
    ) -> Opportunity:
        """Move the phase and probability, appending to the progress log (R-ELIG-109)."""
        entry = ProgressEntry(phase, win_probability, require_aware(at, argument="at"), note)
        return attrs.evolve(
            self, phase=phase, win_probability=win_probability, progress=(*self.progress, entry)
        )


def visible_opportunities(
    opportunities: Iterable[Opportunity], viewer: str, *, directs: Mapping[str, str]
) -> tuple[Opportunity, ...]:
    """Managers see their own; a director sees its managers' (R-ELIG-107).

    ``directs`` maps each account manager to its director.
    """
    return tuple(o for o in opportunities if o.owner == viewer or directs.get(o.owner) == viewer)


def preregistration_valid(preregistered_at: datetime, as_of: datetime) -> bool:
    """A pre-registration lasts 15 days; opportunities need it valid (R-ELIG-110)."""
    start = require_aware(preregistered_at, argument="preregistered_at")
    return require_aware(as_of) <= start + PREREGISTRATION_VALIDITY


def may_create_po(
    *, pce_enrolled: bool, customer_contacts: int, partner_sales_contacts: int
) -> Decision:
    """A partner-originated opportunity needs PCE and a contact on each side (R-ELIG-111)."""
    reasons = []
    if not pce_enrolled:
        reasons.append(Reason("PCE_REQUIRED", "R-ELIG-111", "join PCE to share opportunities"))
    if customer_contacts < 1:
        reasons.append(Reason("CUSTOMER_CONTACT", "R-ELIG-111", "at least one customer contact"))
    if partner_sales_contacts < 1:
        reasons.append(
            Reason("PARTNER_SALES_CONTACT", "R-ELIG-111", "at least one partner sales contact")
        )
    return Decision.of(reasons)


def ho_accept_deadline(shared_at: datetime, calendar: WorkingCalendar = WEEKENDS) -> datetime:
    """The last instant to accept a vendor-shared opportunity: 3 working days (R-ELIG-113).

    Shared on a working day, the deadline keeps the time of day; shared on a
    non-working day, counting starts at 00:00 of the next working day.
    """
    shared = require_aware(shared_at, argument="shared_at")
    day = shared.date()
    start_day = roll_forward(calendar, day)
    if start_day != day:
        start = datetime.combine(start_day, time(0), tzinfo=shared.tzinfo)
    else:
        start = shared
    deadline_day = add_working_days(calendar, start.date(), 3)
    return datetime.combine(deadline_day, start.timetz())


def ho_auto_rejected(
    shared_at: datetime, as_of: datetime, calendar: WorkingCalendar = WEEKENDS
) -> bool:
    """Whether an unaccepted vendor-shared opportunity is rejected by now (R-ELIG-113)."""
    return require_aware(as_of) > ho_accept_deadline(shared_at, calendar)


def may_reject_ho(reason: str | None) -> Decision:
    """Rejecting a vendor-shared opportunity needs a reason (R-ELIG-113)."""
    if reason and reason.strip():
        return Decision.allow()
    return Decision.deny(Reason("REASON_REQUIRED", "R-ELIG-113", "state why you reject it"))


def may_view_tasks(*, viewer_is_distributor: bool, delegated: bool) -> Decision:
    """Who sees a reseller's marketing tasks (R-ELIG-116, R-ELIG-118).

    The reseller sees its own unless it delegated them; its distributor only
    while they are delegated.
    """
    if viewer_is_distributor and not delegated:
        return Decision.deny(
            Reason("NOT_AUTHORIZED_BY_RESELLER", "R-ELIG-116", "the reseller has not delegated")
        )
    if not viewer_is_distributor and delegated:
        return Decision.deny(
            Reason("TASKS_DELEGATED", "R-ELIG-118", "the tasks are delegated to the distributor")
        )
    return Decision.allow()


class CallOutcome(enum.Enum):
    """Whether the call was answered (R-ELIG-117)."""

    COMPLETED = "communication-completed"
    IN_COMMUNICATION = "in-communication"
    UNREACHABLE = "unreachable"


class Interest(enum.Enum):
    """Whether the customer is interested (R-ELIG-117)."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


def may_complete_task(call: CallOutcome | None, interested: Interest | None) -> Decision:
    """Completing a task needs both the call outcome and the interest (R-ELIG-117)."""
    reasons = []
    if call is None:
        reasons.append(
            Reason("CALL_ANSWERED", "R-ELIG-117", "record whether the call was answered")
        )
    if interested is None:
        reasons.append(
            Reason("INTERESTED", "R-ELIG-117", "record whether the customer is interested")
        )
    return Decision.of(reasons)


def shared_overview(
    shared_at: Iterable[datetime], *, as_of: datetime, months: Iterable[int] = (1, 6, 12)
) -> dict[int, int]:
    """How many opportunities were shared in the last 1, 6 and 12 months (R-ELIG-114).

    Windows are rolling, ``(as_of - N months, as_of]``.
    """
    when = require_aware(as_of)
    instants = [require_aware(s, argument="shared_at") for s in shared_at]
    result = {}
    for n in months:
        start = when - relativedelta(months=n)
        result[n] = sum(1 for s in instants if start < s <= when)
    return result
