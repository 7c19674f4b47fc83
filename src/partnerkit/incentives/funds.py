"""MDF, funding for headcount (FH) and SPIF: lifecycles, money and deadlines (3.6-3.9).

The yes/no questions ("may this partner apply for MDF?") are answered by
:mod:`partnerkit.eligibility.benefits`; this module calls those decisions as
guards and adds what they lack: the stored applications and their state
machines, the amounts (budget splits, reimbursable amounts, FH totals,
quota accounting) and the deadlines (R-INC-60..97).

Every value is frozen.  A transition function returns a new value; a refused
transition raises a :class:`FundsError` subclass that carries the rule ID and
the requested and allowed values, and leaves its input untouched.  Instants
are read as calendar days in GMT+08:00, the Huawei reference zone (C1).

>>> from datetime import date, datetime
>>> from partnerkit.periods import GMT_PLUS_8
>>> usd = lambda a: Money.of(a, "USD")
>>> app = MdfApplication(application_id="m1", activity_name="Cloud day",
...     activity_type="seminar", expected_start=date(2024, 9, 20),
...     expected_end=date(2024, 9, 22), agreement_accepted=True,
...     budget_items=(BudgetItem(item="Design", mdf_used=True, amount=usd(100)),))
>>> app.budget_with_mdf, app.budget_without_mdf, app.budget_total
(Money('100.00', 'USD'), Money('0.00', 'USD'), Money('100.00', 'USD'))
>>> quota = MdfQuotaAccount(quota=usd(10000))
>>> app = submit_mdf(app, quota=quota, business_info_certified=True,
...                  as_of=datetime(2024, 9, 6, 10, tzinfo=GMT_PLUS_8))
>>> app, quota = approve_mdf(app, quota, as_of=datetime(2024, 9, 10, tzinfo=GMT_PLUS_8))
>>> app.status.value, quota.available
('approved', Money('9900.00', 'USD'))
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Any, Final, TypeVar, final

import attrs

import partnerkit._validators as _v
from partnerkit._construct import checked
from partnerkit.calendars import WEEKENDS, WorkingCalendar, add_working_days, roll_backward
from partnerkit.decisions import Decision, Reason
from partnerkit.eligibility.benefits import (
    fh_reconcile_by,
    may_add_spif_recipient,
    may_apply_mdf,
    may_confirm_si_fh,
    may_reimburse_mdf,
    may_request_fh,
    may_request_fh_payment,
    may_request_si_fh,
    may_select_fh_recipients,
    mdf_application_late,
    qualified_new_customer,
    si_fh_engineer_eligible,
)
from partnerkit.eligibility.network import ExitBlocker
from partnerkit.errors import InvalidArgumentError, RuleViolationError
from partnerkit.money import Currency, Money, Rounding, total
from partnerkit.periods import GMT_PLUS_8, Period, PeriodKind, add_months, require_aware

__all__ = [
    "FH_PROOF_FORMATS",
    "FH_PROOF_MAX_BYTES",
    "FH_PROOF_MAX_FILES",
    "MDF_PATH_QUOTAS",
    "BudgetItem",
    "FhIncentiveExpired",
    "FhIncentiveStatus",
    "FhMonthlyLimitReached",
    "FhPayment",
    "FhPaymentStatus",
    "FhProgramme",
    "FhProof",
    "FhProofKind",
    "FhQualification",
    "FhQuarterlyIncentive",
    "FhRecipient",
    "FhRequestLimitReached",
    "FundRequestRefused",
    "FundsError",
    "InvalidFundTransition",
    "MdfApplication",
    "MdfKpis",
    "MdfMaterial",
    "MdfQuotaAccount",
    "MdfQuotaExceeded",
    "MdfQuotaReference",
    "MdfReimbursement",
    "MdfStatus",
    "ProofFile",
    "ProofUploadRejected",
    "QncCustomer",
    "QualificationStatus",
    "SiEngineer",
    "SiFhLine",
    "SiFhRequest",
    "SiFhStatus",
    "SpifApplication",
    "SpifChange",
    "SpifQuarter",
    "SpifRecipient",
    "SpifStatus",
    "approve_fh_payment",
    "approve_fh_qualification",
    "approve_mdf",
    "approve_mdf_reimbursement",
    "approve_spif",
    "cancel_mdf",
    "check_proof_upload",
    "confirm_fh_qualification",
    "credited_qualified_customers",
    "exit_blockers",
    "expire_fh_incentive",
    "fail_si_fh",
    "fh_incentive_status",
    "fh_total",
    "finalise_fh",
    "generate_fh_incentive",
    "mail_fh_invoice",
    "mail_mdf_invoice",
    "mdf_duplicate_warnings",
    "mdf_invoice_overdue",
    "mdf_latest_submission",
    "mdf_quota_for",
    "pass_si_fh",
    "pay_fh",
    "pay_mdf",
    "personnel_info_current",
    "qualified_customer_counts",
    "reconcile_fh",
    "record_spif_quarter",
    "reject_fh_invoice",
    "reject_fh_payment",
    "reject_fh_qualification",
    "reject_fh_reconciliation",
    "reject_mdf",
    "reject_mdf_reimbursement",
    "reject_spif",
    "request_fh_payment",
    "request_mdf_reimbursement",
    "request_si_fh",
    "request_si_fh_payment",
    "resubmit_fh_payment",
    "resubmit_si_fh",
    "resubmit_spif",
    "save_spif_recipients",
    "si_fh_total",
    "si_funding_period",
    "submit_mdf",
    "submit_spif",
    "update_fh_personnel",
    "upload_fh_proofs",
]

_E = TypeVar("_E", bound=enum.Enum)

#: Days after the activity within which MDF reimbursement needs no approval email (R-INC-68).
_LATE_REIMBURSEMENT_DAYS: Final = 90
#: Days after reimbursement approval within which the invoice is mailed (R-INC-71).
_INVOICE_DAYS: Final = 15
#: Working days an MDF application precedes the activity (R-INC-62).
_MDF_NOTICE_WORKING_DAYS: Final = 10
#: Requests per SI engineer per funding period (R-INC-86).
_SI_REQUESTS_PER_PERIOD: Final = 2


# --------------------------------------------------------------------------- errors


class FundsError(RuleViolationError):
    """Root of this module's refusals: a rule of R-INC-60..97 was broken.

    Attributes:
        rule_id: The spec rule (``"R-INC-63"``).
        fields: The facts of the refusal (``requested``, ``allowed`` ...).
        reasons: Every failed guard, as :class:`~partnerkit.decisions.Reason` values.
    """


class InvalidFundTransition(FundsError):
    """The event is not allowed from the current status.

    Attributes:
        entity: What was acted on (``"MDF application"`` ...).
        event: The refused event (``"cancel"`` ...).
        status: The current status.
        allowed: The statuses from which the event is allowed.
    """

    def __init__(
        self,
        *,
        entity: str,
        event: str,
        status: enum.Enum,
        allowed: Sequence[enum.Enum],
        rule_id: str,
    ) -> None:
        super().__init__(
            rule_id,
            f"cannot {event} a {entity} in status {status.value}",
            fields={
                "code": "INVALID_TRANSITION",
                "entity": entity,
                "event": event,
                "status": status.value,
                "allowed": tuple(a.value for a in allowed),
            },
        )
        self.entity = entity
        self.event = event
        self.status = status
        self.allowed = tuple(allowed)


class FundRequestRefused(FundsError):
    """A guard of a fund request failed; ``reasons`` lists every failed guard.

    The error's ``rule_id``, message and ``fields`` are the first reason's.

    Attributes:
        codes: The codes of every failed guard, in order.
    """

    def __init__(self, reasons: Sequence[Reason]) -> None:
        first = reasons[0]
        super().__init__(
            first.rule_id, first.message, fields={"code": first.code, **first.fields},
            reasons=reasons,
        )  # fmt: skip
        self.codes = tuple(r.code for r in reasons)


class MdfQuotaExceeded(FundRequestRefused):
    """The MDF-used amount exceeds the quota left (R-INC-63, R-INC-69, DC-INC-21).

    ``fields`` holds ``requested`` and ``remaining``.
    """


class FhRequestLimitReached(FundRequestRefused):
    """An SI engineer already has 2 requests in the funding period (R-INC-86).

    Attributes:
        limit: The most requests per engineer and funding period (2).
    """

    def __init__(self, reasons: Sequence[Reason]) -> None:
        super().__init__(reasons)
        self.limit: int = self.fields["limit"]


class FhMonthlyLimitReached(FundRequestRefused):
    """The partner already filed an SI FH application this month (R-INC-87).

    Attributes:
        limit: The most applications per partner and calendar month (1).
    """

    def __init__(self, reasons: Sequence[Reason]) -> None:
        super().__init__(reasons)
        self.limit: int = self.fields["limit"]


class FhIncentiveExpired(FundRequestRefused):
    """The FH incentive was not reconciled within 14 days of generation (R-INC-76)."""


class ProofUploadRejected(FundRequestRefused):
    """A proof upload breaks the file rules (R-INC-80)."""


_ERRORS: Final[Mapping[str, type[FundRequestRefused]]] = MappingProxyType(
    {
        "MDF_QUOTA_EXCEEDED": MdfQuotaExceeded,
        "MAX_2_REQUESTS": FhRequestLimitReached,
        "MONTHLY_LIMIT": FhMonthlyLimitReached,
        "FH_EXPIRED": FhIncentiveExpired,
        "PROOF_REJECTED": ProofUploadRejected,
    }
)


def _refuse(reasons: Sequence[Reason]) -> None:
    """Raise the error of the first reason, carrying all of them; nothing if empty."""
    if reasons:
        raise _ERRORS.get(reasons[0].code, FundRequestRefused)(tuple(reasons))


def _adopt(decision: Decision, rules: Mapping[str, str]) -> list[Reason]:
    """The eligibility decision's reasons, re-cited under this area's rules.

    The eligibility rule stays in ``fields["eligibility_rule"]``.
    """
    return [
        Reason(
            r.code,
            rules.get(r.code, r.rule_id),
            r.message,
            {**r.fields, "eligibility_rule": r.rule_id},
        )
        for r in decision.reasons
    ]


def _require_status(
    entity: str, event: str, status: _E, allowed: Collection[_E], rule_id: str
) -> None:
    if status not in allowed:
        raise InvalidFundTransition(
            entity=entity, event=event, status=status, allowed=tuple(allowed), rule_id=rule_id
        )


# --------------------------------------------------------------------------- validators


def _day(as_of: datetime) -> date:
    """The GMT+08:00 calendar day of an instant (C1)."""
    return require_aware(as_of).astimezone(GMT_PLUS_8).date()


def _local(as_of: datetime) -> datetime:
    return require_aware(as_of).astimezone(GMT_PLUS_8)


def _flag(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, bool):
        raise InvalidArgumentError(attribute.name, value, "expected True or False")


def _plain_date(value: object, argument: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidArgumentError(argument, value, "expected a calendar date")
    return value


def _a_date(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    _plain_date(value, attribute.name)


def _optional_date(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _plain_date(value, attribute.name)


def _amount(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Money) or value.is_negative():
        raise InvalidArgumentError(attribute.name, value, "a Money >= 0")


def _count(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidArgumentError(attribute.name, value, "a count >= 0")


def _quarter(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Period) or value.kind is not PeriodKind.QUARTER:
        raise InvalidArgumentError(attribute.name, value, "a calendar quarter")


def _texts(value: Iterable[str]) -> tuple[str, ...]:
    items = tuple(value)
    if not all(isinstance(v, str) and v for v in items):
        raise InvalidArgumentError("comments", items, "non-empty strings")
    return items


def _text_arg(value: object, argument: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgumentError(argument, value, "expected a non-empty string")
    return value


def _two(amount: Money) -> Money:
    return amount.round(rounding=Rounding.HALF_UP)


# --------------------------------------------------------------------------- MDF quota


@final
@attrs.frozen(kw_only=True)
class MdfQuotaReference:
    """A published MDF quota of a development-path stage (1.11; reference data, DC-INC-42).

    Attributes:
        ladder: The path (``"path.SYSTEM_INTEGRATOR"``).
        stage: ``"SELECTION"``, ``"VALIDATION"`` or ``"DIFFERENTIATION"``.
        amount: The quota ("up to" that amount).
        per: What it counts over: ``"solution"``, ``"capability-tag"`` or ``"partner"``.
    """

    ladder: str = attrs.field(validator=_v.text)
    stage: str = attrs.field(validator=_v.text)
    amount: Money = attrs.field(validator=_amount)
    per: str = "partner"


def _quota(ladder: str, stage: str, amount: int, per: str = "partner") -> MdfQuotaReference:
    return MdfQuotaReference(ladder=ladder, stage=stage, amount=Money.of(amount, "USD"), per=per)


#: The path-stage MDF quotas of section 1.11.  CSP and distributor tiers have
#: no published amounts: they come from a quota provider (DC-INC-42).
MDF_PATH_QUOTAS: Final[tuple[MdfQuotaReference, ...]] = (
    _quota("path.SOFTWARE_PARTNER", "VALIDATION", 10000, "solution"),
    _quota("path.SOFTWARE_PARTNER", "DIFFERENTIATION", 15000, "solution"),
    _quota("path.SERVICE_PARTNER", "SELECTION", 15000, "capability-tag"),
    _quota("path.SERVICE_PARTNER", "VALIDATION", 15000, "capability-tag"),
    _quota("path.SERVICE_PARTNER", "DIFFERENTIATION", 15000, "capability-tag"),
    _quota("path.SYSTEM_INTEGRATOR", "VALIDATION", 30000),
    _quota("path.SYSTEM_INTEGRATOR", "DIFFERENTIATION", 50000),
    _quota("path.LEARNING_PARTNER", "VALIDATION", 8000),
)


def mdf_quota_for(ladder: str, stage: str) -> MdfQuotaReference:
    """The published MDF quota of a path stage (R-INC-61, 1.11, DC-INC-42).

    >>> mdf_quota_for("path.SYSTEM_INTEGRATOR", "DIFFERENTIATION").amount
    Money('50000', 'USD')
    """
    for reference in MDF_PATH_QUOTAS:
        if reference.ladder == ladder and reference.stage == stage:
            return reference
    raise InvalidArgumentError(
        "stage", (ladder, stage), "no published MDF quota; supply it as data", rule_id="R-INC-61"
    )


def _holds(value: Iterable[tuple[str, Money]]) -> tuple[tuple[str, Money], ...]:
    return tuple(sorted(value, key=lambda pair: pair[0]))


@checked
@final
@attrs.frozen(kw_only=True)
class MdfQuotaAccount:
    """A partner's MDF quota and what is held against it (DC-INC-21).

    The quota is reserved on application approval, released on cancellation,
    and consumed (the reimbursed amount; the rest released) on
    reimbursement approval.  ``reserved + consumed + available == quota``.

    Attributes:
        quota: The quota.
        holds: ``(application_id, reserved amount)`` per approved application.
        consumed: What reimbursements consumed.
    """

    quota: Money = attrs.field(validator=_amount)
    holds: tuple[tuple[str, Money], ...] = attrs.field(default=(), converter=_holds)
    consumed: Money = attrs.field(
        default=attrs.Factory(lambda self: self.quota.currency.zero, takes_self=True),
        validator=_amount,
    )

    def __attrs_post_init__(self) -> None:
        if self.available.is_negative():
            raise InvalidArgumentError("holds", self.holds, "more held than the quota")

    @property
    def reserved(self) -> Money:
        """The sum of the holds."""
        return total((m for _, m in self.holds), currency=self.quota.currency)

    @property
    def available(self) -> Money:
        """``quota - reserved - consumed``: what a new application may use (R-INC-63)."""
        return self.quota - self.reserved - self.consumed

    def held(self, application_id: str) -> Money:
        """The amount held for one application (zero if none)."""
        for key, amount in self.holds:
            if key == application_id:
                return amount
        return self.quota.currency.zero

    def reserve(self, application_id: str, amount: Money) -> MdfQuotaAccount:
        """Hold ``amount`` for an approved application (DC-INC-21, R-INC-63)."""
        _text_arg(application_id, "application_id")
        if any(key == application_id for key, _ in self.holds):
            raise InvalidArgumentError("application_id", application_id, "already holds quota")
        if amount > self.available:
            _refuse([_quota_reason("R-INC-63", amount, self.available)])
        return attrs.evolve(self, holds=(*self.holds, (application_id, amount)))

    def release(self, application_id: str) -> MdfQuotaAccount:
        """Give back an application's hold (cancellation, DC-INC-21); no hold is a no-op."""
        return attrs.evolve(self, holds=tuple(h for h in self.holds if h[0] != application_id))

    def consume(self, application_id: str, amount: Money) -> MdfQuotaAccount:
        """Consume ``amount`` of an application's hold and release the rest (DC-INC-21)."""
        held = self.held(application_id)
        if amount.is_negative() or amount > held:
            _refuse([_quota_reason("R-INC-69", amount, held)])
        released = self.release(application_id)
        return attrs.evolve(released, consumed=self.consumed + amount)


def _quota_reason(rule_id: str, requested: Money, remaining: Money) -> Reason:
    return Reason(
        "MDF_QUOTA_EXCEEDED",
        rule_id,
        "the MDF-used amount exceeds the quota left; ask the ecosystem manager for more",
        {"requested": requested, "remaining": remaining},
    )


# --------------------------------------------------------------------------- MDF values


class MdfStatus(enum.Enum):
    """An MDF application's status, reimbursement included (3.6)."""

    DRAFT = "draft"
    UNDER_REVIEW = "under-review"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    REIMBURSEMENT_UNDER_REVIEW = "reimbursement-under-review"
    REIMBURSEMENT_REJECTED = "reimbursement-rejected"
    REIMBURSEMENT_APPROVED = "reimbursement-approved"
    INVOICE_MAILED = "invoice-mailed"
    PAID = "paid"


class MdfMaterial(enum.Enum):
    """The reimbursement materials, all three required (R-INC-70)."""

    THIRD_PARTY_INVOICES = "third-party-invoices"
    ACTIVITY_SUMMARY_REPORT = "activity-summary-report"
    ADS_PHOTOS = "ads-photos"


@final
@attrs.frozen(kw_only=True)
class BudgetItem:
    """One budget or expense line, tax included (1.11).

    Attributes:
        item: What it is (``"Design"``).
        mdf_used: Whether MDF pays for it.
        amount: The amount, tax included.
        remarks: Free text.
    """

    item: str = attrs.field(validator=_v.text)
    mdf_used: bool = attrs.field(validator=_flag)
    amount: Money = attrs.field(validator=_amount)
    remarks: str | None = attrs.field(default=None, validator=_v.optional_text)


def _items(value: Iterable[BudgetItem]) -> tuple[BudgetItem, ...]:
    items = tuple(value)
    if not all(isinstance(i, BudgetItem) for i in items):
        raise InvalidArgumentError("items", items, "expected BudgetItem values")
    return items


def _split(items: tuple[BudgetItem, ...], currency: str) -> tuple[Money, Money]:
    used = total((i.amount for i in items if i.mdf_used), currency=currency)
    other = total((i.amount for i in items if not i.mdf_used), currency=currency)
    return _two(used), _two(other)


@final
@attrs.frozen(kw_only=True)
class MdfKpis:
    """Objective KPIs of an activity, planned or achieved (1.11)."""

    customers_reached: int = attrs.field(default=0, validator=_count)
    media_views: int = attrs.field(default=0, validator=_count)
    developed_customers: int = attrs.field(default=0, validator=_count)
    leads: int = attrs.field(default=0, validator=_count)
    estimated_revenue: Money = attrs.field(
        factory=lambda: Money.of("0.00", "USD"), validator=_amount
    )


def _materials(value: Iterable[MdfMaterial]) -> frozenset[MdfMaterial]:
    materials = frozenset(value)
    if not all(isinstance(m, MdfMaterial) for m in materials):
        raise InvalidArgumentError("materials", value, "expected MdfMaterial values")
    return materials


@checked
@final
@attrs.frozen(kw_only=True)
class MdfReimbursement:
    """A reimbursement request (1.11).

    Attributes:
        expense_items: Actual expenses, tax included.
        materials: Which materials are uploaded (R-INC-70).
        delay_approval_email: The budget department's approval, needed more
            than 90 days after the activity (R-INC-68).
        summary: The achieved KPIs.
        currency: The currency of the amounts (USD).
        submitted_on: When it was (last) submitted.
        reimbursable: ``min(MDF-used expense, approved budget, quota left)`` (DC-INC-20).
        approved_on: When the vendor approved it.
        invoice_mailed_on: When the partner mailed the invoice.
        paid_on: When the vendor paid.
    """

    expense_items: tuple[BudgetItem, ...] = attrs.field(converter=_items)
    materials: frozenset[MdfMaterial] = attrs.field(factory=frozenset, converter=_materials)
    delay_approval_email: bool = attrs.field(default=False, validator=_flag)
    summary: MdfKpis = attrs.field(factory=MdfKpis)
    currency: str = "USD"
    submitted_on: date | None = attrs.field(default=None, validator=_optional_date)
    reimbursable: Money | None = None
    approved_on: date | None = attrs.field(default=None, validator=_optional_date)
    invoice_mailed_on: date | None = attrs.field(default=None, validator=_optional_date)
    paid_on: date | None = attrs.field(default=None, validator=_optional_date)

    @property
    def expense_with_mdf(self) -> Money:
        """The MDF-used expenses, tax included."""
        return _split(self.expense_items, self.currency)[0]

    @property
    def expense_without_mdf(self) -> Money:
        """The expenses MDF does not pay, tax included (recorded, never reimbursed)."""
        return _split(self.expense_items, self.currency)[1]

    @property
    def expense_total(self) -> Money:
        """All expenses, tax included."""
        return self.expense_with_mdf + self.expense_without_mdf

    @property
    def invoice_due(self) -> date | None:
        """Approval + 15 days (R-INC-71, C13); ``None`` before approval."""
        if self.approved_on is None:
            return None
        return self.approved_on + timedelta(days=_INVOICE_DAYS)


@checked
@final
@attrs.frozen(kw_only=True)
class MdfApplication:
    """An MDF application and its reimbursement (1.11, 3.6).

    Attributes:
        application_id: Its id.
        activity_name: The activity.
        activity_type: Its kind (seminar, exhibition ...).
        expected_start: First day of the activity.
        expected_end: Last day of the activity.
        budget_items: The budget, tax included.
        marketing_activity: MDF funds marketing activities only (R-INC-60).
        agreement_accepted: The MDF payment agreement (3.6).
        late_reason: Why it is filed later than 10 working days ahead (R-INC-62).
        objectives: The planned KPIs.
        currency: The currency of the amounts (USD).
        status: See :class:`MdfStatus`.
        submitted_on: When it was (last) submitted.
        late: Whether the last submission was late (R-INC-62).
        approved_budget: The MDF-used budget approved (and reserved, DC-INC-21).
        approved_on: When it was approved.
        reimbursement: The reimbursement, once requested.
        comments: Review comments, oldest first (DC-INC-19).
    """

    application_id: str = attrs.field(validator=_v.text)
    activity_name: str = attrs.field(validator=_v.text)
    activity_type: str = attrs.field(validator=_v.text)
    expected_start: date = attrs.field(validator=_a_date)
    expected_end: date = attrs.field(validator=_a_date)
    budget_items: tuple[BudgetItem, ...] = attrs.field(converter=_items)
    marketing_activity: bool = attrs.field(default=True, validator=_flag)
    agreement_accepted: bool = attrs.field(default=False, validator=_flag)
    late_reason: str | None = attrs.field(default=None, validator=_v.optional_text)
    objectives: MdfKpis = attrs.field(factory=MdfKpis)
    currency: str = "USD"
    status: MdfStatus = MdfStatus.DRAFT
    submitted_on: date | None = attrs.field(default=None, validator=_optional_date)
    late: bool = attrs.field(default=False, validator=_flag)
    approved_budget: Money | None = None
    approved_on: date | None = attrs.field(default=None, validator=_optional_date)
    reimbursement: MdfReimbursement | None = None
    comments: tuple[str, ...] = attrs.field(default=(), converter=_texts)

    def __attrs_post_init__(self) -> None:
        Currency(self.currency)
        if self.expected_end < self.expected_start:
            raise InvalidArgumentError("expected_end", self.expected_end, "before the start")

    @property
    def budget_with_mdf(self) -> Money:
        """The "Amount with MDF Used (Tax Included)" (1.11)."""
        return _split(self.budget_items, self.currency)[0]

    @property
    def budget_without_mdf(self) -> Money:
        """The budget MDF does not pay, tax included."""
        return _split(self.budget_items, self.currency)[1]

    @property
    def budget_total(self) -> Money:
        """The whole budget, tax included."""
        return self.budget_with_mdf + self.budget_without_mdf


_MDF = "MDF application"


def mdf_latest_submission(
    activity_starts: date, *, calendar: WorkingCalendar = WEEKENDS, days: int = 10
) -> date:
    """The last working day to apply on time: ``add_working_days(day, 10) <= start`` (DC-INC-15).

    A submission on a later non-working day is on time too if no working day
    separates it from this one (R-INC-62).

    >>> mdf_latest_submission(date(2024, 9, 20))
    datetime.date(2024, 9, 6)
    """
    return add_working_days(calendar, roll_backward(calendar, activity_starts), -days)


def _mdf_late(activity_starts: date, as_of: datetime, calendar: WorkingCalendar) -> bool:
    # DC-INC-15: late when ``add_working_days(submitted, 10) > start`` (eligibility decides).
    return mdf_application_late(
        activity_starts,
        require_aware(as_of).astimezone(GMT_PLUS_8),
        calendar=calendar,
        days=_MDF_NOTICE_WORKING_DAYS,
    )


def submit_mdf(
    application: MdfApplication,
    *,
    quota: MdfQuotaAccount,
    business_info_certified: bool,
    as_of: datetime,
    calendar: WorkingCalendar = WEEKENDS,
) -> MdfApplication:
    """Submit a draft, or resubmit a rejected application, for review (3.6, R-INC-60..65).

    Guards: a marketing activity (R-INC-60); certified business information
    (R-INC-61, eligibility R-ELIG-097); the payment agreement accepted (3.6);
    at least one budget item; the MDF-used budget within the quota left
    (R-INC-63); 10 working days before the start, or a late reason (R-INC-62).
    """
    _require_status(
        _MDF, "submit", application.status, (MdfStatus.DRAFT, MdfStatus.REJECTED), "R-INC-65"
    )
    day = _day(as_of)
    requested = application.budget_with_mdf
    reasons: list[Reason] = []
    if not application.marketing_activity:
        reasons.append(
            Reason(
                "NOT_MARKETING",
                "R-INC-60",
                "MDF funds marketing activities only",
                {"activity_type": application.activity_type},
            )
        )
    decision = may_apply_mdf(
        business_info_certified=business_info_certified,
        remaining=quota.available,
        requested=requested,
    )
    eligibility = _adopt(
        decision, {"BUSINESS_INFO_NOT_CERTIFIED": "R-INC-61", "MDF_QUOTA_EXCEEDED": "R-INC-63"}
    )
    reasons.extend(r for r in eligibility if r.code != "MDF_QUOTA_EXCEEDED")
    if not application.agreement_accepted:
        reasons.append(
            Reason("AGREEMENT_NOT_ACCEPTED", "R-INC-61", "accept the MDF payment agreement")
        )
    if not application.budget_items:
        reasons.append(Reason("NO_BUDGET", "R-INC-63", "the application needs a budget"))
    late = _mdf_late(application.expected_start, as_of, calendar)
    if late and application.late_reason is None:
        reasons.append(
            Reason(
                "LATE_REASON_REQUIRED",
                "R-INC-62",
                "applications later than 10 working days before the activity state a reason",
                {
                    "submitted": day,
                    "latest_on_time": mdf_latest_submission(
                        application.expected_start, calendar=calendar
                    ),
                },
            )
        )
    # The quota is the one refusal with its own error type: put it first.
    reasons[:0] = [r for r in eligibility if r.code == "MDF_QUOTA_EXCEEDED"]
    _refuse(reasons)
    return attrs.evolve(application, status=MdfStatus.UNDER_REVIEW, submitted_on=day, late=late)


def mdf_duplicate_warnings(
    application: MdfApplication, existing: Iterable[MdfApplication]
) -> tuple[Reason, ...]:
    """Warnings for submitted applications that look like this one (R-INC-64, a DESIGN CHOICE).

    Similar means the same activity name (case and spacing ignored) with
    overlapping dates.  Drafts and cancelled applications are not compared.
    Warning only: nothing is refused.
    """
    name = " ".join(application.activity_name.casefold().split())
    warnings = []
    for other in existing:
        if other.application_id == application.application_id or other.status in (
            MdfStatus.DRAFT,
            MdfStatus.CANCELLED,
        ):
            continue
        same_name = " ".join(other.activity_name.casefold().split()) == name
        overlap = (
            other.expected_start <= application.expected_end
            and application.expected_start <= other.expected_end
        )
        if same_name and overlap:
            warnings.append(
                Reason(
                    "SIMILAR_APPLICATION",
                    "R-INC-64",
                    "an application for a similar activity was already submitted",
                    {"application_id": other.application_id, "status": other.status.value},
                )
            )
    return tuple(warnings)


def approve_mdf(
    application: MdfApplication, quota: MdfQuotaAccount, *, as_of: datetime
) -> tuple[MdfApplication, MdfQuotaAccount]:
    """The vendor approves; the MDF-used budget is reserved (3.6, DC-INC-21)."""
    _require_status(_MDF, "approve", application.status, (MdfStatus.UNDER_REVIEW,), "R-INC-63")
    day = _day(as_of)
    budget = application.budget_with_mdf
    account = quota.reserve(application.application_id, budget)
    return (
        attrs.evolve(
            application, status=MdfStatus.APPROVED, approved_budget=budget, approved_on=day
        ),
        account,
    )


def reject_mdf(application: MdfApplication, *, comment: str) -> MdfApplication:
    """The vendor rejects with comments; the partner may modify and resubmit (R-INC-65)."""
    _require_status(_MDF, "reject", application.status, (MdfStatus.UNDER_REVIEW,), "R-INC-65")
    return attrs.evolve(
        application,
        status=MdfStatus.REJECTED,
        comments=(*application.comments, _text_arg(comment, "comment")),
    )


def cancel_mdf(
    application: MdfApplication, quota: MdfQuotaAccount
) -> tuple[MdfApplication, MdfQuotaAccount]:
    """Cancel while under review or approved; an approval's reservation is released (R-INC-66)."""
    _require_status(
        _MDF, "cancel", application.status, (MdfStatus.UNDER_REVIEW, MdfStatus.APPROVED),
        "R-INC-66",
    )  # fmt: skip
    return (
        attrs.evolve(application, status=MdfStatus.CANCELLED),
        quota.release(application.application_id),
    )


def request_mdf_reimbursement(
    application: MdfApplication,
    reimbursement: MdfReimbursement,
    quota: MdfQuotaAccount,
    *,
    business_info_certified: bool,
    as_of: datetime,
    bills_paid: bool = True,
    growcloud: bool = False,
) -> MdfApplication:
    """Request reimbursement of an approved application, or resubmit a rejected one (3.6).

    Guards: after the activity (R-INC-67); certified business information
    and, for GrowCloud partners, paid bills (R-INC-67, eligibility
    R-ELIG-098); more than 90 days after the activity only with the approval
    email (R-INC-68); the MDF-used expense within the quota left for the
    application (R-INC-69); all three materials (R-INC-70).  The reimbursable
    amount is ``min(MDF-used expense, approved budget, quota left)`` (DC-INC-20).
    """
    _require_status(
        _MDF, "request reimbursement for", application.status,
        (MdfStatus.APPROVED, MdfStatus.REIMBURSEMENT_REJECTED), "R-INC-67",
    )  # fmt: skip
    if not isinstance(reimbursement, MdfReimbursement):
        raise InvalidArgumentError("reimbursement", reimbursement, "expected MdfReimbursement")
    day = _day(as_of)
    remaining = quota.available + quota.held(application.application_id)
    expense = reimbursement.expense_with_mdf
    reasons: list[Reason] = []
    if expense > remaining:
        reasons.append(_quota_reason("R-INC-69", expense, remaining))
    if day <= application.expected_end:
        reasons.append(
            Reason(
                "ACTIVITY_NOT_FINISHED",
                "R-INC-67",
                "reimbursement is requested after the activity",
                {"activity_ends": application.expected_end, "submitted": day},
            )
        )
    decision = may_reimburse_mdf(
        business_info_certified=business_info_certified,
        activity_ended=application.expected_end,
        as_of=_local(as_of),
        bills_paid=bills_paid,
        growcloud=growcloud,
        budget_approval=reimbursement.delay_approval_email,
    )
    reasons.extend(
        _adopt(
            decision,
            {
                "BUSINESS_INFO_NOT_CERTIFIED": "R-INC-67",
                "BILLS_UNPAID": "R-INC-67",
                "LATE_REIMBURSEMENT_NO_APPROVAL": "R-INC-68",
            },
        )
    )
    missing = sorted(m.value for m in set(MdfMaterial) - reimbursement.materials)
    if missing:
        reasons.append(
            Reason(
                "MATERIALS_MISSING",
                "R-INC-70",
                "upload the third-party invoices, the activity summary report and the ads photos",
                {"missing": tuple(missing)},
            )
        )
    _refuse(reasons)
    approved = application.approved_budget
    assert approved is not None
    reimbursable = min(expense, approved, remaining)
    return attrs.evolve(
        application,
        status=MdfStatus.REIMBURSEMENT_UNDER_REVIEW,
        reimbursement=attrs.evolve(
            reimbursement, submitted_on=day, reimbursable=_two(reimbursable)
        ),
    )


def reject_mdf_reimbursement(application: MdfApplication, *, comment: str) -> MdfApplication:
    """The vendor rejects the reimbursement; the partner modifies and resubmits (3.6, DC-INC-19)."""
    _require_status(
        _MDF, "reject the reimbursement of", application.status,
        (MdfStatus.REIMBURSEMENT_UNDER_REVIEW,), "R-INC-67",
    )  # fmt: skip
    return attrs.evolve(
        application,
        status=MdfStatus.REIMBURSEMENT_REJECTED,
        comments=(*application.comments, _text_arg(comment, "comment")),
    )


def approve_mdf_reimbursement(
    application: MdfApplication, quota: MdfQuotaAccount, *, as_of: datetime
) -> tuple[MdfApplication, MdfQuotaAccount]:
    """The vendor approves: the reimbursable amount is consumed, the rest released (DC-INC-21).

    The invoice is then due within 15 days (R-INC-71).
    """
    _require_status(
        _MDF, "approve the reimbursement of", application.status,
        (MdfStatus.REIMBURSEMENT_UNDER_REVIEW,), "R-INC-71",
    )  # fmt: skip
    claim = application.reimbursement
    assert claim is not None
    assert claim.reimbursable is not None
    account = quota.consume(application.application_id, claim.reimbursable)
    return (
        attrs.evolve(
            application,
            status=MdfStatus.REIMBURSEMENT_APPROVED,
            reimbursement=attrs.evolve(claim, approved_on=_day(as_of)),
        ),
        account,
    )


def mail_mdf_invoice(application: MdfApplication, *, as_of: datetime) -> MdfApplication:
    """The partner prints the invoicing form and mails it with the invoice (R-INC-71).

    A late invoice is accepted and flagged (:func:`mdf_invoice_overdue`, DC-INC-21).
    """
    _require_status(
        _MDF, "mail the invoice of", application.status, (MdfStatus.REIMBURSEMENT_APPROVED,),
        "R-INC-71",
    )  # fmt: skip
    claim = application.reimbursement
    assert claim is not None
    return attrs.evolve(
        application,
        status=MdfStatus.INVOICE_MAILED,
        reimbursement=attrs.evolve(claim, invoice_mailed_on=_day(as_of)),
    )


def pay_mdf(application: MdfApplication, *, as_of: datetime) -> MdfApplication:
    """The vendor pays the reimbursement (3.6)."""
    _require_status(_MDF, "pay", application.status, (MdfStatus.INVOICE_MAILED,), "R-INC-71")
    claim = application.reimbursement
    assert claim is not None
    return attrs.evolve(
        application, status=MdfStatus.PAID, reimbursement=attrs.evolve(claim, paid_on=_day(as_of))
    )


def mdf_invoice_overdue(application: MdfApplication, *, as_of: datetime) -> bool:
    """Whether the invoice is (or was) later than approval + 15 days (R-INC-71, DC-INC-21).

    A mailed invoice is judged on its mailing day; an unmailed one on ``as_of``.
    """
    claim = application.reimbursement
    due = None if claim is None else claim.invoice_due
    if claim is None or due is None:
        return False
    day = claim.invoice_mailed_on or _day(as_of)
    return day > due


# --------------------------------------------------------------------------- FH shared


class FhProgramme(enum.Enum):
    """Who the FH benefit is for (1.12)."""

    CSP = "csp"
    DISTRIBUTOR = "distributor"
    SI = "si"


class QualificationStatus(enum.Enum):
    """An FH qualification's status (3.7, 3.8)."""

    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


@final
@attrs.frozen(kw_only=True)
class FhQualification:
    """A partner's FH qualification (1.12).

    Attributes:
        partner_id: The partner.
        programme: CSP, distributor or SI.
        agreement_accepted: The FH agreement (SI: the SI FH protocol).
        huawei_ids_associated: HUAWEI IDs associated with the partner account (R-INC-92).
        employment_proof_commitment: SI: agrees to provide proof of employment (R-INC-84).
        status: See :class:`QualificationStatus`.
        requested_at: When it was confirmed.
    """

    partner_id: str = attrs.field(validator=_v.text)
    programme: FhProgramme
    agreement_accepted: bool = attrs.field(validator=_flag)
    huawei_ids_associated: bool = attrs.field(validator=_flag)
    employment_proof_commitment: bool = attrs.field(default=False, validator=_flag)
    status: QualificationStatus = QualificationStatus.SUBMITTED
    requested_at: datetime | None = attrs.field(default=None, validator=_v.optional_aware)


def confirm_fh_qualification(
    qualification: FhQualification, *, as_of: datetime, si_stage: str | None = None
) -> FhQualification:
    """Confirm the FH qualification (3.7, 3.8; R-INC-73, R-INC-84, R-INC-92).

    Every programme needs the FH agreement and associated HUAWEI IDs; an SI
    also needs competency differentiation on the SI path (eligibility
    R-ELIG-102) and the employment-proof commitment.
    """
    when = require_aware(as_of)
    reasons: list[Reason] = []
    if not qualification.agreement_accepted:
        reasons.append(Reason("AGREEMENT_NOT_ACCEPTED", "R-INC-73", "sign the FH agreement"))
    if not qualification.huawei_ids_associated:
        reasons.append(
            Reason(
                "HUAWEI_IDS_NOT_ASSOCIATED",
                "R-INC-92",
                "associate the employees' HUAWEI IDs with the partner account first",
            )
        )
    if qualification.programme is FhProgramme.SI:
        decision = may_confirm_si_fh(
            si_stage=si_stage, protocol_accepted=qualification.agreement_accepted
        )
        reasons.extend(
            r for r in _adopt(decision, {"SI_DIFFERENTIATION_REQUIRED": "R-INC-84"})
            if r.code != "PROTOCOL_REQUIRED"
        )  # fmt: skip
        if not qualification.employment_proof_commitment:
            reasons.append(
                Reason(
                    "EMPLOYMENT_PROOF_COMMITMENT",
                    "R-INC-84",
                    "agree to provide proof of employment (e.g. a social security certificate)",
                )
            )
    _refuse(reasons)
    return attrs.evolve(qualification, status=QualificationStatus.SUBMITTED, requested_at=when)


def approve_fh_qualification(qualification: FhQualification) -> FhQualification:
    """The vendor approves the qualification (3.7)."""
    _require_status(
        "FH qualification", "approve", qualification.status, (QualificationStatus.SUBMITTED,),
        "R-INC-73",
    )  # fmt: skip
    return attrs.evolve(qualification, status=QualificationStatus.APPROVED)


def reject_fh_qualification(qualification: FhQualification) -> FhQualification:
    """The vendor rejects the qualification (3.7)."""
    _require_status(
        "FH qualification", "reject", qualification.status, (QualificationStatus.SUBMITTED,),
        "R-INC-73",
    )  # fmt: skip
    return attrs.evolve(qualification, status=QualificationStatus.REJECTED)


def _require_fh(qualification: FhQualification, *programmes: FhProgramme) -> None:
    if qualification.programme not in programmes:
        raise InvalidArgumentError(
            "qualification", qualification.programme, "an FH qualification of another programme"
        )
    decision = may_request_fh(
        qualification_approved=qualification.status is QualificationStatus.APPROVED,
        agreement_signed=qualification.agreement_accepted,
    )
    _refuse(_adopt(decision, {"FH_NOT_QUALIFIED": "R-INC-73"}))


def personnel_info_current(updated_on: date, *, as_of: datetime) -> bool:
    """Whether dedicated-personnel information is current (R-INC-75, C16).

    The information is maintained before the end of each month, so it is
    current if it was updated in the previous calendar month or later.

    >>> from partnerkit.periods import GMT_PLUS_8
    >>> personnel_info_current(date(2024, 3, 1), as_of=datetime(2024, 4, 10, tzinfo=GMT_PLUS_8))
    True
    """
    day = _day(as_of)
    last_month = Period.month(day.year, day.month).previous()
    return _plain_date(updated_on, "updated_on") >= last_month.first_day


# --------------------------------------------------------------------------- proofs


#: The formats a proof may have (R-INC-80).
FH_PROOF_FORMATS: Final = frozenset(
    {"doc", "docx", "xls", "xlsx", "zip", "rar", "jpg", "bmp", "png", "gif", "pdf"}
)
#: The most files per upload (R-INC-80).
FH_PROOF_MAX_FILES: Final = 10
#: The largest file, in bytes (50 MB; R-INC-80).
FH_PROOF_MAX_BYTES: Final = 50 * 1024 * 1024
_FORBIDDEN: Final[Mapping[FhProgramme, str]] = MappingProxyType(
    {
        FhProgramme.CSP: "!;?*@#$%^&<>|",
        FhProgramme.DISTRIBUTOR: "!;?*@#$%^&<>|",
        FhProgramme.SI: '!"*@#%^&-=+',
    }
)


@final
@attrs.frozen(kw_only=True)
class ProofFile:
    """An uploaded proof file: its name and size in bytes."""

    name: str = attrs.field(validator=_v.text)
    size_bytes: int = attrs.field(validator=_count)


def _proof_reason(problem: str, message: str, **fields: object) -> Reason:
    return Reason("PROOF_REJECTED", "R-INC-80", message, {"problem": problem, **fields})


def check_proof_upload(
    files: Iterable[ProofFile], *, programme: FhProgramme
) -> tuple[ProofFile, ...]:
    """The files if they may be uploaded, else raise :class:`ProofUploadRejected` (R-INC-80).

    At most 10 files of at most 50 MB each, in a listed format, with no
    special character of the programme's list in the name.
    """
    batch = tuple(files)
    if not all(isinstance(f, ProofFile) for f in batch):
        raise InvalidArgumentError("files", batch, "expected ProofFile values")
    reasons = []
    if not batch or len(batch) > FH_PROOF_MAX_FILES:
        reasons.append(
            _proof_reason(
                "FILE_COUNT", "upload 1 to 10 files",
                requested=len(batch), allowed=FH_PROOF_MAX_FILES,
            )
        )  # fmt: skip
    forbidden = _FORBIDDEN[programme]
    for file in batch:
        stem, dot, extension = file.name.rpartition(".")
        if not dot or not stem or extension.lower() not in FH_PROOF_FORMATS:
            reasons.append(
                _proof_reason(
                    "FORMAT", "the file format is not allowed",
                    file=file.name, allowed=tuple(sorted(FH_PROOF_FORMATS)),
                )
            )  # fmt: skip
        if file.size_bytes > FH_PROOF_MAX_BYTES:
            reasons.append(
                _proof_reason(
                    "SIZE", "a file is at most 50 MB",
                    file=file.name, requested=file.size_bytes, allowed=FH_PROOF_MAX_BYTES,
                )
            )  # fmt: skip
        bad = sorted({c for c in file.name if c in forbidden})
        if bad:
            reasons.append(
                _proof_reason(
                    "CHARACTERS", "the file name has special characters",
                    file=file.name, characters="".join(bad),
                )
            )  # fmt: skip
    _refuse(reasons)
    return batch


class FhProofKind(enum.Enum):
    """The proofs of an FH reconciliation or SI request (R-INC-78, 1.12)."""

    EMPLOYMENT_CERTIFICATE = "employment-certificate"
    QUALIFIED_NEW_CUSTOMERS = "qualified-new-customers"
    REPORT_AND_SUMMARY = "report-and-summary"
    PROJECT_MATERIALS = "project-materials"


#: The proofs a CSP or distributor reconciliation needs (R-INC-78).
_CSP_PROOFS: Final = frozenset(
    {
        FhProofKind.EMPLOYMENT_CERTIFICATE,
        FhProofKind.QUALIFIED_NEW_CUSTOMERS,
        FhProofKind.REPORT_AND_SUMMARY,
    }
)
#: The proofs an SI monthly request needs (1.12).
_SI_PROOFS: Final = frozenset({FhProofKind.EMPLOYMENT_CERTIFICATE, FhProofKind.PROJECT_MATERIALS})


def _files(value: Iterable[ProofFile]) -> tuple[ProofFile, ...]:
    return tuple(value)


@checked
@final
@attrs.frozen(kw_only=True)
class FhProof:
    """One kind of proof and its uploaded files."""

    kind: FhProofKind
    files: tuple[ProofFile, ...] = attrs.field(converter=_files)


def _with_proof(
    proofs: tuple[FhProof, ...], kind: FhProofKind, files: tuple[ProofFile, ...]
) -> tuple[FhProof, ...]:
    kept = tuple(p for p in proofs if p.kind is not kind)
    return tuple(sorted((*kept, FhProof(kind=kind, files=files)), key=lambda p: p.kind.value))


def _missing_proofs(
    proofs: Iterable[FhProof], needed: frozenset[FhProofKind], rule: str
) -> list[Reason]:
    missing = sorted(k.value for k in needed - {p.kind for p in proofs})
    if not missing:
        return []
    return [
        Reason("PROOFS_MISSING", rule, "upload every required proof", {"missing": tuple(missing)})
    ]


# ------------------------------------------------------------------ qualified new customers


def _spend(value: Mapping[Period, Money]) -> Mapping[Period, Money]:
    spend = dict(value)
    for month, amount in spend.items():
        _v.require_month(month, argument="monthly_spend")
        if not isinstance(amount, Money):
            raise InvalidArgumentError("monthly_spend", amount, "expected Money")
    return MappingProxyType(spend)


@checked
@final
@attrs.frozen(kw_only=True, eq=False)
class QncCustomer:
    """A customer's monthly spend, for qualified-new-customer counting (1.14).

    Attributes:
        customer_id: The customer.
        associated_partner: The partner it is associated with (a reseller for a distributor).
        monthly_spend: Expenditure per calendar month, in USD.
        account_manager: The HUAWEI ID of its account manager in the month it
            first qualified: the FH recipient credited (DC-INC-23).
    """

    customer_id: str = attrs.field(validator=_v.text)
    associated_partner: str = attrs.field(validator=_v.text)
    monthly_spend: Mapping[Period, Money] = attrs.field(converter=_spend)
    account_manager: str | None = attrs.field(default=None, validator=_v.optional_text)

    @property
    def window(self) -> tuple[Period, Period] | None:
        """The 12 months it is a qualified new customer (R-INC-79, eligibility R-ELIG-100)."""
        return qualified_new_customer(self.monthly_spend)

    def qualified_in(self, month: Period) -> bool:
        """Whether it is a qualified new customer in ``month`` (R-INC-79, C17)."""
        window = self.window
        return (
            window is not None
            and window[0] <= _v.require_month(month, argument="month") <= window[1]
        )


def credited_qualified_customers(
    customers: Iterable[QncCustomer],
    *,
    partner_id: str,
    programme: FhProgramme,
    distributor_of: Mapping[str, str] | None = None,
) -> tuple[QncCustomer, ...]:
    """The customers credited to a partner for FH (R-INC-79).

    A CSP counts only its own associated customers; a distributor counts the
    customers of all its resellers (``distributor_of`` maps reseller to distributor).
    """
    resellers = distributor_of or {}
    if programme is FhProgramme.CSP:
        return tuple(c for c in customers if c.associated_partner == partner_id)
    if programme is FhProgramme.DISTRIBUTOR:
        return tuple(c for c in customers if resellers.get(c.associated_partner) == partner_id)
    raise InvalidArgumentError(
        "programme", programme, "qualified new customers count for CSP or distributor FH"
    )


def qualified_customer_counts(
    customers: Iterable[QncCustomer],
    *,
    partner_id: str,
    programme: FhProgramme,
    quarter: Period,
    distributor_of: Mapping[str, str] | None = None,
) -> Mapping[str, int]:
    """Qualified new customers per recipient in a quarter (R-INC-78, R-INC-79, DC-INC-23).

    A credited customer counts for its account manager if it is qualified in
    any month of the quarter.  Customers with no account manager count for nobody.
    """
    _quarter(None, attrs.fields(FhQuarterlyIncentive).quarter, quarter)
    counts: dict[str, int] = {}
    credited = credited_qualified_customers(
        customers, partner_id=partner_id, programme=programme, distributor_of=distributor_of
    )
    for customer in credited:
        manager = customer.account_manager
        if manager is not None and any(customer.qualified_in(m) for m in quarter.months()):
            counts[manager] = counts.get(manager, 0) + 1
    return MappingProxyType(counts)


# --------------------------------------------------------------------------- FH CSP / distributor


class FhIncentiveStatus(enum.Enum):
    """A quarterly FH incentive's status (3.7)."""

    GENERATED = "generated"
    CONFIRMED = "confirmed"
    EXPIRED = "expired"
    FINALISED = "finalised"


@final
@attrs.frozen(kw_only=True)
class FhRecipient:
    """An eligible FH recipient (1.12).

    Attributes:
        huawei_id: The person's HUAWEI ID.
        name: The person's name.
        on_the_job: The on-the-job duration as shown (``"3months"``).
        mbo_score: The MBO score.
        amount: The incentive, tax included.
        info_updated_on: When the dedicated-personnel information was last updated (R-INC-75).
    """

    huawei_id: str = attrs.field(validator=_v.text)
    name: str = attrs.field(validator=_v.text)
    on_the_job: str = attrs.field(validator=_v.text)
    mbo_score: int = attrs.field(validator=_count)
    amount: Money = attrs.field(validator=_amount)
    info_updated_on: date = attrs.field(validator=_a_date)


def _recipients(value: Iterable[FhRecipient]) -> tuple[FhRecipient, ...]:
    items = tuple(value)
    if not all(isinstance(r, FhRecipient) for r in items):
        raise InvalidArgumentError("eligible", items, "expected FhRecipient values")
    ids = [r.huawei_id for r in items]
    if len(set(ids)) != len(ids):
        raise InvalidArgumentError("eligible", ids, "a recipient is listed twice")
    return items


@checked
@final
@attrs.frozen(kw_only=True)
class FhQuarterlyIncentive:
    """A CSP's or distributor's FH incentive for one quarter (1.12, 3.7).

    Attributes:
        incentive_id: Its id.
        partner_id: The partner.
        programme: CSP or distributor.
        quarter: The quarter it covers (the one before its generation).
        generated_on: The day it was generated, at the start of the next quarter (C15).
        eligible: The eligible recipients.
        currency: The currency of the amounts (USD).
        status: See :class:`FhIncentiveStatus`.
        selected: The HUAWEI IDs of the selected recipients.
        dedicated_personnel: The dedicated personnel invested.
        proofs: The uploaded proofs.
        confirmed_once: Whether it was ever confirmed (the 14 days bind the first confirmation).
        reupload_required: Personnel changed since the proofs were uploaded (R-INC-81).
        comments: Review comments, oldest first.
    """

    incentive_id: str = attrs.field(validator=_v.text)
    partner_id: str = attrs.field(validator=_v.text)
    programme: FhProgramme
    quarter: Period = attrs.field(validator=_quarter)
    generated_on: date = attrs.field(validator=_a_date)
    eligible: tuple[FhRecipient, ...] = attrs.field(converter=_recipients)
    currency: str = "USD"
    status: FhIncentiveStatus = FhIncentiveStatus.GENERATED
    selected: tuple[str, ...] = ()
    dedicated_personnel: int = attrs.field(default=0, validator=_count)
    proofs: tuple[FhProof, ...] = ()
    confirmed_once: bool = attrs.field(default=False, validator=_flag)
    reupload_required: bool = attrs.field(default=False, validator=_flag)
    comments: tuple[str, ...] = attrs.field(default=(), converter=_texts)

    @property
    def reconcile_deadline(self) -> date:
        """Generation + 14 days (R-INC-76, C14, eligibility R-ELIG-100)."""
        return fh_reconcile_by(self.generated_on)

    @property
    def total(self) -> Money:
        """The sum of the selected recipients' amounts (2.12)."""
        return fh_total(r for r in self.eligible if r.huawei_id in self.selected)


def fh_total(recipients: Iterable[FhRecipient], *, currency: str = "USD") -> Money:
    """``SUM incentive_amount(r) for r in selected`` (2.12), rounded to 2 places.

    >>> fh_total([])
    Money('0.00', 'USD')
    """
    return _two(total((r.amount for r in recipients), currency=currency))


_FH = "FH incentive"


def generate_fh_incentive(
    qualification: FhQualification,
    *,
    incentive_id: str,
    eligible: Iterable[FhRecipient],
    generated_on: date,
) -> FhQuarterlyIncentive:
    """Generate the FH incentive for the quarter before ``generated_on`` (R-INC-73, R-INC-76, C15).

    Only for an approved CSP or distributor qualification with the signed FH
    agreement (eligibility R-ELIG-099).
    """
    _require_fh(qualification, FhProgramme.CSP, FhProgramme.DISTRIBUTOR)
    day = _plain_date(generated_on, "generated_on")
    quarter = Period.containing(PeriodKind.QUARTER, day).previous()
    return FhQuarterlyIncentive(
        incentive_id=incentive_id,
        partner_id=qualification.partner_id,
        programme=qualification.programme,
        quarter=quarter,
        generated_on=day,
        eligible=tuple(eligible),
    )


def fh_incentive_status(incentive: FhQuarterlyIncentive, *, as_of: datetime) -> FhIncentiveStatus:
    """The status as of an instant: unconfirmed after the deadline reads EXPIRED (R-INC-76)."""
    if (
        incentive.status is FhIncentiveStatus.GENERATED
        and not incentive.confirmed_once
        and _day(as_of) > incentive.reconcile_deadline
    ):
        return FhIncentiveStatus.EXPIRED
    return incentive.status


def expire_fh_incentive(
    incentive: FhQuarterlyIncentive, *, as_of: datetime
) -> FhQuarterlyIncentive:
    """Store the expiry of an unreconciled incentive after its 14 days (R-INC-76)."""
    if fh_incentive_status(incentive, as_of=as_of) is not FhIncentiveStatus.EXPIRED:
        raise InvalidFundTransition(
            entity=_FH, event="expire", status=incentive.status,
            allowed=(FhIncentiveStatus.GENERATED,), rule_id="R-INC-76",
        )  # fmt: skip
    return attrs.evolve(incentive, status=FhIncentiveStatus.EXPIRED)


def upload_fh_proofs(
    incentive: FhQuarterlyIncentive, kind: FhProofKind, files: Iterable[ProofFile]
) -> FhQuarterlyIncentive:
    """Upload (or replace) one kind of proof (R-INC-80, R-INC-81)."""
    _require_status(
        _FH, "upload proofs for", incentive.status,
        (FhIncentiveStatus.GENERATED, FhIncentiveStatus.CONFIRMED), "R-INC-81",
    )  # fmt: skip
    if kind not in _CSP_PROOFS:
        raise InvalidArgumentError(
            "kind", kind, "not a CSP or distributor FH proof", rule_id="R-INC-78"
        )
    batch = check_proof_upload(files, programme=FhProgramme.CSP)
    proofs = _with_proof(incentive.proofs, kind, batch)
    stale = incentive.reupload_required and not {p.kind for p in proofs} >= _CSP_PROOFS
    return attrs.evolve(incentive, proofs=proofs, reupload_required=stale)


def reconcile_fh(
    incentive: FhQuarterlyIncentive,
    *,
    selected: Iterable[str],
    dedicated_personnel: int,
    qualified_customers: Mapping[str, int],
    as_of: datetime,
) -> FhQuarterlyIncentive:
    """Select recipients and confirm the reconciliation (3.7; R-INC-75..78, R-INC-81).

    Guards: within 14 days of generation, the first time (R-INC-76); at most
    ``floor(dedicated_personnel / 2)`` recipients (R-INC-77, DC-INC-22) with 3
    qualified new customers each in the quarter (R-INC-78; both from
    eligibility R-ELIG-100); current personnel information (R-INC-75);
    complete proofs (R-INC-78).  ``qualified_customers`` maps each recipient's
    HUAWEI ID to its count (:func:`qualified_customer_counts`).
    """
    _require_status(_FH, "reconcile", incentive.status, (FhIncentiveStatus.GENERATED,), "R-INC-76")
    day = _day(as_of)
    if fh_incentive_status(incentive, as_of=as_of) is FhIncentiveStatus.EXPIRED:
        _refuse(
            [
                Reason(
                    "FH_EXPIRED",
                    "R-INC-76",
                    "FH incentives are reconciled within 14 days of generation",
                    {"deadline": incentive.reconcile_deadline, "submitted": day},
                )
            ]
        )
    chosen = tuple(dict.fromkeys(selected))
    by_id = {r.huawei_id: r for r in incentive.eligible}
    unknown = [s for s in chosen if s not in by_id]
    if unknown or not chosen:
        raise InvalidArgumentError("selected", unknown or chosen, "select eligible recipients")
    decision = may_select_fh_recipients(
        dedicated_personnel=dedicated_personnel,
        qualified_customers={s: qualified_customers.get(s, 0) for s in chosen},
    )
    reasons = _adopt(
        decision, {"TOO_MANY_RECIPIENTS": "R-INC-77", "NOT_ENOUGH_QUALIFIED_CUSTOMERS": "R-INC-78"}
    )
    for recipient_id in chosen:
        updated = by_id[recipient_id].info_updated_on
        if not personnel_info_current(updated, as_of=as_of):
            reasons.append(
                Reason(
                    "PERSONNEL_INFO_OUTDATED",
                    "R-INC-75",
                    "dedicated personnel update their information before the end of each month",
                    {"recipient": recipient_id, "updated_on": updated},
                )
            )
    reasons.extend(_missing_proofs(incentive.proofs, _CSP_PROOFS, "R-INC-78"))
    if incentive.reupload_required:
        reasons.append(
            Reason("PROOFS_OUTDATED", "R-INC-81", "personnel changed: upload the proofs again")
        )
    _refuse(reasons)
    return attrs.evolve(
        incentive,
        status=FhIncentiveStatus.CONFIRMED,
        selected=chosen,
        dedicated_personnel=dedicated_personnel,
        confirmed_once=True,
    )


def reject_fh_reconciliation(
    incentive: FhQuarterlyIncentive, *, comment: str
) -> FhQuarterlyIncentive:
    """The vendor rejects; the partner modifies and confirms again (R-INC-81)."""
    _require_status(_FH, "reject", incentive.status, (FhIncentiveStatus.CONFIRMED,), "R-INC-81")
    return attrs.evolve(
        incentive,
        status=FhIncentiveStatus.GENERATED,
        comments=(*incentive.comments, _text_arg(comment, "comment")),
    )


def update_fh_personnel(incentive: FhQuarterlyIncentive) -> FhQuarterlyIncentive:
    """Dedicated-personnel information changed: the proofs must be uploaded again (R-INC-81)."""
    _require_status(
        _FH, "update personnel of", incentive.status,
        (FhIncentiveStatus.GENERATED, FhIncentiveStatus.CONFIRMED), "R-INC-81",
    )  # fmt: skip
    return attrs.evolve(incentive, proofs=(), reupload_required=True)


def finalise_fh(incentive: FhQuarterlyIncentive) -> FhQuarterlyIncentive:
    """The vendor finalises a confirmed reconciliation with current proofs (3.7, R-INC-81)."""
    _require_status(_FH, "finalise", incentive.status, (FhIncentiveStatus.CONFIRMED,), "R-INC-82")
    if incentive.reupload_required:
        _refuse(
            [Reason("PROOFS_OUTDATED", "R-INC-81", "personnel changed: upload the proofs again")]
        )
    return attrs.evolve(incentive, status=FhIncentiveStatus.FINALISED)


# --------------------------------------------------------------------------- FH payment


class FhPaymentStatus(enum.Enum):
    """An FH payment request's status (3.7, 3.8)."""

    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    INVOICE_MAILED = "invoice-mailed"
    PAID = "paid"


@checked
@final
@attrs.frozen(kw_only=True)
class FhPayment:
    """A quarterly FH payment request (1.12; R-INC-82, R-INC-83, R-INC-90, R-INC-91).

    Attributes:
        requisition_no: The payment requisition number.
        partner_id: The partner.
        programme: CSP, distributor or SI.
        quarter: The reconciliation period (a quarter).
        amount_payable: The amount payable, tax included.
        settlement_currency: The business-authentication currency (R-INC-83).
        payment_method: ``"Bank transfer"``.
        status: See :class:`FhPaymentStatus`.
        invoice_no: The invoice number, entered before printing (R-INC-91).
        requested_on: When it was requested.
        invoice_mailed_on: When the invoice was mailed.
        paid_on: When the vendor paid.
        comments: Review comments, oldest first.
    """

    requisition_no: str = attrs.field(validator=_v.text)
    partner_id: str = attrs.field(validator=_v.text)
    programme: FhProgramme
    quarter: Period = attrs.field(validator=_quarter)
    amount_payable: Money = attrs.field(validator=_amount)
    settlement_currency: str = attrs.field(validator=_v.text)
    payment_method: str = "Bank transfer"
    status: FhPaymentStatus = FhPaymentStatus.REQUESTED
    invoice_no: str | None = attrs.field(default=None, validator=_v.optional_text)
    requested_on: date | None = attrs.field(default=None, validator=_optional_date)
    invoice_mailed_on: date | None = attrs.field(default=None, validator=_optional_date)
    paid_on: date | None = attrs.field(default=None, validator=_optional_date)
    comments: tuple[str, ...] = attrs.field(default=(), converter=_texts)

    def __attrs_post_init__(self) -> None:
        Currency(self.settlement_currency)


_PAYMENT = "FH payment"


def request_fh_payment(
    incentive: FhQuarterlyIncentive,
    *,
    requisition_no: str,
    business_info_certified: bool,
    settlement_currency: str,
    as_of: datetime,
    bills_paid: bool = True,
    growcloud: bool = False,
) -> FhPayment:
    """Request payment of a finalised quarter (3.7; R-INC-82, R-INC-83).

    Needs certified business information and, for GrowCloud partners, paid
    bills (eligibility R-ELIG-101).  The settlement currency is the
    business-authentication currency.
    """
    _require_status(
        _FH, "request payment for", incentive.status, (FhIncentiveStatus.FINALISED,), "R-INC-82"
    )
    decision = may_request_fh_payment(
        business_info_certified=business_info_certified, bills_paid=bills_paid, growcloud=growcloud
    )
    _refuse(
        _adopt(decision, {"BUSINESS_INFO_NOT_CERTIFIED": "R-INC-82", "BILLS_UNPAID": "R-INC-82"})
    )
    return FhPayment(
        requisition_no=requisition_no,
        partner_id=incentive.partner_id,
        programme=incentive.programme,
        quarter=incentive.quarter,
        amount_payable=incentive.total,
        settlement_currency=settlement_currency,
        requested_on=_day(as_of),
    )


def approve_fh_payment(payment: FhPayment) -> FhPayment:
    """The vendor approves the payment request (3.7, 3.8)."""
    _require_status(_PAYMENT, "approve", payment.status, (FhPaymentStatus.REQUESTED,), "R-INC-83")
    return attrs.evolve(payment, status=FhPaymentStatus.APPROVED)


def reject_fh_payment(payment: FhPayment, *, comment: str) -> FhPayment:
    """The vendor rejects the payment request; the partner modifies and retries (DC-INC-19)."""
    _require_status(_PAYMENT, "reject", payment.status, (FhPaymentStatus.REQUESTED,), "R-INC-83")
    return attrs.evolve(
        payment,
        status=FhPaymentStatus.REJECTED,
        comments=(*payment.comments, _text_arg(comment, "comment")),
    )


def resubmit_fh_payment(payment: FhPayment, *, as_of: datetime) -> FhPayment:
    """Resubmit a rejected payment request (3.7, 3.8, DC-INC-19)."""
    _require_status(_PAYMENT, "resubmit", payment.status, (FhPaymentStatus.REJECTED,), "R-INC-83")
    return attrs.evolve(payment, status=FhPaymentStatus.REQUESTED, requested_on=_day(as_of))


def mail_fh_invoice(payment: FhPayment, *, invoice_no: str, as_of: datetime) -> FhPayment:
    """Enter the invoice number, print the invoicing form and mail it (R-INC-83, R-INC-91)."""
    _require_status(
        _PAYMENT, "mail the invoice of", payment.status, (FhPaymentStatus.APPROVED,), "R-INC-91"
    )
    return attrs.evolve(
        payment,
        status=FhPaymentStatus.INVOICE_MAILED,
        invoice_no=_text_arg(invoice_no, "invoice_no"),
        invoice_mailed_on=_day(as_of),
    )


def reject_fh_invoice(payment: FhPayment, *, comment: str) -> FhPayment:
    """The vendor rejects the invoice; it is corrected and mailed again (R-INC-91)."""
    _require_status(
        _PAYMENT, "reject the invoice of", payment.status, (FhPaymentStatus.INVOICE_MAILED,),
        "R-INC-91",
    )  # fmt: skip
    return attrs.evolve(
        payment,
        status=FhPaymentStatus.APPROVED,
        comments=(*payment.comments, _text_arg(comment, "comment")),
    )


def pay_fh(payment: FhPayment, *, as_of: datetime) -> FhPayment:
    """The vendor pays (R-INC-83: no payment without the mailed invoice)."""
    _require_status(_PAYMENT, "pay", payment.status, (FhPaymentStatus.INVOICE_MAILED,), "R-INC-83")
    return attrs.evolve(payment, status=FhPaymentStatus.PAID, paid_on=_day(as_of))


# --------------------------------------------------------------------------- FH SI


class SiFhStatus(enum.Enum):
    """An SI monthly FH request's status (3.8)."""

    PRELIMINARY_REVIEW = "preliminary-review"
    PASSED = "passed"
    FAILED = "failed"


def _certificates(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


@checked
@final
@attrs.frozen(kw_only=True)
class SiEngineer:
    """An SI pre-sales engineer (R-INC-85).

    Attributes:
        account: The engineer's account.
        name: The engineer's name.
        dedicated: Dedicated personnel of the SI path.
        position: The position (``"Solution Architect"``).
        certificates: The valid certificates held.
        started_on: The start of work on Huawei Cloud.
    """

    account: str = attrs.field(validator=_v.text)
    name: str = attrs.field(validator=_v.text)
    dedicated: bool = attrs.field(validator=_flag)
    position: str = attrs.field(validator=_v.text)
    certificates: frozenset[str] = attrs.field(converter=_certificates)
    started_on: date = attrs.field(validator=_a_date)


def si_funding_period(started_on: date, day: date) -> tuple[date, date]:
    """The SI funding period containing ``day``: a year, end shown inclusive (DC-INC-24).

    The first period is ``[start, start + 1 year]``; each later one starts the
    day after the previous end.

    >>> si_funding_period(date(2023, 9, 20), date(2024, 3, 21))
    (datetime.date(2023, 9, 20), datetime.date(2024, 9, 20))
    """
    start = _plain_date(started_on, "started_on")
    years = 1
    while _plain_date(day, "day") > add_months(start, 12 * years):
        years += 1
    first = start if years == 1 else add_months(start, 12 * (years - 1)) + timedelta(days=1)
    return first, add_months(start, 12 * years)


@final
@attrs.frozen(kw_only=True)
class SiFhLine:
    """One engineer in a monthly SI request (1.12).

    Attributes:
        account: The engineer's account.
        name: The engineer's name.
        period_start: The funding period's first day.
        period_end: The funding period's last day (shown inclusive).
        request_number: Which request of the funding period this is (1 or 2).
        amount: The incentive, tax included.
    """

    account: str = attrs.field(validator=_v.text)
    name: str = attrs.field(validator=_v.text)
    period_start: date = attrs.field(validator=_a_date)
    period_end: date = attrs.field(validator=_a_date)
    request_number: int = attrs.field(validator=_count)
    amount: Money = attrs.field(validator=_amount)


def _lines(value: Iterable[SiFhLine]) -> tuple[SiFhLine, ...]:
    lines = tuple(value)
    if not lines:
        raise InvalidArgumentError("lines", lines, "at least one engineer")
    return lines


def _proofs(value: Iterable[FhProof]) -> tuple[FhProof, ...]:
    return tuple(value)


@checked
@final
@attrs.frozen(kw_only=True)
class SiFhRequest:
    """An SI partner's monthly FH request (1.12, 3.8).

    Attributes:
        request_id: Its id.
        partner_id: The partner.
        month: The calendar month of its first submission.
        lines: The engineers requested.
        proofs: Employment certificates and project materials.
        status: See :class:`SiFhStatus`.
        first_submitted_on: The day of its first submission.
        submitted_on: The day of its latest submission.
        comments: Review comments, oldest first.
    """

    request_id: str = attrs.field(validator=_v.text)
    partner_id: str = attrs.field(validator=_v.text)
    month: Period = attrs.field(validator=_v.month)
    lines: tuple[SiFhLine, ...] = attrs.field(converter=_lines)
    proofs: tuple[FhProof, ...] = attrs.field(converter=_proofs)
    status: SiFhStatus = SiFhStatus.PRELIMINARY_REVIEW
    first_submitted_on: date = attrs.field(validator=_a_date)
    submitted_on: date = attrs.field(validator=_a_date)
    comments: tuple[str, ...] = attrs.field(default=(), converter=_texts)

    @property
    def total(self) -> Money:
        """The engineers times the amount per engineer (R-INC-88)."""
        return _two(
            total((line.amount for line in self.lines), currency=self.lines[0].amount.currency)
        )


def si_fh_total(engineers: int, amount_per_engineer: Money) -> Money:
    """``n_selected_engineers * amount_per_engineer`` (R-INC-88, 2.12).

    >>> si_fh_total(1, Money.of(15000, "USD"))
    Money('15000.00', 'USD')
    """
    if isinstance(engineers, bool) or not isinstance(engineers, int) or engineers < 0:
        raise InvalidArgumentError("engineers", engineers, "a count >= 0")
    return _two(amount_per_engineer * engineers)


_SI = "SI FH request"


def request_si_fh(
    qualification: FhQualification,
    *,
    request_id: str,
    engineers: Sequence[SiEngineer],
    amount_per_engineer: Money,
    proofs: Mapping[FhProofKind, Iterable[ProofFile]],
    history: Iterable[SiFhRequest],
    as_of: datetime,
) -> SiFhRequest:
    """File the partner's SI FH request for the current month (3.8; R-INC-84..88, R-INC-80).

    Guards: an approved SI qualification with the protocol (R-INC-73,
    R-INC-84); no other application by the partner this month (R-INC-87,
    eligibility R-ELIG-104, :class:`FhMonthlyLimitReached`); each engineer
    eligible (R-INC-85, eligibility R-ELIG-103) with fewer than 2 requests in
    the funding period (R-INC-86, :class:`FhRequestLimitReached`); the
    employment certificate and project materials uploaded (R-INC-80).
    """
    _require_fh(qualification, FhProgramme.SI)
    when = _local(as_of)
    day = when.date()
    month = Period.month(day.year, day.month)
    past = tuple(r for r in history if r.partner_id == qualification.partner_id)
    if not engineers:
        raise InvalidArgumentError("engineers", engineers, "select at least one engineer")
    accounts = [e.account for e in engineers]
    if len(set(accounts)) != len(accounts):
        raise InvalidArgumentError("engineers", accounts, "an engineer is selected twice")
    monthly = may_request_si_fh(applications_this_month=sum(r.month == month for r in past))
    reasons = [
        Reason(
            r.code,
            "R-INC-87",
            r.message,
            {"month": month, "limit": 1, "eligibility_rule": r.rule_id},
        )
        for r in monthly.reasons
    ]
    lines: list[SiFhLine] = []
    for engineer in engineers:
        first, last = si_funding_period(engineer.started_on, day)
        used = sum(
            1
            for request in past
            for line in request.lines
            if line.account == engineer.account and line.period_start == first
        )
        decision = si_fh_engineer_eligible(
            dedicated=engineer.dedicated,
            position=engineer.position,
            certificates=engineer.certificates,
            started_on=engineer.started_on,
            requests_in_period=used,
            as_of=when,
        )
        for reason in _adopt(decision, {"MAX_2_REQUESTS": "R-INC-86"}):
            extra: dict[str, object] = {"engineer": engineer.account}
            if reason.code == "MAX_2_REQUESTS":
                extra["limit"] = _SI_REQUESTS_PER_PERIOD
                extra["period"] = (first, last)
            rule = reason.rule_id if reason.code == "MAX_2_REQUESTS" else "R-INC-85"
            reasons.append(Reason(reason.code, rule, reason.message, {**reason.fields, **extra}))
        lines.append(
            SiFhLine(
                account=engineer.account, name=engineer.name, period_start=first,
                period_end=last, request_number=used + 1, amount=amount_per_engineer,
            )
        )  # fmt: skip
    uploaded = tuple(
        FhProof(kind=kind, files=check_proof_upload(files, programme=FhProgramme.SI))
        for kind, files in sorted(proofs.items(), key=lambda item: item[0].value)
    )
    reasons.extend(_missing_proofs(uploaded, _SI_PROOFS, "R-INC-84"))
    # The two limits have their own error types: put them first.
    reasons.sort(key=lambda r: r.code not in ("MONTHLY_LIMIT", "MAX_2_REQUESTS"))
    _refuse(reasons)
    return SiFhRequest(
        request_id=request_id, partner_id=qualification.partner_id, month=month,
        lines=tuple(lines), proofs=uploaded, first_submitted_on=day, submitted_on=day,
    )  # fmt: skip


def pass_si_fh(request: SiFhRequest) -> SiFhRequest:
    """The vendor passes the preliminary review (3.8)."""
    _require_status(_SI, "pass", request.status, (SiFhStatus.PRELIMINARY_REVIEW,), "R-INC-89")
    return attrs.evolve(request, status=SiFhStatus.PASSED)


def fail_si_fh(request: SiFhRequest, *, comment: str) -> SiFhRequest:
    """The vendor fails the preliminary review (3.8)."""
    _require_status(_SI, "fail", request.status, (SiFhStatus.PRELIMINARY_REVIEW,), "R-INC-89")
    return attrs.evolve(
        request,
        status=SiFhStatus.FAILED,
        comments=(*request.comments, _text_arg(comment, "comment")),
    )


def resubmit_si_fh(
    request: SiFhRequest, *, quarter_payment_requested: bool, as_of: datetime
) -> SiFhRequest:
    """Resubmit a failed request in the month of its first submission, before payment (R-INC-89)."""
    _require_status(_SI, "resubmit", request.status, (SiFhStatus.FAILED,), "R-INC-89")
    day = _day(as_of)
    reasons = []
    if Period.month(day.year, day.month) != request.month:
        reasons.append(
            Reason(
                "RESUBMIT_MONTH_PASSED",
                "R-INC-89",
                "a failed request is resubmitted in the month of its first submission",
                {"requested": day, "allowed": request.month},
            )
        )
    if quarter_payment_requested:
        reasons.append(
            Reason(
                "PAYMENT_ALREADY_REQUESTED",
                "R-INC-89",
                "the quarterly payment application was already submitted",
            )
        )
    _refuse(reasons)
    return attrs.evolve(request, status=SiFhStatus.PRELIMINARY_REVIEW, submitted_on=day)


def request_si_fh_payment(
    requests: Iterable[SiFhRequest],
    *,
    partner_id: str,
    quarter: Period,
    unrequested_months: Iterable[Period],
    requisition_no: str,
    settlement_currency: str,
    as_of: datetime,
) -> FhPayment:
    """Request the quarterly SI FH payment (3.8; R-INC-90, R-INC-83).

    Refused while a month of the quarter still has eligible incentives not
    requested (unless the next quarter has begun, C20), while a request is
    under preliminary review, or while one failed.  The amount is the sum of
    the passed requests of the quarter.
    """
    _quarter(None, attrs.fields(FhPayment).quarter, quarter)
    day = _day(as_of)
    mine = tuple(
        r for r in requests if r.partner_id == partner_id and quarter.contains(r.month.first_day)
    )
    reasons = []
    waiting = tuple(m for m in unrequested_months if quarter.contains(m.first_day))
    if waiting and day < quarter.next().first_day:
        reasons.append(
            Reason(
                "UNREQUESTED_MONTHS",
                "R-INC-90",
                "request every month first, or wait until the first day of the next quarter",
                {"months": waiting, "allowed_from": quarter.next().first_day},
            )
        )
    for status, code in (
        (SiFhStatus.PRELIMINARY_REVIEW, "UNDER_PRELIMINARY_REVIEW"),
        (SiFhStatus.FAILED, "PRELIMINARY_REVIEW_FAILED"),
    ):
        blocking = tuple(r.request_id for r in mine if r.status is status)
        if blocking:
            reasons.append(
                Reason(
                    code, "R-INC-90", f"a monthly request is {status.value}", {"requests": blocking}
                )
            )
    passed = [r.total for r in mine if r.status is SiFhStatus.PASSED]
    if not passed:
        reasons.append(Reason("NOTHING_TO_PAY", "R-INC-90", "no passed request in the quarter"))
    _refuse(reasons)
    return FhPayment(
        requisition_no=requisition_no, partner_id=partner_id, programme=FhProgramme.SI,
        quarter=quarter, amount_payable=_two(total(passed, currency=passed[0].currency)),
        settlement_currency=settlement_currency, requested_on=day,
    )  # fmt: skip


# --------------------------------------------------------------------------- SPIF


class SpifStatus(enum.Enum):
    """A SPIF application's status (3.9)."""

    UNDER_REVIEW = "under-review"
    APPROVED = "approved"
    REJECTED = "rejected"


@final
@attrs.frozen(kw_only=True)
class SpifRecipient:
    """A SPIF recipient: an account-manager account bound to a HUAWEI ID (R-INC-97)."""

    account_manager: str = attrs.field(validator=_v.text)
    huawei_id: str | None = attrs.field(default=None, validator=_v.optional_text)
    added_on: date | None = attrs.field(default=None, validator=_optional_date)


@final
@attrs.frozen(kw_only=True)
class SpifChange:
    """A change record of the recipient list (R-INC-97)."""

    version: int = attrs.field(validator=_count)
    changed_on: date = attrs.field(validator=_a_date)
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    rebound: tuple[str, ...] = ()


def _amounts(value: Mapping[str, Money]) -> tuple[tuple[str, Money], ...]:
    return tuple(sorted(dict(value).items()))


@checked
@final
@attrs.frozen(kw_only=True)
class SpifQuarter:
    """Vendor-supplied SPIF amounts for a quarter, against a snapshot of the list (DC-INC-25)."""

    quarter: Period = attrs.field(validator=_quarter)
    list_version: int = attrs.field(validator=_count)
    recipients: tuple[SpifRecipient, ...]
    amounts: tuple[tuple[str, Money], ...] = attrs.field(converter=_amounts)


@checked
@final
@attrs.frozen(kw_only=True)
class SpifApplication:
    """A partner's SPIF application and recipient list (1.13, 3.9).

    Attributes:
        application_id: Its id.
        partner_id: The partner.
        rep_office: The issuing Huawei representative office.
        payment_method: How that office pays SPIF, as free text (R-INC-95, DC-INC-25).
        registration_form: The uploaded signed and sealed registration form and letter.
        status: See :class:`SpifStatus`.
        recipients: The current recipient list.
        list_version: The list's version (0 before the first save).
        changes: The change records.
        quarters: The quarterly amounts recorded.
        comments: Review comments, oldest first.
    """

    application_id: str = attrs.field(validator=_v.text)
    partner_id: str = attrs.field(validator=_v.text)
    rep_office: str = attrs.field(validator=_v.text)
    registration_form: str = attrs.field(validator=_v.text)
    payment_method: str | None = attrs.field(default=None, validator=_v.optional_text)
    status: SpifStatus = SpifStatus.UNDER_REVIEW
    recipients: tuple[SpifRecipient, ...] = ()
    list_version: int = 0
    changes: tuple[SpifChange, ...] = ()
    quarters: tuple[SpifQuarter, ...] = ()
    comments: tuple[str, ...] = attrs.field(default=(), converter=_texts)


_SPIF = "SPIF application"


def submit_spif(
    *,
    application_id: str,
    partner_id: str,
    rep_office: str,
    commitment_letter_signed: bool,
    registration_form: str | None,
    payment_method: str | None = None,
) -> SpifApplication:
    """Apply for SPIF (3.9; R-INC-93, R-INC-94, R-INC-95).

    The commitment letter is signed offline with the partner sales manager
    first, and the signed and sealed registration form is uploaded.
    """
    reasons = []
    if not commitment_letter_signed:
        reasons.append(
            Reason(
                "COMMITMENT_NOT_SIGNED",
                "R-INC-93",
                "sign the SPIF commitment letter with the partner sales manager first",
            )
        )
    if not registration_form:
        reasons.append(
            Reason(
                "REGISTRATION_FORM_MISSING",
                "R-INC-94",
                "upload the signed and sealed registration form and letter of commitment",
            )
        )
    _refuse(reasons)
    assert registration_form is not None
    return SpifApplication(
        application_id=application_id, partner_id=partner_id, rep_office=rep_office,
        registration_form=registration_form, payment_method=payment_method,
    )  # fmt: skip


def approve_spif(application: SpifApplication) -> SpifApplication:
    """The vendor approves (notified by SMS and email; R-INC-96)."""
    _require_status(_SPIF, "approve", application.status, (SpifStatus.UNDER_REVIEW,), "R-INC-96")
    return attrs.evolve(application, status=SpifStatus.APPROVED)


def reject_spif(application: SpifApplication, *, comment: str) -> SpifApplication:
    """The vendor rejects; the partner modifies and resubmits (R-INC-96)."""
    _require_status(_SPIF, "reject", application.status, (SpifStatus.UNDER_REVIEW,), "R-INC-96")
    return attrs.evolve(
        application,
        status=SpifStatus.REJECTED,
        comments=(*application.comments, _text_arg(comment, "comment")),
    )


def resubmit_spif(application: SpifApplication, *, registration_form: str) -> SpifApplication:
    """Resubmit a rejected application with a corrected form (R-INC-96, R-INC-94)."""
    _require_status(_SPIF, "resubmit", application.status, (SpifStatus.REJECTED,), "R-INC-96")
    return attrs.evolve(
        application,
        status=SpifStatus.UNDER_REVIEW,
        registration_form=_text_arg(registration_form, "registration_form"),
    )


def save_spif_recipients(
    application: SpifApplication,
    recipients: Iterable[SpifRecipient],
    *,
    associated_ids: Collection[str],
    as_of: datetime,
) -> SpifApplication:
    """Save the recipient list: a new version with a change record (R-INC-96, R-INC-97).

    Only once approved; every recipient is bound to a HUAWEI ID associated
    with the partner (eligibility R-ELIG-105).
    """
    _require_status(
        _SPIF, "maintain recipients of", application.status, (SpifStatus.APPROVED,), "R-INC-96"
    )
    day = _day(as_of)
    new = tuple(recipients)
    managers = [r.account_manager for r in new]
    if len(set(managers)) != len(managers):
        raise InvalidArgumentError("recipients", managers, "an account manager is listed twice")
    reasons: list[Reason] = []
    for recipient in new:
        decision = may_add_spif_recipient(
            spif_registered=True,
            identity_associated=recipient.huawei_id is not None
            and recipient.huawei_id in associated_ids,
        )
        code = "HUAWEI_ID_NOT_BOUND" if recipient.huawei_id is None else None
        for reason in _adopt(decision, {"RECIPIENT_NOT_ASSOCIATED": "R-INC-97"}):
            reasons.append(
                Reason(
                    code or reason.code, reason.rule_id,
                    "bind every recipient to an associated HUAWEI ID",
                    {**reason.fields, "recipient": recipient.account_manager},
                )
            )  # fmt: skip
    _refuse(reasons)
    old = {r.account_manager: r for r in application.recipients}
    now = {r.account_manager: r for r in new}
    version = application.list_version + 1
    change = SpifChange(
        version=version,
        changed_on=day,
        added=tuple(sorted(set(now) - set(old))),
        removed=tuple(sorted(set(old) - set(now))),
        rebound=tuple(
            sorted(m for m in set(now) & set(old) if now[m].huawei_id != old[m].huawei_id)
        ),
    )
    stamped = tuple(
        r
        if r.added_on is not None
        else attrs.evolve(r, added_on=old.get(r.account_manager, r).added_on or day)
        for r in new
    )
    return attrs.evolve(
        application,
        recipients=stamped,
        list_version=version,
        changes=(*application.changes, change),
    )


def record_spif_quarter(
    application: SpifApplication, *, quarter: Period, amounts: Mapping[str, Money]
) -> SpifApplication:
    """Store the vendor's per-recipient amounts for a quarter against the current list (DC-INC-25).

    The library computes no SPIF amount; each amount names a recipient of the
    current list, and a quarter is recorded once.
    """
    _require_status(
        _SPIF, "record a quarter for", application.status, (SpifStatus.APPROVED,), "R-INC-97"
    )
    if not application.recipients:
        _refuse([Reason("NO_RECIPIENTS", "R-INC-97", "maintain the recipient list first")])
    if any(q.quarter == quarter for q in application.quarters):
        raise InvalidArgumentError("quarter", quarter, "already recorded")
    listed = {r.account_manager for r in application.recipients}
    strangers = sorted(set(amounts) - listed)
    if strangers or not amounts:
        raise InvalidArgumentError("amounts", strangers or amounts, "amounts for listed recipients")
    for recipient, amount in amounts.items():
        if not isinstance(amount, Money) or amount.is_negative():
            raise InvalidArgumentError(recipient, amount, "a Money >= 0")
    record = SpifQuarter(
        quarter=quarter,
        list_version=application.list_version,
        recipients=application.recipients,
        amounts=amounts,
    )
    return attrs.evolve(application, quarters=(*application.quarters, record))


# --------------------------------------------------------------------------- path exit


def exit_blockers(
    *, mdf: Iterable[MdfApplication] = (), fh: Iterable[FhQualification] = ()
) -> tuple[ExitBlocker, ...]:
    """The path-exit blockers these funds create (R-INC-72, eligibility R-ELIG-014).

    Any MDF application past its draft, and any FH qualification requested,
    blocks leaving the development path (feed them to
    :func:`partnerkit.eligibility.network.may_exit_path`).
    """
    found = []
    if any(a.status is not MdfStatus.DRAFT for a in mdf):
        found.append(ExitBlocker.REQUESTED_MDF)
    if any(q.requested_at is not None for q in fh):
        found.append(ExitBlocker.REQUESTED_FH)
    return tuple(found)
