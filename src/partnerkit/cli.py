"""The ``partnerkit`` command line: ``python -m partnerkit demo``.

The demo is a walkthrough on realistic figures from the spec: exact bill
arithmetic, named rounding, allocation, rates, periods in GMT+08:00, a
settlement calendar with holiday postponement, display in three locales and
the JSON wire form; then a distributor with two resellers developing and
associating customers on the in-memory store, one refused association with
its reasons, the permission check and the audit trail.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs

from partnerkit.adapters.memory import InMemoryStore
from partnerkit.billing import (
    BillingMode,
    BillLine,
    BillStatus,
    BillType,
    Coupon,
    Order,
    OrderItem,
    OrderStatus,
    PartnerBill,
    apply_coupons,
    close_month,
    settle,
)
from partnerkit.budget import (
    BudgetThresholdReached,
    BudgetType,
    CustomerFrozen,
    FreezeMode,
    FreezeScope,
    Operation,
)
from partnerkit.calendars import (
    WEEKENDS,
    DayOfMonth,
    MonthlySchedule,
    WorkingCalendar,
    add_working_days,
)
from partnerkit.customers import (
    CustomerAssociated,
    CustomerFacts,
    InvitationMethod,
    PreRegistrationRequest,
)
from partnerkit.decisions import Reason
from partnerkit.eligibility import Evidence, Facts, next_step
from partnerkit.eligibility.catalogs import huawei as huawei_catalog
from partnerkit.errors import RuleViolationError
from partnerkit.formatting import format_money, format_rate
from partnerkit.ids import ActorId, CustomerId, IdempotencyKey, InvitationId, PartnerId
from partnerkit.incentives import (
    Band,
    IncentivePolicy,
    Ladder,
    OrderType,
    PartnerStanding,
    PayoutOption,
    ProductClass,
    ProductClassification,
    RevenueLine,
    display_status,
)
from partnerkit.incentives.settlement import payout_timeline
from partnerkit.money import Currency, Money, Rate, Rounding, allocate, total
from partnerkit.partners import AssociationType, Partner, PartnerRole, ResellerCandidate
from partnerkit.periods import GMT_PLUS_8, UTC, Period, PeriodKind
from partnerkit.permissions import Action, Actor, OrgRole, evaluate_permission
from partnerkit.serialization import make_converter
from partnerkit.services.billing import PARTNER_BILLS, BillingService
from partnerkit.services.budgets import BudgetService
from partnerkit.services.customers import (
    ASSOCIATIONS,
    DELEGATIONS,
    INVITATIONS,
    PARTNERS,
    PREREGISTRATIONS,
    CustomerService,
    replay,
)
from partnerkit.services.incentives import IncentiveService
from partnerkit.services.pricing import PricingService

__all__ = ["main"]

Print = Callable[[str], None]

#: Where ``python -m partnerkit demo`` keeps its ledger unless told otherwise.
DEFAULT_DB = os.path.join(".partnerkit", "demo.sqlite")


def _china_calendar() -> tuple[WorkingCalendar, str]:
    try:
        from partnerkit.adapters.holiday_calendars import country_calendar
    except ImportError:  # pragma: no cover - the dev install always has the extra
        return WEEKENDS, "weekends only (install partnerkit[holidays] for China's calendar)"
    return country_calendar("CN"), "China's calendar from the holidays package"


def _plain(money: Money) -> str:
    return format(money.amount, "f")


def _heading(out: Print, number: int, title: str) -> None:
    out("")
    out(f"{number}. {title}")
    out("-" * (len(title) + 3))


def demo(out: Print = print) -> None:
    """Print the kernel walkthrough through ``out``."""
    usd, cny = Currency("USD"), Currency("CNY")
    out("partnerkit demo: exact money, rounding, periods and calendars")
    out("=============================================================")

    _heading(out, 1, "Currencies come from CLDR, with their minor units")
    for code in ("USD", "CNY", "JPY", "KWD"):
        out(f"   {code}: {Currency(code).minor_units} decimal places")

    _heading(out, 2, "A Huawei monthly bill since cycle 2021-08 (billing.md I-10)")
    lines = [Money("8083.8494925", usd), Money("-853.8495", usd), Money("-37.9425", usd)]
    exact = total(lines, currency=usd)
    for line in lines:
        out(f"   line          {_plain(line):>16}")
    out(f"   exact total   {_plain(exact):>16}   (no intermediate rounding)")
    rounded = exact.round(rounding=Rounding.HALF_UP)
    out(f"   bill total    {_plain(rounded):>16}   (rounded once, half-up)")
    hourly = [Money("0.0139", usd)] * 720
    exact_month = total(hourly, currency=usd).round(rounding=Rounding.HALF_UP)
    legacy = total((h.round(rounding=Rounding.DOWN) for h in hourly), currency=usd)
    out(
        f"   720 hourly settlements of 0.0139 USD: {_plain(exact_month)} rounded once (2021-08 on),"
    )
    out(f"   but {_plain(legacy)} when each settlement is truncated (cycles before 2021-06)")

    _heading(out, 3, "Every rounding names its mode")
    out("   amount      " + "  ".join(f"{mode.value:>9}" for mode in Rounding))
    for text in ("2.345", "2.355", "-2.345"):
        money = Money(text, usd)
        cells = "  ".join(f"{_plain(money.round(rounding=mode)):>9}" for mode in Rounding)
        out(f"   {text:>8}    {cells}")

    _heading(out, 4, "Allocation keeps every cent (largest remainder)")
    pool = Money("100.00", usd)
    parts = allocate(pool, [1, 1, 1], rounding=Rounding.DOWN)
    out(f"   {pool} over 3 equal resellers: {', '.join(_plain(p) for p in parts)}")
    weights = [Decimal("48773.42"), Decimal("37000.00"), Decimal("2340.22")]
    parts = allocate(Money("1000.00", usd), weights, rounding=Rounding.HALF_EVEN)
    out(f"   1000.00 USD by revenue {[str(w) for w in weights]}:")
    out(f"      {', '.join(_plain(p) for p in parts)} = {_plain(total(parts, currency=usd))}")

    _heading(out, 5, "Rates: discounts, rebates and FX")
    price = Money("154.00", usd)
    discount = Rate.from_percent(16)
    paid = (price * discount.complement()).round(rounding=Rounding.HALF_UP)
    out(f"   {format_rate(discount, locale='en_US')} off {price}: customer pays {paid}")
    rebate = (price * Rate("0.25")).round(rounding=Rounding.HALF_UP)
    out(f"   25% estimated rebate on {price}: {rebate}")
    due, fx = Money("1234.56", usd), Decimal("7.7565")
    local = due.convert("HKD", rate=fx).round(rounding=Rounding.HALF_UP)
    out(f"   amount due {due} at 1 USD = {fx} HKD: {local} (converted, then rounded)")

    _heading(out, 6, "Periods live in a time zone: Huawei bills use GMT+08:00")
    june = Period.parse("2024M6")
    start = june.start(GMT_PLUS_8)
    out(f"   {june} starts {start.isoformat()} = {start.astimezone(UTC).isoformat()}")
    late = datetime(2024, 6, 30, 17, 0, tzinfo=UTC)
    out(
        f"   {late.isoformat()} is in {Period.at(PeriodKind.MONTH, late, tz=UTC)} in UTC "
        f"but {Period.at(PeriodKind.MONTH, late, tz=GMT_PLUS_8)} in Beijing"
    )
    months = [str(m) for m in Period.parse("2024Q1").months()]
    out(f"   2024Q1 spans {months}; February 2024 has {Period.month(2024, 2).days} days")

    _heading(out, 7, "Alibaba ASC commission calendar (seed 004: postponed on holidays)")
    calendar, source = _china_calendar()
    schedule = MonthlySchedule(
        {
            "statistics": DayOfMonth(7),
            "confirm": DayOfMonth(10),
            "invoice": DayOfMonth(15),
            "payment": DayOfMonth(25),
        }
    )
    statement = Period.month(2025, 9)
    out(f"   statement month {statement}, {source}:")
    for name, when in schedule.dates_for(statement, calendar).items():
        out(f"      {name:<10} {when.isoformat()} ({when:%a})")
    reminder = date(2025, 10, 9)
    deemed = add_working_days(calendar, reminder, 3)
    out(f"   reminder sent {reminder}; silent for 3 working days = accepted on {deemed}")

    _heading(out, 8, "Display needs an explicit locale")
    amount = Money("-7192.0574925", cny)
    for locale in ("en_US", "de_DE", "zh_CN"):
        out(f"   {locale}: {format_money(amount, locale=locale)}")
    deduction = format_money(Money("0.123456785", usd), locale="en_US", places=8)
    out(f"   8 places (coupon deductions): {deduction}")

    _heading(out, 9, "The wire form keeps amounts as strings")
    converter = make_converter()
    wire = json.dumps(converter.unstructure(exact))
    back = converter.structure(json.loads(wire), Money)
    out(f"   {wire} -> {back!r} (equal: {back == exact})")


def partner_demo(out: Print = print, *, db: str | None = None) -> None:
    """Print the partner walkthrough: a distributor, two resellers and their customers."""
    store = InMemoryStore()
    service = CustomerService(store.unit_of_work)
    vendor = Actor.vendor(ActorId("ecosystem-manager"))
    day = datetime(2024, 6, 3, 9, 0, tzinfo=GMT_PLUS_8)
    keys = (IdempotencyKey(f"demo-{i}") for i in range(1000))

    def at(hours: float) -> datetime:
        return day + timedelta(hours=hours)

    def admin(partner: str) -> Actor:
        return Actor.partner_user(ActorId(f"{partner}-admin"), PartnerId(partner), {OrgRole.ADMIN})

    _heading(out, 10, "A distributor recruits two resellers")
    service.register_partner(
        Partner(PartnerId("d1"), PartnerRole.DISTRIBUTOR, "HK", contact_email="sales@d1.example",
                authorized_regions={"Kowloon", "New Territories"}),
        actor=vendor, as_of=day,
    )  # fmt: skip
    for reseller, region in (("r1", "Kowloon"), ("r2", "New Territories")):
        candidate = ResellerCandidate(PartnerId(reseller), region, "HK")
        service.invite_reseller(admin("d1"), candidate, as_of=day, idempotency_key=next(keys))
        service.accept_reseller_invitation(
            vendor, PartnerId("d1"), candidate, role=PartnerRole.RESELLER, as_of=at(1)
        )
        with store.unit_of_work() as uow:
            joined = uow.repository(PARTNERS).get(reseller)
        service.register_partner(
            attrs.evolve(joined, contact_email=f"sales@{reseller}.example"),
            actor=vendor,
            as_of=at(1),
        )
        out(f"   {reseller} ({region}) joined d1 as a reseller")
    refused = ResellerCandidate(PartnerId("x9"), "Macau", "MO")
    try:
        service.invite_reseller(admin("d1"), refused, as_of=day, idempotency_key=next(keys))
    except RuleViolationError as exc:
        codes = ", ".join(r.code for r in exc.reasons if isinstance(r, Reason))
        out(f"   x9 in Macau cannot be invited: {codes}")
    service.change_delegation(
        admin("d1"), PartnerId("r2"), as_of=at(2), budget_freeze_authorized=True,
        monthly_budget_quota=Money("1000.00", Currency("USD")),
        one_time_budget_quota=Money("500.00", Currency("USD")),
    )  # fmt: skip
    out("   d1 delegates budgets and freezes to r2 (monthly quota 1000.00 USD), not to r1")

    _heading(out, 11, "Customer development and association")
    alice_form = PreRegistrationRequest(
        "pr-alice", "Alice Trading", "alice@example.com", "+852", "5555 0101"
    )
    service.preregister(admin("r1"), alice_form, as_of=at(3), idempotency_key=next(keys))
    with store.unit_of_work() as uow:
        pre = uow.repository(PREREGISTRATIONS).get("pr-alice")
        invitation = uow.repository(INVITATIONS).get("pr-alice/email")
    out(f"   r1 pre-registers alice@example.com: exclusive until {pre.valid_until:%Y-%m-%d %H:%M}")
    out(f"   and emails an invitation, valid until {invitation.expires_at:%Y-%m-%d %H:%M}")
    service.record_customer(
        CustomerFacts(CustomerId("alice"), "Alice@Example.com", registered_at=at(20)),
        actor=vendor,
        as_of=at(20),
    )
    result = service.accept_invitation(
        Actor.customer(CustomerId("alice")), InvitationId("pr-alice/email"), new_account=False,
        signed_instructions="V1001", as_of=at(21), idempotency_key=next(keys),
    )  # fmt: skip
    event = next(e for e in result.events if isinstance(e, CustomerAssociated))
    out(
        f"   alice accepts: associated with {event.association.partner_id} under "
        f"{event.association.distributor_id}, {event.association.association_type.value} model, "
        f"frozen by default: {'yes' if event.default_freeze else 'no'}"
    )
    service.generate_link(
        admin("d1"), invitation_id=InvitationId("spring"), method=InvitationMethod.CUSTOM_LINK,
        custom_tag="spring-campaign", as_of=at(22), idempotency_key=next(keys),
    )  # fmt: skip
    service.record_customer(
        CustomerFacts(CustomerId("bob"), "bob@example.com", registered_at=at(23)),
        actor=vendor,
        as_of=at(23),
    )
    service.accept_invitation(
        Actor.customer(CustomerId("bob")), InvitationId("spring"), new_account=True,
        signed_instructions="V1001", as_of=at(23), idempotency_key=next(keys),
    )  # fmt: skip
    out("   bob registers through d1's customized link 'spring-campaign': associated with d1")

    _heading(out, 12, "A refused association lists every reason")
    service.generate_link(
        admin("r2"), invitation_id=InvitationId("r2-qr"), method=InvitationMethod.GENERAL_LINK,
        as_of=at(24), idempotency_key=next(keys),
    )  # fmt: skip
    carol = CustomerFacts(
        CustomerId("carol"), "carol@example.com", registered_at=day - timedelta(days=10),
        has_cash_expenditure=True, overdue_payment=True,
    )  # fmt: skip
    service.record_customer(carol, actor=vendor, as_of=at(24))
    try:
        service.accept_invitation(
            Actor.customer(CustomerId("carol")), InvitationId("r2-qr"), new_account=False,
            signed_instructions="V1001", as_of=at(25), idempotency_key=next(keys),
        )  # fmt: skip
    except RuleViolationError as exc:
        out("   carol (registered 10 days ago, spending, overdue) scans r2's QR code:")
        for reason in exc.reasons:
            if isinstance(reason, Reason):
                out(f"     {reason.rule_id:<10} {reason.message}")

    _heading(out, 13, "One permission check for every service")
    with store.unit_of_work() as uow:
        association = uow.repository(ASSOCIATIONS).get("alice")
        delegation = uow.repository(DELEGATIONS).get("r1")
        partners = {p: uow.repository(PARTNERS).get(p) for p in ("d1", "r1")}
    for who in ("d1", "r1"):
        decision = evaluate_permission(
            admin(who),
            Action.FREEZE,
            partner=partners[who],
            association=association,
            delegation=delegation,
        )
        answer = (
            "allowed"
            if decision.allowed
            else f"denied, {decision.reasons[0].code} [{decision.reasons[0].rule_id}]"
        )
        out(f"   may {who} freeze alice (r1's customer, r1 not delegated)? {answer}")

    _heading(out, 14, "The event log is the audit trail")
    events = store.events()
    stored = {
        (name, key): attrs.evolve(value, version=0)
        for name, table in store.snapshot().items()
        for key, value in table.items()
    }
    rebuilt = replay(events) == stored
    out(f"   {len(events)} events committed; replaying them rebuilds the store: {rebuilt}")

    budget_demo(store, out)
    billing_demo(out, db=db)


def budget_demo(store: InMemoryStore, out: Print = print) -> None:
    """Print the budget walkthrough on alice, r1's customer, whose budget d1 manages."""
    budgets = BudgetService(store.unit_of_work)
    d1 = Actor.partner_user(ActorId("d1-admin"), PartnerId("d1"), {OrgRole.ADMIN})
    alice = CustomerId("alice")
    day = datetime(2024, 6, 10, 9, 0, tzinfo=GMT_PLUS_8)
    keys = (IdempotencyKey(f"budget-demo-{i}") for i in range(100))
    budgets.sync(store.events(), as_of=day)

    _heading(out, 15, "A budget crosses 75/90/100 %, freezes, is unfrozen and refreezes")
    held = ", ".join(c.value for c in budgets.account(alice).causes)
    out(f"   alice starts frozen ({held}); d1 manages her budget because r1 is not delegated")
    budgets.set_budget(
        d1, alice, budget_type=BudgetType.MONTHLY, amount=Money("100.00", Currency("USD")),
        freeze_mode=FreezeMode.AUTOMATIC, as_of=day, unfreeze_now=True,
    )  # fmt: skip
    out("   09:00 d1 sets a monthly budget of 100.00 USD, automatic freeze, Unfreeze Now")
    system = Actor.system()
    for amount, minute in (("75.00", 10), ("15.00", 11), ("10.00", 12)):
        when = day.replace(hour=minute)
        events = budgets.record_usage(
            alice, Money(amount, Currency("USD")), at=when, actor=system, idempotency_key=next(keys)
        )
        notes = []
        for event in events:
            if isinstance(event, BudgetThresholdReached):
                notes.append(f"{event.threshold}% alert to {', '.join(event.recipients)}")
            elif isinstance(event, CustomerFrozen):
                notes.append(f"frozen ({event.hold.cause.value})")
        out(f"   {when:%H:%M} usage {amount} USD: {'; '.join(notes) or 'no alert'}")
    budgets.unfreeze(
        d1, alice, scope=FreezeScope.ACCOUNT, reason="customer asked",
        as_of=day.replace(hour=12, minute=20), idempotency_key=next(keys),
    )  # fmt: skip
    check = budgets.check_operation(
        alice, Operation.YEARLY_MONTHLY_PURCHASE, as_of=day.replace(hour=12, minute=30)
    )
    codes = ", ".join(check.codes)
    out(f"   12:20 d1 unfreezes without raising the budget; a yearly purchase: {codes}")
    budgets.recheck([alice], as_of=day.replace(hour=13))
    again = budgets.account(alice)
    out(f"   13:00 hourly re-check: frozen again ({', '.join(c.value for c in again.causes)})")


def billing_demo(out: Print = print, *, db: str | None = None) -> None:
    """Close June 2024 for d1: r1's customers alice and bob, d1's own carol; coupons; a trace."""
    usd = Currency("USD")
    cycle = Period.month(2024, 6)
    d1, r1 = PartnerId("d1"), PartnerId("r1")
    june = datetime(2024, 6, 1, tzinfo=GMT_PLUS_8)
    ends = datetime(2024, 12, 31, 23, 59, 59, tzinfo=GMT_PLUS_8)
    rows = [  # (customer, direct partner, day, product, mode, list price, settlement discount %)
        ("alice", r1, 3, "ecs", BillingMode.PAY_PER_USE, "412.35", 25),
        ("alice", r1, 9, "obs", BillingMode.PAY_PER_USE, "88.12", 25),
        ("bob", r1, 5, "rds", BillingMode.YEARLY_MONTHLY, "1200.00", 20),
        ("carol", d1, 12, "ecs", BillingMode.PAY_PER_USE, "73.45", 25),
        ("carol", d1, 20, "cdn", BillingMode.PAY_PER_USE, "19.999", 25),
    ]
    lines = []
    for i, (who, partner, day, product, mode, price, pct) in enumerate(rows, start=1):
        expenditure = Money(price, usd)
        lines.append(
            BillLine(
                line_id=f"L{i}", customer_id=CustomerId(who), partner_id=partner, cycle=cycle,
                bill_type=BillType.EXPENDITURE, billing_mode=mode, product_code=product,
                order_or_txn_id=f"T2406{i:03d}", transaction_time=june.replace(day=day),
                customer_expenditure=expenditure,
                settlement_amount=settle(expenditure, Rate.from_percent(pct)),
                coupons_used=usd.zero, tax=usd.zero, billed_partner_id=d1,
            )
        )  # fmt: skip
    wallet = [
        Coupon(
            coupon_id="CP-ALICE", balance=Money("100.00", usd), valid_from=june, valid_to=ends,
            billing_modes={BillingMode.PAY_PER_USE}, customer_id=CustomerId("alice"),
        ),
        Coupon(
            coupon_id="CP-ALL", balance=Money("300.00", usd), valid_from=june,
            valid_to=june.replace(day=30, hour=23, minute=59, second=59),
            billing_modes={BillingMode.PAY_PER_USE},
        ),
    ]  # fmt: skip
    run = apply_coupons(lines, wallet)
    bill = close_month(d1, cycle, run.lines)

    _heading(out, 16, "d1 closes June 2024: coupons in transaction order, one rounding")
    for ln in run.lines:
        out(
            f"   {ln.line_id} {ln.customer_id:<5} via {ln.partner_id} {ln.product_code:<3} "
            f"settle {_plain(ln.settlement_amount):>10}  coupons {_plain(ln.coupons_used):>14}"
        )
    for c in run.coupons:
        out(f"   coupon {c.coupon_id}: balance {_plain(c.balance)}, {c.status.value}")
    out("   trace of L1 (alice's own coupon first, then the partner-wide one):")
    for row in run.trace("L1").explain().splitlines():
        out(f"     {row}")
    by_customer = ", ".join(f"{who} {_plain(m)}" for who, m in bill.by_customer)
    out(f"   by customer: {by_customer}")
    out(f"   exact total {bill.monthly_total.amount} -> amount due {bill.amount_due.amount} USD")
    hkd = bill.local_amount_due("HKD", rate=Decimal("7.8123"))
    for locale in ("en_US", "zh_CN"):
        shown = format_money(bill.amount_due, locale=locale)
        out(f"   {locale}: {shown}  ({format_money(hkd, locale=locale)} at 7.8123)")
    payment_demo(lines, wallet, out, db=db)


def payment_demo(
    lines: Sequence[BillLine],
    wallet: Sequence[Coupon],
    out: Print = print,
    *,
    db: str | None = None,
) -> None:
    """The same month through BillingService: close, issue on the 5th, repay oldest first."""
    store = InMemoryStore()
    billing = BillingService(store.unit_of_work)
    system = Actor.system()
    d1 = PartnerId("d1")
    admin = Actor.partner_user(ActorId("d1-admin"), d1, {OrgRole.ADMIN})
    keys = (IdempotencyKey(f"pay-demo-{i}") for i in range(20))
    june, may = Period.month(2024, 6), Period.month(2024, 5)
    start = datetime(2024, 5, 1, tzinfo=GMT_PLUS_8)
    for coupon in wallet:
        billing.grant_coupon(
            system, attrs.evolve(coupon, holder=d1), as_of=start, idempotency_key=next(keys)
        )
    may_line = attrs.evolve(
        lines[2], line_id="M1", cycle=may, transaction_time=start.replace(day=20)
    )
    billing.close_month(
        system, d1, may, [may_line], as_of=start.replace(month=6), idempotency_key=next(keys)
    )
    billing.issue(system, d1, may, idempotency_key=next(keys))
    billing.top_up(
        admin, d1, Money("500.00", Currency("USD")),
        as_of=datetime(2024, 6, 20, tzinfo=GMT_PLUS_8), idempotency_key=next(keys),
    )  # fmt: skip
    billing.close_month(
        system, d1, june, lines, as_of=datetime(2024, 7, 1, 2, tzinfo=GMT_PLUS_8),
        idempotency_key=next(keys),
    )  # fmt: skip
    (issued,) = billing.issue(system, d1, june, idempotency_key=next(keys))

    _heading(
        out,
        17,
        "The bill is issued on the 5th, the balance pays first, repayment goes oldest first",
    )
    may_bill, june_bill = billing.bill(d1, may), billing.bill(d1, june)
    out(
        f"   May: {_plain(may_bill.amount_due)} due, {may_bill.status.value} (no balance on 5 June)"
    )
    when = f"{issued.occurred_at:%Y-%m-%d %H:%M %Z}"
    out(
        f"   {when}: June issued, {_plain(june_bill.amount_due)} due;"
        f" the 500.00 balance pays {_plain(june_bill.paid)} -> {june_bill.status.value}"
    )
    billing.repay(
        admin, d1, Money("2000.00", Currency("USD")),
        as_of=datetime(2024, 7, 8, tzinfo=GMT_PLUS_8), idempotency_key=next(keys),
    )  # fmt: skip
    order = ", ".join(f"{c} {billing.bill(d1, c).status.value}" for c in (may, june))
    out(f"   07-08 d1 repays 2000.00: {order}; balance {_plain(billing.funds(d1).balance)}")
    pricing_credit_demo(out, db=db)


def pricing_credit_demo(out: Print = print, *, db: str | None = None) -> None:
    """A CSP discounts a referral customer's order, then goes over its consumption quota."""
    store = InMemoryStore()
    customers = CustomerService(store.unit_of_work)
    pricing = PricingService(store.unit_of_work)
    billing = BillingService(store.unit_of_work)
    budgets = BudgetService(store.unit_of_work)
    vendor, system = Actor.vendor(ActorId("ecosystem-manager")), Actor.system()
    p1 = PartnerId("p1")
    admin = Actor.partner_user(ActorId("p1-admin"), p1, {OrgRole.ADMIN})
    usd = Currency("USD")
    day = datetime(2024, 6, 3, 9, 0, tzinfo=GMT_PLUS_8)
    keys = (IdempotencyKey(f"credit-demo-{i}") for i in range(100))
    customers.register_partner(
        Partner(p1, PartnerRole.CSP, "HK", contact_email="sales@p1.example",
                referral_enabled=True, customer_discount_enabled=True),
        actor=vendor, as_of=day,
    )  # fmt: skip
    for who, model in (("dora", AssociationType.REFERRAL), ("erin", AssociationType.RESELLER)):
        customers.generate_link(
            admin, invitation_id=InvitationId(f"link-{who}"), method=InvitationMethod.GENERAL_LINK,
            association_type=model, as_of=day, idempotency_key=next(keys),
        )  # fmt: skip
        customers.record_customer(
            CustomerFacts(CustomerId(who), f"{who}@example.com", registered_at=day),
            actor=vendor, as_of=day,
        )  # fmt: skip
        customers.accept_invitation(
            Actor.customer(CustomerId(who)), InvitationId(f"link-{who}"), new_account=True,
            signed_instructions="V1001", as_of=day, idempotency_key=next(keys),
        )  # fmt: skip
    budgets.sync(store.events(), as_of=day)
    budgets.set_budget(
        admin, CustomerId("erin"), budget_type=BudgetType.MONTHLY, amount=Money("500.00", usd),
        freeze_mode=FreezeMode.AUTOMATIC, as_of=day, unfreeze_now=True,
    )  # fmt: skip

    _heading(out, 18, "A referral discount on an order, and a credit limit the budgets honour")
    pricing.set_discounts(
        admin, [CustomerId("dora")], percent=12, valid_from=day,
        valid_to=day.replace(month=12, day=31), as_of=day, idempotency_key=next(keys),
    )  # fmt: skip
    order = Order(
        order_id="CS2406-01", status=OrderStatus.PENDING, customer_id=CustomerId("dora"),
        items=(OrderItem(item_id="ecs-1y", product_code="ecs", subtotal=Money("1200.00", usd),
                         maximum_discount=Money("120.00", usd)),),
    )  # fmt: skip
    pricing.place_order(
        Actor.customer(CustomerId("dora")), order, as_of=day, idempotency_key=next(keys)
    )
    quote = pricing.price_order(admin, "CS2406-01", paid_at=day.replace(hour=10))
    out(f"   p1 gives its referral customer dora 12 %; her 1200.00 order: {_plain(quote.total)}")
    for row in quote.items[0].trace.explain().splitlines():
        out(f"     {row}")
    billing.set_consumption_quota(vendor, p1, Money("1000.00", usd), as_of=day)
    events = billing.record_consumption(
        system, p1, Money("1000.01", usd), as_of=day.replace(hour=11), idempotency_key=next(keys)
    )
    names = ", ".join(e.name for e in events[1:])
    buy = Operation.YEARLY_MONTHLY_PURCHASE
    blocked = budgets.check_operation(CustomerId("erin"), buy, as_of=day.replace(hour=11))
    out("   erin (reseller model) has a 500.00 monthly budget and is unfrozen")
    out(f"   p1 now owes 1000.01 of its 1000.00 quota: {names}")
    out(f"   its reseller-model customer erin tries to buy: {', '.join(blocked.codes)}")
    with store.unit_of_work() as uow:
        bill = PartnerBill.estimate(p1, Period.month(2024, 5), Money("1000.01", usd))
        uow.repository(PARTNER_BILLS).add(attrs.evolve(bill, status=BillStatus.UNPAID))
        uow.commit()
    repaid = billing.repay(
        admin, p1, Money("1000.01", usd), as_of=day.replace(hour=15), idempotency_key=next(keys)
    )
    lifted = [e.name for e in repaid if e.name == "CreditLimitRestored"]
    again = budgets.check_operation(CustomerId("erin"), buy, as_of=day.replace(hour=15))
    still = ", ".join(again.codes) or "allowed"
    out(f"   15:00 p1 repays May: {', '.join(lifted)}; erin's purchase now: {still}")
    eligibility_demo(out, db=db)


def eligibility_demo(out: Print = print, *, db: str | None = None) -> None:
    """What is missing for the next stage: a reseller's company on the Service path."""
    as_of = datetime(2024, 7, 1, 9, 0, tzinfo=GMT_PLUS_8)

    def certificate(person: str, cid: str, **attributes: str) -> Evidence:
        dedicated = {"dedicated": "yes", **attributes}
        return Evidence(
            kind="certificate", id=cid, holder=person, attributes=dedicated,
            valid_to=as_of.replace(year=2026),
        )  # fmt: skip

    evidence = [
        certificate("mei", "mei-bp", line="PROFESSIONAL_BUSINESS"),
        certificate("mei", "mei-hcia", level="ENTRY"),
        certificate("raj", "raj-hcia", level="ENTRY"),
        certificate("raj", "raj-hcip", level="WORK"),
        Evidence(kind="case", id="migration-2023", status="PASSED",
                 occurred_at=as_of.replace(year=2023, month=11)),
    ]  # fmt: skip
    facts = Facts(
        flags={"network.member"}, levels={"path.SERVICE_PARTNER": "SELECTION"}, evidence=evidence
    )
    step = next_step(huawei_catalog.SERVICE_PARTNER, facts, as_of=as_of)

    _heading(out, 19, "What is missing for the next stage: r1's company on the Service path")
    out("   A reseller account holds no path (R-ELIG-013), so r1's company runs s1 on the")
    out(f"   Service path, at {facts.level('path.SERVICE_PARTNER')}; next stage: {step.target}")
    assert step.evaluation is not None  # a next stage exists below DIFFERENTIATION
    for row in step.evaluation.explain().splitlines():
        out(f"     {row}")
    missing = "; ".join(f"{b.label} {b.current}/{b.required.split()[-1]}"
                        for b in step.evaluation.blockers if b.required)  # fmt: skip
    out(f"   missing: {missing}")
    incentive_demo(out, db=db)


def _ledger(path: str | None, out: Print) -> tuple[Any, str]:
    """The demo's persistent store: a SQLite file when SQLAlchemy is installed."""
    if path is None:
        return InMemoryStore(), "in memory (no --db given)"
    try:
        from partnerkit.adapters.sql import SqlStore
    except ImportError:  # pragma: no cover - the dev install always has the extra
        out("   (install partnerkit[sql] to keep the demo's ledger in a SQLite file)")
        return InMemoryStore(), "in memory"
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    return SqlStore.connect(f"sqlite:///{os.path.abspath(path)}"), f"SQLite file {path}"


def incentive_demo(out: Print = print, *, db: str | None = None) -> None:
    """d1's next quarter: revenue, the earning with its trace, its lifecycle and the payout.

    With ``db`` the ledger lives in that SQLite file: each run computes the
    first quarter from 2024Q3 on that the file does not hold yet.
    """
    usd = Currency("USD")
    d1, r1, r2 = PartnerId("d1"), PartnerId("r1"), PartnerId("r2")
    resellers = {r1: d1, r2: d1}
    policy = IncentivePolicy(
        policy_id="dpp-quarterly", name="Quarterly rebate", period_kind=PeriodKind.QUARTER,
        schedule=Ladder(bands=(Band(lower="0", rate="0.02"), Band(lower="25000", rate="0.03"),
                               Band(lower="60000", rate="0.04"))),
    )  # fmt: skip
    no_rebate = [
        ProductClassification(product_code="marketplace", effective_month=Period.parse("2024M1"),
                              incentive_policy=ProductClass.NO_REVENUE_OR_REBATE),
    ]  # fmt: skip
    store, where = _ledger(db, out)
    service = IncentiveService(store.unit_of_work)
    done = {e.period for e in service.earnings(d1)}
    quarter = Period.parse("2024Q3")
    while quarter in done:
        quarter = quarter.next()
    m1, m2, m3 = quarter.months()
    after = quarter.next().months()[0]

    def on(month: Period, day: int, hour: int = 9) -> datetime:
        return datetime(month.year, month.index, day, hour, 0, tzinfo=GMT_PLUS_8)

    def line(rid: str, partner: PartnerId, customer: str, kind: OrderType, product: str,
             day: datetime, amount: str, **less: str) -> RevenueLine:  # fmt: skip
        reductions = {k: Money(v, usd) for k, v in less.items()}
        return RevenueLine(revenue_id=f"{quarter}-{rid}", partner_id=partner,
                           customer_id=CustomerId(customer), order_type=kind, product_code=product,
                           generated_on=day.date(), amount=Money(amount, usd),
                           **reductions)  # type: ignore[arg-type]  # fmt: skip

    lines = [
        line("RV1", r1, "alice", OrderType.NEW_PURCHASE, "ecs", on(m1, 1), "18000.00",
             partner_discount="1800.00"),
        line("RV2", r2, "bob", OrderType.RENEWAL, "rds", on(m1, 12), "9600.00",
             vendor_coupons="600.00"),
        line("RV3", d1, "carol", OrderType.NEW_PURCHASE, "obs", on(m2, 5), "24500.00"),
        line("RV4", r1, "alice", OrderType.UNSUBSCRIPTION, "ecs", on(m2, 20), "2250.00"),
        line("RV5", r2, "dave", OrderType.NEW_PURCHASE, "marketplace", on(m3, 3), "3100.00"),
        line("RV6", d1, "carol", OrderType.NEW_PURCHASE, "cdn", on(m3, 17), "6215.35"),
    ]  # fmt: skip
    system, vendor = Actor.system(), Actor.vendor(ActorId("settlement"))
    finance = Actor.partner_user(ActorId("d1-finance"), d1, {OrgRole.FINANCE_SPECIALIST})
    earning_id = f"d1-{quarter}"
    keys = iter(f"{quarter}-{n}" for n in range(100))

    def compute(final: bool, when: datetime) -> None:
        service.compute_period(system, policy, lines, earning_id=earning_id, partner_id=d1,
                               period=quarter, revenue_final=final, as_of=when,
                               idempotency_key=IdempotencyKey(next(keys)),
                               classifications=no_rebate, distributor_of=resellers)  # fmt: skip

    _heading(out, 20, f"d1's {quarter} rebate: from revenue lines to a payout")
    out(f"   the ledger lives {where}; quarters already in it: "
        f"{', '.join(sorted(str(p) for p in done)) or 'none'}")  # fmt: skip
    compute(False, on(m2, 25))
    (estimate,) = [e for e in service.earnings(d1) if e.earning_id == earning_id]
    out(f"   {on(m2, 25):%d %b}, revenue still open: {estimate.amount} estimated (never payable)")
    compute(True, on(after, 7))
    (statement,) = [e for e in service.earnings(d1) if e.earning_id == earning_id]
    assert statement.detail is not None
    detail = statement.detail
    out(f"   {on(after, 7):%d %b}, revenue final: statement {statement.earning_id},"
        f" {statement.status.value}")  # fmt: skip
    out("   revenue lines (resellers' customers count for d1, R-INC-04):")
    for used in detail.lines:
        out(f"      {used.revenue_id}  {_plain(used.eligible):>10} USD eligible")
    for rid, why in detail.excluded:
        out(f"      {rid}  excluded: {why}")
    out(f"   ladder reached: {detail.reached} (whole-amount, DC-INC-06)")
    for row in detail.trace.explain().splitlines():
        out(f"     {row}")

    service.auto_confirm(system, d1, as_of=on(after, 12))
    service.issue(vendor, earning_id, as_of=on(after, 14, 10))
    (issued,) = [e for e in service.earnings(d1) if e.earning_id == earning_id]
    assert issued.confirmed_by is not None
    assert issued.confirmed_at is not None
    out(f"   nobody confirmed: confirmed by {issued.confirmed_by.value} at"
        f" {issued.confirmed_at:%d %b %H:%M} (5 days, R-INC-31)")  # fmt: skip
    out(f"   {on(after, 14):%d %b} the vendor's review passes:"
        f" {display_status(issued, distributor=True)}")  # fmt: skip

    paid = {month: on(after, 8).date() for month in quarter.months()}  # the quarter's bills
    when = on(after, 15)
    request_id = f"RQ-{quarter}"
    try:
        service.request_payment(finance, PayoutOption.BANK_TRANSFER, request_id=request_id,
                                standing=PartnerStanding(), bills=paid, as_of=when,
                                idempotency_key=IdempotencyKey(next(keys)))  # fmt: skip
    except RuleViolationError as refused:
        out(f"   {when:%d %b} bank transfer refused: {refused.message}")
    service.request_payment(finance, PayoutOption.TOP_UP, request_id=request_id,
                            standing=PartnerStanding(), bills=paid, as_of=when,
                            idempotency_key=IdempotencyKey(next(keys)),
                            service_fee_tax_rate=Decimal("0.06"))  # fmt: skip
    (request,) = [r for r in service.payment_requests(d1) if r.request_id == request_id]
    assert request.invoice_amount is not None
    out(f"   {when:%d %b} top-up requested: {request.requested}, invoice {request.invoice_amount}"
        f" with 6 % service-fee tax; {request.status.value}")  # fmt: skip
    calendar, source = _china_calendar()
    received = on(after, 18, 10)
    service.submit_invoice(finance, request_id, request.invoice_amount, billing_list=True,
                           as_of=received)  # fmt: skip
    timeline = payout_timeline(received.date(), calendar)
    out(f"   invoice received {timeline.invoice_received_on} ({source}):")
    out(f"      review on {timeline.review_on}, payment approval by "
        f"{timeline.payment_approval_by}, paid by {timeline.payment_due_by}")  # fmt: skip
    review = datetime.combine(timeline.review_on, datetime.min.time(), GMT_PLUS_8)
    service.review_invoice(vendor, request_id, approve=True, as_of=review.replace(hour=11))
    approval = datetime.combine(timeline.payment_approval_by, datetime.min.time(), GMT_PLUS_8)
    service.decide_payment(vendor, request_id, approve=True, as_of=approval.replace(hour=11))
    service.complete_payment(vendor, request_id, as_of=approval.replace(hour=15),
                             top_up_rate=Decimal("7.1"), top_up_currency="CNY")  # fmt: skip
    (completed,) = [r for r in service.payment_requests(d1) if r.request_id == request_id]
    (final,) = [e for e in service.earnings(d1) if e.earning_id == earning_id]
    credited = f"{completed.credited}" if completed.credited else "-"
    out(f"   {completed.completed_at:%d %b}: {completed.status.value}, account credited"
        f" {credited} at the day's rate; the earning shows"
        f" {display_status(final, distributor=True)}")  # fmt: skip
    paid_total = total((r.requested for r in service.payment_requests(d1)
                        if r.status.value == "completed"), currency=usd)  # fmt: skip
    out(
        f"   the ledger now holds {len(service.earnings(d1))} quarter(s) for d1, "
        f"{paid_total} paid out; run the demo again to continue with {quarter.next()}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="partnerkit", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("demo", help="walk through partnerkit on realistic figures")
    run.add_argument(
        "--db",
        default=DEFAULT_DB,
        help=f"SQLite file for the demo's incentive ledger, made if missing (default {DEFAULT_DB})",
    )
    run.add_argument(
        "--in-memory", action="store_true", help="keep nothing: use the in-memory store"
    )
    args = parser.parse_args(argv)
    if args.command == "demo":
        demo()
        partner_demo(db=None if args.in_memory else args.db)
    return 0
