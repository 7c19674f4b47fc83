"""Working-day calendars backed by the ``holidays`` package.

Install with ``pip install partnerkit[holidays]``.
The package knows public holidays *and* make-up working days: China's
2025 National Day week makes Saturday 11 October a working day and
Wednesday 8 October a holiday.

>>> from datetime import date
>>> china = country_calendar("CN")
>>> china.is_working_day(date(2025, 10, 11)), china.is_working_day(date(2025, 10, 8))
(True, False)
"""

from __future__ import annotations

from datetime import date, datetime
from typing import final

from partnerkit.errors import InvalidArgumentError

try:
    import holidays as _holidays
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "partnerkit.adapters.holiday_calendars needs the `holidays` package: "
        "pip install 'partnerkit[holidays]'"
    ) from exc

__all__ = ["HolidaysCalendar", "country_calendar"]


@final
class HolidaysCalendar:
    """A :class:`~partnerkit.calendars.WorkingCalendar` over a ``holidays`` country.

    Years are loaded on demand by the ``holidays`` package.
    """

    def __init__(self, country: str, *, subdiv: str | None = None) -> None:
        try:
            self._data = _holidays.country_holidays(country, subdiv=subdiv)
        except NotImplementedError as exc:
            raise InvalidArgumentError(
                "country", country, "no holiday data for this country or subdivision"
            ) from exc
        self.country = country
        self.subdiv = subdiv

    def is_working_day(self, day: date, /) -> bool:
        """Whether ``day`` is worked: weekdays and make-up days that are not holidays."""
        if not isinstance(day, date) or isinstance(day, datetime):
            raise InvalidArgumentError("day", day, "expected a calendar date")
        return bool(self._data.is_working_day(day))

    def __repr__(self) -> str:
        return f"HolidaysCalendar({self.country!r}, subdiv={self.subdiv!r})"


def country_calendar(country: str, *, subdiv: str | None = None) -> HolidaysCalendar:
    """The working-day calendar of ``country`` (ISO 3166-1 alpha-2).

    >>> country_calendar("ZZ")
    Traceback (most recent call last):
    ...
    partnerkit.errors.InvalidArgumentError: invalid country='ZZ': no holiday data for this country or subdivision
    """  # noqa: E501
    return HolidaysCalendar(country, subdiv=subdiv)
