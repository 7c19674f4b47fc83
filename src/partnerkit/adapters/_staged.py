"""What every built-in adapter shares: units of work that stage writes until commit (private).

A unit reads committed values through its store, keeps its own writes,
idempotency records and events staged, and hands them to the store in
``commit``.  Subclasses say how to read committed values and how to commit;
the repository and idempotency rules live here once.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import TracebackType
from typing import Any, Generic, Self, cast

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
from partnerkit.ports import Collection, E, IdempotencyRecord

__all__ = ["StagedIdempotencyStore", "StagedRepository", "StagedUnitOfWork", "Write"]


@attrs.define
class Write:
    """A staged write: the entity, its owner and the version it was based on."""

    collection: str
    key: str
    owner: str | None
    base_version: int | None  # None: expected absent (an add)
    entity: Any


class StagedRepository(Generic[E]):
    """A :class:`~partnerkit.ports.Repository` bound to one staged unit of work."""

    def __init__(self, unit: StagedUnitOfWork, collection: Collection[E]) -> None:
        self._unit = unit
        self._collection = collection

    def _visible(self, key: str) -> E | None:
        staged = self._unit._writes.get((self._collection.name, key))
        if staged is not None:
            return cast(E, staged.entity)
        return cast("E | None", self._unit._read(self._collection.name, key))

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
        self._unit._stage(self._collection, key, None, stored)
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
        self._unit._stage(self._collection, key, expected_version, stored)
        return stored

    def list_by_owner(self, owner: str) -> tuple[E, ...]:
        """Entities owned by ``owner``, committed or staged here, ordered by key."""
        self._unit._check_open()
        if not isinstance(owner, str) or not owner:
            raise InvalidArgumentError("owner", owner, "an owner is a non-empty string")
        name = self._collection.name
        visible: dict[str, E] = {
            self._collection.key(e): e for e in self._unit._read_owned(self._collection, owner)
        }
        for (collection, key), write in self._unit._writes.items():
            if collection == name:
                visible[key] = cast(E, write.entity)
        return tuple(
            visible[key] for key in sorted(visible) if self._collection.owner(visible[key]) == owner
        )


class StagedIdempotencyStore:
    """An :class:`~partnerkit.ports.IdempotencyStore` bound to one staged unit of work."""

    def __init__(self, unit: StagedUnitOfWork) -> None:
        self._unit = unit

    def find(self, key: IdempotencyKey) -> IdempotencyRecord | None:
        """The staged or committed record for ``key``."""
        self._unit._check_open()
        if not isinstance(key, str) or not key:
            raise InvalidArgumentError("key", key, "an idempotency key is a non-empty string")
        return self._unit._records.get(key) or self._unit._committed_record(key)

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


class StagedUnitOfWork:
    """The shared part of a unit of work; subclasses read committed values and commit."""

    def __init__(self) -> None:
        self._writes: dict[tuple[str, str], Write] = {}
        self._records: dict[str, IdempotencyRecord] = {}
        self._events: list[Event] = []
        self._open = False

    # --- what an adapter provides -------------------------------------------------------

    def _read(self, collection: str, key: str) -> Any | None:
        raise NotImplementedError  # pragma: no cover - every adapter implements it

    def _read_owned(self, collection: Collection[Any], owner: str) -> list[Any]:
        raise NotImplementedError  # pragma: no cover - every adapter implements it

    def _committed_record(self, key: str) -> IdempotencyRecord | None:
        raise NotImplementedError  # pragma: no cover - every adapter implements it

    # --- shared -------------------------------------------------------------------------

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

    def _stage(self, collection: Collection[Any], key: str, base: int | None, entity: Any) -> None:
        previous = self._writes.get((collection.name, key))
        base_version = base if previous is None else previous.base_version
        self._writes[(collection.name, key)] = Write(
            collection.name, key, collection.owner(entity), base_version, entity
        )

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

    def rollback(self) -> None:
        """Discard everything staged."""
        self._writes = {}
        self._records = {}
        self._events = []
