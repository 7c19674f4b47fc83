"""Budgets and freezes: budgets, 75/90/100 % alerts, freeze holds and reseller quota pools.

The engine of customers.md sections 4 and 5 (R-CUST-42..60, 65, 66, 70..84):
pure functions over a per-customer :class:`BudgetAccount` that return the new
account and events.  Vendor differences are :class:`BudgetPolicy` values
(:data:`HUAWEI_BUDGETS`, :data:`ALIBABA_BUDGETS`).  Imports only the kernel.
"""

from partnerkit.budget.ingest import ingest_usage
from partnerkit.budget.model import (
    ALIBABA_BUDGETS,
    HUAWEI_BUDGETS,
    Budget,
    BudgetAccount,
    BudgetPolicy,
    BudgetRecipient,
    BudgetRecipients,
    BudgetType,
    FreezeCause,
    FreezeHold,
    FreezeMode,
    FreezeScope,
    Operation,
)
from partnerkit.budget.operations import (
    BudgetAccountChanged,
    BudgetPeriodReset,
    BudgetSet,
    BudgetThresholdReached,
    BudgetWithdrawn,
    CustomerFrozen,
    CustomerUnfrozen,
    ResourceRetentionExpiring,
    ResourcesReleased,
    UsageRecorded,
    as_of,
    close_account,
    evaluate_operation,
    freeze,
    open_account,
    recheck,
    recipients,
    record_usage,
    set_budget,
    unfreeze,
    withdraw_budget,
)
from partnerkit.budget.quota import QuotaPool, evaluate_quota, quota_pool

__all__ = [
    "ALIBABA_BUDGETS",
    "HUAWEI_BUDGETS",
    "Budget",
    "BudgetAccount",
    "BudgetAccountChanged",
    "BudgetPeriodReset",
    "BudgetPolicy",
    "BudgetRecipient",
    "BudgetRecipients",
    "BudgetSet",
    "BudgetThresholdReached",
    "BudgetType",
    "BudgetWithdrawn",
    "CustomerFrozen",
    "CustomerUnfrozen",
    "FreezeCause",
    "FreezeHold",
    "FreezeMode",
    "FreezeScope",
    "Operation",
    "QuotaPool",
    "ResourceRetentionExpiring",
    "ResourcesReleased",
    "UsageRecorded",
    "as_of",
    "close_account",
    "evaluate_operation",
    "evaluate_quota",
    "freeze",
    "ingest_usage",
    "open_account",
    "quota_pool",
    "recheck",
    "recipients",
    "record_usage",
    "set_budget",
    "unfreeze",
    "withdraw_budget",
]
