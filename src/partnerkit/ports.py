"""Ports: the small protocols between partnerkit's services and storage.

An adapter implements these structurally; it never subclasses partnerkit.
:mod:`partnerkit.adapters.memory` is the embedded default and
:func:`partnerkit.testing.contract` holds the tests every adapter must pass.

The shapes:

* :class:`Collection` names a kind of stored entity: its collection name,
  its type, how to read its key and its owner.
* :class:`Repository` gets, adds and saves entities of one collection with
  an optimistic ``expected_version``.
* :class:`UnitOfWork` groups repository writes, idempotency records and
  events into one atomic commit.
* :class:`Clock` tells the time, so that services never call ``now()``.

>>> import attrs
>>> @attrs.frozen
... class Note:
...     id: str
...     author: str
...     version: int = 0
>>> NOTES = Collection("notes", Note, key=lambda n: n.id, owner=lambda n: n.author)
>>> NOTES.key(Note("n-1", "ann"))
'n-1'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from types import TracebackType
from typing import Any, Generic, Protocol, Self, TypeVar, final

import attrs

from partnerkit.errors import InvalidArgumentError
from partnerkit.events import Event
from partnerkit.ids import ActorId, IdempotencyKey
from partnerkit.periods import require_aware

__all__ = [
    "AuditEntry",
    "Change",
    "Clock",
    "Collection",
    "IdempotencyRecord",
    "IdempotencyStore",
    "Repository",
    "UnitOfWork",
    "Verifier",
    "Versioned",
]


class Versioned(Protocol):
    """What a stored entity must offer: an integer ``version``.

    Repositories own the version: :meth:`Repository.add` stores version 1 and
    every :meth:`Repository.save` stores the next one.
    """

    @property
    def version(self) -> int:
        """The stored version; 0 for an entity never stored."""
        ...


E = TypeVar("E", bound=Versioned)


def _no_owner(entity: object) -> str | None:
    return None


@final
@attrs.frozen
class Collection(Generic[E]):
    """A kind of stored entity: the unit a :class:`Repository` serves.

    Attributes:
        name: The collection's storage name (a table, a dict key).
        entity_type: The frozen attrs class stored; it must have an int
            ``version`` field.
        key: Reads the entity's unique key.
        owner: Reads the entity's owner for :meth:`Repository.list_by_owner`
            (``None``: not owned).
    """

    name: str
    entity_type: type[E]
    key: Callable[[E], str] = attrs.field(kw_only=True)
    owner: Callable[[E], str | None] = attrs.field(default=_no_owner, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.isidentifier():
            raise InvalidArgumentError("name", self.name, "expected an identifier-like name")
        if not attrs.has(self.entity_type):
            raise InvalidArgumentError("entity_type", self.entity_type, "expected an attrs class")
        if "version" not in attrs.fields_dict(self.entity_type):
            raise InvalidArgumentError(
                "entity_type", self.entity_type, "a stored entity needs a `version` field"
            )

    def with_version(self, entity: E, version: int) -> E:
        """A copy of ``entity`` carrying ``version`` (used by adapters)."""
        return attrs.evolve(entity, version=version)  # type: ignore[misc]


class Repository(Protocol[E]):
    """Load and store the entities of one :class:`Collection`.

    Reads see the unit of work's own uncommitted writes.
    """

    def get(self, key: str) -> E:
        """The entity with ``key``; :class:`~partnerkit.errors.NotFoundError` if none."""
        ...

    def find(self, key: str) -> E | None:
        """The entity with ``key``, or ``None``."""
        ...

    def add(self, entity: E) -> E:
        """Store a new entity and return it at version 1.

        Raises :class:`~partnerkit.errors.ConcurrencyConflictError` if the key
        exists.
        """
        ...

    def save(self, entity: E, *, expected_version: int) -> E:
        """Replace the stored entity if it is still at ``expected_version``.

        Returns the entity at ``expected_version + 1``; raises
        :class:`~partnerkit.errors.ConcurrencyConflictError` otherwise, and
        :class:`~partnerkit.errors.NotFoundError` if it was never added.
        """
        ...

    def list_by_owner(self, owner: str) -> tuple[E, ...]:
        """Every entity whose owner is ``owner``, ordered by key."""
        ...


def _key(instance: object, attribute: object, value: Any) -> None:
    if not isinstance(value, str) or not value:
        raise InvalidArgumentError("key", value, "expected a non-empty idempotency key")


def _fingerprint(instance: object, attribute: object, value: Any) -> None:
    if not isinstance(value, str) or not value:
        raise InvalidArgumentError("fingerprint", value, "expected a non-empty fingerprint")


def _recorded_at(instance: object, attribute: object, value: Any) -> None:
    require_aware(value, argument="recorded_at")


@final
@attrs.frozen
class IdempotencyRecord:
    """The remembered outcome of a delta command, keyed by the caller's key.

    A replay with the same key and fingerprint returns ``events`` without
    running again; the same key with another fingerprint is a conflict.

    Attributes:
        key: The caller's idempotency key.
        fingerprint: A digest of the command's arguments.
        events: The events the first run returned.
        recorded_at: When the first run committed.
    """

    key: IdempotencyKey = attrs.field(validator=_key)
    fingerprint: str = attrs.field(validator=_fingerprint)
    events: tuple[Event, ...]
    recorded_at: datetime = attrs.field(validator=_recorded_at)


class IdempotencyStore(Protocol):
    """Remembers :class:`IdempotencyRecord` values inside a unit of work."""

    def find(self, key: IdempotencyKey) -> IdempotencyRecord | None:
        """The record for ``key``, or ``None``."""
        ...

    def add(self, record: IdempotencyRecord) -> None:
        """Remember ``record``.

        Re-adding the same key with the same fingerprint is a no-op; another
        fingerprint raises :class:`~partnerkit.errors.IdempotencyConflictError`.
        """
        ...


class UnitOfWork(Protocol):
    """One atomic batch of writes, idempotency records and events.

    Use it as a context manager; leaving the block without :meth:`commit`
    rolls back.

    >>> from partnerkit.adapters.memory import InMemoryStore
    >>> with InMemoryStore().unit_of_work() as uow:
    ...     uow.commit()
    ()
    """

    def __enter__(self) -> Self:
        """Begin the unit."""
        ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """End the unit, rolling back anything not committed."""
        ...

    def repository(self, collection: Collection[E]) -> Repository[E]:
        """The repository of ``collection`` within this unit."""
        ...

    @property
    def idempotency(self) -> IdempotencyStore:
        """The idempotency records, written atomically with the unit."""
        ...

    def record(self, events: Iterable[Event]) -> None:
        """Stage events; they reach the event log only on :meth:`commit`."""
        ...

    def commit(self) -> tuple[Event, ...]:
        """Apply every staged write atomically and return the staged events.

        Raises :class:`~partnerkit.errors.ConcurrencyConflictError`, applying
        nothing, if another unit committed a conflicting write first.
        """
        ...

    def rollback(self) -> None:
        """Discard every staged write and event."""
        ...


@final
@attrs.frozen
class Change:
    """One stored value a commit changed: what it was (``None`` for a new one) and what it is."""

    collection: str
    key: str
    before: Any
    after: Any


@final
@attrs.frozen
class AuditEntry:
    """What one commit changed, who did it and why: the store's audit trail.

    The built-in stores write one entry per commit that changed stored
    values, atomically with the changes; ``actor``, ``reason`` and
    ``occurred_at`` come from the first event committed with them.

    Attributes:
        occurred_at: When (the first event's time), if the commit logged events.
        actor: Who, likewise.
        reason: Why, when the command carried a reason.
        events: The names of the events committed with the changes.
        changes: Every value changed, before and after.
    """

    occurred_at: datetime | None
    actor: str | None
    reason: str | None
    events: tuple[str, ...]
    changes: tuple[Change, ...]

    @classmethod
    def of(cls, events: tuple[Event, ...], changes: tuple[Change, ...]) -> AuditEntry:
        """The entry for a commit of ``changes`` with ``events``."""
        first = events[0] if events else None
        return cls(
            occurred_at=first.occurred_at if first else None,
            actor=str(first.actor) if first else None,
            reason=next((e.reason for e in events if e.reason), None),
            events=tuple(type(e).__name__ for e in events),
            changes=changes,
        )


class Verifier(Protocol):
    """Checks the SMS or email verification code of a critical operation (R-CUST-147, G-25).

    The embedding application issues codes; partnerkit only asks whether the
    code an actor typed is right for the operation.
    """

    def check(self, actor: ActorId, operation: str, code: str | None) -> bool:
        """Whether ``code`` verifies ``actor`` for ``operation``."""
        ...


class Clock(Protocol):
    """Tells the current time; the only way services learn it."""

    def now(self) -> datetime:
        """The current instant, timezone-aware."""
        ...
