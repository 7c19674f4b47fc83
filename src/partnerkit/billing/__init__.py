"""Bill arithmetic: bill lines and their identities, precision eras, monthly bills and coupons.

Pure functions over frozen values (spec ``billing.md``, R-BILL-*); imports only
the kernel.  Every figure can explain itself with a :class:`Trace`.

Implemented: line identities I-01..I-07 (R-BILL-01..06), precision eras and
the monthly total (R-BILL-07..09, I-09..I-13), local-currency display
(R-BILL-18) and coupon deduction (R-BILL-27..29, DC-05, DC-07..10).
Discounts and price adjustments, payments, repayment and credit are not yet
implemented.
"""

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
    "PrecisionEra",
    "RoundingPolicy",
    "Trace",
    "TraceKind",
    "TraceStep",
    "apply_coupons",
    "close_customer",
    "close_month",
    "coupon_applies",
    "fixed_price_settlement",
    "merge_partials",
    "rounding_for_cycle",
    "settle",
    "usage_days_ratio",
    "usage_in_pricing_unit",
]
