"""MDF, FH and SPIF lifecycles: EX-INC-15..18 and R-INC-60..97 (incentives.md 3.6-3.9)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import attrs
import pytest

from partnerkit.calendars import WEEKENDS, WeekdayCalendar, add_working_days
from partnerkit.decisions import Reason
from partnerkit.eligibility.network import ExitBlocker, may_exit_path
from partnerkit.errors import InvalidArgumentError, PartnerkitError, RuleViolationError
from partnerkit.incentives.funds import (
    FH_PROOF_MAX_BYTES,
    MDF_PATH_QUOTAS,
    BudgetItem,
    FhIncentiveExpired,
    FhIncentiveStatus,
    FhMonthlyLimitReached,
    FhPaymentStatus,
    FhProgramme,
    FhProofKind,
    FhQualification,
    FhQuarterlyIncentive,
    FhRecipient,
    FhRequestLimitReached,
    FundRequestRefused,
    FundsError,
    InvalidFundTransition,
    MdfApplication,
    MdfKpis,
    MdfMaterial,
    MdfQuotaAccount,
    MdfQuotaExceeded,
    MdfReimbursement,
    MdfStatus,
    ProofFile,
    ProofUploadRejected,
    QncCustomer,
    QualificationStatus,
    SiEngineer,
    SiFhRequest,
    SiFhStatus,
    SpifApplication,
    SpifRecipient,
    SpifStatus,
    approve_fh_payment,
    approve_fh_qualification,
    approve_mdf,
    approve_mdf_reimbursement,
    approve_spif,
    cancel_mdf,
    check_proof_upload,
    confirm_fh_qualification,
    credited_qualified_customers,
    exit_blockers,
    expire_fh_incentive,
    fail_si_fh,
    fh_incentive_status,
    fh_total,
    finalise_fh,
    generate_fh_incentive,
    mail_fh_invoice,
    mail_mdf_invoice,
    mdf_duplicate_warnings,
    mdf_invoice_overdue,
    mdf_latest_submission,
    mdf_quota_for,
    pass_si_fh,
    pay_fh,
    pay_mdf,
    personnel_info_current,
    qualified_customer_counts,
    reconcile_fh,
    record_spif_quarter,
    reject_fh_invoice,
    reject_fh_payment,
    reject_fh_qualification,
    reject_fh_reconciliation,
    reject_mdf,
    reject_mdf_reimbursement,
    reject_spif,
    request_fh_payment,
    request_mdf_reimbursement,
    request_si_fh,
    request_si_fh_payment,
    resubmit_fh_payment,
    resubmit_si_fh,
    resubmit_spif,
    save_spif_recipients,
    si_fh_total,
    si_funding_period,
    submit_mdf,
    submit_spif,
    update_fh_personnel,
    upload_fh_proofs,
)
from partnerkit.money import Money
from partnerkit.periods import GMT_PLUS_8, Period


def usd(amount: str | int) -> Money:
    return Money.of(amount, "USD")


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=GMT_PLUS_8)


ALL_MATERIALS = frozenset(MdfMaterial)


def reasons_of(error: RuleViolationError) -> list[Reason]:
    found = [r for r in error.reasons if isinstance(r, Reason)]
    assert len(found) == len(error.reasons)
    return found


# --------------------------------------------------------------------------- MDF


def ex18_application(**changes: Any) -> MdfApplication:
    app = MdfApplication(
        application_id="mdf-1",
        activity_name="Cloud day",
        activity_type="seminar",
        expected_start=date(2024, 9, 20),
        expected_end=date(2024, 9, 22),
        agreement_accepted=True,
        budget_items=(BudgetItem(item="Design", mdf_used=True, amount=usd(100)),),
    )
    return attrs.evolve(app, **changes)


def ex18_reimbursement(**changes: Any) -> MdfReimbursement:
    claim = MdfReimbursement(
        expense_items=(BudgetItem(item="Transport", mdf_used=False, amount=usd(22)),),
        materials=ALL_MATERIALS,
        summary=MdfKpis(
            customers_reached=6,
            media_views=0,
            developed_customers=1,
            leads=0,
            estimated_revenue=usd("3422.00"),
        ),
    )
    return attrs.evolve(claim, **changes)


def approved_ex18(quota: MdfQuotaAccount) -> tuple[MdfApplication, MdfQuotaAccount]:
    app = submit_mdf(
        ex18_application(), quota=quota, business_info_certified=True, as_of=at("2024-09-06")
    )
    return approve_mdf(app, quota, as_of=at("2024-09-10"))


@pytest.mark.rules("R-INC-63", "R-INC-62", "R-INC-67", "R-INC-68", "R-INC-71")
def test_ex_inc_18_mdf_application_and_reimbursement() -> None:
    """EX-INC-18 (DC-INC-15, DC-INC-20, DC-INC-21): the source numbers end to end."""
    app = ex18_application()
    assert (str(app.budget_with_mdf), str(app.budget_without_mdf), str(app.budget_total)) == (
        "100.00 USD",
        "0.00 USD",
        "100.00 USD",
    )
    # Submission only if the quota left is at least 100.00 (R-INC-63).
    with pytest.raises(MdfQuotaExceeded) as caught:
        submit_mdf(
            app,
            quota=MdfQuotaAccount(quota=usd("99.99")),
            business_info_certified=True,
            as_of=at("2024-09-06"),
        )
    assert caught.value.rule_id == "R-INC-63"
    assert caught.value.fields["requested"] == usd(100)
    assert caught.value.fields["remaining"] == usd("99.99")
    quota = MdfQuotaAccount(quota=usd(100))
    # Latest on-time Fri 2024-09-06; Mon 09-09 needs a late reason (R-INC-62, DC-INC-15).
    assert mdf_latest_submission(date(2024, 9, 20)) == date(2024, 9, 6)
    on_time = submit_mdf(app, quota=quota, business_info_certified=True, as_of=at("2024-09-06"))
    assert on_time.status is MdfStatus.UNDER_REVIEW
    assert on_time.late is False
    with pytest.raises(FundRequestRefused) as late:
        submit_mdf(app, quota=quota, business_info_certified=True, as_of=at("2024-09-09"))
    assert late.value.rule_id == "R-INC-62"
    assert late.value.fields["latest_on_time"] == date(2024, 9, 6)
    explained = submit_mdf(
        attrs.evolve(app, late_reason="venue confirmed late"),
        quota=quota,
        business_info_certified=True,
        as_of=at("2024-09-09"),
    )
    assert explained.late is True
    approved, quota = approve_mdf(on_time, quota, as_of=at("2024-09-10"))
    assert approved.approved_budget == usd(100)
    assert quota.available == usd(0)
    # Reimbursement: one expense without MDF, 22.00 -> reimbursable 0.00 (DC-INC-20).
    claimed = request_mdf_reimbursement(
        approved, ex18_reimbursement(), quota, business_info_certified=True, as_of=at("2024-10-01")
    )
    claim = claimed.reimbursement
    assert claim is not None
    assert (str(claim.expense_with_mdf), str(claim.expense_without_mdf)) == (
        "0.00 USD",
        "22.00 USD",
    )
    assert str(claim.expense_total) == "22.00 USD"
    assert str(claim.reimbursable) == "0.00 USD"
    assert claim.summary.estimated_revenue == usd("3422.00")
    assert claim.summary.customers_reached == 6
    # Approved 2024-10-08: invoice due 2024-10-23 (R-INC-71); the unused 100.00 is released.
    done, quota = approve_mdf_reimbursement(claimed, quota, as_of=at("2024-10-08"))
    assert done.reimbursement is not None
    assert done.reimbursement.invoice_due == date(2024, 10, 23)
    assert (quota.consumed, quota.reserved, quota.available) == (usd(0), usd(0), usd(100))


@pytest.mark.rules("R-INC-68")
def test_ex_inc_18_ninety_days_after_the_activity_needs_the_approval_email() -> None:
    """EX-INC-18 / R-INC-68: end 2024-09-22; 2024-12-21 is fine, 2024-12-22 needs the email."""
    approved, quota = approved_ex18(MdfQuotaAccount(quota=usd(1000)))
    ok = request_mdf_reimbursement(
        approved, ex18_reimbursement(), quota, business_info_certified=True, as_of=at("2024-12-21")
    )
    assert ok.status is MdfStatus.REIMBURSEMENT_UNDER_REVIEW
    with pytest.raises(FundRequestRefused) as caught:
        request_mdf_reimbursement(
            approved,
            ex18_reimbursement(),
            quota,
            business_info_certified=True,
            as_of=at("2024-12-22"),
        )
    assert caught.value.rule_id == "R-INC-68"
    assert caught.value.codes == ("LATE_REIMBURSEMENT_NO_APPROVAL",)
    assert caught.value.fields["eligibility_rule"] == "R-ELIG-098"
    assert approved.status is MdfStatus.APPROVED
    assert approved.reimbursement is None
    emailed = request_mdf_reimbursement(
        approved,
        ex18_reimbursement(delay_approval_email=True),
        quota,
        business_info_certified=True,
        as_of=at("2024-12-22"),
    )
    assert emailed.status is MdfStatus.REIMBURSEMENT_UNDER_REVIEW


@pytest.mark.rules("R-INC-62")
def test_mdf_notice_counts_back_from_the_last_working_day_before_a_weekend_start() -> None:
    """R-INC-62 / DC-INC-15: ``add_working_days(submit, 10) <= start`` also for a Saturday start."""
    saturday = date(2024, 9, 21)
    latest = mdf_latest_submission(saturday)
    assert latest == date(2024, 9, 6)
    assert add_working_days(WEEKENDS, latest, 10) <= saturday
    assert add_working_days(WEEKENDS, date(2024, 9, 9), 10) > saturday
    app = ex18_application(expected_start=saturday)
    quota = MdfQuotaAccount(quota=usd(100))
    with pytest.raises(FundRequestRefused) as caught:
        submit_mdf(app, quota=quota, business_info_certified=True, as_of=at("2024-09-09"))
    assert caught.value.rule_id == "R-INC-62"
    # A Saturday submission is as good as the Friday: add_working_days(Sat 09-07, 10) = 09-20.
    weekend = submit_mdf(
        ex18_application(), quota=quota, business_info_certified=True, as_of=at("2024-09-07")
    )
    assert weekend.late is False
    holiday = WeekdayCalendar(holidays={date(2024, 9, 13)})
    assert mdf_latest_submission(date(2024, 9, 20), calendar=holiday) == date(2024, 9, 5)
    with pytest.raises(FundRequestRefused):
        submit_mdf(
            ex18_application(), quota=quota, business_info_certified=True,
            as_of=at("2024-09-06"), calendar=holiday,
        )  # fmt: skip


@pytest.mark.rules("R-INC-60", "R-INC-61")
def test_mdf_submit_guards_list_every_failure_and_leave_the_draft_unchanged() -> None:
    """R-INC-60 marketing only, R-INC-61 certified business info and the agreement (3.6)."""
    draft = ex18_application(marketing_activity=False, agreement_accepted=False)
    before = attrs.evolve(draft)
    with pytest.raises(FundRequestRefused) as caught:
        submit_mdf(
            draft,
            quota=MdfQuotaAccount(quota=usd(1000)),
            business_info_certified=False,
            as_of=at("2024-09-06"),
        )
    error = caught.value
    assert isinstance(error, FundsError)
    assert isinstance(error, RuleViolationError)
    assert isinstance(error, PartnerkitError)
    assert error.rule_id == "R-INC-60"
    assert error.codes == ("NOT_MARKETING", "BUSINESS_INFO_NOT_CERTIFIED", "AGREEMENT_NOT_ACCEPTED")
    assert [r.rule_id for r in reasons_of(error)] == ["R-INC-60", "R-INC-61", "R-INC-61"]
    assert draft == before
    assert draft.status is MdfStatus.DRAFT
    with pytest.raises(FundRequestRefused) as empty:
        submit_mdf(
            ex18_application(budget_items=()),
            quota=MdfQuotaAccount(quota=usd(1000)),
            business_info_certified=True,
            as_of=at("2024-09-06"),
        )
    assert empty.value.codes == ("NO_BUDGET",)


@pytest.mark.rules("R-INC-61")
def test_mdf_path_quotas_are_reference_data() -> None:
    """R-INC-61 / 1.11 / DC-INC-42: path-stage quotas ship; CSP tiers come from data."""
    assert mdf_quota_for("path.SYSTEM_INTEGRATOR", "VALIDATION").amount == usd(30000)
    assert mdf_quota_for("path.SYSTEM_INTEGRATOR", "DIFFERENTIATION").amount == usd(50000)
    assert mdf_quota_for("path.LEARNING_PARTNER", "VALIDATION").amount == usd(8000)
    assert mdf_quota_for("path.SOFTWARE_PARTNER", "VALIDATION").per == "solution"
    assert mdf_quota_for("path.SERVICE_PARTNER", "SELECTION").per == "capability-tag"
    assert len(MDF_PATH_QUOTAS) == 8
    with pytest.raises(InvalidArgumentError) as caught:
        mdf_quota_for("path.DISTRIBUTOR", "VALIDATION")
    assert caught.value.rule_id == "R-INC-61"


@pytest.mark.rules("R-INC-64")
def test_similar_mdf_application_is_a_warning_only() -> None:
    """R-INC-64 (DESIGN CHOICE): same name, overlapping dates -> a warning, never a refusal."""
    first = attrs.evolve(ex18_application(), status=MdfStatus.UNDER_REVIEW)
    again = ex18_application(application_id="mdf-2", activity_name="  cloud   DAY ")
    warnings = mdf_duplicate_warnings(again, [first, again])
    assert [(w.code, w.rule_id, w.fields["application_id"]) for w in warnings] == [
        ("SIMILAR_APPLICATION", "R-INC-64", "mdf-1")
    ]
    later = ex18_application(
        application_id="mdf-3", expected_start=date(2024, 10, 1), expected_end=date(2024, 10, 2)
    )
    assert mdf_duplicate_warnings(later, [first]) == ()
    assert mdf_duplicate_warnings(again, [attrs.evolve(first, status=MdfStatus.CANCELLED)]) == ()
    submitted = submit_mdf(
        again,
        quota=MdfQuotaAccount(quota=usd(1000)),
        business_info_certified=True,
        as_of=at("2024-09-06"),
    )
    assert submitted.status is MdfStatus.UNDER_REVIEW


@pytest.mark.rules("R-INC-65", "R-INC-66")
def test_mdf_reject_resubmit_and_cancel() -> None:
    """R-INC-65 resubmit after rejection; R-INC-66 cancel only under review or approved."""
    quota = MdfQuotaAccount(quota=usd(500))
    app = submit_mdf(
        ex18_application(), quota=quota, business_info_certified=True, as_of=at("2024-09-06")
    )
    rejected = reject_mdf(app, comment="add the agenda")
    assert rejected.status is MdfStatus.REJECTED
    assert rejected.comments == ("add the agenda",)
    with pytest.raises(InvalidFundTransition) as caught:
        cancel_mdf(rejected, quota)
    assert caught.value.rule_id == "R-INC-66"
    assert caught.value.status is MdfStatus.REJECTED
    assert caught.value.allowed == (MdfStatus.UNDER_REVIEW, MdfStatus.APPROVED)
    assert caught.value.fields["allowed"] == ("under-review", "approved")
    again = submit_mdf(rejected, quota=quota, business_info_certified=True, as_of=at("2024-09-06"))
    assert again.status is MdfStatus.UNDER_REVIEW
    assert again.comments == ("add the agenda",)
    cancelled, same = cancel_mdf(again, quota)
    assert cancelled.status is MdfStatus.CANCELLED
    assert same == quota
    approved, held = approve_mdf(again, quota, as_of=at("2024-09-10"))
    assert held.available == usd(400)
    cancelled, released = cancel_mdf(approved, held)
    assert cancelled.status is MdfStatus.CANCELLED
    assert released.available == usd(500)
    with pytest.raises(InvalidFundTransition) as draft:
        cancel_mdf(ex18_application(), quota)
    assert draft.value.status is MdfStatus.DRAFT
    with pytest.raises(InvalidFundTransition) as twice:
        submit_mdf(again, quota=quota, business_info_certified=True, as_of=at("2024-09-06"))
    assert twice.value.rule_id == "R-INC-65"


@pytest.mark.rules("R-INC-63")
def test_mdf_approval_reserves_and_refuses_when_quota_was_used_meanwhile() -> None:
    """R-INC-63 / DC-INC-21: approval reserves; two approvals cannot exceed the quota."""
    quota = MdfQuotaAccount(quota=usd(150))
    one = submit_mdf(ex18_application(), quota=quota, business_info_certified=True,
                     as_of=at("2024-09-06"))  # fmt: skip
    two = attrs.evolve(one, application_id="mdf-2")
    _, quota = approve_mdf(one, quota, as_of=at("2024-09-10"))
    with pytest.raises(MdfQuotaExceeded) as caught:
        approve_mdf(two, quota, as_of=at("2024-09-10"))
    assert caught.value.fields["remaining"] == usd(50)
    assert two.status is MdfStatus.UNDER_REVIEW
    assert quota.held("mdf-1") == usd(100)
    assert quota.held("mdf-2") == usd(0)
    with pytest.raises(InvalidArgumentError):
        quota.reserve("mdf-1", usd(1))


@pytest.mark.rules("R-INC-67", "R-INC-69", "R-INC-70")
def test_mdf_reimbursement_guards() -> None:
    """R-INC-67 after the activity, certified, GrowCloud bills paid; R-INC-69 quota; R-INC-70."""
    approved, quota = approved_ex18(MdfQuotaAccount(quota=usd(100)))
    before = attrs.evolve(approved)
    over = ex18_reimbursement(
        expense_items=(BudgetItem(item="Venue", mdf_used=True, amount=usd("100.01")),),
        materials=frozenset({MdfMaterial.ADS_PHOTOS}),
    )
    with pytest.raises(MdfQuotaExceeded) as caught:
        request_mdf_reimbursement(
            approved, over, quota, business_info_certified=False, growcloud=True,
            bills_paid=False, as_of=at("2024-09-22"),
        )  # fmt: skip
    error = caught.value
    assert error.rule_id == "R-INC-69"
    assert error.fields["requested"] == usd("100.01")
    assert error.fields["remaining"] == usd(100)
    assert error.codes == (
        "MDF_QUOTA_EXCEEDED",
        "ACTIVITY_NOT_FINISHED",
        "BUSINESS_INFO_NOT_CERTIFIED",
        "BILLS_UNPAID",
        "MATERIALS_MISSING",
    )
    rules = {r.code: r.rule_id for r in reasons_of(error)}
    assert rules["ACTIVITY_NOT_FINISHED"] == "R-INC-67"
    assert rules["BILLS_UNPAID"] == "R-INC-67"
    assert rules["MATERIALS_MISSING"] == "R-INC-70"
    missing = next(r for r in reasons_of(error) if r.code == "MATERIALS_MISSING")
    assert missing.fields["missing"] == ("activity-summary-report", "third-party-invoices")
    assert approved == before
    with pytest.raises(InvalidFundTransition) as early:
        request_mdf_reimbursement(
            ex18_application(), ex18_reimbursement(), quota, business_info_certified=True,
            as_of=at("2024-10-01"),
        )  # fmt: skip
    assert early.value.rule_id == "R-INC-67"
    with pytest.raises(InvalidArgumentError):
        request_mdf_reimbursement(
            approved,
            "claim",  # type: ignore[arg-type]
            quota,
            business_info_certified=True,
            as_of=at("2024-10-01"),
        )


@pytest.mark.rules("R-INC-71")
def test_mdf_reimbursable_is_the_least_of_expense_budget_and_quota_and_invoice_flow() -> None:
    """DC-INC-20, DC-INC-21, R-INC-71: min(expense, budget, quota); overdue flag; paid."""
    approved, quota = approved_ex18(MdfQuotaAccount(quota=usd(1000)))
    claim = ex18_reimbursement(
        expense_items=(
            BudgetItem(item="Venue", mdf_used=True, amount=usd("80.005")),
            BudgetItem(item="Print", mdf_used=True, amount=usd(50)),
            BudgetItem(item="Food", mdf_used=False, amount=usd(10), remarks="own budget"),
        )
    )
    claimed = request_mdf_reimbursement(
        approved, claim, quota, business_info_certified=True, as_of=at("2024-09-23")
    )
    assert claimed.reimbursement is not None
    assert str(claimed.reimbursement.expense_with_mdf) == "130.01 USD"
    assert str(claimed.reimbursement.reimbursable) == "100.00 USD"
    rejected = reject_mdf_reimbursement(claimed, comment="photos blurred")
    assert rejected.status is MdfStatus.REIMBURSEMENT_REJECTED
    smaller = attrs.evolve(
        claim, expense_items=(BudgetItem(item="Venue", mdf_used=True, amount=usd(60)),)
    )
    claimed = request_mdf_reimbursement(
        rejected, smaller, quota, business_info_certified=True, as_of=at("2024-09-30")
    )
    assert claimed.reimbursement is not None
    assert claimed.reimbursement.reimbursable == usd(60)
    assert claimed.reimbursement.submitted_on == date(2024, 9, 30)
    assert not mdf_invoice_overdue(claimed, as_of=at("2025-01-01"))
    approved_claim, quota = approve_mdf_reimbursement(claimed, quota, as_of=at("2024-10-08"))
    assert (quota.consumed, quota.reserved, quota.available) == (usd(60), usd(0), usd(940))
    assert not mdf_invoice_overdue(approved_claim, as_of=at("2024-10-23"))
    assert mdf_invoice_overdue(approved_claim, as_of=at("2024-10-24"))
    mailed = mail_mdf_invoice(approved_claim, as_of=at("2024-10-25"))
    assert mailed.status is MdfStatus.INVOICE_MAILED
    assert mdf_invoice_overdue(mailed, as_of=at("2024-10-01"))
    on_time = mail_mdf_invoice(approved_claim, as_of=at("2024-10-23"))
    assert not mdf_invoice_overdue(on_time, as_of=at("2025-10-01"))
    paid = pay_mdf(on_time, as_of=at("2024-11-20"))
    assert paid.status is MdfStatus.PAID
    assert paid.reimbursement is not None
    assert paid.reimbursement.paid_on == date(2024, 11, 20)
    with pytest.raises(InvalidFundTransition) as caught:
        pay_mdf(approved_claim, as_of=at("2024-11-20"))
    assert caught.value.allowed == (MdfStatus.INVOICE_MAILED,)
    with pytest.raises(MdfQuotaExceeded):
        quota.consume("mdf-1", usd(1))


def test_mdf_values_refuse_bad_input() -> None:
    """Bad input names the field."""
    with pytest.raises(InvalidArgumentError) as caught:
        BudgetItem(item="Design", mdf_used="yes", amount=usd(1))  # type: ignore[arg-type]
    assert caught.value.argument == "mdf_used"
    with pytest.raises(InvalidArgumentError) as negative:
        BudgetItem(item="Design", mdf_used=True, amount=usd(-1))
    assert negative.value.argument == "amount"
    with pytest.raises(InvalidArgumentError):
        ex18_application(expected_end=date(2024, 9, 1))
    with pytest.raises(InvalidArgumentError):
        ex18_application(expected_start=datetime(2024, 9, 1, tzinfo=GMT_PLUS_8))
    with pytest.raises(InvalidArgumentError):
        ex18_application(budget_items=("Design",))
    with pytest.raises(InvalidArgumentError):
        MdfQuotaAccount(quota=usd(10), holds=(("a", usd(11)),))
    with pytest.raises(InvalidArgumentError):
        reject_mdf(attrs.evolve(ex18_application(), status=MdfStatus.UNDER_REVIEW), comment=" ")
    with pytest.raises(InvalidArgumentError):
        submit_mdf(
            ex18_application(), quota=MdfQuotaAccount(quota=usd(1000)),
            business_info_certified=True, as_of=datetime(2024, 9, 6),  # noqa: DTZ001
        )  # fmt: skip


@pytest.mark.rules("R-INC-72")
def test_requested_mdf_or_fh_blocks_the_path_exit() -> None:
    """R-INC-72 (eligibility R-ELIG-014): a partner that requested MDF or FH cannot exit."""
    assert exit_blockers(mdf=[ex18_application()]) == ()
    submitted = attrs.evolve(ex18_application(), status=MdfStatus.UNDER_REVIEW)
    fh = confirm_fh_qualification(csp_qualification(), as_of=at("2024-01-05"))
    blockers = exit_blockers(mdf=[submitted], fh=[fh])
    assert blockers == (ExitBlocker.REQUESTED_MDF, ExitBlocker.REQUESTED_FH)
    decision = may_exit_path("SELECTION", blockers)
    assert decision.codes == ("PATH_EXIT_BLOCKED",)
    assert decision.reasons[0].fields["blockers"] == ("requested-mdf", "requested-fh")
    assert may_exit_path("SELECTION", exit_blockers(mdf=[ex18_application()])).allowed


# --------------------------------------------------------------------------- FH CSP / distributor


def csp_qualification(**changes: Any) -> FhQualification:
    qualification = FhQualification(
        partner_id="csp-1",
        programme=FhProgramme.CSP,
        agreement_accepted=True,
        huawei_ids_associated=True,
    )
    return attrs.evolve(qualification, **changes)


def approved_csp() -> FhQualification:
    return approve_fh_qualification(
        confirm_fh_qualification(csp_qualification(), as_of=at("2024-01-05"))
    )


def recipient(huawei_id: str, **changes: Any) -> FhRecipient:
    person = FhRecipient(
        huawei_id=huawei_id,
        name=f"Person {huawei_id}",
        on_the_job="3months",
        mbo_score=100,
        amount=usd("18000.00"),
        info_updated_on=date(2024, 3, 28),
    )
    return attrs.evolve(person, **changes)


PDF = (ProofFile(name="proof.pdf", size_bytes=1024),)


def with_proofs(incentive: FhQuarterlyIncentive) -> FhQuarterlyIncentive:
    for kind in (
        FhProofKind.EMPLOYMENT_CERTIFICATE,
        FhProofKind.QUALIFIED_NEW_CUSTOMERS,
        FhProofKind.REPORT_AND_SUMMARY,
    ):
        incentive = upload_fh_proofs(incentive, kind, PDF)
    return incentive


def ex15_incentive() -> FhQuarterlyIncentive:
    return generate_fh_incentive(
        approved_csp(),
        incentive_id="fh-2024Q1",
        eligible=(recipient("hw-a"), recipient("hw-b")),
        generated_on=date(2024, 4, 1),
    )


QNC = {"hw-a": 3, "hw-b": 4}


@pytest.mark.rules("R-INC-76", "R-INC-77", "R-INC-78")
def test_ex_inc_15_fh_quarterly_reconciliation() -> None:
    """EX-INC-15 (DC-INC-22, DC-INC-13): 2 x 18,000.00 = 36,000.00; 4 personnel; 14 days."""
    incentive = ex15_incentive()
    assert incentive.quarter == Period.parse("2024Q1")
    assert incentive.programme is FhProgramme.CSP
    assert incentive.reconcile_deadline == date(2024, 4, 15)
    assert fh_incentive_status(incentive, as_of=at("2024-04-15", 23)) is FhIncentiveStatus.GENERATED
    assert fh_incentive_status(incentive, as_of=at("2024-04-16", 0)) is FhIncentiveStatus.EXPIRED
    ready = with_proofs(incentive)
    with pytest.raises(FundRequestRefused) as three:
        reconcile_fh(
            ready, selected=["hw-a", "hw-b"], dedicated_personnel=3,
            qualified_customers=QNC, as_of=at("2024-04-10"),
        )  # fmt: skip
    assert three.value.rule_id == "R-INC-77"
    assert (three.value.fields["selected"], three.value.fields["allowed"]) == (2, 1)
    assert ready.status is FhIncentiveStatus.GENERATED
    assert ready.selected == ()
    confirmed = reconcile_fh(
        ready, selected=["hw-a", "hw-b"], dedicated_personnel=4,
        qualified_customers=QNC, as_of=at("2024-04-15"),
    )  # fmt: skip
    assert confirmed.status is FhIncentiveStatus.CONFIRMED
    assert confirmed.selected == ("hw-a", "hw-b")
    assert str(confirmed.total) == "36000.00 USD"
    with pytest.raises(FundRequestRefused) as few:
        reconcile_fh(
            ready, selected=["hw-a", "hw-b"], dedicated_personnel=4,
            qualified_customers={"hw-a": 2, "hw-b": 3}, as_of=at("2024-04-10"),
        )  # fmt: skip
    assert few.value.rule_id == "R-INC-78"
    assert few.value.fields["recipient"] == "hw-a"
    assert few.value.fields["required"] == 3
    with pytest.raises(FhIncentiveExpired) as expired:
        reconcile_fh(
            ready, selected=["hw-a"], dedicated_personnel=4,
            qualified_customers=QNC, as_of=at("2024-04-16"),
        )  # fmt: skip
    assert expired.value.rule_id == "R-INC-76"
    assert expired.value.fields["deadline"] == date(2024, 4, 15)
    stored = expire_fh_incentive(ready, as_of=at("2024-04-16"))
    assert stored.status is FhIncentiveStatus.EXPIRED
    with pytest.raises(InvalidFundTransition):
        expire_fh_incentive(ready, as_of=at("2024-04-15"))


@pytest.mark.rules("R-INC-73", "R-INC-92", "R-INC-84")
def test_fh_qualification_prerequisites() -> None:
    """R-INC-73 agreement and approval; R-INC-92 HUAWEI IDs; R-INC-84 SI prerequisites."""
    bad = csp_qualification(agreement_accepted=False, huawei_ids_associated=False)
    with pytest.raises(FundRequestRefused) as caught:
        confirm_fh_qualification(bad, as_of=at("2024-01-05"))
    assert caught.value.codes == ("AGREEMENT_NOT_ACCEPTED", "HUAWEI_IDS_NOT_ASSOCIATED")
    assert [r.rule_id for r in reasons_of(caught.value)] == ["R-INC-73", "R-INC-92"]
    assert bad.requested_at is None
    submitted = confirm_fh_qualification(csp_qualification(), as_of=at("2024-01-05"))
    assert submitted.status is QualificationStatus.SUBMITTED
    with pytest.raises(FundRequestRefused) as unapproved:
        generate_fh_incentive(
            submitted, incentive_id="x", eligible=(), generated_on=date(2024, 4, 1)
        )
    assert unapproved.value.rule_id == "R-INC-73"
    assert unapproved.value.fields["eligibility_rule"] == "R-ELIG-099"
    assert reject_fh_qualification(submitted).status is QualificationStatus.REJECTED
    with pytest.raises(InvalidFundTransition):
        approve_fh_qualification(reject_fh_qualification(submitted))
    si = FhQualification(
        partner_id="si-1", programme=FhProgramme.SI, agreement_accepted=True,
        huawei_ids_associated=True,
    )  # fmt: skip
    with pytest.raises(FundRequestRefused) as si_error:
        confirm_fh_qualification(si, as_of=at("2024-03-21"), si_stage="VALIDATION")
    assert si_error.value.codes == ("SI_DIFFERENTIATION_REQUIRED", "EMPLOYMENT_PROOF_COMMITMENT")
    assert {r.rule_id for r in reasons_of(si_error.value)} == {"R-INC-84"}
    with pytest.raises(InvalidArgumentError):
        generate_fh_incentive(
            approve_fh_qualification(
                confirm_fh_qualification(
                    attrs.evolve(si, employment_proof_commitment=True),
                    as_of=at("2024-03-21"), si_stage="DIFFERENTIATION",
                )
            ),
            incentive_id="x", eligible=(), generated_on=date(2024, 4, 1),
        )  # fmt: skip


@pytest.mark.rules("R-INC-75", "R-INC-78", "R-INC-81")
def test_fh_proofs_personnel_changes_and_reconfirmation() -> None:
    """R-INC-78 proofs complete; R-INC-75 current personnel info; R-INC-81 re-upload, reconfirm."""
    incentive = ex15_incentive()
    with pytest.raises(FundRequestRefused) as proofs:
        reconcile_fh(
            upload_fh_proofs(incentive, FhProofKind.EMPLOYMENT_CERTIFICATE, PDF),
            selected=["hw-a"], dedicated_personnel=2, qualified_customers=QNC,
            as_of=at("2024-04-02"),
        )  # fmt: skip
    assert proofs.value.rule_id == "R-INC-78"
    assert proofs.value.fields["missing"] == ("qualified-new-customers", "report-and-summary")
    stale = attrs.evolve(
        incentive, eligible=(recipient("hw-a", info_updated_on=date(2024, 2, 29)),)
    )
    with pytest.raises(FundRequestRefused) as outdated:
        reconcile_fh(
            with_proofs(stale), selected=["hw-a"], dedicated_personnel=2,
            qualified_customers=QNC, as_of=at("2024-04-02"),
        )  # fmt: skip
    assert outdated.value.rule_id == "R-INC-75"
    assert outdated.value.fields["updated_on"] == date(2024, 2, 29)
    confirmed = reconcile_fh(
        with_proofs(incentive), selected=["hw-a"], dedicated_personnel=2,
        qualified_customers=QNC, as_of=at("2024-04-02"),
    )  # fmt: skip
    changed = update_fh_personnel(confirmed)
    assert changed.proofs == ()
    assert changed.reupload_required is True
    with pytest.raises(FundRequestRefused) as reupload:
        finalise_fh(changed)
    assert reupload.value.rule_id == "R-INC-81"
    partly = upload_fh_proofs(changed, FhProofKind.EMPLOYMENT_CERTIFICATE, PDF)
    assert partly.reupload_required is True
    rejected = reject_fh_reconciliation(with_proofs(changed), comment="certificate expired")
    assert rejected.status is FhIncentiveStatus.GENERATED
    assert rejected.reupload_required is False
    assert rejected.comments == ("certificate expired",)
    # After a rejection the partner confirms again, even past the first 14 days.
    again = reconcile_fh(
        rejected, selected=["hw-a"], dedicated_personnel=2,
        qualified_customers=QNC, as_of=at("2024-04-20"),
    )  # fmt: skip
    assert again.status is FhIncentiveStatus.CONFIRMED
    with pytest.raises(FundRequestRefused) as dirty:
        reconcile_fh(
            update_fh_personnel(rejected), selected=["hw-a"], dedicated_personnel=2,
            qualified_customers=QNC, as_of=at("2024-04-20"),
        )  # fmt: skip
    assert "PROOFS_OUTDATED" in dirty.value.codes
    final = finalise_fh(again)
    assert final.status is FhIncentiveStatus.FINALISED
    with pytest.raises(InvalidFundTransition) as late:
        update_fh_personnel(final)
    assert late.value.rule_id == "R-INC-81"
    with pytest.raises(InvalidArgumentError):
        reconcile_fh(
            with_proofs(incentive), selected=["nobody"], dedicated_personnel=2,
            qualified_customers=QNC, as_of=at("2024-04-02"),
        )  # fmt: skip
    with pytest.raises(InvalidArgumentError):
        upload_fh_proofs(incentive, FhProofKind.PROJECT_MATERIALS, PDF)
    with pytest.raises(InvalidArgumentError):
        attrs.evolve(incentive, eligible=(recipient("hw-a"), recipient("hw-a")))


@pytest.mark.rules("R-INC-75")
def test_personnel_information_is_maintained_monthly() -> None:
    """R-INC-75 / C16: updated in the previous month or later is current."""
    assert personnel_info_current(date(2024, 3, 1), as_of=at("2024-04-30"))
    assert not personnel_info_current(date(2024, 2, 29), as_of=at("2024-04-01"))
    assert personnel_info_current(date(2023, 12, 1), as_of=at("2024-01-15"))


@pytest.mark.rules("R-INC-80")
def test_proof_upload_limits() -> None:
    """R-INC-80: <= 10 files, <= 50 MB, listed formats, no special characters (both lists)."""
    ok = [ProofFile(name=f"f{i}.PDF", size_bytes=FH_PROOF_MAX_BYTES) for i in range(10)]
    assert check_proof_upload(ok, programme=FhProgramme.CSP) == tuple(ok)
    with pytest.raises(ProofUploadRejected) as many:
        check_proof_upload([*ok, ProofFile(name="x.pdf", size_bytes=1)], programme=FhProgramme.CSP)
    assert many.value.rule_id == "R-INC-80"
    assert (many.value.fields["requested"], many.value.fields["allowed"]) == (11, 10)
    with pytest.raises(ProofUploadRejected) as big:
        check_proof_upload(
            [ProofFile(name="x.pdf", size_bytes=FH_PROOF_MAX_BYTES + 1)], programme=FhProgramme.CSP
        )
    assert big.value.fields["problem"] == "SIZE"
    assert FH_PROOF_MAX_BYTES == 50 * 1024 * 1024
    with pytest.raises(ProofUploadRejected) as kind:
        check_proof_upload([ProofFile(name="x.exe", size_bytes=1)], programme=FhProgramme.CSP)
    assert kind.value.fields["problem"] == "FORMAT"
    with pytest.raises(ProofUploadRejected):
        check_proof_upload([ProofFile(name="pdf", size_bytes=1)], programme=FhProgramme.CSP)
    with pytest.raises(ProofUploadRejected) as chars:
        check_proof_upload([ProofFile(name="a;b.pdf", size_bytes=1)], programme=FhProgramme.CSP)
    assert chars.value.fields["characters"] == ";"
    hyphen = [ProofFile(name="a-b.pdf", size_bytes=1)]
    assert check_proof_upload(hyphen, programme=FhProgramme.CSP) == tuple(hyphen)
    with pytest.raises(ProofUploadRejected) as si:
        check_proof_upload(hyphen, programme=FhProgramme.SI)
    assert si.value.fields["characters"] == "-"
    with pytest.raises(ProofUploadRejected):
        check_proof_upload([], programme=FhProgramme.SI)
    with pytest.raises(InvalidArgumentError):
        check_proof_upload(["a.pdf"], programme=FhProgramme.SI)  # type: ignore[list-item]


@pytest.mark.rules("R-INC-82", "R-INC-83")
def test_fh_payment_per_quarter_after_finalisation() -> None:
    """R-INC-82 finalised, certified, bills paid; R-INC-83 invoice, settlement currency, paid."""
    confirmed = reconcile_fh(
        with_proofs(ex15_incentive()), selected=["hw-a", "hw-b"], dedicated_personnel=4,
        qualified_customers=QNC, as_of=at("2024-04-10"),
    )  # fmt: skip
    with pytest.raises(InvalidFundTransition) as early:
        request_fh_payment(
            confirmed, requisition_no="R-1", business_info_certified=True,
            settlement_currency="CNY", as_of=at("2024-05-01"),
        )  # fmt: skip
    assert early.value.rule_id == "R-INC-82"
    final = finalise_fh(confirmed)
    with pytest.raises(FundRequestRefused) as blocked:
        request_fh_payment(
            final, requisition_no="R-1", business_info_certified=False, growcloud=True,
            bills_paid=False, settlement_currency="CNY", as_of=at("2024-05-01"),
        )  # fmt: skip
    assert blocked.value.codes == ("BUSINESS_INFO_NOT_CERTIFIED", "BILLS_UNPAID")
    assert {r.rule_id for r in reasons_of(blocked.value)} == {"R-INC-82"}
    payment = request_fh_payment(
        final, requisition_no="R-1", business_info_certified=True,
        settlement_currency="CNY", as_of=at("2024-05-01"),
    )  # fmt: skip
    assert (payment.quarter, payment.amount_payable) == (Period.parse("2024Q1"), usd(36000))
    assert (payment.settlement_currency, payment.payment_method) == ("CNY", "Bank transfer")
    assert payment.status is FhPaymentStatus.REQUESTED
    with pytest.raises(InvalidFundTransition) as unpaid:
        pay_fh(payment, as_of=at("2024-06-01"))
    assert unpaid.value.rule_id == "R-INC-83"
    retried = resubmit_fh_payment(
        reject_fh_payment(payment, comment="bank"), as_of=at("2024-05-03")
    )
    assert (retried.status, retried.comments) == (FhPaymentStatus.REQUESTED, ("bank",))
    mailed = mail_fh_invoice(
        approve_fh_payment(retried), invoice_no="INV-9", as_of=at("2024-05-06")
    )
    assert (mailed.status, mailed.invoice_no) == (FhPaymentStatus.INVOICE_MAILED, "INV-9")
    paid = pay_fh(mailed, as_of=at("2024-06-01"))
    assert (paid.status, paid.paid_on) == (FhPaymentStatus.PAID, date(2024, 6, 1))
    with pytest.raises(InvalidArgumentError):
        attrs.evolve(payment, settlement_currency="XXQ")


@pytest.mark.rules("R-INC-79")
def test_ex_inc_16_qualified_new_customer_window() -> None:
    """EX-INC-16 / R-INC-79 (C17): first month >= 1,000 USD; 12 months; CSP vs distributor."""
    customer = QncCustomer(
        customer_id="c-1",
        associated_partner="reseller-1",
        account_manager="hw-a",
        monthly_spend={
            Period.parse("2024M3"): usd("999.99"),
            Period.parse("2024M4"): usd("1000.00"),
            Period.parse("2024M5"): usd(5000),
        },
    )
    assert customer.window == (Period.parse("2024M4"), Period.parse("2025M3"))
    assert not customer.qualified_in(Period.parse("2024M3"))
    assert customer.qualified_in(Period.parse("2024M4"))
    assert customer.qualified_in(Period.parse("2025M3"))
    assert not customer.qualified_in(Period.parse("2025M4"))
    own = attrs.evolve(customer, customer_id="c-2", associated_partner="csp-1")
    resellers = {"reseller-1": "dist-1"}
    assert credited_qualified_customers(
        [customer, own], partner_id="dist-1", programme=FhProgramme.DISTRIBUTOR,
        distributor_of=resellers,
    ) == (customer,)  # fmt: skip
    assert credited_qualified_customers(
        [customer, own], partner_id="csp-1", programme=FhProgramme.CSP, distributor_of=resellers
    ) == (own,)
    assert credited_qualified_customers(
        [customer], partner_id="reseller-1", programme=FhProgramme.CSP
    ) == (customer,)
    counts = qualified_customer_counts(
        [customer, own, attrs.evolve(customer, customer_id="c-3", account_manager=None)],
        partner_id="dist-1", programme=FhProgramme.DISTRIBUTOR,
        quarter=Period.parse("2024Q2"), distributor_of=resellers,
    )  # fmt: skip
    assert dict(counts) == {"hw-a": 1}
    assert dict(
        qualified_customer_counts(
            [customer], partner_id="dist-1", programme=FhProgramme.DISTRIBUTOR,
            quarter=Period.parse("2024Q1"), distributor_of=resellers,
        )
    ) == {}  # fmt: skip
    with pytest.raises(InvalidArgumentError):
        credited_qualified_customers([customer], partner_id="si-1", programme=FhProgramme.SI)
    with pytest.raises(InvalidArgumentError):
        QncCustomer(customer_id="c", associated_partner="p", monthly_spend={"2024M4": usd(1)})  # type: ignore[dict-item]
    with pytest.raises(InvalidArgumentError):
        QncCustomer(
            customer_id="c",
            associated_partner="p",
            monthly_spend={Period.parse("2024M4"): 1},  # type: ignore[dict-item]
        )


# --------------------------------------------------------------------------- FH SI


def si_qualification() -> FhQualification:
    qualification = FhQualification(
        partner_id="si-1",
        programme=FhProgramme.SI,
        agreement_accepted=True,
        huawei_ids_associated=True,
        employment_proof_commitment=True,
    )
    confirmed = confirm_fh_qualification(
        qualification, as_of=datetime(2024, 3, 21, 17, 41, 35, tzinfo=GMT_PLUS_8),
        si_stage="DIFFERENTIATION",
    )  # fmt: skip
    return approve_fh_qualification(confirmed)


ENGINEER = SiEngineer(
    account="eng-1",
    name="Li",
    dedicated=True,
    position="Solution Architect",
    certificates=frozenset({"Business Professional", "HCIP-Cloud Service Solutions Architect"}),
    started_on=date(2023, 9, 20),
)
SI_PROOFS = {
    FhProofKind.EMPLOYMENT_CERTIFICATE: [ProofFile(name="social security.pdf", size_bytes=10)],
    FhProofKind.PROJECT_MATERIALS: [ProofFile(name="project.zip", size_bytes=10)],
}


def si_request(
    request_id: str, when: datetime, history: tuple[SiFhRequest, ...] = ()
) -> SiFhRequest:
    return request_si_fh(
        si_qualification(), request_id=request_id, engineers=[ENGINEER],
        amount_per_engineer=usd("15000.00"), proofs=SI_PROOFS, history=history, as_of=when,
    )  # fmt: skip


@pytest.mark.rules("R-INC-85", "R-INC-86", "R-INC-87", "R-INC-88")
def test_ex_inc_17_si_funding_head() -> None:
    """EX-INC-17 (DC-INC-24): eligible from 2024-03-21; 15,000.00; 2 requests; 1 per month."""
    qualification = si_qualification()
    assert qualification.requested_at == datetime(2024, 3, 21, 17, 41, 35, tzinfo=GMT_PLUS_8)
    assert si_funding_period(date(2023, 9, 20), date(2024, 3, 21)) == (
        date(2023, 9, 20),
        date(2024, 9, 20),
    )
    with pytest.raises(FundRequestRefused) as tenure:
        si_request("r0", at("2024-03-20"))
    assert tenure.value.rule_id == "R-INC-85"
    assert tenure.value.codes == ("TENURE_NOT_OVER_6_MONTHS",)
    assert tenure.value.fields["engineer"] == "eng-1"
    first = si_request("r1", at("2024-03-21"))
    assert str(si_fh_total(0, usd("15000.00"))) == "0.00 USD"
    assert str(first.total) == "15000.00 USD" == str(si_fh_total(1, usd("15000.00")))
    assert first.lines[0].request_number == 1
    assert (first.lines[0].period_start, first.lines[0].period_end) == (
        date(2023, 9, 20),
        date(2024, 9, 20),
    )
    with pytest.raises(FhMonthlyLimitReached) as monthly:
        si_request("r1b", at("2024-03-31"), (first,))
    assert monthly.value.rule_id == "R-INC-87"
    assert monthly.value.limit == 1
    assert monthly.value.fields["month"] == Period.parse("2024M3")
    second = si_request("r2", at("2024-04-02"), (first,))
    assert second.lines[0].request_number == 2
    with pytest.raises(FhRequestLimitReached) as third:
        si_request("r3", at("2024-05-02"), (first, second))
    assert third.value.limit == 2
    assert third.value.rule_id == "R-INC-86"
    assert third.value.fields["requests"] == 2
    assert third.value.fields["engineer"] == "eng-1"
    # The count resets in the next funding period (from 2024-09-21).
    fresh = si_request("r4", at("2024-09-21"), (first, second))
    assert fresh.lines[0].period_start == date(2024, 9, 21)
    assert fresh.lines[0].period_end == date(2025, 9, 20)
    assert fresh.lines[0].request_number == 1


@pytest.mark.rules("R-INC-85", "R-INC-84", "R-INC-80")
def test_si_request_guards() -> None:
    """R-INC-85 engineer eligibility, R-INC-84 proofs, R-INC-80 the SI file-name list."""
    bad = attrs.evolve(ENGINEER, account="eng-2", position="Sales", certificates=frozenset())
    with pytest.raises(FundRequestRefused) as caught:
        request_si_fh(
            si_qualification(), request_id="r", engineers=[bad], amount_per_engineer=usd(15000),
            proofs={}, history=(), as_of=at("2024-04-01"),
        )  # fmt: skip
    assert caught.value.codes == (
        "NOT_DEDICATED_ARCHITECT",
        "CERTIFICATES_MISSING",
        "PROOFS_MISSING",
    )
    assert caught.value.fields["eligibility_rule"] == "R-ELIG-103"
    assert reasons_of(caught.value)[2].rule_id == "R-INC-84"
    with pytest.raises(ProofUploadRejected):
        request_si_fh(
            si_qualification(), request_id="r", engineers=[ENGINEER],
            amount_per_engineer=usd(15000), history=(), as_of=at("2024-04-01"),
            proofs={FhProofKind.PROJECT_MATERIALS: [ProofFile(name="a-b.pdf", size_bytes=1)]},
        )  # fmt: skip
    with pytest.raises(InvalidArgumentError):
        si_request_with(engineers=[])
    with pytest.raises(InvalidArgumentError):
        si_request_with(engineers=[ENGINEER, ENGINEER])
    with pytest.raises(FundRequestRefused) as unqualified:
        request_si_fh(
            attrs.evolve(si_qualification(), status=QualificationStatus.SUBMITTED),
            request_id="r", engineers=[ENGINEER], amount_per_engineer=usd(15000),
            proofs=SI_PROOFS, history=(), as_of=at("2024-04-01"),
        )  # fmt: skip
    assert unqualified.value.rule_id == "R-INC-73"
    with pytest.raises(InvalidArgumentError):
        si_fh_total(-1, usd(1))


def si_request_with(*, engineers: list[SiEngineer]) -> SiFhRequest:
    return request_si_fh(
        si_qualification(), request_id="r", engineers=engineers, amount_per_engineer=usd(15000),
        proofs=SI_PROOFS, history=(), as_of=at("2024-04-01"),
    )  # fmt: skip


@pytest.mark.rules("R-INC-89")
def test_failed_si_request_is_resubmitted_in_the_same_month_before_payment() -> None:
    """R-INC-89: same month as the first submission, and no quarterly payment application yet."""
    failed = fail_si_fh(si_request("r1", at("2024-04-02")), comment="blurred certificate")
    assert failed.status is SiFhStatus.FAILED
    again = resubmit_si_fh(failed, quarter_payment_requested=False, as_of=at("2024-04-30"))
    assert again.status is SiFhStatus.PRELIMINARY_REVIEW
    assert (again.first_submitted_on, again.submitted_on) == (date(2024, 4, 2), date(2024, 4, 30))
    with pytest.raises(FundRequestRefused) as late:
        resubmit_si_fh(failed, quarter_payment_requested=False, as_of=at("2024-05-01"))
    assert late.value.rule_id == "R-INC-89"
    assert late.value.fields["allowed"] == Period.parse("2024M4")
    with pytest.raises(FundRequestRefused) as paid:
        resubmit_si_fh(failed, quarter_payment_requested=True, as_of=at("2024-04-10"))
    assert paid.value.codes == ("PAYMENT_ALREADY_REQUESTED",)
    assert failed.status is SiFhStatus.FAILED
    with pytest.raises(InvalidFundTransition):
        resubmit_si_fh(again, quarter_payment_requested=False, as_of=at("2024-04-30"))


@pytest.mark.rules("R-INC-90", "R-INC-91", "R-INC-83")
def test_si_quarterly_payment_and_invoice() -> None:
    """R-INC-90 blockers; C20 the first day of the next quarter; R-INC-91 invoice and rejection."""
    april = si_request("r4", at("2024-04-02"))
    may = attrs.evolve(april, request_id="r5", month=Period.parse("2024M5"))
    q2 = Period.parse("2024Q2")
    args = {"partner_id": "si-1", "quarter": q2, "requisition_no": "Q-1",
            "settlement_currency": "USD"}  # fmt: skip
    with pytest.raises(FundRequestRefused) as caught:
        request_si_fh_payment(
            [april, fail_si_fh(may, comment="x")], unrequested_months=[Period.parse("2024M6")],
            as_of=at("2024-06-20"), **args,  # type: ignore[arg-type]
        )  # fmt: skip
    assert caught.value.rule_id == "R-INC-90"
    assert caught.value.codes == (
        "UNREQUESTED_MONTHS",
        "UNDER_PRELIMINARY_REVIEW",
        "PRELIMINARY_REVIEW_FAILED",
        "NOTHING_TO_PAY",
    )
    assert caught.value.fields["allowed_from"] == date(2024, 7, 1)
    passed = [pass_si_fh(april), pass_si_fh(may)]
    with pytest.raises(FundRequestRefused) as waiting:
        request_si_fh_payment(
            passed, unrequested_months=[Period.parse("2024M6")], as_of=at("2024-06-30", 23),
            **args,  # type: ignore[arg-type]
        )  # fmt: skip
    assert waiting.value.codes == ("UNREQUESTED_MONTHS",)
    payment = request_si_fh_payment(
        passed, unrequested_months=[Period.parse("2024M6")], as_of=at("2024-07-01"), **args,  # type: ignore[arg-type]
    )  # fmt: skip
    assert str(payment.amount_payable) == "30000.00 USD"
    assert (payment.programme, payment.payment_method) == (FhProgramme.SI, "Bank transfer")
    mailed = mail_fh_invoice(
        approve_fh_payment(payment), invoice_no="INV-1", as_of=at("2024-07-05")
    )
    back = reject_fh_invoice(mailed, comment="wrong title")
    assert (back.status, back.comments) == (FhPaymentStatus.APPROVED, ("wrong title",))
    fixed = mail_fh_invoice(back, invoice_no="INV-2", as_of=at("2024-07-08"))
    assert (fixed.invoice_no, fixed.invoice_mailed_on) == ("INV-2", date(2024, 7, 8))
    with pytest.raises(InvalidArgumentError):
        mail_fh_invoice(back, invoice_no="", as_of=at("2024-07-08"))
    with pytest.raises(InvalidFundTransition) as not_approved:
        mail_fh_invoice(payment, invoice_no="INV-1", as_of=at("2024-07-05"))
    assert not_approved.value.rule_id == "R-INC-91"


def test_ex_inc_15_fh_total_and_si_total_are_sums() -> None:
    """2.12 / R-INC-88: FH total = sum of recipients; SI total = n x amount."""
    assert str(fh_total([recipient("a"), recipient("b")])) == "36000.00 USD"


# --------------------------------------------------------------------------- SPIF


def approved_spif() -> SpifApplication:
    app = submit_spif(
        application_id="spif-1", partner_id="p-1", rep_office="Hong Kong",
        commitment_letter_signed=True, registration_form="form.pdf",
        payment_method="paid by the rep office in HKD each quarter",
    )  # fmt: skip
    return approve_spif(app)


@pytest.mark.rules("R-INC-93", "R-INC-94", "R-INC-95", "R-INC-96")
def test_spif_application_review_and_resubmission() -> None:
    """R-INC-93 letter signed; R-INC-94 form uploaded; R-INC-95 free text; R-INC-96 review."""
    with pytest.raises(FundRequestRefused) as caught:
        submit_spif(
            application_id="spif-1", partner_id="p-1", rep_office="Hong Kong",
            commitment_letter_signed=False, registration_form=None,
        )  # fmt: skip
    assert caught.value.codes == ("COMMITMENT_NOT_SIGNED", "REGISTRATION_FORM_MISSING")
    assert [r.rule_id for r in reasons_of(caught.value)] == ["R-INC-93", "R-INC-94"]
    app = submit_spif(
        application_id="spif-1", partner_id="p-1", rep_office="Hong Kong",
        commitment_letter_signed=True, registration_form="form.pdf",
        payment_method="paid by the rep office in HKD each quarter",
    )  # fmt: skip
    assert app.status is SpifStatus.UNDER_REVIEW
    assert app.payment_method == "paid by the rep office in HKD each quarter"
    rejected = reject_spif(app, comment="seal missing")
    assert (rejected.status, rejected.comments) == (SpifStatus.REJECTED, ("seal missing",))
    with pytest.raises(InvalidFundTransition) as review:
        save_spif_recipients(rejected, [], associated_ids=(), as_of=at("2024-04-01"))
    assert review.value.rule_id == "R-INC-96"
    again = resubmit_spif(rejected, registration_form="form-sealed.pdf")
    assert (again.status, again.registration_form) == (SpifStatus.UNDER_REVIEW, "form-sealed.pdf")
    assert approve_spif(again).status is SpifStatus.APPROVED
    with pytest.raises(InvalidFundTransition):
        approve_spif(approve_spif(again))


@pytest.mark.rules("R-INC-97")
def test_spif_recipient_list_versions_and_quarterly_amounts() -> None:
    """R-INC-97 (DC-INC-25): HUAWEI IDs bound; versions with change records; quarter snapshots."""
    app = approved_spif()
    ids = {"hw-1", "hw-2", "hw-3"}
    with pytest.raises(FundRequestRefused) as unbound:
        save_spif_recipients(
            app, [SpifRecipient(account_manager="am-1"),
                  SpifRecipient(account_manager="am-2", huawei_id="hw-9")],
            associated_ids=ids, as_of=at("2024-04-01"),
        )  # fmt: skip
    assert unbound.value.rule_id == "R-INC-97"
    assert unbound.value.codes == ("HUAWEI_ID_NOT_BOUND", "RECIPIENT_NOT_ASSOCIATED")
    assert unbound.value.fields["recipient"] == "am-1"
    assert app.list_version == 0
    with pytest.raises(FundRequestRefused) as empty:
        record_spif_quarter(app, quarter=Period.parse("2024Q1"), amounts={})
    assert empty.value.codes == ("NO_RECIPIENTS",)
    v1 = save_spif_recipients(
        app, [SpifRecipient(account_manager="am-1", huawei_id="hw-1"),
              SpifRecipient(account_manager="am-2", huawei_id="hw-2")],
        associated_ids=ids, as_of=at("2024-04-01"),
    )  # fmt: skip
    assert v1.list_version == 1
    assert (v1.changes[0].added, v1.changes[0].removed) == (("am-1", "am-2"), ())
    assert {r.added_on for r in v1.recipients} == {date(2024, 4, 1)}
    q1 = record_spif_quarter(
        v1, quarter=Period.parse("2024Q1"), amounts={"am-1": usd(500), "am-2": usd(300)}
    )
    v2 = save_spif_recipients(
        q1, [SpifRecipient(account_manager="am-1", huawei_id="hw-3"),
             SpifRecipient(account_manager="am-4", huawei_id="hw-2")],
        associated_ids=ids, as_of=at("2024-05-01"),
    )  # fmt: skip
    change = v2.changes[-1]
    assert (change.version, change.added, change.removed, change.rebound) == (
        2, ("am-4",), ("am-2",), ("am-1",),
    )  # fmt: skip
    assert {r.account_manager: r.added_on for r in v2.recipients} == {
        "am-1": date(2024, 4, 1),
        "am-4": date(2024, 5, 1),
    }
    snapshot = v2.quarters[0]
    assert (snapshot.list_version, snapshot.amounts) == (
        1,
        (("am-1", usd(500)), ("am-2", usd(300))),
    )
    assert [r.account_manager for r in snapshot.recipients] == ["am-1", "am-2"]
    with pytest.raises(InvalidArgumentError):
        record_spif_quarter(v2, quarter=Period.parse("2024Q1"), amounts={"am-1": usd(1)})
    with pytest.raises(InvalidArgumentError):
        record_spif_quarter(v2, quarter=Period.parse("2024Q2"), amounts={"am-2": usd(1)})
    with pytest.raises(InvalidArgumentError):
        record_spif_quarter(v2, quarter=Period.parse("2024Q2"), amounts={"am-1": usd(-1)})
    with pytest.raises(InvalidArgumentError):
        save_spif_recipients(
            v2, [SpifRecipient(account_manager="am-1", huawei_id="hw-1")] * 2,
            associated_ids=ids, as_of=at("2024-05-01"),
        )  # fmt: skip
    with pytest.raises(InvalidArgumentError):
        record_spif_quarter(v2, quarter=Period.parse("2024M4"), amounts={"am-1": usd(1)})


def test_dates_are_read_in_gmt_plus_8() -> None:
    """C1: days are GMT+08:00 days: Sunday 20:00 UTC is a late Monday submission."""
    app = ex18_application()
    late = datetime(2024, 9, 8, 20, tzinfo=UTC)  # Sunday in UTC, Monday 04:00 in GMT+08:00
    with pytest.raises(FundRequestRefused) as caught:
        submit_mdf(app, quota=MdfQuotaAccount(quota=usd(100)), business_info_certified=True,
                   as_of=late)  # fmt: skip
    assert caught.value.rule_id == "R-INC-62"
