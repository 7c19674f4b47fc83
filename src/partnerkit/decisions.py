"""Decisions: answers with reasons, for questions that must not raise.

"May this customer associate with this partner?" is answered with a
:class:`Decision` that lists *every* :class:`Reason` against it, each with
its spec rule ID and a stable code an integrator can switch on.
Commands that act on the answer call :meth:`Decision.raise_if_denied`, which
raises :class:`~partnerkit.errors.RuleViolationError` carrying the same
reasons.

>>> late = Reason("REGISTRATION_TOO_OLD", "R-CUST-30", "registered more than 7 days ago")
>>> decision = Decision.deny(late)
>>> decision.allowed, [r.code for r in decision.reasons]
(False, ['REGISTRATION_TOO_OLD'])
>>> Decision.allow().allowed
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, final

import attrs

from partnerkit._construct import checked
from partnerkit.errors import InvalidArgumentError, RuleViolationError

__all__ = ["Decision", "Reason"]


def _frozen_fields(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(value or {}))


def _non_empty(instance: object, attribute: attrs.Attribute[str], value: Any) -> None:
    if not isinstance(value, str) or not value:
        raise InvalidArgumentError(attribute.name, value, "expected a non-empty string")


@checked
@final
@attrs.frozen
class Reason:
    """One reason in a decision.

    Attributes:
        code: A stable, upper-case identifier (``"ALREADY_ASSOCIATED"``).
        rule_id: The spec rule it enforces (``"R-CUST-30"``).
        message: Human-readable text; where the vendor prints an exact text,
            this is that text.
        fields: Structured facts (what was requested, what is allowed ...).
    """

    code: str = attrs.field(validator=_non_empty)
    rule_id: str = attrs.field(validator=_non_empty)
    message: str = attrs.field(validator=_non_empty)
    fields: Mapping[str, Any] = attrs.field(
        factory=dict, converter=_frozen_fields, eq=False, hash=False
    )


def _reason_tuple(value: Iterable[Reason]) -> tuple[Reason, ...]:
    reasons = tuple(value)
    if not all(isinstance(r, Reason) for r in reasons):
        raise InvalidArgumentError("reasons", value, "expected Reason values")
    return reasons


@checked
@final
@attrs.frozen
class Decision:
    """An allow/deny answer with every reason against it.

    Attributes:
        reasons: Why not; empty when allowed.  In the order the rules were
            checked, so ``reasons[0]`` is the one a vendor console would show.
    """

    reasons: tuple[Reason, ...] = attrs.field(default=(), converter=_reason_tuple)

    @classmethod
    def allow(cls) -> Decision:
        """An allowing decision."""
        return cls(())

    @classmethod
    def deny(cls, *reasons: Reason) -> Decision:
        """A denying decision with ``reasons`` (at least one)."""
        if not reasons:
            raise InvalidArgumentError("reasons", reasons, "a denial needs a reason")
        return cls(reasons)

    @classmethod
    def of(cls, reasons: Iterable[Reason]) -> Decision:
        """Allow if ``reasons`` is empty, else deny with them."""
        return cls(_reason_tuple(reasons))

    @property
    def allowed(self) -> bool:
        """Whether nothing stands against it."""
        return not self.reasons

    @property
    def codes(self) -> tuple[str, ...]:
        """The reason codes, in order."""
        return tuple(r.code for r in self.reasons)

    def has(self, code: str) -> bool:
        """Whether a reason with ``code`` is present."""
        return code in self.codes

    def violation(self) -> RuleViolationError:
        """The :class:`~partnerkit.errors.RuleViolationError` of a denial, to raise.

        >>> Decision.deny(Reason("X", "R-CUST-07", "full")).violation().rule_id
        'R-CUST-07'
        """
        if not self.reasons:
            raise InvalidArgumentError("decision", self, "an allowing decision has no violation")
        first = self.reasons[0]
        return RuleViolationError(
            first.rule_id,
            first.message,
            fields={"code": first.code, **first.fields},
            reasons=self.reasons,
        )

    def raise_if_denied(self) -> None:
        """Raise :class:`~partnerkit.errors.RuleViolationError` for the first reason.

        The error carries all reasons and the first reason's fields.

        >>> Decision.deny(Reason("X", "R-CUST-07", "full")).raise_if_denied()
        Traceback (most recent call last):
        ...
        partnerkit.errors.RuleViolationError: full [R-CUST-07]
        """
        if self.reasons:
            raise self.violation()

    def __bool__(self) -> bool:
        return self.allowed
