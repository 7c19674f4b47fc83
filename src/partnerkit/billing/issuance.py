"""Issuing coupons: Alibaba templates and approvals, Huawei test-coupon quotas and notices.

Alibaba lets distributors and resellers issue coupons from a **template** to
their end users or sub-accounts (R-BILL-37).  A template names who bears the
cost (R-BILL-38) and whether a sub-account may receive it once or without
limit (R-BILL-39); an issuance is approved by the business director unless no
approval is needed, and can be cancelled only while pending (R-BILL-40).

Huawei test coupons come from benefit quotas: a request must fit in
``quota - issued`` and none may be pending (R-BILL-42, I-22, DC-14).  Partners
are reminded of their reseller customers' coupon usage 7 and 3 days before
month end (R-BILL-32, DC-15).

>>> from partnerkit.money import Money, Rate, Rounding, total
>>> t = CouponTemplate(template_id="T", amount=Money.of("100", "USD"),
...                    cost_bearer=CostBearer.VENDOR, limit=IssuanceLimit.ONE)
>>> may_issue(PartnerRole.ALIBABA_DISTRIBUTOR, t, RecipientKind.TIER_TWO_RESELLER, "r2",
...           issued=(), feature_enabled=True).codes
('RECIPIENT_NOT_ALLOWED',)
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import final

import attrs
from dateutil.relativedelta import relativedelta

import partnerkit._validators as _v
from partnerkit._construct import checked
from partnerkit.billing.bill import BillingMode, BillLine
from partnerkit.billing.coupons import Coupon
from partnerkit.decisions import Decision, Reason
from partnerkit.errors import InvalidArgumentError, RuleViolationError
from partnerkit.events import Event
from partnerkit.ids import SYSTEM_ACTOR, ActorId, CustomerId, PartnerId
from partnerkit.money import Money, Rate, Rounding, total
from partnerkit.partners import PartnerRole
from partnerkit.periods import Period, require_aware

__all__ = [
    "MINIMUM_PAYOUT",
    "Certification",
    "CostBearer",
    "CouponTemplate",
    "CouponUsageNotice",
    "Issuance",
    "IssuanceLimit",
    "IssuanceStatus",
    "PayoutMethod",
    "RebateFrequency",
    "RecipientKind",
    "cancel_issuance",
    "check_payout",
    "closed_by_next_stage",
    "coupon_notice_days",
    "coupon_usage_notice",
    "decide_issuance",
    "exam_voucher_valid_to",
    "exchange_valid_to",
    "may_issue",
    "may_request_exam_voucher",
    "may_request_test_coupons",
    "payout_invoice_amount",
    "request_issuance",
]


class CostBearer(enum.Enum):
    """Who pays for an Alibaba coupon (R-BILL-38)."""

    VENDOR = "vendor"
    PARTNER = "partner"


class IssuanceLimit(enum.Enum):
    """Per sub-account issuance limit of a template (R-BILL-39)."""

    ONE = "limited-to-1"
    UNLIMITED = "unlimited"


class RecipientKind(enum.Enum):
    """Who receives an issued coupon."""

    END_USER = "end-user"
    TIER_TWO_RESELLER = "tier-two-reseller"


class IssuanceStatus(enum.Enum):
    """Alibaba issuance statuses (R-BILL-40)."""

    PENDING = "pending-approval"
    APPROVED = "approved"
    DENIED = "denied"
    CANCELLED = "cancelled"


@checked
@final
@attrs.frozen(kw_only=True)
class CouponTemplate:
    """An Alibaba coupon template (billing.md 1.10).

    Attributes:
        template_id: The template id.
        amount: What one issued coupon deducts.
        cost_bearer: Who pays for it (R-BILL-38).
        limit: Once per sub-account, or unlimited (R-BILL-39).
        billing_modes: What an issued coupon pays for (R-BILL-29).
        valid_months: How long an issued coupon stays valid from approval.
        owner: The partner that holds the template, for storage.
        version: Storage version.
    """

    template_id: str = attrs.field(validator=_v.text)
    amount: Money
    cost_bearer: CostBearer
    limit: IssuanceLimit = IssuanceLimit.UNLIMITED
    billing_modes: frozenset[BillingMode] = frozenset(BillingMode)
    valid_months: int = 12
    owner: PartnerId | None = attrs.field(default=None, validator=_v.optional_text)
    version: int = 0

    def __attrs_post_init__(self) -> None:
        if not self.amount.is_positive():
            raise InvalidArgumentError("amount", self.amount, "a template deducts an amount > 0")
        if isinstance(self.valid_months, bool) or not (
            isinstance(self.valid_months, int) and self.valid_months >= 1
        ):
            raise InvalidArgumentError("valid_months", self.valid_months, "a count >= 1")

    def coupon_for(self, issuance: Issuance, *, approved_at: datetime) -> Coupon:
        """The cash coupon an approved issuance puts in the recipient's hands (R-BILL-40).

        Valid from approval for ``valid_months`` calendar months minus one
        second; assigned to the end user, held by the issuer.
        """
        if issuance.status is not IssuanceStatus.APPROVED:
            raise RuleViolationError(
                "R-BILL-40",
                "only an approved issuance becomes a coupon",
                fields={"issuance_id": issuance.issuance_id, "status": issuance.status.value},
            )
        start = require_aware(approved_at, argument="approved_at")
        end = start + relativedelta(months=self.valid_months) - timedelta(seconds=1)
        return Coupon(
            coupon_id=f"{self.template_id}/{issuance.issuance_id}",
            balance=self.amount,
            valid_from=start,
            valid_to=end,
            billing_modes=self.billing_modes,
            customer_id=(
                CustomerId(issuance.recipient)
                if issuance.recipient_kind is RecipientKind.END_USER
                else None
            ),
            reseller_id=(
                PartnerId(issuance.recipient)
                if issuance.recipient_kind is RecipientKind.TIER_TWO_RESELLER
                else None
            ),
            holder=issuance.issuer,
        )


@final
@attrs.frozen(kw_only=True)
class Issuance:
    """One template issued to one recipient, and its approval status."""

    issuance_id: str = attrs.field(validator=_v.text)
    template_id: str = attrs.field(validator=_v.text)
    recipient: str = attrs.field(validator=_v.text)
    status: IssuanceStatus = IssuanceStatus.PENDING
    recipient_kind: RecipientKind = RecipientKind.END_USER
    issuer: PartnerId | None = attrs.field(default=None, validator=_v.optional_text)
    version: int = 0


_ISSUERS = frozenset(
    {PartnerRole.ALIBABA_DISTRIBUTOR, PartnerRole.DIRECT_RESELLER, PartnerRole.TIER2_RESELLER}
)
_COUNTED = frozenset({IssuanceStatus.PENDING, IssuanceStatus.APPROVED})


def may_issue(
    issuer: PartnerRole,
    template: CouponTemplate,
    recipient_kind: RecipientKind,
    recipient: str,
    *,
    issued: Iterable[Issuance],
    feature_enabled: bool,
) -> Decision:
    """Whether ``issuer`` may issue ``template`` to ``recipient`` (R-BILL-37..39, 41; DC-29)."""
    reasons = []
    if not feature_enabled:
        reasons.append(
            Reason("FEATURE_NOT_ENABLED", "R-BILL-41", "the BD has not enabled the coupon function")
        )
    if issuer not in _ISSUERS:
        reasons.append(
            Reason(
                "NOT_ALLOWED_TO_ISSUE",
                "R-BILL-37",
                "only distributors and resellers issue coupons",
                {"role": issuer},
            )
        )
    if (
        template.cost_bearer is CostBearer.VENDOR
        and recipient_kind is RecipientKind.TIER_TWO_RESELLER
    ):
        reasons.append(
            Reason(
                "RECIPIENT_NOT_ALLOWED",
                "R-BILL-38",
                "vendor-borne coupons cannot be issued to tier-2 resellers",
                {"recipient": recipient},
            )
        )
    if template.limit is IssuanceLimit.ONE and any(
        i.template_id == template.template_id and i.recipient == recipient and i.status in _COUNTED
        for i in issued
    ):
        reasons.append(
            Reason(
                "ISSUANCE_LIMIT_REACHED",
                "R-BILL-39",
                "this template is limited to one issuance per sub-account",
                {"template_id": template.template_id, "recipient": recipient},
            )
        )
    return Decision.of(reasons)


def request_issuance(
    issuance_id: str,
    issuer: PartnerRole,
    template: CouponTemplate,
    recipient_kind: RecipientKind,
    recipient: str,
    *,
    issued: Iterable[Issuance],
    feature_enabled: bool,
    needs_approval: bool,
) -> Issuance:
    """Start an issuance: refused with every reason, else pending or auto-approved (R-BILL-40)."""
    existing = list(issued)
    may_issue(
        issuer,
        template,
        recipient_kind,
        recipient,
        issued=existing,
        feature_enabled=feature_enabled,
    ).raise_if_denied()
    status = IssuanceStatus.PENDING if needs_approval else IssuanceStatus.APPROVED
    return Issuance(
        issuance_id=issuance_id,
        template_id=template.template_id,
        recipient=recipient,
        status=status,
        recipient_kind=recipient_kind,
        issuer=template.owner,
    )


def decide_issuance(issuance: Issuance, *, approve: bool) -> Issuance:
    """The BD approves or denies a pending issuance (R-BILL-40)."""
    if issuance.status is not IssuanceStatus.PENDING:
        raise RuleViolationError(
            "R-BILL-40",
            "only a pending issuance can be decided",
            fields={"issuance_id": issuance.issuance_id, "status": issuance.status.value},
        )
    status = IssuanceStatus.APPROVED if approve else IssuanceStatus.DENIED
    return attrs.evolve(issuance, status=status)


def cancel_issuance(issuance: Issuance) -> Issuance:
    """The issuer cancels while approval is pending (R-BILL-40)."""
    if issuance.status is not IssuanceStatus.PENDING:
        raise RuleViolationError(
            "R-BILL-40",
            "an issuance can be cancelled only while pending",
            fields={"issuance_id": issuance.issuance_id, "status": issuance.status.value},
        )
    return attrs.evolve(issuance, status=IssuanceStatus.CANCELLED)


def may_request_test_coupons(
    *, quota: Money, issued: Money, requested: Money, pending: bool
) -> Decision:
    """A test-coupon request must fit in ``quota - issued`` with none pending (R-BILL-42, I-22).

    >>> usd = lambda a: Money.of(a, "USD")
    >>> may_request_test_coupons(quota=usd("15000"), issued=usd("12000"),
    ...                          requested=usd("3000.01"), pending=False).codes
    ('QUOTA_EXCEEDED',)
    """
    reasons = []
    remaining = quota - issued
    if not requested.is_positive() or requested > remaining:
        reasons.append(
            Reason(
                "QUOTA_EXCEEDED",
                "R-BILL-42",
                "the request must fit in the remaining quota",
                {"requested": requested, "remaining": remaining},
            )
        )
    if pending:
        reasons.append(
            Reason("REQUEST_PENDING", "R-BILL-43", "a request is already pending approval")
        )
    return Decision.of(reasons)


def coupon_notice_days(cycle: Period, *, enabled: bool = True) -> tuple[date, ...]:
    """The coupon-usage notice days of a month: 7 and 3 days before its last day (DC-15).

    The notice is on by default; a partner that disabled it gets none (R-BILL-32).

    >>> coupon_notice_days(Period.parse("2024M2"))
    (datetime.date(2024, 2, 22), datetime.date(2024, 2, 26))
    >>> coupon_notice_days(Period.parse("2024M2"), enabled=False)
    ()
    """
    _v.require_month(cycle)
    if not isinstance(enabled, bool):
        raise InvalidArgumentError("enabled", enabled, "expected True or False")
    if not enabled:
        return ()
    last = date(cycle.year, cycle.index, cycle.days)
    return last - timedelta(days=7), last - timedelta(days=3)


def exchange_valid_to(credited_at: datetime) -> datetime:
    """Last valid instant of a coupon bought with incentive earnings (R-BILL-35, DC-21).

    Valid from the moment it is credited (the automatic processing counts as
    approval) to the same instant a calendar year later, minus one second;
    29 February maps to 28 February.

    >>> from partnerkit.periods import GMT_PLUS_8
    >>> exchange_valid_to(datetime(2024, 2, 29, 10, 0, tzinfo=GMT_PLUS_8)).isoformat()
    '2025-02-28T09:59:59+08:00'
    """
    when = require_aware(credited_at, argument="credited_at")
    return when + relativedelta(years=1) - timedelta(seconds=1)


class PayoutMethod(enum.Enum):
    """How incentive earnings are paid out (R-BILL-35)."""

    BANK_TRANSFER = "bank-transfer"
    TOP_UP = "top-up"
    COUPON = "coupon"


class RebateFrequency(enum.Enum):
    """How often a rebate is settled (R-BILL-35)."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


#: Bank-transfer and top-up payouts need at least this much (R-BILL-35).
MINIMUM_PAYOUT = Money.of("200", "USD")


def check_payout(
    amount: Money,
    method: PayoutMethod,
    *,
    frequency: RebateFrequency = RebateFrequency.MONTHLY,
    minimum: Money = MINIMUM_PAYOUT,
) -> Decision:
    """May earnings of ``amount`` be paid out by ``method``? (R-BILL-35).

    Any amount may be exchanged for a coupon; a bank transfer or top-up needs
    at least ``minimum``; a quarterly rebate is paid by top-up or coupon only.

    >>> check_payout(Money.of("199.99", "USD"), PayoutMethod.BANK_TRANSFER,
    ...              frequency=RebateFrequency.QUARTERLY).codes
    ('PAYMENT_OPTION_NOT_ALLOWED', 'BELOW_MINIMUM_PAYOUT')
    """
    if not isinstance(amount, Money) or not amount.is_positive():
        raise InvalidArgumentError("amount", amount, "a payout is a positive Money")
    reasons = []
    if frequency is RebateFrequency.QUARTERLY and method is PayoutMethod.BANK_TRANSFER:
        reasons.append(
            Reason(
                "PAYMENT_OPTION_NOT_ALLOWED",
                "R-BILL-35",
                "a quarterly rebate is paid by top-up or coupon",
                {"method": method},
            )
        )
    if method is not PayoutMethod.COUPON and amount < minimum:
        reasons.append(
            Reason(
                "BELOW_MINIMUM_PAYOUT",
                "R-BILL-35",
                f"a {method.value} payout needs at least {minimum}",
                {"requested": amount, "minimum": minimum},
            )
        )
    return Decision.of(reasons)


def payout_invoice_amount(
    earnings: Money,
    method: PayoutMethod,
    *,
    tax: Rate,
    rounding: Rounding = Rounding.HALF_UP,
) -> Money | None:
    """What the partner's invoice for a payout shows: earnings plus the tax on them.

    Exchanging earnings for a coupon needs no invoice (R-BILL-35), so the
    answer is ``None``; otherwise ``earnings x (1 + tax)`` rounded to the
    minor unit with ``rounding`` (the samples use 12 %, half-up; EX-34).

    >>> payout_invoice_amount(Money.of("41.93", "USD"), PayoutMethod.BANK_TRANSFER,
    ...                       tax=Rate.from_percent(12))
    Money('46.96', 'USD')
    """
    if not isinstance(earnings, Money):
        raise InvalidArgumentError("earnings", earnings, "expected Money")
    if not isinstance(tax, Rate) or tax.value < 0:
        raise InvalidArgumentError("tax", tax, "a Rate >= 0")
    if method is PayoutMethod.COUPON:
        return None
    return (earnings + earnings * tax).round(rounding=rounding)


class Certification(enum.Enum):
    """Huawei certification levels that exam vouchers pay for (R-BILL-44)."""

    HCIA = "HCIA"
    HCIP = "HCIP"
    HCIE = "HCIE"
    HCCDA = "HCCDA"
    HCCDP = "HCCDP"
    HCCDE = "HCCDE"

    @property
    def needs_real_name(self) -> bool:
        """HCIA/HCIP/HCIE need a real-name uniportal account; HCCD* do not."""
        return self in _REAL_NAME

    @property
    def stage(self) -> tuple[str, int]:
        """The track and the stage within it (associate 1, professional 2, expert 3)."""
        return _STAGES[self]


_REAL_NAME = frozenset({Certification.HCIA, Certification.HCIP, Certification.HCIE})
_STAGES = {
    Certification.HCIA: ("HCI", 1),
    Certification.HCIP: ("HCI", 2),
    Certification.HCIE: ("HCI", 3),
    Certification.HCCDA: ("HCCD", 1),
    Certification.HCCDP: ("HCCD", 2),
    Certification.HCCDE: ("HCCD", 3),
}


def may_request_exam_voucher(
    certification: Certification,
    *,
    listed: Iterable[Certification],
    quota: int,
    issued_this_year: int,
    requested: int = 1,
    email_linked: bool,
    real_name: bool,
) -> Decision:
    """May the partner administrator request exam vouchers? (R-BILL-44).

    >>> may_request_exam_voucher(Certification.HCIE, listed=[Certification.HCIE], quota=5,
    ...     issued_this_year=5, email_linked=True, real_name=False).codes
    ('QUOTA_EXCEEDED', 'REAL_NAME_REQUIRED')
    """
    for name, number in (("quota", quota), ("issued_this_year", issued_this_year)):
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            raise InvalidArgumentError(name, number, "a count >= 0")
    if isinstance(requested, bool) or not isinstance(requested, int) or requested < 1:
        raise InvalidArgumentError("requested", requested, "a count >= 1")
    reasons = []
    if certification not in frozenset(listed):
        reasons.append(
            Reason(
                "NOT_LISTED",
                "R-BILL-44",
                "only listed vouchers can be requested online",
                {"certification": certification},
            )
        )
    if issued_this_year + requested > quota:
        reasons.append(
            Reason(
                "QUOTA_EXCEEDED",
                "R-BILL-44",
                "the benefit's yearly voucher quota is used up",
                {"quota": quota, "issued": issued_this_year, "requested": requested},
            )
        )
    if not email_linked:
        reasons.append(
            Reason(
                "EMAIL_NOT_LINKED",
                "R-BILL-44",
                "link a Huawei ID with an e-mail to the partner account first",
            )
        )
    if certification.needs_real_name and not real_name:
        reasons.append(
            Reason(
                "REAL_NAME_REQUIRED",
                "R-BILL-44",
                f"{certification.value} exams need a real-name uniportal account",
            )
        )
    return Decision.of(reasons)


def exam_voucher_valid_to(issued_at: datetime) -> datetime:
    """An exam voucher is valid for one year from issuance (R-BILL-44, same reading as DC-21)."""
    return exchange_valid_to(issued_at)


def closed_by_next_stage(
    vouchers: Mapping[str, Certification], entered: Certification
) -> frozenset[str]:
    """The vouchers closed when a user enters ``entered``: earlier stages of its track (R-BILL-44).

    >>> sorted(closed_by_next_stage({"v1": Certification.HCIA, "v2": Certification.HCCDA},
    ...                             Certification.HCIP))
    ['v1']
    """
    track, stage = entered.stage
    return frozenset(
        voucher
        for voucher, level in vouchers.items()
        if level.stage[0] == track and level.stage[1] < stage
    )


@attrs.frozen(kw_only=True)
class CouponUsageNotice(Event):
    """The e-mail of R-BILL-32: reseller customers' coupon usage and estimated amount due.

    Attributes:
        partner_id: The partner e-mailed.
        cycle: The month.
        by_customer: Per customer, ``(coupons used, estimated amount due)``
            month to date, sorted by customer.
    """

    partner_id: PartnerId
    cycle: Period
    by_customer: tuple[tuple[CustomerId, Money, Money], ...]


def coupon_usage_notice(
    partner_id: PartnerId,
    cycle: Period,
    lines: Iterable[BillLine],
    *,
    today: date,
    at: datetime,
    enabled: bool = True,
    actor: ActorId = SYSTEM_ACTOR,
) -> CouponUsageNotice | None:
    """The notice to send ``today``, if it is a notice day and the partner has it on (R-BILL-32).

    ``lines`` are the month's lines so far, after the coupon pass; the notice
    sums each customer's coupons used and amount due.  ``None`` on any other
    day, when disabled, or with no lines.
    """
    if today not in coupon_notice_days(cycle, enabled=enabled):
        return None
    items = [line for line in lines if line.billed_partner == partner_id and line.cycle == cycle]
    if not items:
        return None
    currency = items[0].settlement_amount.currency
    customers: dict[CustomerId, list[BillLine]] = {}
    for line in items:
        customers.setdefault(line.customer_id, []).append(line)
    rows = tuple(
        (
            customer,
            total((line.coupons_used for line in mine), currency=currency),
            total((line.amount_due for line in mine), currency=currency),
        )
        for customer, mine in sorted(customers.items())
    )
    return CouponUsageNotice(
        occurred_at=require_aware(at, argument="at"),
        actor=actor,
        partner_id=partner_id,
        cycle=cycle,
        by_customer=rows,
    )
