"""Test helpers for partnerkit and for code that embeds it.

* :mod:`partnerkit.testing.strategies`: Hypothesis strategies for money,
  currencies, rates, periods, aware datetimes and events.
* :mod:`partnerkit.testing.contract`: :class:`~partnerkit.testing.contract.UnitOfWorkContract`,
  the tests every storage adapter must pass.  Subclass it in a test module
  and provide the ``new_unit_of_work`` fixture.

Needs ``pip install partnerkit[testing]`` (pytest and Hypothesis).
"""

__all__: list[str] = []
