"""The storage contract: tests every :class:`~partnerkit.ports.UnitOfWork` adapter must pass.

Subclass :class:`UnitOfWorkContract` in a test module whose class name
starts with ``Test`` and provide the ``new_unit_of_work`` fixture: a
callable that opens a new unit of work on *one fresh, empty store* (all
units from one fixture value share that store)::

    import pytest
    from partnerkit.adapters.memory import InMemoryStore
    from partnerkit.testing.contract import UnitOfWorkContract

    class TestInMemory(UnitOfWorkContract):
        @pytest.fixture
        def new_unit_of_work(self):
            return InMemoryStore().unit_of_work

The contract stores :class:`Widget` values, which hold money and an aware
datetime, so an adapter that serialises must round-trip both exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

import attrs
import pytest

from partnerkit.errors import (
    ConcurrencyConflictError,
    IdempotencyConflictError,
    InvalidArgumentError,
    NotFoundError,
)
from partnerkit.events import Event
from partnerkit.ids import ActorId, IdempotencyKey
from partnerkit.money import Currency, Money
from partnerkit.periods import GMT_PLUS_8
from partnerkit.ports import Collection, IdempotencyRecord, UnitOfWork

__all__ = ["WIDGETS", "UnitOfWorkContract", "Widget", "WidgetRenamed"]

NewUnitOfWork = Callable[[], UnitOfWork]

_T0 = datetime(2024, 6, 1, 9, 30, tzinfo=GMT_PLUS_8)
_USD = Currency("USD")


@attrs.frozen
class Widget:
    """The test entity of the contract."""

    id: str
    owner: str
    name: str
    price: Money
    updated_at: datetime
    version: int = 0


#: The contract's collection.
WIDGETS: Collection[Widget] = Collection(
    "widgets", Widget, key=lambda w: w.id, owner=lambda w: w.owner
)


@attrs.frozen(kw_only=True)
class WidgetRenamed(Event):
    """The contract's test event."""

    widget: str
    before: str
    after: str


def widget(key: str = "w-1", *, owner: str = "p-1", name: str = "first") -> Widget:
    """A widget with an 8-decimal price and an aware timestamp."""
    return Widget(key, owner, name, Money(Decimal("12.34567891"), _USD), _T0)


def renamed(key: str = "w-1", before: str = "first", after: str = "second") -> WidgetRenamed:
    """A rename event."""
    return WidgetRenamed(
        occurred_at=_T0, actor=ActorId("tester"), widget=key, before=before, after=after
    )


def _add(new: NewUnitOfWork, *widgets: Widget) -> None:
    with new() as uow:
        repo = uow.repository(WIDGETS)
        for w in widgets:
            repo.add(w)
        uow.commit()


def _read(new: NewUnitOfWork, key: str) -> Widget | None:
    with new() as uow:
        return uow.repository(WIDGETS).find(key)


class UnitOfWorkContract:
    """The tests; subclass and provide the ``new_unit_of_work`` fixture."""

    @pytest.fixture
    def new_unit_of_work(self) -> NewUnitOfWork:
        """Override: a callable opening units of work on one fresh store."""
        raise NotImplementedError

    def test_added_entity_is_visible_after_commit_at_version_1(
        self, new_unit_of_work: NewUnitOfWork
    ) -> None:
        with new_unit_of_work() as uow:
            stored = uow.repository(WIDGETS).add(widget())
            uow.commit()
        assert stored.version == 1
        assert _read(new_unit_of_work, "w-1") == attrs.evolve(widget(), version=1)

    def test_money_and_datetimes_round_trip_exactly(self, new_unit_of_work: NewUnitOfWork) -> None:
        _add(new_unit_of_work, widget())
        loaded = _read(new_unit_of_work, "w-1")
        assert loaded is not None
        assert loaded.price.amount.as_tuple() == Decimal("12.34567891").as_tuple()
        assert loaded.price.currency == _USD
        assert loaded.updated_at == _T0
        assert loaded.updated_at.utcoffset() == timedelta(hours=8)

    def test_unit_reads_its_own_writes_before_commit(self, new_unit_of_work: NewUnitOfWork) -> None:
        with new_unit_of_work() as uow:
            repo = uow.repository(WIDGETS)
            repo.add(widget())
            assert repo.get("w-1").version == 1
            assert _read(new_unit_of_work, "w-1") is None

    def test_get_of_unknown_key_raises_not_found(self, new_unit_of_work: NewUnitOfWork) -> None:
        with new_unit_of_work() as uow:
            repo = uow.repository(WIDGETS)
            with pytest.raises(NotFoundError) as info:
                repo.get("nope")
            assert (info.value.entity, info.value.key) == ("widgets", "nope")
            assert repo.find("nope") is None

    def test_save_increments_the_version(self, new_unit_of_work: NewUnitOfWork) -> None:
        _add(new_unit_of_work, widget())
        with new_unit_of_work() as uow:
            repo = uow.repository(WIDGETS)
            current = repo.get("w-1")
            saved = repo.save(attrs.evolve(current, name="second"), expected_version=1)
            uow.commit()
        assert saved.version == 2
        loaded = _read(new_unit_of_work, "w-1")
        assert loaded is not None
        assert (loaded.name, loaded.version) == ("second", 2)

    def test_save_with_a_stale_version_raises_and_changes_nothing(
        self, new_unit_of_work: NewUnitOfWork
    ) -> None:
        _add(new_unit_of_work, widget())
        with new_unit_of_work() as uow:
            repo = uow.repository(WIDGETS)
            with pytest.raises(ConcurrencyConflictError) as info:
                repo.save(attrs.evolve(widget(), name="x"), expected_version=7)
            assert (info.value.expected_version, info.value.actual_version) == (7, 1)
            uow.commit()
        assert _read(new_unit_of_work, "w-1") == attrs.evolve(widget(), version=1)

    def test_save_of_a_never_added_entity_raises_not_found(
        self, new_unit_of_work: NewUnitOfWork
    ) -> None:
        with new_unit_of_work() as uow, pytest.raises(NotFoundError):
            uow.repository(WIDGETS).save(widget(), expected_version=0)

    def test_adding_an_existing_key_raises(self, new_unit_of_work: NewUnitOfWork) -> None:
        _add(new_unit_of_work, widget())
        with new_unit_of_work() as uow:
            with pytest.raises(ConcurrencyConflictError) as info:
                uow.repository(WIDGETS).add(widget(name="dup"))
            assert (info.value.expected_version, info.value.actual_version) == (None, 1)

    def test_second_writer_of_the_same_version_conflicts_at_commit(
        self, new_unit_of_work: NewUnitOfWork
    ) -> None:
        _add(new_unit_of_work, widget())
        first, second = new_unit_of_work(), new_unit_of_work()
        with first, second:
            a = first.repository(WIDGETS)
            b = second.repository(WIDGETS)
            a.save(attrs.evolve(a.get("w-1"), name="from-a"), expected_version=1)
            b.save(attrs.evolve(b.get("w-1"), name="from-b"), expected_version=1)
            first.commit()
            with pytest.raises(ConcurrencyConflictError):
                second.commit()
        loaded = _read(new_unit_of_work, "w-1")
        assert loaded is not None
        assert (loaded.name, loaded.version) == ("from-a", 2)

    def test_concurrent_adds_of_one_key_conflict_at_commit(
        self, new_unit_of_work: NewUnitOfWork
    ) -> None:
        first, second = new_unit_of_work(), new_unit_of_work()
        with first, second:
            first.repository(WIDGETS).add(widget(name="a"))
            second.repository(WIDGETS).add(widget(name="b"))
            first.commit()
            with pytest.raises(ConcurrencyConflictError):
                second.commit()
        loaded = _read(new_unit_of_work, "w-1")
        assert loaded is not None
        assert loaded.name == "a"

    def test_a_failed_commit_applies_nothing(self, new_unit_of_work: NewUnitOfWork) -> None:
        _add(new_unit_of_work, widget("w-1"))
        stale = new_unit_of_work()
        with stale:
            repo = stale.repository(WIDGETS)
            repo.add(widget("w-2"))
            repo.save(attrs.evolve(repo.get("w-1"), name="stale"), expected_version=1)
            stale.record([renamed()])
            with new_unit_of_work() as other:
                o = other.repository(WIDGETS)
                o.save(attrs.evolve(o.get("w-1"), name="winner"), expected_version=1)
                other.commit()
            with pytest.raises(ConcurrencyConflictError):
                stale.commit()
        assert _read(new_unit_of_work, "w-2") is None
        loaded = _read(new_unit_of_work, "w-1")
        assert loaded is not None
        assert loaded.name == "winner"

    def test_rollback_discards_writes_and_events(self, new_unit_of_work: NewUnitOfWork) -> None:
        with new_unit_of_work() as uow:
            uow.repository(WIDGETS).add(widget())
            uow.record([renamed()])
            uow.rollback()
            assert uow.commit() == ()
        assert _read(new_unit_of_work, "w-1") is None

    def test_leaving_without_commit_rolls_back(self, new_unit_of_work: NewUnitOfWork) -> None:
        with new_unit_of_work() as uow:
            uow.repository(WIDGETS).add(widget())
        assert _read(new_unit_of_work, "w-1") is None

    def test_an_exception_inside_the_block_rolls_back(
        self, new_unit_of_work: NewUnitOfWork
    ) -> None:
        with pytest.raises(RuntimeError), new_unit_of_work() as uow:
            uow.repository(WIDGETS).add(widget())
            raise RuntimeError("boom")
        assert _read(new_unit_of_work, "w-1") is None

    def test_commit_returns_recorded_events_in_order(self, new_unit_of_work: NewUnitOfWork) -> None:
        events = [renamed(after="b"), renamed(before="b", after="c")]
        with new_unit_of_work() as uow:
            uow.record(events[:1])
            uow.record(events[1:])
            assert uow.commit() == tuple(events)
            assert uow.commit() == ()

    def test_list_by_owner_sees_committed_and_own_staged_entities(
        self, new_unit_of_work: NewUnitOfWork
    ) -> None:
        _add(new_unit_of_work, widget("w-2"), widget("w-9", owner="p-2"))
        with new_unit_of_work() as uow:
            repo = uow.repository(WIDGETS)
            repo.add(widget("w-1"))
            assert [w.id for w in repo.list_by_owner("p-1")] == ["w-1", "w-2"]
            assert [w.id for w in repo.list_by_owner("p-2")] == ["w-9"]
            assert repo.list_by_owner("nobody") == ()

    @pytest.mark.parametrize("key", [None, "", 7, ["w-1"]])
    def test_bad_keys_are_rejected(self, new_unit_of_work: NewUnitOfWork, key: object) -> None:
        with new_unit_of_work() as uow:
            repo = uow.repository(WIDGETS)
            with pytest.raises(InvalidArgumentError):
                repo.find(key)  # type: ignore[arg-type]
            with pytest.raises(InvalidArgumentError):
                repo.list_by_owner(key)  # type: ignore[arg-type]
            with pytest.raises(InvalidArgumentError):
                uow.idempotency.find(key)  # type: ignore[arg-type]

    def test_wrong_entity_type_is_rejected(self, new_unit_of_work: NewUnitOfWork) -> None:
        with new_unit_of_work() as uow, pytest.raises(InvalidArgumentError):
            uow.repository(WIDGETS).add("not a widget")  # type: ignore[arg-type]

    def test_idempotency_record_replays_and_conflicts(
        self, new_unit_of_work: NewUnitOfWork
    ) -> None:
        key = IdempotencyKey("op-1")
        record = IdempotencyRecord(key, "fp-a", (renamed(),), _T0)
        with new_unit_of_work() as uow:
            assert uow.idempotency.find(key) is None
            uow.idempotency.add(record)
            assert uow.idempotency.find(key) == record
            uow.commit()
        with new_unit_of_work() as uow:
            assert uow.idempotency.find(key) == record
            uow.idempotency.add(record)  # same fingerprint: a no-op
            with pytest.raises(IdempotencyConflictError) as info:
                uow.idempotency.add(attrs.evolve(record, fingerprint="fp-b"))
            assert (info.value.stored_fingerprint, info.value.new_fingerprint) == ("fp-a", "fp-b")

    def test_idempotency_records_roll_back_with_the_unit(
        self, new_unit_of_work: NewUnitOfWork
    ) -> None:
        key = IdempotencyKey("op-2")
        with new_unit_of_work() as uow:
            uow.idempotency.add(IdempotencyRecord(key, "fp", (), _T0))
        with new_unit_of_work() as uow:
            assert uow.idempotency.find(key) is None

    def test_concurrent_idempotency_records_with_other_fingerprints_conflict(
        self, new_unit_of_work: NewUnitOfWork
    ) -> None:
        key = IdempotencyKey("op-3")
        first, second = new_unit_of_work(), new_unit_of_work()
        with first, second:
            first.idempotency.add(IdempotencyRecord(key, "fp-a", (), _T0))
            second.idempotency.add(IdempotencyRecord(key, "fp-b", (), _T0))
            first.commit()
            with pytest.raises(IdempotencyConflictError):
                second.commit()
