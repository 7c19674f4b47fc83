"""Properties of MDF quota accounting, MDF lateness and FH totals (DC-INC-15, 20, 21, 22)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnerkit.calendars import WEEKENDS, add_working_days, roll_backward
from partnerkit.errors import InvalidArgumentError
from partnerkit.incentives.funds import (
    BudgetItem,
    FhRecipient,
    FundRequestRefused,
    FundsError,
    MdfApplication,
    MdfMaterial,
    MdfQuotaAccount,
    MdfReimbursement,
    MdfStatus,
    SiFhRequest,
    approve_mdf,
    approve_mdf_reimbursement,
    cancel_mdf,
    fh_total,
    mdf_latest_submission,
    request_mdf_reimbursement,
    si_funding_period,
    submit_mdf,
)
from partnerkit.money import Money
from partnerkit.periods import GMT_PLUS_8, Period


def usd(cents: int) -> Money:
    return Money.from_minor_units(cents, "USD")


def application(app_id: str, cents: int) -> MdfApplication:
    return MdfApplication(
        application_id=app_id,
        activity_name=f"activity {app_id}",
        activity_type="seminar",
        expected_start=date(2024, 9, 20),
        expected_end=date(2024, 9, 22),
        agreement_accepted=True,
        budget_items=(BudgetItem(item="Design", mdf_used=True, amount=usd(cents)),),
    )


SUBMIT = datetime(2024, 9, 2, 10, tzinfo=GMT_PLUS_8)
AFTER = datetime(2024, 9, 30, 10, tzinfo=GMT_PLUS_8)

steps = st.lists(
    st.tuples(
        st.sampled_from(["approve", "cancel", "reimburse"]),
        st.integers(min_value=0, max_value=4),
        st.integers(min_value=0, max_value=50_000),
    ),
    max_size=30,
)


@pytest.mark.rules("R-INC-63", "R-INC-66", "R-INC-69")
@given(quota_cents=st.integers(min_value=0, max_value=100_000), script=steps)
def test_mdf_quota_is_conserved(quota_cents: int, script: list[tuple[str, int, int]]) -> None:
    """DC-INC-21: reserved + consumed + available == quota, available >= 0, at every step.

    Approvals reserve, cancellations release, reimbursement approvals consume
    at most what was reserved (DC-INC-20); refusals change nothing.
    """
    quota = MdfQuotaAccount(quota=usd(quota_cents))
    apps: dict[int, MdfApplication] = {}
    for action, slot, cents in script:
        app = apps.get(slot)
        try:
            if action == "approve" and app is None:
                draft = application(f"a{slot}", cents)
                submitted = submit_mdf(
                    draft, quota=quota, business_info_certified=True, as_of=SUBMIT
                )
                apps[slot], quota = approve_mdf(submitted, quota, as_of=SUBMIT)
            elif action == "cancel" and app is not None:
                apps[slot], quota = cancel_mdf(app, quota)
            elif action == "reimburse" and app is not None:
                claim = MdfReimbursement(
                    expense_items=(BudgetItem(item="x", mdf_used=True, amount=usd(cents)),),
                    materials=frozenset(MdfMaterial),
                )
                claimed = request_mdf_reimbursement(
                    app, claim, quota, business_info_certified=True, as_of=AFTER
                )
                assert claimed.reimbursement is not None
                reimbursable = claimed.reimbursement.reimbursable
                assert reimbursable is not None
                assert app.approved_budget is not None
                assert reimbursable <= app.approved_budget
                assert reimbursable <= claimed.reimbursement.expense_with_mdf
                apps[slot], quota = approve_mdf_reimbursement(claimed, quota, as_of=AFTER)
        except FundsError:
            pass
        assert quota.reserved + quota.consumed + quota.available == quota.quota
        assert not quota.available.is_negative()
        held = {a.application_id for a in apps.values() if a.status is MdfStatus.APPROVED}
        assert {key for key, _ in quota.holds} == held


@pytest.mark.rules("R-INC-62")
@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    lead=st.integers(min_value=-5, max_value=40),
)
def test_mdf_lateness_is_dc_inc_15(start: date, lead: int) -> None:
    """DC-INC-15: on time iff ``add_working_days(submit, 10) <= start``, whatever the start day."""
    submitted = start - timedelta(days=lead)
    on_time = add_working_days(WEEKENDS, submitted, 10) <= start
    assert (roll_backward(WEEKENDS, submitted) <= mdf_latest_submission(start)) is on_time
    app = attrs.evolve(application("a", 100), expected_start=start, expected_end=start)
    when = datetime(submitted.year, submitted.month, submitted.day, 9, tzinfo=GMT_PLUS_8)
    quota = MdfQuotaAccount(quota=usd(100))
    if on_time:
        result = submit_mdf(app, quota=quota, business_info_certified=True, as_of=when)
        assert result.late is False
    else:
        with pytest.raises(FundRequestRefused) as caught:
            submit_mdf(app, quota=quota, business_info_certified=True, as_of=when)
        assert caught.value.rule_id == "R-INC-62"


@pytest.mark.rules("R-INC-77")
@given(st.lists(st.integers(min_value=0, max_value=10**9), max_size=12))
def test_fh_total_is_the_sum_of_the_recipients(amounts: list[int]) -> None:
    """2.12: fh_total = SUM of the selected recipients' amounts, exact to the cent."""
    people = [
        FhRecipient(huawei_id=f"hw-{i}", name="n", on_the_job="3months", mbo_score=100,
                    amount=usd(c), info_updated_on=date(2024, 3, 1))
        for i, c in enumerate(amounts)
    ]  # fmt: skip
    assert fh_total(people).to_minor_units() == sum(amounts)


@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 12, 31)),
    offset=st.integers(min_value=0, max_value=2000),
)
def test_si_funding_periods_tile_the_calendar(start: date, offset: int) -> None:
    """DC-INC-24: each day after the start is in exactly one funding period of about a year."""
    day = start + timedelta(days=offset)
    first, last = si_funding_period(start, day)
    assert first <= day <= last
    assert 364 <= (last - first).days <= 366
    if first > start:
        assert si_funding_period(start, first - timedelta(days=1))[1] == first - timedelta(days=1)


def test_value_validators_name_the_field() -> None:
    """Bad field values raise InvalidArgumentError naming the field."""
    person = {"huawei_id": "h", "name": "n", "on_the_job": "3months",
              "amount": usd(1), "info_updated_on": date(2024, 3, 1)}  # fmt: skip
    with pytest.raises(InvalidArgumentError) as count:
        FhRecipient(mbo_score=-1, **person)  # type: ignore[arg-type]
    assert count.value.argument == "mbo_score"
    with pytest.raises(InvalidArgumentError) as comments:
        attrs.evolve(application("a", 1), comments=("",))
    assert comments.value.argument == "comments"
    with pytest.raises(InvalidArgumentError) as lines:
        SiFhRequest(
            request_id="r", partner_id="p", month=Period.parse("2024M4"), lines=(), proofs=(),
            first_submitted_on=date(2024, 4, 1), submitted_on=date(2024, 4, 1),
        )  # fmt: skip
    assert lines.value.argument == "lines"
    from partnerkit.incentives.funds import FhProgramme, FhQuarterlyIncentive

    with pytest.raises(InvalidArgumentError) as quarter:
        FhQuarterlyIncentive(
            incentive_id="i", partner_id="p", programme=FhProgramme.CSP,
            quarter=Period.parse("2024M4"), generated_on=date(2024, 4, 1), eligible=(),
        )  # fmt: skip
    assert quarter.value.argument == "quarter"
    with pytest.raises(InvalidArgumentError) as eligible:
        FhQuarterlyIncentive(
            incentive_id="i", partner_id="p", programme=FhProgramme.CSP,
            quarter=Period.parse("2024Q1"), generated_on=date(2024, 4, 1), eligible=("x",),  # type: ignore[arg-type]
        )  # fmt: skip
    assert eligible.value.argument == "eligible"
    with pytest.raises(InvalidArgumentError) as materials:
        MdfReimbursement(expense_items=(), materials={"ads-photos"})  # type: ignore[arg-type]
    assert materials.value.argument == "materials"
