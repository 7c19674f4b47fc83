"""What partners read besides bills: expenditure records, query windows, exports and invoices.

billing.md 7.B-7.E.  A customer's **expenditure** record is information, not a
bill: it excludes tax, is collected in GMT+08:00, and must never be settled,
repaid or invoiced (R-BILL-20); its row identities are checked as warnings
(R-BILL-22, DC-06).  Queries and exports have windows per vendor and role
(R-BILL-23, R-BILL-25); exports run as tasks that can be downloaded once
completed (R-BILL-78).  Invoices follow bills on the 5th and their tax id is
fixed (R-BILL-58).

>>> from partnerkit.money import Money
>>> usd = lambda a: Money.of(a, "USD")
>>> row = ExpenditureRecord(customer_id=CustomerId("c1"), day=date(2024, 6, 3),
...     amount=usd("16747.17"), cash_payments=usd("16747.17"), coupons_used=usd("0.00"),
...     monthly_settlement=usd("0.00"), discount=usd("5199.05"))
>>> row.list_price, row.check().allowed
(Money('21946.22', 'USD'), True)
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any, final

import attrs

import partnerkit._validators as _v
from partnerkit.billing.bill import BillingMode, BillLine, BillType
from partnerkit.decisions import Decision, Reason
from partnerkit.errors import InvalidArgumentError, RuleViolationError
from partnerkit.ids import CustomerId, PartnerId
from partnerkit.money import Money, total
from partnerkit.periods import GMT_PLUS_8, Period

__all__ = [
    "ALIBABA_WINDOWS",
    "HUAWEI_CSP_WINDOWS",
    "HUAWEI_DIST_WINDOWS",
    "AttributionStart",
    "ExpenditureRecord",
    "ExportStatus",
    "ExportTask",
    "Invoice",
    "InvoiceContent",
    "InvoiceInfo",
    "InvoiceStatus",
    "QueryKind",
    "QueryWindows",
    "anonymise",
    "attribution_start",
    "check_export_size",
    "check_query",
    "coupons_deducted_figure",
    "incentive_revenue",
    "invoice_date",
    "require_bill",
    "summary_available_at",
]

_PLACES = 8


def _eight_places(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    _v.money(instance, attribute, value)
    exponent = value.amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -_PLACES:
        raise InvalidArgumentError(
            attribute.name, value, "expenditure amounts have at most 8 places", rule_id="R-BILL-22"
        )


@final
@attrs.frozen(kw_only=True)
class ExpenditureRecord:
    """One row of a customer's expenditure summary (R-BILL-20, R-BILL-22).

    It is **not a bill**: it excludes tax, is collected in GMT+08:00 and
    covers reseller and referral customers alike.  Every amount is stored to
    at most 8 places.

    Attributes:
        customer_id: The customer.
        day: The GMT+08:00 day the spend was collected for.
        amount: What the customer spent (the amount due).
        cash_payments: Paid in cash.
        coupons_used: Paid with coupons.
        monthly_settlement: Left for monthly settlement.
        discount: The discounted amount.
    """

    customer_id: CustomerId = attrs.field(validator=_v.text)
    day: date
    amount: Money = attrs.field(validator=_eight_places)
    cash_payments: Money = attrs.field(validator=_eight_places)
    coupons_used: Money = attrs.field(validator=_eight_places)
    monthly_settlement: Money = attrs.field(validator=_eight_places)
    discount: Money = attrs.field(validator=_eight_places)

    def __attrs_post_init__(self) -> None:
        if isinstance(self.day, datetime) or not isinstance(self.day, date):
            raise InvalidArgumentError("day", self.day, "expected a date")
        currencies = {
            m.currency
            for m in (
                self.amount,
                self.cash_payments,
                self.coupons_used,
                self.monthly_settlement,
                self.discount,
            )
        }
        if len(currencies) != 1:
            raise InvalidArgumentError("amount", self.amount, "one currency per row")

    @property
    def list_price(self) -> Money:
        """The implied list price: ``amount + discount`` (I-16, DC-06)."""
        return self.amount + self.discount

    def check(self) -> Decision:
        """Warn when ``amount != cash + coupons + monthly settlement`` (I-15, DC-06).

        A warning, not an error: the vendor's exports are shown as they are.
        """
        paid = self.cash_payments + self.coupons_used + self.monthly_settlement
        if paid == self.amount:
            return Decision.allow()
        return Decision.deny(
            Reason(
                "AGGREGATION_MISMATCH",
                "R-BILL-22",
                "amount differs from cash + coupons + monthly settlement (warning)",
                {"amount": self.amount, "paid": paid, "difference": self.amount - paid},
            )
        )


def require_bill(value: object, *, use: str = "repayment") -> None:
    """Refuse an expenditure record where a bill is needed (R-BILL-20).

    >>> from partnerkit.money import Money
    >>> usd = Money.of("1", "USD")
    >>> row = ExpenditureRecord(customer_id=CustomerId("c"), day=date(2024, 6, 1), amount=usd,
    ...     cash_payments=usd, coupons_used=usd * 0, monthly_settlement=usd * 0, discount=usd * 0)
    >>> require_bill(row)
    Traceback (most recent call last):
    partnerkit.errors.RuleViolationError: an expenditure record is not a bill: it cannot be used for repayment [R-BILL-20]
    """  # noqa: E501
    if isinstance(value, ExpenditureRecord):
        raise RuleViolationError(
            "R-BILL-20",
            f"an expenditure record is not a bill: it cannot be used for {use}",
            fields={"code": "NOT_A_BILL", "customer_id": value.customer_id, "use": use},
        )


def summary_available_at(day: date, *, tz: tzinfo = GMT_PLUS_8) -> datetime:
    """When day ``day``'s expenditure summary may be queried: after 24:00 of the next day.

    >>> summary_available_at(date(2024, 2, 28))
    datetime.datetime(2024, 3, 1, 0, 0, tzinfo=datetime.timezone(datetime.timedelta(seconds=28800), 'GMT+08:00'))
    """  # noqa: E501
    if isinstance(day, datetime) or not isinstance(day, date):
        raise InvalidArgumentError("day", day, "expected a date", rule_id="R-BILL-20")
    return datetime.combine(day + timedelta(days=2), time(0), tzinfo=tz)


class AttributionStart(enum.Enum):
    """From when an assigned account manager is credited with a customer's spend (DC-26)."""

    #: CSP and DIST pages (``"second day following"`` read as the following day, DC-26).
    NEXT_DAY = "next-day"
    #: The literal reading of the CSP/DIST expenditure pages.
    SECOND_DAY = "second-day"
    #: RSL expenditure statistics: the whole month of the assignment counts.
    FIRST_OF_MONTH = "first-of-month"


def attribution_start(
    assigned_on: date, *, start: AttributionStart = AttributionStart.NEXT_DAY
) -> date:
    """The first day whose spend counts for the account manager (R-BILL-21, DC-26).

    >>> attribution_start(date(2024, 8, 31))
    datetime.date(2024, 9, 1)
    >>> attribution_start(date(2024, 8, 10), start=AttributionStart.FIRST_OF_MONTH)
    datetime.date(2024, 8, 1)
    """
    if isinstance(assigned_on, datetime) or not isinstance(assigned_on, date):
        raise InvalidArgumentError("assigned_on", assigned_on, "expected a date")
    if start is AttributionStart.NEXT_DAY:
        return assigned_on + timedelta(days=1)
    if start is AttributionStart.SECOND_DAY:
        return assigned_on + timedelta(days=2)
    if start is AttributionStart.FIRST_OF_MONTH:
        return assigned_on.replace(day=1)
    raise InvalidArgumentError("start", start, "expected an AttributionStart")


class QueryKind(enum.Enum):
    """What a partner queries or exports (R-BILL-23, R-BILL-25)."""

    BILL_EXPORT = "bill-export"
    EXPENDITURE_DETAIL = "expenditure-detail"
    STATEMENT = "statement"
    INVOICE = "invoice"


@final
@attrs.frozen(kw_only=True)
class QueryWindows:
    """How far back and how wide a partner may query, per vendor and role (R-BILL-23, 25).

    ``online`` gives, per kind, the months that stay online, counted back
    from and including the current month; a kind missing from it has no
    stated window.  ``span`` gives the widest range one request may cover.

    Attributes:
        online: Months online per query kind.
        span: Months one request may cover, per kind.
        max_export_records: The most records one detail export holds.
        remedy: What to do for older data.
        anonymise_exports: Whether exports mask names, mobiles and e-mails.
    """

    online: dict[QueryKind, int] = attrs.field(factory=dict)
    span: dict[QueryKind, int] = attrs.field(factory=dict)
    max_export_records: int | None = None
    remedy: str = "contact the ecosystem manager"
    anonymise_exports: bool = False


#: Huawei, cloud solution provider: 12-month exports, 18 months of details, 12 of statements.
HUAWEI_CSP_WINDOWS = QueryWindows(
    online={QueryKind.EXPENDITURE_DETAIL: 18, QueryKind.STATEMENT: 12},
    span={QueryKind.BILL_EXPORT: 12},
    max_export_records=5_000_000,
)
#: Huawei, distributor: the same windows; statements by service ticket; exports anonymised.
HUAWEI_DIST_WINDOWS = attrs.evolve(
    HUAWEI_CSP_WINDOWS, remedy="submit a service ticket", anonymise_exports=True
)
#: Alibaba: invoices and statements cover the past 6 months (R-BILL-25).
ALIBABA_WINDOWS = QueryWindows(
    online={QueryKind.INVOICE: 6, QueryKind.STATEMENT: 6}, remedy="contact your channel manager"
)


def _months_between(first: Period, last: Period) -> int:
    return (last.year - first.year) * 12 + last.index - first.index + 1


def check_query(
    kind: QueryKind,
    first: Period,
    last: Period,
    *,
    current: Period,
    windows: QueryWindows = HUAWEI_CSP_WINDOWS,
) -> None:
    """Raise ``WINDOW_EXCEEDED`` when months ``first..last`` fall outside the windows.

    >>> check_query(QueryKind.BILL_EXPORT, Period.parse("2023M6"), Period.parse("2024M6"),
    ...             current=Period.parse("2024M6"))
    Traceback (most recent call last):
    partnerkit.errors.RuleViolationError: a bill-export covers at most 12 months per request [R-BILL-23]
    """  # noqa: E501
    for argument, value in (("first", first), ("last", last), ("current", current)):
        _v.require_month(value, argument=argument)
    if last < first or current < last:
        raise InvalidArgumentError("last", last, "expected first <= last <= current")
    rule = "R-BILL-25" if windows.online.get(QueryKind.INVOICE) else "R-BILL-23"
    wide = windows.span.get(kind)
    if wide is not None and _months_between(first, last) > wide:
        raise RuleViolationError(
            rule,
            f"a {kind.value} covers at most {wide} months per request",
            fields={
                "code": "WINDOW_EXCEEDED",
                "requested": _months_between(first, last),
                "allowed": wide,
            },
        )
    online = windows.online.get(kind)
    if online is not None and _months_between(first, current) > online:
        raise RuleViolationError(
            rule,
            f"{kind.value} data stays online for {online} months; {windows.remedy}",
            fields={
                "code": "WINDOW_EXCEEDED",
                "requested": str(first),
                "oldest": str(current.shift(1 - online)),
                "remedy": windows.remedy,
            },
        )


def check_export_size(records: int, *, windows: QueryWindows = HUAWEI_CSP_WINDOWS) -> None:
    """A detail export holds at most 5,000,000 records (R-BILL-23)."""
    if isinstance(records, bool) or not isinstance(records, int) or records < 0:
        raise InvalidArgumentError("records", records, "a count >= 0")
    limit = windows.max_export_records
    if limit is not None and records > limit:
        raise RuleViolationError(
            "R-BILL-23",
            f"an export holds at most {limit} records; narrow the search",
            fields={"code": "WINDOW_EXCEEDED", "requested": records, "allowed": limit},
        )


def anonymise(value: str) -> str:
    """Mask a name, mobile number or e-mail the way distributor exports do (R-BILL-23).

    >>> anonymise("Zhang Wei"), anonymise("+86 138 1234 5678"), anonymise("li.na@example.com")
    ('Z********', '+86 *** **** 5678', 'l****@example.com')
    """
    if not isinstance(value, str) or not value:
        raise InvalidArgumentError("value", value, "expected a non-empty string")
    if "@" in value:
        local, _, domain = value.partition("@")
        return f"{local[:1]}{'*' * max(len(local) - 1, 1)}@{domain}"
    prefix, rest = "", value
    if value.startswith("+") and " " in value:
        code, rest = value.split(" ", 1)
        prefix = code + " "
    digits = sum(ch.isdigit() for ch in rest)
    if digits >= 7:
        seen, out = 0, []
        for ch in rest:
            seen += ch.isdigit()
            out.append("*" if ch.isdigit() and seen <= digits - 4 else ch)
        return prefix + "".join(out)
    return value[:1] + "*" * (len(value) - 1)


class ExportStatus(enum.Enum):
    """An export task's status (R-BILL-78)."""

    CREATED = "created"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"


@final
@attrs.frozen(kw_only=True)
class ExportTask:
    """An export runs as a task; only a completed one can be downloaded (R-BILL-78)."""

    task_id: str = attrs.field(validator=_v.text)
    status: ExportStatus = ExportStatus.CREATED
    location: str | None = None

    def finish(self, location: str) -> ExportTask:
        """The task completed and its file is at ``location``."""
        if self.status not in (ExportStatus.CREATED, ExportStatus.RUNNING):
            raise RuleViolationError(
                "R-BILL-78",
                "only a created or running export finishes",
                fields={"task_id": self.task_id, "status": self.status.value},
            )
        return attrs.evolve(self, status=ExportStatus.COMPLETED, location=location)

    def download(self) -> str:
        """Where the file is; raises ``EXPORT_NOT_READY`` before completion (R-BILL-78).

        >>> ExportTask(task_id="x").download()
        Traceback (most recent call last):
        partnerkit.errors.RuleViolationError: only a completed export can be downloaded [R-BILL-78]
        """
        if self.status is not ExportStatus.COMPLETED or self.location is None:
            raise RuleViolationError(
                "R-BILL-78",
                "only a completed export can be downloaded",
                fields={
                    "code": "EXPORT_NOT_READY",
                    "task_id": self.task_id,
                    "status": self.status.value,
                },
            )
        return self.location


def invoice_date(cycle: Period, *, day: int = 5) -> date:
    """Invoices follow the bills: normally on the 5th of the next month (R-BILL-58).

    >>> invoice_date(Period.parse("2024M12"))
    datetime.date(2025, 1, 5)
    """
    _v.require_month(cycle)
    following = cycle.next()
    return date(following.year, following.index, day)


class InvoiceContent(enum.Enum):
    """What an invoice is for: monthly bills, and top-ups too (R-BILL-58, EX-29)."""

    MONTHLY_BILL = "monthly-bill"
    TOP_UP = "top-up"


class InvoiceStatus(enum.Enum):
    """An invoice's status (R-BILL-58)."""

    PENDING = "pending"
    INVOICED = "invoiced"
    RETURNED = "returned"


@final
@attrs.frozen(kw_only=True)
class Invoice:
    """One row of the invoice list: period, number, content, amount and status (R-BILL-58)."""

    period: Period = attrs.field(validator=_v.month)
    number: str = attrs.field(validator=_v.text)
    content: InvoiceContent
    amount: Money = attrs.field(validator=_v.money)
    status: InvoiceStatus = InvoiceStatus.PENDING

    def __attrs_post_init__(self) -> None:
        if not self.amount.is_positive():
            raise InvalidArgumentError(
                "amount", self.amount, "an invoice is for an amount > 0", rule_id="R-BILL-58"
            )


@final
@attrs.frozen(kw_only=True)
class InvoiceInfo:
    """A partner's invoice details: address and e-mail editable, tax id fixed (R-BILL-58)."""

    partner_id: PartnerId = attrs.field(validator=_v.text)
    tax_id: str = attrs.field(validator=_v.text)
    address: str = ""
    email: str | None = None
    email_delivery: bool = True

    def edit(self, **changes: Any) -> InvoiceInfo:
        """Change the address, e-mail or e-mail delivery; the tax id raises ``IMMUTABLE_FIELD``.

        >>> info = InvoiceInfo(partner_id=PartnerId("p"), tax_id="91110000")
        >>> info.edit(address="1 Road").address
        '1 Road'
        """
        if "tax_id" in changes or "partner_id" in changes:
            field = "tax_id" if "tax_id" in changes else "partner_id"
            raise RuleViolationError(
                "R-BILL-58",
                "the tax id comes from registration and cannot be edited",
                fields={"code": "IMMUTABLE_FIELD", "field": field},
            )
        unknown = set(changes) - {"address", "email", "email_delivery"}
        if unknown:
            raise InvalidArgumentError("changes", sorted(unknown), "not invoice fields")
        return attrs.evolve(self, **changes)


def coupons_deducted_figure(lines: Iterable[BillLine], *, settled: bool) -> Money | None:
    """The "deducted coupons" a reseller sees: before settlement, order payments only (R-BILL-34).

    Pay-per-use coupons are deducted when the month-end bill is generated, so
    until the month is settled the figure counts only coupons deducted at
    order payment (yearly/monthly lines).  ``None`` for no lines.
    """
    expenditure = [line for line in lines if line.bill_type is BillType.EXPENDITURE]
    if not expenditure:
        return None
    currency = expenditure[0].coupons_used.currency
    counted = (
        expenditure
        if settled
        else [line for line in expenditure if line.billing_mode is not BillingMode.PAY_PER_USE]
    )
    return total((line.coupons_used for line in counted), currency=currency)


def incentive_revenue(
    lines: Iterable[BillLine], *, excluded_products: Iterable[str] = ()
) -> Money | None:
    """Revenue that counts for incentives: what was paid beyond coupons, before tax (R-BILL-36).

    Spend paid with the vendor's cash or test coupons is not revenue, nor is
    tax; products without revenue or rebate are left out.  Refunds and
    adjustments count with their sign.  ``None`` for no lines.
    """
    items = list(lines)
    if not items:
        return None
    skip = frozenset(excluded_products)
    counted = [line for line in items if line.product_code not in skip]
    return total(
        (line.settlement_amount - line.coupons_used for line in counted),
        currency=items[0].settlement_amount.currency,
    )
