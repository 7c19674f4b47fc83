"""Adapters: the only code that touches storage, the system clock or third-party data.

* :mod:`partnerkit.adapters.memory`: the in-memory unit of work, the embedded default.
* :mod:`partnerkit.adapters.clock`: :class:`~partnerkit.adapters.clock.SystemClock`
  and :class:`~partnerkit.adapters.clock.FixedClock`.
* :mod:`partnerkit.adapters.holiday_calendars`: working-day calendars from the
  ``holidays`` package (``pip install partnerkit[holidays]``).

Adapters import ports, the kernel and the domain; nothing imports adapters
except the embedding application, the CLI and tests.
"""

__all__: list[str] = []
