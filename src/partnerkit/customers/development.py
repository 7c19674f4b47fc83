"""Customer development: pre-registration (SM-1) and invitations (SM-2).

A partner pre-registers a prospect's email to hold it exclusively for 15
days, then invites it by email, or shares a general, customized or
promotional link (each with a QR rendering).  Every refusal is a
:class:`~partnerkit.decisions.Reason` whose code is stable and whose rule ID
points into ``customers.md``.

>>> from datetime import datetime
>>> from partnerkit.ids import PartnerId
>>> from partnerkit.partners import Partner, PartnerRole
>>> from partnerkit.periods import GMT_PLUS_8
>>> csp = Partner(PartnerId("p1"), PartnerRole.CSP, "HK", contact_email="sales@p1.example")
>>> when = datetime(2024, 3, 1, 10, 0, tzinfo=GMT_PLUS_8)
>>> pre, events = preregister(
...     csp, PreRegistrationRequest("pr-1", "Alice Ltd", "alice@x.com", "+852", "5555 0000"),
...     customer=None, partner_records=(), email_records=(), associated_partner=None, as_of=when)
>>> pre.status, pre.valid_until.isoformat()
(<PreRegistrationStatus.PRE_REGISTERED: 'pre-registered'>, '2024-03-16T10:00:00+08:00')
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, final

import attrs

import partnerkit._validators as _v
from partnerkit.calendars import add_working_days
from partnerkit.customers.facts import CustomerFacts, Site, normalize_email
from partnerkit.customers.policy import HUAWEI, CustomerPolicy
from partnerkit.decisions import Decision, Reason
from partnerkit.errors import InvalidArgumentError, PermissionDeniedError, RuleViolationError
from partnerkit.events import Event
from partnerkit.ids import SYSTEM_ACTOR, ActorId, InvitationId, PartnerId
from partnerkit.partners import AssociationType, Partner, RoleKind
from partnerkit.periods import require_aware

__all__ = [
    "Invitation",
    "InvitationChanged",
    "InvitationIssued",
    "InvitationMethod",
    "InvitationStatus",
    "PreRegistration",
    "PreRegistrationChanged",
    "PreRegistrationDecision",
    "PreRegistrationRequest",
    "PreRegistrationStatus",
    "approve_review",
    "count_toward_capacity",
    "delete_preregistration",
    "evaluate_preregistration",
    "expire_invitation",
    "expire_preregistration",
    "generate_link",
    "holds_exclusivity",
    "preregister",
    "reject_review",
    "send_email_invitation",
]


class PreRegistrationStatus(enum.Enum):
    """SM-1 states; ``EXPIRED``, ``REVIEW_REJECTED`` and ``DELETED`` are DESIGN CHOICE names."""

    PENDING_REVIEW = "pending-review"
    PRE_REGISTERED = "pre-registered"
    ASSOCIATED = "associated"
    EXPIRED = "expired"
    REVIEW_REJECTED = "review-rejected"
    DELETED = "deleted"


def _text(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgumentError(
            attribute.name, value, "a required field is missing", rule_id="R-CUST-13"
        )


@final
@attrs.frozen
class PreRegistrationRequest:
    """What the partner types on the pre-registration form (R-CUST-13).

    Full name, email and mobile (country code and number) are required; the
    association type defaults to the reseller model.
    """

    id: str = attrs.field(validator=_text)
    customer_name: str = attrs.field(validator=_text)
    email: str = attrs.field(validator=_text)
    mobile_country_code: str = attrs.field(validator=_text)
    mobile_number: str = attrs.field(validator=_text)
    association_type: AssociationType = AssociationType.RESELLER
    send_invitation: bool = True

    def __attrs_post_init__(self) -> None:
        normalize_email(self.email)
        if not self.mobile_country_code.startswith("+"):
            raise InvalidArgumentError(
                "mobile_country_code", self.mobile_country_code, "expected e.g. '+852'",
                rule_id="R-CUST-13",
            )  # fmt: skip


@final
@attrs.frozen
class PreRegistration:
    """A partner's claim on a prospect's email (customers.md 1.4).

    Attributes:
        valid_until: End of exclusivity; ``None`` while pending review
            (validity starts at approval).
        review_due_on: The working day a manual review should be done by.
        review_reasons: Reason codes that sent it to review.
    """

    id: str = attrs.field(validator=_text)
    partner_id: PartnerId = attrs.field(validator=_text)
    customer_name: str = attrs.field(validator=_text)
    email: str = attrs.field(converter=normalize_email)
    mobile: str = attrs.field(validator=_text)
    association_type: AssociationType
    status: PreRegistrationStatus
    created_at: datetime = attrs.field(validator=_v.aware)
    valid_until: datetime | None = attrs.field(default=None, validator=_v.optional_aware)
    review_due_on: date | None = None
    review_reasons: tuple[str, ...] = ()
    version: int = attrs.field(default=0, kw_only=True)


def holds_exclusivity(record: PreRegistration, as_of: datetime) -> bool:
    """Whether ``record`` blocks other partners at ``as_of`` (R-CUST-08).

    A pending review holds the email too, as the console counts it.
    """
    when = require_aware(as_of)
    if record.status is PreRegistrationStatus.PENDING_REVIEW:
        return True
    return (
        record.status is PreRegistrationStatus.PRE_REGISTERED
        and record.valid_until is not None
        and when < record.valid_until
    )


def count_toward_capacity(records: Iterable[PreRegistration], as_of: datetime) -> int:
    """Pending-review plus unexpired pre-registered records (R-CUST-07, G-13, G-17)."""
    return sum(1 for r in records if holds_exclusivity(r, as_of))


@final
@attrs.frozen
class PreRegistrationDecision:
    """The answer to "may this partner pre-register this email?".

    Attributes:
        refusals: Hard refusals (R-CUST-09 and the prerequisites); no review
            can lift them.
        reviewable: Conditions a manual review may lift (R-CUST-10).
    """

    refusals: tuple[Reason, ...] = ()
    reviewable: tuple[Reason, ...] = ()

    @property
    def allowed(self) -> bool:
        """Directly pre-registrable."""
        return not self.refusals and not self.reviewable

    @property
    def review_possible(self) -> bool:
        """Refused directly, but the partner may "Continue" to a manual review."""
        return not self.refusals and bool(self.reviewable)

    @property
    def reasons(self) -> tuple[Reason, ...]:
        """Every reason, refusals first."""
        return self.refusals + self.reviewable


_REVIEW_DIALOG = "This customer cannot be directly preregistered due to the following reasons."


def evaluate_preregistration(
    partner: Partner,
    request: PreRegistrationRequest,
    *,
    customer: CustomerFacts | None,
    partner_records: Iterable[PreRegistration],
    email_records: Iterable[PreRegistration],
    associated_partner: PartnerId | None,
    as_of: datetime,
    policy: CustomerPolicy = HUAWEI,
) -> PreRegistrationDecision:
    """Check a pre-registration against R-CUST-01, 07..11, 16 (no state changes).

    Args:
        partner: Who pre-registers.
        request: The form.
        customer: The account registered with this email, if one exists.
        partner_records: The partner's own pre-registrations (for capacity).
        email_records: Every partner's pre-registrations of this email.
        associated_partner: The customer's current partner, if any.
        as_of: Now.
        policy: The vendor policy.
    """
    when = require_aware(as_of)
    email = normalize_email(request.email)
    refusals: list[Reason] = []
    reviewable: list[Reason] = []
    if partner.kind is RoleKind.DISTRIBUTOR and not partner.customer_development_enabled:
        refusals.append(
            Reason(
                "DEVELOPMENT_NOT_ENABLED",
                "R-CUST-16",
                "the distributor has no customer-development permission",
            )
        )
    if request.association_type not in partner.association_types():
        refusals.append(
            Reason(
                "ASSOCIATION_TYPE_NOT_PERMITTED",
                "R-CUST-01",
                f"{partner.role.name} may not use the {request.association_type.value} model",
                {"requested": request.association_type.value},
            )
        )
    if partner.contact_mobile is None and partner.contact_email is None:
        refusals.append(
            Reason(
                "PARTNER_CONTACT_MISSING",
                "R-CUST-11",
                "add a mobile number or an email to the partner profile first",
            )
        )
    held = count_toward_capacity(partner_records, when)
    if held >= policy.preregistration_capacity:
        refusals.append(
            Reason(
                "PREREGISTRATION_LIMIT_REACHED",
                "R-CUST-07",
                "the partner already holds the maximum number of pre-registrations",
                {"held": held, "allowed": policy.preregistration_capacity},
            )
        )
    holders = {
        r.partner_id for r in email_records if r.email == email and holds_exclusivity(r, when)
    }
    if holders - {partner.id}:
        refusals.append(
            Reason(
                "PREREGISTERED_BY_ANOTHER_PARTNER",
                "R-CUST-08",
                "the customer is pre-registered by another partner",
            )
        )
    if partner.id in holders:
        refusals.append(
            Reason("ALREADY_PREREGISTERED", "R-CUST-08", "this partner already pre-registered it")
        )
    if associated_partner is not None:
        refusals.append(
            Reason(
                "ALREADY_ASSOCIATED",
                "R-CUST-09",
                "the customer is already associated with a partner",
            )
        )
    if customer is not None:
        _customer_checks(partner, customer, when, policy, refusals, reviewable)
    return PreRegistrationDecision(tuple(refusals), tuple(reviewable))


def _customer_checks(
    partner: Partner,
    customer: CustomerFacts,
    when: datetime,
    policy: CustomerPolicy,
    refusals: list[Reason],
    reviewable: list[Reason],
) -> None:
    if customer.site is Site.CHINESE_MAINLAND:
        refusals.append(
            Reason(
                "CHINA_SITE", "R-CUST-09", "the customer is registered on the Chinese-mainland site"
            )
        )
    if customer.signed_contract_with_vendor:
        refusals.append(
            Reason(
                "SIGNED_WITH_VENDOR",
                "R-CUST-09",
                "the customer has signed contracts with the vendor",
            )
        )
    if customer.has_cash_expenditure and not customer.followed_by_direct_sales:
        refusals.append(
            Reason(
                "CASH_EXPENDITURE",
                "R-CUST-09",
                "the customer has cash expenditure and was not followed up by direct sales",
            )
        )
    if customer.unified_accounting_master_linked:
        refusals.append(
            Reason(
                "UNIFIED_ACCOUNTING_MEMBER",
                "R-CUST-09",
                "the customer is associated with an enterprise master under unified accounting",
            )
        )
    too_old = when - customer.registered_at > policy.registration_age_limit
    if too_old or (customer.has_cash_expenditure and customer.followed_by_direct_sales):
        reviewable.append(
            Reason(
                "REGISTERED_TOO_LONG_AGO_OR_FOLLOWED",
                "R-CUST-10",
                "registered more than 7 days ago, or spending and followed up by direct sales",
                {"registered_at": customer.registered_at.isoformat()},
            )
        )
    country = customer.registration_country
    if country is not None and country != partner.country:
        reviewable.append(
            Reason(
                "COUNTRY_MISMATCH",
                "R-CUST-10",
                "registered in a country where the partner does not develop business",
                {"customer": country, "partner": partner.country},
            )
        )
    if customer.belongs_to_online_sales_team:
        reviewable.append(
            Reason(
                "ONLINE_SALES_TEAM", "R-CUST-10", "the customer belongs to the online sales team"
            )
        )


@attrs.frozen(kw_only=True)
class PreRegistrationChanged(Event):
    """A pre-registration was created or changed state."""

    before: PreRegistration | None
    after: PreRegistration

    def snapshots(self) -> tuple[object, ...]:
        """The stored values after the change."""
        return (self.after,)


def preregister(
    partner: Partner,
    request: PreRegistrationRequest,
    *,
    customer: CustomerFacts | None,
    partner_records: Iterable[PreRegistration],
    email_records: Iterable[PreRegistration],
    associated_partner: PartnerId | None,
    as_of: datetime,
    request_review: bool = False,
    actor: ActorId | None = None,
    policy: CustomerPolicy = HUAWEI,
) -> tuple[PreRegistration, tuple[PreRegistrationChanged, ...]]:
    """Pre-register a prospect (SM-1).

    Directly pre-registrable: ``PRE_REGISTERED`` for 15 days.  Only reviewable
    conditions and ``request_review=True`` ("Continue"): ``PENDING_REVIEW``,
    due in 2 working days.

    Raises:
        RuleViolationError: A hard refusal, or a reviewable one without
            ``request_review``; ``reasons`` lists them all.
    """
    when = require_aware(as_of)
    decision = evaluate_preregistration(
        partner, request, customer=customer, partner_records=partner_records,
        email_records=email_records, associated_partner=associated_partner, as_of=when,
        policy=policy,
    )  # fmt: skip
    if decision.refusals:
        Decision.of(decision.reasons).raise_if_denied()
    mobile = f"{request.mobile_country_code} {request.mobile_number}"
    base = PreRegistration(
        request.id, partner.id, request.customer_name, request.email, mobile,
        request.association_type, PreRegistrationStatus.PRE_REGISTERED, when,
    )  # fmt: skip
    if decision.reviewable:
        if not request_review:
            raise RuleViolationError(
                decision.reviewable[0].rule_id,
                _REVIEW_DIALOG,
                fields={"code": "REVIEW_REQUIRED", "review_possible": True},
                reasons=decision.reviewable,
            )
        local_day = when.astimezone(policy.time_zone).date()
        record = attrs.evolve(
            base,
            status=PreRegistrationStatus.PENDING_REVIEW,
            review_due_on=add_working_days(policy.calendar, local_day, policy.review_working_days),
            review_reasons=tuple(r.code for r in decision.reviewable),
        )
    else:
        record = attrs.evolve(base, valid_until=when + policy.preregistration_validity)
    event = PreRegistrationChanged(
        occurred_at=when, actor=actor or ActorId(partner.id), before=None, after=record
    )
    return record, (event,)


def _transition(
    record: PreRegistration,
    after: PreRegistration,
    *,
    actor: ActorId,
    when: datetime,
    reason: str | None = None,
) -> tuple[PreRegistration, tuple[PreRegistrationChanged, ...]]:
    event = PreRegistrationChanged(
        occurred_at=when, actor=actor, reason=reason, before=record, after=after
    )
    return after, (event,)


def _require(record: PreRegistration, allowed: set[PreRegistrationStatus], action: str) -> None:
    if record.status not in allowed:
        raise RuleViolationError(
            "R-CUST-14" if action == "delete" else "R-CUST-10",
            f"cannot {action} a pre-registration in status {record.status.value}",
            fields={"code": "INVALID_TRANSITION", "status": record.status.value},
        )


def approve_review(
    record: PreRegistration, *, actor: ActorId, as_of: datetime, policy: CustomerPolicy = HUAWEI
) -> tuple[PreRegistration, tuple[PreRegistrationChanged, ...]]:
    """The vendor approves a manual review; validity starts now (SM-1)."""
    when = require_aware(as_of)
    _require(record, {PreRegistrationStatus.PENDING_REVIEW}, "approve")
    after = attrs.evolve(
        record,
        status=PreRegistrationStatus.PRE_REGISTERED,
        valid_until=when + policy.preregistration_validity,
    )
    return _transition(record, after, actor=actor, when=when)


def reject_review(
    record: PreRegistration, *, actor: ActorId, as_of: datetime, reason: str | None = None
) -> tuple[PreRegistration, tuple[PreRegistrationChanged, ...]]:
    """The vendor rejects a manual review (G-16)."""
    when = require_aware(as_of)
    _require(record, {PreRegistrationStatus.PENDING_REVIEW}, "reject")
    after = attrs.evolve(record, status=PreRegistrationStatus.REVIEW_REJECTED)
    return _transition(record, after, actor=actor, when=when, reason=reason)


def delete_preregistration(
    record: PreRegistration, *, actor: ActorId, as_of: datetime
) -> tuple[PreRegistration, tuple[PreRegistrationChanged, ...]]:
    """The partner deletes a pre-registration (R-CUST-14).

    Pending-review and associated records cannot be deleted.
    """
    when = require_aware(as_of)
    if record.status in {PreRegistrationStatus.PENDING_REVIEW, PreRegistrationStatus.ASSOCIATED}:
        raise RuleViolationError(
            "R-CUST-14",
            "cannot delete customers whose status is Pending review or Associated",
            fields={"code": "CANNOT_DELETE_PREREGISTRATION", "status": record.status.value},
        )
    _require(
        record, {PreRegistrationStatus.PRE_REGISTERED, PreRegistrationStatus.EXPIRED}, "delete"
    )
    after = attrs.evolve(record, status=PreRegistrationStatus.DELETED)
    return _transition(record, after, actor=actor, when=when)


def expire_preregistration(
    record: PreRegistration, *, as_of: datetime, actor: ActorId = SYSTEM_ACTOR
) -> tuple[PreRegistration, tuple[PreRegistrationChanged, ...]]:
    """Mark a pre-registration ``EXPIRED`` once its 15 days are over; else no change."""
    when = require_aware(as_of)
    if (
        record.status is PreRegistrationStatus.PRE_REGISTERED
        and record.valid_until is not None
        and when >= record.valid_until
    ):
        after = attrs.evolve(record, status=PreRegistrationStatus.EXPIRED)
        return _transition(record, after, actor=actor, when=when)
    return record, ()


# --- invitations (SM-2, R-CUST-18..26) ----------------------------------------------------


class InvitationMethod(enum.Enum):
    """How a partner invites (R-CUST-21); every link also renders as a QR code."""

    EMAIL = "email"
    GENERAL_LINK = "general-link"
    CUSTOM_LINK = "custom-link"
    PROMOTIONAL_LINK = "promotional-link"

    @property
    def is_link(self) -> bool:
        """Links and QR codes are "offline" invitations (R-CUST-25)."""
        return self is not InvitationMethod.EMAIL


class InvitationStatus(enum.Enum):
    """SM-2 states (``SENT`` is a DESIGN CHOICE name)."""

    SENT = "sent"
    ASSOCIATED = "associated"
    EXPIRED = "expired"
    ASSOCIATION_FAILED = "association-failed"


@final
@attrs.frozen
class Invitation:
    """An invitation to associate with a partner (customers.md 1.5).

    Email invitations are single-use and expire after 7 days; general and
    customized links are partner-wide, reusable by different customers and do
    not expire; promotional links live in their campaign window (G-14).

    Attributes:
        used_by: Customers that associated through it (a customer cannot use
            the same invitation twice, R-CUST-20).
        inviter: The partner user who created it; its login name is the
            link's tag (R-CUST-23).
        account_manager: The AM new customers are assigned to; the inviter
            when it is an AM or account director (R-CUST-24).
    """

    id: InvitationId = attrs.field(validator=_text)
    partner_id: PartnerId = attrs.field(validator=_text)
    method: InvitationMethod
    association_type: AssociationType
    inviter: ActorId = attrs.field(validator=_text)
    issued_at: datetime = attrs.field(validator=_v.aware)
    expires_at: datetime | None = attrs.field(default=None, validator=_v.optional_aware)
    pre_registration_id: str | None = None
    email: str | None = None
    custom_tag: str | None = None
    account_manager: ActorId | None = None
    remarks: str = ""
    status: InvitationStatus = InvitationStatus.SENT
    used_by: tuple[str, ...] = ()
    failure_code: str | None = None
    version: int = attrs.field(default=0, kw_only=True)


@attrs.frozen(kw_only=True)
class InvitationIssued(Event):
    """An invitation was sent or a link generated."""

    invitation: Invitation

    def snapshots(self) -> tuple[object, ...]:
        """The stored values after the change."""
        return (self.invitation,)


@attrs.frozen(kw_only=True)
class InvitationChanged(Event):
    """An invitation expired, was used or failed."""

    before: Invitation
    after: Invitation

    def snapshots(self) -> tuple[object, ...]:
        """The stored values after the change."""
        return (self.after,)


def _develop_check(partner: Partner) -> None:
    if partner.kind is RoleKind.DISTRIBUTOR and not partner.customer_development_enabled:
        raise PermissionDeniedError(
            partner.id, "invite customers", "customer.develop", rule_id="R-CUST-16",
            reason="the distributor has no customer-development permission",
        )  # fmt: skip


def _type_check(partner: Partner, association_type: AssociationType) -> None:
    if association_type not in partner.association_types():
        raise RuleViolationError(
            "R-CUST-01",
            f"{partner.role.name} may not use the {association_type.value} model",
            fields={"code": "ASSOCIATION_TYPE_NOT_PERMITTED", "requested": association_type.value},
        )


def send_email_invitation(
    partner: Partner,
    record: PreRegistration,
    *,
    invitation_id: InvitationId,
    inviter: ActorId,
    as_of: datetime,
    inviter_is_account_manager: bool = False,
    association_type: AssociationType | None = None,
    policy: CustomerPolicy = HUAWEI,
) -> tuple[Invitation, tuple[InvitationIssued, ...]]:
    """Email an invitation to a pre-registered prospect (R-CUST-18, R-CUST-19).

    The pre-registration must be the partner's and still valid (G-15); the
    link is valid for 7 days.
    """
    when = require_aware(as_of)
    _develop_check(partner)
    if record.partner_id != partner.id:
        raise PermissionDeniedError(
            partner.id, "invite through", record.id, rule_id="R-CUST-18",
            reason="the pre-registration belongs to another partner",
        )  # fmt: skip
    if (
        not holds_exclusivity(record, when)
        or record.status is not PreRegistrationStatus.PRE_REGISTERED
    ):
        raise RuleViolationError(
            "R-CUST-18",
            "an email invitation needs a valid pre-registration",
            fields={"code": "NOT_PREREGISTERED", "status": record.status.value},
        )
    kind = association_type or record.association_type
    _type_check(partner, kind)
    invitation = Invitation(
        invitation_id, partner.id, InvitationMethod.EMAIL, kind, inviter, when,
        expires_at=when + policy.email_invitation_validity, pre_registration_id=record.id,
        email=record.email, account_manager=inviter if inviter_is_account_manager else None,
    )  # fmt: skip
    return invitation, (InvitationIssued(occurred_at=when, actor=inviter, invitation=invitation),)


def generate_link(
    partner: Partner,
    *,
    invitation_id: InvitationId,
    method: InvitationMethod,
    inviter: ActorId,
    as_of: datetime,
    association_type: AssociationType = AssociationType.RESELLER,
    custom_tag: str | None = None,
    account_manager: ActorId | None = None,
    inviter_is_account_manager: bool = False,
    remarks: str = "",
    campaign_ends_at: datetime | None = None,
    policy: CustomerPolicy = HUAWEI,
) -> tuple[Invitation, tuple[InvitationIssued, ...]]:
    """Generate a general, customized or promotional link (R-CUST-21..24, R-CUST-26).

    Customized links carry a tag and optionally an AM; remarks are limited to
    100 characters; a promotional link needs its campaign end.  A link made
    by an AM or account director assigns its customers to that user.
    """
    when = require_aware(as_of)
    _develop_check(partner)
    if not isinstance(method, InvitationMethod) or not method.is_link:
        raise InvalidArgumentError("method", method, "expected a link method")
    _type_check(partner, association_type)
    if not isinstance(remarks, str) or len(remarks) > policy.remarks_max_length:
        raise InvalidArgumentError(
            "remarks", remarks, f"at most {policy.remarks_max_length} characters",
            rule_id="R-CUST-21",
        )  # fmt: skip
    if method is InvitationMethod.CUSTOM_LINK and not custom_tag:
        raise InvalidArgumentError(
            "custom_tag", custom_tag, "a customized link needs a tag", rule_id="R-CUST-21"
        )
    if method is not InvitationMethod.CUSTOM_LINK and custom_tag is not None:
        raise InvalidArgumentError(
            "custom_tag", custom_tag, "only customized links carry a tag", rule_id="R-CUST-21"
        )
    if method is InvitationMethod.PROMOTIONAL_LINK:
        end = require_aware(campaign_ends_at, argument="campaign_ends_at")
        if end <= when:
            raise InvalidArgumentError(
                "campaign_ends_at", end, "the campaign is already over", rule_id="R-CUST-21"
            )
    elif campaign_ends_at is not None:
        raise InvalidArgumentError(
            "campaign_ends_at", campaign_ends_at, "only promotional links end", rule_id="R-CUST-21"
        )
    manager = account_manager or (inviter if inviter_is_account_manager else None)
    invitation = Invitation(
        invitation_id, partner.id, method, association_type, inviter, when,
        expires_at=campaign_ends_at, custom_tag=custom_tag, account_manager=manager,
        remarks=remarks,
    )  # fmt: skip
    return invitation, (InvitationIssued(occurred_at=when, actor=inviter, invitation=invitation),)


def expire_invitation(
    invitation: Invitation, *, as_of: datetime, actor: ActorId = SYSTEM_ACTOR
) -> tuple[Invitation, tuple[InvitationChanged, ...]]:
    """Mark a sent invitation ``EXPIRED`` once its validity is over; else no change."""
    when = require_aware(as_of)
    if (
        invitation.status is InvitationStatus.SENT
        and invitation.expires_at is not None
        and when >= invitation.expires_at
    ):
        after = attrs.evolve(invitation, status=InvitationStatus.EXPIRED)
        return after, (
            InvitationChanged(occurred_at=when, actor=actor, before=invitation, after=after),
        )
    return invitation, ()
