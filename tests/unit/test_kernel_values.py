from __future__ import annotations

import pickle
from datetime import datetime, timedelta

import attrs
import pytest

from partnerkit.adapters.clock import FixedClock, SystemClock
from partnerkit.errors import (
    ConcurrencyConflictError,
    CurrencyMismatchError,
    IdempotencyConflictError,
    InvalidArgumentError,
    NotFoundError,
    PartnerkitError,
    PermissionDeniedError,
    PrecisionError,
    RuleViolationError,
    UnknownCurrencyError,
)
from partnerkit.events import Event
from partnerkit.ids import ActorId, CustomerId, PartnerId
from partnerkit.periods import UTC

T0 = datetime(2024, 6, 1, tzinfo=UTC)


class TestErrors:
    def test_every_error_has_the_one_root(self) -> None:
        errors: list[PartnerkitError] = [
            InvalidArgumentError("x", 1, "bad"),
            UnknownCurrencyError("XYZ"),
            PrecisionError("amount", "1.005", "too precise"),
            CurrencyMismatchError("USD", "EUR", "+"),
            NotFoundError("customer", CustomerId("c-1")),
            PermissionDeniedError(
                PartnerId("p-2"), "freeze", CustomerId("c-1"), rule_id="R-DEMO-62"
            ),
            RuleViolationError("R-DEMO-13", "already associated"),
            ConcurrencyConflictError("customers", "c-1", expected_version=1, actual_version=2),
            IdempotencyConflictError("k", stored_fingerprint="a", new_fingerprint="b"),
        ]
        assert all(isinstance(e, PartnerkitError) for e in errors)
        assert all(str(e) for e in errors)

    def test_errors_subclass_the_nearest_builtin(self) -> None:
        assert isinstance(InvalidArgumentError("x", 1, "bad"), ValueError)
        assert isinstance(NotFoundError("customer", "c-1"), LookupError)
        assert isinstance(PermissionDeniedError("a", "b", "c"), PermissionError)

    def test_structured_fields(self) -> None:
        denied = PermissionDeniedError(
            PartnerId("p-2"), "freeze", CustomerId("c-1"), rule_id="R-DEMO-62", reason="delegated"
        )
        assert (denied.actor, denied.action, denied.target, denied.rule_id) == (
            "p-2",
            "freeze",
            "c-1",
            "R-DEMO-62",
        )
        assert "[R-DEMO-62]" in str(denied)
        violation = RuleViolationError(
            "R-DEMO-13", "already associated", fields={"customer": "c-1"}, reasons=("a", "b")
        )
        assert violation.rule_id == "R-DEMO-13"
        assert violation.reasons == ("a", "b")
        with pytest.raises(TypeError):
            violation.fields["customer"] = "c-2"  # type: ignore[index]
        assert str(InvalidArgumentError("x", 1, "bad", rule_id="R-DEMO-06")).endswith("[R-DEMO-06]")


class TestEvents:
    def test_events_are_frozen_values(self) -> None:
        event = Event(occurred_at=T0, actor=ActorId("u-1"), reason="why")
        assert event == Event(occurred_at=T0, actor=ActorId("u-1"), reason="why")
        assert event.name == "Event"
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            event.reason = "other"  # type: ignore[misc]
        assert pickle.loads(pickle.dumps(event)) == event

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"occurred_at": datetime(2024, 6, 1), "actor": "u-1"},  # noqa: DTZ001
            {"occurred_at": "2024-06-01", "actor": "u-1"},
            {"occurred_at": T0, "actor": ""},
            {"occurred_at": T0, "actor": 7},
            {"occurred_at": T0, "actor": "u-1", "reason": 5},
            {"occurred_at": T0, "actor": "u-1", "reason": "x" * 1025},
        ],
    )
    def test_bad_events_are_refused(self, kwargs: dict[str, object]) -> None:
        with pytest.raises(InvalidArgumentError):
            Event(**kwargs)  # type: ignore[arg-type]


class TestClocks:
    def test_fixed_clock(self) -> None:
        clock = FixedClock(T0)
        assert clock.now() == T0
        clock.advance(timedelta(hours=1))
        assert clock.now() == T0 + timedelta(hours=1)
        clock.set(T0)
        assert clock.now() == T0

    def test_fixed_clock_refuses_naive_time_and_going_back(self) -> None:
        with pytest.raises(InvalidArgumentError):
            FixedClock(datetime(2024, 1, 1))  # noqa: DTZ001
        with pytest.raises(InvalidArgumentError):
            FixedClock(T0).advance(timedelta(seconds=-1))

    def test_system_clock_is_aware(self) -> None:
        now = SystemClock().now()
        assert now.tzinfo is not None
        assert now > T0
