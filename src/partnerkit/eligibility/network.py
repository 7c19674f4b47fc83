"""Network membership, path exit and the annual revenue goal (sections 5.A, 5.B, 5.C).

>>> may_leave_network().codes
('NETWORK_EXIT_FORBIDDEN',)
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal

from partnerkit.calendars import WEEKENDS, WorkingCalendar, add_working_days
from partnerkit.decisions import Decision, Reason
from partnerkit.errors import InvalidArgumentError
from partnerkit.money import Money, Rounding, divide, quantize, scale
from partnerkit.periods import require_aware

__all__ = [
    "CERTIFICATE_PROGRAMS",
    "GOAL_REVIEW_THRESHOLD",
    "ExitBlocker",
    "GoalStatus",
    "bank_letter_required",
    "check_password",
    "goal_completion_percent",
    "goal_status",
    "is_purchase_blocked",
    "may_apply_to_network",
    "may_change_country",
    "may_change_registered_country",
    "may_download_certificate",
    "may_exit_path",
    "may_leave_network",
    "may_modify_goal",
    "may_register_reseller_account",
    "may_use_csp_setting",
    "review_due",
]


def check_password(password: str) -> Decision:
    """At least 8 characters, letters and digits, no spaces (R-ELIG-001).

    >>> check_password("abc 1234").codes
    ('PASSWORD_POLICY',)
    """
    if not isinstance(password, str):
        raise InvalidArgumentError("password", "***", "expected a string")
    ok = (
        len(password) >= 8
        and any(c.isalpha() for c in password)
        and any(c.isdigit() for c in password)
        and not any(c.isspace() for c in password)
    )
    if ok:
        return Decision.allow()
    return Decision.deny(
        Reason("PASSWORD_POLICY", "R-ELIG-001", "8+ characters with letters and digits, no spaces")
    )


def may_change_country(current: str, requested: str) -> Decision:
    """The registration country never changes (R-ELIG-002)."""
    if current == requested:
        return Decision.allow()
    return Decision.deny(
        Reason(
            "COUNTRY_IMMUTABLE",
            "R-ELIG-002",
            "the country chosen at registration decides law, tax and contracting entity",
            {"current": current, "requested": requested},
        )
    )


def may_apply_to_network(*, company_is_member: bool) -> Decision:
    """A company joins once; further accounts associate with it instead (R-ELIG-004)."""
    if not company_is_member:
        return Decision.allow()
    return Decision.deny(
        Reason(
            "COMPANY_ALREADY_MEMBER",
            "R-ELIG-004",
            "the company is already a member: associate this account with it",
            {"hint": "ASSOCIATE"},
        )
    )


def may_leave_network() -> Decision:
    """A member never leaves the partner network (R-ELIG-006)."""
    return Decision.deny(
        Reason("NETWORK_EXIT_FORBIDDEN", "R-ELIG-006", "network membership cannot be withdrawn")
    )


def is_purchase_blocked(*, csp: bool, dpp_distributor: bool, reseller: bool) -> bool:
    """CSPs (applying or joined), DPP distributors and resellers cannot buy (R-ELIG-007).

    >>> is_purchase_blocked(csp=False, dpp_distributor=False, reseller=True)
    True
    """
    for name, value in (("csp", csp), ("dpp_distributor", dpp_distributor), ("reseller", reseller)):
        if not isinstance(value, bool):
            raise InvalidArgumentError(name, value, "expected True or False")
    return csp or dpp_distributor or reseller


class ExitBlocker(enum.Enum):
    """What stops an exit from a development path (R-ELIG-014)."""

    JOINED_PROGRAM = "joined-program"
    ROLE_VALIDATION_COMPLETED = "role-validation-completed"
    DIFFERENTIATION_COMPLETED = "differentiation-completed"
    REQUESTED_SOLUTION_CERTIFICATION = "requested-solution-certification"
    REQUESTED_ADVANCED_CERTIFICATION = "requested-advanced-certification"
    REQUESTED_TEST_COUPONS = "requested-test-coupons"
    REQUESTED_EXAM_VOUCHERS = "requested-exam-vouchers"
    REQUESTED_MDF = "requested-mdf"
    REQUESTED_FH = "requested-fh"


def may_exit_path(stage: str, blockers: Iterable[ExitBlocker]) -> Decision:
    """Exit only in SELECTION and with none of the nine blocking facts (R-ELIG-014).

    >>> decision = may_exit_path("SELECTION", [ExitBlocker.REQUESTED_EXAM_VOUCHERS])
    >>> decision.reasons[0].fields["blockers"]
    ('requested-exam-vouchers',)
    """
    found = list(dict.fromkeys(blockers))
    if not all(isinstance(b, ExitBlocker) for b in found):
        raise InvalidArgumentError("blockers", found, "expected ExitBlocker values")
    if stage != "SELECTION":
        found.insert(0, ExitBlocker.ROLE_VALIDATION_COMPLETED)
        found = list(dict.fromkeys(found))
    if not found:
        return Decision.allow()
    return Decision.deny(
        Reason(
            "PATH_EXIT_BLOCKED",
            "R-ELIG-014",
            "a path can be left only in role selection with nothing requested or joined",
            {"blockers": tuple(b.value for b in found)},
        )
    )


#: Goals at or above this need the vendor's review (R-ELIG-050).
GOAL_REVIEW_THRESHOLD = Money.of(360000, "USD")


class GoalStatus(enum.Enum):
    """An annual revenue goal's status (3.14)."""

    EFFECTIVE = "effective"
    APPROVING = "approving"


def goal_status(goal: Money, *, threshold: Money = GOAL_REVIEW_THRESHOLD) -> GoalStatus:
    """Below the threshold a goal takes effect at once; at or above it is reviewed (R-ELIG-050)."""
    if not isinstance(goal, Money) or not goal.is_positive():
        raise InvalidArgumentError("goal", goal, "a positive Money")
    return GoalStatus.APPROVING if goal >= threshold else GoalStatus.EFFECTIVE


def may_modify_goal(status: GoalStatus) -> Decision:
    """An effective (or approved) goal is immutable (R-ELIG-050)."""
    if status is GoalStatus.APPROVING:
        return Decision.allow()
    return Decision.deny(Reason("GOAL_IMMUTABLE", "R-ELIG-050", "the goal can no longer change"))


def goal_completion_percent(earned: Money, goal: Money) -> Decimal:
    """Completion = earned / goal, in percent, truncated to 2 places (R-ELIG-050, EX-52).

    >>> goal_completion_percent(Money.of("-56.00", "USD"), Money.of("10.10", "USD"))
    Decimal('-554.45')
    """
    if not goal.is_positive():
        raise InvalidArgumentError("goal", goal, "a positive Money")
    ratio = divide(scale(earned.amount, 2), goal.amount)
    return quantize(ratio, 2, rounding=Rounding.DOWN)


def may_change_registered_country(*, approved: bool, via_service_ticket: bool = False) -> Decision:
    """A CSP's registration country is fixed once approved, bar a ticket (R-ELIG-032)."""
    if not approved or via_service_ticket:
        return Decision.allow()
    return Decision.deny(
        Reason("COUNTRY_IMMUTABLE", "R-ELIG-032", "after approval, change it by service ticket")
    )


def review_due(
    submitted_at: datetime,
    *,
    working_days: int | None,
    calendar: WorkingCalendar = WEEKENDS,
    days: int | None = None,
) -> datetime:
    """When a review is due (R-ELIG-038, R-ELIG-048).

    Tier upgrades are reviewed within 3 calendar days, programme requests
    within 3 working days.

    >>> from datetime import timezone
    >>> review_due(datetime(2024, 6, 7, 10, tzinfo=timezone.utc), working_days=3).date()
    datetime.date(2024, 6, 12)
    """
    start = require_aware(submitted_at, argument="submitted_at")
    if working_days is not None:
        day = add_working_days(calendar, start.date(), working_days)
        return datetime.combine(day, start.timetz())
    if days is None:
        raise InvalidArgumentError("days", days, "give working_days or days")
    return start + timedelta(days=days)


def may_register_reseller_account(
    *, verified_at: datetime, registered_at: datetime, email_reused: bool
) -> Decision:
    """A new reseller account: within 24 hours of verification, a new e-mail (R-ELIG-043)."""
    reasons = []
    if require_aware(registered_at, argument="registered_at") > require_aware(
        verified_at, argument="verified_at"
    ) + timedelta(hours=24):
        reasons.append(
            Reason("VERIFICATION_EXPIRED", "R-ELIG-043", "register within 24 hours of verification")
        )
    if email_reused:
        reasons.append(Reason("EMAIL_REUSED", "R-ELIG-043", "use a different e-mail address"))
    return Decision.of(reasons)


#: Programmes whose enrolment produces a downloadable certificate (R-ELIG-049).
CERTIFICATE_PROGRAMS = frozenset({"CSP", "CARRIER", "HMS"})


def may_download_certificate(program: str) -> Decision:
    """Only CSP, Carrier and HMS enrolments have a certificate (R-ELIG-049)."""
    if program in CERTIFICATE_PROGRAMS:
        return Decision.allow()
    return Decision.deny(
        Reason(
            "NO_CERTIFICATE_FOR_PROGRAM",
            "R-ELIG-049",
            "this programme issues no certificate",
            {"program": program},
        )
    )


def may_use_csp_setting(*, csp: bool) -> Decision:
    """Preferences, notification and bill settings, the quota view: CSP only (R-ELIG-053)."""
    if csp:
        return Decision.allow()
    return Decision.deny(Reason("CSP_ONLY_FEATURE", "R-ELIG-053", "available to CSPs only"))


def bank_letter_required(
    *, ioi: bool, same_name_supplier: bool, bank_details_differ: bool, modifying_bank: bool = False
) -> bool:
    """Whether a bank confirmation letter is needed (R-ELIG-055).

    Non-IOI partners need one when a supplier of the same name exists with
    other bank details, and whenever they modify their bank information.
    """
    if ioi:
        return False
    return modifying_bank or (same_name_supplier and bank_details_differ)
