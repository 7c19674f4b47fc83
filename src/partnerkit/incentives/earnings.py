"""The earnings lifecycle and payout (incentives.md 1.8, 1.9, 3.4, 3.5; R-INC-29..56).

An :class:`IncentiveEarning` is one statement per partner, period and policy.
It is ESTIMATED while the cycle runs (never payable), then an official
statement PENDING_CONFIRMATION once the period's revenue is final
(DC-INC-36), then ISSUING when the partner confirms or after the
confirmation window (5 days, R-INC-31), then ISSUED after the vendor's
review (R-INC-32).  Issued earnings are *available* unless frozen by an
unpaid bill of their cycle (unfrozen the day after full payment, R-INC-39)
or expired a year after generation (R-INC-40).

A :class:`PaymentRequest` takes available earnings: negatives are always
included and deducted first (R-INC-44); bank transfer and top-up need a net
of at least 200 USD (R-INC-42, DC-INC-11); quarterly rebates cannot go to a
bank (R-INC-43); a coupon is issued at once with no invoice (R-INC-47).
Amounts are converted to the settlement currency at the last month's rate,
each earning rounded half-up to 2 places (R-INC-50, EX-INC-08), and the
invoice adds the service-fee tax (EX-INC-10).

>>> from datetime import datetime
>>> from decimal import Decimal
>>> from partnerkit.periods import GMT_PLUS_8, Period
>>> at = datetime(2024, 6, 10, 10, tzinfo=GMT_PLUS_8)
>>> e = statement("e1", PartnerId("p"), Period.parse("2024M5"), Money.of("150.00", "USD"),
...               policy_id="monthly", generated_at=at)
>>> e = issue(confirm(e, actor=ActorId("p-admin"), as_of=at)[0], actor=ActorId("ops"), as_of=at)[0]
>>> e.status
<EarningStatus.ISSUED: 'issued'>
>>> try:
...     request_payment([e], PayoutOption.BANK_TRANSFER, request_id="r1", actor=ActorId("p-admin"),
...         standing=PartnerStanding(), bills={}, as_of=at)
... except BelowMinimumPayout as error:
...     print(error.rule_id, error.fields["minimum"])
R-INC-42 200.00 USD
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Any, final

import attrs
from dateutil.relativedelta import relativedelta

import partnerkit._validators as _v
from partnerkit._construct import checked
from partnerkit.billing.issuance import PayoutMethod, payout_invoice_amount
from partnerkit.decisions import Decision, Reason
from partnerkit.errors import InvalidArgumentError, RuleViolationError
from partnerkit.events import Event
from partnerkit.ids import ActorId, PartnerId
from partnerkit.incentives.calculate import Earning
from partnerkit.money import Currency, Money, Rate, Rounding, to_decimal, total
from partnerkit.periods import GMT_PLUS_8, Period, PeriodKind, require_aware

__all__ = [
    "HUAWEI_PAYOUT",
    "BelowMinimumPayout",
    "BillsPaid",
    "ConfirmedBy",
    "EarningChanged",
    "EarningExpired",
    "EarningStatus",
    "EarningsFrozen",
    "IncentiveEarning",
    "NothingToPay",
    "PartnerStanding",
    "PaymentRequest",
    "PaymentRequestChanged",
    "PaymentStatus",
    "PayoutOption",
    "PayoutOptionNotAllowed",
    "PayoutPolicy",
    "adjustment",
    "approve_invoice",
    "approve_payment",
    "auto_confirm",
    "auto_pay",
    "auto_pay_on",
    "availability",
    "complete_payment",
    "confirm",
    "convert",
    "coupon_failed",
    "display_status",
    "estimate",
    "frozen_reason",
    "invoice_amount",
    "issue",
    "publish",
    "reject_invoice",
    "reject_payment",
    "request_payment",
    "send_requisition",
    "statement",
    "submit_invoice",
    "valid_until",
]


class EarningStatus(enum.Enum):
    """Earnings statuses (R-INC-29); the vendor's post-confirmation labels alias ISSUED (CF-12)."""

    ESTIMATED = "estimated"
    PENDING_CONFIRMATION = "pending-confirmation"
    ISSUING = "issuing"
    ISSUED = "issued"


class ConfirmedBy(enum.Enum):
    """Who confirmed a statement (R-INC-31)."""

    PARTNER = "partner"
    AUTO = "auto"


#: How earnings are paid (R-INC-41): the billing area's payout methods, one enum for both.
PayoutOption = PayoutMethod


_KIND_NAMES = {
    PeriodKind.MONTH: "monthly",
    PeriodKind.QUARTER: "quarterly",
    PeriodKind.HALF_YEAR: "half-yearly",
    PeriodKind.YEAR: "yearly",
}
_ALL_OPTIONS = frozenset(PayoutOption)


def _usd(amount: str) -> Money:
    return Money.of(amount, "USD")


def _options(value: Mapping[PeriodKind, Iterable[PayoutOption]]) -> Mapping[PeriodKind, Any]:
    return MappingProxyType({k: frozenset(v) for k, v in dict(value).items()})


def _minimums(value: Mapping[PayoutOption, Money]) -> Mapping[PayoutOption, Money]:
    return MappingProxyType(dict(value))


@checked
@final
@attrs.frozen(kw_only=True, eq=False)
class PayoutPolicy:
    """A vendor's earnings and payout rules (1.4, DC-INC-11..14, DC-INC-41).

    Attributes:
        confirmation_window: Unconfirmed statements confirm themselves after it
            (5 x 24 hours, R-INC-31, DC-INC-13).
        validity_years: How long an earning stays payable (1 year, R-INC-40, DC-INC-12).
        coupon_validity_years: How long a coupon from earnings lasts (1 year, R-INC-47).
        minimums: The least net amount per option (bank and top-up 200 USD;
            coupons any amount; R-INC-42, DC-INC-11).
        options: The options per period kind: monthly and yearly earnings any,
            quarterly rebates top-up or coupon (R-INC-43).
        auto_pay_days: Auto-pay runs this many days after generation (R-INC-53).
        auto_pay_fallback: The option auto-pay uses when the chosen one is not
            allowed (TOP_UP, never silently a coupon; DC-INC-41).
        conversion_rounding: Rounding of each converted earning (half-up,
            EX-INC-08) and of the invoice amount (EX-INC-10).
        tz: The reference time zone for days (GMT+08:00).
    """

    confirmation_window: timedelta = timedelta(days=5)
    validity_years: int = 1
    coupon_validity_years: int = 1
    minimums: Mapping[PayoutOption, Money] = attrs.field(
        factory=lambda: {
            PayoutOption.BANK_TRANSFER: _usd("200.00"),
            PayoutOption.TOP_UP: _usd("200.00"),
        },
        converter=_minimums,
    )
    options: Mapping[PeriodKind, frozenset[PayoutOption]] = attrs.field(
        factory=lambda: {
            PeriodKind.MONTH: _ALL_OPTIONS,
            PeriodKind.QUARTER: frozenset({PayoutOption.TOP_UP, PayoutOption.COUPON}),
            PeriodKind.YEAR: _ALL_OPTIONS,
        },
        converter=_options,
    )
    auto_pay_days: int = 5
    auto_pay_fallback: PayoutOption = PayoutOption.TOP_UP
    conversion_rounding: Rounding = Rounding.HALF_UP
    tz: Any = GMT_PLUS_8

    def allowed(self, kind: PeriodKind) -> frozenset[PayoutOption]:
        """The options for earnings of a period kind."""
        return frozenset(self.options.get(kind, _ALL_OPTIONS))


#: Huawei's rules (the library defaults).
HUAWEI_PAYOUT = PayoutPolicy()


@final
@attrs.frozen(kw_only=True)
class IncentiveEarning:
    """One earnings statement (1.8).

    Attributes:
        earning_id: Its id.
        partner_id: The partner.
        period: The billing cycle it is for.
        policy_id: The programme.
        amount: Signed, 2 places (a negative earning is a clawback, R-INC-05).
        status: The lifecycle status (R-INC-29).
        generated_at: When the official statement was generated.
        confirmed_at / confirmed_by: The confirmation (R-INC-30, R-INC-31).
        issued_at: When the vendor's review passed (R-INC-32).
        request_id: The payment request holding it, if any.
        paid: Whether its request completed.
        expiry_waived: Set once a request holding it was rejected (R-INC-40).
        association_type: "reseller" or "referral" (DC-INC-37).
        detail: The calculation behind it, with lines and trace.
        reason: Why, for adjustments (DC-INC-31).
    """

    earning_id: str = attrs.field(validator=_v.text)
    partner_id: PartnerId = attrs.field(validator=_v.text)
    period: Period
    policy_id: str = attrs.field(validator=_v.text)
    amount: Money = attrs.field(validator=_v.money)
    status: EarningStatus
    generated_at: datetime | None = attrs.field(default=None, validator=_v.optional_aware)
    confirmed_at: datetime | None = attrs.field(default=None, validator=_v.optional_aware)
    confirmed_by: ConfirmedBy | None = None
    issued_at: datetime | None = attrs.field(default=None, validator=_v.optional_aware)
    request_id: str | None = None
    paid: bool = False
    expiry_waived: bool = False
    association_type: str | None = None
    detail: Earning | None = attrs.field(default=None, eq=False, repr=False)
    reason: str | None = None
    version: int = 0

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.period, Period):
            raise InvalidArgumentError("period", self.period, "a Period")
        if self.amount.round(rounding=Rounding.HALF_UP) != self.amount:
            raise InvalidArgumentError(
                "amount", self.amount, "an amount in minor units (DC-INC-01)"
            )


@attrs.frozen(kw_only=True)
class EarningChanged(Event):
    """An earning was published, confirmed, issued, attached, freed or paid."""

    before: IncentiveEarning | None
    after: IncentiveEarning

    def snapshots(self) -> tuple[object, ...]:
        """The stored earning after the change."""
        return (self.after,)


class EarningsFrozen(RuleViolationError):
    """Earnings of a cycle with unpaid bills were asked for (R-INC-39)."""


class EarningExpired(RuleViolationError):
    """An expired earning was asked for (R-INC-40)."""


class BelowMinimumPayout(RuleViolationError):
    """The net amount is below the option's minimum (R-INC-42)."""


class PayoutOptionNotAllowed(RuleViolationError):
    """The option is not allowed for one of the earnings (R-INC-43)."""


class NothingToPay(RuleViolationError):
    """The selection nets to zero or less (DC-INC-10)."""


def _changed(
    before: IncentiveEarning | None, after: IncentiveEarning, actor: ActorId, when: datetime
) -> EarningChanged:
    return EarningChanged(occurred_at=when, actor=actor, before=before, after=after)


def estimate(earning: Earning, *, earning_id: str) -> IncentiveEarning:
    """An ESTIMATED earning of the running cycle: shown, recomputed, never payable (DC-INC-36)."""
    return IncentiveEarning(
        earning_id=earning_id,
        partner_id=earning.partner_id,
        period=earning.period,
        policy_id=earning.policy_id,
        amount=earning.amount,
        status=EarningStatus.ESTIMATED,
        detail=earning,
    )


def statement(
    earning_id: str,
    partner_id: PartnerId,
    period: Period,
    amount: Money,
    *,
    policy_id: str,
    generated_at: datetime,
    detail: Earning | None = None,
    association_type: str | None = None,
) -> IncentiveEarning:
    """An official statement, PENDING_CONFIRMATION from ``generated_at`` (3.4)."""
    return IncentiveEarning(
        earning_id=earning_id,
        partner_id=partner_id,
        period=period,
        policy_id=policy_id,
        amount=amount,
        status=EarningStatus.PENDING_CONFIRMATION,
        generated_at=require_aware(generated_at, argument="generated_at"),
        detail=detail,
        association_type=association_type,
    )


def publish(
    estimated: IncentiveEarning,
    *,
    revenue_final: bool,
    actor: ActorId,
    as_of: datetime,
    detail: Earning | None = None,
) -> tuple[IncentiveEarning, tuple[EarningChanged, ...]]:
    """Turn an estimate into the official statement once revenue is FINAL (DC-INC-36, R-INC-11).

    ``detail`` is the recomputation on the final revenue; its amount replaces the estimate.
    """
    when = require_aware(as_of)
    if estimated.status is not EarningStatus.ESTIMATED:
        raise RuleViolationError(
            "R-INC-29",
            f"only an estimate is published, not a {estimated.status.value} earning",
            fields={"earning_id": estimated.earning_id, "status": estimated.status.value},
        )
    if not revenue_final:
        raise RuleViolationError(
            "R-INC-11",
            "statements are generated only from final revenue (DC-INC-36)",
            fields={"earning_id": estimated.earning_id, "period": estimated.period.code},
        )
    chosen = detail or estimated.detail
    after = attrs.evolve(
        estimated,
        status=EarningStatus.PENDING_CONFIRMATION,
        generated_at=when,
        amount=chosen.amount if chosen is not None else estimated.amount,
        detail=chosen,
        version=estimated.version + 1,
    )
    return after, (_changed(estimated, after, actor, when),)


def _require(earning: IncentiveEarning, status: EarningStatus, rule_id: str, action: str) -> None:
    if earning.status is not status:
        raise RuleViolationError(
            rule_id,
            f"cannot {action} a {earning.status.value} earning (needs {status.value})",
            fields={"earning_id": earning.earning_id, "status": earning.status.value},
        )


def confirm(
    earning: IncentiveEarning, *, actor: ActorId, as_of: datetime
) -> tuple[IncentiveEarning, tuple[EarningChanged, ...]]:
    """The partner confirms a statement: ISSUING, confirmed by PARTNER (R-INC-30)."""
    when = require_aware(as_of)
    _require(earning, EarningStatus.PENDING_CONFIRMATION, "R-INC-30", "confirm")
    after = attrs.evolve(
        earning,
        status=EarningStatus.ISSUING,
        confirmed_at=when,
        confirmed_by=ConfirmedBy.PARTNER,
        version=earning.version + 1,
    )
    return after, (_changed(earning, after, actor, when),)


def auto_confirm(
    earning: IncentiveEarning, *, as_of: datetime, policy: PayoutPolicy = HUAWEI_PAYOUT
) -> tuple[IncentiveEarning, tuple[EarningChanged, ...]]:
    """Confirm a statement left unconfirmed for the window (5 x 24 h; R-INC-31, DC-INC-13).

    Nothing happens (no events) before the window ends or for other statuses.
    """
    when = require_aware(as_of)
    if earning.status is not EarningStatus.PENDING_CONFIRMATION or earning.generated_at is None:
        return earning, ()
    due = earning.generated_at + policy.confirmation_window
    if when < due:
        return earning, ()
    after = attrs.evolve(
        earning,
        status=EarningStatus.ISSUING,
        confirmed_at=due,
        confirmed_by=ConfirmedBy.AUTO,
        version=earning.version + 1,
    )
    return after, (_changed(earning, after, ActorId("system"), due),)


def issue(
    earning: IncentiveEarning, *, actor: ActorId, as_of: datetime
) -> tuple[IncentiveEarning, tuple[EarningChanged, ...]]:
    """The vendor's review passes: ISSUED (R-INC-32)."""
    when = require_aware(as_of)
    _require(earning, EarningStatus.ISSUING, "R-INC-32", "issue")
    after = attrs.evolve(
        earning, status=EarningStatus.ISSUED, issued_at=when, version=earning.version + 1
    )
    return after, (_changed(earning, after, actor, when),)


def display_status(earning: IncentiveEarning, *, distributor: bool = False) -> str:
    """The vendor's label for the status (R-INC-32, CF-12).

    ISSUED reads "Reconciliation completed" for a CSP, "Distributing" for a
    distributor and "Distributed" once paid.

    >>> from partnerkit.periods import Period
    >>> e = IncentiveEarning(earning_id="e", partner_id=PartnerId("p"), policy_id="m",
    ...     period=Period.parse("2021M1"), amount=Money.of("0.00", "USD"),
    ...     status=EarningStatus.ISSUED, paid=True)
    >>> display_status(e)
    'Distributed'
    """
    labels = {
        EarningStatus.ESTIMATED: "Estimated",
        EarningStatus.PENDING_CONFIRMATION: "Pending confirmation",
        EarningStatus.ISSUING: "Issuing",
    }
    if earning.status is not EarningStatus.ISSUED:
        return labels[earning.status]
    if earning.paid:
        return "Distributed"
    return "Distributing" if distributor else "Reconciliation completed"


def valid_until(earning: IncentiveEarning, *, policy: PayoutPolicy = HUAWEI_PAYOUT) -> date:
    """The last day it can be requested: generation day + 1 year (29 Feb -> 28 Feb; DC-INC-12)."""
    if earning.generated_at is None:
        raise InvalidArgumentError("earning", earning.earning_id, "an official statement")
    return earning.generated_at.astimezone(policy.tz).date() + relativedelta(
        years=policy.validity_years
    )


#: Whether and since when each month's bills are fully paid: ``None`` while unpaid.
BillsPaid = Mapping[Period, "date | None"]


def frozen_reason(
    earning: IncentiveEarning,
    bills: BillsPaid,
    *,
    as_of: datetime,
    policy: PayoutPolicy = HUAWEI_PAYOUT,
) -> str | None:
    """Why the earning is frozen, or ``None`` (R-INC-39, DC-INC-32).

    Frozen while any month of its cycle is unpaid (a month missing from
    ``bills`` had no bill); unfrozen from 00:00 the day after the last payment.
    """
    today = require_aware(as_of).astimezone(policy.tz).date()
    for month in earning.period.months():
        if month not in bills:
            continue
        paid_on = bills[month]
        if paid_on is None or today <= paid_on:
            return f"unpaid expenditures in billing cycle {earning.period.code}"
    return None


@final
@attrs.frozen(kw_only=True)
class PartnerStanding:
    """What the payout guards need to know about the partner (R-INC-37, R-INC-38)."""

    business_info_authenticated: bool = True
    business_info_change_pending: bool = False


def availability(
    earning: IncentiveEarning,
    *,
    bills: BillsPaid,
    as_of: datetime,
    policy: PayoutPolicy = HUAWEI_PAYOUT,
) -> Decision:
    """Whether an earning can be put into a payment request, with every reason against it.

    Issued (R-INC-30), not held by another request or paid, not frozen
    (R-INC-39), not expired unless waived (R-INC-40).
    """
    reasons: list[Reason] = []
    if earning.status is not EarningStatus.ISSUED:
        reasons.append(
            Reason(
                "NOT_CONFIRMED",
                "R-INC-30",
                "revenue and earnings must be confirmed and issued",
                {"status": earning.status.value},
            )
        )
    if earning.request_id is not None or earning.paid:
        reasons.append(
            Reason(
                "ALREADY_REQUESTED",
                "R-INC-41",
                "the earning is in a request already",
                {"request_id": earning.request_id},
            )
        )
    why = frozen_reason(earning, bills, as_of=as_of, policy=policy)
    if why is not None:
        reasons.append(Reason("FROZEN", "R-INC-39", why, {"period": earning.period.code}))
    if earning.generated_at is not None and not earning.expiry_waived:
        last = valid_until(earning, policy=policy)
        if require_aware(as_of).astimezone(policy.tz).date() > last:
            reasons.append(
                Reason(
                    "EXPIRED",
                    "R-INC-40",
                    f"the earning expired after {last.isoformat()}",
                    {"valid_until": last},
                )
            )
    return Decision.of(reasons)


class PaymentStatus(enum.Enum):
    """Distribution statuses of a payment request (3.5)."""

    PROCESSING_REQUEST = "processing-request"
    PENDING_PARTNER_INVOICE = "pending-partner-invoice"
    PENDING_APPROVAL = "pending-approval"
    PAYMENT_APPLICATION_PENDING_APPROVAL = "payment-application-pending-approval"
    PAYMENT_IN_PROGRESS = "payment-in-progress"
    COMPLETED = "completed"
    COMPLETED_WITH_ERROR = "completed-with-error"
    REJECTED = "rejected"


@final
@attrs.frozen(kw_only=True)
class PaymentRequest:
    """A payment requisition (1.9, R-INC-55).

    Attributes:
        request_id: The requisition number.
        partner_id: The partner.
        earning_ids: The earnings it pays, in id order.
        option: Bank transfer, top-up or coupon.
        requested: The net USD amount after negatives (R-INC-44).
        deducted_negative: The negatives deducted (a positive amount).
        payment_amount: In the settlement currency, each earning converted at
            its cycle's rate and rounded (R-INC-50).
        invoice_amount: ``payment_amount x (1 + service-fee tax)``, rounded;
            ``None`` for coupons (no invoice, R-INC-47).
        status: Its distribution status.
        requested_at: When it was made; ``completed_at`` when it completed.
        coupon_valid_until: A coupon's last day (R-INC-47).
        invoice_received_on: When the partner's invoice arrived (R-INC-48).
        credited: A top-up's credit at the payment day's rate (R-INC-49).
        auto: Made by auto-pay (R-INC-53).
        rejection_causes: The vendor's causes when rejected.
    """

    request_id: str = attrs.field(validator=_v.text)
    partner_id: PartnerId = attrs.field(validator=_v.text)
    earning_ids: tuple[str, ...]
    periods: tuple[str, ...]
    option: PayoutOption
    requested: Money
    deducted_negative: Money
    payment_amount: Money
    invoice_amount: Money | None
    status: PaymentStatus
    requested_at: datetime = attrs.field(validator=_v.aware)
    completed_at: datetime | None = None
    coupon_valid_until: date | None = None
    invoice_received_on: date | None = None
    credited: Money | None = None
    auto: bool = False
    warning: str | None = None
    rejection_causes: str | None = None
    version: int = 0


@attrs.frozen(kw_only=True)
class PaymentRequestChanged(Event):
    """A payment request was created or moved."""

    before: PaymentRequest | None
    after: PaymentRequest

    def snapshots(self) -> tuple[object, ...]:
        """The stored request after the change."""
        return (self.after,)


def convert(
    amount: Money,
    currency: Currency | str,
    rate: Decimal | str | int,
    *,
    rounding: Rounding = Rounding.HALF_UP,
) -> Money:
    """``amount x rate`` in ``currency``, rounded to its minor unit (R-INC-50, EX-INC-08).

    >>> convert(Money.of("-76.00", "USD"), "ZAR", "6.6869")
    Money('-508.20', 'ZAR')
    """
    exact = amount.convert(currency, rate=to_decimal(rate, argument="rate"))
    return exact.round(rounding=rounding)


def invoice_amount(
    payment_amount: Money, service_fee_tax_rate: Decimal, *, rounding: Rounding = Rounding.HALF_UP
) -> Money:
    """The invoice: the payment amount plus the service-fee tax, rounded (1.8, EX-INC-10).

    >>> invoice_amount(Money.of("41.93", "USD"), Decimal("0.12"))
    Money('46.96', 'USD')
    """
    rate = to_decimal(service_fee_tax_rate, argument="service_fee_tax_rate")
    if rate < 0:
        raise InvalidArgumentError("service_fee_tax_rate", rate, "a rate >= 0")
    invoice = payout_invoice_amount(
        payment_amount, PayoutMethod.BANK_TRANSFER, tax=Rate(rate), rounding=rounding
    )
    assert invoice is not None  # only coupons have no invoice
    return invoice


def request_payment(
    earnings: Sequence[IncentiveEarning],
    option: PayoutOption,
    *,
    request_id: str,
    actor: ActorId,
    standing: PartnerStanding,
    bills: BillsPaid,
    as_of: datetime,
    selected: Iterable[str] | None = None,
    settlement_currency: str = "USD",
    rates: Mapping[Period, Decimal] | None = None,
    service_fee_tax_rate: Decimal = Decimal(0),
    policy: PayoutPolicy = HUAWEI_PAYOUT,
    auto: bool = False,
    warning: str | None = None,
) -> tuple[PaymentRequest, tuple[IncentiveEarning, ...], tuple[Event, ...]]:
    """Request payment of the partner's available earnings (3.5; R-INC-37..47).

    ``earnings`` are the partner's earnings; ``selected`` the ids chosen
    (default: all available, R-INC-44).  Available negative earnings are
    always added and deducted first.  ``rates`` maps each month to the
    settlement currency's rate; an earning converts at its cycle's last month
    (R-INC-50).  Returns the request, the earnings it holds (updated) and the
    events.  Any refusal raises and changes nothing.
    """
    when = require_aware(as_of)
    if not isinstance(option, PayoutOption):
        raise InvalidArgumentError("option", option, "a PayoutOption", rule_id="R-INC-41")
    if not standing.business_info_authenticated:
        raise RuleViolationError(
            "R-INC-37",
            "business information must be certified before a payment request",
            fields={"request_id": request_id},
        )
    if standing.business_info_change_pending:
        raise RuleViolationError(
            "R-INC-38",
            "no settlement while a business-information change is pending",
            fields={"request_id": request_id},
        )
    by_id = {e.earning_id: e for e in earnings}
    if len(by_id) != len(earnings):
        raise InvalidArgumentError("earnings", len(earnings), "earnings with distinct ids")
    partners = {e.partner_id for e in earnings}
    if len(partners) > 1:
        raise InvalidArgumentError("earnings", sorted(partners), "one partner's earnings")
    decisions = {
        e.earning_id: availability(e, bills=bills, as_of=when, policy=policy) for e in earnings
    }
    available = [e for e in earnings if decisions[e.earning_id].allowed]
    if selected is None:
        chosen_ids = {e.earning_id for e in available}
    else:
        chosen_ids = set(selected)
        unknown = sorted(chosen_ids - set(by_id))
        if unknown:
            raise InvalidArgumentError("selected", unknown, "earnings of this partner")
        for earning_id in sorted(chosen_ids):
            decision = decisions[earning_id]
            if decision.allowed:
                continue
            first = decision.reasons[0]
            error = {"FROZEN": EarningsFrozen, "EXPIRED": EarningExpired}.get(
                first.code, RuleViolationError
            )
            raise error(
                first.rule_id,
                first.message,
                fields={"earning_id": earning_id, **dict(first.fields)},
                reasons=decision.reasons,
            )
    chosen_ids |= {e.earning_id for e in available if e.amount.is_negative()}
    chosen = sorted(
        (by_id[i] for i in chosen_ids), key=lambda e: (not e.amount.is_negative(), e.earning_id)
    )
    if not chosen:
        raise NothingToPay("DC-INC-10", "no available earnings", fields={"request_id": request_id})
    for e in chosen:
        allowed = policy.allowed(e.period.kind)
        if option not in allowed:
            raise PayoutOptionNotAllowed(
                "R-INC-43",
                f"{option.value} is not allowed for {_KIND_NAMES[e.period.kind]} earnings",
                fields={
                    "earning_id": e.earning_id,
                    "requested": option,
                    "allowed": sorted(o.value for o in allowed),
                },
            )
    usd = chosen[0].amount.currency
    net = total((e.amount for e in chosen), currency=usd)
    negatives = -total((e.amount for e in chosen if e.amount.is_negative()), currency=usd)
    if not net.is_positive():
        raise NothingToPay(
            "DC-INC-10",
            f"the selection nets to {net}; negatives carry forward",
            fields={"request_id": request_id, "net": net},
        )
    minimum = policy.minimums.get(option)
    if minimum is not None and net < minimum:
        raise BelowMinimumPayout(
            "R-INC-42",
            f"{option.value} needs at least {minimum}, the net is {net}",
            fields={"requested": net, "minimum": minimum, "option": option},
        )
    if settlement_currency == usd.code:
        payment = net
    else:
        table = rates or {}
        missing = sorted({e.period.months()[-1].code for e in chosen} - {p.code for p in table})
        if missing:
            raise InvalidArgumentError("rates", missing, f"a {settlement_currency} rate per month")
        payment = total(
            (
                convert(
                    e.amount,
                    settlement_currency,
                    table[e.period.months()[-1]],
                    rounding=policy.conversion_rounding,
                )
                for e in chosen
            ),
            currency=settlement_currency,
        )
    coupon = option is PayoutOption.COUPON
    request = PaymentRequest(
        request_id=request_id,
        partner_id=chosen[0].partner_id,
        earning_ids=tuple(e.earning_id for e in chosen),
        periods=tuple(sorted({e.period.code for e in chosen})),
        option=option,
        requested=net,
        deducted_negative=negatives,
        payment_amount=payment,
        invoice_amount=None
        if coupon
        else invoice_amount(payment, service_fee_tax_rate, rounding=policy.conversion_rounding),
        status=PaymentStatus.COMPLETED if coupon else PaymentStatus.PROCESSING_REQUEST,
        requested_at=when,
        completed_at=when if coupon else None,
        coupon_valid_until=when.astimezone(policy.tz).date()
        + relativedelta(years=policy.coupon_validity_years)
        if coupon
        else None,
        auto=auto,
        warning=warning,
    )
    held = tuple(
        attrs.evolve(e, request_id=request_id, paid=coupon, version=e.version + 1) for e in chosen
    )
    events: list[Event] = [
        PaymentRequestChanged(occurred_at=when, actor=actor, before=None, after=request)
    ]
    events += [
        _changed(before, after, actor, when) for before, after in zip(chosen, held, strict=True)
    ]
    return request, held, tuple(events)


def _move(
    request: PaymentRequest,
    expected: PaymentStatus,
    to: PaymentStatus,
    *,
    actor: ActorId,
    as_of: datetime,
    rule_id: str,
    **changes: Any,
) -> tuple[PaymentRequest, tuple[PaymentRequestChanged, ...]]:
    when = require_aware(as_of)
    if request.status is not expected:
        raise RuleViolationError(
            rule_id,
            f"a {request.status.value} request cannot become {to.value} (needs {expected.value})",
            fields={"request_id": request.request_id, "status": request.status.value},
        )
    after = attrs.evolve(request, status=to, version=request.version + 1, **changes)
    event = PaymentRequestChanged(occurred_at=when, actor=actor, before=request, after=after)
    return after, (event,)


def send_requisition(
    request: PaymentRequest, *, actor: ActorId, as_of: datetime
) -> tuple[PaymentRequest, tuple[PaymentRequestChanged, ...]]:
    """The requisition goes to the vendor: PENDING_PARTNER_INVOICE (R-INC-46)."""
    return _move(
        request,
        PaymentStatus.PROCESSING_REQUEST,
        PaymentStatus.PENDING_PARTNER_INVOICE,
        actor=actor,
        as_of=as_of,
        rule_id="R-INC-46",
    )


def submit_invoice(
    request: PaymentRequest,
    amount: Money,
    *,
    billing_list: bool,
    actor: ActorId,
    as_of: datetime,
    tz: Any = GMT_PLUS_8,
) -> tuple[PaymentRequest, tuple[PaymentRequestChanged, ...]]:
    """The partner's invoice and billing list arrive: PENDING_APPROVAL (R-INC-45, R-INC-54).

    The invoice must be for exactly the applied amount; the printed billing
    list must come with it.
    """
    if request.invoice_amount is None or amount != request.invoice_amount:
        raise RuleViolationError(
            "R-INC-45",
            "one invoice per application for exactly the applied amount",
            fields={"requested": amount, "allowed": request.invoice_amount},
        )
    if not billing_list:
        raise RuleViolationError(
            "R-INC-54",
            "mail the printed billing list with the invoice",
            fields={"request_id": request.request_id},
        )
    received = require_aware(as_of).astimezone(tz).date()
    return _move(
        request,
        PaymentStatus.PENDING_PARTNER_INVOICE,
        PaymentStatus.PENDING_APPROVAL,
        actor=actor,
        as_of=as_of,
        rule_id="R-INC-45",
        invoice_received_on=received,
    )


def reject_invoice(
    request: PaymentRequest, *, causes: str, actor: ActorId, as_of: datetime
) -> tuple[PaymentRequest, tuple[PaymentRequestChanged, ...]]:
    """A non-compliant invoice is rejected; the partner invoices again (R-INC-51)."""
    return _move(
        request,
        PaymentStatus.PENDING_APPROVAL,
        PaymentStatus.PENDING_PARTNER_INVOICE,
        actor=actor,
        as_of=as_of,
        rule_id="R-INC-51",
        rejection_causes=causes,
    )


def approve_invoice(
    request: PaymentRequest, *, actor: ActorId, as_of: datetime
) -> tuple[PaymentRequest, tuple[PaymentRequestChanged, ...]]:
    """The invoice passes review: the payment application waits for approval (R-INC-52)."""
    return _move(
        request,
        PaymentStatus.PENDING_APPROVAL,
        PaymentStatus.PAYMENT_APPLICATION_PENDING_APPROVAL,
        actor=actor,
        as_of=as_of,
        rule_id="R-INC-52",
    )


def approve_payment(
    request: PaymentRequest, *, actor: ActorId, as_of: datetime
) -> tuple[PaymentRequest, tuple[PaymentRequestChanged, ...]]:
    """The settlement specialist approves: PAYMENT_IN_PROGRESS (R-INC-48)."""
    return _move(
        request,
        PaymentStatus.PAYMENT_APPLICATION_PENDING_APPROVAL,
        PaymentStatus.PAYMENT_IN_PROGRESS,
        actor=actor,
        as_of=as_of,
        rule_id="R-INC-48",
    )


def _release(
    request: PaymentRequest, earnings: Sequence[IncentiveEarning], *, paid: bool, waive: bool
) -> tuple[IncentiveEarning, ...]:
    held = [e for e in earnings if e.earning_id in request.earning_ids]
    if sorted(e.earning_id for e in held) != sorted(request.earning_ids):
        raise InvalidArgumentError("earnings", request.request_id, "the request's earnings")
    return tuple(
        attrs.evolve(
            e,
            request_id=request.request_id if paid else None,
            paid=paid,
            expiry_waived=e.expiry_waived or waive,
            version=e.version + 1,
        )
        for e in sorted(held, key=lambda e: e.earning_id)
    )


def reject_payment(
    request: PaymentRequest,
    earnings: Sequence[IncentiveEarning],
    *,
    causes: str,
    actor: ActorId,
    as_of: datetime,
) -> tuple[PaymentRequest, tuple[IncentiveEarning, ...], tuple[Event, ...]]:
    """The payment application is rejected: its earnings are free and never expire (R-INC-40)."""
    after, events = _move(
        request,
        PaymentStatus.PAYMENT_APPLICATION_PENDING_APPROVAL,
        PaymentStatus.REJECTED,
        actor=actor,
        as_of=as_of,
        rule_id="R-INC-40",
        rejection_causes=causes,
    )
    freed = _release(request, earnings, paid=False, waive=True)
    when = require_aware(as_of)
    held = {e.earning_id: e for e in earnings}
    return after, freed, events + tuple(_changed(held[e.earning_id], e, actor, when) for e in freed)


def complete_payment(
    request: PaymentRequest,
    earnings: Sequence[IncentiveEarning],
    *,
    actor: ActorId,
    as_of: datetime,
    top_up_rate: Decimal | None = None,
    top_up_currency: str | None = None,
) -> tuple[PaymentRequest, tuple[IncentiveEarning, ...], tuple[Event, ...]]:
    """The bank transfer is done or the account topped up: COMPLETED (3.5).

    A top-up is credited at the payment day's rate (``top_up_rate`` into
    ``top_up_currency``, R-INC-49).
    """
    credited = None
    if request.option is PayoutOption.TOP_UP and top_up_rate is not None:
        credited = convert(request.requested, top_up_currency or "USD", top_up_rate)
    when = require_aware(as_of)
    after, events = _move(
        request,
        PaymentStatus.PAYMENT_IN_PROGRESS,
        PaymentStatus.COMPLETED,
        actor=actor,
        as_of=as_of,
        rule_id="R-INC-48",
        completed_at=when,
        credited=credited,
    )
    paid = _release(request, earnings, paid=True, waive=False)
    held = {e.earning_id: e for e in earnings}
    return after, paid, events + tuple(_changed(held[e.earning_id], e, actor, when) for e in paid)


def coupon_failed(
    request: PaymentRequest, *, actor: ActorId, as_of: datetime
) -> tuple[PaymentRequest, tuple[PaymentRequestChanged, ...]]:
    """Coupon issuance failed: COMPLETED_WITH_ERROR, contact customer service (3.5)."""
    if request.option is not PayoutOption.COUPON:
        raise RuleViolationError(
            "R-INC-47", "only coupon exchanges fail this way", fields={"option": request.option}
        )
    return _move(
        request,
        PaymentStatus.COMPLETED,
        PaymentStatus.COMPLETED_WITH_ERROR,
        actor=actor,
        as_of=as_of,
        rule_id="R-INC-47",
    )


def auto_pay_on(earning: IncentiveEarning, *, policy: PayoutPolicy = HUAWEI_PAYOUT) -> date:
    """The day auto-pay runs for an earning: the 5th day after generation (R-INC-53, C5)."""
    if earning.generated_at is None:
        raise InvalidArgumentError("earning", earning.earning_id, "an official statement")
    return earning.generated_at.astimezone(policy.tz).date() + timedelta(days=policy.auto_pay_days)


def auto_pay(
    earnings: Sequence[IncentiveEarning],
    option: PayoutOption,
    *,
    request_id: str,
    standing: PartnerStanding,
    bills: BillsPaid,
    as_of: datetime,
    settlement_currency: str = "USD",
    rates: Mapping[Period, Decimal] | None = None,
    service_fee_tax_rate: Decimal = Decimal(0),
    policy: PayoutPolicy = HUAWEI_PAYOUT,
) -> tuple[PaymentRequest, tuple[IncentiveEarning, ...], tuple[Event, ...]] | None:
    """Run auto-pay: on an earning's 5th day, request everything available (R-INC-53).

    Returns ``None`` when no earning reached its auto-pay day today, nothing
    is available, or a bank transfer (or top-up) is below its minimum: the
    request then waits for more earnings.  An option not allowed for the
    earnings falls back to top-up with a warning (DC-INC-41).
    """
    when = require_aware(as_of)
    today = when.astimezone(policy.tz).date()
    ready = [
        e
        for e in earnings
        if e.generated_at is not None
        and availability(e, bills=bills, as_of=when, policy=policy).allowed
    ]
    if not any(auto_pay_on(e, policy=policy) == today for e in ready):
        return None
    chosen = option
    warning = None
    if any(option not in policy.allowed(e.period.kind) for e in ready):
        chosen = policy.auto_pay_fallback
        warning = f"{option.value} is not allowed for these earnings; used {chosen.value}"
    usd = ready[0].amount.currency
    net = total((e.amount for e in ready), currency=usd)
    minimum = policy.minimums.get(chosen)
    if not net.is_positive() or (minimum is not None and net < minimum):
        return None
    return request_payment(
        ready,
        chosen,
        request_id=request_id,
        actor=ActorId("system"),
        standing=standing,
        bills=bills,
        as_of=when,
        settlement_currency=settlement_currency,
        rates=rates,
        service_fee_tax_rate=service_fee_tax_rate,
        policy=policy,
        auto=True,
        warning=warning,
    )


def adjustment(
    earning_id: str,
    partner_id: PartnerId,
    period: Period,
    amount: Money,
    *,
    reason: str,
    source: str,
    generated_at: datetime,
) -> IncentiveEarning:
    """A clawback as a negative earning in the period posted, never an edit (R-INC-116, DC-INC-31).

    ``source`` is REFUND, VENDOR_ADJUSTMENT or COMPLIANCE; the reason is kept.
    """
    if source not in ("REFUND", "VENDOR_ADJUSTMENT", "COMPLIANCE"):
        raise InvalidArgumentError("source", source, "REFUND, VENDOR_ADJUSTMENT or COMPLIANCE")
    if not amount.is_negative():
        raise InvalidArgumentError("amount", amount, "a negative adjustment", rule_id="R-INC-116")
    if not reason.strip():
        raise InvalidArgumentError("reason", reason, "a reason", rule_id="R-INC-116")
    return attrs.evolve(
        statement(
            earning_id,
            partner_id,
            period,
            amount,
            policy_id=f"adjustment:{source}",
            generated_at=generated_at,
        ),
        reason=reason,
    )
