"""Network membership, path exit and the annual revenue goal (sections 5.A, 5.B, 5.C).

>>> may_leave_network().codes
('NETWORK_EXIT_FORBIDDEN',)
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from decimal import Decimal

from partnerkit.decisions import Decision, Reason
from partnerkit.errors import InvalidArgumentError
from partnerkit.money import Money, Rounding, divide, quantize, scale

__all__ = [
    "GOAL_REVIEW_THRESHOLD",
    "ExitBlocker",
    "GoalStatus",
    "check_password",
    "goal_completion_percent",
    "goal_status",
    "is_purchase_blocked",
    "may_apply_to_network",
    "may_change_country",
    "may_exit_path",
    "may_leave_network",
    "may_modify_goal",
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
