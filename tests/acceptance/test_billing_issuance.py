"""Coupon issuance: EX-37 (Alibaba templates), test-coupon quotas and notices."""

from __future__ import annotations

from datetime import date

import pytest

from partnerkit.billing import (
    CostBearer,
    CouponTemplate,
    Issuance,
    IssuanceLimit,
    IssuanceStatus,
    RecipientKind,
    cancel_issuance,
    coupon_notice_days,
    decide_issuance,
    may_issue,
    may_request_test_coupons,
    request_issuance,
)
from partnerkit.errors import InvalidArgumentError, RuleViolationError
from partnerkit.money import Money
from partnerkit.partners import PartnerRole
from partnerkit.periods import Period

DIST = PartnerRole.ALIBABA_DISTRIBUTOR


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


def template(
    bearer: CostBearer = CostBearer.PARTNER, limit: IssuanceLimit = IssuanceLimit.ONE
) -> CouponTemplate:
    return CouponTemplate(template_id="T", amount=usd("100"), cost_bearer=bearer, limit=limit)


def issue(
    existing: tuple[Issuance, ...] = (), t: CouponTemplate | None = None, *, approval: bool = True
) -> Issuance:
    return request_issuance(
        f"I{len(existing)}", DIST, t or template(), RecipientKind.END_USER, "S",
        issued=existing, feature_enabled=True, needs_approval=approval,
    )  # fmt: skip


def test_ex37_limited_to_one() -> None:
    """EX-37: R-BILL-39 / DC-29, a second issuance to S is refused unless the first was denied or cancelled."""
    first = decide_issuance(issue(), approve=True)
    assert first.status is IssuanceStatus.APPROVED
    with pytest.raises(RuleViolationError) as caught:
        issue((first,))
    assert caught.value.rule_id == "R-BILL-39"
    for closed in (decide_issuance(issue(), approve=False), cancel_issuance(issue())):
        assert issue((closed,)).status is IssuanceStatus.PENDING
    unlimited = template(limit=IssuanceLimit.UNLIMITED)
    assert issue((first,), unlimited).status is IssuanceStatus.PENDING


def test_ex37_vendor_borne_not_for_tier_two() -> None:
    """EX-37: R-BILL-38 / R-ELIG-127, a vendor-borne template cannot go to a tier-2 reseller."""
    decision = may_issue(
        DIST,
        template(CostBearer.VENDOR),
        RecipientKind.TIER_TWO_RESELLER,
        "r2",
        issued=(),
        feature_enabled=True,
    )
    assert decision.codes == ("RECIPIENT_NOT_ALLOWED",)
    assert may_issue(
        DIST,
        template(CostBearer.PARTNER),
        RecipientKind.TIER_TWO_RESELLER,
        "r2",
        issued=(),
        feature_enabled=True,
    ).allowed


def test_ex37_cancel_only_while_pending() -> None:
    """EX-37: R-BILL-40, approval is automatic without a BD step; cancelling after a decision is refused."""
    auto = issue(approval=False)
    assert auto.status is IssuanceStatus.APPROVED
    with pytest.raises(RuleViolationError) as caught:
        cancel_issuance(auto)
    assert caught.value.rule_id == "R-BILL-40"
    with pytest.raises(RuleViolationError):
        decide_issuance(auto, approve=False)


def test_who_may_issue_and_when() -> None:
    """R-BILL-37 / R-CUST-158 distributors and resellers only; R-BILL-41 the BD enables it."""
    decision = may_issue(
        PartnerRole.AGENCY,
        template(),
        RecipientKind.END_USER,
        "S",
        issued=(),
        feature_enabled=False,
    )
    assert decision.codes == ("FEATURE_NOT_ENABLED", "NOT_ALLOWED_TO_ISSUE")
    assert [r.rule_id for r in decision.reasons] == ["R-BILL-41", "R-BILL-37"]
    with pytest.raises(InvalidArgumentError):
        CouponTemplate(template_id="Z", amount=usd("0"), cost_bearer=CostBearer.PARTNER)


def test_test_coupon_quota() -> None:
    """R-BILL-42 (I-22, DC-14) the request fits the remaining quota; R-BILL-43 none pending."""
    assert may_request_test_coupons(
        quota=usd("15000"), issued=usd("12000"), requested=usd("3000"), pending=False
    ).allowed
    over = may_request_test_coupons(
        quota=usd("15000"), issued=usd("12000"), requested=usd("3000.01"), pending=True
    )
    assert over.codes == ("QUOTA_EXCEEDED", "REQUEST_PENDING")
    assert [r.rule_id for r in over.reasons] == ["R-BILL-42", "R-BILL-43"]


def test_coupon_notice_days() -> None:
    """R-BILL-32 / DC-15: 7 and 3 days before month end, month lengths included."""
    assert coupon_notice_days(Period.parse("2024M6")) == (date(2024, 6, 23), date(2024, 6, 27))
    assert coupon_notice_days(Period.parse("2023M2")) == (date(2023, 2, 21), date(2023, 2, 25))
    with pytest.raises(InvalidArgumentError):
        coupon_notice_days(Period.parse("2024Q1"))
