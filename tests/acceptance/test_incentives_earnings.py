"""Earnings lifecycle and payout: EX-INC-08..14, 23, 26; R-INC-29..56, R-INC-115..118."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import attrs
import pytest

from partnerkit.billing.bill import BillingMode, BillLine, BillType, settle
from partnerkit.billing.coupons import Coupon, apply_coupons
from partnerkit.eligibility import Evidence, Facts, evaluate_entry, next_step
from partnerkit.eligibility.catalogs import huawei
from partnerkit.errors import InvalidArgumentError, RuleViolationError
from partnerkit.events import Event
from partnerkit.ids import ActorId, CustomerId, PartnerId
from partnerkit.incentives.calculate import calculate
from partnerkit.incentives.earnings import (
    HUAWEI_PAYOUT,
    BelowMinimumPayout,
    ConfirmedBy,
    EarningExpired,
    EarningsFrozen,
    EarningStatus,
    IncentiveEarning,
    NothingToPay,
    PartnerStanding,
    PaymentRequest,
    PaymentStatus,
    PayoutOption,
    PayoutOptionNotAllowed,
    adjustment,
    approve_invoice,
    approve_payment,
    auto_confirm,
    auto_pay,
    auto_pay_on,
    availability,
    complete_payment,
    confirm,
    convert,
    coupon_failed,
    display_status,
    estimate,
    frozen_reason,
    invoice_amount,
    issue,
    publish,
    reject_invoice,
    reject_payment,
    request_payment,
    send_requisition,
    statement,
    submit_invoice,
    valid_until,
)
from partnerkit.incentives.policy import Flat, IncentivePolicy
from partnerkit.incentives.revenue import OrderType, RevenueLine
from partnerkit.incentives.tax import bill_fully_paid, withholding_on
from partnerkit.money import Money, Rate
from partnerkit.periods import GMT_PLUS_8, Period, PeriodKind

P = PartnerId("p1")
ADMIN = ActorId("admin")
OPS = ActorId("ops")
OK = PartnerStanding()


def usd(amount: str | int) -> Money:
    return Money.of(amount, "USD")


def at(y: int, m: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=GMT_PLUS_8)


def issued(
    eid: str,
    amount: str,
    period: str = "2024M5",
    when: datetime | None = None,
) -> IncentiveEarning:
    generated = when or at(2024, 6, 10, 10)
    e = statement(
        eid, P, Period.parse(period), usd(amount), policy_id="monthly", generated_at=generated
    )
    e = confirm(e, actor=ADMIN, as_of=generated)[0]
    return issue(e, actor=OPS, as_of=generated)[0]


def pay(
    earnings: list[IncentiveEarning],
    option: PayoutOption,
    when: datetime,
    *,
    selected: list[str] | None = None,
    service_fee_tax_rate: Decimal = Decimal(0),
) -> tuple[PaymentRequest, tuple[IncentiveEarning, ...], tuple[Event, ...]]:
    return request_payment(
        earnings,
        option,
        request_id="r1",
        actor=ADMIN,
        standing=OK,
        bills={},
        as_of=when,
        selected=selected,
        service_fee_tax_rate=service_fee_tax_rate,
    )


class TestLifecycle:
    def test_statuses_and_publication(self) -> None:
        """R-INC-29, R-INC-11, DC-INC-36: estimated, then a statement from final revenue only."""
        policy = IncentivePolicy(
            policy_id="m",
            name="Monthly rebate",
            period_kind=PeriodKind.MONTH,
            schedule=Flat(rate="0.1"),
        )
        line = RevenueLine(
            revenue_id="L",
            partner_id=P,
            customer_id=CustomerId("c"),
            order_type=OrderType.RENEWAL,
            product_code="ecs",
            generated_on=date(2024, 5, 3),
            amount=usd("1000"),
        )
        calc = calculate(
            policy, [line], partner_id=P, period=Period.parse("2024M5"), as_of=at(2024, 5, 20)
        )
        est = estimate(calc, earning_id="e1")
        assert (est.status, est.amount) == (EarningStatus.ESTIMATED, usd("100.00"))
        assert not availability(est, bills={}, as_of=at(2024, 5, 20)).allowed
        with pytest.raises(RuleViolationError) as caught:
            publish(est, revenue_final=False, actor=OPS, as_of=at(2024, 6, 7))
        assert caught.value.rule_id == "R-INC-11"
        published, events = publish(est, revenue_final=True, actor=OPS, as_of=at(2024, 6, 7))
        assert published.status is EarningStatus.PENDING_CONFIRMATION
        assert events[0].before == est
        with pytest.raises(RuleViolationError):
            publish(published, revenue_final=True, actor=OPS, as_of=at(2024, 6, 7))
        assert display_status(est) == "Estimated"

    def test_confirm_then_issue(self) -> None:
        """R-INC-30, R-INC-32, CF-12: confirm before issue; labels per role."""
        e = statement(
            "e",
            P,
            Period.parse("2024M5"),
            usd("10.00"),
            policy_id="m",
            generated_at=at(2024, 6, 10),
        )
        with pytest.raises(RuleViolationError) as caught:
            issue(e, actor=OPS, as_of=at(2024, 6, 11))
        assert caught.value.rule_id == "R-INC-32"
        confirmed, _ = confirm(e, actor=ADMIN, as_of=at(2024, 6, 12))
        assert (confirmed.confirmed_by, confirmed.status) == (
            ConfirmedBy.PARTNER,
            EarningStatus.ISSUING,
        )
        assert display_status(confirmed) == "Issuing"
        done, _ = issue(confirmed, actor=OPS, as_of=at(2024, 6, 13))
        assert display_status(done) == "Reconciliation completed"
        assert display_status(done, distributor=True) == "Distributing"
        assert display_status(e) == "Pending confirmation"

    def test_ex13_auto_confirmation(self) -> None:
        """EX-INC-13 / R-INC-31, R-INC-53, DC-INC-13: 5 x 24 h after generation; auto-pay day 5."""
        e = statement(
            "e",
            P,
            Period.parse("2024M5"),
            usd("10.00"),
            policy_id="m",
            generated_at=at(2024, 6, 10, 10),
        )
        assert auto_confirm(e, as_of=at(2024, 6, 15, 9, 59)) == (e, ())
        confirmed, events = auto_confirm(e, as_of=at(2024, 6, 20))
        assert confirmed.confirmed_by is ConfirmedBy.AUTO
        assert confirmed.confirmed_at == at(2024, 6, 15, 10)
        assert events[0].occurred_at == at(2024, 6, 15, 10)
        assert auto_confirm(confirmed, as_of=at(2024, 7, 1)) == (confirmed, ())
        assert auto_pay_on(e) == date(2024, 6, 15)

    def test_zero_earning_is_valid(self) -> None:
        """R-INC-36: a 0.00 earning is valid and shows Distributed once paid."""
        zero = attrs.evolve(issued("z", "0.00"), paid=True)
        assert display_status(zero) == "Distributed"
        with pytest.raises(InvalidArgumentError):
            statement(
                "x",
                P,
                Period.parse("2024M5"),
                usd("0.001"),
                policy_id="m",
                generated_at=at(2024, 6, 1),
            )


class TestPayout:
    def test_ex08_conversion(self) -> None:
        """EX-INC-08 / R-INC-50: half-up to 2 places reproduces the CSP rows."""
        rows = [
            ("-76.00", "6.6869", "-508.20"),
            ("666.00", "19.0169", "12665.26"),
            ("20.00", "6.6", "132.00"),
            ("32.00", "6.6869", "213.98"),
            ("32.00", "19.0169", "608.54"),
        ]
        for amount, rate, expected in rows:
            assert convert(usd(amount), "ZAR", rate) == Money.of(expected, "ZAR")

    def test_ex09_negative_forced_in(self) -> None:
        """EX-INC-09 / R-INC-44, R-INC-50: the -76.00 row is always selected: 674.00, 13,111.58 ZAR."""
        rows = [
            issued("a", "-76.00", "2019M2"),
            issued("b", "666.00", "2019M1"),
            issued("c", "20.00", "2021M1"),
            issued("d", "32.00", "2019M2"),
            issued("e", "32.00", "2019M1"),
        ]
        rates = {
            Period.parse("2019M2"): Decimal("6.6869"),
            Period.parse("2019M1"): Decimal("19.0169"),
            Period.parse("2021M1"): Decimal("6.6"),
        }
        request, held, _ = request_payment(
            rows,
            PayoutOption.TOP_UP,
            request_id="r",
            actor=ADMIN,
            standing=OK,
            bills={},
            as_of=at(2021, 3, 1),
            selected=["b", "c", "d", "e"],
            settlement_currency="ZAR",
            rates=rates,
        )
        assert request.requested == usd("674.00")
        assert request.deducted_negative == usd("76.00")
        assert request.payment_amount == Money.of("13111.58", "ZAR")
        assert request.earning_ids[0] == "a"
        assert {e.request_id for e in held} == {"r"}

    def test_ex10_service_fee_tax(self) -> None:
        """EX-INC-10: invoice = payment x (1 + 12 %), half-up."""
        rows = [
            ("40.00", "44.80"),
            ("234.00", "262.08"),
            ("-3.98", "-4.46"),
            ("41.93", "46.96"),
            ("112.00", "125.44"),
            ("14.00", "15.68"),
        ]
        for amount, expected in rows:
            assert invoice_amount(usd(amount), Decimal("0.12")) == usd(expected)
        assert invoice_amount(Money.of("10740.00", "CNY"), Decimal(0)) == Money.of("10740", "CNY")
        with pytest.raises(InvalidArgumentError):
            invoice_amount(usd(1), Decimal("-0.1"))

    def test_ex11_minimums_and_options(self) -> None:
        """EX-INC-11 / R-INC-41, R-INC-42, R-INC-47, DC-INC-11: 150.00 by bank or top-up is refused,
        a coupon is issued the same day and lasts a year."""
        earning = issued("e", "150.00")
        for option in (PayoutOption.BANK_TRANSFER, PayoutOption.TOP_UP):
            with pytest.raises(BelowMinimumPayout) as caught:
                pay([earning], option, at(2024, 6, 20))
            assert caught.value.rule_id == "R-INC-42"
            assert caught.value.fields["minimum"] == usd("200.00")
        request, held, _ = pay([earning], PayoutOption.COUPON, at(2024, 6, 20))
        assert request.status is PaymentStatus.COMPLETED
        assert request.invoice_amount is None
        assert request.coupon_valid_until == date(2025, 6, 20)
        assert held[0].paid

    def test_ex11_auto_pay_waits_for_the_minimum(self) -> None:
        """EX-INC-11 / R-INC-53: 150 on 06-10 waits; +60 on 07-10 pays 210 on 07-15."""
        first = issued("e1", "150.00", "2024M5", at(2024, 6, 10))
        assert (
            auto_pay(
                [first],
                PayoutOption.BANK_TRANSFER,
                request_id="a1",
                standing=OK,
                bills={},
                as_of=at(2024, 6, 15),
            )
            is None
        )
        second = issued("e2", "60.00", "2024M6", at(2024, 7, 10))
        assert (
            auto_pay(
                [first, second],
                PayoutOption.BANK_TRANSFER,
                request_id="a1",
                standing=OK,
                bills={},
                as_of=at(2024, 7, 14),
            )
            is None
        )
        made = auto_pay(
            [first, second],
            PayoutOption.BANK_TRANSFER,
            request_id="a1",
            standing=OK,
            bills={},
            as_of=at(2024, 7, 15),
        )
        assert made is not None
        assert (made[0].requested, made[0].auto) == (usd("210.00"), True)

    def test_auto_pay_falls_back_to_top_up(self) -> None:
        """DC-INC-41: a quarterly rebate set to bank auto-pays by top-up, with a warning."""
        q = issued("q", "480.00", "2023Q1", at(2023, 4, 10))
        made = auto_pay(
            [q],
            PayoutOption.BANK_TRANSFER,
            request_id="a",
            standing=OK,
            bills={},
            as_of=at(2023, 4, 15),
        )
        assert made is not None
        assert made[0].option is PayoutOption.TOP_UP
        assert made[0].warning is not None

    def test_ex06_quarterly_not_to_bank(self) -> None:
        """EX-INC-06 / R-INC-43: a quarterly rebate cannot go to a bank account."""
        q = issued("q", "480.00", "2023Q1", at(2023, 4, 10))
        with pytest.raises(PayoutOptionNotAllowed) as caught:
            pay([q], PayoutOption.BANK_TRANSFER, at(2023, 4, 20))
        assert caught.value.rule_id == "R-INC-43"
        assert HUAWEI_PAYOUT.allowed(PeriodKind.QUARTER) == {
            PayoutOption.TOP_UP,
            PayoutOption.COUPON,
        }
        request = pay([q], PayoutOption.TOP_UP, at(2023, 4, 20))[0]
        assert request.status is PaymentStatus.PROCESSING_REQUEST

    def test_ex12_freeze_until_the_day_after_payment(self) -> None:
        """EX-INC-12 / R-INC-39, DC-INC-32: frozen through 06-20, requestable from 06-21."""
        earning = issued("e", "500.00", "2024M5", at(2024, 6, 10))
        unpaid = {Period.parse("2024M5"): None}
        assert frozen_reason(earning, unpaid, as_of=at(2024, 6, 12)) == (
            "unpaid expenditures in billing cycle 2024M5"
        )
        paid = {Period.parse("2024M5"): date(2024, 6, 20)}
        with pytest.raises(EarningsFrozen) as caught:
            request_payment(
                [earning],
                PayoutOption.TOP_UP,
                request_id="r",
                actor=ADMIN,
                standing=OK,
                bills=paid,
                as_of=at(2024, 6, 20, 23, 59),
                selected=["e"],
            )
        assert caught.value.rule_id == "R-INC-39"
        assert caught.value.fields["earning_id"] == "e"
        request, _, _ = request_payment(
            [earning],
            PayoutOption.TOP_UP,
            request_id="r",
            actor=ADMIN,
            standing=OK,
            bills=paid,
            as_of=at(2024, 6, 21),
        )
        assert request.requested == usd("500.00")

    def test_quarter_frozen_by_any_month(self) -> None:
        """DC-INC-32: a quarterly earning needs all three months paid."""
        q = issued("q", "480.00", "2024Q2", at(2024, 7, 10))
        bills = {
            Period.parse("2024M4"): date(2024, 5, 9),
            Period.parse("2024M5"): None,
            Period.parse("2024M6"): date(2024, 7, 8),
        }
        assert frozen_reason(q, bills, as_of=at(2024, 7, 20)) is not None
        bills[Period.parse("2024M5")] = date(2024, 7, 1)
        assert frozen_reason(q, bills, as_of=at(2024, 7, 20)) is None

    def test_ex14_expiry_and_waiver(self) -> None:
        """EX-INC-14 / R-INC-40, DC-INC-12: valid to 2024-03-15; a rejected request waives expiry."""
        e = issued("e", "300.00", "2023M2", at(2023, 3, 15))
        assert valid_until(e) == date(2024, 3, 15)
        with pytest.raises(EarningExpired) as caught:
            request_payment(
                [e],
                PayoutOption.TOP_UP,
                request_id="r",
                actor=ADMIN,
                standing=OK,
                bills={},
                as_of=at(2024, 3, 16),
                selected=["e"],
            )
        assert caught.value.rule_id == "R-INC-40"
        request, held, _ = request_payment(
            [e],
            PayoutOption.TOP_UP,
            request_id="r1",
            actor=ADMIN,
            standing=OK,
            bills={},
            as_of=at(2023, 5, 1),
        )
        request = send_requisition(request, actor=ADMIN, as_of=at(2023, 5, 1))[0]
        request = submit_invoice(
            request, usd("300.00"), billing_list=True, actor=ADMIN, as_of=at(2023, 5, 2)
        )[0]
        request = approve_invoice(request, actor=OPS, as_of=at(2023, 5, 4))[0]
        rejected, freed, _ = reject_payment(
            request, held, causes="bank data", actor=OPS, as_of=at(2023, 5, 6)
        )
        assert rejected.status is PaymentStatus.REJECTED
        assert freed[0].expiry_waived
        assert freed[0].request_id is None
        late, _, _ = request_payment(
            list(freed),
            PayoutOption.TOP_UP,
            request_id="r2",
            actor=ADMIN,
            standing=OK,
            bills={},
            as_of=at(2025, 6, 1),
        )
        assert late.requested == usd("300.00")
        leap = issued("leap", "1.00", "2024M1", at(2024, 2, 29))
        assert valid_until(leap) == date(2025, 2, 28)

    def test_business_information(self) -> None:
        """R-INC-37, R-INC-38: certification required; no settlement during a change."""
        e = issued("e", "300.00")
        for standing, rule in (
            (PartnerStanding(business_info_authenticated=False), "R-INC-37"),
            (PartnerStanding(business_info_change_pending=True), "R-INC-38"),
        ):
            with pytest.raises(RuleViolationError) as caught:
                request_payment(
                    [e],
                    PayoutOption.COUPON,
                    request_id="r",
                    actor=ADMIN,
                    standing=standing,
                    bills={},
                    as_of=at(2024, 6, 20),
                )
            assert caught.value.rule_id == rule

    def test_confirmation_required(self) -> None:
        """R-INC-30: an unconfirmed statement cannot be requested."""
        e = statement(
            "e",
            P,
            Period.parse("2024M5"),
            usd("300.00"),
            policy_id="m",
            generated_at=at(2024, 6, 10),
        )
        with pytest.raises(RuleViolationError) as caught:
            pay([e], PayoutOption.COUPON, at(2024, 6, 12), selected=["e"])
        assert caught.value.rule_id == "R-INC-30"

    def test_nothing_to_pay(self) -> None:
        """DC-INC-10: a selection netting to zero or less is refused; negatives carry forward."""
        with pytest.raises(NothingToPay):
            pay([issued("n", "-50.00"), issued("p", "30.00")], PayoutOption.COUPON, at(2024, 6, 20))
        with pytest.raises(NothingToPay):
            pay([], PayoutOption.COUPON, at(2024, 6, 20))

    def test_distribution_machine(self) -> None:
        """R-INC-45, R-INC-46, R-INC-48, R-INC-49, R-INC-51, R-INC-54, R-INC-55: the bank/top-up path."""
        e = issued("e", "250.00")
        request, held, events = pay(
            [e],
            PayoutOption.TOP_UP,
            at(2024, 6, 20),
            service_fee_tax_rate=Decimal("0.12"),
        )
        assert request.invoice_amount == usd("280.00")
        assert [type(x).__name__ for x in events] == ["PaymentRequestChanged", "EarningChanged"]
        with pytest.raises(RuleViolationError):
            submit_invoice(
                request,
                usd("280.00"),
                billing_list=True,
                actor=ADMIN,
                as_of=at(2024, 6, 21),
            )
        request = send_requisition(request, actor=ADMIN, as_of=at(2024, 6, 20))[0]
        assert request.status is PaymentStatus.PENDING_PARTNER_INVOICE
        with pytest.raises(RuleViolationError) as wrong:
            submit_invoice(
                request, usd("250.00"), billing_list=True, actor=ADMIN, as_of=at(2024, 6, 21)
            )
        assert wrong.value.rule_id == "R-INC-45"
        with pytest.raises(RuleViolationError) as no_list:
            submit_invoice(
                request, usd("280.00"), billing_list=False, actor=ADMIN, as_of=at(2024, 6, 21)
            )
        assert no_list.value.rule_id == "R-INC-54"
        request = submit_invoice(
            request, usd("280.00"), billing_list=True, actor=ADMIN, as_of=at(2024, 6, 21)
        )[0]
        assert request.invoice_received_on == date(2024, 6, 21)
        bounced = reject_invoice(request, causes="no VAT no.", actor=OPS, as_of=at(2024, 6, 24))[0]
        assert (bounced.status, bounced.rejection_causes) == (
            PaymentStatus.PENDING_PARTNER_INVOICE,
            "no VAT no.",
        )
        request = submit_invoice(
            bounced, usd("280.00"), billing_list=True, actor=ADMIN, as_of=at(2024, 6, 25)
        )[0]
        request = approve_invoice(request, actor=OPS, as_of=at(2024, 6, 27))[0]
        request = approve_payment(request, actor=OPS, as_of=at(2024, 7, 2))[0]
        assert request.status is PaymentStatus.PAYMENT_IN_PROGRESS
        done, paid, _ = complete_payment(
            request,
            held,
            actor=OPS,
            as_of=at(2024, 7, 10),
            top_up_rate=Decimal("7.1"),
            top_up_currency="CNY",
        )
        assert done.status is PaymentStatus.COMPLETED
        assert done.credited == Money.of("1775.00", "CNY")
        assert paid[0].paid
        assert (done.requested, done.periods, done.option) == (
            usd("250.00"),
            ("2024M5",),
            PayoutOption.TOP_UP,
        )

    def test_coupon_failure(self) -> None:
        """R-INC-47: a failed coupon issuance is COMPLETED_WITH_ERROR."""
        request = pay([issued("e", "10.00")], PayoutOption.COUPON, at(2024, 6, 20))[0]
        failed = coupon_failed(request, actor=ActorId("system"), as_of=at(2024, 6, 20))[0]
        assert failed.status is PaymentStatus.COMPLETED_WITH_ERROR
        top = pay([issued("t", "300.00")], PayoutOption.TOP_UP, at(2024, 6, 20))[0]
        with pytest.raises(RuleViolationError):
            coupon_failed(top, actor=ActorId("system"), as_of=at(2024, 6, 20))

    def test_earning_coupons_used_customer_first(self) -> None:
        """R-INC-56: coupons from earnings are partner-wide; a customer's own coupon goes first."""
        coupon_until = pay([issued("e", "10.00")], PayoutOption.COUPON, at(2024, 6, 20))[0]
        assert coupon_until.coupon_valid_until == date(2025, 6, 20)
        until = datetime.combine(
            coupon_until.coupon_valid_until,
            datetime.max.time(),
            tzinfo=GMT_PLUS_8,
        )
        modes = frozenset({BillingMode.PAY_PER_USE})
        from_earnings = Coupon(
            coupon_id="EARN",
            balance=usd("10.00"),
            valid_from=at(2024, 6, 20),
            valid_to=until,
            billing_modes=modes,
        )
        own = Coupon(
            coupon_id="OWN",
            balance=usd("5.00"),
            valid_from=at(2024, 6, 1),
            valid_to=until,
            billing_modes=modes,
            customer_id=CustomerId("c"),
        )
        line = BillLine(
            line_id="L",
            customer_id=CustomerId("c"),
            partner_id=P,
            cycle=Period.parse("2024M7"),
            bill_type=BillType.EXPENDITURE,
            billing_mode=BillingMode.PAY_PER_USE,
            product_code="ecs",
            order_or_txn_id="T",
            transaction_time=at(2024, 7, 3),
            customer_expenditure=usd("8.00"),
            settlement_amount=usd("8.00"),
            coupons_used=usd("0"),
            tax=usd("0"),
        )
        run = apply_coupons([line], [from_earnings, own])
        assert [c.balance for c in run.coupons] == [usd("7.00"), usd("0.00")]

    def test_adjustments(self) -> None:
        """R-INC-116, DC-INC-31: a clawback is a negative earning with a reason, deducted first."""
        claw = adjustment(
            "adj",
            P,
            Period.parse("2024M6"),
            usd("-40.00"),
            reason="commitment letter",
            source="COMPLIANCE",
            generated_at=at(2024, 7, 1),
        )
        assert (claw.amount, claw.reason) == (usd("-40.00"), "commitment letter")
        claw = issue(
            confirm(claw, actor=ADMIN, as_of=at(2024, 7, 1))[0], actor=OPS, as_of=at(2024, 7, 1)
        )[0]
        request = pay(
            [claw, issued("e", "300.00")], PayoutOption.TOP_UP, at(2024, 7, 2), selected=["e"]
        )[0]
        assert request.requested == usd("260.00")
        for amount, source, reason in (
            (usd("40.00"), "REFUND", "r"),
            (usd("-1"), "X", "r"),
            (usd("-1"), "REFUND", " "),
        ):
            with pytest.raises(InvalidArgumentError):
                adjustment(
                    "a",
                    P,
                    Period.parse("2024M6"),
                    amount,
                    reason=reason,
                    source=source,
                    generated_at=at(2024, 7, 1),
                )


class TestTaxAndProgrammes:
    def test_ex23_withholding(self) -> None:
        """EX-INC-23 / R-INC-115, DC-INC-33: 90 to the vendor, 10 to the authority; before
        2021-11-01 the vendor gets everything; a certificate completes payment."""
        after = withholding_on(usd(100), "0.10", country="MY", billed_at=at(2021, 11, 1))
        assert (after.to_vendor, after.to_authority, after.included) == (usd(90), usd(10), True)
        before = withholding_on(usd(100), "0.10", country="KE", billed_at=at(2021, 10, 31, 23, 59))
        assert (before.to_vendor, before.to_authority) == (usd(100), usd(0))
        elsewhere = withholding_on(usd(100), "0.10", country="SG", billed_at=at(2022, 1, 1))
        assert elsewhere.to_vendor == usd(100)
        assert bill_fully_paid(usd(100), usd(90), usd(10))
        assert not bill_fully_paid(usd(100), usd(90), usd(0))
        with pytest.raises(InvalidArgumentError) as caught:
            withholding_on(usd(100), "1", country="MY", billed_at=at(2022, 1, 1))
        assert caught.value.rule_id == "R-INC-115"
        with pytest.raises(InvalidArgumentError):
            withholding_on(usd(-1), "0.1", country="MY", billed_at=at(2022, 1, 1))

    def test_one_programme_one_area(self) -> None:
        """R-INC-117, R-INC-118: DPP members and path accounts cannot join CSP; one CSP account per
        business area."""
        clean = {"network.member", "account.enterprise", "agreement.CSP"}
        as_of = at(2024, 7, 1)
        assert evaluate_entry(huawei.CSP, Facts(flags=clean), as_of=as_of).eligible
        cases = {
            "program.DPP.distributor": "CSP_BLOCKED",
            "path.any": "PATH_CSP_CONFLICT",
            "company.csp_in_business_area": "BUSINESS_AREA_TAKEN",
        }
        for flag, code in cases.items():
            result = evaluate_entry(huawei.CSP, Facts(flags=clean | {flag}), as_of=as_of)
            assert [line.reason_code for line in result.blockers] == [code]

    def test_ex26_tier_scorecard(self) -> None:
        """EX-INC-26: 370,000 / 10 / 5 / a validation meets Advanced; 359,999.99 misses revenue."""

        def csp(revenue: str) -> Facts:
            certs = [
                Evidence(
                    kind="certificate",
                    id=f"c{n}",
                    holder=f"P{n}",
                    attributes={"family": "ACCREDITATION"},
                )
                for n in range(5)
            ]
            return Facts(
                flags={"network.member", "account.enterprise", "agreement.CSP"},
                levels={"program.CSP": "STANDARD", "company.path.SOFTWARE_PARTNER": "VALIDATION"},
                metrics={"revenue.annual": Decimal(revenue), "customers.count": 10},
                evidence=certs,
            )

        met = next_step(huawei.CSP, csp("370000"), as_of=at(2024, 7, 1))
        assert met.target == "ADVANCED"
        assert met.evaluation is not None
        assert met.evaluation.eligible
        short = next_step(huawei.CSP, csp("359999.99"), as_of=at(2024, 7, 1))
        assert short.evaluation is not None
        assert [b.requirement_id for b in short.evaluation.blockers] == ["csp.adv.revenue"]

    def test_ex30_settlement_discount_on_the_partner_bill(self) -> None:
        """EX-INC-30 / R-INC-15: 1,000 at a 25 % settlement discount is 750.00; less coupons 100 is
        650.00; plus tax 10 is 660.00 (the formula, not CF-19's 675/685)."""
        settlement = settle(usd(1000), Rate.from_percent(25))
        assert settlement == usd("750.00")
        bill_line = BillLine(
            line_id="L",
            customer_id=CustomerId("c"),
            partner_id=P,
            cycle=Period.parse("2024M6"),
            bill_type=BillType.EXPENDITURE,
            billing_mode=BillingMode.PAY_PER_USE,
            product_code="ecs",
            order_or_txn_id="T",
            transaction_time=at(2024, 6, 10),
            customer_expenditure=usd("1000"),
            settlement_amount=settlement,
            coupons_used=usd("100"),
            tax=usd("10"),
        )
        assert (bill_line.amount_due_ex_tax, bill_line.amount_due) == (usd("650.00"), usd("660.00"))
