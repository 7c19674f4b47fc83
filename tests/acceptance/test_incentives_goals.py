"""Annual revenue goals, indicators and feedback: EX-INC-01..04, R-INC-13, R-INC-19..28, R-INC-34."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from partnerkit.errors import InvalidArgumentError, PermissionDeniedError, RuleViolationError
from partnerkit.ids import ActorId, PartnerId
from partnerkit.incentives.goals import (
    HUAWEI_GOALS,
    AnnualGoal,
    AnnualGoalStatus,
    GoalImmutableError,
    GoalPolicy,
    approve_goal,
    completion_rate,
    growth_base,
    growth_rebate_eligible,
    modify_goal,
    reject_goal,
    review_due,
    submit_goal,
    withdraw_goal,
)
from partnerkit.incentives.indicators import (
    INCENTIVE_FEEDBACK,
    INDICATOR_FEEDBACK,
    REVENUE_FEEDBACK,
    Attachment,
    Indicator,
    StatisticalMethod,
    check_feedback,
    current_indicators,
    feedback_allowed,
    find_indicators,
    page_count,
)
from partnerkit.money import Money
from partnerkit.periods import GMT_PLUS_8, Period, PeriodKind

P = PartnerId("p1")
ADMIN = ActorId("admin")


def usd(amount: str | int) -> Money:
    return Money.of(amount, "USD")


def at(y: int, m: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, s, tzinfo=GMT_PLUS_8)


def submit(
    goal: str | int,
    when: datetime,
    existing: tuple[AnnualGoal, ...] = (),
    policy: GoalPolicy = HUAWEI_GOALS,
) -> AnnualGoal:
    created, events = submit_goal(
        existing, P, 2023, usd(goal), actor=ADMIN, as_of=when, administrator=True, policy=policy
    )
    assert events[0].after == created
    return created


class TestAnnualGoal:
    def test_ex01_goal_needs_review(self) -> None:
        """EX-INC-01 / R-INC-24, R-INC-25, R-INC-26: 390,000 is reviewed within 5 working days."""
        goal = submit(390000, at(2023, 3, 14, 15, 40, 45))
        assert goal.status is AnnualGoalStatus.APPROVING
        assert goal.approved_at is None
        assert review_due(goal) == date(2023, 3, 21)
        assert not growth_rebate_eligible(goal).allowed
        withdrawn, _ = withdraw_goal(goal, actor=ADMIN, as_of=at(2023, 3, 15), reason="typo")
        assert (withdrawn.status, withdrawn.withdraw_reason) == (AnnualGoalStatus.WITHDRAWN, "typo")
        approved, _ = approve_goal(goal, actor=ActorId("vendor"), as_of=at(2023, 3, 16))
        assert approved.status is AnnualGoalStatus.APPROVED
        with pytest.raises(GoalImmutableError) as caught:
            modify_goal(approved, usd(400000))
        assert caught.value.rule_id == "R-INC-24"
        assert growth_rebate_eligible(approved).allowed

    def test_ex02_goal_effective_at_once(self) -> None:
        """EX-INC-02 / R-INC-23, R-INC-27: 350,000 is effective and immutable; 16,600 is 4.74 %."""
        goal = submit(350000, at(2023, 2, 22, 15, 39, 4))
        assert goal.status is AnnualGoalStatus.EFFECTIVE
        assert goal.created_at == goal.approved_at == at(2023, 2, 22, 15, 39, 4)
        assert growth_rebate_eligible(goal).codes == ("GOAL_TOO_LOW",)
        assert completion_rate(usd(16600), goal.goal) == Decimal("4.74")
        with pytest.raises(GoalImmutableError) as caught:
            modify_goal(goal, usd(1))
        assert caught.value.rule_id == "R-INC-23"

    def test_ex03_boundary(self) -> None:
        """EX-INC-03 / R-INC-24, R-INC-26, DC-INC-08: 360,000 is reviewed; growth only if inclusive."""
        goal = submit(360000, at(2023, 1, 5))
        assert goal.status is AnnualGoalStatus.APPROVING
        approved, _ = approve_goal(goal, actor=ActorId("vendor"), as_of=at(2023, 1, 6))
        assert growth_rebate_eligible(approved).codes == ("GOAL_TOO_LOW",)
        inclusive = GoalPolicy(growth_inclusive=True)
        assert growth_rebate_eligible(approved, policy=inclusive).allowed
        assert submit("359999.99", at(2023, 1, 5)).status is AnnualGoalStatus.EFFECTIVE

    def test_completion_truncates(self) -> None:
        """R-INC-27, DC-INC-38: -56.00 of 10.10 shows -554.45 % (truncated, not rounded)."""
        assert completion_rate(usd("-56.00"), usd("10.10")) == Decimal("-554.45")

    def test_only_the_administrator(self) -> None:
        """R-INC-22: members need the permission to set the goal."""
        with pytest.raises(PermissionDeniedError) as caught:
            submit_goal(
                (),
                P,
                2023,
                usd(1000),
                actor=ActorId("m1"),
                as_of=at(2023, 1, 1),
                administrator=False,
            )
        assert caught.value.rule_id == "R-INC-22"
        granted, _ = submit_goal(
            (),
            P,
            2023,
            usd(1000),
            actor=ActorId("m1"),
            as_of=at(2023, 1, 1),
            administrator=False,
            permitted=True,
        )
        assert granted.status is AnnualGoalStatus.EFFECTIVE

    def test_one_live_goal_per_year(self) -> None:
        """R-INC-28, DC-INC-39: a second live goal is refused; after a withdrawal one may follow."""
        first = submit(400000, at(2023, 1, 5))
        with pytest.raises(RuleViolationError) as caught:
            submit(100, at(2023, 1, 6), (first,))
        assert caught.value.rule_id == "R-INC-28"
        withdrawn, _ = withdraw_goal(first, actor=ADMIN, as_of=at(2023, 1, 6), reason="redo")
        assert submit(100, at(2023, 1, 7), (withdrawn,)).status is AnnualGoalStatus.EFFECTIVE
        rejected, _ = reject_goal(
            submit(500000, at(2023, 1, 5)),
            actor=ActorId("v"),
            as_of=at(2023, 1, 8),
            reason="too high",
        )
        assert rejected.status is AnnualGoalStatus.REJECTED
        assert submit(100, at(2023, 1, 9), (rejected,)).status is AnnualGoalStatus.EFFECTIVE

    def test_withdraw_rules(self) -> None:
        """R-INC-25: only a goal under review, and only with a reason."""
        goal = submit(400000, at(2023, 1, 5))
        with pytest.raises(InvalidArgumentError) as caught:
            withdraw_goal(goal, actor=ADMIN, as_of=at(2023, 1, 6), reason=" ")
        assert caught.value.rule_id == "R-INC-25"
        effective = submit(100, at(2023, 1, 5))
        with pytest.raises(RuleViolationError) as refused:
            withdraw_goal(effective, actor=ADMIN, as_of=at(2023, 1, 6), reason="x")
        assert refused.value.rule_id == "R-INC-25"
        assert effective.status is AnnualGoalStatus.EFFECTIVE
        with pytest.raises(RuleViolationError):
            modify_goal(goal, usd(1))

    def test_bad_goals(self) -> None:
        """A goal must be a positive USD amount for a real year."""
        for bad in (usd(0), Money.of(1, "EUR")):
            with pytest.raises(InvalidArgumentError):
                submit_goal((), P, 2023, bad, actor=ADMIN, as_of=at(2023, 1, 1), administrator=True)
        with pytest.raises(InvalidArgumentError):
            submit_goal((), P, 12, usd(1), actor=ADMIN, as_of=at(2023, 1, 1), administrator=True)

    def test_growth_base(self) -> None:
        """DC-INC-07: the increase over last year, never negative."""
        assert growth_base(usd(500), usd(400)) == usd(100)
        assert growth_base(usd(300), usd(400)) == usd(0)
        assert not growth_rebate_eligible(None).allowed


def indicator(
    iid: str,
    scope: str | None,
    method: StatisticalMethod,
    kind: PeriodKind,
    cycle: str,
    value: str,
    updated: datetime,
    *,
    open_: bool = True,
) -> Indicator:
    return Indicator(
        indicator_id=iid,
        name="2023 Quarterly Revenue",
        scope=scope,
        method=method,
        statistical_period=kind,
        billing_cycle=Period.parse(cycle),
        value=usd(value),
        last_updated=updated,
        feedback_open=open_,
    )


class TestIndicators:
    def test_ex04_feedback_and_versions(self) -> None:
        """EX-INC-04 / R-INC-19, R-INC-20, R-INC-21, DC-INC-35: manual rows take no feedback;
        the latest 2023Q4 record supersedes; 67 records fill 7 pages."""
        a, m = StatisticalMethod.AUTO, StatisticalMethod.MANUAL
        q = PeriodKind.QUARTER
        rows = [
            indicator("r2", "EU", m, PeriodKind.YEAR, "2024Y", "37000.00", at(2024, 7, 12)),
            indicator("r4", "2024Q2", m, q, "2024Q2", "3900.45", at(2024, 7, 1)),
            indicator("r7", "2023Q4", a, q, "2023Q4", "0.00", at(2024, 1, 16, 11, 46, 31)),
            indicator("r8", "2023Q4", a, q, "2023Q4", "2340.22", at(2024, 1, 8)),
            indicator("r10", None, a, q, "2023Q3", "200.00", at(2023, 10, 8), open_=False),
        ]
        assert [feedback_allowed(r).codes for r in rows] == [
            ("MANUAL_INDICATOR",),
            ("MANUAL_INDICATOR",),
            (),
            (),
            ("FEEDBACK_CLOSED",),
        ]
        current = current_indicators(rows)
        q4 = [r for r in current if r.billing_cycle == Period.parse("2023Q4")]
        assert [r.indicator_id for r in q4] == ["r7"]
        assert len(current) == 4
        parsed = Period.parse("2024Q3"), Period.parse("2024Y"), Period.parse("2023M6")
        assert [(p.kind, p.year, p.index) for p in parsed] == [
            (PeriodKind.QUARTER, 2024, 3),
            (PeriodKind.YEAR, 2024, 1),
            (PeriodKind.MONTH, 2023, 6),
        ]
        assert page_count(67) == 7
        assert [r.indicator_id for r in find_indicators(rows, cycle=Period.parse("2023Q4"))] == [
            "r7",
            "r8",
        ]
        assert [r.indicator_id for r in find_indicators(rows, scope="EU", name="quarterly")] == [
            "r2"
        ]

    def test_details_by_revenue_or_order(self) -> None:
        """R-INC-20: details are searched by revenue id or order number."""
        row = Indicator(
            indicator_id="i",
            name="n",
            scope=None,
            method=StatisticalMethod.AUTO,
            statistical_period=PeriodKind.MONTH,
            billing_cycle=Period.parse("2024M6"),
            value=usd("1"),
            last_updated=at(2024, 7, 1),
            details=(("R1", "O1"), ("R2", None)),
        )
        assert row.find_details("O1") == (("R1", "O1"),)
        assert row.find_details("R2") == (("R2", None),)
        with pytest.raises(InvalidArgumentError):
            page_count(-1)
        with pytest.raises(InvalidArgumentError):
            page_count(1, per_page=0)


class TestFeedback:
    @pytest.mark.parametrize(
        ("rules", "limit", "rule_id"),
        [
            (REVENUE_FEEDBACK, 500, "R-INC-13"),
            (INDICATOR_FEEDBACK, 1000, "R-INC-21"),
            (INCENTIVE_FEEDBACK, 1000, "R-INC-34"),
        ],
    )
    def test_text_limits(self, rules: object, limit: int, rule_id: str) -> None:
        """R-INC-13, R-INC-21, R-INC-34: 500 or 1,000 characters."""
        from partnerkit.incentives.indicators import FeedbackRules

        assert isinstance(rules, FeedbackRules)
        contact = "+60 123, a@b.c"
        assert check_feedback(rules, "x" * limit, contact=contact).text == "x" * limit
        with pytest.raises(InvalidArgumentError) as caught:
            check_feedback(rules, "x" * (limit + 1), contact=contact)
        assert caught.value.rule_id == rule_id

    def test_attachments(self) -> None:
        """R-INC-13, R-INC-21, R-INC-34: formats, 5 MB, no Chinese file names, contact."""
        five_mb = 5 * 1024 * 1024
        ok = Attachment("proof.PNG", five_mb)
        assert check_feedback(REVENUE_FEEDBACK, "see", [ok]).attachments == (ok,)
        cases = [
            (REVENUE_FEEDBACK, [Attachment("proof.pdf", 1)]),
            (REVENUE_FEEDBACK, [Attachment("proof.png", five_mb + 1)]),
            (REVENUE_FEEDBACK, [Attachment("发票.png", 1)]),
            (REVENUE_FEEDBACK, [Attachment("a.png", 1), Attachment("b.png", 1)]),
            (INDICATOR_FEEDBACK, [Attachment("proof.png", 1)]),
        ]
        for rules, files in cases:
            with pytest.raises(InvalidArgumentError) as caught:
                check_feedback(rules, "see", files)
            assert caught.value.rule_id == rules.rule_id
        assert check_feedback(INDICATOR_FEEDBACK, "see", [Attachment("a.zip", 1)]).text == "see"
        with pytest.raises(InvalidArgumentError) as no_contact:
            check_feedback(INCENTIVE_FEEDBACK, "see")
        assert no_contact.value.rule_id == "R-INC-34"
        with pytest.raises(InvalidArgumentError):
            check_feedback(REVENUE_FEEDBACK, "  ")
