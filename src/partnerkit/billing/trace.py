"""Traces: how a figure was derived, step by step, so an auditor can redo it by hand.

A :class:`Trace` starts from a basis and lists signed steps (a discount, a
coupon, tax, a rounding with its mode and place).  :meth:`Trace.result` adds
them up; every billing figure that carries a trace equals its trace's result.

>>> from partnerkit.money import Money
>>> t = Trace.start("settlement amount", Money.of("750", "USD"))
>>> t = t.then(TraceKind.COUPON, "coupon CP1, balance 100 -> 0", -Money.of("100", "USD"))
>>> t = t.then(TraceKind.TAX, "tax", Money.of("10", "USD"))
>>> t.result()
Money('660', 'USD')
>>> print(t.explain())
   750 USD  settlement amount
  -100 USD  coupon CP1, balance 100 -> 0
   +10 USD  tax
= 660 USD
"""

from __future__ import annotations

import enum
from typing import Any, final

import attrs

from partnerkit._construct import checked
from partnerkit.errors import InvalidArgumentError
from partnerkit.money import Money, total

__all__ = ["Trace", "TraceKind", "TraceStep"]


class TraceKind(enum.Enum):
    """What a step did."""

    BASIS = "basis"
    DISCOUNT = "discount"
    COUPON = "coupon"
    TAX = "tax"
    ROUNDING = "rounding"
    SUM = "sum"
    FLOOR = "floor"


@final
@attrs.frozen
class TraceStep:
    """One step: its kind, a human description and the signed amount it adds."""

    kind: TraceKind
    description: str
    amount: Money
    detail: tuple[tuple[str, Any], ...] = ()


@checked
@final
@attrs.frozen
class Trace:
    """An ordered derivation: the basis first, then signed steps."""

    steps: tuple[TraceStep, ...]

    def __attrs_post_init__(self) -> None:
        if not self.steps or self.steps[0].kind is not TraceKind.BASIS:
            raise InvalidArgumentError("steps", self.steps, "a trace starts with its basis")

    @classmethod
    def start(cls, description: str, basis: Money, **detail: Any) -> Trace:
        """A trace whose basis is ``basis``."""
        return cls((TraceStep(TraceKind.BASIS, description, basis, tuple(sorted(detail.items()))),))

    def then(self, kind: TraceKind, description: str, amount: Money, **detail: Any) -> Trace:
        """This trace with one more step."""
        step = TraceStep(kind, description, amount, tuple(sorted(detail.items())))
        return Trace((*self.steps, step))

    def result(self) -> Money:
        """The figure: the basis plus every step."""
        return total((s.amount for s in self.steps), currency=self.steps[0].amount.currency)

    def explain(self) -> str:
        """The derivation as text, one step a line, ending with the result."""
        rows = []
        for index, step in enumerate(self.steps):
            sign = "" if index == 0 else ("+" if not step.amount.is_negative() else "-")
            shown = f"{sign}{format(abs(step.amount).amount if index else step.amount.amount, 'f')}"
            rows.append((shown, step))
        width = max(len(r[0]) for r in rows)
        lines = [
            f"  {shown:>{width}} {step.amount.currency.code}  {step.description}"
            for shown, step in rows
        ]
        result = self.result()
        lines.append(f"= {format(result.amount, 'f')} {result.currency.code}")
        return "\n".join(lines)
