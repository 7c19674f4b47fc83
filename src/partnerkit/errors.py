"""The partnerkit error tree.

Every exception partnerkit raises on purpose derives from
:class:`PartnerkitError`, so an embedding service can catch "anything the
library refused" in one place.
Each subclass also derives from the nearest builtin (``ValueError``,
``LookupError``, ``PermissionError`` ...) so that generic handlers keep
working, and carries the facts of the refusal as attributes rather than only
in its message.

Decisions (eligibility, "may this customer be associated?") are *values* with
reasons and are never raised; see :class:`RuleViolationError` for the
command-side counterpart that carries the same reasons.

>>> try:
...     raise RuleViolationError(
...         "R-CUST-13", "customer already has a partner", fields={"customer": "c-1"}
...     )
... except PartnerkitError as exc:
...     print(exc.rule_id, dict(exc.fields))
R-CUST-13 {'customer': 'c-1'}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

__all__ = [
    "ConcurrencyConflictError",
    "CurrencyMismatchError",
    "IdempotencyConflictError",
    "InvalidArgumentError",
    "NotFoundError",
    "PartnerkitError",
    "PermissionDeniedError",
    "PrecisionError",
    "RuleViolationError",
    "UnknownCurrencyError",
]


def _frozen_mapping(fields: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(fields or {}))


class PartnerkitError(Exception):
    """Root of every error partnerkit raises on purpose.

    Attributes:
        message: The human-readable explanation (also ``str(exc)``).
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidArgumentError(PartnerkitError, ValueError):
    """An argument was rejected before any state was touched.

    Attributes:
        argument: The parameter or field name that was rejected.
        value: The rejected value (``repr`` is used in the message).
        rule_id: The spec rule the value breaks, when there is one.

    >>> InvalidArgumentError("amount", 1.5, "floats are not money").argument
    'amount'
    """

    def __init__(
        self,
        argument: str,
        value: object,
        reason: str,
        *,
        rule_id: str | None = None,
    ) -> None:
        where = f" [{rule_id}]" if rule_id else ""
        super().__init__(f"invalid {argument}={value!r}: {reason}{where}")
        self.argument = argument
        self.value = value
        self.reason = reason
        self.rule_id = rule_id


class UnknownCurrencyError(InvalidArgumentError):
    """The currency code is not an ISO 4217 code known to babel's CLDR data.

    Attributes:
        code: The code that was asked for.
    """

    def __init__(self, code: object) -> None:
        super().__init__("currency", code, "not an ISO 4217 currency code known to CLDR")
        self.code = code


class PrecisionError(InvalidArgumentError):
    """An amount has more decimal places than an operation allows.

    Raised, for example, when a money amount that is not a whole number of
    minor units is converted to minor units, or when an exact operation would
    need more significant digits than partnerkit's arithmetic carries.
    """


class CurrencyMismatchError(PartnerkitError, ValueError):
    """Two amounts in different currencies met in one operation.

    Attributes:
        left: The currency code of the left operand.
        right: The currency code of the right operand.
        operation: What was attempted (``"+"``, ``"<"``, ``"allocate"`` ...).
    """

    def __init__(self, left: str, right: str, operation: str) -> None:
        super().__init__(f"cannot {operation!s} {left} and {right}: currencies differ")
        self.left = left
        self.right = right
        self.operation = operation


class NotFoundError(PartnerkitError, LookupError):
    """An entity that a command names does not exist.

    Attributes:
        entity: The kind of entity (``"customer"``, ``"partner"`` ...).
        key: The identifier that was looked up.
    """

    def __init__(self, entity: str, key: object) -> None:
        super().__init__(f"{entity} {key!r} not found")
        self.entity = entity
        self.key = key


class PermissionDeniedError(PartnerkitError, PermissionError):
    """The actor may not perform this action on this target.

    Attributes:
        actor: Who asked.
        action: What they asked to do.
        target: What they asked to do it to.
        rule_id: The spec rule that denies it, when there is one.
    """

    def __init__(
        self,
        actor: object,
        action: str,
        target: object,
        *,
        rule_id: str | None = None,
        reason: str | None = None,
    ) -> None:
        where = f" [{rule_id}]" if rule_id else ""
        why = f": {reason}" if reason else ""
        super().__init__(f"{actor!r} may not {action} {target!r}{why}{where}")
        self.actor = actor
        self.action = action
        self.target = target
        self.rule_id = rule_id
        self.reason = reason


class RuleViolationError(PartnerkitError):
    """A command broke a domain rule of the spec.

    Attributes:
        rule_id: The primary rule broken, e.g. ``"R-CUST-13"``.
        fields: Structured facts of the refusal (requested, allowed, entity ...).
        reasons: Every reason when a decision listed more than one; each reason
            is whatever value the deciding module uses (usually a frozen
            ``Reason`` with its own ``rule_id``).
    """

    def __init__(
        self,
        rule_id: str,
        message: str,
        *,
        fields: Mapping[str, Any] | None = None,
        reasons: Sequence[object] = (),
    ) -> None:
        super().__init__(f"{message} [{rule_id}]")
        self.rule_id = rule_id
        self.fields = _frozen_mapping(fields)
        self.reasons = tuple(reasons)


class ConcurrencyConflictError(PartnerkitError):
    """An optimistic-concurrency check failed: someone else saved first.

    Attributes:
        entity: The collection (``"customers"`` ...).
        key: The entity's key.
        expected_version: The version the writer based its change on
            (``None`` for "expected it not to exist").
        actual_version: The version found in storage (``None`` for absent).
    """

    def __init__(
        self,
        entity: str,
        key: object,
        *,
        expected_version: int | None,
        actual_version: int | None,
    ) -> None:
        super().__init__(
            f"{entity} {key!r}: expected version {expected_version}, found {actual_version}"
        )
        self.entity = entity
        self.key = key
        self.expected_version = expected_version
        self.actual_version = actual_version


class IdempotencyConflictError(PartnerkitError):
    """An idempotency key was reused for a different request.

    Attributes:
        key: The idempotency key.
        stored_fingerprint: Fingerprint of the request first recorded.
        new_fingerprint: Fingerprint of the request that reused the key.
    """

    def __init__(self, key: str, *, stored_fingerprint: str, new_fingerprint: str) -> None:
        super().__init__(
            f"idempotency key {key!r} was already used for a different request"
            f" ({stored_fingerprint} != {new_fingerprint})"
        )
        self.key = key
        self.stored_fingerprint = stored_fingerprint
        self.new_fingerprint = new_fingerprint
