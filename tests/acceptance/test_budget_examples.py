"""The worked examples of customers.md section 6 on budgets and freezes (E-11 .. E-26, E-43)."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from tests.support.world import at

from partnerkit.budget import (
    ALIBABA_BUDGETS,
    BudgetAccount,
    BudgetThresholdReached,
    BudgetType,
    FreezeCause,
    FreezeMode,
    FreezeScope,
    Operation,
    QuotaPool,
    ResourceRetentionExpiring,
    ResourcesReleased,
    evaluate_operation,
    evaluate_quota,
    freeze,
    open_account,
    quota_pool,
    recheck,
    record_usage,
    set_budget,
    unfreeze,
)
from partnerkit.customers import Association, CustomerAssociated
from partnerkit.errors import InvalidArgumentError, RuleViolationError
from partnerkit.events import Event
from partnerkit.ids import ActorId, CustomerId, PartnerId
from partnerkit.money import Money
from partnerkit.partners import AssociationType, ResellerDelegation

USER = ActorId("p1-admin")


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


def associated(
    when: str = "2024-05-01 09:00", *, partner: str = "p1", distributor: str | None = None
) -> BudgetAccount:
    """A reseller-model customer right after association: frozen by default."""
    association = Association(
        CustomerId("c1"), PartnerId(partner), AssociationType.RESELLER, at(when),
        distributor_id=PartnerId(distributor) if distributor else None,
    )  # fmt: skip
    event = CustomerAssociated(
        occurred_at=at(when), actor=ActorId("c1"), association=association, default_freeze=True,
        disclosed_to=(PartnerId(partner),),
    )  # fmt: skip
    account, _ = open_account(event)
    return account


def budgeted(
    amount: str,
    mode: FreezeMode,
    *,
    budget_type: BudgetType = BudgetType.MONTHLY,
    when: str = "2024-06-03 10:00",
) -> BudgetAccount:
    account, _ = set_budget(
        associated(), budget_type=budget_type, amount=usd(amount), freeze_mode=mode, actor=USER,
        as_of=at(when), unfreeze_now=True,
    )  # fmt: skip
    return account


def spend(
    account: BudgetAccount, amount: str, when: str
) -> tuple[BudgetAccount, tuple[Event, ...]]:
    return record_usage(account, usd(amount), at=at(when))


def fired(events: tuple[Event, ...]) -> list[Decimal]:
    return [e.threshold for e in events if isinstance(e, BudgetThresholdReached)]


def test_e11_default_freeze_and_activation() -> None:
    """E-11: R-CUST-32 (and R-CUST-82) frozen by default; R-CUST-52 a budget with Unfreeze Now activates."""
    account = associated()
    assert account.causes == {FreezeCause.ASSOCIATION_DEFAULT}
    assert evaluate_operation(account, Operation.PAY_PER_USE_PURCHASE).codes == (
        "ACCOUNT_FROZEN",
        "NO_BUDGET",
    )
    account, events = set_budget(
        account, budget_type=BudgetType.MONTHLY, amount=usd("1000.00"), freeze_mode=FreezeMode.AUTOMATIC,
        actor=USER, as_of=at("2024-06-03 10:00"), unfreeze_now=True,
    )  # fmt: skip
    assert not account.frozen
    assert [e.name for e in events] == ["BudgetSet", "CustomerUnfrozen"]
    assert evaluate_operation(account, Operation.YEARLY_MONTHLY_PURCHASE).allowed


def test_e12_thresholds_fire_once_each() -> None:
    """E-12: R-CUST-47 75/90/100 % inclusive, once per period, to the partner and budget recipients."""
    account = budgeted("1000.00", FreezeMode.MANUAL)
    seen: list[Decimal] = []
    for amount, expected in (
        ("749.99", []), ("0.01", [75]), ("149.99", []), ("0.01", [90]), ("100.00", [100]), ("50.00", []),
    ):  # fmt: skip
        account, events = spend(account, amount, "2024-06-10 10:00")
        assert fired(events) == [Decimal(t) for t in expected]
        seen += fired(events)
        alerts = [e for e in events if isinstance(e, BudgetThresholdReached)]
        assert all(e.recipients == ("partner:p1", "budget-recipients:p1") for e in alerts)
    assert account.budget is not None
    assert account.budget.consumed == usd("1050.00")
    assert seen == [Decimal(75), Decimal(90), Decimal(100)]


def test_e13_manual_mode_at_exhaustion() -> None:
    """E-13: R-CUST-48 an exhausted MANUAL budget blocks yearly/monthly and RI purchases only."""
    account, _ = spend(budgeted("100.00", FreezeMode.MANUAL), "100.00", "2024-06-10 10:00")
    assert evaluate_operation(account, Operation.YEARLY_MONTHLY_PURCHASE).codes == (
        "BUDGET_EXHAUSTED",
    )
    assert evaluate_operation(account, Operation.RESERVED_INSTANCE_PURCHASE).codes == (
        "BUDGET_EXHAUSTED",
    )
    assert evaluate_operation(account, Operation.PAY_PER_USE_PURCHASE).allowed
    assert not account.frozen
    assert not recheck(account, as_of=at("2024-06-10 11:00"))[0].frozen


def test_e14_automatic_freeze_and_refreeze_next_hour() -> None:
    """E-14: R-CUST-49 automatic freeze; R-CUST-50 re-frozen at the next check; R-CUST-51 raise then unfreeze."""
    account, events = spend(budgeted("100.00", FreezeMode.AUTOMATIC), "100.00", "2024-06-10 10:05")
    assert account.causes == {FreezeCause.BUDGET_AUTO}
    assert account.automatically_frozen
    assert [e.name for e in events][-1] == "CustomerFrozen"
    account, _ = unfreeze(
        account,
        scope=FreezeScope.ACCOUNT,
        reason="customer request",
        actor=USER,
        as_of=at("2024-06-10 10:20"),
    )
    assert not account.frozen
    account, _ = recheck(account, as_of=at("2024-06-10 11:00"))
    assert account.causes == {FreezeCause.BUDGET_AUTO}
    account, events = set_budget(
        account, budget_type=BudgetType.MONTHLY, amount=usd("150.00"), freeze_mode=FreezeMode.AUTOMATIC,
        actor=USER, as_of=at("2024-06-10 11:30"), unfreeze_now=True,
    )  # fmt: skip
    assert not account.frozen
    assert fired(events) == []  # 75 % of 150.00 is 112.50, not yet reached
    assert not recheck(account, as_of=at("2024-06-10 12:00"))[0].frozen


def test_e15_monthly_restore() -> None:
    """E-15: R-CUST-44 the month restores; G-08 a BUDGET_AUTO-only freeze lifts, a manual one stays."""
    account, _ = spend(
        budgeted("100.00", FreezeMode.AUTOMATIC, when="2024-05-02 10:00"),
        "100.00",
        "2024-05-28 10:00",
    )
    assert account.frozen
    restored, events = recheck(account, as_of=at("2024-06-01 00:00"))
    assert restored.budget is not None
    assert restored.budget.consumed == usd("0")
    assert not restored.frozen
    assert [e.name for e in events] == ["BudgetPeriodReset", "CustomerUnfrozen"]
    manual, _ = freeze(
        account,
        scope=FreezeScope.ACCOUNT,
        reason="late payment",
        actor=USER,
        as_of=at("2024-05-29 10:00"),
    )
    still, _ = recheck(manual, as_of=at("2024-06-01 00:00"))
    assert still.causes == {FreezeCause.BUDGET_AUTO, FreezeCause.PARTNER_MANUAL}
    kept = attrs.evolve(ALIBABA_BUDGETS, auto_unfreeze_on_period_reset=False)
    assert recheck(account, as_of=at("2024-06-01 00:00"), policy=kept)[0].frozen


def test_e16_one_time_budget_never_restores() -> None:
    """E-16: R-CUST-45 a one-time budget keeps counting across months."""
    account = budgeted(
        "50.00", FreezeMode.MANUAL, budget_type=BudgetType.ONE_TIME, when="2024-05-10 10:00"
    )
    account, _ = spend(account, "30.00", "2024-05-20 10:00")
    account, _ = recheck(account, as_of=at("2024-06-01 00:00"))
    account, events = spend(account, "20.00", "2024-06-05 10:00")
    assert account.budget is not None
    assert account.budget.exhausted
    assert fired(events) == [Decimal(75), Decimal(90), Decimal(100)]


def test_e17_zero_budget_is_exhausted_at_once() -> None:
    """E-17 / G-01: a 0.00 budget is exhausted from the start and sends no percentage alerts."""
    account, events = set_budget(
        associated(), budget_type=BudgetType.MONTHLY, amount=usd("0.00"), freeze_mode=FreezeMode.AUTOMATIC,
        actor=USER, as_of=at("2024-06-03 10:00"),
    )  # fmt: skip
    assert fired(events) == []
    assert account.causes == {FreezeCause.ASSOCIATION_DEFAULT, FreezeCause.BUDGET_AUTO}


def test_lowering_to_zero_keeps_the_record_of_fired_alerts() -> None:
    """G-01 / G-03: thresholds fire once per window; lowering to 0.00 and back does not re-alert.

    Found by the CI profile's budget state machine: lowering an exhausted
    budget to zero used to forget the thresholds already fired.
    """
    account = budgeted("0.01", FreezeMode.MANUAL, budget_type=BudgetType.ONE_TIME)
    account, events = record_usage(account, usd("0.01"), at=at("2024-06-03 11:00"))
    assert fired(events) == [Decimal(75), Decimal(90), Decimal(100)]
    for amount in ("0.00", "0.01"):
        account, events = set_budget(
            account, budget_type=BudgetType.ONE_TIME, amount=usd(amount), freeze_mode=FreezeMode.MANUAL,
            actor=USER, as_of=at("2024-06-03 12:00"),
        )  # fmt: skip
        assert fired(events) == []
        assert account.budget is not None
        assert account.budget.fired == {Decimal(75), Decimal(90), Decimal(100)}


def test_e18_types_are_exclusive() -> None:
    """E-18: G-05 setting the other type replaces the budget (R-CUST-54: the record shows both)."""
    account = budgeted("100.00", FreezeMode.MANUAL)
    account, events = set_budget(
        account, budget_type=BudgetType.ONE_TIME, amount=usd("50.00"), freeze_mode=FreezeMode.MANUAL,
        actor=USER, as_of=at("2024-06-05 10:00"),
    )  # fmt: skip
    assert account.budget is not None
    assert account.budget.type is BudgetType.ONE_TIME
    record = events[0]
    assert getattr(record, "before").type is BudgetType.MONTHLY  # noqa: B009
    assert getattr(record, "after").amount == usd("50.00")  # noqa: B009


def test_e19_setting_again_replaces() -> None:
    """E-19: R-CUST-53 a new setting replaces the old one; the same setting is a no-op."""
    account = budgeted("100.00", FreezeMode.AUTOMATIC)
    again, _ = set_budget(
        account, budget_type=BudgetType.MONTHLY, amount=usd("200.00"), freeze_mode=FreezeMode.MANUAL,
        actor=USER, as_of=at("2024-06-05 10:00"),
    )  # fmt: skip
    assert again.budget is not None
    assert (again.budget.amount, again.budget.freeze_mode) == (usd("200.00"), FreezeMode.MANUAL)
    same, none = set_budget(
        again, budget_type=BudgetType.MONTHLY, amount=usd("200.00"), freeze_mode=FreezeMode.MANUAL,
        actor=USER, as_of=at("2024-06-05 11:00"),
    )  # fmt: skip
    assert (same, none) == (again, ())  # set-to-target: the same setting changes nothing


def test_e20_reseller_quota_pool() -> None:
    """E-20: R-CUST-65 budgets within the pool; allocated + available = total."""
    delegation = ResellerDelegation(
        PartnerId("d1"), PartnerId("r1"), budget_freeze_authorized=True,
        monthly_budget_quota=usd("100.00"), one_time_budget_quota=usd("50.00"),
    )  # fmt: skip
    empty = quota_pool(delegation, [], BudgetType.MONTHLY)
    assert empty == QuotaPool(usd("100.00"), usd("0"))

    def account(customer: str, amount: str) -> BudgetAccount:
        base = attrs.evolve(
            associated(partner="r1", distributor="d1"), customer_id=CustomerId(customer)
        )
        done, _ = set_budget(base, budget_type=BudgetType.MONTHLY, amount=usd(amount), freeze_mode=FreezeMode.MANUAL,
                             actor=USER, as_of=at("2024-06-03 10:00"))  # fmt: skip
        return done

    x = account("x", "60.00")
    assert evaluate_quota(
        delegation,
        [x],
        customer_id=CustomerId("y"),
        budget_type=BudgetType.MONTHLY,
        amount=usd("50.00"),
    ).codes == ("BUDGET_QUOTA_EXCEEDED",)
    assert evaluate_quota(
        delegation,
        [x],
        customer_id=CustomerId("y"),
        budget_type=BudgetType.MONTHLY,
        amount=usd("40.00"),
    ).allowed
    pool = quota_pool(delegation, [x, account("y", "40.00")], BudgetType.MONTHLY)
    assert pool is not None
    assert (pool.allocated, pool.available, pool.percent_allocated) == (
        usd("100.00"),
        usd("0.00"),
        Decimal(100),
    )
    lowered = account("x", "30.00")
    pool = quota_pool(delegation, [lowered, account("y", "40.00")], BudgetType.MONTHLY)
    assert pool is not None
    assert pool.available == usd("30.00")


def test_e22_account_freeze_matrix() -> None:
    """E-22: R-CUST-72 what an account freeze allows and blocks."""
    account, _ = freeze(
        budgeted("100.00", FreezeMode.MANUAL),
        scope=FreezeScope.ACCOUNT,
        reason="r",
        actor=USER,
        as_of=at("2024-06-04 10:00"),
    )
    allowed = {op for op in Operation if evaluate_operation(account, op).allowed}
    assert allowed == {Operation.UNSUBSCRIBE, Operation.RENAME, Operation.VIEW}


def test_e23_resource_retention() -> None:
    """E-23: R-CUST-74 15-day retention, a warning a day before, then release; the account stays frozen."""
    account, _ = freeze(budgeted("100.00", FreezeMode.MANUAL), scope=FreezeScope.ACCOUNT_AND_RESOURCES,
                        reason="stop fees", actor=USER, as_of=at("2024-06-01 12:00"))  # fmt: skip
    assert account.resources_frozen_at == at("2024-06-01 12:00")
    assert recheck(account, as_of=at("2024-06-15 11:59"))[1] == ()
    warned, events = recheck(account, as_of=at("2024-06-15 12:00"))
    assert [type(e) for e in events] == [ResourceRetentionExpiring]
    assert getattr(events[0], "release_at") == at("2024-06-16 12:00")  # noqa: B009
    released, events = recheck(warned, as_of=at("2024-06-16 12:00"))
    assert [type(e) for e in events] == [ResourcesReleased]
    assert released.frozen
    restored, _ = unfreeze(
        account,
        scope=FreezeScope.ACCOUNT_AND_RESOURCES,
        reason="paid",
        actor=USER,
        as_of=at("2024-06-10 10:00"),
    )
    assert restored.resources_frozen_at is None


def test_e24_escalation_after_association() -> None:
    """E-24: R-CUST-34 and R-CUST-73 escalate the default freeze to account and resources."""
    account, _ = freeze(
        associated(),
        scope=FreezeScope.ACCOUNT_AND_RESOURCES,
        reason="stop fees",
        actor=USER,
        as_of=at("2024-06-03 11:00"),
    )
    assert account.scope is FreezeScope.ACCOUNT_AND_RESOURCES
    assert evaluate_operation(account, Operation.RENAME).codes == ("RESOURCES_FROZEN",)
    assert evaluate_operation(account, Operation.VIEW).allowed
    with pytest.raises(RuleViolationError):
        unfreeze(
            account, scope=FreezeScope.ACCOUNT, reason="r", actor=USER, as_of=at("2024-06-04 10:00")
        )


@pytest.mark.parametrize(
    ("reason", "error"), [("", InvalidArgumentError), ("x" * 257, InvalidArgumentError)]
)
def test_e25_reason_required_and_limited(reason: str, error: type[Exception]) -> None:
    """E-25: R-CUST-75 a reason of 1 to 256 characters."""
    with pytest.raises(error) as info:
        freeze(
            associated(),
            scope=FreezeScope.ACCOUNT,
            reason=reason,
            actor=USER,
            as_of=at("2024-06-03 11:00"),
        )
    assert getattr(info.value, "rule_id", None) == "R-CUST-75"
    assert freeze(
        associated(),
        scope=FreezeScope.ACCOUNT,
        reason="x" * 256,
        actor=USER,
        as_of=at("2024-06-03 11:00"),
    )[0].frozen


def test_e26_partner_frozen() -> None:
    """E-26: R-CUST-78 the partner's own frozen account refuses customer unfreezes."""
    with pytest.raises(RuleViolationError) as info:
        unfreeze(
            associated(),
            scope=FreezeScope.ACCOUNT,
            reason="r",
            actor=USER,
            as_of=at("2024-06-03 11:00"),
            partner_frozen=True,
        )
    assert info.value.fields["code"] == "PARTNER_ACCOUNT_FROZEN"


def test_e43_partner_quota_restricts_every_customer() -> None:
    """E-43: R-CUST-83 an exhausted partner quota blocks purchases even under budget."""
    account = budgeted("1000.00", FreezeMode.AUTOMATIC)
    assert evaluate_operation(
        account, Operation.PAY_PER_USE_PURCHASE, partner_restricted=True
    ).codes == ("PARTNER_QUOTA_EXHAUSTED",)
    assert evaluate_operation(account, Operation.RENAME, partner_restricted=True).allowed


def test_reseller_customer_alerts_reach_both_partners() -> None:
    """R-CUST-47: a reseller's customer's alerts go to the reseller and the distributor."""
    account, _ = set_budget(
        associated(partner="r1", distributor="d1"), budget_type=BudgetType.MONTHLY, amount=usd("10.00"),
        freeze_mode=FreezeMode.MANUAL, actor=USER, as_of=at("2024-06-03 10:00"),
    )  # fmt: skip
    _, events = record_usage(account, usd("10.00"), at=at("2024-06-03 11:00"))
    alert = next(e for e in events if isinstance(e, BudgetThresholdReached))
    assert alert.recipients == (
        "partner:r1",
        "budget-recipients:r1",
        "partner:d1",
        "budget-recipients:d1",
    )


def test_pre_association_spend_never_counts() -> None:
    """R-CUST-03 / 4.2: spend before the association, or before a one-time budget, is ignored."""
    account = budgeted("100.00", FreezeMode.MANUAL)
    assert record_usage(account, usd("50.00"), at=at("2024-05-01 08:00")) == (account, ())
    one_time = budgeted(
        "100.00", FreezeMode.MANUAL, budget_type=BudgetType.ONE_TIME, when="2024-06-05 10:00"
    )
    assert record_usage(one_time, usd("50.00"), at=at("2024-06-04 10:00")) == (one_time, ())


def test_e17_usage_display() -> None:
    """E-17 / R-CUST-59: usage is a floored whole percent, "--" (None) for a zero budget."""
    for amount, spent, shown in (
        ("0.00", None, None),
        ("0.10", None, Decimal(0)),
        ("10000.00", None, Decimal(0)),
        ("50.00", "37.49", Decimal(74)),
    ):
        account = budgeted(amount, FreezeMode.MANUAL, budget_type=BudgetType.ONE_TIME)
        if spent:
            account, _ = spend(account, spent, "2024-06-05 10:00")
        assert account.budget is not None
        assert account.budget.usage_percent == shown


def test_customers_cannot_change_their_own_budget() -> None:
    """R-CUST-58: only the partner's users act on budgets; a customer actor is refused."""
    from partnerkit.partners import Partner, PartnerRole
    from partnerkit.permissions import Action, Actor, evaluate_permission

    csp = Partner(PartnerId("p1"), PartnerRole.CSP, "HK")
    decision = evaluate_permission(
        Actor.customer(CustomerId("c1")), Action.MANAGE_BUDGET, partner=csp
    )
    assert decision.codes == ("NOT_A_USER_OF_PARTNER",)


def test_unfreezing_restores_purchases_and_records_who_froze() -> None:
    """R-CUST-77 purchases return after unfreezing; R-CUST-80 and R-CUST-81 who, when, why, and "Automatically Frozen"."""
    account, events = spend(budgeted("100.00", FreezeMode.AUTOMATIC), "100.00", "2024-06-10 10:05")
    hold = account.holds[0]
    assert (hold.cause, hold.set_by, hold.set_at, hold.reason) == (
        FreezeCause.BUDGET_AUTO,
        "system",
        at("2024-06-10 10:05"),
        "budget exhausted",
    )
    assert account.automatically_frozen
    manual, events = freeze(
        account,
        scope=FreezeScope.ACCOUNT,
        reason="late payment",
        actor=USER,
        as_of=at("2024-06-10 11:00"),
    )
    assert getattr(events[0], "hold").set_by == USER  # noqa: B009
    raised, _ = set_budget(manual, budget_type=BudgetType.MONTHLY, amount=usd("200.00"), freeze_mode=FreezeMode.AUTOMATIC,
                           actor=USER, as_of=at("2024-06-10 12:00"), unfreeze_now=True)  # fmt: skip
    assert evaluate_operation(raised, Operation.YEARLY_MONTHLY_PURCHASE).allowed


def test_resources_auto_frozen_come_back_next_hour() -> None:
    """R-CUST-79 with G-07: an exhausted budget that freezes account and resources does so again next hour."""
    account, _ = set_budget(
        associated(), budget_type=BudgetType.MONTHLY, amount=usd("10.00"), freeze_mode=FreezeMode.AUTOMATIC,
        auto_freeze_scope=FreezeScope.ACCOUNT_AND_RESOURCES, actor=USER, as_of=at("2024-06-03 10:00"), unfreeze_now=True,
    )  # fmt: skip
    account, _ = spend(account, "10.00", "2024-06-03 11:00")
    assert account.scope is FreezeScope.ACCOUNT_AND_RESOURCES
    account, _ = unfreeze(
        account,
        scope=FreezeScope.ACCOUNT_AND_RESOURCES,
        reason="r",
        actor=USER,
        as_of=at("2024-06-03 11:10"),
    )
    account, _ = recheck(account, as_of=at("2024-06-03 12:00"))
    assert account.scope is FreezeScope.ACCOUNT_AND_RESOURCES


def test_the_monthly_quota_restores_by_construction() -> None:
    """R-CUST-66 / G-31: the pool counts budget amounts, not spend, so a new month changes nothing."""
    delegation = ResellerDelegation(PartnerId("d1"), PartnerId("r1"), budget_freeze_authorized=True,
                                    monthly_budget_quota=usd("100.00"), one_time_budget_quota=usd("0.00"))  # fmt: skip
    base = associated(partner="r1", distributor="d1")
    account, _ = set_budget(base, budget_type=BudgetType.MONTHLY, amount=usd("80.00"), freeze_mode=FreezeMode.MANUAL,
                            actor=USER, as_of=at("2024-06-03 10:00"))  # fmt: skip
    account, _ = spend(account, "80.00", "2024-06-20 10:00")
    june = quota_pool(delegation, [account], BudgetType.MONTHLY)
    july_account, _ = recheck(account, as_of=at("2024-07-01 00:00"))
    july = quota_pool(delegation, [july_account], BudgetType.MONTHLY)
    assert june == july == QuotaPool(usd("100.00"), usd("80.00"))


class TestAlibabaPreset:
    """peers.md: Alibaba credit lines on the same engine; only the policy values differ."""

    def test_credit_line_warning_threshold_and_available(self) -> None:
        account, _ = set_budget(
            associated(), budget_type=BudgetType.MONTHLY, amount=usd("1000.00"), freeze_mode=FreezeMode.AUTOMATIC,
            actor=USER, as_of=at("2024-06-03 10:00"), policy=ALIBABA_BUDGETS, thresholds=(Decimal(60),),
        )  # fmt: skip
        account, events = record_usage(
            account, usd("600.00"), at=at("2024-06-04 10:00"), policy=ALIBABA_BUDGETS
        )
        assert fired(events) == [Decimal(60)]
        assert account.budget is not None
        assert account.budget.available == usd("400.00")

    def test_shutdown_policies(self) -> None:
        """immediatelyStop = AUTOMATIC, noStop = MANUAL, delayStop = DELAYED with a grace amount."""
        delayed, _ = set_budget(
            associated(), budget_type=BudgetType.MONTHLY, amount=usd("100.00"), freeze_mode=FreezeMode.DELAYED,
            grace=usd("20.00"), actor=USER, as_of=at("2024-06-03 10:00"), unfreeze_now=True, policy=ALIBABA_BUDGETS,
        )  # fmt: skip
        after, _ = record_usage(
            delayed, usd("110.00"), at=at("2024-06-04 10:00"), policy=ALIBABA_BUDGETS
        )
        assert not after.frozen
        assert evaluate_operation(
            after, Operation.PAY_PER_USE_PURCHASE, policy=ALIBABA_BUDGETS
        ).codes == ("BUDGET_EXHAUSTED",)
        after, _ = record_usage(
            after, usd("10.00"), at=at("2024-06-04 11:00"), policy=ALIBABA_BUDGETS
        )
        assert after.causes == {FreezeCause.BUDGET_AUTO}
        with pytest.raises(InvalidArgumentError):
            set_budget(associated(), budget_type=BudgetType.MONTHLY, amount=usd("1.00"), freeze_mode=FreezeMode.MANUAL,
                       grace=usd("1.00"), actor=USER, as_of=at("2024-06-03 10:00"))  # fmt: skip

    def test_freeze_cascades_from_the_partner_above(self) -> None:
        """A parent's freeze reaches its sub-accounts and only the parent lifts it."""
        from partnerkit.budget import cascade_freeze

        account = budgeted("100.00", FreezeMode.MANUAL)
        cascaded, _ = cascade_freeze(
            account, parent=PartnerId("p1"), frozen=True, actor=USER, as_of=at("2024-06-05 10:00")
        )
        assert cascaded.causes == {FreezeCause.PARENT_CASCADE}
        assert unfreeze(
            cascaded,
            scope=FreezeScope.ACCOUNT,
            reason="r",
            actor=USER,
            as_of=at("2024-06-05 11:00"),
        ) == (cascaded, ())
        manual, _ = freeze(
            cascaded,
            scope=FreezeScope.ACCOUNT,
            reason="r",
            actor=USER,
            as_of=at("2024-06-05 11:00"),
        )
        lifted, _ = cascade_freeze(
            manual, parent=PartnerId("p1"), frozen=False, actor=USER, as_of=at("2024-06-05 12:00")
        )
        assert lifted.causes == {FreezeCause.PARTNER_MANUAL}
        assert cascade_freeze(
            lifted, parent=PartnerId("p1"), frozen=False, actor=USER, as_of=at("2024-06-05 12:00")
        ) == (lifted, ())
        with pytest.raises(RuleViolationError):
            cascade_freeze(
                account,
                parent=PartnerId("zz"),
                frozen=True,
                actor=USER,
                as_of=at("2024-06-05 10:00"),
            )
