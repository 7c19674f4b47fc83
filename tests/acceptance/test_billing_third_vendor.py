"""A made-up third vendor, "Nimbus", written only as policy data.

Nimbus truncates every line to 2 places, rounds the monthly total half-even,
spends the coupon that expires first whatever its scope and keeps coupon
deductions to 2 places.  No new code path: the same functions, other values.
"""

from __future__ import annotations

import pytest
from tests.acceptance.test_billing_examples import coupon, line, usd

from partnerkit.billing import (
    CouponOrderKey,
    CouponPolicy,
    RoundingPolicy,
    apply_coupons,
    close_month,
)
from partnerkit.ids import PartnerId
from partnerkit.money import Rounding
from partnerkit.periods import Period

NIMBUS_ROUNDING = RoundingPolicy(line_rounding=Rounding.DOWN, total_rounding=Rounding.HALF_EVEN)
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
