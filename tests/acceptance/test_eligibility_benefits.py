"""Benefit eligibility: EX-37..45 (test coupons, exam vouchers, MDF, FH, SPIF)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from partnerkit.billing import Certification, exam_voucher_valid_to, may_request_exam_voucher
from partnerkit.eligibility.benefits import (
    HUAWEI_STAGE_BENEFITS,
    fh_reconcile_by,
    may_add_spif_recipient,
    may_apply_mdf,
    may_confirm_si_fh,
    may_reimburse_mdf,
    may_request_benefit,
    may_request_fh,
    may_request_fh_payment,
    may_request_si_fh,
    may_request_software_coupons,
    may_select_fh_recipients,
    mdf_application_late,
    qualified_new_customer,
    si_fh_engineer_eligible,
    software_coupon_quota,
)
from partnerkit.errors import InvalidArgumentError
from partnerkit.money import Money
from partnerkit.periods import Period

UTC = UTC


def usd(amount: str | int) -> Money:
    return Money.of(amount, "USD")


def on(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


BENEFITS = {b.id: b for b in HUAWEI_STAGE_BENEFITS}


def test_ex37_software_coupons_per_solution() -> None:
    """EX-37 / R-ELIG-090, R-ELIG-092, GAP-18: 2,562 used of 3,000; a pending request blocks."""
    draft = {"solution_kind": "CLOUD_SOFTWARE", "solution_certified": False}
    assert may_request_software_coupons(**draft, issued=usd(2562), requested=usd(500),  # type: ignore[arg-type]
                                        pending=False).codes == ("QUOTA_EXCEEDED",)  # fmt: skip
    assert may_request_software_coupons(**draft, issued=usd(2562), requested=usd(438),  # type: ignore[arg-type]
                                        pending=False).allowed  # fmt: skip
    assert may_request_software_coupons(**draft, issued=usd(3000), requested=usd(1),  # type: ignore[arg-type]
                                        pending=True).codes == ("QUOTA_EXCEEDED", "REQUEST_PENDING")  # fmt: skip
    assert software_coupon_quota(solution_kind="CLOUD_SOFTWARE", solution_certified=True) == usd(
        15000
    )
    assert may_request_software_coupons(solution_kind=None, solution_certified=False,
                                        issued=usd(0), requested=usd(1), pending=False).codes == (
        "NO_SOLUTION",
    )  # fmt: skip


def test_ex38_basic_software_coupons() -> None:
    """EX-38 / R-ELIG-091: 80,000 per solution, then nothing more."""
    basic = {"solution_kind": "CLOUD_SOFTWARE", "solution_certified": False, "basic_software": True}
    assert may_request_software_coupons(**basic, issued=usd(0), requested=usd(80000),  # type: ignore[arg-type]
                                        pending=False).allowed  # fmt: skip
    assert may_request_software_coupons(**basic, issued=usd(80000), requested=usd(1),  # type: ignore[arg-type]
                                        pending=False).codes == ("QUOTA_EXCEEDED",)  # fmt: skip


def test_customer_accounts_go_through_the_ecosystem_manager() -> None:
    """R-ELIG-089: an account that is a partner's customer does not request coupons online."""
    decision = may_request_software_coupons(
        solution_kind="CLOUD_SOFTWARE", solution_certified=False, issued=usd(0),
        requested=usd(1), pending=False, customer_account=True,
    )  # fmt: skip
    assert decision.codes == ("CUSTOMER_ACCOUNT",)


def test_ex39_si_stage_bound_coupons() -> None:
    """EX-39 / R-ELIG-093, R-ELIG-094: a passed stage's coupons close; windowed benefits expire."""
    selection = BENEFITS["si.coupons.selection"]
    validation = BENEFITS["si.coupons.validation"]
    common = {"issued": usd(0), "pending": False}
    assert may_request_benefit(selection, current_stage="VALIDATION", requested=usd(100),
                               as_of=on("2024-05-01"), **common).codes == ("STAGE_PASSED",)  # type: ignore[arg-type]  # fmt: skip
    assert may_request_benefit(validation, current_stage="VALIDATION", requested=usd(15000),
                               as_of=on("2024-05-01"), **common).allowed  # type: ignore[arg-type]  # fmt: skip
    assert may_request_benefit(validation, current_stage="VALIDATION", requested=usd(15000),
                               as_of=on("2025-01-02"), **common).codes == ("BENEFIT_EXPIRED",)  # type: ignore[arg-type]  # fmt: skip
    assert may_request_benefit(BENEFITS["si.coupons.differentiation"], current_stage="SELECTION",
                               requested=usd(1), as_of=on("2024-05-01"), **common).codes == (  # type: ignore[arg-type]
        "STAGE_MISMATCH",
    )  # fmt: skip


def test_service_partner_yearly_coupons() -> None:
    """R-ELIG-095: Service validation 10,000 per year, differentiation 15,000 per year."""
    validation = BENEFITS["svc.coupons.validation"]
    assert (validation.quota, validation.per) == (usd(10000), "year")
    assert may_request_benefit(validation, current_stage="VALIDATION", issued=usd(9000),
                               requested=usd(1001), pending=False, as_of=on("2024-05-01"),
                               customer_account=True).codes == ("CUSTOMER_ACCOUNT", "QUOTA_EXCEEDED")  # fmt: skip
    assert BENEFITS["svc.coupons.differentiation"].quota == usd(15000)


def test_ex40_exam_voucher_users() -> None:
    """EX-40 / R-ELIG-096, R-ELIG-076 (with R-BILL-44): the tier's quota 5; HCIA needs uniportal;
    a voucher issued 2024-03-10 is valid through 2025-03-10."""
    listed = list(Certification)
    assert may_request_exam_voucher(Certification.HCIA, listed=listed, quota=5, issued_this_year=0,
                                    requested=6, email_linked=True, real_name=True).codes == (
        "QUOTA_EXCEEDED",
    )  # fmt: skip
    assert may_request_exam_voucher(Certification.HCIA, listed=listed, quota=5, issued_this_year=0,
                                    email_linked=True, real_name=False).codes == (
        "REAL_NAME_REQUIRED",
    )  # fmt: skip
    assert may_request_exam_voucher(Certification.HCCDA, listed=listed, quota=5,
                                    issued_this_year=0, email_linked=True, real_name=False).allowed  # fmt: skip
    assert exam_voucher_valid_to(on("2024-03-10")).date() == date(2025, 3, 9)


def test_ex41_mdf_timing_and_quota() -> None:
    """EX-41 / R-ELIG-097, R-ELIG-054: 10 working days before is on time; certified business
    information is the prerequisite."""
    starts = date(2024, 7, 15)
    assert not mdf_application_late(starts, on("2024-07-01"))
    assert mdf_application_late(starts, on("2024-07-02"))
    assert may_apply_mdf(business_info_certified=True, remaining=usd(10000),
                         requested=usd(12000)).codes == ("MDF_QUOTA_EXCEEDED",)  # fmt: skip
    assert may_apply_mdf(business_info_certified=False, remaining=usd(10000),
                         requested=usd(100)).codes == ("BUSINESS_INFO_NOT_CERTIFIED",)  # fmt: skip


def test_mdf_reimbursement() -> None:
    """R-ELIG-098: GrowCloud bills paid; over 90 days after the activity needs approval."""
    ended = date(2024, 3, 1)
    assert may_reimburse_mdf(business_info_certified=True, activity_ended=ended,
                             as_of=on("2024-05-30")).allowed  # fmt: skip
    late = may_reimburse_mdf(business_info_certified=False, activity_ended=ended,
                             as_of=on("2024-05-31"), growcloud=True, bills_paid=False)  # fmt: skip
    assert late.codes == (
        "BUSINESS_INFO_NOT_CERTIFIED", "BILLS_UNPAID", "LATE_REIMBURSEMENT_NO_APPROVAL",
    )  # fmt: skip
    assert may_reimburse_mdf(business_info_certified=True, activity_ended=ended,
                             as_of=on("2024-05-31"), budget_approval=True).allowed  # fmt: skip


def test_ex42_fh_reconciliation_and_recipients() -> None:
    """EX-42 / R-ELIG-099, R-ELIG-100, R-ELIG-101: 14 days to reconcile; half the personnel;
    3 qualified customers each."""
    assert fh_reconcile_by(date(2024, 4, 1)) == date(2024, 4, 15)
    assert may_request_fh(qualification_approved=True, agreement_signed=True).allowed
    assert may_request_fh(qualification_approved=True, agreement_signed=False).codes == (
        "FH_NOT_QUALIFIED",
    )
    assert may_select_fh_recipients(dedicated_personnel=6,
                                    qualified_customers={"R1": 3, "R2": 3, "R3": 4}).allowed  # fmt: skip
    four = may_select_fh_recipients(dedicated_personnel=6,
                                    qualified_customers={"R1": 3, "R2": 2, "R3": 3, "R4": 3})  # fmt: skip
    assert four.codes == ("TOO_MANY_RECIPIENTS", "NOT_ENOUGH_QUALIFIED_CUSTOMERS")
    assert may_request_fh_payment(business_info_certified=True).allowed
    assert may_request_fh_payment(business_info_certified=False, growcloud=True,
                                  bills_paid=False).codes == ("BUSINESS_INFO_NOT_CERTIFIED", "BILLS_UNPAID")  # fmt: skip
    with pytest.raises(InvalidArgumentError):
        fh_reconcile_by(on("2024-04-01"))


def test_ex43_qualified_new_customer() -> None:
    """EX-43 / R-ELIG-100: first month at 1,000 starts 12 months; March does not restart."""
    spend = {Period.parse("2024M1"): usd(800), Period.parse("2024M2"): usd(1000),
             Period.parse("2024M3"): usd(1500)}  # fmt: skip
    assert qualified_new_customer(spend) == (Period.parse("2024M2"), Period.parse("2025M1"))
    assert qualified_new_customer({Period.parse("2024M1"): usd("999.99")}) is None


def test_ex44_si_presales_fh() -> None:
    """EX-44 / R-ELIG-102, R-ELIG-103, R-ELIG-104: differentiation first; tenure over six
    months; at most 2 requests; one application a month."""
    assert may_confirm_si_fh(si_stage="VALIDATION").codes == ("SI_DIFFERENTIATION_REQUIRED",)
    assert may_confirm_si_fh(si_stage="DIFFERENTIATION").allowed
    engineer = {
        "dedicated": True, "position": "Solution Architect",
        "certificates": {"Business Professional", "HCCDP-Solution Architecture"},
        "started_on": date(2023, 9, 20),
    }  # fmt: skip
    assert si_fh_engineer_eligible(**engineer, requests_in_period=0, as_of=on("2024-03-20")).codes == (  # type: ignore[arg-type]
        "TENURE_NOT_OVER_6_MONTHS",
    )  # fmt: skip
    assert si_fh_engineer_eligible(**engineer, requests_in_period=0, as_of=on("2024-03-21")).allowed  # type: ignore[arg-type]
    assert si_fh_engineer_eligible(**engineer, requests_in_period=2, as_of=on("2024-03-21")).codes == (  # type: ignore[arg-type]
        "MAX_2_REQUESTS",
    )  # fmt: skip
    assert si_fh_engineer_eligible(
        dedicated=False, position="Sales", certificates=(), started_on=date(2023, 1, 1),
        requests_in_period=0, as_of=on("2024-03-21"),
    ).codes == ("NOT_DEDICATED_ARCHITECT", "CERTIFICATES_MISSING")  # fmt: skip
    assert may_request_si_fh(applications_this_month=1).codes == ("MONTHLY_LIMIT",)
    assert may_request_si_fh(applications_this_month=0).allowed


def test_ex45_spif_recipients() -> None:
    """EX-45 / R-ELIG-105: a recipient whose identity is not associated is refused."""
    assert may_add_spif_recipient(spif_registered=True, identity_associated=False).codes == (
        "RECIPIENT_NOT_ASSOCIATED",
    )
    assert may_add_spif_recipient(spif_registered=True, identity_associated=True).allowed
    assert may_add_spif_recipient(spif_registered=False, identity_associated=True).codes == (
        "SPIF_NOT_REGISTERED",
    )


def test_ex56_coupon_issuer() -> None:
    """EX-56 / R-ELIG-127 (with R-BILL-37..39): agencies do not issue; vendor-funded coupons do
    not go to tier-2 resellers; a limited-to-1 template is issued once per sub-account."""
    from partnerkit.billing import (
        CostBearer,
        CouponTemplate,
        Issuance,
        IssuanceLimit,
        IssuanceStatus,
        RecipientKind,
        may_issue,
    )
    from partnerkit.partners import PartnerRole

    vendor = CouponTemplate(template_id="V", amount=Money.of(100, "CNY"),
                            cost_bearer=CostBearer.VENDOR)  # fmt: skip
    partner = CouponTemplate(template_id="P", amount=Money.of(100, "CNY"),
                             cost_bearer=CostBearer.PARTNER, limit=IssuanceLimit.ONE)  # fmt: skip
    assert may_issue(PartnerRole.AGENCY, partner, RecipientKind.END_USER, "u", issued=(),
                     feature_enabled=True).codes == ("NOT_ALLOWED_TO_ISSUE",)  # fmt: skip
    distributor = PartnerRole.ALIBABA_DISTRIBUTOR
    assert may_issue(distributor, vendor, RecipientKind.TIER_TWO_RESELLER, "r2", issued=(),
                     feature_enabled=True).codes == ("RECIPIENT_NOT_ALLOWED",)  # fmt: skip
    assert may_issue(distributor, partner, RecipientKind.TIER_TWO_RESELLER, "r2", issued=(),
                     feature_enabled=True).allowed  # fmt: skip
    first = Issuance(issuance_id="i1", template_id="P", recipient="s1",
                     status=IssuanceStatus.APPROVED)  # fmt: skip
    assert may_issue(distributor, partner, RecipientKind.END_USER, "s1", issued=[first],
                     feature_enabled=True).codes == ("ISSUANCE_LIMIT_REACHED",)  # fmt: skip
