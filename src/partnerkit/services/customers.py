"""Customer services: the commands a partner centre, a UI or a CRM sync job calls.

Every command takes an explicit :class:`~partnerkit.permissions.Actor` and
``as_of``, loads through a unit of work, checks permissions in
:mod:`partnerkit.permissions`, calls the pure functions of
:mod:`partnerkit.customers`, saves with the versions it loaded, commits, and
returns the events.  Commands that create something take an
``idempotency_key``: a replay with the same key and arguments returns the
first run's events and changes nothing; the same key with other arguments
raises :class:`~partnerkit.errors.IdempotencyConflictError`.

A refused command raises a :class:`~partnerkit.errors.PartnerkitError` and
leaves storage exactly as it was.

>>> from datetime import datetime
>>> from partnerkit.adapters.memory import InMemoryStore
>>> from partnerkit.ids import PartnerId
>>> from partnerkit.partners import Partner, PartnerRole
>>> from partnerkit.permissions import Actor, OrgRole
>>> from partnerkit.periods import GMT_PLUS_8
>>> service = CustomerService(InMemoryStore().unit_of_work)
>>> when = datetime(2024, 3, 1, 10, tzinfo=GMT_PLUS_8)
>>> _ = service.register_partner(
...     Partner(PartnerId("p1"), PartnerRole.CSP, "HK", contact_email="s@p1.example"),
...     actor=Actor.vendor(ActorId("em")), as_of=when)
>>> admin = Actor.partner_user(ActorId("u1"), PartnerId("p1"), {OrgRole.ADMIN})
>>> events = service.preregister(
...     admin, PreRegistrationRequest("pr-1", "Alice", "alice@x.com", "+852", "5555 0000"),
...     as_of=when, idempotency_key=IdempotencyKey("k-1"))
>>> [e.name for e in events]
['PreRegistrationChanged', 'InvitationIssued']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, final

import attrs

from partnerkit.customers import (
    HUAWEI,
    AcceptanceResult,
    AccountManagerAssignment,
    Association,
    AssociationRequest,
    AuthorizationChanged,
    AuthorizationStatus,
    CustomerAlert,
    CustomerAssociated,
    CustomerAuthorization,
    CustomerFacts,
    CustomerPolicy,
    Initiator,
    Invitation,
    InvitationChanged,
    InvitationMethod,
    Lead,
    LossReason,
    NotLostFeedback,
    PreRegistration,
    PreRegistrationRequest,
    accept_invitation,
    approve_review,
    assign_account_manager,
    associate_by_ticket,
    delete_preregistration,
    end_assignment,
    evaluate_on_behalf,
    expire_preregistration,
    generate_link,
    handle_alert,
    normalize_email,
    preregister,
    reject_review,
    request_authorization,
    request_disassociation,
    respond_to_authorization,
    respond_to_disassociation,
    revoke_authorization,
    send_email_invitation,
    unassign_account_manager,
)
from partnerkit.decisions import Decision, Reason
from partnerkit.errors import (
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    RuleViolationError,
)
from partnerkit.events import Event
from partnerkit.ids import ActorId, CustomerId, IdempotencyKey, InvitationId, PartnerId
from partnerkit.partners import (
    AssociationType,
    Partner,
    PartnerRole,
    ResellerCandidate,
    ResellerDelegation,
    ResellerInvitation,
    accept_reseller_invitation,
    change_delegation,
    entrust_marketing,
    invite_reseller,
)
from partnerkit.periods import require_aware
from partnerkit.permissions import (
    Action,
    Actor,
    ActorKind,
    OrgRole,
    evaluate_permission,
    require_permission,
)
from partnerkit.ports import Collection, UnitOfWork, Verifier
from partnerkit.services._runner import check_flags, run_command, save, service_edge, verify

__all__ = [
    "ALERTS",
    "ASSIGNMENTS",
    "ASSOCIATIONS",
    "ASSOCIATION_REQUESTS",
    "AUTHORIZATIONS",
    "COLLECTIONS",
    "CUSTOMERS",
    "DELEGATIONS",
    "EMAIL_INDEX",
    "INVITATIONS",
    "LEADS",
    "PARTNERS",
    "PREREGISTRATIONS",
    "RESELLER_INVITATIONS",
    "AlertRaised",
    "CustomerFactsRecorded",
    "CustomerService",
    "EmailIndex",
    "PartnerRegistered",
    "replay",
]


@final
@attrs.frozen
class EmailIndex:
    """Which pre-registrations name an email, across partners (an index, not a rule)."""

    email: str
    record_ids: tuple[str, ...] = ()
    version: int = 0


PARTNERS: Collection[Partner] = Collection(
    "partners", Partner, key=lambda p: p.id, owner=lambda p: p.distributor_id
)
CUSTOMERS: Collection[CustomerFacts] = Collection("customers", CustomerFacts, key=lambda c: c.id)
PREREGISTRATIONS: Collection[PreRegistration] = Collection(
    "preregistrations", PreRegistration, key=lambda r: r.id, owner=lambda r: r.partner_id
)
EMAIL_INDEX: Collection[EmailIndex] = Collection("email_index", EmailIndex, key=lambda i: i.email)
INVITATIONS: Collection[Invitation] = Collection(
    "invitations", Invitation, key=lambda i: i.id, owner=lambda i: i.partner_id
)
ASSOCIATIONS: Collection[Association] = Collection(
    "associations", Association, key=lambda a: a.customer_id, owner=lambda a: a.partner_id
)
ASSOCIATION_REQUESTS: Collection[AssociationRequest] = Collection(
    "association_requests", AssociationRequest, key=lambda r: r.id, owner=lambda r: r.customer_id
)
DELEGATIONS: Collection[ResellerDelegation] = Collection(
    "delegations", ResellerDelegation, key=lambda d: d.reseller_id, owner=lambda d: d.distributor_id
)
RESELLER_INVITATIONS: Collection[ResellerInvitation] = Collection(
    "reseller_invitations",
    ResellerInvitation,
    key=lambda i: f"{i.distributor_id}/{i.candidate_id}",
    owner=lambda i: i.distributor_id,
)
AUTHORIZATIONS: Collection[CustomerAuthorization] = Collection(
    "authorizations", CustomerAuthorization, key=lambda a: a.id, owner=lambda a: a.customer_id
)
ASSIGNMENTS: Collection[AccountManagerAssignment] = Collection(
    "assignments",
    AccountManagerAssignment,
    key=lambda a: a.customer_id,
    owner=lambda a: a.partner_id,
)
ALERTS: Collection[CustomerAlert] = Collection(
    "alerts", CustomerAlert, key=lambda a: a.id, owner=lambda a: a.customer_id
)
LEADS: Collection[Lead] = Collection("leads", Lead, key=lambda lead: lead.id)

#: Every collection the customer services store, for adapters and :func:`replay`.
COLLECTIONS: tuple[Collection[Any], ...] = (
    PARTNERS, CUSTOMERS, PREREGISTRATIONS, EMAIL_INDEX, INVITATIONS, ASSOCIATIONS,
    ASSOCIATION_REQUESTS, DELEGATIONS, RESELLER_INVITATIONS, AUTHORIZATIONS, ASSIGNMENTS,
    ALERTS, LEADS,
)  # fmt: skip


# --- access checks shared with the other services ---------------------------------------------


def partner_of(uow: UnitOfWork, actor: Actor) -> Partner:
    """The stored partner of a partner user; anyone else is refused."""
    if actor.kind is not ActorKind.PARTNER_USER or actor.partner_id is None:
        raise PermissionDeniedError(actor.id, "act for", "a partner", reason="not a partner user")
    return uow.repository(PARTNERS).get(actor.partner_id)


def delegation_for(
    uow: UnitOfWork, partner: Partner, association: Association | None
) -> ResellerDelegation | None:
    """The delegation that matters: the reseller's own, or the target customer's reseller's."""
    delegations = uow.repository(DELEGATIONS)
    if partner.distributor_id is not None:
        return delegations.find(partner.id)
    if association is not None and association.distributor_id == partner.id:
        return delegations.find(association.partner_id)
    return None


def authorize(
    uow: UnitOfWork,
    actor: Actor,
    action: Action,
    customer_id: CustomerId | None = None,
    *,
    policy: CustomerPolicy,
) -> tuple[Partner, Association | None]:
    """Load the actor's partner and the customer's association; raise unless allowed."""
    partner = partner_of(uow, actor)
    association = None
    manager = None
    if customer_id is not None:
        association = uow.repository(ASSOCIATIONS).find(customer_id)
        assignment = uow.repository(ASSIGNMENTS).find(customer_id)
        manager = assignment.manager if assignment is not None else None
    require_permission(
        actor, action, partner=partner, target=customer_id, association=association,
        delegation=delegation_for(uow, partner, association), account_manager=manager,
        distributor_disassociates_reseller_customers=(
            policy.distributor_disassociates_reseller_customers
        ),
    )  # fmt: skip
    return partner, association


def on_behalf_decision(
    uow: UnitOfWork, actor: Actor, customer_id: CustomerId, *, product: str, policy: CustomerPolicy
) -> Decision:
    """May this partner user order ``product`` for the customer? (R-CUST-113, 119..121).

    The user's own permission (R-CUST-85, R-CUST-130) and the customer's
    authorization are both checked; the decision lists every reason once.
    """
    partner = partner_of(uow, actor)
    association = uow.repository(ASSOCIATIONS).find(customer_id)
    delegation = delegation_for(uow, partner, association)
    assignment = uow.repository(ASSIGNMENTS).find(customer_id)
    authorization = next(
        (a for a in uow.repository(AUTHORIZATIONS).list_by_owner(customer_id)
         if a.partner_id == partner.id and a.status is AuthorizationStatus.ACCEPTED),
        None,
    )  # fmt: skip
    allowed = evaluate_permission(
        actor, Action.ACT_ON_BEHALF, partner=partner, association=association,
        delegation=delegation, account_manager=assignment.manager if assignment else None,
    )  # fmt: skip
    on_behalf = evaluate_on_behalf(
        partner, association, authorization, delegation=delegation, product=product, policy=policy
    )
    seen = {r.code for r in on_behalf.reasons}
    extra = tuple(r for r in allowed.reasons if r.code not in seen)
    return Decision.of(extra + on_behalf.reasons)


@attrs.frozen(kw_only=True)
class PartnerRegistered(Event):
    """The embedding application registered or updated a partner's facts."""

    partner: Partner

    def snapshots(self) -> tuple[object, ...]:
        """The stored values after the change."""
        return (self.partner,)


@attrs.frozen(kw_only=True)
class CustomerFactsRecorded(Event):
    """The embedding application recorded a customer's facts."""

    facts: CustomerFacts

    def snapshots(self) -> tuple[object, ...]:
        """The stored values after the change."""
        return (self.facts,)


@attrs.frozen(kw_only=True)
class AlertRaised(Event):
    """The vendor's daily refresh raised a churn alert (ingested, G-23)."""

    alert: CustomerAlert

    def snapshots(self) -> tuple[object, ...]:
        """The stored values after the change."""
        return (self.alert,)


def replay(events: Iterable[Event]) -> dict[tuple[str, str], object]:
    """Rebuild stored state from an event log: ``(collection, key) -> value``.

    Every state-changing event carries the values it leaves behind
    (``snapshots()``), so the log alone reproduces storage (versions aside,
    which storage owns; the email index is derived from the pre-registrations).
    Useful to audit a store or to rebuild a read model.
    """
    by_type = {c.entity_type: c for c in COLLECTIONS}
    state: dict[tuple[str, str], object] = {}
    for event in events:
        for value in event.snapshots():
            collection = by_type[type(value)]
            key = (collection.name, collection.key(value))
            if isinstance(value, PreRegistration) and key not in state:
                index_key = (EMAIL_INDEX.name, value.email)
                index = state.get(index_key)
                ids = index.record_ids if isinstance(index, EmailIndex) else ()
                state[index_key] = EmailIndex(value.email, (*ids, value.id))
            state[key] = collection.with_version(value, 0)
    return state


@service_edge
@final
class CustomerService:
    """The customer-area use cases over a unit of work.

    Args:
        unit_of_work: Opens a new unit of work (e.g. ``InMemoryStore().unit_of_work``).
        policy: The vendor policy; default Huawei.
        verifier: Checks verification codes of critical operations (R-CUST-147).
            Without one, the embedding application is trusted to have checked
            them before calling.
    """

    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        *,
        policy: CustomerPolicy = HUAWEI,
        verifier: Verifier | None = None,
    ) -> None:
        if not callable(unit_of_work):
            raise InvalidArgumentError("unit_of_work", unit_of_work, "expected a factory")
        if not isinstance(policy, CustomerPolicy):
            raise InvalidArgumentError("policy", policy, "expected a CustomerPolicy")
        self._new_unit = unit_of_work
        self.policy = policy
        self._verifier = verifier

    def _verify(self, actor: Actor, operation: str, code: str | None, *, required: bool) -> None:
        verify(self._verifier, actor, operation, code, required=required)

    # --- plumbing ------------------------------------------------------------------------

    def _run(
        self,
        command: str,
        arguments: dict[str, Any],
        key: IdempotencyKey | None,
        as_of: datetime,
        body: Callable[[UnitOfWork], Sequence[Event]],
    ) -> tuple[Event, ...]:
        return run_command(self._new_unit, command, arguments, key, as_of, body)

    _partner_of = staticmethod(partner_of)
    _delegation_for = staticmethod(delegation_for)

    def _authorize(
        self,
        uow: UnitOfWork,
        actor: Actor,
        action: Action,
        customer_id: CustomerId | None = None,
    ) -> tuple[Partner, Association | None]:
        return authorize(uow, actor, action, customer_id, policy=self.policy)

    @staticmethod
    def _require_kind(actor: Actor, *kinds: ActorKind) -> None:
        if not isinstance(actor, Actor):
            raise InvalidArgumentError("actor", actor, "expected a partnerkit Actor")
        if actor.kind not in kinds:
            raise PermissionDeniedError(
                actor.id, "run this command as", actor.kind.value,
                reason=f"expected one of {sorted(k.value for k in kinds)}",
            )  # fmt: skip

    # --- facts supplied by the embedding application --------------------------------------

    def register_partner(
        self, partner: Partner, *, actor: Actor, as_of: datetime
    ) -> tuple[Event, ...]:
        """Record or update a partner's facts (set-to-target; vendor or system actor)."""
        self._require_kind(actor, ActorKind.VENDOR, ActorKind.SYSTEM)
        if not isinstance(partner, Partner):
            raise InvalidArgumentError("partner", partner, "expected a Partner")

        def body(uow: UnitOfWork) -> list[Event]:
            repo = uow.repository(PARTNERS)
            current = repo.find(partner.id)
            target = attrs.evolve(partner, version=current.version if current else 0)
            if current is not None and current == target:
                return []
            save(repo, current, target)
            return [PartnerRegistered(occurred_at=as_of, actor=actor.id, partner=target)]

        return self._run("register_partner", {}, None, as_of, body)

    def record_customer(
        self, facts: CustomerFacts, *, actor: Actor, as_of: datetime
    ) -> tuple[Event, ...]:
        """Record or update a customer's facts (set-to-target; vendor or system actor)."""
        self._require_kind(actor, ActorKind.VENDOR, ActorKind.SYSTEM)
        if not isinstance(facts, CustomerFacts):
            raise InvalidArgumentError("facts", facts, "expected CustomerFacts")

        def body(uow: UnitOfWork) -> list[Event]:
            repo = uow.repository(CUSTOMERS)
            current = repo.find(facts.id)
            target = attrs.evolve(facts, version=current.version if current else 0)
            if current is not None and current == target:
                return []
            save(repo, current, target)
            return [CustomerFactsRecorded(occurred_at=as_of, actor=actor.id, facts=target)]

        return self._run("record_customer", {}, None, as_of, body)

    # --- customer development --------------------------------------------------------------

    def _email_records(
        self, uow: UnitOfWork, email: str, as_of: datetime
    ) -> tuple[list[PreRegistration], list[Event]]:
        """The email's pre-registrations, expiring the lapsed ones (E-01)."""
        index = uow.repository(EMAIL_INDEX).find(email)
        repo = uow.repository(PREREGISTRATIONS)
        records: list[PreRegistration] = []
        events: list[Event] = []
        for record_id in index.record_ids if index else ():
            record = repo.get(record_id)
            expired, changed = expire_preregistration(record, as_of=as_of)
            if changed:
                repo.save(expired, expected_version=record.version)
                events.extend(changed)
            records.append(expired)
        return records, events

    def preregister(
        self,
        actor: Actor,
        request: PreRegistrationRequest,
        *,
        as_of: datetime,
        idempotency_key: IdempotencyKey,
        customer_id: CustomerId | None = None,
        request_review: bool = False,
    ) -> tuple[Event, ...]:
        """Pre-register a prospect and, if asked, email it an invitation (SM-1, SM-2).

        ``customer_id`` names the account registered with this email, when
        one exists, so its facts are checked (R-CUST-09, R-CUST-10).  The
        email invitation gets the id ``"<pre-registration id>/email"``.
        """
        self._require_kind(actor, ActorKind.PARTNER_USER)
        check_flags(request_review=request_review)
        if not isinstance(request, PreRegistrationRequest):
            raise InvalidArgumentError("request", request, "expected a PreRegistrationRequest")

        def body(uow: UnitOfWork) -> list[Event]:
            partner, _ = self._authorize(uow, actor, Action.PREREGISTER)
            email = normalize_email(request.email)
            customer = uow.repository(CUSTOMERS).get(customer_id) if customer_id else None
            if customer is not None and customer.normalized_email != email:
                raise InvalidArgumentError(
                    "customer_id", customer_id, "that account is registered with another email",
                    rule_id="R-CUST-12",
                )  # fmt: skip
            associated = uow.repository(ASSOCIATIONS).find(customer_id) if customer_id else None
            current_partner = associated.partner_id if associated and associated.active else None
            email_records, events = self._email_records(uow, email, as_of)
            mine = uow.repository(PREREGISTRATIONS).list_by_owner(partner.id)
            if any(r.id == request.id for r in mine) or uow.repository(PREREGISTRATIONS).find(
                request.id
            ):
                raise RuleViolationError(
                    "R-CUST-13", "a pre-registration with this id exists",
                    fields={"code": "DUPLICATE_ID", "id": request.id},
                )  # fmt: skip
            record, created = preregister(
                partner, request, customer=customer, partner_records=mine,
                email_records=email_records,
                associated_partner=current_partner,
                as_of=as_of, request_review=request_review, actor=actor.id, policy=self.policy,
            )  # fmt: skip
            uow.repository(PREREGISTRATIONS).add(record)
            index_repo = uow.repository(EMAIL_INDEX)
            index = index_repo.find(email)
            new_index = EmailIndex(email, (*(index.record_ids if index else ()), record.id))
            save(index_repo, index, attrs.evolve(new_index, version=index.version if index else 0))
            events.extend(created)
            if request.send_invitation and record.valid_until is not None:
                invitation, issued = send_email_invitation(
                    partner, record, invitation_id=InvitationId(f"{record.id}/email"),
                    inviter=actor.id, as_of=as_of,
                    inviter_is_account_manager=_is_account_manager(actor), policy=self.policy,
                )  # fmt: skip
                uow.repository(INVITATIONS).add(invitation)
                events.extend(issued)
            return events

        arguments = {
            "actor": actor,
            "request": request,
            "customer_id": customer_id,
            "review": request_review,
        }
        return self._run("preregister", arguments, idempotency_key, as_of, body)

    def decide_review(
        self, actor: Actor, pre_registration_id: str, *, approve: bool, as_of: datetime,
        reason: str | None = None,
    ) -> tuple[Event, ...]:  # fmt: skip
        """The vendor approves or rejects a manual pre-registration review (SM-1)."""
        self._require_kind(actor, ActorKind.VENDOR)
        check_flags(approve=approve)

        def body(uow: UnitOfWork) -> Sequence[Event]:
            repo = uow.repository(PREREGISTRATIONS)
            record = repo.get(pre_registration_id)
            if approve:
                after, events = approve_review(
                    record, actor=actor.id, as_of=as_of, policy=self.policy
                )
            else:
                after, events = reject_review(record, actor=actor.id, as_of=as_of, reason=reason)
            repo.save(after, expected_version=record.version)
            return events

        return self._run("decide_review", {}, None, as_of, body)

    def delete_preregistration(
        self, actor: Actor, pre_registration_id: str, *, as_of: datetime
    ) -> tuple[Event, ...]:
        """Delete a pre-registration (R-CUST-14)."""
        self._require_kind(actor, ActorKind.PARTNER_USER)

        def body(uow: UnitOfWork) -> Sequence[Event]:
            partner, _ = self._authorize(uow, actor, Action.PREREGISTER)
            repo = uow.repository(PREREGISTRATIONS)
            record = repo.get(pre_registration_id)
            if record.partner_id != partner.id:
                raise PermissionDeniedError(
                    actor.id, "delete", pre_registration_id, rule_id="R-CUST-14",
                    reason="the pre-registration belongs to another partner",
                )  # fmt: skip
            current, expired = expire_preregistration(record, as_of=as_of)
            after, deleted = delete_preregistration(current, actor=actor.id, as_of=as_of)
            repo.save(after, expected_version=record.version)
            return (*expired, *deleted)

        return self._run("delete_preregistration", {}, None, as_of, body)

    def send_invitation(
        self, actor: Actor, pre_registration_id: str, *, invitation_id: InvitationId,
        as_of: datetime, idempotency_key: IdempotencyKey,
    ) -> tuple[Event, ...]:  # fmt: skip
        """Email (or re-send) an invitation to a pre-registered prospect (R-CUST-18, R-CUST-19)."""
        self._require_kind(actor, ActorKind.PARTNER_USER)

        def body(uow: UnitOfWork) -> Sequence[Event]:
            partner, _ = self._authorize(uow, actor, Action.INVITE)
            record = uow.repository(PREREGISTRATIONS).get(pre_registration_id)
            invitation, events = send_email_invitation(
                partner, record, invitation_id=invitation_id, inviter=actor.id, as_of=as_of,
                inviter_is_account_manager=_is_account_manager(actor), policy=self.policy,
            )  # fmt: skip
            uow.repository(INVITATIONS).add(invitation)
            return events

        arguments = {"actor": actor, "pre": pre_registration_id, "invitation": invitation_id}
        return self._run("send_invitation", arguments, idempotency_key, as_of, body)

    def generate_link(
        self, actor: Actor, *, invitation_id: InvitationId, method: InvitationMethod,
        as_of: datetime, idempotency_key: IdempotencyKey, **options: Any,
    ) -> tuple[Event, ...]:  # fmt: skip
        """Generate a general, customized or promotional link (R-CUST-21).

        ``options`` are those of :func:`partnerkit.customers.generate_link`
        (``association_type``, ``custom_tag``, ``account_manager``,
        ``remarks``, ``campaign_ends_at``).
        """
        self._require_kind(actor, ActorKind.PARTNER_USER)

        def body(uow: UnitOfWork) -> Sequence[Event]:
            partner, _ = self._authorize(uow, actor, Action.INVITE)
            invitation, events = generate_link(
                partner, invitation_id=invitation_id, method=method, inviter=actor.id,
                as_of=as_of, inviter_is_account_manager=_is_account_manager(actor),
                policy=self.policy, **options,
            )  # fmt: skip
            uow.repository(INVITATIONS).add(invitation)
            return events

        arguments = {"actor": actor, "id": invitation_id, "method": method, "options": options}
        return self._run("generate_link", arguments, idempotency_key, as_of, body)

    def accept_invitation(
        self, actor: Actor, invitation_id: InvitationId, *, new_account: bool,
        signed_instructions: str | None, as_of: datetime, idempotency_key: IdempotencyKey,
        record_failure: bool = False,
    ) -> AcceptanceResult:  # fmt: skip
        """The customer accepts an invitation and associates (SM-2, SM-3).

        A refusal raises :class:`~partnerkit.errors.RuleViolationError` whose
        message is the vendor's text (R-CUST-36) and whose ``reasons`` list
        every failure; nothing is stored unless ``record_failure=True``, which
        first records a failed email invitation as ``ASSOCIATION_FAILED``.
        """
        self._require_kind(actor, ActorKind.CUSTOMER)
        check_flags(new_account=new_account, record_failure=record_failure)
        customer_id = actor.require_customer()
        result: list[AcceptanceResult] = []

        def body(uow: UnitOfWork) -> Sequence[Event]:
            invitation = uow.repository(INVITATIONS).find(invitation_id)
            if invitation is None:
                missing = Reason(
                    "INVITATION_NOT_FOUND", "R-CUST-36", "The invitation link does not exist."
                )
                raise Decision.deny(missing).violation()
            customer = uow.repository(CUSTOMERS).get(customer_id)
            partner = uow.repository(PARTNERS).get(invitation.partner_id)
            associations = uow.repository(ASSOCIATIONS)
            existing = associations.find(customer_id)
            email_records, expired_events = self._email_records(
                uow, customer.normalized_email, as_of
            )
            assignments = uow.repository(ASSIGNMENTS)
            assignment = assignments.find(customer_id)
            outcome = accept_invitation(
                partner, customer, invitation, existing=existing, email_records=email_records,
                assignment=assignment, new_account=new_account,
                signed_instructions=signed_instructions, as_of=as_of, policy=self.policy,
            )  # fmt: skip
            result.append(outcome)
            association = outcome.association
            if association is None:
                failed = outcome.events[0] if outcome.events else None
                if record_failure and isinstance(failed, InvitationChanged):
                    after = attrs.evolve(failed.after, version=invitation.version)
                    save(uow.repository(INVITATIONS), invitation, after)
                    return [*expired_events, failed]
                raise outcome.decision.violation()
            save(
                associations,
                existing,
                attrs.evolve(association, version=existing.version if existing else 0),
            )
            for event in outcome.events:
                for value in event.snapshots():
                    if isinstance(value, Invitation):
                        save(
                            uow.repository(INVITATIONS),
                            invitation,
                            attrs.evolve(value, version=invitation.version),
                        )
                    elif isinstance(value, PreRegistration):
                        repo = uow.repository(PREREGISTRATIONS)
                        stored = repo.get(value.id)
                        save(repo, stored, attrs.evolve(value, version=stored.version))
                    elif isinstance(value, AccountManagerAssignment):
                        save(
                            assignments,
                            assignment,
                            attrs.evolve(value, version=assignment.version if assignment else 0),
                        )
            return [*expired_events, *outcome.events]

        arguments = {
            "actor": actor,
            "invitation": invitation_id,
            "new": new_account,
            "signed": signed_instructions,
        }
        events = self._run("accept_invitation", arguments, idempotency_key, as_of, body)
        if result and not result[0].associated:
            raise result[0].decision.violation()
        if result:
            return attrs.evolve(result[0], events=events)
        # A replay of a recorded key: rebuild the answer from the recorded events.
        association = next(
            (e.association for e in events if isinstance(e, CustomerAssociated)), None
        )
        if association is None:  # a recorded failure (record_failure=True) replays as one
            failed = next(e for e in events if isinstance(e, InvitationChanged))
            code = failed.after.failure_code or "ASSOCIATION_FAILED"
            raise Decision.deny(Reason(code, "R-CUST-36", failed.reason or code)).violation()
        return AcceptanceResult(Decision.allow(), association, events)

    # --- distributor and resellers ---------------------------------------------------------

    def invite_reseller(
        self, actor: Actor, candidate: ResellerCandidate, *, as_of: datetime,
        idempotency_key: IdempotencyKey,
    ) -> tuple[Event, ...]:  # fmt: skip
        """A distributor invites a partner account to become its reseller (R-CUST-29)."""
        self._require_kind(actor, ActorKind.PARTNER_USER)

        def body(uow: UnitOfWork) -> Sequence[Event]:
            distributor, _ = self._authorize(uow, actor, Action.DELEGATE)
            invitation, events = invite_reseller(distributor, candidate, as_of=as_of)
            uow.repository(RESELLER_INVITATIONS).add(invitation)
            return events

        return self._run(
            "invite_reseller",
            {"actor": actor, "candidate": candidate},
            idempotency_key,
            as_of,
            body,
        )

    def accept_reseller_invitation(
        self, actor: Actor, distributor_id: PartnerId, candidate: ResellerCandidate, *,
        role: PartnerRole, as_of: datetime,
    ) -> tuple[Event, ...]:  # fmt: skip
        """The invitee accepts: it becomes a reseller, or the link is RESTRICTED.

        See eligibility.md 3.5 and R-CUST-29.
        """
        self._require_kind(actor, ActorKind.VENDOR, ActorKind.SYSTEM)

        def body(uow: UnitOfWork) -> Sequence[Event]:
            invitations = uow.repository(RESELLER_INVITATIONS)
            invitation = invitations.get(f"{distributor_id}/{candidate.partner_id}")
            distributor = uow.repository(PARTNERS).get(distributor_id)
            after, reseller, delegation, events = accept_reseller_invitation(
                invitation, distributor, candidate, role=role, as_of=as_of
            )
            invitations.save(after, expected_version=invitation.version)
            if reseller is not None and delegation is not None:
                uow.repository(PARTNERS).add(reseller)
                uow.repository(DELEGATIONS).add(delegation)
            return events

        return self._run("accept_reseller_invitation", {}, None, as_of, body)

    def change_delegation(
        self, actor: Actor, reseller_id: PartnerId, *, as_of: datetime,
        verification_code: str | None = None, **changes: Any,
    ) -> tuple[Event, ...]:  # fmt: skip
        """Grant or withdraw a reseller's delegated powers (SM-8; set-to-target).

        ``changes`` are those of :func:`partnerkit.partners.change_delegation`.
        Delegation always needs the verification code (R-CUST-147).
        """
        self._require_kind(actor, ActorKind.PARTNER_USER)
        self._verify(actor, "change_delegation", verification_code, required=True)

        def body(uow: UnitOfWork) -> Sequence[Event]:
            distributor = self._partner_of(uow, actor)
            delegations = uow.repository(DELEGATIONS)
            delegation = delegations.get(reseller_id)
            require_permission(
                actor,
                Action.DELEGATE,
                partner=distributor,
                target=reseller_id,
                delegation=delegation,
            )
            after, events = change_delegation(
                delegation, actor=distributor.id, as_of=as_of, **changes
            )
            save(delegations, delegation, after)
            return events

        return self._run("change_delegation", {}, None, as_of, body)

    def entrust_marketing(
        self, actor: Actor, *, entrust: bool, as_of: datetime
    ) -> tuple[Event, ...]:
        """A reseller entrusts its marketing tasks to its distributor, or cancels (R-CUST-69)."""
        self._require_kind(actor, ActorKind.PARTNER_USER)
        check_flags(entrust=entrust)

        def body(uow: UnitOfWork) -> Sequence[Event]:
            reseller = self._partner_of(uow, actor)
            delegations = uow.repository(DELEGATIONS)
            delegation = delegations.get(reseller.id)
            after, events = entrust_marketing(
                delegation, actor=reseller.id, entrust=entrust, as_of=as_of
            )
            save(delegations, delegation, after)
            return events

        return self._run("entrust_marketing", {}, None, as_of, body)

    def associate_by_ticket(
        self, customer_id: CustomerId, partner_id: PartnerId, *,
        association_type: AssociationType, actor: Actor, as_of: datetime,
    ) -> tuple[Event, ...]:  # fmt: skip
        """The vendor records an association made through a service ticket (R-CUST-39)."""
        self._require_kind(actor, ActorKind.VENDOR)

        def body(uow: UnitOfWork) -> Sequence[Event]:
            partner = uow.repository(PARTNERS).get(partner_id)
            customer = uow.repository(CUSTOMERS).get(customer_id)
            associations = uow.repository(ASSOCIATIONS)
            existing = associations.find(customer_id)
            association, events = associate_by_ticket(
                partner, customer, association_type=association_type, existing=existing,
                actor=actor.id, as_of=as_of,
            )  # fmt: skip
            save(
                associations,
                existing,
                attrs.evolve(association, version=existing.version if existing else 0),
            )
            return events

        return self._run("associate_by_ticket", {}, None, as_of, body)

    # --- disassociation --------------------------------------------------------------------

    def request_disassociation(
        self, actor: Actor, customer_id: CustomerId, *, request_id: str, reason: str,
        acknowledged: bool, as_of: datetime, idempotency_key: IdempotencyKey,
        manually_frozen: bool = False, verification_code: str | None = None,
    ) -> tuple[Event, ...]:  # fmt: skip
        """A partner user or the customer asks to disassociate (SM-4).

        ``manually_frozen`` says whether the partner froze the account by hand
        (R-CUST-89); the budget package will answer it once it exists.  A
        customer always gives its code; a partner when it enabled codes
        (R-CUST-93, R-CUST-147).
        """
        self._require_kind(actor, ActorKind.PARTNER_USER, ActorKind.CUSTOMER)
        check_flags(acknowledged=acknowledged, manually_frozen=manually_frozen)

        def body(uow: UnitOfWork) -> Sequence[Event]:
            if actor.kind is ActorKind.CUSTOMER:
                if actor.customer_id != customer_id:
                    raise PermissionDeniedError(
                        actor.id, "disassociate", customer_id, rule_id="R-CUST-87"
                    )
                self._verify(actor, "disassociate", verification_code, required=True)
                association = uow.repository(ASSOCIATIONS).get(customer_id)
                initiator = Initiator.CUSTOMER
            else:
                partner = self._partner_of(uow, actor)
                self._verify(
                    actor, "disassociate", verification_code,
                    required=partner.verification_code_enabled,
                )  # fmt: skip
                _, found = self._authorize(uow, actor, Action.DISASSOCIATE, customer_id)
                association = (
                    uow.repository(ASSOCIATIONS).get(customer_id) if found is None else found
                )
                initiator = Initiator.PARTNER
            customer = uow.repository(CUSTOMERS).get(customer_id)
            requests = uow.repository(ASSOCIATION_REQUESTS)
            request, after, events = request_disassociation(
                association, customer, request_id=request_id, initiator=initiator, reason=reason,
                acknowledged=acknowledged, history=requests.list_by_owner(customer_id),
                manually_frozen=manually_frozen, actor=actor.id, as_of=as_of, policy=self.policy,
            )  # fmt: skip
            requests.add(request)
            extra = self._after_disassociation(uow, association, after, actor, as_of)
            save(uow.repository(ASSOCIATIONS), association, after)
            return (*events, *extra)

        arguments = {"actor": actor, "customer": customer_id, "id": request_id, "reason": reason}
        return self._run("request_disassociation", arguments, idempotency_key, as_of, body)

    def respond_to_disassociation(
        self, actor: Actor, request_id: str, *, agree: bool, as_of: datetime,
        verification_code: str | None = None,
    ) -> tuple[Event, ...]:  # fmt: skip
        """The counterparty agrees or rejects (R-CUST-94).

        A partner-initiated request is answered by the customer; a
        customer-initiated one by a partner user with the processing
        permission (R-CUST-85).
        """
        self._require_kind(actor, ActorKind.PARTNER_USER, ActorKind.CUSTOMER)
        check_flags(agree=agree)

        def body(uow: UnitOfWork) -> Sequence[Event]:
            requests = uow.repository(ASSOCIATION_REQUESTS)
            request = requests.get(request_id)
            if request.initiator is Initiator.PARTNER:
                if actor.kind is not ActorKind.CUSTOMER or actor.customer_id != request.customer_id:
                    raise PermissionDeniedError(
                        actor.id, "process", request_id, rule_id="R-CUST-94",
                        reason="the customer answers a partner's request",
                    )  # fmt: skip
            else:
                self._require_kind(actor, ActorKind.PARTNER_USER)
                partner, _ = self._authorize(
                    uow, actor, Action.PROCESS_ASSOCIATION_REQUEST, request.customer_id
                )
                self._verify(
                    actor, "process_association_request", verification_code,
                    required=partner.verification_code_enabled,
                )  # fmt: skip
            association = uow.repository(ASSOCIATIONS).get(request.customer_id)
            after_request, after, events = respond_to_disassociation(
                request, association, agree=agree, actor=actor.id, as_of=as_of
            )
            requests.save(after_request, expected_version=request.version)
            extra = self._after_disassociation(uow, association, after, actor, as_of)
            save(uow.repository(ASSOCIATIONS), association, after)
            return (*events, *extra)

        return self._run("respond_to_disassociation", {}, None, as_of, body)

    def _after_disassociation(
        self,
        uow: UnitOfWork,
        before: Association,
        after: Association,
        actor: Actor,
        as_of: datetime,
    ) -> list[Event]:
        """End the AM assignment and the authorizations with the association (G-26)."""
        if not before.active or after.active:
            return []
        events: list[Event] = []
        assignments = uow.repository(ASSIGNMENTS)
        assignment = assignments.find(after.customer_id)
        if assignment is not None:
            ended, changed = end_assignment(
                assignment, actor=actor.id, as_of=as_of, reason="disassociated"
            )
            save(assignments, assignment, ended)
            events.extend(changed)
        authorizations = uow.repository(AUTHORIZATIONS)
        for authorization in authorizations.list_by_owner(after.customer_id):
            if authorization.status is AuthorizationStatus.ACCEPTED:
                revoked = attrs.evolve(
                    authorization, status=AuthorizationStatus.REVOKED, revoked_at=as_of,
                    revoke_reason="disassociated",
                )  # fmt: skip
                authorizations.save(revoked, expected_version=authorization.version)
                events.append(
                    AuthorizationChanged(
                        occurred_at=as_of,
                        actor=actor.id,
                        reason="disassociated",
                        before=authorization,
                        after=revoked,
                    )
                )
        return events

    # --- authorization and on-behalf --------------------------------------------------------

    def request_authorization(
        self, actor: Actor, customer_id: CustomerId, *, authorization_id: str,
        accept_commitment: bool, as_of: datetime, idempotency_key: IdempotencyKey,
    ) -> tuple[Event, ...]:  # fmt: skip
        """Ask the customer for on-behalf authorization (SM-7)."""
        self._require_kind(actor, ActorKind.PARTNER_USER)
        check_flags(accept_commitment=accept_commitment)

        def body(uow: UnitOfWork) -> Sequence[Event]:
            partner, association = self._authorize(
                uow, actor, Action.REQUEST_AUTHORIZATION, customer_id
            )
            if association is None:
                raise NotFoundError("association", customer_id)
            authorizations = uow.repository(AUTHORIZATIONS)
            pending = next(
                (a for a in authorizations.list_by_owner(customer_id)
                 if a.partner_id == partner.id
                 and a.status is AuthorizationStatus.PENDING_CONFIRMATION),
                None,
            )  # fmt: skip
            authorization, partner_after, events = request_authorization(
                partner, association, authorization_id=authorization_id,
                delegation=self._delegation_for(uow, partner, association), pending=pending,
                accept_commitment=accept_commitment, actor=actor.id, as_of=as_of,
            )  # fmt: skip
            authorizations.add(authorization)
            save(uow.repository(PARTNERS), partner, partner_after)
            return events

        arguments = {"actor": actor, "customer": customer_id, "id": authorization_id}
        return self._run("request_authorization", arguments, idempotency_key, as_of, body)

    def respond_to_authorization(
        self, actor: Actor, authorization_id: str, *, agree: bool, as_of: datetime,
        verification_code: str | None = None,
    ) -> tuple[Event, ...]:  # fmt: skip
        """The customer agrees (with its verification code) or rejects (R-CUST-115)."""
        self._require_kind(actor, ActorKind.CUSTOMER)
        check_flags(agree=agree)
        self._verify(actor, "authorize", verification_code, required=agree)

        def body(uow: UnitOfWork) -> Sequence[Event]:
            repo = uow.repository(AUTHORIZATIONS)
            authorization = repo.get(authorization_id)
            if authorization.customer_id != actor.customer_id:
                raise PermissionDeniedError(
                    actor.id, "answer", authorization_id, rule_id="R-CUST-115"
                )
            after, events = respond_to_authorization(
                authorization, agree=agree, actor=actor.id, as_of=as_of
            )
            repo.save(after, expected_version=authorization.version)
            return events

        return self._run("respond_to_authorization", {}, None, as_of, body)

    def revoke_authorization(
        self, actor: Actor, authorization_id: str, *, reason: str, as_of: datetime,
        verification_code: str | None = None,
    ) -> tuple[Event, ...]:  # fmt: skip
        """The customer revokes an authorization, for good, with its code (R-CUST-116)."""
        self._require_kind(actor, ActorKind.CUSTOMER)
        self._verify(actor, "revoke_authorization", verification_code, required=True)

        def body(uow: UnitOfWork) -> Sequence[Event]:
            repo = uow.repository(AUTHORIZATIONS)
            authorization = repo.get(authorization_id)
            if authorization.customer_id != actor.customer_id:
                raise PermissionDeniedError(
                    actor.id, "revoke", authorization_id, rule_id="R-CUST-116"
                )
            after, events = revoke_authorization(
                authorization, reason=reason, actor=actor.id, as_of=as_of, policy=self.policy
            )
            repo.save(after, expected_version=authorization.version)
            return events

        return self._run("revoke_authorization", {}, None, as_of, body)

    def check_on_behalf(
        self, actor: Actor, customer_id: CustomerId, *, product: str, as_of: datetime
    ) -> Decision:
        """May this partner user order ``product`` for the customer now? (R-CUST-113, 119..121).

        The user's own permission (R-CUST-85, R-CUST-130) and the customer's
        authorization are both checked; the decision lists every reason once.
        """
        self._require_kind(actor, ActorKind.PARTNER_USER)
        require_aware(as_of)
        with self._new_unit() as uow:
            return on_behalf_decision(uow, actor, customer_id, product=product, policy=self.policy)

    # --- account managers and alerts --------------------------------------------------------

    def assign_account_manager(
        self, actor: Actor, customer_id: CustomerId, manager: ActorId, *, as_of: datetime,
        change: bool = False,
    ) -> tuple[Event, ...]:  # fmt: skip
        """Assign (or, with ``change=True``, change) a customer's AM (R-CUST-127, R-CUST-128)."""
        self._require_kind(actor, ActorKind.PARTNER_USER)
        check_flags(change=change)

        def body(uow: UnitOfWork) -> Sequence[Event]:
            partner, _ = self._authorize(uow, actor, Action.ASSIGN_ACCOUNT_MANAGER, customer_id)
            repo = uow.repository(ASSIGNMENTS)
            current = repo.find(customer_id)
            after, events = assign_account_manager(
                current, customer_id, partner.id, manager, actor=actor.id, as_of=as_of,
                change=change, policy=self.policy,
            )  # fmt: skip
            save(repo, current, attrs.evolve(after, version=current.version if current else 0))
            return events

        return self._run("assign_account_manager", {}, None, as_of, body)

    def unassign_account_manager(
        self, actor: Actor, customer_id: CustomerId, *, as_of: datetime
    ) -> tuple[Event, ...]:
        """Unassign, effective the 1st of next month GMT+08:00 (R-CUST-131)."""
        self._require_kind(actor, ActorKind.PARTNER_USER)

        def body(uow: UnitOfWork) -> Sequence[Event]:
            self._authorize(uow, actor, Action.ASSIGN_ACCOUNT_MANAGER, customer_id)
            repo = uow.repository(ASSIGNMENTS)
            current = repo.get(customer_id)
            after, events = unassign_account_manager(
                current, actor=actor.id, as_of=as_of, policy=self.policy
            )
            save(repo, current, after)
            return events

        return self._run("unassign_account_manager", {}, None, as_of, body)

    def raise_alert(
        self, alert: CustomerAlert, *, actor: Actor, as_of: datetime
    ) -> tuple[Event, ...]:
        """Ingest a churn alert from the vendor's daily refresh (G-23); idempotent by alert id."""
        self._require_kind(actor, ActorKind.VENDOR, ActorKind.SYSTEM)

        def body(uow: UnitOfWork) -> Sequence[Event]:
            repo = uow.repository(ALERTS)
            if repo.find(alert.id) is not None:
                return ()
            repo.add(alert)
            return (AlertRaised(occurred_at=as_of, actor=actor.id, alert=alert),)

        return self._run("raise_alert", {}, None, as_of, body)

    def handle_alert(
        self, actor: Actor, alert_id: str, *, customer_lost: bool, as_of: datetime,
        loss_reason: LossReason | None = None, not_lost_feedback: NotLostFeedback | None = None,
    ) -> tuple[Event, ...]:  # fmt: skip
        """Process an alert: the AM, or the partner when none is assigned (R-CUST-140, 141)."""
        self._require_kind(actor, ActorKind.PARTNER_USER)

        def body(uow: UnitOfWork) -> Sequence[Event]:
            repo = uow.repository(ALERTS)
            alert = repo.get(alert_id)
            partner = self._partner_of(uow, actor)
            if alert.partner_id != partner.id:
                raise PermissionDeniedError(actor.id, "handle", alert_id, rule_id="R-CUST-140")
            assignment = uow.repository(ASSIGNMENTS).find(alert.customer_id)
            after, events = handle_alert(
                alert, actor=actor.id,
                actor_is_partner_handler=not _is_account_manager(actor),
                assignment=assignment, customer_lost=customer_lost, as_of=as_of,
                loss_reason=loss_reason, not_lost_feedback=not_lost_feedback,
            )  # fmt: skip
            repo.save(after, expected_version=alert.version)
            return events

        return self._run("handle_alert", {}, None, as_of, body)


def _is_account_manager(actor: Actor) -> bool:
    return bool(actor.roles & {OrgRole.ACCOUNT_MANAGER, OrgRole.ACCOUNT_DIRECTOR})
