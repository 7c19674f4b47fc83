"""Budgets and freezes: monthly and one-time budgets, alerts and freeze holds.

Budgets, 75/90/100 % alerts, freeze holds (association default, automatic,
manual) and reseller quota pools (spec ``customers.md`` budget and freeze rules).

Pure functions over frozen values; imports only the kernel.
Nothing is implemented here yet: the budget issue fills it.
"""

__all__: list[str] = []
