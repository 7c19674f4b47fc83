"""Invariants of the eligibility engine: explained answers, monotonicity, JSON, determinism."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnerkit.eligibility import (
    AllOf,
    AnyOf,
    AtLeast,
    Count,
    Distinct,
    Evidence,
    Facts,
    Flag,
    Not,
    Op,
    Rank,
    Requirement,
    Severity,
    Threshold,
    Window,
    WindowKind,
    evaluate,
    from_json,
    to_json,
)

AS_OF = datetime(2024, 7, 1, tzinfo=UTC)
METRICS = ("revenue.annual", "customers.count", "consumption.total")
FLAGS = ("network.member", "account.in_arrears", "business_plan.passed")
LADDER = ("SELECTION", "VALIDATION", "DIFFERENTIATION")
KINDS = ("certificate", "case")
numbers = st.integers(min_value=0, max_value=20).map(Decimal)
ids = st.text(alphabet="abcxyz.-", min_size=1, max_size=6)


def _leaf(monotone: bool) -> st.SearchStrategy[Requirement]:
    ops = (Op.GE, Op.GT) if monotone else tuple(Op)
    threshold = st.builds(
        Threshold, id=ids, label=ids, metric=st.sampled_from(METRICS), op=st.sampled_from(ops),
        value=numbers, unit=st.none() | st.just("USD"),
    )  # fmt: skip
    flag = st.builds(
        Flag, id=ids, label=ids, fact=st.sampled_from(FLAGS),
        expected=st.just(True) if monotone else st.booleans(),
    )  # fmt: skip
    count = st.builds(
        Count, id=ids, label=ids, kind=st.sampled_from(KINDS),
        where=st.sampled_from(({}, {"level": "WORK"})), op=st.sampled_from(ops),
        value=st.integers(0, 4), distinct=st.sampled_from(tuple(Distinct)),
        window=st.none() | st.just(Window(kind=WindowKind.ROLLING_MONTHS, length=12)),
        statuses=st.none() | st.just(("PASSED",)),
    )  # fmt: skip
    rank = st.builds(
        Rank, id=ids, label=ids, ladder=st.just("path.X"), levels=st.just(LADDER),
        at_least=st.sampled_from(LADDER),
    )  # fmt: skip
    severities = st.just(Severity.BLOCKING) if monotone else st.sampled_from(tuple(Severity))
    return st.one_of(threshold, flag, count, rank).flatmap(
        lambda r: severities.map(lambda s: _with_severity(r, s))
    )


def _with_severity(requirement: Requirement, severity: Severity) -> Requirement:
    import attrs

    return attrs.evolve(requirement, severity=severity)


def requirements(*, monotone: bool = False) -> st.SearchStrategy[Requirement]:
    def extend(children: st.SearchStrategy[Requirement]) -> st.SearchStrategy[Requirement]:
        items = st.lists(children, min_size=1, max_size=4).map(tuple)
        composites = [
            st.builds(AllOf, id=ids, label=ids, items=items),
            st.builds(AnyOf, id=ids, label=ids, items=items),
            items.flatmap(
                lambda its: st.integers(1, len(its)).map(
                    lambda n: AtLeast(id="n", label="n of", n=n, items=its)
                )
            ),
        ]
        if not monotone:
            composites.append(st.builds(Not, id=ids, label=ids, item=children))
        return st.one_of(*composites)

    return st.recursive(_leaf(monotone), extend, max_leaves=8)


@st.composite
def facts(draw: st.DrawFn) -> Facts:
    evidence = []
    for n in range(draw(st.integers(0, 6))):
        evidence.append(
            Evidence(
                kind=draw(st.sampled_from(KINDS)),
                id=f"e{n}",
                attributes=draw(st.sampled_from(({}, {"level": "WORK"}))),
                holder=draw(st.sampled_from(("p1", "p2", "p3", None))),
                occurred_at=AS_OF - timedelta(days=draw(st.integers(0, 500))),
                valid_to=draw(
                    st.none() | st.integers(-30, 900).map(lambda d: AS_OF + timedelta(days=d))
                ),
                status=draw(st.sampled_from(("PASSED", "REJECTED", None))),
            )
        )
    level = draw(st.none() | st.sampled_from(LADDER))
    return Facts(
        metrics=draw(st.dictionaries(st.sampled_from(METRICS), numbers)),
        flags=draw(st.sets(st.sampled_from(FLAGS))),
        levels={"path.X": level} if level else {},
        evidence=evidence,
    )


@pytest.mark.rules("R-ELIG-036")
@given(requirements(), facts())
def test_every_no_names_a_missed_line_and_every_yes_none(
    requirement: Requirement, snapshot: Facts
) -> None:
    """An ineligible answer lists at least one missed requirement (a blocker); an eligible one none.

    R-ELIG-036: the scorecard shows each line met or not; submission only when all are met.
    """
    result = evaluate(requirement, snapshot, as_of=AS_OF)
    if result.eligible:
        assert result.missed == ()
        assert result.blockers == ()
    else:
        assert result.missed
        assert result.blockers
        assert all(not line.holds for line in result.blockers)
    assert result.to_decision().allowed is (not result.blockers)


def _more(snapshot: Facts, extra: Facts, bump: Decimal) -> Facts:
    metrics = {k: v + bump for k, v in snapshot.metrics.items()}
    for name, value in extra.metrics.items():
        metrics[name] = max(metrics.get(name, Decimal(0)), value)
    levels = dict(snapshot.levels)
    if extra.level("path.X") is not None:
        current = snapshot.level("path.X")
        if current is None or LADDER.index(extra.levels["path.X"]) > LADDER.index(current):
            levels["path.X"] = extra.levels["path.X"]
    extra_evidence = tuple(
        Evidence(kind=e.kind, id=f"x{e.id}", attributes=e.attributes, holder=e.holder,
                 occurred_at=e.occurred_at, valid_to=e.valid_to, status=e.status)
        for e in extra.evidence
    )  # fmt: skip
    return Facts(
        metrics=metrics,
        flags=snapshot.flags | extra.flags,
        levels=levels,
        evidence=snapshot.evidence + extra_evidence,
    )


@pytest.mark.rules("R-ELIG-034")
@given(requirements(monotone=True), facts(), facts(), st.integers(0, 5).map(Decimal))
def test_more_facts_never_turn_eligible_into_not(
    requirement: Requirement, snapshot: Facts, extra: Facts, bump: Decimal
) -> None:
    """Monotone requirements (all/any/at-least over >= thresholds, counts, flags, ranks):
    adding facts never turns eligible into not eligible (R-ELIG-034: meeting a tier's
    requirements makes the upgrade requestable)."""
    before = evaluate(requirement, snapshot, as_of=AS_OF)
    after = evaluate(requirement, _more(snapshot, extra, bump), as_of=AS_OF)
    assert not before.eligible or after.eligible


@given(requirements())
def test_requirements_round_trip_through_json(requirement: Requirement) -> None:
    """Any requirement tree survives JSON unchanged (GAP-01: catalogues live in files)."""
    assert from_json(to_json(requirement)) == requirement


@given(requirements(), facts(), st.randoms(use_true_random=False))
def test_evaluation_is_deterministic_and_ignores_fact_order(
    requirement: Requirement, snapshot: Facts, rnd: random.Random
) -> None:
    """The same facts in another order give the identical answer, every time."""
    evidence = list(snapshot.evidence)
    rnd.shuffle(evidence)
    metrics = list(snapshot.metrics.items())
    rnd.shuffle(metrics)
    shuffled = Facts(
        metrics=dict(metrics), flags=set(snapshot.flags), levels=dict(snapshot.levels),
        evidence=evidence,
    )  # fmt: skip
    first = evaluate(requirement, snapshot, as_of=AS_OF)
    assert evaluate(requirement, snapshot, as_of=AS_OF) == first
    assert evaluate(requirement, shuffled, as_of=AS_OF) == first
