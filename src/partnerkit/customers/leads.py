"""Alibaba's lead flow for authorised service centres (SM-12, seed 004).

A new registration that has not converted or consumed within 7 days becomes
a lead.  Leads in Beijing, Shanghai, Guangzhou, Shenzhen and Zhejiang
(Hangzhou) go to telesales; elsewhere they flow to the regional service
centre once the customer confirms.  A lead held without consumption for 60
days flows back to official-website operations (R-CUST-155, R-CUST-156).
The numbers and the region set are :class:`~partnerkit.customers.policy.CustomerPolicy` fields.

>>> from datetime import datetime
>>> from partnerkit.periods import GMT_PLUS_8
>>> lead = Lead("u-1", "Chengdu", registered_at=datetime(2018, 4, 1, tzinfo=GMT_PLUS_8))
>>> week_later = datetime(2018, 4, 8, tzinfo=GMT_PLUS_8)
>>> lead, _ = route_lead(lead, as_of=week_later, customer_confirmed=True)
>>> lead.channel
<LeadChannel.ASC: 'asc'>
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from typing import final

import attrs

import partnerkit._validators as _v
from partnerkit.customers.policy import HUAWEI, CustomerPolicy
from partnerkit.errors import RuleViolationError
from partnerkit.events import Event
from partnerkit.ids import SYSTEM_ACTOR, ActorId
from partnerkit.periods import require_aware

__all__ = ["Lead", "LeadChannel", "LeadRouted", "flow_back_lead", "route_lead", "transfer_leads"]


class LeadChannel(enum.Enum):
    """Who follows a lead up."""

    NEW_REGISTRATION = "new-registration"
    TELESALES = "telesales"
    ASC = "asc"
    OFFICIAL_WEB_OPS = "official-web-ops"


@final
@attrs.frozen
class Lead:
    """A registered user followed up as a lead (customers.md 1.15)."""

    id: str = attrs.field(validator=_v.text)
    region: str = attrs.field(validator=_v.text)
    registered_at: datetime = attrs.field(kw_only=True, validator=_v.aware)
    last_consumption_at: datetime | None = attrs.field(
        default=None, kw_only=True, validator=_v.optional_aware
    )
    converted: bool = attrs.field(default=False, kw_only=True)
    channel: LeadChannel = attrs.field(default=LeadChannel.NEW_REGISTRATION, kw_only=True)
    entered_channel_at: datetime | None = attrs.field(
        default=None, kw_only=True, validator=_v.optional_aware
    )
    service_centre: str | None = attrs.field(default=None, kw_only=True)
    version: int = attrs.field(default=0, kw_only=True)


@attrs.frozen(kw_only=True)
class LeadRouted(Event):
    """A lead moved to another channel."""

    before: Lead
    after: Lead

    def snapshots(self) -> tuple[object, ...]:
        """The stored values after the change."""
        return (self.after,)


def _moved(
    lead: Lead, after: Lead, when: datetime, actor: ActorId
) -> tuple[Lead, tuple[LeadRouted, ...]]:
    return after, (LeadRouted(occurred_at=when, actor=actor, before=lead, after=after),)


def route_lead(
    lead: Lead,
    *,
    as_of: datetime,
    customer_confirmed: bool,
    service_centre: str | None = None,
    actor: ActorId = SYSTEM_ACTOR,
    policy: CustomerPolicy = HUAWEI,
) -> tuple[Lead, tuple[LeadRouted, ...]]:
    """Hand a new registration over after 7 days without conversion or consumption.

    Telesales regions go to telesales; elsewhere the lead goes to the
    service centre when the customer confirms, and waits otherwise.
    Not yet due, converted or already routed: no change.
    """
    when = require_aware(as_of)
    if lead.channel is not LeadChannel.NEW_REGISTRATION or lead.converted:
        return lead, ()
    if lead.last_consumption_at is not None:
        return lead, ()
    if when - lead.registered_at < timedelta(days=policy.lead_handover_days):
        return lead, ()
    if lead.region in policy.telesales_regions:
        after = attrs.evolve(lead, channel=LeadChannel.TELESALES, entered_channel_at=when)
        return _moved(lead, after, when, actor)
    if not customer_confirmed:
        return lead, ()
    after = attrs.evolve(
        lead, channel=LeadChannel.ASC, entered_channel_at=when, service_centre=service_centre
    )
    return _moved(lead, after, when, actor)


def flow_back_lead(
    lead: Lead,
    *,
    as_of: datetime,
    actor: ActorId = SYSTEM_ACTOR,
    policy: CustomerPolicy = HUAWEI,
) -> tuple[Lead, tuple[LeadRouted, ...]]:
    """Return a lead to official-website operations after 60 days without consumption.

    Counted from the later of entering the channel and the last consumption
    (the anchor is INFERRED in the spec).  Applies to service-centre and,
    by DESIGN CHOICE, telesales leads.
    """
    when = require_aware(as_of)
    if (
        lead.channel not in {LeadChannel.ASC, LeadChannel.TELESALES}
        or lead.entered_channel_at is None
    ):
        return lead, ()
    anchor = max(lead.entered_channel_at, lead.last_consumption_at or lead.entered_channel_at)
    if when - anchor < timedelta(days=policy.lead_flow_back_days):
        return lead, ()
    after = attrs.evolve(
        lead, channel=LeadChannel.OFFICIAL_WEB_OPS, entered_channel_at=when, service_centre=None
    )
    return _moved(lead, after, when, actor)


def transfer_leads(
    leads: tuple[Lead, ...],
    *,
    from_centre: str,
    to_centre: str,
    as_of: datetime,
    actor: ActorId,
) -> tuple[tuple[Lead, ...], tuple[LeadRouted, ...]]:
    """Hand a disqualified service centre's customers to the new regional centre (R-CUST-157)."""
    when = require_aware(as_of)
    if from_centre == to_centre:
        raise RuleViolationError(
            "R-CUST-157", "the new centre must differ from the disqualified one",
            fields={"code": "SAME_CENTRE"},
        )  # fmt: skip
    moved: list[Lead] = []
    events: list[LeadRouted] = []
    for lead in leads:
        if lead.channel is LeadChannel.ASC and lead.service_centre == from_centre:
            after = attrs.evolve(lead, service_centre=to_centre, entered_channel_at=when)
            moved.append(after)
            events.append(LeadRouted(occurred_at=when, actor=actor, before=lead, after=after))
        else:
            moved.append(lead)
    return tuple(moved), tuple(events)
