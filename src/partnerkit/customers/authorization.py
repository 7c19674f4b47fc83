"""Customer authorization for on-behalf operations (SM-7, R-CUST-113..121).

A customer lets its partner place orders and operate resources for it.  The
authorization never expires; the customer may revoke it with a reason of at
most 128 characters, and a revocation is final.  A tier-two reseller also
needs its distributor's on-behalf permission, checked at action time
(R-CUST-119), and may order only some products (R-CUST-120).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import final

import attrs

import partnerkit._validators as _v
from partnerkit.customers.association import Association
from partnerkit.customers.policy import HUAWEI, CustomerPolicy
from partnerkit.decisions import Decision, Reason
from partnerkit.errors import InvalidArgumentError, RuleViolationError
from partnerkit.events import Event
from partnerkit.ids import ActorId, CustomerId, PartnerId
from partnerkit.partners import AssociationType, Partner, ResellerDelegation, RoleKind
from partnerkit.periods import require_aware

__all__ = [
    "AUTHORIZATION_SCOPE",
    "AuthorizationChanged",
    "AuthorizationStatus",
    "CustomerAuthorization",
    "evaluate_authorization_request",
    "evaluate_on_behalf",
    "request_authorization",
    "respond_to_authorization",
    "revoke_authorization",
]


#: What an accepted authorization lets the partner do, as the customer sees it (R-CUST-117).
AUTHORIZATION_SCOPE: tuple[str, ...] = (
    "manage resources",
    "subscribe to, renew, unsubscribe from and change cloud services",
    "start, stop, restart and delete resources",
    "reset passwords and modify cloud-service policies",
    "view account, expenditure, order, discount and contract information",
    "create and view work orders",
)


class AuthorizationStatus(enum.Enum):
    """SM-7 states."""

    PENDING_CONFIRMATION = "pending-confirmation"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    REVOKED = "revoked"


@final
@attrs.frozen
class CustomerAuthorization:
    """A partner's authorization to act for a customer (customers.md 1.12).

    ``expires_at`` does not exist: an accepted authorization lasts until the
    customer revokes it (R-CUST-116).
    """

    id: str = attrs.field(validator=_v.text)
    partner_id: PartnerId = attrs.field(validator=_v.text)
    customer_id: CustomerId = attrs.field(validator=_v.text)
    requested_at: datetime = attrs.field(validator=_v.aware)
    status: AuthorizationStatus = AuthorizationStatus.PENDING_CONFIRMATION
    effective_at: datetime | None = attrs.field(default=None, validator=_v.optional_aware)
    revoked_at: datetime | None = attrs.field(default=None, validator=_v.optional_aware)
    revoke_reason: str | None = None
    scope: tuple[str, ...] = AUTHORIZATION_SCOPE
    version: int = attrs.field(default=0, kw_only=True)


@attrs.frozen(kw_only=True)
class AuthorizationChanged(Event):
    """An authorization was requested, accepted, rejected or revoked."""

    before: CustomerAuthorization | None
    after: CustomerAuthorization
    partner: Partner | None = None

    def snapshots(self) -> tuple[object, ...]:
        """The stored values after the change."""
        return (self.after,) if self.partner is None else (self.after, self.partner)


def _delegated_on_behalf(partner: Partner, delegation: ResellerDelegation | None) -> bool:
    return (
        delegation is not None
        and delegation.reseller_id == partner.id
        and delegation.distributor_id == partner.distributor_id
        and delegation.on_behalf_authorized
    )


def _scope(partner: Partner, association: Association | None) -> Reason | None:
    """Whether ``association`` makes the customer one ``partner`` may act for (R-CUST-121)."""
    if association is None or not association.active:
        return Reason("NOT_ASSOCIATED", "R-CUST-113", "the customer is not associated")
    mine = association.partner_id == partner.id
    resellers = partner.kind is RoleKind.DISTRIBUTOR and association.distributor_id == partner.id
    if not (mine or resellers):
        return Reason("NOT_YOUR_CUSTOMER", "R-CUST-121", "the customer belongs to another partner")
    return None


def evaluate_authorization_request(
    partner: Partner,
    association: Association | None,
    *,
    delegation: ResellerDelegation | None,
    pending: CustomerAuthorization | None,
    accept_commitment: bool,
) -> Decision:
    """May ``partner`` ask this customer for authorization? (SM-7, R-CUST-114, 119)."""
    reasons: list[Reason] = []
    scope = _scope(partner, association)
    if scope is not None:
        reasons.append(scope)
    elif association is not None and association.association_type is not AssociationType.RESELLER:
        reasons.append(
            Reason(
                "NOT_RESELLER_MODEL",
                "R-CUST-113",
                "only reseller-model customers are operated on behalf",
            )
        )
    if partner.kind is RoleKind.TIER_TWO:
        if not _delegated_on_behalf(partner, delegation):
            reasons.append(
                Reason(
                    "DISTRIBUTOR_AUTHORIZATION_REQUIRED",
                    "R-CUST-119",
                    "the distributor has not granted on-behalf permission",
                )
            )
    elif partner.commitment_accepted_at is None and not accept_commitment:
        reasons.append(
            Reason(
                "COMMITMENT_LETTER_REQUIRED",
                "R-CUST-114",
                "accept the Partner Commitment Letter with the first request",
            )
        )
    if pending is not None and pending.status is AuthorizationStatus.PENDING_CONFIRMATION:
        reasons.append(
            Reason("REQUEST_PENDING", "R-CUST-115", "a request is already pending (G-21)")
        )
    return Decision.of(reasons)


def request_authorization(
    partner: Partner,
    association: Association,
    *,
    authorization_id: str,
    delegation: ResellerDelegation | None,
    pending: CustomerAuthorization | None,
    accept_commitment: bool,
    actor: ActorId,
    as_of: datetime,
) -> tuple[CustomerAuthorization, Partner, tuple[AuthorizationChanged, ...]]:
    """Ask the customer for authorization; the first ask accepts the commitment letter.

    Returns the pending authorization, the partner (with
    ``commitment_accepted_at`` set if this was its first request) and the event.
    """
    when = require_aware(as_of)
    evaluate_authorization_request(
        partner, association, delegation=delegation, pending=pending,
        accept_commitment=accept_commitment,
    ).raise_if_denied()  # fmt: skip
    partner_after = partner
    if partner.kind is not RoleKind.TIER_TWO and partner.commitment_accepted_at is None:
        partner_after = attrs.evolve(partner, commitment_accepted_at=when)
    authorization = CustomerAuthorization(
        authorization_id, partner.id, association.customer_id, when
    )
    event = AuthorizationChanged(
        occurred_at=when, actor=actor, before=None, after=authorization,
        partner=partner_after if partner_after is not partner else None,
    )  # fmt: skip
    return authorization, partner_after, (event,)


def respond_to_authorization(
    authorization: CustomerAuthorization, *, agree: bool, actor: ActorId, as_of: datetime
) -> tuple[CustomerAuthorization, tuple[AuthorizationChanged, ...]]:
    """The customer agrees (effective now, no expiry) or rejects (R-CUST-115, 116)."""
    when = require_aware(as_of)
    if authorization.status is not AuthorizationStatus.PENDING_CONFIRMATION:
        raise RuleViolationError(
            "R-CUST-115", "the request is not pending",
            fields={"code": "INVALID_TRANSITION", "status": authorization.status.value},
        )  # fmt: skip
    if agree:
        after = attrs.evolve(authorization, status=AuthorizationStatus.ACCEPTED, effective_at=when)
    else:
        after = attrs.evolve(authorization, status=AuthorizationStatus.REJECTED)
    return after, (
        AuthorizationChanged(occurred_at=when, actor=actor, before=authorization, after=after),
    )


def revoke_authorization(
    authorization: CustomerAuthorization,
    *,
    reason: str,
    actor: ActorId,
    as_of: datetime,
    policy: CustomerPolicy = HUAWEI,
) -> tuple[CustomerAuthorization, tuple[AuthorizationChanged, ...]]:
    """The customer revokes; final (R-CUST-116).

    The reason is required and at most 128 characters.
    """
    when = require_aware(as_of)
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidArgumentError("reason", reason, "a cause is required", rule_id="R-CUST-116")
    if len(reason) > policy.revoke_reason_max_length:
        raise InvalidArgumentError(
            "reason", f"{reason[:20]}... ({len(reason)} characters)",
            f"at most {policy.revoke_reason_max_length} characters", rule_id="R-CUST-116",
        )  # fmt: skip
    if authorization.status is not AuthorizationStatus.ACCEPTED:
        raise RuleViolationError(
            "R-CUST-116", "only an accepted authorization can be revoked; a revocation is final",
            fields={"code": "INVALID_TRANSITION", "status": authorization.status.value},
        )  # fmt: skip
    after = attrs.evolve(
        authorization, status=AuthorizationStatus.REVOKED, revoked_at=when, revoke_reason=reason
    )
    event = AuthorizationChanged(
        occurred_at=when, actor=actor, reason=reason, before=authorization, after=after
    )
    return after, (event,)


def evaluate_on_behalf(
    partner: Partner,
    association: Association | None,
    authorization: CustomerAuthorization | None,
    *,
    delegation: ResellerDelegation | None,
    product: str,
    policy: CustomerPolicy = HUAWEI,
) -> Decision:
    """May ``partner`` order ``product`` for this customer now? (R-CUST-113, 119, 120, 121).

    >>> from partnerkit.partners import PartnerRole
    >>> csp = Partner(PartnerId("p"), PartnerRole.CSP, "HK")
    >>> evaluate_on_behalf(csp, None, None, delegation=None, product="ECS").codes
    ('NOT_ASSOCIATED', 'AUTHORIZATION_REQUIRED')
    """
    reasons: list[Reason] = []
    scope = _scope(partner, association)
    if scope is not None:
        reasons.append(scope)
    if partner.kind is RoleKind.TIER_TWO:
        if not _delegated_on_behalf(partner, delegation):
            reasons.append(
                Reason(
                    "DISTRIBUTOR_AUTHORIZATION_REQUIRED",
                    "R-CUST-119",
                    "the distributor has not granted on-behalf permission",
                )
            )
        allowed = policy.reseller_on_behalf_products
        if allowed is not None and product not in allowed:
            reasons.append(
                Reason(
                    "PRODUCT_NOT_ORDERABLE_ON_BEHALF",
                    "R-CUST-120",
                    f"a reseller may order only {', '.join(sorted(allowed))} on behalf",
                    {"product": product},
                )
            )
    accepted = (
        authorization is not None
        and authorization.status is AuthorizationStatus.ACCEPTED
        and association is not None
        and authorization.customer_id == association.customer_id
        and authorization.partner_id == partner.id
    )
    if not accepted:
        reasons.append(
            Reason(
                "AUTHORIZATION_REQUIRED",
                "R-CUST-113",
                "the customer has not authorized the partner",
            )
        )
    return Decision.of(reasons)
