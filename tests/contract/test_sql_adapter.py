"""The storage contract against the SQL adapter: SQLite (file and memory) and PostgreSQL.

PostgreSQL runs when ``PARTNERKIT_POSTGRES_URL`` names a database
(``postgresql+psycopg://user@host:port/db``); CI sets it and also sets
``PARTNERKIT_REQUIRE_POSTGRES=1``, which turns the skip into a failure.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest

from partnerkit.adapters.sql import METADATA, SqlStore, dumps, loads
from partnerkit.errors import ConcurrencyConflictError, InvalidArgumentError
from partnerkit.ports import UnitOfWork
from partnerkit.testing.contract import WIDGETS, UnitOfWorkContract, renamed, widget

POSTGRES_URL = os.environ.get("PARTNERKIT_POSTGRES_URL")


def postgres_store() -> Iterator[SqlStore]:
    """A fresh, empty PostgreSQL store (the tables dropped and created again)."""
    if not POSTGRES_URL:
        if os.environ.get("PARTNERKIT_REQUIRE_POSTGRES") == "1":
            pytest.fail("PARTNERKIT_REQUIRE_POSTGRES=1 but PARTNERKIT_POSTGRES_URL is not set")
        pytest.skip("PostgreSQL tests need PARTNERKIT_POSTGRES_URL (CI sets it)")
    store = SqlStore.connect(POSTGRES_URL, create=False)
    METADATA.drop_all(store.engine)
    METADATA.create_all(store.engine)
    yield store
    store.engine.dispose()


class TestSqliteFile(UnitOfWorkContract):
    @pytest.fixture
    def new_unit_of_work(self, tmp_path: Path) -> Callable[[], UnitOfWork]:
        return SqlStore.connect(f"sqlite:///{tmp_path / 'partnerkit.db'}").unit_of_work


class TestSqliteMemory(UnitOfWorkContract):
    @pytest.fixture
    def new_unit_of_work(self) -> Callable[[], UnitOfWork]:
        return SqlStore.connect("sqlite://").unit_of_work


class TestPostgres(UnitOfWorkContract):
    @pytest.fixture
    def new_unit_of_work(self) -> Iterator[Callable[[], UnitOfWork]]:
        for store in postgres_store():
            yield store.unit_of_work


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlStore]:
    if request.param == "sqlite":
        made = SqlStore.connect(f"sqlite:///{tmp_path / 'partnerkit.db'}")
        yield made
        made.engine.dispose()
    else:
        yield from postgres_store()


def test_the_event_log_and_snapshot_round_trip(store: SqlStore) -> None:
    """Committed events and entities come back equal; rolled-back ones never appear."""
    with store.unit_of_work() as uow:
        stored = uow.repository(WIDGETS).add(widget())
        uow.record([renamed()])
        uow.commit()
    with store.unit_of_work() as uow:
        uow.record([renamed(after="third")])
    assert store.events() == (renamed(),)
    assert store.snapshot() == {"widgets": {"w-1": stored}}
    assert store.idempotency_keys() == frozenset()


def test_concurrent_writers_on_threads_lose_no_update(store: SqlStore) -> None:
    """Optimistic retries from several threads: every increment lands exactly once."""
    with store.unit_of_work() as uow:
        uow.repository(WIDGETS).add(attrs.evolve(widget(), name="0"))
        uow.commit()

    def bump(times: int) -> None:
        for _ in range(times):
            while True:
                with store.unit_of_work() as unit:
                    repo = unit.repository(WIDGETS)
                    current = repo.get("w-1")
                    repo.save(attrs.evolve(current, name=str(int(current.name) + 1)),
                              expected_version=current.version)  # fmt: skip
                    try:
                        unit.commit()
                    except ConcurrencyConflictError:
                        continue
                    break

    threads = [threading.Thread(target=bump, args=(25,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with store.unit_of_work() as uow:
        final = uow.repository(WIDGETS).get("w-1")
    assert (final.name, final.version) == ("100", 101)


def test_the_codec_refuses_what_it_cannot_store_exactly() -> None:
    """No floats in, no floats out, no arbitrary imports from a row."""
    with pytest.raises(InvalidArgumentError):
        dumps(1.5)
    with pytest.raises(InvalidArgumentError):
        loads('{"~": "dec", "v": 1.5}')
    with pytest.raises(InvalidArgumentError):
        loads('{"~": "attrs", "t": "os:system", "f": {}}')
    with pytest.raises(InvalidArgumentError):
        loads("not json")
    with pytest.raises(InvalidArgumentError):
        dumps(object())
