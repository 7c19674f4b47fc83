"""Alibaba Cloud's channel qualifications and authorized service centres as data (2.11, 2.12).

Fact names: dates ``entity.registered_at``; flags ``entity.valid``,
``finances.healthy``, ``willing``, ``customer_resources``,
``business.internet_si_or_software``, ``technical_capability``,
``customer_operations``, ``tier2_experience``, ``tier2_resources``,
``local_market``, ``shared_values``, ``region.open``; metrics
``capital.registered`` (USD), ``staff.dedicated``, ``certificates.acp``,
``revenue.commitment`` (USD, first year), ``staff.cloud_certified``.

>>> from datetime import datetime, timezone
>>> from partnerkit.eligibility import Facts, evaluate_entry
>>> facts = Facts(flags={"entity.valid", "finances.healthy", "willing", "customer_resources"},
...               metrics={"capital.registered": 2000},
...               dates={"entity.registered_at": datetime(2023, 6, 1, tzinfo=timezone.utc)})
>>> result = evaluate_entry(AGENCY, facts, as_of=datetime(2024, 6, 1, tzinfo=timezone.utc))
>>> [(b.requirement_id, b.current, b.required) for b in result.blockers]
[('ali.agency.capital', '2000 USD', '> 2000 USD')]
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import final

import attrs
from dateutil.relativedelta import relativedelta

from partnerkit.decisions import Decision, Reason
from partnerkit.eligibility.programmes import Level, Programme
from partnerkit.eligibility.requirements import AllOf, Elapsed, Flag, Op, Threshold
from partnerkit.errors import InvalidArgumentError
from partnerkit.money import divide

__all__ = [
    "AGENCY",
    "BID_WEIGHTS",
    "DIRECT_RESELLER",
    "DISTRIBUTOR",
    "SERVICE_CENTRE",
    "Assessment",
    "assessments",
    "bid_score",
    "may_open_biz_division",
    "transfer_customers",
    "trial_ends",
]

_VERSION = "2024-08"


def _flag(rid: str, label: str, fact: str, rule: str) -> Flag:
    return Flag(id=rid, label=label, fact=fact, rule_id=rule)


def _at_least(rid: str, label: str, metric: str, value: int, rule: str, unit: str | None = None,
              op: Op = Op.GE) -> Threshold:  # fmt: skip
    return Threshold(id=rid, label=label, metric=metric, op=op, value=Decimal(value), unit=unit,
                     rule_id=rule)  # fmt: skip


def _qualification(pid: str, label: str, level: str, requirement: AllOf, rule: str) -> Programme:
    return Programme(
        id=pid, version=_VERSION, label=label, ladder=f"alibaba.{level.lower()}", rule_ids=(rule,),
        levels=(Level(name=level, label=label, requirement=requirement),),
    )  # fmt: skip


AGENCY = _qualification(
    "alibaba.agency", "Agency partner", "AGENCY",
    AllOf(id="ali.agency", label="Agency qualification", rule_id="R-ELIG-121",
          reason_code="AGENCY_NOT_QUALIFIED", items=(
              _flag("ali.agency.entity", "Valid international business entity", "entity.valid",
                    "R-ELIG-121"),
              Elapsed(
                id="ali.agency.years",
                label="Registered at least one year ago",
                date="entity.registered_at",
                months=12,
                rule_id="R-ELIG-121",
            ),
              _flag("ali.agency.finances", "Healthy financial status", "finances.healthy",
                    "R-ELIG-121"),
              _at_least("ali.agency.capital", "Registered capital", "capital.registered", 2000,
                        "R-ELIG-121", "USD", Op.GT),
              _flag("ali.agency.willing", "Strong willingness to partner", "willing",
                    "R-ELIG-121"),
              _flag("ali.agency.customers", "Accessible customer resources",
                    "customer_resources", "R-ELIG-121"),
          )), "R-ELIG-121",
)  # fmt: skip

DIRECT_RESELLER = _qualification(
    "alibaba.direct-reseller", "Direct reseller", "DIRECT_RESELLER",
    AllOf(id="ali.reseller", label="Direct-reseller qualification", rule_id="R-ELIG-122",
          reason_code="RESELLER_NOT_QUALIFIED", items=(
              _flag("ali.reseller.entity", "Valid international business entity", "entity.valid",
                    "R-ELIG-122"),
              _flag("ali.reseller.business", "Internet services, SI or software development",
                    "business.internet_si_or_software", "R-ELIG-122"),
              _flag("ali.reseller.tech", "Technical capability in chosen industries",
                    "technical_capability", "R-ELIG-122"),
              _at_least("ali.reseller.staff", "Dedicated sales/tech/ops staff", "staff.dedicated",
                        2, "R-ELIG-122"),
              _at_least("ali.reseller.acp", "ACP certificates", "certificates.acp", 2,
                        "R-ELIG-122"),
              _flag("ali.reseller.operations", "Mature customer operation and service",
                    "customer_operations", "R-ELIG-122"),
          )), "R-ELIG-122",
)  # fmt: skip

DISTRIBUTOR = _qualification(
    "alibaba.distributor", "Distributor", "DISTRIBUTOR",
    AllOf(id="ali.distributor", label="Distributor qualification", rule_id="R-ELIG-123",
          reason_code="DISTRIBUTOR_NOT_QUALIFIED", items=(
              _flag("ali.dist.experience", "Experience managing tier-2 resellers",
                    "tier2_experience", "R-ELIG-123"),
              _flag("ali.dist.resources", "Resources to support tier-2 growth", "tier2_resources",
                    "R-ELIG-123"),
              _at_least("ali.dist.team", "Dedicated team members", "staff.dedicated", 1,
                        "R-ELIG-123"),
              _at_least("ali.dist.acp", "ACP certificates", "certificates.acp", 4, "R-ELIG-123"),
              _at_least("ali.dist.commitment", "First-year revenue commitment",
                        "revenue.commitment", 400000, "R-ELIG-123", "USD"),
          )), "R-ELIG-123",
)  # fmt: skip

SERVICE_CENTRE = _qualification(
    "alibaba.service-centre", "Authorized service centre", "SERVICE_CENTRE",
    AllOf(id="ali.centre", label="Service-centre entry conditions", rule_id="R-ELIG-129",
          reason_code="CENTER_NOT_QUALIFIED", items=(
              _flag("ali.centre.operations", "Mature customer management and operations",
                    "customer_operations", "R-ELIG-129"),
              _at_least("ali.centre.certified", "Staff with the vendor's cloud certification",
                        "staff.cloud_certified", 3, "R-ELIG-129"),
              _flag("ali.centre.market", "Local market, own user base and reputation",
                    "local_market", "R-ELIG-129"),
              _flag("ali.centre.values", "Willingness to cooperate and shared values",
                    "shared_values", "R-ELIG-129"),
              _flag("ali.centre.region", "Region open for a centre (outside the five listed)",
                    "region.open", "R-ELIG-130"),
          )), "R-ELIG-129",
)  # fmt: skip

#: Bid weights in percent (R-ELIG-132); the source's item 2 is missing (GAP-16).
BID_WEIGHTS: Mapping[str, Decimal] = {
    "market_and_service": Decimal(30),
    "team": Decimal(20),
    "operations": Decimal(10),
    "project_plan": Decimal(40),
}


def bid_score(
    scores: Mapping[str, Decimal], *, weights: Mapping[str, Decimal] = BID_WEIGHTS
) -> Decimal:
    """The composite bid score: each criterion's 0-100 score times its weight (R-ELIG-132).

    >>> bid_score({"market_and_service": Decimal(80), "team": Decimal(70),
    ...            "operations": Decimal(90), "project_plan": Decimal(85)})
    Decimal('81')
    """
    if set(scores) != set(weights):
        raise InvalidArgumentError(
            "scores", sorted(scores), f"one score per criterion {sorted(weights)}"
        )
    total_weight = sum(weights.values(), Decimal(0))
    if total_weight <= 0:
        raise InvalidArgumentError("weights", dict(weights), "weights add up to more than 0")
    points = Decimal(0)
    for name, weight in weights.items():
        score = scores[name]
        if not isinstance(score, Decimal) or not Decimal(0) <= score <= Decimal(100):
            raise InvalidArgumentError(name, score, "a Decimal score from 0 to 100")
        points += score * weight
    return divide(points, total_weight).normalize()


@final
@attrs.frozen
class Assessment:
    """One half-yearly service-centre assessment (R-ELIG-133)."""

    on: date
    covers_from: date
    covers_to: date
    twelve_month_summary: bool


def assessments(year: int) -> tuple[Assessment, Assessment]:
    """The two assessments of ``year``: April 10 and October 10 (R-ELIG-133).

    >>> [(a.on.isoformat(), a.covers_from.isoformat(), a.covers_to.isoformat())
    ...  for a in assessments(2025)]
    [('2025-04-10', '2024-10-01', '2025-03-31'), ('2025-10-10', '2025-04-01', '2025-09-30')]
    """
    if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9998:
        raise InvalidArgumentError("year", year, "a calendar year")
    return (
        Assessment(date(year, 4, 10), date(year - 1, 10, 1), date(year, 3, 31), True),
        Assessment(date(year, 10, 10), date(year, 4, 1), date(year, 9, 30), False),
    )


def trial_ends(joined_on: date) -> date:
    """The last day of a new centre's 3-month trial (R-ELIG-134, EX-60).

    Missing the requirements in the trial leaves the qualification to the
    vendor's discretion.

    >>> trial_ends(date(2025, 1, 15))
    datetime.date(2025, 4, 14)
    """
    if not isinstance(joined_on, date):
        raise InvalidArgumentError("joined_on", joined_on, "expected a date")
    return joined_on + relativedelta(months=3) - timedelta(days=1)


def transfer_customers(
    customers: Mapping[str, str], disqualified: str, successor: str
) -> dict[str, str]:
    """A disqualified centre's customers go to the region's new centre (R-ELIG-135)."""
    return {c: successor if centre == disqualified else centre for c, centre in customers.items()}


def may_open_biz_division(*, tier1: bool, enterprise_admin: bool) -> Decision:
    """Organisation management is for enterprise administrators of tier-1 partners (R-ELIG-125).

    >>> may_open_biz_division(tier1=False, enterprise_admin=True).codes
    ('PERMISSION_DENIED',)
    """
    if tier1 and enterprise_admin:
        return Decision.allow()
    return Decision.deny(
        Reason(
            "PERMISSION_DENIED",
            "R-ELIG-125",
            "Biz Division is for enterprise administrators of tier-1 partners",
            {"tier1": tier1, "enterprise_admin": enterprise_admin},
        )
    )
