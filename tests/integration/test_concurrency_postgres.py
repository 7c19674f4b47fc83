"""Concurrent workers on PostgreSQL lose no update and apply nothing twice.

8 worker processes perform 1,040 operations in total on one database:
budget consumption (``BudgetService.record_usage``) for three customers,
redemptions from three shared coupons (load, deduct, save at the read
version), and freezes and unfreezes of the same budget accounts - every
operation wrapped in :func:`~partnerkit.services.retry.retry_on_conflict`.
At the end every budget's consumption equals the sum of the successful usage
records, no coupon balance is negative, each coupon's redemptions sum to
exactly its face value minus its balance, and replaying an operation's
idempotency key changes nothing.
"""

from __future__ import annotations

import multiprocessing
import os
import random
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

import attrs
import pytest
from tests.support.billing import coupon as make_coupon
from tests.support.world import VENDOR, World, admin, customer

from partnerkit.adapters.sql import METADATA, SqlStore
from partnerkit.budget import BudgetType, FreezeMode, FreezeScope
from partnerkit.customers import InvitationMethod
from partnerkit.errors import ConcurrencyConflictError, PartnerkitError
from partnerkit.ids import CustomerId, IdempotencyKey, InvitationId, PartnerId
from partnerkit.money import Money
from partnerkit.periods import GMT_PLUS_8
from partnerkit.permissions import Actor
from partnerkit.services.billing import COUPONS, BillingService
from partnerkit.services.budgets import BUDGET_ACCOUNTS, BudgetService
from partnerkit.services.retry import retry_on_conflict

POSTGRES_URL = os.environ.get("PARTNERKIT_POSTGRES_URL")
OWNER = {"cp": "p1", "cd": "d1", "cr": "r1"}
COUPON_IDS = ("CP-A", "CP-B", "CP-C")
FACE = Decimal("100.00")
T0 = datetime(2024, 6, 3, 9, tzinfo=GMT_PLUS_8)
WORKERS = 8
OPS_PER_WORKER = 130


def prepare(url: str) -> None:
    store = SqlStore.connect(url, create=False)
    METADATA.drop_all(store.engine)
    METADATA.create_all(store.engine)
    world = World(store)
    for n, (cid, partner) in enumerate(OWNER.items()):
        link = InvitationId(f"l-{cid}")
        world.service.generate_link(
            admin(partner),
            invitation_id=link,
            method=InvitationMethod.GENERAL_LINK,
            as_of=T0 - timedelta(hours=4),
            idempotency_key=IdempotencyKey(f"link-{n}"),
        )
        world.record(customer(cid, f"{cid}@x.com", "2024-06-03 04:00"))
        world.service.accept_invitation(
            Actor.customer(CustomerId(cid)),
            link,
            new_account=True,
            signed_instructions="V1001",
            as_of=T0 - timedelta(hours=4),
            idempotency_key=IdempotencyKey(f"accept-{n}"),
        )
    budgets = BudgetService(store.unit_of_work)
    budgets.sync(store.events(), as_of=T0 - timedelta(hours=4))
    for cid, partner in OWNER.items():
        owner = "d1" if partner == "r1" else partner
        budgets.set_budget(
            admin(owner),
            CustomerId(cid),
            budget_type=BudgetType.MONTHLY,
            amount=Money.of("1000000", "USD"),
            freeze_mode=FreezeMode.MANUAL,
            as_of=T0,
        )
    billing = BillingService(store.unit_of_work)
    for n, coupon_id in enumerate(COUPON_IDS):
        made = make_coupon(coupon_id, str(FACE), valid_to="2099-12-31 23:59")
        billing.grant_coupon(
            VENDOR,
            attrs.evolve(made, holder=PartnerId("p1")),
            as_of=T0,
            idempotency_key=IdempotencyKey(f"grant-{n}"),
        )
    store.engine.dispose()


def redeem(store: SqlStore, coupon_id: str, want: Decimal) -> Decimal:
    """Take up to ``want`` from a shared coupon at the version read; the amount taken."""
    with store.unit_of_work() as uow:
        repo = uow.repository(COUPONS)
        current = repo.get(coupon_id)
        take = min(current.balance.amount, want)
        if take <= 0:
            return Decimal(0)
        repo.save(
            attrs.evolve(current, balance=current.balance - Money.of(take, "USD")),
            expected_version=current.version,
        )
        uow.commit()
    return take


def worker(args: tuple[str, int]) -> dict[str, Any]:
    url, number = args
    rnd = random.Random(number)
    store = SqlStore.connect(url, create=False)
    budgets = BudgetService(store.unit_of_work)
    stats: Counter[str] = Counter()
    usage: dict[str, Decimal] = defaultdict(Decimal)
    taken: dict[str, Decimal] = defaultdict(Decimal)
    keys: list[tuple[str, str, str, int]] = []

    def conflict(_: ConcurrencyConflictError, attempt: int) -> None:
        stats["retried"] += 1

    def use(cid: str, amount: Decimal, key: str, minute: int) -> object:
        return budgets.record_usage(
            CustomerId(cid),
            Money.of(amount, "USD"),
            at=T0 + timedelta(minutes=minute),
            actor=Actor.system(),
            idempotency_key=IdempotencyKey(key),
        )

    def hold(cid: str, freeze: bool, key: str, minute: int) -> object:
        partner = OWNER[cid]
        actor = admin("d1" if partner == "r1" else partner)
        command = budgets.freeze if freeze else budgets.unfreeze
        return command(
            actor,
            CustomerId(cid),
            scope=FreezeScope.ACCOUNT,
            reason="load",
            as_of=T0 + timedelta(minutes=minute),
            idempotency_key=IdempotencyKey(key),
        )

    for op in range(OPS_PER_WORKER):
        kind = rnd.choice(["usage", "usage", "redeem", "freeze"])
        cid = rnd.choice(sorted(OWNER))
        stats["attempted"] += 1
        try:
            if kind == "usage":
                amount = Decimal(rnd.randint(1, 5000)).scaleb(-2)
                key = f"u-{number}-{op}"
                retry_on_conflict(
                    partial(use, cid, amount, key, op), attempts=100, on_conflict=conflict
                )
                usage[cid] += amount
                keys.append((cid, key, str(amount), op))
            elif kind == "redeem":
                coupon_id = rnd.choice(COUPON_IDS)
                want = Decimal(rnd.randint(1, 400)).scaleb(-2)
                taken[coupon_id] += retry_on_conflict(
                    partial(redeem, store, coupon_id, want), attempts=100, on_conflict=conflict
                )
            else:
                retry_on_conflict(
                    partial(hold, cid, rnd.random() < 0.5, f"f-{number}-{op}", op),
                    attempts=100,
                    on_conflict=conflict,
                )
            stats["succeeded"] += 1
        except ConcurrencyConflictError:
            stats["conflicted"] += 1
        except PartnerkitError:
            stats["refused"] += 1  # a refusal is an answer, not a lost operation
    store.engine.dispose()
    return {"stats": dict(stats), "usage": dict(usage), "taken": dict(taken), "keys": keys}


def test_eight_workers_lose_no_update() -> None:
    """R-CUST-62 (budgets), R-BILL-27 (coupon balances): 8 processes, 1,040 operations."""
    if not POSTGRES_URL:
        if os.environ.get("PARTNERKIT_REQUIRE_POSTGRES") == "1":
            pytest.fail("PARTNERKIT_REQUIRE_POSTGRES=1 but PARTNERKIT_POSTGRES_URL is not set")
        pytest.skip("PostgreSQL tests need PARTNERKIT_POSTGRES_URL (CI sets it)")
    prepare(POSTGRES_URL)
    with multiprocessing.get_context("fork").Pool(WORKERS) as pool:
        results = pool.map(worker, [(POSTGRES_URL, n) for n in range(WORKERS)])
    stats: Counter[str] = Counter()
    usage: dict[str, Decimal] = defaultdict(Decimal)
    taken: dict[str, Decimal] = defaultdict(Decimal)
    for result in results:
        stats.update(result["stats"])
        for cid, amount in result["usage"].items():
            usage[cid] += amount
        for coupon_id, amount in result["taken"].items():
            taken[coupon_id] += amount
    print(
        f"\nconcurrency on PostgreSQL: {WORKERS} workers, attempted {stats['attempted']},"
        f" succeeded {stats['succeeded']}, refused {stats['refused']},"
        f" retried {stats['retried']}, conflicted {stats['conflicted']}"
    )
    assert stats["attempted"] == WORKERS * OPS_PER_WORKER >= 1000
    assert stats["conflicted"] == 0
    assert stats["retried"] > 0  # the workers really raced
    store = SqlStore.connect(POSTGRES_URL, create=False)
    with store.unit_of_work() as uow:
        accounts = {cid: uow.repository(BUDGET_ACCOUNTS).get(CustomerId(cid)) for cid in OWNER}
        coupons = {c: uow.repository(COUPONS).get(c) for c in COUPON_IDS}
    for cid, account in accounts.items():
        assert account.budget is not None
        assert account.budget.consumed.amount == usage[cid], cid
    for coupon_id, stored in coupons.items():
        assert not stored.balance.is_negative()
        assert FACE - stored.balance.amount == taken[coupon_id] <= FACE
    # replaying an operation's key changes nothing
    before = store.snapshot()
    cid, key, amount, op = results[0]["keys"][0]
    BudgetService(store.unit_of_work).record_usage(
        CustomerId(cid),
        Money.of(amount, "USD"),
        at=T0 + timedelta(minutes=op),
        actor=Actor.system(),
        idempotency_key=IdempotencyKey(key),
    )
    assert store.snapshot() == before
    store.engine.dispose()
