"""A model-based state machine for the in-memory unit of work.

Two units of work interleave adds, saves, commits and rollbacks on one store;
a plain dict models what must be committed.  After every step the store must
equal the model: commits are atomic, rollbacks restore, and a stale version
always conflicts.
"""

from __future__ import annotations

import attrs
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from partnerkit.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from partnerkit.errors import ConcurrencyConflictError, NotFoundError
from partnerkit.testing.contract import WIDGETS, Widget, widget

KEYS = st.sampled_from(["w-1", "w-2", "w-3"])
UNITS = st.sampled_from([0, 1])


class UnitOfWorkMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.store = InMemoryStore()
        self.committed: dict[str, Widget] = {}
        self.units = [self.store.unit_of_work(), self.store.unit_of_work()]
        for unit in self.units:
            unit.__enter__()
        # per unit: key -> (entity, base version or None for an add)
        self.staged: list[dict[str, tuple[Widget, int | None]]] = [{}, {}]

    def _visible(self, index: int, key: str) -> Widget | None:
        if key in self.staged[index]:
            return self.staged[index][key][0]
        return self.committed.get(key)

    @rule(index=UNITS, key=KEYS, name=st.text(max_size=5))
    def add(self, index: int, key: str, name: str) -> None:
        unit: InMemoryUnitOfWork = self.units[index]
        visible = self._visible(index, key)
        try:
            stored = unit.repository(WIDGETS).add(widget(key, name=name))
        except ConcurrencyConflictError:
            assert visible is not None
            return
        assert visible is None
        self.staged[index][key] = (stored, None)

    @rule(index=UNITS, key=KEYS, name=st.text(max_size=5), stale=st.booleans())
    def save(self, index: int, key: str, name: str, stale: bool) -> None:
        unit = self.units[index]
        visible = self._visible(index, key)
        expected = (visible.version if visible else 0) + (1 if stale else 0)
        try:
            stored = unit.repository(WIDGETS).save(
                attrs.evolve(widget(key), name=name), expected_version=expected
            )
        except NotFoundError:
            assert visible is None
            return
        except ConcurrencyConflictError:
            assert stale
            return
        assert visible is not None
        assert not stale
        base = self.staged[index][key][1] if key in self.staged[index] else visible.version
        self.staged[index][key] = (stored, base)

    @rule(index=UNITS)
    def commit(self, index: int) -> None:
        writes = self.staged[index]
        conflict = any(
            (self.committed[k].version if k in self.committed else None) != base
            for k, (_, base) in writes.items()
        )
        try:
            self.units[index].commit()
        except ConcurrencyConflictError:
            assert conflict
        else:
            assert not conflict
            for key, (entity, _) in writes.items():
                self.committed[key] = entity
        self.staged[index] = {}

    @rule(index=UNITS)
    def rollback(self, index: int) -> None:
        self.units[index].rollback()
        self.staged[index] = {}

    @invariant()
    def store_matches_the_model(self) -> None:
        with self.store.unit_of_work() as reader:
            repo = reader.repository(WIDGETS)
            for key in ("w-1", "w-2", "w-3"):
                assert repo.find(key) == self.committed.get(key)

    def teardown(self) -> None:
        for unit in self.units:
            unit.__exit__(None, None, None)


TestUnitOfWorkMachine = UnitOfWorkMachine.TestCase
