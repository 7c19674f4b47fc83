"""Records, windows, channel settlement and benefit coupons: R-BILL-20..25, 33..36, 44, 52, 58,
71, 73, 75, 78, 83, 84 (EX-19)."""

from __future__ import annotations

from datetime import date

import attrs
import pytest
from tests.support.billing import coupon, line, usd
from tests.support.world import at

from partnerkit.billing import (
    ALIBABA_WINDOWS,
    HUAWEI_CSP_WINDOWS,
    HUAWEI_DIST_WINDOWS,
    AttributionStart,
    BillingMode,
    BillType,
    Card,
    CardStatus,
    Certification,
    ChileanId,
    CommercialDiscount,
    CommercialDiscountLevel,
    CommercialDiscountStatus,
    ExpenditureRecord,
    ExportStatus,
    ExportTask,
    InvoiceInfo,
    Invoicer,
    Order,
    OrderItem,
    OrderStatus,
    PartnerBill,
    PayoutMethod,
    QueryKind,
    RebateFrequency,
    anonymise,
    apply_coupons,
    attribution_start,
    check_export_size,
    check_payout,
    check_query,
    closed_by_next_stage,
    commercial_discounts_of,
    commission_calendar,
    coupon_applies,
    coupons_deducted_figure,
    deemed_accepted_on,
    exam_voucher_valid_to,
    exchange_valid_to,
    incentive_revenue,
    invoice_date,
    invoiced_by,
    may_activate_platform,
    may_request_exam_voucher,
    may_top_up_with_vendor,
    may_view_end_user_bills,
    pay_bill,
    repay,
    summary_available_at,
    verify_card,
)
from partnerkit.calendars import WEEKENDS, WeekdayCalendar
from partnerkit.errors import InvalidArgumentError, RuleViolationError
from partnerkit.ids import CustomerId, PartnerId
from partnerkit.money import Money
from partnerkit.partners import AssociationType, PartnerRole
from partnerkit.periods import Period


def row(amount: str, cash: str, coupons: str, monthly: str, discount: str) -> ExpenditureRecord:
    return ExpenditureRecord(
        customer_id=CustomerId("c1"),
        day=date(2024, 6, 3),
        amount=usd(amount),
        cash_payments=usd(cash),
        coupons_used=usd(coupons),
        monthly_settlement=usd(monthly),
        discount=usd(discount),
    )


class TestExpenditureRecords:
    def test_ex19_row_identities(self) -> None:
        """EX-19 / R-BILL-22: amount = cash + coupons + monthly settlement; list = amount + discount."""
        first = row("16747.17", "16747.17", "0.00", "0.00", "5199.05")
        assert first.check().allowed
        assert first.list_price == usd("21946.22")

    def test_mismatch_is_a_warning_with_the_difference(self) -> None:
        """R-BILL-22 / DC-06: a row that does not add up is reported, not rejected."""
        odd = row("100.00", "60.00", "30.00", "0.00", "0")
        decision = odd.check()
        assert decision.codes == ("AGGREGATION_MISMATCH",)
        assert decision.reasons[0].rule_id == "R-BILL-22"
        assert decision.reasons[0].fields["difference"] == usd("10.00")

    def test_amounts_keep_at_most_eight_places(self) -> None:
        """R-BILL-22: all six amounts are stored to 8 dp; a ninth place is refused."""
        assert row("0.12345678", "0.12345678", "0", "0", "0").check().allowed
        with pytest.raises(InvalidArgumentError) as caught:
            row("0.123456789", "0.123456789", "0", "0", "0")
        assert caught.value.rule_id == "R-BILL-22"

    def test_an_expenditure_record_is_not_a_bill(self) -> None:
        """R-BILL-20: a repayment or payment given an expenditure record raises NOT_A_BILL."""
        record = row("10", "10", "0", "0", "0")
        bill = PartnerBill.estimate(PartnerId("d1"), Period.parse("2024M5"), usd("10"))
        for attempt in (
            lambda: repay([bill, record], usd("10")),  # type: ignore[list-item]
            lambda: pay_bill(record, usd("10")),  # type: ignore[arg-type]
        ):
            with pytest.raises(RuleViolationError) as caught:
                attempt()
            assert caught.value.rule_id == "R-BILL-20"
            assert caught.value.fields["code"] == "NOT_A_BILL"

    def test_summary_of_day_d_is_readable_after_midnight_of_d_plus_one(self) -> None:
        """R-BILL-20, R-CUST-137, R-CUST-148: GMT+08:00 days; day D readable after 24:00 of D+1."""
        assert summary_available_at(date(2024, 1, 31)) == at("2024-02-02 00:00")
        assert summary_available_at(date(2024, 2, 28)) == at("2024-03-01 00:00")
        assert summary_available_at(date(2023, 2, 28)) == at("2023-03-02 00:00")


class TestAttribution:
    @pytest.mark.parametrize(
        ("start", "assigned", "first"),
        [
            (AttributionStart.NEXT_DAY, date(2024, 8, 10), date(2024, 8, 11)),
            (AttributionStart.NEXT_DAY, date(2024, 12, 31), date(2025, 1, 1)),
            (AttributionStart.SECOND_DAY, date(2024, 2, 28), date(2024, 3, 1)),
            (AttributionStart.FIRST_OF_MONTH, date(2024, 8, 10), date(2024, 8, 1)),
        ],
    )
    def test_attribution_start_per_policy(
        self, start: AttributionStart, assigned: date, first: date
    ) -> None:
        """R-BILL-21 / DC-26: each version's formula (the sources conflict; the formula is tested)."""
        assert attribution_start(assigned, start=start) == first

    def test_default_is_the_next_day(self) -> None:
        """R-BILL-21 / DC-26: the CSP/DIST default reads "second day following" as the next day."""
        assert attribution_start(date(2024, 8, 10)) == date(2024, 8, 11)


class TestWindows:
    def test_bill_export_covers_at_most_twelve_months(self) -> None:
        """R-BILL-23: a 12-month export passes, 13 months raise WINDOW_EXCEEDED."""
        now = Period.parse("2024M6")
        check_query(QueryKind.BILL_EXPORT, Period.parse("2023M7"), now, current=now)
        with pytest.raises(RuleViolationError) as caught:
            check_query(QueryKind.BILL_EXPORT, Period.parse("2023M6"), now, current=now)
        assert caught.value.fields["requested"] == 13
        assert caught.value.fields["allowed"] == 12

    def test_details_stay_online_eighteen_months(self) -> None:
        """R-BILL-23, R-CUST-137: expenditure details 18 months back including the current month."""
        now = Period.parse("2024M6")
        check_query(
            QueryKind.EXPENDITURE_DETAIL, Period.parse("2023M1"), now.previous(), current=now
        )
        with pytest.raises(RuleViolationError) as caught:
            check_query(QueryKind.EXPENDITURE_DETAIL, Period.parse("2022M12"), now, current=now)
        assert caught.value.fields["oldest"] == "2023M1"
        assert "ecosystem manager" in caught.value.fields["remedy"]

    def test_statements_twelve_months_and_the_remedy_differs_by_role(self) -> None:
        """R-BILL-23: CSP statements older than 12 months -> ecosystem manager; DIST -> ticket."""
        now = Period.parse("2024M6")
        check_query(QueryKind.STATEMENT, Period.parse("2023M7"), now, current=now)
        for windows, remedy in (
            (HUAWEI_CSP_WINDOWS, "ecosystem manager"),
            (HUAWEI_DIST_WINDOWS, "service ticket"),
        ):
            with pytest.raises(RuleViolationError) as caught:
                check_query(
                    QueryKind.STATEMENT, Period.parse("2023M6"), now, current=now, windows=windows
                )
            assert remedy in caught.value.fields["remedy"]

    def test_detail_export_record_limit(self) -> None:
        """R-BILL-23, R-CUST-137: a detail export holds at most 5,000,000 records."""
        check_export_size(5_000_000)
        with pytest.raises(RuleViolationError):
            check_export_size(5_000_001)

    def test_distributor_exports_are_anonymised(self) -> None:
        """R-BILL-23: DIST exports mask names, mobile numbers and e-mails."""
        assert HUAWEI_DIST_WINDOWS.anonymise_exports
        assert not HUAWEI_CSP_WINDOWS.anonymise_exports
        assert anonymise("li.na@example.com") == "l****@example.com"
        assert anonymise("+86 138 1234 5678") == "+86 *** **** 5678"
        assert anonymise("13812345678") == "*******5678"
        assert anonymise("Wang") == "W***"

    def test_alibaba_invoices_and_statements_cover_six_months(self) -> None:
        """R-BILL-25: invoices and statements go back 6 months including the current one."""
        now = Period.parse("2024M6")
        check_query(
            QueryKind.INVOICE, Period.parse("2024M1"), now, current=now, windows=ALIBABA_WINDOWS
        )
        with pytest.raises(RuleViolationError) as caught:
            check_query(
                QueryKind.STATEMENT, Period.parse("2023M12"), now, current=now,
                windows=ALIBABA_WINDOWS,
            )  # fmt: skip
        assert caught.value.rule_id == "R-BILL-25"

    def test_bad_ranges_are_refused(self) -> None:
        """R-BILL-23: a range must be first <= last <= current, in months."""
        now = Period.parse("2024M6")
        with pytest.raises(InvalidArgumentError):
            check_query(QueryKind.STATEMENT, now, now.previous(), current=now)
        with pytest.raises(InvalidArgumentError):
            check_query(QueryKind.STATEMENT, Period.parse("2024Q1"), now, current=now)


class TestExportsAndInvoices:
    def test_only_a_completed_export_downloads(self) -> None:
        """R-BILL-78: an unfinished task raises EXPORT_NOT_READY; a completed one gives its file."""
        task = ExportTask(task_id="x1", status=ExportStatus.RUNNING)
        with pytest.raises(RuleViolationError) as caught:
            task.download()
        assert caught.value.fields["code"] == "EXPORT_NOT_READY"
        done = task.finish("s3://exports/x1.csv")
        assert done.download() == "s3://exports/x1.csv"
        with pytest.raises(RuleViolationError):
            done.finish("again")
        with pytest.raises(RuleViolationError):
            ExportTask(task_id="x2", status=ExportStatus.FAILED).download()

    def test_invoices_follow_on_the_fifth(self) -> None:
        """R-BILL-58: invoices are created on the 5th for the previous month."""
        assert invoice_date(Period.parse("2024M6")) == date(2024, 7, 5)
        assert invoice_date(Period.parse("2024M12")) == date(2025, 1, 5)

    def test_tax_id_is_immutable(self) -> None:
        """R-BILL-58: address, e-mail and delivery are editable; the tax id raises IMMUTABLE_FIELD."""
        info = InvoiceInfo(partner_id=PartnerId("p"), tax_id="91110000")
        edited = info.edit(address="1 Road", email="ap@example.com", email_delivery=False)
        assert (edited.address, edited.email, edited.email_delivery) == (
            "1 Road", "ap@example.com", False,
        )  # fmt: skip
        with pytest.raises(RuleViolationError) as caught:
            info.edit(tax_id="X")
        assert caught.value.fields["code"] == "IMMUTABLE_FIELD"
        with pytest.raises(InvalidArgumentError):
            info.edit(colour="red")


class TestCouponFigures:
    def test_pre_association_coupons_offset_only_earlier_spend(self) -> None:
        """R-BILL-33, R-CUST-33: after a reseller-model association, own coupons cover prior spend."""
        joined = at("2024-05-15 00:00")
        own = coupon("K", "100", valid_to="2024-12-31 23:59:59", customer="A").prior_spend_only(
            joined
        )
        before = line("b", "30", when="2024-05-14 23:59")
        after = line("a", "30", when="2024-05-15 00:00")
        assert coupon_applies(own, before).allowed
        assert coupon_applies(own, after).codes == ("AFTER_ASSOCIATION",)
        run = apply_coupons([after, before], [own])
        used = {ln.line_id: ln.coupons_used for ln in run.lines}
        assert used == {"a": usd("0"), "b": usd("30")}
        assert own.prior_spend_only(at("2024-06-01 00:00")) == own  # never widened

    def test_reseller_sees_only_order_coupons_before_settlement(self) -> None:
        """R-BILL-34: before settlement "deducted coupons" counts only coupons paid at order payment."""
        lines = [
            line("o", "50", coupons="20", mode=BillingMode.YEARLY_MONTHLY),
            line("u", "50", coupons="15"),
        ]
        assert coupons_deducted_figure(lines, settled=False) == usd("20")
        assert coupons_deducted_figure(lines, settled=True) == usd("35")
        assert coupons_deducted_figure([], settled=True) is None

    def test_coupon_funded_spend_is_not_revenue(self) -> None:
        """R-BILL-36: revenue excludes coupon-paid spend, tax, and no-revenue products."""
        lines = [
            line("a", "100", coupons="40", tax="6"),
            line("b", "10", product="marketplace-x"),
            line("r", "-5", kind=BillType.REFUND),
        ]
        assert incentive_revenue(lines, excluded_products={"marketplace-x"}) == usd("55")
        assert incentive_revenue([]) is None

    def test_exchanged_coupon_is_valid_one_year_minus_a_second(self) -> None:
        """R-BILL-35 / DC-21: from crediting to the same instant a year later minus 1 s."""
        assert exchange_valid_to(at("2024-06-03 10:00")) == at("2025-06-03 09:59").replace(
            second=59
        )
        assert exchange_valid_to(at("2024-02-29 00:00")) == at("2025-02-27 23:59").replace(
            second=59
        )

    def test_payout_minimums_and_options(self) -> None:
        """R-BILL-35: coupons take any amount; transfer/top-up need $200; quarterly no transfer."""
        assert check_payout(usd("0.01"), PayoutMethod.COUPON).allowed
        assert check_payout(usd("200"), PayoutMethod.TOP_UP).allowed
        assert check_payout(usd("199.99"), PayoutMethod.TOP_UP).codes == ("BELOW_MINIMUM_PAYOUT",)
        quarterly = RebateFrequency.QUARTERLY
        assert check_payout(usd("500"), PayoutMethod.BANK_TRANSFER, frequency=quarterly).codes == (
            "PAYMENT_OPTION_NOT_ALLOWED",
        )
        assert check_payout(usd("500"), PayoutMethod.TOP_UP, frequency=quarterly).allowed
        with pytest.raises(InvalidArgumentError):
            check_payout(usd("0"), PayoutMethod.COUPON)


class TestExamVouchers:
    def test_request_checks(self) -> None:
        """R-BILL-44, R-ELIG-088: listed only, within quota, e-mail linked, real name for HCIA."""
        ok = {"listed": list(Certification), "quota": 5, "email_linked": True}
        assert may_request_exam_voucher(
            Certification.HCCDA,
            issued_this_year=4,
            real_name=False,
            **ok,  # type: ignore[arg-type]
        ).allowed
        denied = may_request_exam_voucher(
            Certification.HCIA,
            listed=[Certification.HCCDA],
            quota=5,
            issued_this_year=5,
            email_linked=False,
            real_name=False,
        )
        assert denied.codes == (
            "NOT_LISTED", "QUOTA_EXCEEDED", "EMAIL_NOT_LINKED", "REAL_NAME_REQUIRED",
        )  # fmt: skip

    def test_validity_and_next_stage_closure(self) -> None:
        """R-BILL-44: valid 1 year from issuance; the next stage closes earlier stages' vouchers."""
        assert exam_voucher_valid_to(at("2024-03-01 09:00")) == at("2025-03-01 08:59").replace(
            second=59
        )
        held = {
            "a": Certification.HCIA,
            "p": Certification.HCIP,
            "e": Certification.HCIE,
            "c": Certification.HCCDA,
        }
        assert closed_by_next_stage(held, Certification.HCIE) == {"a", "p"}
        assert closed_by_next_stage(held, Certification.HCCDP) == {"c"}


class TestCards:
    def test_verification_outcomes(self) -> None:
        """R-BILL-52: a declined test charge or bad Chilean ID leaves the card FAILED with a reason."""
        card = Card("visa-1")
        assert verify_card(card, test_charge_ok=True, country="US").status is CardStatus.ACTIVE
        declined = verify_card(card, test_charge_ok=False, country="US")
        assert (declined.status, declined.reason) == (
            CardStatus.FAILED, "the test charge was declined",
        )  # fmt: skip

        def chile(id_type: ChileanId | None, value: str | None) -> Card:
            return verify_card(
                card, test_charge_ok=True, country="CL", id_type=id_type, id_value=value
            )

        assert chile(ChileanId.RUT, "8148691-0").status is CardStatus.ACTIVE
        for id_type, value in (
            (None, None),
            (ChileanId.RUT, "8148691"),
            (ChileanId.OTRO, "1234"),
            (ChileanId.OTRO, "x" * 21),
        ):
            result = chile(id_type, value)
            assert result.status is CardStatus.FAILED
            assert result.reason
        assert chile(ChileanId.OTRO, "x" * 20).reason is None


class TestCommercialDiscounts:
    def test_records_status_and_search(self) -> None:
        """R-BILL-71: partner- or customer-level, status by time, searchable by customer."""
        cust = CommercialDiscount(
            discount_id="cd1",
            level=CommercialDiscountLevel.CUSTOMER,
            partner_id=PartnerId("p"),
            customer_id=CustomerId("c1"),
            effective_at=at("2024-01-01 00:00"),
            expires_at=at("2024-12-31 23:59"),
        )
        whole = attrs.evolve(
            cust, discount_id="cd2", level=CommercialDiscountLevel.PARTNER, customer_id=None
        )
        assert cust.status(at("2023-12-31 23:59")) is CommercialDiscountStatus.PENDING
        assert cust.status(at("2024-06-01 00:00")) is CommercialDiscountStatus.EFFECTIVE
        assert cust.status(at("2025-01-01 00:00")) is CommercialDiscountStatus.EXPIRED
        assert commercial_discounts_of([whole, cust], CustomerId("c1")) == (cust,)
        with pytest.raises(InvalidArgumentError):
            attrs.evolve(cust, customer_id=None)


class TestOrders:
    def test_orders_are_for_subscriptions_only(self) -> None:
        """R-BILL-75: pay-per-use spend is not an order."""
        item = OrderItem(
            item_id="i", product_code="ecs", subtotal=usd("10"), maximum_discount=usd("1")
        )
        Order(order_id="o", status=OrderStatus.PENDING, items=(item,))
        with pytest.raises(InvalidArgumentError) as caught:
            Order(
                order_id="o",
                status=OrderStatus.PENDING,
                items=(item,),
                billing_mode=BillingMode.PAY_PER_USE,
            )
        assert caught.value.rule_id == "R-BILL-75"


class TestChannel:
    def test_reseller_model_customers_do_not_top_up_with_the_vendor(self) -> None:
        """R-BILL-24: referral customers top up; reseller-model ones ask their partner."""
        assert may_top_up_with_vendor(AssociationType.REFERRAL).allowed
        assert may_top_up_with_vendor(AssociationType.RESELLER).codes == (
            "RESELLER_MODEL_CUSTOMER",
        )

    def test_agencies_get_no_end_user_bills_and_the_vendor_invoices(self) -> None:
        """R-BILL-25, R-BILL-73, R-ELIG-128: agencies earn commission; the vendor bills them."""
        assert may_view_end_user_bills(PartnerRole.AGENCY).codes == ("AGENCY_NO_END_USER_BILLS",)
        assert invoiced_by(PartnerRole.AGENCY) is Invoicer.VENDOR
        for role in (
            PartnerRole.ALIBABA_DISTRIBUTOR,
            PartnerRole.TIER2_RESELLER,
            PartnerRole.DIRECT_RESELLER,
        ):
            assert may_view_end_user_bills(role).allowed
            assert invoiced_by(role) is Invoicer.PARTNER

    def test_platform_needs_agreement_and_credit_control(self) -> None:
        """R-BILL-83, R-CUST-152, R-ELIG-124: the agreement and Credit Control, each reported."""
        assert may_activate_platform(agreement_signed=True, credit_control_enabled=True).allowed
        assert may_activate_platform(agreement_signed=False, credit_control_enabled=False).codes == (
            "AGREEMENT_NOT_SIGNED", "CREDIT_CONTROL_NOT_ENABLED",
        )  # fmt: skip

    def test_commission_calendar_moves_past_holidays(self) -> None:
        """R-BILL-84: 7th / 10th / before 15th / 25th, each postponed past non-working days."""
        # June 2024: the 7th is a Friday, the 10th a Monday (Dragon Boat holiday in China),
        # the 15th a Saturday, the 25th a Tuesday.
        dragon_boat = WeekdayCalendar(holidays=frozenset({date(2024, 6, 10)}))
        dates = commission_calendar(Period.parse("2024M5"), dragon_boat)
        assert (dates.statistics, dates.confirm_by, dates.invoice_before, dates.payment) == (
            date(2024, 6, 7), date(2024, 6, 11), date(2024, 6, 17), date(2024, 6, 25),
        )  # fmt: skip
        assert deemed_accepted_on(date(2024, 6, 7), WEEKENDS) == date(2024, 6, 12)

    def test_commission_is_twenty_percent_of_paid(self) -> None:
        """R-BILL-84: 20 % of the actually-paid amount of a product line, to the minor unit."""
        from partnerkit.billing import SERVICE_CENTRE_COMMISSION

        assert SERVICE_CENTRE_COMMISSION.commission(Money.of("1000.00", "CNY")) == Money.of(
            "200.00", "CNY"
        )
