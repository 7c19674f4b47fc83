"""Huawei and Alibaba catalogues as data: eligibility.md examples EX-03..23 and EX-54..61."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from partnerkit.eligibility import (
    Evaluation,
    Evidence,
    Facts,
    Programme,
    evaluate,
    evaluate_entry,
    next_step,
    programme_from_json,
    programme_to_json,
)
from partnerkit.eligibility.catalogs import alibaba, huawei
from partnerkit.errors import InvalidArgumentError

UTC = UTC
AS_OF = datetime(2024, 7, 1, tzinfo=UTC)
CLEAN = frozenset({"network.member", "account.enterprise"})


def on(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def codes(result: Evaluation) -> list[str | None]:
    return [line.reason_code for line in result.blockers]


def ids(result: Evaluation) -> list[str]:
    return [line.requirement_id for line in result.blockers]


def cert(person: str, cid: str, *, valid_to: str = "2027-01-01", **attributes: str) -> Evidence:
    return Evidence(
        kind="certificate", id=cid, holder=person, attributes={"dedicated": "yes", **attributes},
        valid_to=on(valid_to),
    )  # fmt: skip


class TestPaths:
    def test_ex03_invitation_only_path(self) -> None:
        """EX-03 / R-ELIG-009: SI without an invitation is refused; with one it is selectable."""
        member = Facts(flags={"network.member"})
        refused = evaluate_entry(huawei.SYSTEM_INTEGRATOR, member, as_of=AS_OF)
        assert codes(refused) == ["INVITATION_REQUIRED"]
        invited = Facts(flags={"network.member", "invitation.SYSTEM_INTEGRATOR"})
        assert evaluate_entry(huawei.SYSTEM_INTEGRATOR, invited, as_of=AS_OF).eligible

    def test_invitation_paths_and_membership(self) -> None:
        """R-ELIG-009, R-ELIG-025: Learning and Distributor paths need an invitation too."""
        for programme, path in ((huawei.LEARNING_PARTNER, "LEARNING_PARTNER"),
                                (huawei.DISTRIBUTOR_PATH, "DISTRIBUTOR")):  # fmt: skip
            assert codes(evaluate_entry(programme, Facts(), as_of=AS_OF)) == [
                "NOT_NETWORK_MEMBER", "INVITATION_REQUIRED",
            ]  # fmt: skip
            facts = Facts(flags={"network.member", f"invitation.{path}"})
            assert evaluate_entry(programme, facts, as_of=AS_OF).eligible
        assert {p.id for p in huawei.PATHS} == {
            "huawei.path.software",
            "huawei.path.service",
            "huawei.path.si",
            "huawei.path.learning",
            "huawei.path.distributor",
        }  # R-ELIG-008 fmt: skip

    def test_ex04_service_single_company_account(self) -> None:
        """EX-04 / R-ELIG-011: a second company account on the Service path is refused."""
        facts = Facts(flags={"network.member", "company.other_account_on.SERVICE_PARTNER"})
        assert codes(evaluate_entry(huawei.SERVICE_PARTNER, facts, as_of=AS_OF)) == [
            "COMPANY_PATH_TAKEN"
        ]

    def test_ex05_software_second_account_needs_staff_approval(self) -> None:
        """EX-05 / R-ELIG-010: a second Software account waits for vendor-staff approval."""
        second = Facts(flags={"network.member", "company.other_account_on.SOFTWARE_PARTNER"})
        result = evaluate_entry(huawei.SOFTWARE_PARTNER, second, as_of=AS_OF)
        assert not result.eligible
        assert {line.requirement_id for line in result.blockers} == {
            "sw.first-account", "sw.staff-approval",
        }  # fmt: skip
        approved = Facts(flags=second.flags | {"approval.second_software_account"})
        assert evaluate_entry(huawei.SOFTWARE_PARTNER, approved, as_of=AS_OF).eligible

    def test_ex06_paths_and_csp_exclude_each_other(self) -> None:
        """EX-06 / R-ELIG-012, R-ELIG-029: a path account cannot join CSP, nor a CSP select a path."""
        on_path = Facts(flags=CLEAN | {"path.any", "agreement.CSP"})
        assert codes(evaluate_entry(huawei.CSP, on_path, as_of=AS_OF)) == ["PATH_CSP_CONFLICT"]
        csp = Facts(flags={"network.member", "program.CSP.joined"})
        assert codes(evaluate_entry(huawei.SERVICE_PARTNER, csp, as_of=AS_OF)) == [
            "PATH_CSP_CONFLICT"
        ]
        reseller = Facts(flags={"network.member", "program.DPP.reseller"})
        assert codes(evaluate_entry(huawei.SOFTWARE_PARTNER, reseller, as_of=AS_OF)) == [
            "RESELLER_CONFLICT"
        ]  # R-ELIG-013

    def test_ex08_ex09_software_validation_and_differentiation(self) -> None:
        """EX-08, EX-09 / R-ELIG-015, R-ELIG-016: company solutions count; advanced counts for both."""
        at_selection = {"path.SOFTWARE_PARTNER": "SELECTION"}
        solution = Evidence(kind="solution", id="S", attributes={"kind": "CLOUD_SOFTWARE"},
                            status="CERTIFIED", valid_to=on("2025-08-23"))  # fmt: skip
        step = next_step(huawei.SOFTWARE_PARTNER, Facts(levels=at_selection, evidence=[solution]),
                         as_of=on("2024-10-01"))  # fmt: skip
        assert step.target == "VALIDATION"
        assert step.evaluation is not None
        assert step.evaluation.eligible
        advanced = Evidence(kind="solution", id="A", status="CERTIFIED",
                            attributes={"kind": "ADVANCED_CLOUD_SOFTWARE"})  # fmt: skip
        for level in ("SELECTION", "VALIDATION"):
            step = next_step(
                huawei.SOFTWARE_PARTNER,
                Facts(levels={"path.SOFTWARE_PARTNER": level}, evidence=[advanced]),
                as_of=AS_OF,
            )
            assert step.evaluation is not None
            assert step.evaluation.eligible
        lapsed = next_step(huawei.SOFTWARE_PARTNER, Facts(levels=at_selection, evidence=[solution]),
                           as_of=on("2025-08-24"))  # fmt: skip
        assert lapsed.evaluation is not None
        assert not lapsed.evaluation.eligible  # R-ELIG-085: a solution lasts 12 months
        top = next_step(huawei.SOFTWARE_PARTNER,
                        Facts(levels={"path.SOFTWARE_PARTNER": "DIFFERENTIATION"}), as_of=AS_OF)  # fmt: skip
        assert (top.target, top.evaluation) == (None, None)

    def test_ex10_service_validation_checklist(self) -> None:
        """EX-10 / R-ELIG-017, R-ELIG-019, R-ELIG-027: expired certificates, old cases and cases
        not PASSED do not count."""
        evidence = [
            cert("P1", "p1-bp", line="PROFESSIONAL_BUSINESS"),
            cert("P1", "p1-hcia", level="ENTRY"),
            cert("P2", "p2-bp", line="PROFESSIONAL_BUSINESS", valid_to="2024-06-15"),
            cert("P2", "p2-hcip", level="WORK"),
            cert("P3", "p3-hcia", level="ENTRY"),
            cert("P3", "p3-hcip", level="WORK"),
            cert("P4", "p4-hcip", level="WORK"),
            Evidence(kind="case", id="case-1", status="PASSED", occurred_at=on("2023-07-02")),
        ]
        facts = Facts(levels={"path.SERVICE_PARTNER": "SELECTION"}, evidence=evidence)
        step = next_step(huawei.SERVICE_PARTNER, facts, as_of=AS_OF)
        assert step.evaluation is not None
        lines = {line.requirement_id: line for line in step.evaluation.lines}
        assert ids(step.evaluation) == ["svc.val.business"]
        assert (lines["svc.val.business"].current, lines["svc.val.business"].required) == (
            "1",
            ">= 2",
        )
        assert lines["svc.val.entry"].current == "2"
        assert lines["svc.val.work"].current == "3"
        assert lines["svc.val.cases"].holds
        old_case = [e for e in evidence if e.kind != "case"] + [
            Evidence(kind="case", id="case-1", status="PASSED", occurred_at=on("2023-07-01"))
        ]
        again = next_step(huawei.SERVICE_PARTNER, Facts(levels=facts.levels, evidence=old_case),
                          as_of=AS_OF)  # fmt: skip
        assert again.evaluation is not None
        assert "svc.val.cases" in ids(again.evaluation)
        rejected_case = [e for e in evidence if e.kind != "case"] + [
            Evidence(kind="case", id="case-2", status="REJECTED", occurred_at=on("2024-01-02"))
        ]
        rejected = next_step(huawei.SERVICE_PARTNER,
                             Facts(levels=facts.levels, evidence=rejected_case), as_of=AS_OF)  # fmt: skip
        assert rejected.evaluation is not None
        assert "svc.val.cases" in ids(rejected.evaluation)
        undedicated = [Evidence(kind="certificate", id=f"x{n}", holder=f"Q{n}",
                                attributes={"level": "ENTRY"}) for n in range(3)]  # fmt: skip
        nobody = next_step(huawei.SERVICE_PARTNER, Facts(levels=facts.levels, evidence=undedicated),
                           as_of=AS_OF)  # fmt: skip
        assert nobody.evaluation is not None
        assert "svc.val.entry" in ids(nobody.evaluation)  # R-ELIG-019: only dedicated people count

    def test_ex11_service_differentiation_needs_cloud_migration(self) -> None:
        """EX-11 / R-ELIG-018: two badges without Cloud Migration miss the mandatory one."""
        base = {"path.SERVICE_PARTNER": "VALIDATION"}
        badges = [Evidence(kind="badge", id=b, attributes={"category": "SERVICE", "competency": b})
                  for b in ("devops_support", "database")]  # fmt: skip
        step = next_step(huawei.SERVICE_PARTNER, Facts(levels=base, evidence=badges), as_of=AS_OF)
        assert step.evaluation is not None
        missing = ids(step.evaluation)
        assert "svc.diff.migration" in missing
        assert "svc.diff.badges" not in missing
        with_migration = [badges[1], Evidence(kind="badge", id="cm", attributes={
            "category": "SERVICE", "competency": "cloud_migration"})]  # fmt: skip
        again = next_step(huawei.SERVICE_PARTNER, Facts(levels=base, evidence=with_migration),
                          as_of=AS_OF)  # fmt: skip
        assert again.evaluation is not None
        assert "svc.diff.migration" not in ids(again.evaluation)

    def _si(self, team: int, business: int, second: int, expert: int, badges: int,
            offerings: int, level: str) -> Facts:  # fmt: skip
        evidence = [Evidence(kind="person", id=f"t{n}", holder=f"T{n}",
                             attributes={"role": "PRE_SALES", "dedicated": "yes"})
                    for n in range(team)]  # fmt: skip
        evidence += [cert(f"B{n}", f"b{n}", line="PROFESSIONAL_BUSINESS") for n in range(business)]
        evidence += [cert(f"S{n}", f"s{n}", line="SECOND_LINE") for n in range(second)]
        evidence += [cert(f"E{n}", f"e{n}", level="EXPERT") for n in range(expert)]
        evidence += [Evidence(kind="badge", id=f"g{n}") for n in range(badges)]
        evidence += [Evidence(kind="offering", id=f"o{n}", status="APPROVED")
                     for n in range(offerings)]  # fmt: skip
        return Facts(flags={"business_plan.passed"}, levels={"path.SYSTEM_INTEGRATOR": level},
                     evidence=evidence)  # fmt: skip

    def test_ex12_si_validation(self) -> None:
        """EX-12 / R-ELIG-021, R-ELIG-023, R-ELIG-026: a team of 3 misses 3/4; fixed, it passes.

        R-ELIG-026: a failed request is fixed and evaluated again, without an attempt limit.
        """
        ok = next_step(
            huawei.SYSTEM_INTEGRATOR, self._si(4, 4, 4, 0, 0, 1, "SELECTION"), as_of=AS_OF
        )
        assert ok.evaluation is not None
        assert ok.evaluation.eligible
        short = next_step(huawei.SYSTEM_INTEGRATOR, self._si(3, 4, 4, 0, 0, 1, "SELECTION"),
                          as_of=AS_OF)  # fmt: skip
        assert short.evaluation is not None
        assert [(b.requirement_id, b.current) for b in short.evaluation.blockers] == [
            ("si.val.team", "3")
        ]
        for _ in range(3):  # resubmitting the same shortfall keeps failing the same way
            again = next_step(huawei.SYSTEM_INTEGRATOR, self._si(3, 4, 4, 0, 0, 1, "SELECTION"),
                              as_of=AS_OF)  # fmt: skip
            assert again.evaluation == short.evaluation

    def test_ex13_si_differentiation(self) -> None:
        """EX-13 / R-ELIG-022: expert-level 0/1 is the only miss."""
        step = next_step(huawei.SYSTEM_INTEGRATOR, self._si(4, 10, 9, 0, 1, 2, "VALIDATION"),
                         as_of=AS_OF)  # fmt: skip
        assert step.evaluation is not None
        assert [(b.requirement_id, b.current, b.required) for b in step.evaluation.blockers] == [
            ("si.diff.expert", "0", ">= 1")
        ]

    def test_si_selection_team_target_is_advisory(self) -> None:
        """R-ELIG-020 / GAP-10: the pre-sales team target of 2 is shown, never blocking."""
        facts = Facts(flags={"network.member", "invitation.SYSTEM_INTEGRATOR"})
        result = evaluate_entry(huawei.SYSTEM_INTEGRATOR, facts, as_of=AS_OF)
        assert result.eligible
        assert [line.requirement_id for line in result.advisories] == ["si.sel.team"]

    def test_ex14_learning_validation(self) -> None:
        """EX-14 / R-ELIG-024: 239 trainees of 240 is the one miss; 240 passes."""
        evidence = [cert(f"I{n}", f"i{n}", line="INSTRUCTOR") for n in range(3)]
        evidence += [Evidence(kind="person", id=role, holder=role,
                              attributes={"role": role, "dedicated": "yes"})
                     for role in ("TRAINING_MANAGER", "COURSE_SALES")]  # fmt: skip
        metrics = {"training.years": 2, "training.trainees": 239, "training.trainees_passed": 100,
                   "training.satisfaction": Decimal("4.0"), "courses.developed": 1}  # fmt: skip
        facts = Facts(flags={"training.facilities", "business_plan.passed"}, metrics=metrics,
                      levels={"path.LEARNING_PARTNER": "SELECTION"}, evidence=evidence)  # fmt: skip
        step = next_step(huawei.LEARNING_PARTNER, facts, as_of=AS_OF)
        assert step.evaluation is not None
        assert [(b.requirement_id, b.current) for b in step.evaluation.blockers] == [
            ("lrn.val.trainees", "239")
        ]
        enough = Facts(flags=facts.flags, metrics={**metrics, "training.trainees": 240},
                       levels=facts.levels, evidence=evidence)  # fmt: skip
        again = next_step(huawei.LEARNING_PARTNER, enough, as_of=AS_OF)
        assert again.evaluation is not None
        assert again.evaluation.eligible


class TestProgrammes:
    def test_ex15_every_csp_blocker_at_once(self) -> None:
        """EX-15 / R-ELIG-029: consumption records and real-name authentication, both reported."""
        facts = Facts(flags=CLEAN | {"account.consumption_records", "account.real_name_authentication",
                                     "agreement.CSP"})  # fmt: skip
        result = evaluate_entry(huawei.CSP, facts, as_of=AS_OF)
        assert codes(result) == ["HAS_CONSUMPTION_RECORDS", "REAL_NAME_AUTHENTICATED"]
        assert result.to_decision().codes == ("HAS_CONSUMPTION_RECORDS", "REAL_NAME_AUTHENTICATED")
        clean = evaluate_entry(huawei.CSP, Facts(flags=CLEAN | {"agreement.CSP"}), as_of=AS_OF)
        assert clean.eligible

    def test_ex16_one_csp_account_per_business_area(self) -> None:
        """EX-16 / R-ELIG-030: another company account in the area blocks; another area does not."""
        taken = Facts(flags=CLEAN | {"company.csp_in_business_area", "agreement.CSP"})
        assert codes(evaluate_entry(huawei.CSP, taken, as_of=AS_OF)) == ["BUSINESS_AREA_TAKEN"]

    def test_ex17_dpp_distributor_blocked_when_frozen(self) -> None:
        """EX-17 / R-ELIG-039, R-ELIG-040: a frozen invitee is blocked; unfrozen it qualifies."""
        ready = {"network.member", "invitation.DPP", "email.linked", "agreement.DPP"}
        frozen = evaluate_entry(huawei.DISTRIBUTION_DISTRIBUTOR,
                                Facts(flags=ready | {"account.frozen"}), as_of=AS_OF)  # fmt: skip
        assert ids(frozen) == ["dpp.frozen"]
        assert evaluate_entry(
            huawei.DISTRIBUTION_DISTRIBUTOR, Facts(flags=ready), as_of=AS_OF
        ).eligible
        applying = evaluate_entry(huawei.DISTRIBUTION_DISTRIBUTOR,
                                  Facts(flags=ready | {"program.CSP.applying"}), as_of=AS_OF)  # fmt: skip
        assert codes(applying) == ["DPP_CSP_CONFLICT"]

    def test_ex18_reseller_association_checks(self) -> None:
        """EX-18 / R-ELIG-041, R-ELIG-042: another country and a company account already there."""
        ready = {"invitation.RESELLER", "same_service_country", "in_authorized_region"}
        other_country = Facts(flags=ready - {"same_service_country"})
        assert codes(evaluate_entry(huawei.DISTRIBUTION_RESELLER, other_country, as_of=AS_OF)) == [
            "REGION_MISMATCH"
        ]
        sibling = Facts(flags=ready | {"company.account_with_distributor"})
        assert ids(evaluate_entry(huawei.DISTRIBUTION_RESELLER, sibling, as_of=AS_OF)) == [
            "rsl.company"
        ]
        on_path = Facts(flags=ready | {"path.any"})
        assert codes(evaluate_entry(huawei.DISTRIBUTION_RESELLER, on_path, as_of=AS_OF)) == [
            "RESELLER_CONFLICT"
        ]  # R-ELIG-013
        assert evaluate_entry(
            huawei.DISTRIBUTION_RESELLER, Facts(flags=ready), as_of=AS_OF
        ).eligible

    def test_ex19_hms_consumption_threshold(self) -> None:
        """EX-19 / R-ELIG-046: 100.00 is eligible, 100.01 is not; a special contract blocks."""
        flags = {"network.member", "account.enterprise"}
        ok = Facts(flags=flags, metrics={"consumption.total": Decimal("100.00")})
        assert evaluate_entry(huawei.HMS_ECOSYSTEM_SUPPORT, ok, as_of=AS_OF).eligible
        over = Facts(flags=flags, metrics={"consumption.total": Decimal("100.01")})
        assert codes(evaluate_entry(huawei.HMS_ECOSYSTEM_SUPPORT, over, as_of=AS_OF)) == [
            "HMS_CONSUMPTION_EXCEEDED"
        ]
        contract = Facts(flags=flags | {"special_contract", "developer_id.used"})
        assert codes(evaluate_entry(huawei.HMS_ECOSYSTEM_SUPPORT, contract, as_of=AS_OF)) == [
            "HMS_SPECIAL_CONTRACT", "DEVELOPER_ID_USED",
        ]  # fmt: skip

    def test_other_programme_entries(self) -> None:
        """R-ELIG-028, R-ELIG-044, R-ELIG-045, R-ELIG-047: competency, marketplace, carrier, PCE."""
        assert evaluate_entry(huawei.PARTNER_COMPETENCY,
                              Facts(flags={"network.member", "competency.requested"}), as_of=AS_OF).eligible  # fmt: skip
        assert codes(evaluate_entry(huawei.KOOGALLERY_SELLER, Facts(flags={"marketplace.registered"}),
                                    as_of=AS_OF)) == ["REAL_NAME_REQUIRED"]  # fmt: skip
        for programme, flag in ((huawei.KOOGALLERY_SALES, "agreement.KOOGALLERY_SALES"),
                                (huawei.CARRIER, "qualification_files")):  # fmt: skip
            assert codes(evaluate_entry(programme, Facts(flags={flag}), as_of=AS_OF)) == [
                "CSP_REQUIRED"
            ]
            enrolled = Facts(flags={flag}, levels={"program.CSP": "STANDARD"})
            assert evaluate_entry(programme, enrolled, as_of=AS_OF).eligible
        assert not evaluate_entry(huawei.PCE, Facts(flags={"network.member"}), as_of=AS_OF).eligible
        assert evaluate_entry(huawei.PCE, Facts(flags={"network.member", "agreement.PCE"}),
                              as_of=AS_OF).eligible  # fmt: skip


class TestTiers:
    def _csp(self, **metrics: int) -> Facts:
        certs = [Evidence(kind="certificate", id=f"c{n}", holder=f"P{n}",
                          attributes={"family": "ACCREDITATION"}) for n in range(metrics.pop("certs", 5))]  # fmt: skip
        return Facts(
            flags=CLEAN | {"agreement.CSP"},
            levels={"program.CSP": "STANDARD", "company.path.SOFTWARE_PARTNER": "VALIDATION"},
            metrics={"revenue.annual": metrics.pop("revenue", 370000),
                     "customers.count": metrics.pop("customers", 10)},
            evidence=certs,
        )  # fmt: skip

    def test_ex21_upgrade_to_advanced(self) -> None:
        """EX-21 / R-ELIG-034, R-ELIG-036: all four lines met; customers 9 misses; 360,000 meets."""
        step = next_step(huawei.CSP, self._csp(), as_of=AS_OF)
        assert step.target == "ADVANCED"
        assert step.evaluation is not None
        assert step.evaluation.eligible
        nine = next_step(huawei.CSP, self._csp(customers=9), as_of=AS_OF)
        assert nine.evaluation is not None
        assert [(b.requirement_id, b.current, b.required) for b in nine.evaluation.blockers] == [
            ("csp.adv.customers", "9", ">= 10")
        ]
        exact = next_step(huawei.CSP, self._csp(revenue=360000), as_of=AS_OF)
        assert exact.evaluation is not None
        assert exact.evaluation.eligible
        assert huawei.CSP.names == huawei.CSP_TIERS

    def test_ex22_no_role_validation_anywhere(self) -> None:
        """EX-22 / R-ELIG-035: without a validated company account the upgrade is not allowed."""
        facts = self._csp()
        bare = Facts(flags=facts.flags, metrics=facts.metrics, evidence=facts.evidence,
                     levels={"program.CSP": "STANDARD"})  # fmt: skip
        step = next_step(huawei.CSP, bare, as_of=AS_OF)
        assert step.evaluation is not None
        assert "NO_ROLE_VALIDATION" in [line.reason_code for line in step.evaluation.missed]
        alone = evaluate(huawei.ROLE_VALIDATION_SOMEWHERE, bare, as_of=AS_OF)
        assert not alone.eligible

    def test_ex23_premier_and_core_wait_for_the_vendor(self) -> None:
        """EX-23 / R-ELIG-037, GAP-02: PREMIER and CORE are pending until the vendor decides."""
        facts = self._csp()
        advanced = Facts(flags=facts.flags, metrics=facts.metrics, evidence=facts.evidence,
                         levels={"program.CSP": "ADVANCED"})  # fmt: skip
        for target in ("PREMIER", "CORE"):
            step = next_step(huawei.CSP, advanced, as_of=AS_OF, target=target)
            assert step.evaluation is not None
            assert codes(step.evaluation) == ["PENDING_VENDOR_DECISION"]
            approved = Facts(flags=facts.flags | {f"approval.program.CSP.{target}"},
                             metrics=facts.metrics, levels=advanced.levels)  # fmt: skip
            again = next_step(huawei.CSP, approved, as_of=AS_OF, target=target)
            assert again.evaluation is not None
            assert again.evaluation.eligible


class TestAlibaba:
    def test_channel_models(self) -> None:
        """R-ELIG-120: channel partners resell as agency, direct reseller or distributor."""
        from partnerkit.partners import PartnerRole, RoleKind

        alibaba_roles = {PartnerRole.AGENCY, PartnerRole.DIRECT_RESELLER,
                         PartnerRole.ALIBABA_DISTRIBUTOR}  # fmt: skip
        assert {r.kind for r in alibaba_roles} == {RoleKind.AGENCY, RoleKind.DIRECT,
                                                   RoleKind.DISTRIBUTOR}  # fmt: skip
        assert {p.id for p in (alibaba.AGENCY, alibaba.DIRECT_RESELLER, alibaba.DISTRIBUTOR)} == {
            "alibaba.agency", "alibaba.direct-reseller", "alibaba.distributor",
        }  # fmt: skip

    def test_ex60_service_centre_trial_and_transfer(self) -> None:
        """EX-60 / R-ELIG-134, R-ELIG-135: a 3-month trial; a disqualified centre's customers move."""
        assert alibaba.trial_ends(date(2025, 1, 15)) == date(2025, 4, 14)
        moved = alibaba.transfer_customers(
            {"c1": "centre-a", "c2": "centre-b"}, "centre-a", "centre-n"
        )
        assert moved == {"c1": "centre-n", "c2": "centre-b"}

    def test_ex54_agency_age_and_capital(self) -> None:
        """EX-54 / R-ELIG-121: registered 2023-06-01 -> not on 2024-05-31, yes on 2024-06-01;
        capital must exceed 2,000."""
        flags = {"entity.valid", "finances.healthy", "willing", "customer_resources"}
        facts = Facts(flags=flags, metrics={"capital.registered": Decimal("2000.01")},
                      dates={"entity.registered_at": on("2023-06-01")})  # fmt: skip
        assert ids(evaluate_entry(alibaba.AGENCY, facts, as_of=on("2024-05-31"))) == [
            "ali.agency.years"
        ]
        assert evaluate_entry(alibaba.AGENCY, facts, as_of=on("2024-06-01")).eligible
        poor = Facts(flags=flags, metrics={"capital.registered": 2000}, dates=facts.dates)
        assert ids(evaluate_entry(alibaba.AGENCY, poor, as_of=on("2024-06-01"))) == [
            "ali.agency.capital"
        ]
        undated = Facts(flags=flags, metrics=facts.metrics)
        assert ids(evaluate_entry(alibaba.AGENCY, undated, as_of=AS_OF)) == ["ali.agency.years"]

    def test_ex55_direct_reseller_and_distributor(self) -> None:
        """EX-55 / R-ELIG-122, R-ELIG-123: ACP certificates and the first-year commitment."""
        flags = {"entity.valid", "business.internet_si_or_software", "technical_capability",
                 "customer_operations"}  # fmt: skip
        ok = Facts(flags=flags, metrics={"staff.dedicated": 2, "certificates.acp": 2})
        assert evaluate_entry(alibaba.DIRECT_RESELLER, ok, as_of=AS_OF).eligible
        one = Facts(flags=flags, metrics={"staff.dedicated": 2, "certificates.acp": 1})
        result = evaluate_entry(alibaba.DIRECT_RESELLER, one, as_of=AS_OF)
        assert [(b.requirement_id, b.current) for b in result.blockers] == [
            ("ali.reseller.acp", "1")
        ]
        dist = {"tier2_experience", "tier2_resources"}
        metrics = {"staff.dedicated": 1, "certificates.acp": 4, "revenue.commitment": 400000}
        assert evaluate_entry(
            alibaba.DISTRIBUTOR, Facts(flags=dist, metrics=metrics), as_of=AS_OF
        ).eligible
        short = Facts(flags=dist, metrics={**metrics, "revenue.commitment": 399999})
        assert ids(evaluate_entry(alibaba.DISTRIBUTOR, short, as_of=AS_OF)) == [
            "ali.dist.commitment"
        ]

    def test_ex58_bid_score(self) -> None:
        """EX-58 / R-ELIG-132: 0.30*80 + 0.20*70 + 0.10*90 + 0.40*85 = 81."""
        scores = {"market_and_service": Decimal(80), "team": Decimal(70),
                  "operations": Decimal(90), "project_plan": Decimal(85)}  # fmt: skip
        assert alibaba.bid_score(scores) == Decimal(81)
        with pytest.raises(InvalidArgumentError):
            alibaba.bid_score({**scores, "team": Decimal(101)})
        with pytest.raises(InvalidArgumentError):
            alibaba.bid_score({"team": Decimal(1)})

    def test_ex59_assessment_windows(self) -> None:
        """EX-59 / R-ELIG-133: April 10 covers Oct-Mar plus 12 months; October 10 covers Apr-Sep."""
        april, october = alibaba.assessments(2025)
        assert (april.on, april.covers_from, april.covers_to, april.twelve_month_summary) == (
            date(2025, 4, 10), date(2024, 10, 1), date(2025, 3, 31), True,
        )  # fmt: skip
        assert (october.on, october.covers_from, october.covers_to) == (
            date(2025, 10, 10), date(2025, 4, 1), date(2025, 9, 30),
        )  # fmt: skip

    def test_ex61_service_centre_entry(self) -> None:
        """EX-61 / R-ELIG-129, R-ELIG-130: 2 certified staff of 3 misses; government ties optional."""
        flags = {"customer_operations", "local_market", "shared_values", "region.open"}
        two = Facts(flags=flags, metrics={"staff.cloud_certified": 2})
        result = evaluate_entry(alibaba.SERVICE_CENTRE, two, as_of=AS_OF)
        assert [(b.requirement_id, b.current, b.required) for b in result.blockers] == [
            ("ali.centre.certified", "2", ">= 3")
        ]
        three = Facts(flags=flags, metrics={"staff.cloud_certified": 3})
        assert evaluate_entry(alibaba.SERVICE_CENTRE, three, as_of=AS_OF).eligible
        closed = Facts(flags=flags - {"region.open"}, metrics={"staff.cloud_certified": 3})
        assert ids(evaluate_entry(alibaba.SERVICE_CENTRE, closed, as_of=AS_OF)) == [
            "ali.centre.region"
        ]


ALL_PROGRAMMES: tuple[Programme, ...] = (
    *huawei.PATHS, huawei.CSP, huawei.DISTRIBUTION_DISTRIBUTOR, huawei.DISTRIBUTION_RESELLER,
    huawei.PARTNER_COMPETENCY, huawei.KOOGALLERY_SELLER, huawei.KOOGALLERY_SALES, huawei.CARRIER,
    huawei.HMS_ECOSYSTEM_SUPPORT, huawei.PCE, alibaba.AGENCY, alibaba.DIRECT_RESELLER,
    alibaba.DISTRIBUTOR, alibaba.SERVICE_CENTRE,
)  # fmt: skip


@pytest.mark.parametrize("programme", ALL_PROGRAMMES, ids=lambda p: p.id)
def test_catalogues_round_trip_through_json(programme: Programme) -> None:
    """GAP-01: every shipped catalogue is data that survives JSON unchanged."""
    assert programme_from_json(programme_to_json(programme)) == programme


def test_an_integrators_programme_is_a_json_file() -> None:
    """GAP-01: a made-up programme with its own tiers and thresholds, from a file, no new code."""
    text = (Path(__file__).parent / "data" / "integrator_programme.json").read_text("utf-8")
    programme = programme_from_json(text)
    assert programme.names == ("BRONZE", "SILVER", "GOLD")
    facts = Facts(
        flags={"agreement.signed"},
        metrics={"revenue.trailing": 120000, "nps": 41},
        levels={"acme.partner": "BRONZE"},
        evidence=[Evidence(kind="engineer", id=f"e{n}", holder=f"E{n}",
                           occurred_at=AS_OF - timedelta(days=30 * n)) for n in range(3)],
    )  # fmt: skip
    step = next_step(programme, facts, as_of=AS_OF)
    assert step.target == "SILVER"
    assert step.evaluation is not None
    assert [(b.requirement_id, b.current, b.required) for b in step.evaluation.blockers] == [
        ("silver.engineers", "3", ">= 4")
    ]
    assert "ok " in step.evaluation.explain()
    with pytest.raises(InvalidArgumentError):
        programme_from_json('{"id": "x"}')
    with pytest.raises(InvalidArgumentError):
        programme_from_json("not json")
