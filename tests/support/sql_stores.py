"""A pytest plugin: every ``InMemoryStore()`` the tests create becomes a SQLite store.

``make test`` runs the service test modules a second time with it
(``pytest -p tests.support.sql_stores ...``), so every command of every
service - and so every collection they store and every event they log -
round-trips through the SQL adapter with the same assertions as in memory.
"""

from __future__ import annotations

from typing import Any

import pytest

import partnerkit.adapters.memory as memory
from partnerkit.adapters.sql import SqlStore

MADE: list[SqlStore] = []
#: The real in-memory store class, before the plugin stands SQLite in for it.
MEMORY_STORE = memory.InMemoryStore


def _sqlite_store() -> Any:
    store = SqlStore.connect("sqlite://")
    MADE.append(store)
    return store


def pytest_configure(config: pytest.Config) -> None:
    memory.InMemoryStore = _sqlite_store  # type: ignore[misc, assignment]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    terminalreporter.write_line(f"sql_stores: {len(MADE)} SQLite stores stood in for memory")
