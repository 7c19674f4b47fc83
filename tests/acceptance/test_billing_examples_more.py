"""More worked examples of billing.md section 8: EX-05..07, 15, 20..23, 28, 30..32, 33, 38..40.

Values the spec marks inconsistent are not asserted as printed: EX-15 (V-3) tests the ledger
identity, EX-22 (V-6, V-7) tests the library's stance, EX-33 (V-4) uses the CSP rates.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest
from tests.support.billing import P, line, usd
from tests.support.world import at

from partnerkit.billing import (
    HUAWEI_LOCAL_DISPLAY,
    SERVICE_CENTRE_COMMISSION,
    AttributionStart,
    BillingMode,
    BillLine,
    BillType,
    Certification,
    CommercialDiscount,
    CommercialDiscountLevel,
    CommercialDiscountStatus,
    ConsumptionQuota,
    ConsumptionQuotaAlert,
    CreditLimitExceeded,
    EntryType,
    Order,
    OrderItem,
    OrderStatus,
    Statement,
    adjust_order_price,
    attribution_start,
    close_month,
    commission_calendar,
    convert_subtotal,
    coupon_notice_days,
    coupon_usage_notice,
    deemed_accepted_on,
    issue_time,
    may_request_exam_voucher,
    may_request_test_coupons,
)
from partnerkit.calendars import WEEKENDS, WeekdayCalendar
from partnerkit.errors import InvalidArgumentError
from partnerkit.ids import CustomerId, PartnerId
from partnerkit.money import Money
from partnerkit.periods import Period


def cycle_line(
    line_id: str, amount: str, cycle: str, product: str = "ecs", **kw: object
) -> BillLine:
    day = Period.parse(cycle).first_day.isoformat()
    return line(line_id, amount, cycle=cycle, when=f"{day} 10:00", product=product, **kw)  # type: ignore[arg-type]


class TestMonthlyBills:
    def test_ex05_product_sum_and_hkd(self) -> None:
        """EX-05 (R-BILL-07, R-BILL-18, I-12): products sum to 31.44; 31.44 x 7.7565 -> 243.86 HKD."""
        amounts = {
            "ecs": "18.60",
            "evs": "10.31",
            "eip": "1.53",
            "obs": "0.99",
            "vpc": "0.01",
            "dns": "0.00",
        }
        lines = [
            cycle_line(f"L{i}", a, "2021M2", product=p) for i, (p, a) in enumerate(amounts.items())
        ]
        bill = close_month(P, Period.parse("2021M2"), lines)
        assert bill.expenditures == usd("31.44")
        assert bill.amount_due == usd("31.44")
        assert bill.local_amount_due("HKD", rate=Decimal("7.7565")) == Money.of("243.86", "HKD")

    def test_ex06_estimate_in_either_order(self) -> None:
        """EX-06 (R-BILL-18, DC-28): 0.1008 -> 0.10 USD -> 0.78 HKD; the unrounded amount gives 0.78 too."""
        bill = close_month(P, Period.parse("2022M8"), [cycle_line("L", "0.1008", "2022M8")])
        assert bill.amount_due == usd("0.10")
        assert bill.local_amount_due("HKD", rate=Decimal("7.7523")) == Money.of("0.78", "HKD")
        unrounded = convert_subtotal(
            usd("0.1008"), Decimal(1), currency="HKD", rate=Decimal("7.7523"),
            policy=HUAWEI_LOCAL_DISPLAY,
        )  # fmt: skip
        assert unrounded == Money.of("0.78", "HKD")

    def test_ex07_by_product_tree(self) -> None:
        """EX-07 (R-BILL-19, I-13): RI + yearly/monthly + negative others = ECS 193,097.16; summary 207,564.55."""
        lines = [
            cycle_line("ri", "187728.00", "2024M5", mode=BillingMode.RI_UPFRONT),
            cycle_line("ym", "75868.90", "2024M5", mode=BillingMode.YEARLY_MONTHLY),
            cycle_line("a1", "-8702.62", "2024M5", kind=BillType.ADJUSTMENT),
            cycle_line("a2", "-61797.12", "2024M5", kind=BillType.ADJUSTMENT),
            cycle_line("evs", "13130.73", "2024M5", product="evs"),
            cycle_line("obs", "1336.66", "2024M5", product="obs"),
        ]
        bill = close_month(P, Period.parse("2024M5"), lines)
        tree = dict(bill.by_product)
        assert tree["ecs"] == usd("193097.16")
        assert bill.monthly_total == usd("207564.55")
        assert sum((m for m in tree.values()), usd("0")) == bill.monthly_total

    def test_ex31_bill_issue_dates(self) -> None:
        """EX-31 (R-BILL-12): 2021-08 issued Sep 05 2021; 2024-07 issued 2024-08-05."""
        assert issue_time(Period.parse("2021M8")).date() == date(2021, 9, 5)
        assert issue_time(Period.parse("2024M7")).date() == date(2024, 8, 5)

    def test_ex40_transaction_time_is_the_end_of_consumption(self) -> None:
        """EX-40 (R-BILL-15): pay-per-use usage 09-10 00:16:50 -> 09-28 09:00 is booked at 09-28 09:00."""
        start = at("2020-09-10 00:16").replace(second=50)
        ok = attrs.evolve(
            line("L", "1", cycle="2020M9", when="2020-09-28 09:00"), usage_start=start
        )
        assert ok.transaction_time == at("2020-09-28 09:00")
        with pytest.raises(InvalidArgumentError) as caught:
            attrs.evolve(ok, transaction_time=at("2020-09-09 09:00"))
        assert caught.value.rule_id == "R-BILL-15"
        # Savings-plan rows are booked at processing time, after their window: not checked.
        plan = attrs.evolve(ok, billing_mode=BillingMode.SAVINGS_PLAN)
        assert attrs.evolve(plan, transaction_time=at("2020-09-09 09:00")).usage_start == start


class TestStatementsAndOrders:
    def test_ex15_the_ledger_identity_not_the_printed_balance(self) -> None:
        """EX-15 / V-3 (R-BILL-57, I-21): two +0.10 top-ups give 20,564.86 then 20,564.96."""
        s = Statement.opening(usd("20564.76"))
        s = s.post("AC-17400003202-0", at("2024-06-03 10:00"), EntryType.TOP_UP, usd("0.10"))
        s = s.post("AC-17400003203-0", at("2024-06-03 10:01"), EntryType.TOP_UP, usd("0.10"))
        assert [e.balance_after for e in s.entries] == [usd("20564.86"), usd("20564.96")]

    def test_ex20_a_canceled_order_has_no_payment_and_no_adjustment(self) -> None:
        """EX-20 / V-10 (R-BILL-60, R-BILL-75): canceled order CS24070117232V4UJH, 0.46, no payment."""
        order = Order(
            order_id="CS24070117232V4UJH", status=OrderStatus.CANCELED,
            items=(OrderItem(item_id="evs", product_code="evs", subtotal=usd("0.46"),
                             maximum_discount=usd("0.04")),),
        )  # fmt: skip
        assert order.adjusted is None
        with pytest.raises(InvalidArgumentError) as caught:
            adjust_order_price(order, usd("0.01"))
        assert caught.value.rule_id == "R-BILL-60"


class TestCouponsAndQuotas:
    def test_ex21_test_coupon_quota(self) -> None:
        """EX-21 (R-BILL-42, R-BILL-43, I-22): 3,000 quota; 3,000.01 refused; 1,200 issued -> 1,800 left."""
        quota = usd("3000.00")
        assert may_request_test_coupons(
            quota=quota, issued=usd("0"), requested=usd("3000.00"), pending=False
        ).allowed
        assert may_request_test_coupons(
            quota=quota, issued=usd("0"), requested=usd("3000.01"), pending=False
        ).codes == ("QUOTA_EXCEEDED",)
        assert may_request_test_coupons(
            quota=quota, issued=usd("1200.00"), requested=usd("1800.00"), pending=False
        ).allowed
        assert may_request_test_coupons(
            quota=quota, issued=usd("1200.00"), requested=usd("1800.01"), pending=False
        ).codes == ("QUOTA_EXCEEDED",)
        assert may_request_test_coupons(
            quota=quota, issued=usd("1200.00"), requested=usd("10"), pending=True
        ).codes == ("REQUEST_PENDING",)

    def test_ex22_stance_refuses_the_over_quota_request(self) -> None:
        """EX-22 / V-7 (R-BILL-42): 80,000 issued of 80,000 per solution: the 365.00 request is refused."""
        assert may_request_test_coupons(
            quota=usd("80000"), issued=usd("80000.00"), requested=usd("365.00"), pending=False
        ).codes == ("QUOTA_EXCEEDED",)

    def test_ex23_notice_dates_and_the_notice(self) -> None:
        """EX-23 (R-BILL-32, DC-15): June 23 and 27; Feb 22 and 26 (2024); disabled -> nothing sent."""
        june = Period.parse("2024M6")
        assert coupon_notice_days(june) == (date(2024, 6, 23), date(2024, 6, 27))
        assert coupon_notice_days(Period.parse("2024M2")) == (date(2024, 2, 22), date(2024, 2, 26))
        assert coupon_notice_days(june, enabled=False) == ()
        lines = [
            line("a", "50", customer="A", cycle="2024M6", when="2024-06-03 10:00", coupons="20"),
            line("b", "30", customer="B", cycle="2024M6", when="2024-06-04 10:00"),
            line("c", "10", customer="A", cycle="2024M6", when="2024-06-05 10:00", coupons="10"),
        ]
        notice = coupon_usage_notice(
            P, june, lines, today=date(2024, 6, 23), at=at("2024-06-23 09:00")
        )
        assert notice is not None
        assert notice.by_customer == (
            (CustomerId("A"), usd("30"), usd("30")),
            (CustomerId("B"), usd("0"), usd("30")),
        )
        assert (
            coupon_usage_notice(P, june, lines, today=date(2024, 6, 24), at=at("2024-06-24 09:00"))
            is None
        )
        assert (
            coupon_usage_notice(
                P, june, lines, today=date(2024, 6, 27), at=at("2024-06-27 09:00"), enabled=False
            )
            is None
        )
        assert (
            coupon_usage_notice(P, june, [], today=date(2024, 6, 27), at=at("2024-06-27 09:00"))
            is None
        )

    def test_ex39_consumption_quota(self) -> None:
        """EX-39 (R-BILL-54): 8,000.01 of 10,000 alerts; 10,000.00 is used up; more is over the limit."""
        quota = ConsumptionQuota(PartnerId("p"), usd("10000.00"), usd("0.00"))
        quota, events = quota.record(usd("8000.01"), at=at("2024-06-03 10:00"))
        assert [type(e) for e in events] == [ConsumptionQuotaAlert]
        quota, events = quota.record(usd("1999.99"), at=at("2024-06-04 10:00"))
        assert events == ()
        assert quota.used == usd("10000.00")
        assert not quota.exceeded
        assert quota.may_purchase(usd("0.01")).codes == ("CREDIT_LIMIT_EXCEEDED",)
        quota, events = quota.record(usd("0.01"), at=at("2024-06-05 10:00"))
        assert [type(e) for e in events] == [CreditLimitExceeded]


class TestRecordsAndCalendars:
    def test_ex28_commercial_discount_validity(self) -> None:
        """EX-28 (R-BILL-71): at 2024-09-28 00:00:00 the partner-level one expired, the customer-level one not."""
        partner_level = CommercialDiscount(
            discount_id="0HEI002210010B", level=CommercialDiscountLevel.PARTNER,
            partner_id=PartnerId("p"), effective_at=at("2022-09-16 16:22").replace(second=15),
            expires_at=at("2024-09-27 23:59").replace(second=59),
        )  # fmt: skip
        customer_level = CommercialDiscount(
            discount_id="0HEI002210010C", level=CommercialDiscountLevel.CUSTOMER,
            partner_id=PartnerId("p"), customer_id=CustomerId("c"),
            effective_at=at("2022-09-23 00:00"), expires_at=at("2025-09-18 23:59").replace(second=59),
        )  # fmt: skip
        when = at("2024-09-28 00:00")
        assert partner_level.status(when) is CommercialDiscountStatus.EXPIRED
        assert customer_level.status(when) is CommercialDiscountStatus.EFFECTIVE

    def test_ex30_exam_vouchers(self) -> None:
        """EX-30 (R-BILL-44): quota 5; 2 issued -> 3 left; 6 refused; HCIA needs real name, HCCDA not."""
        ask = {"listed": list(Certification), "quota": 5, "email_linked": True}
        assert may_request_exam_voucher(Certification.HCIA, issued_this_year=0, requested=2,
                                        real_name=True, **ask).allowed  # type: ignore[arg-type]  # fmt: skip
        assert may_request_exam_voucher(Certification.HCIA, issued_this_year=2, requested=3,
                                        real_name=True, **ask).allowed  # type: ignore[arg-type]  # fmt: skip
        assert may_request_exam_voucher(Certification.HCIA, issued_this_year=0, requested=6,
                                        real_name=True, **ask).codes == ("QUOTA_EXCEEDED",)  # type: ignore[arg-type]  # fmt: skip
        assert may_request_exam_voucher(Certification.HCIA, issued_this_year=0,
                                        real_name=False, **ask).codes == ("REAL_NAME_REQUIRED",)  # type: ignore[arg-type]  # fmt: skip
        assert may_request_exam_voucher(Certification.HCCDA, issued_this_year=0,
                                        real_name=False, **ask).allowed  # type: ignore[arg-type]  # fmt: skip

    def test_ex32_attribution(self) -> None:
        """EX-32 (R-BILL-21, DC-26): assigned Aug 10 -> RSL from Aug 1, CSP/DIST from Aug 11."""
        assigned = date(2024, 8, 10)
        assert attribution_start(assigned, start=AttributionStart.FIRST_OF_MONTH) == date(
            2024, 8, 1
        )
        assert attribution_start(assigned) == date(2024, 8, 11)

    @pytest.mark.parametrize(
        ("amount", "rate", "expected"),
        [
            ("-76.00", "6.6869", "-508.20"),
            ("666.00", "19.0169", "12665.26"),
            ("20.00", "6.6", "132.00"),
            ("32.00", "6.6869", "213.98"),
            ("32.00", "19.0169", "608.54"),
        ],
    )
    def test_ex33_conversion_rounds_half_up_once(
        self, amount: str, rate: str, expected: str
    ) -> None:
        """EX-33 / V-4 (DC-28): the CSP rates; converted exactly, rounded half-up once."""
        converted = convert_subtotal(
            usd(amount), Decimal(1), currency="ZAR", rate=Decimal(rate), policy=HUAWEI_LOCAL_DISPLAY
        )
        assert converted == Money.of(expected, "ZAR")

    def test_ex38_service_centre_commission(self) -> None:
        """EX-38 (R-BILL-84): 10,000.00 paid in April -> 2,000.00; May 7/10/15/25 moved past holidays."""
        assert SERVICE_CENTRE_COMMISSION.commission(Money.of("10000.00", "CNY")) == Money.of(
            "2000.00", "CNY"
        )
        dates = commission_calendar(Period.parse("2025M4"), WEEKENDS)
        # May 2025: the 7th is a Wednesday, the 10th a Saturday, the 15th a Thursday, the 25th a Sunday.
        assert (dates.statistics, dates.confirm_by, dates.invoice_before, dates.payment) == (
            date(2025, 5, 7), date(2025, 5, 12), date(2025, 5, 15), date(2025, 5, 26),
        )  # fmt: skip
        holiday = WeekdayCalendar(holidays=frozenset({date(2025, 5, 7)}))
        assert commission_calendar(Period.parse("2025M4"), holiday).statistics == date(2025, 5, 8)
        assert deemed_accepted_on(date(2025, 5, 7), WEEKENDS) == date(2025, 5, 12)


def test_ex29_invoices_exist_for_top_ups() -> None:
    """EX-29 (R-BILL-58): period 202208 lists two Top-up invoices, 2.00 and 0.10 USD, Invoiced."""
    from partnerkit.billing import Invoice, InvoiceContent, InvoiceStatus

    august = Period.parse("2022M8")
    rows = [
        Invoice(period=august, number=number, content=InvoiceContent.TOP_UP, amount=usd(amount),
                status=InvoiceStatus.INVOICED)
        for number, amount in (("CSER22000878", "2.00"), ("CSER22000841", "0.10"))
    ]  # fmt: skip
    assert [(r.number, r.amount, r.status) for r in rows] == [
        ("CSER22000878", usd("2.00"), InvoiceStatus.INVOICED),
        ("CSER22000841", usd("0.10"), InvoiceStatus.INVOICED),
    ]
    with pytest.raises(InvalidArgumentError):
        Invoice(period=august, number="X", content=InvoiceContent.TOP_UP, amount=usd("0"))


class TestCouponKinds:
    """Coupon types (billing.md 2.1, peers.md B1): discount coupons first, one voucher per line."""

    def test_cash_coupons_pay_the_discounted_amount(self) -> None:
        """R-BILL-27/28: a 10 % discount coupon takes 10.00 of 100.00; the cash coupon pays 90.00."""
        from tests.support.billing import coupon

        from partnerkit.billing import CouponKind, apply_coupons
        from partnerkit.money import Rate

        cash = coupon("cash", "500", valid_to="2024-12-31 00:00")
        ten = attrs.evolve(
            coupon("ten", "50", valid_to="2024-12-31 00:00"),
            kind=CouponKind.DISCOUNT,
            discount_rate=Rate.from_percent(10),
        )
        run = apply_coupons([line("L", "100.00")], [cash, ten])
        assert [(d.coupon_id, d.amount) for d in run.deductions] == [
            ("ten", usd("10.0000")), ("cash", usd("90.0000")),
        ]  # fmt: skip
        assert run.lines[0].amount_due_ex_tax.is_zero()

    def test_one_voucher_per_line_unless_the_policy_says_otherwise(self) -> None:
        """A line takes one voucher (Huawei); a policy without the limit takes both."""
        from tests.support.billing import coupon

        from partnerkit.billing import CouponKind, CouponPolicy, apply_coupons

        vouchers = [
            attrs.evolve(
                coupon(f"v{i}", "10", valid_to="2024-12-31 00:00"), kind=CouponKind.VOUCHER
            )
            for i in (1, 2)
        ]
        run = apply_coupons([line("L", "100")], vouchers)
        assert [d.coupon_id for d in run.deductions] == ["v1"]
        unlimited = apply_coupons(
            [line("L", "100")], vouchers, policy=CouponPolicy(vouchers_per_line=None)
        )
        assert [d.coupon_id for d in unlimited.deductions] == ["v1", "v2"]
        with pytest.raises(InvalidArgumentError):
            CouponPolicy(vouchers_per_line=0)
        with pytest.raises(InvalidArgumentError):
            CouponPolicy(kind_order=(frozenset({CouponKind.CASH}),))

    def test_a_rate_belongs_to_discount_coupons_only(self) -> None:
        """R-BILL-29: a DISCOUNT coupon needs a rate in (0, 1]; other kinds take none."""
        from tests.support.billing import coupon

        from partnerkit.billing import CouponKind
        from partnerkit.money import Rate

        base = coupon("k", "10", valid_to="2024-12-31 00:00")
        with pytest.raises(InvalidArgumentError):
            attrs.evolve(base, kind=CouponKind.DISCOUNT)
        with pytest.raises(InvalidArgumentError):
            attrs.evolve(base, discount_rate=Rate.from_percent(5))
        with pytest.raises(InvalidArgumentError):
            attrs.evolve(base, kind=CouponKind.DISCOUNT, discount_rate=Rate.from_percent(0))


@pytest.mark.parametrize(
    ("earnings", "invoiced"),
    [
        ("40.00", "44.80"),
        ("234.00", "262.08"),
        ("-3.98", "-4.46"),
        ("41.93", "46.96"),
        ("112.00", "125.44"),
        ("14.00", "15.68"),
    ],
)
def test_ex34_payout_invoice_amounts(earnings: str, invoiced: str) -> None:
    """EX-34 (R-BILL-35, cross-reference): invoice = earnings x 1.12, half-up to the cent."""
    from partnerkit.billing import PayoutMethod, payout_invoice_amount
    from partnerkit.money import Rate

    amount = payout_invoice_amount(
        usd(earnings), PayoutMethod.BANK_TRANSFER, tax=Rate.from_percent(12)
    )
    assert amount == usd(invoiced)


def test_ex35_and_v9_invoice_without_vat_and_no_invoice_for_coupons() -> None:
    """EX-35: subtotal 25.84 + no VAT = 25.84; V-9 / R-BILL-35: a coupon exchange needs no invoice."""
    from partnerkit.billing import PayoutMethod, payout_invoice_amount
    from partnerkit.money import Rate

    assert payout_invoice_amount(usd("25.84"), PayoutMethod.TOP_UP, tax=Rate.from_percent(0)) == (
        usd("25.84")
    )
    assert (
        payout_invoice_amount(usd("14.00"), PayoutMethod.COUPON, tax=Rate.from_percent(12)) is None
    )
    with pytest.raises(InvalidArgumentError):
        payout_invoice_amount(usd("1"), PayoutMethod.TOP_UP, tax=Decimal("0.12"))  # type: ignore[arg-type]
