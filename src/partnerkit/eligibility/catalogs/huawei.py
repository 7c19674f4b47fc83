"""Huawei Cloud's development paths and programmes as data (eligibility.md sections 2.2-2.9).

Fact names the catalogue reads (the caller's snapshot supplies them):

* flags: ``network.member``, ``account.enterprise``, ``invitation.<PATH>``,
  ``program.CSP.joined``, ``program.CSP.applying``, ``program.DPP.distributor``,
  ``program.DPP.reseller``, ``path.any``, ``company.other_account_on.<PATH>``,
  ``approval.second_software_account``, ``account.resources_provisioned``,
  ``account.in_arrears``, ``account.consumption_records``,
  ``account.associated_with_partner``, ``account.enterprise_master_or_member``,
  ``account.real_name_authentication``, ``account.preregistered_by_vendor``,
  ``account.frozen``, ``account.credit_account``, ``account.reseller_customer``,
  ``account.blacklisted``, ``company.csp_in_business_area``,
  ``company.account_with_distributor``, ``same_service_country``,
  ``in_authorized_region``, ``already_reseller``, ``email.linked``,
  ``business_plan.passed``, ``special_contract``, ``developer_id.used``,
  ``agreement.<PROGRAM>``, ``qualification_files``, ``real_name.enterprise``,
  ``marketplace.registered``, ``competency.requested``, ``training.facilities``;
* levels: ``path.<PATH>`` (this account's stage), ``company.path.<PATH>`` (the
  highest stage of any account of the company), ``program.CSP`` (the tier);
* metrics: ``revenue.annual`` (USD), ``customers.count``, ``consumption.total``
  (USD), ``training.years``, ``training.trainees``, ``training.trainees_passed``,
  ``training.satisfaction``, ``courses.developed``;
* evidence: ``certificate`` (attributes ``level`` ENTRY / WORK / EXPERT,
  ``line`` PROFESSIONAL_BUSINESS / SECOND_LINE / PROJECT_MANAGEMENT /
  INSTRUCTOR, ``family`` ACCREDITATION, ``dedicated`` yes; holder = the
  person), ``case`` (status PASSED), ``solution`` (``kind`` CLOUD_SOFTWARE /
  ADVANCED_CLOUD_SOFTWARE, status CERTIFIED), ``badge`` (``category``
  SERVICE, ``competency``), ``offering`` (status APPROVED), ``person``
  (``role`` PRE_SALES / TRAINING_MANAGER / COURSE_SALES, ``dedicated`` yes).

Only dedicated personnel in status NORMAL with maintained certificates count
for the Service and SI paths (R-ELIG-019): the caller marks their
certificates ``dedicated: yes``; a person counts once per line.

>>> from datetime import datetime, timezone
>>> from partnerkit.eligibility import Facts, next_step
>>> facts = Facts(flags={"network.member"}, levels={"path.SOFTWARE_PARTNER": "SELECTION"})
>>> step = next_step(SOFTWARE_PARTNER, facts, as_of=datetime(2024, 6, 1, tzinfo=timezone.utc))
>>> step.target, [b.label for b in step.evaluation.blockers]
('VALIDATION', ['Cloud Software certified', 'Advanced Cloud Software certified'])
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from partnerkit.eligibility.programmes import Level, Programme
from partnerkit.eligibility.requirements import (
    AllOf,
    AnyOf,
    Count,
    Distinct,
    Flag,
    Op,
    Rank,
    Requirement,
    Severity,
    Threshold,
    Window,
    WindowKind,
)

__all__ = [
    "CARRIER",
    "CSP",
    "CSP_TIERS",
    "DISTRIBUTION_DISTRIBUTOR",
    "DISTRIBUTION_RESELLER",
    "DISTRIBUTOR_PATH",
    "HMS_ECOSYSTEM_SUPPORT",
    "KOOGALLERY_SALES",
    "KOOGALLERY_SELLER",
    "LEARNING_PARTNER",
    "PARTNER_COMPETENCY",
    "PATHS",
    "PCE",
    "ROLE_VALIDATION_SOMEWHERE",
    "SERVICE_PARTNER",
    "SHARED_OPPORTUNITIES",
    "SOFTWARE_PARTNER",
    "STAGES",
    "SYSTEM_INTEGRATOR",
    "VERSION",
]

#: The guide's issue these figures come from (Issue 102, 2024-07-30).
VERSION = "2024-07-30"
_EFFECTIVE = date(2024, 7, 30)
#: Development-path stages, lowest first.
STAGES = ("SELECTION", "VALIDATION", "DIFFERENTIATION")
#: CSP tiers, lowest first (R-ELIG-034).
CSP_TIERS = ("STANDARD", "ADVANCED", "PREMIER", "CORE")
_LAST_12_MONTHS = Window(kind=WindowKind.ROLLING_MONTHS, length=12)
_VALIDATING_PATHS = ("SOFTWARE_PARTNER", "SERVICE_PARTNER", "SYSTEM_INTEGRATOR")


def _title(name: str) -> str:
    return name.replace("_", " ").title()


def _flag(rid: str, label: str, fact: str, rule: str, code: str | None = None) -> Flag:
    return Flag(id=rid, label=label, fact=fact, rule_id=rule, reason_code=code)


def _no(rid: str, label: str, fact: str, rule: str, code: str) -> Flag:
    """A blocker: the fact must not hold."""
    return Flag(id=rid, label=label, fact=fact, expected=False, rule_id=rule, reason_code=code)


def _certs(rid: str, label: str, n: int, rule: str, **where: str) -> Count:
    """Distinct people holding a valid certificate matching ``where``."""
    return Count(
        id=rid, label=label, kind="certificate", where=where, distinct=Distinct.HOLDERS,
        value=n, rule_id=rule,
    )  # fmt: skip


def _people(rid: str, label: str, n: int, rule: str, role: str) -> Count:
    return Count(
        id=rid, label=label, kind="person", where={"role": role, "dedicated": "yes"},
        distinct=Distinct.HOLDERS, value=n, rule_id=rule,
    )  # fmt: skip


def _member(prefix: str) -> Flag:
    return _flag(f"{prefix}.member", "Network member", "network.member", "R-ELIG-001",
                 "NOT_NETWORK_MEMBER")  # fmt: skip


def _not_csp_or_dpp(prefix: str, rule: str = "R-ELIG-012") -> AllOf:
    return AllOf(
        id=f"{prefix}.exclusive",
        label="Not in CSP or the Distribution Partner Program",
        rule_id=rule,
        items=(
            _no(f"{prefix}.no-csp", "Not a CSP (joined)", "program.CSP.joined", "R-ELIG-012",
                "PATH_CSP_CONFLICT"),
            _no(f"{prefix}.no-csp-applying", "Not applying to CSP", "program.CSP.applying",
                "R-ELIG-012", "PATH_CSP_CONFLICT"),
            _no(f"{prefix}.no-reseller", "Not a DPP reseller", "program.DPP.reseller",
                "R-ELIG-013", "RESELLER_CONFLICT"),
            _no(f"{prefix}.no-distributor", "Not a DPP distributor", "program.DPP.distributor",
                "R-ELIG-012", "PATH_CSP_CONFLICT"),
        ),
    )  # fmt: skip


def _invited(prefix: str, path: str, rule: str = "R-ELIG-009") -> Flag:
    return _flag(f"{prefix}.invitation", "Invited by the vendor", f"invitation.{path}", rule,
                 "INVITATION_REQUIRED")  # fmt: skip


def _solutions(rid: str, label: str, kinds: tuple[str, ...], rule: str) -> Requirement:
    counts = tuple(
        Count(id=f"{rid}.{kind.lower()}", label=f"{kind.replace('_', ' ').title()} certified",
              kind="solution", where={"kind": kind}, statuses=("CERTIFIED",), value=1,
              rule_id=rule)
        for kind in kinds
    )  # fmt: skip
    return counts[0] if len(counts) == 1 else AnyOf(id=rid, label=label, rule_id=rule, items=counts)


# --- 2.2 Software partner ------------------------------------------------------------------------

SOFTWARE_PARTNER = Programme(
    id="huawei.path.software",
    version=VERSION,
    effective_from=_EFFECTIVE,
    label="Software Partner",
    ladder="path.SOFTWARE_PARTNER",
    rule_ids=("R-ELIG-008", "R-ELIG-010", "R-ELIG-012", "R-ELIG-015", "R-ELIG-016"),
    levels=(
        Level(
            name="SELECTION",
            label="Role selection",
            requirement=AllOf(
                id="sw.selection",
                label="Software role selection",
                items=(
                    _member("sw"),
                    _not_csp_or_dpp("sw"),
                    AnyOf(
                        id="sw.second-account",
                        label="First company account, or staff approval",
                        rule_id="R-ELIG-010",
                        items=(
                            _no(
                                "sw.first-account",
                                "No other company account on the path",
                                "company.other_account_on.SOFTWARE_PARTNER",
                                "R-ELIG-010",
                                "STAFF_APPROVAL_REQUIRED",
                            ),
                            _flag(
                                "sw.staff-approval",
                                "Vendor staff approved a second account",
                                "approval.second_software_account",
                                "R-ELIG-010",
                            ),
                        ),
                    ),
                ),
            ),
        ),
        Level(
            name="VALIDATION",
            label="Role validation",
            requirement=AnyOf(
                id="sw.validation",
                label="A certified cloud-software solution (any company account)",
                rule_id="R-ELIG-015",
                items=(
                    _solutions(
                        "sw.validation.solution",
                        "Cloud software certified",
                        ("CLOUD_SOFTWARE",),
                        "R-ELIG-015",
                    ),
                    _solutions(
                        "sw.validation.advanced",
                        "Advanced cloud software certified",
                        ("ADVANCED_CLOUD_SOFTWARE",),
                        "R-ELIG-015",
                    ),
                ),
            ),
        ),
        Level(
            name="DIFFERENTIATION",
            label="Competency differentiation",
            requirement=_solutions(
                "sw.differentiation",
                "Advanced cloud software certified",
                ("ADVANCED_CLOUD_SOFTWARE",),
                "R-ELIG-016",
            ),
        ),
    ),
)

# --- 2.3 Service partner -------------------------------------------------------------------------

SERVICE_PARTNER = Programme(
    id="huawei.path.service",
    version=VERSION,
    effective_from=_EFFECTIVE,
    label="Service Partner",
    ladder="path.SERVICE_PARTNER",
    rule_ids=("R-ELIG-011", "R-ELIG-017", "R-ELIG-018", "R-ELIG-019", "R-ELIG-027"),
    levels=(
        Level(
            name="SELECTION",
            label="Role selection",
            requirement=AllOf(
                id="svc.selection",
                label="Service role selection",
                items=(
                    _member("svc"),
                    _not_csp_or_dpp("svc"),
                    _no(
                        "svc.single-account",
                        "No other company account on the Service path",
                        "company.other_account_on.SERVICE_PARTNER",
                        "R-ELIG-011",
                        "COMPANY_PATH_TAKEN",
                    ),
                ),
            ),
        ),
        Level(
            name="VALIDATION",
            label="Role validation",
            requirement=AllOf(
                id="svc.validation",
                label="Service role validation",
                rule_id="R-ELIG-017",
                items=(
                    _certs(
                        "svc.val.business",
                        "Professional business certifications (people)",
                        2,
                        "R-ELIG-017",
                        line="PROFESSIONAL_BUSINESS",
                        dedicated="yes",
                    ),
                    _certs(
                        "svc.val.entry",
                        "Entry-level certifications (people)",
                        2,
                        "R-ELIG-017",
                        level="ENTRY",
                        dedicated="yes",
                    ),
                    _certs(
                        "svc.val.work",
                        "Work-level certifications (people)",
                        2,
                        "R-ELIG-017",
                        level="WORK",
                        dedicated="yes",
                    ),
                    Count(
                        id="svc.val.cases",
                        label="Passed cases in the last 12 months",
                        kind="case",
                        statuses=("PASSED",),
                        window=_LAST_12_MONTHS,
                        value=1,
                        rule_id="R-ELIG-027",
                    ),
                ),
            ),
        ),
        Level(
            name="DIFFERENTIATION",
            label="Competency differentiation",
            requirement=AllOf(
                id="svc.differentiation",
                label="Service differentiation",
                rule_id="R-ELIG-018",
                items=(
                    _certs(
                        "svc.diff.pm",
                        "Dedicated project managers with PM certification",
                        2,
                        "R-ELIG-018",
                        line="PROJECT_MANAGEMENT",
                        dedicated="yes",
                    ),
                    _certs(
                        "svc.diff.business",
                        "Professional business certifications (people)",
                        2,
                        "R-ELIG-018",
                        line="PROFESSIONAL_BUSINESS",
                        dedicated="yes",
                    ),
                    _certs(
                        "svc.diff.work",
                        "Work-level certifications (people)",
                        10,
                        "R-ELIG-018",
                        level="WORK",
                        dedicated="yes",
                    ),
                    _certs(
                        "svc.diff.expert",
                        "Expert-level certifications (people)",
                        2,
                        "R-ELIG-018",
                        level="EXPERT",
                        dedicated="yes",
                    ),
                    Count(
                        id="svc.diff.badges",
                        label="Service competency badges",
                        kind="badge",
                        where={"category": "SERVICE"},
                        value=2,
                        rule_id="R-ELIG-018",
                    ),
                    Count(
                        id="svc.diff.migration",
                        label="Cloud Migration badge (mandatory)",
                        kind="badge",
                        where={"competency": "cloud_migration"},
                        value=1,
                        rule_id="R-ELIG-018",
                    ),
                    Count(
                        id="svc.diff.cases",
                        label="Passed cases in the last 12 months",
                        kind="case",
                        statuses=("PASSED",),
                        window=_LAST_12_MONTHS,
                        value=2,
                        rule_id="R-ELIG-027",
                    ),
                    _flag(
                        "svc.diff.plan",
                        "Approved business plan",
                        "business_plan.passed",
                        "R-ELIG-027",
                    ),
                ),
            ),
        ),
    ),
)

# --- 2.4 System integrator ----------------------------------------------------------------------


def _offerings(rid: str, n: int, rule: str) -> Count:
    return Count(
        id=rid, label="Approved jointly-created offerings", kind="offering",
        statuses=("APPROVED",), value=n, rule_id=rule,
    )  # fmt: skip


SYSTEM_INTEGRATOR = Programme(
    id="huawei.path.si",
    version=VERSION,
    effective_from=_EFFECTIVE,
    label="System Integrator",
    ladder="path.SYSTEM_INTEGRATOR",
    rule_ids=("R-ELIG-009", "R-ELIG-020", "R-ELIG-021", "R-ELIG-022", "R-ELIG-023"),
    levels=(
        Level(
            name="SELECTION",
            label="Role selection",
            requirement=AllOf(
                id="si.selection",
                label="SI role selection",
                items=(
                    _member("si"),
                    _invited("si", "SYSTEM_INTEGRATOR"),
                    _not_csp_or_dpp("si"),
                    Count(
                        id="si.sel.team",
                        label="Dedicated pre-sales solution team (target)",
                        kind="person",
                        where={"role": "PRE_SALES", "dedicated": "yes"},
                        distinct=Distinct.HOLDERS,
                        value=2,
                        rule_id="R-ELIG-020",
                        severity=Severity.ADVISORY,
                    ),
                ),
            ),
        ),
        Level(
            name="VALIDATION",
            label="Role validation",
            requirement=AllOf(
                id="si.validation",
                label="SI role validation",
                rule_id="R-ELIG-021",
                items=(
                    _flag(
                        "si.val.plan",
                        "Business plan agreed with the vendor",
                        "business_plan.passed",
                        "R-ELIG-021",
                    ),
                    _people(
                        "si.val.team",
                        "Dedicated pre-sales solution team",
                        4,
                        "R-ELIG-021",
                        "PRE_SALES",
                    ),
                    _certs(
                        "si.val.business",
                        "Professional business certifications (people)",
                        4,
                        "R-ELIG-021",
                        line="PROFESSIONAL_BUSINESS",
                        dedicated="yes",
                    ),
                    _certs(
                        "si.val.second",
                        "Second certification line (people)",
                        4,
                        "R-ELIG-021",
                        line="SECOND_LINE",
                        dedicated="yes",
                    ),
                    _offerings("si.val.offerings", 1, "R-ELIG-023"),
                ),
            ),
        ),
        Level(
            name="DIFFERENTIATION",
            label="Advanced Cloud SI",
            requirement=AllOf(
                id="si.differentiation",
                label="SI differentiation",
                rule_id="R-ELIG-022",
                items=(
                    _flag(
                        "si.diff.plan",
                        "Business plan agreed with the vendor",
                        "business_plan.passed",
                        "R-ELIG-022",
                    ),
                    _people(
                        "si.diff.team",
                        "Dedicated pre-sales solution team",
                        4,
                        "R-ELIG-022",
                        "PRE_SALES",
                    ),
                    _certs(
                        "si.diff.business",
                        "Professional business certifications (people)",
                        10,
                        "R-ELIG-022",
                        line="PROFESSIONAL_BUSINESS",
                        dedicated="yes",
                    ),
                    _certs(
                        "si.diff.second",
                        "Second certification line (people)",
                        9,
                        "R-ELIG-022",
                        line="SECOND_LINE",
                        dedicated="yes",
                    ),
                    _certs(
                        "si.diff.expert",
                        "Expert-level certifications (people)",
                        1,
                        "R-ELIG-022",
                        level="EXPERT",
                        dedicated="yes",
                    ),
                    Count(
                        id="si.diff.badge",
                        label="Competency badges",
                        kind="badge",
                        value=1,
                        rule_id="R-ELIG-022",
                    ),
                    _offerings("si.diff.offerings", 2, "R-ELIG-023"),
                ),
            ),
        ),
    ),
)

# --- 2.5 Learning partner -----------------------------------------------------------------------

LEARNING_PARTNER = Programme(
    id="huawei.path.learning",
    version=VERSION,
    effective_from=_EFFECTIVE,
    label="Learning Partner",
    ladder="path.LEARNING_PARTNER",
    rule_ids=("R-ELIG-009", "R-ELIG-024"),
    levels=(
        Level(
            name="SELECTION",
            label="Role selection",
            requirement=AllOf(
                id="lrn.selection",
                label="Learning role selection",
                items=(
                    _member("lrn"),
                    _invited("lrn", "LEARNING_PARTNER"),
                    _not_csp_or_dpp("lrn"),
                ),
            ),
        ),
        Level(
            name="VALIDATION",
            label="Role validation",
            requirement=AllOf(
                id="lrn.validation",
                label="Learning role validation",
                rule_id="R-ELIG-024",
                items=(
                    Threshold(
                        id="lrn.val.years",
                        label="Years of training experience",
                        metric="training.years",
                        value=Decimal(2),
                        unit="years",
                        rule_id="R-ELIG-024",
                    ),
                    _flag(
                        "lrn.val.facilities",
                        "Teaching facilities, a classroom per site",
                        "training.facilities",
                        "R-ELIG-024",
                    ),
                    _flag(
                        "lrn.val.plan",
                        "Joint business plan reviewed",
                        "business_plan.passed",
                        "R-ELIG-024",
                    ),
                    _certs(
                        "lrn.val.instructors",
                        "Dedicated certified instructors",
                        3,
                        "R-ELIG-024",
                        line="INSTRUCTOR",
                        dedicated="yes",
                    ),
                    _people(
                        "lrn.val.manager",
                        "Dedicated training manager",
                        1,
                        "R-ELIG-024",
                        "TRAINING_MANAGER",
                    ),
                    _people(
                        "lrn.val.sales",
                        "Dedicated course-sales person",
                        1,
                        "R-ELIG-024",
                        "COURSE_SALES",
                    ),
                    Threshold(
                        id="lrn.val.trainees",
                        label="Trainees taught by certified instructors",
                        metric="training.trainees",
                        value=Decimal(240),
                        rule_id="R-ELIG-024",
                    ),
                    Threshold(
                        id="lrn.val.passed",
                        label="Trainees passing certification",
                        metric="training.trainees_passed",
                        value=Decimal(100),
                        rule_id="R-ELIG-024",
                    ),
                    Threshold(
                        id="lrn.val.satisfaction",
                        label="Delivery satisfaction",
                        metric="training.satisfaction",
                        value=Decimal(4),
                        rule_id="R-ELIG-024",
                    ),
                    Threshold(
                        id="lrn.val.courses",
                        label="Courses developed",
                        metric="courses.developed",
                        value=Decimal(1),
                        rule_id="R-ELIG-024",
                    ),
                ),
            ),
        ),
    ),
)

# --- 2.6 Distributor path -----------------------------------------------------------------------

DISTRIBUTOR_PATH = Programme(
    id="huawei.path.distributor",
    version=VERSION,
    effective_from=_EFFECTIVE,
    label="Distributor path",
    ladder="path.DISTRIBUTOR",
    rule_ids=("R-ELIG-025",),
    levels=(
        Level(
            name="SELECTION",
            label="Role selection",
            requirement=AllOf(
                id="dist.selection",
                label="Distributor path selection",
                items=(
                    _member("dist"),
                    _invited("dist", "DISTRIBUTOR", "R-ELIG-025"),
                ),
            ),
        ),
    ),
)

#: Every development path (R-ELIG-008).
PATHS = (SOFTWARE_PARTNER, SERVICE_PARTNER, SYSTEM_INTEGRATOR, LEARNING_PARTNER, DISTRIBUTOR_PATH)

# --- 2.7 CSP ------------------------------------------------------------------------------------


def _csp_blockers() -> AllOf:
    return AllOf(id="csp.entry", label="CSP entry checklist", rule_id="R-ELIG-029", items=(
        _member("csp"),
        _flag("csp.enterprise", "Enterprise tenant", "account.enterprise", "R-ELIG-029",
              "NOT_ENTERPRISE"),
        _no("csp.area", "No company account in this business area joined CSP",
            "company.csp_in_business_area", "R-ELIG-030", "BUSINESS_AREA_TAKEN"),
        _no("csp.path", "Not on a development path", "path.any", "R-ELIG-012",
            "PATH_CSP_CONFLICT"),
        _no("csp.dpp", "Not in the Distribution Partner Program", "program.DPP.distributor",
            "R-ELIG-029", "CSP_BLOCKED"),
        _no("csp.reseller", "Not a DPP reseller", "program.DPP.reseller", "R-ELIG-013",
            "RESELLER_CONFLICT"),
        _no("csp.resources", "No provisioned resources", "account.resources_provisioned",
            "R-ELIG-029", "HAS_RESOURCES"),
        _no("csp.arrears", "Not in arrears", "account.in_arrears", "R-ELIG-029", "IN_ARREARS"),
        _no("csp.consumption", "No consumption records", "account.consumption_records",
            "R-ELIG-029", "HAS_CONSUMPTION_RECORDS"),
        _no("csp.associated", "Not associated with another partner",
            "account.associated_with_partner", "R-ELIG-029", "ASSOCIATED_WITH_PARTNER"),
        _no("csp.enterprise-project", "Not an enterprise master or member account",
            "account.enterprise_master_or_member", "R-ELIG-029", "ENTERPRISE_ACCOUNT"),
        _no("csp.real-name", "Not under or past real-name authentication",
            "account.real_name_authentication", "R-ELIG-029", "REAL_NAME_AUTHENTICATED"),
        _no("csp.preregistered", "Not pre-registered by a vendor BD",
            "account.preregistered_by_vendor", "R-ELIG-029", "PREREGISTERED"),
    ))  # fmt: skip


_ADVANCED = AllOf(id="csp.advanced", label="Advanced tier criteria", rule_id="R-ELIG-036", items=(
    AnyOf(id="csp.adv.role-validation", label="A company account completed role validation",
          rule_id="R-ELIG-035", reason_code="NO_ROLE_VALIDATION", items=tuple(
              Rank(id=f"csp.adv.{path.lower()}", label=f"{_title(path)} validated",
                   ladder=f"company.path.{path}", levels=STAGES, at_least="VALIDATION",
                   rule_id="R-ELIG-035")
              for path in _VALIDATING_PATHS)),
    Threshold(id="csp.adv.revenue", label="Annual revenue", metric="revenue.annual",
              value=Decimal(360000), unit="USD", rule_id="R-ELIG-036"),
    Threshold(id="csp.adv.customers", label="Vendor-cloud customers", metric="customers.count",
              value=Decimal(10), rule_id="R-ELIG-036"),
    _certs("csp.adv.certifications", "Professional certifications (people)", 4, "R-ELIG-036",
           family="ACCREDITATION"),
))  # fmt: skip

CSP = Programme(
    id="huawei.program.csp",
    version=VERSION,
    effective_from=_EFFECTIVE,
    label="Cloud Solution Provider",
    ladder="program.CSP",
    entry=_csp_blockers(),
    rule_ids=("R-ELIG-029", "R-ELIG-034", "R-ELIG-035", "R-ELIG-036", "R-ELIG-037"),
    levels=(
        Level(name="STANDARD", label="Standard",
              requirement=_flag("csp.std.agreement", "Cooperation agreement accepted",
                                "agreement.CSP", "R-ELIG-031")),
        Level(name="ADVANCED", label="Advanced", requirement=_ADVANCED),
        #: GAP-02: not published; the vendor decides (pending until approved).
        Level(name="PREMIER", label="Premier"),
        #: R-ELIG-037: only vendor staff file it.
        Level(name="CORE", label="Core"),
    ),
)  # fmt: skip

# --- 2.8 Distribution Partner Program ------------------------------------------------------------

DISTRIBUTION_DISTRIBUTOR = Programme(
    id="huawei.program.dpp.distributor",
    version=VERSION,
    effective_from=_EFFECTIVE,
    label="Distribution Partner Program: distributor",
    ladder="program.DPP.distributor",
    rule_ids=("R-ELIG-025", "R-ELIG-039", "R-ELIG-040"),
    levels=(
        Level(name="DISTRIBUTOR", label="Distributor", requirement=AllOf(
            id="dpp.distributor", label="DPP distributor checklist", rule_id="R-ELIG-040",
            items=(
                _member("dpp"),
                _invited("dpp", "DPP", "R-ELIG-039"),
                _flag("dpp.email", "E-mail linked to the account", "email.linked", "R-ELIG-025",
                      "EMAIL_NOT_LINKED"),
                _no("dpp.csp", "Not in or applying to CSP", "program.CSP.joined", "R-ELIG-039",
                    "DPP_CSP_CONFLICT"),
                _no("dpp.csp-applying", "Not applying to CSP", "program.CSP.applying",
                    "R-ELIG-040", "DPP_CSP_CONFLICT"),
                _no("dpp.reseller-customer", "Not a reseller's customer",
                    "account.reseller_customer", "R-ELIG-040", "DPP_BLOCKED"),
                _no("dpp.resources", "No resources in use", "account.resources_provisioned",
                    "R-ELIG-040", "DPP_BLOCKED"),
                _no("dpp.frozen", "Not frozen", "account.frozen", "R-ELIG-040", "DPP_BLOCKED"),
                _no("dpp.consumption", "No consumption records", "account.consumption_records",
                    "R-ELIG-040", "DPP_BLOCKED"),
                _no("dpp.arrears", "Not in arrears", "account.in_arrears", "R-ELIG-040",
                    "DPP_BLOCKED"),
                _no("dpp.enterprise", "Not an enterprise master or member account",
                    "account.enterprise_master_or_member", "R-ELIG-040", "DPP_BLOCKED"),
                _no("dpp.credit", "No credit account", "account.credit_account", "R-ELIG-040",
                    "DPP_BLOCKED"),
                _no("dpp.preregistered", "Not pre-registered by a vendor BD",
                    "account.preregistered_by_vendor", "R-ELIG-040", "DPP_BLOCKED"),
                _no("dpp.real-name", "Not under or past real-name authentication",
                    "account.real_name_authentication", "R-ELIG-040", "DPP_BLOCKED"),
                _flag("dpp.agreement", "Distribution agreement accepted", "agreement.DPP",
                      "R-ELIG-040"),
            ),
        )),
    ),
)  # fmt: skip

DISTRIBUTION_RESELLER = Programme(
    id="huawei.program.dpp.reseller",
    version=VERSION,
    effective_from=_EFFECTIVE,
    label="Distribution Partner Program: reseller",
    ladder="program.DPP.reseller",
    rule_ids=("R-ELIG-013", "R-ELIG-041", "R-ELIG-042"),
    levels=(
        Level(name="RESELLER", label="Reseller", requirement=AllOf(
            id="dpp.reseller", label="Reseller association checklist", rule_id="R-ELIG-041",
            items=(
                _flag("rsl.invitation", "Invited by a distributor", "invitation.RESELLER",
                      "R-ELIG-041", "INVITATION_REQUIRED"),
                _no("rsl.resources", "No provisioned resources", "account.resources_provisioned",
                    "R-ELIG-041", "RESELLER_BLOCKED"),
                _no("rsl.arrears", "Not in arrears", "account.in_arrears", "R-ELIG-041",
                    "RESELLER_BLOCKED"),
                _no("rsl.consumption", "No consumption records", "account.consumption_records",
                    "R-ELIG-041", "RESELLER_BLOCKED"),
                _no("rsl.path", "Not on another path", "path.any", "R-ELIG-013",
                    "RESELLER_CONFLICT"),
                _no("rsl.csp", "Not in CSP", "program.CSP.joined", "R-ELIG-013",
                    "RESELLER_CONFLICT"),
                _no("rsl.listed", "Not black- or yellow-listed", "account.blacklisted",
                    "R-ELIG-041", "RESELLER_BLOCKED"),
                _no("rsl.company", "No other company account with this distributor",
                    "company.account_with_distributor", "R-ELIG-041", "RESELLER_BLOCKED"),
                _no("rsl.frozen", "Not frozen", "account.frozen", "R-ELIG-041",
                    "RESELLER_BLOCKED"),
                _no("rsl.enterprise", "Not an enterprise master or member account",
                    "account.enterprise_master_or_member", "R-ELIG-041", "RESELLER_BLOCKED"),
                _no("rsl.credit", "No credit account", "account.credit_account", "R-ELIG-041",
                    "RESELLER_BLOCKED"),
                _no("rsl.preregistered", "Not pre-registered by a vendor BD",
                    "account.preregistered_by_vendor", "R-ELIG-041", "RESELLER_BLOCKED"),
                _no("rsl.associated", "Not associated with another partner",
                    "account.associated_with_partner", "R-ELIG-041", "RESELLER_BLOCKED"),
                _no("rsl.real-name", "Not under or past real-name authentication",
                    "account.real_name_authentication", "R-ELIG-041", "RESELLER_BLOCKED"),
                _flag("rsl.country", "Same service country as the distributor",
                      "same_service_country", "R-ELIG-042", "REGION_MISMATCH"),
                _flag("rsl.region", "In the distributor's authorized regions",
                      "in_authorized_region", "R-ELIG-042", "REGION_MISMATCH"),
                _no("rsl.already", "Not already a reseller", "already_reseller", "R-ELIG-042",
                    "ALREADY_RESELLER"),
            ),
        )),
    ),
)  # fmt: skip

# --- 2.9 Other programmes -----------------------------------------------------------------------


def _single(pid: str, label: str, ladder: str, level: str, requirement: Requirement,
            rules: tuple[str, ...]) -> Programme:  # fmt: skip
    return Programme(
        id=pid, version=VERSION, effective_from=_EFFECTIVE, label=label, ladder=ladder,
        rule_ids=rules, levels=(Level(name=level, label=label, requirement=requirement),),
    )  # fmt: skip


_CSP_ENROLLED = Rank(id="csp-enrolled", label="Enrolled in CSP", ladder="program.CSP",
                     levels=CSP_TIERS, at_least="STANDARD", rule_id="R-ELIG-045",
                     reason_code="CSP_REQUIRED")  # fmt: skip

PARTNER_COMPETENCY = _single(
    "huawei.program.competency", "Partner Competency Program", "program.COMPETENCY", "MEMBER",
    AllOf(id="pc.entry", label="Competency Program entry", items=(
        _member("pc"),
        _flag("pc.requested", "Competency certification requested", "competency.requested",
              "R-ELIG-028"),
    )), ("R-ELIG-028",),
)  # fmt: skip
KOOGALLERY_SELLER = _single(
    "huawei.program.koogallery-seller", "Marketplace seller", "program.KOOGALLERY_SELLER",
    "SELLER",
    AllOf(id="kgs.entry", label="Marketplace seller entry", items=(
        _flag("kgs.real-name", "Enterprise real-name authentication passed", "real_name.enterprise",
              "R-ELIG-044", "REAL_NAME_REQUIRED"),
        _flag("kgs.registered", "Marketplace registration", "marketplace.registered",
              "R-ELIG-044"),
    )), ("R-ELIG-044",),
)  # fmt: skip
KOOGALLERY_SALES = _single(
    "huawei.program.koogallery-sales", "Marketplace sales", "program.KOOGALLERY_SALES", "MEMBER",
    AllOf(id="kgsales.entry", label="Marketplace sales entry", items=(
        _CSP_ENROLLED,
        _flag("kgsales.agreement", "Agreement accepted", "agreement.KOOGALLERY_SALES",
              "R-ELIG-045"),
    )), ("R-ELIG-045",),
)  # fmt: skip
CARRIER = _single(
    "huawei.program.carrier", "Carrier", "program.CARRIER", "MEMBER",
    AllOf(id="carrier.entry", label="Carrier entry", items=(
        _CSP_ENROLLED,
        _flag("carrier.files", "Qualification files uploaded", "qualification_files",
              "R-ELIG-045"),
    )), ("R-ELIG-045",),
)  # fmt: skip
HMS_ECOSYSTEM_SUPPORT = _single(
    "huawei.program.hms", "HMS ecosystem support", "program.HMS", "MEMBER",
    AllOf(id="hms.entry", label="HMS entry", items=(
        _member("hms"),
        _flag("hms.enterprise", "Enterprise account", "account.enterprise", "R-ELIG-046"),
        Threshold(id="hms.consumption", label="Consumption (lifetime, GAP-25)",
                  metric="consumption.total", op=Op.LE, value=Decimal(100), unit="USD",
                  rule_id="R-ELIG-046", reason_code="HMS_CONSUMPTION_EXCEEDED"),
        _no("hms.contract", "No special contract in effect", "special_contract", "R-ELIG-046",
            "HMS_SPECIAL_CONTRACT"),
        _no("hms.developer", "Developer account not used before", "developer_id.used",
            "R-ELIG-046", "DEVELOPER_ID_USED"),
    )), ("R-ELIG-046",),
)  # fmt: skip
PCE = _single(
    "huawei.program.pce", "PCE", "program.PCE", "MEMBER",
    AllOf(id="pce.entry", label="PCE entry", items=(
        _member("pce"),
        _flag("pce.agreement", "Commitment and agreement accepted", "agreement.PCE",
              "R-ELIG-047"),
    )), ("R-ELIG-047",),
)  # fmt: skip

#: CSP tier upgrade prerequisite, as its own requirement (R-ELIG-035).
ROLE_VALIDATION_SOMEWHERE: Requirement = _ADVANCED.items[0]


#: Who may receive vendor-shared opportunities (R-ELIG-115): Service or SI
#: differentiation, or a validated Learning partner ("shared project opportunities").
SHARED_OPPORTUNITIES: Requirement = AnyOf(
    id="shared-opportunities",
    label="Eligible for vendor-shared opportunities",
    rule_id="R-ELIG-115",
    items=(
        Rank(
            id="so.service",
            label="Service differentiation",
            ladder="path.SERVICE_PARTNER",
            levels=STAGES,
            at_least="DIFFERENTIATION",
            rule_id="R-ELIG-115",
        ),
        Rank(
            id="so.si",
            label="SI differentiation",
            ladder="path.SYSTEM_INTEGRATOR",
            levels=STAGES,
            at_least="DIFFERENTIATION",
            rule_id="R-ELIG-115",
        ),
        Rank(
            id="so.learning",
            label="Learning validation",
            ladder="path.LEARNING_PARTNER",
            levels=("SELECTION", "VALIDATION"),
            at_least="VALIDATION",
            rule_id="R-ELIG-115",
        ),
    ),
)
