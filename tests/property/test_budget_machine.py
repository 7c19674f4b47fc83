"""The budget engine against a small reference model written here, never against itself.

Customers: ``cp`` of CSP p1, ``cd`` of distributor d1, ``cr1`` and ``cr2`` of
reseller r1 (under d1).  Rules set budgets, record usage and refunds, move the
clock across hours and month ends, run the hourly re-check, freeze, unfreeze,
switch r1's delegation and change its quotas.  The model decides, from the spec
alone, what must happen; after every step the store must agree with it.

R-CUST-43, R-CUST-44, R-CUST-47, R-CUST-49, R-CUST-50, R-CUST-62, R-CUST-63,
R-CUST-65, R-CUST-70, R-CUST-73.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from tests.support.world import World, admin, customer

from partnerkit.budget import (
    BudgetThresholdReached,
    BudgetType,
    CustomerFrozen,
    CustomerUnfrozen,
    FreezeCause,
    FreezeMode,
    FreezeScope,
)
from partnerkit.customers import InvitationMethod
from partnerkit.errors import PartnerkitError
from partnerkit.events import Event
from partnerkit.ids import CustomerId, IdempotencyKey, InvitationId, PartnerId
from partnerkit.money import Money
from partnerkit.periods import GMT_PLUS_8
from partnerkit.permissions import Actor
from partnerkit.services.budgets import BUDGET_ACCOUNTS, BudgetService

OWNER = {"cp": "p1", "cd": "d1", "cr1": "r1", "cr2": "r1"}
THRESHOLDS = (Decimal(75), Decimal(90), Decimal(100))
T0 = datetime(2024, 6, 3, 9, tzinfo=GMT_PLUS_8)
ASSOCIATE_AT = T0 - timedelta(hours=4)


@dataclass
class ModelBudget:
    kind: BudgetType
    amount: Decimal
    mode: FreezeMode
    month: tuple[int, int] | None  # the window's month for monthly budgets
    start: datetime
    consumed: Decimal = Decimal(0)
    fired: set[Decimal] = field(default_factory=set)


@dataclass
class ModelCustomer:
    budget: ModelBudget | None = None
    holds: set[FreezeCause] = field(default_factory=lambda: {FreezeCause.ASSOCIATION_DEFAULT})
    resources: bool = False


def month_of(when: datetime) -> tuple[int, int]:
    local = when.astimezone(GMT_PLUS_8)
    return local.year, local.month


class BudgetMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.world = World()
        self.budgets = BudgetService(self.world.store.unit_of_work)
        self.now = T0
        self.keys = 0
        self.model = {c: ModelCustomer() for c in OWNER}
        self.delegated = False
        self.quotas = {
            BudgetType.MONTHLY: Decimal("300.00"),
            BudgetType.ONE_TIME: Decimal("200.00"),
        }

    @initialize()
    def associate_everyone(self) -> None:
        for cid, partner in OWNER.items():
            self.world.service.generate_link(
                admin(partner), invitation_id=InvitationId(f"l-{cid}"), method=InvitationMethod.GENERAL_LINK,
                as_of=ASSOCIATE_AT, idempotency_key=self._key(),
            )  # fmt: skip
            self.world.record(customer(cid, f"{cid}@x.com", "2024-06-03 04:00"))
            self.world.service.accept_invitation(
                Actor.customer(CustomerId(cid)), InvitationId(f"l-{cid}"), new_account=True,
                signed_instructions="V1001", as_of=ASSOCIATE_AT, idempotency_key=self._key(),
            )  # fmt: skip
        self.budgets.sync(self.world.store.events(), as_of=ASSOCIATE_AT)
        self.budgets.set_quota(
            admin("d1"),
            PartnerId("r1"),
            monthly=Money.of(self.quotas[BudgetType.MONTHLY], "USD"),
            one_time=Money.of(self.quotas[BudgetType.ONE_TIME], "USD"),
            as_of=ASSOCIATE_AT,
        )
        self.world.service.change_delegation(
            admin("d1"), PartnerId("r1"), as_of=ASSOCIATE_AT, budget_freeze_authorized=False
        )

    # --- helpers ---------------------------------------------------------------------------

    def _key(self) -> IdempotencyKey:
        self.keys += 1
        return IdempotencyKey(f"m{self.keys}")

    def _attempt(self, command: Callable[[], tuple[Event, ...]]) -> tuple[Event, ...] | None:
        before = (self.world.store.snapshot(), len(self.world.store.events()))
        try:
            return command()
        except PartnerkitError:
            assert (self.world.store.snapshot(), len(self.world.store.events())) == before, (
                "refused but changed"
            )
            return None

    def _may_manage(self, partner: str, cid: str) -> bool:
        owner = OWNER[cid]
        if owner == "r1":
            return partner == ("r1" if self.delegated else "d1")
        return partner == owner

    def _roll(self, cid: str) -> None:
        """The month restores lazily, on the next operation that reads the budget."""
        model = self.model[cid]
        budget = model.budget
        if budget is None or budget.month is None or month_of(self.now) == budget.month:
            return
        budget.month, budget.consumed, budget.fired = month_of(self.now), Decimal(0), set()
        if model.holds == {FreezeCause.BUDGET_AUTO}:
            model.holds = set()

    def _fire(self, cid: str) -> list[Decimal]:
        budget = self.model[cid].budget
        if budget is None or budget.amount == 0:
            return []
        met = [
            t
            for t in THRESHOLDS
            if budget.consumed * 100 >= t * budget.amount and t not in budget.fired
        ]
        budget.fired |= set(met)
        return met

    def _auto_freeze(self, cid: str) -> None:
        model = self.model[cid]
        budget = model.budget
        if budget and budget.mode is FreezeMode.AUTOMATIC and budget.consumed >= budget.amount:
            model.holds.add(FreezeCause.BUDGET_AUTO)

    @staticmethod
    def _thresholds(events: tuple[Event, ...]) -> list[Decimal]:
        return [e.threshold for e in events if isinstance(e, BudgetThresholdReached)]

    # --- rules -----------------------------------------------------------------------------

    @rule(
        hours=st.integers(min_value=1, max_value=30)
        | st.integers(min_value=24 * 20, max_value=24 * 35)
    )
    def advance(self, hours: int) -> None:
        self.now += timedelta(hours=hours)

    @rule(
        cid=st.sampled_from(sorted(OWNER)),
        partner=st.sampled_from(["p1", "d1", "r1"]),
        kind=st.sampled_from(BudgetType),
        cents=st.integers(min_value=0, max_value=20_000),
        mode=st.sampled_from([FreezeMode.AUTOMATIC, FreezeMode.MANUAL]),
        unfreeze_now=st.booleans(),
    )
    def set_budget(
        self,
        cid: str,
        partner: str,
        kind: BudgetType,
        cents: int,
        mode: FreezeMode,
        unfreeze_now: bool,
    ) -> None:
        amount = Decimal(cents).scaleb(-2)
        allowed = self._may_manage(partner, cid)
        if allowed and partner == "r1":
            others = sum(
                (m.budget.amount for c, m in self.model.items() if OWNER[c] == "r1" and c != cid and m.budget and m.budget.kind is kind),
                Decimal(0),
            )  # fmt: skip
            current = self.model[cid].budget
            lowering = current is not None and current.kind is kind and amount <= current.amount
            allowed = lowering or others + amount <= self.quotas[kind]
        events = self._attempt(lambda: self.budgets.set_budget(
            admin(partner), CustomerId(cid), budget_type=kind, amount=Money.of(amount, "USD"), freeze_mode=mode,
            as_of=self.now, unfreeze_now=unfreeze_now,
        ))  # fmt: skip
        assert (events is not None) == allowed, (partner, cid, allowed)
        if events is None:
            return
        self._roll(cid)
        model = self.model[cid]
        old = model.budget
        if old is not None and old.kind is kind:
            unchanged = (old.amount, old.mode) == (amount, mode)
            old.amount, old.mode = amount, mode
            if not unchanged:
                old.fired = {t for t in old.fired if old.consumed * 100 >= t * amount}
        else:
            month = month_of(self.now) if kind is BudgetType.MONTHLY else None
            model.budget = ModelBudget(kind, amount, mode, month, self.now)
        expected = self._fire(cid)
        self._auto_freeze(cid)
        if unfreeze_now:  # Unfreeze Now clears every hold, resources included
            model.holds, model.resources = set(), False
        assert self._thresholds(events) == expected

    @rule(cid=st.sampled_from(sorted(OWNER)), cents=st.integers(min_value=-5_000, max_value=15_000))
    def usage(self, cid: str, cents: int) -> None:
        amount = Decimal(cents).scaleb(-2)
        events = self.budgets.record_usage(CustomerId(cid), Money.of(amount, "USD"), at=self.now, actor=Actor.system(),
                                           idempotency_key=self._key())  # fmt: skip
        model = self.model[cid]
        budget = model.budget
        expected: list[Decimal] = []
        if budget is not None:
            self._roll(cid)
            if self.now >= budget.start:
                budget.consumed = max(budget.consumed + amount, Decimal(0))
                expected = self._fire(cid)
                self._auto_freeze(cid)
        assert self._thresholds(events) == expected
        for event in events:
            if isinstance(event, CustomerFrozen):
                assert event.hold.cause is FreezeCause.BUDGET_AUTO
                assert budget is not None
                assert budget.mode is FreezeMode.AUTOMATIC, "MANUAL mode never auto-freezes"

    @rule()
    def hourly_recheck(self) -> None:
        events = self.budgets.recheck([CustomerId(c) for c in OWNER], as_of=self.now)
        for cid in OWNER:
            self._roll(cid)
            self._auto_freeze(cid)
        for event in events:
            if isinstance(event, CustomerUnfrozen):
                assert {h.cause for h in event.cleared} == {FreezeCause.BUDGET_AUTO}, (
                    "the system never clears manual or association holds"
                )
        for cid, model in self.model.items():
            budget = model.budget
            if budget and budget.mode is FreezeMode.AUTOMATIC and budget.consumed >= budget.amount:
                assert FreezeCause.BUDGET_AUTO in self._stored(cid).causes, (
                    "exhausted and not frozen after the re-check"
                )

    @rule(
        cid=st.sampled_from(sorted(OWNER)),
        partner=st.sampled_from(["p1", "d1", "r1"]),
        resources=st.booleans(),
    )
    def freeze(self, cid: str, partner: str, resources: bool) -> None:
        scope = FreezeScope.ACCOUNT_AND_RESOURCES if resources else FreezeScope.ACCOUNT
        events = self._attempt(lambda: self.budgets.freeze(
            admin(partner), CustomerId(cid), scope=scope, reason="model", as_of=self.now, idempotency_key=self._key()))  # fmt: skip
        assert (events is not None) == self._may_manage(partner, cid)
        if events is not None:
            self.model[cid].holds.add(FreezeCause.PARTNER_MANUAL)
            self.model[cid].resources |= resources

    @rule(
        cid=st.sampled_from(sorted(OWNER)),
        partner=st.sampled_from(["p1", "d1", "r1"]),
        resources=st.booleans(),
    )
    def unfreeze(self, cid: str, partner: str, resources: bool) -> None:
        scope = FreezeScope.ACCOUNT_AND_RESOURCES if resources else FreezeScope.ACCOUNT
        events = self._attempt(lambda: self.budgets.unfreeze(
            admin(partner), CustomerId(cid), scope=scope, reason="model", as_of=self.now, idempotency_key=self._key()))  # fmt: skip
        model = self.model[cid]
        allowed = self._may_manage(partner, cid) and (resources or not model.resources)
        assert (events is not None) == allowed
        if events is not None:
            model.holds, model.resources = set(), False

    @rule(on=st.booleans())
    def delegation(self, on: bool) -> None:
        self.world.service.change_delegation(
            admin("d1"),
            PartnerId("r1"),
            as_of=self.now,
            budget_freeze_authorized=on,
            monthly_budget_quota=Money.of(self.quotas[BudgetType.MONTHLY], "USD"),
            one_time_budget_quota=Money.of(self.quotas[BudgetType.ONE_TIME], "USD"),
        )
        self.delegated = on

    @rule(
        monthly=st.integers(min_value=0, max_value=40_000),
        one_time=st.integers(min_value=0, max_value=40_000),
    )
    def quota(self, monthly: int, one_time: int) -> None:
        self.quotas = {
            BudgetType.MONTHLY: Decimal(monthly).scaleb(-2),
            BudgetType.ONE_TIME: Decimal(one_time).scaleb(-2),
        }
        self.budgets.set_quota(
            admin("d1"),
            PartnerId("r1"),
            monthly=Money.of(self.quotas[BudgetType.MONTHLY], "USD"),
            one_time=Money.of(self.quotas[BudgetType.ONE_TIME], "USD"),
            as_of=self.now,
        )
        self.delegated = True  # setting quotas grants the budget and freeze powers

    # --- invariants ------------------------------------------------------------------------

    def _stored(self, cid: str) -> Any:
        return self.world.store.snapshot()[BUDGET_ACCOUNTS.name][cid]

    @invariant()
    def store_agrees_with_the_model(self) -> None:
        for cid, model in self.model.items():
            account = self._stored(cid)
            assert account.causes == model.holds, (cid, account.causes, model.holds)
            if model.budget is None:
                assert account.budget is None
                continue
            budget = account.budget
            assert (budget.type, budget.amount.amount, budget.freeze_mode) == (
                model.budget.kind,
                model.budget.amount,
                model.budget.mode,
            )
            if model.budget.month is None or month_of(budget.window_start) == model.budget.month:
                assert budget.consumed.amount == model.budget.consumed, cid
                assert set(budget.fired) == model.budget.fired, cid

    @invariant()
    def thresholds_fire_once_per_window_and_revision(self) -> None:
        seen: set[tuple[str, datetime, int, Decimal]] = set()
        for event in self.world.store.events():
            if isinstance(event, BudgetThresholdReached):
                budget = event.account.budget
                assert budget is not None
                key = (
                    event.account.customer_id,
                    budget.window_start,
                    budget.revision,
                    event.threshold,
                )
                assert key not in seen, key
                seen.add(key)


def _settings(examples: int | None = None) -> settings:
    base = settings(BudgetMachine.TestCase.settings, stateful_step_count=70)
    return settings(base, max_examples=examples) if examples else base


BudgetMachine.TestCase.settings = _settings()
TestBudgetMachine = BudgetMachine.TestCase


def test_the_budget_machine_runs_long_enough() -> None:
    """The acceptance bar, measured: at least 200 examples, most of them 50 steps or more."""
    lengths: list[int] = []

    class Counted(BudgetMachine):
        @invariant()
        def count_steps(self) -> None:
            self.steps = getattr(self, "steps", -1) + 1

        def teardown(self) -> None:
            lengths.append(getattr(self, "steps", 0))

    run_state_machine_as_test(
        Counted, settings=settings(_settings(), max_examples=200, derandomize=True, deadline=None)
    )
    assert len(lengths) >= 200
    assert sum(n >= 50 for n in lengths) >= 100
