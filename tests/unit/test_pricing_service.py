"""PricingService: discounts, orders, price adjustments and quotes over a store.

R-CUST-98..107, R-CUST-111, R-BILL-60..62, R-BILL-67, R-BILL-69, R-BILL-70, R-BILL-75..77.
"""

from __future__ import annotations

import itertools

import attrs
import pytest
from tests.support.world import VENDOR, World, account_manager, admin, at, customer

from partnerkit.adapters.verification import StaticVerifier
from partnerkit.billing import Order, OrderItem, OrderStatus, ReductionKind
from partnerkit.customers import InvitationMethod
from partnerkit.errors import (
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    RuleViolationError,
)
from partnerkit.ids import ActorId, CustomerId, IdempotencyKey, InvitationId, PartnerId
from partnerkit.money import Money
from partnerkit.partners import AssociationType
from partnerkit.permissions import Actor
from partnerkit.services.customers import PARTNERS
from partnerkit.services.pricing import (
    CustomerDiscountChanged,
    CustomerDiscountExpired,
    OrderPlaced,
    OrderPriceAdjusted,
    PricingService,
)

K = itertools.count()
SYSTEM = Actor.system()


def key() -> IdempotencyKey:
    return IdempotencyKey(f"p-{next(K)}")


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


class Setup:
    """p1 (CSP, discounts granted) with referral customer c1 and reseller-model customer c2."""

    def __init__(self) -> None:
        self.world = World()
        self.enable(customer_discount_enabled=True)
        self.associate("c1", AssociationType.REFERRAL)
        self.associate("c2", AssociationType.RESELLER)
        self.pricing = PricingService(self.world.store.unit_of_work)

    def enable(
        self, *, customer_discount_enabled: bool, verification_code_enabled: bool = False
    ) -> None:
        with self.world.store.unit_of_work() as uow:
            p1 = uow.repository(PARTNERS).get("p1")
        changed = attrs.evolve(
            p1,
            customer_discount_enabled=customer_discount_enabled,
            verification_code_enabled=verification_code_enabled,
        )
        self.world.service.register_partner(changed, actor=VENDOR, as_of=at("2024-06-01 09:00"))

    def associate(self, cid: str, association_type: AssociationType) -> None:
        self.world.service.generate_link(
            admin("p1"), invitation_id=InvitationId(f"link-{cid}"),
            method=InvitationMethod.GENERAL_LINK, association_type=association_type,
            as_of=at("2024-06-03 09:00"), idempotency_key=key(),
        )  # fmt: skip
        self.world.record(customer(cid, f"{cid}@x.com", "2024-06-03 08:00"))
        self.world.service.accept_invitation(
            Actor.customer(CustomerId(cid)), InvitationId(f"link-{cid}"), new_account=True,
            signed_instructions="V1001", as_of=at("2024-06-03 10:00"), idempotency_key=key(),
        )  # fmt: skip

    def discount(self, *cids: str, percent: int = 16, **kw: object) -> tuple[object, ...]:
        return self.pricing.set_discounts(
            kw.pop("actor", admin("p1")),  # type: ignore[arg-type]
            [CustomerId(c) for c in cids],
            percent=percent,
            valid_from=kw.pop("valid_from", at("2024-06-10 00:00")),  # type: ignore[arg-type]
            valid_to=kw.pop("valid_to", at("2024-06-30 23:59")),  # type: ignore[arg-type]
            as_of=kw.pop("as_of", at("2024-06-05 10:00")),  # type: ignore[arg-type]
            idempotency_key=key(),
            **kw,  # type: ignore[arg-type]
        )


def order(order_id: str = "o1", cid: str = "c1") -> Order:
    return Order(
        order_id=order_id,
        status=OrderStatus.PENDING,
        customer_id=CustomerId(cid),
        items=(
            OrderItem(item_id="a", product_code="ecs", subtotal=usd("154.00"),
                      maximum_discount=usd("15.40")),
            OrderItem(item_id="b", product_code="evs", subtotal=usd("46.00"),
                      maximum_discount=usd("4.60")),
        ),
    )  # fmt: skip


@pytest.fixture
def setup() -> Setup:
    return Setup()


class TestDiscounts:
    def test_grant_notifies_the_customer_and_records_the_operation(self, setup: Setup) -> None:
        """R-CUST-101, R-CUST-105, R-CUST-106, R-BILL-67: create -> customer e-mailed; record fields."""
        (event,) = setup.discount("c1")
        assert isinstance(event, CustomerDiscountChanged)
        assert event.operation == "create"
        assert event.notify == ("c1",)
        assert (event.actor, event.occurred_at, event.product_scope) == (
            ActorId("p1-admin"), at("2024-06-05 10:00"), "all",
        )  # fmt: skip
        held = setup.pricing.discount(CustomerId("c1"))
        assert held is not None
        assert (held.percent, held.valid_from, held.valid_to) == (
            16, at("2024-06-10 00:00"), at("2024-06-30 23:59"),
        )  # fmt: skip
        (modify,) = setup.discount("c1", percent=20)
        assert isinstance(modify, CustomerDiscountChanged)
        assert (modify.operation, modify.before) == ("modify", held)
        (delete,) = setup.discount("c1", percent=0)
        assert isinstance(delete, CustomerDiscountChanged)
        assert (delete.operation, delete.notify) == ("delete", ())
        assert setup.pricing.discount(CustomerId("c1")) is None

    def test_batch_is_all_or_nothing(self, setup: Setup) -> None:
        """R-CUST-107 batch; R-CUST-99: a reseller-model customer in the batch refuses it all."""
        setup.associate("c3", AssociationType.REFERRAL)
        assert len(setup.discount("c1", "c3")) == 2
        with pytest.raises(RuleViolationError) as caught:
            setup.discount("c1", "c2", percent=10)
        assert caught.value.rule_id == "R-CUST-99"
        held = setup.pricing.discount(CustomerId("c1"))
        assert held is not None
        assert held.percent == 16  # unchanged
        assert setup.pricing.discount(CustomerId("c2")) is None

    def test_refusals_name_their_rule(self, setup: Setup) -> None:
        """R-CUST-98 vendor permission, R-CUST-100 banned places, R-CUST-102 range; nothing stored."""
        with pytest.raises(InvalidArgumentError) as caught:
            setup.discount("c1", percent=26)
        assert caught.value.rule_id == "R-CUST-102"
        setup.enable(customer_discount_enabled=False)
        with pytest.raises(RuleViolationError) as refused:
            setup.discount("c1")
        assert refused.value.rule_id == "R-CUST-98"
        with setup.world.store.unit_of_work() as uow:
            p1 = uow.repository(PARTNERS).get("p1")
        setup.world.service.register_partner(
            attrs.evolve(p1, customer_discount_enabled=True, country="MX"),
            actor=VENDOR, as_of=at("2024-06-02 09:00"),
        )  # fmt: skip
        with pytest.raises(RuleViolationError) as banned:
            setup.discount("c1")
        assert banned.value.rule_id == "R-CUST-100"
        assert setup.pricing.discount(CustomerId("c1")) is None

    def test_other_partners_and_non_partner_actors_are_refused(self, setup: Setup) -> None:
        """R-CUST-98: only the customer's own partner, as a user with the pricing permission."""
        with pytest.raises(PermissionDeniedError):
            setup.discount("c1", actor=admin("p2"))
        with pytest.raises(PermissionDeniedError):
            setup.discount("c1", actor=Actor.customer(CustomerId("c1")))
        with pytest.raises(PermissionDeniedError):
            setup.discount("c1", actor=account_manager("p1", "am"))  # not its account

    def test_verification_code_when_enabled(self, setup: Setup) -> None:
        """R-BILL-70, R-CUST-107: setting discounts and adjusting prices need the code."""
        setup.enable(customer_discount_enabled=True, verification_code_enabled=True)
        strict = PricingService(
            setup.world.store.unit_of_work,
            verifier=StaticVerifier({ActorId("p1-admin"): "123"}),
        )
        setup.pricing = strict
        with pytest.raises(PermissionDeniedError):
            setup.discount("c1")
        assert setup.pricing.discount(CustomerId("c1")) is None
        setup.discount("c1", verification_code="123")
        strict.place_order(
            Actor.customer(CustomerId("c1")), order(), as_of=at("2024-06-05 11:00"),
            idempotency_key=key(),
        )  # fmt: skip
        with pytest.raises(PermissionDeniedError):
            strict.adjust_order_price(
                admin("p1"), "o1", usd("10.00"), as_of=at("2024-06-05 12:00"),
                idempotency_key=key(),
            )  # fmt: skip
        strict.adjust_order_price(
            admin("p1"), "o1", usd("10.00"), as_of=at("2024-06-05 12:00"),
            idempotency_key=key(), verification_code="123",
        )  # fmt: skip

    def test_expiry_notifies_partner_and_customer_once(self, setup: Setup) -> None:
        """R-BILL-67, R-CUST-105: when it expires, both are e-mailed; set-to-target."""
        setup.discount("c1")
        assert (
            setup.pricing.expire_discounts(SYSTEM, PartnerId("p1"), as_of=at("2024-06-30 23:59"))
            == ()
        )
        (event,) = setup.pricing.expire_discounts(
            SYSTEM, PartnerId("p1"), as_of=at("2024-07-01 00:00")
        )
        assert isinstance(event, CustomerDiscountExpired)
        assert event.notify == ("p1", "c1")
        assert setup.pricing.discount(CustomerId("c1")) is None
        assert (
            setup.pricing.expire_discounts(SYSTEM, PartnerId("p1"), as_of=at("2024-07-02 00:00"))
            == ()
        )
        with pytest.raises(PermissionDeniedError):
            setup.pricing.expire_discounts(
                admin("p1"), PartnerId("p1"), as_of=at("2024-07-01 00:00")
            )

    def test_effective_discount_keeps_its_start(self, setup: Setup) -> None:
        """R-CUST-104: once in effect, only expiry and percentage change."""
        setup.discount("c1")
        with pytest.raises(InvalidArgumentError) as caught:
            setup.discount("c1", valid_from=at("2024-06-12 00:00"), as_of=at("2024-06-11 00:00"))
        assert caught.value.rule_id == "R-CUST-104"


class TestOrders:
    def test_customer_places_and_partner_adjusts(self, setup: Setup) -> None:
        """R-BILL-60, R-BILL-62, R-CUST-111: a pending order's price is spread over its items."""
        (placed,) = setup.pricing.place_order(
            Actor.customer(CustomerId("c1")), order(), as_of=at("2024-06-05 11:00"),
            idempotency_key=key(),
        )  # fmt: skip
        assert isinstance(placed, OrderPlaced)
        assert placed.order.placed_by is None
        (adjusted,) = setup.pricing.adjust_order_price(
            admin("p1"), "o1", usd("10.00"), as_of=at("2024-06-05 12:00"), idempotency_key=key()
        )
        assert isinstance(adjusted, OrderPriceAdjusted)
        assert [i.discount for i in adjusted.adjustment.items] == [usd("7.70"), usd("2.30")]
        assert adjusted.order.adjusted == adjusted.adjustment

    def test_adjustments_are_for_own_referral_customers(self, setup: Setup) -> None:
        """R-CUST-99 / R-BILL-64: no price adjustment for reseller-model customers; R-BILL-60 pending."""
        setup.pricing.place_order(
            Actor.customer(CustomerId("c2")), order("o2", "c2"), as_of=at("2024-06-05 11:00"),
            idempotency_key=key(),
        )  # fmt: skip
        with pytest.raises(RuleViolationError) as caught:
            setup.pricing.adjust_order_price(
                admin("p1"), "o2", usd("1.00"), as_of=at("2024-06-05 12:00"), idempotency_key=key()
            )
        assert caught.value.rule_id == "R-CUST-99"
        with pytest.raises(NotFoundError):
            setup.pricing.adjust_order_price(
                admin("p1"),
                "nope",
                usd("1.00"),
                as_of=at("2024-06-05 12:00"),
                idempotency_key=key(),
            )

    def test_partner_orders_only_with_the_customers_authorization(self, setup: Setup) -> None:
        """R-BILL-77: a partner places an order for a reseller-model customer only once authorised."""
        on_behalf = order("o3", "c2")
        with pytest.raises(RuleViolationError) as caught:
            setup.pricing.place_order(
                admin("p1"), on_behalf, as_of=at("2024-06-05 11:00"), idempotency_key=key()
            )
        assert "AUTHORIZATION_REQUIRED" in [getattr(r, "code", "") for r in caught.value.reasons]
        setup.world.service.request_authorization(
            admin("p1"), CustomerId("c2"), authorization_id="auth-1", accept_commitment=True,
            as_of=at("2024-06-05 12:00"), idempotency_key=key(),
        )  # fmt: skip
        setup.world.service.respond_to_authorization(
            Actor.customer(CustomerId("c2")), "auth-1", agree=True, as_of=at("2024-06-05 12:30")
        )
        (placed,) = setup.pricing.place_order(
            admin("p1"), on_behalf, as_of=at("2024-06-05 13:00"), idempotency_key=key()
        )
        assert isinstance(placed, OrderPlaced)
        assert placed.order.placed_by == PartnerId("p1")

    def test_order_visibility(self, setup: Setup) -> None:
        """R-BILL-76: AMs see only their customers' orders; customers see their own."""
        setup.pricing.place_order(
            Actor.customer(CustomerId("c1")), order(), as_of=at("2024-06-05 11:00"),
            idempotency_key=key(),
        )  # fmt: skip
        assert [o.order_id for o in setup.pricing.orders(admin("p1"), CustomerId("c1"))] == ["o1"]
        assert len(setup.pricing.orders(Actor.customer(CustomerId("c1")), CustomerId("c1"))) == 1
        with pytest.raises(PermissionDeniedError) as caught:
            setup.pricing.orders(account_manager("p1", "am"), CustomerId("c1"))
        assert caught.value.rule_id == "R-CUST-130"
        with pytest.raises(PermissionDeniedError):
            setup.pricing.orders(admin("p2"), CustomerId("c1"))
        with pytest.raises(PermissionDeniedError):
            setup.pricing.orders(Actor.customer(CustomerId("c2")), CustomerId("c1"))

    def test_distributor_sees_its_resellers_customers_orders(self) -> None:
        """R-BILL-76: a distributor sees its resellers' customers' orders."""
        world = World()
        world.service.generate_link(
            admin("r1"), invitation_id=InvitationId("link-rc"), method=InvitationMethod.GENERAL_LINK,
            as_of=at("2024-06-03 09:00"), idempotency_key=key(),
        )  # fmt: skip
        world.record(customer("rc", "rc@x.com", "2024-06-03 08:00"))
        world.service.accept_invitation(
            Actor.customer(CustomerId("rc")), InvitationId("link-rc"), new_account=True,
            signed_instructions="V1001", as_of=at("2024-06-03 10:00"), idempotency_key=key(),
        )  # fmt: skip
        pricing = PricingService(world.store.unit_of_work)
        pricing.place_order(
            Actor.customer(CustomerId("rc")), order("o9", "rc"), as_of=at("2024-06-05 11:00"),
            idempotency_key=key(),
        )  # fmt: skip
        assert [o.order_id for o in pricing.orders(admin("d1"), CustomerId("rc"))] == ["o9"]
        assert [o.order_id for o in pricing.orders(admin("r1"), CustomerId("rc"))] == ["o9"]

    def test_bad_orders_are_refused_before_storage(self, setup: Setup) -> None:
        """R-BILL-75: an order names its customer and starts pending; nothing is stored otherwise."""
        for bad in (
            attrs.evolve(order(), customer_id=None),
            attrs.evolve(order(), status=OrderStatus.PAID),
        ):
            with pytest.raises(InvalidArgumentError):
                setup.pricing.place_order(
                    Actor.customer(CustomerId("c1")), bad, as_of=at("2024-06-05 11:00"),
                    idempotency_key=key(),
                )  # fmt: skip
        with pytest.raises(PermissionDeniedError):
            setup.pricing.place_order(
                Actor.customer(CustomerId("c2")), order(), as_of=at("2024-06-05 11:00"),
                idempotency_key=key(),
            )  # fmt: skip
        assert setup.pricing.orders(admin("p1"), CustomerId("c1")) == ()


class TestQuotes:
    def test_one_reduction_per_item_with_a_trace(self, setup: Setup) -> None:
        """R-BILL-69, R-CUST-109, R-CUST-110: discount, promotion or adjustment, never two."""
        setup.discount("c1")
        setup.pricing.place_order(
            Actor.customer(CustomerId("c1")), order(), as_of=at("2024-06-05 11:00"),
            idempotency_key=key(),
        )  # fmt: skip
        paid = at("2024-06-15 10:00")
        quote = setup.pricing.price_order(admin("p1"), "o1", paid_at=paid)
        a, b = quote.items
        assert (a.price, b.price) == (usd("129.36"), usd("38.64"))  # 84 % of 154 and 46
        assert a.trace.result() == a.price
        assert quote.total == a.price + b.price
        chosen = setup.pricing.price_order(
            admin("p1"),
            "o1",
            paid_at=paid,
            promotions={"a": usd("30.00")},
            selected=ReductionKind.PROMOTION,
        )
        assert chosen.items[0].price == usd("124.00")
        assert chosen.items[0].excluded.codes == ("NOT_COMBINABLE",)
        before = setup.pricing.price_order(admin("p1"), "o1", paid_at=at("2024-06-09 23:59"))
        assert before.total == usd("200.00")  # the discount is not yet in force
        setup.pricing.adjust_order_price(
            admin("p1"), "o1", usd("10.00"), as_of=at("2024-06-05 12:00"), idempotency_key=key()
        )
        adjusted = setup.pricing.price_order(
            admin("p1"), "o1", paid_at=paid, selected=ReductionKind.PROMOTION
        )
        assert adjusted.total == usd("190.00")  # the adjustment excludes every other reduction
        assert all(i.reduction is not None for i in adjusted.items)
        with pytest.raises(InvalidArgumentError):
            setup.pricing.price_order(admin("p1"), "o1", paid_at=paid, promotions={"zz": usd("1")})
        customer_quote = setup.pricing.price_order(
            Actor.customer(CustomerId("c1")), "o1", paid_at=paid
        )
        assert customer_quote.total == adjusted.total
        with pytest.raises(PermissionDeniedError):
            setup.pricing.price_order(admin("p2"), "o1", paid_at=paid)
