"""The eligibility engine refuses bad input clearly and evaluates each kind of line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from partnerkit.calendars import WEEKENDS
from partnerkit.eligibility import (
    AllOf,
    AtLeast,
    Count,
    DaysBefore,
    Elapsed,
    Evidence,
    Facts,
    Flag,
    Level,
    Not,
    Op,
    Programme,
    Rank,
    Threshold,
    Window,
    WindowKind,
    evaluate,
    from_data,
    from_json,
    next_step,
    programme_to_json,
    to_data,
    walk,
)
from partnerkit.errors import InvalidArgumentError

AS_OF = datetime(2024, 7, 1, tzinfo=UTC)


def flag(rid: str = "f", fact: str = "x") -> Flag:
    return Flag(id=rid, label=rid, fact=fact)


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: Threshold(id="t", label="t", metric="m", value=1.5), "value"),
        (lambda: Threshold(id="t", label="t", metric="m", value=Decimal("NaN")), "value"),
        (lambda: Threshold(id="", label="t", metric="m", value=1), "id"),
        (lambda: Count(id="c", label="c", kind="k", value=-1), "value"),
        (lambda: Count(id="c", label="c", kind="k", value=1, where={"a": 1}), "where"),  # type: ignore[dict-item]
        (lambda: Rank(id="r", label="r", ladder="l", levels=("A", "A"), at_least="A"), "levels"),
        (lambda: Rank(id="r", label="r", ladder="l", levels=("A",), at_least="B"), "at_least"),
        (lambda: Window(kind=WindowKind.ROLLING_MONTHS), "length"),
        (lambda: Window(kind=WindowKind.CALENDAR_YEAR, length=1), "length"),
        (lambda: AtLeast(id="n", label="n", n=3, items=(flag(),)), "n"),
        (lambda: AllOf(id="a", label="a", items=("x",)), "items"),
        (lambda: Not(id="n", label="n", item="x"), "item"),  # type: ignore[arg-type]
        (lambda: Evidence(kind="k", id="i", occurred_at=AS_OF.replace(tzinfo=None)), "occurred_at"),
        (lambda: Evidence(kind="k", id="i", attributes={"a": 1}), "attributes"),  # type: ignore[dict-item]
        (lambda: Facts(metrics={"m": 1.5}), "metrics[m]"),
        (lambda: Facts(metrics={"": 1}), "metrics"),
        (lambda: Facts(flags={""}), "flags"),
        (lambda: Facts(levels={"l": ""}), "levels"),
        (lambda: Facts(dates={"d": AS_OF.replace(tzinfo=None)}), "dates[d]"),
        (lambda: Facts(dates={"": AS_OF}), "dates"),
        (lambda: Facts(evidence=["x"]), "evidence"),  # type: ignore[list-item]
        (lambda: Level(name=""), "name"),
        (lambda: Programme(id="p", version="1", label="p", ladder="l", levels=()), "levels"),
        (
            lambda: Programme(
                id="p",
                version="1",
                label="p",
                ladder="l",
                levels=(Level(name="A"), Level(name="A")),
            ),
            "levels",
        ),
    ],
)
def test_bad_values_are_refused_naming_the_field(build: Any, field: str) -> None:
    """Bad input gets a clear error naming the field, at construction."""
    with pytest.raises(InvalidArgumentError) as caught:
        build()
    assert caught.value.argument == field


def test_bad_documents_and_arguments() -> None:
    """JSON, data and evaluate arguments are checked too."""
    for text in ("[]", "{", '{"type": "nope", "id": "x", "label": "x"}'):
        with pytest.raises(InvalidArgumentError):
            from_json(text)
    with pytest.raises(InvalidArgumentError):
        to_data("x")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError):
        from_data({"type": "flag", "id": "x"})
    with pytest.raises(InvalidArgumentError):
        evaluate("x", Facts(), as_of=AS_OF)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError):
        evaluate(flag(), {}, as_of=AS_OF)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError):
        evaluate(flag(), Facts(), as_of=AS_OF.replace(tzinfo=None))
    ladder = Programme(id="p", version="1", label="p", ladder="l", levels=(Level(name="A"),))
    with pytest.raises(InvalidArgumentError):
        next_step(ladder, Facts(levels={"l": "Z"}), as_of=AS_OF)
    with pytest.raises(InvalidArgumentError):
        next_step("p", Facts(), as_of=AS_OF)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError):
        programme_to_json("p")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError):
        ladder.level("Z")


def test_operators_and_windows() -> None:
    """Each comparison; rolling-days and calendar-year windows; statuses and lapsed items."""
    facts = Facts(metrics={"m": 5})
    holds = {op: evaluate(Threshold(id="t", label="t", metric="m", op=op, value=5), facts,
                          as_of=AS_OF).eligible for op in Op}  # fmt: skip
    assert holds == {Op.GE: True, Op.GT: False, Op.LE: True, Op.LT: False, Op.EQ: True}
    assert [op.monotone for op in Op] == [True, True, False, False, False]
    evidence = [
        Evidence(kind="k", id="old", occurred_at=AS_OF - timedelta(days=40)),
        Evidence(kind="k", id="new", occurred_at=AS_OF - timedelta(days=10), status="PASSED"),
        Evidence(kind="k", id="last-year", occurred_at=datetime(2023, 12, 31, tzinfo=UTC)),
        Evidence(kind="k", id="future", occurred_at=AS_OF + timedelta(days=1)),
        Evidence(kind="k", id="undated"),
        Evidence(kind="k", id="lapsed", valid_to=AS_OF - timedelta(seconds=1)),
    ]
    snapshot = Facts(evidence=evidence)

    def counted(**kw: Any) -> tuple[str, ...]:
        line = evaluate(Count(id="c", label="c", kind="k", value=0, **kw), snapshot, as_of=AS_OF)
        return line.lines[0].evidence

    assert counted(window=Window(kind=WindowKind.ROLLING_DAYS, length=30)) == ("new",)
    assert counted(window=Window(kind=WindowKind.CALENDAR_YEAR)) == ("new", "old")
    assert counted(statuses=("PASSED",)) == ("new",)
    assert "lapsed" not in counted()
    assert "lapsed" in counted(valid_only=False)


def test_dates_elapsed_and_days_before() -> None:
    """Elapsed counts from a date; DaysBefore in calendar or working days; unknown dates miss."""
    facts = Facts(dates={"registered": datetime(2023, 7, 1, tzinfo=UTC),
                         "event": datetime(2024, 7, 15, tzinfo=UTC)})  # fmt: skip
    year = Elapsed(id="e", label="e", date="registered", months=12)
    assert evaluate(year, facts, as_of=AS_OF).eligible
    assert not evaluate(year, facts, as_of=AS_OF - timedelta(seconds=1)).eligible
    assert not evaluate(Elapsed(id="e", label="e", date="x", days=1), facts, as_of=AS_OF).eligible
    ten_working = DaysBefore(id="d", label="d", date="event", days=10, working_days=True)
    on_time = evaluate(ten_working, facts, as_of=AS_OF, calendar=WEEKENDS)
    assert on_time.eligible
    assert on_time.lines[0].required == "by 2024-07-01 (10 working days before)"
    late = evaluate(ten_working, facts, as_of=AS_OF + timedelta(days=1))
    assert not late.eligible
    calendar_days = DaysBefore(id="d", label="d", date="event", days=14)
    assert evaluate(calendar_days, facts, as_of=AS_OF).eligible
    assert not evaluate(calendar_days, facts, as_of=AS_OF + timedelta(days=1)).eligible
    assert not evaluate(
        DaysBefore(id="d", label="d", date="x", days=1), facts, as_of=AS_OF
    ).eligible


def test_not_and_at_least_and_walk() -> None:
    """Not inverts; at-least counts held items; walk lists the tree depth first."""
    tree = AtLeast(id="two", label="two", n=2, items=(
        flag("a", "a"), flag("b", "b"), Not(id="not-c", label="not c", item=flag("c", "c")),
    ))  # fmt: skip
    assert [r.id for r in walk(tree)] == ["two", "a", "b", "not-c", "c"]
    assert evaluate(tree, Facts(flags={"a"}), as_of=AS_OF).eligible
    result = evaluate(tree, Facts(flags={"c"}), as_of=AS_OF)
    assert not result.eligible
    assert [line.requirement_id for line in result.blockers] == ["a", "b", "not-c"]
    assert result.to_decision().reasons[0].rule_id == "a"
