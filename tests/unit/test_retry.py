"""retry_on_conflict: conflicts are retried, refusals are not, the last conflict surfaces."""

from __future__ import annotations

import pytest

from partnerkit.errors import ConcurrencyConflictError, InvalidArgumentError, RuleViolationError
from partnerkit.services.retry import retry_on_conflict


def conflict() -> ConcurrencyConflictError:
    return ConcurrencyConflictError("budgets", "c1", expected_version=1, actual_version=2)


def test_gives_up_after_the_attempts_and_reports_each_conflict() -> None:
    seen: list[int] = []

    def always() -> None:
        raise conflict()

    with pytest.raises(ConcurrencyConflictError):
        retry_on_conflict(
            always, attempts=3, backoff=0.001, on_conflict=lambda _, attempt: seen.append(attempt)
        )
    assert seen == [1, 2, 3]


def test_refusals_are_not_retried() -> None:
    calls: list[int] = []

    def refused() -> None:
        calls.append(1)
        raise RuleViolationError("R-CUST-30", "no")

    with pytest.raises(RuleViolationError):
        retry_on_conflict(refused)
    assert calls == [1]


@pytest.mark.parametrize("attempts", [0, -1, True, "3"])
def test_attempts_must_be_a_positive_int(attempts: object) -> None:
    with pytest.raises(InvalidArgumentError):
        retry_on_conflict(lambda: None, attempts=attempts)  # type: ignore[arg-type]
