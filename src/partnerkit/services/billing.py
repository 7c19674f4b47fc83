"""The billing use cases over a unit of work: coupons, closing a month, issuing and repaying.

A thin shell over :mod:`partnerkit.billing`: each command checks the actor,
loads through the ports, calls the pure core, saves with optimistic versions
and returns events that carry the stored values (so the event log replays).
Deltas take idempotency keys.

>>> from datetime import datetime
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
from datetime import datetime
from typing import final

import attrs

from partnerkit.billing.bill import BillLine, MonthlyBill, RoundingPolicy, close_month
from partnerkit.billing.coupons import Coupon, CouponPolicy, Deduction, apply_coupons
from partnerkit.billing.payments import (
    HUAWEI_PAYMENTS,
    FundsAccount,
    PartnerBill,
    PaymentPolicy,
    check_transaction,
    issue_bill,
    issue_time,
    repay,
)
from partnerkit.errors import InvalidArgumentError, PermissionDeniedError, RuleViolationError
from partnerkit.events import Event
from partnerkit.ids import IdempotencyKey, PartnerId
from partnerkit.money import Money
from partnerkit.periods import Period, require_aware
from partnerkit.permissions import Actor, ActorKind, OrgRole
from partnerkit.ports import Collection, UnitOfWork
from partnerkit.services._runner import run_command, save

__all__ = [
    "COUPONS",
    "FUNDS",
    "PARTNER_BILLS",
    "BillRepaid",
    "BillingService",
    "CouponGranted",
    "FundsToppedUp",
    "MonthClosed",
    "PartnerBillIssued",
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


@final
class BillingService:
    """Billing commands for a vendor (``SYSTEM``) and a partner's admins.

    Args:
        unit_of_work: A factory of units of work (the storage adapter).
        coupon_policy: The coupon order and rounding (Huawei by default).
        payment_policy: Issue dates, limits and quota rules.
    """

    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        *,
        coupon_policy: CouponPolicy | None = None,
        payment_policy: PaymentPolicy = HUAWEI_PAYMENTS,
    ) -> None:
        if not callable(unit_of_work):
            raise InvalidArgumentError("unit_of_work", unit_of_work, "expected a factory")
        self._new_unit = unit_of_work
        self.coupon_policy = coupon_policy if coupon_policy is not None else CouponPolicy()
        self.payment_policy = payment_policy

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
        if not isinstance(actor, Actor):
            raise InvalidArgumentError("actor", actor, "expected an Actor")
        if actor.kind is ActorKind.SYSTEM:
            return
        if actor.partner_id != partner_id or OrgRole.ADMIN not in actor.roles:
            raise PermissionDeniedError(
                actor.id,
                "pay the bills of",
                partner_id,
                reason="only the partner's administrators pay its bills",
            )

    # --- queries -------------------------------------------------------------------------

    def funds(self, partner_id: PartnerId) -> FundsAccount:
        """The partner's funds account (raises ``NotFoundError`` before the first top-up)."""
        with self._new_unit() as uow:
            return uow.repository(FUNDS).get(partner_id)

    def bill(self, partner_id: PartnerId, cycle: Period) -> PartnerBill:
        """The stored bill of a cycle."""
        with self._new_unit() as uow:
            return uow.repository(PARTNER_BILLS).get(_key(partner_id, cycle))

    def coupons(self, partner_id: PartnerId) -> tuple[Coupon, ...]:
        """The partner's coupons, by id."""
        with self._new_unit() as uow:
            return uow.repository(COUPONS).list_by_owner(partner_id)

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
    ) -> tuple[Event, ...]:
        """Deduct the partner's coupons from the month's lines and store the estimate.

        The vendor's system closes a month once (R-BILL-27, R-BILL-07); the
        result is an ESTIMATED :class:`PartnerBill` until :meth:`issue`.
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
            monthly: MonthlyBill = close_month(partner_id, cycle, run.lines, policy=rounding)
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
                    coupons=tuple(touched),
                    deductions=run.deductions,
                )
            ]

        arguments = {
            "partner_id": partner_id,
            "cycle": str(cycle),
            "lines": items,
            "rounding": rounding,
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
            current = uow.repository(FUNDS).find(partner_id)
            balance = amount if current is None else current.balance + amount
            stored = _store_balance(uow, partner_id, current, balance)
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
            bills, funds = uow.repository(PARTNER_BILLS), uow.repository(FUNDS)
            mine = bills.list_by_owner(partner_id)
            result = repay(mine, amount, policy=self.payment_policy)
            stored = tuple(
                save(bills, before, after)
                for before, after in zip(mine, result.bills, strict=True)
                if after != before
            )
            account = funds.find(partner_id)
            balance = result.surplus if account is None else account.balance + result.surplus
            kept = _store_balance(uow, partner_id, account, balance)
            return [
                BillRepaid(
                    occurred_at=as_of, actor=actor.id, bills=stored, funds=kept, amount=amount
                )
            ]

        arguments = {"partner_id": partner_id, "amount": amount}
        return run_command(self._new_unit, "repay", arguments, idempotency_key, as_of, body)
