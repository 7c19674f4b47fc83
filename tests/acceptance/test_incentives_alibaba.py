"""Alibaba entry qualifications seen from the incentives spec: R-INC-107, 109, 110, 111 and the
qualification part of EX-INC-27, evaluated with the existing eligibility catalogues
(``partnerkit.eligibility.catalogs.alibaba``; eligibility R-ELIG-121..123, 129)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from partnerkit.eligibility import Evaluation, Facts, evaluate_entry
from partnerkit.eligibility.catalogs import alibaba

AS_OF = datetime(2025, 7, 1, tzinfo=UTC)


def blockers(result: Evaluation) -> list[tuple[str, str | None, str | None]]:
    return [(line.requirement_id, line.current, line.required) for line in result.blockers]


DISTRIBUTOR_FLAGS = frozenset({"tier2_experience", "tier2_resources"})
DISTRIBUTOR_METRICS = {"staff.dedicated": 1, "certificates.acp": 4, "revenue.commitment": 400000}


@pytest.mark.rules("R-INC-109")
@pytest.mark.parametrize(
    ("commitment", "eligible"), [(399999, False), (400000, True), (400001, True)]
)
def test_ex_inc_27_distributor_commitment(commitment: int, eligible: bool) -> None:
    """EX-INC-27 / R-INC-109: a first-year commitment of 399,999 USD is not qualified; 400,000
    qualifies ("at least", DC-INC-08)."""
    facts = Facts(flags=DISTRIBUTOR_FLAGS,
                  metrics={**DISTRIBUTOR_METRICS, "revenue.commitment": commitment})  # fmt: skip
    result = evaluate_entry(alibaba.DISTRIBUTOR, facts, as_of=AS_OF)
    assert result.eligible is eligible
    if not eligible:
        assert [b[0] for b in blockers(result)] == ["ali.dist.commitment"]


@pytest.mark.rules("R-INC-109")
@pytest.mark.parametrize(("acp", "eligible"), [(3, False), (4, True)])
def test_ex_inc_27_distributor_acp_certificates(acp: int, eligible: bool) -> None:
    """EX-INC-27 / R-INC-109: 3 ACP certificates are not enough; 4 qualify."""
    facts = Facts(flags=DISTRIBUTOR_FLAGS, metrics={**DISTRIBUTOR_METRICS, "certificates.acp": acp})
    result = evaluate_entry(alibaba.DISTRIBUTOR, facts, as_of=AS_OF)
    assert result.eligible is eligible
    if not eligible:
        assert blockers(result) == [("ali.dist.acp", "3", ">= 4")]


@pytest.mark.rules("R-INC-109")
def test_distributor_needs_tier2_experience_and_resources() -> None:
    """R-INC-109 (as corrected by the audit): tier-2 experience and resources are criteria; the
    1-2 per territory norm is not (GAP-23)."""
    facts = Facts(flags={"tier2_experience"}, metrics=DISTRIBUTOR_METRICS)
    result = evaluate_entry(alibaba.DISTRIBUTOR, facts, as_of=AS_OF)
    assert [b[0] for b in blockers(result)] == ["ali.dist.resources"]


@pytest.mark.rules("R-INC-110")
def test_agency_registration_age_and_capital() -> None:
    """R-INC-110: registered at least 1 year ago and capital over (not at) 2,000 USD."""
    flags = {"entity.valid", "finances.healthy", "willing", "customer_resources"}
    dates = {"entity.registered_at": datetime(2024, 7, 1, tzinfo=UTC)}
    ok = Facts(flags=flags, metrics={"capital.registered": Decimal("2000.01")}, dates=dates)
    assert evaluate_entry(alibaba.AGENCY, ok, as_of=AS_OF).eligible
    young = evaluate_entry(alibaba.AGENCY, ok, as_of=datetime(2025, 6, 30, tzinfo=UTC))
    assert [b[0] for b in blockers(young)] == ["ali.agency.years"]
    at_limit = Facts(flags=flags, metrics={"capital.registered": 2000}, dates=dates)
    assert [b[0] for b in blockers(evaluate_entry(alibaba.AGENCY, at_limit, as_of=AS_OF))] == [
        "ali.agency.capital"
    ]


@pytest.mark.rules("R-INC-111")
def test_direct_reseller_plus_two_staff_and_acp() -> None:
    """R-INC-111: "+2" dedicated staff and "+2" ACP certificates."""
    flags = {"entity.valid", "business.internet_si_or_software", "technical_capability",
             "customer_operations"}  # fmt: skip
    ok = Facts(flags=flags, metrics={"staff.dedicated": 2, "certificates.acp": 2})
    assert evaluate_entry(alibaba.DIRECT_RESELLER, ok, as_of=AS_OF).eligible
    short = Facts(flags=flags, metrics={"staff.dedicated": 1, "certificates.acp": 1})
    assert [b[0] for b in blockers(evaluate_entry(alibaba.DIRECT_RESELLER, short, as_of=AS_OF))] == [
        "ali.reseller.staff", "ali.reseller.acp",
    ]  # fmt: skip


@pytest.mark.rules("R-INC-107")
def test_service_centre_needs_three_certified_staff() -> None:
    """R-INC-107: at least 3 people with Alibaba Cloud technical certification."""
    flags = {"customer_operations", "local_market", "shared_values", "region.open"}
    two = Facts(flags=flags, metrics={"staff.cloud_certified": 2})
    assert blockers(evaluate_entry(alibaba.SERVICE_CENTRE, two, as_of=AS_OF)) == [
        ("ali.centre.certified", "2", ">= 3")
    ]
    three = Facts(flags=flags, metrics={"staff.cloud_certified": 3})
    assert evaluate_entry(alibaba.SERVICE_CENTRE, three, as_of=AS_OF).eligible
