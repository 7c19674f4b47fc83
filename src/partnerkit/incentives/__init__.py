"""Incentives: revenue, rebate and commission policies, earnings and funds.

Revenue recognition, rebate and commission policies as data, the earnings
lifecycle, settlement calendars and MDF/FH/SPIF funds (spec ``incentives.md``,
R-INC-*).

Pure functions over frozen values; imports the kernel, ``billing`` and
``eligibility``.  Nothing is implemented here yet: the incentives issue fills it.
"""

__all__: list[str] = []
