"""Calendars the Bureau could keep, for tests that hold the clocks equal on days that are not alike."""
from __future__ import annotations

import datetime as dt

from domain.calendar import Period, WorkCalendar

# Fridays to 16.30, Ramadan 1447 H (about 18 February to 19 March 2026) 08.00-15.00 with two days of
# other hours inside it, a week's office closure, non-working days the Admin added, a cuti bersama
# cancelled by a later SKB and a Saturday declared a working day.
IRREGULAR = WorkCalendar(
    extra_holidays=frozenset({dt.date(2025, 6, 2), dt.date(2025, 6, 3), dt.date(2026, 11, 27)}),
    extra_working_days=frozenset({dt.date(2025, 12, 26), dt.date(2026, 3, 7)}),
    weekday_hours=((450, 960), (450, 960), (450, 960), (450, 960), (450, 990), None, None),
    periods=(Period(dt.date(2026, 2, 18), dt.date(2026, 3, 19), (480, 900)),
             Period(dt.date(2025, 8, 11), dt.date(2025, 8, 15), None),
             Period(dt.date(2026, 2, 23), dt.date(2026, 2, 24), (420, 1080))),
)
