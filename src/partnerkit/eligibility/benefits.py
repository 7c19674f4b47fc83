"""Benefit eligibility: test coupons, MDF, funding for headcount (FH) and SPIF (section 5.I).

Eligibility only: whether a request may be filed, with every reason against
it as a :class:`~partnerkit.decisions.Decision`.  Amounts are paid in the
incentives area.  Stage-bound benefits are data (:class:`StageBenefit`):
requesting one needs its stage, closes when the partner moves on (R-ELIG-093),
and fits in its quota with no request pending (R-ELIG-092).

>>> from partnerkit.money import Money
>>> usd = lambda a: Money.of(a, "USD")
>>> may_request_software_coupons(solution_kind="CLOUD_SOFTWARE", solution_certified=False,
...     issued=usd("2562"), requested=usd("500"), pending=False).codes
('QUOTA_EXCEEDED',)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import final

import attrs
from dateutil.relativedelta import relativedelta

import partnerkit._validators as _v
from partnerkit.calendars import WEEKENDS, WorkingCalendar, add_working_days
from partnerkit.decisions import Decision, Reason
from partnerkit.errors import InvalidArgumentError
from partnerkit.money import Money
from partnerkit.periods import Period, require_aware

__all__ = [
    "HUAWEI_STAGE_BENEFITS",
    "QUALIFYING_MONTHLY_SPEND",
    "StageBenefit",
    "fh_reconcile_by",
    "may_add_spif_recipient",
    "may_apply_mdf",
    "may_confirm_si_fh",
    "may_reimburse_mdf",
    "may_request_benefit",
    "may_request_fh",
    "may_request_fh_payment",
    "may_request_si_fh",
    "may_request_software_coupons",
    "may_select_fh_recipients",
    "mdf_application_late",
    "qualified_new_customer",
    "si_fh_engineer_eligible",
    "software_coupon_quota",
]

_STAGES = ("SELECTION", "VALIDATION", "DIFFERENTIATION")


def _bools(**flags: object) -> None:
    for name, value in flags.items():
        if not isinstance(value, bool):
            raise InvalidArgumentError(name, value, "expected True or False")


def _money(**amounts: object) -> None:
    for name, value in amounts.items():
        if not isinstance(value, Money) or value.is_negative():
            raise InvalidArgumentError(name, value, "a Money >= 0")


@final
@attrs.frozen(kw_only=True)
class StageBenefit:
    """A benefit tied to a stage of a path, with its quota and optional validity window.

    Attributes:
        id: The benefit's id.
        label: Its name.
        ladder: The path ladder (``path.SYSTEM_INTEGRATOR``).
        stage: The stage the benefit belongs to.
        quota: The most that may be issued (per solution or per year, as ``per`` says).
        per: What the quota counts over: ``"solution"``, ``"year"`` or ``"benefit"``.
        available_from: First day it can be requested, if windowed (EX-39).
        available_to: Last day it can be requested, if windowed.
        rule_id: The spec rule.
    """

    id: str = attrs.field(validator=_v.text)
    label: str = attrs.field(validator=_v.text)
    ladder: str = attrs.field(validator=_v.text)
    stage: str = attrs.field(validator=_v.text)
    quota: Money = attrs.field(validator=_v.money)
    per: str = "benefit"
    available_from: date | None = None
    available_to: date | None = None
    rule_id: str = "R-ELIG-094"


def _usd(amount: int) -> Money:
    return Money.of(amount, "USD")


#: Huawei's stage-bound test coupons (R-ELIG-094 SI, R-ELIG-095 Service; 2.10).
HUAWEI_STAGE_BENEFITS: tuple[StageBenefit, ...] = (
    StageBenefit(id="si.coupons.selection", label="SI role-selection test coupons",
                 ladder="path.SYSTEM_INTEGRATOR", stage="SELECTION", quota=_usd(3000)),
    StageBenefit(id="si.coupons.validation", label="SI role-validation test coupons",
                 ladder="path.SYSTEM_INTEGRATOR", stage="VALIDATION", quota=_usd(15000),
                 available_from=date(2023, 10, 1), available_to=date(2024, 12, 31)),
    StageBenefit(id="si.coupons.differentiation", label="SI differentiation test coupons",
                 ladder="path.SYSTEM_INTEGRATOR", stage="DIFFERENTIATION", quota=_usd(50000)),
    StageBenefit(id="svc.coupons.validation", label="Service validation test coupons",
                 ladder="path.SERVICE_PARTNER", stage="VALIDATION", quota=_usd(10000),
                 per="year", rule_id="R-ELIG-095"),
    StageBenefit(id="svc.coupons.differentiation", label="Service differentiation test coupons",
                 ladder="path.SERVICE_PARTNER", stage="DIFFERENTIATION", quota=_usd(15000),
                 per="year", rule_id="R-ELIG-095"),
)  # fmt: skip


def _customer_account() -> Reason:
    return Reason(
        "CUSTOMER_ACCOUNT",
        "R-ELIG-089",
        "an account associated with a partner as its customer gets test coupons "
        "from the ecosystem manager, not online",
    )


def _fit(quota: Money, issued: Money, requested: Money, pending: bool, rule: str) -> list[Reason]:
    reasons = []
    if not requested.is_positive() or issued + requested > quota:
        reasons.append(
            Reason(
                "QUOTA_EXCEEDED",
                rule,
                "the request must fit in the quota",
                {"quota": quota, "used": issued, "requested": requested},
            )
        )
    if pending:
        reasons.append(
            Reason("REQUEST_PENDING", "R-ELIG-092", "a request for this benefit is pending")
        )
    return reasons


def may_request_benefit(
    benefit: StageBenefit,
    *,
    current_stage: str | None,
    issued: Money,
    requested: Money,
    pending: bool,
    as_of: datetime,
    customer_account: bool = False,
) -> Decision:
    """May a stage-bound benefit be requested now? (R-ELIG-089, 092, 093, 094, 095).

    The partner must be at the benefit's stage: before it the benefit is not
    yet available, after it the benefit is closed.
    """
    _money(issued=issued, requested=requested)
    _bools(pending=pending, customer_account=customer_account)
    when = require_aware(as_of)
    reasons: list[Reason] = []
    if customer_account:
        reasons.append(_customer_account())
    position = _STAGES.index(current_stage) if current_stage in _STAGES else -1
    wanted = _STAGES.index(benefit.stage)
    if position < wanted:
        reasons.append(
            Reason(
                "STAGE_MISMATCH",
                benefit.rule_id,
                f"the benefit needs the {benefit.stage} stage",
                {"current": current_stage, "required": benefit.stage},
            )
        )
    elif position > wanted:
        reasons.append(
            Reason(
                "STAGE_PASSED",
                "R-ELIG-093",
                "entering a new stage closed the previous stage's benefit",
                {"current": current_stage, "benefit": benefit.stage},
            )
        )
    today = when.date()
    if (benefit.available_from is not None and today < benefit.available_from) or (
        benefit.available_to is not None and today > benefit.available_to
    ):
        reasons.append(
            Reason(
                "BENEFIT_EXPIRED",
                benefit.rule_id,
                "outside the benefit's validity window",
                {"from": benefit.available_from, "to": benefit.available_to},
            )
        )
    reasons.extend(_fit(benefit.quota, issued, requested, pending, benefit.rule_id))
    return Decision.of(reasons)


def software_coupon_quota(
    *, solution_kind: str, solution_certified: bool, basic_software: bool = False
) -> Money:
    """The per-solution test-coupon quota (R-ELIG-090, R-ELIG-091, GAP-18).

    >>> software_coupon_quota(solution_kind="ADVANCED_CLOUD_SOFTWARE", solution_certified=True)
    Money('50000', 'USD')
    """
    _bools(solution_certified=solution_certified, basic_software=basic_software)
    if basic_software:
        return _usd(80000)
    if not solution_certified:
        return _usd(3000)
    if solution_kind == "ADVANCED_CLOUD_SOFTWARE":
        return _usd(50000)
    if solution_kind == "CLOUD_SOFTWARE":
        return _usd(15000)
    raise InvalidArgumentError("solution_kind", solution_kind, "CLOUD_SOFTWARE or ADVANCED_...")


def may_request_software_coupons(
    *,
    solution_kind: str | None,
    solution_certified: bool,
    issued: Money,
    requested: Money,
    pending: bool,
    basic_software: bool = False,
    customer_account: bool = False,
) -> Decision:
    """Software-path test coupons for one solution, drafts included (R-ELIG-090..092)."""
    _money(issued=issued, requested=requested)
    _bools(pending=pending, customer_account=customer_account)
    reasons: list[Reason] = []
    if customer_account:
        reasons.append(_customer_account())
    if solution_kind not in ("CLOUD_SOFTWARE", "ADVANCED_CLOUD_SOFTWARE"):
        reasons.append(
            Reason("NO_SOLUTION", "R-ELIG-090", "request coupons for an existing solution")
        )
        return Decision.of(reasons)
    quota = software_coupon_quota(
        solution_kind=solution_kind,
        solution_certified=solution_certified,
        basic_software=basic_software,
    )
    rule = "R-ELIG-091" if basic_software else "R-ELIG-090"
    reasons.extend(_fit(quota, issued, requested, pending, rule))
    return Decision.of(reasons)


def mdf_application_late(
    activity_starts: date, as_of: datetime, *, calendar: WorkingCalendar = WEEKENDS, days: int = 10
) -> bool:
    """Whether an MDF application is later than 10 working days before the activity (R-ELIG-097).

    Late is a warning (a reason is asked for), not a refusal.  "At least 10
    working days before" means ``add_working_days(submitted, 10) <= start``
    (incentives DC-INC-15), so a weekend start or submission is counted the
    same way as a weekday one.

    >>> from datetime import timezone
    >>> mdf_application_late(date(2024, 7, 15), datetime(2024, 7, 1, 9, tzinfo=timezone.utc))
    False
    """
    submitted = require_aware(as_of).date()
    return add_working_days(calendar, submitted, days) > activity_starts


def may_apply_mdf(*, business_info_certified: bool, remaining: Money, requested: Money) -> Decision:
    """MDF: certified business information, and the amount fits the quota (R-ELIG-097)."""
    _bools(business_info_certified=business_info_certified)
    _money(remaining=remaining, requested=requested)
    reasons = []
    if not business_info_certified:
        reasons.append(
            Reason(
                "BUSINESS_INFO_NOT_CERTIFIED",
                "R-ELIG-097",
                "certify the business information first",
            )
        )
    if requested > remaining:
        reasons.append(
            Reason(
                "MDF_QUOTA_EXCEEDED",
                "R-ELIG-097",
                "the MDF-funded amount exceeds the remaining quota",
                {"requested": requested, "remaining": remaining},
            )
        )
    return Decision.of(reasons)


def may_reimburse_mdf(
    *,
    business_info_certified: bool,
    activity_ended: date,
    as_of: datetime,
    bills_paid: bool = True,
    growcloud: bool = False,
    budget_approval: bool = False,
) -> Decision:
    """MDF reimbursement: certified information, paid bills, late filings approved (R-ELIG-098).

    GrowCloud partners need their bills paid; filing more than 90 days after
    the activity needs the budget department's approval.
    """
    _bools(
        business_info_certified=business_info_certified,
        bills_paid=bills_paid,
        growcloud=growcloud,
        budget_approval=budget_approval,
    )
    reasons = []
    if not business_info_certified:
        reasons.append(
            Reason("BUSINESS_INFO_NOT_CERTIFIED", "R-ELIG-098", "business information uncertified")
        )
    if growcloud and not bills_paid:
        reasons.append(Reason("BILLS_UNPAID", "R-ELIG-098", "GrowCloud partners pay bills first"))
    if require_aware(as_of).date() > activity_ended + timedelta(days=90) and not budget_approval:
        reasons.append(
            Reason(
                "LATE_REIMBURSEMENT_NO_APPROVAL",
                "R-ELIG-098",
                "more than 90 days after the activity: attach the budget department's approval",
            )
        )
    return Decision.of(reasons)


def may_request_fh(*, qualification_approved: bool, agreement_signed: bool) -> Decision:
    """CSP and distributor FH needs an approved qualification and the FH agreement (R-ELIG-099)."""
    _bools(qualification_approved=qualification_approved, agreement_signed=agreement_signed)
    if qualification_approved and agreement_signed:
        return Decision.allow()
    return Decision.deny(
        Reason(
            "FH_NOT_QUALIFIED",
            "R-ELIG-099",
            "confirm the qualification and sign the FH agreement first",
            {"qualification_approved": qualification_approved, "agreement": agreement_signed},
        )
    )


def fh_reconcile_by(generated_on: date) -> date:
    """The last day to reconcile a quarter's FH incentives: 14 days after they appear (R-ELIG-100).

    >>> fh_reconcile_by(date(2024, 4, 1))
    datetime.date(2024, 4, 15)
    """
    if isinstance(generated_on, datetime) or not isinstance(generated_on, date):
        raise InvalidArgumentError("generated_on", generated_on, "expected a date")
    return generated_on + timedelta(days=14)


#: The monthly spend that makes a new customer qualified for FH (R-ELIG-100).
QUALIFYING_MONTHLY_SPEND = Money.of(1000, "USD")


def qualified_new_customer(
    monthly_spend: Mapping[Period, Money], *, threshold: Money = QUALIFYING_MONTHLY_SPEND
) -> tuple[Period, Period] | None:
    """The 12 months a customer is a qualified new customer (R-ELIG-100).

    They start with the first month its spend reaches the threshold; later
    months never restart them.

    >>> usd = lambda a: Money.of(a, "USD")
    >>> qualified_new_customer({Period.parse("2024M1"): usd(800), Period.parse("2024M2"): usd(1000),
    ...                         Period.parse("2024M3"): usd(1500)})
    (Period.parse('2024M2'), Period.parse('2025M1'))
    """
    months = sorted(monthly_spend, key=lambda p: (p.year, p.index))
    for month in months:
        _v.require_month(month, argument="monthly_spend")
        if monthly_spend[month] >= threshold:
            return month, month.shift(11)
    return None


def may_select_fh_recipients(
    *, dedicated_personnel: int, qualified_customers: Mapping[str, int], minimum: int = 3
) -> Decision:
    """FH recipients: at most half the dedicated personnel, each with 3 customers (R-ELIG-100).

    Each recipient proves at least ``minimum`` qualified new customers in the quarter.
    """
    for name, count in (("dedicated_personnel", dedicated_personnel), *qualified_customers.items()):
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise InvalidArgumentError(name, count, "a count >= 0")
    reasons = []
    allowed = dedicated_personnel // 2
    if len(qualified_customers) > allowed:
        reasons.append(
            Reason(
                "TOO_MANY_RECIPIENTS",
                "R-ELIG-100",
                "at most half of the dedicated personnel invested",
                {"selected": len(qualified_customers), "allowed": allowed},
            )
        )
    for recipient, count in sorted(qualified_customers.items()):
        if count < minimum:
            reasons.append(
                Reason(
                    "NOT_ENOUGH_QUALIFIED_CUSTOMERS",
                    "R-ELIG-100",
                    f"each recipient proves at least {minimum} qualified new customers",
                    {"recipient": recipient, "current": count, "required": minimum},
                )
            )
    return Decision.of(reasons)


def may_request_fh_payment(
    *, business_info_certified: bool, bills_paid: bool = True, growcloud: bool = False
) -> Decision:
    """FH payment: certified business information; GrowCloud partners' bills paid (R-ELIG-101)."""
    _bools(business_info_certified=business_info_certified, bills_paid=bills_paid,
           growcloud=growcloud)  # fmt: skip
    reasons = []
    if not business_info_certified:
        reasons.append(
            Reason("BUSINESS_INFO_NOT_CERTIFIED", "R-ELIG-101", "business information uncertified")
        )
    if growcloud and not bills_paid:
        reasons.append(Reason("BILLS_UNPAID", "R-ELIG-101", "GrowCloud partners pay bills first"))
    return Decision.of(reasons)


def may_confirm_si_fh(*, si_stage: str | None, protocol_accepted: bool = True) -> Decision:
    """SI pre-sales FH needs competency differentiation on the SI path (R-ELIG-102)."""
    _bools(protocol_accepted=protocol_accepted)
    reasons = []
    if si_stage != "DIFFERENTIATION":
        reasons.append(
            Reason(
                "SI_DIFFERENTIATION_REQUIRED",
                "R-ELIG-102",
                "SI FH needs competency differentiation",
                {"current": si_stage},
            )
        )
    if not protocol_accepted:
        reasons.append(Reason("PROTOCOL_REQUIRED", "R-ELIG-102", "accept the SI FH protocol"))
    return Decision.of(reasons)


_SA_CERTIFICATES = frozenset(
    {
        "HCCDP-Solution Architecture",
        "HCCDE-Solution Architecture",
        "HCIP-Cloud Service Solutions Architect",
        "HCIE-Cloud Service Solutions Architect",
    }
)


def si_fh_engineer_eligible(
    *,
    dedicated: bool,
    position: str,
    certificates: Iterable[str],
    started_on: date,
    requests_in_period: int,
    as_of: datetime,
) -> Decision:
    """An SI pre-sales engineer eligible for FH (R-ELIG-103).

    Dedicated personnel with position Solution Architect, holding Business
    Professional plus one of the solution-architecture certificates, working
    on the vendor's business for more than half a year, with fewer than 2
    requests in the funding period (1 year from starting).
    """
    _bools(dedicated=dedicated)
    held = frozenset(certificates)
    when = require_aware(as_of).date()
    reasons = []
    if not dedicated or position != "Solution Architect":
        reasons.append(
            Reason(
                "NOT_DEDICATED_ARCHITECT",
                "R-ELIG-103",
                "the engineer is dedicated personnel with position Solution Architect",
            )
        )
    if "Business Professional" not in held or not held & _SA_CERTIFICATES:
        reasons.append(
            Reason(
                "CERTIFICATES_MISSING",
                "R-ELIG-103",
                "Business Professional plus a solution-architecture certificate",
            )
        )
    if not when > started_on + relativedelta(months=6):
        reasons.append(
            Reason(
                "TENURE_NOT_OVER_6_MONTHS",
                "R-ELIG-103",
                "more than half a year on the vendor's business",
                {"started_on": started_on},
            )
        )
    if requests_in_period >= 2:
        reasons.append(
            Reason(
                "MAX_2_REQUESTS",
                "R-ELIG-103",
                "at most 2 FH requests per funding period",
                {"requests": requests_in_period},
            )
        )
    return Decision.of(reasons)


def may_request_si_fh(*, applications_this_month: int) -> Decision:
    """One SI FH application per calendar month (R-ELIG-104)."""
    if applications_this_month >= 1:
        return Decision.deny(Reason("MONTHLY_LIMIT", "R-ELIG-104", "one FH application per month"))
    return Decision.allow()


def may_add_spif_recipient(*, spif_registered: bool, identity_associated: bool) -> Decision:
    """SPIF: a registered commitment, and recipients associated with the partner (R-ELIG-105)."""
    _bools(spif_registered=spif_registered, identity_associated=identity_associated)
    reasons = []
    if not spif_registered:
        reasons.append(
            Reason("SPIF_NOT_REGISTERED", "R-ELIG-105", "sign and upload the SPIF commitment")
        )
    if not identity_associated:
        reasons.append(
            Reason(
                "RECIPIENT_NOT_ASSOCIATED",
                "R-ELIG-105",
                "the recipient's personal identity is not associated with the partner",
            )
        )
    return Decision.of(reasons)
