"""The SQL adapter: SQLAlchemy Core over SQLite or PostgreSQL.

Four tables hold everything (:data:`METADATA`):

* ``partnerkit_entities``: one row per stored value - ``(collection, key)``
  primary key, ``owner`` (indexed with the collection), ``version`` and the
  value as JSON text written by :mod:`partnerkit.adapters.sql.codec`;
* ``partnerkit_idempotency``: one row per idempotency key with its
  fingerprint and the events the first run returned;
* ``partnerkit_events``: the append-only event log, with the event's type,
  time (ISO 8601 with its offset, and as ``timestamp with time zone``),
  actor and reason next to its body;
* ``partnerkit_audit``: one row per commit that changed values, with the
  actor, the reason and every change before and after - the audit trail.

A unit of work reads committed rows, stages its writes in memory, and on
``commit`` applies all of them in one database transaction: an insert for a
new entity (a duplicate key is a conflict) and ``UPDATE ... WHERE version =
:expected`` for a change (zero rows updated is a conflict), the idempotency
row (a key someone else recorded meanwhile is a conflict) and the events.
Any conflict rolls the whole transaction back and raises
:class:`~partnerkit.errors.ConcurrencyConflictError`, so nothing is ever
half-written and no update is lost: the conditional update is an atomic
compare-and-set under PostgreSQL's default READ COMMITTED isolation, and
SQLite serialises writers (``BEGIN IMMEDIATE``, WAL journal, a busy timeout).

>>> store = SqlStore.connect("sqlite://")
>>> from partnerkit.testing.contract import WIDGETS, widget
>>> with store.unit_of_work() as uow:
...     _ = uow.repository(WIDGETS).add(widget())
...     _ = uow.commit()
>>> with store.unit_of_work() as uow:
...     uow.repository(WIDGETS).get("w-1").price
Money('12.34567891', 'USD')
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from types import TracebackType
from typing import Any, Generic, Self, cast, final

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from partnerkit.adapters.sql import codec
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
    "AUDIT",
    "ENTITIES",
    "EVENTS",
    "IDEMPOTENCY",
    "METADATA",
    "SqlIdempotencyStore",
    "SqlRepository",
    "SqlStore",
    "SqlUnitOfWork",
    "create_schema",
]

#: The adapter's tables; include them in your own migrations (Alembic's ``target_metadata``).
METADATA = sa.MetaData()

ENTITIES = sa.Table(
    "partnerkit_entities",
    METADATA,
    sa.Column("collection", sa.String(64), primary_key=True),
    sa.Column("key", sa.String(512), primary_key=True),
    sa.Column("owner", sa.String(512), nullable=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Index("ix_partnerkit_entities_owner", "collection", "owner"),
)
IDEMPOTENCY = sa.Table(
    "partnerkit_idempotency",
    METADATA,
    sa.Column("key", sa.String(512), primary_key=True),
    sa.Column("fingerprint", sa.String(128), nullable=False),
    sa.Column("recorded_at", sa.String(40), nullable=False),
    sa.Column("events", sa.Text, nullable=False),
)
EVENTS = sa.Table(
    "partnerkit_events",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(128), nullable=False),
    sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("occurred_at_iso", sa.String(40), nullable=False),
    sa.Column("actor", sa.String(256), nullable=False),
    sa.Column("reason", sa.Text, nullable=True),
    sa.Column("body", sa.Text, nullable=False),
)


AUDIT = sa.Table(
    "partnerkit_audit",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("occurred_at_iso", sa.String(40), nullable=True),
    sa.Column("actor", sa.String(256), nullable=True),
    sa.Column("reason", sa.Text, nullable=True),
    sa.Column("body", sa.Text, nullable=False),
)


def create_schema(engine: Engine) -> None:
    """Create the adapter's tables if they are missing (idempotent)."""
    METADATA.create_all(engine)


def _sqlite_setup(engine: Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _: object) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy's "begin" event emit BEGIN
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 30000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


@final
class SqlStore:
    """Committed state in a database, shared by the units of work opened on it.

    Args:
        engine: A SQLAlchemy engine (``sqlite:///path`` or
            ``postgresql+psycopg://...``); see :meth:`connect`.
    """

    def __init__(self, engine: Engine) -> None:
        if not isinstance(engine, Engine):
            raise InvalidArgumentError("engine", engine, "a SQLAlchemy Engine")
        self.engine = engine

    @classmethod
    def connect(cls, url: str, *, create: bool = True, **engine_options: Any) -> SqlStore:
        """A store on ``url``; creates the tables unless ``create=False``.

        SQLite connections use ``BEGIN IMMEDIATE`` for writes, the WAL journal
        for files and a 30 s busy timeout, so concurrent writers queue instead
        of failing.  ``sqlite://`` (in memory) keeps one shared connection.
        """
        if not isinstance(url, str) or not url:
            raise InvalidArgumentError("url", url, "a database URL")
        options = dict(engine_options)
        if url.startswith("sqlite") and url.rstrip("/") in ("sqlite:", "sqlite:/", "sqlite://"):
            options.setdefault("poolclass", sa.pool.StaticPool)
            options.setdefault("connect_args", {"check_same_thread": False})
        engine = sa.create_engine(url, **options)
        if engine.dialect.name == "sqlite":
            _sqlite_setup(engine)
        if create:
            create_schema(engine)
        return cls(engine)

    def unit_of_work(self) -> SqlUnitOfWork:
        """A new unit of work on this store."""
        return SqlUnitOfWork(self)

    def events(self) -> tuple[Event, ...]:
        """The committed event log, oldest first."""
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(EVENTS.c.body).order_by(EVENTS.c.id)).all()
        return tuple(cast(Event, codec.loads(row.body)) for row in rows)

    def snapshot(self) -> dict[str, dict[str, Any]]:
        """Every committed collection: ``{collection: {key: entity}}`` (like the memory store)."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(ENTITIES.c.collection, ENTITIES.c.key, ENTITIES.c.body)
            ).all()
        tables: dict[str, dict[str, Any]] = {}
        for row in rows:
            tables.setdefault(row.collection, {})[row.key] = codec.loads(row.body)
        return tables

    def audit_log(self) -> tuple[AuditEntry, ...]:
        """One entry per commit that changed stored values: who, why, before and after."""
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(AUDIT.c.body).order_by(AUDIT.c.id)).all()
        return tuple(cast(AuditEntry, codec.loads(row.body)) for row in rows)

    def idempotency_keys(self) -> frozenset[str]:
        """The committed idempotency keys."""
        with self.engine.connect() as connection:
            return frozenset(connection.execute(sa.select(IDEMPOTENCY.c.key)).scalars())

    def _row(self, collection: str, key: str) -> Any | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(ENTITIES.c.body).where(
                    ENTITIES.c.collection == collection, ENTITIES.c.key == key
                )
            ).first()
        return None if row is None else codec.loads(row.body)

    def _owned(self, collection: str, owner: str) -> list[Any]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(ENTITIES.c.body)
                .where(ENTITIES.c.collection == collection, ENTITIES.c.owner == owner)
                .order_by(ENTITIES.c.key)
            ).all()
        return [codec.loads(row.body) for row in rows]

    def _record(self, key: str) -> IdempotencyRecord | None:
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(IDEMPOTENCY).where(IDEMPOTENCY.c.key == key)).first()
        if row is None:
            return None
        return IdempotencyRecord(
            IdempotencyKey(row.key),
            row.fingerprint,
            tuple(codec.loads(row.events)),
            datetime.fromisoformat(row.recorded_at),
        )


class _Write:
    __slots__ = ("base_version", "collection", "entity", "key", "owner")

    def __init__(
        self, collection: str, key: str, owner: str | None, base_version: int | None, entity: Any
    ) -> None:
        self.collection = collection
        self.key = key
        self.owner = owner
        self.base_version = base_version
        self.entity = entity


@final
class SqlRepository(Generic[E]):
    """A :class:`~partnerkit.ports.Repository` bound to one SQL unit of work."""

    def __init__(self, unit: SqlUnitOfWork, collection: Collection[E]) -> None:
        self._unit = unit
        self._collection = collection

    def _visible(self, key: str) -> E | None:
        where = (self._collection.name, key)
        staged = self._unit._writes.get(where)
        if staged is not None:
            return cast(E, staged.entity)
        if where not in self._unit._reads:
            self._unit._reads[where] = self._unit._store._row(*where)
        return cast("E | None", self._unit._reads[where])

    def _check(self, entity: object) -> E:
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
        checked = self._check(entity)
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
        checked = self._check(entity)
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
        visible: dict[str, E] = {}
        for entity in self._unit._store._owned(name, owner):
            key = self._collection.key(entity)
            # a row this unit already read keeps the value it saw (a stable view)
            visible[key] = cast(E, self._unit._reads.setdefault((name, key), entity))
        for (collection, key), write in self._unit._writes.items():
            if collection == name:
                visible[key] = cast(E, write.entity)
        return tuple(
            visible[key] for key in sorted(visible) if self._collection.owner(visible[key]) == owner
        )


@final
class SqlIdempotencyStore:
    """An :class:`~partnerkit.ports.IdempotencyStore` bound to one SQL unit of work."""

    def __init__(self, unit: SqlUnitOfWork) -> None:
        self._unit = unit

    def find(self, key: IdempotencyKey) -> IdempotencyRecord | None:
        """The staged or committed record for ``key``."""
        self._unit._check_open()
        if not isinstance(key, str) or not key:
            raise InvalidArgumentError("key", key, "an idempotency key is a non-empty string")
        return self._unit._records.get(key) or self._unit._store._record(key)

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
class SqlUnitOfWork:
    """A :class:`~partnerkit.ports.UnitOfWork` over a :class:`SqlStore`."""

    def __init__(self, store: SqlStore) -> None:
        self._store = store
        self._writes: dict[tuple[str, str], _Write] = {}
        self._reads: dict[tuple[str, str], Any] = {}
        self._records: dict[str, IdempotencyRecord] = {}
        self._events: list[Event] = []
        self._open = False
        self._idempotency = SqlIdempotencyStore(self)

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
        owner = collection.owner(entity)
        self._writes[(collection.name, key)] = _Write(
            collection.name, key, owner, base_version, entity
        )

    def repository(self, collection: Collection[E]) -> SqlRepository[E]:
        """The repository of ``collection`` within this unit."""
        if not isinstance(collection, Collection):
            raise InvalidArgumentError("collection", collection, "expected a Collection")
        return SqlRepository(self, collection)

    @property
    def idempotency(self) -> SqlIdempotencyStore:
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
        """Apply everything staged in one transaction and return the staged events."""
        self._check_open()
        events = tuple(self._events)
        try:
            # encode first: a value that cannot be stored fails before any SQL runs
            writes = [(w, codec.dumps(w.entity)) for w in self._writes.values()]
            records = [(r, codec.dumps(r.events)) for r in self._records.values()]
            logged = [(e, codec.dumps(e)) for e in events]
            changes = tuple(
                # a save read the row first, and it commits only if the row is still that one
                Change(w.collection, w.key, self._reads.get((w.collection, w.key)), w.entity)
                for w in self._writes.values()
            )
            audit = codec.dumps(AuditEntry.of(events, changes)) if changes else None
            with self._store.engine.begin() as connection:
                self._apply(connection, writes, records, logged)
                if audit is not None:
                    first = events[0] if events else None
                    connection.execute(
                        AUDIT.insert().values(
                            occurred_at_iso=first.occurred_at.isoformat() if first else None,
                            actor=str(first.actor) if first else None,
                            reason=next((e.reason for e in events if e.reason), None),
                            body=audit,
                        )
                    )
        finally:
            self.rollback()
        return events

    def _apply(
        self,
        connection: Connection,
        writes: list[tuple[_Write, str]],
        records: list[tuple[IdempotencyRecord, str]],
        logged: list[tuple[Event, str]],
    ) -> None:
        for write, body in writes:
            version = int(write.entity.version)
            if write.base_version is None:
                try:
                    with connection.begin_nested():
                        connection.execute(
                            ENTITIES.insert().values(
                                collection=write.collection, key=write.key, owner=write.owner,
                                version=version, body=body,
                            )
                        )  # fmt: skip
                except sa.exc.IntegrityError as exc:
                    raise ConcurrencyConflictError(
                        write.collection, write.key, expected_version=None,
                        actual_version=self._version(connection, write),
                    ) from exc  # fmt: skip
                continue
            result = connection.execute(
                ENTITIES.update()
                .where(
                    ENTITIES.c.collection == write.collection,
                    ENTITIES.c.key == write.key,
                    ENTITIES.c.version == write.base_version,
                )
                .values(owner=write.owner, version=version, body=body)
            )
            if result.rowcount != 1:
                raise ConcurrencyConflictError(
                    write.collection, write.key, expected_version=write.base_version,
                    actual_version=self._version(connection, write),
                )  # fmt: skip
        for record, body in records:
            try:
                with connection.begin_nested():
                    connection.execute(
                        IDEMPOTENCY.insert().values(
                            key=record.key, fingerprint=record.fingerprint,
                            recorded_at=record.recorded_at.isoformat(), events=body,
                        )
                    )  # fmt: skip
            except sa.exc.IntegrityError as exc:
                stored = connection.execute(
                    sa.select(IDEMPOTENCY.c.fingerprint).where(IDEMPOTENCY.c.key == record.key)
                ).scalar()
                if stored != record.fingerprint:
                    raise IdempotencyConflictError(
                        record.key, stored_fingerprint=str(stored),
                        new_fingerprint=record.fingerprint,
                    ) from exc  # fmt: skip
                # the same command committed first elsewhere: never apply it twice; a retry
                # of the command finds the key and replays the first result
                raise ConcurrencyConflictError(
                    "idempotency", record.key, expected_version=None, actual_version=1
                ) from exc
        for event, body in logged:
            connection.execute(
                EVENTS.insert().values(
                    name=type(event).__name__, occurred_at=event.occurred_at,
                    occurred_at_iso=event.occurred_at.isoformat(), actor=str(event.actor),
                    reason=event.reason, body=body,
                )
            )  # fmt: skip

    @staticmethod
    def _version(connection: Connection, write: _Write) -> int | None:
        found = connection.execute(
            sa.select(ENTITIES.c.version).where(
                ENTITIES.c.collection == write.collection, ENTITIES.c.key == write.key
            )
        ).scalar()
        return None if found is None else int(found)

    def rollback(self) -> None:
        """Discard everything staged and forget what was read."""
        self._writes = {}
        self._reads = {}
        self._records = {}
        self._events = []
