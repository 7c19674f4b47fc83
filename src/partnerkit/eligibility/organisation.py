"""Organisation members, associated persons and dedicated personnel (sections 5.E and 5.F).

Questions return a :class:`~partnerkit.decisions.Decision` with every reason.
Members hold 1-3 roles, the administrator alone and account manager and
director apart, with custom roles counted one by one (R-ELIG-058).  Persons
are invited in batches of at most 5 and 100 a day, links last 7 days, and a
person associated with 3 partners within a year cannot be invited
(R-ELIG-065..067).  Dedicated personnel are disqualified before they are
disassociated (R-ELIG-069..071).

>>> member_roles({OrgRole.ACCOUNT_MANAGER, OrgRole.FINANCE_SPECIALIST},
...              custom_roles=("events", "reports")).codes
('TOO_MANY_ROLES',)
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta

from partnerkit.decisions import Decision, Reason
from partnerkit.errors import InvalidArgumentError
from partnerkit.periods import require_aware
from partnerkit.permissions import OrgRole

__all__ = [
    "CUSTOM_ROLE_LIMIT",
    "INVITATION_BATCH_LIMIT",
    "INVITATION_DAILY_LIMIT",
    "INVITATION_VALIDITY",
    "PersonState",
    "accept_invitation",
    "invitation_expires_at",
    "may_apply_dedicated",
    "may_create_custom_role",
    "may_delete_custom_role",
    "may_disassociate_person",
    "may_disqualify",
    "may_invite_person",
    "may_invite_persons",
    "may_request_for_person",
    "may_send_invitations",
    "member_roles",
    "orphaned_managers",
]

#: Custom roles a partner may define (R-ELIG-061, default).
CUSTOM_ROLE_LIMIT = 10
#: Persons per invitation batch (R-ELIG-066).
INVITATION_BATCH_LIMIT = 5
#: Invitations a partner may send per day (R-ELIG-066).
INVITATION_DAILY_LIMIT = 100
#: How long an invitation link stays valid (R-ELIG-066, R-ELIG-067).
INVITATION_VALIDITY = timedelta(days=7)


def _count(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidArgumentError(name, value, "a count >= 0")
    return value


def member_roles(roles: Iterable[OrgRole], *, custom_roles: Iterable[str] = ()) -> Decision:
    """A member's roles: 1-3 in all, admin alone, manager and director apart (R-ELIG-058).

    Each custom role counts as one role; ``roles`` are the system roles.
    """
    system = frozenset(roles)
    if not all(isinstance(r, OrgRole) and r is not OrgRole.CUSTOM for r in system):
        raise InvalidArgumentError("roles", sorted(map(str, system)), "system OrgRole values")
    custom = tuple(custom_roles)
    if not all(isinstance(c, str) and c for c in custom) or len(set(custom)) != len(custom):
        raise InvalidArgumentError("custom_roles", custom, "distinct custom role names")
    total = len(system) + len(custom)
    reasons = []
    if not 1 <= total <= 3:
        reasons.append(
            Reason(
                "TOO_MANY_ROLES" if total else "NO_ROLE",
                "R-ELIG-058",
                "a member holds 1 to 3 roles",
                {"roles": total},
            )
        )
    if OrgRole.ADMIN in system and total > 1:
        reasons.append(Reason("ROLE_CONFLICT", "R-ELIG-058", "the administrator role stands alone"))
    if {OrgRole.ACCOUNT_MANAGER, OrgRole.ACCOUNT_DIRECTOR} <= system:
        reasons.append(
            Reason("ROLE_CONFLICT", "R-ELIG-058", "account manager and director exclude each other")
        )
    return Decision.of(reasons)


def orphaned_managers(director: str, managed_by: Mapping[str, str]) -> tuple[str, ...]:
    """The account managers left without a director when ``director`` loses the role (R-ELIG-060).

    >>> orphaned_managers("dana", {"am1": "dana", "am2": "eve"})
    ('am1',)
    """
    return tuple(sorted(m for m, d in managed_by.items() if d == director))


def may_create_custom_role(existing: int, *, limit: int = CUSTOM_ROLE_LIMIT) -> Decision:
    """At most ``limit`` custom roles per partner (R-ELIG-061)."""
    if _count("existing", existing) >= limit:
        return Decision.deny(
            Reason(
                "ROLE_LIMIT", "R-ELIG-061", f"at most {limit} custom roles", {"existing": existing}
            )
        )
    return Decision.allow()


def may_delete_custom_role(users: int) -> Decision:
    """A custom role with users cannot be deleted (R-ELIG-061)."""
    if _count("users", users):
        return Decision.deny(
            Reason("ROLE_IN_USE", "R-ELIG-061", "the role still has users", {"users": users})
        )
    return Decision.allow()


def may_invite_persons(
    *, network_member: bool, paths: Iterable[str], programs: Iterable[str]
) -> Decision:
    """Who may invite persons: a network member on a path or in DPP or CSP (R-ELIG-064).

    The paths are Service, SI and Learning.
    """
    eligible_paths = {"SERVICE_PARTNER", "SYSTEM_INTEGRATOR", "LEARNING_PARTNER"}
    eligible_programs = {"DPP", "CSP"}
    if network_member and (set(paths) & eligible_paths or set(programs) & eligible_programs):
        return Decision.allow()
    return Decision.deny(
        Reason(
            "INVITER_NOT_ELIGIBLE",
            "R-ELIG-064",
            "invite persons from the Service, SI or Learning path, or DPP or CSP",
        )
    )


def may_invite_person(
    *,
    enterprise_authenticated: bool,
    associated_elsewhere: bool,
    real_name: bool,
    partner_account: bool,
    associations_started: Iterable[datetime],
    as_of: datetime,
    mainland_site: bool = False,
) -> Decision:
    """Whether a person may be invited (R-ELIG-065): every reason, in the rule's order.

    The 3-partners limit counts associations that started in
    ``(as_of - 1 year, as_of]``.
    """
    when = require_aware(as_of)
    reasons = []
    if enterprise_authenticated:
        reasons.append(Reason("ENTERPRISE_AUTHENTICATED", "R-ELIG-065", "an enterprise identity"))
    if associated_elsewhere:
        reasons.append(
            Reason("ASSOCIATED_ELSEWHERE", "R-ELIG-065", "associated with another partner")
        )
    if mainland_site and not real_name:
        reasons.append(
            Reason("REAL_NAME_REQUIRED", "R-ELIG-065", "real-name authentication needed")
        )
    if partner_account:
        reasons.append(Reason("PARTNER_ACCOUNT", "R-ELIG-065", "a partner account, not a person"))
    year_ago = when - relativedelta(years=1)
    recent = [require_aware(s, argument="associations_started") for s in associations_started]
    in_year = sum(1 for start in recent if year_ago < start <= when)
    if in_year >= 3:
        reasons.append(
            Reason(
                "THREE_PARTNERS_IN_YEAR",
                "R-ELIG-065",
                "associated with 3 partners within the past year",
                {"associations": in_year},
            )
        )
    return Decision.of(reasons)


def may_send_invitations(batch: int, *, sent_today: int) -> Decision:
    """At most 5 persons per batch and 100 a day; a batch is all or nothing (R-ELIG-066)."""
    size, sent = _count("batch", batch), _count("sent_today", sent_today)
    reasons = []
    if size > INVITATION_BATCH_LIMIT:
        reasons.append(
            Reason("BATCH_LIMIT", "R-ELIG-066", "at most 5 persons per invitation", {"batch": size})
        )
    if sent + size > INVITATION_DAILY_LIMIT:
        reasons.append(
            Reason(
                "DAILY_LIMIT",
                "R-ELIG-066",
                "at most 100 invitations a day",
                {"sent_today": sent, "batch": size},
            )
        )
    return Decision.of(reasons)


def invitation_expires_at(sent_at: datetime) -> datetime:
    """An invitation link lasts 7 days; accepting at the instant of expiry is in time (R-ELIG-067).

    >>> from datetime import timezone
    >>> invitation_expires_at(datetime(2024, 3, 1, 10, tzinfo=timezone.utc)).isoformat()
    '2024-03-08T10:00:00+00:00'
    """
    return require_aware(sent_at, argument="sent_at") + INVITATION_VALIDITY


class PersonState(enum.Enum):
    """An associated person's state (3.6, 3.7)."""

    INVITED = "invited"
    ASSOCIATED = "associated"
    DP_UNDER_REVIEW = "dp-under-review"
    NORMAL = "normal"
    DP_REJECTED = "dp-rejected"
    DISQUALIFICATION_UNDER_REVIEW = "disqualification-under-review"
    DISQUALIFICATION_REJECTED = "disqualification-rejected"
    DISQUALIFICATION_APPROVED = "disqualification-approved"
    DISASSOCIATED = "disassociated"


def may_request_for_person(state: PersonState) -> Decision:
    """Exam vouchers and FH need the person associated with the partner (R-ELIG-068)."""
    if state in (PersonState.INVITED, PersonState.DISASSOCIATED):
        return Decision.deny(
            Reason("PERSON_NOT_ASSOCIATED", "R-ELIG-068", "associate the person first")
        )
    return Decision.allow()


_DP_PATHS = frozenset({"SERVICE_PARTNER", "SYSTEM_INTEGRATOR", "LEARNING_PARTNER"})
_DP_OPEN = frozenset(
    {PersonState.ASSOCIATED, PersonState.DP_REJECTED, PersonState.DISQUALIFICATION_APPROVED}
)


def may_apply_dedicated(
    *, paths: Iterable[str], state: PersonState, base_location: str | None
) -> Decision:
    """A dedicated-personnel application (R-ELIG-069).

    Only for the Service, SI or Learning path, for an associated person with
    no open or approved application, and with a base location.
    """
    reasons = []
    if not set(paths) & _DP_PATHS:
        reasons.append(
            Reason(
                "PATH_REQUIRED",
                "R-ELIG-069",
                "dedicated personnel serve a Service, SI or Learning path",
            )
        )
    if state not in _DP_OPEN:
        reasons.append(
            Reason(
                "DP_NOT_ALLOWED",
                "R-ELIG-069",
                "the person is not open for an application",
                {"state": state.value},
            )
        )
    if not base_location:
        reasons.append(Reason("BASE_LOCATION_MISSING", "R-ELIG-069", "fill in the base location"))
    return Decision.of(reasons)


def may_disqualify(state: PersonState, *, reason: str, files: int) -> Decision:
    """A partner disqualifies normal dedicated personnel (R-ELIG-070).

    Also after a rejected disqualification; with a reason of at most 500
    characters and at most 10 files.
    """
    reasons = []
    if state not in (PersonState.NORMAL, PersonState.DISQUALIFICATION_REJECTED):
        reasons.append(
            Reason(
                "INVALID_DP_STATE",
                "R-ELIG-070",
                "only normal dedicated personnel",
                {"state": state.value},
            )
        )
    if not isinstance(reason, str) or not reason.strip() or len(reason) > 500:
        reasons.append(Reason("REASON_REQUIRED", "R-ELIG-070", "a reason of 1-500 characters"))
    if _count("files", files) > 10:
        reasons.append(Reason("TOO_MANY_FILES", "R-ELIG-070", "at most 10 files", {"files": files}))
    return Decision.of(reasons)


def may_disassociate_person(state: PersonState) -> Decision:
    """Only associated or disqualified persons are disassociated (R-ELIG-071).

    Normal dedicated personnel are disqualified first.
    """
    if state in (PersonState.ASSOCIATED, PersonState.DISQUALIFICATION_APPROVED):
        return Decision.allow()
    code = "DISQUALIFY_FIRST" if state is PersonState.NORMAL else "INVALID_PERSON_STATE"
    return Decision.deny(
        Reason(code, "R-ELIG-071", "disqualify dedicated personnel first", {"state": state.value})
    )


def accept_invitation(pending: Iterable[str], accepted: str) -> dict[str, str]:
    """Accepting one invitation invalidates the person's others (R-ELIG-067).

    >>> accept_invitation(["from-p1", "from-p2"], "from-p2")
    {'from-p1': 'invalidated', 'from-p2': 'associated'}
    """
    invitations = list(pending)
    if accepted not in invitations:
        raise InvalidArgumentError("accepted", accepted, "one of the pending invitations")
    return {i: "associated" if i == accepted else "invalidated" for i in invitations}
