"""Bill arithmetic: bill lines and their identities, precision eras, monthly bills and coupons.

Pure functions over frozen values (spec ``billing.md``, R-BILL-*); imports only
the kernel.  Every figure can explain itself with a :class:`Trace`.

Implemented: line identities I-01..I-07 (R-BILL-01..06), precision eras and
the monthly total (R-BILL-07..09, I-09..I-13), local-currency display
(R-BILL-18), coupon deduction (R-BILL-27..29, DC-05, DC-07..10) and
95th-percentile bandwidth (R-BILL-79..81), partner discounts, order price
adjustments and the one-reduction rule (R-CUST-98..111, R-BILL-60..69).
Payments, repayment and credit are not yet implemented.
"""

from partnerkit.billing.bandwidth import (
    HUAWEI_P95,
    SAMPLES_PER_DAY,
    P95Policy,
    P95Settlement,
    billable_bandwidth,
    p95_settlement,
)
from partnerkit.billing.bill import (
    BillingMode,
    BillLine,
    BillType,
    CustomerPartial,
    MonthlyBill,
    PrecisionEra,
    RoundingPolicy,
    close_customer,
    close_month,
    fixed_price_settlement,
    merge_partials,
    rounding_for_cycle,
    settle,
    usage_days_ratio,
    usage_in_pricing_unit,
)
from partnerkit.billing.coupons import (
    Coupon,
    CouponKind,
    CouponOrderKey,
    CouponPolicy,
    CouponRun,
    CouponStatus,
    CouponTier,
    Deduction,
    Forfeit,
    apply_coupons,
    coupon_applies,
)
from partnerkit.billing.pricing import (
    DISCOUNT_BANNED_COUNTRIES,
    HUAWEI_DISCOUNTS,
    AdjustedItem,
    AdjustedOrder,
    DiscountPolicy,
    Order,
    OrderItem,
    OrderStatus,
    PartnerDiscount,
    Reduction,
    ReductionKind,
    adjust_order_price,
    choose_reduction,
    may_discount,
    set_partner_discount,
)
from partnerkit.billing.trace import Trace, TraceKind, TraceStep

__all__ = [
    "DISCOUNT_BANNED_COUNTRIES",
    "HUAWEI_DISCOUNTS",
    "HUAWEI_P95",
    "SAMPLES_PER_DAY",
    "AdjustedItem",
    "AdjustedOrder",
    "BillLine",
    "BillType",
    "BillingMode",
    "Coupon",
    "CouponKind",
    "CouponOrderKey",
    "CouponPolicy",
    "CouponRun",
    "CouponStatus",
    "CouponTier",
    "CustomerPartial",
    "Deduction",
    "DiscountPolicy",
    "Forfeit",
    "MonthlyBill",
    "Order",
    "OrderItem",
    "OrderStatus",
    "P95Policy",
    "P95Settlement",
    "PartnerDiscount",
    "PrecisionEra",
    "Reduction",
    "ReductionKind",
    "RoundingPolicy",
    "Trace",
    "TraceKind",
    "TraceStep",
    "adjust_order_price",
    "apply_coupons",
    "billable_bandwidth",
    "choose_reduction",
    "close_customer",
    "close_month",
    "coupon_applies",
    "fixed_price_settlement",
    "may_discount",
    "merge_partials",
    "p95_settlement",
    "rounding_for_cycle",
    "set_partner_discount",
    "settle",
    "usage_days_ratio",
    "usage_in_pricing_unit",
]
