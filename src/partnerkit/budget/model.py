"""Budget and freeze values: the per-customer account, its budget and its freeze holds.

A :class:`BudgetAccount` is everything the budget engine knows about one
associated customer: its budget (monthly or one-time, at most one), the spend
counted against it in the current window, which alert thresholds already
fired, and its freeze :class:`FreezeHold` values.  A freeze is a set of
holds, not a boolean: each hold has a cause, a scope, who set it, when and
why (customers.md 5.2).
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any, final

import attrs

import partnerkit._validators as _v
from partnerkit._construct import checked
from partnerkit.calendars import WorkingCalendar
from partnerkit.errors import InvalidArgumentError
from partnerkit.ids import ActorId, CustomerId, PartnerId
from partnerkit.money import Money, Rounding, quantize, scale
from partnerkit.partners import AssociationType
from partnerkit.periods import GMT_PLUS_8

__all__ = [
    "ALIBABA_BUDGETS",
    "HUAWEI_BUDGETS",
    "Budget",
    "BudgetAccount",
    "BudgetPolicy",
    "BudgetRecipient",
    "BudgetRecipients",
    "BudgetType",
    "FreezeCause",
    "FreezeHold",
    "FreezeMode",
    "FreezeScope",
    "Operation",
]


class BudgetType(enum.Enum):
    """Monthly budgets restore each month (R-CUST-44); one-time budgets never do (R-CUST-45)."""

    MONTHLY = "monthly"
    ONE_TIME = "one-time"


class FreezeMode(enum.Enum):
    """What exhaustion does (R-CUST-48, R-CUST-49; Alibaba's shutdown policies).

    ``AUTOMATIC`` freezes the account on exhaustion (Huawei automatic,
    Alibaba ``immediatelyStop``); ``MANUAL`` never freezes by itself (Huawei
    manual, Alibaba ``noStop``); ``DELAYED`` freezes once spend passes the
    budget plus the budget's grace amount (Alibaba ``delayStop``).
    """

    AUTOMATIC = "automatic"
    MANUAL = "manual"
    DELAYED = "delayed"


class FreezeCause(enum.Enum):
    """Why a customer is frozen (customers.md 5.2)."""

    ASSOCIATION_DEFAULT = "association-default"
    BUDGET_AUTO = "budget-auto"
    PARTNER_MANUAL = "partner-manual"
    #: The partner above froze its own account and its sub-accounts (Alibaba's trusteeship
    #: cascade); only lifting the parent's freeze clears it.
    PARENT_CASCADE = "parent-cascade"


class FreezeScope(enum.Enum):
    """What a freeze covers (R-CUST-71)."""

    ACCOUNT = "account"
    ACCOUNT_AND_RESOURCES = "account-and-resources"


class Operation(enum.Enum):
    """What a customer may try to do; :func:`~partnerkit.budget.evaluate_operation` answers."""

    YEARLY_MONTHLY_PURCHASE = "yearly-monthly-purchase"
    RESERVED_INSTANCE_PURCHASE = "reserved-instance-purchase"
    PAY_PER_USE_PURCHASE = "pay-per-use-purchase"
    RENEW = "renew"
    CHANGE_SPEC = "change-spec"
    UNSUBSCRIBE = "unsubscribe"
    RENAME = "rename"
    VIEW = "view"


def _percent(value: Decimal) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite() or not 0 < value <= 100:
        raise InvalidArgumentError("thresholds", value, "a threshold is a percentage in (0, 100]")
    return value


def _thresholds(value: Any) -> tuple[Decimal, ...]:
    items = tuple(
        Decimal(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in value
    )
    checked = tuple(_percent(v) for v in items)
    if not checked or list(checked) != sorted(set(checked)):
        raise InvalidArgumentError("thresholds", value, "thresholds are distinct and ascending")
    return checked


def _positive_delta(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, timedelta) or value <= timedelta(0):
        raise InvalidArgumentError(attribute.name, value, "expected a positive timedelta")


@checked
@final
@attrs.frozen(kw_only=True)
class BudgetPolicy:
    """Every number and switch of the budget engine where vendors differ.

    Attributes:
        thresholds: Alert percentages, ascending; default 75, 90, 100 (R-CUST-47).
        time_zone: The zone of monthly periods (GMT+08:00, G-02).
        amount_places: Decimal places of a budget amount (2, G-01).
        auto_unfreeze_on_period_reset: Lift ``BUDGET_AUTO``-only freezes when
            a monthly budget restores (DESIGN CHOICE G-08, default on).
        restrict_pay_per_use_when_exhausted_manual: Block pay-per-use purchases
            of an exhausted MANUAL budget (default off: R-CUST-48's stance).
        resource_retention: How long frozen resources are kept (R-CUST-74, 15 days).
        retention_warning: How long before release the warning event comes (1 day).
        reason_max_length: Freeze and unfreeze reasons (R-CUST-75, 256).
        recheck_interval: The cadence of the automatic re-check (hourly, R-CUST-50).
        calendar: Unused by the Huawei rules; kept for presets that count working days.
    """

    thresholds: tuple[Decimal, ...] = attrs.field(
        default=(Decimal(75), Decimal(90), Decimal(100)), converter=_thresholds
    )
    time_zone: tzinfo = GMT_PLUS_8
    amount_places: int = 2
    auto_unfreeze_on_period_reset: bool = True
    restrict_pay_per_use_when_exhausted_manual: bool = False
    resource_retention: timedelta = attrs.field(
        default=timedelta(days=15), validator=_positive_delta
    )
    retention_warning: timedelta = attrs.field(default=timedelta(days=1), validator=_positive_delta)
    reason_max_length: int = 256
    recheck_interval: timedelta = attrs.field(default=timedelta(hours=1), validator=_positive_delta)
    calendar: WorkingCalendar | None = None


#: Huawei Cloud Partner Center: 75/90/100 % alerts, GMT+08:00 months, 15-day retention.
HUAWEI_BUDGETS = BudgetPolicy()

#: Alibaba Cloud credit lines: one warning threshold (80 % here; 1-100 % per end user
#: through ``Budget.thresholds``), the same engine and freeze holds.
ALIBABA_BUDGETS = BudgetPolicy(thresholds=(Decimal(80), Decimal(100)))


def _non_negative_money(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Money) or value.is_negative():
        raise InvalidArgumentError(attribute.name, value, "expected a non-negative Money")


def _optional_thresholds(value: Any) -> tuple[Decimal, ...] | None:
    return None if value is None else _thresholds(value)


@checked
@final
@attrs.frozen(kw_only=True)
class Budget:
    """A customer's budget and the spend counted against it.

    Attributes:
        type: Monthly or one-time.
        amount: The cap, 2 decimals, >= 0 (a zero budget is exhausted at once).
        freeze_mode: What exhaustion does.
        auto_freeze_scope: The scope of an automatic freeze (G-07).
        grace: Extra spend a ``DELAYED`` budget tolerates before freezing.
        thresholds: Per-budget alert thresholds (Alibaba's warning threshold);
            ``None`` uses the policy's.
        revision: Bumped on every setting; thresholds fire once per
            window and revision (G-03).
        window_start: Start of the counted window: the month's first instant
            for monthly budgets, the first setting for one-time ones (G-06).
        window_end: End of a monthly window (exclusive); ``None`` for one-time.
        consumed: List-price spend in the window, before tax, floored at zero.
        fired: Thresholds already alerted in this window and revision.
    """

    type: BudgetType
    amount: Money = attrs.field(validator=_non_negative_money)
    freeze_mode: FreezeMode
    auto_freeze_scope: FreezeScope = FreezeScope.ACCOUNT
    grace: Money | None = None
    thresholds: tuple[Decimal, ...] | None = attrs.field(
        default=None, converter=_optional_thresholds
    )
    revision: int = 1
    window_start: datetime = attrs.field(validator=_v.aware)
    window_end: datetime | None = attrs.field(default=None, validator=_v.optional_aware)
    consumed: Money
    fired: frozenset[Decimal] = frozenset()

    def __attrs_post_init__(self) -> None:
        if self.consumed.currency != self.amount.currency:
            raise InvalidArgumentError(
                "consumed", self.consumed, "must be in the budget's currency"
            )
        if self.grace is not None and self.freeze_mode is not FreezeMode.DELAYED:
            raise InvalidArgumentError(
                "grace", self.grace, "only a DELAYED budget has a grace amount"
            )
        if (self.type is BudgetType.MONTHLY) != (self.window_end is not None):
            raise InvalidArgumentError(
                "window_end", self.window_end, "monthly budgets have a window end"
            )

    @property
    def exhausted(self) -> bool:
        """``consumed >= amount`` (G-01: a zero budget is exhausted from the start)."""
        return self.consumed >= self.amount

    @property
    def freeze_point(self) -> Money:
        """The spend at which an automatic or delayed budget freezes."""
        if self.freeze_mode is FreezeMode.DELAYED and self.grace is not None:
            return self.amount + self.grace
        return self.amount

    @property
    def usage_percent(self) -> Decimal | None:
        """Spend as a whole percentage of the budget, floored; ``None`` ("--") for a zero budget.

        For display only (R-CUST-59, 4.7); thresholds compare exact values.

        >>> from datetime import datetime
        >>> from partnerkit.periods import UTC
        >>> b = Budget(type=BudgetType.ONE_TIME, amount=Money.of("0.10", "USD"),
        ...            freeze_mode=FreezeMode.MANUAL, window_start=datetime(2024, 1, 1, tzinfo=UTC),
        ...            consumed=Money.of("0", "USD"))
        >>> b.usage_percent
        Decimal('0')
        """
        if self.amount.is_zero():
            return None
        return quantize(scale(self.consumed / self.amount, 2), 0, rounding=Rounding.DOWN)

    @property
    def available(self) -> Money:
        """What is left: ``amount - consumed``, never below zero (Alibaba's available credit)."""
        left = self.amount - self.consumed
        return left if not left.is_negative() else self.amount.currency.zero


@final
@attrs.frozen
class BudgetRecipient:
    """Someone outside the partner's login who receives budget alerts (R-CUST-56)."""

    name: str = attrs.field(validator=_v.text)
    email: str | None = None
    phone: str | None = None

    def __attrs_post_init__(self) -> None:
        if not self.email and not self.phone:
            raise InvalidArgumentError("email", self.email, "a recipient needs an email or a phone")


@final
@attrs.frozen
class BudgetRecipients:
    """A partner's budget-alert recipients (Finance > "Partner budget", R-CUST-56)."""

    partner_id: PartnerId = attrs.field(validator=_v.text)
    recipients: tuple[BudgetRecipient, ...] = ()
    version: int = attrs.field(default=0, kw_only=True)


@final
@attrs.frozen(kw_only=True)
class FreezeHold:
    """One reason a customer is frozen.

    Attributes:
        cause: Association default, budget automatic or partner manual.
        scope: Account, or account and resources.
        set_by: Who set it (``system`` for automatic holds).
        set_at: When.
        reason: Why (required for manual holds, R-CUST-75).
    """

    cause: FreezeCause
    scope: FreezeScope
    set_by: ActorId = attrs.field(validator=_v.text)
    set_at: datetime = attrs.field(validator=_v.aware)
    reason: str | None = None


@final
@attrs.frozen
class BudgetAccount:
    """The budget engine's view of one associated customer (keyed by customer).

    Attributes:
        customer_id: The customer.
        partner_id: Its direct partner.
        distributor_id: The partner's distributor, for a reseller's customer.
        association_type: Reseller-model customers have budgets and freezes;
            referral ones do not (R-CUST-42, G-34, G-35).
        associated_at: Spend before this never counts (R-CUST-03, 4.2).
        budget: The budget, if one is set.
        holds: The freeze holds; frozen iff not empty.
        resources_frozen_at: When resources were frozen (retention starts).
        retention_warned: The retention-expiring event was emitted.
        resources_released: Frozen resources were released after retention.
        version: Stored version.
    """

    customer_id: CustomerId = attrs.field(validator=_v.text)
    partner_id: PartnerId = attrs.field(validator=_v.text)
    association_type: AssociationType
    associated_at: datetime = attrs.field(validator=_v.aware)
    distributor_id: PartnerId | None = attrs.field(default=None, kw_only=True)
    budget: Budget | None = attrs.field(default=None, kw_only=True)
    holds: tuple[FreezeHold, ...] = attrs.field(default=(), kw_only=True)
    resources_frozen_at: datetime | None = attrs.field(
        default=None, kw_only=True, validator=_v.optional_aware
    )
    retention_warned: bool = attrs.field(default=False, kw_only=True)
    resources_released: bool = attrs.field(default=False, kw_only=True)
    version: int = attrs.field(default=0, kw_only=True)

    @property
    def frozen(self) -> bool:
        """Whether any hold stands."""
        return bool(self.holds)

    @property
    def causes(self) -> frozenset[FreezeCause]:
        """The causes of the standing holds."""
        return frozenset(h.cause for h in self.holds)

    @property
    def scope(self) -> FreezeScope | None:
        """The widest scope of the standing holds, or ``None`` when not frozen."""
        if not self.holds:
            return None
        if any(h.scope is FreezeScope.ACCOUNT_AND_RESOURCES for h in self.holds):
            return FreezeScope.ACCOUNT_AND_RESOURCES
        return FreezeScope.ACCOUNT

    @property
    def automatically_frozen(self) -> bool:
        """The "Automatically Frozen" column (R-CUST-81)."""
        return FreezeCause.BUDGET_AUTO in self.causes
