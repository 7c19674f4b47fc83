"""Validity of certificates, competencies and solutions (sections 5.G, 5.H, 2.13).

Certificates last 3 years and renew on a same-or-higher exam passed before
they lapse (R-ELIG-075); accreditation exams pass at 80 of 100
(R-ELIG-073); the e-certificate notice comes the day after the exam
(R-ELIG-074).  A failed competency freezes reapplication for 6 months, and
rejected materials must come back within 30 days or the process ends with the
same freeze (R-ELIG-078, R-ELIG-079).  Certified solutions last 12 months
(R-ELIG-085) and only Software-path accounts create them (R-ELIG-082).

>>> from datetime import timezone
>>> certificate_valid_to(datetime(2021, 5, 10, tzinfo=timezone.utc)).date()
datetime.date(2024, 5, 10)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

from partnerkit.decisions import Decision, Reason
from partnerkit.errors import InvalidArgumentError
from partnerkit.periods import require_aware

__all__ = [
    "ACCREDITATION_PASS_MARK",
    "CERTIFICATE_YEARS",
    "LEVELS",
    "certificate_notice_on",
    "certificate_valid_to",
    "competency_frozen_until",
    "may_apply_competency",
    "may_create_solution",
    "passes_accreditation",
    "renewed_valid_to",
    "rework_deadline",
    "solution_operations",
    "solution_valid_to",
]

#: Accreditation exams pass at 80 of 100 (R-ELIG-073).
ACCREDITATION_PASS_MARK = 80
#: Certificates last 3 years (R-ELIG-075).
CERTIFICATE_YEARS = 3
#: Certification levels, lowest first (HCIA/HCCDA < HCIP/HCCDP < HCIE/HCCDE).
LEVELS = ("ASSOCIATE", "PROFESSIONAL", "EXPERT")


def passes_accreditation(score: int) -> bool:
    """Whether a Business or Technical Professional score passes: 80 of 100 (R-ELIG-073)."""
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100:
        raise InvalidArgumentError("score", score, "a score from 0 to 100")
    return score >= ACCREDITATION_PASS_MARK


def certificate_notice_on(exam_day: date) -> date:
    """The e-certificate notice comes one day after the exam (R-ELIG-074)."""
    if isinstance(exam_day, datetime) or not isinstance(exam_day, date):
        raise InvalidArgumentError("exam_day", exam_day, "expected a date")
    return exam_day + timedelta(days=1)


def certificate_valid_to(issued_at: datetime) -> datetime:
    """Three years from issuance, month ends clamped (R-ELIG-075, 0.4)."""
    return require_aware(issued_at, argument="issued_at") + relativedelta(years=CERTIFICATE_YEARS)


def renewed_valid_to(
    valid_to: datetime, level: str, *, passed_at: datetime, passed_level: str
) -> datetime:
    """A certificate's validity after another exam (R-ELIG-075, GAP-08).

    An exam of the same or a higher level passed before the certificate
    lapses renews it for 3 years from that exam; otherwise nothing changes.

    >>> from datetime import timezone
    >>> at = lambda *d: datetime(*d, tzinfo=timezone.utc)
    >>> renewed_valid_to(at(2024, 5, 10), "PROFESSIONAL", passed_at=at(2024, 4, 1),
    ...                  passed_level="EXPERT").date()
    datetime.date(2027, 4, 1)
    """
    for name, value in (("level", level), ("passed_level", passed_level)):
        if value not in LEVELS:
            raise InvalidArgumentError(name, value, f"one of {', '.join(LEVELS)}")
    when = require_aware(passed_at, argument="passed_at")
    if when <= valid_to and LEVELS.index(passed_level) >= LEVELS.index(level):
        return max(valid_to, certificate_valid_to(when))
    return valid_to


def competency_frozen_until(ended_on: date) -> date:
    """A failed or terminated competency application freezes it for 6 months (R-ELIG-078).

    >>> competency_frozen_until(date(2024, 3, 5))
    datetime.date(2024, 9, 5)
    """
    if isinstance(ended_on, datetime) or not isinstance(ended_on, date):
        raise InvalidArgumentError("ended_on", ended_on, "expected a date")
    return ended_on + relativedelta(months=6)


def rework_deadline(rejected_on: date) -> date:
    """Rejected materials are resubmitted within 30 calendar days (R-ELIG-079).

    >>> rework_deadline(date(2024, 6, 26))
    datetime.date(2024, 7, 26)
    """
    if isinstance(rejected_on, datetime) or not isinstance(rejected_on, date):
        raise InvalidArgumentError("rejected_on", rejected_on, "expected a date")
    return rejected_on + timedelta(days=30)


def may_apply_competency(
    competency: str, *, frozen: Iterable[tuple[str, date]], today: date
) -> Decision:
    """A new application for a level-1 competency, unless it is frozen (R-ELIG-078, R-ELIG-079).

    ``frozen`` lists ``(competency, frozen_until)``; other competencies stay open.
    """
    until = max((end for name, end in frozen if name == competency), default=None)
    if until is not None and today < until:
        return Decision.deny(
            Reason(
                "COMPETENCY_FROZEN",
                "R-ELIG-078",
                "this competency is frozen after a failed or terminated application",
                {"competency": competency, "until": until},
            )
        )
    return Decision.allow()


def may_create_solution(*, on_software_path: bool) -> Decision:
    """Only Software-path accounts create (advanced) cloud-software solutions (R-ELIG-082)."""
    if not isinstance(on_software_path, bool):
        raise InvalidArgumentError("on_software_path", on_software_path, "expected True or False")
    if on_software_path:
        return Decision.allow()
    return Decision.deny(
        Reason("SOFTWARE_PATH_REQUIRED", "R-ELIG-082", "join the Software path to create solutions")
    )


def solution_valid_to(approved_at: datetime) -> datetime:
    """A certified solution lasts 12 months from approval (R-ELIG-085).

    >>> from datetime import timezone
    >>> solution_valid_to(datetime(2024, 8, 23, tzinfo=timezone.utc)).date()
    datetime.date(2025, 8, 23)
    """
    return require_aware(approved_at, argument="approved_at") + relativedelta(months=12)


_SOLUTION_OPERATIONS = {
    "DRAFT": frozenset({"view", "certify", "cancel"}),
    "FAILED": frozenset({"view", "recertify", "cancel"}),
    "CERTIFIED": frozenset({"view", "download-certificate"}),
}


def solution_operations(status: str) -> frozenset[str]:
    """What a solution in ``status`` offers (R-ELIG-086).

    >>> sorted(solution_operations("FAILED"))
    ['cancel', 'recertify', 'view']
    """
    try:
        return _SOLUTION_OPERATIONS[status]
    except KeyError:
        raise InvalidArgumentError("status", status, "DRAFT, FAILED or CERTIFIED") from None
