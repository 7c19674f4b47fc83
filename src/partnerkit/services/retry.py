"""Retrying a service command after an optimistic-concurrency conflict.

Every service command loads, decides and commits in one unit of work; when
another worker committed a change to the same aggregate first, the commit
raises :class:`~partnerkit.errors.ConcurrencyConflictError` and applies
nothing.  Running the command again re-reads the new state and decides
again.  Commands that take an idempotency key are safe to repeat: if the
first attempt did commit (a lost acknowledgement), the repeat replays its
events instead of applying it twice.

>>> calls = []
>>> def command() -> str:
...     calls.append(1)
...     if len(calls) < 3:
...         raise ConcurrencyConflictError("budgets", "c1", expected_version=1, actual_version=2)
...     return "done"
>>> retry_on_conflict(command, attempts=5), len(calls)
('done', 3)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from partnerkit.errors import ConcurrencyConflictError, InvalidArgumentError

__all__ = ["retry_on_conflict"]

T = TypeVar("T")


def retry_on_conflict(
    command: Callable[[], T],
    *,
    attempts: int = 5,
    backoff: float = 0.0,
    on_conflict: Callable[[ConcurrencyConflictError, int], None] | None = None,
) -> T:
    """Run ``command``; on a concurrency conflict run it again, at most ``attempts`` times.

    ``backoff`` seconds (doubled each time) are slept between attempts;
    ``on_conflict(error, attempt)`` is told of every conflict (for counting).
    The last conflict is raised when every attempt conflicted.  Any other
    error is raised at once: refusals are not retried.
    """
    if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1:
        raise InvalidArgumentError("attempts", attempts, "an int >= 1")
    for attempt in range(1, attempts + 1):
        try:
            return command()
        except ConcurrencyConflictError as conflict:
            if on_conflict is not None:
                on_conflict(conflict, attempt)
            if attempt == attempts:
                raise
            if backoff > 0:
                time.sleep(backoff * 2 ** (attempt - 1))
    raise AssertionError("unreachable")  # pragma: no cover
