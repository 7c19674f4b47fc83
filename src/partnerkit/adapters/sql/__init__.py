"""SQL storage for partnerkit: SQLAlchemy Core over SQLite and PostgreSQL.

Install the extra first: ``pip install 'partnerkit[sql]'`` (SQLAlchemy 2 and
psycopg 3).  :class:`SqlStore` implements every repository port, the unit of
work, idempotency records, the event log and an audit trail of every change,
on four tables (:data:`METADATA`); :func:`create_schema` creates them.
"""

try:
    import sqlalchemy  # noqa: F401
except ImportError as exc:  # pragma: no cover - the dev install always has the extra
    raise ImportError(
        "partnerkit.adapters.sql needs SQLAlchemy: install it with pip install 'partnerkit[sql]'"
    ) from exc

from partnerkit.adapters.sql.codec import dumps, loads, register
from partnerkit.adapters.sql.store import (
    AUDIT,
    ENTITIES,
    EVENTS,
    IDEMPOTENCY,
    METADATA,
    SqlIdempotencyStore,
    SqlRepository,
    SqlStore,
    SqlUnitOfWork,
    create_schema,
)

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
    "dumps",
    "loads",
    "register",
]
