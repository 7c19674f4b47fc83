"""Revenue recognition, policies and the calculation: EX-INC-05..07, 19, 24, 27, 28, 30."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import attrs
import pytest

from partnerkit.billing.channel import may_view_end_user_bills
from partnerkit.billing.issuance import (
    CostBearer,
    CouponTemplate,
    IssuanceLimit,
    RecipientKind,
    may_issue,
)
from partnerkit.billing.pricing import (
    Order,
    OrderItem,
    OrderStatus,
    adjust_order_price,
    may_discount,
)
from partnerkit.customers.account_managers import assign_account_manager, unassign_account_manager
from partnerkit.errors import InvalidArgumentError
from partnerkit.ids import ActorId, CustomerId, PartnerId
from partnerkit.incentives.calculate import calculate, estimated_rebate
from partnerkit.incentives.policy import (
    Accelerator,
    Band,
    ByTier,
    ClawbackMode,
    Flat,
    IncentivePolicy,
    Ladder,
    LadderMode,
    PerProduct,
    policy_from_json,
    policy_to_json,
)
from partnerkit.incentives.revenue import (
    BillingMode,
    OrderType,
    ProductClass,
    ProductClassification,
    RevenueLine,
    classification_on,
    eligible_amount,
    manager_lines,
    period_revenue,
    revenue_date,
)
from partnerkit.money import Money
from partnerkit.partners import AssociationType, PartnerRole
from partnerkit.periods import GMT_PLUS_8, Period, PeriodKind

UTC = UTC
P = PartnerId("p1")
AS_OF = datetime(2030, 1, 1, tzinfo=UTC)


def usd(amount: str | int) -> Money:
    return Money.of(amount, "USD")


def line(
    rid: str,
    amount: str,
    *,
    order: OrderType = OrderType.SUBSCRIPTION,
    product: str = "obs",
    day: date = date(2024, 7, 1),
    partner: str = "p1",
    currency: str = "USD",
    **extra: object,
) -> RevenueLine:
    return RevenueLine(
        revenue_id=rid,
        partner_id=PartnerId(partner),
        customer_id=CustomerId("c1"),
        order_type=order,
        product_code=product,
        generated_on=day,
        amount=Money.of(amount, currency),
        **extra,  # type: ignore[arg-type]
    )


def policy(
    schedule: object, kind: PeriodKind = PeriodKind.MONTH, **extra: object
) -> IncentivePolicy:
    return IncentivePolicy(
        policy_id="pol",
        name="Rebate",
        period_kind=kind,
        schedule=schedule,  # type: ignore[arg-type]
        **extra,  # type: ignore[arg-type]
    )


class TestRevenue:
    def test_ex05_unsubscription_nets(self) -> None:
        """EX-INC-05 / R-INC-01, R-INC-05: +2,000 subscription and -100 unsubscription give 1,900.00."""
        a = line("A", "2000.00000000")
        b = line("B", "100.00000000", order=OrderType.UNSUBSCRIPTION, product="evs")
        assert eligible_amount(b) == usd("-100")
        revenue = period_revenue([a, b], partner_id=P, period=Period.parse("2024M7"))
        assert revenue.total == usd("1900.00")
        assert revenue.lines == ("A", "B")

    def test_ex05_variant_no_revenue_product(self) -> None:
        """EX-INC-05 variant / R-INC-02, R-INC-03: a no-revenue product drops the negative line too."""
        a = line("A", "2000")
        b = line("B", "100", order=OrderType.UNSUBSCRIPTION, product="evs")
        rules = [
            ProductClassification(
                product_code="evs",
                effective_month=Period.parse("2024M7"),
                incentive_policy=ProductClass.NO_REVENUE_OR_REBATE,
            ),
        ]
        revenue = period_revenue(
            [a, b], partner_id=P, period=Period.parse("2024M7"), classifications=rules
        )
        assert revenue.total == usd("2000.00")
        assert revenue.excluded == ("B",)

    def test_classification_in_force_on_the_revenue_date(self) -> None:
        """R-INC-03: the classification of the line's month applies, later versions supersede."""
        rules = [
            ProductClassification(
                product_code="aics",
                effective_month=Period.parse("2021M7"),
                incentive_policy=ProductClass.NO_REVENUE_OR_REBATE,
            ),
            ProductClassification(
                product_code="aics",
                effective_month=Period.parse("2022M1"),
                incentive_policy=ProductClass.STANDARD_PRODUCT,
            ),
        ]
        assert classification_on(rules, "aics", date(2021, 6, 30)) is ProductClass.STANDARD_PRODUCT
        assert (
            classification_on(rules, "aics", date(2021, 7, 1)) is ProductClass.NO_REVENUE_OR_REBATE
        )
        assert classification_on(rules, "aics", date(2022, 1, 1)) is ProductClass.STANDARD_PRODUCT
        assert eligible_amount(
            line("x", "10", product="aics", day=date(2021, 12, 31)), rules
        ) == usd(0)

    def test_coupons_and_tax_excluded(self) -> None:
        """R-INC-02, R-INC-07, DC-INC-30: discount, adjustment and coupons reduce; tax is display only."""
        row = line(
            "A",
            "1000",
            partner_discount=usd(100),
            price_adjustment=usd(50),
            vendor_coupons=usd(200),
            tax=usd(60),
        )
        assert eligible_amount(row) == usd(650)
        assert row.tax_inclusive == usd(710)
        refund = attrs.evolve(row, order_type=OrderType.REFUND)
        assert eligible_amount(refund) == usd(-650)
        with pytest.raises(InvalidArgumentError) as caught:
            line("B", "10", vendor_coupons=usd(11))
        assert caught.value.rule_id == "R-INC-02"

    def test_distributor_is_credited(self) -> None:
        """R-INC-04, R-CUST-04: a reseller's customers' revenue is the distributor's; resellers
        earn nothing."""
        lines = [line("A", "100", partner="r1"), line("B", "50", partner="d1")]
        revenue = period_revenue(
            lines,
            partner_id=PartnerId("d1"),
            period=Period.parse("2024M7"),
            distributor_of={PartnerId("r1"): PartnerId("d1")},
        )
        assert revenue.total == usd("150.00")
        with pytest.raises(InvalidArgumentError) as caught:
            policy(Flat(rate=Decimal("0.1")), partner_roles={PartnerRole.RESELLER})
        assert caught.value.rule_id == "R-INC-04"
        with pytest.raises(InvalidArgumentError):
            policy(Flat(rate=Decimal("0.1")), partner_roles={PartnerRole.TIER2_RESELLER})

    def test_account_manager_from_the_day_after(self) -> None:
        """R-INC-06: a manager is credited from the day after assignment, until removal."""
        assigned, _ = assign_account_manager(
            None,
            CustomerId("c1"),
            P,
            ActorId("am1"),
            actor=ActorId("admin"),
            as_of=datetime(2024, 7, 10, 15, tzinfo=GMT_PLUS_8),
        )
        days = [date(2024, 7, 10), date(2024, 7, 11), date(2024, 8, 2)]
        lines = [line(f"L{d.isoformat()}", "10", day=d) for d in days]
        credited = manager_lines(lines, ActorId("am1"), {CustomerId("c1"): assigned})
        assert [x.generated_on for x in credited] == [date(2024, 7, 11), date(2024, 8, 2)]
        removed, _ = unassign_account_manager(
            assigned, actor=ActorId("admin"), as_of=datetime(2024, 7, 20, tzinfo=GMT_PLUS_8)
        )
        credited = manager_lines(lines, ActorId("am1"), {CustomerId("c1"): removed})
        assert [x.generated_on for x in credited] == [date(2024, 7, 11)]

    def test_beijing_time(self) -> None:
        """R-INC-12: expenditure days are Beijing days; tax is not part of revenue."""
        assert revenue_date(datetime(2024, 6, 30, 16, 0, tzinfo=UTC)) == date(2024, 7, 1)
        assert revenue_date(datetime(2024, 6, 30, 15, 59, tzinfo=UTC)) == date(2024, 6, 30)
        assert eligible_amount(line("A", "100", tax=usd(13))) == usd(100)

    def test_unsettled_lines_never_count(self) -> None:
        """R-INC-17: unpaid or failed orders are not settled data and earn nothing."""
        lines = [line("A", "100"), line("B", "900", settled=False)]
        earning = calculate(
            policy(Flat(rate=Decimal("0.1"))),
            lines,
            partner_id=P,
            period=Period.parse("2024M7"),
            as_of=AS_OF,
        )
        assert earning.amount == usd("10.00")
        assert earning.excluded == (("B", "NOT_SETTLED"),)

    def test_pay_per_use_counts(self) -> None:
        """DC-INC-03: pay-per-use lines count like yearly/monthly ones."""
        lines = [line("A", "100"), line("B", "50", billing_mode=BillingMode.PAY_PER_USE)]
        assert period_revenue(lines, partner_id=P, period=Period.parse("2024M7")).total == usd(150)


class TestDiscountsAndAdjustments:
    def test_ex07_estimated_rebate(self) -> None:
        """EX-INC-07 / R-INC-07, R-INC-08, R-BILL-74, R-CUST-108: 154.00 at 25 % is 38.50; with
        the 15.40 maximum discount the rebate base falls and the estimate is 34.65."""
        assert estimated_rebate(usd("154.00"), usd("0.00"), Decimal("0.25")) == usd("38.50")
        assert estimated_rebate(usd("154.00"), usd("15.40"), Decimal("0.25")) == usd("34.65")
        order = Order(
            order_id="o1",
            status=OrderStatus.PENDING,
            customer_id=CustomerId("c1"),
            items=(
                OrderItem(
                    item_id="i1",
                    product_code="evs",
                    subtotal=usd("154.00"),
                    maximum_discount=usd("15.40"),
                ),
            ),
        )
        adjusted = adjust_order_price(order, usd("15.40"))
        assert estimated_rebate(usd("154.00"), adjusted.discount, Decimal("0.25")) == usd("34.65")
        with pytest.raises(InvalidArgumentError) as caught:
            adjust_order_price(order, usd("15.41"))
        assert caught.value.rule_id == "R-BILL-62"
        with pytest.raises(InvalidArgumentError):
            estimated_rebate(usd("154.00"), usd("154.01"), Decimal("0.25"))

    def test_adjustments_and_discounts_not_for_reseller_customers(self) -> None:
        """R-INC-08, R-INC-09: no price adjustment or discount for reseller-model customers,
        nor for partners in the listed regions; permission is needed."""
        assert may_discount(
            partner_country="DE", has_permission=True, association=AssociationType.REFERRAL
        ).allowed
        assert may_discount(
            partner_country="DE", has_permission=True, association=AssociationType.RESELLER
        ).codes == ("RESELLER_MODEL_CUSTOMER",)
        assert may_discount(
            partner_country="MX", has_permission=False, association=AssociationType.REFERRAL
        ).codes == ("PERMISSION_DENIED", "REGION_NOT_ALLOWED")

    def test_coupons_reduce_paid_and_who_issues_them(self) -> None:
        """R-INC-114: only distributors and resellers issue coupons; vendor-borne ones never go to
        tier-2 resellers; a coupon-paid amount is not commissionable."""
        template = CouponTemplate(
            template_id="T",
            amount=usd("100"),
            cost_bearer=CostBearer.VENDOR,
            limit=IssuanceLimit.ONE,
        )
        agency = may_issue(
            PartnerRole.AGENCY,
            template,
            RecipientKind.END_USER,
            "S",
            issued=(),
            feature_enabled=True,
        )
        assert agency.codes == ("NOT_ALLOWED_TO_ISSUE",)
        tier2 = may_issue(
            PartnerRole.ALIBABA_DISTRIBUTOR,
            template,
            RecipientKind.TIER_TWO_RESELLER,
            "r2",
            issued=(),
            feature_enabled=True,
        )
        assert tier2.codes == ("RECIPIENT_NOT_ALLOWED",)
        paid = line("A", "300", vendor_coupons=usd(100))
        assert eligible_amount(paid) == usd(200)

    def test_agency_sees_orders_not_bills(self) -> None:
        """R-INC-18: an Alibaba agency cannot see its customers' bills."""
        assert not may_view_end_user_bills(PartnerRole.AGENCY).allowed
        assert may_view_end_user_bills(PartnerRole.DIRECT_RESELLER).allowed


class TestCalculation:
    def test_ex06_quarterly_rebate_at_80(self) -> None:
        """EX-INC-06 / R-INC-33: six lines of 100.00 at 80 % earn 80.00000000 each, 480.00."""
        lines = [line(f"L{n}", "100", product="evs", day=date(2023, 3, 1)) for n in range(6)]
        earning = calculate(
            policy(Flat(rate=Decimal("0.80")), PeriodKind.QUARTER),
            lines,
            partner_id=P,
            period=Period.parse("2023Q1"),
            as_of=AS_OF,
        )
        assert earning.amount == usd("480.00")
        assert {x.earning for x in earning.lines} == {usd("80.00000000")}
        assert {x.rate for x in earning.lines} == {Decimal("0.80")}
        assert earning.trace.result() == earning.amount

    def test_ex19_asc_per_product_line(self) -> None:
        """EX-INC-19 / R-INC-16, DC-INC-26: 20 % per product line, rounded per line: 12,269.13 CNY."""

        def cny(
            rid: str,
            amount: str,
            product: str,
            order: OrderType = OrderType.SUBSCRIPTION,
        ) -> RevenueLine:
            return line(
                rid,
                amount,
                product=product,
                order=order,
                day=date(2025, 5, 10),
                currency="CNY",
                product_line=product,
            )

        lines = [
            cny("1", "50000.00", "ecs"),
            cny("2", "12345.67", "rds"),
            cny("3", "0.00", "oss"),
            cny("4", "1000.00", "ecs", OrderType.REFUND),
        ]
        asc = policy(Flat(rate=Decimal("0.20")), currency="CNY", per_line_rounding=True)
        earning = calculate(asc, lines, partner_id=P, period=Period.parse("2025M5"), as_of=AS_OF)
        assert earning.amount == Money.of("12269.13", "CNY")
        assert earning.trace.result() == earning.amount
        once = calculate(
            attrs.evolve(asc, per_line_rounding=False),
            lines,
            partner_id=P,
            period=Period.parse("2025M5"),
            as_of=AS_OF,
        )
        assert once.exact == Money.of("12269.134", "CNY")

    def test_ex24_monthly_total_rounds_once(self) -> None:
        """EX-INC-24 / DC-INC-01: 8,083.8494925 - 853.8495 - 37.9425 rounds once to 7,192.06."""
        lines = [
            line("E", "8083.8494925"),
            line("R", "853.8495", order=OrderType.REFUND),
            line("A", "37.9425", order=OrderType.REFUND),
        ]
        revenue = period_revenue(lines, partner_id=P, period=Period.parse("2024M7"))
        assert revenue.exact == usd("7192.0574925")
        assert revenue.total == usd("7192.06")

    def test_ex27_commission_by_tier(self) -> None:
        """EX-INC-27 / R-INC-15: Gold 5 % on 250,000 of Q2 performance is 12,500.00."""
        lines = [line(f"L{n}", "50000", day=date(2024, 5, 1)) for n in range(5)]
        tiered = policy(
            ByTier(rates={"Gold": "0.05", "Silver": "0.03"}, default="0"), PeriodKind.QUARTER
        )
        gold = calculate(
            tiered, lines, partner_id=P, period=Period.parse("2024Q2"), as_of=AS_OF, tier="Gold"
        )
        silver = calculate(
            tiered, lines, partner_id=P, period=Period.parse("2024Q2"), as_of=AS_OF, tier="Silver"
        )
        assert (gold.amount, silver.amount) == (usd("12500.00"), usd("7500.00"))
        assert gold.reached.startswith("tier Gold")

    def test_agency_commission(self) -> None:
        """R-INC-14: an agency earns its customers' performance times the commission rate."""
        lines = [line("A", "1200", partner="ag"), line("B", "800", partner="ag")]
        earning = calculate(
            policy(Flat(rate=Decimal("0.07"))),
            lines,
            partner_id=PartnerId("ag"),
            period=Period.parse("2024M7"),
            as_of=AS_OF,
        )
        assert earning.amount == usd("140.00")

    @pytest.mark.parametrize(
        ("base", "mode", "expected"),
        [
            ("60000", LadderMode.RETROACTIVE, "12000.00"),
            ("60000", LadderMode.MARGINAL, "9000.00"),
            ("10000", LadderMode.RETROACTIVE, "1500.00"),
            ("10000", LadderMode.MARGINAL, "1000.00"),
        ],
    )
    def test_ex28_ladders(self, base: str, mode: LadderMode, expected: str) -> None:
        """EX-INC-28 / DC-INC-06: retroactive 12,000 / marginal 9,000; at 10,000 the 15 % band."""
        ladder = Ladder(
            bands=(
                Band(lower="0", rate="0.10"),
                Band(lower="10000", rate="0.15"),
                Band(lower="50000", rate="0.20"),
            ),
            mode=mode,
        )
        earning = calculate(
            policy(ladder, PeriodKind.QUARTER),
            [line("A", base)],
            partner_id=P,
            period=Period.parse("2024Q3"),
            as_of=AS_OF,
        )
        assert earning.amount == usd(expected)
        assert earning.trace.result() == earning.amount

    def test_accelerator_cap_minimum(self) -> None:
        """DC-INC-05, DC-INC-09: an accelerator above target, the cap after it, a minimum base."""
        acc = Accelerator(base=Flat(rate="0.10"), target="1000", multiplier="1.5")
        lines = [line("A", "2000")]
        kw = {"partner_id": P, "period": Period.parse("2024M7"), "as_of": AS_OF}
        assert calculate(policy(acc), lines, **kw).amount == usd("300.00")  # type: ignore[arg-type]
        capped = calculate(policy(acc, cap=usd(250)), lines, **kw)  # type: ignore[arg-type]
        assert (capped.amount, capped.capped) == (usd("250.00"), True)
        low = calculate(policy(acc, minimum_base=usd(5000)), lines, **kw)  # type: ignore[arg-type]
        assert low.amount == usd("0.00")
        assert low.trace.result() == low.amount

    def test_refunds_land_in_period_or_restate(self) -> None:
        """R-INC-05, DC-INC-04: a Q4 refund of a Q3 sale is a Q4 negative earning by default; a
        restating policy books it back in Q3 instead."""
        sale = line("S", "1000", day=date(2024, 8, 1))
        refund = line(
            "R",
            "400",
            order=OrderType.REFUND,
            day=date(2024, 10, 5),
            reverses_sale_on=date(2024, 8, 1),
        )
        q3, q4 = Period.parse("2024Q3"), Period.parse("2024Q4")

        def amount(mode: ClawbackMode, period: Period) -> Money:
            flat = policy(Flat(rate="0.1"), PeriodKind.QUARTER, clawback=mode)
            return calculate(flat, [sale, refund], partner_id=P, period=period, as_of=AS_OF).amount

        assert (amount(ClawbackMode.IN_PERIOD, q3), amount(ClawbackMode.IN_PERIOD, q4)) == (
            usd("100.00"),
            usd("-40.00"),
        )
        assert (
            amount(ClawbackMode.RESTATE_ORIGINAL, q3),
            amount(ClawbackMode.RESTATE_ORIGINAL, q4),
        ) == (usd("60.00"), usd("0.00"))
        early = calculate(
            policy(Flat(rate="0.1"), PeriodKind.QUARTER, clawback=ClawbackMode.RESTATE_ORIGINAL),
            [sale, refund],
            partner_id=P,
            period=q3,
            as_of=datetime(2024, 9, 30, tzinfo=UTC),
        )
        assert early.amount == usd("100.00")  # the refund is not known before it happens
        with pytest.raises(InvalidArgumentError) as caught:
            line("X", "1", reverses_sale_on=date(2024, 6, 1))
        assert caught.value.rule_id == "R-INC-05"
        with pytest.raises(InvalidArgumentError):
            line(
                "Y",
                "1",
                order=OrderType.REFUND,
                day=date(2024, 7, 1),
                reverses_sale_on=date(2024, 7, 2),
            )

    def test_per_product_rates(self) -> None:
        """DC-INC-05: a product's rate, else its line's, else the default."""
        sched = PerProduct(rates={"ecs": "0.2", "storage": "0.1"}, default="0.05")
        lines = [
            line("A", "100", product="ecs"),
            line("B", "100", product="obs", product_line="storage"),
            line("C", "100", product="dns"),
        ]
        earning = calculate(
            policy(sched), lines, partner_id=P, period=Period.parse("2024M7"), as_of=AS_OF
        )
        assert earning.amount == usd("35.00")

    def test_lines_after_as_of_or_outside_the_period_are_ignored(self) -> None:
        """calculate() knows only lines generated by ``as_of`` (time is an argument)."""
        lines = [
            line("A", "100", day=date(2024, 7, 1)),
            line("B", "100", day=date(2024, 7, 20)),
            line("C", "100", day=date(2024, 8, 1)),
        ]
        earning = calculate(
            policy(Flat(rate="0.1")),
            lines,
            partner_id=P,
            period=Period.parse("2024M7"),
            as_of=datetime(2024, 7, 10, tzinfo=GMT_PLUS_8),
        )
        assert earning.amount == usd("10.00")

    def test_bad_input(self) -> None:
        """Wrong period kind, a period before the policy, mixed currency: clear errors."""
        flat = policy(Flat(rate="0.1"), effective_from=Period.parse("2024M7"))
        with pytest.raises(InvalidArgumentError):
            calculate(
                flat, [line("A", "1")], period=Period.parse("2024Q3"), partner_id=P, as_of=AS_OF
            )
        with pytest.raises(InvalidArgumentError):
            calculate(
                flat,
                [line("A", "1", day=date(2024, 6, 1))],
                period=Period.parse("2024M6"),
                partner_id=P,
                as_of=AS_OF,
            )
        with pytest.raises(InvalidArgumentError):
            calculate(
                flat,
                [line("A", "1", currency="EUR")],
                period=Period.parse("2024M7"),
                partner_id=P,
                as_of=AS_OF,
            )
        with pytest.raises(InvalidArgumentError):
            Flat(rate="-0.1")
        with pytest.raises(InvalidArgumentError):
            line("A", "-1")


class TestPolicyData:
    def test_round_trip(self) -> None:
        """DC-INC-05: every schedule kind survives JSON."""
        schedules = [
            Flat(rate="0.2"),
            PerProduct(rates={"ecs": "0.2"}, default="0.1"),
            ByTier(rates={"Gold": "0.05"}, default="0"),
            Ladder(
                bands=(Band(lower="0", rate="0.1"), Band(lower="100", rate="0.2")),
                mode=LadderMode.MARGINAL,
            ),
            Accelerator(base=Flat(rate="0.1"), target="1000", multiplier="1.5"),
        ]
        for schedule in schedules:
            original = policy(
                schedule,
                cap=usd(100),
                effective_from=Period.parse("2024M1"),
                clawback=ClawbackMode.RESTATE_ORIGINAL,
            )
            assert policy_from_json(policy_to_json(original)) == original

    def test_bad_documents(self) -> None:
        """A bad document raises InvalidArgumentError naming the policy."""
        with pytest.raises(InvalidArgumentError):
            policy_from_json('{"policy_id": "x"}')
        with pytest.raises(InvalidArgumentError):
            policy_from_json("not json")
