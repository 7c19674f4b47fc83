"""The audit trail: every commit that changes stored values leaves who, why, before and after."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from partnerkit.adapters.memory import InMemoryStore
from partnerkit.adapters.sql import METADATA, SqlStore
from partnerkit.errors import PartnerkitError
from partnerkit.events import Event
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
WHEN = datetime(2024, 6, 7, 9, tzinfo=GMT_PLUS_8)
POSTGRES_URL = os.environ.get("PARTNERKIT_POSTGRES_URL")


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    if request.param == "memory":
        yield InMemoryStore()
    elif request.param == "sqlite":
        made = SqlStore.connect(f"sqlite:///{tmp_path / 'audit.db'}")
        yield made
        made.engine.dispose()
    else:
        if not POSTGRES_URL:
            if os.environ.get("PARTNERKIT_REQUIRE_POSTGRES") == "1":
                pytest.fail("PARTNERKIT_REQUIRE_POSTGRES=1 but PARTNERKIT_POSTGRES_URL is not set")
            pytest.skip("PostgreSQL tests need PARTNERKIT_POSTGRES_URL (CI sets it)")
        made = SqlStore.connect(POSTGRES_URL, create=False)
        METADATA.drop_all(made.engine)
        METADATA.create_all(made.engine)
        yield made
        made.engine.dispose()


def test_every_change_is_audited_with_actor_reason_before_and_after(store: Any) -> None:
    service = IncentiveService(store.unit_of_work)
    policy = IncentivePolicy(
        policy_id="m",
        name="Monthly rebate",
        period_kind=PeriodKind.MONTH,
        schedule=Flat(rate="0.1"),
    )
    line = RevenueLine(
        revenue_id="L",
        partner_id=P1,
        customer_id=CustomerId("c"),
        order_type=OrderType.RENEWAL,
        product_code="ecs",
        generated_on=date(2024, 5, 3),
        amount=Money.of("3000", "USD"),
    )
    steps: list[Callable[[], tuple[Event, ...]]] = [
        lambda: service.compute_period(
            Actor.system(),
            policy,
            [line],
            earning_id="e1",
            partner_id=P1,
            period=Period.parse("2024M5"),
            revenue_final=True,
            as_of=WHEN,
            idempotency_key=IdempotencyKey("k1"),
        ),
        lambda: service.confirm(FINANCE, "e1", as_of=WHEN),
        lambda: service.issue(VENDOR, "e1", as_of=WHEN),
        lambda: service.request_payment(
            FINANCE,
            PayoutOption.TOP_UP,
            request_id="r1",
            standing=PartnerStanding(),
            bills={},
            as_of=WHEN,
            idempotency_key=IdempotencyKey("k2"),
        ),
        lambda: service.decide_payment(
            VENDOR, "r1", approve=False, causes="wrong bank", as_of=WHEN
        ),
    ]
    for number, step in enumerate(steps):
        before = store.snapshot()
        if number == 4:  # not yet invoiced: refused, and nothing is audited
            with pytest.raises(PartnerkitError):
                step()
            assert len(store.audit_log()) == number
            continue
        events = step()
        after = store.snapshot()
        entry = store.audit_log()[-1]
        assert len(store.audit_log()) == number + 1
        assert entry.actor == str(events[0].actor)
        assert entry.occurred_at == events[0].occurred_at
        assert entry.events == tuple(type(e).__name__ for e in events)
        for change in entry.changes:
            assert change.before == before.get(change.collection, {}).get(change.key)
            assert change.after == after[change.collection][change.key]
        changed = {(c.collection, c.key) for c in entry.changes}
        assert changed == {
            (name, key)
            for name, table in after.items()
            for key, value in table.items()
            if before.get(name, {}).get(key) != value
        }
    # a command with a reason keeps it in the trail
    admin = Actor.partner_user(ActorId("p1-admin"), P1, {OrgRole.ADMIN})
    service.submit_goal(
        admin, 2024, Money.of("400000", "USD"), as_of=WHEN, idempotency_key=IdempotencyKey("k3")
    )
    service.withdraw_goal(admin, 2024, reason="the plan changed", as_of=WHEN)
    last = store.audit_log()[-1]
    assert (last.actor, last.reason) == ("p1-admin", "the plan changed")
    (change,) = last.changes
    assert (change.before.status.value, change.after.status.value) == ("approving", "withdrawn")
