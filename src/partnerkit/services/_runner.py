"""The plumbing every service command shares (private).

:func:`run_command` opens a unit of work, replays an idempotent command whose
key was seen with the same arguments, runs the body, records its events and
the idempotency record, and commits.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from partnerkit.errors import (
    IdempotencyConflictError,
    InvalidArgumentError,
    PartnerkitError,
    PermissionDeniedError,
)
from partnerkit.events import Event
from partnerkit.ids import IdempotencyKey
from partnerkit.periods import require_aware
from partnerkit.permissions import Actor, ActorKind
from partnerkit.ports import IdempotencyRecord, Repository, UnitOfWork, Verifier, Versioned
from partnerkit.serialization import make_converter

_CONVERTER = make_converter()

E = TypeVar("E", bound=Versioned)


def fingerprint(command: str, arguments: dict[str, Any]) -> str:
    """A stable digest of a command and its arguments."""
    payload = json.dumps(
        {"command": command, "arguments": _CONVERTER.unstructure(arguments)},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def run_command(
    new_unit: Callable[[], UnitOfWork],
    command: str,
    arguments: dict[str, Any],
    key: IdempotencyKey | None,
    as_of: datetime,
    body: Callable[[UnitOfWork], Sequence[Event]],
) -> tuple[Event, ...]:
    """Run ``body`` in a new unit of work; commit and return its events."""
    when = require_aware(as_of)
    with new_unit() as uow:
        digest = ""
        if key is not None:
            if not isinstance(key, str) or not key:
                raise InvalidArgumentError("idempotency_key", key, "expected a non-empty key")
            digest = fingerprint(command, arguments)
            previous = uow.idempotency.find(key)
            if previous is not None:
                if previous.fingerprint != digest:
                    raise IdempotencyConflictError(
                        key, stored_fingerprint=previous.fingerprint, new_fingerprint=digest
                    )
                return previous.events
        events = tuple(body(uow))
        uow.record(events)
        if key is not None:
            uow.idempotency.add(IdempotencyRecord(key, digest, events, when))
        return uow.commit()


def save(repo: Repository[E], before: E | None, after: E) -> E:
    """Add ``after`` if there was nothing, save it if it changed; return what is stored."""
    if before is None:
        return repo.add(after)
    if after is not before and after != before:
        return repo.save(after, expected_version=before.version)
    return before


def check_flags(**flags: object) -> None:
    """Yes/no arguments must be real bools: ``"no"`` is truthy and would agree."""
    for name, value in flags.items():
        if not isinstance(value, bool):
            raise InvalidArgumentError(name, value, "expected True or False")


def verify(
    verifier: Verifier | None, actor: Actor, operation: str, code: str | None, *, required: bool
) -> None:
    """R-CUST-147 / G-25: a critical operation needs the actor's code when required."""
    if verifier is None or not required:
        return
    if not verifier.check(actor.id, operation, code):
        raise PermissionDeniedError(
            actor.id,
            operation,
            "a critical operation",
            rule_id="R-CUST-147",
            reason="the verification code is missing or wrong",
        )


_JUNK_ERRORS = (TypeError, ValueError, AttributeError, KeyError, IndexError, ArithmeticError)

S = TypeVar("S", bound=type)


def service_edge(cls: S) -> S:
    """Make every public command of a service class refuse junk with ``InvalidArgumentError``.

    A command given a value of the wrong shape (``None`` for a list, a float
    for a mapping) would otherwise fail deep inside with a bare ``TypeError``;
    the edge turns any such failure into an ``InvalidArgumentError`` naming
    the command, the original chained.  Nothing has been committed then: the
    unit of work rolls back as the exception leaves it.
    """
    for name, member in list(vars(cls).items()):
        if name.startswith("_") or not callable(member):
            continue
        setattr(cls, name, _edge(member, f"{cls.__name__}.{name}"))
    return cls


def _edge(method: Callable[..., Any], where: str) -> Callable[..., Any]:
    @functools.wraps(method)
    def command(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except PartnerkitError:
            raise
        except _JUNK_ERRORS as exc:
            raise InvalidArgumentError(where, type(exc).__name__, str(exc)) from exc

    return command


def check_reader(actor: Actor | None, *owners: str | None, what: str = "data") -> None:
    """May ``actor`` read data owned by ``owners`` (a partner and, e.g., its distributor)?

    ``None`` is a trusted in-process caller (a job, a test); pass the actor
    whenever a read serves a user.  The vendor and the system read anything;
    a partner user reads only what its own partner owns; a customer reads
    no partner data.
    """
    if actor is None:
        return
    if not isinstance(actor, Actor):
        raise InvalidArgumentError("actor", actor, "an Actor or None")
    if actor.kind in (ActorKind.VENDOR, ActorKind.SYSTEM):
        return
    if actor.kind is ActorKind.PARTNER_USER and actor.partner_id in {o for o in owners if o}:
        return
    raise PermissionDeniedError(
        actor.id,
        f"read {what} of",
        ", ".join(o for o in owners if o) or "another tenant",
        reason="a partner reads only its own partner's data",
    )
