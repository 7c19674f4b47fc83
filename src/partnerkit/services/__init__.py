"""Application services: the use cases an embedding application calls.

Each service takes an explicit actor and ``as_of`` (or a
:class:`~partnerkit.ports.Clock`), loads through a
:class:`~partnerkit.ports.UnitOfWork`, checks permissions, calls the pure
domain, saves with an expected version and returns the events.
Delta commands take an idempotency key.  The services arrive with the
capability issues (association, budgets, billing, incentives).
"""

__all__: list[str] = []
