"""The customer services at their edge: bad input, permissions, idempotency, nothing lost."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs
import pytest
from tests.support.world import VENDOR, World, account_manager, admin, at, customer

from partnerkit.customers import (
    CustomerAlert,
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
from partnerkit.partners import PartnerRole, ResellerCandidate
from partnerkit.permissions import Actor
from partnerkit.services.customers import (
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
