"""Shared test configuration: Hypothesis profiles.

``CI=true`` selects the ``ci`` profile (300 examples a property, no deadline,
derandomised so a CI run is reproducible); ``FAST=1`` selects ``fast``;
otherwise ``dev``.  ``HYPOTHESIS_PROFILE`` overrides all three.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=300,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("fast", max_examples=20, deadline=None)


def _profile() -> str:
    if "HYPOTHESIS_PROFILE" in os.environ:
        return os.environ["HYPOTHESIS_PROFILE"]
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        return "ci"
    if os.environ.get("FAST"):
        return "fast"
    return "dev"


settings.load_profile(_profile())
