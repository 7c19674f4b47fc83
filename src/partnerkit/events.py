"""The event base class.

Every state change in partnerkit returns events: frozen values named in the
past tense (``CustomerAssociated``, ``BudgetThresholdReached``) that carry
*when* it happened, *who* did it and, where the spec asks for one, *why*.
The library returns events and never dispatches them; the event log is the
audit trail.

Domain modules subclass :class:`Event` with ``@attrs.frozen(kw_only=True)``:

>>> import attrs
>>> from datetime import datetime
>>> from partnerkit.periods import UTC
>>> @attrs.frozen(kw_only=True)
... class NoteTaken(Event):
...     note: str
>>> event = NoteTaken(occurred_at=datetime(2024, 6, 1, tzinfo=UTC), actor=ActorId("u-1"),
...                   note="hello")
>>> event.name, event.reason
('NoteTaken', None)
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

import partnerkit._validators as _v
from partnerkit.errors import InvalidArgumentError
from partnerkit.ids import ActorId

__all__ = ["ActorId", "Event"]

#: Longest free-text reason an event keeps.
MAX_REASON_LENGTH = 1024


def _actor(instance: object, attribute: object, value: Any) -> None:
    if not isinstance(value, str) or not value:
        raise InvalidArgumentError("actor", value, "expected a non-empty actor id")


def _reason(instance: object, attribute: object, value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        raise InvalidArgumentError("reason", value, "expected a string or None")
    if len(value) > MAX_REASON_LENGTH:
        raise InvalidArgumentError(
            "reason", f"{value[:20]}...", f"at most {MAX_REASON_LENGTH} characters"
        )


@attrs.frozen(kw_only=True)
class Event:
    """Something that happened, as returned by a state change.

    Attributes:
        occurred_at: When, timezone-aware.
        actor: Who caused it.
        reason: Why, when the command carried a reason.
    """

    occurred_at: datetime = attrs.field(validator=_v.aware)
    actor: ActorId = attrs.field(validator=_actor)
    reason: str | None = attrs.field(default=None, validator=_reason)

    @property
    def name(self) -> str:
        """The event's type name, e.g. ``"CustomerAssociated"``."""
        return type(self).__name__

    def snapshots(self) -> tuple[object, ...]:
        """The stored values this event leaves behind (none for the base class).

        Events that change stored state override it, so that replaying the
        event log rebuilds the store.
        """
        return ()
