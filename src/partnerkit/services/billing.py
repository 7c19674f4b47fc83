"""The billing use cases over a unit of work: coupons, closing a month, paying and credit.

A thin shell over :mod:`partnerkit.billing`: each command checks the actor,
loads through the ports, calls the pure core, saves with optimistic versions
and returns events that carry the stored values (so the event log replays).
Deltas take idempotency keys.

The vendor grants coupons, closes and issues bills, credits bank transfers
and keeps each partner's consumption quota; a partner's administrators top
up, pay and repay; Alibaba partners issue coupons from templates, approved
by the vendor's business director (R-BILL-37..41).  Going over the
consumption quota emits ``CreditLimitExceeded``, and
:meth:`partnerkit.services.budgets.BudgetService.check_operation` reads the
stored quota so the partner's reseller-model customers stop purchasing
(R-BILL-54).

>>> from datetime import date, datetime
>>> from partnerkit.adapters.memory import InMemoryStore
>>> from partnerkit.ids import ActorId, IdempotencyKey, PartnerId
>>> from partnerkit.money import Money
>>> from partnerkit.periods import GMT_PLUS_8
>>> from partnerkit.permissions import Actor, OrgRole
>>> service = BillingService(InMemoryStore().unit_of_work)
>>> admin = Actor.partner_user(ActorId("u"), PartnerId("d1"), {OrgRole.ADMIN})
>>> when = datetime(2024, 6, 3, tzinfo=GMT_PLUS_8)
>>> _ = service.top_up(admin, PartnerId("d1"), Money.of("100.00", "USD"), as_of=when,
...                    idempotency_key=IdempotencyKey("t1"))
>>> service.funds(PartnerId("d1")).balance
Money('100.00', 'USD')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import final

import attrs

from partnerkit.billing.bill import (
    BillLine,
    MonthlyBill,
    RoundingPolicy,
    TaxPolicy,
    apply_tax,
    close_month,
)
from partnerkit.billing.coupons import Coupon, CouponPolicy, Deduction, apply_coupons
from partnerkit.billing.issuance import (
    CouponTemplate,
    Issuance,
    IssuanceStatus,
    RecipientKind,
    cancel_issuance,
    decide_issuance,
    request_issuance,
)
from partnerkit.billing.payments import (
    HUAWEI_PAYMENTS,
    ConsumptionQuota,
    FundsAccount,
    PartnerBill,
    PaymentPolicy,
    check_transaction,
    issue_bill,
    issue_time,
    pay_bill,
    repay,
    transfer_credited_by,
)
from partnerkit.calendars import WorkingCalendar
from partnerkit.errors import (
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    RuleViolationError,
)
from partnerkit.events import Event
from partnerkit.ids import IdempotencyKey, PartnerId
from partnerkit.money import Money
from partnerkit.periods import Period, require_aware
from partnerkit.permissions import Actor, ActorKind, Permission
from partnerkit.ports import Collection, UnitOfWork
from partnerkit.services._runner import check_reader, run_command, save, service_edge
from partnerkit.services.customers import partner_of

__all__ = [
    "CONSUMPTION_QUOTAS",
    "COUPONS",
    "COUPON_TEMPLATES",
    "FUNDS",
    "ISSUANCES",
    "PARTNER_BILLS",
    "BillPaid",
    "BillRepaid",
    "BillingService",
    "ConsumptionQuotaChanged",
    "CouponGranted",
    "CouponTemplateSaved",
    "FundsToppedUp",
    "IssuanceChanged",
    "MonthClosed",
    "PartnerBillIssued",
    "TransferCredited",
]

#: Coupons, keyed by id and owned by the holding partner.
COUPONS: Collection[Coupon] = Collection(
    "coupons", Coupon, key=lambda c: c.coupon_id, owner=lambda c: c.holder
)
#: Partner bills, keyed ``partner/cycle``.
PARTNER_BILLS: Collection[PartnerBill] = Collection(
    "partner_bills",
    PartnerBill,
    key=lambda b: f"{b.partner_id}/{b.cycle}",
    owner=lambda b: b.partner_id,
)
#: Each partner's funds account.
FUNDS: Collection[FundsAccount] = Collection(
    "funds_accounts", FundsAccount, key=lambda f: f.partner_id, owner=lambda f: f.partner_id
)
#: Each partner's consumption quota (credit limit, R-BILL-54).
CONSUMPTION_QUOTAS: Collection[ConsumptionQuota] = Collection(
    "consumption_quotas",
    ConsumptionQuota,
    key=lambda q: q.partner_id,
    owner=lambda q: q.partner_id,
)
#: Alibaba coupon templates, owned by the issuing partner.
COUPON_TEMPLATES: Collection[CouponTemplate] = Collection(
    "coupon_templates", CouponTemplate, key=lambda t: t.template_id, owner=lambda t: t.owner
)
#: Alibaba coupon issuances, owned by the issuing partner.
ISSUANCES: Collection[Issuance] = Collection(
    "coupon_issuances", Issuance, key=lambda i: i.issuance_id, owner=lambda i: i.issuer
)


@attrs.frozen(kw_only=True)
class CouponGranted(Event):
    """The vendor granted a partner a cash or test coupon (R-BILL-26)."""

    coupon: Coupon

    def snapshots(self) -> tuple[object, ...]:
        """The stored coupon."""
        return (self.coupon,)


@attrs.frozen(kw_only=True)
class MonthClosed(Event):
    """A month was closed: coupons deducted, the bill estimated (R-BILL-07, R-BILL-27)."""

    bill: PartnerBill
    monthly_total: Money
    tax: Money
    coupons: tuple[Coupon, ...]
    deductions: tuple[Deduction, ...]

    def snapshots(self) -> tuple[object, ...]:
        """The stored bill and the coupons the run touched."""
        return (self.bill, *self.coupons)


@attrs.frozen(kw_only=True)
class FundsToppedUp(Event):
    """Money was added to the funds account (R-BILL-47, R-BILL-48)."""

    funds: FundsAccount
    amount: Money

    def snapshots(self) -> tuple[object, ...]:
        """The stored funds account."""
        return (self.funds,)


@attrs.frozen(kw_only=True)
class PartnerBillIssued(Event):
    """A bill was issued and the balance deducted (R-BILL-12, R-BILL-46)."""

    bill: PartnerBill
    funds: FundsAccount
    deducted: Money

    def snapshots(self) -> tuple[object, ...]:
        """The stored bill and funds account."""
        return (self.bill, self.funds)


@attrs.frozen(kw_only=True)
class BillRepaid(Event):
    """A repayment went to the oldest bills first (R-BILL-47, DC-13)."""

    bills: tuple[PartnerBill, ...]
    funds: FundsAccount
    amount: Money

    def snapshots(self) -> tuple[object, ...]:
        """The stored bills and funds account."""
        return (*self.bills, self.funds)


@attrs.frozen(kw_only=True)
class BillPaid(Event):
    """One issued bill was paid online, one limited transaction (R-BILL-11, R-BILL-45)."""

    bill: PartnerBill
    amount: Money

    def snapshots(self) -> tuple[object, ...]:
        """The stored bill."""
        return (self.bill,)


@attrs.frozen(kw_only=True)
class TransferCredited(Event):
    """A bank transfer was credited to the funds account (R-BILL-48).

    Attributes:
        funds: The stored funds account.
        amount: What was credited.
        due_by: The last day the vendor had to credit it (3 working days).
        late: Whether it was credited after ``due_by``.
    """

    funds: FundsAccount
    amount: Money
    due_by: date
    late: bool

    def snapshots(self) -> tuple[object, ...]:
        """The stored funds account."""
        return (self.funds,)


@attrs.frozen(kw_only=True)
class ConsumptionQuotaChanged(Event):
    """The quota was set, or spend or repayment moved what the partner owes (R-BILL-54).

    The alert, ``CreditLimitExceeded`` and ``CreditLimitRestored`` events
    follow it in the same result when a threshold was crossed.
    """

    quota: ConsumptionQuota
    amount: Money | None = None

    def snapshots(self) -> tuple[object, ...]:
        """The stored quota."""
        return (self.quota,)


@attrs.frozen(kw_only=True)
class CouponTemplateSaved(Event):
    """An Alibaba partner created a coupon template (billing.md 1.10)."""

    template: CouponTemplate

    def snapshots(self) -> tuple[object, ...]:
        """The stored template."""
        return (self.template,)


@attrs.frozen(kw_only=True)
class IssuanceChanged(Event):
    """An issuance was requested, approved, denied or cancelled (R-BILL-40).

    ``coupon`` is the coupon an approval put in the recipient's wallet.
    """

    issuance: Issuance
    coupon: Coupon | None = None

    def snapshots(self) -> tuple[object, ...]:
        """The stored issuance and coupon."""
        return (self.issuance,) if self.coupon is None else (self.issuance, self.coupon)


def _key(partner_id: PartnerId, cycle: Period) -> str:
    return f"{partner_id}/{cycle}"


def _store_balance(
    uow: UnitOfWork, partner_id: PartnerId, current: FundsAccount | None, balance: Money
) -> FundsAccount:
    """Add the funds account or save its new balance (optimistic)."""
    after = (
        FundsAccount(partner_id, balance)
        if current is None
        else attrs.evolve(current, balance=balance)
    )
    return save(uow.repository(FUNDS), current, after)


def _credit(uow: UnitOfWork, partner_id: PartnerId, amount: Money) -> FundsAccount:
    """Add ``amount`` to the partner's funds account, opening it if needed."""
    current = uow.repository(FUNDS).find(partner_id)
    balance = amount if current is None else current.balance + amount
    return _store_balance(uow, partner_id, current, balance)


@service_edge
@final
class BillingService:
    """Billing commands for a vendor (``SYSTEM``) and a partner's admins.

    Args:
        unit_of_work: A factory of units of work (the storage adapter).
        coupon_policy: The coupon order and rounding (Huawei by default).
        payment_policy: Issue dates, limits and quota rules.
        issuance_needs_approval: Whether template issuances wait for the
            business director (R-BILL-40); ``False`` approves them at once.
        tax_policy: Tax rates by registration region for :meth:`close_month`
            (default: none, DC-04).
    """

    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        *,
        coupon_policy: CouponPolicy | None = None,
        payment_policy: PaymentPolicy = HUAWEI_PAYMENTS,
        issuance_needs_approval: bool = True,
        tax_policy: TaxPolicy | None = None,
    ) -> None:
        if not callable(unit_of_work):
            raise InvalidArgumentError("unit_of_work", unit_of_work, "expected a factory")
        if not isinstance(issuance_needs_approval, bool):
            raise InvalidArgumentError(
                "issuance_needs_approval", issuance_needs_approval, "expected True or False"
            )
        self._new_unit = unit_of_work
        self.coupon_policy = coupon_policy if coupon_policy is not None else CouponPolicy()
        self.payment_policy = payment_policy
        self.issuance_needs_approval = issuance_needs_approval
        self.tax_policy = tax_policy if tax_policy is not None else TaxPolicy()

    # --- checks --------------------------------------------------------------------------

    @staticmethod
    def _require_vendor(actor: Actor) -> None:
        if not isinstance(actor, Actor) or actor.kind not in (ActorKind.SYSTEM, ActorKind.VENDOR):
            raise PermissionDeniedError(
                getattr(actor, "id", actor),
                "run vendor billing for",
                "a partner",
                reason="only the vendor or its system grants coupons, closes and issues bills",
            )

    @staticmethod
    def _require_admin(actor: Actor, partner_id: PartnerId) -> None:
        """A user of the partner with the finance permission: an admin or finance specialist."""
        if not isinstance(actor, Actor):
            raise InvalidArgumentError("actor", actor, "expected an Actor")
        if actor.kind is ActorKind.SYSTEM:
            return
        if actor.partner_id != partner_id or Permission.FINANCE not in actor.permissions:
            raise PermissionDeniedError(
                actor.id,
                "pay the bills of",
                partner_id,
                reason="only the partner's administrators and finance specialists pay its bills",
            )

    # --- queries -------------------------------------------------------------------------

    def funds(self, partner_id: PartnerId, *, actor: Actor | None = None) -> FundsAccount:
        """The partner's funds account (raises ``NotFoundError`` before the first top-up).

        With ``actor``, a partner user may read only its own partner's data.
        """
        check_reader(actor, partner_id, what="funds")
        with self._new_unit() as uow:
            return uow.repository(FUNDS).get(partner_id)

    def bill(
        self, partner_id: PartnerId, cycle: Period, *, actor: Actor | None = None
    ) -> PartnerBill:
        """The stored bill of a cycle.

        With ``actor``, a partner user may read only its own partner's data.
        """
        check_reader(actor, partner_id, what="bills")
        with self._new_unit() as uow:
            return uow.repository(PARTNER_BILLS).get(_key(partner_id, cycle))

    def coupons(self, partner_id: PartnerId, *, actor: Actor | None = None) -> tuple[Coupon, ...]:
        """The partner's coupons, by id.

        With ``actor``, a partner user may read only its own partner's data.
        """
        check_reader(actor, partner_id, what="coupons")
        with self._new_unit() as uow:
            return uow.repository(COUPONS).list_by_owner(partner_id)

    def consumption_quota(
        self, partner_id: PartnerId, *, actor: Actor | None = None
    ) -> ConsumptionQuota | None:
        """The partner's consumption quota, if the vendor set one.

        With ``actor``, a partner user may read only its own partner's data.
        """
        check_reader(actor, partner_id, what="the consumption quota")
        with self._new_unit() as uow:
            return uow.repository(CONSUMPTION_QUOTAS).find(partner_id)

    def issuances(
        self, partner_id: PartnerId, *, actor: Actor | None = None
    ) -> tuple[Issuance, ...]:
        """The coupon issuances of an issuing partner.

        With ``actor``, a partner user may read only its own partner's data.
        """
        check_reader(actor, partner_id, what="coupon issuances")
        with self._new_unit() as uow:
            return uow.repository(ISSUANCES).list_by_owner(partner_id)

    # --- commands ------------------------------------------------------------------------

    def grant_coupon(
        self, actor: Actor, coupon: Coupon, *, as_of: datetime, idempotency_key: IdempotencyKey
    ) -> tuple[Event, ...]:
        """The vendor grants a coupon to the partner named in ``coupon.holder`` (R-BILL-26)."""
        self._require_vendor(actor)
        if not isinstance(coupon, Coupon) or coupon.holder is None:
            raise InvalidArgumentError("coupon", coupon, "a coupon with a holder partner")

        def body(uow: UnitOfWork) -> list[Event]:
            stored = uow.repository(COUPONS).add(coupon)
            return [CouponGranted(occurred_at=as_of, actor=actor.id, coupon=stored)]

        return run_command(
            self._new_unit, "grant_coupon", {"coupon": coupon}, idempotency_key, as_of, body
        )

    def close_month(
        self,
        actor: Actor,
        partner_id: PartnerId,
        cycle: Period,
        lines: Iterable[BillLine],
        *,
        as_of: datetime,
        idempotency_key: IdempotencyKey,
        rounding: RoundingPolicy | None = None,
        tax_region: str | None = None,
    ) -> tuple[Event, ...]:
        """Deduct the partner's coupons from the month's lines and store the estimate.

        The vendor's system closes a month once (R-BILL-27, R-BILL-07); the
        result is an ESTIMATED :class:`PartnerBill` until :meth:`issue`.
        With ``tax_region`` (the partner's registration region), the service's
        ``TaxPolicy`` taxes each expenditure line after the coupon pass, on the
        post-coupon amount (I-08, DC-04, pipeline 2.3).
        """
        self._require_vendor(actor)
        items = list(lines)
        when = require_aware(as_of)

        def body(uow: UnitOfWork) -> list[Event]:
            bills = uow.repository(PARTNER_BILLS)
            if bills.find(_key(partner_id, cycle)) is not None:
                raise RuleViolationError(
                    "R-BILL-12",
                    "this month is already closed",
                    fields={"partner_id": partner_id, "cycle": str(cycle)},
                )
            repo = uow.repository(COUPONS)
            wallet = repo.list_by_owner(partner_id)
            run = apply_coupons(items, wallet, policy=self.coupon_policy)
            taxed = (
                run.lines
                if tax_region is None
                else [apply_tax(ln, region=tax_region, policy=self.tax_policy) for ln in run.lines]
            )
            monthly: MonthlyBill = close_month(partner_id, cycle, taxed, policy=rounding)
            touched = [
                save(repo, before, after)
                for before, after in zip(wallet, run.coupons, strict=True)
                if after != before
            ]
            stored = bills.add(PartnerBill.estimate(partner_id, cycle, monthly.amount_due))
            return [
                MonthClosed(
                    occurred_at=when,
                    actor=actor.id,
                    bill=stored,
                    monthly_total=monthly.monthly_total,
                    tax=monthly.tax,
                    coupons=tuple(touched),
                    deductions=run.deductions,
                )
            ]

        arguments = {
            "partner_id": partner_id,
            "cycle": str(cycle),
            "lines": items,
            "rounding": rounding,
            "tax_region": tax_region,
        }
        return run_command(self._new_unit, "close_month", arguments, idempotency_key, when, body)

    def top_up(
        self,
        actor: Actor,
        partner_id: PartnerId,
        amount: Money,
        *,
        as_of: datetime,
        idempotency_key: IdempotencyKey,
    ) -> tuple[Event, ...]:
        """Add money to the funds account: one limited transaction (R-BILL-45, R-BILL-47)."""
        self._require_admin(actor, partner_id)
        check_transaction(amount, policy=self.payment_policy)

        def body(uow: UnitOfWork) -> list[Event]:
            stored = _credit(uow, partner_id, amount)
            return [FundsToppedUp(occurred_at=as_of, actor=actor.id, funds=stored, amount=amount)]

        arguments = {"partner_id": partner_id, "amount": amount}
        return run_command(self._new_unit, "top_up", arguments, idempotency_key, as_of, body)

    def issue(
        self, actor: Actor, partner_id: PartnerId, cycle: Period, *, idempotency_key: IdempotencyKey
    ) -> tuple[Event, ...]:
        """Issue the month's bill at its issue time and deduct the balance (R-BILL-12, 46)."""
        self._require_vendor(actor)

        def body(uow: UnitOfWork) -> list[Event]:
            bills, funds = uow.repository(PARTNER_BILLS), uow.repository(FUNDS)
            estimate = bills.get(_key(partner_id, cycle))
            account = funds.find(partner_id)
            balance = account.balance if account else estimate.amount_due.currency.zero
            issued, left, event = issue_bill(
                estimate, balance=balance, actor=actor.id, policy=self.payment_policy
            )
            stored = save(bills, estimate, issued)
            kept = _store_balance(uow, partner_id, account, left)
            return [
                PartnerBillIssued(
                    occurred_at=event.occurred_at,
                    actor=actor.id,
                    bill=stored,
                    funds=kept,
                    deducted=event.deducted,
                )
            ]

        when = issue_time(cycle, policy=self.payment_policy)
        arguments = {"partner_id": partner_id, "cycle": str(cycle)}
        return run_command(self._new_unit, "issue", arguments, idempotency_key, when, body)

    def repay(
        self,
        actor: Actor,
        partner_id: PartnerId,
        amount: Money,
        *,
        as_of: datetime,
        idempotency_key: IdempotencyKey,
    ) -> tuple[Event, ...]:
        """Repay online: oldest bills first, the surplus to the funds account (R-BILL-47, DC-13)."""
        self._require_admin(actor, partner_id)

        def body(uow: UnitOfWork) -> list[Event]:
            bills = uow.repository(PARTNER_BILLS)
            mine = bills.list_by_owner(partner_id)
            result = repay(mine, amount, policy=self.payment_policy)
            stored = tuple(
                save(bills, before, after)
                for before, after in zip(mine, result.bills, strict=True)
                if after != before
            )
            kept = _credit(uow, partner_id, result.surplus)
            events: list[Event] = [
                BillRepaid(
                    occurred_at=as_of, actor=actor.id, bills=stored, funds=kept, amount=amount
                )
            ]
            quotas = uow.repository(CONSUMPTION_QUOTAS)
            quota = quotas.find(partner_id)
            if quota is not None:
                after, crossed = quota.record_repayment(amount, at=as_of, actor=actor.id)
                events.append(
                    ConsumptionQuotaChanged(
                        occurred_at=as_of,
                        actor=actor.id,
                        quota=save(quotas, quota, after),
                        amount=-amount,
                    )
                )
                events.extend(crossed)
            return events

        arguments = {"partner_id": partner_id, "amount": amount}
        return run_command(self._new_unit, "repay", arguments, idempotency_key, as_of, body)

    def pay_bill(
        self,
        actor: Actor,
        partner_id: PartnerId,
        cycle: Period,
        amount: Money,
        *,
        as_of: datetime,
        idempotency_key: IdempotencyKey,
    ) -> tuple[Event, ...]:
        """Pay one issued bill online (R-BILL-11; one limited transaction, R-BILL-45)."""
        self._require_admin(actor, partner_id)
        check_transaction(amount, policy=self.payment_policy)

        def body(uow: UnitOfWork) -> list[Event]:
            bills = uow.repository(PARTNER_BILLS)
            bill = bills.get(_key(partner_id, cycle))
            stored = save(bills, bill, pay_bill(bill, amount))
            return [BillPaid(occurred_at=as_of, actor=actor.id, bill=stored, amount=amount)]

        arguments = {"partner_id": partner_id, "cycle": str(cycle), "amount": amount}
        return run_command(self._new_unit, "pay_bill", arguments, idempotency_key, as_of, body)

    def record_transfer(
        self,
        actor: Actor,
        partner_id: PartnerId,
        amount: Money,
        *,
        ticket_filed: datetime,
        credited_at: datetime,
        calendar: WorkingCalendar,
        idempotency_key: IdempotencyKey,
    ) -> tuple[Event, ...]:
        """The vendor credits a bank transfer to the funds account (R-BILL-48).

        The event says by when it was due (3 working days after the ticket)
        and whether it was late.
        """
        self._require_vendor(actor)
        filed = require_aware(ticket_filed, argument="ticket_filed")
        when = require_aware(credited_at, argument="credited_at")
        if when < filed:
            raise InvalidArgumentError("credited_at", when, "cannot precede the ticket")
        if not isinstance(amount, Money) or not amount.is_positive():
            raise InvalidArgumentError("amount", amount, "a transfer credits a positive amount")
        due = transfer_credited_by(filed, calendar=calendar, policy=self.payment_policy)
        late = when.astimezone(self.payment_policy.tz).date() > due

        def body(uow: UnitOfWork) -> list[Event]:
            stored = _credit(uow, partner_id, amount)
            return [
                TransferCredited(
                    occurred_at=when,
                    actor=actor.id,
                    funds=stored,
                    amount=amount,
                    due_by=due,
                    late=late,
                )
            ]

        arguments = {"partner_id": partner_id, "amount": amount, "ticket_filed": filed}
        return run_command(
            self._new_unit, "record_transfer", arguments, idempotency_key, when, body
        )

    # --- consumption quota (R-BILL-54) -------------------------------------------------------

    def set_consumption_quota(
        self, actor: Actor, partner_id: PartnerId, limit: Money, *, as_of: datetime
    ) -> tuple[Event, ...]:
        """The vendor sets (or raises) the most the partner may owe; set-to-target (R-BILL-54)."""
        self._require_vendor(actor)
        if not isinstance(limit, Money) or limit.is_negative():
            raise InvalidArgumentError("limit", limit, "a quota is a Money >= 0")
        when = require_aware(as_of)

        def body(uow: UnitOfWork) -> list[Event]:
            quotas = uow.repository(CONSUMPTION_QUOTAS)
            current = quotas.find(partner_id)
            target = (
                ConsumptionQuota(partner_id, limit, limit.currency.zero)
                if current is None
                else attrs.evolve(current, limit=limit)
            )
            stored = save(quotas, current, target)
            if stored is current:
                return []
            return [ConsumptionQuotaChanged(occurred_at=when, actor=actor.id, quota=stored)]

        return run_command(self._new_unit, "set_consumption_quota", {}, None, when, body)

    def record_consumption(
        self,
        actor: Actor,
        partner_id: PartnerId,
        amount: Money,
        *,
        as_of: datetime,
        idempotency_key: IdempotencyKey,
    ) -> tuple[Event, ...]:
        """Add owed spend to the quota; alerts above 80 %, flags going over (R-BILL-54)."""
        self._require_vendor(actor)
        if not isinstance(amount, Money) or not amount.is_positive():
            raise InvalidArgumentError("amount", amount, "spend is a positive Money")
        when = require_aware(as_of)

        def body(uow: UnitOfWork) -> list[Event]:
            quotas = uow.repository(CONSUMPTION_QUOTAS)
            quota = quotas.get(partner_id)
            after, crossed = quota.record(
                amount, at=when, actor=actor.id, policy=self.payment_policy
            )
            stored = save(quotas, quota, after)
            changed = ConsumptionQuotaChanged(
                occurred_at=when, actor=actor.id, quota=stored, amount=amount
            )
            return [changed, *crossed]

        arguments = {"partner_id": partner_id, "amount": amount}
        return run_command(
            self._new_unit, "record_consumption", arguments, idempotency_key, when, body
        )

    # --- Alibaba coupon templates and issuances (R-BILL-37..41) -----------------------------

    def create_template(
        self,
        actor: Actor,
        template: CouponTemplate,
        *,
        as_of: datetime,
        idempotency_key: IdempotencyKey,
    ) -> tuple[Event, ...]:
        """A partner administrator creates a coupon template it will issue from."""
        if not isinstance(template, CouponTemplate):
            raise InvalidArgumentError("template", template, "expected a CouponTemplate")
        if not isinstance(actor, Actor) or actor.partner_id is None:
            raise InvalidArgumentError("actor", actor, "a partner user")
        self._require_admin(actor, actor.partner_id)
        owned = attrs.evolve(template, owner=actor.partner_id, version=0)

        def body(uow: UnitOfWork) -> list[Event]:
            stored = uow.repository(COUPON_TEMPLATES).add(owned)
            return [CouponTemplateSaved(occurred_at=as_of, actor=actor.id, template=stored)]

        arguments = {"template": owned}
        return run_command(
            self._new_unit, "create_template", arguments, idempotency_key, as_of, body
        )

    def request_issuance(
        self,
        actor: Actor,
        issuance_id: str,
        template_id: str,
        recipient_kind: RecipientKind,
        recipient: str,
        *,
        as_of: datetime,
        idempotency_key: IdempotencyKey,
    ) -> tuple[Event, ...]:
        """Issue a template to an end user or tier-2 reseller (R-BILL-37..41).

        Refused with every reason (who may issue, the cost bearer, the
        once-per-sub-account limit, the enabled feature); otherwise pending
        approval, or approved at once with its coupon when no approval is
        needed.
        """
        if not isinstance(actor, Actor) or actor.partner_id is None:
            raise InvalidArgumentError("actor", actor, "a partner user")
        self._require_admin(actor, actor.partner_id)

        def body(uow: UnitOfWork) -> list[Event]:
            partner = partner_of(uow, actor)
            template = uow.repository(COUPON_TEMPLATES).get(template_id)
            if template.owner != partner.id:
                raise NotFoundError("coupon_templates", template_id)
            repo = uow.repository(ISSUANCES)
            issuance = request_issuance(
                issuance_id, partner.role, template, recipient_kind, recipient,
                issued=repo.list_by_owner(partner.id),
                feature_enabled=partner.coupon_issuance_enabled,
                needs_approval=self.issuance_needs_approval,
            )  # fmt: skip
            stored = repo.add(issuance)
            coupon = None
            if stored.status is IssuanceStatus.APPROVED:
                coupon = uow.repository(COUPONS).add(template.coupon_for(stored, approved_at=as_of))
            return [
                IssuanceChanged(occurred_at=as_of, actor=actor.id, issuance=stored, coupon=coupon)
            ]

        arguments = {
            "issuance_id": issuance_id,
            "template_id": template_id,
            "recipient_kind": recipient_kind,
            "recipient": recipient,
        }
        return run_command(
            self._new_unit, "request_issuance", arguments, idempotency_key, as_of, body
        )

    def decide_issuance(
        self,
        actor: Actor,
        issuance_id: str,
        *,
        approve: bool,
        as_of: datetime,
        idempotency_key: IdempotencyKey,
    ) -> tuple[Event, ...]:
        """The vendor's business director approves (issuing the coupon) or denies (R-BILL-40)."""
        self._require_vendor(actor)
        if not isinstance(approve, bool):
            raise InvalidArgumentError("approve", approve, "expected True or False")

        def body(uow: UnitOfWork) -> list[Event]:
            repo = uow.repository(ISSUANCES)
            current = repo.get(issuance_id)
            stored = save(repo, current, decide_issuance(current, approve=approve))
            coupon = None
            if approve:
                template = uow.repository(COUPON_TEMPLATES).get(current.template_id)
                coupon = uow.repository(COUPONS).add(template.coupon_for(stored, approved_at=as_of))
            return [
                IssuanceChanged(occurred_at=as_of, actor=actor.id, issuance=stored, coupon=coupon)
            ]

        arguments = {"issuance_id": issuance_id, "approve": approve}
        return run_command(
            self._new_unit, "decide_issuance", arguments, idempotency_key, as_of, body
        )

    def cancel_issuance(
        self, actor: Actor, issuance_id: str, *, as_of: datetime, idempotency_key: IdempotencyKey
    ) -> tuple[Event, ...]:
        """The issuing partner cancels while approval is pending (R-BILL-40)."""
        if not isinstance(actor, Actor) or actor.partner_id is None:
            raise InvalidArgumentError("actor", actor, "a partner user")
        self._require_admin(actor, actor.partner_id)

        def body(uow: UnitOfWork) -> list[Event]:
            repo = uow.repository(ISSUANCES)
            current = repo.get(issuance_id)
            if current.issuer != actor.partner_id:
                raise NotFoundError("coupon_issuances", issuance_id)
            stored = save(repo, current, cancel_issuance(current))
            return [IssuanceChanged(occurred_at=as_of, actor=actor.id, issuance=stored)]

        arguments = {"issuance_id": issuance_id}
        return run_command(
            self._new_unit, "cancel_issuance", arguments, idempotency_key, as_of, body
        )
