"""Paying the bill: EX-08, EX-09, EX-16, EX-17; R-BILL-10..12, 45..54."""

from __future__ import annotations

from datetime import date

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.support.world import at

from partnerkit.billing import (
    BillStatus,
    Card,
    CardStatus,
    CardWallet,
    ConsumptionQuota,
    EntryType,
    PartnerBill,
    PaymentPolicy,
    Statement,
    check_transaction,
    earnings_frozen,
    issue_bill,
    issue_time,
    may_top_up_online,
    outstanding,
    pay_bill,
    repay,
    transfer_credited_by,
    withholding_split,
)
from partnerkit.calendars import WeekdayCalendar
from partnerkit.errors import InvalidArgumentError, RuleViolationError
from partnerkit.ids import SYSTEM_ACTOR, PartnerId
from partnerkit.money import Money, Rate, Rounding
from partnerkit.periods import Period

D1 = PartnerId("d1")


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


def issued(cycle: str, due: str, paid: str = "0") -> PartnerBill:
    bill = PartnerBill.estimate(D1, Period.parse(cycle), usd(due))
    status = BillStatus.PAID if usd(paid) == usd(due) else BillStatus.UNPAID
    if usd("0") < usd(paid) < usd(due):
        status = BillStatus.PARTIALLY_PAID
    return attrs.evolve(bill, paid=usd(paid), status=status)


class TestIssue:
    def test_issue_date_is_day_5_at_noon_beijing(self) -> None:
        """R-BILL-12 / DC-12: the July 2024 bill is issued 2024-08-05 12:00 GMT+08:00; December rolls the year."""
        assert issue_time(Period.parse("2024M7")) == at("2024-08-05 12:00")
        assert issue_time(Period.parse("2024M12")) == at("2025-01-05 12:00")
        assert issue_time(Period.parse("2024M7"), policy=PaymentPolicy(issue_day=6)) == at(
            "2024-08-06 12:00"
        )
        with pytest.raises(InvalidArgumentError):
            issue_time(Period.parse("2024Q3"))

    def test_automatic_deduction_from_the_balance(self) -> None:
        """R-BILL-46 / DC-13: the balance pays what it can; a shortfall is not an error."""
        estimate = PartnerBill.estimate(D1, Period.parse("2024M6"), usd("120.00"))
        full, left, event = issue_bill(estimate, balance=usd("500.00"), actor=SYSTEM_ACTOR)
        assert (full.status, left, event.deducted) == (
            BillStatus.PAID,
            usd("380.00"),
            usd("120.00"),
        )
        assert event.occurred_at == at("2024-07-05 12:00")
        none, left, _ = issue_bill(estimate, balance=usd("0.00"), actor=SYSTEM_ACTOR)
        assert (none.status, none.outstanding, left) == (
            BillStatus.UNPAID,
            usd("120.00"),
            usd("0.00"),
        )
        zero, _, _ = issue_bill(
            PartnerBill.estimate(D1, Period.parse("2024M6"), usd("0.00")),
            balance=usd("0"),
            actor=SYSTEM_ACTOR,
        )
        assert zero.status is BillStatus.PAID
        with pytest.raises(RuleViolationError):
            issue_bill(full, balance=usd("1"), actor=SYSTEM_ACTOR)

    def test_an_estimate_is_never_paid(self) -> None:
        """R-BILL-11: paying the running estimate raises; repayments skip it."""
        estimate = PartnerBill.estimate(D1, Period.parse("2024M7"), usd("50.00"))
        with pytest.raises(RuleViolationError) as caught:
            pay_bill(estimate, usd("10.00"))
        assert caught.value.rule_id == "R-BILL-11"
        result = repay([estimate], usd("10.00"))
        assert result.surplus == usd("10.00")
        assert result.bills == (estimate,)


class TestRepayment:
    def test_oldest_cycle_first_and_surplus_stays(self) -> None:
        """R-BILL-47 / DC-13: partial repayments go to the oldest cycle first."""
        bills = [
            issued("2024M6", "100.00"),
            issued("2024M4", "30.00"),
            issued("2024M5", "50.00", "20.00"),
        ]
        result = repay(bills, usd("70.00"))
        assert [(str(c), m) for c, m in result.allocations] == [
            ("2024M4", usd("30.00")),
            ("2024M5", usd("30.00")),
            ("2024M6", usd("10.00")),
        ]
        assert [b.status for b in result.bills] == [
            BillStatus.PARTIALLY_PAID,
            BillStatus.PAID,
            BillStatus.PAID,
        ]
        assert result.surplus == usd("0.00")
        assert repay(bills, usd("200.00")).surplus == usd("40.00")

    def test_pay_bill_bounds(self) -> None:
        """A direct payment is positive and no more than what is owed."""
        bill = issued("2024M6", "100.00")
        assert pay_bill(bill, usd("100.00")).status is BillStatus.PAID
        with pytest.raises(InvalidArgumentError):
            pay_bill(bill, usd("100.01"))

    def test_outstanding_panel(self) -> None:
        """EX-08, EX-09: R-BILL-10 (I-14) current + previous months."""
        panel = outstanding(
            [issued("2024M5", "900.00"), issued("2024M6", "10444.73")],
            latest=Period.parse("2024M6"),
        )
        assert (panel.current, panel.previous, panel.total) == (
            usd("10444.73"),
            usd("900.00"),
            usd("11344.73"),
        )
        dist = outstanding(
            [issued("2024M5", "4856.20"), issued("2024M6", "0.00")], latest=Period.parse("2024M6")
        )
        assert dist.total == usd("4856.20")

    def test_overdue_when_the_next_bill_is_issued(self) -> None:
        """DC-12: unpaid when the next cycle's bill is issued means overdue."""
        bill = issued("2024M6", "10.00")
        assert not bill.overdue(at("2024-08-05 11:59"))
        assert bill.overdue(at("2024-08-05 12:00"))
        assert not issued("2024M6", "10.00", "10.00").overdue(at("2024-09-01 00:00"))

    def test_bank_transfer_credit_deadline(self) -> None:
        """R-BILL-48: Huawei credits a transfer ticket within 3 working days."""
        calendar = WeekdayCalendar(holidays={date(2024, 6, 10)})
        assert transfer_credited_by(at("2024-06-07 10:00"), calendar=calendar) == date(2024, 6, 13)


class TestLimits:
    @pytest.mark.parametrize("amount", ["20000.00", "0.01"])
    def test_ex17_usd_accepted(self, amount: str) -> None:
        """EX-17: R-BILL-45 USD bounds are inclusive."""
        check_transaction(usd(amount))

    @pytest.mark.parametrize(
        ("amount", "code"),
        [
            ("20000.01", "USD"),
            ("0.00", "USD"),
            ("0", "CLP"),
            ("11000001", "CLP"),
            ("10.5", "CLP"),
            ("1", "EUR"),
        ],
    )
    def test_ex17_refused(self, amount: str, code: str) -> None:
        """EX-17: R-BILL-45 / DC-16 refuses zero, above the cap, sub-minor-unit CLP and unknown currencies."""
        with pytest.raises(InvalidArgumentError) as caught:
            check_transaction(Money.of(amount, code))
        assert caught.value.rule_id == "R-BILL-45"

    def test_ex17_clp_accepted(self) -> None:
        """EX-17: CLP 1 and 11,000,000 are accepted."""
        check_transaction(Money.of("1", "CLP"))
        check_transaction(Money.of("11000000", "CLP"))

    def test_repayment_is_one_limited_transaction(self) -> None:
        """R-BILL-47 with R-BILL-45: a repayment above the cap is refused, nothing changes."""
        bills = [issued("2024M6", "30000.00")]
        with pytest.raises(InvalidArgumentError):
            repay(bills, usd("20000.01"))
        assert bills[0].status is BillStatus.UNPAID


class TestCards:
    def test_ex16_card_quota(self) -> None:
        """EX-16: R-BILL-50, adding a card sets the quota to max(existing, 1,000)."""
        for before, after in ((None, "1000"), ("600", "1000"), ("1000", "1000"), ("5000", "5000")):
            wallet = CardWallet("USD", card_quota=usd(before) if before else None)
            assert wallet.add(Card("c1")).card_quota == usd(after)

    def test_currency_first_and_default_card_rules(self) -> None:
        """R-BILL-51 currency first; R-BILL-53 default first, cannot be deleted; DC-36 order."""
        with pytest.raises(RuleViolationError) as caught:
            CardWallet(None).add(Card("c1"))
        assert caught.value.rule_id == "R-BILL-51"
        wallet = CardWallet("USD").add(Card("a")).add(Card("b", CardStatus.FAILED)).add(Card("c"))
        wallet = attrs.evolve(wallet, default="c")
        assert wallet.charge_order() == ("c", "a")
        with pytest.raises(RuleViolationError) as deleted:
            wallet.delete("c")
        assert deleted.value.rule_id == "R-BILL-53"
        assert [c.card_id for c in wallet.delete("a").cards] == ["b", "c"]
        with pytest.raises(InvalidArgumentError):
            wallet.add(Card("a"))
        with pytest.raises(InvalidArgumentError):
            wallet.delete("zz")


class TestConsumptionQuota:
    def test_alert_above_80_and_block_beyond_the_limit(self) -> None:
        """R-BILL-54: alert strictly above 80 %, purchases beyond the quota refused, events for the freeze engine."""
        q = ConsumptionQuota(D1, usd("1000"), usd("0"))
        q, events = q.record(usd("800.00"), at=at("2024-06-01 10:00"))
        assert events == ()
        q, events = q.record(usd("0.01"), at=at("2024-06-01 11:00"))
        assert [e.name for e in events] == ["ConsumptionQuotaAlert"]
        assert q.may_purchase(usd("199.99")).allowed
        refusal = q.may_purchase(usd("200.00"))
        assert refusal.codes == ("CREDIT_LIMIT_EXCEEDED",)
        assert refusal.reasons[0].rule_id == "R-BILL-54"
        q, events = q.record(usd("200.00"), at=at("2024-06-01 12:00"))
        assert [e.name for e in events] == ["CreditLimitExceeded"]
        assert q.repaid(usd("5000")).used == usd("0")


@pytest.mark.rules("R-BILL-47")
@given(
    st.lists(
        st.tuples(st.integers(1, 12), st.integers(0, 100_000)),
        min_size=1,
        max_size=6,
        unique_by=lambda t: t[0],
    ),
    st.integers(1, 2_000_000),
)
def test_repayment_conserves_money(bills: list[tuple[int, int]], cents: int) -> None:
    """R-BILL-47 / DC-13: allocations plus surplus equal the payment; older cycles fill first."""
    items = [issued(f"2024M{m}", f"{c // 100}.{c % 100:02d}") for m, c in bills]
    payment = usd(f"{cents // 100}.{cents % 100:02d}")
    result = repay(items, payment)
    allocated = sum((m for _, m in result.allocations), usd("0"))
    assert allocated + result.surplus == payment
    cycles = [c for c, _ in result.allocations]
    assert cycles == sorted(cycles)
    for before, after in zip(items, result.bills, strict=True):
        assert after.paid - before.paid >= usd("0")
        assert after.outstanding >= usd("0")
    partial = [
        b for b in result.bills if b.status is not BillStatus.PAID and not b.amount_due.is_zero()
    ]
    assert result.surplus.is_zero() or not partial


class TestStatement:
    def test_ex14_running_balance(self) -> None:
        """EX-14: R-BILL-57 / I-21, each online repayment is a top-up and a repayment; shown newest first."""
        s = Statement.opening(usd("1580950.00"))
        when = at("2024-06-03 10:00")
        for a, b in (("AC-360000227-0", "AC-360000228-0"), ("AC-360000231-0", "AC-360000232-0")):
            s = s.post(a, when, EntryType.TOP_UP, usd("30.00"))
            s = s.post(b, when, EntryType.REPAYMENT, usd("-30.00"))
        assert [e.balance_after for e in s.entries] == [usd("1580980.00"), usd("1580950.00")] * 2
        assert s.newest_first()[0].serial == "AC-360000232-0"
        s.check()
        broken = attrs.evolve(
            s, entries=(attrs.evolve(s.entries[0], balance_after=usd("1")), *s.entries[1:])
        )
        with pytest.raises(RuleViolationError) as caught:
            broken.check()
        assert caught.value.rule_id == "R-BILL-57"

    def test_entries_in_time_order_with_signs(self) -> None:
        """R-BILL-57: posting back in time or with the wrong sign is refused, nothing changes."""
        s = Statement.opening(usd("0")).post(
            "1", at("2024-06-03 10:00"), EntryType.TOP_UP, usd("5")
        )
        with pytest.raises(InvalidArgumentError):
            s.post("2", at("2024-06-03 09:00"), EntryType.TOP_UP, usd("5"))
        with pytest.raises(InvalidArgumentError):
            s.post("2", at("2024-06-03 11:00"), EntryType.TOP_UP, usd("-5"))
        with pytest.raises(InvalidArgumentError):
            s.post("2", at("2024-06-03 11:00"), EntryType.REPAYMENT, usd("5"))
        assert s.balance == usd("5")


class TestEntitiesAndTax:
    def test_online_top_up_by_signing_entity(self) -> None:
        """R-BILL-49: a distributor tops up online only with a Hong Kong or Chile signing entity."""
        assert may_top_up_online(
            distributor=True, signing_entity="Huawei Services (Hong Kong) Co., Limited"
        ).allowed
        refused = may_top_up_online(
            distributor=True, signing_entity="Huawei Technologies (Malaysia)"
        )
        assert refused.codes == ("PAYMENT_METHOD_NOT_AVAILABLE",)
        assert may_top_up_online(distributor=False, signing_entity="anything").allowed

    def test_ex18_withholding_tax(self) -> None:
        """EX-18: R-BILL-59 (I-23), a fee of 100.00 at 10 % is 90.00 to the vendor and 10.00 withheld."""
        assert withholding_split(usd("100.00"), Rate.from_percent(10)) == (
            usd("90.00"),
            usd("10.00"),
        )


@pytest.mark.rules("R-BILL-59")
@given(st.integers(1, 10_000_000), st.integers(0, 100))
def test_withholding_parts_sum_to_the_fee(cents: int, percent: int) -> None:
    """R-BILL-59: the two parts are whole cents and add up to the fee exactly."""
    fee = usd(f"{cents // 100}.{cents % 100:02d}")
    vendor, tax = withholding_split(fee, Rate.from_percent(percent))
    assert vendor + tax == fee
    assert tax.round(rounding=Rounding.HALF_UP) == tax


def test_unpaid_bills_freeze_earnings() -> None:
    """R-BILL-56: earnings stay frozen while the cycle is unpaid and unfreeze the day after full payment."""
    unpaid = issued("2024M6", "10.00", "4.00")
    assert earnings_frozen(unpaid, fully_paid_on=None, today=date(2024, 8, 1)).codes == (
        "INCENTIVE_FROZEN",
    )
    paid = issued("2024M6", "10.00", "10.00")
    assert not earnings_frozen(paid, fully_paid_on=date(2024, 7, 8), today=date(2024, 7, 8)).allowed
    assert earnings_frozen(paid, fully_paid_on=date(2024, 7, 8), today=date(2024, 7, 9)).allowed
