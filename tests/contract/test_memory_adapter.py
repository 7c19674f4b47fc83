from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

import attrs
import pytest

from partnerkit.adapters.memory import InMemoryStore
from partnerkit.errors import ConcurrencyConflictError, InvalidArgumentError, PartnerkitError
from partnerkit.ids import IdempotencyKey
from partnerkit.periods import UTC
from partnerkit.ports import Collection, IdempotencyRecord, UnitOfWork
from partnerkit.testing.contract import WIDGETS, UnitOfWorkContract, renamed, widget

T0 = datetime(2024, 6, 1, tzinfo=UTC)


class TestInMemoryAdapter(UnitOfWorkContract):
    @pytest.fixture
    def new_unit_of_work(self) -> Callable[[], UnitOfWork]:
        return InMemoryStore().unit_of_work


def test_store_keeps_the_committed_event_log() -> None:
    store = InMemoryStore()
    with store.unit_of_work() as uow:
        uow.record([renamed()])
        assert uow.pending_events == (renamed(),)
        uow.commit()
    with store.unit_of_work() as uow:
        uow.record([renamed(after="third")])
    assert store.events() == (renamed(),)


def test_a_unit_must_be_entered_and_only_once() -> None:
    uow = InMemoryStore().unit_of_work()
    with pytest.raises(PartnerkitError):
        uow.repository(WIDGETS).find("w-1")
    with pytest.raises(PartnerkitError):
        uow.commit()
    with uow, pytest.raises(PartnerkitError):
        uow.__enter__()


def test_bad_arguments_are_refused() -> None:
    with InMemoryStore().unit_of_work() as uow:
        with pytest.raises(InvalidArgumentError):
            uow.repository("widgets")  # type: ignore[arg-type]
        with pytest.raises(InvalidArgumentError):
            uow.record(["not an event"])  # type: ignore[list-item]
        with pytest.raises(InvalidArgumentError):
            uow.idempotency.add("record")  # type: ignore[arg-type]
        repo = uow.repository(WIDGETS)
        with pytest.raises(InvalidArgumentError):
            repo.save(widget(), expected_version="1")  # type: ignore[arg-type]
        with pytest.raises(InvalidArgumentError):
            repo.add(widget(""))


def test_collection_needs_a_versioned_attrs_class() -> None:
    @attrs.frozen
    class NoVersion:
        id: str

    class Plain:
        version = 0

    with pytest.raises(InvalidArgumentError):
        Collection("things", NoVersion, key=lambda t: t.id)  # type: ignore[type-var]
    with pytest.raises(InvalidArgumentError):
        Collection("things", Plain, key=lambda t: "k")
    with pytest.raises(InvalidArgumentError):
        Collection("not a name", Plain, key=lambda t: "k")


def test_collections_are_separate_and_unowned_ones_list_nothing() -> None:
    notes = Collection("notes", type(widget()), key=lambda w: w.id)
    with InMemoryStore().unit_of_work() as uow:
        uow.repository(notes).add(widget())
        uow.repository(WIDGETS).add(widget("w-2"))
        assert uow.repository(notes).list_by_owner("p-1") == ()
        assert [w.id for w in uow.repository(WIDGETS).list_by_owner("p-1")] == ["w-2"]
        assert uow.repository(WIDGETS).find("w-1") is None


@pytest.mark.parametrize(
    ("key", "fingerprint", "when"),
    [("", "fp", T0), ("k", "", T0), ("k", "fp", datetime(2024, 1, 1))],  # noqa: DTZ001
)
def test_idempotency_records_validate(key: str, fingerprint: str, when: datetime) -> None:
    with pytest.raises(InvalidArgumentError):
        IdempotencyRecord(IdempotencyKey(key), fingerprint, (), when)


def test_concurrent_writers_on_threads_lose_no_update() -> None:
    """Optimistic retries from several threads: every increment lands exactly once."""
    store = InMemoryStore()
    with store.unit_of_work() as uow:
        uow.repository(WIDGETS).add(widget())
        uow.commit()

    def bump(times: int) -> None:
        for _ in range(times):
            while True:
                with store.unit_of_work() as unit:
                    repo = unit.repository(WIDGETS)
                    current = repo.get("w-1")
                    repo.save(
                        attrs.evolve(current, name=str(int(current.name or "0") + 1)),
                        expected_version=current.version,
                    )
                    try:
                        unit.commit()
                    except ConcurrencyConflictError:
                        continue
                    break

    threads = [threading.Thread(target=bump, args=(50,)) for _ in range(4)]
    with store.unit_of_work() as uow:
        repo = uow.repository(WIDGETS)
        repo.save(attrs.evolve(repo.get("w-1"), name="0"), expected_version=1)
        uow.commit()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    with store.unit_of_work() as uow:
        final = uow.repository(WIDGETS).get("w-1")
    assert final.name == "200"
    assert final.version == 202
