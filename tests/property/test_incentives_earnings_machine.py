"""The earnings lifecycle against a reference model written here from the spec (3.4, 3.5).

Statements are generated, confirmed or left to auto-confirm, issued, frozen
by unpaid bills of their cycle and unfrozen the day after payment, expire a
year after generation, and are requested for payment by bank, top-up or
coupon; requests are rejected (freeing the earnings and waiving expiry) or
completed.  After every step the earnings must agree with the model.

R-INC-29, R-INC-30, R-INC-31, R-INC-32, R-INC-39, R-INC-40, R-INC-42,
R-INC-43, R-INC-44, R-INC-47, DC-INC-10, DC-INC-12, DC-INC-13, DC-INC-32.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import event
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from partnerkit.errors import RuleViolationError
from partnerkit.ids import ActorId, PartnerId
from partnerkit.incentives.earnings import (
    BelowMinimumPayout,
    EarningStatus,
    IncentiveEarning,
    NothingToPay,
    PartnerStanding,
    PaymentRequest,
    PaymentStatus,
    PayoutOption,
    PayoutOptionNotAllowed,
    approve_invoice,
    approve_payment,
    auto_confirm,
    availability,
    complete_payment,
    confirm,
    issue,
    reject_payment,
    request_payment,
    send_requisition,
    statement,
    submit_invoice,
)
from partnerkit.money import Money
from partnerkit.periods import GMT_PLUS_8, Period, PeriodKind

P = PartnerId("p1")
ADMIN, OPS = ActorId("admin"), ActorId("ops")
T0 = datetime(2024, 1, 3, 9, tzinfo=GMT_PLUS_8)
MINIMUM = Decimal(200)


@dataclass
class Model:
    status: EarningStatus
    generated: datetime
    amount: Decimal
    period: Period
    request: str | None = None
    paid: bool = False
    waived: bool = False


class EarningsMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.now = T0
        self.earnings: dict[str, IncentiveEarning] = {}
        self.model: dict[str, Model] = {}
        self.bills: dict[Period, date | None] = {}
        self.requests: dict[str, PaymentRequest] = {}
        self.counter = 0

    # --- the model -------------------------------------------------------------------------

    def today(self) -> date:
        return self.now.astimezone(GMT_PLUS_8).date()

    def frozen(self, m: Model) -> bool:
        for month in m.period.months():
            if month in self.bills:
                paid_on = self.bills[month]
                if paid_on is None or self.today() <= paid_on:
                    return True
        return False

    def expired(self, m: Model) -> bool:
        last = m.generated.astimezone(GMT_PLUS_8).date() + relativedelta(years=1)
        return not m.waived and self.today() > last

    def available(self, m: Model) -> bool:
        return (
            m.status is EarningStatus.ISSUED
            and m.request is None
            and not m.paid
            and not self.frozen(m)
            and not self.expired(m)
        )

    # --- rules -----------------------------------------------------------------------------

    @rule(
        cents=st.sampled_from([-7600, 0, 5000, 15000, 20000, 66600, 250000]),
        quarterly=st.booleans(),
        unpaid=st.booleans(),
    )
    def generate(self, cents: int, quarterly: bool, unpaid: bool) -> None:
        self.counter += 1
        eid = f"e{self.counter:03d}"
        kind = PeriodKind.QUARTER if quarterly else PeriodKind.MONTH
        period = Period.containing(kind, self.today()).previous()
        amount = Decimal(cents).scaleb(-2)
        self.earnings[eid] = statement(
            eid, P, period, Money.of(amount, "USD"), policy_id="r", generated_at=self.now
        )
        self.model[eid] = Model(EarningStatus.PENDING_CONFIRMATION, self.now, amount, period)
        for month in period.months():
            if unpaid:
                self.bills[month] = None
            else:
                self.bills.setdefault(month, self.today() - timedelta(days=1))

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data())
    def confirm_one(self, data: st.DataObject) -> None:
        eid = data.draw(st.sampled_from(sorted(self.model)))
        m = self.model[eid]
        if m.status is EarningStatus.PENDING_CONFIRMATION:
            self.earnings[eid] = confirm(self.earnings[eid], actor=ADMIN, as_of=self.now)[0]
            m.status = EarningStatus.ISSUING
        else:
            before = self.earnings[eid]
            with pytest.raises(RuleViolationError) as caught:
                confirm(before, actor=ADMIN, as_of=self.now)
            assert caught.value.rule_id == "R-INC-30"
            assert self.earnings[eid] == before

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data())
    def issue_one(self, data: st.DataObject) -> None:
        eid = data.draw(st.sampled_from(sorted(self.model)))
        m = self.model[eid]
        if m.status is EarningStatus.ISSUING:
            self.earnings[eid] = issue(self.earnings[eid], actor=OPS, as_of=self.now)[0]
            m.status = EarningStatus.ISSUED
        else:
            with pytest.raises(RuleViolationError) as caught:
                issue(self.earnings[eid], actor=OPS, as_of=self.now)
            assert caught.value.rule_id == "R-INC-32"

    @rule(hours=st.sampled_from([1, 23, 24 * 3, 24 * 5, 24 * 20, 24 * 200]))
    def advance(self, hours: int) -> None:
        self.now += timedelta(hours=hours)
        for eid, m in self.model.items():
            after, _ = auto_confirm(self.earnings[eid], as_of=self.now)
            self.earnings[eid] = after
            if (
                m.status is EarningStatus.PENDING_CONFIRMATION
                and self.now >= m.generated + timedelta(days=5)
            ):
                m.status = EarningStatus.ISSUING

    @precondition(lambda self: any(v is None for v in self.bills.values()))
    @rule(data=st.data())
    def pay_bill(self, data: st.DataObject) -> None:
        month = data.draw(st.sampled_from(sorted(m for m, v in self.bills.items() if v is None)))
        self.bills[month] = self.today()

    @rule(option=st.sampled_from(list(PayoutOption)))
    def request(self, option: PayoutOption) -> None:
        self.counter += 1
        rid = f"r{self.counter:03d}"
        chosen = [eid for eid, m in sorted(self.model.items()) if self.available(m)]
        net = sum((self.model[e].amount for e in chosen), Decimal(0))
        quarterly = any(self.model[e].period.kind is PeriodKind.QUARTER for e in chosen)
        expected: type[Exception] | None = None
        if not chosen:
            expected = NothingToPay
        elif option is PayoutOption.BANK_TRANSFER and quarterly:
            expected = PayoutOptionNotAllowed
        elif net <= 0:
            expected = NothingToPay
        elif option is not PayoutOption.COUPON and net < MINIMUM:
            expected = BelowMinimumPayout
        before = dict(self.earnings)
        kwargs = {
            "request_id": rid,
            "actor": ADMIN,
            "standing": PartnerStanding(),
            "bills": self.bills,
            "as_of": self.now,
        }
        event(f"request: {expected.__name__ if expected else 'made'} ({option.value})")
        if expected is not None:
            with pytest.raises(expected):
                request_payment(list(self.earnings.values()), option, **kwargs)  # type: ignore[arg-type]
            assert self.earnings == before
            return
        made, held, _ = request_payment(list(self.earnings.values()), option, **kwargs)  # type: ignore[arg-type]
        assert sorted(made.earning_ids) == chosen
        assert made.requested == Money.of(net, "USD")
        negatives = [e for e in made.earning_ids if self.model[e].amount < 0]
        assert list(made.earning_ids[: len(negatives)]) == negatives
        for earning in held:
            self.earnings[earning.earning_id] = earning
            m = self.model[earning.earning_id]
            m.request = rid
            m.paid = option is PayoutOption.COUPON
        if option is not PayoutOption.COUPON:
            self.requests[rid] = made

    @precondition(lambda self: bool(self.requests))
    @rule(data=st.data(), accept=st.booleans())
    def settle(self, data: st.DataObject, accept: bool) -> None:
        rid = data.draw(st.sampled_from(sorted(self.requests)))
        request = self.requests.pop(rid)
        request = send_requisition(request, actor=ADMIN, as_of=self.now)[0]
        assert request.invoice_amount is not None
        request = submit_invoice(
            request, request.invoice_amount, billing_list=True, actor=ADMIN, as_of=self.now
        )[0]
        request = approve_invoice(request, actor=OPS, as_of=self.now)[0]
        held = [self.earnings[e] for e in request.earning_ids]
        if accept:
            request = approve_payment(request, actor=OPS, as_of=self.now)[0]
            event("request completed")
            done, changed, _ = complete_payment(request, held, actor=OPS, as_of=self.now)
            assert done.status is PaymentStatus.COMPLETED
        else:
            event("request rejected: expiry waived")
            done, changed, _ = reject_payment(request, held, causes="x", actor=OPS, as_of=self.now)
            assert done.status is PaymentStatus.REJECTED
        for earning in changed:
            self.earnings[earning.earning_id] = earning
            m = self.model[earning.earning_id]
            if accept:
                m.paid = True
            else:
                m.request, m.waived = None, True

    # --- invariants ------------------------------------------------------------------------

    @invariant()
    def agrees_with_the_model(self) -> None:
        for eid, m in self.model.items():
            earning = self.earnings[eid]
            assert earning.status is m.status
            assert (earning.request_id, earning.paid, earning.expiry_waived) == (
                m.request,
                m.paid,
                m.waived,
            )
            decision = availability(earning, bills=self.bills, as_of=self.now)
            assert decision.allowed == self.available(m)
            codes = set(decision.codes)
            assert ("FROZEN" in codes) == self.frozen(m)
            assert ("EXPIRED" in codes) == (self.expired(m) and earning.generated_at is not None)


TestEarningsMachine = EarningsMachine.TestCase
