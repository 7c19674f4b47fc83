"""Indicators and feedback (incentives.md 1.5, 1.10, 3.2; R-INC-13, R-INC-19..21, R-INC-34).

An :class:`Indicator` is one versioned record of a revenue figure for a
billing cycle.  Records are append-only: the current one for a name, scope
and cycle is the latest by ``last_updated`` (DC-INC-35).  Feedback is never
offered on MANUAL indicators and on AUTO ones only while open (R-INC-21).
Feedback on indicators, revenue and incentive lines has its own text and
attachment limits (:data:`INDICATOR_FEEDBACK`, :data:`REVENUE_FEEDBACK`,
:data:`INCENTIVE_FEEDBACK`).

>>> from datetime import datetime
>>> from partnerkit.money import Money
>>> from partnerkit.periods import GMT_PLUS_8
>>> row = Indicator(indicator_id="i1", name="2024 Quarterly Revenue", scope=None,
...     method=StatisticalMethod.MANUAL, statistical_period=PeriodKind.YEAR,
...     billing_cycle=Period.parse("2024Y"), value=Money.of("37000.00", "USD"),
...     last_updated=datetime(2024, 7, 12, 15, 33, 35, tzinfo=GMT_PLUS_8))
>>> feedback_allowed(row).codes
('MANUAL_INDICATOR',)
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import final

import attrs

import partnerkit._validators as _v
from partnerkit._construct import checked
from partnerkit.decisions import Decision, Reason
from partnerkit.errors import InvalidArgumentError
from partnerkit.money import Money
from partnerkit.periods import Period, PeriodKind

__all__ = [
    "INCENTIVE_FEEDBACK",
    "INDICATOR_FEEDBACK",
    "REVENUE_FEEDBACK",
    "Attachment",
    "Feedback",
    "FeedbackRules",
    "Indicator",
    "StatisticalMethod",
    "check_feedback",
    "current_indicators",
    "feedback_allowed",
    "find_indicators",
    "page_count",
]

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_MB = 1024 * 1024


class StatisticalMethod(enum.Enum):
    """How an indicator is counted (R-INC-19)."""

    AUTO = "auto"
    MANUAL = "manual"


@final
@attrs.frozen(kw_only=True)
class Indicator:
    """One indicator record (1.5, R-INC-19).

    Attributes:
        indicator_id: Its id.
        name: Free text ("2024 Quarterly Revenue"; names need not match cycles, CF-16).
        scope: The applicable scope ("EU", "2024Q2") or ``None`` for "--".
        method: AUTO or MANUAL.
        statistical_period: Month, quarter or year.
        billing_cycle: The cycle it measures (``2024Q3``, ``2024Y``, ``2023M6``).
        value: The figure (USD, 2 places).
        last_updated: When this record was written.
        dimension: Always "--" in the samples.
        feedback_open: Whether the vendor still takes feedback (CF-17).
        details: ``(revenue_id, order_number)`` pairs behind an AUTO figure (R-INC-20).
    """

    indicator_id: str = attrs.field(validator=_v.text)
    name: str = attrs.field(validator=_v.text)
    scope: str | None = attrs.field(validator=_v.optional_text)
    method: StatisticalMethod
    statistical_period: PeriodKind
    billing_cycle: Period
    value: Money = attrs.field(validator=_v.money)
    last_updated: datetime = attrs.field(validator=_v.aware)
    dimension: str | None = None
    feedback_open: bool = True
    details: tuple[tuple[str, str | None], ...] = ()

    def find_details(self, query: str) -> tuple[tuple[str, str | None], ...]:
        """The detail rows whose revenue id or order number is ``query`` (R-INC-20)."""
        return tuple(d for d in self.details if query in (d[0], d[1]))


def feedback_allowed(indicator: Indicator) -> Decision:
    """Feedback: never on MANUAL indicators; on AUTO ones while open (R-INC-21, DC-INC-35)."""
    if indicator.method is StatisticalMethod.MANUAL:
        return Decision.deny(
            Reason("MANUAL_INDICATOR", "R-INC-21", "manual indicators take no feedback")
        )
    if not indicator.feedback_open:
        return Decision.deny(Reason("FEEDBACK_CLOSED", "R-INC-21", "feedback is closed"))
    return Decision.allow()


def current_indicators(records: Iterable[Indicator]) -> tuple[Indicator, ...]:
    """The latest record per (name, scope, cycle): later records supersede (DC-INC-35).

    Ordered by cycle, name and scope.
    """
    latest: dict[tuple[str, str, str], Indicator] = {}
    for record in records:
        key = (record.name, record.scope or "", record.billing_cycle.code)
        held = latest.get(key)
        if held is None or (record.last_updated, record.indicator_id) > (
            held.last_updated,
            held.indicator_id,
        ):
            latest[key] = record
    return tuple(latest[k] for k in sorted(latest, key=lambda k: (k[2], k[0], k[1])))


def find_indicators(
    records: Iterable[Indicator],
    *,
    cycle: Period | None = None,
    name: str | None = None,
    scope: str | None = None,
) -> tuple[Indicator, ...]:
    """Search by period, name (substring) or scope (R-INC-20), newest first."""
    found = [
        r
        for r in records
        if (cycle is None or r.billing_cycle == cycle)
        and (name is None or name.casefold() in r.name.casefold())
        and (scope is None or r.scope == scope)
    ]
    return tuple(sorted(found, key=lambda r: (r.last_updated, r.indicator_id), reverse=True))


def page_count(records: int, *, per_page: int = 10) -> int:
    """How many pages a list fills (R-INC-20: 67 records at 10 a page is 7 pages).

    >>> page_count(67)
    7
    """
    if isinstance(records, bool) or not isinstance(records, int) or records < 0:
        raise InvalidArgumentError("records", records, "a count >= 0")
    if isinstance(per_page, bool) or not isinstance(per_page, int) or per_page < 1:
        raise InvalidArgumentError("per_page", per_page, "a page size >= 1")
    return math.ceil(records / per_page)


@checked
@final
@attrs.frozen
class Attachment:
    """A file attached to feedback: its name and size in bytes."""

    name: str = attrs.field(validator=_v.text)
    size: int = attrs.field(
        validator=attrs.validators.and_(attrs.validators.instance_of(int), attrs.validators.ge(0))
    )


@final
@attrs.frozen(kw_only=True)
class FeedbackRules:
    """Limits on one kind of feedback (1.10)."""

    rule_id: str
    max_chars: int
    extensions: frozenset[str]
    max_attachments: int
    max_bytes: int = 5 * _MB
    needs_contact: bool = False


#: Indicator feedback: 1,000 characters, one JPG or ZIP of at most 5 MB (R-INC-21).
INDICATOR_FEEDBACK = FeedbackRules(
    rule_id="R-INC-21", max_chars=1000, extensions=frozenset({"jpg", "zip"}), max_attachments=1
)
_IMAGES = frozenset({"bmp", "jpg", "jpeg", "png", "gif", "zip", "rar"})
#: Revenue feedback: 500 characters, images or archives of at most 5 MB (R-INC-13).
REVENUE_FEEDBACK = FeedbackRules(
    rule_id="R-INC-13", max_chars=500, extensions=_IMAGES, max_attachments=1
)
#: Incentive feedback: 1,000 characters, images or archives, a contact (R-INC-34).
INCENTIVE_FEEDBACK = FeedbackRules(
    rule_id="R-INC-34", max_chars=1000, extensions=_IMAGES, max_attachments=1, needs_contact=True
)


@final
@attrs.frozen
class Feedback:
    """Validated feedback text with its attachments and contact."""

    text: str
    attachments: tuple[Attachment, ...]
    contact: str | None


def check_feedback(
    rules: FeedbackRules,
    text: str,
    attachments: Sequence[Attachment] = (),
    *,
    contact: str | None = None,
) -> Feedback:
    """Validate feedback against ``rules``; the first breach raises with the rule (1.10).

    >>> try:
    ...     check_feedback(REVENUE_FEEDBACK, "x" * 501)
    ... except InvalidArgumentError as error:
    ...     print(error.rule_id, error.reason)
    R-INC-13 at most 500 characters
    """
    if not isinstance(text, str) or not text.strip():
        raise InvalidArgumentError("text", text, "feedback text", rule_id=rules.rule_id)
    if len(text) > rules.max_chars:
        raise InvalidArgumentError(
            "text",
            f"{text[:10]}...",
            f"at most {rules.max_chars} characters",
            rule_id=rules.rule_id,
        )
    files = tuple(attachments)
    if len(files) > rules.max_attachments:
        raise InvalidArgumentError(
            "attachments", len(files), f"at most {rules.max_attachments}", rule_id=rules.rule_id
        )
    for file in files:
        extension = file.name.rsplit(".", 1)[-1].casefold() if "." in file.name else ""
        if extension not in rules.extensions:
            allowed = ", ".join(sorted(rules.extensions))
            raise InvalidArgumentError(
                "attachments", file.name, f"one of {allowed}", rule_id=rules.rule_id
            )
        if file.size > rules.max_bytes:
            raise InvalidArgumentError(
                "attachments", file.size, f"at most {rules.max_bytes} bytes", rule_id=rules.rule_id
            )
        if _CJK.search(file.name):
            raise InvalidArgumentError(
                "attachments",
                file.name,
                "no Chinese characters in the file name",
                rule_id=rules.rule_id,
            )
    if rules.needs_contact and not (contact and contact.strip()):
        raise InvalidArgumentError(
            "contact", contact, "a mobile number and email", rule_id=rules.rule_id
        )
    return Feedback(text, files, contact)
