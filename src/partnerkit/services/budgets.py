"""Budget services: set and withdraw budgets, record usage, re-check, freeze, unfreeze, set quotas.

The budget accounts live in their own collection (:data:`BUDGET_ACCOUNTS`),
next to the customer collections of :mod:`partnerkit.services.customers`,
which the permission checks read.  Accounts open and close from the
customer service's association events (:meth:`BudgetService.sync`).

>>> from datetime import datetime
>>> from partnerkit.adapters.memory import InMemoryStore
>>> service = BudgetService(InMemoryStore().unit_of_work)
>>> service.policy.thresholds
(Decimal('75'), Decimal('90'), Decimal('100'))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, final

import attrs

from partnerkit.budget import (
    HUAWEI_BUDGETS,
    BudgetAccount,
    BudgetPolicy,
    BudgetRecipient,
    BudgetRecipients,
    BudgetType,
    FreezeMode,
    FreezeScope,
    Operation,
    close_account,
    evaluate_operation,
    evaluate_quota,
    freeze,
    ingest_usage,
    open_account,
    recheck,
    record_usage,
    set_budget,
    unfreeze,
    withdraw_budget,
)
from partnerkit.budget import as_of as account_as_of
from partnerkit.customers import CustomerAssociated, CustomerDisassociated
from partnerkit.decisions import Decision
from partnerkit.errors import InvalidArgumentError, PermissionDeniedError
from partnerkit.events import Event
from partnerkit.ids import CustomerId, IdempotencyKey, PartnerId
from partnerkit.money import Currency, Money
from partnerkit.partners import Partner, ResellerDelegation, RoleKind, change_delegation
from partnerkit.periods import require_aware
from partnerkit.permissions import Action, Actor, ActorKind, Permission, evaluate_permission
from partnerkit.ports import Collection, UnitOfWork, Verifier
from partnerkit.services._runner import (
    check_flags,
    check_reader,
    run_command,
    save,
    service_edge,
    verify,
)
from partnerkit.services.billing import CONSUMPTION_QUOTAS
from partnerkit.services.customers import ASSIGNMENTS, ASSOCIATIONS, DELEGATIONS, PARTNERS

__all__ = ["BUDGET_ACCOUNTS", "BUDGET_RECIPIENTS", "BudgetRecipientsChanged", "BudgetService"]

#: The budget accounts, keyed by customer and owned by the direct partner.
BUDGET_ACCOUNTS: Collection[BudgetAccount] = Collection(
    "budget_accounts", BudgetAccount, key=lambda a: a.customer_id, owner=lambda a: a.partner_id
)


#: Each partner's budget-alert recipients.
BUDGET_RECIPIENTS: Collection[BudgetRecipients] = Collection(
    "budget_recipients", BudgetRecipients, key=lambda r: r.partner_id, owner=lambda r: r.partner_id
)


@attrs.frozen(kw_only=True)
class BudgetRecipientsChanged(Event):
    """A partner changed its budget-alert recipients (R-CUST-56)."""

    before: BudgetRecipients | None
    after: BudgetRecipients

    def snapshots(self) -> tuple[object, ...]:
        """The stored recipients after the change."""
        return (self.after,)


@service_edge
@final
class BudgetService:
    """The budget and freeze use cases over a unit of work.

    Args:
        unit_of_work: Opens a new unit of work on the store the customer
            service uses.
        policy: The budget policy; default Huawei.
        verifier: Checks verification codes of critical operations (R-CUST-55,
            R-CUST-76); without one the embedding application is trusted.
    """

    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        *,
        policy: BudgetPolicy = HUAWEI_BUDGETS,
        verifier: Verifier | None = None,
    ) -> None:
        if not callable(unit_of_work):
            raise InvalidArgumentError("unit_of_work", unit_of_work, "expected a factory")
        if not isinstance(policy, BudgetPolicy):
            raise InvalidArgumentError("policy", policy, "expected a BudgetPolicy")
        self._new_unit = unit_of_work
        self.policy = policy
        self._verifier = verifier

    def _run(
        self,
        command: str,
        arguments: dict[str, Any],
        key: IdempotencyKey | None,
        as_of: datetime,
        body: Callable[[UnitOfWork], Sequence[Event]],
    ) -> tuple[Event, ...]:
        return run_command(self._new_unit, command, arguments, key, as_of, body)

    # --- permissions -------------------------------------------------------------------------

    def _authorized(
        self, uow: UnitOfWork, actor: Actor, action: Action, customer_id: CustomerId
    ) -> tuple[Partner, BudgetAccount, ResellerDelegation | None]:
        """Load the actor's partner and the customer's account, and check 4.8 / R-CUST-70."""
        if not isinstance(actor, Actor) or actor.kind is not ActorKind.PARTNER_USER:
            raise PermissionDeniedError(
                getattr(actor, "id", actor), action.value, customer_id, reason="not a partner user"
            )
        partner = uow.repository(PARTNERS).get(actor.partner_id or "")
        association = uow.repository(ASSOCIATIONS).get(customer_id)
        account = uow.repository(BUDGET_ACCOUNTS).get(customer_id)
        delegations = uow.repository(DELEGATIONS)
        if partner.kind is RoleKind.TIER_TWO:
            delegation = delegations.find(partner.id)
        elif association.distributor_id == partner.id:
            delegation = delegations.find(association.partner_id)
        else:
            delegation = None
        assignment = uow.repository(ASSIGNMENTS).find(customer_id)
        decision = evaluate_permission(
            actor,
            action,
            partner=partner,
            association=association,
            delegation=delegation,
            account_manager=assignment.manager if assignment else None,
        )
        if not decision.allowed:
            first = decision.reasons[0]
            raise PermissionDeniedError(
                actor.id,
                action.value,
                customer_id,
                rule_id="R-CUST-43" if action is Action.MANAGE_BUDGET else "R-CUST-70",
                reason=f"{first.code}: {first.message} [{first.rule_id}]",
            )
        return partner, account, delegation

    # --- accounts from association events ----------------------------------------------------

    def sync(self, events: Iterable[Event], *, as_of: datetime) -> tuple[Event, ...]:
        """Open and close budget accounts from the customer service's events.

        A ``CustomerAssociated`` event opens the account (frozen by default in
        the reseller model, R-CUST-32); ``CustomerDisassociated`` ends the
        budget and the partner's holds (R-CUST-95, G-26).
        """
        relevant = [e for e in events if isinstance(e, CustomerAssociated | CustomerDisassociated)]

        def body(uow: UnitOfWork) -> list[Event]:
            repo = uow.repository(BUDGET_ACCOUNTS)
            emitted: list[Event] = []
            for event in relevant:
                if isinstance(event, CustomerAssociated):
                    current = repo.find(event.association.customer_id)
                    opened, changes = open_account(event, policy=self.policy)
                    save(
                        repo,
                        current,
                        attrs.evolve(opened, version=current.version if current else 0),
                    )
                else:
                    current = repo.find(event.after.customer_id)
                    if current is None:
                        continue
                    closed, changes = close_account(current, event)
                    save(repo, current, closed)
                emitted.extend(changes)
            return emitted

        return self._run("sync", {}, None, as_of, body)

    # --- budgets -------------------------------------------------------------------------------

    def set_budget(
        self,
        actor: Actor,
        customer_id: CustomerId,
        *,
        budget_type: BudgetType,
        amount: Money,
        freeze_mode: FreezeMode,
        as_of: datetime,
        unfreeze_now: bool = False,
        auto_freeze_scope: FreezeScope = FreezeScope.ACCOUNT,
        grace: Money | None = None,
        thresholds: tuple[Decimal, ...] | None = None,
        verification_code: str | None = None,
    ) -> tuple[Event, ...]:
        """Set a customer's budget to a target (R-CUST-42..53; set-to-target, no key needed).

        A reseller's budgets stay within its distributor's quota (R-CUST-65).
        """
        check_flags(unfreeze_now=unfreeze_now)

        def body(uow: UnitOfWork) -> Sequence[Event]:
            partner, account, delegation = self._authorized(
                uow, actor, Action.MANAGE_BUDGET, customer_id
            )
            verify(
                self._verifier,
                actor,
                "set_budget",
                verification_code,
                required=partner.verification_code_enabled,
            )
            if partner.kind is RoleKind.TIER_TWO and delegation is not None:
                mine = uow.repository(BUDGET_ACCOUNTS).list_by_owner(partner.id)
                evaluate_quota(
                    delegation,
                    mine,
                    customer_id=customer_id,
                    budget_type=budget_type,
                    amount=amount,
                ).raise_if_denied()
            after, events = set_budget(
                account,
                budget_type=budget_type,
                amount=amount,
                freeze_mode=freeze_mode,
                actor=actor.id,
                as_of=as_of,
                unfreeze_now=unfreeze_now,
                auto_freeze_scope=auto_freeze_scope,
                grace=grace,
                thresholds=thresholds,
                policy=self.policy,
            )
            save(uow.repository(BUDGET_ACCOUNTS), account, after)
            return events

        return self._run("set_budget", {}, None, as_of, body)

    def withdraw_budget(
        self, actor: Actor, customer_id: CustomerId, *, as_of: datetime
    ) -> tuple[Event, ...]:
        """Withdraw a customer's budget (R-CUST-60); whoever may set it may withdraw it."""

        def body(uow: UnitOfWork) -> Sequence[Event]:
            _, account, _ = self._authorized(uow, actor, Action.MANAGE_BUDGET, customer_id)
            after, events = withdraw_budget(
                account, actor=actor.id, as_of=as_of, policy=self.policy
            )
            save(uow.repository(BUDGET_ACCOUNTS), account, after)
            return events

        return self._run("withdraw_budget", {}, None, as_of, body)

    def set_quota(
        self,
        actor: Actor,
        reseller_id: PartnerId,
        *,
        monthly: Money,
        one_time: Money,
        as_of: datetime,
        verification_code: str | None = None,
    ) -> tuple[Event, ...]:
        """A distributor sets its reseller's quotas (R-CUST-61, R-CUST-65, G-31).

        Lowering a quota below what is allocated is allowed: the budgets stay,
        and the reseller cannot raise any until it is back under.
        """

        def body(uow: UnitOfWork) -> Sequence[Event]:
            if not isinstance(actor, Actor) or actor.kind is not ActorKind.PARTNER_USER:
                raise PermissionDeniedError(getattr(actor, "id", actor), "set quotas", reseller_id)
            distributor = uow.repository(PARTNERS).get(actor.partner_id or "")
            delegations = uow.repository(DELEGATIONS)
            delegation = delegations.get(reseller_id)
            decision = evaluate_permission(
                actor, Action.DELEGATE, partner=distributor, delegation=delegation
            )
            if not decision.allowed:
                raise PermissionDeniedError(
                    actor.id,
                    "set quotas of",
                    reseller_id,
                    rule_id="R-CUST-61",
                    reason=decision.reasons[0].message,
                )
            verify(self._verifier, actor, "set_quota", verification_code, required=True)
            after, events = change_delegation(
                delegation,
                actor=distributor.id,
                as_of=as_of,
                budget_freeze_authorized=True,
                monthly_budget_quota=monthly,
                one_time_budget_quota=one_time,
            )
            save(delegations, delegation, after)
            return events

        return self._run("set_quota", {}, None, as_of, body)

    def set_budget_recipients(
        self, actor: Actor, recipients: Iterable[BudgetRecipient], *, as_of: datetime
    ) -> tuple[Event, ...]:
        """Set the actor's partner's budget-alert recipients (R-CUST-56; every role, 4.8)."""
        chosen = tuple(recipients)
        if not all(isinstance(r, BudgetRecipient) for r in chosen):
            raise InvalidArgumentError("recipients", chosen, "expected BudgetRecipient values")

        def body(uow: UnitOfWork) -> Sequence[Event]:
            if not isinstance(actor, Actor) or actor.kind is not ActorKind.PARTNER_USER:
                raise PermissionDeniedError(
                    getattr(actor, "id", actor), "set recipients", "budgets"
                )
            partner = uow.repository(PARTNERS).get(actor.partner_id or "")
            if actor.partner_id != partner.id or Permission.BUDGET_FREEZE not in actor.permissions:
                raise PermissionDeniedError(
                    actor.id, "set recipients of", partner.id, rule_id="R-CUST-56"
                )
            repo = uow.repository(BUDGET_RECIPIENTS)
            current = repo.find(partner.id)
            after = BudgetRecipients(partner.id, chosen, version=current.version if current else 0)
            if current == after:
                return ()
            save(repo, current, after)
            return (
                BudgetRecipientsChanged(
                    occurred_at=as_of, actor=actor.id, before=current, after=after
                ),
            )

        return self._run("set_budget_recipients", {}, None, as_of, body)

    def budget_recipients(self, partner_id: PartnerId) -> tuple[BudgetRecipient, ...]:
        """Who besides the partner's login receives its budget alerts."""
        with self._new_unit() as uow:
            found = uow.repository(BUDGET_RECIPIENTS).find(partner_id)
        return found.recipients if found else ()

    # --- usage and the scheduled check ------------------------------------------------------

    def record_usage(
        self,
        customer_id: CustomerId,
        amount: Money,
        *,
        at: datetime,
        actor: Actor,
        idempotency_key: IdempotencyKey,
    ) -> tuple[Event, ...]:
        """Count one usage record (list price, before tax; refunds negative) (R-CUST-46)."""
        self._require_feeder(actor)

        def body(uow: UnitOfWork) -> Sequence[Event]:
            repo = uow.repository(BUDGET_ACCOUNTS)
            account = repo.get(customer_id)
            after, events = record_usage(account, amount, at=at, policy=self.policy)
            save(repo, account, after)
            return events

        arguments = {"customer": customer_id, "amount": amount, "at": at}
        return self._run("record_usage", arguments, idempotency_key, at, body)

    def ingest(
        self,
        usage: Iterable[tuple[CustomerId, Decimal, datetime]],
        *,
        currency: Currency,
        actor: Actor,
        as_of: datetime,
        idempotency_key: IdempotencyKey,
    ) -> tuple[Event, ...]:
        """Count a batch of usage records; the same result as recording them one by one."""
        self._require_feeder(actor)
        records = list(usage)

        def body(uow: UnitOfWork) -> Sequence[Event]:
            repo = uow.repository(BUDGET_ACCOUNTS)
            loaded = {cid: repo.find(cid) for cid in {r[0] for r in records}}
            accounts = {cid: a for cid, a in loaded.items() if a is not None}
            after, events = ingest_usage(accounts, records, currency=currency, policy=self.policy)
            for cid, account in after.items():
                save(repo, accounts[cid], account)
            return events

        arguments = {"records": [(c, str(a), t) for c, a, t in records], "currency": currency}
        return self._run("ingest", arguments, idempotency_key, as_of, body)

    def recheck(self, customer_ids: Iterable[CustomerId], *, as_of: datetime) -> tuple[Event, ...]:
        """The scheduled check of these customers: restores, re-freezes, retention (R-CUST-50)."""
        ids = list(customer_ids)

        def body(uow: UnitOfWork) -> list[Event]:
            repo = uow.repository(BUDGET_ACCOUNTS)
            emitted: list[Event] = []
            for cid in ids:
                account = repo.get(cid)
                after, events = recheck(account, as_of=as_of, policy=self.policy)
                save(repo, account, after)
                emitted.extend(events)
            return emitted

        return self._run("recheck", {}, None, as_of, body)

    def recheck_partner(self, partner_id: PartnerId, *, as_of: datetime) -> tuple[Event, ...]:
        """The scheduled check for every customer of ``partner_id``."""
        with self._new_unit() as uow:
            ids = [a.customer_id for a in uow.repository(BUDGET_ACCOUNTS).list_by_owner(partner_id)]
        return self.recheck(ids, as_of=as_of)

    @staticmethod
    def _require_feeder(actor: Actor) -> None:
        if not isinstance(actor, Actor) or actor.kind not in {ActorKind.SYSTEM, ActorKind.VENDOR}:
            raise PermissionDeniedError(
                getattr(actor, "id", actor),
                "record usage",
                "budgets",
                reason="usage comes from the vendor or the system feed",
            )

    # --- freezing -----------------------------------------------------------------------------

    def freeze(
        self,
        actor: Actor,
        customer_id: CustomerId,
        *,
        scope: FreezeScope,
        reason: str,
        as_of: datetime,
        idempotency_key: IdempotencyKey,
        verification_code: str | None = None,
    ) -> tuple[Event, ...]:
        """Freeze the account, or the account and resources (R-CUST-70..76)."""

        def body(uow: UnitOfWork) -> Sequence[Event]:
            partner, account, _ = self._authorized(uow, actor, Action.FREEZE, customer_id)
            verify(
                self._verifier,
                actor,
                "freeze",
                verification_code,
                required=partner.verification_code_enabled,
            )
            after, events = freeze(
                account, scope=scope, reason=reason, actor=actor.id, as_of=as_of, policy=self.policy
            )
            save(uow.repository(BUDGET_ACCOUNTS), account, after)
            return events

        arguments = {"actor": actor, "customer": customer_id, "scope": scope, "reason": reason}
        return self._run("freeze", arguments, idempotency_key, as_of, body)

    def unfreeze(
        self,
        actor: Actor,
        customer_id: CustomerId,
        *,
        scope: FreezeScope,
        reason: str,
        as_of: datetime,
        idempotency_key: IdempotencyKey,
        verification_code: str | None = None,
    ) -> tuple[Event, ...]:
        """Unfreeze (R-CUST-77, R-CUST-78); an exhausted automatic budget refreezes next hour."""

        def body(uow: UnitOfWork) -> Sequence[Event]:
            partner, account, _ = self._authorized(uow, actor, Action.FREEZE, customer_id)
            verify(
                self._verifier,
                actor,
                "unfreeze",
                verification_code,
                required=partner.verification_code_enabled,
            )
            after, events = unfreeze(
                account,
                scope=scope,
                reason=reason,
                actor=actor.id,
                as_of=as_of,
                partner_frozen=partner.account_frozen,
                policy=self.policy,
            )
            save(uow.repository(BUDGET_ACCOUNTS), account, after)
            return events

        arguments = {"actor": actor, "customer": customer_id, "scope": scope, "reason": reason}
        return self._run("unfreeze", arguments, idempotency_key, as_of, body)

    # --- queries ----------------------------------------------------------------------------

    def check_operation(
        self,
        customer_id: CustomerId,
        operation: Operation,
        *,
        as_of: datetime,
        partner_restricted: bool | None = None,
    ) -> Decision:
        """May the customer do ``operation`` now? What a console asks before a purchase (5.6).

        ``partner_restricted`` defaults to the partner's stored consumption
        quota: a partner over its quota blocks its reseller-model customers'
        purchases (R-BILL-54, R-CUST-83).  Pass ``True`` or ``False`` to
        override it with the embedding application's own knowledge.
        """
        when = require_aware(as_of)
        if partner_restricted is not None:
            check_flags(partner_restricted=partner_restricted)
        with self._new_unit() as uow:
            account = uow.repository(BUDGET_ACCOUNTS).get(customer_id)
            if partner_restricted is None:
                quota = uow.repository(CONSUMPTION_QUOTAS).find(account.partner_id)
                partner_restricted = quota is not None and quota.exceeded
        current = account_as_of(account, when, policy=self.policy)
        return evaluate_operation(
            current, operation, partner_restricted=partner_restricted, policy=self.policy
        )

    def account(self, customer_id: CustomerId, *, actor: Actor | None = None) -> BudgetAccount:
        """The stored budget account of a customer; a partner user reads only its own customers'.

        The customer's partner, and its distributor for a reseller's customer, may read it.
        """
        with self._new_unit() as uow:
            account = uow.repository(BUDGET_ACCOUNTS).get(customer_id)
        check_reader(actor, account.partner_id, account.distributor_id, what="the budget account")
        return account
