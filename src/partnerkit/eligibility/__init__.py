"""Eligibility: development paths, programmes, tiers and benefits, with reasons.

Partner types, development paths, programmes, tiers and upgrades, benefits;
every decision is a value listing the requirements met and missed (spec
``eligibility.md``, R-ELIG-*).

Pure functions over frozen values; imports only the kernel.
Nothing is implemented here yet: the eligibility issue fills it.
"""

__all__: list[str] = []
