"""Clocks: the system clock for production and a fixed one for tests and demos.

>>> from datetime import datetime, timedelta
>>> from partnerkit.periods import UTC
>>> clock = FixedClock(datetime(2024, 6, 1, tzinfo=UTC))
>>> clock.advance(timedelta(days=1))
>>> clock.now()
datetime.datetime(2024, 6, 2, 0, 0, tzinfo=datetime.timezone.utc)
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import final

from partnerkit.errors import InvalidArgumentError
from partnerkit.periods import UTC, require_aware

__all__ = ["FixedClock", "SystemClock"]


@final
class SystemClock:
    """The machine's clock, in ``tz`` (default UTC).

    This is the only place in partnerkit that reads the real time.
    """

    def __init__(self, tz: tzinfo = UTC) -> None:
        self._tz = tz

    def now(self) -> datetime:
        """The current instant in the clock's zone."""
        return datetime.now(self._tz)


@final
class FixedClock:
    """A clock that says what it is told: for tests, demos and replays."""

    def __init__(self, instant: datetime) -> None:
        self._instant = require_aware(instant, argument="instant")

    def now(self) -> datetime:
        """The set instant."""
        return self._instant

    def set(self, instant: datetime) -> None:
        """Move the clock to ``instant``."""
        self._instant = require_aware(instant, argument="instant")

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward by ``delta`` (must not be negative)."""
        if not isinstance(delta, timedelta) or delta < timedelta(0):
            raise InvalidArgumentError("delta", delta, "expected a non-negative timedelta")
        self._instant = self._instant + delta
