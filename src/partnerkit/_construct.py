"""Constructors refuse junk with InvalidArgumentError, never a bare TypeError (private).

attrs converters such as ``frozenset`` or ``tuple`` raise ``TypeError`` on
junk (``frozenset(None)``), and a validator may trip over a value of the
wrong type before it can say so.  :func:`checked` wraps a class's
``__init__`` so that any such failure surfaces as
:class:`~partnerkit.errors.InvalidArgumentError` naming the class, with the
original exception chained; a ``PartnerkitError`` passes through unchanged.
"""

from __future__ import annotations

import decimal
import functools
from typing import Any, TypeVar

from partnerkit.errors import InvalidArgumentError, PartnerkitError

__all__ = ["checked"]

C = TypeVar("C", bound=type)

_JUNK_ERRORS = (
    TypeError,
    ValueError,
    AttributeError,
    KeyError,
    IndexError,
    decimal.DecimalException,
)


def checked(cls: C) -> C:
    """Wrap ``cls.__init__`` so bad arguments raise ``InvalidArgumentError``."""
    init = vars(cls)["__init__"]

    @functools.wraps(init)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        try:
            init(self, *args, **kwargs)
        except PartnerkitError:
            raise
        except _JUNK_ERRORS as exc:
            raise InvalidArgumentError(cls.__name__, _brief(args, kwargs), str(exc)) from exc

    cls.__init__ = __init__  # type: ignore[misc]
    return cls


def _brief(args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    text = ", ".join([*(repr(a) for a in args), *(f"{k}={v!r}" for k, v in kwargs.items())])
    return text if len(text) <= 120 else f"{text[:117]}..."
