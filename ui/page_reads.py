"""What each page reads. On Google Sheets a page view reads its tables in ONE cached batch read,
together with ``accounts`` and ``sessions`` (the sign-in restored from the cookie and the role refresh
read the person's session and account from the same read): ``ui.context.view_source``. Kept apart from the pages so that
app.py knows a page's reads before the page runs."""
from __future__ import annotations

from data_access.evaluation_data import EVALUATION_TABLES
from domain import dashboard as dash
from domain import outputs
from domain import tracker as trk

SIGN_IN_TABLES = ("accounts", "sessions")  # the sign-in restored from the cookie and the account it opens
# Every page view reads the Bureau's calendar with its one read: every time shown is computed on it.
CALENDAR_TABLES = ("calendar_entries",)
LOOKUP_TABLES = ("organisations", "units", "executors")
# The list pages: the summary, the case picker and the labels.
LIST_TABLES = (*trk.SUMMARY_TABLES, "holds", "step_events")
CASE_DETAIL_TABLES = ("cases", "step_events", "holds", "audit", "outputs", "attachments", *LOOKUP_TABLES)
INBOX_TABLES = ("complaints", "complaint_actions", "accounts", "attachments", "units", "cases", "executors")
SETTINGS_TABLES = ("settings",)
# The flood counters come with the page's read: a filing checks its address's count from it (a save
# made on an out-of-date count is refused by the store and retried on a fresh read).
COMPLAINT_FORM_TABLES = ("units", "organisations", "cases", "flood_counts")
COMPLAINT_STATUS_TABLES = ("complaints", "flood_counts")
PROPOSAL_TABLES = ("proposals", *LOOKUP_TABLES)
DASHBOARD_TABLES = dash.TABLES
EVALUATION_PAGE_TABLES = EVALUATION_TABLES  # the Karo's records (and the settings) among them
ADMIN_TABLES = (*LOOKUP_TABLES, "audit")
REGISTER_TABLES = outputs.TABLES
STANDARD_TABLES = outputs.PUBLIC_TABLES
# A case's flowchart shows its record (roles that see cases pick one).
FLOWCHART_TABLES = ("cases", "step_events", "holds", "outputs")
