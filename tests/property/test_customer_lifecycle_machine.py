"""A state machine over the customer services: random lifecycles across partners and customers.

Rules pre-register, invite, accept, delegate, request and answer disassociations,
request, answer and revoke authorizations, and move the clock.  After every step:

* no customer has two partners, and the event log agrees;
* a refused command changed nothing (checked inside each rule);
* no two disassociation requests of one side are less than 3 months apart,
  and a partner never asks within 3 months of the customer's latest request;
* replaying the event log gives exactly the stored state.

R-CUST-08, R-CUST-20, R-CUST-30, R-CUST-62, R-CUST-86, R-CUST-87, R-CUST-116, R-CUST-119.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from itertools import pairwise
from typing import Any

import attrs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from partnerkit.adapters.memory import InMemoryStore
from partnerkit.customers import (
    AssociationStatus,
    CustomerAssociated,
    CustomerDisassociated,
    CustomerFacts,
    Initiator,
    InvitationMethod,
    PreRegistrationRequest,
    RequestStatus,
)
from partnerkit.errors import PartnerkitError
from partnerkit.ids import ActorId, CustomerId, IdempotencyKey, InvitationId, PartnerId
from partnerkit.money import Money
from partnerkit.partners import Partner, PartnerRole, ResellerCandidate
from partnerkit.periods import GMT_PLUS_8, add_months
from partnerkit.permissions import Actor, OrgRole
from partnerkit.services.customers import (
    ASSOCIATION_REQUESTS,
    ASSOCIATIONS,
    CustomerService,
    replay,
)

PARTNERS = ("p1", "d1", "r1")
CUSTOMERS = tuple(f"c{i}" for i in range(4))
VENDOR = Actor.vendor(ActorId("em"))
T0 = datetime(2024, 1, 1, 9, tzinfo=GMT_PLUS_8)
QUOTA = Money.of("100.00", "USD")

partners = st.sampled_from(PARTNERS)
customers = st.sampled_from(CUSTOMERS)


def admin(partner: str) -> Actor:
    return Actor.partner_user(ActorId(f"{partner}-admin"), PartnerId(partner), {OrgRole.ADMIN})


class CustomerLifecycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.store = InMemoryStore()
        self.service = CustomerService(self.store.unit_of_work)
        self.now = T0
        self.counter = 0
        self.refusals = 0

    @initialize()
    def world(self) -> None:
        for partner in (
            Partner(PartnerId("p1"), PartnerRole.CSP, "HK", contact_email="p1@x.com", referral_enabled=True),
            Partner(PartnerId("d1"), PartnerRole.DISTRIBUTOR, "HK", contact_email="d1@x.com",
                    authorized_regions={"Kowloon"}),
        ):  # fmt: skip
            self.service.register_partner(partner, actor=VENDOR, as_of=self.now)
        candidate = ResellerCandidate(PartnerId("r1"), "Kowloon", "HK")
        self.service.invite_reseller(
            admin("d1"), candidate, as_of=self.now, idempotency_key=self._key()
        )
        self.service.accept_reseller_invitation(
            VENDOR, PartnerId("d1"), candidate, role=PartnerRole.RESELLER, as_of=self.now
        )
        reseller = attrs.evolve(_stored_partner(self.store, "r1"), contact_email="r1@x.com")
        self.service.register_partner(reseller, actor=VENDOR, as_of=self.now)
        for customer in CUSTOMERS:
            self._register(customer)

    # --- helpers ---------------------------------------------------------------------------

    def _register(self, customer: str) -> None:
        facts = CustomerFacts(
            CustomerId(customer), f"{customer}@x.com", registered_at=self.now - timedelta(hours=1)
        )
        self.service.record_customer(facts, actor=VENDOR, as_of=self.now)

    def _key(self) -> IdempotencyKey:
        self.counter += 1
        return IdempotencyKey(f"k{self.counter}")

    def _attempt(self, command: Callable[[], Any]) -> bool:
        """Run a command; a refusal must leave storage exactly as it was."""
        before = (self.store.snapshot(), self.store.idempotency_keys(), len(self.store.events()))
        try:
            command()
        except PartnerkitError:
            after = (self.store.snapshot(), self.store.idempotency_keys(), len(self.store.events()))
            assert before == after, "a refused command changed the store"
            self.refusals += 1
            return False
        return True

    def _ids(self, collection: str) -> list[str]:
        return sorted(self.store.snapshot().get(collection, {}))

    # --- rules -----------------------------------------------------------------------------

    @rule(
        hours=st.integers(min_value=1, max_value=48)
        | st.integers(min_value=24 * 28, max_value=24 * 100)
    )
    def advance(self, hours: int) -> None:
        self.now += timedelta(hours=hours)

    @rule(customer=customers)
    def registration_refreshed(self, customer: str) -> None:
        self._register(customer)

    @rule(partner=partners, customer=customers, review=st.booleans())
    def preregister(self, partner: str, customer: str, review: bool) -> None:
        self.counter += 1
        request = PreRegistrationRequest(
            f"pr{self.counter}", "Name", f"{customer}@x.com", "+852", "1"
        )
        self._attempt(lambda: self.service.preregister(
            admin(partner), request, as_of=self.now, idempotency_key=self._key(),
            customer_id=CustomerId(customer), request_review=review,
        ))  # fmt: skip

    @rule(partner=partners, customer=customers)
    def develop(self, partner: str, customer: str) -> None:
        """The usual path in one go: fresh registration, pre-registration, email acceptance."""
        self._register(customer)
        self.counter += 1
        rid = f"pr{self.counter}"
        request = PreRegistrationRequest(rid, "Name", f"{customer}@x.com", "+852", "1")
        done = self._attempt(lambda: self.service.preregister(
            admin(partner), request, as_of=self.now, idempotency_key=self._key(),
            customer_id=CustomerId(customer),
        ))  # fmt: skip
        if done:
            self._attempt(lambda: self.service.accept_invitation(
                Actor.customer(CustomerId(customer)), InvitationId(f"{rid}/email"), new_account=False,
                signed_instructions="V1001", as_of=self.now, idempotency_key=self._key(),
            ))  # fmt: skip

    @rule(partner=partners)
    def generate_link(self, partner: str) -> None:
        self.counter += 1
        self._attempt(lambda: self.service.generate_link(
            admin(partner), invitation_id=InvitationId(f"link{self.counter}"),
            method=InvitationMethod.GENERAL_LINK, as_of=self.now, idempotency_key=self._key(),
        ))  # fmt: skip

    @rule(
        customer=customers, choice=st.integers(min_value=0, max_value=50), new_account=st.booleans()
    )
    def accept(self, customer: str, choice: int, new_account: bool) -> None:
        invitations = self._ids("invitations")
        if not invitations:
            return
        invitation = InvitationId(invitations[choice % len(invitations)])
        self._attempt(lambda: self.service.accept_invitation(
            Actor.customer(CustomerId(customer)), invitation, new_account=new_account,
            signed_instructions="V1001", as_of=self.now, idempotency_key=self._key(),
        ))  # fmt: skip

    @rule(budget=st.booleans(), on_behalf=st.booleans())
    def delegate(self, budget: bool, on_behalf: bool) -> None:
        self._attempt(lambda: self.service.change_delegation(
            admin("d1"), PartnerId("r1"), as_of=self.now, budget_freeze_authorized=budget,
            monthly_budget_quota=QUOTA, one_time_budget_quota=QUOTA,
            on_behalf_authorized=on_behalf, accept_commitment=True,
        ))  # fmt: skip

    def _partner_of(self, customer: str, fallback: str, own: bool) -> str:
        association = self.store.snapshot().get(ASSOCIATIONS.name, {}).get(customer)
        return association.partner_id if own and association is not None else fallback

    @rule(customer=customers, by_customer=st.booleans(), partner=partners, own=st.booleans())
    def request_disassociation(
        self, customer: str, by_customer: bool, partner: str, own: bool
    ) -> None:
        chosen = self._partner_of(customer, partner, own)
        actor = Actor.customer(CustomerId(customer)) if by_customer else admin(chosen)
        self.counter += 1
        self._attempt(lambda: self.service.request_disassociation(
            actor, CustomerId(customer), request_id=f"d{self.counter}", reason="because",
            acknowledged=True, as_of=self.now, idempotency_key=self._key(),
        ))  # fmt: skip

    @rule(choice=st.integers(min_value=0, max_value=50), agree=st.booleans(), partner=partners)
    def respond_disassociation(self, choice: int, agree: bool, partner: str) -> None:
        requests = self._ids("association_requests")
        if not requests:
            return
        request = self.store.snapshot()["association_requests"][requests[choice % len(requests)]]
        own = self._partner_of(request.customer_id, partner, choice % 2 == 0)
        actor = (
            Actor.customer(request.customer_id)
            if request.initiator is Initiator.PARTNER
            else admin(own)
        )
        self._attempt(
            lambda: self.service.respond_to_disassociation(
                actor, request.id, agree=agree, as_of=self.now
            )
        )

    @rule(partner=partners, customer=customers, commit=st.booleans(), own=st.booleans())
    def request_authorization(self, partner: str, customer: str, commit: bool, own: bool) -> None:
        self.counter += 1
        chosen = self._partner_of(customer, partner, own)
        self._attempt(lambda: self.service.request_authorization(
            admin(chosen), CustomerId(customer), authorization_id=f"a{self.counter}",
            accept_commitment=commit, as_of=self.now, idempotency_key=self._key(),
        ))  # fmt: skip

    @rule(choice=st.integers(min_value=0, max_value=50), agree=st.booleans(), revoke=st.booleans(),
          reason=st.text(min_size=0, max_size=140))  # fmt: skip
    def answer_authorization(self, choice: int, agree: bool, revoke: bool, reason: str) -> None:
        ids = self._ids("authorizations")
        if not ids:
            return
        authorization = self.store.snapshot()["authorizations"][ids[choice % len(ids)]]
        actor = Actor.customer(authorization.customer_id)
        if revoke:
            self._attempt(
                lambda: self.service.revoke_authorization(
                    actor, authorization.id, reason=reason, as_of=self.now
                )
            )
        else:
            self._attempt(
                lambda: self.service.respond_to_authorization(
                    actor, authorization.id, agree=agree, as_of=self.now
                )
            )

    # --- invariants ------------------------------------------------------------------------

    @invariant()
    def no_customer_has_two_partners(self) -> None:
        associations = self.store.snapshot().get(ASSOCIATIONS.name, {})
        open_by_log: dict[str, int] = {}  # customer id -> open associations
        for event in self.store.events():
            if isinstance(event, CustomerAssociated):
                opened = event.association.customer_id
                open_by_log[opened] = open_by_log.get(opened, 0) + 1
                assert open_by_log[opened] == 1, f"{opened} associated twice without disassociating"
            elif isinstance(event, CustomerDisassociated):
                open_by_log[event.after.customer_id] -= 1
        for key, association in associations.items():
            assert (association.status is AssociationStatus.ACTIVE) == (
                open_by_log.get(key, 0) == 1
            )

    @invariant()
    def disassociation_requests_respect_three_months(self) -> None:
        requests = list(self.store.snapshot().get(ASSOCIATION_REQUESTS.name, {}).values())
        for customer in CUSTOMERS:
            mine = sorted(
                (r for r in requests if r.customer_id == customer), key=lambda r: r.requested_at
            )
            for side in Initiator:
                times = [r.requested_at for r in mine if r.initiator is side]
                for earlier, later in pairwise(times):
                    assert later >= _three_months_after(earlier), (customer, side, earlier, later)
            customer_times = [r.requested_at for r in mine if r.initiator is Initiator.CUSTOMER]
            for r in mine:
                if r.initiator is Initiator.PARTNER:
                    prior = [t for t in customer_times if t < r.requested_at]
                    if prior:
                        assert r.requested_at >= _three_months_after(max(prior))
            pending = [r for r in mine if r.status is RequestStatus.PENDING_CONFIRMATION]
            assert len(pending) <= 1

    @invariant()
    def the_event_log_replays_to_the_stored_state(self) -> None:
        stored = {
            (name, key): attrs.evolve(value, version=0)
            for name, table in self.store.snapshot().items()
            for key, value in table.items()
        }
        assert replay(self.store.events()) == stored


def _stored_partner(store: InMemoryStore, partner: str) -> Partner:
    value = store.snapshot()["partners"][partner]
    assert isinstance(value, Partner)
    return value


def _three_months_after(moment: datetime) -> datetime:
    """Midnight GMT+08:00 of the same calendar day three months later (G-12)."""
    local = moment.astimezone(GMT_PLUS_8)
    return datetime.combine(add_months(local.date(), 3), time(0), tzinfo=GMT_PLUS_8)


CustomerLifecycle.TestCase.settings = settings(
    CustomerLifecycle.TestCase.settings, stateful_step_count=50
)
TestCustomerLifecycle = CustomerLifecycle.TestCase


def test_the_machine_runs_long_lifecycles() -> None:
    """The acceptance bar, measured: at least 100 of 200 examples run 30 steps or more."""
    lengths: list[int] = []

    class Counted(CustomerLifecycle):
        @invariant()
        def count_steps(self) -> None:
            self.steps = getattr(self, "steps", -1) + 1

        def teardown(self) -> None:
            lengths.append(getattr(self, "steps", 0))

    run_state_machine_as_test(
        Counted,
        settings=settings(
            max_examples=200, stateful_step_count=50, deadline=None, derandomize=True
        ),
    )
    assert len(lengths) >= 200
    assert sum(n >= 30 for n in lengths) >= 100
