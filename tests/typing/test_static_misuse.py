"""Misuse of money must be a *static* error too: mypy rejects each snippet below."""

from __future__ import annotations

from pathlib import Path

import pytest
from mypy import api

SNIPPETS = {
    "float_amount": 'Money(1.5, Currency("USD"))',
    "missing_currency": "Money(Decimal(1))  # noqa",
    "money_times_money": 'Money.of(1, "USD") * Money.of(1, "USD")',
    "money_times_float": 'Money.of(1, "USD") * 1.5',
    "money_plus_int": 'Money.of(1, "USD") + 1',
    "money_divided_by_number": 'Money.of(1, "USD") / 2',
    "ratio_is_not_money": 'm: Money = Money.of(1, "USD") / Money.of(2, "USD")',
    "rounding_without_mode": 'Money.of(1, "USD").round(2)',
    "compare_with_number": 'Money.of(1, "USD") < 2',
}
HEADER = "from decimal import Decimal\nfrom partnerkit.money import Currency, Money\n"


def test_each_misuse_is_a_mypy_error(tmp_path: Path) -> None:
    lines = [HEADER]
    for snippet in SNIPPETS.values():
        lines.append(snippet + "\n")
    source = tmp_path / "misuse.py"
    source.write_text("".join(lines), encoding="utf-8")
    stdout, _, status = api.run(
        ["--strict", "--no-incremental", "--cache-dir=/dev/null", str(source)]
    )
    assert status == 1
    flagged = {int(line.split(":")[1]) for line in stdout.splitlines() if ": error:" in line}
    first = HEADER.count("\n") + 1
    expected = set(range(first, first + len(SNIPPETS)))
    missing = [name for name, n in zip(SNIPPETS, sorted(expected), strict=True) if n not in flagged]
    assert not missing, f"mypy accepted: {missing}\n{stdout}"


def test_correct_use_type_checks(tmp_path: Path) -> None:
    source = tmp_path / "fine.py"
    source.write_text(
        HEADER
        + "from partnerkit.money import Rate, Rounding\n"
        + 'usd = Currency("USD")\n'
        + 'm = Money("1.50", usd) + Money(2, usd) * Decimal("0.5") * Rate("0.1")\n'
        + "ratio: Decimal = m / m\n"
        + "r = m.round(rounding=Rounding.HALF_UP)\n",
        encoding="utf-8",
    )
    stdout, _, status = api.run(
        ["--strict", "--no-incremental", "--cache-dir=/dev/null", str(source)]
    )
    assert status == 0, stdout


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
