"""Bad input at the service edge is always a PartnerkitError, and nothing is stored.

Each command is called with one argument replaced by arbitrary junk (None,
numbers, floats, strings, naive datetimes, lists); the only acceptable outcomes
are success or a PartnerkitError, and a refusal leaves the store unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from tests.support.world import World, admin, at, customer

from partnerkit.customers import PreRegistrationRequest
from partnerkit.errors import PartnerkitError
from partnerkit.ids import ActorId, CustomerId, IdempotencyKey, InvitationId
from partnerkit.permissions import Actor

junk = st.one_of(
    st.none(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=5),
    st.booleans(),
    st.just(datetime(2024, 5, 1)),  # noqa: DTZ001 - naive on purpose
    st.lists(st.integers(), max_size=2),
)

COMMANDS: dict[str, tuple[Callable[..., Any], dict[str, Any]]] = {}


def _world() -> World:
    world = World()
    world.service.preregister(
        admin("p1"), PreRegistrationRequest("pr-c1", "Name", "c1@x.com", "+852", "1"),
        as_of=at("2024-05-01 09:00"), idempotency_key=IdempotencyKey("seed-1"),
    )  # fmt: skip
    world.record(customer("c1", "c1@x.com", "2024-05-01 08:00"))
    world.service.accept_invitation(
        Actor.customer(CustomerId("c1")), InvitationId("pr-c1/email"), new_account=False,
        signed_instructions="V1001", as_of=at("2024-05-01 10:00"), idempotency_key=IdempotencyKey("seed-2"),
    )  # fmt: skip
    return world


def _commands(world: World) -> dict[str, tuple[Callable[..., Any], dict[str, Any]]]:
    s = world.service
    c1 = Actor.customer(CustomerId("c1"))
    return {
        "preregister": (s.preregister, {
            "actor": admin("p1"), "request": PreRegistrationRequest("pr-x", "N", "x@x.com", "+852", "1"),
            "as_of": at("2024-05-02 09:00"), "idempotency_key": IdempotencyKey("k1"),
            "customer_id": None, "request_review": False}),
        "request_disassociation": (s.request_disassociation, {
            "actor": admin("p1"), "customer_id": CustomerId("c1"), "request_id": "d1", "reason": "r",
            "acknowledged": True, "as_of": at("2024-05-02 09:00"), "idempotency_key": IdempotencyKey("k2")}),
        "request_authorization": (s.request_authorization, {
            "actor": admin("p1"), "customer_id": CustomerId("c1"), "authorization_id": "a1",
            "accept_commitment": True, "as_of": at("2024-05-02 09:00"), "idempotency_key": IdempotencyKey("k3")}),
        "assign_account_manager": (s.assign_account_manager, {
            "actor": admin("p1"), "customer_id": CustomerId("c1"), "manager": ActorId("am1"),
            "as_of": at("2024-05-02 09:00")}),
        "check_on_behalf": (s.check_on_behalf, {
            "actor": admin("p1"), "customer_id": CustomerId("c1"), "product": "ECS", "as_of": at("2024-05-02 09:00")}),
        "accept_invitation": (s.accept_invitation, {
            "actor": c1, "invitation_id": InvitationId("pr-c1/email"), "new_account": False,
            "signed_instructions": "V1001", "as_of": at("2024-05-02 09:00"), "idempotency_key": IdempotencyKey("k4")}),
        "change_delegation": (s.change_delegation, {
            "actor": admin("d1"), "reseller_id": "r1", "as_of": at("2024-05-02 09:00"),
            "on_behalf_authorized": True, "accept_commitment": True}),
    }  # fmt: skip


@given(command=st.sampled_from(sorted(_commands(World()))), argument=st.integers(0, 20), value=junk)
def test_junk_arguments_raise_partnerkit_errors_and_store_nothing(
    command: str, argument: int, value: Any
) -> None:
    world = _world()
    function, arguments = _commands(world)[command]
    name = sorted(arguments)[argument % len(arguments)]
    arguments = {**arguments, name: value}
    before = (world.store.snapshot(), len(world.store.events()))
    try:
        function(**arguments)
    except PartnerkitError:
        assert (world.store.snapshot(), len(world.store.events())) == before
