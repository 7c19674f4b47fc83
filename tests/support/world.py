"""A small world for the worked examples of customers.md: partners, users and a service."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from partnerkit.adapters.memory import InMemoryStore
from partnerkit.customers import CustomerFacts
from partnerkit.ids import ActorId, CustomerId, PartnerId
from partnerkit.partners import Partner, PartnerRole, ResellerDelegation
from partnerkit.periods import GMT_PLUS_8
from partnerkit.permissions import Actor, OrgRole
from partnerkit.services.customers import DELEGATIONS, CustomerService

VENDOR = Actor.vendor(ActorId("em"))


def at(text: str) -> datetime:
    """An instant in GMT+08:00 from 'YYYY-MM-DD HH:MM'."""
    return datetime.fromisoformat(text).replace(tzinfo=GMT_PLUS_8)


def admin(partner: str) -> Actor:
    return Actor.partner_user(ActorId(f"{partner}-admin"), PartnerId(partner), {OrgRole.ADMIN})


def account_manager(partner: str, name: str) -> Actor:
    return Actor.partner_user(ActorId(name), PartnerId(partner), {OrgRole.ACCOUNT_MANAGER})


def customer(customer_id: str, email: str, registered: str, **facts: object) -> CustomerFacts:
    return CustomerFacts(CustomerId(customer_id), email, registered_at=at(registered), **facts)  # type: ignore[arg-type]


class World:
    """Partners p1 and p2 (CSPs), distributor d1 with reseller r1, on one store."""

    def __init__(self, store: Any = None) -> None:
        self.store = store if store is not None else InMemoryStore()
        self.service = CustomerService(self.store.unit_of_work)
        start = at("2024-01-01 00:00")
        for partner in (
            Partner(PartnerId("p1"), PartnerRole.CSP, "HK", contact_email="p1@example.com", referral_enabled=True),
            Partner(PartnerId("p2"), PartnerRole.CSP, "HK", contact_mobile="+852 5555"),
            Partner(PartnerId("d1"), PartnerRole.DISTRIBUTOR, "HK", contact_email="d1@example.com",
                    authorized_regions={"Kowloon"}),
            Partner(PartnerId("r1"), PartnerRole.RESELLER, "HK", contact_email="r1@example.com",
                    distributor_id=PartnerId("d1")),
        ):  # fmt: skip
            self.service.register_partner(partner, actor=VENDOR, as_of=start)
        with self.store.unit_of_work() as uow:
            uow.repository(DELEGATIONS).add(ResellerDelegation(PartnerId("d1"), PartnerId("r1")))
            uow.commit()

    def record(self, facts: CustomerFacts, when: str = "2024-01-01 00:00") -> None:
        self.service.record_customer(facts, actor=VENDOR, as_of=at(when))
