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

from datetime import datetime
from typing import Any, cast, final

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from partnerkit.adapters._staged import (
    StagedIdempotencyStore,
    StagedRepository,
    StagedUnitOfWork,
    Write,
)
from partnerkit.adapters.sql import codec
from partnerkit.errors import (
    ConcurrencyConflictError,
    IdempotencyConflictError,
    InvalidArgumentError,
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
        parsed = sa.engine.make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"):
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


@final
class SqlRepository(StagedRepository[E]):
    """A :class:`~partnerkit.ports.Repository` bound to one SQL unit of work."""


@final
class SqlIdempotencyStore(StagedIdempotencyStore):
    """An :class:`~partnerkit.ports.IdempotencyStore` bound to one SQL unit of work."""


@final
class SqlUnitOfWork(StagedUnitOfWork):
    """A :class:`~partnerkit.ports.UnitOfWork` over a :class:`SqlStore`.

    Rows a unit reads are cached for its lifetime, so it sees one value per
    key; the commit checks that value is still the stored one.
    """

    def __init__(self, store: SqlStore) -> None:
        super().__init__()
        self._store = store
        self._reads: dict[tuple[str, str], Any] = {}
        self._idempotency = SqlIdempotencyStore(self)

    def _read(self, collection: str, key: str) -> Any | None:
        where = (collection, key)
        if where not in self._reads:
            self._reads[where] = self._store._row(collection, key)
        return self._reads[where]

    def _read_owned(self, collection: Collection[Any], owner: str) -> list[Any]:
        # a row this unit already read keeps the value it saw (a stable view)
        return [
            self._reads.setdefault((collection.name, collection.key(entity)), entity)
            for entity in self._store._owned(collection.name, owner)
        ]

    def _committed_record(self, key: str) -> IdempotencyRecord | None:
        return self._store._record(key)

    def repository(self, collection: Collection[E]) -> SqlRepository[E]:
        """The repository of ``collection`` within this unit."""
        if not isinstance(collection, Collection):
            raise InvalidArgumentError("collection", collection, "expected a Collection")
        return SqlRepository(self, collection)

    @property
    def idempotency(self) -> SqlIdempotencyStore:
        """Idempotency records staged with this unit."""
        return self._idempotency

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
        writes: list[tuple[Write, str]],
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
    def _version(connection: Connection, write: Write) -> int | None:
        found = connection.execute(
            sa.select(ENTITIES.c.version).where(
                ENTITIES.c.collection == write.collection, ENTITIES.c.key == write.key
            )
        ).scalar()
        return None if found is None else int(found)

    def rollback(self) -> None:
        """Discard everything staged and forget what was read."""
        super().rollback()
        self._reads = {}
