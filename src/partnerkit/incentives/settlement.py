"""Settlement calendars and commission statements (incentives.md 2.3, 2.6, 3.1, 3.4-3.5, 3.10-3.13).

A :class:`StatementCalendar` is the generic monthly statement cycle of
DC-INC-17: statistics on the 7th of the following month, confirmation by the
10th, the invoice by the 15th and payment on the 25th, every date postponed
when it falls on a non-working day (R-INC-98..103, C22), with deemed
acceptance 3 working days after the email reminder (R-INC-100, C23) and the
DC-INC-16 invoice-deadline extension.  :class:`CommissionStatement` walks the
Alibaba service-centre (ASC) lifecycle of section 3.11 through pure
transition functions (:func:`issue_statement`, :func:`confirm_statement`,
:func:`dispute_statement`, :func:`restate_statement`, :func:`deem_accepted`,
:func:`submit_commission_invoice`, :func:`pay_statement`); each returns a new value or
raises :class:`~partnerkit.errors.RuleViolationError` naming the rule.
Alibaba "My Commissions" (view, verify, collect) maps onto the same cycle
(R-INC-112, DC-INC-40).

The module also dates Huawei payouts from the invoice receipt (R-INC-48,
R-INC-52, C7), revenue visibility and status (R-INC-10, R-INC-11, C3),
earnings display latency (R-INC-35), and the ASC half-yearly assessment,
trial, customer reassignment, bid score and lead routing (R-INC-104..108).

Every date is a calendar day (GMT+08:00, C1); "today" is always an argument.

>>> from datetime import date
>>> from partnerkit.calendars import WEEKENDS
>>> m = ASC_STATEMENT_CALENDAR.milestones(Period.parse("2025M5"), WEEKENDS)
>>> m.statistics_on, m.confirm_by, m.deemed_accepted_on, m.invoice_by, m.pay_on
... # doctest: +NORMALIZE_WHITESPACE
(datetime.date(2025, 6, 9), datetime.date(2025, 6, 10), datetime.date(2025, 6, 12),
 datetime.date(2025, 6, 16), datetime.date(2025, 6, 25))
"""

from __future__ import annotations

import decimal
import enum
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Final, final

import attrs

import partnerkit._validators as _v
from partnerkit._construct import checked
from partnerkit.billing.channel import SERVICE_CENTRE_COMMISSION, may_view_end_user_bills
from partnerkit.calendars import DayOfMonth, Roll, WorkingCalendar, add_working_days
from partnerkit.decisions import Decision, Reason
from partnerkit.eligibility.catalogs.alibaba import assessments, transfer_customers, trial_ends
from partnerkit.errors import InvalidArgumentError, RuleViolationError
from partnerkit.ids import CustomerId, PartnerId
from partnerkit.money import Money
from partnerkit.partners import PartnerRole
from partnerkit.periods import GMT_PLUS_8, Period, PeriodKind, require_aware

__all__ = [
    "ASC_BID_WEIGHTS",
    "ASC_INVOICE_TERMS",
    "ASC_LEAD_ROUTING",
    "ASC_STATEMENT_CALENDAR",
    "EARNINGS_DISPLAY_CUTOFF",
    "MY_COMMISSIONS_MONTHLY",
    "MY_COMMISSIONS_QUARTERLY",
    "AcceptedBy",
    "AscAssessment",
    "AscTrial",
    "BidScores",
    "BidWeights",
    "CommissionInvoice",
    "CommissionStatement",
    "CustomerReassignment",
    "InvoiceTerms",
    "Lead",
    "LeadRoute",
    "LeadRouting",
    "LeadRoutingPolicy",
    "MyCommissionsStage",
    "Notice",
    "PayoutTimeline",
    "RevenuePeriodStatus",
    "StatementCalendar",
    "StatementMilestones",
    "StatementStatus",
    "asc_assessments",
    "asc_bid_score",
    "asc_trial",
    "cancellation_possible",
    "confirm_statement",
    "customer_statement_months",
    "deem_accepted",
    "dispute_statement",
    "earning_displayed_from",
    "earning_visible",
    "issue_statement",
    "may_hand_over_to_asc",
    "may_view_customer_statement",
    "month_revenue_visible_from",
    "my_commissions_calendar",
    "my_commissions_stage",
    "pay_statement",
    "payout_timeline",
    "reassign_customers",
    "remind_statement",
    "restate_statement",
    "revenue_line_visible_on",
    "revenue_period_status",
    "route_lead",
    "submit_commission_invoice",
    "view_statement",
]

_EXACT: Final = decimal.Context(
    prec=60,
    Emin=-999_999,
    Emax=999_999,
    traps=[decimal.Inexact, decimal.InvalidOperation, decimal.Overflow],
)
_ZERO: Final = Decimal(0)
_ONE: Final = Decimal(1)
_HUNDRED: Final = Decimal(100)


# --- helpers


def _day(value: object, argument: str) -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidArgumentError(argument, value, "expected a calendar date")
    return value


def _optional_day(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _day(value, attribute.name)


def _required_day(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    _day(value, attribute.name)


def _local_day(value: object, argument: str) -> date:
    """A date as given, or an aware instant's calendar day in GMT+08:00 (C1)."""
    if isinstance(value, datetime):
        return require_aware(value, argument=argument).astimezone(GMT_PLUS_8).date()
    return _day(value, argument)


def _int_in(low: int, high: int | None = None) -> Any:
    def check(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidArgumentError(attribute.name, value, "expected an int")
        if value < low or (high is not None and value > high):
            upper = f"..{high}" if high is not None else " or more"
            raise InvalidArgumentError(attribute.name, value, f"expected {low}{upper}")

    return check


def _bool(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, bool):
        raise InvalidArgumentError(attribute.name, value, "expected True or False")


def _month_after(period: Period, months_after: int) -> Period:
    return period.months()[-1].shift(months_after)


# --- statement calendar


@final
@attrs.frozen(kw_only=True)
class StatementMilestones:
    """The dated milestones of one statement period (DC-INC-17, EX-INC-20).

    Attributes:
        period: The performance period the statement covers.
        statistics_on: Statistics day; the statement and the email reminder go out (R-INC-98).
        confirm_by: Confirmation deadline (R-INC-99).
        reminder_on: The reminder the deemed acceptance counts from.
        deemed_accepted_on: Silence until the end of this day is acceptance (R-INC-100).
        invoice_by: Invoice deadline, extended per DC-INC-16 when switched on (R-INC-101).
        pay_on: Payment day (R-INC-102).
    """

    period: Period
    statistics_on: date
    confirm_by: date
    reminder_on: date
    deemed_accepted_on: date
    invoice_by: date
    pay_on: date

    def ordered(self) -> tuple[tuple[str, date], ...]:
        """``(name, date)`` pairs in cycle order.

        >>> from partnerkit.calendars import WEEKENDS
        >>> [n for n, _ in ASC_STATEMENT_CALENDAR.milestones(Period.parse("2025M4"),
        ...                                                   WEEKENDS).ordered()]
        ['statistics', 'confirm_by', 'deemed_acceptance', 'invoice_by', 'pay']
        """
        return (
            ("statistics", self.statistics_on),
            ("confirm_by", self.confirm_by),
            ("deemed_acceptance", self.deemed_accepted_on),
            ("invoice_by", self.invoice_by),
            ("pay", self.pay_on),
        )


def _check_days_order(instance: StatementCalendar) -> None:
    days = (
        instance.statistics_day,
        instance.confirm_by_day,
        instance.invoice_by_day,
        instance.pay_day,
    )
    if list(days) != sorted(days):
        raise InvalidArgumentError(
            "statement days",
            days,
            "statistics <= confirm <= invoice <= pay day of the month",
            rule_id="DC-INC-17",
        )


@checked
@final
@attrs.frozen(kw_only=True)
class StatementCalendar:
    """A statement cycle as policy data (DC-INC-17, DC-INC-16, DC-INC-40).

    Attributes:
        statistics_day: Day of month M+1 the statement for M is compiled (R-INC-98).
        confirm_by_day: Confirmation deadline day (R-INC-99).
        invoice_by_day: Invoice deadline day (R-INC-101).
        pay_day: Payment day (R-INC-102).
        deemed_accept_working_days: Working days of silence after the reminder
            that count as acceptance (R-INC-100, C23).
        roll: What a milestone on a non-working day does; postponed by
            default (R-INC-103, ``遇节假日顺延``).
        extend_invoice_deadline: DC-INC-16: when acceptance comes later than
            ``invoice_after_acceptance_working_days`` working days before the
            invoice day, the deadline moves to acceptance plus that many
            working days.
        invoice_after_acceptance_working_days: See above; default 2.
        period_kind: The statement period (monthly for the ASC and agencies,
            quarterly for Alibaba resellers and distributors, DC-INC-40).
        months_after: How many months after the period's last month the
            milestones fall; default 1.

    >>> StatementCalendar(confirm_by_day=5)
    Traceback (most recent call last):
    ...
    partnerkit.errors.InvalidArgumentError: invalid statement days=(7, 5, 15, 25): statistics <= confirm <= invoice <= pay day of the month [DC-INC-17]
    """  # noqa: E501

    statistics_day: int = attrs.field(default=7, validator=_int_in(1, 31))
    confirm_by_day: int = attrs.field(default=10, validator=_int_in(1, 31))
    invoice_by_day: int = attrs.field(default=15, validator=_int_in(1, 31))
    pay_day: int = attrs.field(default=25, validator=_int_in(1, 31))
    deemed_accept_working_days: int = attrs.field(default=3, validator=_int_in(1, 60))
    roll: Roll = attrs.field(default=Roll.FOLLOWING, validator=attrs.validators.instance_of(Roll))
    extend_invoice_deadline: bool = attrs.field(default=True, validator=_bool)
    invoice_after_acceptance_working_days: int = attrs.field(default=2, validator=_int_in(0, 60))
    period_kind: PeriodKind = attrs.field(
        default=PeriodKind.MONTH, validator=attrs.validators.instance_of(PeriodKind)
    )
    months_after: int = attrs.field(default=1, validator=_int_in(1, 12))

    def __attrs_post_init__(self) -> None:
        _check_days_order(self)

    def _on(self, day: int, period: Period, calendar: WorkingCalendar) -> date:
        month = _month_after(period, self.months_after)
        return DayOfMonth(day, self.roll).date_in(month.year, month.index, calendar)

    def _check_period(self, period: object) -> Period:
        if not isinstance(period, Period) or period.kind is not self.period_kind:
            raise InvalidArgumentError(
                "period", period, f"expected a {self.period_kind.name.lower()} Period"
            )
        return period

    def deemed_acceptance_on(self, reminder_on: date, calendar: WorkingCalendar) -> date:
        """The day at whose end silence after ``reminder_on`` is acceptance (R-INC-100, DC-INC-15).

        >>> from partnerkit.calendars import WEEKENDS
        >>> ASC_STATEMENT_CALENDAR.deemed_acceptance_on(date(2025, 6, 9), WEEKENDS)
        datetime.date(2025, 6, 12)
        """
        return add_working_days(
            calendar, _day(reminder_on, "reminder_on"), self.deemed_accept_working_days
        )

    def invoice_deadline(
        self, period: Period, calendar: WorkingCalendar, *, accepted_on: date | None = None
    ) -> date:
        """The invoice deadline, moved past a late acceptance when switched on (R-INC-101, DC-INC-16).

        >>> from partnerkit.calendars import WEEKENDS
        >>> may = Period.parse("2025M5")
        >>> ASC_STATEMENT_CALENDAR.invoice_deadline(may, WEEKENDS)
        datetime.date(2025, 6, 16)
        >>> ASC_STATEMENT_CALENDAR.invoice_deadline(may, WEEKENDS, accepted_on=date(2025, 6, 13))
        datetime.date(2025, 6, 17)
        """  # noqa: E501
        nominal = self._on(self.invoice_by_day, self._check_period(period), calendar)
        if accepted_on is None or not self.extend_invoice_deadline:
            return nominal
        extended = add_working_days(
            calendar, _day(accepted_on, "accepted_on"), self.invoice_after_acceptance_working_days
        )
        return max(nominal, extended)

    def milestones(
        self, period: Period, calendar: WorkingCalendar, *, reminder_on: date | None = None
    ) -> StatementMilestones:
        """The dated milestones of ``period`` on ``calendar`` (DC-INC-17, R-INC-98..103).

        The reminder defaults to the statistics day (the statement goes out
        as a system message and an email that day); the invoice deadline
        assumes acceptance no later than the deemed-acceptance day.

        >>> from partnerkit.calendars import WEEKENDS
        >>> m = ASC_STATEMENT_CALENDAR.milestones(Period.parse("2025M4"), WEEKENDS)
        >>> m.statistics_on, m.confirm_by, m.invoice_by, m.pay_on
        ... # doctest: +NORMALIZE_WHITESPACE
        (datetime.date(2025, 5, 7), datetime.date(2025, 5, 12), datetime.date(2025, 5, 15),
         datetime.date(2025, 5, 26))
        """
        checked = self._check_period(period)
        statistics = self._on(self.statistics_day, checked, calendar)
        reminder = statistics if reminder_on is None else _day(reminder_on, "reminder_on")
        if reminder < statistics:
            raise InvalidArgumentError(
                "reminder_on",
                reminder,
                f"before the statistics day {statistics}",
                rule_id="R-INC-98",
            )
        deemed = self.deemed_acceptance_on(reminder, calendar)
        return StatementMilestones(
            period=checked,
            statistics_on=statistics,
            confirm_by=self._on(self.confirm_by_day, checked, calendar),
            reminder_on=reminder,
            deemed_accepted_on=deemed,
            invoice_by=self.invoice_deadline(checked, calendar, accepted_on=deemed),
            pay_on=self._on(self.pay_day, checked, calendar),
        )


#: The ASC cycle of seed 004 (C22, C23), built on billing's service-centre terms (R-BILL-84).
ASC_STATEMENT_CALENDAR: Final = StatementCalendar(
    statistics_day=SERVICE_CENTRE_COMMISSION.statistics_day,
    confirm_by_day=SERVICE_CENTRE_COMMISSION.confirm_by_day,
    invoice_by_day=SERVICE_CENTRE_COMMISSION.invoice_before_day,
    pay_day=SERVICE_CENTRE_COMMISSION.payment_day,
    deemed_accept_working_days=SERVICE_CENTRE_COMMISSION.silence_working_days,
)
#: Alibaba "My Commissions" for agencies: monthly (DC-INC-29, DC-INC-40); ASC days by default.
MY_COMMISSIONS_MONTHLY: Final = ASC_STATEMENT_CALENDAR
#: Alibaba "My Commissions" for direct resellers and distributors: quarterly (DC-INC-40).
MY_COMMISSIONS_QUARTERLY: Final = attrs.evolve(
    ASC_STATEMENT_CALENDAR, period_kind=PeriodKind.QUARTER
)


def my_commissions_calendar(role: PartnerRole) -> StatementCalendar:
    """The "My Commissions" cycle of an Alibaba role (R-INC-112, DC-INC-40).

    >>> my_commissions_calendar(PartnerRole.DIRECT_RESELLER).period_kind
    <PeriodKind.QUARTER: 'Q'>
    """
    if role is PartnerRole.AGENCY:
        return MY_COMMISSIONS_MONTHLY
    if role in (PartnerRole.DIRECT_RESELLER, PartnerRole.ALIBABA_DISTRIBUTOR):
        return MY_COMMISSIONS_QUARTERLY
    raise InvalidArgumentError(
        "role", role, "an Alibaba agency, direct reseller or distributor", rule_id="R-INC-112"
    )


# --- statement lifecycle


class StatementStatus(enum.Enum):
    """States of the statement cycle (3.11)."""

    ACCRUING = "accruing"
    ISSUED = "issued"
    DISPUTED = "disputed"
    ACCEPTED = "accepted"
    INVOICED = "invoiced"
    PAID = "paid"


class AcceptedBy(enum.Enum):
    """How a statement was accepted: by the partner, or by silence (R-INC-99, R-INC-100)."""

    PARTNER = "partner"
    DEEMED = "deemed"


class Notice(enum.Enum):
    """How an issued statement is sent (R-INC-98)."""

    SYSTEM_MESSAGE = "system-message"
    EMAIL = "email"


@final
@attrs.frozen(kw_only=True)
class InvoiceTerms:
    """What the partner's commission invoice must say (R-INC-101)."""

    title: str = attrs.field(validator=_v.text)
    service_content: str = attrs.field(validator=_v.text)


#: Title 阿里云计算有限公司 (Alibaba Cloud Computing Co., Ltd.), content 网络服务费 (R-INC-101).
ASC_INVOICE_TERMS: Final = InvoiceTerms(title="阿里云计算有限公司", service_content="网络服务费")


@final
@attrs.frozen(kw_only=True)
class CommissionInvoice:
    """The invoice a partner sends for an accepted statement (R-INC-101, R-INC-102).

    Attributes:
        invoice_no: The invoice number.
        amount: The invoiced amount.
        title: The buyer title on the invoice.
        service_content: The service content line.
        received_on: When the vendor received it.
        valid: Whether the vendor found it legal and valid (R-INC-102).
    """

    invoice_no: str = attrs.field(validator=_v.text)
    amount: Money = attrs.field(validator=_v.money)
    title: str = attrs.field(validator=_v.text)
    service_content: str = attrs.field(validator=_v.text)
    received_on: date = attrs.field(validator=_required_day)
    valid: bool = attrs.field(default=True, validator=_bool)


def _non_negative(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    _v.money(instance, attribute, value)
    if value.is_negative():
        raise InvalidArgumentError(attribute.name, value, "a commission >= 0", rule_id="R-INC-16")


@checked
@final
@attrs.frozen(kw_only=True)
class CommissionStatement:
    """One period's commission statement and where it stands (1.15, 3.11).

    Build it ACCRUING and move it with the transition functions; nothing
    mutates it.

    Attributes:
        statement_id: The statement's id.
        partner_id: The partner (service centre, agency ...).
        period: The performance period (a natural month for the ASC).
        commission: The commission to invoice and pay.
        schedule: The cycle's calendar policy.
        invoice_terms: What the invoice must say; ``None`` checks only the amount.
        payee_account: The bound Alipay account payment goes to (R-INC-102).
        status: Where it stands.
        revision: 0, then +1 per restatement after a dispute.
        issued_on: When it was (last) issued.
        reminded_on: The latest email reminder.
        notices: How it was sent.
        viewed_on: When the partner first viewed it (R-INC-112).
        accepted_on: Confirmation day, or the deemed-acceptance day.
        accepted_by: Confirmed by the partner or deemed.
        disputed_on: When the open dispute was raised.
        dispute_reason: The open dispute's reason.
        invoice: The invoice, once submitted.
        paid_on: Payment day.
        paid_to: The account paid.
    """

    statement_id: str = attrs.field(validator=_v.text)
    partner_id: PartnerId = attrs.field(validator=_v.text)
    period: Period = attrs.field(validator=attrs.validators.instance_of(Period))
    commission: Money = attrs.field(validator=_non_negative)
    schedule: StatementCalendar = attrs.field(
        default=ASC_STATEMENT_CALENDAR, validator=attrs.validators.instance_of(StatementCalendar)
    )
    invoice_terms: InvoiceTerms | None = ASC_INVOICE_TERMS
    payee_account: str | None = attrs.field(default=None, validator=_v.optional_text)
    status: StatementStatus = StatementStatus.ACCRUING
    revision: int = attrs.field(default=0, validator=_int_in(0))
    issued_on: date | None = attrs.field(default=None, validator=_optional_day)
    reminded_on: date | None = attrs.field(default=None, validator=_optional_day)
    notices: tuple[Notice, ...] = ()
    viewed_on: date | None = attrs.field(default=None, validator=_optional_day)
    accepted_on: date | None = attrs.field(default=None, validator=_optional_day)
    accepted_by: AcceptedBy | None = None
    disputed_on: date | None = attrs.field(default=None, validator=_optional_day)
    dispute_reason: str | None = attrs.field(default=None, validator=_v.optional_text)
    invoice: CommissionInvoice | None = None
    paid_on: date | None = attrs.field(default=None, validator=_optional_day)
    paid_to: str | None = attrs.field(default=None, validator=_v.optional_text)

    def __attrs_post_init__(self) -> None:
        if self.period.kind is not self.schedule.period_kind:
            raise InvalidArgumentError(
                "period",
                self.period,
                f"the schedule runs on {self.schedule.period_kind.name.lower()} periods",
                rule_id="DC-INC-40",
            )

    def milestones(self, calendar: WorkingCalendar) -> StatementMilestones:
        """The cycle's dates, counting deemed acceptance from the latest reminder."""
        return self.schedule.milestones(self.period, calendar, reminder_on=self.reminded_on)

    def invoice_due_on(self, calendar: WorkingCalendar) -> date:
        """The invoice deadline given the actual acceptance day (R-INC-101, DC-INC-16)."""
        return self.schedule.invoice_deadline(self.period, calendar, accepted_on=self.accepted_on)

    def invoice_late(self, calendar: WorkingCalendar) -> bool:
        """Whether the invoice arrived after its deadline (payment is then withheld)."""
        if self.invoice is None:
            return False
        return self.invoice.received_on > self.invoice_due_on(calendar)

    def payment_due_on(self, calendar: WorkingCalendar) -> date:
        """The pay day: the period's, or the next cycle's for a late invoice (R-INC-102).

        A late invoice withholds payment (R-INC-101, "payment withheld") to
        the next cycle's pay day; that carry-over is a library design choice.
        """
        months_after = self.schedule.months_after + (1 if self.invoice_late(calendar) else 0)
        month = _month_after(self.period, months_after)
        return DayOfMonth(self.schedule.pay_day, self.schedule.roll).date_in(
            month.year, month.index, calendar
        )


def _illegal(
    statement: CommissionStatement, event: str, rule_id: str, allowed: Iterable[StatementStatus]
) -> RuleViolationError:
    expected = sorted(s.value for s in allowed)
    return RuleViolationError(
        rule_id,
        f"cannot {event} a statement that is {statement.status.value} (expected {expected})",
        fields={
            "statement_id": statement.statement_id,
            "status": statement.status.value,
            "event": event,
        },
    )


def _require(
    statement: CommissionStatement, event: str, rule_id: str, *allowed: StatementStatus
) -> None:
    if statement.status not in allowed:
        raise _illegal(statement, event, rule_id, allowed)


def _not_before(
    statement: CommissionStatement, on: date, earliest: date | None, what: str, rule_id: str
) -> None:
    if earliest is not None and on < earliest:
        raise RuleViolationError(
            rule_id,
            f"{on} is before {what} {earliest}",
            fields={"statement_id": statement.statement_id, "on": on, what: earliest},
        )


def issue_statement(
    statement: CommissionStatement, *, on: date, calendar: WorkingCalendar
) -> CommissionStatement:
    """ACCRUING -> ISSUED on or after the (postponed) statistics day (R-INC-98, R-INC-103).

    The statement goes out as a system message and an email; the email is
    the reminder the deemed acceptance counts from (R-INC-100).
    """
    day = _day(on, "on")
    _require(statement, "issue", "R-INC-98", StatementStatus.ACCRUING)
    statistics = statement.schedule.milestones(statement.period, calendar).statistics_on
    _not_before(statement, day, statistics, "statistics day", "R-INC-98")
    return attrs.evolve(
        statement,
        status=StatementStatus.ISSUED,
        issued_on=day,
        reminded_on=day,
        notices=(Notice.SYSTEM_MESSAGE, Notice.EMAIL),
    )


def remind_statement(statement: CommissionStatement, *, on: date) -> CommissionStatement:
    """Send another email reminder; deemed acceptance then counts from it (R-INC-100)."""
    day = _day(on, "on")
    _require(statement, "remind", "R-INC-100", StatementStatus.ISSUED)
    _not_before(statement, day, statement.reminded_on, "the last reminder", "R-INC-100")
    return attrs.evolve(statement, reminded_on=day)


def view_statement(statement: CommissionStatement, *, on: date) -> CommissionStatement:
    """The partner views an issued statement ("My Commissions: view", R-INC-112).

    Only the first view is recorded; viewing changes no status.
    """
    day = _day(on, "on")
    visible = tuple(s for s in StatementStatus if s is not StatementStatus.ACCRUING)
    _require(statement, "view", "R-INC-112", *visible)
    _not_before(statement, day, statement.issued_on, "the issue day", "R-INC-112")
    if statement.viewed_on is not None:
        return statement
    return attrs.evolve(statement, viewed_on=day)


def _deemed_day(statement: CommissionStatement, calendar: WorkingCalendar) -> date:
    if statement.reminded_on is None:  # pragma: no cover - ISSUED always has a reminder
        raise InvalidArgumentError("statement", statement, "an issued statement has a reminder")
    return statement.schedule.deemed_acceptance_on(statement.reminded_on, calendar)


def _before_deemed(
    statement: CommissionStatement, day: date, calendar: WorkingCalendar, event: str
) -> None:
    deemed = _deemed_day(statement, calendar)
    if day > deemed:
        raise RuleViolationError(
            "R-INC-100",
            f"cannot {event} on {day}: the statement was deemed accepted at the end of {deemed}",
            fields={"statement_id": statement.statement_id, "deemed_accepted_on": deemed},
        )


def confirm_statement(
    statement: CommissionStatement, *, on: date, calendar: WorkingCalendar
) -> CommissionStatement:
    """ISSUED -> ACCEPTED: the partner confirms ("verify", R-INC-99, R-INC-112).

    Confirming after the (postponed) 10th is still a confirmation as long as
    the statement has not been deemed accepted (DC-INC-16).
    """
    day = _day(on, "on")
    _require(statement, "confirm", "R-INC-99", StatementStatus.ISSUED)
    _not_before(statement, day, statement.issued_on, "the issue day", "R-INC-99")
    _before_deemed(statement, day, calendar, "confirm")
    return attrs.evolve(
        statement, status=StatementStatus.ACCEPTED, accepted_on=day, accepted_by=AcceptedBy.PARTNER
    )


def dispute_statement(
    statement: CommissionStatement, *, on: date, reason: str, calendar: WorkingCalendar
) -> CommissionStatement:
    """ISSUED -> DISPUTED: an objection to performance or commission before acceptance (3.11)."""
    day = _day(on, "on")
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidArgumentError(
            "reason", reason, "an objection needs a reason", rule_id="R-INC-99"
        )
    _require(statement, "dispute", "R-INC-99", StatementStatus.ISSUED)
    _not_before(statement, day, statement.issued_on, "the issue day", "R-INC-99")
    _before_deemed(statement, day, calendar, "dispute")
    return attrs.evolve(
        statement, status=StatementStatus.DISPUTED, disputed_on=day, dispute_reason=reason
    )


def restate_statement(
    statement: CommissionStatement, *, on: date, commission: Money
) -> CommissionStatement:
    """DISPUTED -> ISSUED: the vendor restates; a new reminder restarts the silence (3.11).

    The restated commission may equal the old one (the objection was
    rejected).  The revision counts up.
    """
    day = _day(on, "on")
    _require(statement, "restate", "R-INC-99", StatementStatus.DISPUTED)
    _not_before(statement, day, statement.disputed_on, "the dispute", "R-INC-99")
    if not isinstance(commission, Money) or commission.currency != statement.commission.currency:
        raise InvalidArgumentError(
            "commission", commission, f"Money in {statement.commission.currency.code}"
        )
    return attrs.evolve(
        statement,
        commission=commission,
        status=StatementStatus.ISSUED,
        revision=statement.revision + 1,
        issued_on=day,
        reminded_on=day,
        disputed_on=None,
        dispute_reason=None,
    )


def deem_accepted(
    statement: CommissionStatement, *, on: date, calendar: WorkingCalendar
) -> CommissionStatement:
    """ISSUED -> ACCEPTED by silence once the deemed-acceptance day has ended (R-INC-100).

    ``accepted_on`` is that day: the 3rd working day after the reminder,
    even when it falls after the 10th (DC-INC-16).
    """
    day = _day(on, "on")
    _require(statement, "deem accepted", "R-INC-100", StatementStatus.ISSUED)
    deemed = _deemed_day(statement, calendar)
    if day <= deemed:
        raise RuleViolationError(
            "R-INC-100",
            f"the partner may still reply until the end of {deemed}",
            fields={"statement_id": statement.statement_id, "deemed_accepted_on": deemed},
        )
    return attrs.evolve(
        statement,
        status=StatementStatus.ACCEPTED,
        accepted_on=deemed,
        accepted_by=AcceptedBy.DEEMED,
    )


def submit_commission_invoice(
    statement: CommissionStatement, invoice: CommissionInvoice
) -> CommissionStatement:
    """ACCEPTED -> INVOICED: the invoice for exactly the commission, with the right title (R-INC-101).

    A late invoice is accepted, but payment waits for the next cycle's pay
    day (:meth:`CommissionStatement.payment_due_on`).
    """  # noqa: E501
    if not isinstance(invoice, CommissionInvoice):
        raise InvalidArgumentError("invoice", invoice, "expected a CommissionInvoice")
    _require(statement, "invoice", "R-INC-101", StatementStatus.ACCEPTED)
    _not_before(statement, invoice.received_on, statement.accepted_on, "acceptance", "R-INC-101")
    problems: dict[str, Any] = {}
    if invoice.amount != statement.commission:
        problems["amount"] = (invoice.amount, statement.commission)
    terms = statement.invoice_terms
    if terms is not None and invoice.title != terms.title:
        problems["title"] = (invoice.title, terms.title)
    if terms is not None and invoice.service_content != terms.service_content:
        problems["service_content"] = (invoice.service_content, terms.service_content)
    if problems:
        detail = "; ".join(f"{k} {got!r} != {want!r}" for k, (got, want) in problems.items())
        raise RuleViolationError(
            "R-INC-101",
            f"the invoice does not match the statement: {detail}",
            fields={"statement_id": statement.statement_id, **problems},
        )
    return attrs.evolve(statement, status=StatementStatus.INVOICED, invoice=invoice)


def pay_statement(
    statement: CommissionStatement, *, on: date, to_account: str, calendar: WorkingCalendar
) -> CommissionStatement:
    """INVOICED -> PAID on the (postponed) 25th, with a valid invoice, to the bound account (R-INC-102).

    >>> from partnerkit.calendars import WEEKENDS
    >>> st = CommissionStatement(statement_id="S", partner_id=PartnerId("asc"),
    ...     period=Period.parse("2025M5"), commission=Money.of("100.00", "CNY"),
    ...     payee_account="alipay:asc")
    >>> st = issue_statement(st, on=date(2025, 6, 9), calendar=WEEKENDS)
    >>> st = confirm_statement(st, on=date(2025, 6, 10), calendar=WEEKENDS)
    >>> st = submit_commission_invoice(st, CommissionInvoice(invoice_no="F1", amount=st.commission,
    ...     title="阿里云计算有限公司", service_content="网络服务费", received_on=date(2025, 6, 12)))
    >>> pay_statement(st, on=date(2025, 6, 25), to_account="alipay:asc", calendar=WEEKENDS).status
    <StatementStatus.PAID: 'paid'>
    """  # noqa: E501
    day = _day(on, "on")
    _require(statement, "pay", "R-INC-102", StatementStatus.INVOICED)
    invoice = statement.invoice
    if invoice is None or not invoice.valid:
        raise RuleViolationError(
            "R-INC-102",
            "no payment without a legal and valid invoice",
            fields={"statement_id": statement.statement_id},
        )
    if statement.payee_account is None or to_account != statement.payee_account:
        raise RuleViolationError(
            "R-INC-102",
            "payment goes only to the partner's bound Alipay account",
            fields={
                "statement_id": statement.statement_id,
                "to_account": to_account,
                "bound_account": statement.payee_account,
            },
        )
    _not_before(statement, day, statement.payment_due_on(calendar), "the pay day", "R-INC-102")
    return attrs.evolve(statement, status=StatementStatus.PAID, paid_on=day, paid_to=to_account)


class MyCommissionsStage(enum.Enum):
    """Alibaba "My Commissions" stages (3.10), read off the generic cycle (DC-INC-40)."""

    CALCULATED = "calculated"
    VIEWED = "viewed"
    VERIFIED = "verified"
    COLLECTED = "collected"


def my_commissions_stage(statement: CommissionStatement) -> MyCommissionsStage | None:
    """Where a statement stands in "My Commissions" (R-INC-112, DC-INC-40).

    ISSUED or DISPUTED is CALCULATED (VIEWED once viewed); ACCEPTED and
    INVOICED are VERIFIED; PAID is COLLECTED.  An ACCRUING statement is not
    shown yet (``None``).  View, verify and collect are
    :func:`view_statement`, :func:`confirm_statement` and
    :func:`submit_commission_invoice` followed by :func:`pay_statement`.
    """
    status = statement.status
    if status is StatementStatus.ACCRUING:
        return None
    if status in (StatementStatus.ISSUED, StatementStatus.DISPUTED):
        return MyCommissionsStage.CALCULATED if statement.viewed_on is None else (
            MyCommissionsStage.VIEWED
        )  # fmt: skip
    if status is StatementStatus.PAID:
        return MyCommissionsStage.COLLECTED
    return MyCommissionsStage.VERIFIED


# --- Huawei payout and revenue


@final
@attrs.frozen(kw_only=True)
class PayoutTimeline:
    """The expected dates of a Huawei bank or top-up payout (R-INC-48, R-INC-52, C7, 3.5).

    Attributes:
        invoice_received_on: When Huawei received the invoice.
        review_on: Invoice review, the 2nd working day after receipt.
        review_complete_by: Review complete, about 2 working days after receipt
            (the same day as ``review_on``: both count from receipt).
        invoice_approved_on: The actual approval, or the expected one.
        payment_approval_by: About 3 working days after invoice approval (CF-27).
        payment_due_by: Within 30 calendar days of receipt (R-INC-48).
    """

    invoice_received_on: date
    review_on: date
    review_complete_by: date
    invoice_approved_on: date
    payment_approval_by: date
    payment_due_by: date

    def payment_overdue(self, as_of: date) -> bool:
        """Whether ``as_of`` is past the 30-day payment window (R-INC-48)."""
        return _day(as_of, "as_of") > self.payment_due_by


def payout_timeline(
    invoice_received_on: date,
    calendar: WorkingCalendar,
    *,
    invoice_approved_on: date | None = None,
) -> PayoutTimeline:
    """Date a payout from the invoice receipt (R-INC-48, R-INC-52).

    >>> from partnerkit.calendars import WEEKENDS
    >>> t = payout_timeline(date(2024, 6, 7), WEEKENDS)  # a Friday
    >>> t.review_on, t.payment_approval_by, t.payment_due_by
    (datetime.date(2024, 6, 11), datetime.date(2024, 6, 14), datetime.date(2024, 7, 7))
    """
    received = _day(invoice_received_on, "invoice_received_on")
    review = add_working_days(calendar, received, 2)
    approved = review if invoice_approved_on is None else (
        _day(invoice_approved_on, "invoice_approved_on")
    )  # fmt: skip
    if approved < received:
        raise InvalidArgumentError(
            "invoice_approved_on", approved, f"before the receipt {received}", rule_id="R-INC-52"
        )
    return PayoutTimeline(
        invoice_received_on=received,
        review_on=review,
        review_complete_by=review,
        invoice_approved_on=approved,
        payment_approval_by=add_working_days(calendar, approved, 3),
        payment_due_by=received + timedelta(days=30),
    )


def revenue_line_visible_on(generated_on: date, calendar: WorkingCalendar) -> date:
    """A revenue line shows the next working day after it was generated (R-INC-10, C3).

    >>> from partnerkit.calendars import WEEKENDS
    >>> revenue_line_visible_on(date(2024, 7, 5), WEEKENDS)  # Friday -> Monday
    datetime.date(2024, 7, 8)
    """
    return add_working_days(calendar, _day(generated_on, "generated_on"), 1)


def month_revenue_visible_from(month: Period) -> date:
    """A month's revenue shows from the 6th of the following month (R-INC-10, C3).

    >>> month_revenue_visible_from(Period.parse("2024M12"))
    datetime.date(2025, 1, 6)
    """
    following = _v.require_month(month, argument="month").next()
    return date(following.year, following.index, 6)


class RevenuePeriodStatus(enum.Enum):
    """A month's revenue status (1.6, 3.1).

    The publicity and withdrawal states seen in samples are inferred (CF-13)
    and set by the vendor, so they are not derived here.
    """

    ESTIMATED = "estimated"
    DRAFT = "draft"
    FINAL = "final"


def revenue_period_status(
    month: Period, *, as_of: date | datetime, reviewed: bool
) -> RevenuePeriodStatus:
    """The month's status as of a day: current ESTIMATED, ended DRAFT, reviewed FINAL (R-INC-11).

    An aware instant is read in GMT+08:00 (C1).

    >>> from datetime import timezone
    >>> june = Period.parse("2024M6")
    >>> revenue_period_status(june, as_of=datetime(2024, 6, 30, 17, tzinfo=timezone.utc),
    ...                       reviewed=False)
    <RevenuePeriodStatus.DRAFT: 'draft'>
    """
    checked = _v.require_month(month, argument="month")
    if not isinstance(reviewed, bool):
        raise InvalidArgumentError("reviewed", reviewed, "expected True or False")
    day = _local_day(as_of, "as_of")
    current = Period.month(day.year, day.month)
    if checked > current:
        raise InvalidArgumentError(
            "month", checked, f"has not started on {day}", rule_id="R-INC-11"
        )
    if checked == current:
        if reviewed:
            raise InvalidArgumentError(
                "reviewed", reviewed, "the current month cannot be reviewed yet", rule_id="R-INC-11"
            )
        return RevenuePeriodStatus.ESTIMATED
    return RevenuePeriodStatus.FINAL if reviewed else RevenuePeriodStatus.DRAFT


#: Earnings generated before this instant are never displayed (R-INC-35).
EARNINGS_DISPLAY_CUTOFF: Final = datetime(2018, 10, 1, tzinfo=GMT_PLUS_8)
_DISPLAY_LATENCY: Final = timedelta(hours=1)


def earning_displayed_from(generated_at: datetime) -> datetime | None:
    """When an earning shows: 1 hour after generation; never if before October 2018 (R-INC-35).

    >>> earning_displayed_from(datetime(2024, 7, 1, 9, 30, tzinfo=GMT_PLUS_8))
    datetime.datetime(2024, 7, 1, 10, 30, tzinfo=datetime.timezone(datetime.timedelta(seconds=28800), 'GMT+08:00'))
    >>> earning_displayed_from(datetime(2018, 9, 30, 23, 59, tzinfo=GMT_PLUS_8)) is None
    True
    """  # noqa: E501
    generated = require_aware(generated_at, argument="generated_at")
    if generated < EARNINGS_DISPLAY_CUTOFF:
        return None
    return generated + _DISPLAY_LATENCY


def earning_visible(generated_at: datetime, *, as_of: datetime) -> bool:
    """Whether an earning is displayed at ``as_of`` (R-INC-35)."""
    shown = earning_displayed_from(generated_at)
    return shown is not None and require_aware(as_of) >= shown


# --- ASC assessment and trial


@final
@attrs.frozen(kw_only=True)
class AscAssessment:
    """One half-yearly ASC assessment (R-INC-104, 3.12).

    Attributes:
        assessed_on: 10 April or 10 October.
        window_start: First day assessed.
        window_end: Last day assessed (inclusive).
        summary_start: First day of the April 12-month summary, else ``None``.
        summary_end: Its last day (inclusive), else ``None``.
    """

    assessed_on: date
    window_start: date
    window_end: date
    summary_start: date | None = None
    summary_end: date | None = None

    def covers(self, day: date) -> bool:
        """Whether ``day`` is in the assessed window."""
        return self.window_start <= _day(day, "day") <= self.window_end


def asc_assessments(year: int) -> tuple[AscAssessment, AscAssessment]:
    """The two assessments of ``year`` (R-INC-104; windows from eligibility R-ELIG-133).

    >>> april, october = asc_assessments(2025)
    >>> april.summary_start, april.summary_end, october.summary_start
    (datetime.date(2024, 4, 1), datetime.date(2025, 3, 31), None)
    """
    result = []
    for a in assessments(year):
        summary = (date(year - 1, 4, 1), a.covers_to) if a.twelve_month_summary else (None, None)
        result.append(
            AscAssessment(
                assessed_on=a.on,
                window_start=a.covers_from,
                window_end=a.covers_to,
                summary_start=summary[0],
                summary_end=summary[1],
            )
        )
    return result[0], result[1]


@final
@attrs.frozen(kw_only=True)
class AscTrial:
    """A new ASC's trial operation: ``[joined_on, ends_before)`` (DC-INC-27, C24)."""

    joined_on: date = attrs.field(validator=_required_day)
    ends_before: date = attrs.field(validator=_required_day)

    @property
    def last_day(self) -> date:
        """The last trial day (inclusive)."""
        return self.ends_before - timedelta(days=1)

    def contains(self, day: date) -> bool:
        """Whether ``day`` is in the trial."""
        return self.joined_on <= _day(day, "day") < self.ends_before


def asc_trial(joined_on: date) -> AscTrial:
    """The 3-month trial from ``joined_on``, month-end clamped (DC-INC-27, R-ELIG-134).

    >>> asc_trial(date(2025, 2, 15)).last_day
    datetime.date(2025, 5, 14)
    """
    joined = _day(joined_on, "joined_on")
    end = trial_ends(joined) + timedelta(days=1)  # joined + relativedelta(months=3)
    return AscTrial(joined_on=joined, ends_before=end)


def cancellation_possible(
    *,
    joined_on: date,
    failed_requirements_on: date | None = None,
    failed_assessment: bool = False,
    breached_rules: bool = False,
) -> Decision:
    """Whether Alibaba may cancel an ASC's qualification (R-INC-105, DC-INC-27).

    Grounds: failing the requirements within the trial, failing an
    assessment, or breaching rules.  Allowed means cancellation is
    possible (a case-by-case vendor decision), not that it happens.

    >>> cancellation_possible(joined_on=date(2025, 2, 15),
    ...                       failed_requirements_on=date(2025, 5, 15)).codes
    ('FAILED_AFTER_TRIAL',)
    """
    trial = asc_trial(joined_on)
    for name, flag in (
        ("failed_assessment", failed_assessment),
        ("breached_rules", breached_rules),
    ):
        if not isinstance(flag, bool):
            raise InvalidArgumentError(name, flag, "expected True or False")
    if failed_assessment or breached_rules:
        return Decision.allow()
    if failed_requirements_on is None:
        return Decision.deny(
            Reason("NO_GROUNDS", "R-INC-105", "no failed assessment, breach or trial failure")
        )
    failed = _day(failed_requirements_on, "failed_requirements_on")
    if trial.contains(failed):
        return Decision.allow()
    return Decision.deny(
        Reason(
            "FAILED_AFTER_TRIAL" if failed >= trial.ends_before else "FAILED_BEFORE_JOINING",
            "R-INC-105",
            "outside the trial, requirements are judged at the half-yearly assessment",
            {"failed_on": failed, "trial_last_day": trial.last_day},
        )
    )


@final
@attrs.frozen(kw_only=True)
class CustomerReassignment:
    """A cancelled ASC's customers moved to the region's new ASC (R-INC-105, DC-INC-27).

    Revenue dated on or after the hand-over goes to the new ASC; earlier
    revenue (and statements already issued) stay with the old one.
    """

    customer_ids: frozenset[CustomerId]
    from_centre: PartnerId = attrs.field(validator=_v.text)
    to_centre: PartnerId = attrs.field(validator=_v.text)
    handed_over_on: date = attrs.field(validator=_required_day)

    def credited_centre(self, customer_id: CustomerId, revenue_on: date) -> PartnerId | None:
        """Which ASC a moved customer's revenue of ``revenue_on`` is credited to.

        ``None`` for a customer this reassignment does not move.
        """
        if customer_id not in self.customer_ids:
            return None
        moved = _day(revenue_on, "revenue_on") >= self.handed_over_on
        return self.to_centre if moved else self.from_centre


def reassign_customers(
    assignments: Mapping[CustomerId, PartnerId],
    *,
    cancelled: PartnerId,
    successor: PartnerId,
    handed_over_on: date,
) -> CustomerReassignment:
    """Move every customer of the cancelled ASC to its successor (R-INC-105; R-ELIG-135).

    >>> r = reassign_customers({CustomerId("c1"): PartnerId("old"), CustomerId("c2"): PartnerId("x")},
    ...     cancelled=PartnerId("old"), successor=PartnerId("new"), handed_over_on=date(2025, 6, 1))
    >>> sorted(r.customer_ids), r.credited_centre(CustomerId("c1"), date(2025, 6, 1))
    (['c1'], 'new')
    """  # noqa: E501
    if cancelled == successor:
        raise InvalidArgumentError(
            "successor",
            successor,
            "the new ASC differs from the cancelled one",
            rule_id="R-INC-105",
        )
    after = transfer_customers(
        {str(c): str(p) for c, p in assignments.items()}, cancelled, successor
    )
    moved = frozenset(
        CustomerId(c) for c, centre in after.items() if centre != assignments[CustomerId(c)]
    )
    return CustomerReassignment(
        customer_ids=moved,
        from_centre=cancelled,
        to_centre=successor,
        handed_over_on=_day(handed_over_on, "handed_over_on"),
    )


# --- ASC bid score


def _fraction(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Decimal) or not value.is_finite() or not _ZERO <= value <= _ONE:
        raise InvalidArgumentError(
            attribute.name, value, "a Decimal weight from 0 to 1", rule_id="R-INC-106"
        )


def _score(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Decimal) or not value.is_finite() or not _ZERO <= value <= _HUNDRED:
        raise InvalidArgumentError(
            attribute.name, value, "a Decimal score from 0 to 100", rule_id="R-INC-106"
        )


@final
@attrs.frozen(kw_only=True)
class BidWeights:
    """The four ASC bid weights; they must add up to exactly 1 (R-INC-106, CF-21)."""

    market_and_service: Decimal = attrs.field(default=Decimal("0.30"), validator=_fraction)
    team: Decimal = attrs.field(default=Decimal("0.20"), validator=_fraction)
    company_operations: Decimal = attrs.field(default=Decimal("0.10"), validator=_fraction)
    plan_and_implementation: Decimal = attrs.field(default=Decimal("0.40"), validator=_fraction)

    def __attrs_post_init__(self) -> None:
        weights = (
            self.market_and_service,
            self.team,
            self.company_operations,
            self.plan_and_implementation,
        )
        total = _ZERO
        for w in weights:
            total = _EXACT.add(total, w)
        if total != _ONE:
            raise InvalidArgumentError(
                "weights", weights, f"must sum to 1, not {total}", rule_id="R-INC-106"
            )


#: 30 / 20 / 10 / 40 % (seed 004; R-INC-106).
ASC_BID_WEIGHTS: Final = BidWeights()


@final
@attrs.frozen(kw_only=True)
class BidScores:
    """An applicant's four sub-scores, each 0..100 (R-INC-106)."""

    market_and_service: Decimal = attrs.field(validator=_score)
    team: Decimal = attrs.field(validator=_score)
    company_operations: Decimal = attrs.field(validator=_score)
    plan_and_implementation: Decimal = attrs.field(validator=_score)


def asc_bid_score(scores: BidScores, weights: BidWeights = ASC_BID_WEIGHTS) -> Decimal:
    """The exact weighted bid score (R-INC-106, EX-INC-22).

    >>> asc_bid_score(BidScores(market_and_service=Decimal(80), team=Decimal(70),
    ...                         company_operations=Decimal(90),
    ...                         plan_and_implementation=Decimal(60)))
    Decimal('71.00')
    """
    if not isinstance(scores, BidScores):
        raise InvalidArgumentError("scores", scores, "expected BidScores")
    if not isinstance(weights, BidWeights):
        raise InvalidArgumentError("weights", weights, "expected BidWeights")
    total = _ZERO
    for name in ("market_and_service", "team", "company_operations", "plan_and_implementation"):
        total = _EXACT.add(total, _EXACT.multiply(getattr(weights, name), getattr(scores, name)))
    return total


# --- ASC lead routing


def _regions(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str):
        raise InvalidArgumentError("regions", value, "a set of region names, not one string")
    items = frozenset(value)
    if not all(isinstance(r, str) and r for r in items):
        raise InvalidArgumentError("regions", value, "region names are non-empty strings")
    return frozenset(r.casefold() for r in items)


@checked
@final
@attrs.frozen(kw_only=True)
class LeadRoutingPolicy:
    """Where unconverted official-site leads go (R-INC-108, DC-INC-28, C27).

    Region names match a lead's city or province, case-insensitively.

    Attributes:
        handover_after_days_without_consumption: Days after registration.
        excluded_regions: Regions whose leads never go to an ASC.
        telesales_regions: Regions whose leads go to telesales.
        flowback_after_days: Days after hand-over without consumption before
            the lead returns to official-site operations.
        requires_customer_confirmation: The lead flows in once the customer confirms.
        flowback_on_cloud_product_only: Also flow back a lead that only
            consumed "cloud products" (the ambiguous clause; off by default).
    """

    handover_after_days_without_consumption: int = attrs.field(default=7, validator=_int_in(1))
    excluded_regions: frozenset[str] = attrs.field(
        default=frozenset({"Beijing", "Shanghai", "Guangzhou", "Shenzhen", "Zhejiang"}),
        converter=_regions,
    )
    telesales_regions: frozenset[str] = attrs.field(
        default=frozenset({"Beijing", "Shanghai", "Guangzhou", "Shenzhen", "Hangzhou"}),
        converter=_regions,
    )
    flowback_after_days: int = attrs.field(default=60, validator=_int_in(1))
    requires_customer_confirmation: bool = attrs.field(default=True, validator=_bool)
    flowback_on_cloud_product_only: bool = attrs.field(default=False, validator=_bool)


#: The defaults of DC-INC-28.
ASC_LEAD_ROUTING: Final = LeadRoutingPolicy()


@final
@attrs.frozen(kw_only=True)
class Lead:
    """A lead registered on the official site (R-INC-108).

    Attributes:
        lead_id: The lead.
        city: The customer's city.
        province: The customer's province.
        registered_on: Registration day.
        first_consumption_on: First day with consumption, if any.
        confirmed_on: When the customer confirmed the hand-over, if ever.
        cloud_product_only: Its consumption so far is only "cloud products".
    """

    lead_id: str = attrs.field(validator=_v.text)
    city: str = attrs.field(validator=_v.text)
    province: str = attrs.field(validator=_v.text)
    registered_on: date = attrs.field(validator=_required_day)
    first_consumption_on: date | None = attrs.field(default=None, validator=_optional_day)
    confirmed_on: date | None = attrs.field(default=None, validator=_optional_day)
    cloud_product_only: bool = attrs.field(default=False, validator=_bool)

    def in_any(self, regions: frozenset[str]) -> bool:
        """Whether the lead's city or province is one of ``regions`` (casefolded)."""
        return self.city.casefold() in regions or self.province.casefold() in regions


class LeadRoute(enum.Enum):
    """Where a lead is (R-INC-108)."""

    OFFICIAL_SITE = "official-site"
    TELESALES = "telesales"
    AWAITING_CONFIRMATION = "awaiting-confirmation"
    ASC = "asc"
    FLOWED_BACK = "flowed-back"


@final
@attrs.frozen(kw_only=True)
class LeadRouting:
    """Where a lead is on a day, and its key dates (R-INC-108)."""

    route: LeadRoute
    handover_due_on: date
    handed_over_on: date | None = None
    flowback_on: date | None = None


def _handover_due(lead: Lead, policy: LeadRoutingPolicy) -> date:
    return lead.registered_on + timedelta(days=policy.handover_after_days_without_consumption)


def _consumed_by(lead: Lead, day: date) -> bool:
    return lead.first_consumption_on is not None and lead.first_consumption_on <= day


def may_hand_over_to_asc(
    lead: Lead, *, as_of: date, policy: LeadRoutingPolicy = ASC_LEAD_ROUTING
) -> Decision:
    """Whether a lead may go to the region's ASC on ``as_of`` (R-INC-108, DC-INC-28, EX-INC-29).

    >>> lead = Lead(lead_id="L", city="Chengdu", province="Sichuan",
    ...             registered_on=date(2025, 3, 1))
    >>> may_hand_over_to_asc(lead, as_of=date(2025, 3, 7)).codes
    ('TOO_EARLY', 'NOT_CONFIRMED')
    """
    day = _day(as_of, "as_of")
    due = _handover_due(lead, policy)
    reasons = []
    if _consumed_by(lead, min(day, due)):
        reasons.append(
            Reason("CONSUMED", "R-INC-108", "the lead consumed within the hand-over period",
                   {"first_consumption_on": lead.first_consumption_on})
        )  # fmt: skip
    if day < due:
        reasons.append(Reason("TOO_EARLY", "R-INC-108", f"hand-over from {due}", {"due": due}))
    if lead.in_any(policy.excluded_regions) or lead.in_any(policy.telesales_regions):
        reasons.append(
            Reason("REGION_EXCLUDED", "R-INC-108", "this region is not served by an ASC",
                   {"city": lead.city, "province": lead.province})
        )  # fmt: skip
    if policy.requires_customer_confirmation and (
        lead.confirmed_on is None or lead.confirmed_on > day
    ):
        reasons.append(
            Reason("NOT_CONFIRMED", "R-INC-108", "the customer has not confirmed the hand-over")
        )
    return Decision.of(reasons)


def route_lead(
    lead: Lead, *, as_of: date, policy: LeadRoutingPolicy = ASC_LEAD_ROUTING
) -> LeadRouting:
    """Where ``lead`` is on ``as_of`` (R-INC-108, DC-INC-28, EX-INC-29).

    A lead that consumed within the hand-over period stays with the official
    site.  After it, telesales regions go to telesales; other regions outside
    the excluded list go to the ASC once the customer confirms, and flow back
    after ``flowback_after_days`` without consumption (counted from the
    hand-over, INFERRED anchor).

    >>> lead = Lead(lead_id="L", city="Hangzhou", province="Zhejiang",
    ...             registered_on=date(2025, 3, 1))
    >>> route_lead(lead, as_of=date(2025, 3, 8)).route
    <LeadRoute.TELESALES: 'telesales'>
    """
    day = _day(as_of, "as_of")
    due = _handover_due(lead, policy)
    if day < due or _consumed_by(lead, due):
        return LeadRouting(route=LeadRoute.OFFICIAL_SITE, handover_due_on=due)
    if lead.in_any(policy.telesales_regions):
        return LeadRouting(route=LeadRoute.TELESALES, handover_due_on=due)
    if lead.in_any(policy.excluded_regions):
        return LeadRouting(route=LeadRoute.OFFICIAL_SITE, handover_due_on=due)
    confirmed = lead.confirmed_on if policy.requires_customer_confirmation else due
    if confirmed is None or confirmed > day:
        return LeadRouting(route=LeadRoute.AWAITING_CONFIRMATION, handover_due_on=due)
    handed_over = max(due, confirmed)
    flowback = handed_over + timedelta(days=policy.flowback_after_days)
    routing = LeadRouting(
        route=LeadRoute.ASC, handover_due_on=due, handed_over_on=handed_over, flowback_on=flowback
    )
    cloud_only = policy.flowback_on_cloud_product_only and lead.cloud_product_only
    if day >= flowback and (cloud_only or not _consumed_by(lead, flowback)):
        return attrs.evolve(routing, route=LeadRoute.FLOWED_BACK)
    return routing


# --- customer statements


_STATEMENT_MONTHS: Final = 6
_STATEMENT_ROLES: Final = frozenset({PartnerRole.DIRECT_RESELLER, PartnerRole.ALIBABA_DISTRIBUTOR})


def customer_statement_months(as_of: date | datetime) -> tuple[Period, ...]:
    """The months customer statements cover: the past 6, the current one included (R-INC-113).

    Counting the current (partial) month as one of the six is a library
    reading of "the past 6 months".

    >>> [str(p) for p in customer_statement_months(date(2025, 3, 15))]
    ['2024M10', '2024M11', '2024M12', '2025M1', '2025M2', '2025M3']
    """
    day = _local_day(as_of, "as_of")
    current = Period.month(day.year, day.month)
    return tuple(current.shift(-i) for i in reversed(range(_STATEMENT_MONTHS)))


def may_view_customer_statement(
    role: PartnerRole, month: Period, *, as_of: date | datetime
) -> Decision:
    """Whether a partner may see its customers' statements for ``month`` (R-INC-113, R-INC-18).

    Direct resellers and distributors see pre-tax revenue at customer UID and
    instance level for the past 6 months; an agency sees its customers'
    orders but not their bills (billing R-BILL-25, the same fact as R-INC-18).

    >>> may_view_customer_statement(PartnerRole.AGENCY, Period.parse("2025M3"),
    ...                             as_of=date(2025, 3, 15)).codes
    ('AGENCY_NO_END_USER_BILLS',)
    """
    checked = _v.require_month(month, argument="month")
    reasons = list(may_view_end_user_bills(role).reasons)
    if not reasons and role not in _STATEMENT_ROLES:
        reasons.append(
            Reason("ROLE_HAS_NO_CUSTOMER_STATEMENTS", "R-INC-113",
                   "customer statements are for Alibaba direct resellers and distributors",
                   {"role": role})
        )  # fmt: skip
    window = customer_statement_months(as_of)
    if checked not in window:
        reasons.append(
            Reason("OUTSIDE_STATEMENT_WINDOW", "R-INC-113",
                   "customer statements cover the past 6 months",
                   {"month": checked, "from": window[0], "to": window[-1]})
        )  # fmt: skip
    return Decision.of(reasons)
