"""Partners: roles, tiers, the distributor → reseller link and delegation.

Vendors name their partner roles differently; partnerkit keeps the vendor's
name (:class:`PartnerRole`) and reads the structure from its
:class:`RoleKind`:

* ``DIRECT``: sells to its own customers (Huawei CSP, Alibaba direct reseller);
* ``DISTRIBUTOR``: has tier-2 resellers and may have its own customers;
* ``TIER_TWO``: a distributor's reseller (Huawei reseller, Alibaba tier-2 reseller);
* ``AGENCY``: refers customers who contract with the vendor (Alibaba agency).

>>> PartnerRole.DIRECT_RESELLER.kind is PartnerRole.CSP.kind is RoleKind.DIRECT
True
>>> sorted(t.value for t in PartnerRole.RESELLER.association_types(referral_enabled=True))
['reseller']
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime
from typing import Any, final

import attrs

import partnerkit._validators as _v
from partnerkit._construct import checked
from partnerkit.decisions import Decision, Reason
from partnerkit.errors import InvalidArgumentError, PermissionDeniedError, RuleViolationError
from partnerkit.events import Event
from partnerkit.ids import ActorId, PartnerId, TierId
from partnerkit.money import Money
from partnerkit.periods import require_aware

__all__ = [
    "AssociationType",
    "DelegationChanged",
    "Partner",
    "PartnerRole",
    "ResellerCandidate",
    "ResellerDelegation",
    "ResellerInvitation",
    "ResellerInvitationStatus",
    "ResellerInvited",
    "ResellerLinkChanged",
    "RoleKind",
    "Tier",
    "accept_reseller_invitation",
    "change_delegation",
    "entrust_marketing",
    "evaluate_reseller_invitation",
    "invite_reseller",
]


#: Customer contacts a partner can create (R-CUST-134).
MAX_CUSTOMER_CONTACTS = 5


class AssociationType(enum.Enum):
    """The transaction model of a customer association (R-CUST-01, R-CUST-02, R-CUST-28).

    ``RESELLER``: the customer contracts with, is billed by and pays the
    partner.  ``REFERRAL``: the customer contracts with and pays the vendor.
    """

    RESELLER = "reseller"
    REFERRAL = "referral"


class RoleKind(enum.Enum):
    """The structural kind behind a vendor's role name."""

    DIRECT = "direct"
    DISTRIBUTOR = "distributor"
    TIER_TWO = "tier-two"
    AGENCY = "agency"


class PartnerRole(enum.Enum):
    """A partner role as the vendor names it."""

    CSP = "huawei-csp"
    DISTRIBUTOR = "huawei-distributor"
    RESELLER = "huawei-reseller"
    AGENCY = "alibaba-agency"
    DIRECT_RESELLER = "alibaba-direct-reseller"
    ALIBABA_DISTRIBUTOR = "alibaba-distributor"
    TIER2_RESELLER = "alibaba-tier2-reseller"

    @property
    def kind(self) -> RoleKind:
        """The structural kind of this role."""
        return _KINDS[self]

    def association_types(self, *, referral_enabled: bool) -> frozenset[AssociationType]:
        """The transaction models this role may use (R-CUST-01, R-CUST-153).

        Direct partners and distributors develop reseller-model customers by
        default and referral ones once the vendor enables it; tier-two
        resellers only use the reseller model; agencies only refer.
        """
        kind = self.kind
        if kind is RoleKind.AGENCY:
            return frozenset({AssociationType.REFERRAL})
        if kind is RoleKind.TIER_TWO or not referral_enabled:
            return frozenset({AssociationType.RESELLER})
        return frozenset(AssociationType)


_KINDS = {
    PartnerRole.CSP: RoleKind.DIRECT,
    PartnerRole.DIRECT_RESELLER: RoleKind.DIRECT,
    PartnerRole.DISTRIBUTOR: RoleKind.DISTRIBUTOR,
    PartnerRole.ALIBABA_DISTRIBUTOR: RoleKind.DISTRIBUTOR,
    PartnerRole.RESELLER: RoleKind.TIER_TWO,
    PartnerRole.TIER2_RESELLER: RoleKind.TIER_TWO,
    PartnerRole.AGENCY: RoleKind.AGENCY,
}


def _string_set(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str):
        raise InvalidArgumentError("regions", value, "expected a collection of names, not a string")
    return frozenset(value)


def _string_tuple(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        raise InvalidArgumentError(
            "contacts", value, "expected a collection of names, not a string"
        )
    return tuple(value)


def _role(instance: object, attribute: object, value: Any) -> None:
    if not isinstance(value, PartnerRole):
        raise InvalidArgumentError("role", value, "expected a PartnerRole")


@final
@attrs.frozen
class Tier:
    """A partner tier as a value: ``Tier(TierId("gold"), "Gold", rank=3)``.

    Higher ``rank`` is a higher tier; tiers of one programme compare by rank.
    """

    id: TierId = attrs.field(validator=_v.text)
    name: str = attrs.field(validator=_v.text)
    rank: int = attrs.field(kw_only=True)

    @rank.validator
    def _check_rank(self, attribute: object, value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidArgumentError("rank", value, "expected an int >= 0")


@checked
@final
@attrs.frozen
class Partner:
    """A partner and the facts that customer rules read (spec customers.md 1.2).

    The embedding application supplies these facts; partnerkit never fetches
    them.  A tier-two reseller must name its distributor, and only a tier-two
    reseller may.

    Attributes:
        id: The partner's id.
        role: The vendor's role name.
        country: The service country (a reseller shares its distributor's).
        distributor_id: The distributor of a tier-two reseller.
        authorized_regions: Regions a distributor may recruit resellers in.
        contact_mobile: The partner's contact mobile; a mobile or an email is
            needed to pre-register customers (R-CUST-11).
        contact_email: The partner's contact email.
        prepaid: Prepaid partners cannot develop reseller-model customers
            (R-CUST-06).
        referral_enabled: The vendor enabled the referral model (R-CUST-01).
        customer_development_enabled: A distributor needs the vendor's grant
            to develop customers (R-CUST-16); default True.
        commitment_accepted_at: When the partner accepted the commitment
            letter for operating on customers' behalf (R-CUST-114).
        account_frozen: The partner's own account is frozen.
        verification_code_enabled: Critical operations need an SMS or email
            code (R-CUST-147); off by default.
        customer_contacts: Contacts shown to customers on "My Partner"; at
            most five (R-CUST-134).
        tier: The partner's tier, if any.
        customer_discount_enabled: The vendor's operation manager granted the
            customer-discount permission (R-CUST-98); off by default.
        coupon_issuance_enabled: The vendor's business director enabled coupon
            issuance to end users and sub-accounts (R-BILL-41); off by default.
        version: Stored version.
    """

    id: PartnerId = attrs.field(validator=_v.text)
    role: PartnerRole = attrs.field(validator=_role)
    country: str = attrs.field(validator=_v.text)
    distributor_id: PartnerId | None = attrs.field(
        default=None, kw_only=True, validator=_v.optional_text
    )
    authorized_regions: frozenset[str] = attrs.field(
        factory=frozenset, converter=_string_set, kw_only=True
    )
    contact_mobile: str | None = attrs.field(default=None, kw_only=True, validator=_v.optional_text)
    contact_email: str | None = attrs.field(default=None, kw_only=True, validator=_v.optional_text)
    prepaid: bool = attrs.field(default=False, kw_only=True)
    referral_enabled: bool = attrs.field(default=False, kw_only=True)
    customer_development_enabled: bool = attrs.field(default=True, kw_only=True)
    commitment_accepted_at: datetime | None = attrs.field(
        default=None, kw_only=True, validator=_v.optional_aware
    )
    account_frozen: bool = attrs.field(default=False, kw_only=True)
    verification_code_enabled: bool = attrs.field(default=False, kw_only=True)
    customer_contacts: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=_string_tuple
    )
    tier: Tier | None = attrs.field(default=None, kw_only=True)
    customer_discount_enabled: bool = attrs.field(default=False, kw_only=True)
    coupon_issuance_enabled: bool = attrs.field(default=False, kw_only=True)
    version: int = attrs.field(default=0, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if len(self.customer_contacts) > MAX_CUSTOMER_CONTACTS:
            raise InvalidArgumentError(
                "customer_contacts",
                len(self.customer_contacts),
                f"a partner can create at most {MAX_CUSTOMER_CONTACTS} customer contacts",
                rule_id="R-CUST-134",
            )
        tier_two = self.role.kind is RoleKind.TIER_TWO
        if tier_two and self.distributor_id is None:
            raise InvalidArgumentError(
                "distributor_id", None, "a tier-two reseller must name its distributor"
            )
        if not tier_two and self.distributor_id is not None:
            raise InvalidArgumentError(
                "distributor_id", self.distributor_id, "only a tier-two reseller has a distributor"
            )

    @property
    def kind(self) -> RoleKind:
        """The structural kind of the partner's role."""
        return self.role.kind

    def association_types(self) -> frozenset[AssociationType]:
        """The transaction models this partner may use now (R-CUST-01)."""
        return self.role.association_types(referral_enabled=self.referral_enabled)


# --- delegation (customers.md 1.3, SM-8, R-CUST-61..64, R-CUST-67) -------------------------


def _non_negative_money(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, Money) or value.is_negative():
        raise InvalidArgumentError(attribute.name, value, "expected a non-negative Money")


@final
@attrs.frozen
class ResellerDelegation:
    """What a distributor lets one of its resellers do (SM-8).

    Attributes:
        distributor_id: The distributor.
        reseller_id: The reseller (the key: one delegation per reseller).
        budget_freeze_authorized: The reseller sets budgets and freezes its
            customers; the distributor then no longer does (R-CUST-61, 62).
        monthly_budget_quota: Ceiling on the reseller's monthly budgets.
        one_time_budget_quota: Ceiling on its one-time budgets.
        on_behalf_authorized: The reseller may act on customers' behalf (R-CUST-67).
        commitment_accepted_at: When the distributor accepted the Distributor
            Commitment Letter (needed for the first on-behalf grant).
        marketing_tasks_entrusted: The reseller entrusted its marketing tasks
            to the distributor (R-CUST-69, the reverse direction).
        version: Stored version.
    """

    distributor_id: PartnerId = attrs.field(validator=_v.text)
    reseller_id: PartnerId = attrs.field(validator=_v.text)
    budget_freeze_authorized: bool = attrs.field(default=False, kw_only=True)
    monthly_budget_quota: Money | None = attrs.field(
        default=None, kw_only=True, validator=_non_negative_money
    )
    one_time_budget_quota: Money | None = attrs.field(
        default=None, kw_only=True, validator=_non_negative_money
    )
    on_behalf_authorized: bool = attrs.field(default=False, kw_only=True)
    commitment_accepted_at: datetime | None = attrs.field(
        default=None, kw_only=True, validator=_v.optional_aware
    )
    marketing_tasks_entrusted: bool = attrs.field(default=False, kw_only=True)
    version: int = attrs.field(default=0, kw_only=True)


@attrs.frozen(kw_only=True)
class DelegationChanged(Event):
    """A distributor changed what its reseller may do (before and after)."""

    before: ResellerDelegation
    after: ResellerDelegation

    def snapshots(self) -> tuple[object, ...]:
        """The stored values after the change."""
        return (self.after,)


def change_delegation(
    delegation: ResellerDelegation,
    *,
    actor: PartnerId,
    as_of: datetime,
    budget_freeze_authorized: bool | None = None,
    monthly_budget_quota: Money | None = None,
    one_time_budget_quota: Money | None = None,
    on_behalf_authorized: bool | None = None,
    accept_commitment: bool = False,
    reason: str | None = None,
) -> tuple[ResellerDelegation, tuple[DelegationChanged, ...]]:
    """Grant or withdraw a reseller's delegated powers (SM-8).

    Granting budget/freeze powers sets both quotas (R-CUST-61).  Withdrawing
    them keeps the quotas on record; budgets the reseller set stay where they
    are (R-CUST-64: that is the budget package's concern, nothing is removed
    here).  The first on-behalf grant needs ``accept_commitment=True``
    (R-CUST-67).  Only the delegation's distributor may change it.

    Returns the new delegation and a :class:`DelegationChanged` event, or no
    event when nothing changed (set-to-target, so a replay is harmless).

    >>> from partnerkit.periods import UTC
    >>> d = ResellerDelegation(PartnerId("dist"), PartnerId("res"))
    >>> when = datetime(2024, 6, 1, tzinfo=UTC)
    >>> after, events = change_delegation(d, actor=PartnerId("dist"), as_of=when,
    ...     on_behalf_authorized=True, accept_commitment=True)
    >>> after.on_behalf_authorized, events[0].name
    (True, 'DelegationChanged')
    """
    when = require_aware(as_of)
    if actor != delegation.distributor_id:
        raise PermissionDeniedError(
            actor,
            "change the delegation of",
            delegation.reseller_id,
            rule_id="R-CUST-61",
            reason="only the reseller's distributor delegates to it",
        )
    after = delegation
    if budget_freeze_authorized is True:
        if monthly_budget_quota is None or one_time_budget_quota is None:
            raise InvalidArgumentError(
                "quotas",
                (monthly_budget_quota, one_time_budget_quota),
                "granting budget and freeze powers sets a monthly and a one-time quota",
                rule_id="R-CUST-61",
            )
        after = attrs.evolve(
            after,
            budget_freeze_authorized=True,
            monthly_budget_quota=monthly_budget_quota,
            one_time_budget_quota=one_time_budget_quota,
        )
    elif budget_freeze_authorized is False:
        after = attrs.evolve(after, budget_freeze_authorized=False)
    if on_behalf_authorized is True and not after.on_behalf_authorized:
        if after.commitment_accepted_at is None and not accept_commitment:
            raise RuleViolationError(
                "R-CUST-67",
                "the first on-behalf grant needs the Distributor Commitment Letter accepted",
                fields={"reseller": delegation.reseller_id},
            )
        after = attrs.evolve(
            after,
            on_behalf_authorized=True,
            commitment_accepted_at=after.commitment_accepted_at or when,
        )
    elif on_behalf_authorized is False:
        after = attrs.evolve(after, on_behalf_authorized=False)
    if after == delegation:
        return delegation, ()
    event = DelegationChanged(
        occurred_at=when, actor=ActorId(actor), reason=reason, before=delegation, after=after
    )
    return after, (event,)


def entrust_marketing(
    delegation: ResellerDelegation,
    *,
    actor: PartnerId,
    entrust: bool,
    as_of: datetime,
) -> tuple[ResellerDelegation, tuple[DelegationChanged, ...]]:
    """The reseller entrusts its marketing tasks to its distributor, or takes them back (R-CUST-69).

    Only the reseller decides, and it may cancel at any time; while the
    distributor holds them the reseller cannot see the tasks.
    """
    when = require_aware(as_of)
    if actor != delegation.reseller_id:
        raise PermissionDeniedError(
            actor, "entrust the marketing tasks of", delegation.reseller_id, rule_id="R-CUST-69",
            reason="only the reseller entrusts its own marketing tasks",
        )  # fmt: skip
    if delegation.marketing_tasks_entrusted == entrust:
        return delegation, ()
    after = attrs.evolve(delegation, marketing_tasks_entrusted=entrust)
    event = DelegationChanged(
        occurred_at=when, actor=ActorId(actor), before=delegation, after=after
    )
    return after, (event,)


# --- distributor -> reseller invitation (eligibility.md 3.5, R-CUST-29) ---------------------


@final
@attrs.frozen
class ResellerCandidate:
    """Facts about a partner account a distributor wants as its reseller (R-CUST-29)."""

    partner_id: PartnerId = attrs.field(validator=_v.text)
    region: str = attrs.field(validator=_v.text)
    country: str = attrs.field(validator=_v.text)
    is_reseller: bool = False
    has_resources_arrears_or_consumption: bool = False
    in_other_programme: bool = False
    black_or_yellow_listed: bool = False
    same_company_already_associated: bool = False
    frozen_for_security_arrears_or_violation: bool = False
    enterprise_master_or_member: bool = False
    has_credit_account: bool = False
    preregistered_by_vendor_bd: bool = False
    associated_with_other_partner: bool = False
    real_name_authenticated: bool = False


_CANDIDATE_BLOCKERS = (
    (
        "has_resources_arrears_or_consumption",
        "CANDIDATE_HAS_USAGE",
        "has resources, arrears or consumption records",
    ),
    (
        "in_other_programme",
        "CANDIDATE_IN_OTHER_PROGRAMME",
        "is in another programme",
    ),
    (
        "black_or_yellow_listed",
        "CANDIDATE_LISTED",
        "is black- or yellow-listed",
    ),
    (
        "same_company_already_associated",
        "CANDIDATE_COMPANY_ASSOCIATED",
        "another account of the company is associated",
    ),
    (
        "frozen_for_security_arrears_or_violation",
        "CANDIDATE_FROZEN",
        "is frozen for security, arrears or violation",
    ),
    (
        "enterprise_master_or_member",
        "CANDIDATE_ENTERPRISE_ACCOUNT",
        "is an enterprise master or member",
    ),
    (
        "has_credit_account",
        "CANDIDATE_CREDIT_ACCOUNT",
        "has a credit account",
    ),
    (
        "preregistered_by_vendor_bd",
        "CANDIDATE_PREREGISTERED_BY_BD",
        "is pre-registered by a vendor BD",
    ),
    (
        "associated_with_other_partner",
        "CANDIDATE_ASSOCIATED_ELSEWHERE",
        "is associated with another partner",
    ),
    (
        "real_name_authenticated",
        "CANDIDATE_REAL_NAME_AUTHENTICATED",
        "has real-name authentication",
    ),
)


def evaluate_reseller_invitation(distributor: Partner, candidate: ResellerCandidate) -> Decision:
    """May ``distributor`` invite ``candidate`` as its reseller? (R-CUST-29).

    Every failed condition is a reason; the onboarding constraints of the
    candidate's account are checked too.

    >>> dist = Partner(PartnerId("d"), PartnerRole.DISTRIBUTOR, "ZA", authorized_regions={"Gauteng"})
    >>> evaluate_reseller_invitation(dist, ResellerCandidate(PartnerId("r"), "Gauteng", "ZA")).allowed
    True
    >>> evaluate_reseller_invitation(dist, ResellerCandidate(PartnerId("r"), "Limpopo", "ZA")).codes
    ('REGION_NOT_AUTHORIZED',)
    """  # noqa: E501
    reasons: list[Reason] = []
    if distributor.kind is not RoleKind.DISTRIBUTOR:
        reasons.append(
            Reason("NOT_A_DISTRIBUTOR", "R-CUST-29", "only a distributor invites resellers")
        )
    if candidate.region not in distributor.authorized_regions:
        reasons.append(
            Reason(
                "REGION_NOT_AUTHORIZED",
                "R-CUST-29",
                "the invitee is outside the distributor's authorized regions",
                {"region": candidate.region},
            )
        )
    if candidate.is_reseller:
        reasons.append(
            Reason("ALREADY_A_RESELLER", "R-CUST-29", "the invitee is already a reseller")
        )
    if candidate.country != distributor.country:
        reasons.append(
            Reason(
                "SERVICE_COUNTRY_MISMATCH",
                "R-CUST-29",
                "a reseller must share its distributor's service country",
                {"distributor": distributor.country, "candidate": candidate.country},
            )
        )
    for flag, code, text in _CANDIDATE_BLOCKERS:
        if getattr(candidate, flag):
            reasons.append(Reason(code, "R-CUST-29", f"the invitee account {text}"))
    return Decision.of(reasons)


class ResellerInvitationStatus(enum.Enum):
    """Where a distributor's invitation of a reseller stands (eligibility.md 3.5)."""

    INVITED = "invited"
    ASSOCIATED = "associated"
    RESTRICTED = "restricted"


@final
@attrs.frozen
class ResellerInvitation:
    """A distributor's invitation of a partner account to become its reseller."""

    distributor_id: PartnerId = attrs.field(validator=_v.text)
    candidate_id: PartnerId = attrs.field(validator=_v.text)
    invited_at: datetime = attrs.field(validator=_v.aware)
    status: ResellerInvitationStatus = ResellerInvitationStatus.INVITED
    version: int = attrs.field(default=0, kw_only=True)


@attrs.frozen(kw_only=True)
class ResellerInvited(Event):
    """A distributor invited a reseller."""

    invitation: ResellerInvitation

    def snapshots(self) -> tuple[object, ...]:
        """The stored values after the change."""
        return (self.invitation,)


@attrs.frozen(kw_only=True)
class ResellerLinkChanged(Event):
    """A reseller invitation was accepted (ASSOCIATED) or blocked (RESTRICTED)."""

    before: ResellerInvitation
    after: ResellerInvitation
    reseller: Partner | None = None
    delegation: ResellerDelegation | None = None

    def snapshots(self) -> tuple[object, ...]:
        """The stored values after the change."""
        found: list[object] = [self.after]
        if self.reseller is not None:
            found.append(self.reseller)
        if self.delegation is not None:
            found.append(self.delegation)
        return tuple(found)


def invite_reseller(
    distributor: Partner, candidate: ResellerCandidate, *, as_of: datetime
) -> tuple[ResellerInvitation, tuple[ResellerInvited, ...]]:
    """Invite ``candidate`` as a reseller of ``distributor``; raises if not allowed.

    Raises:
        RuleViolationError: With every reason of :func:`evaluate_reseller_invitation`.
    """
    when = require_aware(as_of)
    evaluate_reseller_invitation(distributor, candidate).raise_if_denied()
    invitation = ResellerInvitation(distributor.id, candidate.partner_id, when)
    event = ResellerInvited(occurred_at=when, actor=ActorId(distributor.id), invitation=invitation)
    return invitation, (event,)


def accept_reseller_invitation(
    invitation: ResellerInvitation,
    distributor: Partner,
    candidate: ResellerCandidate,
    *,
    role: PartnerRole,
    as_of: datetime,
) -> tuple[
    ResellerInvitation, Partner | None, ResellerDelegation | None, tuple[ResellerLinkChanged, ...]
]:
    """The invitee accepts: it becomes a reseller, or the link is RESTRICTED.

    The candidate's conditions are re-checked at acceptance; a blocker found
    then leaves the invitation RESTRICTED until it is resolved and retried.
    Returns the invitation, the new reseller :class:`Partner` and its (empty)
    :class:`ResellerDelegation` (both ``None`` when restricted) and the event.
    """
    when = require_aware(as_of)
    if invitation.status is ResellerInvitationStatus.ASSOCIATED:
        raise RuleViolationError(
            "R-CUST-29",
            "the invitation was already accepted",
            fields={"candidate": candidate.partner_id},
        )
    if role.kind is not RoleKind.TIER_TWO:
        raise InvalidArgumentError("role", role, "a distributor's reseller has a tier-two role")
    decision = evaluate_reseller_invitation(distributor, candidate)
    if not decision.allowed:
        after = attrs.evolve(invitation, status=ResellerInvitationStatus.RESTRICTED)
        event = ResellerLinkChanged(
            occurred_at=when, actor=ActorId(candidate.partner_id), before=invitation, after=after,
            reason=decision.reasons[0].message,
        )  # fmt: skip
        return after, None, None, (event,)
    reseller = Partner(candidate.partner_id, role, candidate.country, distributor_id=distributor.id)
    delegation = ResellerDelegation(distributor.id, reseller.id)
    after = attrs.evolve(invitation, status=ResellerInvitationStatus.ASSOCIATED)
    event = ResellerLinkChanged(
        occurred_at=when, actor=ActorId(candidate.partner_id), before=invitation, after=after,
        reseller=reseller, delegation=delegation,
    )  # fmt: skip
    return after, reseller, delegation, (event,)
