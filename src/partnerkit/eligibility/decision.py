"""Evaluating a requirement against facts: every line met or missed, current beside required.

:func:`evaluate` is a pure function.  It never raises for "not eligible": the
answer is an :class:`Evaluation` listing every line of the checklist in order
with its current and required value.  Composites evaluate all their children
(no short-circuit), so every miss is reported at once (EX-15).

A line is **missed** when it does not hold and neither does any line above
it; a line under a composite that holds (an unused alternative of an
``AnyOf``) is not missed.  Advisory lines are reported but never block.
So an ineligible answer always names at least one missed line and an
eligible one names none.

>>> from decimal import Decimal
>>> from datetime import datetime, timezone
>>> from partnerkit.eligibility.facts import Facts
>>> from partnerkit.eligibility.requirements import AllOf, Flag, Threshold
>>> rule = AllOf(id="entry", label="Entry", items=(
...     Flag(id="member", label="Network member", fact="network.member"),
...     Threshold(id="revenue", label="Annual revenue", metric="revenue.annual",
...               value=Decimal("360000"), unit="USD")))
>>> result = evaluate(rule, Facts(flags={"network.member"}, metrics={"revenue.annual": 250000}),
...                   as_of=datetime(2024, 6, 1, tzinfo=timezone.utc))
>>> result.eligible, [(m.requirement_id, m.current, m.required) for m in result.blockers]
(False, [('revenue', '250000 USD', '>= 360000 USD')])
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import final

import attrs
from dateutil.relativedelta import relativedelta

from partnerkit.calendars import WEEKENDS, WorkingCalendar, add_working_days
from partnerkit.decisions import Decision, Reason
from partnerkit.eligibility.facts import Evidence, Facts
from partnerkit.eligibility.requirements import (
    AllOf,
    AnyOf,
    AtLeast,
    Count,
    DaysBefore,
    Distinct,
    Elapsed,
    Flag,
    Not,
    Rank,
    Requirement,
    Severity,
    Threshold,
    Window,
    WindowKind,
)
from partnerkit.errors import InvalidArgumentError
from partnerkit.periods import require_aware

__all__ = ["Evaluation", "LineResult", "evaluate"]


@final
@attrs.frozen(kw_only=True)
class LineResult:
    """One checklist line: whether it holds, the current and required values, and where it sits.

    Attributes:
        requirement_id: The requirement's id.
        label: Its label.
        rule_id: The spec rule it comes from, if any.
        holds: Whether the line's own condition holds.
        current: The current value, as shown (``"3/4"``, ``"250000 USD"``).
        required: The required value, as shown (``">= 4"``).
        reason_code: The code a refusal carries.
        severity: Blocking or advisory.
        depth: 0 for the top requirement, 1 for its items, ...
        missed: Whether this line is part of why the answer is no.
        evidence: Ids of the evidence items that counted.
    """

    requirement_id: str
    label: str
    rule_id: str | None
    holds: bool
    current: str | None
    required: str | None
    reason_code: str | None
    severity: Severity
    depth: int
    missed: bool
    evidence: tuple[str, ...] = ()


@final
@attrs.frozen(kw_only=True)
class Evaluation:
    """The answer to "may this partner ...?": eligible or not, with every line.

    Attributes:
        requirement_id: The requirement evaluated.
        as_of: When.
        eligible: Whether it holds.
        lines: Every line, in checklist order (depth first).
    """

    requirement_id: str
    as_of: datetime
    eligible: bool
    lines: tuple[LineResult, ...]

    @property
    def met(self) -> tuple[LineResult, ...]:
        """The leaf lines that hold."""
        return tuple(line for line in self._leaves() if line.holds)

    @property
    def missed(self) -> tuple[LineResult, ...]:
        """Every line that is part of why the answer is no (composites included)."""
        return tuple(line for line in self.lines if line.missed)

    @property
    def blockers(self) -> tuple[LineResult, ...]:
        """The deepest missed lines (no missed line below them): what to fix."""
        lines = self.lines
        result = []
        for index, line in enumerate(lines):
            if not line.missed:
                continue
            below = []
            for later in lines[index + 1 :]:
                if later.depth <= line.depth:
                    break
                below.append(later)
            if not any(other.missed for other in below):
                result.append(line)
        return tuple(result)

    @property
    def advisories(self) -> tuple[LineResult, ...]:
        """Advisory lines that do not hold (shown, never blocking)."""
        return tuple(
            line for line in self.lines if line.severity is Severity.ADVISORY and not line.holds
        )

    def _leaves(self) -> tuple[LineResult, ...]:
        lines = self.lines
        return tuple(
            line
            for index, line in enumerate(lines)
            if index + 1 == len(lines) or lines[index + 1].depth <= line.depth
        )

    def to_decision(self) -> Decision:
        """The answer as a :class:`~partnerkit.decisions.Decision`: one reason per blocker."""
        return Decision.of(
            Reason(
                line.reason_code or line.requirement_id,
                line.rule_id or line.requirement_id,
                line.label,
                {"current": line.current, "required": line.required},
            )
            for line in self.blockers
        )

    def explain(self) -> str:
        """The checklist as text: a mark, the label, current / required, indented by depth."""
        rows = []
        for line in self.lines:
            mark = "ok " if line.holds else ("-- " if line.missed else ".. ")
            values = f": {line.current} (needs {line.required})" if line.required else ""
            rows.append(f"{'  ' * line.depth}{mark}{line.label}{values}")
        return "\n".join(rows)


def _show(value: Decimal, unit: str | None) -> str:
    text = format(value, "f")
    return f"{text} {unit}" if unit else text


def _in_window(item: Evidence, window: Window | None, as_of: datetime) -> bool:
    if window is None:
        return True
    if item.occurred_at is None or item.occurred_at > as_of:
        return False
    if window.kind is WindowKind.CALENDAR_YEAR:
        return item.occurred_at.astimezone(as_of.tzinfo).year == as_of.year
    assert window.length is not None  # checked by Window
    if window.kind is WindowKind.ROLLING_MONTHS:
        start = as_of - relativedelta(months=window.length)
    else:
        start = as_of - timedelta(days=window.length)
    return item.occurred_at > start


def _counted(requirement: Count, facts: Facts, as_of: datetime) -> tuple[str, ...]:
    keys: dict[str, None] = {}
    for item in facts.evidence:
        if not item.matches(requirement.kind, requirement.where):
            continue
        if requirement.statuses is not None and item.status not in requirement.statuses:
            continue
        if requirement.valid_only and not item.valid_at(as_of):
            continue
        if not _in_window(item, requirement.window, as_of):
            continue
        key = item.holder if requirement.distinct is Distinct.HOLDERS else item.id
        if key is not None:
            keys[key] = None
    return tuple(sorted(keys))


@attrs.frozen
class _Raw:
    requirement: Requirement
    holds: bool
    current: str | None
    required: str | None
    depth: int
    evidence: tuple[str, ...]


class _Evaluator:
    def __init__(self, facts: Facts, as_of: datetime, calendar: WorkingCalendar) -> None:
        self.facts = facts
        self.as_of = as_of
        self.calendar = calendar
        self.lines: list[_Raw | None] = []

    def run(self, requirement: Requirement, depth: int) -> bool:
        """Append the requirement's line and its children's; return whether it counts as held."""
        index = len(self.lines)
        self.lines.append(None)  # the parent's line comes before its children's
        holds, current, required, evidence = self._own(requirement, depth)
        self.lines[index] = _Raw(requirement, holds, current, required, depth, evidence)
        return holds or requirement.severity is Severity.ADVISORY

    def _children(self, items: Iterable[Requirement], depth: int) -> list[bool]:
        return [self.run(item, depth + 1) for item in items]

    def _own(
        self, r: Requirement, depth: int
    ) -> tuple[bool, str | None, str | None, tuple[str, ...]]:
        facts, as_of = self.facts, self.as_of
        if isinstance(r, Threshold):
            value = facts.metric(r.metric)
            return (
                r.op.holds(value, r.value),
                _show(value, r.unit),
                f"{r.op.value} {_show(r.value, r.unit)}",
                (),
            )
        if isinstance(r, Flag):
            present = facts.has(r.fact)
            return present is r.expected, _yes(present), _yes(r.expected), ()
        if isinstance(r, Count):
            counted = _counted(r, facts, as_of)
            number = Decimal(len(counted))
            return (
                r.op.holds(number, Decimal(r.value)),
                str(len(counted)),
                f"{r.op.value} {r.value}",
                counted,
            )
        if isinstance(r, Rank):
            level = facts.level(r.ladder)
            held = level in r.levels and r.levels.index(level) >= r.levels.index(r.at_least)
            return held, level or "none", f">= {r.at_least}", ()
        if isinstance(r, Elapsed):
            since = facts.date(r.date)
            if since is None:
                return False, "unknown", f"{r.months} months {r.days} days after {r.date}", ()
            earliest = since + relativedelta(months=r.months, days=r.days)
            return as_of >= earliest, as_of.date().isoformat(), f"from {earliest.date()}", ()
        if isinstance(r, DaysBefore):
            target = facts.date(r.date)
            if target is None:
                return False, "unknown", f"{r.days} days before {r.date}", ()
            if r.working_days:
                local = target.astimezone(as_of.tzinfo).date()
                latest_day = add_working_days(self.calendar, local, -r.days)
                held = as_of.date() <= latest_day
                latest = latest_day.isoformat()
            else:
                held = as_of <= target - timedelta(days=r.days)
                latest = (target - timedelta(days=r.days)).isoformat()
            unit = "working days" if r.working_days else "days"
            return held, as_of.date().isoformat(), f"by {latest} ({r.days} {unit} before)", ()
        if isinstance(r, AllOf):
            results = self._children(r.items, depth)
            return (
                all(results),
                f"{sum(results)}/{len(results)}",
                f"{len(results)}/{len(results)}",
                (),
            )
        if isinstance(r, AnyOf):
            results = self._children(r.items, depth)
            return any(results), f"{sum(results)}/{len(results)}", f">= 1/{len(results)}", ()
        if isinstance(r, AtLeast):
            results = self._children(r.items, depth)
            return sum(results) >= r.n, f"{sum(results)}/{len(results)}", f">= {r.n}", ()
        if isinstance(r, Not):
            inner = self.run(r.item, depth + 1)
            return not inner, _yes(inner), _yes(False), ()
        raise InvalidArgumentError("requirement", r, "expected a requirement")

    def result(self, requirement: Requirement) -> Evaluation:
        lines: list[LineResult] = []
        blocked_above: list[bool] = []  # per depth: is every line above unmet?
        for raw in self.lines:
            if raw is None:  # pragma: no cover - every slot is filled by run()
                raise InvalidArgumentError("requirement", requirement, "evaluation incomplete")
            r = raw.requirement
            del blocked_above[raw.depth :]
            missed = not raw.holds and all(blocked_above) and r.severity is Severity.BLOCKING
            blocked_above.append(missed)
            lines.append(
                LineResult(
                    requirement_id=r.id,
                    label=r.label,
                    rule_id=r.rule_id,
                    holds=raw.holds,
                    current=raw.current,
                    required=raw.required,
                    reason_code=r.reason_code,
                    severity=r.severity,
                    depth=raw.depth,
                    missed=missed,
                    evidence=raw.evidence,
                )
            )
        top = lines[0]
        eligible = top.holds or top.severity is Severity.ADVISORY
        return Evaluation(
            requirement_id=requirement.id, as_of=self.as_of, eligible=eligible, lines=tuple(lines)
        )


_REQ = (Threshold, Flag, Count, Rank, Elapsed, DaysBefore, AllOf, AnyOf, AtLeast, Not)


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def evaluate(
    requirement: Requirement,
    facts: Facts,
    *,
    as_of: datetime,
    calendar: WorkingCalendar = WEEKENDS,
) -> Evaluation:
    """Evaluate ``requirement`` against ``facts`` at ``as_of``; never raises for "not eligible".

    ``calendar`` counts working days for :class:`DaysBefore` lines.
    """
    if not isinstance(requirement, _REQ):
        raise InvalidArgumentError("requirement", requirement, "expected a requirement")
    if not isinstance(facts, Facts):
        raise InvalidArgumentError("facts", facts, "expected Facts")
    evaluator = _Evaluator(facts, require_aware(as_of), calendar)
    evaluator.run(requirement, 0)
    return evaluator.result(requirement)
