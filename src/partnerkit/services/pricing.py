"""Pricing use cases: customer discounts, orders, price adjustments and order quotes.

A thin shell over :mod:`partnerkit.billing.pricing`.  A partner user with the
pricing permission sets a general discount for one or several referral
customers (R-CUST-101..107) or lowers a pending order's price (R-BILL-60..62,
R-CUST-111); both are critical operations that need the verification code
when the partner enabled it (R-BILL-70).  Granting a discount notifies the
customer and its expiry notifies the partner and the customer (R-BILL-67,
R-CUST-105); each change is an event carrying the operation record
(R-CUST-106).  Orders are placed by the customer, or by a partner it has
authorised (R-BILL-77), and each user sees only the orders of the customers
it manages (R-BILL-76).  :meth:`PricingService.price_order` quotes an order
with at most one reduction per item and a trace (R-BILL-69).

>>> from partnerkit.adapters.memory import InMemoryStore
>>> service = PricingService(InMemoryStore().unit_of_work)
>>> service.discount(CustomerId("nobody")) is None
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import final

import attrs

import partnerkit._validators as _v
from partnerkit.billing.pricing import (
    HUAWEI_DISCOUNTS,
    AdjustedOrder,
    DiscountPolicy,
    Order,
    OrderStatus,
    PartnerDiscount,
    Reduction,
    ReductionKind,
    adjust_order_price,
    choose_reduction,
    discounted_price,
    may_discount,
    set_partner_discount,
)
from partnerkit.billing.trace import Trace, TraceKind
from partnerkit.customers import HUAWEI, CustomerPolicy
from partnerkit.decisions import Decision
from partnerkit.errors import InvalidArgumentError, NotFoundError, PermissionDeniedError
from partnerkit.events import Event
from partnerkit.ids import CustomerId, IdempotencyKey, PartnerId
from partnerkit.money import Money, total
from partnerkit.periods import require_aware
from partnerkit.permissions import Action, Actor, ActorKind
from partnerkit.ports import Collection, UnitOfWork, Verifier
from partnerkit.services._runner import check_reader, run_command, save, service_edge, verify
from partnerkit.services.customers import ASSOCIATIONS, authorize, on_behalf_decision

__all__ = [
    "DISCOUNTS",
    "ORDERS",
    "CustomerDiscountChanged",
    "CustomerDiscountExpired",
    "DiscountSetting",
    "OrderPlaced",
    "OrderPriceAdjusted",
    "PricedItem",
    "PricedOrder",
    "PricingService",
]


@final
@attrs.frozen(kw_only=True)
class DiscountSetting:
    """The partner discount a referral customer holds now (``None`` once removed or expired)."""

    customer_id: CustomerId = attrs.field(validator=_v.text)
    partner_id: PartnerId = attrs.field(validator=_v.text)
    discount: PartnerDiscount | None = None
    version: int = 0


#: Each customer's discount setting, owned by the granting partner.
DISCOUNTS: Collection[DiscountSetting] = Collection(
    "customer_discounts", DiscountSetting, key=lambda d: d.customer_id, owner=lambda d: d.partner_id
)
#: Subscription orders, owned by their customer.
ORDERS: Collection[Order] = Collection(
    "orders", Order, key=lambda o: o.order_id, owner=lambda o: o.customer_id
)


@attrs.frozen(kw_only=True)
class CustomerDiscountChanged(Event):
    """A discount was created, modified or deleted: the operation record (R-CUST-106).

    Attributes:
        setting: The stored setting.
        operation: ``"create"``, ``"modify"`` or ``"delete"``.
        before: The discount it replaced, if any.
        product_scope: A general discount covers every product category.
        notify: Who is e-mailed: the customer when a discount is granted
            (R-BILL-67, R-CUST-105).
    """

    setting: DiscountSetting
    operation: str
    before: PartnerDiscount | None
    product_scope: str = "all"
    notify: tuple[str, ...] = ()

    def snapshots(self) -> tuple[object, ...]:
        """The stored setting."""
        return (self.setting,)


@attrs.frozen(kw_only=True)
class CustomerDiscountExpired(Event):
    """A discount's validity ended; the partner and the customer are e-mailed (R-BILL-67)."""

    setting: DiscountSetting
    expired: PartnerDiscount
    notify: tuple[str, ...]

    def snapshots(self) -> tuple[object, ...]:
        """The stored setting."""
        return (self.setting,)


@attrs.frozen(kw_only=True)
class OrderPlaced(Event):
    """A subscription order was placed, by its customer or on its behalf (R-BILL-75, 77)."""

    order: Order

    def snapshots(self) -> tuple[object, ...]:
        """The stored order."""
        return (self.order,)


@attrs.frozen(kw_only=True)
class OrderPriceAdjusted(Event):
    """A pending order's price was lowered (R-BILL-60..62, R-CUST-111)."""

    order: Order
    adjustment: AdjustedOrder

    def snapshots(self) -> tuple[object, ...]:
        """The stored order."""
        return (self.order,)


@final
@attrs.frozen
class PricedItem:
    """One item's quote: list price, the reduction used, why others were excluded, and a trace."""

    item_id: str
    list_price: Money
    price: Money
    reduction: Reduction | None
    excluded: Decision
    trace: Trace


@final
@attrs.frozen
class PricedOrder:
    """An order's quote: each item and the exact total (no rounding: prices are as listed)."""

    order_id: str
    items: tuple[PricedItem, ...]
    total: Money


@service_edge
@final
class PricingService:
    """Discounts, orders and price adjustments over a unit of work.

    Args:
        unit_of_work: A factory of units of work (the storage adapter), the
            same store the customer service uses.
        policy: The discount rules (Huawei by default).
        customer_policy: The customer-area policy (on-behalf products,
            distributor powers).
        verifier: Checks verification codes of critical operations
            (R-BILL-70); without one the embedding application is trusted.
    """

    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        *,
        policy: DiscountPolicy = HUAWEI_DISCOUNTS,
        customer_policy: CustomerPolicy = HUAWEI,
        verifier: Verifier | None = None,
    ) -> None:
        if not callable(unit_of_work):
            raise InvalidArgumentError("unit_of_work", unit_of_work, "expected a factory")
        if not isinstance(policy, DiscountPolicy):
            raise InvalidArgumentError("policy", policy, "expected a DiscountPolicy")
        self._new_unit = unit_of_work
        self.policy = policy
        self.customer_policy = customer_policy
        self._verifier = verifier

    # --- queries -------------------------------------------------------------------------

    def discount(
        self, customer_id: CustomerId, *, actor: Actor | None = None
    ) -> PartnerDiscount | None:
        """The partner discount the customer holds, if any; a partner reads only its own."""
        with self._new_unit() as uow:
            setting = uow.repository(DISCOUNTS).find(customer_id)
            association = uow.repository(ASSOCIATIONS).find(customer_id)
        owners = (association.partner_id, association.distributor_id) if association else ()
        check_reader(actor, *owners, what="the customer discount")
        return setting.discount if setting is not None else None

    def _may_see_orders(self, uow: UnitOfWork, actor: Actor, customer_id: CustomerId) -> None:
        """R-BILL-76: the customer itself, or a partner user who manages the customer."""
        if isinstance(actor, Actor) and actor.kind is ActorKind.CUSTOMER:
            if actor.customer_id != customer_id:
                raise PermissionDeniedError(
                    actor.id, "view the orders of", customer_id, rule_id="R-BILL-76"
                )
            return
        self._require_partner_user(actor)
        authorize(uow, actor, Action.VIEW_ORDERS, customer_id, policy=self.customer_policy)

    def orders(self, actor: Actor, customer_id: CustomerId) -> tuple[Order, ...]:
        """The customer's orders, for a user who manages the customer (R-BILL-76).

        An account manager sees only its own customers' orders; a distributor
        sees its own customers' and its resellers' customers' orders; a
        customer sees its own.
        """
        with self._new_unit() as uow:
            self._may_see_orders(uow, actor, customer_id)
            return uow.repository(ORDERS).list_by_owner(customer_id)

    def price_order(
        self,
        actor: Actor,
        order_id: str,
        *,
        paid_at: datetime,
        promotions: Mapping[str, Money] | None = None,
        selected: ReductionKind | None = None,
    ) -> PricedOrder:
        """Quote a stored order: at most one reduction per item, with a trace (R-BILL-69).

        Offers per item: the order's price adjustment (which, when present, is
        the only reduction allowed), the customer's partner discount if it is
        in force at ``paid_at`` and the product is discountable (R-CUST-109),
        and any promotion given here.  ``selected`` picks among several offers.
        The actor must be allowed to see the customer's orders (R-BILL-76).
        """
        when = require_aware(paid_at, argument="paid_at")
        with self._new_unit() as uow:
            order = uow.repository(ORDERS).get(order_id)
            if order.customer_id is None:  # stored orders name their customer (place_order)
                raise NotFoundError("orders", order_id)
            self._may_see_orders(uow, actor, order.customer_id)
            setting = uow.repository(DISCOUNTS).find(order.customer_id)
        discount = setting.discount if setting is not None else None
        offers = dict(promotions or {})
        unknown = set(offers) - {i.item_id for i in order.items}
        if unknown:
            raise InvalidArgumentError("promotions", sorted(unknown), "not items of this order")
        adjusted = {a.item_id: a for a in order.adjusted.items} if order.adjusted else {}
        priced = []
        for item in order.items:
            offered = []
            adjustment = adjusted.get(item.item_id)
            if adjustment is not None and adjustment.discount.is_positive():
                offered.append(
                    Reduction(ReductionKind.PRICE_ADJUSTMENT, adjustment.discount, order.order_id)
                )
            after, applies = discounted_price(
                item.subtotal, discount, product_code=item.product_code, paid_at=when,
                policy=self.policy,
            )  # fmt: skip
            if discount is not None and applies.allowed:
                offered.append(
                    Reduction(
                        ReductionKind.PARTNER_DISCOUNT,
                        item.subtotal - after,
                        f"{discount.percent} %",
                    )
                )
            if item.item_id in offers:
                offered.append(Reduction(ReductionKind.PROMOTION, offers[item.item_id]))
            chosen = selected if any(o.kind is selected for o in offered) else None
            price, used, excluded = choose_reduction(item.subtotal, offered, selected=chosen)
            trace = Trace.start(f"list price of item {item.item_id}", item.subtotal)
            if used is not None:
                trace = trace.then(
                    TraceKind.DISCOUNT,
                    f"{used.kind.value} {used.reference}".strip(),
                    -used.amount,
                    excluded=excluded.codes,
                )
            priced.append(PricedItem(item.item_id, item.subtotal, price, used, excluded, trace))
        currency = order.items[0].subtotal.currency
        return PricedOrder(
            order.order_id, tuple(priced), total((p.price for p in priced), currency=currency)
        )

    # --- commands ------------------------------------------------------------------------

    @staticmethod
    def _require_partner_user(actor: Actor) -> None:
        if not isinstance(actor, Actor):
            raise InvalidArgumentError("actor", actor, "expected a partnerkit Actor")
        if actor.kind is not ActorKind.PARTNER_USER:
            raise PermissionDeniedError(
                actor.id, "run pricing as", actor.kind.value, reason="only partner users"
            )

    def set_discounts(
        self,
        actor: Actor,
        customer_ids: Iterable[CustomerId],
        *,
        percent: int,
        valid_from: datetime,
        valid_to: datetime,
        as_of: datetime,
        idempotency_key: IdempotencyKey,
        verification_code: str | None = None,
    ) -> tuple[Event, ...]:
        """Set one general discount for one or several referral customers (R-CUST-101..107).

        ``percent=0`` deletes the discount (R-CUST-102).  All customers
        succeed or none does: the first refusal raises with its reasons and
        nothing is stored.  A critical operation (R-BILL-70, R-CUST-107).
        """
        self._require_partner_user(actor)
        ids = tuple(customer_ids)
        if not ids or len(set(ids)) != len(ids):
            raise InvalidArgumentError("customer_ids", ids, "one or more distinct customers")
        when = require_aware(as_of)

        def body(uow: UnitOfWork) -> list[Event]:
            events: list[Event] = []
            verified = False
            for customer_id in ids:
                partner, association = authorize(
                    uow, actor, Action.SET_DISCOUNT, customer_id, policy=self.customer_policy
                )
                if not verified:
                    verify(
                        self._verifier, actor, "set_discount", verification_code,
                        required=partner.verification_code_enabled,
                    )  # fmt: skip
                    verified = True
                if association is None:  # authorize refuses it; kept for the type checker
                    raise NotFoundError("associations", customer_id)
                may_discount(
                    partner_country=partner.country,
                    has_permission=partner.customer_discount_enabled,
                    association=association.association_type,
                    policy=self.policy,
                ).raise_if_denied()
                repo = uow.repository(DISCOUNTS)
                current = repo.find(customer_id)
                held = (
                    current.discount
                    if current is not None and current.partner_id == partner.id
                    else None
                )
                requested = PartnerDiscount(
                    partner_id=partner.id, customer_id=customer_id, percent=percent,
                    valid_from=valid_from, valid_to=valid_to,
                )  # fmt: skip
                after = set_partner_discount(held, requested, as_of=when, policy=self.policy)
                setting = DiscountSetting(
                    customer_id=customer_id,
                    partner_id=partner.id,
                    discount=after,
                    version=current.version if current is not None else 0,
                )
                stored = save(repo, current, setting)
                operation = "delete" if after is None else "create" if held is None else "modify"
                events.append(
                    CustomerDiscountChanged(
                        occurred_at=when,
                        actor=actor.id,
                        setting=stored,
                        operation=operation,
                        before=held,
                        notify=(customer_id,) if after is not None else (),
                    )
                )
            return events

        arguments = {
            "actor": actor.id,
            "customers": list(ids),
            "percent": percent,
            "valid_from": valid_from,
            "valid_to": valid_to,
        }
        return run_command(self._new_unit, "set_discounts", arguments, idempotency_key, when, body)

    def expire_discounts(
        self, actor: Actor, partner_id: PartnerId, *, as_of: datetime
    ) -> tuple[Event, ...]:
        """The system ends the partner's discounts whose validity has passed (R-BILL-67).

        Set-to-target: running it twice emits nothing the second time.
        """
        if not isinstance(actor, Actor) or actor.kind is not ActorKind.SYSTEM:
            raise PermissionDeniedError(
                getattr(actor, "id", actor), "expire discounts of", partner_id,
                reason="a scheduled system job expires discounts",
            )  # fmt: skip
        when = require_aware(as_of)

        def body(uow: UnitOfWork) -> list[Event]:
            repo = uow.repository(DISCOUNTS)
            events: list[Event] = []
            for setting in repo.list_by_owner(partner_id):
                held = setting.discount
                if held is None or when <= held.valid_to:
                    continue
                stored = save(repo, setting, attrs.evolve(setting, discount=None))
                events.append(
                    CustomerDiscountExpired(
                        occurred_at=when,
                        actor=actor.id,
                        setting=stored,
                        expired=held,
                        notify=(held.partner_id, held.customer_id),
                    )
                )
            return events

        return run_command(self._new_unit, "expire_discounts", {}, None, when, body)

    def place_order(
        self, actor: Actor, order: Order, *, as_of: datetime, idempotency_key: IdempotencyKey
    ) -> tuple[Event, ...]:
        """Store a pending subscription order placed by its customer or on its behalf.

        A partner user needs the customer's authorization and the on-behalf
        permission for every product of the order (R-BILL-77, R-CUST-113..121).
        """
        if not isinstance(order, Order):
            raise InvalidArgumentError("order", order, "expected an Order")
        if order.customer_id is None:
            raise InvalidArgumentError("order", order.order_id, "an order names its customer")
        if order.status is not OrderStatus.PENDING or order.adjusted is not None:
            raise InvalidArgumentError("order", order.order_id, "a new order is pending")
        if not isinstance(actor, Actor):
            raise InvalidArgumentError("actor", actor, "expected a partnerkit Actor")
        when = require_aware(as_of)
        customer_id = order.customer_id

        def body(uow: UnitOfWork) -> list[Event]:
            placed = order
            if actor.kind is ActorKind.CUSTOMER:
                if actor.customer_id != customer_id:
                    raise PermissionDeniedError(actor.id, "place an order for", customer_id)
            elif actor.kind is ActorKind.PARTNER_USER:
                for product in sorted({i.product_code for i in order.items}):
                    decision = on_behalf_decision(
                        uow, actor, customer_id, product=product, policy=self.customer_policy
                    )
                    if not decision.allowed:
                        raise decision.violation()
                placed = attrs.evolve(order, placed_by=actor.partner_id)
            else:
                raise PermissionDeniedError(
                    actor.id, "place an order for", customer_id,
                    reason="orders come from the customer or a partner it authorised",
                )  # fmt: skip
            stored = uow.repository(ORDERS).add(placed)
            return [OrderPlaced(occurred_at=when, actor=actor.id, order=stored)]

        arguments = {"actor": actor.id, "order": order}
        return run_command(self._new_unit, "place_order", arguments, idempotency_key, when, body)

    def adjust_order_price(
        self,
        actor: Actor,
        order_id: str,
        discount: Money | Mapping[str, Money],
        *,
        as_of: datetime,
        idempotency_key: IdempotencyKey,
        verification_code: str | None = None,
    ) -> tuple[Event, ...]:
        """Lower a pending order's price, per order or per item (R-BILL-60..62, R-CUST-111).

        The order's customer must be the actor's own referral customer with
        discounts allowed (R-CUST-98..100); a new adjustment replaces the old
        one.  A critical operation (R-BILL-70).
        """
        self._require_partner_user(actor)
        when = require_aware(as_of)

        def body(uow: UnitOfWork) -> list[Event]:
            repo = uow.repository(ORDERS)
            order = repo.find(order_id)
            if order is None or order.customer_id is None:
                raise NotFoundError("orders", order_id)
            partner, association = authorize(
                uow, actor, Action.ADJUST_PRICE, order.customer_id, policy=self.customer_policy
            )
            verify(
                self._verifier, actor, "adjust_order_price", verification_code,
                required=partner.verification_code_enabled,
            )  # fmt: skip
            if association is None:  # authorize refuses it; kept for the type checker
                raise NotFoundError("associations", order.customer_id)
            may_discount(
                partner_country=partner.country,
                has_permission=partner.customer_discount_enabled,
                association=association.association_type,
                policy=self.policy,
            ).raise_if_denied()
            adjustment = adjust_order_price(order, discount, policy=self.policy)
            stored = save(repo, order, attrs.evolve(order, adjusted=adjustment))
            return [
                OrderPriceAdjusted(
                    occurred_at=when, actor=actor.id, order=stored, adjustment=adjustment
                )
            ]

        arguments = {"actor": actor.id, "order_id": order_id, "discount": discount}
        return run_command(
            self._new_unit, "adjust_order_price", arguments, idempotency_key, when, body
        )
