"""Settlement calendars and commission statements: EX-INC-20, 21, 22, 29; R-INC-10..11, 35, 48,
52, 98..108, 112, 113 (incentives.md 2.3, 3.1, 3.5, 3.10-3.13)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnerkit.adapters.holiday_calendars import country_calendar
from partnerkit.billing.channel import commission_calendar
from partnerkit.calendars import WEEKENDS, Roll
from partnerkit.eligibility.catalogs import alibaba
from partnerkit.errors import InvalidArgumentError, PartnerkitError, RuleViolationError
from partnerkit.ids import CustomerId, PartnerId
from partnerkit.incentives.settlement import (
    ASC_BID_WEIGHTS,
    ASC_INVOICE_TERMS,
    ASC_LEAD_ROUTING,
    ASC_STATEMENT_CALENDAR,
    EARNINGS_DISPLAY_CUTOFF,
    MY_COMMISSIONS_MONTHLY,
    MY_COMMISSIONS_QUARTERLY,
    AcceptedBy,
    BidScores,
    BidWeights,
    CommissionInvoice,
    CommissionStatement,
    InvoiceTerms,
    Lead,
    LeadRoute,
    LeadRoutingPolicy,
    MyCommissionsStage,
    Notice,
    RevenuePeriodStatus,
    StatementCalendar,
    StatementStatus,
    asc_assessments,
    asc_bid_score,
    asc_trial,
    cancellation_possible,
    confirm_statement,
    customer_statement_months,
    deem_accepted,
    dispute_statement,
    earning_displayed_from,
    earning_visible,
    issue_statement,
    may_hand_over_to_asc,
    may_view_customer_statement,
    month_revenue_visible_from,
    my_commissions_calendar,
    my_commissions_stage,
    pay_statement,
    payout_timeline,
    reassign_customers,
    remind_statement,
    restate_statement,
    revenue_line_visible_on,
    revenue_period_status,
    route_lead,
    submit_commission_invoice,
    view_statement,
)
from partnerkit.money import Money
from partnerkit.partners import PartnerRole
from partnerkit.periods import GMT_PLUS_8, Period

CN = country_calendar("CN")
MAY_2025 = Period.parse("2025M5")
ALIPAY = "alipay:asc-chengdu@example.com"


def d(text: str) -> date:
    return date.fromisoformat(text)


def cny(amount: str) -> Money:
    return Money.of(amount, "CNY")


def statement(period: str = "2025M5", **changes: Any) -> CommissionStatement:
    base = CommissionStatement(
        statement_id="S-1",
        partner_id=PartnerId("asc-chengdu"),
        period=Period.parse(period),
        commission=cny("12269.13"),
        payee_account=ALIPAY,
    )
    return attrs.evolve(base, **changes)


def invoice(st_: CommissionStatement, received: str, **changes: Any) -> CommissionInvoice:
    base = CommissionInvoice(
        invoice_no="F-0001",
        amount=st_.commission,
        title="阿里云计算有限公司",
        service_content="网络服务费",
        received_on=d(received),
    )
    return attrs.evolve(base, **changes)


def issued(period: str = "2025M5", on: str = "2025-06-09") -> CommissionStatement:
    return issue_statement(statement(period), on=d(on), calendar=WEEKENDS)


def accepted(on: str = "2025-06-10") -> CommissionStatement:
    return confirm_statement(issued(), on=d(on), calendar=WEEKENDS)


# --- EX-INC-20: the statement calendar ------------------------------------------------------


@pytest.mark.rules("R-INC-98", "R-INC-99", "R-INC-100", "R-INC-101", "R-INC-102", "R-INC-103")
def test_ex_inc_20_may_2025_on_a_weekday_calendar() -> None:
    """EX-INC-20, DC-INC-16, DC-INC-17: the 7th (Sat) -> Mon 9 June; deemed end of Thu 12 June;
    the 15th (Sun) -> Mon 16 June; the 25th is a Wednesday."""
    m = ASC_STATEMENT_CALENDAR.milestones(MAY_2025, WEEKENDS)
    assert m.statistics_on == d("2025-06-09")
    assert m.statistics_on.strftime("%a") == "Mon"
    assert m.reminder_on == d("2025-06-09")
    assert m.confirm_by == d("2025-06-10")
    assert m.deemed_accepted_on == d("2025-06-12")
    assert m.invoice_by == d("2025-06-16")
    assert m.pay_on == d("2025-06-25")
    assert m.period == MAY_2025


@pytest.mark.rules("R-INC-98", "R-INC-99", "R-INC-101", "R-INC-102", "R-INC-103")
def test_ex_inc_20_variant_april_2025() -> None:
    """EX-INC-20 variant: statistics Wed 7 May; Sat 10 May -> Mon 12 May; invoice Thu 15 May;
    Sun 25 May -> Mon 26 May."""
    m = ASC_STATEMENT_CALENDAR.milestones(Period.parse("2025M4"), WEEKENDS)
    assert [day for _, day in m.ordered()] == [
        d("2025-05-07"), d("2025-05-12"), d("2025-05-12"), d("2025-05-15"), d("2025-05-26"),
    ]  # fmt: skip


@pytest.mark.rules("R-INC-103")
def test_without_postponement_the_nominal_days_stand() -> None:
    """R-INC-103 is what moves the dates: with Roll.NONE the 7th stays a Saturday."""
    unrolled = attrs.evolve(ASC_STATEMENT_CALENDAR, roll=Roll.NONE)
    m = unrolled.milestones(MAY_2025, WEEKENDS)
    assert (m.statistics_on, m.invoice_by, m.pay_on) == (
        d("2025-06-07"), d("2025-06-15"), d("2025-06-25"),
    )  # fmt: skip
    assert m.deemed_accepted_on == d("2025-06-11")  # Sat 7 + 3 working days


@pytest.mark.rules("R-INC-98", "R-INC-99", "R-INC-101", "R-INC-102", "R-INC-103")
def test_asc_preset_agrees_with_billing_commission_calendar() -> None:
    """R-BILL-84 (billing.channel) and DC-INC-17 describe the same four days."""
    for month in range(1, 13):
        period = Period.month(2025, month)
        ours = ASC_STATEMENT_CALENDAR.milestones(period, CN)
        theirs = commission_calendar(period, CN)
        assert (ours.statistics_on, ours.confirm_by, ours.pay_on) == (
            theirs.statistics, theirs.confirm_by, theirs.payment,
        )  # fmt: skip
        assert ASC_STATEMENT_CALENDAR.invoice_deadline(period, CN) == theirs.invoice_before


# --- Real China holiday data -----------------------------------------------------------------


@pytest.mark.rules("R-INC-98", "R-INC-100", "R-INC-103")
def test_national_day_2025_postpones_the_september_statement() -> None:
    """C22, C23: 7 Oct 2025 is in the National Day holiday (1-8 Oct) -> Thu 9 Oct; the deemed
    acceptance counts the make-up Saturday 11 Oct; the 25th (Sat) -> Mon 27 Oct."""
    assert not CN.is_working_day(d("2025-10-07"))
    assert not CN.is_working_day(d("2025-10-08"))
    assert CN.is_working_day(d("2025-10-11"))  # a make-up working Saturday
    m = ASC_STATEMENT_CALENDAR.milestones(Period.parse("2025M9"), CN)
    assert m.statistics_on == d("2025-10-09")
    assert m.confirm_by == d("2025-10-10")
    assert m.deemed_accepted_on == d("2025-10-13")  # 10 Oct, Sat 11 Oct, Mon 13 Oct
    assert m.invoice_by == d("2025-10-15")
    assert m.pay_on == d("2025-10-27")


@pytest.mark.rules("R-INC-101", "R-INC-103")
def test_a_postponed_date_that_lands_on_another_holiday_keeps_rolling() -> None:
    """R-INC-103: the 15th of Sep 2024 is a Sunday; Mon 16 and Tue 17 are the Mid-Autumn
    holiday, so the invoice is due Wed 18 Sep 2024."""
    assert [CN.is_working_day(d(f"2024-09-{n}")) for n in (15, 16, 17, 18)] == [
        False, False, False, True,
    ]  # fmt: skip
    m = ASC_STATEMENT_CALENDAR.milestones(Period.parse("2024M8"), CN)
    assert m.statistics_on == d("2024-09-09")  # Sat 7 -> Mon 9
    assert m.invoice_by == d("2024-09-18")
    assert m.pay_on == d("2024-09-25")


@pytest.mark.rules("R-INC-100", "R-INC-101", "R-INC-103")
def test_spring_festival_2024_extends_the_invoice_deadline() -> None:
    """DC-INC-16 on real data: statement 7 Feb 2024; deemed acceptance crosses the Spring
    Festival to the make-up Sunday 18 Feb; the 15th also rolls to 18 Feb, so the invoice
    deadline moves to 18 Feb + 2 working days = Tue 20 Feb (18 Feb without the switch)."""
    january = Period.parse("2024M1")
    m = ASC_STATEMENT_CALENDAR.milestones(january, CN)
    assert m.statistics_on == d("2024-02-07")
    assert m.deemed_accepted_on == d("2024-02-18")
    assert m.invoice_by == d("2024-02-20")
    strict = attrs.evolve(ASC_STATEMENT_CALENDAR, extend_invoice_deadline=False)
    assert strict.milestones(january, CN).invoice_by == d("2024-02-18")


@pytest.mark.rules("R-INC-99", "R-INC-102", "R-INC-103")
def test_labour_day_2025_april_statement() -> None:
    """R-INC-103: 2025M4 on the CN calendar: 10 May (Sat) -> 12 May; 25 May (Sun) -> 26 May."""
    m = ASC_STATEMENT_CALENDAR.milestones(Period.parse("2025M4"), CN)
    assert (m.statistics_on, m.confirm_by, m.invoice_by, m.pay_on) == (
        d("2025-05-07"), d("2025-05-12"), d("2025-05-15"), d("2025-05-26"),
    )  # fmt: skip


@pytest.mark.rules("R-INC-98", "R-INC-99", "R-INC-100", "R-INC-101", "R-INC-102", "R-INC-103")
@given(year=st.integers(2020, 2030), month=st.integers(1, 12))
def test_every_milestone_is_a_working_day_and_in_order(year: int, month: int) -> None:
    """Property, C22/C23: on the CN calendar every milestone is a working day, none is before its
    nominal day, and statistics <= confirm <= deemed <= invoice <= pay."""
    period = Period.month(year, month)
    m = ASC_STATEMENT_CALENDAR.milestones(period, CN)
    days = [day for _, day in m.ordered()]
    assert all(CN.is_working_day(day) for day in days)
    assert days == sorted(days)
    following = period.next()
    for day, nominal in zip(
        (m.statistics_on, m.confirm_by, m.invoice_by, m.pay_on), (7, 10, 15, 25), strict=True
    ):
        assert day >= date(following.year, following.index, nominal)
    assert m.deemed_accepted_on > m.statistics_on


@pytest.mark.rules("R-INC-103")
@given(year=st.integers(2020, 2030), month=st.integers(1, 12))
def test_postponement_stops_at_the_first_working_day(year: int, month: int) -> None:
    """R-INC-103: every day between the nominal day and the postponed one is a non-working day."""
    following = Period.month(year, month).next()
    m = ASC_STATEMENT_CALENDAR.milestones(Period.month(year, month), CN)
    for day, nominal in ((m.statistics_on, 7), (m.confirm_by, 10), (m.pay_on, 25)):
        skipped = date(following.year, following.index, nominal)
        while skipped < day:
            assert not CN.is_working_day(skipped)
            skipped += timedelta(days=1)


# --- StatementCalendar validation ------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "argument"),
    [
        ({"confirm_by_day": 5}, "statement days"),
        ({"pay_day": 32}, "pay_day"),
        ({"statistics_day": True}, "statistics_day"),
        ({"deemed_accept_working_days": 0}, "deemed_accept_working_days"),
        ({"extend_invoice_deadline": "yes"}, "extend_invoice_deadline"),
        ({"invoice_after_acceptance_working_days": -1}, "invoice_after_acceptance_working_days"),
    ],
)
def test_statement_calendar_rejects_bad_policy(changes: dict[str, Any], argument: str) -> None:
    """DC-INC-17: a malformed cycle is refused, naming the field."""
    with pytest.raises(InvalidArgumentError) as info:
        StatementCalendar(**changes)
    assert info.value.argument == argument


@pytest.mark.rules("R-INC-98")
def test_milestones_reject_a_wrong_period_or_an_early_reminder() -> None:
    """R-INC-98: the reminder goes out with or after the statement; periods match the cycle."""
    with pytest.raises(InvalidArgumentError) as info:
        ASC_STATEMENT_CALENDAR.milestones(Period.parse("2025Q2"), WEEKENDS)
    assert info.value.argument == "period"
    with pytest.raises(InvalidArgumentError) as early:
        ASC_STATEMENT_CALENDAR.milestones(MAY_2025, WEEKENDS, reminder_on=d("2025-06-06"))
    assert early.value.rule_id == "R-INC-98"
    later = ASC_STATEMENT_CALENDAR.milestones(MAY_2025, WEEKENDS, reminder_on=d("2025-06-11"))
    assert later.deemed_accepted_on == d("2025-06-16")


# --- The statement lifecycle -----------------------------------------------------------------


@pytest.mark.rules("R-INC-98", "R-INC-99", "R-INC-101", "R-INC-102")
def test_statement_happy_path_ex_inc_20() -> None:
    """EX-INC-20 as a lifecycle: issued Mon 9 June by message and email, confirmed Tue 10 June,
    invoiced, paid Wed 25 June to the bound Alipay account."""
    st_ = issued()
    assert st_.status is StatementStatus.ISSUED
    assert (st_.issued_on, st_.reminded_on) == (d("2025-06-09"), d("2025-06-09"))
    assert st_.notices == (Notice.SYSTEM_MESSAGE, Notice.EMAIL)
    st_ = confirm_statement(st_, on=d("2025-06-10"), calendar=WEEKENDS)
    assert (st_.status, st_.accepted_on, st_.accepted_by) == (
        StatementStatus.ACCEPTED, d("2025-06-10"), AcceptedBy.PARTNER,
    )  # fmt: skip
    st_ = submit_commission_invoice(st_, invoice(st_, "2025-06-13"))
    assert st_.status is StatementStatus.INVOICED
    assert not st_.invoice_late(WEEKENDS)
    assert st_.payment_due_on(WEEKENDS) == d("2025-06-25")
    paid = pay_statement(st_, on=d("2025-06-25"), to_account=ALIPAY, calendar=WEEKENDS)
    assert (paid.status, paid.paid_on, paid.paid_to) == (
        StatementStatus.PAID, d("2025-06-25"), ALIPAY,
    )  # fmt: skip


@pytest.mark.rules("R-INC-98")
def test_no_statement_before_the_statistics_day() -> None:
    """R-INC-98, R-INC-103: Sat 7 June is not the statistics day; Mon 9 June is."""
    before = statement()
    snapshot = attrs.evolve(before)
    with pytest.raises(RuleViolationError) as info:
        issue_statement(before, on=d("2025-06-07"), calendar=WEEKENDS)
    assert info.value.rule_id == "R-INC-98"
    assert before == snapshot
    assert before.status is StatementStatus.ACCRUING


@pytest.mark.rules("R-INC-100")
def test_deemed_acceptance_after_three_working_days() -> None:
    """R-INC-100, DC-INC-16: silence until the end of Thu 12 June is acceptance, dated 12 June;
    on 12 June the partner can still reply; on 13 June it can no longer confirm."""
    st_ = issued()
    with pytest.raises(RuleViolationError) as early:
        deem_accepted(st_, on=d("2025-06-12"), calendar=WEEKENDS)
    assert early.value.rule_id == "R-INC-100"
    assert early.value.fields["deemed_accepted_on"] == d("2025-06-12")
    deemed = deem_accepted(st_, on=d("2025-06-13"), calendar=WEEKENDS)
    assert (deemed.status, deemed.accepted_on, deemed.accepted_by) == (
        StatementStatus.ACCEPTED, d("2025-06-12"), AcceptedBy.DEEMED,
    )  # fmt: skip
    with pytest.raises(RuleViolationError) as late:
        confirm_statement(st_, on=d("2025-06-13"), calendar=WEEKENDS)
    assert late.value.rule_id == "R-INC-100"
    assert st_.status is StatementStatus.ISSUED


@pytest.mark.rules("R-INC-99", "R-INC-100")
def test_confirming_after_the_tenth_is_still_possible_before_deemed_acceptance() -> None:
    """CF-22 / DC-INC-16: the 10th is the target, but until deemed acceptance a reply counts."""
    st_ = confirm_statement(issued(), on=d("2025-06-12"), calendar=WEEKENDS)
    assert (st_.accepted_on, st_.accepted_by) == (d("2025-06-12"), AcceptedBy.PARTNER)
    assert st_.invoice_due_on(WEEKENDS) == d("2025-06-16")


@pytest.mark.rules("R-INC-100")
def test_a_later_reminder_restarts_the_silence() -> None:
    """R-INC-100: 3 working days count from the (latest) email reminder."""
    st_ = remind_statement(issued(), on=d("2025-06-11"))
    assert st_.milestones(WEEKENDS).deemed_accepted_on == d("2025-06-16")
    with pytest.raises(RuleViolationError):
        deem_accepted(st_, on=d("2025-06-16"), calendar=WEEKENDS)
    assert deem_accepted(st_, on=d("2025-06-17"), calendar=WEEKENDS).accepted_on == d("2025-06-16")
    with pytest.raises(RuleViolationError) as info:
        remind_statement(st_, on=d("2025-06-10"))
    assert info.value.rule_id == "R-INC-100"


@pytest.mark.rules("R-INC-99", "R-INC-100", "R-INC-101")
def test_dispute_restate_and_late_deemed_acceptance_extend_the_invoice_deadline() -> None:
    """3.11: DISPUTED -> ISSUED (restated); the new reminder of Mon 16 June makes the deemed
    acceptance Thu 19 June, after the 15th, so the invoice is due 2 working days later (DC-INC-16)."""
    st_ = dispute_statement(issued(), on=d("2025-06-10"), reason="RDS line missing",
                            calendar=WEEKENDS)  # fmt: skip
    assert (st_.status, st_.disputed_on, st_.dispute_reason) == (
        StatementStatus.DISPUTED, d("2025-06-10"), "RDS line missing",
    )  # fmt: skip
    restated = restate_statement(st_, on=d("2025-06-16"), commission=cny("12500.00"))
    assert (restated.status, restated.revision, restated.commission) == (
        StatementStatus.ISSUED, 1, cny("12500.00"),
    )  # fmt: skip
    assert (restated.reminded_on, restated.dispute_reason) == (d("2025-06-16"), None)
    deemed = deem_accepted(restated, on=d("2025-06-20"), calendar=WEEKENDS)
    assert deemed.accepted_on == d("2025-06-19")
    assert deemed.invoice_due_on(WEEKENDS) == d("2025-06-23")
    strict = attrs.evolve(deemed, schedule=attrs.evolve(
        ASC_STATEMENT_CALENDAR, extend_invoice_deadline=False))  # fmt: skip
    assert strict.invoice_due_on(WEEKENDS) == d("2025-06-16")


@pytest.mark.rules("R-INC-99", "R-INC-100")
def test_a_dispute_needs_a_reason_and_must_come_before_acceptance() -> None:
    """3.11: an objection is raised before acceptance and says why."""
    st_ = issued()
    with pytest.raises(InvalidArgumentError) as blank:
        dispute_statement(st_, on=d("2025-06-10"), reason="  ", calendar=WEEKENDS)
    assert blank.value.rule_id == "R-INC-99"
    with pytest.raises(RuleViolationError) as late:
        dispute_statement(st_, on=d("2025-06-13"), reason="too late", calendar=WEEKENDS)
    assert late.value.rule_id == "R-INC-100"
    disputed = dispute_statement(st_, on=d("2025-06-10"), reason="x", calendar=WEEKENDS)
    with pytest.raises(RuleViolationError):
        restate_statement(disputed, on=d("2025-06-09"), commission=cny("1.00"))
    with pytest.raises(InvalidArgumentError):
        restate_statement(disputed, on=d("2025-06-11"), commission=Money.of("1.00", "USD"))


def _at(status: StatementStatus) -> CommissionStatement:
    st_ = statement()
    if status is StatementStatus.ACCRUING:
        return st_
    st_ = issue_statement(st_, on=d("2025-06-09"), calendar=WEEKENDS)
    if status is StatementStatus.ISSUED:
        return st_
    if status is StatementStatus.DISPUTED:
        return dispute_statement(st_, on=d("2025-06-10"), reason="x", calendar=WEEKENDS)
    st_ = confirm_statement(st_, on=d("2025-06-10"), calendar=WEEKENDS)
    if status is StatementStatus.ACCEPTED:
        return st_
    st_ = submit_commission_invoice(st_, invoice(st_, "2025-06-12"))
    if status is StatementStatus.INVOICED:
        return st_
    return pay_statement(st_, on=d("2025-06-25"), to_account=ALIPAY, calendar=WEEKENDS)


_DAY = d("2025-06-30")
_TRANSITIONS: dict[str, tuple[str, set[StatementStatus], Any]] = {
    "issue": ("R-INC-98", {StatementStatus.ACCRUING},
              lambda s: issue_statement(s, on=_DAY, calendar=WEEKENDS)),
    "confirm": ("R-INC-99", {StatementStatus.ISSUED},
                lambda s: confirm_statement(s, on=d("2025-06-11"), calendar=WEEKENDS)),
    "dispute": ("R-INC-99", {StatementStatus.ISSUED},
                lambda s: dispute_statement(s, on=d("2025-06-11"), reason="r", calendar=WEEKENDS)),
    "restate": ("R-INC-99", {StatementStatus.DISPUTED},
                lambda s: restate_statement(s, on=_DAY, commission=cny("1.00"))),
    "deem": ("R-INC-100", {StatementStatus.ISSUED},
             lambda s: deem_accepted(s, on=_DAY, calendar=WEEKENDS)),
    "remind": ("R-INC-100", {StatementStatus.ISSUED}, lambda s: remind_statement(s, on=_DAY)),
    "invoice": ("R-INC-101", {StatementStatus.ACCEPTED},
                lambda s: submit_commission_invoice(s, invoice(s, "2025-06-13"))),
    "pay": ("R-INC-102", {StatementStatus.INVOICED},
            lambda s: pay_statement(s, on=_DAY, to_account=ALIPAY, calendar=WEEKENDS)),
    "view": ("R-INC-112", set(StatementStatus) - {StatementStatus.ACCRUING},
             lambda s: view_statement(s, on=_DAY)),
}  # fmt: skip


@pytest.mark.rules("R-INC-98", "R-INC-99", "R-INC-100", "R-INC-101", "R-INC-102", "R-INC-112")
@pytest.mark.parametrize("event", sorted(_TRANSITIONS))
@pytest.mark.parametrize("status", list(StatementStatus), ids=lambda s: s.value)
def test_transition_table(event: str, status: StatementStatus) -> None:
    """3.11: each event is legal only from its source state; otherwise it raises with the rule
    and leaves the statement unchanged."""
    rule_id, sources, apply = _TRANSITIONS[event]
    before = _at(status)
    snapshot = attrs.evolve(before)
    if status in sources:
        after = apply(before)
        assert isinstance(after, CommissionStatement)
        assert after != before or event == "view"
    else:
        with pytest.raises(RuleViolationError) as info:
            apply(before)
        assert info.value.rule_id == rule_id
        assert info.value.fields["status"] == status.value
    assert before == snapshot


@pytest.mark.rules("R-INC-101")
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": cny("12269.12")}, "amount"),
        ({"title": "Alibaba Cloud Computing Co., Ltd."}, "title"),
        ({"service_content": "技术服务费"}, "service_content"),
    ],
)
def test_invoice_must_match_amount_title_and_service(changes: dict[str, Any], field: str) -> None:
    """R-INC-101: amount equal to the commission, title 阿里云计算有限公司, content 网络服务费."""
    st_ = accepted()
    snapshot = attrs.evolve(st_)
    with pytest.raises(RuleViolationError) as info:
        submit_commission_invoice(st_, invoice(st_, "2025-06-12", **changes))
    assert info.value.rule_id == "R-INC-101"
    assert list(info.value.fields) == ["statement_id", field]
    assert st_ == snapshot
    assert st_.status is StatementStatus.ACCEPTED


@pytest.mark.rules("R-INC-101")
def test_invoice_terms_are_configurable_and_dated_after_acceptance() -> None:
    """R-INC-101: the title check comes from the statement's terms; ``None`` checks the amount."""
    assert (
        InvoiceTerms(title="阿里云计算有限公司", service_content="网络服务费") == ASC_INVOICE_TERMS
    )
    free = attrs.evolve(accepted(), invoice_terms=None)
    assert (
        submit_commission_invoice(free, invoice(free, "2025-06-12", title="any")).invoice
        is not None
    )
    with pytest.raises(RuleViolationError) as early:
        submit_commission_invoice(accepted(), invoice(accepted(), "2025-06-09"))
    assert early.value.rule_id == "R-INC-101"
    with pytest.raises(InvalidArgumentError):
        submit_commission_invoice(accepted(), "F-1")  # type: ignore[arg-type]


@pytest.mark.rules("R-INC-102")
def test_payment_needs_the_pay_day_a_valid_invoice_and_the_bound_account() -> None:
    """R-INC-102: not before the 25th; not on an invalid invoice; only to the bound Alipay."""
    st_ = submit_commission_invoice(accepted(), invoice(accepted(), "2025-06-12"))
    snapshot = attrs.evolve(st_)
    cases: list[tuple[CommissionStatement, date, str]] = [
        (st_, d("2025-06-24"), ALIPAY),
        (st_, d("2025-06-25"), "alipay:someone-else"),
        (attrs.evolve(st_, payee_account=None), d("2025-06-25"), ALIPAY),
        (
            attrs.evolve(st_, invoice=invoice(st_, "2025-06-12", valid=False)),
            d("2025-06-25"),
            ALIPAY,
        ),
    ]
    for value, day, account in cases:
        with pytest.raises(RuleViolationError) as info:
            pay_statement(value, on=day, to_account=account, calendar=WEEKENDS)
        assert info.value.rule_id == "R-INC-102"
    assert st_ == snapshot


@pytest.mark.rules("R-INC-101", "R-INC-102")
def test_a_late_invoice_withholds_payment_to_the_next_pay_day() -> None:
    """R-INC-101 "payment withheld": an invoice received Tue 17 June (due Mon 16 June) is paid on
    the next cycle's pay day, Fri 25 July 2025 (library design)."""
    st_ = submit_commission_invoice(accepted(), invoice(accepted(), "2025-06-17"))
    assert st_.invoice_late(WEEKENDS)
    assert st_.payment_due_on(WEEKENDS) == d("2025-07-25")
    with pytest.raises(RuleViolationError):
        pay_statement(st_, on=d("2025-06-25"), to_account=ALIPAY, calendar=WEEKENDS)
    paid = pay_statement(st_, on=d("2025-07-25"), to_account=ALIPAY, calendar=WEEKENDS)
    assert paid.paid_on == d("2025-07-25")
    assert not accepted().invoice_late(WEEKENDS)


def test_statement_values_validate_their_fields() -> None:
    """1.15: bad statements and invoices are refused with the field named."""
    with pytest.raises(InvalidArgumentError) as negative:
        statement(commission=cny("-1.00"))
    assert negative.value.rule_id == "R-INC-16"
    with pytest.raises(InvalidArgumentError) as quarter:
        statement(period="2025Q2")
    assert quarter.value.rule_id == "DC-INC-40"
    with pytest.raises(InvalidArgumentError):
        statement(issued_on=datetime(2025, 6, 9, tzinfo=UTC))
    with pytest.raises(InvalidArgumentError):
        invoice(statement(), "2025-06-12", valid="yes")
    with pytest.raises(PartnerkitError):
        issue_statement(statement(), on="2025-06-09", calendar=WEEKENDS)  # type: ignore[arg-type]


# --- My Commissions (R-INC-112, DC-INC-40) ---------------------------------------------------


@pytest.mark.rules("R-INC-112")
def test_my_commissions_view_verify_collect_on_the_generic_cycle() -> None:
    """3.10 / DC-INC-40: CALCULATED -> VIEWED -> VERIFIED -> COLLECTED read off the cycle."""
    assert my_commissions_stage(statement()) is None
    st_ = issued()
    assert my_commissions_stage(st_) is MyCommissionsStage.CALCULATED
    viewed = view_statement(st_, on=d("2025-06-09"))
    assert viewed.viewed_on == d("2025-06-09")
    assert my_commissions_stage(viewed) is MyCommissionsStage.VIEWED
    assert view_statement(viewed, on=d("2025-06-10")).viewed_on == d("2025-06-09")
    with pytest.raises(RuleViolationError) as early:
        view_statement(st_, on=d("2025-06-08"))
    assert early.value.rule_id == "R-INC-112"
    verified = confirm_statement(viewed, on=d("2025-06-10"), calendar=WEEKENDS)
    assert my_commissions_stage(verified) is MyCommissionsStage.VERIFIED
    invoiced = submit_commission_invoice(verified, invoice(verified, "2025-06-11"))
    assert my_commissions_stage(invoiced) is MyCommissionsStage.VERIFIED
    paid = pay_statement(invoiced, on=d("2025-06-25"), to_account=ALIPAY, calendar=WEEKENDS)
    assert my_commissions_stage(paid) is MyCommissionsStage.COLLECTED


@pytest.mark.rules("R-INC-112")
def test_my_commissions_presets_by_role() -> None:
    """DC-INC-40, DC-INC-29: monthly for agencies, quarterly for direct resellers and
    distributors; a quarter's statement is dated in the month after the quarter."""
    assert my_commissions_calendar(PartnerRole.AGENCY) is MY_COMMISSIONS_MONTHLY
    assert my_commissions_calendar(PartnerRole.DIRECT_RESELLER) is MY_COMMISSIONS_QUARTERLY
    assert my_commissions_calendar(PartnerRole.ALIBABA_DISTRIBUTOR) is MY_COMMISSIONS_QUARTERLY
    with pytest.raises(InvalidArgumentError) as info:
        my_commissions_calendar(PartnerRole.CSP)
    assert info.value.rule_id == "R-INC-112"
    m = MY_COMMISSIONS_QUARTERLY.milestones(Period.parse("2025Q2"), WEEKENDS)
    assert (m.statistics_on, m.confirm_by, m.pay_on) == (
        d("2025-07-07"), d("2025-07-10"), d("2025-07-25"),
    )  # fmt: skip
    quarterly = CommissionStatement(
        statement_id="Q", partner_id=PartnerId("dr"), period=Period.parse("2025Q2"),
        commission=Money.of("12500.00", "USD"), schedule=MY_COMMISSIONS_QUARTERLY,
        invoice_terms=None, payee_account="bank:dr",
    )  # fmt: skip
    assert issue_statement(quarterly, on=d("2025-07-07"), calendar=WEEKENDS).issued_on == d(
        "2025-07-07"
    )


# --- Huawei payout calendar and revenue visibility -------------------------------------------


@pytest.mark.rules("R-INC-48", "R-INC-52")
def test_huawei_payout_timeline_on_weekdays() -> None:
    """C7: invoice received Fri 7 June 2024: reviewed Tue 11 June (2nd working day after
    receipt), payment approval by Fri 14 June (3 working days), paid by Sun 7 July (30 days)."""
    t = payout_timeline(d("2024-06-07"), WEEKENDS)
    assert (t.review_on, t.review_complete_by, t.invoice_approved_on) == (
        d("2024-06-11"), d("2024-06-11"), d("2024-06-11"),
    )  # fmt: skip
    assert t.payment_approval_by == d("2024-06-14")
    assert t.payment_due_by == d("2024-07-07")
    assert not t.payment_overdue(d("2024-07-07"))
    assert t.payment_overdue(d("2024-07-08"))
    approved_late = payout_timeline(d("2024-06-07"), WEEKENDS, invoice_approved_on=d("2024-06-13"))
    assert approved_late.payment_approval_by == d("2024-06-18")
    assert approved_late.payment_due_by == d("2024-07-07")  # still 30 days from receipt
    with pytest.raises(InvalidArgumentError) as info:
        payout_timeline(d("2024-06-07"), WEEKENDS, invoice_approved_on=d("2024-06-06"))
    assert info.value.rule_id == "R-INC-52"


@pytest.mark.rules("R-INC-48", "R-INC-52")
def test_huawei_payout_timeline_across_national_day() -> None:
    """R-INC-52 with real data: received Tue 30 Sep 2025, the holiday runs to 8 Oct, so the review
    is Fri 10 Oct and payment approval Tue 14 Oct (Sat 11 Oct is worked); due Thu 30 Oct."""
    t = payout_timeline(d("2025-09-30"), CN)
    assert (t.review_on, t.payment_approval_by, t.payment_due_by) == (
        d("2025-10-10"), d("2025-10-14"), d("2025-10-30"),
    )  # fmt: skip


@pytest.mark.rules("R-INC-10")
def test_revenue_visibility() -> None:
    """R-INC-10, C3: lines the next working day; a month's revenue from the 6th of the next."""
    assert revenue_line_visible_on(d("2024-07-05"), WEEKENDS) == d("2024-07-08")
    assert revenue_line_visible_on(d("2024-07-08"), WEEKENDS) == d("2024-07-09")
    assert revenue_line_visible_on(d("2025-09-30"), CN) == d("2025-10-09")
    assert month_revenue_visible_from(Period.parse("2024M5")) == d("2024-06-06")
    assert month_revenue_visible_from(Period.parse("2024M12")) == d("2025-01-06")
    with pytest.raises(InvalidArgumentError):
        month_revenue_visible_from(Period.parse("2024Q2"))


@pytest.mark.rules("R-INC-11")
def test_revenue_period_status() -> None:
    """R-INC-11, 3.1: current month ESTIMATED; an ended unreviewed month DRAFT; reviewed FINAL."""
    as_of = d("2024-07-10")
    assert revenue_period_status(Period.parse("2024M7"), as_of=as_of, reviewed=False) is (
        RevenuePeriodStatus.ESTIMATED
    )
    assert revenue_period_status(Period.parse("2024M6"), as_of=as_of, reviewed=False) is (
        RevenuePeriodStatus.DRAFT
    )
    assert revenue_period_status(Period.parse("2024M6"), as_of=as_of, reviewed=True) is (
        RevenuePeriodStatus.FINAL
    )
    for month, reviewed in (("2024M8", False), ("2024M7", True)):
        with pytest.raises(InvalidArgumentError) as info:
            revenue_period_status(Period.parse(month), as_of=as_of, reviewed=reviewed)
        assert info.value.rule_id == "R-INC-11"
    with pytest.raises(InvalidArgumentError):
        revenue_period_status(Period.parse("2024M6"), as_of=as_of, reviewed="no")  # type: ignore[arg-type]


@pytest.mark.rules("R-INC-11")
def test_revenue_period_status_reads_instants_in_beijing_time() -> None:
    """C1: 30 June 2024 17:00 UTC is already 1 July in GMT+08:00, so June is no longer current."""
    late_june_utc = datetime(2024, 6, 30, 17, 0, tzinfo=UTC)
    assert revenue_period_status(Period.parse("2024M6"), as_of=late_june_utc, reviewed=False) is (
        RevenuePeriodStatus.DRAFT
    )
    assert revenue_period_status(Period.parse("2024M7"), as_of=late_june_utc, reviewed=False) is (
        RevenuePeriodStatus.ESTIMATED
    )
    with pytest.raises(InvalidArgumentError):
        revenue_period_status(Period.parse("2024M6"), as_of=datetime(2024, 7, 1), reviewed=False)  # noqa: DTZ001


@pytest.mark.rules("R-INC-35")
def test_earnings_display_latency_and_cutoff() -> None:
    """R-INC-35: shown 1 hour after generation; nothing generated before October 2018."""
    generated = datetime(2024, 7, 1, 9, 30, tzinfo=GMT_PLUS_8)
    assert earning_displayed_from(generated) == datetime(2024, 7, 1, 10, 30, tzinfo=GMT_PLUS_8)
    assert not earning_visible(generated, as_of=generated + timedelta(minutes=59, seconds=59))
    assert earning_visible(generated, as_of=generated + timedelta(hours=1))
    assert datetime(2018, 9, 30, 16, 0, tzinfo=UTC) == EARNINGS_DISPLAY_CUTOFF
    old = datetime(2018, 9, 30, 23, 59, 59, tzinfo=GMT_PLUS_8)
    assert earning_displayed_from(old) is None
    assert not earning_visible(old, as_of=datetime(2030, 1, 1, tzinfo=UTC))
    first = datetime(2018, 9, 30, 16, 0, tzinfo=UTC)  # 1 Oct 2018 00:00 in Beijing
    assert earning_displayed_from(first) == first + timedelta(hours=1)
    with pytest.raises(InvalidArgumentError):
        earning_displayed_from(datetime(2024, 7, 1, 9, 30))  # noqa: DTZ001


# --- ASC assessment, trial and reassignment (EX-INC-21) --------------------------------------


@pytest.mark.rules("R-INC-104")
def test_ex_inc_21_assessment_windows() -> None:
    """EX-INC-21: Thu 10 Apr 2025 assesses 2024-10-01..2025-03-31 and summarises
    2024-04-01..2025-03-31; Fri 10 Oct 2025 assesses 2025-04-01..2025-09-30."""
    april, october = asc_assessments(2025)
    assert (april.assessed_on, april.assessed_on.strftime("%a")) == (d("2025-04-10"), "Thu")
    assert (april.window_start, april.window_end) == (d("2024-10-01"), d("2025-03-31"))
    assert (april.summary_start, april.summary_end) == (d("2024-04-01"), d("2025-03-31"))
    assert (october.assessed_on, october.assessed_on.strftime("%a")) == (d("2025-10-10"), "Fri")
    assert (october.window_start, october.window_end) == (d("2025-04-01"), d("2025-09-30"))
    assert (october.summary_start, october.summary_end) == (None, None)
    assert april.covers(d("2025-03-31"))
    assert not april.covers(d("2025-04-01"))
    assert october.covers(d("2025-04-01"))
    leap = asc_assessments(2024)[0]
    assert (leap.window_start, leap.summary_start) == (d("2023-10-01"), d("2023-04-01"))


@pytest.mark.rules("R-INC-105")
def test_ex_inc_21_trial_and_cancellation() -> None:
    """EX-INC-21, DC-INC-27: joined 15 Feb 2025 -> trial until 14 May 2025; failing in it makes
    cancellation possible; failing on 15 May alone does not (that is for the assessment)."""
    trial = asc_trial(d("2025-02-15"))
    assert (trial.joined_on, trial.last_day, trial.ends_before) == (
        d("2025-02-15"), d("2025-05-14"), d("2025-05-15"),
    )  # fmt: skip
    assert trial.contains(d("2025-05-14"))
    assert not trial.contains(d("2025-05-15"))
    assert asc_trial(d("2024-11-30")).last_day == d("2025-02-27")  # month-end clamp
    join = d("2025-02-15")
    assert cancellation_possible(joined_on=join, failed_requirements_on=d("2025-05-14")).allowed
    after = cancellation_possible(joined_on=join, failed_requirements_on=d("2025-05-15"))
    assert after.codes == ("FAILED_AFTER_TRIAL",)
    assert after.reasons[0].rule_id == "R-INC-105"
    before = cancellation_possible(joined_on=join, failed_requirements_on=d("2025-02-14"))
    assert before.codes == ("FAILED_BEFORE_JOINING",)
    assert cancellation_possible(joined_on=join).codes == ("NO_GROUNDS",)
    assert cancellation_possible(joined_on=join, failed_assessment=True).allowed
    assert cancellation_possible(joined_on=join, breached_rules=True).allowed
    with pytest.raises(InvalidArgumentError):
        cancellation_possible(joined_on=join, breached_rules="yes")  # type: ignore[arg-type]


@pytest.mark.rules("R-INC-105")
def test_reassigned_customers_credit_the_new_asc_from_the_hand_over() -> None:
    """R-INC-105, DC-INC-27: the cancelled ASC's customers go to the new one; revenue from the
    hand-over date on is the new ASC's, earlier revenue stays with the old one."""
    old, new = PartnerId("asc-old"), PartnerId("asc-new")
    c1, c2, c3 = CustomerId("c1"), CustomerId("c2"), CustomerId("c3")
    moved = reassign_customers({c1: old, c2: old, c3: PartnerId("asc-other")},
                               cancelled=old, successor=new,
                               handed_over_on=d("2025-06-01"))  # fmt: skip
    assert moved.customer_ids == frozenset({c1, c2})
    assert moved.credited_centre(c1, d("2025-05-31")) == old
    assert moved.credited_centre(c1, d("2025-06-01")) == new
    assert moved.credited_centre(c3, d("2025-06-01")) is None
    with pytest.raises(InvalidArgumentError) as info:
        reassign_customers({c1: old}, cancelled=old, successor=old, handed_over_on=d("2025-06-01"))
    assert info.value.rule_id == "R-INC-105"


# --- ASC bid score (EX-INC-22) ---------------------------------------------------------------


def scores(market: int, team: int, operations: int, plan: int) -> BidScores:
    return BidScores(
        market_and_service=Decimal(market), team=Decimal(team),
        company_operations=Decimal(operations), plan_and_implementation=Decimal(plan),
    )  # fmt: skip


@pytest.mark.rules("R-INC-106")
def test_ex_inc_22_bid_score() -> None:
    """EX-INC-22: 0.30*80 + 0.20*70 + 0.10*90 + 0.40*60 = 24 + 14 + 9 + 24 = 71.0, exactly."""
    result = asc_bid_score(scores(80, 70, 90, 60))
    assert isinstance(result, Decimal)
    assert result == Decimal("71.0")
    assert (
        ASC_BID_WEIGHTS.market_and_service, ASC_BID_WEIGHTS.team,
        ASC_BID_WEIGHTS.company_operations, ASC_BID_WEIGHTS.plan_and_implementation,
    ) == (Decimal("0.30"), Decimal("0.20"), Decimal("0.10"), Decimal("0.40"))  # fmt: skip


@pytest.mark.rules("R-INC-106")
def test_bid_weights_must_sum_to_one() -> None:
    """R-INC-106, CF-21: weights are validated to sum to exactly 1; scores are 0..100."""
    with pytest.raises(InvalidArgumentError) as info:
        BidWeights(plan_and_implementation=Decimal("0.30"))
    assert info.value.rule_id == "R-INC-106"
    with pytest.raises(InvalidArgumentError):
        BidWeights(team=0.2)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError):
        scores(101, 70, 90, 60)
    custom = BidWeights(market_and_service=Decimal("0.25"), team=Decimal("0.25"),
                        company_operations=Decimal("0.25"),
                        plan_and_implementation=Decimal("0.25"))  # fmt: skip
    assert asc_bid_score(scores(80, 70, 90, 60), custom) == Decimal("75")
    with pytest.raises(InvalidArgumentError):
        asc_bid_score({"team": Decimal(1)})  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError):
        asc_bid_score(scores(1, 1, 1, 1), {"team": Decimal(1)})  # type: ignore[arg-type]


score_values = st.integers(0, 100).map(Decimal)


@pytest.mark.rules("R-INC-106")
@given(a=score_values, b=score_values, c=score_values, e=score_values)
def test_bid_score_agrees_with_the_eligibility_catalogue(
    a: Decimal, b: Decimal, c: Decimal, e: Decimal
) -> None:
    """Property, R-INC-106 / R-ELIG-132: same weights, same score; bounded by the sub-scores."""
    ours = asc_bid_score(BidScores(market_and_service=a, team=b, company_operations=c,
                                   plan_and_implementation=e))  # fmt: skip
    theirs = alibaba.bid_score({"market_and_service": a, "team": b, "operations": c,
                                "project_plan": e})  # fmt: skip
    assert ours == theirs
    assert min(a, b, c, e) <= ours <= max(a, b, c, e)


# --- Lead routing (EX-INC-29) ----------------------------------------------------------------


def lead(city: str = "Chengdu", province: str = "Sichuan", **changes: Any) -> Lead:
    return attrs.evolve(
        Lead(lead_id="L-1", city=city, province=province, registered_on=d("2025-03-01")),
        **changes,
    )


@pytest.mark.rules("R-INC-108")
def test_ex_inc_29_chengdu_lead_goes_to_the_asc_and_flows_back() -> None:
    """EX-INC-29, DC-INC-28: registered 1 Mar, no consumption: eligible 8 Mar; flows in once the
    customer confirms; 60 days after the hand-over without consumption it flows back."""
    fresh = lead()
    early = route_lead(fresh, as_of=d("2025-03-07"))
    assert (early.route, early.handover_due_on) == (LeadRoute.OFFICIAL_SITE, d("2025-03-08"))
    assert route_lead(fresh, as_of=d("2025-03-08")).route is LeadRoute.AWAITING_CONFIRMATION
    assert may_hand_over_to_asc(fresh, as_of=d("2025-03-08")).codes == ("NOT_CONFIRMED",)
    early_decision = may_hand_over_to_asc(fresh, as_of=d("2025-03-07"))
    assert early_decision.codes == ("TOO_EARLY", "NOT_CONFIRMED")
    assert early_decision.reasons[0].fields["due"] == d("2025-03-08")
    confirmed = lead(confirmed_on=d("2025-03-08"))
    assert may_hand_over_to_asc(confirmed, as_of=d("2025-03-08")).allowed
    at_asc = route_lead(confirmed, as_of=d("2025-03-08"))
    assert (at_asc.route, at_asc.handed_over_on, at_asc.flowback_on) == (
        LeadRoute.ASC, d("2025-03-08"), d("2025-05-07"),
    )  # fmt: skip
    assert route_lead(confirmed, as_of=d("2025-05-06")).route is LeadRoute.ASC
    assert route_lead(confirmed, as_of=d("2025-05-07")).route is LeadRoute.FLOWED_BACK
    buying = lead(confirmed_on=d("2025-03-08"), first_consumption_on=d("2025-04-01"))
    assert route_lead(buying, as_of=d("2025-05-07")).route is LeadRoute.ASC


@pytest.mark.rules("R-INC-108")
def test_ex_inc_29_hangzhou_goes_to_telesales_and_consumers_stay() -> None:
    """EX-INC-29: a Hangzhou customer goes to telesales; Zhejiang outside Hangzhou is excluded
    from the ASC; a lead that consumed within 7 days is never handed over."""
    hangzhou = lead("Hangzhou", "Zhejiang", confirmed_on=d("2025-03-08"))
    assert route_lead(hangzhou, as_of=d("2025-03-08")).route is LeadRoute.TELESALES
    assert may_hand_over_to_asc(hangzhou, as_of=d("2025-03-08")).codes == ("REGION_EXCLUDED",)
    ningbo = lead("Ningbo", "Zhejiang", confirmed_on=d("2025-03-08"))
    assert route_lead(ningbo, as_of=d("2025-03-08")).route is LeadRoute.OFFICIAL_SITE
    assert route_lead(lead("beijing", "BEIJING"), as_of=d("2025-03-08")).route is (
        LeadRoute.TELESALES
    )
    consumed = lead(first_consumption_on=d("2025-03-05"), confirmed_on=d("2025-03-08"))
    assert route_lead(consumed, as_of=d("2025-03-20")).route is LeadRoute.OFFICIAL_SITE
    assert may_hand_over_to_asc(consumed, as_of=d("2025-03-20")).codes == ("CONSUMED",)


@pytest.mark.rules("R-INC-108")
def test_lead_routing_policy_switches() -> None:
    """DC-INC-28: no confirmation needed -> hand-over on day 7; the "cloud products only"
    flow-back clause is off by default and configurable."""
    direct = LeadRoutingPolicy(requires_customer_confirmation=False)
    routed = route_lead(lead(), as_of=d("2025-03-08"), policy=direct)
    assert (routed.route, routed.handed_over_on) == (LeadRoute.ASC, d("2025-03-08"))
    assert may_hand_over_to_asc(lead(), as_of=d("2025-03-08"), policy=direct).allowed
    cloud = lead(confirmed_on=d("2025-03-10"), first_consumption_on=d("2025-04-01"),
                 cloud_product_only=True)  # fmt: skip
    assert route_lead(cloud, as_of=d("2025-05-09")).route is LeadRoute.ASC
    strict = LeadRoutingPolicy(flowback_on_cloud_product_only=True)
    back = route_lead(cloud, as_of=d("2025-05-09"), policy=strict)
    assert (back.route, back.flowback_on) == (LeadRoute.FLOWED_BACK, d("2025-05-09"))
    assert ASC_LEAD_ROUTING.excluded_regions == frozenset(
        {"beijing", "shanghai", "guangzhou", "shenzhen", "zhejiang"}
    )
    with pytest.raises(InvalidArgumentError):
        LeadRoutingPolicy(excluded_regions="Beijing")
    with pytest.raises(InvalidArgumentError):
        LeadRoutingPolicy(telesales_regions={"Beijing", ""})
    with pytest.raises(InvalidArgumentError):
        LeadRoutingPolicy(flowback_after_days=0)


# --- Customer statements (R-INC-113) ---------------------------------------------------------


@pytest.mark.rules("R-INC-113", "R-INC-18")
def test_customer_statements_cover_the_past_six_months() -> None:
    """R-INC-113: direct resellers and distributors see 6 months of customer statements; an
    agency sees no customer bills (R-INC-18, billing R-BILL-25)."""
    as_of = d("2025-03-15")
    assert [str(p) for p in customer_statement_months(as_of)] == [
        "2024M10", "2024M11", "2024M12", "2025M1", "2025M2", "2025M3",
    ]  # fmt: skip
    dr = PartnerRole.DIRECT_RESELLER
    assert may_view_customer_statement(dr, Period.parse("2024M10"), as_of=as_of).allowed
    assert may_view_customer_statement(
        PartnerRole.ALIBABA_DISTRIBUTOR, Period.parse("2025M3"), as_of=as_of
    ).allowed
    old = may_view_customer_statement(dr, Period.parse("2024M9"), as_of=as_of)
    assert old.codes == ("OUTSIDE_STATEMENT_WINDOW",)
    assert old.reasons[0].rule_id == "R-INC-113"
    assert may_view_customer_statement(dr, Period.parse("2025M4"), as_of=as_of).codes == (
        "OUTSIDE_STATEMENT_WINDOW",
    )
    agency = may_view_customer_statement(PartnerRole.AGENCY, Period.parse("2025M3"), as_of=as_of)
    assert agency.codes == ("AGENCY_NO_END_USER_BILLS",)
    csp = may_view_customer_statement(PartnerRole.CSP, Period.parse("2025M3"), as_of=as_of)
    assert csp.codes == ("ROLE_HAS_NO_CUSTOMER_STATEMENTS",)
    utc_evening = datetime(2025, 3, 31, 17, 0, tzinfo=UTC)  # 1 April in Beijing
    assert str(customer_statement_months(utc_evening)[-1]) == "2025M4"
