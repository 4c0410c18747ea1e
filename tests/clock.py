"""The instants tests run at. No test reads the real clock: the app's one clock
(``domain.calendar.now``) is set for every test (``tests/conftest.py``), and demo data is built for
the same instant."""
from __future__ import annotations

import datetime as dt

from domain.calendar import JAKARTA

# A working Thursday morning, a few weeks before the year ends: the default for every test.
TEST_NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=JAKARTA)

# Instants at which checks that depend on "now" must give the same answers (see
# tests/test_fixed_clock.py): the hours and days on which such checks used to fail.
AWKWARD_INSTANTS = {
    "morning": dt.datetime(2026, 12, 3, 9, 0, tzinfo=JAKARTA),
    "after_office_hours": dt.datetime(2026, 12, 3, 18, 30, tzinfo=JAKARTA),
    "friday_evening": dt.datetime(2026, 12, 4, 20, 15, tzinfo=JAKARTA),
    "last_day_of_the_year": dt.datetime(2026, 12, 31, 23, 30, tzinfo=JAKARTA),
    "cuti_bersama": dt.datetime(2026, 12, 24, 10, 0, tzinfo=JAKARTA),  # Christmas collective leave
}
