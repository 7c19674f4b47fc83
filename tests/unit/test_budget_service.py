"""Budget services over the shared store: permissions (4.8), quotas, usage, freezes, bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest
from tests.support.world import VENDOR, World, admin, at, customer

from partnerkit.adapters.verification import StaticVerifier
from partnerkit.budget import (
    BudgetRecipient,
    BudgetThresholdReached,
    BudgetType,
    FreezeCause,
    FreezeMode,
    FreezeScope,
    Operation,
)
from partnerkit.customers import InvitationMethod
from partnerkit.errors import (
    InvalidArgumentError,
    NotFoundError,
    PartnerkitError,
    PermissionDeniedError,
    RuleViolationError,
)
from partnerkit.ids import ActorId, CustomerId, IdempotencyKey, InvitationId, PartnerId
from partnerkit.money import Currency, Money
from partnerkit.partners import AssociationType
from partnerkit.permissions import Actor, OrgRole
from partnerkit.services.budgets import BudgetService

K = iter(range(10**6))
SYSTEM = Actor.system()


def key() -> IdempotencyKey:
    return IdempotencyKey(f"b-{next(K)}")


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


class Setup:
    """Customers c-p1 (CSP p1), c-d1 (distributor d1) and c-r1 (reseller r1 of d1)."""

    def __init__(self) -> None:
        self.world = World()
        self.budgets = BudgetService(self.world.store.unit_of_work)
        for partner in ("p1", "d1", "r1"):
            self.associate(partner, f"c-{partner}")
        self.budgets.sync(self.world.store.events(), as_of=at("2024-06-03 12:00"))

    def associate(self, partner: str, cid: str) -> None:
        self.world.service.generate_link(
            admin(partner), invitation_id=InvitationId(f"link-{cid}"), method=InvitationMethod.GENERAL_LINK,
            as_of=at("2024-06-03 09:00"), idempotency_key=key(),
        )  # fmt: skip
        self.world.record(customer(cid, f"{cid}@x.com", "2024-06-03 08:00"))
        self.world.service.accept_invitation(
            Actor.customer(CustomerId(cid)), InvitationId(f"link-{cid}"), new_account=True,
            signed_instructions="V1001", as_of=at("2024-06-03 10:00"), idempotency_key=key(),
        )  # fmt: skip

    def set(self, actor: Actor, cid: str, amount: str = "100.00", **kw: object) -> object:
        return self.budgets.set_budget(
            actor, CustomerId(cid), budget_type=kw.pop("budget_type", BudgetType.MONTHLY),  # type: ignore[arg-type]
            amount=usd(amount), freeze_mode=FreezeMode.AUTOMATIC, as_of=at("2024-06-04 10:00"), **kw,  # type: ignore[arg-type]
        )  # fmt: skip

    def delegate(self, monthly: str = "100.00", one_time: str = "50.00") -> None:
        self.budgets.set_quota(
            admin("d1"),
            PartnerId("r1"),
            monthly=usd(monthly),
            one_time=usd(one_time),
            as_of=at("2024-06-03 13:00"),
        )


@pytest.fixture
def setup() -> Setup:
    return Setup()


def allowed(command: object) -> bool:
    try:
        command()  # type: ignore[operator]
    except PermissionDeniedError:
        return False
    return True


class TestMatrix48:
    """customers.md 4.8: one allow and one deny per row (R-CUST-43, R-CUST-47, R-CUST-56, R-CUST-61..63)."""

    def test_set_budget_csp(self, setup: Setup) -> None:
        assert allowed(lambda: setup.set(admin("p1"), "c-p1"))
        assert not allowed(lambda: setup.set(admin("p1"), "c-d1"))

    def test_set_budget_distributor_own(self, setup: Setup) -> None:
        assert allowed(lambda: setup.set(admin("d1"), "c-d1"))
        assert not allowed(lambda: setup.set(admin("d1"), "c-p1"))

    def test_set_budget_distributor_on_resellers_customers(self, setup: Setup) -> None:
        assert allowed(lambda: setup.set(admin("d1"), "c-r1"))
        setup.delegate()
        assert not allowed(lambda: setup.set(admin("d1"), "c-r1", "90.00"))

    def test_set_budget_reseller(self, setup: Setup) -> None:
        assert not allowed(lambda: setup.set(admin("r1"), "c-r1"))
        setup.delegate()
        assert allowed(lambda: setup.set(admin("r1"), "c-r1"))
        with pytest.raises(RuleViolationError) as info:
            setup.set(admin("r1"), "c-r1", "100.01")
        assert info.value.rule_id == "R-CUST-65"

    def test_choose_freeze_mode_follows_budget_rights(self, setup: Setup) -> None:
        setup.delegate()
        assert allowed(lambda: setup.budgets.set_budget(
            admin("r1"), CustomerId("c-r1"), budget_type=BudgetType.MONTHLY, amount=usd("10.00"),
            freeze_mode=FreezeMode.MANUAL, as_of=at("2024-06-04 10:00")))  # fmt: skip
        assert not allowed(lambda: setup.budgets.set_budget(
            admin("d1"), CustomerId("c-r1"), budget_type=BudgetType.MONTHLY, amount=usd("10.00"),
            freeze_mode=FreezeMode.AUTOMATIC, as_of=at("2024-06-04 10:00")))  # fmt: skip

    def test_threshold_emails_reach_the_right_partners(self, setup: Setup) -> None:
        setup.set(admin("d1"), "c-r1", "10.00")
        setup.set(admin("p1"), "c-p1", "10.00")
        for cid, expected in (("c-r1", {"partner:r1", "partner:d1"}), ("c-p1", {"partner:p1"})):
            events = setup.budgets.record_usage(
                CustomerId(cid),
                usd("10.00"),
                at=at("2024-06-05 10:00"),
                actor=SYSTEM,
                idempotency_key=key(),
            )
            alert = next(e for e in events if isinstance(e, BudgetThresholdReached))
            assert {r for r in alert.recipients if r.startswith("partner:")} == expected

    def test_budget_recipients_per_partner(self, setup: Setup) -> None:
        recipient = BudgetRecipient("Finance", email="fin@r1.example")
        setup.budgets.set_budget_recipients(admin("r1"), [recipient], as_of=at("2024-06-04 10:00"))
        assert setup.budgets.budget_recipients(PartnerId("r1")) == (recipient,)
        finance = Actor.partner_user(ActorId("f"), PartnerId("p1"), {OrgRole.FINANCE_SPECIALIST})
        assert not allowed(
            lambda: setup.budgets.set_budget_recipients(
                finance, [recipient], as_of=at("2024-06-04 10:00")
            )
        )

    def test_set_reseller_quotas(self, setup: Setup) -> None:
        assert allowed(setup.delegate)
        assert not allowed(
            lambda: setup.budgets.set_quota(
                admin("p1"),
                PartnerId("r1"),
                monthly=usd("1"),
                one_time=usd("1"),
                as_of=at("2024-06-03 13:00"),
            )
        )
        assert not allowed(
            lambda: setup.budgets.set_quota(
                admin("r1"),
                PartnerId("r1"),
                monthly=usd("1"),
                one_time=usd("1"),
                as_of=at("2024-06-03 13:00"),
            )
        )


class TestFlows:
    def test_demo_timeline(self, setup: Setup) -> None:
        """R-CUST-47, R-CUST-49, R-CUST-50: cross 75/90/100 %, auto-freeze, unfreeze without a raise, re-freeze."""
        setup.set(admin("p1"), "c-p1", "100.00", unfreeze_now=True)
        fired: list[Decimal] = []
        for amount, hour in (("75.00", "10:00"), ("15.00", "11:00"), ("10.00", "12:00")):
            events = setup.budgets.record_usage(
                CustomerId("c-p1"),
                usd(amount),
                at=at(f"2024-06-05 {hour}"),
                actor=SYSTEM,
                idempotency_key=key(),
            )
            fired += [e.threshold for e in events if isinstance(e, BudgetThresholdReached)]
        assert fired == [75, 90, 100]
        assert setup.budgets.account(CustomerId("c-p1")).causes == {FreezeCause.BUDGET_AUTO}
        setup.budgets.unfreeze(admin("p1"), CustomerId("c-p1"), scope=FreezeScope.ACCOUNT, reason="customer request",
                               as_of=at("2024-06-05 12:10"), idempotency_key=key())  # fmt: skip
        assert setup.budgets.check_operation(
            CustomerId("c-p1"), Operation.PAY_PER_USE_PURCHASE, as_of=at("2024-06-05 12:20")
        ).codes == ("BUDGET_EXHAUSTED",)
        setup.budgets.recheck([CustomerId("c-p1")], as_of=at("2024-06-05 13:00"))
        assert setup.budgets.account(CustomerId("c-p1")).automatically_frozen

    def test_default_freeze_comes_from_the_association(self, setup: Setup) -> None:
        """R-CUST-32: the association event opens a frozen account; R-CUST-52 Unfreeze Now activates it."""
        assert setup.budgets.account(CustomerId("c-d1")).causes == {FreezeCause.ASSOCIATION_DEFAULT}
        setup.set(admin("d1"), "c-d1", "100.00", unfreeze_now=True)
        assert not setup.budgets.account(CustomerId("c-d1")).frozen

    def test_disassociation_ends_budget_and_holds(self, setup: Setup) -> None:
        """R-CUST-95 / G-26: the budget and the partner's holds end with the association."""
        setup.set(admin("p1"), "c-p1", "100.00")
        setup.world.service.request_disassociation(admin("p1"), CustomerId("c-p1"), request_id="d", reason="r", acknowledged=True,
                                                   as_of=at("2024-06-06 10:00"), idempotency_key=key())  # fmt: skip
        events = setup.world.service.respond_to_disassociation(
            Actor.customer(CustomerId("c-p1")), "d", agree=True, as_of=at("2024-06-07 10:00")
        )
        closed = setup.budgets.sync(events, as_of=at("2024-06-07 10:00"))
        assert [e.name for e in closed] == ["BudgetWithdrawn", "CustomerUnfrozen"]
        account = setup.budgets.account(CustomerId("c-p1"))
        assert account.budget is None
        assert not account.frozen

    def test_withdraw_and_recheck_partner(self, setup: Setup) -> None:
        """R-CUST-60 and G-32: a withdrawn budget leaves the customer unable to purchase."""
        setup.set(admin("p1"), "c-p1", "100.00", unfreeze_now=True)
        setup.budgets.withdraw_budget(admin("p1"), CustomerId("c-p1"), as_of=at("2024-06-05 10:00"))
        assert setup.budgets.check_operation(
            CustomerId("c-p1"), Operation.YEARLY_MONTHLY_PURCHASE, as_of=at("2024-06-05 11:00")
        ).codes == ("NO_BUDGET",)
        assert setup.budgets.recheck_partner(PartnerId("p1"), as_of=at("2024-07-01 00:00")) == ()

    def test_ingest_through_the_service(self, setup: Setup) -> None:
        setup.set(admin("p1"), "c-p1", "100.00")
        events = setup.budgets.ingest(
            [(CustomerId("c-p1"), Decimal("80"), at("2024-06-05 10:00")), (CustomerId("nobody"), Decimal("1"), at("2024-06-05 10:00"))],
            currency=Currency("USD"), actor=SYSTEM, as_of=at("2024-06-05 10:00"), idempotency_key=key(),
        )  # fmt: skip
        assert [e.name for e in events] == ["BudgetThresholdReached", "UsageRecorded"]
        account = setup.budgets.account(CustomerId("c-p1"))
        assert account.budget is not None
        assert account.budget.consumed == usd("80")

    def test_freeze_and_escalate_through_the_service(self, setup: Setup) -> None:
        """R-CUST-70, R-CUST-71: an authorized partner freezes; the same freeze twice changes nothing."""
        k = key()
        for _ in range(2):
            setup.budgets.freeze(admin("p1"), CustomerId("c-p1"), scope=FreezeScope.ACCOUNT_AND_RESOURCES, reason="arrears",
                                 as_of=at("2024-06-05 10:00"), idempotency_key=k)  # fmt: skip
        assert setup.budgets.account(CustomerId("c-p1")).scope is FreezeScope.ACCOUNT_AND_RESOURCES
        with pytest.raises(PermissionDeniedError):
            setup.budgets.freeze(admin("r1"), CustomerId("c-r1"), scope=FreezeScope.ACCOUNT, reason="x",
                                 as_of=at("2024-06-05 10:00"), idempotency_key=key())  # fmt: skip

    def test_verification_codes_when_enabled(self, setup: Setup) -> None:
        """EX-53 / R-CUST-55, R-CUST-76, R-BILL-70, R-ELIG-119: critical operations need the code."""
        import attrs

        from partnerkit.services.customers import PARTNERS

        with setup.world.store.unit_of_work() as uow:
            p1 = uow.repository(PARTNERS).get("p1")
        setup.world.service.register_partner(
            attrs.evolve(p1, verification_code_enabled=True),
            actor=VENDOR,
            as_of=at("2024-06-04 09:00"),
        )
        strict = BudgetService(
            setup.world.store.unit_of_work, verifier=StaticVerifier({ActorId("p1-admin"): "123"})
        )
        with pytest.raises(PermissionDeniedError) as info:
            strict.set_budget(admin("p1"), CustomerId("c-p1"), budget_type=BudgetType.MONTHLY, amount=usd("1.00"),
                              freeze_mode=FreezeMode.MANUAL, as_of=at("2024-06-04 10:00"))  # fmt: skip
        assert info.value.rule_id == "R-CUST-147"
        strict.set_budget(admin("p1"), CustomerId("c-p1"), budget_type=BudgetType.MONTHLY, amount=usd("1.00"),
                          freeze_mode=FreezeMode.MANUAL, as_of=at("2024-06-04 10:00"), verification_code="123")  # fmt: skip
        with pytest.raises(PermissionDeniedError):
            strict.freeze(
                admin("p1"),
                CustomerId("c-p1"),
                scope=FreezeScope.ACCOUNT,
                reason="r",
                as_of=at("2024-06-04 11:00"),
                idempotency_key=key(),
            )
        strict.freeze(admin("p1"), CustomerId("c-p1"), scope=FreezeScope.ACCOUNT, reason="r", as_of=at("2024-06-04 11:00"),
                      idempotency_key=key(), verification_code="123")  # fmt: skip
        with pytest.raises(PermissionDeniedError):
            strict.unfreeze(
                admin("p1"),
                CustomerId("c-p1"),
                scope=FreezeScope.ACCOUNT,
                reason="r",
                as_of=at("2024-06-04 12:00"),
                idempotency_key=key(),
            )


class TestBadInput:
    def unchanged(self, setup: Setup, command: object) -> None:
        before = (setup.world.store.snapshot(), len(setup.world.store.events()))
        with pytest.raises(PartnerkitError):
            command()  # type: ignore[operator]
        assert (setup.world.store.snapshot(), len(setup.world.store.events())) == before

    @pytest.mark.parametrize(
        "amount",
        [usd("-1.00"), usd("1.001"), "10", None],
    )
    def test_bad_amounts(self, setup: Setup, amount: object) -> None:
        """G-01 and R-CUST-42: 2-decimal non-negative amounts only."""
        self.unchanged(setup, lambda: setup.budgets.set_budget(
            admin("p1"), CustomerId("c-p1"), budget_type=BudgetType.MONTHLY, amount=amount,  # type: ignore[arg-type]
            freeze_mode=FreezeMode.MANUAL, as_of=at("2024-06-04 10:00")))  # fmt: skip

    def test_referral_customers_have_no_budget(self, setup: Setup) -> None:
        """R-CUST-42 / G-34 / G-35: budgets and freezes are for reseller-model customers only."""
        setup.world.record(customer("c-ref", "ref@x.com", "2024-06-03 08:00"))
        events = setup.world.service.associate_by_ticket(CustomerId("c-ref"), PartnerId("p1"), association_type=AssociationType.REFERRAL,
                                                         actor=VENDOR, as_of=at("2024-06-03 11:00"))  # fmt: skip
        setup.budgets.sync(events, as_of=at("2024-06-03 11:00"))
        self.unchanged(setup, lambda: setup.set(admin("p1"), "c-ref"))
        self.unchanged(setup, lambda: setup.budgets.freeze(admin("p1"), CustomerId("c-ref"), scope=FreezeScope.ACCOUNT, reason="r",
                                                           as_of=at("2024-06-04 10:00"), idempotency_key=key()))  # fmt: skip
        assert setup.budgets.check_operation(
            CustomerId("c-ref"), Operation.YEARLY_MONTHLY_PURCHASE, as_of=at("2024-06-04 10:00")
        ).allowed

    @pytest.mark.parametrize(
        "command",
        [
            lambda s: s.budgets.record_usage(CustomerId("c-p1"), 1.5, at=at("2024-06-05 10:00"), actor=SYSTEM, idempotency_key="k"),
            lambda s: s.budgets.record_usage(CustomerId("c-p1"), usd("1"), at=at("2024-06-05 10:00"), actor=admin("p1"), idempotency_key="k"),
            lambda s: s.budgets.record_usage(CustomerId("nobody"), usd("1"), at=at("2024-06-05 10:00"), actor=SYSTEM, idempotency_key="k"),
            lambda s: s.budgets.check_operation(CustomerId("c-p1"), "buy", as_of=at("2024-06-05 10:00")),
            lambda s: s.budgets.set_budget_recipients(admin("p1"), ["fin@x.com"], as_of=at("2024-06-05 10:00")),
            lambda s: s.budgets.freeze(Actor.customer(CustomerId("c-p1")), CustomerId("c-p1"), scope=FreezeScope.ACCOUNT, reason="r",
                                       as_of=at("2024-06-05 10:00"), idempotency_key="k"),
            lambda s: s.budgets.ingest([(CustomerId("c-p1"), 1.5, at("2024-06-05 10:00"))], currency=Currency("USD"), actor=SYSTEM,
                                       as_of=at("2024-06-05 10:00"), idempotency_key="k"),
            lambda s: s.budgets.set_budget(admin("p1"), CustomerId("c-p1"), budget_type=BudgetType.MONTHLY, amount=usd("1"),
                                           freeze_mode=FreezeMode.MANUAL, as_of=at("2024-06-05 10:00"), unfreeze_now="yes"),
        ],
    )  # fmt: skip
    def test_bad_commands(self, setup: Setup, command: object) -> None:
        setup.set(admin("p1"), "c-p1", "100.00")
        self.unchanged(setup, lambda: command(setup))  # type: ignore[operator]

    def test_unknown_customer_and_construction(self, setup: Setup) -> None:
        with pytest.raises(NotFoundError):
            setup.budgets.account(CustomerId("nobody"))
        with pytest.raises(InvalidArgumentError):
            BudgetService("no")  # type: ignore[arg-type]
        with pytest.raises(InvalidArgumentError):
            BudgetService(setup.world.store.unit_of_work, policy="huawei")  # type: ignore[arg-type]
