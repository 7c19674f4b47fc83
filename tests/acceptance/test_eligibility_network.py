"""Network membership, path exit, revenue goals, opportunities and tasks: EX-01..07, EX-46..52."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from partnerkit.calendars import WEEKENDS
from partnerkit.eligibility import Facts, evaluate
from partnerkit.eligibility.catalogs import huawei
from partnerkit.eligibility.network import (
    ExitBlocker,
    GoalStatus,
    check_password,
    goal_completion_percent,
    goal_status,
    is_purchase_blocked,
    may_apply_to_network,
    may_change_country,
    may_exit_path,
    may_leave_network,
    may_modify_goal,
)
from partnerkit.eligibility.opportunities import (
    CallOutcome,
    Interest,
    Opportunity,
    OpportunityType,
    ho_accept_deadline,
    ho_auto_rejected,
    may_complete_task,
    may_create_opportunity,
    may_create_po,
    may_reject_ho,
    may_view_tasks,
    preregistration_valid,
    visible_opportunities,
)
from partnerkit.errors import InvalidArgumentError, RuleViolationError
from partnerkit.money import Money
from partnerkit.permissions import OrgRole

UTC = UTC


def on(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def usd(amount: str | int) -> Money:
    return Money.of(amount, "USD")


class TestNetwork:
    def test_password_policy(self) -> None:
        """R-ELIG-001: 8+ characters, letters and digits, no spaces."""
        assert check_password("abcd1234").allowed
        for bad in ("abc123", "abcdefgh", "12345678", "abcd 1234"):
            assert check_password(bad).codes == ("PASSWORD_POLICY",)

    def test_country_is_fixed(self) -> None:
        """R-ELIG-002: the registration country never changes."""
        assert may_change_country("HK", "HK").allowed
        assert may_change_country("HK", "SG").codes == ("COUNTRY_IMMUTABLE",)

    def test_ex01_ex02_membership(self) -> None:
        """EX-01 / R-ELIG-006: no exit; EX-02 / R-ELIG-004: a member company's account associates."""
        assert may_leave_network().codes == ("NETWORK_EXIT_FORBIDDEN",)
        refused = may_apply_to_network(company_is_member=True)
        assert refused.codes == ("COMPANY_ALREADY_MEMBER",)
        assert refused.reasons[0].fields["hint"] == "ASSOCIATE"
        assert may_apply_to_network(company_is_member=False).allowed

    def test_purchase_lock(self) -> None:
        """R-ELIG-007: CSPs, DPP distributors and resellers cannot buy cloud services."""
        assert is_purchase_blocked(csp=True, dpp_distributor=False, reseller=False)
        assert not is_purchase_blocked(csp=False, dpp_distributor=False, reseller=False)
        with pytest.raises(InvalidArgumentError):
            is_purchase_blocked(csp="yes", dpp_distributor=False, reseller=False)  # type: ignore[arg-type]

    def test_ex07_path_exit(self) -> None:
        """EX-07 / R-ELIG-014: a voucher request blocks; a clean selection exits; validation blocks."""
        blocked = may_exit_path("SELECTION", [ExitBlocker.REQUESTED_EXAM_VOUCHERS])
        assert blocked.codes == ("PATH_EXIT_BLOCKED",)
        assert blocked.reasons[0].fields["blockers"] == ("requested-exam-vouchers",)
        assert may_exit_path("SELECTION", []).allowed
        later = may_exit_path("VALIDATION", [])
        assert later.reasons[0].fields["blockers"] == ("role-validation-completed",)

    def test_ex52_annual_revenue_goal(self) -> None:
        """EX-52 / R-ELIG-050: below 360,000 effective and fixed; at 360,000 reviewed; truncation."""
        assert goal_status(usd(350000)) is GoalStatus.EFFECTIVE
        assert may_modify_goal(GoalStatus.EFFECTIVE).codes == ("GOAL_IMMUTABLE",)
        assert goal_status(usd(360000)) is GoalStatus.APPROVING
        assert may_modify_goal(GoalStatus.APPROVING).allowed
        rates = [
            goal_completion_percent(usd(a), usd(b))
            for a, b in (
                ("560", "390000"),
                ("3600.25", "6555"),
                ("16600", "350000"),
                ("-56.00", "10.10"),
            )
        ]
        assert [str(r) for r in rates] == ["0.14", "54.92", "4.74", "-554.45"]
        with pytest.raises(InvalidArgumentError):
            goal_status(usd(0))


class TestOpportunities:
    def _opportunity(self) -> Opportunity:
        return Opportunity(
            opportunity_id="O", customer_id="K", owner="M1", name="Migration", type=OpportunityType.NEW,
            phase="DISCOVERY", win_probability=20, bidding=False, monthly_revenue="5000",
        )  # fmt: skip

    def test_ex46_ownership_visibility_and_progress(self) -> None:
        """EX-46 / R-ELIG-106, R-ELIG-107, R-ELIG-109: owner, director views, phase by progress."""
        assert may_create_opportunity({OrgRole.ACCOUNT_MANAGER}, owns_customer=True).allowed
        assert may_create_opportunity({OrgRole.ACCOUNT_DIRECTOR}, owns_customer=True).codes == (
            "VIEW_ONLY_ROLE",
        )
        assert may_create_opportunity({OrgRole.ACCOUNT_MANAGER}, owns_customer=False).codes == (
            "NOT_CUSTOMER_OWNER",
        )
        assert may_create_opportunity({OrgRole.ADMIN}, owns_customer=False,
                                      reseller_customer_of_distributor=True).allowed  # fmt: skip
        o = self._opportunity()
        directs = {"M1": "D", "M2": "D2"}
        assert visible_opportunities([o], "D", directs=directs) == (o,)
        assert visible_opportunities([o], "M1", directs=directs) == (o,)
        assert visible_opportunities([o], "M2", directs=directs) == ()
        with pytest.raises(RuleViolationError) as caught:
            o.modify(phase="SOLUTION_COMMUNICATION")
        assert caught.value.fields["code"] == "PHASE_VIA_PROGRESS_ONLY"
        moved = o.specify_progress("SOLUTION_COMMUNICATION", 50, at=on("2024-07-01 10:00"))
        assert (moved.phase, moved.win_probability, len(moved.progress)) == (
            "SOLUTION_COMMUNICATION", 50, 1,
        )  # fmt: skip
        assert o.modify(name="Migration wave 2").name == "Migration wave 2"
        with pytest.raises(InvalidArgumentError):
            o.modify(owner="M2")

    def test_mandatory_fields(self) -> None:
        """R-ELIG-108: win probability 0..100, texts at most 1,000 characters."""
        import attrs

        o = self._opportunity()
        with pytest.raises(InvalidArgumentError) as caught:
            attrs.evolve(o, win_probability=101)
        assert caught.value.rule_id == "R-ELIG-108"
        with pytest.raises(InvalidArgumentError):
            attrs.evolve(o, notes="x" * 1001)

    def test_ex47_preregistered_prospect(self) -> None:
        """EX-47 / R-ELIG-110: valid 15 days from 2024-07-26 14:15."""
        start = on("2024-07-26 14:15")
        assert preregistration_valid(start, on("2024-08-09 00:00"))
        assert preregistration_valid(start, on("2024-08-10 14:15"))
        assert not preregistration_valid(start, on("2024-08-11 00:00"))

    def test_ex48_po_without_pce(self) -> None:
        """EX-48 / R-ELIG-111: PCE first; a partner sales contact is mandatory."""
        assert may_create_po(
            pce_enrolled=False, customer_contacts=1, partner_sales_contacts=1
        ).codes == ("PCE_REQUIRED",)
        assert may_create_po(
            pce_enrolled=True, customer_contacts=1, partner_sales_contacts=0
        ).codes == ("PARTNER_SALES_CONTACT",)

    def test_ex49_ho_acceptance_window(self) -> None:
        """EX-49 / R-ELIG-113: 3 working days; weekends start counting Monday 00:00; reasons."""
        shared = on("2023-11-20 16:44:15")
        assert ho_accept_deadline(shared, WEEKENDS) == on("2023-11-23 16:44:15")
        assert not ho_auto_rejected(shared, on("2023-11-23 16:44:15"))
        assert ho_auto_rejected(shared, on("2023-11-23 16:44:16"))
        assert ho_accept_deadline(on("2024-03-01 10:00"), WEEKENDS) == on("2024-03-06 10:00")
        assert ho_accept_deadline(on("2024-03-02 09:00"), WEEKENDS) == on("2024-03-07 00:00")
        assert may_reject_ho(None).codes == ("REASON_REQUIRED",)
        assert may_reject_ho("no budget").allowed

    def test_shared_opportunities_are_a_differentiation_benefit(self) -> None:
        """R-ELIG-115: Service or SI differentiation, or a validated Learning partner."""
        assert not evaluate(huawei.SHARED_OPPORTUNITIES, Facts(), as_of=on("2024-07-01")).eligible
        for ladder, level in (("path.SERVICE_PARTNER", "DIFFERENTIATION"),
                              ("path.SYSTEM_INTEGRATOR", "DIFFERENTIATION"),
                              ("path.LEARNING_PARTNER", "VALIDATION")):  # fmt: skip
            facts = Facts(levels={ladder: level})
            assert evaluate(huawei.SHARED_OPPORTUNITIES, facts, as_of=on("2024-07-01")).eligible

    def test_ex50_ex51_marketing_tasks(self) -> None:
        """EX-50 / R-ELIG-116, R-ELIG-118; EX-51 / R-ELIG-117: delegation and completion."""
        assert may_view_tasks(viewer_is_distributor=False, delegated=True).codes == (
            "TASKS_DELEGATED",
        )
        assert may_view_tasks(viewer_is_distributor=True, delegated=True).allowed
        assert may_view_tasks(viewer_is_distributor=True, delegated=False).codes == (
            "NOT_AUTHORIZED_BY_RESELLER",
        )
        assert may_view_tasks(viewer_is_distributor=False, delegated=False).allowed
        assert may_complete_task(CallOutcome.UNREACHABLE, None).codes == ("INTERESTED",)
        assert may_complete_task(CallOutcome.UNREACHABLE, Interest.UNKNOWN).allowed
        assert may_complete_task(None, Interest.YES).codes == ("CALL_ANSWERED",)


class TestProgrammeAdministration:
    def test_registered_country_and_reviews(self) -> None:
        """R-ELIG-032: fixed after approval except by ticket; R-ELIG-038 / R-ELIG-048: review targets."""
        from partnerkit.eligibility.network import may_change_registered_country, review_due

        assert may_change_registered_country(approved=False).allowed
        assert may_change_registered_country(approved=True).codes == ("COUNTRY_IMMUTABLE",)
        assert may_change_registered_country(approved=True, via_service_ticket=True).allowed
        friday = on("2024-06-07 10:00")
        assert review_due(friday, working_days=3, calendar=WEEKENDS) == on("2024-06-12 10:00")
        assert review_due(friday, working_days=None, days=3) == on("2024-06-10 10:00")
        with pytest.raises(InvalidArgumentError):
            review_due(friday, working_days=None)

    def test_new_reseller_account(self) -> None:
        """R-ELIG-043: registered within 24 hours of verification, with a different e-mail."""
        from partnerkit.eligibility.network import may_register_reseller_account

        verified = on("2024-06-01 10:00")
        assert may_register_reseller_account(verified_at=verified, registered_at=on("2024-06-02 10:00"),
                                             email_reused=False).allowed  # fmt: skip
        late = may_register_reseller_account(verified_at=verified, registered_at=on("2024-06-02 10:01"),
                                             email_reused=True)  # fmt: skip
        assert late.codes == ("VERIFICATION_EXPIRED", "EMAIL_REUSED")

    def test_ex20_certificates_settings_and_bank_letters(self) -> None:
        """EX-20 / R-ELIG-049: CSP has a certificate, PCE none; R-ELIG-053 CSP-only settings;
        R-ELIG-055 the bank confirmation letter."""
        from partnerkit.eligibility.network import (
            bank_letter_required,
            may_download_certificate,
            may_use_csp_setting,
        )

        assert may_download_certificate("CSP").allowed
        assert may_download_certificate("PCE").codes == ("NO_CERTIFICATE_FOR_PROGRAM",)
        assert may_use_csp_setting(csp=False).codes == ("CSP_ONLY_FEATURE",)
        assert may_use_csp_setting(csp=True).allowed
        assert bank_letter_required(ioi=False, same_name_supplier=True, bank_details_differ=True)
        assert not bank_letter_required(
            ioi=False, same_name_supplier=True, bank_details_differ=False
        )
        assert bank_letter_required(ioi=False, same_name_supplier=False, bank_details_differ=False,
                                    modifying_bank=True)  # fmt: skip
        assert not bank_letter_required(ioi=True, same_name_supplier=True, bank_details_differ=True)


def test_ex57_enterprise_admin_access() -> None:
    """EX-57 / R-ELIG-125: Biz Division for enterprise admins of tier-1 partners only."""
    from partnerkit.eligibility.catalogs.alibaba import may_open_biz_division

    assert may_open_biz_division(tier1=True, enterprise_admin=False).codes == ("PERMISSION_DENIED",)
    assert may_open_biz_division(tier1=False, enterprise_admin=True).codes == ("PERMISSION_DENIED",)
    assert may_open_biz_division(tier1=True, enterprise_admin=True).allowed


def test_solution_operations_and_shared_overview() -> None:
    """R-ELIG-086: draft, failed and certified solutions offer their operations;
    R-ELIG-114: shared opportunities over the last 1, 6 and 12 months."""
    from partnerkit.eligibility.opportunities import shared_overview
    from partnerkit.eligibility.validity import solution_operations

    assert solution_operations("DRAFT") == {"view", "certify", "cancel"}
    assert solution_operations("CERTIFIED") == {"view", "download-certificate"}
    with pytest.raises(InvalidArgumentError):
        solution_operations("EXPIRED")
    shared = [on("2024-06-20 00:00"), on("2024-02-01 00:00"), on("2023-08-01 00:00"),
              on("2023-06-30 00:00")]  # fmt: skip
    assert shared_overview(shared, as_of=on("2024-07-01 00:00")) == {1: 1, 6: 2, 12: 3}
