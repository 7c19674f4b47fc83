"""Paying the partner bill: issue, automatic deduction, repayment, cards and the credit limit.

billing.md section 3 (R-BILL-10..12, 45..54).  A monthly bill is issued at
12:00 GMT+08:00 on day 5 of the next month (R-BILL-12, DC-12) and takes what
it can from the account balance (R-BILL-46); a shortfall leaves it unpaid or
partially paid, not an error (DC-13).  Repayments go to the oldest cycle
first and any surplus stays as balance (DC-13).  Each transaction obeys the
single-transaction limits (R-BILL-45, DC-16).  The consumption quota is the
most the partner may owe: above 80 % it alerts, beyond it the partner and its
reseller-model customers may not buy (R-BILL-54).

>>> from partnerkit.money import Money
>>> from partnerkit.periods import Period
>>> bill = PartnerBill.estimate(PartnerId("d1"), Period.parse("2024M6"), Money.of("120.00", "USD"))
>>> issued, balance, _ = issue_bill(bill, balance=Money.of("100.00", "USD"), actor=SYSTEM_ACTOR)
>>> issued.status, issued.outstanding, balance
(<BillStatus.PARTIALLY_PAID: 'partially-paid'>, Money('20.00', 'USD'), Money('0.00', 'USD'))
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, tzinfo
from decimal import Decimal
from typing import final

import attrs

import partnerkit._validators as _v
from partnerkit.billing.records import require_bill
from partnerkit.calendars import WorkingCalendar, add_working_days
from partnerkit.decisions import Decision, Reason
from partnerkit.errors import InvalidArgumentError, RuleViolationError
from partnerkit.events import Event
from partnerkit.ids import SYSTEM_ACTOR, ActorId, PartnerId
from partnerkit.money import Money, Rate, Rounding, scale
from partnerkit.periods import GMT_PLUS_8, Period, require_aware

__all__ = [
    "HUAWEI_PAYMENTS",
    "ONLINE_TOP_UP_ENTITIES",
    "BillIssued",
    "BillStatus",
    "Card",
    "CardStatus",
    "CardWallet",
    "ChileanId",
    "ConsumptionQuota",
    "ConsumptionQuotaAlert",
    "CreditLimitExceeded",
    "CreditLimitRestored",
    "EntryType",
    "FundsAccount",
    "Outstanding",
    "PartnerBill",
    "PaymentPolicy",
    "Repayment",
    "Statement",
    "StatementEntry",
    "check_transaction",
    "earnings_frozen",
    "issue_bill",
    "issue_time",
    "may_top_up_online",
    "outstanding",
    "pay_bill",
    "repay",
    "transfer_credited_by",
    "verify_card",
    "withholding_split",
]


@final
@attrs.frozen(kw_only=True)
class PaymentPolicy:
    """A vendor's payment rules (DC-12, DC-13, DC-16, R-BILL-54).

    Attributes:
        issue_day: Day of month M+1 the bill of M is issued (5).
        issue_at: Time of day it is issued (12:00).
        tz: The billing time zone (GMT+08:00).
        limits: Per currency code, the inclusive single-transaction bounds
            (USD 0..20,000 with 0 refused; CLP 1..11,000,000; R-BILL-45).
        quota_alert_percent: Consumption-quota alert threshold, exclusive (80).
        transfer_working_days: Working days to credit a bank transfer (3).
    """

    issue_day: int = 5
    issue_at: time = time(12, 0)
    tz: tzinfo = GMT_PLUS_8
    limits: Mapping[str, tuple[Decimal, Decimal]] = attrs.field(
        factory=lambda: {
            "USD": (Decimal(0), Decimal(20_000)),
            "CLP": (Decimal(1), Decimal(11_000_000)),
        }
    )
    quota_alert_percent: int = 80
    transfer_working_days: int = 3


#: Huawei's payment rules.
HUAWEI_PAYMENTS = PaymentPolicy()


def issue_time(cycle: Period, *, policy: PaymentPolicy = HUAWEI_PAYMENTS) -> datetime:
    """When the bill of ``cycle`` is issued: day 5 of the next month, 12:00 GMT+08:00 (R-BILL-12).

    >>> issue_time(Period.parse("2024M7")).isoformat()
    '2024-08-05T12:00:00+08:00'
    """
    _v.require_month(cycle)
    following = cycle.next()
    return datetime.combine(
        date(following.year, following.index, policy.issue_day),
        policy.issue_at,
        tzinfo=policy.tz,
    )


def check_transaction(amount: Money, *, policy: PaymentPolicy = HUAWEI_PAYMENTS) -> None:
    """Refuse a single transaction outside its currency's limits (R-BILL-45, DC-16).

    The amount must be above zero, within the inclusive bounds and in whole
    minor units.

    >>> check_transaction(Money.of("20000.00", "USD"))
    >>> try:
    ...     check_transaction(Money.of("20000.01", "USD"))
    ... except InvalidArgumentError as error:
    ...     print(error.rule_id)
    R-BILL-45
    """
    bounds = policy.limits.get(amount.currency.code)
    if bounds is None:
        raise InvalidArgumentError(
            "amount", amount, "no transaction limits for this currency", rule_id="R-BILL-45"
        )
    lower, upper = bounds
    if not (amount.amount > 0 and lower <= amount.amount <= upper):
        raise InvalidArgumentError(
            "amount",
            amount,
            f"a single {amount.currency.code} transaction is > 0 and within {lower}..{upper}",
            rule_id="R-BILL-45",
        )
    if amount.round(rounding=Rounding.DOWN) != amount:
        raise InvalidArgumentError(
            "amount", amount, "more decimals than the currency's minor units", rule_id="R-BILL-45"
        )


class BillStatus(enum.Enum):
    """Bill payment statuses (billing.md 6.2)."""

    #: The current month's running estimate: never payable (R-BILL-11).
    ESTIMATED = "estimated"
    UNPAID = "unpaid"
    PARTIALLY_PAID = "partially-paid"
    PAID = "paid"


@final
@attrs.frozen
class PartnerBill:
    """A partner's bill for one cycle and what has been paid on it.

    Attributes:
        partner_id: The billed partner.
        cycle: The month.
        amount_due: The rounded amount due (I-11).
        paid: Paid so far.
        status: ESTIMATED until issued, then UNPAID, PARTIALLY_PAID or PAID.
        version: Storage version (optimistic concurrency).
    """

    partner_id: PartnerId
    cycle: Period
    amount_due: Money
    paid: Money
    status: BillStatus
    version: int = 0

    @classmethod
    def estimate(cls, partner_id: PartnerId, cycle: Period, amount_due: Money) -> PartnerBill:
        """A bill not yet issued (R-BILL-11)."""
        if amount_due.is_negative():
            raise InvalidArgumentError("amount_due", amount_due, "an amount due is >= 0 (I-11)")
        return cls(partner_id, cycle, amount_due, amount_due.currency.zero, BillStatus.ESTIMATED)

    @property
    def outstanding(self) -> Money:
        """What is still to pay."""
        return self.amount_due - self.paid

    def overdue(self, as_of: datetime, *, policy: PaymentPolicy = HUAWEI_PAYMENTS) -> bool:
        """Unpaid when the next cycle's bill is issued (DC-12)."""
        require_aware(as_of)
        return self.status in (
            BillStatus.UNPAID,
            BillStatus.PARTIALLY_PAID,
        ) and as_of >= issue_time(self.cycle.next(), policy=policy)

    def _pay(self, amount: Money) -> PartnerBill:
        paid = self.paid + amount
        status = BillStatus.PAID if paid == self.amount_due else BillStatus.PARTIALLY_PAID
        if paid.is_zero() and not self.amount_due.is_zero():
            status = BillStatus.UNPAID
        return attrs.evolve(self, paid=paid, status=status)


@final
@attrs.frozen
class FundsAccount:
    """A partner's top-up account: the balance bills are deducted from (R-BILL-46)."""

    partner_id: PartnerId
    balance: Money
    version: int = 0


@attrs.frozen(kw_only=True)
class BillIssued(Event):
    """A bill was issued and took ``deducted`` from the account balance (R-BILL-46)."""

    partner_id: PartnerId
    cycle: Period
    amount_due: Money
    deducted: Money


def issue_bill(
    bill: PartnerBill, *, balance: Money, actor: ActorId, policy: PaymentPolicy = HUAWEI_PAYMENTS
) -> tuple[PartnerBill, Money, BillIssued]:
    """Issue a bill and deduct what the balance covers (R-BILL-12, R-BILL-46, DC-13).

    Returns the issued bill, the balance left and the event.  A short balance
    leaves the bill UNPAID or PARTIALLY_PAID.  See the module example.
    """
    if bill.status is not BillStatus.ESTIMATED:
        raise RuleViolationError(
            "R-BILL-12", "the bill is already issued", fields={"cycle": str(bill.cycle)}
        )
    if balance.is_negative():
        raise InvalidArgumentError("balance", balance, "an account balance is >= 0")
    deducted = min(balance, bill.amount_due)
    issued = attrs.evolve(bill, status=BillStatus.UNPAID)._pay(deducted)
    if bill.amount_due.is_zero():
        issued = attrs.evolve(issued, status=BillStatus.PAID)
    event = BillIssued(
        occurred_at=issue_time(bill.cycle, policy=policy),
        actor=actor,
        partner_id=bill.partner_id,
        cycle=bill.cycle,
        amount_due=bill.amount_due,
        deducted=deducted,
    )
    return issued, balance - deducted, event


@final
@attrs.frozen
class Repayment:
    """The result of a repayment: the bills after it, what each got, and the surplus."""

    bills: tuple[PartnerBill, ...]
    allocations: tuple[tuple[Period, Money], ...]
    surplus: Money


def repay(
    bills: Iterable[PartnerBill],
    amount: Money,
    *,
    policy: PaymentPolicy = HUAWEI_PAYMENTS,
) -> Repayment:
    """Repay issued bills, oldest cycle first; the surplus stays as balance (R-BILL-47, DC-13).

    The amount is one transaction (R-BILL-45).  Estimates are never paid
    (R-BILL-11).  Bills come back in their input order; an expenditure
    record is not a bill and raises (R-BILL-20).
    """
    check_transaction(amount, policy=policy)
    items = list(bills)
    for item in items:
        _require_partner_bill(item)
    left = amount
    paid: dict[int, PartnerBill] = {}
    allocations = []
    for index in sorted(range(len(items)), key=lambda i: items[i].cycle):
        bill = items[index]
        if bill.status is BillStatus.ESTIMATED or not bill.outstanding.is_positive():
            continue
        share = min(left, bill.outstanding)
        if not share.is_positive():
            break
        paid[index] = bill._pay(share)
        allocations.append((bill.cycle, share))
        left = left - share
    return Repayment(tuple(paid.get(i, b) for i, b in enumerate(items)), tuple(allocations), left)


def _require_partner_bill(value: object) -> None:
    require_bill(value)
    if not isinstance(value, PartnerBill):
        raise InvalidArgumentError("bill", value, "expected a PartnerBill")


def pay_bill(bill: PartnerBill, amount: Money) -> PartnerBill:
    """Pay one bill directly; an estimate raises (R-BILL-11), a non-bill too (R-BILL-20)."""
    _require_partner_bill(bill)
    if bill.status is BillStatus.ESTIMATED:
        raise RuleViolationError(
            "R-BILL-11",
            "the current month's bill is an estimate and cannot be paid",
            fields={"cycle": str(bill.cycle)},
        )
    if amount > bill.outstanding or not amount.is_positive():
        raise InvalidArgumentError("amount", amount, f"0 < amount <= {bill.outstanding}")
    return bill._pay(amount)


@final
@attrs.frozen
class Outstanding:
    """The amount-due panel: ``current + previous = total`` (I-14, R-BILL-10)."""

    current: Money
    previous: Money
    total: Money


def outstanding(bills: Sequence[PartnerBill], *, latest: Period) -> Outstanding:
    """Split what is owed into the latest issued cycle and earlier ones (R-BILL-10).

    >>> from partnerkit.money import Money
    >>> usd = lambda a: Money.of(a, "USD")
    >>> mk = lambda c, due, paid: attrs.evolve(PartnerBill.estimate(PartnerId("p"), Period.parse(c),
    ...     usd(due)), paid=usd(paid), status=BillStatus.PARTIALLY_PAID)
    >>> outstanding([mk("2024M5", "900.00", "0"), mk("2024M6", "10444.73", "0")],
    ...             latest=Period.parse("2024M6")).total
    Money('11344.73', 'USD')
    """
    if not bills:
        raise InvalidArgumentError("bills", bills, "need at least one bill")
    currency = bills[0].amount_due.currency
    current, previous = currency.zero, currency.zero
    for bill in bills:
        if bill.status is BillStatus.ESTIMATED:
            continue
        if bill.cycle == latest:
            current = current + bill.outstanding
        elif bill.cycle < latest:
            previous = previous + bill.outstanding
    return Outstanding(current, previous, current + previous)


def transfer_credited_by(
    ticket_filed: datetime, *, calendar: WorkingCalendar, policy: PaymentPolicy = HUAWEI_PAYMENTS
) -> date:
    """The last day a bank transfer ticket may take to be credited: 3 working days (R-BILL-48).

    >>> from partnerkit.calendars import WEEKENDS
    >>> transfer_credited_by(datetime(2024, 6, 7, 10, tzinfo=GMT_PLUS_8), calendar=WEEKENDS)
    datetime.date(2024, 6, 12)
    """
    filed = require_aware(ticket_filed, argument="ticket_filed")
    local = filed.astimezone(policy.tz).date()
    return add_working_days(calendar, local, policy.transfer_working_days)


class CardStatus(enum.Enum):
    """A card's verification status (R-BILL-52)."""

    ACTIVE = "active"
    FAILED = "failed"


@final
@attrs.frozen
class Card:
    """A payment card on file; ``reason`` says why verification failed (R-BILL-52)."""

    card_id: str
    status: CardStatus = CardStatus.ACTIVE
    reason: str | None = None


class ChileanId(enum.Enum):
    """The extra identity a card issued in Chile needs (R-BILL-52)."""

    RUT = "rut"
    OTRO = "otro"


_RUT = re.compile(r"\d{1,8}-[\dkK]")


def verify_card(
    card: Card,
    *,
    test_charge_ok: bool,
    country: str,
    id_type: ChileanId | None = None,
    id_value: str | None = None,
) -> Card:
    """Verify a card after its small test charge, refunded within about a week (R-BILL-52).

    A failed charge, or missing or malformed Chilean ID data (a RUT such as
    ``8148691-0``, or Otro of 5-20 characters), leaves the card FAILED with
    the reason listed.

    >>> verify_card(Card("visa-1"), test_charge_ok=True, country="CL", id_type=ChileanId.OTRO,
    ...             id_value="AB12").reason
    'Otro ID data is 5-20 characters'
    """
    if not isinstance(card, Card):
        raise InvalidArgumentError("card", card, "expected a Card")
    if not isinstance(test_charge_ok, bool):
        raise InvalidArgumentError("test_charge_ok", test_charge_ok, "expected True or False")
    reason = None
    if not test_charge_ok:
        reason = "the test charge was declined"
    elif country == "CL":
        if id_type is None or not id_value:
            reason = "cards issued in Chile need a RUT or Otro ID"
        elif id_type is ChileanId.RUT and not _RUT.fullmatch(id_value):
            reason = "a RUT is digits, a hyphen and a check digit, e.g. 8148691-0"
        elif id_type is ChileanId.OTRO and not 5 <= len(id_value) <= 20:
            reason = "Otro ID data is 5-20 characters"
    if reason is None:
        return attrs.evolve(card, status=CardStatus.ACTIVE, reason=None)
    return attrs.evolve(card, status=CardStatus.FAILED, reason=reason)


@final
@attrs.frozen
class CardWallet:
    """A CSP's cards, in the order added, with the default first to charge (R-BILL-53, DC-36).

    Attributes:
        currency: The transaction currency; cards need one (R-BILL-51).
        cards: Cards in the order they were added.
        default: The default card's id.
        card_quota: The credit-card quota (R-BILL-50).
    """

    currency: str | None
    cards: tuple[Card, ...] = ()
    default: str | None = None
    card_quota: Money | None = None

    def add(self, card: Card) -> CardWallet:
        """Add a card: needs a currency (R-BILL-51); quota becomes max(quota, 1,000) (R-BILL-50).

        >>> w = CardWallet("USD").add(Card("visa-1"))
        >>> w.default, w.card_quota
        ('visa-1', Money('1000', 'USD'))
        """
        if self.currency is None:
            raise RuleViolationError(
                "R-BILL-51", "set a transaction currency before adding a card", fields={}
            )
        if any(c.card_id == card.card_id for c in self.cards):
            raise InvalidArgumentError("card", card.card_id, "already on file")
        floor = Money.of(1000, self.currency)
        quota = floor if self.card_quota is None else max(self.card_quota, floor)
        return CardWallet(self.currency, (*self.cards, card), self.default or card.card_id, quota)

    def delete(self, card_id: str) -> CardWallet:
        """Delete a card; the default card cannot be deleted (R-BILL-53)."""
        if card_id == self.default:
            raise RuleViolationError(
                "R-BILL-53", "the default card cannot be deleted", fields={"card_id": card_id}
            )
        if not any(c.card_id == card_id for c in self.cards):
            raise InvalidArgumentError("card_id", card_id, "not on file")
        return attrs.evolve(self, cards=tuple(c for c in self.cards if c.card_id != card_id))

    def charge_order(self) -> tuple[str, ...]:
        """Which cards to try: the default, then the other active ones as added (DC-36)."""
        active = [c.card_id for c in self.cards if c.status is CardStatus.ACTIVE]
        return tuple(sorted(active, key=lambda cid: cid != self.default))


@attrs.frozen(kw_only=True)
class ConsumptionQuotaAlert(Event):
    """Usage of the consumption quota went above the alert threshold (R-BILL-54)."""

    partner_id: PartnerId
    used: Money
    limit: Money


@attrs.frozen(kw_only=True)
class CreditLimitExceeded(Event):
    """The partner owes more than its quota: it and its reseller-model customers may not buy.

    The budget and freeze engine is meant to honour it (R-BILL-54).
    """

    partner_id: PartnerId
    used: Money
    limit: Money


@attrs.frozen(kw_only=True)
class CreditLimitRestored(Event):
    """Repayment brought what the partner owes back within its quota: purchases may resume."""

    partner_id: PartnerId
    used: Money
    limit: Money


@final
@attrs.frozen
class ConsumptionQuota:
    """The most a partner may owe (R-BILL-54): ``used`` against ``limit``."""

    partner_id: PartnerId
    limit: Money
    used: Money
    version: int = attrs.field(default=0, kw_only=True)

    @property
    def exceeded(self) -> bool:
        """Whether the partner owes more than its quota, blocking its purchases (R-BILL-54)."""
        return self.used > self.limit

    def may_purchase(self, amount: Money) -> Decision:
        """Whether a purchase of ``amount`` stays within the quota (R-BILL-54)."""
        if self.used + amount <= self.limit:
            return Decision.allow()
        return Decision.deny(
            Reason(
                "CREDIT_LIMIT_EXCEEDED",
                "R-BILL-54",
                "the purchase would exceed the consumption quota",
                {"requested": amount, "used": self.used, "limit": self.limit},
            )
        )

    def record(
        self,
        amount: Money,
        *,
        at: datetime,
        actor: ActorId = SYSTEM_ACTOR,
        policy: PaymentPolicy = HUAWEI_PAYMENTS,
    ) -> tuple[ConsumptionQuota, tuple[Event, ...]]:
        """Add owed spend; alert on crossing above 80 %, flag crossing the limit (R-BILL-54).

        >>> q = ConsumptionQuota(PartnerId("p"), Money.of(1000, "USD"), Money.of(0, "USD"))
        >>> from datetime import timezone
        >>> q, events = q.record(Money.of(801, "USD"), at=datetime(2024, 6, 1, tzinfo=timezone.utc))
        >>> [e.name for e in events]
        ['ConsumptionQuotaAlert']
        """
        require_aware(at, argument="at")
        after = attrs.evolve(self, used=self.used + amount)
        events: list[Event] = []
        threshold = policy.quota_alert_percent
        if not self._above(threshold) and after._above(threshold):
            events.append(
                ConsumptionQuotaAlert(
                    occurred_at=at,
                    actor=actor,
                    partner_id=self.partner_id,
                    used=after.used,
                    limit=self.limit,
                )
            )
        if self.used <= self.limit < after.used:
            events.append(
                CreditLimitExceeded(
                    occurred_at=at,
                    actor=actor,
                    partner_id=self.partner_id,
                    used=after.used,
                    limit=self.limit,
                )
            )
        return after, tuple(events)

    def repaid(self, amount: Money) -> ConsumptionQuota:
        """Repayment lowers what is owed (never below zero)."""
        used = self.used - amount
        return attrs.evolve(self, used=used if not used.is_negative() else used.currency.zero)

    def record_repayment(
        self, amount: Money, *, at: datetime, actor: ActorId = SYSTEM_ACTOR
    ) -> tuple[ConsumptionQuota, tuple[Event, ...]]:
        """Lower what is owed; emit ``CreditLimitRestored`` on coming back within the quota.

        >>> from datetime import timezone
        >>> q = ConsumptionQuota(PartnerId("p"), Money.of(100, "USD"), Money.of(120, "USD"))
        >>> q, events = q.record_repayment(Money.of(20, "USD"),
        ...                                at=datetime(2024, 6, 1, tzinfo=timezone.utc))
        >>> q.exceeded, [e.name for e in events]
        (False, ['CreditLimitRestored'])
        """
        when = require_aware(at, argument="at")
        after = self.repaid(amount)
        if self.exceeded and not after.exceeded:
            event = CreditLimitRestored(
                occurred_at=when,
                actor=actor,
                partner_id=self.partner_id,
                used=after.used,
                limit=self.limit,
            )
            return after, (event,)
        return after, ()

    def _above(self, percent: int) -> bool:
        return scale(self.used.amount, 2) > (self.limit * percent).amount


class EntryType(enum.Enum):
    """Account-statement transaction types (R-BILL-57)."""

    TOP_UP = "top-up"
    REPAYMENT = "expenditure-repayment"
    MODE_CHANGE = "transaction-mode-change"


@final
@attrs.frozen
class StatementEntry:
    """One account-statement entry: signed amount and the balance after it (I-21)."""

    serial: str
    at: datetime
    entry_type: EntryType
    amount: Money
    balance_after: Money


@final
@attrs.frozen
class Statement:
    """A funds account's statement, kept in chronological order (R-BILL-57).

    Every entry obeys I-21: ``balance_after = previous balance_after + amount``.
    :meth:`newest_first` is the console's display order.

    >>> from partnerkit.periods import GMT_PLUS_8
    >>> s = Statement.opening(Money.of("1580950.00", "USD"))
    >>> when = datetime(2024, 6, 3, 10, tzinfo=GMT_PLUS_8)
    >>> s = s.post("AC-360000227-0", when, EntryType.TOP_UP, Money.of("30.00", "USD"))
    >>> s = s.post("AC-360000228-0", when, EntryType.REPAYMENT, Money.of("-30.00", "USD"))
    >>> [str(e.balance_after.amount) for e in s.entries]
    ['1580980.00', '1580950.00']
    """

    opening_balance: Money
    entries: tuple[StatementEntry, ...] = ()

    @classmethod
    def opening(cls, balance: Money) -> Statement:
        """An empty statement starting at ``balance``."""
        return cls(balance)

    @property
    def balance(self) -> Money:
        """The balance after the last entry."""
        return self.entries[-1].balance_after if self.entries else self.opening_balance

    def post(self, serial: str, at: datetime, entry_type: EntryType, amount: Money) -> Statement:
        """Append an entry; time must not go backwards (R-BILL-57, I-21)."""
        require_aware(at, argument="at")
        if self.entries and at < self.entries[-1].at:
            raise InvalidArgumentError(
                "at", at, "statement entries are posted in time order", rule_id="R-BILL-57"
            )
        if entry_type is EntryType.TOP_UP and not amount.is_positive():
            raise InvalidArgumentError("amount", amount, "a top-up is income (> 0)")
        if entry_type is EntryType.REPAYMENT and not amount.is_negative():
            raise InvalidArgumentError("amount", amount, "a repayment is expenditure (< 0)")
        entry = StatementEntry(serial, at, entry_type, amount, self.balance + amount)
        return attrs.evolve(self, entries=(*self.entries, entry))

    def newest_first(self) -> tuple[StatementEntry, ...]:
        """The display order of the console."""
        return tuple(reversed(self.entries))

    def check(self) -> None:
        """Verify I-21 over every entry (for statements loaded from elsewhere)."""
        balance = self.opening_balance
        for entry in self.entries:
            balance = balance + entry.amount
            if entry.balance_after != balance:
                raise RuleViolationError(
                    "R-BILL-57",
                    "the running balance is broken",
                    fields={
                        "serial": entry.serial,
                        "expected": balance,
                        "found": entry.balance_after,
                    },
                )


#: R-BILL-49: the signing entities whose distributors may top up online.
ONLINE_TOP_UP_ENTITIES = frozenset(
    {"Huawei Services (Hong Kong) Co., Limited", "Huawei (Chile) S.A."}
)


def may_top_up_online(*, distributor: bool, signing_entity: str) -> Decision:
    """Online top-up repayment for a distributor depends on its signing entity (R-BILL-49).

    >>> may_top_up_online(distributor=True, signing_entity="Huawei (Chile) S.A.").allowed
    True
    """
    if not distributor or signing_entity in ONLINE_TOP_UP_ENTITIES:
        return Decision.allow()
    return Decision.deny(
        Reason(
            "PAYMENT_METHOD_NOT_AVAILABLE",
            "R-BILL-49",
            "online top-up needs a Hong Kong or Chile signing entity; pay by bank transfer",
            {"signing_entity": signing_entity},
        )
    )


def withholding_split(fee: Money, rate: Rate) -> tuple[Money, Money]:
    """Split a WHT-inclusive fee into what the vendor gets and the tax withheld (R-BILL-59, I-23).

    Both parts are rounded half-up to the minor unit and always sum to ``fee``.

    >>> withholding_split(Money.of("100.00", "USD"), Rate.from_percent(10))
    (Money('90.00', 'USD'), Money('10.00', 'USD'))
    """
    if not isinstance(rate, Rate):
        raise InvalidArgumentError("rate", rate, "expected a Rate", rule_id="R-BILL-59")
    tax = (fee * rate).round(rounding=Rounding.HALF_UP)
    return fee - tax, tax


def earnings_frozen(bill: PartnerBill, *, fully_paid_on: date | None, today: date) -> Decision:
    """Whether the cycle's incentive earnings are frozen by this bill (R-BILL-56).

    Earnings freeze while any of the cycle's bill is unpaid and unfreeze the
    day after full payment.

    >>> from partnerkit.money import Money
    >>> b = attrs.evolve(PartnerBill.estimate(PartnerId("p"), Period.parse("2024M6"),
    ...     Money.of("10", "USD")), paid=Money.of("10", "USD"), status=BillStatus.PAID)
    >>> earnings_frozen(b, fully_paid_on=date(2024, 7, 8), today=date(2024, 7, 8)).allowed
    False
    >>> earnings_frozen(b, fully_paid_on=date(2024, 7, 8), today=date(2024, 7, 9)).allowed
    True
    """
    if bill.status is BillStatus.PAID and fully_paid_on is not None and today > fully_paid_on:
        return Decision.allow()
    return Decision.deny(
        Reason(
            "INCENTIVE_FROZEN",
            "R-BILL-56",
            "earnings of a cycle with unpaid spend stay frozen until the day after full payment",
            {"cycle": str(bill.cycle), "status": bill.status.value},
        )
    )
