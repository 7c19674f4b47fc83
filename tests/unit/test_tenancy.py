"""Tenancy: a partner never reads or writes another partner's customers, bills or earnings.

Partners p1 and p2 share one store.  Every cross-tenant read through a
service (given the reading actor) and every cross-tenant write is refused
with ``PermissionDeniedError`` and changes nothing; the owner, the vendor
and the system are allowed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import attrs
import pytest
from tests.support.billing import coupon as make_coupon
from tests.support.world import VENDOR, World, admin, customer

from partnerkit.budget import BudgetType, FreezeMode, FreezeScope
from partnerkit.customers import InvitationMethod
from partnerkit.errors import InvalidArgumentError, PermissionDeniedError
from partnerkit.ids import ActorId, CustomerId, IdempotencyKey, InvitationId, PartnerId
from partnerkit.incentives import Flat, IncentivePolicy, OrderType, PartnerStanding, RevenueLine
from partnerkit.incentives.earnings import NothingToPay, PayoutOption
from partnerkit.money import Money
from partnerkit.periods import GMT_PLUS_8, Period, PeriodKind
from partnerkit.permissions import Actor, OrgRole
from partnerkit.services.billing import BillingService
from partnerkit.services.budgets import BudgetService
from partnerkit.services.eligibility import EligibilityService
from partnerkit.services.incentives import IncentiveService
from partnerkit.services.pricing import PricingService

T0 = datetime(2024, 6, 3, 9, tzinfo=GMT_PLUS_8)
P1, P2 = PartnerId("p1"), PartnerId("p2")
INTRUDER = admin("p2")
INTRUDER_FINANCE = Actor.partner_user(ActorId("p2-fin"), P2, {OrgRole.FINANCE_SPECIALIST})
POLICY = IncentivePolicy(
    policy_id="m", name="Monthly rebate", period_kind=PeriodKind.MONTH, schedule=Flat(rate="0.1")
)


class Tenants:
    """p1 with customer c1, a coupon, a bill and an issued earning; p2 next to it."""

    def __init__(self) -> None:
        self.world = World()
        store = self.world.store
        self.store = store
        link = InvitationId("l-c1")
        self.world.service.generate_link(
            admin("p1"),
            invitation_id=link,
            method=InvitationMethod.GENERAL_LINK,
            as_of=T0 - timedelta(hours=4),
            idempotency_key=IdempotencyKey("t1"),
        )
        self.world.record(customer("c1", "c1@x.com", "2024-06-03 04:00"))
        self.world.service.accept_invitation(
            Actor.customer(CustomerId("c1")),
            link,
            new_account=True,
            signed_instructions="V1001",
            as_of=T0 - timedelta(hours=4),
            idempotency_key=IdempotencyKey("t2"),
        )
        self.budgets = BudgetService(store.unit_of_work)
        self.budgets.sync(store.events(), as_of=T0 - timedelta(hours=4))
        self.billing = BillingService(store.unit_of_work)
        coupon = attrs.evolve(make_coupon("CP-1", "50", valid_to="2099-12-31 23:59"), holder=P1)
        self.billing.grant_coupon(VENDOR, coupon, as_of=T0, idempotency_key=IdempotencyKey("t3"))
        self.incentives = IncentiveService(store.unit_of_work)
        line = RevenueLine(
            revenue_id="L",
            partner_id=P1,
            customer_id=CustomerId("c1"),
            order_type=OrderType.RENEWAL,
            product_code="ecs",
            generated_on=date(2024, 5, 3),
            amount=Money.of("3000", "USD"),
        )
        self.incentives.compute_period(
            Actor.system(),
            POLICY,
            [line],
            earning_id="e1",
            partner_id=P1,
            period=Period.parse("2024M5"),
            revenue_final=True,
            as_of=T0,
            idempotency_key=IdempotencyKey("t4"),
        )
        self.pricing = PricingService(store.unit_of_work)
        self.eligibility = EligibilityService(store.unit_of_work)

    def unchanged(self, command: Callable[[], Any]) -> None:
        before = (self.store.snapshot(), self.store.events(), self.store.idempotency_keys())
        with pytest.raises(PermissionDeniedError):
            command()
        assert (self.store.snapshot(), self.store.events(), self.store.idempotency_keys()) == before


@pytest.fixture
def tenants() -> Tenants:
    return Tenants()


def test_cross_tenant_reads_are_refused(tenants: Tenants) -> None:
    """Reads that name p1's data with p2's actor are refused; p1, the vendor and the system read."""
    reads: list[Callable[[Actor], Any]] = [
        lambda a: tenants.incentives.earnings(P1, actor=a),
        lambda a: tenants.incentives.payment_requests(P1, actor=a),
        lambda a: tenants.incentives.goals(P1, actor=a),
        lambda a: tenants.incentives.mdf(P1, actor=a),
        lambda a: tenants.billing.coupons(P1, actor=a),
        lambda a: tenants.billing.consumption_quota(P1, actor=a),
        lambda a: tenants.billing.issuances(P1, actor=a),
        lambda a: tenants.budgets.account(CustomerId("c1"), actor=a),
        lambda a: tenants.pricing.discount(CustomerId("c1"), actor=a),
        lambda a: tenants.eligibility.enrolments(P1, actor=a),
        lambda a: tenants.eligibility.benefit_requests(P1, actor=a),
        lambda a: tenants.pricing.orders(a, CustomerId("c1")),
    ]
    for read in reads:
        tenants.unchanged(lambda read=read: read(INTRUDER))  # type: ignore[misc]
        tenants.unchanged(lambda read=read: read(Actor.customer(CustomerId("c2"))))  # type: ignore[misc]
    for read in reads[:-1]:
        for reader in (admin("p1"), VENDOR, Actor.system()):
            read(reader)
    assert tenants.incentives.earnings(P1, actor=admin("p1"))[0].earning_id == "e1"


def test_cross_tenant_writes_are_refused(tenants: Tenants) -> None:
    """p2 cannot budget, freeze, disassociate, confirm or pay out p1's customers and earnings."""
    writes: list[Callable[[], Any]] = [
        lambda: tenants.budgets.set_budget(
            INTRUDER,
            CustomerId("c1"),
            budget_type=BudgetType.MONTHLY,
            amount=Money.of("10", "USD"),
            freeze_mode=FreezeMode.MANUAL,
            as_of=T0,
        ),
        lambda: tenants.budgets.freeze(
            INTRUDER,
            CustomerId("c1"),
            scope=FreezeScope.ACCOUNT,
            reason="x",
            as_of=T0,
            idempotency_key=IdempotencyKey("w1"),
        ),
        lambda: tenants.world.service.request_disassociation(
            INTRUDER,
            CustomerId("c1"),
            request_id="d1",
            reason="x",
            acknowledged=True,
            as_of=T0,
            idempotency_key=IdempotencyKey("w2"),
        ),
        lambda: tenants.world.service.assign_account_manager(
            INTRUDER, CustomerId("c1"), ActorId("am"), as_of=T0
        ),
        lambda: tenants.incentives.confirm(INTRUDER_FINANCE, "e1", as_of=T0),
        lambda: tenants.billing.pay_bill(
            INTRUDER,
            P1,
            Period.parse("2024M5"),
            Money.of("1", "USD"),
            as_of=T0,
            idempotency_key=IdempotencyKey("w3"),
        ),
    ]
    for write in writes:
        tenants.unchanged(write)
    tenants.incentives.confirm(admin("p1"), "e1", as_of=T0)
    tenants.incentives.issue(VENDOR, "e1", as_of=T0)
    before = tenants.store.snapshot()
    # p2's requests can only ever see p2's earnings: p1's earning is not there to take
    with pytest.raises(NothingToPay):
        tenants.incentives.request_payment(
            INTRUDER_FINANCE,
            PayoutOption.COUPON,
            request_id="r-x",
            standing=PartnerStanding(),
            bills={},
            as_of=T0,
            idempotency_key=IdempotencyKey("w4"),
        )
    with pytest.raises(InvalidArgumentError):
        tenants.incentives.request_payment(
            INTRUDER_FINANCE,
            PayoutOption.COUPON,
            request_id="r-y",
            standing=PartnerStanding(),
            bills={},
            as_of=T0,
            idempotency_key=IdempotencyKey("w5"),
            selected=["e1"],
        )
    assert tenants.store.snapshot() == before
