"""partnerkit: a pure-Python SDK for cloud channel-partner programmes.

The package root re-exports the kernel that every other module stands on:
exact money, periods and working-day calendars, errors, identifiers and the
event base.
Domain subpackages (:mod:`partnerkit.billing`, :mod:`partnerkit.budget`,
:mod:`partnerkit.incentives`, :mod:`partnerkit.eligibility`) hold the rules;
:mod:`partnerkit.ports` and :mod:`partnerkit.adapters` hold storage.

>>> from partnerkit import Money, Rounding, allocate
>>> allocate(Money.of("10.00", "USD"), [1, 2], rounding=Rounding.DOWN)
(Money('3.33', 'USD'), Money('6.67', 'USD'))
"""

from partnerkit.calendars import (
    WEEKENDS,
    DayOfMonth,
    MonthlySchedule,
    NthWorkingDay,
    Roll,
    WeekdayCalendar,
    WorkingCalendar,
    add_working_days,
    nth_working_day,
    roll_backward,
    roll_forward,
    working_days_between,
)
from partnerkit.errors import (
    ConcurrencyConflictError,
    CurrencyMismatchError,
    IdempotencyConflictError,
    InvalidArgumentError,
    NotFoundError,
    PartnerkitError,
    PermissionDeniedError,
    PrecisionError,
    RuleViolationError,
    UnknownCurrencyError,
)
from partnerkit.events import Event
from partnerkit.ids import (
    ActorId,
    BillId,
    BudgetId,
    CouponId,
    CustomerId,
    EarningId,
    IdempotencyKey,
    InvitationId,
    PartnerId,
    ProgrammeId,
    TierId,
)
from partnerkit.money import Currency, Money, Rate, Rounding, allocate, quantize, total
from partnerkit.periods import GMT_PLUS_8, UTC, Period, PeriodKind, add_months, require_aware

__version__ = "0.1.0"

__all__ = [
    "GMT_PLUS_8",
    "UTC",
    "WEEKENDS",
    "ActorId",
    "BillId",
    "BudgetId",
    "ConcurrencyConflictError",
    "CouponId",
    "Currency",
    "CurrencyMismatchError",
    "CustomerId",
    "DayOfMonth",
    "EarningId",
    "Event",
    "IdempotencyConflictError",
    "IdempotencyKey",
    "InvalidArgumentError",
    "InvitationId",
    "Money",
    "MonthlySchedule",
    "NotFoundError",
    "NthWorkingDay",
    "PartnerId",
    "PartnerkitError",
    "Period",
    "PeriodKind",
    "PermissionDeniedError",
    "PrecisionError",
    "ProgrammeId",
    "Rate",
    "Roll",
    "Rounding",
    "RuleViolationError",
    "TierId",
    "UnknownCurrencyError",
    "WeekdayCalendar",
    "WorkingCalendar",
    "__version__",
    "add_months",
    "add_working_days",
    "allocate",
    "nth_working_day",
    "quantize",
    "require_aware",
    "roll_backward",
    "roll_forward",
    "total",
    "working_days_between",
]
