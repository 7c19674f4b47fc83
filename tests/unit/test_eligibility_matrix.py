"""The section 4.3 operation x role matrix: for every row, who is allowed and who is refused."""

from __future__ import annotations

import pytest

from partnerkit.eligibility.operations import (
    HUAWEI_MATRIX,
    Grant,
    Operation,
    Role,
    Scope,
    may_perform,
)

# (operation, roles allowed outright with their scope, roles allowed with a permission)
ROWS: list[tuple[Operation, dict[Role, Scope], dict[Role, str]]] = [
    (Operation.MANAGE_MEMBERS, {Role.ADMIN: Scope.ALL}, {Role.CUSTOM: "member_mgmt"}),
    (Operation.MANAGE_CUSTOM_ROLES, {Role.ADMIN: Scope.ALL}, {Role.CUSTOM: "ROLE_CREATE"}),
    (Operation.CREATE_CONTACTS, {Role.ADMIN: Scope.ALL}, {Role.CUSTOM: "contacts"}),
    (Operation.PROGRAM_APPLICATIONS, {Role.ADMIN: Scope.ALL}, {Role.CUSTOM: "program_mgmt"}),
    (Operation.APPLY_CORE_TIER, {Role.VENDOR_STAFF: Scope.ALL}, {}),
    (Operation.INVITE_TO_PATHS, {Role.VENDOR_STAFF: Scope.ALL}, {}),
    (Operation.APPROVE_SECOND_SOFTWARE_ACCOUNT, {Role.VENDOR_STAFF: Scope.ALL}, {}),
    (Operation.SET_REVENUE_GOAL, {Role.ADMIN: Scope.ALL}, {Role.CUSTOM: "ANNUAL_REVENUE_GOAL_SET"}),
    (Operation.BUSINESS_INFO, {Role.ADMIN: Scope.ALL, Role.FINANCE: Scope.ALL},
     {Role.CUSTOM: "business_info"}),
    (Operation.MANAGE_PERSONS, {Role.ADMIN: Scope.ALL, Role.VENDOR_STAFF: Scope.ALL},
     {Role.CUSTOM: "dedicated_personnel"}),
    (Operation.PERSON_SELF_SERVICE, {Role.PERSON: Scope.OWN}, {}),
    (Operation.SOLUTIONS, {Role.ADMIN: Scope.ALL}, {Role.CUSTOM: "solutions"}),
    (Operation.REQUEST_BENEFITS, {Role.ADMIN: Scope.ALL}, {Role.CUSTOM: "benefits"}),
    (Operation.REQUEST_EXAM_VOUCHERS, {Role.ADMIN: Scope.ALL}, {}),
    (Operation.SPIF_RECIPIENTS, {Role.ADMIN: Scope.ALL}, {Role.CUSTOM: "spif"}),
    (Operation.TOP_UP, {Role.ADMIN: Scope.ALL, Role.FINANCE: Scope.ALL}, {Role.CUSTOM: "finance"}),
    (Operation.MANAGE_ACCOUNT_MANAGERS, {Role.ADMIN: Scope.ALL, Role.DIRECTOR: Scope.TEAM},
     {Role.CUSTOM: "account_managers"}),
    (Operation.MANAGE_CUSTOMERS,
     {Role.ADMIN: Scope.ALL, Role.DIRECTOR: Scope.TEAM, Role.MANAGER: Scope.OWN},
     {Role.CUSTOM: "CUSTOMER_MANAGEMENT"}),
    (Operation.EXPORT_CUSTOMERS, {Role.ADMIN: Scope.ALL}, {}),
    (Operation.VIEW_ALL_ALERTS, {Role.ADMIN: Scope.ALL, Role.DIRECTOR: Scope.ALL},
     {Role.CUSTOM: "CUSTOMER_ALERT_MANAGEMENT"}),
    (Operation.CREATE_OPPORTUNITY, {Role.ADMIN: Scope.ALL, Role.MANAGER: Scope.OWN},
     {Role.CUSTOM: "opportunities"}),
    (Operation.VIEW_OPPORTUNITIES,
     {Role.ADMIN: Scope.ALL, Role.DIRECTOR: Scope.TEAM, Role.MANAGER: Scope.OWN},
     {Role.CUSTOM: "opportunities"}),
    (Operation.PROGRESS_OPPORTUNITY, {Role.ADMIN: Scope.ALL, Role.MANAGER: Scope.OWN},
     {Role.CUSTOM: "opportunities"}),
    (Operation.SHARED_OPPORTUNITIES, {Role.ADMIN: Scope.ALL, Role.VENDOR_STAFF: Scope.ALL},
     {Role.CUSTOM: "shared_opportunity"}),
    (Operation.MARKETING_TASKS,
     {Role.ADMIN: Scope.ALL, Role.DIRECTOR: Scope.TEAM, Role.MANAGER: Scope.OWN},
     {Role.CUSTOM: "marketing_tasks"}),
    (Operation.DISCOUNTS, {Role.VENDOR_STAFF: Scope.ALL},
     {Role.ADMIN: "DISCOUNT_SETTING", Role.CUSTOM: "DISCOUNT_SETTING"}),
]  # fmt: skip


def test_every_operation_has_a_row() -> None:
    """The matrix covers every operation of section 4.3 (R-ELIG-063)."""
    assert {row[0] for row in ROWS} == set(Operation) == set(HUAWEI_MATRIX)


@pytest.mark.rules("R-ELIG-063")
@pytest.mark.parametrize(
    ("operation", "allowed", "granted"), ROWS, ids=lambda v: getattr(v, "value", "")
)
def test_row_allows_and_denies(
    operation: Operation, allowed: dict[Role, Scope], granted: dict[Role, str]
) -> None:
    """Each row: the listed roles are allowed with their scope, permission cells need their
    permission, and every other role is refused (R-ELIG-063, section 4.3)."""
    for role in Role:
        verdict = may_perform(role, operation)
        if role in allowed:
            assert verdict.allowed, (role, operation)
            assert verdict.scope is allowed[role]
        elif role in granted:
            assert verdict.codes == ("PERMISSION_REQUIRED",)
            with_it = may_perform(role, operation, permissions={granted[role]})
            assert with_it.allowed
        else:
            assert verdict.codes == ("ROLE_NOT_ALLOWED",), (role, operation)


def test_an_integrators_matrix_is_data() -> None:
    """Another matrix is a mapping of the same shape; no code changes."""
    mine = {Operation.TOP_UP: {Role.MANAGER: Grant(Scope.OWN)}}
    assert may_perform(Role.MANAGER, Operation.TOP_UP, matrix=mine).scope is Scope.OWN
    assert not may_perform(Role.ADMIN, Operation.TOP_UP, matrix=mine).allowed
