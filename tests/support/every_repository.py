"""The repository contract for every collection the services store, on every adapter.

``make test`` runs the service tests with every in-memory store replaced by
SQLite (``tests/support/sql_stores.py``), then this module: it takes one
stored value of every collection those tests wrote, and checks the
repository contract for it - add at version 1, read back equal, save at the
next version, list by owner, a stale save conflicts - on a fresh memory
store, a fresh SQLite file and, when ``PARTNERKIT_POSTGRES_URL`` is set, a
fresh PostgreSQL database.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from tests.support import sql_stores

from partnerkit.adapters.sql import METADATA, SqlStore
from partnerkit.errors import ConcurrencyConflictError
from partnerkit.ports import Collection
from partnerkit.services import billing, budgets, customers, eligibility, incentives, pricing

MODULES = (billing, budgets, customers, eligibility, incentives, pricing)
POSTGRES_URL = os.environ.get("PARTNERKIT_POSTGRES_URL")


def collections() -> dict[str, Collection[Any]]:
    found: dict[str, Collection[Any]] = {}
    for module in MODULES:
        for value in vars(module).values():
            if isinstance(value, Collection):
                found[value.name] = value
    return found


def samples() -> dict[str, Any]:
    """One stored value per collection, from the SQLite stores the service tests filled."""
    taken: dict[str, Any] = {}
    for store in sql_stores.MADE:
        for name, table in store.snapshot().items():
            if name not in taken and table:
                taken[name] = next(iter(table.values()))
    return taken


def targets(tmp_path: Path) -> Iterator[tuple[str, Any]]:
    yield "memory", sql_stores.MEMORY_STORE()
    sqlite = SqlStore.connect(f"sqlite:///{tmp_path / 'contract.db'}")
    yield "sqlite", sqlite
    sqlite.engine.dispose()
    if POSTGRES_URL:
        postgres = SqlStore.connect(POSTGRES_URL, create=False)
        METADATA.drop_all(postgres.engine)
        METADATA.create_all(postgres.engine)
        yield "postgres", postgres
        postgres.engine.dispose()
    elif os.environ.get("PARTNERKIT_REQUIRE_POSTGRES") == "1":
        pytest.fail("PARTNERKIT_REQUIRE_POSTGRES=1 but PARTNERKIT_POSTGRES_URL is not set")


def check(store: Any, collection: Collection[Any], value: Any) -> None:
    entity = collection.with_version(value, 0)
    key = collection.key(entity)
    owner = collection.owner(entity)
    with store.unit_of_work() as uow:
        stored = uow.repository(collection).add(entity)
        uow.commit()
    assert stored.version == 1
    with store.unit_of_work() as uow:
        again = uow.repository(collection).get(key)
        assert again == stored
        if owner is not None:
            assert again in uow.repository(collection).list_by_owner(owner)
        saved = uow.repository(collection).save(again, expected_version=1)
        uow.commit()
    assert saved.version == 2
    with store.unit_of_work() as uow:
        assert uow.repository(collection).get(key) == saved
    with store.unit_of_work() as uow, pytest.raises(ConcurrencyConflictError):
        uow.repository(collection).save(attrs.evolve(saved), expected_version=1)


def test_every_collection_honours_the_repository_contract_on_every_adapter(
    tmp_path: Path,
) -> None:
    known = collections()
    taken = samples()
    if not sql_stores.MADE:
        pytest.skip("run after the service tests with -p tests.support.sql_stores (make test)")
    assert len(taken) >= 25, sorted(taken)  # the service tests store most collections
    assert set(taken) <= set(known), set(taken) - set(known)
    for adapter, store in targets(tmp_path):
        for name, value in sorted(taken.items()):
            try:
                check(store, known[name], value)
            except AssertionError as failure:  # pragma: no cover - names the failing pair
                raise AssertionError(f"{adapter}/{name}: {failure}") from failure
    missing = sorted(set(known) - set(taken))
    print(
        f"\nrepository contract: {len(taken)} of {len(known)} collections checked; "
        f"not stored by the service tests: {', '.join(missing) or 'none'}"
    )
