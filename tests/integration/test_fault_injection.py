"""Fault injection: a crash anywhere inside a command's commit leaves no partial write.

A command that writes several rows (a payment request: the earnings it
holds, the request, the requisition step, the idempotency record and the
events) is interrupted at a random write, or just before the transaction
commits.  Afterwards the store must equal the store before the command:
the same entities, the same event log, the same idempotency keys.
"""

from __future__ import annotations

import os
import random
from datetime import date, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from partnerkit.adapters.memory import InMemoryStore
from partnerkit.adapters.sql import METADATA, SqlStore
from partnerkit.ids import ActorId, CustomerId, IdempotencyKey, PartnerId
from partnerkit.incentives import Flat, IncentivePolicy, OrderType, PartnerStanding, RevenueLine
from partnerkit.incentives.earnings import PayoutOption
from partnerkit.money import Money
from partnerkit.periods import GMT_PLUS_8, Period, PeriodKind
from partnerkit.permissions import Actor, OrgRole
from partnerkit.services.incentives import IncentiveService

P1 = PartnerId("p1")
FINANCE = Actor.partner_user(ActorId("fin"), P1, {OrgRole.FINANCE_SPECIALIST})
VENDOR = Actor.vendor(ActorId("ops"))
POLICY = IncentivePolicy(
    policy_id="m", name="Monthly rebate", period_kind=PeriodKind.MONTH, schedule=Flat(rate="0.10")
)
POSTGRES_URL = os.environ.get("PARTNERKIT_POSTGRES_URL")


class Fault(Exception):
    """The injected crash."""


def seed(service: IncentiveService) -> None:
    """Three issued monthly earnings for p1, one of them negative."""
    for month, amount, order in (
        ("2024M3", "3000", OrderType.RENEWAL),
        ("2024M4", "500", OrderType.UNSUBSCRIPTION),
        ("2024M5", "4000", OrderType.RENEWAL),
    ):
        cycle = Period.parse(month)
        line = RevenueLine(
            revenue_id=month,
            partner_id=P1,
            customer_id=CustomerId("c"),
            order_type=order,
            product_code="ecs",
            generated_on=date(cycle.year, cycle.index, 3),
            amount=Money.of(amount, "USD"),
        )
        earning = f"e-{month}"
        service.compute_period(
            Actor.system(),
            POLICY,
            [line],
            earning_id=earning,
            partner_id=P1,
            period=cycle,
            revenue_final=True,
            as_of=datetime(2024, 6, 7, tzinfo=GMT_PLUS_8),
            idempotency_key=IdempotencyKey(f"seed-{month}"),
        )
        service.confirm(FINANCE, earning, as_of=datetime(2024, 6, 8, tzinfo=GMT_PLUS_8))
        service.issue(VENDOR, earning, as_of=datetime(2024, 6, 9, tzinfo=GMT_PLUS_8))


def state(store: Any) -> tuple[Any, ...]:
    return (store.snapshot(), store.events(), store.idempotency_keys())


def arm(engine: sa.engine.Engine, at_write: int) -> None:
    """Raise on the ``at_write``-th write statement, or at COMMIT when there are fewer."""
    seen = {"writes": 0}

    @sa.event.listens_for(engine, "before_cursor_execute")
    def crash(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        verb = statement.lstrip().split(" ", 1)[0].upper()
        if verb in ("INSERT", "UPDATE", "DELETE"):
            seen["writes"] += 1
            if seen["writes"] == at_write:
                raise Fault(f"crash before write {at_write}: {statement[:40]}")

    @sa.event.listens_for(engine, "commit")
    def crash_at_commit(conn: Any) -> None:
        if seen["writes"] < at_write:
            raise Fault("crash just before COMMIT")


def sql_store(kind: str, tmp: str) -> SqlStore:
    if kind == "sqlite":
        return SqlStore.connect(f"sqlite:///{tmp}")
    assert POSTGRES_URL is not None
    store = SqlStore.connect(POSTGRES_URL, create=False)
    METADATA.drop_all(store.engine)
    METADATA.create_all(store.engine)
    return store


@pytest.fixture(params=["sqlite", "postgres"])
def kind(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres" and not POSTGRES_URL:
        if os.environ.get("PARTNERKIT_REQUIRE_POSTGRES") == "1":
            pytest.fail("PARTNERKIT_REQUIRE_POSTGRES=1 but PARTNERKIT_POSTGRES_URL is not set")
        pytest.skip("PostgreSQL tests need PARTNERKIT_POSTGRES_URL (CI sets it)")
    return str(request.param)


def one_crash(store: SqlStore, rnd: random.Random) -> None:
    """Seed the store, arm a crash at a random write, run one command, check nothing changed."""
    service = IncentiveService(store.unit_of_work)
    seed(service)
    before = state(store)
    arm(store.engine, rnd.randint(1, 8))
    if rnd.random() < 0.7:
        option = rnd.choice([PayoutOption.TOP_UP, PayoutOption.COUPON])
        with pytest.raises(Fault):
            service.request_payment(
                FINANCE,
                option,
                request_id="r1",
                standing=PartnerStanding(),
                bills={},
                as_of=datetime(2024, 6, 10, tzinfo=GMT_PLUS_8),
                idempotency_key=IdempotencyKey("pay-1"),
            )
    else:
        line = RevenueLine(
            revenue_id="L6",
            partner_id=P1,
            customer_id=CustomerId("c"),
            order_type=OrderType.RENEWAL,
            product_code="ecs",
            generated_on=date(2024, 6, 3),
            amount=Money.of("100", "USD"),
        )
        final = bool(rnd.getrandbits(1))
        with pytest.raises(Fault):
            service.compute_period(
                Actor.system(),
                POLICY,
                [line],
                earning_id="e-2024M6",
                partner_id=P1,
                period=Period.parse("2024M6"),
                revenue_final=final,
                as_of=datetime(2024, 7, 7, tzinfo=GMT_PLUS_8),
                idempotency_key=IdempotencyKey("compute-1"),
            )
    assert state(store) == before


def test_a_crash_inside_commit_leaves_no_partial_write(kind: str, tmp_path: Any) -> None:
    """110 injected crashes, each at a random write or just before COMMIT, in a payment request
    or a period computation: every one leaves the store exactly as it was before the command."""
    rnd = random.Random(20261122)
    for run in range(110):
        store = sql_store(kind, str(tmp_path / f"f{run}.db"))
        one_crash(store, rnd)
        store.engine.dispose()


def test_a_crash_before_commit_in_memory_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The memory store: a command that fails after staging its writes applies none of them."""
    store = InMemoryStore()
    service = IncentiveService(store.unit_of_work)
    seed(service)
    before = state(store)

    def crash(*args: Any) -> None:
        raise Fault("crash inside the adapter before it applies anything")

    monkeypatch.setattr(store, "_apply", crash)
    with pytest.raises(Fault):
        service.request_payment(
            FINANCE,
            PayoutOption.TOP_UP,
            request_id="r1",
            standing=PartnerStanding(),
            bills={},
            as_of=datetime(2024, 6, 10, tzinfo=GMT_PLUS_8),
            idempotency_key=IdempotencyKey("pay-1"),
        )
    monkeypatch.undo()
    assert state(store) == before
