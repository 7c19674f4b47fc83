"""The worked examples of billing.md section 8 (EX-nn) for lines, monthly bills and coupons.

Each test names its example and the rules it pins.  Values the spec marks as
inconsistent in the source (V-1, V-2) are tested in both readings it gives.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import attrs
import pytest
from tests.support.billing import P, coupon, line, usd
from tests.support.world import at

from partnerkit.billing import (
    BillingMode,
    BillLine,
    BillType,
    Coupon,
    CouponOrderKey,
    CouponPolicy,
    CouponStatus,
    PrecisionEra,
    RefundCause,
    RoundingPolicy,
    TaxPolicy,
    TraceKind,
    apply_coupons,
    apply_tax,
    billable_to_partner,
    close_month,
    coupon_applies,
    fixed_price_settlement,
    refund_to_coupon,
    rounding_for_cycle,
    settle,
    usage_days_ratio,
    usage_in_pricing_unit,
)
from partnerkit.customers import Association
from partnerkit.errors import InvalidArgumentError, RuleViolationError
from partnerkit.ids import CustomerId, PartnerId
from partnerkit.money import Money, Rate, Rounding
from partnerkit.partners import AssociationType
from partnerkit.periods import Period


class TestLineIdentities:
    def test_ex01_settlement_coupons_and_tax(self) -> None:
        """EX-01 (a)-(c): R-BILL-01, R-BILL-03, R-BILL-04 (V-1: the formula wins, both tails tested)."""
        settlement = settle(usd("1000"), Rate.from_percent(25))
        assert settlement == usd("750")
        b = line("b", "750", coupons="100", tax="10")
        assert (b.amount_due_ex_tax, b.amount_due) == (usd("650"), usd("660"))
        c = line("c", "750", coupons="75", tax="10")
        assert (c.amount_due_ex_tax, c.amount_due) == (usd("675"), usd("685"))
        assert c.trace().result() == c.amount_due

    def test_ex02_fixed_settlement_given_as_input(self) -> None:
        """EX-02: R-BILL-02, R-BILL-03, R-BILL-04 with the settlement taken as printed (V-2)."""
        row = line("r", "25.22", coupons="10.00", tax="0.83")
        assert row.amount_due_ex_tax == usd("15.22")
        assert row.amount_due == usd("16.05")

    def test_fixed_price_settlement(self) -> None:
        """R-BILL-02 / I-02: unit price x usage x size x usage-days ratio."""
        amount = fixed_price_settlement(
            usd("0.15"), Decimal("268"), linear_size=Decimal(2), usage_days=Decimal("0.5")
        )
        assert amount == usd("40.2")
        with pytest.raises(InvalidArgumentError) as caught:
            fixed_price_settlement(usd("1"), Decimal(-1))
        assert caught.value.rule_id == "R-BILL-02"

    def test_ex03_dist_rows_are_shown_unrounded(self) -> None:
        """EX-03: R-BILL-01 at 50 % and R-BILL-08 (rows unrounded; the total rounds once)."""
        half = Rate.from_percent(50)
        rows = [settle(usd(a), half) for a in ("72.576", "24.96", "92.16")]
        assert rows == [usd("36.288"), usd("12.48"), usd("46.08")]
        lines = [line(f"l{i}", str(r.amount), customer=f"c{i}") for i, r in enumerate(rows)]
        bill = close_month(P, Period.parse("2024M5"), lines)
        assert bill.monthly_total == usd("94.848")
        assert bill.amount_due == usd("94.85")
        assert [row.amount_due for row in lines] == rows

    def test_ex10_usage_days_ratio(self) -> None:
        """EX-10: R-BILL-05 (4320 points over 30 days is 50 %; 2880 in Feb 2024; DC-20)."""
        assert usage_days_ratio(4320, 30) == Decimal("0.5")
        assert str(usage_days_ratio(2880, 29)).startswith("0.34482758620689655172413793")
        with pytest.raises(InvalidArgumentError) as caught:
            usage_days_ratio(4000, 30)
        assert caught.value.rule_id == "R-BILL-05"

    def test_ex11_pricing_unit_usage_truncates(self) -> None:
        """EX-11: R-BILL-06 truncates to 10 places (not rounds)."""
        assert usage_in_pricing_unit(Decimal(1), Decimal(1024**3)) == Decimal("0.0000000009")
        assert usage_in_pricing_unit(Decimal(2), Decimal(3)) == Decimal("0.6666666666")
        with pytest.raises(InvalidArgumentError):
            usage_in_pricing_unit(Decimal(1), Decimal(0))

    def test_coupons_never_exceed_the_settlement(self) -> None:
        """C-01 / R-BILL-03: a line cannot use more coupons than it settles."""
        with pytest.raises(InvalidArgumentError) as caught:
            line("x", "10", coupons="10.01")
        assert caught.value.rule_id == "R-BILL-03"

    def test_refund_lines_carry_no_positive_amounts(self) -> None:
        """C-02 / R-BILL-17: refund lines are non-positive in every money field."""
        assert line("r", "-5", kind=BillType.REFUND).amount_due == usd("-5")
        with pytest.raises(InvalidArgumentError) as caught:
            line("r", "5", kind=BillType.REFUND)
        assert caught.value.rule_id == "R-BILL-17"

    def test_mixed_currencies_are_rejected(self) -> None:
        """A line is in one currency."""
        with pytest.raises(InvalidArgumentError):
            attrs.evolve(line("x", "10"), tax=Money.of("1", "EUR"))


class TestMonthlyBill:
    def test_ex04_rounding_only_at_the_monthly_total(self) -> None:
        """EX-04: R-BILL-07 modern era; the product split sums to the total (I-13, R-BILL-19)."""
        lines = [
            line("e1", "6826.538625", product="ecs"),
            line("e2", "283.199245", product="evs", customer="B"),
            line("e3", "974.1116225", product="obs", customer="C"),
            line("r1", "-853.8495", kind=BillType.REFUND, product="obs", customer="C"),
            line("a1", "-37.9425", kind=BillType.ADJUSTMENT, product="obs", customer="C"),
        ]
        bill = close_month(P, Period.parse("2024M5"), lines)
        assert bill.expenditures == usd("8083.8494925")
        assert bill.refunds == usd("-853.8495")
        assert bill.adjustments == usd("-37.9425")
        assert bill.monthly_total == usd("7192.0574925")
        assert bill.displayed_total == usd("7192.06")
        assert dict(bill.by_product) == {
            "ecs": usd("6826.538625"),
            "evs": usd("283.199245"),
            "obs": usd("82.3196225"),
        }
        assert sum((m for _, m in bill.by_customer), usd("0")) == bill.monthly_total
        trace = bill.trace()
        assert trace.result() == bill.amount_due
        assert [s.kind for s in trace.steps][-1] is TraceKind.ROUNDING

    @pytest.mark.parametrize(
        ("cycle", "era", "expected"),
        [
            ("2021M5", PrecisionEra.LEGACY_TRUNCATE, "0.03"),
            ("2021M6", PrecisionEra.TRANSITION_ROUND, "0.06"),
            ("2021M7", PrecisionEra.TRANSITION_ROUND, "0.06"),
            ("2021M8", PrecisionEra.MODERN, "0.05"),
        ],
    )
    def test_ex04_precision_eras(self, cycle: str, era: PrecisionEra, expected: str) -> None:
        """EX-04 constructed: R-BILL-07 legacy truncation, transition rounding, modern total rounding."""
        assert rounding_for_cycle(Period.parse(cycle)) == RoundingPolicy.for_era(era)
        hours = [
            line(f"h{i}", a, cycle=cycle, when=f"{cycle[:4]}-0{cycle[5:]}-01 0{i}:00")
            for i, a in enumerate(("0.016", "0.019", "0.0199"))
        ]
        assert close_month(P, Period.parse(cycle), hours).amount_due == usd(expected)

    def test_ex05_local_currency_display(self) -> None:
        """EX-05: R-BILL-18 / I-12 converts the rounded amount due and rounds half-up (DC-28)."""
        amounts = ("18.60", "10.31", "1.53", "0.99", "0.01", "0.00")
        lines = [
            line(f"p{i}", a, product=f"prod{i}", cycle="2021M2", when="2021-02-10 00:00")
            for i, a in enumerate(amounts)
        ]
        bill = close_month(P, Period.parse("2021M2"), lines)
        assert bill.expenditures == usd("31.44")
        assert bill.amount_due == usd("31.44")
        assert bill.local_amount_due("HKD", rate=Decimal("7.7565")) == Money.of("243.86", "HKD")

    def test_ex36_negative_bill_is_due_zero(self) -> None:
        """EX-36: R-BILL-09, the amount due floors at 0 and the -50.00 stays on the bill (DC-25)."""
        lines = [
            line("e", "100.00"),
            line("r", "-150.00", kind=BillType.REFUND),
        ]
        bill = close_month(P, Period.parse("2024M5"), lines)
        assert bill.monthly_total == usd("-50.00")
        assert bill.amount_due == usd("0.00")
        assert bill.negative_balance == usd("-50.00")
        assert bill.trace().result() == bill.amount_due
        assert bill.trace().steps[-1].kind is TraceKind.FLOOR

    def test_half_even_is_a_policy_not_a_code_path(self) -> None:
        """DC-01: the total's rounding mode is a policy parameter."""
        lines = [line("x", "0.125")]
        cycle = Period.parse("2024M5")
        assert close_month(P, cycle, lines).amount_due == usd("0.13")
        even = RoundingPolicy.for_era(PrecisionEra.MODERN, rounding=Rounding.HALF_EVEN)
        assert close_month(P, cycle, lines, policy=even).amount_due == usd("0.12")

    def test_bad_input_is_rejected(self) -> None:
        """A month needs lines of its own partner and cycle; a cycle is a month."""
        with pytest.raises(InvalidArgumentError):
            close_month(P, Period.parse("2024M5"), [])
        with pytest.raises(InvalidArgumentError):
            close_month(P, Period.parse("2024M6"), [line("x", "1")])
        with pytest.raises(InvalidArgumentError):
            rounding_for_cycle(Period.parse("2024Q1"))


class TestCoupons:
    def test_ex24_a_real_coupon(self) -> None:
        """EX-24: R-BILL-29 (billing mode) and R-BILL-31 (balance and status)."""
        real = Coupon(
            coupon_id="CP20091000015QNEK",
            balance=usd("500.00"),
            valid_from=at("2020-09-18 00:00"),
            valid_to=datetime.fromisoformat("2099-12-31 23:59:59").replace(
                tzinfo=at("2020-09-18 00:00").tzinfo
            ),
            billing_modes={BillingMode.YEARLY_MONTHLY, BillingMode.PAY_PER_USE},
            customer_id=CustomerId("A"),
        )
        ppu = line("L", "120.00", when="2024-05-31 12:00")
        yearly = line("Y", "99.00", when="2024-05-31 13:00", mode=BillingMode.RI_UPFRONT)
        run = apply_coupons([ppu, yearly], [real])
        assert run.lines[0].coupons_used == usd("120.00")
        assert run.lines[1].coupons_used == usd("0")
        assert run.coupons[0].balance == usd("380.00")
        assert run.coupons[0].status is CouponStatus.AVAILABLE
        assert coupon_applies(run.coupons[0], yearly).codes == ("BILLING_MODE_NOT_COVERED",)

    def ex25(self) -> tuple[list[BillLine], list[Coupon]]:
        lines = [
            line("L2", "80.00", customer="A", when="2024-05-10 10:00"),
            line("L1", "50.00", customer="A", when="2024-05-03 10:00"),
            line("L3", "30.00", customer="B", when="2024-05-05 10:00"),
        ]
        coupons = [
            coupon("K3", "100.00", valid_to="2025-06-30 23:59:59"),
            coupon("K2", "100.00", valid_to="2024-06-30 23:59:59"),
            coupon("K1", "60.00", valid_to="2024-12-31 23:59:59", customer="A"),
        ]
        return lines, coupons

    def test_ex25_deduction_order(self) -> None:
        """EX-25: R-BILL-27 (transaction order), R-BILL-28 (customer tier first), DC-08 (soonest expiry)."""
        lines, coupons = self.ex25()
        run = apply_coupons(lines, coupons)
        used = {ln.line_id: ln.coupons_used for ln in run.lines}
        assert used == {"L1": usd("50.00"), "L3": usd("30.00"), "L2": usd("80.00")}
        assert all(ln.amount_due_ex_tax.is_zero() for ln in run.lines)
        balances = {c.coupon_id: (c.balance, c.status) for c in run.coupons}
        assert balances == {
            "K1": (usd("0.00"), CouponStatus.USED),
            "K2": (usd("0.00"), CouponStatus.USED),
            "K3": (usd("100.00"), CouponStatus.AVAILABLE),
        }
        assert [(d.line_id, d.coupon_id, d.amount) for d in run.deductions] == [
            ("L1", "K1", usd("50.00")),
            ("L3", "K2", usd("30.00")),
            ("L2", "K1", usd("10.00")),
            ("L2", "K2", usd("70.00")),
        ]
        trace = run.trace("L2")
        assert trace.result() == usd("0.00")
        assert "K1, balance 10.00 -> 0.00" in trace.explain()

    def test_ex25_variant_expired_coupon_is_forfeited(self) -> None:
        """EX-25 variant: DC-09, a coupon expired at the transaction time is INVALID and its balance forfeited."""
        lines, coupons = self.ex25()
        coupons[2] = coupon("K1", "60.00", valid_to="2024-05-05 23:59:59", customer="A")
        run = apply_coupons(lines, coupons)
        used = {ln.line_id: ln.coupons_used for ln in run.lines}
        assert used == {"L1": usd("50.00"), "L3": usd("30.00"), "L2": usd("80.00")}
        balances = {c.coupon_id: (c.balance, c.status) for c in run.coupons}
        assert balances["K1"] == (usd("10.00"), CouponStatus.INVALID)
        assert balances["K2"] == (usd("0.00"), CouponStatus.USED)
        assert balances["K3"] == (usd("90.00"), CouponStatus.AVAILABLE)
        assert [(f.coupon_id, f.amount) for f in run.forfeits] == [("K1", usd("10.00"))]

    def test_single_use_coupon_is_used_after_one_deduction(self) -> None:
        """DC-10: multi_use=False moves the coupon to USED whatever balance remains."""
        once = coupon("S", "100.00", valid_to="2024-12-31 23:59:59", multi_use=False)
        run = apply_coupons(
            [line("a", "30.00"), line("b", "30.00", when="2024-05-04 00:00")], [once]
        )
        assert [ln.coupons_used for ln in run.lines] == [usd("30.00"), usd("0")]
        assert run.coupons[0].status is CouponStatus.USED
        assert run.coupons[0].balance == usd("70.00")

    def test_applicability_reasons(self) -> None:
        """R-BILL-29: product, Marketplace, scope, window and status are all checked, with reasons."""
        k = attrs.evolve(
            coupon("K", "10", valid_to="2024-05-31 23:59:59", customer="B"),
            excluded_products=frozenset({"ecs"}),
            status=CouponStatus.USED,
        )
        late = line("L", "5", when="2024-06-01 00:00", marketplace=True, cycle="2024M6")
        decision = coupon_applies(k, late)
        assert set(decision.codes) == {
            "PRODUCT_NOT_COVERED",
            "MARKETPLACE_EXCLUDED",
            "OTHER_CUSTOMER",
            "OUTSIDE_VALIDITY",
            "NOT_AVAILABLE",
        }
        assert all(r.rule_id == "R-BILL-29" for r in decision.reasons)
        refund = line("R", "-5", kind=BillType.REFUND)
        assert coupon_applies(coupon("K", "10", valid_to="2024-12-31 23:59:59"), refund).codes == (
            "NOTHING_TO_PAY",
        )

    def test_bad_coupons_are_rejected(self) -> None:
        """R-BILL-31: balance >= 0; R-BILL-29: a window that ends before it starts, no billing modes."""
        with pytest.raises(InvalidArgumentError) as caught:
            coupon("K", "-1", valid_to="2024-12-31 00:00")
        assert caught.value.rule_id == "R-BILL-31"
        with pytest.raises(InvalidArgumentError):
            coupon("K", "1", valid_to="2023-12-31 00:00")
        with pytest.raises(InvalidArgumentError):
            coupon("K", "1", valid_to="2024-12-31 00:00", modes=frozenset())
        with pytest.raises(InvalidArgumentError):
            apply_coupons([], [coupon("K", "1", valid_to="2024-12-31 00:00")] * 2)
        with pytest.raises(InvalidArgumentError):
            apply_coupons([line("a", "1"), line("a", "2")], [])

    def test_reseller_tier_sits_between_customer_and_all(self) -> None:
        """DC-08: customer coupons, then reseller coupons, then 'All'; R-BILL-29 reseller scope."""
        mine = attrs.evolve(coupon("R1", "5.00", valid_to="2024-12-31 23:59:59"), reseller_id=P)
        theirs = attrs.evolve(
            coupon("R2", "5.00", valid_to="2024-06-30 23:59:59"), reseller_id=PartnerId("p2")
        )
        general = coupon("G", "5.00", valid_to="2024-05-31 23:59:59")
        own = coupon("C", "5.00", valid_to="2025-12-31 23:59:59", customer="A")
        run = apply_coupons([line("L", "12.00")], [general, theirs, mine, own])
        assert [(d.coupon_id, d.amount) for d in run.deductions] == [
            ("C", usd("5.00")),
            ("R1", usd("5.00")),
            ("G", usd("2.00")),
        ]
        assert coupon_applies(theirs, line("L", "1")).codes == ("OTHER_RESELLER",)
        eur = attrs.evolve(general, balance=Money.of("5", "EUR"))
        assert coupon_applies(eur, line("L", "1")).codes == ("CURRENCY_MISMATCH",)

    def test_another_vendor_order_is_another_policy(self) -> None:
        """DC-08 as policy: an expiry-first order (no tier) is a CouponPolicy, not a code path."""
        expiry_first = CouponPolicy(
            order=(CouponOrderKey.EXPIRY, CouponOrderKey.BALANCE, CouponOrderKey.COUPON_ID)
        )
        own = coupon("C", "5.00", valid_to="2025-12-31 23:59:59", customer="A")
        general = coupon("G", "5.00", valid_to="2024-05-31 23:59:59")
        huawei = apply_coupons([line("L", "5.00")], [own, general])
        other = apply_coupons([line("L", "5.00")], [own, general], policy=expiry_first)
        assert [d.coupon_id for d in huawei.deductions] == ["C"]
        assert [d.coupon_id for d in other.deductions] == ["G"]
        with pytest.raises(InvalidArgumentError) as caught:
            CouponPolicy(order=(CouponOrderKey.EXPIRY,))
        assert caught.value.rule_id == "R-BILL-28"

    def test_deductions_round_down_to_eight_places(self) -> None:
        """DC-02 / C-01: a deduction on a 9-place line rounds down, so the line never goes below 0."""
        run = apply_coupons(
            [line("L", "0.123456789")], [coupon("K", "1.00", valid_to="2024-12-31 23:59:59")]
        )
        assert run.deductions[0].amount == usd("0.12345678")
        assert run.lines[0].amount_due_ex_tax == usd("0.000000009")
        with pytest.raises(InvalidArgumentError):
            run.trace("nope")


class TestDistribution:
    def test_reseller_lines_land_on_the_distributors_bill(self) -> None:
        """R-BILL-14: lines name the reseller, the vendor bills the distributor only."""
        d1 = PartnerId("d1")
        reseller_line = attrs.evolve(line("L", "10.00"), billed_partner_id=d1)
        assert reseller_line.partner_id == P
        assert reseller_line.billed_partner == d1
        bill = close_month(d1, Period.parse("2024M5"), [reseller_line])
        assert bill.partner_id == d1
        assert bill.amount_due == usd("10.00")
        with pytest.raises(InvalidArgumentError) as caught:
            close_month(P, Period.parse("2024M5"), [reseller_line])
        assert caught.value.rule_id == "R-BILL-14"


class TestCouponRefunds:
    def used_coupon(self, valid_to: str = "2024-12-31 23:59:59") -> Coupon:
        return attrs.evolve(
            coupon("K", "0.00", valid_to=valid_to, modes=frozenset({BillingMode.YEARLY_MONTHLY})),
            status=CouponStatus.USED,
        )

    def test_ex26_returned_only_in_three_cases(self) -> None:
        """EX-26: R-BILL-30 / R-BILL-17, coupons come back only for the three listed causes."""
        k = self.used_coupon()
        when = at("2024-06-01 00:00")
        for cause in (
            RefundCause.BEFORE_EFFECTIVE,
            RefundCause.ORDER_EXCEPTION,
            RefundCause.UNSTARTED_RENEWAL,
        ):
            back = refund_to_coupon(k, usd("40.00"), cause=cause, as_of=when)
            assert (back.balance, back.status) == (usd("40.00"), CouponStatus.AVAILABLE)
        for cause in (RefundCause.AFTER_EFFECTIVE, RefundCause.DOWNGRADE):
            with pytest.raises(RuleViolationError) as caught:
                refund_to_coupon(k, usd("40.00"), cause=cause, as_of=when)
            assert caught.value.rule_id == "R-BILL-30"
        with pytest.raises(InvalidArgumentError):
            refund_to_coupon(k, usd("0"), cause=RefundCause.BEFORE_EFFECTIVE, as_of=when)

    def test_ex26_expired_coupon_keeps_the_amount_invalid(self) -> None:
        """EX-26 / DC-09: restored after expiry, the amount is recorded and the coupon stays INVALID."""
        back = refund_to_coupon(
            self.used_coupon("2024-05-31 23:59:59"),
            usd("40.00"),
            cause=RefundCause.BEFORE_EFFECTIVE,
            as_of=at("2024-06-01 00:00"),
        )
        assert (back.balance, back.status) == (usd("40.00"), CouponStatus.INVALID)


class TestLineData:
    def test_closed_enumerations(self) -> None:
        """R-BILL-16: bill types and billing modes are closed; labels parse, anything else raises."""
        assert BillType.parse("Refund") is BillType.REFUND
        assert BillingMode.parse("RI-hourly") is BillingMode.RI_HOURLY
        assert BillingMode.parse("Savings Plans") is BillingMode.SAVINGS_PLAN
        with pytest.raises(InvalidArgumentError) as caught:
            BillingMode.parse("Spot")
        assert caught.value.rule_id == "R-BILL-16"

    def test_transaction_time_is_the_end_of_consumption(self) -> None:
        """R-BILL-15: a pay-per-use line cannot end before it starts; subscriptions are exempt."""
        ppu = line("L", "1", when="2024-05-03 10:00")
        assert attrs.evolve(ppu, usage_start=at("2024-05-03 09:00")).usage_start is not None
        with pytest.raises(InvalidArgumentError) as caught:
            attrs.evolve(ppu, usage_start=at("2024-05-03 11:00"))
        assert caught.value.rule_id == "R-BILL-15"
        yearly = line("Y", "1", when="2024-05-03 10:00", mode=BillingMode.YEARLY_MONTHLY)
        assert (
            attrs.evolve(yearly, usage_start=at("2024-05-04 00:00")).billing_mode
            is BillingMode.YEARLY_MONTHLY
        )


class TestTaxAndBillability:
    def test_tax_on_the_post_coupon_amount(self) -> None:
        """R-BILL-04 (I-04, I-08, DC-04): tax is the region's rate on settlement minus coupons; default none."""
        policy = TaxPolicy(rates={"SG": Rate.from_percent(9)})
        run = apply_coupons(
            [line("L", "750.00")], [coupon("K", "100.00", valid_to="2024-12-31 23:59:59")]
        )
        taxed = apply_tax(run.lines[0], region="SG", policy=policy)
        assert taxed.tax == usd("58.50")
        assert taxed.amount_due == usd("708.50")
        assert apply_tax(run.lines[0], region="HK", policy=policy).tax.is_zero()
        refund = line("R", "-5", kind=BillType.REFUND)
        assert apply_tax(refund, region="SG", policy=policy) is refund

    def test_only_associated_reseller_model_spend_is_billable(self) -> None:
        """R-BILL-13, R-CUST-03: referral customers and spend outside the association stay off the bill."""
        reseller = Association(
            customer_id=CustomerId("A"),
            partner_id=P,
            association_type=AssociationType.RESELLER,
            associated_at=at("2024-05-02 00:00"),
        )
        assert billable_to_partner(line("L", "1", when="2024-05-03 10:00"), reseller).allowed
        early = billable_to_partner(line("E", "1", when="2024-05-01 10:00"), reseller)
        assert early.codes == ("OUTSIDE_ASSOCIATION",)
        ended = attrs.evolve(reseller, disassociated_at=at("2024-05-03 00:00"))
        assert billable_to_partner(line("L", "1", when="2024-05-03 10:00"), ended).codes == (
            "OUTSIDE_ASSOCIATION",
        )
        referral = attrs.evolve(reseller, association_type=AssociationType.REFERRAL)
        assert billable_to_partner(line("L", "1", when="2024-05-03 10:00"), referral).codes == (
            "REFERRAL_CUSTOMER",
        )
        other = billable_to_partner(line("B", "1", customer="B", when="2024-05-03 10:00"), reseller)
        assert other.codes == ("NOT_THIS_ASSOCIATION",)
