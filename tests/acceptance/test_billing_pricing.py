"""Partner discounts and order price adjustments: EX-12, R-CUST-98..111, R-BILL-60..69."""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.support.world import at

from partnerkit.billing import (
    DISCOUNT_BANNED_COUNTRIES,
    HUAWEI_DISCOUNTS,
    DiscountPolicy,
    Order,
    OrderItem,
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
from partnerkit.errors import InvalidArgumentError
from partnerkit.ids import CustomerId, PartnerId
from partnerkit.money import Money, scale
from partnerkit.partners import AssociationType


def _cents(n: int) -> str:
    return f"{n // 100}.{n % 100:02d}"


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


def item(item_id: str, subtotal: str, maximum: str, product: str = "ecs") -> OrderItem:
    return OrderItem(
        item_id=item_id, product_code=product, subtotal=usd(subtotal), maximum_discount=usd(maximum)
    )


def order(*items: OrderItem, status: OrderStatus = OrderStatus.PENDING) -> Order:
    return Order(order_id="CS24070117232V4UJH", status=status, items=items)


class TestPermissionAndScope:
    def test_referral_customers_of_permitted_partners_only(self) -> None:
        """R-CUST-98 permission, R-CUST-99 / R-BILL-64 referral only, R-CUST-100 / R-BILL-63 regions."""
        ok = may_discount(
            partner_country="ZA", has_permission=True, association=AssociationType.REFERRAL
        )
        assert ok.allowed
        denied = may_discount(
            partner_country="BR", has_permission=False, association=AssociationType.RESELLER
        )
        assert denied.codes == (
            "PERMISSION_DENIED",
            "RESELLER_MODEL_CUSTOMER",
            "REGION_NOT_ALLOWED",
        )
        assert [r.rule_id for r in denied.reasons] == ["R-CUST-98", "R-CUST-99", "R-CUST-100"]

    def test_the_29_banned_places(self) -> None:
        """R-CUST-100: 29 Latin-American and Caribbean places, French Guiana included."""
        assert len(DISCOUNT_BANNED_COUNTRIES) == 29
        assert {"CL", "GF", "LC", "BM"} <= DISCOUNT_BANNED_COUNTRIES
        assert "US" not in DISCOUNT_BANNED_COUNTRIES


class TestGeneralDiscount:
    def discount(self, percent: int = 16) -> PartnerDiscount:
        return PartnerDiscount(
            partner_id=PartnerId("p1"),
            customer_id=CustomerId("c1"),
            percent=percent,
            valid_from=at("2024-04-22 00:00"),
            valid_to=at("2024-06-20 23:59"),
        )

    def test_range_and_deletion(self) -> None:
        """R-CUST-101/102, R-BILL-65: one general percentage, 0..25; 0 % deletes (R-CUST-104)."""
        d = self.discount()
        assert set_partner_discount(None, d, as_of=at("2024-04-01 00:00")) == d
        assert d.rate.percent == 16
        assert (
            set_partner_discount(d, attrs.evolve(d, percent=0), as_of=at("2024-05-01 00:00"))
            is None
        )
        with pytest.raises(InvalidArgumentError) as caught:
            set_partner_discount(None, self.discount(26), as_of=at("2024-04-01 00:00"))
        assert caught.value.rule_id == "R-CUST-102"
        stricter = DiscountPolicy(max_percent=10)
        with pytest.raises(InvalidArgumentError):
            set_partner_discount(None, d, as_of=at("2024-04-01 00:00"), policy=stricter)

    def test_an_effective_discount_keeps_its_start(self) -> None:
        """R-CUST-104 / R-BILL-66: once in effect only expiry and percentage change."""
        d = self.discount()
        later = at("2024-05-01 00:00")
        longer = attrs.evolve(d, valid_to=at("2024-07-31 23:59"), percent=20)
        assert set_partner_discount(d, longer, as_of=later) == longer
        with pytest.raises(InvalidArgumentError) as caught:
            set_partner_discount(d, attrs.evolve(d, valid_from=at("2024-05-02 00:00")), as_of=later)
        assert caught.value.rule_id == "R-CUST-104"
        before = at("2024-04-01 00:00")
        moved = attrs.evolve(d, valid_from=at("2024-04-25 00:00"))
        assert set_partner_discount(d, moved, as_of=before) == moved

    def test_validity_and_bad_values(self) -> None:
        """R-CUST-103: a validity period; integer percent; one partner-customer pair."""
        d = self.discount()
        assert d.in_force(at("2024-05-01 00:00"))
        assert not d.in_force(at("2024-06-21 00:00"))
        with pytest.raises(InvalidArgumentError):
            attrs.evolve(d, valid_to=at("2024-01-01 00:00"))
        with pytest.raises(InvalidArgumentError):
            attrs.evolve(d, percent=True)
        with pytest.raises(InvalidArgumentError):
            set_partner_discount(
                d, attrs.evolve(d, customer_id=CustomerId("c2")), as_of=at("2024-04-01 00:00")
            )


class TestPriceAdjustment:
    def test_ex12_document_order(self) -> None:
        """EX-12: R-BILL-62, subtotal 154.00, maximum 15.40, discount 0.00 leaves 154.00."""
        o = order(item("a", "154.00", "15.40"))
        assert adjust_order_price(o, usd("0.00")).after == usd("154.00")
        assert adjust_order_price(o, usd("15.40")).after == usd("138.60")
        with pytest.raises(InvalidArgumentError) as caught:
            adjust_order_price(o, usd("15.41"))
        assert caught.value.rule_id == "R-BILL-62"
        with pytest.raises(InvalidArgumentError):
            adjust_order_price(o, usd("-1.00"))

    def test_ex12_order_level_spread(self) -> None:
        """EX-12 / R-CUST-111: 10.00 over 154.00 and 46.00 is 7.70 and 2.30 (I-19, DC-22)."""
        adjusted = adjust_order_price(
            order(item("a", "154.00", "15.40"), item("b", "46.00", "4.60")), usd("10.00")
        )
        assert [i.discount for i in adjusted.items] == [usd("7.70"), usd("2.30")]
        assert adjusted.discount == usd("10.00")

    def test_ex12_only_pending_orders(self) -> None:
        """EX-12 / R-BILL-60: the Canceled order CS24070117232V4UJH cannot be adjusted."""
        with pytest.raises(InvalidArgumentError) as caught:
            adjust_order_price(order(item("a", "10", "1"), status=OrderStatus.CANCELED), usd("1"))
        assert caught.value.rule_id == "R-BILL-60"

    def test_caps_redistribute(self) -> None:
        """DC-22: an item capped at its maximum passes the excess to the others."""
        adjusted = adjust_order_price(
            order(item("a", "100.00", "1.00"), item("b", "100.00", "50.00")), usd("20.00")
        )
        assert [i.discount for i in adjusted.items] == [usd("1.00"), usd("19.00")]

    def test_marketplace_items_are_not_discounted(self) -> None:
        """R-BILL-68 / DC-17: Marketplace and Spot ECS items are outside the scope."""
        o = order(item("a", "100.00", "10.00"), item("m", "100.00", "10.00", product="spot-ecs"))
        adjusted = adjust_order_price(o, usd("5.00"))
        assert [i.discount for i in adjusted.items] == [usd("5.00"), usd("0")]
        with pytest.raises(InvalidArgumentError) as caught:
            adjust_order_price(o, {"m": usd("1.00")})
        assert caught.value.rule_id == "R-BILL-68"
        assert adjust_order_price(o, {"a": usd("3.00")}).discount == usd("3.00")
        assert "marketplace" in HUAWEI_DISCOUNTS.excluded_products


class TestOneReduction:
    def test_price_adjustment_excludes_everything_else(self) -> None:
        """R-BILL-69 / R-CUST-110: an adjusted order takes no other discount."""
        price, used, why = choose_reduction(
            usd("154.00"),
            [
                Reduction(ReductionKind.PARTNER_DISCOUNT, usd("24.64")),
                Reduction(ReductionKind.PRICE_ADJUSTMENT, usd("15.40")),
            ],
            selected=ReductionKind.PARTNER_DISCOUNT,
        )
        assert price == usd("138.60")
        assert used is not None
        assert used.kind is ReductionKind.PRICE_ADJUSTMENT
        assert why.codes == ("NOT_COMBINABLE",)
        assert why.reasons[0].fields["kind"] is ReductionKind.PARTNER_DISCOUNT

    def test_several_offers_need_a_choice(self) -> None:
        """R-BILL-69: with several reductions and no choice, nothing is applied silently."""
        offers = [
            Reduction(ReductionKind.PARTNER_DISCOUNT, usd("16")),
            Reduction(ReductionKind.PROMOTION, usd("10")),
        ]
        with pytest.raises(InvalidArgumentError) as caught:
            choose_reduction(usd("100"), offers)
        assert caught.value.rule_id == "R-BILL-69"
        assert choose_reduction(usd("100"), []) == (
            usd("100"),
            None,
            choose_reduction(usd("1"), [])[2],
        )
        assert choose_reduction(usd("100"), offers[:1])[0] == usd("84")


@pytest.mark.rules("R-BILL-62")
@given(
    st.lists(st.integers(0, 100_000), min_size=1, max_size=6),
    st.integers(0, 100),
    st.data(),
)
def test_an_order_discount_spreads_exactly(
    subtotals: list[int], pct: int, data: st.DataObject
) -> None:
    """R-BILL-62 / DC-22: item discounts sum to the order discount, each within 0..maximum."""
    items = []
    for n, cents in enumerate(subtotals):
        maximum = data.draw(st.integers(0, cents))
        items.append(item(f"i{n}", _cents(cents), _cents(maximum)))
    ceiling = sum(int(scale(i.maximum_discount.amount, 2)) for i in items)
    wanted = ceiling * pct // 100
    adjusted = adjust_order_price(order(*items), usd(_cents(wanted)))
    assert adjusted.discount == usd(_cents(wanted))
    for got, it in zip(adjusted.items, items, strict=True):
        assert usd("0") <= got.discount <= it.maximum_discount
        assert got.after + got.discount == it.subtotal


class TestCustomerUse:
    def discount(self) -> PartnerDiscount:
        return PartnerDiscount(
            partner_id=PartnerId("p1"),
            customer_id=CustomerId("c1"),
            percent=16,
            valid_from=at("2024-04-22 00:00"),
            valid_to=at("2024-06-20 23:59") + timedelta(seconds=59),
        )

    def test_ex13_partner_discount_at_payment(self) -> None:
        """EX-13: R-CUST-109 / DC-24, 100.00 pays 84.00; inclusive end 2024-06-20 23:59:59, not 06-21 00:00."""
        d = self.discount()
        price, why = discounted_price(
            usd("100.00"), d, product_code="ecs", paid_at=at("2024-05-01 10:00")
        )
        assert price == usd("84.00")
        assert why.allowed
        last = at("2024-06-20 23:59") + timedelta(seconds=59)
        assert discounted_price(usd("100.00"), d, product_code="ecs", paid_at=last)[0] == usd(
            "84.00"
        )
        price, why = discounted_price(
            usd("100.00"), d, product_code="ecs", paid_at=at("2024-06-21 00:00")
        )
        assert price == usd("100.00")
        assert why.codes == ("DISCOUNT_NOT_IN_FORCE",)
        assert discounted_price(usd("100.00"), None, product_code="ecs", paid_at=last)[0] == usd(
            "100.00"
        )

    def test_spot_and_marketplace_take_no_discount(self) -> None:
        """R-CUST-109 / R-BILL-68 / DC-17: Spot ECS is excluded even though listed as promotional."""
        price, why = discounted_price(
            usd("100.00"), self.discount(), product_code="spot-ecs", paid_at=at("2024-05-01 10:00")
        )
        assert price == usd("100.00")
        assert why.codes == ("PRODUCT_NOT_DISCOUNTABLE",)

    def test_price_adjustment_needs_the_discount_gate(self) -> None:
        """R-BILL-61: adjustments share the discount gate (permission, referral customers) and scope."""
        gate = may_discount(
            partner_country="ZA", has_permission=True, association=AssociationType.RESELLER
        )
        assert gate.codes == ("RESELLER_MODEL_CUSTOMER",)
        o = order(item("a", "100.00", "10.00"), item("m", "100.00", "10.00", product="marketplace"))
        assert [i.discount for i in adjust_order_price(o, usd("4.00")).items] == [
            usd("4.00"),
            usd("0"),
        ]
