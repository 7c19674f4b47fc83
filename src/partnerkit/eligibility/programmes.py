"""Programmes and ladders as data: entry requirements and one requirement per level.

A :class:`Programme` is a development path (stages), a programme with tiers,
or a single qualification.  It names the fact ``ladder`` that says where a
partner stands (``path.SOFTWARE_PARTNER``, ``program.CSP``), the requirement
to join at all, and each :class:`Level` with the requirement to reach it.
A level with no requirement is pending the vendor's decision (GAP-02: the
PREMIER and CORE criteria are not published).

:func:`next_step` answers "what is missing for the next level?" with an
:class:`~partnerkit.eligibility.decision.Evaluation`; catalogues round-trip
through JSON (:func:`programme_to_json`, :func:`programme_from_json`), so an
integrator's own programme is a file.

>>> from datetime import datetime, timezone
>>> from partnerkit.eligibility.facts import Facts
>>> from partnerkit.eligibility.requirements import Flag
>>> club = Programme(id="club", version="1", label="Club", ladder="program.CLUB",
...     levels=(Level(name="MEMBER", requirement=Flag(id="signed", label="Agreement signed",
...                                                   fact="agreement.signed")),))
>>> step = next_step(club, Facts(), as_of=datetime(2024, 6, 1, tzinfo=timezone.utc))
>>> step.target, step.evaluation.eligible, [b.label for b in step.evaluation.blockers]
('MEMBER', False, ['Agreement signed'])
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, final

import attrs
import cattrs

import partnerkit._validators as _v
from partnerkit._construct import checked
from partnerkit.calendars import WEEKENDS, WorkingCalendar
from partnerkit.eligibility.decision import Evaluation, evaluate
from partnerkit.eligibility.facts import Facts
from partnerkit.eligibility.requirements import (
    AllOf,
    Flag,
    Requirement,
    Severity,
    requirement_converter,
)
from partnerkit.errors import InvalidArgumentError

__all__ = [
    "Level",
    "Programme",
    "Step",
    "evaluate_entry",
    "next_step",
    "programme_from_json",
    "programme_to_json",
]


@final
@attrs.frozen(kw_only=True)
class Level:
    """One rung: its name and what reaching it requires (``None``: the vendor decides)."""

    name: str = attrs.field(validator=_v.text)
    requirement: Requirement | None = None
    label: str | None = None


def _levels(value: Any) -> tuple[Level, ...]:
    levels = tuple(value)
    if not levels or not all(isinstance(level, Level) for level in levels):
        raise InvalidArgumentError("levels", levels, "at least one Level")
    names = [level.name for level in levels]
    if len(set(names)) != len(names):
        raise InvalidArgumentError("levels", names, "level names are distinct")
    return levels


@checked
@final
@attrs.frozen(kw_only=True)
class Programme:
    """A ladder as data (GAP-01): versioned and effective-dated.

    Attributes:
        id: A stable id (``huawei.path.service``).
        version: The catalogue version (the vendor's document issue).
        label: A display name.
        ladder: The fact that says the partner's current level.
        levels: The rungs, lowest first.
        entry: What joining at all requires (checked with every level).
        effective_from: The first day this version applies, if dated.
        rule_ids: The spec rules this programme encodes.
    """

    id: str = attrs.field(validator=_v.text)
    version: str = attrs.field(validator=_v.text)
    label: str = attrs.field(validator=_v.text)
    ladder: str = attrs.field(validator=_v.text)
    levels: tuple[Level, ...] = attrs.field(converter=_levels)
    entry: Requirement | None = None
    effective_from: date | None = None
    rule_ids: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """The level names, lowest first."""
        return tuple(level.name for level in self.levels)

    def level(self, name: str) -> Level:
        """The level called ``name``."""
        for level in self.levels:
            if level.name == name:
                return level
        raise InvalidArgumentError("level", name, f"one of {', '.join(self.names)}")

    def after(self, current: str | None) -> Level | None:
        """The level after ``current`` (the first when ``None``), or ``None`` at the top."""
        if current is None:
            return self.levels[0]
        index = self.names.index(self.level(current).name)
        return self.levels[index + 1] if index + 1 < len(self.levels) else None


@final
@attrs.frozen
class Step:
    """The answer to "what is missing for the next level?"."""

    programme_id: str
    current: str | None
    target: str | None
    evaluation: Evaluation | None


def _pending(programme: Programme, level: Level) -> Requirement:
    return Flag(
        id=f"{programme.id}.{level.name}.vendor-decision",
        label=f"The vendor decides on {level.label or level.name}",
        fact=f"approval.{programme.ladder}.{level.name}",
        reason_code="PENDING_VENDOR_DECISION",
        rule_id="R-ELIG-037",
    )


def requirement_for(programme: Programme, target: str) -> Requirement:
    """The full requirement to reach ``target``: the entry plus the level's own."""
    level = programme.level(target)
    own = level.requirement if level.requirement is not None else _pending(programme, level)
    if programme.entry is None:
        return own
    return AllOf(
        id=f"{programme.id}.{level.name}",
        label=f"{programme.label}: {level.label or level.name}",
        items=(programme.entry, own),
        severity=Severity.BLOCKING,
    )


def next_step(
    programme: Programme,
    facts: Facts,
    *,
    as_of: datetime,
    target: str | None = None,
    calendar: WorkingCalendar = WEEKENDS,
) -> Step:
    """Evaluate the next level (or ``target``) from where ``facts`` put the partner.

    At the top of the ladder the step has no target and no evaluation.
    """
    if not isinstance(programme, Programme):
        raise InvalidArgumentError("programme", programme, "expected a Programme")
    current = facts.level(programme.ladder)
    if current is not None and current not in programme.names:
        raise InvalidArgumentError("facts", current, f"not a level of {programme.id}")
    level = programme.level(target) if target is not None else programme.after(current)
    if level is None:
        return Step(programme.id, current, None, None)
    requirement = requirement_for(programme, level.name)
    return Step(
        programme.id,
        current,
        level.name,
        evaluate(requirement, facts, as_of=as_of, calendar=calendar),
    )


def evaluate_entry(
    programme: Programme, facts: Facts, *, as_of: datetime, calendar: WorkingCalendar = WEEKENDS
) -> Evaluation:
    """Whether the partner may join at all (the entry requirement, or the first level's)."""
    return next_step(
        programme, facts, as_of=as_of, target=programme.levels[0].name, calendar=calendar
    ).evaluation or evaluate(  # pragma: no cover - a named target always evaluates
        programme.entry or _pending(programme, programme.levels[0]), facts, as_of=as_of
    )


def _programme_converter() -> cattrs.Converter:
    return requirement_converter()


_CONVERTER = _programme_converter()


def programme_to_json(programme: Programme) -> str:
    """The programme as a JSON document."""
    if not isinstance(programme, Programme):
        raise InvalidArgumentError("programme", programme, "expected a Programme")
    return json.dumps(_CONVERTER.unstructure(programme), indent=2, sort_keys=True)


def programme_from_json(text: str) -> Programme:
    """A programme from a JSON document; bad documents raise ``InvalidArgumentError``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidArgumentError("text", text[:80], f"not JSON: {exc}") from exc
    if not isinstance(data, Mapping):
        raise InvalidArgumentError("text", text[:80], "a JSON object")
    try:
        result: Programme = _CONVERTER.structure(dict(data), Programme)
    except (cattrs.BaseValidationError, KeyError, TypeError, ValueError) as exc:
        raise InvalidArgumentError("programme", data.get("id"), f"not a programme: {exc}") from exc
    return result
