"""The customer-area policy: every number and switch where vendors may differ.

Defaults are the Huawei Cloud Partner Center rules and the spec's DESIGN
CHOICE defaults; :data:`HUAWEI` is that preset and :data:`ALIBABA` adjusts it
for Alibaba Cloud's channel documents.  A third vendor is another
:class:`CustomerPolicy` value, not new code.

>>> HUAWEI.preregistration_capacity, HUAWEI.email_invitation_validity.days
(100, 7)
>>> attrs.evolve(HUAWEI, preregistration_capacity=50).preregistration_capacity
50
"""

from __future__ import annotations

import enum
from datetime import timedelta, tzinfo
from typing import Any, final

import attrs

from partnerkit.calendars import WEEKENDS, WorkingCalendar
from partnerkit.errors import InvalidArgumentError
from partnerkit.periods import GMT_PLUS_8

__all__ = ["ALIBABA", "HUAWEI", "AttributionStart", "CustomerPolicy"]


class AttributionStart(enum.Enum):
    """When an account manager starts to be credited with a customer's spend (R-CUST-129)."""

    #: From the day after the assignment (CSP/DIST pages, revenue page; default).
    NEXT_DAY = "next-day"
    #: From the 1st of the month of assignment (the RES statistics page; a CONFLICT).
    MONTH_START = "month-start"


def _positive_int(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidArgumentError(attribute.name, value, "expected an int >= 1")


def _positive_delta(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, timedelta) or value <= timedelta(0):
        raise InvalidArgumentError(attribute.name, value, "expected a positive timedelta")


@final
@attrs.frozen(kw_only=True)
class CustomerPolicy:
    """Numbers and switches of customer development, association and care.

    Attributes:
        preregistration_capacity: Max pending-review plus valid
            pre-registrations per partner (R-CUST-07).
        preregistration_validity: How long a pre-registration holds
            exclusivity (R-CUST-08, G-13).
        review_working_days: Manual-review completion target (R-CUST-10).
        registration_age_limit: Registered longer ago than this needs a
            review to pre-register and refuses association (R-CUST-10, 30).
        email_invitation_validity: Validity of an email invitation (R-CUST-19).
        remarks_max_length: Remarks on a customized link (R-CUST-21).
        freeze_on_reseller_association: A reseller-model association leaves
            the account frozen by default (R-CUST-32).
        disassociation_requires_confirmation: Disassociation is a request the
            counterparty confirms (DESIGN CHOICE G-11, default True); False
            makes a request take effect at once.
        disassociation_spacing_months: One request per side per this many
            calendar months, counted in calendar days of ``time_zone``: a
            request on 10 January allows the next from 10 April (R-CUST-86,
            R-CUST-87, G-12).
        distributor_disassociates_reseller_customers: G-44 policy flag,
            default off.
        revoke_reason_max_length: Reason when a customer revokes an
            authorization (R-CUST-116).
        reseller_on_behalf_products: What a tier-two reseller may order on a
            customer's behalf (R-CUST-120); ``None`` means anything.
        attribution_start: When AM attribution starts (R-CUST-129).
        calendar: Working days for review deadlines.
        time_zone: The zone of "the 1st of next month" and of days (GMT+08:00).
        lead_handover_days: Alibaba: days without conversion before a new
            registration becomes a lead (R-CUST-155).
        lead_flow_back_days: Alibaba: days without consumption before a lead
            flows back to official-website operations (R-CUST-156).
        telesales_regions: Alibaba: regions whose leads go to telesales
            (G-36 default).
    """

    preregistration_capacity: int = attrs.field(default=100, validator=_positive_int)
    preregistration_validity: timedelta = attrs.field(
        default=timedelta(days=15), validator=_positive_delta
    )
    review_working_days: int = attrs.field(default=2, validator=_positive_int)
    registration_age_limit: timedelta = attrs.field(
        default=timedelta(days=7), validator=_positive_delta
    )
    email_invitation_validity: timedelta = attrs.field(
        default=timedelta(days=7), validator=_positive_delta
    )
    remarks_max_length: int = attrs.field(default=100, validator=_positive_int)
    freeze_on_reseller_association: bool = True
    disassociation_requires_confirmation: bool = True
    disassociation_spacing_months: int = attrs.field(default=3, validator=_positive_int)
    distributor_disassociates_reseller_customers: bool = False
    revoke_reason_max_length: int = attrs.field(default=128, validator=_positive_int)
    reseller_on_behalf_products: frozenset[str] | None = frozenset({"ECS", "EVS", "EIP"})
    attribution_start: AttributionStart = AttributionStart.NEXT_DAY
    calendar: WorkingCalendar = WEEKENDS
    time_zone: tzinfo = GMT_PLUS_8
    lead_handover_days: int = attrs.field(default=7, validator=_positive_int)
    lead_flow_back_days: int = attrs.field(default=60, validator=_positive_int)
    telesales_regions: frozenset[str] = frozenset(
        {"Beijing", "Shanghai", "Guangzhou", "Shenzhen", "Zhejiang", "Hangzhou"}
    )


#: Huawei Cloud Partner Center defaults.
HUAWEI = CustomerPolicy()

#: Alibaba Cloud channel defaults: the Huawei numbers where Alibaba's documents are
#: silent, no on-behalf product limit (none is documented), China's time zone.
ALIBABA = CustomerPolicy(reseller_on_behalf_products=None)
