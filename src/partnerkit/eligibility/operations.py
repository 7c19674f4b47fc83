"""Who may perform which partner-centre operation: the Huawei preset as data (section 4.3).

Each operation maps each role to the scope it may act on (all records, its
team's, its own) or to the custom-role permission that grants it.  A
vendor's or integrator's own matrix is another mapping of the same shape.

>>> may_perform(Role.DIRECTOR, Operation.CREATE_OPPORTUNITY).codes
('ROLE_NOT_ALLOWED',)
>>> may_perform(Role.MANAGER, Operation.VIEW_OPPORTUNITIES).scope
<Scope.OWN: 'own'>
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import final

import attrs

from partnerkit.decisions import Decision, Reason
from partnerkit.errors import InvalidArgumentError

__all__ = ["HUAWEI_MATRIX", "Grant", "Operation", "Role", "Scope", "Verdict", "may_perform"]


class Role(enum.Enum):
    """The columns of the matrix (4.1)."""

    ADMIN = "admin"
    FINANCE = "finance"
    DIRECTOR = "director"
    MANAGER = "manager"
    CUSTOM = "custom"
    PERSON = "person"
    VENDOR_STAFF = "vendor-staff"


class Scope(enum.Enum):
    """Which records an allowed role acts on."""

    ALL = "all"
    TEAM = "team"
    OWN = "own"


class Operation(enum.Enum):
    """The rows of the matrix (4.3)."""

    MANAGE_MEMBERS = "manage-members"
    MANAGE_CUSTOM_ROLES = "manage-custom-roles"
    CREATE_CONTACTS = "create-contacts"
    PROGRAM_APPLICATIONS = "program-applications"
    APPLY_CORE_TIER = "apply-core-tier"
    INVITE_TO_PATHS = "invite-to-paths"
    APPROVE_SECOND_SOFTWARE_ACCOUNT = "approve-second-software-account"
    SET_REVENUE_GOAL = "set-revenue-goal"
    BUSINESS_INFO = "business-info"
    MANAGE_PERSONS = "manage-persons"
    PERSON_SELF_SERVICE = "person-self-service"
    SOLUTIONS = "solutions"
    REQUEST_BENEFITS = "request-benefits"
    REQUEST_EXAM_VOUCHERS = "request-exam-vouchers"
    SPIF_RECIPIENTS = "spif-recipients"
    TOP_UP = "top-up"
    MANAGE_ACCOUNT_MANAGERS = "manage-account-managers"
    MANAGE_CUSTOMERS = "manage-customers"
    EXPORT_CUSTOMERS = "export-customers"
    VIEW_ALL_ALERTS = "view-all-alerts"
    CREATE_OPPORTUNITY = "create-opportunity"
    VIEW_OPPORTUNITIES = "view-opportunities"
    PROGRESS_OPPORTUNITY = "progress-opportunity"
    SHARED_OPPORTUNITIES = "shared-opportunities"
    MARKETING_TASKS = "marketing-tasks"
    DISCOUNTS = "discounts"


@final
@attrs.frozen
class Grant:
    """A cell: the scope allowed, or the custom-role permission that allows it."""

    scope: Scope | None = None
    permission: str | None = None


_A, _T, _O = Grant(Scope.ALL), Grant(Scope.TEAM), Grant(Scope.OWN)


def _p(permission: str) -> Grant:
    return Grant(None, permission)


#: The Huawei preset (4.3); ``(D)`` design choices are included as the spec records them.
HUAWEI_MATRIX: Mapping[Operation, Mapping[Role, Grant]] = {
    Operation.MANAGE_MEMBERS: {Role.ADMIN: _A, Role.CUSTOM: _p("member_mgmt")},
    Operation.MANAGE_CUSTOM_ROLES: {Role.ADMIN: _A, Role.CUSTOM: _p("ROLE_CREATE")},
    Operation.CREATE_CONTACTS: {Role.ADMIN: _A, Role.CUSTOM: _p("contacts")},
    Operation.PROGRAM_APPLICATIONS: {Role.ADMIN: _A, Role.CUSTOM: _p("program_mgmt")},
    Operation.APPLY_CORE_TIER: {Role.VENDOR_STAFF: _A},
    Operation.INVITE_TO_PATHS: {Role.VENDOR_STAFF: _A},
    Operation.APPROVE_SECOND_SOFTWARE_ACCOUNT: {Role.VENDOR_STAFF: _A},
    Operation.SET_REVENUE_GOAL: {Role.ADMIN: _A, Role.CUSTOM: _p("ANNUAL_REVENUE_GOAL_SET")},
    Operation.BUSINESS_INFO: {Role.ADMIN: _A, Role.FINANCE: _A, Role.CUSTOM: _p("business_info")},
    Operation.MANAGE_PERSONS: {
        Role.ADMIN: _A,
        Role.CUSTOM: _p("dedicated_personnel"),
        Role.VENDOR_STAFF: _A,
    },
    Operation.PERSON_SELF_SERVICE: {Role.PERSON: _O},
    Operation.SOLUTIONS: {Role.ADMIN: _A, Role.CUSTOM: _p("solutions")},
    Operation.REQUEST_BENEFITS: {Role.ADMIN: _A, Role.CUSTOM: _p("benefits")},
    Operation.REQUEST_EXAM_VOUCHERS: {Role.ADMIN: _A},
    Operation.SPIF_RECIPIENTS: {Role.ADMIN: _A, Role.CUSTOM: _p("spif")},
    Operation.TOP_UP: {Role.ADMIN: _A, Role.FINANCE: _A, Role.CUSTOM: _p("finance")},
    Operation.MANAGE_ACCOUNT_MANAGERS: {
        Role.ADMIN: _A,
        Role.DIRECTOR: _T,
        Role.CUSTOM: _p("account_managers"),
    },
    Operation.MANAGE_CUSTOMERS: {
        Role.ADMIN: _A,
        Role.DIRECTOR: _T,
        Role.MANAGER: _O,
        Role.CUSTOM: _p("CUSTOMER_MANAGEMENT"),
    },
    Operation.EXPORT_CUSTOMERS: {Role.ADMIN: _A},
    Operation.VIEW_ALL_ALERTS: {
        Role.ADMIN: _A,
        Role.DIRECTOR: _A,
        Role.CUSTOM: _p("CUSTOMER_ALERT_MANAGEMENT"),
    },
    Operation.CREATE_OPPORTUNITY: {
        Role.ADMIN: _A,
        Role.MANAGER: _O,
        Role.CUSTOM: _p("opportunities"),
    },
    Operation.VIEW_OPPORTUNITIES: {
        Role.ADMIN: _A,
        Role.DIRECTOR: _T,
        Role.MANAGER: _O,
        Role.CUSTOM: _p("opportunities"),
    },
    Operation.PROGRESS_OPPORTUNITY: {
        Role.ADMIN: _A,
        Role.MANAGER: _O,
        Role.CUSTOM: _p("opportunities"),
    },
    Operation.SHARED_OPPORTUNITIES: {
        Role.ADMIN: _A,
        Role.CUSTOM: _p("shared_opportunity"),
        Role.VENDOR_STAFF: _A,
    },
    Operation.MARKETING_TASKS: {
        Role.ADMIN: _A,
        Role.DIRECTOR: _T,
        Role.MANAGER: _O,
        Role.CUSTOM: _p("marketing_tasks"),
    },
    Operation.DISCOUNTS: {
        Role.ADMIN: _p("DISCOUNT_SETTING"),
        Role.CUSTOM: _p("DISCOUNT_SETTING"),
        Role.VENDOR_STAFF: _A,
    },
}


@final
@attrs.frozen
class Verdict:
    """The answer: the decision, and the scope when allowed."""

    decision: Decision
    scope: Scope | None

    @property
    def allowed(self) -> bool:
        """Whether the operation is allowed."""
        return self.decision.allowed

    @property
    def codes(self) -> tuple[str, ...]:
        """The refusal codes."""
        return self.decision.codes


def may_perform(
    role: Role,
    operation: Operation,
    *,
    permissions: Iterable[str] = (),
    matrix: Mapping[Operation, Mapping[Role, Grant]] = HUAWEI_MATRIX,
) -> Verdict:
    """May ``role`` perform ``operation``, and on which records? (4.3).

    A cell that names a permission allows the role only when ``permissions``
    holds it (custom roles; the vendor-granted discount permission).
    """
    if not isinstance(role, Role) or not isinstance(operation, Operation):
        raise InvalidArgumentError("role", role, "expected a Role and an Operation")
    grant = matrix.get(operation, {}).get(role)
    if grant is None:
        return Verdict(
            Decision.deny(
                Reason(
                    "ROLE_NOT_ALLOWED",
                    "R-ELIG-063",
                    f"{role.value} may not {operation.value}",
                    {"role": role.value, "operation": operation.value},
                )
            ),
            None,
        )
    if grant.permission is not None and grant.permission not in frozenset(permissions):
        return Verdict(
            Decision.deny(
                Reason(
                    "PERMISSION_REQUIRED",
                    "R-ELIG-063",
                    f"needs the {grant.permission} permission",
                    {"permission": grant.permission},
                )
            ),
            None,
        )
    return Verdict(Decision.allow(), grant.scope or Scope.ALL)
