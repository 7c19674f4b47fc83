"""Bill arithmetic: bills, precision eras, discounts, coupons, payments and credit.

Lines and their identities, monthly bills, precision eras, discounts and price
adjustments, coupons and their deduction order, payments, repayment, credit and
95th-percentile bandwidth (spec ``billing.md``, R-BILL-*).

Pure functions over frozen values; imports only the kernel.
Nothing is implemented here yet: the bill-arithmetic issue fills it.
"""

__all__: list[str] = []
