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

>>> from partnerkit.money import Money
>>> t = CouponTemplate(template_id="T", amount=Money.of("100", "USD"),
...                    cost_bearer=CostBearer.VENDOR, limit=IssuanceLimit.ONE)
>>> may_issue(PartnerRole.ALIBABA_DISTRIBUTOR, t, RecipientKind.TIER_TWO_RESELLER, "r2",
...           issued=(), feature_enabled=True).codes
('RECIPIENT_NOT_ALLOWED',)
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, timedelta
from typing import final

import attrs

import partnerkit._validators as _v
from partnerkit.decisions import Decision, Reason
from partnerkit.errors import InvalidArgumentError, RuleViolationError
from partnerkit.money import Money
from partnerkit.partners import PartnerRole
from partnerkit.periods import Period

__all__ = [
    "CostBearer",
    "CouponTemplate",
    "Issuance",
    "IssuanceLimit",
    "IssuanceStatus",
    "RecipientKind",
    "cancel_issuance",
    "coupon_notice_days",
    "decide_issuance",
    "may_issue",
    "may_request_test_coupons",
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


@final
@attrs.frozen(kw_only=True)
class CouponTemplate:
    """An Alibaba coupon template (billing.md 1.10)."""

    template_id: str = attrs.field(validator=_v.text)
    amount: Money
    cost_bearer: CostBearer
    limit: IssuanceLimit = IssuanceLimit.UNLIMITED

    def __attrs_post_init__(self) -> None:
        if not self.amount.is_positive():
            raise InvalidArgumentError("amount", self.amount, "a template deducts an amount > 0")


@final
@attrs.frozen(kw_only=True)
class Issuance:
    """One template issued to one recipient, and its approval status."""

    issuance_id: str = attrs.field(validator=_v.text)
    template_id: str = attrs.field(validator=_v.text)
    recipient: str = attrs.field(validator=_v.text)
    status: IssuanceStatus = IssuanceStatus.PENDING


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


def coupon_notice_days(cycle: Period) -> tuple[date, date]:
    """The two coupon-usage notice days of a month: 7 and 3 days before its last day (DC-15).

    >>> coupon_notice_days(Period.parse("2024M2"))
    (datetime.date(2024, 2, 22), datetime.date(2024, 2, 26))
    """
    _v.require_month(cycle)
    last = date(cycle.year, cycle.index, cycle.days)
    return last - timedelta(days=7), last - timedelta(days=3)
