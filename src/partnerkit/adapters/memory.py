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
from collections.abc import Iterable
from types import TracebackType
from typing import Any, Generic, Self, cast, final

import attrs

from partnerkit.errors import (
    ConcurrencyConflictError,
    IdempotencyConflictError,
    InvalidArgumentError,
    NotFoundError,
    PartnerkitError,
)
from partnerkit.events import Event
from partnerkit.ids import IdempotencyKey
from partnerkit.ports import AuditEntry, Change, Collection, E, IdempotencyRecord

__all__ = [
    "InMemoryIdempotencyStore",
    "InMemoryRepository",
    "InMemoryStore",
    "InMemoryUnitOfWork",
]


@attrs.define
class _Write:
    """A staged write: the entity and the version it was based on."""

    collection: str
    key: str
    base_version: int | None  # None: expected absent (an add)
    entity: Any


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
        writes: dict[tuple[str, str], _Write],
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
class InMemoryRepository(Generic[E]):
    """A :class:`~partnerkit.ports.Repository` bound to one unit of work."""

    def __init__(self, unit: InMemoryUnitOfWork, collection: Collection[E]) -> None:
        self._unit = unit
        self._collection = collection

    def _visible(self, key: str) -> E | None:
        staged = self._unit._writes.get((self._collection.name, key))
        if staged is not None:
            return cast(E, staged.entity)
        return cast("E | None", self._unit._store._committed(self._collection.name, key))

    def _check_entity(self, entity: object) -> E:
        if not isinstance(entity, self._collection.entity_type):
            raise InvalidArgumentError(
                "entity", entity, f"expected a {self._collection.entity_type.__name__}"
            )
        return entity

    def _key_of(self, entity: E) -> str:
        key = self._collection.key(entity)
        if not isinstance(key, str) or not key:
            raise InvalidArgumentError("key", key, "an entity key must be a non-empty string")
        return key

    def get(self, key: str) -> E:
        """The entity with ``key``; raises NotFoundError if none."""
        found = self.find(key)
        if found is None:
            raise NotFoundError(self._collection.name, key)
        return found

    def find(self, key: str) -> E | None:
        """The entity with ``key``, or ``None``."""
        self._unit._check_open()
        if not isinstance(key, str) or not key:
            raise InvalidArgumentError(
                "key", key, f"a {self._collection.name} key is a non-empty string"
            )
        return self._visible(key)

    def add(self, entity: E) -> E:
        """Stage a new entity at version 1."""
        self._unit._check_open()
        checked = self._check_entity(entity)
        key = self._key_of(checked)
        existing = self._visible(key)
        if existing is not None:
            raise ConcurrencyConflictError(
                self._collection.name, key, expected_version=None, actual_version=existing.version
            )
        stored = self._collection.with_version(checked, 1)
        self._unit._stage(self._collection.name, key, None, stored)
        return stored

    def save(self, entity: E, *, expected_version: int) -> E:
        """Stage a replacement if the visible version is ``expected_version``."""
        self._unit._check_open()
        checked = self._check_entity(entity)
        if isinstance(expected_version, bool) or not isinstance(expected_version, int):
            raise InvalidArgumentError("expected_version", expected_version, "expected an int")
        key = self._key_of(checked)
        existing = self._visible(key)
        if existing is None:
            raise NotFoundError(self._collection.name, key)
        if existing.version != expected_version:
            raise ConcurrencyConflictError(
                self._collection.name,
                key,
                expected_version=expected_version,
                actual_version=existing.version,
            )
        stored = self._collection.with_version(checked, expected_version + 1)
        self._unit._stage(self._collection.name, key, expected_version, stored)
        return stored

    def list_by_owner(self, owner: str) -> tuple[E, ...]:
        """Entities owned by ``owner``, committed or staged here, ordered by key."""
        self._unit._check_open()
        if not isinstance(owner, str) or not owner:
            raise InvalidArgumentError("owner", owner, "an owner is a non-empty string")
        name = self._collection.name
        visible: dict[str, E] = {
            self._collection.key(e): e for e in self._unit._store._committed_entities(name)
        }
        for (collection, key), write in self._unit._writes.items():
            if collection == name:
                visible[key] = cast(E, write.entity)
        return tuple(
            visible[key] for key in sorted(visible) if self._collection.owner(visible[key]) == owner
        )


@final
class InMemoryIdempotencyStore:
    """An :class:`~partnerkit.ports.IdempotencyStore` bound to one unit of work."""

    def __init__(self, unit: InMemoryUnitOfWork) -> None:
        self._unit = unit

    def find(self, key: IdempotencyKey) -> IdempotencyRecord | None:
        """The staged or committed record for ``key``."""
        self._unit._check_open()
        if not isinstance(key, str) or not key:
            raise InvalidArgumentError("key", key, "an idempotency key is a non-empty string")
        return self._unit._records.get(key) or self._unit._store._committed_record(key)

    def add(self, record: IdempotencyRecord) -> None:
        """Stage ``record``; a different fingerprint under a known key conflicts."""
        self._unit._check_open()
        if not isinstance(record, IdempotencyRecord):
            raise InvalidArgumentError("record", record, "expected an IdempotencyRecord")
        existing = self.find(record.key)
        if existing is not None:
            if existing.fingerprint != record.fingerprint:
                raise IdempotencyConflictError(
                    record.key,
                    stored_fingerprint=existing.fingerprint,
                    new_fingerprint=record.fingerprint,
                )
            return
        self._unit._records[record.key] = record


@final
class InMemoryUnitOfWork:
    """A :class:`~partnerkit.ports.UnitOfWork` over an :class:`InMemoryStore`.

    It may commit more than once; each commit starts a fresh batch.
    """

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store
        self._writes: dict[tuple[str, str], _Write] = {}
        self._records: dict[str, IdempotencyRecord] = {}
        self._events: list[Event] = []
        self._open = False
        self._idempotency = InMemoryIdempotencyStore(self)

    def __enter__(self) -> Self:
        if self._open:
            raise PartnerkitError("this unit of work is already in use")
        self._open = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.rollback()
        self._open = False

    def _check_open(self) -> None:
        if not self._open:
            raise PartnerkitError("use the unit of work inside a `with` block")

    def _stage(self, collection: str, key: str, base_version: int | None, entity: Any) -> None:
        previous = self._writes.get((collection, key))
        base = base_version if previous is None else previous.base_version
        self._writes[(collection, key)] = _Write(collection, key, base, entity)

    def repository(self, collection: Collection[E]) -> InMemoryRepository[E]:
        """The repository of ``collection`` within this unit."""
        if not isinstance(collection, Collection):
            raise InvalidArgumentError("collection", collection, "expected a Collection")
        return InMemoryRepository(self, collection)

    @property
    def idempotency(self) -> InMemoryIdempotencyStore:
        """Idempotency records staged with this unit."""
        return self._idempotency

    def record(self, events: Iterable[Event]) -> None:
        """Stage events for the log."""
        self._check_open()
        staged = tuple(events)
        for event in staged:
            if not isinstance(event, Event):
                raise InvalidArgumentError("events", event, "expected partnerkit Events")
        self._events.extend(staged)

    @property
    def pending_events(self) -> tuple[Event, ...]:
        """Events staged and not yet committed."""
        return tuple(self._events)

    def commit(self) -> tuple[Event, ...]:
        """Apply everything staged, atomically, and return the staged events."""
        self._check_open()
        events = tuple(self._events)
        try:
            self._store._apply(self._writes, self._records, self._events)
        finally:
            self.rollback()
        return events

    def rollback(self) -> None:
        """Discard everything staged."""
        self._writes = {}
        self._records = {}
        self._events = []
