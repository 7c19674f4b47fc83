"""The same random command sequences through a memory-backed and a SQL-backed service stack.

Customers are associated, budgets set, usage recorded, customers frozen and
unfrozen, coupons granted, months closed and bills issued, earnings computed,
confirmed, issued and paid out - the same command, with the same arguments
and time, on both stacks.  After every step both stacks must agree: the same
events or the same refusal (type and rule), the same stored state and the
same event log.  SQLite always; PostgreSQL when ``PARTNERKIT_POSTGRES_URL``
is set (CI).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from tests.support.billing import coupon as make_coupon
from tests.support.billing import line as bill_line
from tests.support.world import VENDOR, World, admin, customer

from partnerkit.adapters.sql import METADATA, SqlStore
from partnerkit.budget import BudgetType, FreezeMode, FreezeScope
from partnerkit.customers import InvitationMethod
from partnerkit.errors import PartnerkitError
from partnerkit.events import Event
from partnerkit.ids import ActorId, CustomerId, IdempotencyKey, InvitationId, PartnerId
from partnerkit.incentives import Flat, IncentivePolicy, OrderType, PartnerStanding, RevenueLine
from partnerkit.incentives.earnings import PayoutOption
from partnerkit.money import Money
from partnerkit.periods import GMT_PLUS_8, Period, PeriodKind
from partnerkit.permissions import Actor, OrgRole
from partnerkit.services.billing import BillingService
from partnerkit.services.budgets import BudgetService
from partnerkit.services.incentives import IncentiveService

OWNER = {"cp": "p1", "cd": "d1", "cr": "r1"}
T0 = datetime(2024, 6, 3, 9, tzinfo=GMT_PLUS_8)
POLICY = IncentivePolicy(
    policy_id="m", name="Monthly rebate", period_kind=PeriodKind.MONTH, schedule=Flat(rate="0.10")
)
FINANCE = Actor.partner_user(ActorId("p1-fin"), PartnerId("p1"), {OrgRole.FINANCE_SPECIALIST})
POSTGRES_URL = os.environ.get("PARTNERKIT_POSTGRES_URL")


class Stack:
    """One storage with the four services on it."""

    def __init__(self, store: Any) -> None:
        self.world = World(store)
        self.store = self.world.store
        self.budgets = BudgetService(self.store.unit_of_work)
        self.billing = BillingService(self.store.unit_of_work)
        self.incentives = IncentiveService(self.store.unit_of_work)


Outcome = tuple[str, Any]


def outcome(command: Callable[[], tuple[Event, ...]]) -> Outcome:
    try:
        return ("events", command())
    except PartnerkitError as error:
        return ("refused", (type(error).__name__, getattr(error, "rule_id", None)))


class Differential(RuleBasedStateMachine):
    """Subclasses say which SQL store to compare with the memory one."""

    def sql_store(self) -> SqlStore:  # pragma: no cover - overridden
        raise NotImplementedError

    def __init__(self) -> None:
        super().__init__()
        self.sql = self.sql_store()
        self.stacks = (Stack(None), Stack(self.sql))
        self.now = T0
        self.keys = 0
        self.earnings: list[str] = []
        self.requests = 0

    def key(self) -> IdempotencyKey:
        self.keys += 1
        return IdempotencyKey(f"d{self.keys}")

    def both(self, command: Callable[[Stack], tuple[Event, ...]]) -> Outcome:
        first, second = (outcome(lambda s=s: command(s)) for s in self.stacks)  # type: ignore[misc]
        assert first == second, (first, second)
        return first

    @initialize()
    def associate(self) -> None:
        for cid, partner in OWNER.items():
            link = InvitationId(f"l-{cid}")
            key1, key2 = self.key(), self.key()
            for stack in self.stacks:
                stack.world.service.generate_link(
                    admin(partner),
                    invitation_id=link,
                    method=InvitationMethod.GENERAL_LINK,
                    as_of=T0 - timedelta(hours=4),
                    idempotency_key=key1,
                )
                stack.world.record(customer(cid, f"{cid}@x.com", "2024-06-03 04:00"))
                stack.world.service.accept_invitation(
                    Actor.customer(CustomerId(cid)),
                    link,
                    new_account=True,
                    signed_instructions="V1001",
                    as_of=T0 - timedelta(hours=4),
                    idempotency_key=key2,
                )
        self.both(lambda s: s.budgets.sync(s.store.events(), as_of=T0 - timedelta(hours=4)))

    @rule(hours=st.sampled_from([1, 5, 26, 24 * 12, 24 * 33]))
    def advance(self, hours: int) -> None:
        self.now += timedelta(hours=hours)

    @rule(
        cid=st.sampled_from(sorted(OWNER)),
        partner=st.sampled_from(["p1", "d1", "r1"]),
        kind=st.sampled_from(BudgetType),
        cents=st.integers(0, 50_000),
        mode=st.sampled_from(FreezeMode),
    )
    def set_budget(
        self, cid: str, partner: str, kind: BudgetType, cents: int, mode: FreezeMode
    ) -> None:
        amount = Money.of(Decimal(cents).scaleb(-2), "USD")
        self.both(
            lambda s: s.budgets.set_budget(
                admin(partner),
                CustomerId(cid),
                budget_type=kind,
                amount=amount,
                freeze_mode=mode,
                as_of=self.now,
            )
        )

    @rule(cid=st.sampled_from(sorted(OWNER)), cents=st.integers(1, 30_000))
    def usage(self, cid: str, cents: int) -> None:
        amount = Money.of(Decimal(cents).scaleb(-2), "USD")
        key = self.key()
        self.both(
            lambda s: s.budgets.record_usage(
                CustomerId(cid), amount, at=self.now, actor=Actor.system(), idempotency_key=key
            )
        )

    @rule(
        cid=st.sampled_from(sorted(OWNER)),
        partner=st.sampled_from(["p1", "d1", "r1"]),
        freeze=st.booleans(),
    )
    def freeze_or_unfreeze(self, cid: str, partner: str, freeze: bool) -> None:
        key = self.key()
        if freeze:
            self.both(
                lambda s: s.budgets.freeze(
                    admin(partner),
                    CustomerId(cid),
                    scope=FreezeScope.ACCOUNT,
                    reason="diff",
                    as_of=self.now,
                    idempotency_key=key,
                )
            )
        else:
            self.both(
                lambda s: s.budgets.unfreeze(
                    admin(partner),
                    CustomerId(cid),
                    scope=FreezeScope.ACCOUNT,
                    reason="diff",
                    as_of=self.now,
                    idempotency_key=key,
                )
            )

    @rule(balance=st.integers(1, 500), customer_only=st.booleans())
    def grant_coupon(self, balance: int, customer_only: bool) -> None:
        made = make_coupon(
            f"CP-{self.keys}",
            str(balance),
            valid_to="2099-12-31 23:59",
            customer="cp" if customer_only else None,
        )
        held = attrs.evolve(made, holder=PartnerId("p1"))
        key = self.key()
        self.both(
            lambda s: s.billing.grant_coupon(VENDOR, held, as_of=self.now, idempotency_key=key)
        )

    @rule(month=st.sampled_from(["2024M5", "2024M6"]), cents=st.integers(1, 90_000))
    def close_and_issue(self, month: str, cents: int) -> None:
        cycle = Period.parse(month)
        day = f"{cycle.year}-{cycle.index:02d}-10 10:00"
        lines = [
            bill_line(
                f"{month}-L1", str(Decimal(cents).scaleb(-2)), customer="cp", when=day, cycle=month
            )
        ]
        key = self.key()
        self.both(
            lambda s: s.billing.close_month(
                VENDOR, PartnerId("p1"), cycle, lines, as_of=self.now, idempotency_key=key
            )
        )
        issue_key = self.key()
        self.both(
            lambda s: s.billing.issue(VENDOR, PartnerId("p1"), cycle, idempotency_key=issue_key)
        )

    @rule(
        month=st.sampled_from(["2024M5", "2024M6"]),
        final=st.booleans(),
        cents=st.integers(0, 500_000),
    )
    def compute_earning(self, month: str, final: bool, cents: int) -> None:
        cycle = Period.parse(month)
        lines = [
            RevenueLine(
                revenue_id=f"{month}-R",
                partner_id=PartnerId("p1"),
                customer_id=CustomerId("cp"),
                order_type=OrderType.RENEWAL,
                product_code="ecs",
                generated_on=date(cycle.year, cycle.index, 2),
                amount=Money.of(Decimal(cents).scaleb(-2), "USD"),
            )
        ]
        key = self.key()
        result = self.both(
            lambda s: s.incentives.compute_period(
                Actor.system(),
                POLICY,
                lines,
                earning_id=f"e-{month}",
                partner_id=PartnerId("p1"),
                period=cycle,
                revenue_final=final,
                as_of=self.now,
                idempotency_key=key,
            )
        )
        if result[0] == "events" and f"e-{month}" not in self.earnings:
            self.earnings.append(f"e-{month}")

    @rule(data=st.data(), confirm=st.booleans())
    def confirm_or_issue(self, data: st.DataObject, confirm: bool) -> None:
        if not self.earnings:
            return
        earning = data.draw(st.sampled_from(self.earnings))
        if confirm:
            self.both(lambda s: s.incentives.confirm(FINANCE, earning, as_of=self.now))
        else:
            self.both(lambda s: s.incentives.issue(VENDOR, earning, as_of=self.now))

    @rule(option=st.sampled_from(list(PayoutOption)))
    def request_payment(self, option: PayoutOption) -> None:
        self.requests += 1
        key = self.key()
        bills = {Period.parse("2024M5"): date(2024, 6, 8), Period.parse("2024M6"): None}
        self.both(
            lambda s: s.incentives.request_payment(
                FINANCE,
                option,
                request_id=f"r{self.requests}",
                standing=PartnerStanding(),
                bills=bills,
                as_of=self.now,
                idempotency_key=key,
            )
        )

    @invariant()
    def both_stores_agree(self) -> None:
        memory, sql = (stack.store for stack in self.stacks)
        assert memory.snapshot() == sql.snapshot()
        assert memory.events() == sql.events()
        assert memory.audit_log() == sql.audit_log()

    def teardown(self) -> None:
        self.sql.engine.dispose()


class SqliteDifferential(Differential):
    def sql_store(self) -> SqlStore:
        return SqlStore.connect("sqlite://")


class PostgresDifferential(Differential):
    def sql_store(self) -> SqlStore:
        assert POSTGRES_URL is not None
        store = SqlStore.connect(POSTGRES_URL, create=False)
        METADATA.drop_all(store.engine)
        METADATA.create_all(store.engine)
        return store


def _run(machine: type[Differential], examples: int) -> list[int]:
    lengths: list[int] = []

    class Counted(machine):  # type: ignore[misc, valid-type]
        @invariant()
        def count_steps(self) -> None:
            self.steps = getattr(self, "steps", -1) + 1

        def teardown(self) -> None:
            lengths.append(getattr(self, "steps", 0))
            super().teardown()

    run_state_machine_as_test(
        Counted,
        settings=settings(
            max_examples=examples, stateful_step_count=40, deadline=None, derandomize=True
        ),
    )
    return lengths


def test_memory_and_sqlite_agree_on_long_random_runs() -> None:
    """The acceptance bar, measured: at least 50 SQLite runs of 30 or more steps."""
    lengths = _run(SqliteDifferential, 70 if os.environ.get("CI") else 25)
    long_runs = sum(n >= 30 for n in lengths)
    print(f"sqlite differential: {len(lengths)} runs, {long_runs} of >= 30 steps")
    assert long_runs >= (50 if os.environ.get("CI") else 10)


def test_memory_and_postgres_agree_on_long_random_runs() -> None:
    """The acceptance bar, measured: at least 20 PostgreSQL runs of 30 or more steps."""
    if not POSTGRES_URL:
        if os.environ.get("PARTNERKIT_REQUIRE_POSTGRES") == "1":
            pytest.fail("PARTNERKIT_REQUIRE_POSTGRES=1 but PARTNERKIT_POSTGRES_URL is not set")
        pytest.skip("PostgreSQL tests need PARTNERKIT_POSTGRES_URL (CI sets it)")
    lengths = _run(PostgresDifferential, 30 if os.environ.get("CI") else 8)
    long_runs = sum(n >= 30 for n in lengths)
    print(f"postgres differential: {len(lengths)} runs, {long_runs} of >= 30 steps")
    assert long_runs >= (20 if os.environ.get("CI") else 4)
