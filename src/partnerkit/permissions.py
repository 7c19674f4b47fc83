"""Who may do what to which customer: the one permission check every service uses.

The answer depends on three things, and :func:`evaluate_permission` reads all
of them:

1. the actor's organisation roles and grants (R-CUST-85, R-CUST-130,
   R-CUST-133, G-29);
2. the actor's partner role: CSP, distributor or tier-two reseller
   (customers.md 3.O and 4.8);
3. the customer's association and, for a reseller's customer, the
   distributor's delegation (R-CUST-61..63, R-CUST-96, R-CUST-119, R-CUST-121).

>>> from partnerkit.ids import ActorId, PartnerId
>>> from partnerkit.partners import Partner, PartnerRole
>>> csp = Partner(PartnerId("p1"), PartnerRole.CSP, "HK")
>>> admin = Actor.partner_user(ActorId("u1"), PartnerId("p1"), {OrgRole.ADMIN})
>>> evaluate_permission(admin, Action.EXPORT_CUSTOMERS, partner=csp).allowed
True
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import final

import attrs

import partnerkit._validators as _v
from partnerkit._construct import checked
from partnerkit.customers.association import Association
from partnerkit.decisions import Decision, Reason
from partnerkit.errors import InvalidArgumentError, PermissionDeniedError
from partnerkit.ids import ActorId, CustomerId, PartnerId
from partnerkit.partners import Partner, ResellerDelegation, RoleKind

__all__ = [
    "Action",
    "Actor",
    "ActorKind",
    "OrgRole",
    "Permission",
    "evaluate_permission",
    "require_permission",
    "validate_roles",
]


class ActorKind(enum.Enum):
    """Who an actor is."""

    PARTNER_USER = "partner-user"
    CUSTOMER = "customer"
    VENDOR = "vendor"
    SYSTEM = "system"


class OrgRole(enum.Enum):
    """Roles of a user inside a partner organisation (R-CUST-133)."""

    ADMIN = "admin"
    ACCOUNT_DIRECTOR = "account-director"
    ACCOUNT_MANAGER = "account-manager"
    FINANCE_SPECIALIST = "finance-specialist"
    CUSTOM = "custom"


class Permission(enum.Enum):
    """Function permissions a custom role can grant."""

    CUSTOMER_DEVELOP = "customer.develop"
    CUSTOMER_MANAGE = "customer.manage"
    CUSTOMER_DISASSOCIATE = "customer.disassociate"
    ASSOCIATION_PROCESS = "customer.association.process"
    BUDGET_FREEZE = "customer.budget-freeze"
    ON_BEHALF = "customer.on-behalf"
    ALERTS_MANAGE = "customer.alerts"
    CUSTOMER_EXPORT = "customer.export"
    DELEGATION_MANAGE = "reseller.delegation"
    PRICING = "customer.pricing"
    #: Top-ups, payments and repayments of the partner's own bills; incentive payouts and funds.
    FINANCE = "finance.payments"
    #: Viewing and setting the annual revenue goal (R-INC-22); administrators have it.
    REVENUE_GOAL = "incentives.revenue-goal"


_ROLE_PERMISSIONS: dict[OrgRole, frozenset[Permission]] = {
    OrgRole.ADMIN: frozenset(Permission),
    OrgRole.ACCOUNT_DIRECTOR: frozenset(
        {
            Permission.CUSTOMER_DEVELOP,
            Permission.CUSTOMER_MANAGE,
            Permission.ON_BEHALF,
            Permission.ALERTS_MANAGE,
        }
    ),
    OrgRole.ACCOUNT_MANAGER: frozenset(
        {Permission.CUSTOMER_DEVELOP, Permission.CUSTOMER_MANAGE, Permission.ON_BEHALF}
    ),
    OrgRole.FINANCE_SPECIALIST: frozenset({Permission.FINANCE}),
    OrgRole.CUSTOM: frozenset(),
}


def validate_roles(roles: Iterable[OrgRole]) -> Decision:
    """Check a user's roles (R-CUST-133): 1 to 3 roles, admin alone, AM and AD apart.

    >>> validate_roles({OrgRole.ACCOUNT_MANAGER, OrgRole.ACCOUNT_DIRECTOR}).codes
    ('AM_AND_AD',)
    """
    chosen = frozenset(roles)
    reasons: list[Reason] = []
    if not 1 <= len(chosen) <= 3:
        reasons.append(
            Reason("ROLE_COUNT", "R-CUST-133", "a user has 1 to 3 roles", {"roles": len(chosen)})
        )
    if OrgRole.ADMIN in chosen and len(chosen) > 1:
        reasons.append(Reason("ADMIN_COMBINED", "R-CUST-133", "admin cannot be combined"))
    if {OrgRole.ACCOUNT_MANAGER, OrgRole.ACCOUNT_DIRECTOR} <= chosen:
        reasons.append(
            Reason("AM_AND_AD", "R-CUST-133", "account manager and director exclude each other")
        )
    return Decision.of(reasons)


def _role_set(value: Iterable[OrgRole]) -> frozenset[OrgRole]:
    roles = frozenset(value)
    if not all(isinstance(r, OrgRole) for r in roles):
        raise InvalidArgumentError("roles", value, "expected OrgRole values")
    return roles


def _grant_set(value: Iterable[Permission]) -> frozenset[Permission]:
    grants = frozenset(value)
    if not all(isinstance(g, Permission) for g in grants):
        raise InvalidArgumentError("grants", value, "expected Permission values")
    return grants


@checked
@final
@attrs.frozen
class Actor:
    """Who performs a command; an argument of every service call.

    Build with :meth:`partner_user`, :meth:`customer`, :meth:`vendor` or
    :meth:`system`.
    """

    id: ActorId = attrs.field(validator=_v.text)
    kind: ActorKind
    partner_id: PartnerId | None = None
    customer_id: CustomerId | None = None
    roles: frozenset[OrgRole] = attrs.field(factory=frozenset, converter=_role_set)
    grants: frozenset[Permission] = attrs.field(factory=frozenset, converter=_grant_set)

    def __attrs_post_init__(self) -> None:
        if self.kind is ActorKind.PARTNER_USER:
            if not self.partner_id:
                raise InvalidArgumentError(
                    "partner_id", self.partner_id, "a partner user needs its partner"
                )
            decision = validate_roles(self.roles)
            if not decision.allowed:
                raise InvalidArgumentError(
                    "roles", sorted(r.value for r in self.roles), decision.reasons[0].message,
                    rule_id="R-CUST-133",
                )  # fmt: skip
        if self.kind is ActorKind.CUSTOMER and not self.customer_id:
            raise InvalidArgumentError(
                "customer_id", self.customer_id, "a customer actor needs its customer"
            )

    @classmethod
    def partner_user(
        cls,
        id: ActorId,
        partner_id: PartnerId,
        roles: Iterable[OrgRole],
        *,
        grants: Iterable[Permission] = (),
    ) -> Actor:
        """A user of a partner organisation."""
        return cls(
            id, ActorKind.PARTNER_USER, partner_id, None, frozenset(roles), frozenset(grants)
        )

    @classmethod
    def customer(cls, customer_id: CustomerId) -> Actor:
        """A customer acting on its own account."""
        return cls(ActorId(customer_id), ActorKind.CUSTOMER, None, customer_id)

    @classmethod
    def vendor(cls, id: ActorId) -> Actor:
        """The vendor's staff (ecosystem or operation manager)."""
        return cls(id, ActorKind.VENDOR)

    @classmethod
    def system(cls) -> Actor:
        """Scheduled jobs: expiry, lead routing."""
        return cls(ActorId("system"), ActorKind.SYSTEM)

    def require_customer(self) -> CustomerId:
        """The customer this actor is; raises unless it is a customer actor."""
        if self.kind is not ActorKind.CUSTOMER or self.customer_id is None:
            raise PermissionDeniedError(
                self.id, "act as", "a customer", reason="not a customer actor"
            )
        return self.customer_id

    @property
    def permissions(self) -> frozenset[Permission]:
        """What the roles and grants allow."""
        granted = set(self.grants)
        for role in self.roles:
            granted |= _ROLE_PERMISSIONS[role]
        return frozenset(granted)

    @property
    def sees_all_customers(self) -> bool:
        """An AM-only user manages only its own customers (R-CUST-130)."""
        return self.roles != {OrgRole.ACCOUNT_MANAGER}


class Action(enum.Enum):
    """What an actor asks to do; each has the permission it needs."""

    PREREGISTER = "preregister"
    INVITE = "invite"
    VIEW_CUSTOMER = "view-customer"
    DISASSOCIATE = "disassociate"
    PROCESS_ASSOCIATION_REQUEST = "process-association-request"
    MANAGE_BUDGET = "manage-budget"
    FREEZE = "freeze"
    REQUEST_AUTHORIZATION = "request-authorization"
    ACT_ON_BEHALF = "act-on-behalf"
    ASSIGN_ACCOUNT_MANAGER = "assign-account-manager"
    HANDLE_ALERT = "handle-alert"
    EXPORT_CUSTOMERS = "export-customers"
    DELEGATE = "delegate"
    SET_DISCOUNT = "set-discount"
    ADJUST_PRICE = "adjust-price"
    VIEW_ORDERS = "view-orders"


_NEEDS: dict[Action, tuple[Permission, str]] = {
    Action.PREREGISTER: (Permission.CUSTOMER_DEVELOP, "R-CUST-16"),
    Action.INVITE: (Permission.CUSTOMER_DEVELOP, "R-CUST-16"),
    Action.VIEW_CUSTOMER: (Permission.CUSTOMER_MANAGE, "R-CUST-130"),
    Action.DISASSOCIATE: (Permission.CUSTOMER_DISASSOCIATE, "R-CUST-85"),
    Action.PROCESS_ASSOCIATION_REQUEST: (Permission.ASSOCIATION_PROCESS, "R-CUST-85"),
    Action.MANAGE_BUDGET: (Permission.BUDGET_FREEZE, "R-CUST-63"),
    Action.FREEZE: (Permission.BUDGET_FREEZE, "R-CUST-63"),
    Action.REQUEST_AUTHORIZATION: (Permission.ON_BEHALF, "R-CUST-113"),
    Action.ACT_ON_BEHALF: (Permission.ON_BEHALF, "R-CUST-113"),
    Action.ASSIGN_ACCOUNT_MANAGER: (Permission.CUSTOMER_MANAGE, "R-CUST-127"),
    Action.HANDLE_ALERT: (Permission.CUSTOMER_MANAGE, "R-CUST-140"),
    Action.EXPORT_CUSTOMERS: (Permission.CUSTOMER_EXPORT, "R-CUST-41"),
    Action.DELEGATE: (Permission.DELEGATION_MANAGE, "R-CUST-61"),
    Action.SET_DISCOUNT: (Permission.PRICING, "R-CUST-98"),
    Action.ADJUST_PRICE: (Permission.PRICING, "R-CUST-111"),
    Action.VIEW_ORDERS: (Permission.CUSTOMER_MANAGE, "R-BILL-76"),
}

_CUSTOMER_ACTIONS = frozenset(
    {
        Action.VIEW_CUSTOMER,
        Action.DISASSOCIATE,
        Action.PROCESS_ASSOCIATION_REQUEST,
        Action.MANAGE_BUDGET,
        Action.FREEZE,
        Action.REQUEST_AUTHORIZATION,
        Action.ACT_ON_BEHALF,
        Action.ASSIGN_ACCOUNT_MANAGER,
        Action.HANDLE_ALERT,
        Action.SET_DISCOUNT,
        Action.ADJUST_PRICE,
        Action.VIEW_ORDERS,
    }
)


def _customer_scope(
    partner: Partner,
    action: Action,
    association: Association | None,
    delegation: ResellerDelegation | None,
    distributor_disassociates_reseller_customers: bool,
) -> list[Reason]:
    if association is None or not association.active:
        return [
            Reason("NOT_ASSOCIATED", "R-CUST-85", "the customer is not associated with a partner")
        ]
    own = association.partner_id == partner.id
    resellers = partner.kind is RoleKind.DISTRIBUTOR and association.distributor_id == partner.id
    if not own and not resellers:
        return [
            Reason(
                "NOT_YOUR_CUSTOMER",
                "R-CUST-121",
                "the customer belongs to another partner",
                {"partner": association.partner_id},
            )
        ]
    delegated = (
        delegation is not None
        and delegation.reseller_id == association.partner_id
        and delegation.budget_freeze_authorized
    )
    if action in {Action.MANAGE_BUDGET, Action.FREEZE}:
        if resellers and delegated:
            return [
                Reason(
                    "DELEGATED_TO_RESELLER",
                    "R-CUST-62",
                    "the reseller holds budget and freeze powers for its customers",
                )
            ]
        if own and partner.kind is RoleKind.TIER_TWO and not delegated:
            return [
                Reason(
                    "NOT_DELEGATED",
                    "R-CUST-63",
                    "ask your distributor: it sets budgets and freezes your customers",
                )
            ]
    disassociating = action in {Action.DISASSOCIATE, Action.PROCESS_ASSOCIATION_REQUEST}
    if disassociating and resellers and not distributor_disassociates_reseller_customers:
        return [
            Reason(
                "RESELLER_DISASSOCIATES",
                "R-CUST-96",
                "the reseller disassociates its own customers",
            )
        ]
    if action in {Action.ASSIGN_ACCOUNT_MANAGER, Action.HANDLE_ALERT} and not own:
        return [
            Reason("NOT_YOUR_CUSTOMER", "R-CUST-127", "only the customer's own partner manages it")
        ]
    if action in {Action.SET_DISCOUNT, Action.ADJUST_PRICE} and not own:
        return [
            Reason(
                "NOT_YOUR_CUSTOMER",
                "R-CUST-98",
                "only the customer's own partner discounts it or adjusts its prices",
            )
        ]
    if (
        action in {Action.REQUEST_AUTHORIZATION, Action.ACT_ON_BEHALF}
        and partner.kind is RoleKind.TIER_TWO
    ):
        on_behalf = (
            delegation is not None
            and delegation.reseller_id == partner.id
            and delegation.on_behalf_authorized
        )
        if not on_behalf:
            return [
                Reason(
                    "DISTRIBUTOR_AUTHORIZATION_REQUIRED",
                    "R-CUST-119",
                    "the distributor has not granted on-behalf permission",
                )
            ]
    return []


def evaluate_permission(
    actor: Actor,
    action: Action,
    *,
    partner: Partner,
    association: Association | None = None,
    delegation: ResellerDelegation | None = None,
    account_manager: ActorId | None = None,
    distributor_disassociates_reseller_customers: bool = False,
) -> Decision:
    """May ``actor``, a user of ``partner``, do ``action`` (to the customer of ``association``)?

    Args:
        actor: The user.
        action: What it asks to do.
        partner: The actor's partner.
        association: The target customer's association, for customer actions.
        delegation: The delegation of the reseller concerned: the target
            customer's reseller (for a distributor acting) or the actor's
            own (for a reseller acting).
        account_manager: The target customer's current AM, if any.
        distributor_disassociates_reseller_customers: Policy flag G-44.
    """
    if actor.kind is not ActorKind.PARTNER_USER or actor.partner_id != partner.id:
        return Decision.deny(
            Reason("NOT_A_USER_OF_PARTNER", "R-CUST-85", "the actor is not a user of this partner")
        )
    reasons: list[Reason] = []
    needed, rule = _NEEDS[action]
    if needed not in actor.permissions:
        reasons.append(
            Reason(
                "MISSING_PERMISSION",
                rule,
                f"the user lacks the {needed.value} permission",
                {"permission": needed.value},
            )
        )
    developing = action in {Action.PREREGISTER, Action.INVITE}
    if (
        developing
        and partner.kind is RoleKind.DISTRIBUTOR
        and not partner.customer_development_enabled
    ):
        reasons.append(
            Reason(
                "DEVELOPMENT_NOT_ENABLED",
                "R-CUST-16",
                "the distributor has no customer-development permission",
            )
        )
    if action is Action.DELEGATE and partner.kind is not RoleKind.DISTRIBUTOR:
        reasons.append(Reason("NOT_A_DISTRIBUTOR", "R-CUST-61", "only a distributor delegates"))
    if (
        action is Action.DELEGATE
        and delegation is not None
        and delegation.distributor_id != partner.id
    ):
        reasons.append(
            Reason("NOT_YOUR_RESELLER", "R-CUST-61", "the reseller belongs to another distributor")
        )
    if action in _CUSTOMER_ACTIONS:
        reasons.extend(
            _customer_scope(
                partner,
                action,
                association,
                delegation,
                distributor_disassociates_reseller_customers,
            )
        )
        if not actor.sees_all_customers and account_manager != actor.id:
            reasons.append(
                Reason(
                    "NOT_YOUR_ACCOUNT",
                    "R-CUST-130",
                    "an account manager manages only its own customers",
                )
            )
    return Decision.of(reasons)


def require_permission(
    actor: Actor,
    action: Action,
    *,
    partner: Partner,
    target: object = None,
    association: Association | None = None,
    delegation: ResellerDelegation | None = None,
    account_manager: ActorId | None = None,
    distributor_disassociates_reseller_customers: bool = False,
) -> None:
    """Raise :class:`~partnerkit.errors.PermissionDeniedError` unless allowed.

    The error carries the first reason's rule and message.
    """
    decision = evaluate_permission(
        actor, action, partner=partner, association=association, delegation=delegation,
        account_manager=account_manager,
        distributor_disassociates_reseller_customers=distributor_disassociates_reseller_customers,
    )  # fmt: skip
    if not decision.allowed:
        first = decision.reasons[0]
        raise PermissionDeniedError(
            actor.id, action.value, target if target is not None else partner.id,
            rule_id=first.rule_id, reason=f"{first.code}: {first.message}",
        )  # fmt: skip
