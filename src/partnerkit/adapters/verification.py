"""A verifier for tests, demos and single-process deployments.

>>> verifier = StaticVerifier({ActorId("u1"): "123456"})
>>> verifier.check(ActorId("u1"), "disassociate", "123456")
True
>>> verifier.check(ActorId("u1"), "disassociate", None)
False
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import final

from partnerkit.errors import InvalidArgumentError
from partnerkit.ids import ActorId

__all__ = ["StaticVerifier"]


@final
class StaticVerifier:
    """A :class:`~partnerkit.ports.Verifier` that knows one code per actor."""

    def __init__(self, codes: Mapping[ActorId, str]) -> None:
        if not all(isinstance(c, str) and c for c in codes.values()):
            raise InvalidArgumentError("codes", dict(codes), "codes must be non-empty strings")
        self._codes = dict(codes)

    def check(self, actor: ActorId, operation: str, code: str | None) -> bool:
        """Whether ``code`` is ``actor``'s code (any operation)."""
        return code is not None and self._codes.get(actor) == code
