"""The in-memory adapter: partnerkit's embedded default storage.

:class:`InMemoryStore` is the "database": committed entities per collection,
committed idempotency records, and an append-only event log.
Each :class:`InMemoryUnitOfWork` stages its writes privately; ``commit``
checks every staged write against the committed versions under a lock and
applies all of them or none.

>>> import attrs
>>> from partnerkit.ports import Collection
>>> @attrs.frozen
... class Note:
...     id: str
...     text: str
...     version: int = 0
>>> NOTES = Collection("notes", Note, key=lambda n: n.id)
>>> store = InMemoryStore()
>>> with store.unit_of_work() as uow:
...     stored = uow.repository(NOTES).add(Note("n-1", "hello"))
...     _ = uow.commit()
>>> stored.version
1
>>> with store.unit_of_work() as uow:
...     note = uow.repository(NOTES).get("n-1")
...     _ = uow.repository(NOTES).save(attrs.evolve(note, text="hi"), expected_version=1)
...     _ = uow.commit()
>>> with store.unit_of_work() as uow:
...     uow.repository(NOTES).get("n-1")
Note(id='n-1', text='hi', version=2)
"""

from __future__ import annotations

import threading
from typing import Any, final

from partnerkit.adapters._staged import (
    StagedIdempotencyStore,
    StagedRepository,
    StagedUnitOfWork,
    Write,
)
from partnerkit.errors import (
    ConcurrencyConflictError,
    IdempotencyConflictError,
    InvalidArgumentError,
)
from partnerkit.events import Event
from partnerkit.ports import AuditEntry, Change, Collection, E, IdempotencyRecord

__all__ = [
    "InMemoryIdempotencyStore",
    "InMemoryRepository",
    "InMemoryStore",
    "InMemoryUnitOfWork",
]


@final
class InMemoryStore:
    """Committed state shared by the units of work that open on it.

    Thread-safe: commits are serialised by a lock.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tables: dict[str, dict[str, Any]] = {}
        self._idempotency: dict[str, IdempotencyRecord] = {}
        self._events: list[Event] = []
        self._audit: list[AuditEntry] = []

    def unit_of_work(self) -> InMemoryUnitOfWork:
        """A new unit of work on this store."""
        return InMemoryUnitOfWork(self)

    def events(self) -> tuple[Event, ...]:
        """The committed event log, oldest first."""
        with self._lock:
            return tuple(self._events)

    def audit_log(self) -> tuple[AuditEntry, ...]:
        """One entry per commit that changed stored values: who, why, before and after."""
        with self._lock:
            return tuple(self._audit)

    def snapshot(self) -> dict[str, dict[str, Any]]:
        """A copy of every committed collection: ``{collection: {key: entity}}``.

        Entities are immutable, so the copy is cheap; compare two snapshots
        to see what a command changed.
        """
        with self._lock:
            return {name: dict(table) for name, table in self._tables.items() if table}

    def idempotency_keys(self) -> frozenset[str]:
        """The committed idempotency keys."""
        with self._lock:
            return frozenset(self._idempotency)

    def _committed(self, collection: str, key: str) -> Any | None:
        with self._lock:
            return self._tables.get(collection, {}).get(key)

    def _committed_entities(self, collection: str) -> list[Any]:
        with self._lock:
            return list(self._tables.get(collection, {}).values())

    def _committed_record(self, key: str) -> IdempotencyRecord | None:
        with self._lock:
            return self._idempotency.get(key)

    def _apply(
        self,
        writes: dict[tuple[str, str], Write],
        records: dict[str, IdempotencyRecord],
        events: list[Event],
    ) -> None:
        with self._lock:
            for write in writes.values():
                current = self._tables.get(write.collection, {}).get(write.key)
                actual = None if current is None else int(current.version)
                if actual != write.base_version:
                    raise ConcurrencyConflictError(
                        write.collection,
                        write.key,
                        expected_version=write.base_version,
                        actual_version=actual,
                    )
            for key, record in records.items():
                stored = self._idempotency.get(key)
                if stored is not None and stored.fingerprint != record.fingerprint:
                    raise IdempotencyConflictError(
                        key,
                        stored_fingerprint=stored.fingerprint,
                        new_fingerprint=record.fingerprint,
                    )
                if stored is not None:
                    # the same command committed first in another unit: never apply it
                    # twice; a retry finds the key and replays the first result
                    raise ConcurrencyConflictError(
                        "idempotency", key, expected_version=None, actual_version=1
                    )
            changes = tuple(
                Change(
                    write.collection,
                    write.key,
                    self._tables.get(write.collection, {}).get(write.key),
                    write.entity,
                )
                for write in writes.values()
            )
            for write in writes.values():
                self._tables.setdefault(write.collection, {})[write.key] = write.entity
            if changes:
                self._audit.append(AuditEntry.of(tuple(events), changes))
            for key, record in records.items():
                self._idempotency[key] = record
            self._events.extend(events)


@final
class InMemoryRepository(StagedRepository[E]):
    """A :class:`~partnerkit.ports.Repository` bound to one in-memory unit of work."""


@final
class InMemoryIdempotencyStore(StagedIdempotencyStore):
    """An :class:`~partnerkit.ports.IdempotencyStore` bound to one in-memory unit of work."""


@final
class InMemoryUnitOfWork(StagedUnitOfWork):
    """A :class:`~partnerkit.ports.UnitOfWork` over an :class:`InMemoryStore`.

    It may commit more than once; each commit starts a fresh batch.
    """

    def __init__(self, store: InMemoryStore) -> None:
        super().__init__()
        self._store = store
        self._idempotency = InMemoryIdempotencyStore(self)

    def _read(self, collection: str, key: str) -> Any | None:
        return self._store._committed(collection, key)

    def _read_owned(self, collection: Collection[Any], owner: str) -> list[Any]:
        return [
            e
            for e in self._store._committed_entities(collection.name)
            if collection.owner(e) == owner
        ]

    def _committed_record(self, key: str) -> IdempotencyRecord | None:
        return self._store._committed_record(key)

    def repository(self, collection: Collection[E]) -> InMemoryRepository[E]:
        """The repository of ``collection`` within this unit."""
        if not isinstance(collection, Collection):
            raise InvalidArgumentError("collection", collection, "expected a Collection")
        return InMemoryRepository(self, collection)

    @property
    def idempotency(self) -> InMemoryIdempotencyStore:
        """Idempotency records staged with this unit."""
        return self._idempotency

    def commit(self) -> tuple[Event, ...]:
        """Apply everything staged, atomically, and return the staged events."""
        self._check_open()
        events = tuple(self._events)
        try:
            self._store._apply(self._writes, self._records, self._events)
        finally:
            self.rollback()
        return events
