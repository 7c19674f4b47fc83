"""A made-up third vendor, "Nimbus", written only as policy data.

Nimbus truncates every line to 2 places, rounds the monthly total half-even,
spends the coupon that expires first whatever its scope, keeps coupon
deductions to 2 places, caps partner discounts at 10 %, bans no country and
excludes only GPU products from discounts.  No new code path: the same
functions, other values.
"""

from __future__ import annotations

import pytest
from tests.support.billing import coupon, line, usd
from tests.support.world import at

from partnerkit.billing import (
    CouponOrderKey,
    CouponPolicy,
    DiscountPolicy,
    Order,
    OrderItem,
    OrderStatus,
    PartnerDiscount,
    RoundingPolicy,
    adjust_order_price,
    apply_coupons,
    close_month,
    may_discount,
    set_partner_discount,
)
from partnerkit.errors import InvalidArgumentError
from partnerkit.ids import CustomerId, PartnerId
from partnerkit.money import Rounding
from partnerkit.partners import AssociationType
from partnerkit.periods import Period

NIMBUS_ROUNDING = RoundingPolicy(line_rounding=Rounding.DOWN, total_rounding=Rounding.HALF_EVEN)
NIMBUS_DISCOUNTS = DiscountPolicy(
    max_percent=10, banned_countries=frozenset(), excluded_products=frozenset({"gpu"})
)
NIMBUS_COUPONS = CouponPolicy(
    order=(CouponOrderKey.EXPIRY, CouponOrderKey.COUPON_ID), places=2, rounding=Rounding.DOWN
)


@pytest.mark.rules("R-BILL-07", "R-BILL-27", "R-BILL-28")
def test_nimbus_runs_on_the_same_engine() -> None:
    """R-BILL-07 rounding points, R-BILL-27/28 coupon order: all policy, no vendor branch."""
    lines = [
        line("L1", "10.019", customer="A", when="2024-05-02 00:00"),
        line("L2", "7.3333", customer="B", when="2024-05-03 00:00"),
    ]
    wallet = [
        coupon("OWN", "5.00", valid_to="2024-12-31 23:59:59", customer="A"),
        coupon("ALL", "3.333", valid_to="2024-05-31 23:59:59"),
    ]
    huawei = apply_coupons(lines, wallet)
    nimbus = apply_coupons(lines, wallet, policy=NIMBUS_COUPONS)
    assert [(d.line_id, d.coupon_id, d.amount) for d in huawei.deductions] == [
        ("L1", "OWN", usd("5.00")),
        ("L1", "ALL", usd("3.333")),
    ]
    assert [(d.line_id, d.coupon_id, d.amount) for d in nimbus.deductions] == [
        ("L1", "ALL", usd("3.33")),
        ("L1", "OWN", usd("5.00")),
    ]
    # Huawei (modern era): 10.019 - 8.333 + 7.3333 = 9.0193 -> 9.02
    cycle = Period.parse("2024M5")
    assert close_month(PartnerId("p1"), cycle, huawei.lines).amount_due == usd("9.02")
    # Nimbus: lines truncated (10.019 - 8.33 = 1.689 -> 1.68; 7.3333 -> 7.33), then 9.01
    bill = close_month(PartnerId("p1"), cycle, nimbus.lines, policy=NIMBUS_ROUNDING)
    assert bill.amount_due == usd("9.01")
    assert bill.policy is NIMBUS_ROUNDING


@pytest.mark.rules("R-CUST-100", "R-CUST-102", "R-BILL-68")
def test_nimbus_discount_rules_are_policy() -> None:
    """R-CUST-100 banned places, R-CUST-102 the range, R-BILL-68 scope: Nimbus changes all three as data."""
    assert may_discount(
        partner_country="BR", has_permission=True, association=AssociationType.REFERRAL,
        policy=NIMBUS_DISCOUNTS,
    ).allowed  # fmt: skip
    assert not may_discount(
        partner_country="BR", has_permission=True, association=AssociationType.REFERRAL
    ).allowed
    discount = PartnerDiscount(
        partner_id=PartnerId("p1"), customer_id=CustomerId("c1"), percent=16,
        valid_from=at("2024-05-01 00:00"), valid_to=at("2024-05-31 00:00"),
    )  # fmt: skip
    assert set_partner_discount(None, discount, as_of=at("2024-04-01 00:00")) == discount
    with pytest.raises(InvalidArgumentError):
        set_partner_discount(None, discount, as_of=at("2024-04-01 00:00"), policy=NIMBUS_DISCOUNTS)
    order = Order(order_id="N1", status=OrderStatus.PENDING, items=[
        OrderItem(item_id="g", product_code="gpu", subtotal=usd("50.00"), maximum_discount=usd("5.00")),
        OrderItem(item_id="s", product_code="spot-ecs", subtotal=usd("50.00"), maximum_discount=usd("5.00")),
    ])  # fmt: skip
    nimbus = adjust_order_price(order, usd("4.00"), policy=NIMBUS_DISCOUNTS)
    assert [i.discount for i in nimbus.items] == [usd("0"), usd("4.00")]
    huawei = adjust_order_price(order, usd("4.00"))
    assert [i.discount for i in huawei.items] == [usd("4.00"), usd("0")]
