"""The customer services at their edge: bad input, permissions, idempotency, nothing lost."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs
import pytest
from tests.support.world import VENDOR, World, account_manager, admin, at, customer

from partnerkit.adapters.verification import StaticVerifier
from partnerkit.customers import (
    Association,
    CustomerAlert,
    InvitationMethod,
    InvitationStatus,
    LossReason,
    PreRegistrationRequest,
    PreRegistrationStatus,
)
from partnerkit.errors import (
    IdempotencyConflictError,
    InvalidArgumentError,
    NotFoundError,
    PartnerkitError,
    PermissionDeniedError,
    RuleViolationError,
)
from partnerkit.ids import ActorId, CustomerId, IdempotencyKey, InvitationId, PartnerId
from partnerkit.partners import (
    AssociationType,
    Partner,
    PartnerRole,
    ResellerCandidate,
    ResellerDelegation,
)
from partnerkit.permissions import Action, Actor, OrgRole, evaluate_permission
from partnerkit.services.customers import (
    ASSIGNMENTS,
    ASSOCIATIONS,
    AUTHORIZATIONS,
    DELEGATIONS,
    INVITATIONS,
    PARTNERS,
    PREREGISTRATIONS,
    RESELLER_INVITATIONS,
    CustomerService,
    replay,
)

K = iter(range(10**6))


def key() -> IdempotencyKey:
    return IdempotencyKey(f"s-{next(K)}")


def form(rid: str = "pr-1", email: str = "a@x.com") -> PreRegistrationRequest:
    return PreRegistrationRequest(rid, "Name", email, "+852", "1")


@pytest.fixture
def world() -> World:
    return World()


def associated(world: World, cid: str = "c1", partner: str = "p1") -> None:
    world.service.preregister(
        admin(partner),
        form(f"pr-{cid}", f"{cid}@x.com"),
        as_of=at("2024-05-01 09:00"),
        idempotency_key=key(),
    )
    world.record(customer(cid, f"{cid}@x.com", "2024-05-01 08:00"))
    world.service.accept_invitation(
        Actor.customer(CustomerId(cid)), InvitationId(f"pr-{cid}/email"), new_account=False,
        signed_instructions="V1001", as_of=at("2024-05-01 10:00"), idempotency_key=key(),
    )  # fmt: skip


class TestBadInputKeepsStateUnchanged:
    def unchanged(
        self, world: World, command: object, error: type[PartnerkitError] = PartnerkitError
    ) -> PartnerkitError:
        before = (world.store.snapshot(), len(world.store.events()), world.store.idempotency_keys())
        with pytest.raises(error) as info:
            command()  # type: ignore[operator]
        assert (
            world.store.snapshot(),
            len(world.store.events()),
            world.store.idempotency_keys(),
        ) == before
        return info.value

    def test_unknown_customer(self, world: World) -> None:
        error = self.unchanged(world, lambda: world.service.preregister(
            admin("p1"), form(), as_of=at("2024-05-01 09:00"), idempotency_key=key(),
            customer_id=CustomerId("nobody"),
        ), NotFoundError)  # fmt: skip
        assert (error.entity, error.key) == ("customers", "nobody")  # type: ignore[attr-defined]

    def test_naive_datetime(self, world: World) -> None:
        error = self.unchanged(world, lambda: world.service.preregister(
            admin("p1"), form(), as_of=datetime(2024, 5, 1, 9), idempotency_key=key(),  # noqa: DTZ001
        ), InvalidArgumentError)  # fmt: skip
        assert error.argument == "as_of"  # type: ignore[attr-defined]

    def test_reason_too_long(self, world: World) -> None:
        associated(world)
        world.service.request_authorization(
            admin("p1"), CustomerId("c1"), authorization_id="a", accept_commitment=True,
            as_of=at("2024-05-02 10:00"), idempotency_key=key(),
        )  # fmt: skip
        c1 = Actor.customer(CustomerId("c1"))
        world.service.respond_to_authorization(c1, "a", agree=True, as_of=at("2024-05-02 11:00"))
        error = self.unchanged(world, lambda: world.service.revoke_authorization(
            c1, "a", reason="y" * 129, as_of=at("2024-05-03 10:00")), InvalidArgumentError)  # fmt: skip
        assert error.rule_id == "R-CUST-116"  # type: ignore[attr-defined]

    def test_invitation_used_twice(self, world: World) -> None:
        associated(world)
        world.record(customer("c2", "c2@x.com", "2024-05-01 08:00"))
        error = self.unchanged(world, lambda: world.service.accept_invitation(
            Actor.customer(CustomerId("c2")), InvitationId("pr-c1/email"), new_account=False,
            signed_instructions="V1001", as_of=at("2024-05-01 11:00"), idempotency_key=key(),
        ), RuleViolationError)  # fmt: skip
        assert error.fields["code"] == "INVITATION_USED"  # type: ignore[attr-defined]

    def test_a_partner_acting_on_another_partners_customer(self, world: World) -> None:
        associated(world, partner="p1")
        for command in (
            lambda: world.service.request_disassociation(
                admin("p2"), CustomerId("c1"), request_id="d", reason="r", acknowledged=True,
                as_of=at("2024-05-02 10:00"), idempotency_key=key()),
            lambda: world.service.request_authorization(
                admin("p2"), CustomerId("c1"), authorization_id="a", accept_commitment=True,
                as_of=at("2024-05-02 10:00"), idempotency_key=key()),
            lambda: world.service.assign_account_manager(
                admin("p2"), CustomerId("c1"), ActorId("am"), as_of=at("2024-05-02 10:00")),
        ):  # fmt: skip
            error = self.unchanged(world, command, PermissionDeniedError)
            assert "NOT_YOUR_CUSTOMER" in (error.reason or "")  # type: ignore[attr-defined]

    def test_unknown_invitation_gives_the_vendor_text(self, world: World) -> None:
        world.record(customer("c1", "c1@x.com", "2024-05-01 08:00"))
        error = self.unchanged(world, lambda: world.service.accept_invitation(
            Actor.customer(CustomerId("c1")), InvitationId("nope"), new_account=True,
            signed_instructions="V1001", as_of=at("2024-05-01 10:00"), idempotency_key=key(),
        ), RuleViolationError)  # fmt: skip
        assert str(error) == "The invitation link does not exist. [R-CUST-36]"

    @pytest.mark.parametrize(
        "command",
        [
            lambda s: s.register_partner("p", actor=VENDOR, as_of=at("2024-01-01 00:00")),
            lambda s: s.record_customer("c", actor=VENDOR, as_of=at("2024-01-01 00:00")),
            lambda s: s.register_partner("p", actor=admin("p1"), as_of=at("2024-01-01 00:00")),
            lambda s: s.preregister(
                admin("p1"), "form", as_of=at("2024-01-01 00:00"), idempotency_key="k"
            ),
            lambda s: s.preregister(
                VENDOR, form(), as_of=at("2024-01-01 00:00"), idempotency_key="k"
            ),
            lambda s: s.preregister(
                "admin", form(), as_of=at("2024-01-01 00:00"), idempotency_key="k"
            ),
            lambda s: s.preregister(
                admin("p1"), form(), as_of=at("2024-01-01 00:00"), idempotency_key=""
            ),
            lambda s: s.accept_invitation(
                admin("p1"),
                "i",
                new_account=True,
                signed_instructions=None,
                as_of=at("2024-01-01 00:00"),
                idempotency_key="k",
            ),
            lambda s: s.preregister(
                admin("zz"), form(), as_of=at("2024-01-01 00:00"), idempotency_key="k"
            ),
        ],
    )
    def test_wrong_arguments_and_actors(self, world: World, command: object) -> None:
        self.unchanged(world, lambda: command(world.service))  # type: ignore[operator]

    def test_service_construction(self) -> None:
        with pytest.raises(InvalidArgumentError):
            CustomerService("not callable")  # type: ignore[arg-type]
        with pytest.raises(InvalidArgumentError):
            CustomerService(World().store.unit_of_work, policy="huawei")  # type: ignore[arg-type]


class TestIdempotency:
    def test_replay_returns_the_first_events_and_conflicts_on_other_arguments(
        self, world: World
    ) -> None:
        k = key()
        first = world.service.preregister(
            admin("p1"), form(), as_of=at("2024-05-01 09:00"), idempotency_key=k
        )
        again = world.service.preregister(
            admin("p1"), form(), as_of=at("2024-05-01 09:05"), idempotency_key=k
        )
        assert again == first
        assert len(world.store.events()) == 4 + 2  # four partners registered, then the first run
        with pytest.raises(IdempotencyConflictError):
            world.service.preregister(
                admin("p1"), form(email="b@x.com"), as_of=at("2024-05-01 09:10"), idempotency_key=k
            )

    def test_accept_replay_rebuilds_the_result(self, world: World) -> None:
        world.service.preregister(
            admin("p1"),
            form("pr-1", "c1@x.com"),
            as_of=at("2024-05-01 09:00"),
            idempotency_key=key(),
        )
        world.record(customer("c1", "c1@x.com", "2024-05-01 08:00"))
        k = key()
        kwargs: dict[str, Any] = {
            "new_account": False,
            "signed_instructions": "V1001",
            "as_of": at("2024-05-01 10:00"),
            "idempotency_key": k,
        }
        first = world.service.accept_invitation(
            Actor.customer(CustomerId("c1")), InvitationId("pr-1/email"), **kwargs
        )
        again = world.service.accept_invitation(
            Actor.customer(CustomerId("c1")), InvitationId("pr-1/email"), **kwargs
        )
        assert again.association == first.association
        assert again.events == first.events


class TestServiceFlows:
    def test_record_failure_keeps_the_failed_attempt(self, world: World) -> None:
        """SM-2: ASSOCIATION_FAILED is recorded when asked to."""
        world.service.preregister(
            admin("p1"),
            form("pr-1", "c1@x.com"),
            as_of=at("2024-05-01 09:00"),
            idempotency_key=key(),
        )
        world.record(customer("c1", "c1@x.com", "2024-04-01 08:00"))
        with pytest.raises(RuleViolationError):
            world.service.accept_invitation(
                Actor.customer(CustomerId("c1")), InvitationId("pr-1/email"), new_account=False,
                signed_instructions="V1001", as_of=at("2024-05-01 10:00"), idempotency_key=key(),
                record_failure=True,
            )  # fmt: skip
        with world.store.unit_of_work() as uow:
            invitation = uow.repository(INVITATIONS).get("pr-1/email")
        assert invitation.status is InvitationStatus.ASSOCIATION_FAILED
        assert invitation.failure_code == "REGISTRATION_TOO_OLD"

    def test_a_recorded_failure_replays_as_a_failure(self, world: World) -> None:
        world.service.preregister(
            admin("p1"),
            form("pr-1", "c1@x.com"),
            as_of=at("2024-05-01 09:00"),
            idempotency_key=key(),
        )
        world.record(customer("c1", "c1@x.com", "2024-04-01 08:00"))
        k = key()
        for _ in range(2):
            with pytest.raises(RuleViolationError) as info:
                world.service.accept_invitation(
                    Actor.customer(CustomerId("c1")), InvitationId("pr-1/email"), new_account=False,
                    signed_instructions="V1001", as_of=at("2024-05-01 10:00"), idempotency_key=k,
                    record_failure=True,
                )  # fmt: skip
            assert info.value.fields["code"] == "REGISTRATION_TOO_OLD"

    def test_review_and_delete(self, world: World) -> None:
        """R-CUST-10 vendor review; R-CUST-14 deletion by the owning partner only."""
        world.record(customer("c1", "c1@x.com", "2024-04-01 08:00"))
        world.service.preregister(
            admin("p1"), form("pr-1", "c1@x.com"), as_of=at("2024-05-01 09:00"), idempotency_key=key(),
            customer_id=CustomerId("c1"), request_review=True,
        )  # fmt: skip
        with pytest.raises(PermissionDeniedError):
            world.service.decide_review(
                admin("p1"), "pr-1", approve=True, as_of=at("2024-05-02 09:00")
            )
        world.service.decide_review(VENDOR, "pr-1", approve=True, as_of=at("2024-05-02 09:00"))
        with pytest.raises(PermissionDeniedError):
            world.service.delete_preregistration(admin("p2"), "pr-1", as_of=at("2024-05-03 09:00"))
        world.service.delete_preregistration(admin("p1"), "pr-1", as_of=at("2024-05-03 09:00"))
        world.service.preregister(admin("p2"), form("pr-2", "c1@x.com"), as_of=at("2024-05-04 09:00"),
                                  idempotency_key=key(), customer_id=CustomerId("c1"), request_review=True)  # fmt: skip
        world.service.decide_review(
            VENDOR, "pr-2", approve=False, as_of=at("2024-05-05 09:00"), reason="no"
        )
        with world.store.unit_of_work() as uow:
            assert (
                uow.repository(PREREGISTRATIONS).get("pr-1").status is PreRegistrationStatus.DELETED
            )
            assert (
                uow.repository(PREREGISTRATIONS).get("pr-2").status
                is PreRegistrationStatus.REVIEW_REJECTED
            )

    def test_customer_email_must_match(self, world: World) -> None:
        world.record(customer("c1", "c1@x.com", "2024-05-01 08:00"))
        with pytest.raises(InvalidArgumentError) as info:
            world.service.preregister(admin("p1"), form("pr-1", "other@x.com"), as_of=at("2024-05-01 09:00"),
                                      idempotency_key=key(), customer_id=CustomerId("c1"))  # fmt: skip
        assert info.value.rule_id == "R-CUST-12"

    def test_duplicate_pre_registration_id(self, world: World) -> None:
        world.service.preregister(
            admin("p1"),
            form("pr-1", "a@x.com"),
            as_of=at("2024-05-01 09:00"),
            idempotency_key=key(),
        )
        with pytest.raises(RuleViolationError):
            world.service.preregister(
                admin("p2"),
                form("pr-1", "b@x.com"),
                as_of=at("2024-05-01 09:00"),
                idempotency_key=key(),
            )

    def test_reseller_recruitment_through_the_service(self, world: World) -> None:
        """R-CUST-29 and eligibility.md 3.5 end to end."""
        candidate = ResellerCandidate(PartnerId("r2"), "Kowloon", "HK")
        world.service.invite_reseller(
            admin("d1"), candidate, as_of=at("2024-05-01 09:00"), idempotency_key=key()
        )
        world.service.accept_reseller_invitation(
            VENDOR,
            PartnerId("d1"),
            candidate,
            role=PartnerRole.RESELLER,
            as_of=at("2024-05-02 09:00"),
        )
        with world.store.unit_of_work() as uow:
            assert uow.repository(PARTNERS).get("r2").distributor_id == "d1"
            assert uow.repository(RESELLER_INVITATIONS).get("d1/r2").status.value == "associated"
        with pytest.raises(PermissionDeniedError):
            world.service.invite_reseller(
                admin("p1"), candidate, as_of=at("2024-05-01 09:00"), idempotency_key=key()
            )

    def test_alerts_through_the_service(self, world: World) -> None:
        """R-CUST-140: ingest once; another partner cannot handle it."""
        associated(world)
        alert = CustomerAlert(
            "al", CustomerId("c1"), PartnerId("p1"), "churn", at("2024-05-09 19:16")
        )
        assert world.service.raise_alert(alert, actor=VENDOR, as_of=at("2024-05-09 19:16"))
        assert world.service.raise_alert(alert, actor=VENDOR, as_of=at("2024-05-09 19:17")) == ()
        with pytest.raises(PermissionDeniedError):
            world.service.handle_alert(
                admin("p2"),
                "al",
                customer_lost=True,
                loss_reason=LossReason.OTHER,
                as_of=at("2024-05-10 09:00"),
            )
        world.service.handle_alert(
            admin("p1"),
            "al",
            customer_lost=True,
            loss_reason=LossReason.OTHER,
            as_of=at("2024-05-10 09:00"),
        )

    def test_account_manager_sees_only_its_own_customers(self, world: World) -> None:
        """R-CUST-130 through the service: an AM cannot assign a customer it does not manage."""
        associated(world)
        with pytest.raises(PermissionDeniedError) as info:
            world.service.assign_account_manager(
                account_manager("p1", "am9"),
                CustomerId("c1"),
                ActorId("am9"),
                as_of=at("2024-05-02 10:00"),
            )
        assert info.value.rule_id == "R-CUST-130"

    def test_only_the_right_side_answers(self, world: World) -> None:
        """R-CUST-94 and R-CUST-115: the counterparty answers; another customer cannot."""
        associated(world, "c1")
        associated(world, "c2")
        world.service.request_disassociation(admin("p1"), CustomerId("c1"), request_id="d", reason="r", acknowledged=True,
                                             as_of=at("2024-05-02 10:00"), idempotency_key=key())  # fmt: skip
        with pytest.raises(PermissionDeniedError):
            world.service.respond_to_disassociation(
                Actor.customer(CustomerId("c2")), "d", agree=True, as_of=at("2024-05-03 10:00")
            )
        with pytest.raises(PermissionDeniedError):
            world.service.request_disassociation(Actor.customer(CustomerId("c2")), CustomerId("c1"), request_id="e", reason="r",
                                                 acknowledged=True, as_of=at("2024-05-02 10:00"), idempotency_key=key())  # fmt: skip
        world.service.request_authorization(admin("p1"), CustomerId("c2"), authorization_id="a", accept_commitment=True,
                                            as_of=at("2024-05-02 10:00"), idempotency_key=key())  # fmt: skip
        with pytest.raises(PermissionDeniedError):
            world.service.respond_to_authorization(
                Actor.customer(CustomerId("c1")), "a", agree=True, as_of=at("2024-05-03 10:00")
            )
        world.service.respond_to_authorization(
            Actor.customer(CustomerId("c2")), "a", agree=True, as_of=at("2024-05-03 10:00")
        )
        with pytest.raises(PermissionDeniedError):
            world.service.revoke_authorization(
                Actor.customer(CustomerId("c1")), "a", reason="r", as_of=at("2024-05-04 10:00")
            )
        with pytest.raises(PermissionDeniedError):
            world.service.check_on_behalf(
                Actor.customer(CustomerId("c1")),
                CustomerId("c1"),
                product="ECS",
                as_of=at("2024-05-04 10:00"),
            )

    def test_setting_the_same_facts_is_a_no_op(self, world: World) -> None:
        facts = customer("c1", "c1@x.com", "2024-05-01 08:00")
        assert world.service.record_customer(facts, actor=VENDOR, as_of=at("2024-05-01 09:00"))
        assert (
            world.service.record_customer(facts, actor=VENDOR, as_of=at("2024-05-01 10:00")) == ()
        )

    def test_replay_reproduces_the_store(self, world: World) -> None:
        associated(world)
        stored = {
            (name, k): attrs.evolve(v, version=0)
            for name, table in world.store.snapshot().items()
            for k, v in table.items()
            if name != "delegations"  # the fixture seeds this one without an event
        }
        assert replay(world.store.events()) == stored


class TestVerificationCodes:
    """R-CUST-147 / G-25: critical operations check the actor's code through the Verifier port."""

    def service(self, world: World) -> CustomerService:
        codes = {ActorId("d1-admin"): "111", ActorId("p1-admin"): "222", ActorId("c1"): "333"}
        return CustomerService(world.store.unit_of_work, verifier=StaticVerifier(codes))

    def test_delegation_always_needs_the_code(self, world: World) -> None:
        service = self.service(world)
        with pytest.raises(PermissionDeniedError) as info:
            service.change_delegation(
                admin("d1"),
                PartnerId("r1"),
                as_of=at("2024-05-01 09:00"),
                on_behalf_authorized=True,
                accept_commitment=True,
            )
        assert info.value.rule_id == "R-CUST-147"
        service.change_delegation(
            admin("d1"), PartnerId("r1"), as_of=at("2024-05-01 09:00"), on_behalf_authorized=True,
            accept_commitment=True, verification_code="111",
        )  # fmt: skip

    def test_partner_disassociation_needs_it_only_when_enabled(self, world: World) -> None:
        associated(world)
        service = self.service(world)
        service.request_disassociation(admin("p1"), CustomerId("c1"), request_id="d1", reason="r", acknowledged=True,
                                       as_of=at("2024-05-02 10:00"), idempotency_key=key())  # fmt: skip
        service.respond_to_disassociation(
            Actor.customer(CustomerId("c1")), "d1", agree=False, as_of=at("2024-05-03 10:00")
        )
        strict = attrs.evolve(_partner(world, "p1"), verification_code_enabled=True)
        world.service.register_partner(strict, actor=VENDOR, as_of=at("2024-05-03 11:00"))
        with pytest.raises(PermissionDeniedError):
            service.request_disassociation(admin("p1"), CustomerId("c1"), request_id="d2", reason="r", acknowledged=True,
                                           as_of=at("2024-09-01 10:00"), idempotency_key=key())  # fmt: skip
        service.request_disassociation(admin("p1"), CustomerId("c1"), request_id="d2", reason="r", acknowledged=True,
                                       as_of=at("2024-09-01 10:00"), idempotency_key=key(), verification_code="222")  # fmt: skip

    def test_customers_always_give_their_code(self, world: World) -> None:
        associated(world)
        service = self.service(world)
        c1 = Actor.customer(CustomerId("c1"))
        with pytest.raises(PermissionDeniedError):
            service.request_disassociation(c1, CustomerId("c1"), request_id="d", reason="r", acknowledged=True,
                                           as_of=at("2024-05-02 10:00"), idempotency_key=key())  # fmt: skip
        service.request_authorization(admin("p1"), CustomerId("c1"), authorization_id="a", accept_commitment=True,
                                      as_of=at("2024-05-02 10:00"), idempotency_key=key())  # fmt: skip
        with pytest.raises(PermissionDeniedError):
            service.respond_to_authorization(c1, "a", agree=True, as_of=at("2024-05-02 11:00"))
        service.respond_to_authorization(
            c1, "a", agree=True, as_of=at("2024-05-02 11:00"), verification_code="333"
        )
        with pytest.raises(PermissionDeniedError):
            service.revoke_authorization(
                c1, "a", reason="r", as_of=at("2024-05-03 10:00"), verification_code="999"
            )
        service.revoke_authorization(
            c1, "a", reason="r", as_of=at("2024-05-03 10:00"), verification_code="333"
        )

    def test_partner_processing_needs_it_when_enabled(self, world: World) -> None:
        associated(world)
        service = self.service(world)
        world.service.register_partner(attrs.evolve(_partner(world, "p1"), verification_code_enabled=True),
                                       actor=VENDOR, as_of=at("2024-05-01 11:00"))  # fmt: skip
        service.request_disassociation(Actor.customer(CustomerId("c1")), CustomerId("c1"), request_id="d", reason="r",
                                       acknowledged=True, as_of=at("2024-05-02 10:00"), idempotency_key=key(),
                                       verification_code="333")  # fmt: skip
        with pytest.raises(PermissionDeniedError):
            service.respond_to_disassociation(
                admin("p1"), "d", agree=False, as_of=at("2024-05-03 10:00")
            )
        service.respond_to_disassociation(
            admin("p1"), "d", agree=False, as_of=at("2024-05-03 10:00"), verification_code="222"
        )

    def test_static_verifier_needs_real_codes(self) -> None:
        with pytest.raises(InvalidArgumentError):
            StaticVerifier({ActorId("a"): ""})


def _delegation(world: World) -> ResellerDelegation:
    with world.store.unit_of_work() as uow:
        stored = uow.repository(DELEGATIONS).get("r1")
    assert stored.marketing_tasks_entrusted
    return stored


def _partner(world: World, partner_id: str) -> Partner:
    with world.store.unit_of_work() as uow:
        return uow.repository(PARTNERS).get(partner_id)


class TestMoreRules:
    def test_ticket_association_has_no_default_freeze(self, world: World) -> None:
        """R-CUST-39: an association made through a ticket skips the default freeze; one partner still."""
        world.record(customer("c1", "c1@x.com", "2024-01-01 08:00"))
        events = world.service.associate_by_ticket(CustomerId("c1"), PartnerId("p1"), association_type=AssociationType.RESELLER,
                                                   actor=VENDOR, as_of=at("2024-05-01 10:00"))  # fmt: skip
        assert getattr(events[0], "default_freeze", None) is False
        with pytest.raises(RuleViolationError):
            world.service.associate_by_ticket(CustomerId("c1"), PartnerId("p2"), association_type=AssociationType.RESELLER,
                                              actor=VENDOR, as_of=at("2024-05-02 10:00"))  # fmt: skip
        with pytest.raises(RuleViolationError):
            world.service.associate_by_ticket(CustomerId("c1"), PartnerId("r1"), association_type=AssociationType.REFERRAL,
                                              actor=VENDOR, as_of=at("2024-05-02 10:00"))  # fmt: skip
        with pytest.raises(PermissionDeniedError):
            world.service.associate_by_ticket(CustomerId("c1"), PartnerId("p2"), association_type=AssociationType.RESELLER,
                                              actor=admin("p2"), as_of=at("2024-05-02 10:00"))  # fmt: skip

    def test_marketing_entrustment(self, world: World) -> None:
        """R-CUST-69: the reseller entrusts its marketing tasks and may cancel at any time."""
        events = world.service.entrust_marketing(
            admin("r1"), entrust=True, as_of=at("2024-05-01 10:00")
        )
        (snapshot,) = events[0].snapshots()
        assert snapshot == attrs.evolve(_delegation(world), version=snapshot.version)  # type: ignore[attr-defined]
        assert (
            world.service.entrust_marketing(admin("r1"), entrust=True, as_of=at("2024-05-01 11:00"))
            == ()
        )
        world.service.entrust_marketing(admin("r1"), entrust=False, as_of=at("2024-05-02 10:00"))
        with pytest.raises(NotFoundError):
            world.service.entrust_marketing(admin("p1"), entrust=True, as_of=at("2024-05-02 10:00"))

    def test_authorization_scope(self, world: World) -> None:
        """R-CUST-117: the six permission items the customer sees."""
        associated(world)
        world.service.request_authorization(admin("p1"), CustomerId("c1"), authorization_id="a", accept_commitment=True,
                                            as_of=at("2024-05-02 10:00"), idempotency_key=key())  # fmt: skip
        with world.store.unit_of_work() as uow:
            scope = uow.repository(AUTHORIZATIONS).get("a").scope
        assert len(scope) == 6
        assert scope[-1] == "create and view work orders"

    def test_links_are_kept_with_their_inviter(self, world: World) -> None:
        """R-CUST-23 the link carries the inviting user; R-CUST-26 generated links are kept."""
        for i in range(2):
            world.service.generate_link(admin("p1"), invitation_id=InvitationId(f"g{i}"), method=InvitationMethod.GENERAL_LINK,
                                        as_of=at("2024-05-01 09:00"), idempotency_key=key())  # fmt: skip
        with world.store.unit_of_work() as uow:
            links = uow.repository(INVITATIONS).list_by_owner("p1")
        assert [(i.id, i.inviter) for i in links] == [("g0", "p1-admin"), ("g1", "p1-admin")]

    def test_email_invitations_only_for_pre_registered_customers(self, world: World) -> None:
        """R-CUST-17 and R-CUST-18: a historical (never pre-registered) customer gets no email invitation."""
        with pytest.raises(NotFoundError):
            world.service.send_invitation(admin("p1"), "never", invitation_id=InvitationId("i"),
                                          as_of=at("2024-05-01 09:00"), idempotency_key=key())  # fmt: skip

    def test_resellers_customers_are_billed_through_the_distributor(self, world: World) -> None:
        """R-CUST-02: a reseller's customer records the distributor the vendor bills."""
        associated(world, "c1", partner="r1")
        with world.store.unit_of_work() as uow:
            association = uow.repository(ASSOCIATIONS).get("c1")
        assert (association.partner_id, association.distributor_id) == ("r1", "d1")

    def test_account_manager_history_and_alert_handler(self, world: World) -> None:
        """R-CUST-132 history is kept; R-CUST-135 and R-CUST-136 the auto-assigned AM handles alerts."""
        world.service.generate_link(account_manager("p1", "am01"), invitation_id=InvitationId("am"), method=InvitationMethod.GENERAL_LINK,
                                    as_of=at("2024-05-01 09:00"), idempotency_key=key())  # fmt: skip
        world.record(customer("c1", "c1@x.com", "2024-05-01 08:00"))
        world.service.accept_invitation(Actor.customer(CustomerId("c1")), InvitationId("am"), new_account=True,
                                        signed_instructions="V1001", as_of=at("2024-05-01 10:00"), idempotency_key=key())  # fmt: skip
        world.service.assign_account_manager(
            admin("p1"),
            CustomerId("c1"),
            ActorId("am02"),
            as_of=at("2024-05-05 10:00"),
            change=True,
        )
        with world.store.unit_of_work() as uow:
            history = uow.repository(ASSIGNMENTS).get("c1").history
        assert [h[0] for h in history] == ["am01"]
        alert = CustomerAlert(
            "al", CustomerId("c1"), PartnerId("p1"), "churn", at("2024-05-09 19:16")
        )
        world.service.raise_alert(alert, actor=VENDOR, as_of=at("2024-05-09 19:16"))
        with pytest.raises(PermissionDeniedError):
            world.service.handle_alert(
                account_manager("p1", "am01"),
                "al",
                customer_lost=True,
                loss_reason=LossReason.OTHER,
                as_of=at("2024-05-10 09:00"),
            )
        world.service.handle_alert(
            account_manager("p1", "am02"),
            "al",
            customer_lost=True,
            loss_reason=LossReason.OTHER,
            as_of=at("2024-05-10 09:00"),
        )

    def test_alert_visibility(self) -> None:
        """R-CUST-142: admins and directors see all alerts; an AM only its own customers'."""
        csp = Partner(PartnerId("p1"), PartnerRole.CSP, "HK")
        target = Association(
            CustomerId("c"), csp.id, AssociationType.RESELLER, at("2024-05-01 10:00")
        )
        director = Actor.partner_user(ActorId("ad"), csp.id, {OrgRole.ACCOUNT_DIRECTOR})
        assert evaluate_permission(
            director,
            Action.VIEW_CUSTOMER,
            partner=csp,
            association=target,
            account_manager=ActorId("am"),
        ).allowed
        am = account_manager("p1", "am9")
        assert not evaluate_permission(
            am, Action.VIEW_CUSTOMER, partner=csp, association=target, account_manager=ActorId("am")
        ).allowed


def test_on_behalf_check_includes_the_users_own_permission(world: World) -> None:
    """R-CUST-113 with R-CUST-130: a finance user may not order on behalf even with an authorization."""
    associated(world)
    world.service.request_authorization(admin("p1"), CustomerId("c1"), authorization_id="a", accept_commitment=True,
                                        as_of=at("2024-05-02 10:00"), idempotency_key=key())  # fmt: skip
    world.service.respond_to_authorization(
        Actor.customer(CustomerId("c1")), "a", agree=True, as_of=at("2024-05-02 11:00")
    )
    finance = Actor.partner_user(ActorId("fin"), PartnerId("p1"), {OrgRole.FINANCE_SPECIALIST})
    decision = world.service.check_on_behalf(
        finance, CustomerId("c1"), product="ECS", as_of=at("2024-05-03 10:00")
    )
    assert decision.codes == ("MISSING_PERMISSION",)
    assert world.service.check_on_behalf(
        admin("p1"), CustomerId("c1"), product="ECS", as_of=at("2024-05-03 10:00")
    ).allowed
