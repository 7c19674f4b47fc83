"""The vendors' published identities (peers.md B1, B2, B5): Huawei fee records and instrument
order, Alibaba bill items, Microsoft's rounding points, and the consumption-quota identity."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnerkit.billing import (
    HUAWEI_INSTRUMENT_ORDER,
    HUAWEI_LOCAL_DISPLAY,
    MICROSOFT_LICENSE,
    MICROSOFT_USAGE,
    AlibabaBillItem,
    ConversionRounding,
    FeeRecord,
    Instrument,
    InstrumentOrder,
    alibaba_bill_item,
    convert_subtotal,
    settle_fee,
    used_consumption_quota,
)
from partnerkit.errors import InvalidArgumentError
from partnerkit.money import Money, Rounding, total


def usd(amount: str | Decimal) -> Money:
    return Money.of(amount, "USD")


def cny(amount: str) -> Money:
    return Money.of(amount, "CNY")


amounts = st.decimals(min_value=0, max_value=5_000, places=4, allow_nan=False)


class TestHuaweiFeeRecords:
    def test_discount_erase_then_instruments_in_order(self) -> None:
        """Huawei: official = discount + erase + consume; voucher > cash coupon > card > cash > credit."""
        record = settle_fee(
            usd("100.00"),
            discount=usd("12.345"),
            available={
                Instrument.CREDIT: usd("1000"),
                Instrument.CASH: usd("20"),
                Instrument.STORED_VALUE_CARD: usd("30"),
                Instrument.CASH_COUPON: usd("15"),
                Instrument.VOUCHER: usd("10"),
            },
        )
        assert record.erase_amount == usd("0.005")
        assert [i for i, _ in record.instruments] == [
            Instrument.VOUCHER, Instrument.CASH_COUPON, Instrument.STORED_VALUE_CARD,
            Instrument.CASH, Instrument.CREDIT,
        ]  # fmt: skip
        assert record.instruments[-1][1] == usd("12.65")
        assert record.trace().result().is_zero()

    def test_uncovered_rest_is_debt_and_another_order_is_data(self) -> None:
        """A made-up vendor pays cash before coupons: same function, another InstrumentOrder."""
        cash_first = InstrumentOrder((Instrument.CASH, Instrument.CASH_COUPON))
        record = settle_fee(
            usd("50"), discount=usd("0"), order=cash_first,
            available={Instrument.CASH: usd("20"), Instrument.CASH_COUPON: usd("25")},
        )  # fmt: skip
        assert record.instruments == (
            (Instrument.CASH, usd("20")),
            (Instrument.CASH_COUPON, usd("25")),
            (Instrument.DEBT, usd("5.00")),
        )
        with pytest.raises(InvalidArgumentError):
            InstrumentOrder((Instrument.CASH, Instrument.CASH))
        with pytest.raises(InvalidArgumentError):
            InstrumentOrder((Instrument.DEBT,))

    def test_a_record_that_does_not_add_up_is_refused(self) -> None:
        """Both identities are checked at construction, naming the field."""
        with pytest.raises(InvalidArgumentError) as caught:
            FeeRecord(
                official_amount=usd("10"), official_discount_amount=usd("1"),
                erase_amount=usd("0"), consume_amount=usd("8"),
                instruments=((Instrument.CASH, usd("8")),),
            )  # fmt: skip
        assert caught.value.argument == "official_amount"
        with pytest.raises(InvalidArgumentError) as paid:
            FeeRecord(
                official_amount=usd("10"), official_discount_amount=usd("1"),
                erase_amount=usd("0"), consume_amount=usd("9"),
                instruments=((Instrument.CASH, usd("8")),),
            )  # fmt: skip
        assert paid.value.argument == "instruments"
        for bad in (
            {"discount": usd("11")},
            {"discount": usd("-1")},
            {"available": {Instrument.CASH: usd("-1")}},
        ):
            arguments = {"discount": usd("0"), "available": {}} | bad
            with pytest.raises(InvalidArgumentError):
                settle_fee(usd("10"), **arguments)  # type: ignore[arg-type]


@given(
    amounts,
    amounts,
    st.dictionaries(st.sampled_from(list(HUAWEI_INSTRUMENT_ORDER.order)), amounts, max_size=5),
)
def test_fee_identities_and_order_hold_for_any_input(
    official: Decimal, discount: Decimal, available: dict[Instrument, Decimal]
) -> None:
    """For any fee: both identities hold, an instrument pays only once the earlier ones are
    exhausted, debt appears only when all are, and the trace recomputes to zero."""
    if discount > official:
        official, discount = discount, official
    record = settle_fee(
        usd(official), discount=usd(discount), available={k: usd(v) for k, v in available.items()}
    )
    assert record.trace().result().is_zero()
    used = dict(record.instruments)
    order = HUAWEI_INSTRUMENT_ORDER.order
    for position, instrument in enumerate(order):
        if instrument in used:
            for earlier in order[:position]:
                assert used.get(earlier, usd("0")) == usd(available.get(earlier, Decimal(0)))
    if Instrument.DEBT in used:
        assert all(used.get(i, usd("0")) == usd(available.get(i, Decimal(0))) for i in order)
    assert total((m for _, m in record.instruments), currency="USD") == record.consume_amount
    assert record.erase_amount < usd("0.01")


class TestAlibabaBillItems:
    def test_order_and_identities(self) -> None:
        """Alibaba: invoice discount -> coupons -> round-down -> cash coupons and prepaid card."""
        item = alibaba_bill_item(
            cny("105.8765"), invoice_discount=cny("5.00"), coupons=cny("20"),
            cash_coupons=cny("30"), prepaid_card=cny("100"),
        )  # fmt: skip
        assert (item.deducted_by_coupons, item.round_down_discount, item.pretax_amount) == (
            cny("20"), cny("0.0065"), cny("80.87"),
        )  # fmt: skip
        assert (item.deducted_by_cash_coupons, item.deducted_by_prepaid_card) == (
            cny("30"), cny("50.87"),
        )  # fmt: skip
        assert item.payment_amount.is_zero()
        with pytest.raises(InvalidArgumentError):
            AlibabaBillItem(
                pretax_gross_amount=cny("10"), invoice_discount=cny("1"),
                deducted_by_coupons=cny("0"), round_down_discount=cny("0"),
                pretax_amount=cny("8"), deducted_by_cash_coupons=cny("0"),
                deducted_by_prepaid_card=cny("0"), payment_amount=cny("8"),
            )  # fmt: skip
        with pytest.raises(InvalidArgumentError):
            alibaba_bill_item(
                cny("1"), invoice_discount=cny("2"), coupons=cny("0"),
                cash_coupons=cny("0"), prepaid_card=cny("0"),
            )  # fmt: skip

    @given(amounts, amounts, amounts, amounts, amounts)
    def test_identities_hold_and_nothing_goes_negative(
        self, gross: Decimal, discount: Decimal, coupons: Decimal, cash: Decimal, card: Decimal
    ) -> None:
        """Any inputs: both identities hold and every field stays >= 0."""
        if discount > gross:
            gross, discount = discount, gross
        item = alibaba_bill_item(
            usd(gross), invoice_discount=usd(discount), coupons=usd(coupons),
            cash_coupons=usd(cash), prepaid_card=usd(card),
        )  # fmt: skip
        fields = (
            item.deducted_by_coupons, item.round_down_discount, item.pretax_amount,
            item.deducted_by_cash_coupons, item.deducted_by_prepaid_card, item.payment_amount,
        )  # fmt: skip
        assert not any(f.is_negative() for f in fields)
        assert item.round_down_discount < usd("0.01")


class TestRoundingPoints:
    def test_microsoft_usage_and_license_formulas(self) -> None:
        """Microsoft: ROUNDDOWN(ROUNDDOWN(p x q, 2) x fx, 2) and ROUNDDOWN(p x fx, 2) x q."""
        price, quantity, rate = usd("0.0123"), Decimal(1000), Decimal("0.9137")
        usage = convert_subtotal(price, quantity, currency="EUR", rate=rate, policy=MICROSOFT_USAGE)
        assert usage == Money.of("11.23", "EUR")  # 12.30 x 0.9137 = 11.238..., down
        seat = convert_subtotal(
            usd("12.349"), Decimal(3), currency="EUR", rate=rate, policy=MICROSOFT_LICENSE
        )
        assert seat == Money.of("33.84", "EUR")  # ROUNDDOWN(11.2832..., 2) = 11.28, x 3
        local = convert_subtotal(
            price, quantity, currency="EUR", rate=rate, policy=HUAWEI_LOCAL_DISPLAY
        )
        assert local == Money.of("11.24", "EUR")  # exact, then half-up once (DC-28)

    def test_rounding_points_are_data(self) -> None:
        """A made-up vendor rounds half-even before FX and not after: a value, not a code path."""
        made_up = ConversionRounding(before=Rounding.HALF_EVEN, after=None)
        amount = convert_subtotal(
            usd("0.125"), Decimal(1), currency="EUR", rate=Decimal(2), policy=made_up
        )
        assert amount == Money.of("0.24", "EUR")
        with pytest.raises(InvalidArgumentError):
            convert_subtotal(usd("1"), Decimal(-1), currency="EUR", rate=Decimal(1), policy=made_up)


def test_consumption_quota_identity() -> None:
    """R-BILL-54 (Huawei intl API): used = due + unbilled - balance - coupons."""
    used = used_consumption_quota(
        due_amount=usd("800"), unbilled_amount=usd("350.50"),
        balance=usd("100"), coupon_amount=usd("50.50"),
    )  # fmt: skip
    assert used == usd("1000.00")
    with pytest.raises(InvalidArgumentError):
        used_consumption_quota(
            due_amount=Decimal(1), unbilled_amount=usd("0"),  # type: ignore[arg-type]
            balance=usd("0"), coupon_amount=usd("0"),
        )  # fmt: skip
