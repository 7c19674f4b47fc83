"""Incentive use cases over a unit of work: earnings, payouts, goals and MDF.

A thin shell over :mod:`partnerkit.incentives`.  Every command takes an
:class:`~partnerkit.permissions.Actor` and ``as_of``; commands that create or
move money take an idempotency key; refusals raise a
:class:`~partnerkit.errors.PartnerkitError` and change nothing; events carry
the stored values.

* the vendor (or the system) computes a period: an estimate while revenue is
  open, an official statement once it is final (DC-INC-36);
* the partner confirms, or the system auto-confirms after 5 days (R-INC-31);
  the vendor issues (R-INC-32);
* the partner's finance requests payment; bank and top-up requests go on to
  the partner's invoice, the vendor's review, approval and payment (3.5);
  auto-pay runs on the 5th day (R-INC-53);
* the administrator sets the annual goal (R-INC-22..28);
* MDF applications and reimbursements against the partner's quota (3.6);
* Funding Head quarterly incentives (generated, proofs, reconciled, finalised)
  and SPIF applications with their recipient lists (3.7, 3.9).

Bill payment status comes from the caller (DC-INC-18's
``BillPaymentStatusProvider``): a mapping of month to the day its bills
were fully paid, ``None`` while unpaid.

>>> from partnerkit.adapters.memory import InMemoryStore
>>> service = IncentiveService(InMemoryStore().unit_of_work)
>>> service.earnings(PartnerId("p1"))
()
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, final

import attrs

import partnerkit._validators as _v
from partnerkit.errors import (
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    RuleViolationError,
)
from partnerkit.events import Event
from partnerkit.ids import IdempotencyKey, PartnerId
from partnerkit.incentives import earnings as _earnings
from partnerkit.incentives import funds as _funds
from partnerkit.incentives import goals as _goals
from partnerkit.incentives.calculate import calculate
from partnerkit.incentives.earnings import (
    HUAWEI_PAYOUT,
    BillsPaid,
    EarningChanged,
    EarningStatus,
    IncentiveEarning,
    PartnerStanding,
    PaymentRequest,
    PayoutOption,
    PayoutPolicy,
)
from partnerkit.incentives.goals import HUAWEI_GOALS, AnnualGoal, GoalPolicy
from partnerkit.incentives.policy import IncentivePolicy
from partnerkit.incentives.revenue import ProductClassification, RevenueLine
from partnerkit.money import Money
from partnerkit.periods import Period, require_aware
from partnerkit.permissions import Actor, ActorKind, OrgRole, Permission
from partnerkit.ports import Collection, UnitOfWork
from partnerkit.services._runner import check_reader, run_command, save, service_edge

__all__ = [
    "EARNINGS",
    "FH_INCENTIVES",
    "GOALS",
    "MDF_APPLICATIONS",
    "MDF_QUOTAS",
    "PAYMENT_REQUESTS",
    "SPIF_APPLICATIONS",
    "FhRecord",
    "FundChanged",
    "IncentiveService",
    "MdfChanged",
    "MdfQuotaRecord",
    "MdfQuotaSet",
    "MdfRecord",
    "SpifRecord",
]


@final
@attrs.frozen(kw_only=True)
class MdfRecord:
    """A partner's stored MDF application."""

    partner_id: PartnerId = attrs.field(validator=_v.text)
    application: _funds.MdfApplication
    version: int = 0


@final
@attrs.frozen(kw_only=True)
class MdfQuotaRecord:
    """A partner's stored MDF quota account (DC-INC-21, DC-INC-42)."""

    partner_id: PartnerId = attrs.field(validator=_v.text)
    account: _funds.MdfQuotaAccount
    version: int = 0


@final
@attrs.frozen(kw_only=True)
class FhRecord:
    """A partner's stored Funding Head quarterly incentive (3.7)."""

    partner_id: PartnerId = attrs.field(validator=_v.text)
    incentive: _funds.FhQuarterlyIncentive
    version: int = 0


@final
@attrs.frozen(kw_only=True)
class SpifRecord:
    """A partner's stored SPIF application with its recipient list (3.9)."""

    partner_id: PartnerId = attrs.field(validator=_v.text)
    application: _funds.SpifApplication
    version: int = 0


EARNINGS: Collection[IncentiveEarning] = Collection(
    "incentive_earnings",
    IncentiveEarning,
    key=lambda e: e.earning_id,
    owner=lambda e: e.partner_id,
)
PAYMENT_REQUESTS: Collection[PaymentRequest] = Collection(
    "payment_requests", PaymentRequest, key=lambda r: r.request_id, owner=lambda r: r.partner_id
)
GOALS: Collection[AnnualGoal] = Collection(
    "annual_goals",
    AnnualGoal,
    key=lambda g: f"{g.partner_id}/{g.year}/{g.created_at.isoformat()}",
    owner=lambda g: g.partner_id,
)
MDF_APPLICATIONS: Collection[MdfRecord] = Collection(
    "mdf_applications",
    MdfRecord,
    key=lambda r: r.application.application_id,
    owner=lambda r: r.partner_id,
)
FH_INCENTIVES: Collection[FhRecord] = Collection(
    "fh_incentives", FhRecord, key=lambda r: r.incentive.incentive_id, owner=lambda r: r.partner_id
)
SPIF_APPLICATIONS: Collection[SpifRecord] = Collection(
    "spif_applications",
    SpifRecord,
    key=lambda r: r.application.application_id,
    owner=lambda r: r.partner_id,
)
MDF_QUOTAS: Collection[MdfQuotaRecord] = Collection(
    "mdf_quotas", MdfQuotaRecord, key=lambda r: r.partner_id, owner=lambda r: r.partner_id
)


@attrs.frozen(kw_only=True)
class FundChanged(Event):
    """A Funding Head incentive or a SPIF application was created or moved."""

    record: FhRecord | SpifRecord

    def snapshots(self) -> tuple[object, ...]:
        """The stored record."""
        return (self.record,)


@attrs.frozen(kw_only=True)
class MdfQuotaSet(Event):
    """The vendor granted or changed a partner's MDF quota."""

    quota: MdfQuotaRecord

    def snapshots(self) -> tuple[object, ...]:
        """The stored quota."""
        return (self.quota,)


@attrs.frozen(kw_only=True)
class MdfChanged(Event):
    """An MDF application (and the quota it holds) changed."""

    record: MdfRecord
    quota: MdfQuotaRecord | None = None

    def snapshots(self) -> tuple[object, ...]:
        """The stored application and quota."""
        return (self.record,) if self.quota is None else (self.record, self.quota)


def _partner_user(actor: Actor, permission: Permission, action: str) -> PartnerId:
    if not isinstance(actor, Actor):
        raise InvalidArgumentError("actor", actor, "expected an Actor")
    if actor.kind is not ActorKind.PARTNER_USER or permission not in actor.permissions:
        raise PermissionDeniedError(
            actor.id,
            action,
            "the partner's incentives",
            rule_id="R-INC-30",
            reason=f"needs the {permission.value} permission (administrators have it)",
        )
    assert actor.partner_id is not None
    return actor.partner_id


def _vendor(actor: Actor, action: str) -> None:
    if not isinstance(actor, Actor) or actor.kind not in (ActorKind.VENDOR, ActorKind.SYSTEM):
        raise PermissionDeniedError(
            getattr(actor, "id", actor),
            action,
            "incentives",
            reason="the vendor or the system does this",
        )


def _own(partner_id: PartnerId, stored_owner: PartnerId, what: str, key: str) -> None:
    if stored_owner != partner_id:
        raise PermissionDeniedError(partner_id, f"act on {what}", key, reason="another partner's")


@service_edge
@final
class IncentiveService:
    """Earnings, payment requests, annual goals, MDF, Funding Head and SPIF for partners.

    Args:
        unit_of_work: A factory of units of work.
        payout: The vendor's payout rules (Huawei's by default).
        goals: The vendor's goal rules.
    """

    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        *,
        payout: PayoutPolicy = HUAWEI_PAYOUT,
        goals: GoalPolicy = HUAWEI_GOALS,
    ) -> None:
        if not callable(unit_of_work):
            raise InvalidArgumentError("unit_of_work", unit_of_work, "expected a factory")
        self._new_unit = unit_of_work
        self._payout = payout
        self._goals = goals

    # --- queries ----------------------------------------------------------------------------

    def earnings(
        self, partner_id: PartnerId, *, actor: Actor | None = None
    ) -> tuple[IncentiveEarning, ...]:
        """The partner's earnings, in id order.

        With ``actor``, a partner user may read only its own partner's data.
        """
        check_reader(actor, partner_id, what="earnings")
        with self._new_unit() as uow:
            found = uow.repository(EARNINGS).list_by_owner(partner_id)
        return tuple(sorted(found, key=lambda e: e.earning_id))

    def payment_requests(
        self, partner_id: PartnerId, *, actor: Actor | None = None
    ) -> tuple[PaymentRequest, ...]:
        """The partner's payment requests (R-INC-55), in id order.

        With ``actor``, a partner user may read only its own partner's data.
        """
        check_reader(actor, partner_id, what="payment requests")
        with self._new_unit() as uow:
            found = uow.repository(PAYMENT_REQUESTS).list_by_owner(partner_id)
        return tuple(sorted(found, key=lambda r: r.request_id))

    def goals(self, partner_id: PartnerId, *, actor: Actor | None = None) -> tuple[AnnualGoal, ...]:
        """The partner's annual goals, oldest first.

        With ``actor``, a partner user may read only its own partner's data.
        """
        check_reader(actor, partner_id, what="annual goals")
        with self._new_unit() as uow:
            found = uow.repository(GOALS).list_by_owner(partner_id)
        return tuple(sorted(found, key=lambda g: (g.year, g.created_at)))

    def mdf(self, partner_id: PartnerId, *, actor: Actor | None = None) -> tuple[MdfRecord, ...]:
        """The partner's MDF applications.

        With ``actor``, a partner user may read only its own partner's data.
        """
        check_reader(actor, partner_id, what="MDF applications")
        with self._new_unit() as uow:
            found = uow.repository(MDF_APPLICATIONS).list_by_owner(partner_id)
        return tuple(sorted(found, key=lambda r: r.application.application_id))

    # --- earnings ---------------------------------------------------------------------------

    def compute_period(
        self,
        actor: Actor,
        policy: IncentivePolicy,
        lines: Iterable[RevenueLine],
        *,
        earning_id: str,
        partner_id: PartnerId,
        period: Period,
        revenue_final: bool,
        as_of: datetime,
        idempotency_key: IdempotencyKey,
        tier: str | None = None,
        classifications: Iterable[ProductClassification] = (),
        distributor_of: Mapping[PartnerId, PartnerId] | None = None,
    ) -> tuple[Event, ...]:
        """Compute a partner's period: an estimate while revenue is open, else the statement.

        An estimate is recomputed on every call (DC-INC-36); once revenue is
        final the statement is generated from the recomputation and never
        recomputed again (R-INC-29, R-INC-11).
        """
        _vendor(actor, "compute incentives")
        when = require_aware(as_of)
        rows = tuple(lines)
        detail = calculate(
            policy,
            rows,
            partner_id=partner_id,
            period=period,
            as_of=when,
            tier=tier,
            classifications=classifications,
            distributor_of=distributor_of,
        )

        def body(uow: UnitOfWork) -> list[Event]:
            repo = uow.repository(EARNINGS)
            current = repo.find(earning_id)
            if current is not None and current.status is not EarningStatus.ESTIMATED:
                raise RuleViolationError(
                    "R-INC-29",
                    f"earning {earning_id} is already a {current.status.value} statement",
                    fields={"earning_id": earning_id, "status": current.status.value},
                )
            estimate = _earnings.estimate(detail, earning_id=earning_id)
            if current is not None:
                estimate = attrs.evolve(estimate, version=current.version)
            if revenue_final:
                after, _ = _earnings.publish(
                    estimate, revenue_final=True, actor=actor.id, as_of=when
                )
            else:
                after = estimate
            stored = save(repo, current, after)
            return [EarningChanged(occurred_at=when, actor=actor.id, before=current, after=stored)]

        arguments = {
            "earning_id": earning_id,
            "partner": partner_id,
            "period": period.code,
            "final": revenue_final,
            "policy": policy.policy_id,
            "lines": len(rows),
        }
        return run_command(self._new_unit, "compute_period", arguments, idempotency_key, when, body)

    def confirm(
        self,
        actor: Actor,
        earning_id: str,
        *,
        as_of: datetime,
        idempotency_key: IdempotencyKey | None = None,
    ) -> tuple[Event, ...]:
        """The partner confirms a statement (R-INC-30)."""
        partner_id = _partner_user(actor, Permission.FINANCE, "confirm earnings")
        when = require_aware(as_of)

        def body(uow: UnitOfWork) -> list[Event]:
            repo = uow.repository(EARNINGS)
            current = repo.get(earning_id)
            _own(partner_id, current.partner_id, "earning", earning_id)
            after, events = _earnings.confirm(current, actor=actor.id, as_of=when)
            save(repo, current, after)
            return list(events)

        return run_command(
            self._new_unit, "confirm", {"earning_id": earning_id}, idempotency_key, when, body
        )

    def auto_confirm(
        self, actor: Actor, partner_id: PartnerId, *, as_of: datetime
    ) -> tuple[Event, ...]:
        """Confirm every statement of the partner left unconfirmed for the window (R-INC-31)."""
        _vendor(actor, "auto-confirm earnings")
        when = require_aware(as_of)

        def body(uow: UnitOfWork) -> list[Event]:
            repo = uow.repository(EARNINGS)
            events: list[Event] = []
            for current in sorted(repo.list_by_owner(partner_id), key=lambda e: e.earning_id):
                after, changed = _earnings.auto_confirm(current, as_of=when, policy=self._payout)
                if changed:
                    save(repo, current, after)
                    events += changed
            return events

        return run_command(
            self._new_unit, "auto_confirm", {"partner": partner_id}, None, when, body
        )

    def issue(
        self,
        actor: Actor,
        earning_id: str,
        *,
        as_of: datetime,
        idempotency_key: IdempotencyKey | None = None,
    ) -> tuple[Event, ...]:
        """The vendor's review passes: the earning is issued (R-INC-32)."""
        _vendor(actor, "issue earnings")
        when = require_aware(as_of)

        def body(uow: UnitOfWork) -> list[Event]:
            repo = uow.repository(EARNINGS)
            current = repo.get(earning_id)
            after, events = _earnings.issue(current, actor=actor.id, as_of=when)
            save(repo, current, after)
            return list(events)

        return run_command(
            self._new_unit, "issue", {"earning_id": earning_id}, idempotency_key, when, body
        )

    # --- payouts ----------------------------------------------------------------------------

    def _store_request(
        self,
        uow: UnitOfWork,
        made: tuple[PaymentRequest, tuple[IncentiveEarning, ...], tuple[Event, ...]],
        actor: Actor,
        when: datetime,
    ) -> list[Event]:
        request, held, events = made
        earnings = uow.repository(EARNINGS)
        for earning in held:
            save(earnings, earnings.get(earning.earning_id), earning)
        stored = uow.repository(PAYMENT_REQUESTS).add(request)
        result = list(events)
        if request.option is not PayoutOption.COUPON:
            sent, moved = _earnings.send_requisition(stored, actor=actor.id, as_of=when)
            save(uow.repository(PAYMENT_REQUESTS), stored, sent)
            result += moved
        return result

    def request_payment(
        self,
        actor: Actor,
        option: PayoutOption,
        *,
        request_id: str,
        standing: PartnerStanding,
        bills: BillsPaid,
        as_of: datetime,
        idempotency_key: IdempotencyKey,
        selected: Sequence[str] | None = None,
        settlement_currency: str = "USD",
        rates: Mapping[Period, Decimal] | None = None,
        service_fee_tax_rate: Decimal = Decimal(0),
    ) -> tuple[Event, ...]:
        """Request payment of available earnings (3.5, R-INC-37..47).

        Bank and top-up requests are sent to the vendor at once and wait for
        the partner's invoice (R-INC-46); a coupon completes the same day.
        """
        partner_id = _partner_user(actor, Permission.FINANCE, "request payment")
        when = require_aware(as_of)

        def body(uow: UnitOfWork) -> list[Event]:
            mine = uow.repository(EARNINGS).list_by_owner(partner_id)
            made = _earnings.request_payment(
                sorted(mine, key=lambda e: e.earning_id),
                option,
                request_id=request_id,
                actor=actor.id,
                standing=standing,
                bills=bills,
                as_of=when,
                selected=selected,
                settlement_currency=settlement_currency,
                rates=rates,
                service_fee_tax_rate=service_fee_tax_rate,
                policy=self._payout,
            )
            return self._store_request(uow, made, actor, when)

        arguments = {
            "request_id": request_id,
            "option": option.value,
            "selected": selected,
            "currency": settlement_currency,
        }
        return run_command(
            self._new_unit, "request_payment", arguments, idempotency_key, when, body
        )

    def auto_pay(
        self,
        actor: Actor,
        partner_id: PartnerId,
        option: PayoutOption,
        *,
        request_id: str,
        standing: PartnerStanding,
        bills: BillsPaid,
        as_of: datetime,
        idempotency_key: IdempotencyKey,
    ) -> tuple[Event, ...]:
        """Run the partner's auto-pay for today (R-INC-53, DC-INC-41); no events when it waits."""
        _vendor(actor, "run auto-pay")
        when = require_aware(as_of)

        def body(uow: UnitOfWork) -> list[Event]:
            mine = uow.repository(EARNINGS).list_by_owner(partner_id)
            made = _earnings.auto_pay(
                sorted(mine, key=lambda e: e.earning_id),
                option,
                request_id=request_id,
                standing=standing,
                bills=bills,
                as_of=when,
                policy=self._payout,
            )
            return [] if made is None else self._store_request(uow, made, actor, when)

        arguments = {"partner": partner_id, "option": option.value, "request_id": request_id}
        return run_command(self._new_unit, "auto_pay", arguments, idempotency_key, when, body)

    def _move_request(
        self,
        command: str,
        request_id: str,
        when: datetime,
        key: IdempotencyKey | None,
        step: Callable[[UnitOfWork, PaymentRequest], list[Event]],
    ) -> tuple[Event, ...]:
        def body(uow: UnitOfWork) -> list[Event]:
            return step(uow, uow.repository(PAYMENT_REQUESTS).get(request_id))

        return run_command(self._new_unit, command, {"request_id": request_id}, key, when, body)

    def submit_invoice(
        self,
        actor: Actor,
        request_id: str,
        amount: Money,
        *,
        billing_list: bool,
        as_of: datetime,
        idempotency_key: IdempotencyKey | None = None,
    ) -> tuple[Event, ...]:
        """The partner sends the invoice for exactly the applied amount (R-INC-45, R-INC-54)."""
        partner_id = _partner_user(actor, Permission.FINANCE, "invoice a payment request")
        when = require_aware(as_of)

        def step(uow: UnitOfWork, current: PaymentRequest) -> list[Event]:
            _own(partner_id, current.partner_id, "payment request", request_id)
            after, events = _earnings.submit_invoice(
                current, amount, billing_list=billing_list, actor=actor.id, as_of=when
            )
            save(uow.repository(PAYMENT_REQUESTS), current, after)
            return list(events)

        return self._move_request("submit_invoice", request_id, when, idempotency_key, step)

    def review_invoice(
        self,
        actor: Actor,
        request_id: str,
        *,
        approve: bool,
        as_of: datetime,
        causes: str | None = None,
        idempotency_key: IdempotencyKey | None = None,
    ) -> tuple[Event, ...]:
        """The vendor approves the invoice or rejects it as non-compliant (R-INC-51, R-INC-52)."""
        _vendor(actor, "review invoices")
        when = require_aware(as_of)

        def step(uow: UnitOfWork, current: PaymentRequest) -> list[Event]:
            if approve:
                after, events = _earnings.approve_invoice(current, actor=actor.id, as_of=when)
            else:
                after, events = _earnings.reject_invoice(
                    current, causes=causes or "non-compliant invoice", actor=actor.id, as_of=when
                )
            save(uow.repository(PAYMENT_REQUESTS), current, after)
            return list(events)

        return self._move_request("review_invoice", request_id, when, idempotency_key, step)

    def decide_payment(
        self,
        actor: Actor,
        request_id: str,
        *,
        approve: bool,
        as_of: datetime,
        causes: str | None = None,
        idempotency_key: IdempotencyKey | None = None,
    ) -> tuple[Event, ...]:
        """The settlement specialist approves or rejects (freeing the earnings, R-INC-40)."""
        _vendor(actor, "decide payments")
        when = require_aware(as_of)

        def step(uow: UnitOfWork, current: PaymentRequest) -> list[Event]:
            if approve:
                after, events = _earnings.approve_payment(current, actor=actor.id, as_of=when)
                save(uow.repository(PAYMENT_REQUESTS), current, after)
                return list(events)
            repo = uow.repository(EARNINGS)
            held = [repo.get(e) for e in current.earning_ids]
            after, freed, more = _earnings.reject_payment(
                current, held, causes=causes or "rejected", actor=actor.id, as_of=when
            )
            for before, earning in zip(held, freed, strict=True):
                save(repo, before, earning)
            save(uow.repository(PAYMENT_REQUESTS), current, after)
            return list(more)

        return self._move_request("decide_payment", request_id, when, idempotency_key, step)

    def complete_payment(
        self,
        actor: Actor,
        request_id: str,
        *,
        as_of: datetime,
        top_up_rate: Decimal | None = None,
        top_up_currency: str | None = None,
        idempotency_key: IdempotencyKey | None = None,
    ) -> tuple[Event, ...]:
        """The transfer is made or the account topped up (R-INC-48, R-INC-49)."""
        _vendor(actor, "pay")
        when = require_aware(as_of)

        def step(uow: UnitOfWork, current: PaymentRequest) -> list[Event]:
            repo = uow.repository(EARNINGS)
            held = [repo.get(e) for e in current.earning_ids]
            after, paid, events = _earnings.complete_payment(
                current,
                held,
                actor=actor.id,
                as_of=when,
                top_up_rate=top_up_rate,
                top_up_currency=top_up_currency,
            )
            for before, earning in zip(held, paid, strict=True):
                save(repo, before, earning)
            save(uow.repository(PAYMENT_REQUESTS), current, after)
            return list(events)

        return self._move_request("complete_payment", request_id, when, idempotency_key, step)

    # --- annual goal ------------------------------------------------------------------------

    def submit_goal(
        self,
        actor: Actor,
        year: int,
        goal: Money,
        *,
        as_of: datetime,
        idempotency_key: IdempotencyKey,
    ) -> tuple[Event, ...]:
        """Set the annual revenue goal (R-INC-22..24, R-INC-28)."""
        if not isinstance(actor, Actor) or actor.kind is not ActorKind.PARTNER_USER:
            raise PermissionDeniedError(
                getattr(actor, "id", actor), "set the annual goal", "a partner", rule_id="R-INC-22"
            )
        assert actor.partner_id is not None
        partner_id = actor.partner_id
        when = require_aware(as_of)

        def body(uow: UnitOfWork) -> list[Event]:
            repo = uow.repository(GOALS)
            created, events = _goals.submit_goal(
                repo.list_by_owner(partner_id),
                partner_id,
                year,
                goal,
                actor=actor.id,
                as_of=when,
                administrator=OrgRole.ADMIN in actor.roles,
                permitted=Permission.REVENUE_GOAL in actor.permissions,
                policy=self._goals,
            )
            repo.add(created)
            return list(events)

        arguments = {"year": year, "goal": goal, "partner": partner_id}
        return run_command(self._new_unit, "submit_goal", arguments, idempotency_key, when, body)

    def _goal_step(
        self,
        command: str,
        partner_id: PartnerId,
        year: int,
        when: datetime,
        step: Callable[[AnnualGoal], tuple[AnnualGoal, tuple[_goals.AnnualGoalChanged, ...]]],
    ) -> tuple[Event, ...]:
        def body(uow: UnitOfWork) -> list[Event]:
            repo = uow.repository(GOALS)
            pending = [
                g
                for g in repo.list_by_owner(partner_id)
                if g.year == year and g.status is _goals.AnnualGoalStatus.APPROVING
            ]
            if not pending:
                raise RuleViolationError(
                    "R-INC-25", f"no {year} goal under review", fields={"year": year}
                )
            after, events = step(pending[0])
            save(repo, pending[0], after)
            return list(events)

        return run_command(
            self._new_unit, command, {"partner": partner_id, "year": year}, None, when, body
        )

    def decide_goal(
        self,
        actor: Actor,
        partner_id: PartnerId,
        year: int,
        *,
        approve: bool,
        as_of: datetime,
        reason: str = "rejected",
    ) -> tuple[Event, ...]:
        """The vendor approves (immutable from then on) or rejects a goal under review."""
        _vendor(actor, "decide goals")
        when = require_aware(as_of)
        if approve:
            return self._goal_step(
                "decide_goal",
                partner_id,
                year,
                when,
                lambda g: _goals.approve_goal(g, actor=actor.id, as_of=when),
            )
        return self._goal_step(
            "decide_goal",
            partner_id,
            year,
            when,
            lambda g: _goals.reject_goal(g, actor=actor.id, as_of=when, reason=reason),
        )

    def withdraw_goal(
        self, actor: Actor, year: int, *, reason: str, as_of: datetime
    ) -> tuple[Event, ...]:
        """Withdraw the goal under review, with a reason (R-INC-25)."""
        partner_id = _partner_user(actor, Permission.REVENUE_GOAL, "withdraw the annual goal")
        when = require_aware(as_of)
        return self._goal_step(
            "withdraw_goal",
            partner_id,
            year,
            when,
            lambda g: _goals.withdraw_goal(g, actor=actor.id, as_of=when, reason=reason),
        )

    # --- MDF --------------------------------------------------------------------------------

    def set_mdf_quota(
        self, actor: Actor, partner_id: PartnerId, quota: Money, *, as_of: datetime
    ) -> tuple[Event, ...]:
        """The vendor grants (or changes) the partner's MDF quota (DC-INC-42)."""
        _vendor(actor, "grant MDF quota")
        when = require_aware(as_of)

        def body(uow: UnitOfWork) -> list[Event]:
            repo = uow.repository(MDF_QUOTAS)
            current = repo.find(partner_id)
            account = (
                _funds.MdfQuotaAccount(quota=quota)
                if current is None
                else attrs.evolve(current.account, quota=quota)
            )
            record = MdfQuotaRecord(
                partner_id=partner_id, account=account, version=current.version if current else 0
            )
            stored = save(repo, current, record)
            return [MdfQuotaSet(occurred_at=when, actor=actor.id, quota=stored)]

        return run_command(
            self._new_unit,
            "set_mdf_quota",
            {"partner": partner_id, "quota": quota},
            None,
            when,
            body,
        )

    def _mdf(
        self,
        command: str,
        application_id: str,
        when: datetime,
        actor: Actor,
        key: IdempotencyKey | None,
        partner_id: PartnerId | None,
        step: Callable[
            [_funds.MdfApplication, _funds.MdfQuotaAccount],
            tuple[_funds.MdfApplication, _funds.MdfQuotaAccount],
        ],
        new: _funds.MdfApplication | None = None,
    ) -> tuple[Event, ...]:
        def body(uow: UnitOfWork) -> list[Event]:
            apps = uow.repository(MDF_APPLICATIONS)
            current = apps.find(application_id)
            if current is None:
                if new is None or partner_id is None:
                    raise NotFoundError("MDF application", application_id)
                current_app, owner = new, partner_id
            else:
                current_app, owner = current.application, current.partner_id
                if partner_id is not None:
                    _own(partner_id, owner, "MDF application", application_id)
                if new is not None:
                    # a resubmission carries the partner's edits; status and history stay
                    current_app = attrs.evolve(
                        new, status=current_app.status, comments=current_app.comments
                    )
            quotas = uow.repository(MDF_QUOTAS)
            quota = quotas.find(owner)
            if quota is None:
                raise RuleViolationError(
                    "R-INC-61", f"partner {owner} has no MDF quota", fields={"partner": owner}
                )
            after, account = step(current_app, quota.account)
            record = MdfRecord(
                partner_id=owner, application=after, version=current.version if current else 0
            )
            stored = save(apps, current, record)
            stored_quota = save(quotas, quota, attrs.evolve(quota, account=account))
            return [MdfChanged(occurred_at=when, actor=actor.id, record=stored, quota=stored_quota)]

        return run_command(
            self._new_unit, command, {"application_id": application_id}, key, when, body
        )

    def submit_mdf(
        self,
        actor: Actor,
        application: _funds.MdfApplication,
        *,
        business_info_certified: bool,
        as_of: datetime,
        idempotency_key: IdempotencyKey,
    ) -> tuple[Event, ...]:
        """Submit (or resubmit) an MDF application against the quota left (R-INC-60..65)."""
        partner_id = _partner_user(actor, Permission.FINANCE, "apply for MDF")
        when = require_aware(as_of)

        def step(
            app: _funds.MdfApplication, quota: _funds.MdfQuotaAccount
        ) -> tuple[_funds.MdfApplication, _funds.MdfQuotaAccount]:
            return _funds.submit_mdf(
                app, quota=quota, business_info_certified=business_info_certified, as_of=when
            ), quota

        return self._mdf(
            "submit_mdf",
            application.application_id,
            when,
            actor,
            idempotency_key,
            partner_id,
            step,
            new=application,
        )

    def decide_mdf(
        self,
        actor: Actor,
        application_id: str,
        *,
        approve: bool,
        as_of: datetime,
        comment: str = "rejected",
    ) -> tuple[Event, ...]:
        """The vendor approves (reserving the budget, DC-INC-21) or rejects (R-INC-65)."""
        _vendor(actor, "decide MDF")
        when = require_aware(as_of)

        def step(
            app: _funds.MdfApplication, quota: _funds.MdfQuotaAccount
        ) -> tuple[_funds.MdfApplication, _funds.MdfQuotaAccount]:
            if approve:
                return _funds.approve_mdf(app, quota, as_of=when)
            return _funds.reject_mdf(app, comment=comment), quota

        return self._mdf("decide_mdf", application_id, when, actor, None, None, step)

    def request_mdf_reimbursement(
        self,
        actor: Actor,
        application_id: str,
        reimbursement: _funds.MdfReimbursement,
        *,
        business_info_certified: bool,
        as_of: datetime,
        idempotency_key: IdempotencyKey,
    ) -> tuple[Event, ...]:
        """Request the reimbursement after the activity (R-INC-67..70)."""
        partner_id = _partner_user(actor, Permission.FINANCE, "request MDF reimbursement")
        when = require_aware(as_of)

        def step(
            app: _funds.MdfApplication, quota: _funds.MdfQuotaAccount
        ) -> tuple[_funds.MdfApplication, _funds.MdfQuotaAccount]:
            return _funds.request_mdf_reimbursement(
                app,
                reimbursement,
                quota,
                business_info_certified=business_info_certified,
                as_of=when,
            ), quota

        return self._mdf(
            "request_mdf_reimbursement",
            application_id,
            when,
            actor,
            idempotency_key,
            partner_id,
            step,
        )

    def decide_mdf_reimbursement(
        self,
        actor: Actor,
        application_id: str,
        *,
        approve: bool,
        as_of: datetime,
        comment: str = "rejected",
    ) -> tuple[Event, ...]:
        """The vendor approves (consuming quota; invoice due in 15 days, R-INC-71) or rejects."""
        _vendor(actor, "decide MDF reimbursements")
        when = require_aware(as_of)

        def step(
            app: _funds.MdfApplication, quota: _funds.MdfQuotaAccount
        ) -> tuple[_funds.MdfApplication, _funds.MdfQuotaAccount]:
            if approve:
                return _funds.approve_mdf_reimbursement(app, quota, as_of=when)
            return _funds.reject_mdf_reimbursement(app, comment=comment), quota

        return self._mdf("decide_mdf_reimbursement", application_id, when, actor, None, None, step)

    # --- Funding Head (CSP and distributor) and SPIF ---------------------------------------

    def _fund(
        self,
        command: str,
        collection: Collection[FhRecord] | Collection[SpifRecord],
        key: str,
        when: datetime,
        actor: Actor,
        partner_id: PartnerId | None,
        step: Callable[[Any], Any],
        idempotency_key: IdempotencyKey | None = None,
    ) -> tuple[Event, ...]:
        def body(uow: UnitOfWork) -> list[Event]:
            repo: Any = uow.repository(collection)
            current = repo.get(key)
            if partner_id is not None:
                _own(partner_id, current.partner_id, collection.name, key)
            inner = "incentive" if isinstance(current, FhRecord) else "application"
            after = attrs.evolve(current, **{inner: step(getattr(current, inner))})
            stored = save(repo, current, after)
            return [FundChanged(occurred_at=when, actor=actor.id, record=stored)]

        return run_command(self._new_unit, command, {"key": key}, idempotency_key, when, body)

    def generate_fh(
        self,
        actor: Actor,
        qualification: _funds.FhQualification,
        *,
        incentive_id: str,
        eligible: Iterable[_funds.FhRecipient],
        as_of: datetime,
    ) -> tuple[Event, ...]:
        """Generate the quarter's FH incentive at the start of the next quarter (R-INC-76)."""
        _vendor(actor, "generate FH incentives")
        when = require_aware(as_of)
        incentive = _funds.generate_fh_incentive(
            qualification, incentive_id=incentive_id, eligible=eligible, generated_on=when.date()
        )

        def body(uow: UnitOfWork) -> list[Event]:
            record = FhRecord(partner_id=PartnerId(qualification.partner_id), incentive=incentive)
            stored = uow.repository(FH_INCENTIVES).add(record)
            return [FundChanged(occurred_at=when, actor=actor.id, record=stored)]

        return run_command(
            self._new_unit, "generate_fh", {"incentive_id": incentive_id}, None, when, body
        )

    def upload_fh_proofs(
        self,
        actor: Actor,
        incentive_id: str,
        kind: _funds.FhProofKind,
        files: Sequence[_funds.ProofFile],
        *,
        as_of: datetime,
    ) -> tuple[Event, ...]:
        """Upload one kind of proof (R-INC-78, R-INC-80, R-INC-81)."""
        partner_id = _partner_user(actor, Permission.FINANCE, "upload FH proofs")
        return self._fund(
            "upload_fh_proofs",
            FH_INCENTIVES,
            incentive_id,
            require_aware(as_of),
            actor,
            partner_id,
            lambda i: _funds.upload_fh_proofs(i, kind, files),
        )

    def reconcile_fh(
        self,
        actor: Actor,
        incentive_id: str,
        *,
        selected: Sequence[str],
        dedicated_personnel: int,
        qualified_customers: Mapping[str, int],
        as_of: datetime,
        idempotency_key: IdempotencyKey,
    ) -> tuple[Event, ...]:
        """Select recipients and confirm within 14 days (R-INC-75..78)."""
        partner_id = _partner_user(actor, Permission.FINANCE, "reconcile FH")
        when = require_aware(as_of)
        return self._fund(
            "reconcile_fh",
            FH_INCENTIVES,
            incentive_id,
            when,
            actor,
            partner_id,
            lambda i: _funds.reconcile_fh(
                i,
                selected=selected,
                dedicated_personnel=dedicated_personnel,
                qualified_customers=qualified_customers,
                as_of=when,
            ),
            idempotency_key,
        )

    def finalise_fh(self, actor: Actor, incentive_id: str, *, as_of: datetime) -> tuple[Event, ...]:
        """The vendor finalises a confirmed reconciliation (R-INC-82)."""
        _vendor(actor, "finalise FH")
        return self._fund(
            "finalise_fh",
            FH_INCENTIVES,
            incentive_id,
            require_aware(as_of),
            actor,
            None,
            _funds.finalise_fh,
        )

    def submit_spif(
        self,
        actor: Actor,
        application_id: str,
        *,
        rep_office: str,
        commitment_letter_signed: bool,
        registration_form: str | None,
        as_of: datetime,
        idempotency_key: IdempotencyKey,
    ) -> tuple[Event, ...]:
        """Apply for SPIF with the signed commitment letter and registration form (R-INC-93..95)."""
        partner_id = _partner_user(actor, Permission.FINANCE, "apply for SPIF")
        when = require_aware(as_of)
        application = _funds.submit_spif(
            application_id=application_id,
            partner_id=partner_id,
            rep_office=rep_office,
            commitment_letter_signed=commitment_letter_signed,
            registration_form=registration_form,
        )

        def body(uow: UnitOfWork) -> list[Event]:
            record = SpifRecord(partner_id=partner_id, application=application)
            stored = uow.repository(SPIF_APPLICATIONS).add(record)
            return [FundChanged(occurred_at=when, actor=actor.id, record=stored)]

        return run_command(
            self._new_unit,
            "submit_spif",
            {"application_id": application_id},
            idempotency_key,
            when,
            body,
        )

    def decide_spif(
        self,
        actor: Actor,
        application_id: str,
        *,
        approve: bool,
        as_of: datetime,
        comment: str = "rejected",
    ) -> tuple[Event, ...]:
        """The vendor approves or rejects a SPIF application (R-INC-96)."""
        _vendor(actor, "decide SPIF")
        return self._fund(
            "decide_spif",
            SPIF_APPLICATIONS,
            application_id,
            require_aware(as_of),
            actor,
            None,
            _funds.approve_spif if approve else (lambda a: _funds.reject_spif(a, comment=comment)),
        )

    def save_spif_recipients(
        self,
        actor: Actor,
        application_id: str,
        recipients: Sequence[_funds.SpifRecipient],
        *,
        associated_ids: Sequence[str],
        as_of: datetime,
    ) -> tuple[Event, ...]:
        """Save the recipient list as a new version with a change record (R-INC-97)."""
        partner_id = _partner_user(actor, Permission.FINANCE, "maintain SPIF recipients")
        when = require_aware(as_of)
        return self._fund(
            "save_spif_recipients",
            SPIF_APPLICATIONS,
            application_id,
            when,
            actor,
            partner_id,
            lambda a: _funds.save_spif_recipients(
                a, recipients, associated_ids=associated_ids, as_of=when
            ),
        )
