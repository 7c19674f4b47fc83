"""Run every benchmark in this folder (`make bench`).

Each benchmark module exposes ``run() -> None`` and prints its ratios
against a baseline measured in the same run.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).parent
    modules = sorted(p for p in here.glob("*.py") if p.name != "run.py")
    if not modules:
        print("no benchmarks yet")
        return 0
    for path in modules:
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(f"== {path.stem}")
        module.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
