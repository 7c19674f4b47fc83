"""Bill arithmetic: bill lines and their identities, precision eras, monthly bills and coupons.

Pure functions over frozen values (spec ``billing.md``, R-BILL-*); imports only
the kernel.  Every figure can explain itself with a :class:`Trace`.

Implemented: line identities I-01..I-07 (R-BILL-01..06), precision eras and
the monthly total (R-BILL-07..09, I-09..I-13), local-currency display
(R-BILL-18), coupon deduction (R-BILL-27..29, DC-05, DC-07..10) and
95th-percentile bandwidth (R-BILL-79..81).
Discounts and price adjustments, payments, repayment and credit are not yet
implemented.
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
from partnerkit.billing.trace import Trace, TraceKind, TraceStep

__all__ = [
    "HUAWEI_P95",
    "SAMPLES_PER_DAY",
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
    "Forfeit",
    "MonthlyBill",
    "P95Policy",
    "P95Settlement",
    "PrecisionEra",
    "RoundingPolicy",
    "Trace",
    "TraceKind",
    "TraceStep",
    "apply_coupons",
    "billable_bandwidth",
    "close_customer",
    "close_month",
    "coupon_applies",
    "fixed_price_settlement",
    "merge_partials",
    "p95_settlement",
    "rounding_for_cycle",
    "settle",
    "usage_days_ratio",
    "usage_in_pricing_unit",
]
