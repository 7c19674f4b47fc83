from __future__ import annotations

import runpy
import sys
from pathlib import Path

import pytest

from partnerkit.cli import demo, main


def test_demo_prints_the_walkthrough(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--in-memory"]) == 0
    out = capsys.readouterr().out
    assert "7192.0574925" in out
    assert "7192.06   (rounded once, half-up)" in out
    assert "33.34, 33.33, 33.33" in out
    assert "2024M7 in Beijing" in out
    assert "payment    2025-10-27 (Mon)" in out
    assert '{"amount": "7192.0574925", "currency": "USD"}' in out


def test_demo_writes_through_the_given_function() -> None:
    lines: list[str] = []
    demo(lines.append)
    assert lines[0].startswith("partnerkit demo")
    assert any("9575.86 HKD" in line for line in lines)


def test_a_command_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2
    assert "demo" in capsys.readouterr().err


def test_python_dash_m(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "argv", ["partnerkit", "demo", "--in-memory"])
    with pytest.raises(SystemExit) as info:
        runpy.run_module("partnerkit", run_name="__main__")
    assert info.value.code == 0
    assert "partnerkit demo" in capsys.readouterr().out


def test_demo_shows_the_budget_timeline(capsys: pytest.CaptureFixture[str]) -> None:
    main(["demo", "--in-memory"])
    out = capsys.readouterr().out
    assert "10:00 usage 75.00 USD: 75% alert to partner:r1" in out
    assert "12:00 usage 10.00 USD: 100% alert" in out
    assert "frozen (budget-auto)" in out
    assert "a yearly purchase: BUDGET_EXHAUSTED" in out
    assert "13:00 hourly re-check: frozen again (budget-auto)" in out


def test_demo_closes_the_distributors_month(capsys: pytest.CaptureFixture[str]) -> None:
    """R-BILL-28: the demo's alice spends her own coupon before the partner-wide one."""
    assert main(["demo", "--in-memory"]) == 0
    out = capsys.readouterr().out
    assert "-100.00 USD  coupon CP-ALICE, balance 100.00 -> 0.00" in out
    assert "-209.2625 USD  coupon CP-ALL, balance 300.00 -> 90.7375" in out
    assert "exact total 1005.43925 -> amount due 1005.44 USD" in out
    assert "zh_CN: US$1,005.44" in out


def test_demo_pays_the_month(capsys: pytest.CaptureFixture[str]) -> None:
    """R-BILL-12 issue time, R-BILL-46 balance first, R-BILL-47 oldest first, through BillingService."""
    assert main(["demo", "--in-memory"]) == 0
    out = capsys.readouterr().out
    assert "2024-07-05 12:00 GMT+08:00: June issued, 1005.44 due" in out
    assert "the 500.00 balance pays 500.00 -> partially-paid" in out
    assert "2024M5 paid, 2024M6 paid; balance 534.56" in out


def test_demo_discounts_and_honours_the_credit_limit(capsys: pytest.CaptureFixture[str]) -> None:
    """R-CUST-109 a referral discount in a quote; R-BILL-54 the quota blocks, repayment lifts it."""
    assert main(["demo", "--in-memory"]) == 0
    out = capsys.readouterr().out
    assert "her 1200.00 order: 1056.0000" in out
    assert "-144.0000 USD  partner-discount 12 %" in out
    assert "erin tries to buy: PARTNER_QUOTA_EXHAUSTED" in out
    assert "CreditLimitRestored; erin's purchase now: allowed" in out


def test_demo_shows_what_is_missing_for_the_next_stage(capsys: pytest.CaptureFixture[str]) -> None:
    """R-ELIG-017 / R-ELIG-013: the demo evaluates a Service path's next stage and its misses."""
    assert main(["demo", "--in-memory"]) == 0
    out = capsys.readouterr().out
    assert "Service path, at SELECTION; next stage: VALIDATION" in out
    assert "-- Work-level certifications (people): 1 (needs >= 2)" in out
    assert "missing: Professional business certifications (people) 1/2;" in out


def test_demo_computes_the_distributors_quarter(capsys: pytest.CaptureFixture[str]) -> None:
    """The issue's demo: d1's quarter, its lifecycle to issued and a payout on the calendar."""
    main(["demo", "--in-memory"])
    out = capsys.readouterr().out
    assert "20. d1's 2024Q3 rebate" in out
    assert "2024Q3-RV5  excluded: NO_REVENUE_OR_REBATE" in out
    assert "= 1609.9600 USD" in out
    assert "confirmed by auto at 12 Oct 09:00" in out
    assert "bank transfer refused" in out
    assert "top-up requested: 1609.96 USD, invoice 1706.56 USD" in out
    assert "completed, account credited 11430.72 CNY" in out


def test_the_demo_ledger_persists_in_sqlite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Running the demo twice on one SQLite file continues the ledger with the next quarter."""
    db = tmp_path / "ledger" / "demo.sqlite"
    assert main(["demo", "--db", str(db)]) == 0
    first = capsys.readouterr().out
    assert "quarters already in it: none" in first
    assert "20. d1's 2024Q3 rebate" in first
    assert db.is_file()
    assert main(["demo", "--db", str(db)]) == 0
    second = capsys.readouterr().out
    assert "quarters already in it: 2024Q3" in second
    assert "20. d1's 2024Q4 rebate" in second
    assert "holds 2 quarter(s) for d1, 3219.92 USD paid out" in second
