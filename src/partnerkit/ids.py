"""Typed identifiers.

Identifiers are strings at run time and distinct types to mypy, so a
customer id cannot be passed where a partner id is expected.
partnerkit never invents identifiers: the embedding application supplies
them, which keeps every function deterministic.

>>> PartnerId("p-1") == "p-1"
True
"""

from __future__ import annotations

from typing import Final, NewType

__all__ = [
    "SYSTEM_ACTOR",
    "ActorId",
    "BillId",
    "BudgetId",
    "CouponId",
    "CustomerId",
    "EarningId",
    "IdempotencyKey",
    "InvitationId",
    "PartnerId",
    "ProgrammeId",
    "TierId",
]

#: Whoever performs a command: a partner's user, a customer, a vendor operator or the system.
ActorId = NewType("ActorId", str)
#: A partner: CSP, distributor, reseller, agency ...
PartnerId = NewType("PartnerId", str)
#: An end customer account.
CustomerId = NewType("CustomerId", str)
#: An invitation sent to a prospective customer.
InvitationId = NewType("InvitationId", str)
#: A customer budget.
BudgetId = NewType("BudgetId", str)
#: A cash or test coupon.
CouponId = NewType("CouponId", str)
#: A monthly partner bill.
BillId = NewType("BillId", str)
#: An incentive earning (statement).
EarningId = NewType("EarningId", str)
#: A partner programme or development path.
ProgrammeId = NewType("ProgrammeId", str)
#: A partner tier.
TierId = NewType("TierId", str)
#: The caller's key that makes a delta command safe to retry.
IdempotencyKey = NewType("IdempotencyKey", str)

#: The actor of scheduled transitions (expiry, lead routing).
SYSTEM_ACTOR: Final = ActorId("system")
