"""The benchmarks run and their paths agree, at small scale (the full runs are `make bench`)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _load(name: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.setenv("BILL_RUN_CUSTOMERS", "20")
    monkeypatch.setenv("INCENTIVE_RUN_PARTNERS", "20")
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.rules("R-BILL-07", "R-BILL-27")
def test_bill_run_paths_agree_and_report(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The columnar run, the object path and the plain-Decimal loop give identical totals."""
    bench = _load("bill_run", monkeypatch)
    bench.run()
    out = capsys.readouterr().out
    assert "lines 2,000 over 20 customers" in out
    assert "partnerkit columnar run" in out
    assert "identical totals" in out


@pytest.mark.rules("R-INC-02", "R-INC-03", "R-INC-05", "R-INC-15")
def test_incentive_run_paths_agree_and_report(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """calculate() per partner and the plain-Decimal loop give identical bases and earnings."""
    bench = _load("incentive_run", monkeypatch)
    bench.run()
    out = capsys.readouterr().out
    assert "lines 2,000 over 20 partners in 2024Q3" in out
    assert "identical figures for every partner" in out
    assert "calculate, lines prebuilt" in out
