"""Eligibility use cases over a unit of work: applications, benefits, members, opportunities.

A thin shell over :mod:`partnerkit.eligibility`.  The caller supplies the
:class:`~partnerkit.eligibility.Facts` snapshot (the library never looks
facts up); the service evaluates, refuses with every blocker, stores the
request and returns events that carry the stored values.  Every command
takes an actor and ``as_of``; deltas take idempotency keys.

>>> from partnerkit.adapters.memory import InMemoryStore
>>> service = EligibilityService(InMemoryStore().unit_of_work)
>>> service.enrolments(PartnerId("p1"))
()
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import final

import attrs

import partnerkit._validators as _v
from partnerkit._construct import checked
from partnerkit.decisions import Decision
from partnerkit.eligibility.benefits import StageBenefit, may_request_benefit
from partnerkit.eligibility.decision import Evaluation
from partnerkit.eligibility.facts import Facts
from partnerkit.eligibility.opportunities import Opportunity, may_create_opportunity
from partnerkit.eligibility.organisation import member_roles
from partnerkit.eligibility.programmes import Programme, next_step
from partnerkit.errors import InvalidArgumentError, PermissionDeniedError, RuleViolationError
from partnerkit.events import Event
from partnerkit.ids import IdempotencyKey, PartnerId
from partnerkit.money import Money, total
from partnerkit.periods import require_aware
from partnerkit.permissions import Actor, ActorKind, OrgRole
from partnerkit.ports import Collection, UnitOfWork
from partnerkit.services._runner import check_reader, run_command, save, service_edge
from partnerkit.services.customers import ASSIGNMENTS

__all__ = [
    "BENEFIT_REQUESTS",
    "ENROLMENTS",
    "MEMBERS",
    "OPPORTUNITIES",
    "ApplicationStatus",
    "BenefitRequest",
    "BenefitRequestChanged",
    "EligibilityService",
    "Enrolment",
    "EnrolmentChanged",
    "Member",
    "MemberSaved",
    "OpportunityChanged",
    "RequestStatus",
]


class ApplicationStatus(enum.Enum):
    """A programme or tier application (3.3, 3.4)."""

    UNDER_REVIEW = "under-review"
    APPROVED = "approved"
    REJECTED = "rejected"


@final
@attrs.frozen(kw_only=True)
class Enrolment:
    """A partner's standing in one programme: its level and the application in flight."""

    partner_id: PartnerId = attrs.field(validator=_v.text)
    programme_id: str = attrs.field(validator=_v.text)
    level: str | None = None
    applied_for: str | None = None
    status: ApplicationStatus | None = None
    version: int = 0


class RequestStatus(enum.Enum):
    """A benefit request (3.17)."""

    UNDER_REVIEW = "under-review"
    APPROVED = "approved"
    REJECTED = "rejected"


@final
@attrs.frozen(kw_only=True)
class BenefitRequest:
    """One benefit request and its status; approved amounts count against the quota."""

    request_id: str = attrs.field(validator=_v.text)
    partner_id: PartnerId = attrs.field(validator=_v.text)
    benefit_id: str = attrs.field(validator=_v.text)
    amount: Money = attrs.field(validator=_v.money)
    status: RequestStatus = RequestStatus.UNDER_REVIEW
    version: int = 0


def _roles(value: Iterable[OrgRole]) -> frozenset[OrgRole]:
    roles = frozenset(value)
    if not all(isinstance(r, OrgRole) for r in roles):
        raise InvalidArgumentError("roles", roles, "expected OrgRole values")
    return roles


@checked
@final
@attrs.frozen(kw_only=True)
class Member:
    """An organisation member with its system and custom roles (R-ELIG-057, R-ELIG-058)."""

    member_id: str = attrs.field(validator=_v.text)
    partner_id: PartnerId = attrs.field(validator=_v.text)
    roles: frozenset[OrgRole] = attrs.field(converter=_roles)
    custom_roles: tuple[str, ...] = ()
    version: int = 0


ENROLMENTS: Collection[Enrolment] = Collection(
    "enrolments", Enrolment, key=lambda e: f"{e.partner_id}/{e.programme_id}",
    owner=lambda e: e.partner_id,
)  # fmt: skip
BENEFIT_REQUESTS: Collection[BenefitRequest] = Collection(
    "benefit_requests", BenefitRequest, key=lambda r: r.request_id, owner=lambda r: r.partner_id
)
MEMBERS: Collection[Member] = Collection(
    "members", Member, key=lambda m: m.member_id, owner=lambda m: m.partner_id
)
OPPORTUNITIES: Collection[Opportunity] = Collection(
    "opportunities", Opportunity, key=lambda o: o.opportunity_id, owner=lambda o: o.owner
)


@attrs.frozen(kw_only=True)
class EnrolmentChanged(Event):
    """An application was filed (with its evaluation) or decided."""

    enrolment: Enrolment
    evaluation: Evaluation | None = None

    def snapshots(self) -> tuple[object, ...]:
        """The stored enrolment."""
        return (self.enrolment,)


@attrs.frozen(kw_only=True)
class BenefitRequestChanged(Event):
    """A benefit request was filed or decided."""

    request: BenefitRequest

    def snapshots(self) -> tuple[object, ...]:
        """The stored request."""
        return (self.request,)


@attrs.frozen(kw_only=True)
class MemberSaved(Event):
    """A member was created or its roles changed."""

    member: Member

    def snapshots(self) -> tuple[object, ...]:
        """The stored member."""
        return (self.member,)


@attrs.frozen(kw_only=True)
class OpportunityChanged(Event):
    """An opportunity was created or its progress specified."""

    opportunity: Opportunity

    def snapshots(self) -> tuple[object, ...]:
        """The stored opportunity."""
        return (self.opportunity,)


def _admin(actor: Actor) -> PartnerId:
    if not isinstance(actor, Actor):
        raise InvalidArgumentError("actor", actor, "expected an Actor")
    if actor.kind is not ActorKind.PARTNER_USER or OrgRole.ADMIN not in actor.roles:
        raise PermissionDeniedError(
            actor.id, "act for the partner", "this command", rule_id="R-ELIG-063",
            reason="the partner administrator does this (section 4.3)",
        )  # fmt: skip
    assert actor.partner_id is not None  # a partner user always has its partner
    return actor.partner_id


def _vendor(actor: Actor) -> None:
    if not isinstance(actor, Actor) or actor.kind not in (ActorKind.VENDOR, ActorKind.SYSTEM):
        raise PermissionDeniedError(
            getattr(actor, "id", actor), "decide", "an application",
            reason="the vendor reviews applications and requests",
        )  # fmt: skip


@service_edge
@final
class EligibilityService:
    """Programme applications, benefit requests, members and opportunities.

    Args:
        unit_of_work: A factory of units of work (the store the customer
            service uses: opportunities check its account-manager assignments).
    """

    def __init__(self, unit_of_work: Callable[[], UnitOfWork]) -> None:
        if not callable(unit_of_work):
            raise InvalidArgumentError("unit_of_work", unit_of_work, "expected a factory")
        self._new_unit = unit_of_work

    # --- queries ----------------------------------------------------------------------------

    def enrolments(
        self, partner_id: PartnerId, *, actor: Actor | None = None
    ) -> tuple[Enrolment, ...]:
        """The partner's enrolments.

        With ``actor``, a partner user may read only its own partner's data.
        """
        check_reader(actor, partner_id, what="enrolments")
        with self._new_unit() as uow:
            return uow.repository(ENROLMENTS).list_by_owner(partner_id)

    def benefit_requests(
        self, partner_id: PartnerId, *, actor: Actor | None = None
    ) -> tuple[BenefitRequest, ...]:
        """The partner's benefit requests.

        With ``actor``, a partner user may read only its own partner's data.
        """
        check_reader(actor, partner_id, what="benefit requests")
        with self._new_unit() as uow:
            return uow.repository(BENEFIT_REQUESTS).list_by_owner(partner_id)

    # --- programmes and tiers ---------------------------------------------------------------

    def apply(
        self,
        actor: Actor,
        programme: Programme,
        facts: Facts,
        *,
        as_of: datetime,
        idempotency_key: IdempotencyKey,
        target: str | None = None,
    ) -> tuple[Event, ...]:
        """File an application for the next level (or ``target``); refused with every blocker.

        The facts are the partner's snapshot now; the evaluation is stored on
        the event, like the vendor's frozen scorecard (R-ELIG-036).
        """
        partner_id = _admin(actor)
        when = require_aware(as_of)

        def body(uow: UnitOfWork) -> list[Event]:
            repo = uow.repository(ENROLMENTS)
            current = repo.find(f"{partner_id}/{programme.id}")
            if current is not None and current.status is ApplicationStatus.UNDER_REVIEW:
                raise RuleViolationError(
                    "R-ELIG-038", "an application is already under review",
                    fields={"code": "APPLICATION_PENDING", "programme": programme.id},
                )  # fmt: skip
            standing = facts
            level = current.level if current is not None else None
            if level is not None:
                standing = attrs.evolve(facts, levels={**facts.levels, programme.ladder: level})
            step = next_step(programme, standing, as_of=when, target=target)
            if step.evaluation is None or step.target is None:
                raise RuleViolationError(
                    "R-ELIG-034", "already at the top of the ladder",
                    fields={"code": "TOP_LEVEL", "programme": programme.id},
                )  # fmt: skip
            step.evaluation.to_decision().raise_if_denied()
            enrolment = Enrolment(
                partner_id=partner_id, programme_id=programme.id, level=level,
                applied_for=step.target, status=ApplicationStatus.UNDER_REVIEW,
                version=current.version if current is not None else 0,
            )  # fmt: skip
            stored = save(repo, current, enrolment)
            return [
                EnrolmentChanged(
                    occurred_at=when, actor=actor.id, enrolment=stored, evaluation=step.evaluation
                )
            ]

        arguments = {"programme": programme.id, "target": target, "partner": partner_id}
        return run_command(self._new_unit, "apply", arguments, idempotency_key, when, body)

    def decide_application(
        self, actor: Actor, partner_id: PartnerId, programme_id: str, *, approve: bool,
        as_of: datetime, idempotency_key: IdempotencyKey,
    ) -> tuple[Event, ...]:  # fmt: skip
        """The vendor approves (the partner reaches the level) or rejects (R-ELIG-038)."""
        _vendor(actor)
        when = require_aware(as_of)

        def body(uow: UnitOfWork) -> list[Event]:
            repo = uow.repository(ENROLMENTS)
            current = repo.get(f"{partner_id}/{programme_id}")
            if current.status is not ApplicationStatus.UNDER_REVIEW:
                raise RuleViolationError(
                    "R-ELIG-038", "no application under review",
                    fields={"code": "NOTHING_TO_DECIDE", "programme": programme_id},
                )  # fmt: skip
            decided = attrs.evolve(
                current,
                level=current.applied_for if approve else current.level,
                applied_for=None,
                status=ApplicationStatus.APPROVED if approve else ApplicationStatus.REJECTED,
            )
            stored = save(repo, current, decided)
            return [EnrolmentChanged(occurred_at=when, actor=actor.id, enrolment=stored)]

        arguments = {"partner": partner_id, "programme": programme_id, "approve": approve}
        return run_command(
            self._new_unit, "decide_application", arguments, idempotency_key, when, body
        )

    # --- benefits ---------------------------------------------------------------------------

    def request_benefit(
        self, actor: Actor, request_id: str, benefit: StageBenefit, amount: Money, *,
        current_stage: str | None, as_of: datetime, idempotency_key: IdempotencyKey,
        customer_account: bool = False,
    ) -> tuple[Event, ...]:  # fmt: skip
        """Request a stage-bound benefit (R-ELIG-089, R-ELIG-092, R-ELIG-093, R-ELIG-094).

        Stage, window, quota and one pending request are checked; approved
        amounts of earlier requests count against the quota.
        """
        partner_id = _admin(actor)
        when = require_aware(as_of)

        def body(uow: UnitOfWork) -> list[Event]:
            repo = uow.repository(BENEFIT_REQUESTS)
            mine = [r for r in repo.list_by_owner(partner_id) if r.benefit_id == benefit.id]
            issued = total(
                (r.amount for r in mine if r.status is RequestStatus.APPROVED),
                currency=benefit.quota.currency,
            )
            pending = any(r.status is RequestStatus.UNDER_REVIEW for r in mine)
            decision: Decision = may_request_benefit(
                benefit, current_stage=current_stage, issued=issued, requested=amount,
                pending=pending, as_of=when, customer_account=customer_account,
            )  # fmt: skip
            decision.raise_if_denied()
            stored = repo.add(
                BenefitRequest(
                    request_id=request_id,
                    partner_id=partner_id,
                    benefit_id=benefit.id,
                    amount=amount,
                )
            )
            return [BenefitRequestChanged(occurred_at=when, actor=actor.id, request=stored)]

        arguments = {"request_id": request_id, "benefit": benefit.id, "amount": amount}
        return run_command(
            self._new_unit, "request_benefit", arguments, idempotency_key, when, body
        )

    def decide_benefit(
        self, actor: Actor, request_id: str, *, approve: bool, as_of: datetime,
        idempotency_key: IdempotencyKey,
    ) -> tuple[Event, ...]:  # fmt: skip
        """The vendor approves or rejects a pending request; rejected ones use no quota (GAP-18)."""
        _vendor(actor)
        when = require_aware(as_of)

        def body(uow: UnitOfWork) -> list[Event]:
            repo = uow.repository(BENEFIT_REQUESTS)
            current = repo.get(request_id)
            if current.status is not RequestStatus.UNDER_REVIEW:
                raise RuleViolationError(
                    "R-ELIG-092", "only a pending request is decided",
                    fields={"code": "NOTHING_TO_DECIDE", "request": request_id},
                )  # fmt: skip
            status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
            stored = save(repo, current, attrs.evolve(current, status=status))
            return [BenefitRequestChanged(occurred_at=when, actor=actor.id, request=stored)]

        arguments = {"request_id": request_id, "approve": approve}
        return run_command(self._new_unit, "decide_benefit", arguments, idempotency_key, when, body)

    # --- members ----------------------------------------------------------------------------

    def save_member(
        self, actor: Actor, member_id: str, roles: Iterable[OrgRole], *,
        custom_roles: Iterable[str] = (), as_of: datetime,
    ) -> tuple[Event, ...]:  # fmt: skip
        """Create a member or set its roles, set-to-target (R-ELIG-057, R-ELIG-058).

        1-3 roles, the administrator alone, manager and director apart.
        """
        partner_id = _admin(actor)
        chosen, custom = frozenset(roles), tuple(custom_roles)
        member_roles(chosen, custom_roles=custom).raise_if_denied()
        when = require_aware(as_of)

        def body(uow: UnitOfWork) -> list[Event]:
            repo = uow.repository(MEMBERS)
            current = repo.find(member_id)
            if current is not None and current.partner_id != partner_id:
                raise PermissionDeniedError(actor.id, "change", member_id, rule_id="R-ELIG-063")
            target = Member(
                member_id=member_id, partner_id=partner_id, roles=chosen, custom_roles=custom,
                version=current.version if current is not None else 0,
            )  # fmt: skip
            stored = save(repo, current, target)
            if stored is current:
                return []
            return [MemberSaved(occurred_at=when, actor=actor.id, member=stored)]

        return run_command(self._new_unit, "save_member", {}, None, when, body)

    # --- opportunities ----------------------------------------------------------------------

    def create_opportunity(
        self, actor: Actor, opportunity: Opportunity, *, as_of: datetime,
        idempotency_key: IdempotencyKey,
    ) -> tuple[Event, ...]:  # fmt: skip
        """An account manager creates an opportunity for its own customer (R-ELIG-106).

        It owns it; the customer's assignment comes from the customer store.
        """
        if not isinstance(actor, Actor) or actor.kind is not ActorKind.PARTNER_USER:
            raise PermissionDeniedError(getattr(actor, "id", actor), "create", "an opportunity")
        if not isinstance(opportunity, Opportunity) or opportunity.owner != actor.id:
            raise InvalidArgumentError("opportunity", opportunity, "owned by the acting manager")
        when = require_aware(as_of)

        def body(uow: UnitOfWork) -> list[Event]:
            assignment = uow.repository(ASSIGNMENTS).find(opportunity.customer_id)
            owns = assignment is not None and assignment.manager == actor.id
            may_create_opportunity(actor.roles, owns_customer=owns).raise_if_denied()
            stored = uow.repository(OPPORTUNITIES).add(opportunity)
            return [OpportunityChanged(occurred_at=when, actor=actor.id, opportunity=stored)]

        arguments = {"opportunity": opportunity.opportunity_id}
        return run_command(
            self._new_unit, "create_opportunity", arguments, idempotency_key, when, body
        )

    def specify_progress(
        self, actor: Actor, opportunity_id: str, phase: str, win_probability: int, *,
        as_of: datetime, idempotency_key: IdempotencyKey, note: str = "",
    ) -> tuple[Event, ...]:  # fmt: skip
        """The owner moves the phase, which is logged (R-ELIG-109)."""
        when = require_aware(as_of)

        def body(uow: UnitOfWork) -> list[Event]:
            repo = uow.repository(OPPORTUNITIES)
            current = repo.get(opportunity_id)
            if not isinstance(actor, Actor) or actor.id != current.owner:
                raise PermissionDeniedError(
                    getattr(actor, "id", actor), "progress", opportunity_id, rule_id="R-ELIG-107"
                )
            moved = current.specify_progress(phase, win_probability, at=when, note=note)
            stored = save(repo, current, moved)
            return [OpportunityChanged(occurred_at=when, actor=actor.id, opportunity=stored)]

        arguments = {"opportunity": opportunity_id, "phase": phase, "p": win_probability}
        return run_command(
            self._new_unit, "specify_progress", arguments, idempotency_key, when, body
        )
