"""Batch ingestion equals recording usage one record at a time (the fast path is only faster)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from partnerkit.budget import (
    BudgetAccount,
    BudgetType,
    FreezeMode,
    UsageRecorded,
    ingest_usage,
    record_usage,
    set_budget,
)
from partnerkit.events import Event
from partnerkit.ids import ActorId, CustomerId, PartnerId
from partnerkit.money import Currency, Money
from partnerkit.partners import AssociationType
from partnerkit.periods import GMT_PLUS_8, UTC

USD = Currency("USD")
T0 = datetime(2024, 5, 20, tzinfo=GMT_PLUS_8)

budgets = st.tuples(
    st.sampled_from(BudgetType),
    st.decimals(min_value=0, max_value=500, places=2),
    st.sampled_from(FreezeMode),
    st.none() | st.decimals(min_value=0, max_value=50, places=2),
)


def _account(
    i: int, spec: tuple[BudgetType, Decimal, FreezeMode, Decimal | None] | None
) -> BudgetAccount:
    account = BudgetAccount(
        CustomerId(f"c{i}"), PartnerId("p"), AssociationType.RESELLER, T0 + timedelta(hours=i)
    )
    if spec is None:
        return account
    budget_type, amount, mode, grace = spec
    done, _ = set_budget(
        account, budget_type=budget_type, amount=Money(amount, USD), freeze_mode=mode, actor=ActorId("u"),
        as_of=T0 + timedelta(days=1), grace=Money(grace, USD) if grace is not None and mode is FreezeMode.DELAYED else None,
    )  # fmt: skip
    return done


usage = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=4),
        st.decimals(min_value=-60, max_value=120, places=4),
        st.integers(min_value=0, max_value=24 * 40),
        st.booleans(),
    ),
    max_size=60,
)


@given(st.lists(st.none() | budgets, min_size=4, max_size=4), usage)
def test_ingest_equals_record_usage_in_order(
    specs: list[object], records: list[tuple[int, Decimal, int, bool]]
) -> None:
    accounts = {a.customer_id: a for a in (_account(i, s) for i, s in enumerate(specs))}  # type: ignore[arg-type]
    batch = [
        (
            CustomerId(f"c{i}"),
            amount,
            (T0 + timedelta(hours=h)).astimezone(UTC if utc else GMT_PLUS_8),
        )
        for i, amount, h, utc in records
    ]
    fast, fast_events = ingest_usage(accounts, batch, currency=USD)
    slow = dict(accounts)
    slow_events: list[Event] = []
    for cid, amount, at in batch:
        if cid not in slow:
            continue
        slow[cid], emitted = record_usage(slow[cid], Money(amount, USD), at=at)
        slow_events.extend(e for e in emitted if not isinstance(e, UsageRecorded))
    assert fast == slow
    assert [e for e in fast_events if not isinstance(e, UsageRecorded)] == slow_events
    totals = {e.account.customer_id: e.records for e in fast_events if isinstance(e, UsageRecorded)}
    assert all(n >= 1 for n in totals.values())
