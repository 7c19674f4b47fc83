"""Association (SM-3) and disassociation (SM-4) of a customer and a partner.

A customer has at most one partner.  It associates by accepting an
invitation; :func:`evaluate_association` lists every reason against it, in
the order of the vendor's failure table (R-CUST-36), with the vendor's exact
texts.  A reseller-model association leaves the account frozen by default
(R-CUST-32): :class:`CustomerAssociated` says so, and the budget package
turns it into a freeze hold.

Disassociation is a request the counterparty confirms (DESIGN CHOICE G-11),
at most one per side per three calendar months (R-CUST-86, R-CUST-87).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime, time
from typing import Any, final

import attrs

import partnerkit._validators as _v
from partnerkit.customers.account_managers import AccountManagerAssignment, assign_account_manager
from partnerkit.customers.development import (
    Invitation,
    InvitationChanged,
    InvitationMethod,
    InvitationStatus,
    PreRegistration,
    PreRegistrationChanged,
    PreRegistrationStatus,
    holds_exclusivity,
)
from partnerkit.customers.facts import CustomerFacts, EnterpriseRole, Site
from partnerkit.customers.policy import HUAWEI, CustomerPolicy
from partnerkit.decisions import Decision, Reason
from partnerkit.errors import InvalidArgumentError, RuleViolationError
from partnerkit.events import Event
from partnerkit.ids import ActorId, CustomerId, InvitationId, PartnerId
from partnerkit.partners import AssociationType, Partner
from partnerkit.periods import add_months, require_aware

__all__ = [
    "FAILURE_MESSAGES",
    "AcceptanceResult",
    "Association",
    "AssociationRequest",
    "AssociationRequestChanged",
    "AssociationStatus",
    "CustomerAssociated",
    "CustomerDisassociated",
    "Initiator",
    "RequestStatus",
    "accept_invitation",
    "associate_by_ticket",
    "evaluate_association",
    "evaluate_disassociation",
    "request_disassociation",
    "respond_to_disassociation",
]

#: The vendor's failure texts (R-CUST-36), by reason code, in table order.
FAILURE_MESSAGES: dict[str, str] = {
    "INVITATION_NOT_FOUND": "The invitation link does not exist.",
    "INVITATION_EXPIRED": "The invitation link has expired.",
    "INVITATION_CODE_USED": "The invitation code has been used.",
    "INVITATION_USED": "The invitation link has been used.",
    "PREPAID_PARTNER": "Prepaid partners cannot develop customers in reseller model.",
    "PREREGISTERED_BY_ANOTHER_PARTNER": "Failed to associate with the partner because the customer has been registered by another partner.",  # noqa: E501
    "CUSTOMER_IS_PARTNER": "Failed to set the customer to a partner's customer because the customer is already a partner or is applying for becoming a partner.",  # noqa: E501
    "ASSOCIATED_WITH_ANOTHER_PARTNER": "Failed to associate with the partner because the customer already associates with another partner.",  # noqa: E501
    "SPECIAL_CONTRACT": "Failed to associate with the partner because the customer has a special contract.",  # noqa: E501
    "VENDOR_INTERNAL_ACCOUNT": "Failed to associate with the partner because the customer uses a Huawei internal account.",  # noqa: E501
    "ENTERPRISE_MASTER": "Failed to associate with the partner by reseller model because the customer has its enterprise master account.",  # noqa: E501
    "ENTERPRISE_MEMBER": "Failed to associate with the partner by reseller model because the customer has its enterprise member account associated with the enterprise master account. To associate with the partner by reseller model, disassociate from the enterprise master account.",  # noqa: E501
    "REFERRAL_NOT_SIGNED": "According to your signed relationship with Huawei, some of the customers cannot be associated by referral model. Please associate them by reseller model.",  # noqa: E501
    "REFERRAL_COUNTRY": "According to your registration country, some of the customers cannot be associated by referral model. Please associate them by reseller model.",  # noqa: E501
    "CONSUMPTION_RECORD": "Failed to associate with the partner because the customer has a consumption record.",  # noqa: E501
    "TOPUP_INVOICE_OVER_LIMIT": "Failed to associate with the partner because the top-up account has a balance and the outstanding invoice amount is greater than the limit.",  # noqa: E501
    "REGISTRATION_TOO_OLD": "Failed to associate with the partner because the customer registration time exceeds the limit.",  # noqa: E501
    "OVERDUE_PAYMENT": "Failed to associate with the partner because the customer has overdue payment.",  # noqa: E501
    "CREDIT_BILL_RUN_OVERDUE": "Failed to associate with the partner by reseller model because the bill run of the customer's credit account is created and the account has overdue payment.",  # noqa: E501
}  # fmt: skip


class AssociationStatus(enum.Enum):
    """Whether the association stands."""

    ACTIVE = "active"
    DISASSOCIATED = "disassociated"


@final
@attrs.frozen
class Association:
    """A customer's association with its (direct) partner; keyed by customer.

    Attributes:
        partner_id: The direct partner: CSP, distributor or reseller.
        distributor_id: The reseller's distributor, when the partner is one.
        custom_tag: The tag of the customized link it came through (R-CUST-22).
        instructions_version: The association instructions signed (R-CUST-35).
    """

    customer_id: CustomerId = attrs.field(validator=_v.text)
    partner_id: PartnerId = attrs.field(validator=_v.text)
    association_type: AssociationType
    associated_at: datetime = attrs.field(validator=_v.aware)
    distributor_id: PartnerId | None = None
    invitation_id: InvitationId | None = None
    custom_tag: str | None = None
    instructions_version: str | None = None
    status: AssociationStatus = AssociationStatus.ACTIVE
    disassociated_at: datetime | None = attrs.field(default=None, validator=_v.optional_aware)
    version: int = attrs.field(default=0, kw_only=True)

    @property
    def active(self) -> bool:
        """Whether the association stands."""
        return self.status is AssociationStatus.ACTIVE


def _reason(code: str, rule_id: str, **fields: Any) -> Reason:
    return Reason(code, rule_id, FAILURE_MESSAGES[code], fields)


def evaluate_association(
    partner: Partner,
    customer: CustomerFacts,
    invitation: Invitation,
    *,
    existing: Association | None,
    email_records: Iterable[PreRegistration],
    new_account: bool,
    as_of: datetime,
    policy: CustomerPolicy = HUAWEI,
) -> Decision:
    """Every reason against ``customer`` associating through ``invitation``.

    Reasons come in the order of the vendor's failure table (R-CUST-36, G-39),
    then the conditions the table has no text for (China site, reserved
    instances, professional-service contract, unified accounting, offline
    link for an existing account).

    Args:
        partner: The invitation's partner.
        customer: The customer's facts.
        invitation: The invitation being accepted.
        existing: The customer's association record, if any.
        email_records: Pre-registrations of the customer's email, all partners.
        new_account: Whether the customer registered a new account in this
            flow (offline links are only for new accounts, R-CUST-25).
        as_of: Now.
        policy: The vendor policy.
    """
    when = require_aware(as_of)
    kind = invitation.association_type
    reseller = kind is AssociationType.RESELLER
    reasons: list[Reason] = []
    if invitation.partner_id != partner.id:
        raise InvalidArgumentError("partner", partner.id, "not the invitation's partner")
    expired = invitation.status is InvitationStatus.EXPIRED or (
        invitation.expires_at is not None and when >= invitation.expires_at
    )
    if expired:
        reasons.append(_reason("INVITATION_EXPIRED", "R-CUST-19"))
    single_use = invitation.method is InvitationMethod.EMAIL
    used = customer.id in invitation.used_by or (
        single_use and (invitation.used_by or invitation.status is InvitationStatus.ASSOCIATED)
    )
    if used:
        reasons.append(_reason("INVITATION_USED", "R-CUST-20"))
    if reseller and partner.prepaid:
        reasons.append(_reason("PREPAID_PARTNER", "R-CUST-06"))
    others = {
        r.partner_id
        for r in email_records
        if r.email == customer.normalized_email and holds_exclusivity(r, when)
    } - {partner.id}
    if others:
        reasons.append(_reason("PREREGISTERED_BY_ANOTHER_PARTNER", "R-CUST-08"))
    if customer.is_partner_or_applying:
        reasons.append(_reason("CUSTOMER_IS_PARTNER", "R-CUST-36"))
    if existing is not None and existing.active:
        code = "ASSOCIATED_WITH_ANOTHER_PARTNER"
        reasons.append(_reason(code, "R-CUST-30", partner=existing.partner_id))
    if customer.special_contract or customer.special_commerce_contract_active:
        reasons.append(_reason("SPECIAL_CONTRACT", "R-CUST-30"))
    if customer.is_vendor_internal_account:
        reasons.append(_reason("VENDOR_INTERNAL_ACCOUNT", "R-CUST-36"))
    if reseller and customer.enterprise_role is EnterpriseRole.MASTER_WITH_INDEPENDENT_MEMBERS:
        reasons.append(_reason("ENTERPRISE_MASTER", "R-CUST-31"))
    if reseller and customer.enterprise_role is EnterpriseRole.MEMBER:
        reasons.append(_reason("ENTERPRISE_MEMBER", "R-CUST-31"))
    if not reseller and kind not in partner.association_types():
        reasons.append(_reason("REFERRAL_NOT_SIGNED", "R-CUST-01"))
    country = customer.registration_country
    if not reseller and country is not None and country != partner.country:
        reasons.append(_reason("REFERRAL_COUNTRY", "R-CUST-36", customer=country))
    if customer.has_cash_expenditure:
        reasons.append(_reason("CONSUMPTION_RECORD", "R-CUST-30"))
    if customer.topup_balance_and_invoice_over_limit:
        reasons.append(_reason("TOPUP_INVOICE_OVER_LIMIT", "R-CUST-36"))
    if when - customer.registered_at > policy.registration_age_limit:
        reasons.append(_reason("REGISTRATION_TOO_OLD", "R-CUST-30"))
    if customer.unpaid_bills or customer.overdue_payment:
        reasons.append(_reason("OVERDUE_PAYMENT", "R-CUST-30"))
    if reseller and customer.credit_bill_run_overdue:
        reasons.append(_reason("CREDIT_BILL_RUN_OVERDUE", "R-CUST-36"))
    if customer.site is Site.CHINESE_MAINLAND:
        reasons.append(
            Reason("CHINA_SITE", "R-CUST-30", "the customer is registered on the China site")
        )
    if customer.unified_accounting_master_linked:
        reasons.append(
            Reason(
                "UNIFIED_ACCOUNTING",
                "R-CUST-30",
                "the customer is linked to an enterprise master under unified accounting",
            )
        )
    if reseller and customer.professional_service_contract:
        reasons.append(
            Reason(
                "PROFESSIONAL_SERVICE_CONTRACT",
                "R-CUST-31",
                "a professional-service contract bars the reseller model",
            )
        )
    if reseller and customer.has_valid_reserved_instances:
        reasons.append(
            Reason(
                "RESERVED_INSTANCES", "R-CUST-31", "valid reserved instances bar the reseller model"
            )
        )
    if invitation.method.is_link and not new_account:
        reasons.append(
            Reason(
                "EXISTING_ACCOUNT_REQUIRES_ONLINE_INVITATION",
                "R-CUST-25",
                "links and QR codes are for new accounts; invite an existing account by email",
            )
        )
    return Decision.of(reasons)


@attrs.frozen(kw_only=True)
class CustomerAssociated(Event):
    """A customer associated with a partner.

    Attributes:
        association: The new association.
        default_freeze: The account is frozen by default (reseller model,
            R-CUST-32); the budget package adds the ``ASSOCIATION_DEFAULT``
            hold when it sees this.
        disclosed_to: Who may now see the customer's profile (R-CUST-37).
        invitation: The invitation after use (``None`` for a ticket association).
        pre_registration: The partner's pre-registration it consumed, if any.
        assignment: The AM assignment made through the invitation (R-CUST-24).
    """

    association: Association
    default_freeze: bool
    disclosed_to: tuple[PartnerId, ...]
    invitation: Invitation | None = None
    pre_registration: PreRegistration | None = None
    assignment: AccountManagerAssignment | None = None

    def snapshots(self) -> tuple[object, ...]:
        """The stored values after the change."""
        found: list[object] = [self.association]
        if self.invitation is not None:
            found.append(self.invitation)
        if self.pre_registration is not None:
            found.append(self.pre_registration)
        if self.assignment is not None:
            found.append(self.assignment)
        return tuple(found)


@final
@attrs.frozen
class AcceptanceResult:
    """What happened when a customer accepted an invitation.

    Attributes:
        decision: Why not, when it failed (``decision.allowed`` otherwise).
        association: The new association, when it succeeded.
        events: ``CustomerAssociated`` on success; on a failed email
            invitation an ``InvitationChanged`` to ``ASSOCIATION_FAILED``
            (SM-2); nothing when a reusable link was refused.
    """

    decision: Decision
    association: Association | None
    events: tuple[Event, ...]

    @property
    def associated(self) -> bool:
        """Whether the customer is now associated."""
        return self.association is not None

    @property
    def message(self) -> str | None:
        """The vendor's failure text for the first reason (R-CUST-36)."""
        return self.decision.reasons[0].message if self.decision.reasons else None


def accept_invitation(
    partner: Partner,
    customer: CustomerFacts,
    invitation: Invitation,
    *,
    existing: Association | None,
    email_records: Iterable[PreRegistration],
    assignment: AccountManagerAssignment | None,
    new_account: bool,
    signed_instructions: str | None,
    as_of: datetime,
    policy: CustomerPolicy = HUAWEI,
) -> AcceptanceResult:
    """The customer accepts ``invitation`` (SM-2 accept, SM-3 associate).

    On success the association is ACTIVE, the invitation records the use,
    the partner's matching pre-registration becomes ASSOCIATED (matched by
    case-insensitive email, R-CUST-12), and the inviting AM is assigned when
    there is one (R-CUST-24).  A reseller-model association needs the signed
    association instructions (R-CUST-35).
    """
    when = require_aware(as_of)
    records = tuple(email_records)
    decision = evaluate_association(
        partner, customer, invitation, existing=existing, email_records=records,
        new_account=new_account, as_of=when, policy=policy,
    )  # fmt: skip
    reseller = invitation.association_type is AssociationType.RESELLER
    if decision.allowed and reseller and not signed_instructions:
        decision = Decision.deny(
            Reason(
                "INSTRUCTIONS_NOT_SIGNED",
                "R-CUST-35",
                "the customer must agree to the association instructions (reseller model)",
            )
        )
    actor = ActorId(customer.id)
    if not decision.allowed:
        if (
            invitation.method is InvitationMethod.EMAIL
            and invitation.status is InvitationStatus.SENT
        ):
            expired = decision.has("INVITATION_EXPIRED")
            after = attrs.evolve(
                invitation,
                status=InvitationStatus.EXPIRED if expired else InvitationStatus.ASSOCIATION_FAILED,
                failure_code=decision.reasons[0].code,
            )
            failed = InvitationChanged(
                occurred_at=when, actor=actor, reason=decision.reasons[0].message,
                before=invitation, after=after,
            )  # fmt: skip
            return AcceptanceResult(decision, None, (failed,))
        return AcceptanceResult(decision, None, ())
    association = Association(
        customer.id, partner.id, invitation.association_type, when,
        distributor_id=partner.distributor_id, invitation_id=invitation.id,
        custom_tag=invitation.custom_tag, instructions_version=signed_instructions,
    )  # fmt: skip
    used = attrs.evolve(
        invitation,
        used_by=(*invitation.used_by, customer.id),
        status=InvitationStatus.ASSOCIATED
        if invitation.method is InvitationMethod.EMAIL
        else invitation.status,
    )
    consumed = next(
        (
            r
            for r in records
            if r.partner_id == partner.id
            and r.email == customer.normalized_email
            and holds_exclusivity(r, when)
            and r.status is PreRegistrationStatus.PRE_REGISTERED
        ),
        None,
    )
    consumed_after = (
        attrs.evolve(consumed, status=PreRegistrationStatus.ASSOCIATED) if consumed else None
    )
    new_assignment = None
    if invitation.account_manager is not None:
        new_assignment, _ = assign_account_manager(
            assignment, customer.id, partner.id, invitation.account_manager,
            actor=invitation.inviter, as_of=when, change=True, policy=policy,
        )  # fmt: skip
    disclosed = (
        (partner.id,) if partner.distributor_id is None else (partner.id, partner.distributor_id)
    )
    event = CustomerAssociated(
        occurred_at=when, actor=actor, association=association,
        default_freeze=reseller and policy.freeze_on_reseller_association,
        disclosed_to=disclosed, invitation=used, pre_registration=consumed_after,
        assignment=new_assignment,
    )  # fmt: skip
    events: list[Event] = [event]
    if consumed is not None and consumed_after is not None:
        events.append(
            PreRegistrationChanged(
                occurred_at=when, actor=actor, before=consumed, after=consumed_after
            )
        )
    return AcceptanceResult(decision, association, tuple(events))


def associate_by_ticket(
    partner: Partner,
    customer: CustomerFacts,
    *,
    association_type: AssociationType,
    existing: Association | None,
    actor: ActorId,
    as_of: datetime,
) -> tuple[Association, tuple[CustomerAssociated, ...]]:
    """The vendor associates a customer through a service ticket (R-CUST-39).

    A customer that does not want the default freeze can skip the invitation
    and ask its partner to associate it through a ticket; the library records
    the externally created association without the default freeze.  The
    one-partner rule still holds.
    """
    when = require_aware(as_of)
    if existing is not None and existing.active:
        raise RuleViolationError(
            "R-CUST-30", FAILURE_MESSAGES["ASSOCIATED_WITH_ANOTHER_PARTNER"],
            fields={"code": "ASSOCIATED_WITH_ANOTHER_PARTNER", "partner": existing.partner_id},
        )  # fmt: skip
    if association_type not in partner.association_types():
        raise RuleViolationError(
            "R-CUST-01", f"{partner.role.name} may not use the {association_type.value} model",
            fields={"code": "ASSOCIATION_TYPE_NOT_PERMITTED"},
        )  # fmt: skip
    association = Association(
        customer.id, partner.id, association_type, when, distributor_id=partner.distributor_id
    )
    disclosed = (
        (partner.id,) if partner.distributor_id is None else (partner.id, partner.distributor_id)
    )
    event = CustomerAssociated(
        occurred_at=when, actor=actor, reason="service ticket", association=association,
        default_freeze=False, disclosed_to=disclosed,
    )  # fmt: skip
    return association, (event,)


# --- disassociation (SM-4, R-CUST-85..96) -------------------------------------------------


class Initiator(enum.Enum):
    """Who asked for the disassociation."""

    PARTNER = "partner"
    CUSTOMER = "customer"


class RequestStatus(enum.Enum):
    """SM-4 states."""

    PENDING_CONFIRMATION = "pending-confirmation"
    COMPLETED = "completed"
    REJECTED = "rejected"


@final
@attrs.frozen
class AssociationRequest:
    """A disassociation request (customers.md 1.7)."""

    id: str = attrs.field(validator=_v.text)
    customer_id: CustomerId = attrs.field(validator=_v.text)
    partner_id: PartnerId = attrs.field(validator=_v.text)
    initiator: Initiator
    reason: str = attrs.field(validator=_v.text)
    requested_at: datetime = attrs.field(validator=_v.aware)
    status: RequestStatus = RequestStatus.PENDING_CONFIRMATION
    decided_at: datetime | None = attrs.field(default=None, validator=_v.optional_aware)
    version: int = attrs.field(default=0, kw_only=True)


def evaluate_disassociation(
    association: Association,
    customer: CustomerFacts,
    *,
    initiator: Initiator,
    history: Iterable[AssociationRequest],
    manually_frozen: bool,
    as_of: datetime,
    policy: CustomerPolicy = HUAWEI,
) -> Decision:
    """Every reason against a disassociation request (R-CUST-86..92).

    Args:
        association: The customer's association.
        customer: The customer's facts.
        initiator: Partner or customer.
        history: Earlier requests about this customer (any status; rejected
            ones count, G-12).
        manually_frozen: The partner froze the account by hand (R-CUST-89);
            the budget package knows, so the caller says.
        as_of: Now.
        policy: The vendor policy.
    """
    when = require_aware(as_of)
    reasons: list[Reason] = []
    if not association.active:
        reasons.append(Reason("NOT_ASSOCIATED", "R-CUST-85", "the customer is not associated"))
    months = policy.disassociation_spacing_months
    earlier = [r for r in history if r.customer_id == association.customer_id]
    if any(r.status is RequestStatus.PENDING_CONFIRMATION for r in earlier):
        reasons.append(Reason("REQUEST_PENDING", "R-CUST-93", "a request is already pending"))
    own = [r for r in earlier if r.initiator is initiator]
    local = when.astimezone(policy.time_zone)

    def too_recent(requests: list[AssociationRequest]) -> datetime | None:
        for r in sorted(requests, key=lambda r: r.requested_at, reverse=True):
            start = r.requested_at.astimezone(policy.time_zone).date()
            # Calendar days in the policy's zone: allowed from the same day N months on.
            allowed = datetime.combine(add_months(start, months), time(0), tzinfo=policy.time_zone)
            if local < allowed:
                return allowed
        return None

    own_block = too_recent(own)
    if own_block is not None:
        rule = "R-CUST-86" if initiator is Initiator.PARTNER else "R-CUST-87"
        reasons.append(
            Reason(
                "DISASSOCIATION_TOO_FREQUENT",
                rule,
                f"one disassociation request per {months} months",
                {"allowed_from": own_block.isoformat()},
            )
        )
    if initiator is Initiator.PARTNER:
        customer_block = too_recent([r for r in earlier if r.initiator is Initiator.CUSTOMER])
        if customer_block is not None and own_block is None:
            reasons.append(
                Reason(
                    "CUSTOMER_REQUESTED_RECENTLY",
                    "R-CUST-87",
                    f"a partner may request {months} months after the customer's latest request",
                    {"allowed_from": customer_block.isoformat()},
                )
            )
        _partner_blockers(customer, manually_frozen, reasons)
    else:
        _customer_blockers(customer, association, reasons)
    return Decision.of(reasons)


def _partner_blockers(
    customer: CustomerFacts, manually_frozen: bool, reasons: list[Reason]
) -> None:
    if customer.enterprise_role is EnterpriseRole.MASTER_WITH_INDEPENDENT_MEMBERS:
        reasons.append(
            Reason(
                "ENTERPRISE_MASTER_WITH_MEMBERS",
                "R-CUST-88",
                "cannot disassociate from an enterprise master with independent-accounting members",
            )
        )
    if manually_frozen:
        reasons.append(
            Reason(
                "UNFREEZE_BEFORE_DISASSOCIATION",
                "R-CUST-89",
                "unfreeze the manually frozen account first",
            )
        )
    if customer.has_valid_reserved_instances or customer.has_partner_support_plan:
        reasons.append(
            Reason(
                "RESERVED_INSTANCES_OR_SUPPORT_PLAN",
                "R-CUST-90",
                "the customer has an unexpired reserved instance or a partner support plan",
            )
        )


def _customer_blockers(
    customer: CustomerFacts, association: Association, reasons: list[Reason]
) -> None:
    if association.association_type is not AssociationType.RESELLER:
        return
    if (
        customer.enterprise_role is not EnterpriseRole.NONE
        or customer.unified_accounting_master_linked
    ):
        reasons.append(
            Reason(
                "ENTERPRISE_LINKED",
                "R-CUST-91",
                "unlink the enterprise master or member account first",
            )
        )
    if customer.overdue_payment:
        reasons.append(
            Reason(
                "OVERDUE_PAYMENT",
                "R-CUST-91",
                "the partner must first raise the credit to write off arrears",
            )
        )
    if customer.has_valid_reserved_instances or customer.has_partner_support_plan:
        reasons.append(
            Reason(
                "RESERVED_INSTANCES_OR_SUPPORT_PLAN",
                "R-CUST-91",
                "unsubscribe from reserved instances and partner support plans first",
            )
        )
    if not customer.currency_set:
        reasons.append(Reason("CURRENCY_NOT_SET", "R-CUST-91", "set a currency first"))
    if customer.special_commerce_contract_active:
        reasons.append(
            Reason(
                "SPECIAL_COMMERCE_CONTRACT",
                "R-CUST-91",
                "settle the special commerce contract offline",
            )
        )
    if customer.orders_awaiting_partner_payment:
        reasons.append(
            Reason(
                "ORDERS_AWAITING_PARTNER_PAYMENT",
                "R-CUST-92",
                "cancel the orders awaiting partner payment, or have the partner pay them",
                {"orders": customer.orders_awaiting_partner_payment},
            )
        )


@attrs.frozen(kw_only=True)
class AssociationRequestChanged(Event):
    """A disassociation request was submitted, rejected or completed."""

    before: AssociationRequest | None
    after: AssociationRequest

    def snapshots(self) -> tuple[object, ...]:
        """The stored values after the change."""
        return (self.after,)


@attrs.frozen(kw_only=True)
class CustomerDisassociated(Event):
    """The association ended (R-CUST-95).

    Consumers end what hangs on it (G-26): the budget package removes the
    budget and partner freeze holds and reclaims balances; the services end
    the AM assignment and the authorization.
    """

    before: Association
    after: Association
    request: AssociationRequest

    def snapshots(self) -> tuple[object, ...]:
        """The stored values after the change."""
        return (self.after, self.request)


def _disassociate(
    association: Association, request: AssociationRequest, *, actor: ActorId, when: datetime
) -> CustomerDisassociated:
    after = attrs.evolve(association, status=AssociationStatus.DISASSOCIATED, disassociated_at=when)
    return CustomerDisassociated(
        occurred_at=when, actor=actor, reason=request.reason, before=association, after=after,
        request=request,
    )  # fmt: skip


def request_disassociation(
    association: Association,
    customer: CustomerFacts,
    *,
    request_id: str,
    initiator: Initiator,
    reason: str,
    acknowledged: bool,
    history: Iterable[AssociationRequest],
    manually_frozen: bool,
    actor: ActorId,
    as_of: datetime,
    policy: CustomerPolicy = HUAWEI,
) -> tuple[AssociationRequest, Association, tuple[Event, ...]]:
    """Submit a disassociation request (SM-4, R-CUST-93).

    The initiator must tick the acknowledgement and give a reason.  With
    ``policy.disassociation_requires_confirmation`` off, the request completes
    at once.  Returns the request, the association and the events.
    """
    when = require_aware(as_of)
    if not acknowledged:
        raise InvalidArgumentError(
            "acknowledged", acknowledged, "tick 'I understand the preceding statement'",
            rule_id="R-CUST-93",
        )  # fmt: skip
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidArgumentError("reason", reason, "a reason is required", rule_id="R-CUST-93")
    evaluate_disassociation(
        association, customer, initiator=initiator, history=history,
        manually_frozen=manually_frozen, as_of=when, policy=policy,
    ).raise_if_denied()  # fmt: skip
    request = AssociationRequest(
        request_id, association.customer_id, association.partner_id, initiator, reason, when
    )
    submitted = AssociationRequestChanged(occurred_at=when, actor=actor, before=None, after=request)
    if policy.disassociation_requires_confirmation:
        return request, association, (submitted,)
    done = attrs.evolve(request, status=RequestStatus.COMPLETED, decided_at=when)
    ended = _disassociate(association, done, actor=actor, when=when)
    return done, ended.after, (submitted, ended)


def respond_to_disassociation(
    request: AssociationRequest,
    association: Association,
    *,
    agree: bool,
    actor: ActorId,
    as_of: datetime,
) -> tuple[AssociationRequest, Association, tuple[Event, ...]]:
    """The counterparty agrees (COMPLETED, association ends) or rejects (R-CUST-94).

    A rejected request still counts toward the 3-month limit (G-12).
    """
    when = require_aware(as_of)
    if request.status is not RequestStatus.PENDING_CONFIRMATION:
        raise RuleViolationError(
            "R-CUST-94", "the request was already processed",
            fields={"code": "INVALID_TRANSITION", "status": request.status.value},
        )  # fmt: skip
    if request.customer_id != association.customer_id or not association.active:
        raise RuleViolationError(
            "R-CUST-94", "the request does not match an active association",
            fields={"code": "NOT_ASSOCIATED"},
        )  # fmt: skip
    if not agree:
        after = attrs.evolve(request, status=RequestStatus.REJECTED, decided_at=when)
        event = AssociationRequestChanged(
            occurred_at=when, actor=actor, before=request, after=after
        )
        return after, association, (event,)
    after = attrs.evolve(request, status=RequestStatus.COMPLETED, decided_at=when)
    ended = _disassociate(association, after, actor=actor, when=when)
    return after, ended.after, (ended,)
