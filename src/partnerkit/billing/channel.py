"""Who bills, invoices and pays whom along the channel (billing.md 7.A, 7.D, 7.G).

Reseller-model customers see list-price references and never top up with the
vendor (R-BILL-24); Alibaba agencies get no end-user bills (R-BILL-25) and
Alibaba invoices their customers directly (R-BILL-73); the Alibaba platform
needs a signed agreement and Credit Control (R-BILL-83); an Alibaba service
centre's commission follows a monthly calendar whose dates move past
holidays (R-BILL-84).

>>> invoiced_by(PartnerRole.AGENCY)
<Invoicer.VENDOR: 'vendor'>
"""

from __future__ import annotations

import enum
from datetime import date
from typing import final

import attrs

import partnerkit._validators as _v
from partnerkit.calendars import WorkingCalendar, add_working_days, roll_forward
from partnerkit.decisions import Decision, Reason
from partnerkit.errors import InvalidArgumentError
from partnerkit.money import Money, Rate, Rounding
from partnerkit.partners import AssociationType, PartnerRole, RoleKind
from partnerkit.periods import Period

__all__ = [
    "SERVICE_CENTRE_COMMISSION",
    "CommissionCalendar",
    "Invoicer",
    "ServiceCentreCommission",
    "commission_calendar",
    "deemed_accepted_on",
    "invoiced_by",
    "may_activate_platform",
    "may_top_up_with_vendor",
    "may_view_end_user_bills",
]


def may_top_up_with_vendor(association: AssociationType) -> Decision:
    """Referral customers top up with the vendor; reseller-model ones ask their partner (R-BILL-24).

    What a reseller-model customer sees in the vendor's Billing Center is a
    list-price reference, not money owed to the vendor.

    >>> may_top_up_with_vendor(AssociationType.RESELLER).codes
    ('RESELLER_MODEL_CUSTOMER',)
    """
    if not isinstance(association, AssociationType):
        raise InvalidArgumentError("association", association, "expected an AssociationType")
    if association is AssociationType.REFERRAL:
        return Decision.allow()
    return Decision.deny(
        Reason(
            "RESELLER_MODEL_CUSTOMER",
            "R-BILL-24",
            "a reseller-model customer does not top up with the vendor; "
            "ask the partner to raise the monthly budget",
        )
    )


def may_view_end_user_bills(role: PartnerRole) -> Decision:
    """Alibaba agencies cannot get their end users' bills (R-BILL-25).

    >>> may_view_end_user_bills(PartnerRole.AGENCY).codes
    ('AGENCY_NO_END_USER_BILLS',)
    """
    if not isinstance(role, PartnerRole):
        raise InvalidArgumentError("role", role, "expected a PartnerRole")
    if role.kind is RoleKind.AGENCY:
        return Decision.deny(
            Reason(
                "AGENCY_NO_END_USER_BILLS",
                "R-BILL-25",
                "an agency earns commission; the vendor bills its customers directly",
            )
        )
    return Decision.allow()


class Invoicer(enum.Enum):
    """Who invoices a partner's buyers (R-BILL-73)."""

    VENDOR = "vendor"
    PARTNER = "partner"


def invoiced_by(seller: PartnerRole) -> Invoicer:
    """Who invoices the buyers of ``seller``: the partner itself, or the vendor for agencies.

    The distributor invoices its tier-2 resellers, they and direct resellers
    invoice their end users, and the vendor's monthly invoice to each of them
    has their discount built in.  An agency's customers are invoiced and
    settled by the vendor (R-BILL-73).
    """
    if not isinstance(seller, PartnerRole):
        raise InvalidArgumentError("seller", seller, "expected a PartnerRole")
    return Invoicer.VENDOR if seller.kind is RoleKind.AGENCY else Invoicer.PARTNER


def may_activate_platform(*, agreement_signed: bool, credit_control_enabled: bool) -> Decision:
    """The Alibaba partner platform opens after the agreement and Credit Control (R-BILL-83).

    >>> may_activate_platform(agreement_signed=True, credit_control_enabled=False).codes
    ('CREDIT_CONTROL_NOT_ENABLED',)
    """
    for name, value in (
        ("agreement_signed", agreement_signed),
        ("credit_control_enabled", credit_control_enabled),
    ):
        if not isinstance(value, bool):
            raise InvalidArgumentError(name, value, "expected True or False")
    reasons = []
    if not agreement_signed:
        reasons.append(
            Reason("AGREEMENT_NOT_SIGNED", "R-BILL-83", "the channel agreement is not signed")
        )
    if not credit_control_enabled:
        reasons.append(
            Reason("CREDIT_CONTROL_NOT_ENABLED", "R-BILL-83", "Credit Control is not enabled")
        )
    return Decision.of(reasons)


_TWENTY_PERCENT = Rate.from_percent(20)


@final
@attrs.frozen(kw_only=True)
class ServiceCentreCommission:
    """An Alibaba service centre's commission terms (R-BILL-84, seed 004 5.2).

    Attributes:
        rate: Share of the actually-paid amount per product line and month.
        statistics_day: Day of the month the previous month's figures appear.
        confirm_by_day: Day the centre confirms by.
        silence_working_days: Working days of silence after a reminder that
            count as acceptance.
        invoice_before_day: The invoice is due before this day.
        payment_day: Day the commission is paid.
    """

    rate: Rate = _TWENTY_PERCENT
    statistics_day: int = 7
    confirm_by_day: int = 10
    silence_working_days: int = 3
    invoice_before_day: int = 15
    payment_day: int = 25

    def commission(self, paid: Money) -> Money:
        """The commission on one product line's paid amount, rounded half-up to the minor unit.

        >>> SERVICE_CENTRE_COMMISSION.commission(Money.of("1234.57", "CNY"))
        Money('246.91', 'CNY')
        """
        if not isinstance(paid, Money):
            raise InvalidArgumentError("paid", paid, "expected Money")
        return (paid * self.rate).round(rounding=Rounding.HALF_UP)


#: The terms of seed 004: 20 %, on the 7th / 10th / before the 15th / 25th.
SERVICE_CENTRE_COMMISSION = ServiceCentreCommission()


@final
@attrs.frozen
class CommissionCalendar:
    """The dates of one month's commission, each moved past holidays (R-BILL-84)."""

    statistics: date
    confirm_by: date
    invoice_before: date
    payment: date


def commission_calendar(
    cycle: Period,
    calendar: WorkingCalendar,
    *,
    terms: ServiceCentreCommission = SERVICE_CENTRE_COMMISSION,
) -> CommissionCalendar:
    """The calendar for the commission of ``cycle``, run in the following month (R-BILL-84).

    Every date that falls on a non-working day moves to the next working day
    (``遇节假日顺延,以下日期同``).

    >>> from partnerkit.calendars import WEEKENDS
    >>> commission_calendar(Period.parse("2024M5"), WEEKENDS).statistics  # 7 June 2024 is a Friday
    datetime.date(2024, 6, 7)
    """
    _v.require_month(cycle)
    following = cycle.next()

    def on(day: int) -> date:
        return roll_forward(calendar, date(following.year, following.index, day))

    return CommissionCalendar(
        on(terms.statistics_day),
        on(terms.confirm_by_day),
        on(terms.invoice_before_day),
        on(terms.payment_day),
    )


def deemed_accepted_on(
    reminded_on: date,
    calendar: WorkingCalendar,
    *,
    terms: ServiceCentreCommission = SERVICE_CENTRE_COMMISSION,
) -> date:
    """Silence for 3 working days after the reminder counts as acceptance (R-BILL-84).

    >>> from partnerkit.calendars import WEEKENDS
    >>> deemed_accepted_on(date(2024, 6, 7), WEEKENDS)  # Friday -> Wednesday
    datetime.date(2024, 6, 12)
    """
    return add_working_days(calendar, reminded_on, terms.silence_working_days)
