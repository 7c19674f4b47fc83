"""The README's example is code a new user will paste: it must run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert blocks, "the README lost its example"
    assert len(blocks[0].strip().splitlines()) <= 20
    exec(compile(blocks[0], str(README), "exec"), {})
    out = capsys.readouterr().out
    assert "129.36 USD" in out
    assert "2024-06-01T00:00:00+08:00" in out
