"""Eligibility: development paths, programmes, tiers and benefits, answered with reasons.

Every rule is data (GAP-01): a tree of :mod:`~partnerkit.eligibility.requirements`
evaluated against a :class:`Facts` snapshot by one engine
(:func:`evaluate`), which answers with an :class:`Evaluation` listing every
line met and missed with its current and required value, and never raises for
"not eligible".  Vendor catalogues (:mod:`partnerkit.eligibility.catalogs`)
and an integrator's own programmes (a JSON file) are :class:`Programme`
values evaluated the same way (:func:`next_step`, :func:`evaluate_entry`).

Pure functions over frozen values; imports only the kernel (spec
``eligibility.md``, R-ELIG-*).
"""

from partnerkit.eligibility.decision import Evaluation, LineResult, evaluate
from partnerkit.eligibility.facts import Evidence, Facts
from partnerkit.eligibility.programmes import (
    Level,
    Programme,
    Step,
    evaluate_entry,
    next_step,
    programme_from_json,
    programme_to_json,
)
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
    Op,
    Rank,
    Requirement,
    Severity,
    Threshold,
    Window,
    WindowKind,
    from_data,
    from_json,
    to_data,
    to_json,
    walk,
)

__all__ = [
    "AllOf",
    "AnyOf",
    "AtLeast",
    "Count",
    "DaysBefore",
    "Distinct",
    "Elapsed",
    "Evaluation",
    "Evidence",
    "Facts",
    "Flag",
    "Level",
    "LineResult",
    "Not",
    "Op",
    "Programme",
    "Rank",
    "Requirement",
    "Severity",
    "Step",
    "Threshold",
    "Window",
    "WindowKind",
    "evaluate",
    "evaluate_entry",
    "from_data",
    "from_json",
    "next_step",
    "programme_from_json",
    "programme_to_json",
    "to_data",
    "to_json",
    "walk",
]
