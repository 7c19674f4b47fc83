"""The role-variance matrix (customers.md 3.O) and budget rights (4.8): one allow and one deny per row."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from partnerkit.customers import (
    Association,
    AuthorizationStatus,
    CustomerAuthorization,
    evaluate_on_behalf,
)
from partnerkit.customers.authorization import evaluate_authorization_request
from partnerkit.decisions import Decision
from partnerkit.ids import ActorId, CustomerId, PartnerId
from partnerkit.money import Money
from partnerkit.partners import AssociationType, Partner, PartnerRole, ResellerDelegation
from partnerkit.periods import GMT_PLUS_8
from partnerkit.permissions import Action, Actor, OrgRole, Permission, evaluate_permission

T = datetime(2024, 6, 1, tzinfo=GMT_PLUS_8)
CSP = Partner(PartnerId("csp"), PartnerRole.CSP, "HK", referral_enabled=True)
CSP_PLAIN = Partner(PartnerId("csp2"), PartnerRole.CSP, "HK")
DIST = Partner(PartnerId("dist"), PartnerRole.DISTRIBUTOR, "HK", referral_enabled=True)
DIST_NO_DEV = Partner(
    PartnerId("dist"), PartnerRole.DISTRIBUTOR, "HK", customer_development_enabled=False
)
RES = Partner(PartnerId("res"), PartnerRole.RESELLER, "HK", distributor_id=PartnerId("dist"))
QUOTA = Money.of("100.00", "USD")
NOT_DELEGATED = ResellerDelegation(PartnerId("dist"), PartnerId("res"))
DELEGATED = ResellerDelegation(
    PartnerId("dist"), PartnerId("res"), budget_freeze_authorized=True,
    monthly_budget_quota=QUOTA, one_time_budget_quota=QUOTA, on_behalf_authorized=True,
    commitment_accepted_at=T,
)  # fmt: skip


def admin(partner: Partner) -> Actor:
    return Actor.partner_user(ActorId(f"{partner.id}-admin"), partner.id, {OrgRole.ADMIN})


def own(partner: Partner, customer: str = "c") -> Association:
    return Association(
        CustomerId(customer),
        partner.id,
        AssociationType.RESELLER,
        T,
        distributor_id=partner.distributor_id,
    )


RESELLERS_CUSTOMER = own(RES)
CSP_CUSTOMER = own(CSP)
DIST_CUSTOMER = own(DIST)


def allowed(partner: Partner, action: Action, association: Association | None = None,
            delegation: ResellerDelegation | None = None, actor: Actor | None = None) -> Decision:  # fmt: skip
    return evaluate_permission(
        actor or admin(partner),
        action,
        partner=partner,
        association=association,
        delegation=delegation,
    )


ROWS: list[tuple[str, Callable[[], bool], Callable[[], bool]]] = [
    (
        "association types: CSP/DIST referral once enabled; RES reseller only (R-CUST-01)",
        lambda: AssociationType.REFERRAL in DIST.association_types(),
        lambda: AssociationType.REFERRAL in RES.role.association_types(referral_enabled=True),
    ),
    (
        "referral needs the vendor's grant (R-CUST-01)",
        lambda: AssociationType.REFERRAL in CSP.association_types(),
        lambda: AssociationType.REFERRAL in CSP_PLAIN.association_types(),
    ),
    (
        "pre-registration: a distributor needs customer-development permission (R-CUST-16)",
        lambda: allowed(DIST, Action.PREREGISTER).allowed,
        lambda: allowed(DIST_NO_DEV, Action.PREREGISTER).allowed,
    ),
    (
        "pre-registration and invitations: CSP and RES may (R-CUST-07, R-CUST-18)",
        lambda: allowed(RES, Action.INVITE).allowed and allowed(CSP, Action.PREREGISTER).allowed,
        lambda: (
            allowed(
                CSP,
                Action.INVITE,
                actor=Actor.partner_user(ActorId("f"), CSP.id, {OrgRole.FINANCE_SPECIALIST}),
            ).allowed
        ),
    ),
    (
        "budgets: a CSP sets its own customers' (4.8)",
        lambda: allowed(CSP, Action.MANAGE_BUDGET, CSP_CUSTOMER).allowed,
        lambda: allowed(CSP, Action.MANAGE_BUDGET, DIST_CUSTOMER).allowed,
    ),
    (
        "budgets: a distributor sets its own customers' (4.8)",
        lambda: allowed(DIST, Action.MANAGE_BUDGET, DIST_CUSTOMER).allowed,
        lambda: allowed(DIST, Action.MANAGE_BUDGET, CSP_CUSTOMER).allowed,
    ),
    (
        "budgets: a distributor on its reseller's customers only if not delegated (R-CUST-62, R-CUST-63)",
        lambda: allowed(DIST, Action.MANAGE_BUDGET, RESELLERS_CUSTOMER, NOT_DELEGATED).allowed,
        lambda: allowed(DIST, Action.MANAGE_BUDGET, RESELLERS_CUSTOMER, DELEGATED).allowed,
    ),
    (
        "budgets: a reseller only if delegated (R-CUST-61)",
        lambda: allowed(RES, Action.MANAGE_BUDGET, RESELLERS_CUSTOMER, DELEGATED).allowed,
        lambda: allowed(RES, Action.MANAGE_BUDGET, RESELLERS_CUSTOMER, NOT_DELEGATED).allowed,
    ),
    (
        "freeze: same as budgets (R-CUST-62, R-CUST-63)",
        lambda: allowed(DIST, Action.FREEZE, RESELLERS_CUSTOMER, NOT_DELEGATED).allowed,
        lambda: allowed(RES, Action.FREEZE, RESELLERS_CUSTOMER, NOT_DELEGATED).allowed,
    ),
    (
        "set reseller quotas and delegate: distributors only (R-CUST-61)",
        lambda: allowed(DIST, Action.DELEGATE, delegation=NOT_DELEGATED).allowed,
        lambda: allowed(CSP, Action.DELEGATE).allowed,
    ),
    (
        "disassociation: own customers (R-CUST-85)",
        lambda: allowed(RES, Action.DISASSOCIATE, RESELLERS_CUSTOMER).allowed,
        lambda: allowed(CSP, Action.DISASSOCIATE, DIST_CUSTOMER).allowed,
    ),
    (
        "disassociation: a distributor not for its resellers' customers (R-CUST-96)",
        lambda: allowed(DIST, Action.DISASSOCIATE, DIST_CUSTOMER).allowed,
        lambda: allowed(DIST, Action.DISASSOCIATE, RESELLERS_CUSTOMER).allowed,
    ),
    (
        "processing disassociation needs the permission (R-CUST-85)",
        lambda: (
            allowed(
                CSP,
                Action.PROCESS_ASSOCIATION_REQUEST,
                CSP_CUSTOMER,
                actor=Actor.partner_user(
                    ActorId("x"), CSP.id, {OrgRole.CUSTOM}, grants={Permission.ASSOCIATION_PROCESS}
                ),
            ).allowed
        ),
        lambda: (
            allowed(
                CSP,
                Action.PROCESS_ASSOCIATION_REQUEST,
                CSP_CUSTOMER,
                actor=Actor.partner_user(ActorId("x"), CSP.id, {OrgRole.CUSTOM}),
            ).allowed
        ),
    ),
    (
        "request authorization: a CSP's first request accepts the commitment letter (R-CUST-114)",
        lambda: (
            evaluate_authorization_request(
                CSP, CSP_CUSTOMER, delegation=None, pending=None, accept_commitment=True
            ).allowed
        ),
        lambda: (
            evaluate_authorization_request(
                CSP, CSP_CUSTOMER, delegation=None, pending=None, accept_commitment=False
            ).allowed
        ),
    ),
    (
        "request authorization: a distributor for its resellers' customers too (R-CUST-121)",
        lambda: allowed(DIST, Action.REQUEST_AUTHORIZATION, RESELLERS_CUSTOMER).allowed,
        lambda: allowed(DIST, Action.REQUEST_AUTHORIZATION, CSP_CUSTOMER).allowed,
    ),
    (
        "request authorization: a reseller needs its distributor's permission first (R-CUST-119)",
        lambda: allowed(RES, Action.REQUEST_AUTHORIZATION, RESELLERS_CUSTOMER, DELEGATED).allowed,
        lambda: (
            allowed(RES, Action.REQUEST_AUTHORIZATION, RESELLERS_CUSTOMER, NOT_DELEGATED).allowed
        ),
    ),
    (
        "order on behalf: a CSP any product, a reseller ECS/EVS/EIP only (R-CUST-120)",
        lambda: (
            evaluate_on_behalf(
                CSP, CSP_CUSTOMER, _accepted(CSP), delegation=None, product="RDS"
            ).allowed
        ),
        lambda: (
            evaluate_on_behalf(
                RES, RESELLERS_CUSTOMER, _accepted(RES), delegation=DELEGATED, product="RDS"
            ).allowed
        ),
    ),
    (
        "customer alerts and AM assignment: the customer's own partner (R-CUST-127)",
        lambda: allowed(RES, Action.HANDLE_ALERT, RESELLERS_CUSTOMER).allowed,
        lambda: allowed(DIST, Action.HANDLE_ALERT, RESELLERS_CUSTOMER).allowed,
    ),
    (
        "an account manager sees only its own customers (R-CUST-130)",
        lambda: (
            evaluate_permission(
                _am(),
                Action.VIEW_CUSTOMER,
                partner=CSP,
                association=CSP_CUSTOMER,
                account_manager=ActorId("am"),
            ).allowed
        ),
        lambda: (
            evaluate_permission(
                _am(),
                Action.VIEW_CUSTOMER,
                partner=CSP,
                association=CSP_CUSTOMER,
                account_manager=ActorId("someone-else"),
            ).allowed
        ),
    ),
    (
        "export of the customer list: administrators only (R-CUST-41, G-29, R-ELIG-063)",
        lambda: allowed(CSP, Action.EXPORT_CUSTOMERS).allowed,
        lambda: allowed(CSP, Action.EXPORT_CUSTOMERS, actor=_am()).allowed,
    ),
    (
        "a partner user acts only for its own partner (R-CUST-85)",
        lambda: allowed(CSP, Action.VIEW_CUSTOMER, CSP_CUSTOMER).allowed,
        lambda: (
            evaluate_permission(
                admin(DIST), Action.VIEW_CUSTOMER, partner=CSP, association=CSP_CUSTOMER
            ).allowed
        ),
    ),
]


def _am() -> Actor:
    return Actor.partner_user(ActorId("am"), CSP.id, {OrgRole.ACCOUNT_MANAGER})


def _accepted(partner: Partner) -> CustomerAuthorization:
    return CustomerAuthorization(
        "a", partner.id, CustomerId("c"), T, AuthorizationStatus.ACCEPTED, T
    )


@pytest.mark.parametrize(("row", "allow", "deny"), ROWS, ids=[r[0][:60] for r in ROWS])
def test_matrix_row_allows_and_denies(
    row: str, allow: Callable[[], bool], deny: Callable[[], bool]
) -> None:
    """customers.md 3.O and 4.8: R-CUST-01, 16, 61, 62, 63, 85, 96, 114, 119, 120, 121, 127, 130."""
    assert allow(), f"expected allowed: {row}"
    assert not deny(), f"expected denied: {row}"


def test_every_denial_names_a_rule() -> None:
    decision = allowed(DIST, Action.MANAGE_BUDGET, RESELLERS_CUSTOMER, DELEGATED)
    assert decision.reasons[0].rule_id == "R-CUST-62"
    assert decision.reasons[0].code == "DELEGATED_TO_RESELLER"
