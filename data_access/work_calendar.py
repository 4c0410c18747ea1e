"""The Bureau's working-time calendar as the commands read it (the pages read it through
``ui.context.calendar``): the configured standard day and the Admin's entries in the store."""
from __future__ import annotations

from data_access.config import Settings
from domain import bureau_calendar
from domain.calendar import WorkCalendar


def load_calendar(repo, settings: Settings) -> WorkCalendar:
    return bureau_calendar.calendar_from(repo.list(bureau_calendar.TABLE), settings.office_start, settings.office_end)
