"""Each person's calendar feed as a file, ``<calendar_dir>/<token>.ics``, rewritten by every
scheduled run; the web server publishes the folder at ``calendar_url``. A file whose token no longer
belongs to an active account (a replaced link, a disabled account) is removed. Files are replaced
whole (written beside, then renamed), so a calendar program never reads half a feed."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from domain import notices as nt
from domain.calendar import WorkCalendar
from domain.calendar_feed import TOKEN, feed_items, ics
from domain.texts import LANGS


def write_feeds(data: nt.NoticeData, directory: str | Path, calendar: WorkCalendar, now: dt.datetime,
                base_url: str) -> dict[str, int]:
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written: set[str] = set()
    for account in data.accounts:
        token = account.get("calendar_token") or ""
        if not account.get("active") or not TOKEN.match(token):
            continue
        lang = account.get("mail_lang") if account.get("mail_lang") in LANGS else "id"
        text = ics(feed_items(data, account, calendar, now, base_url),
                   account.get("display_name") or account["username"], lang, now)
        target = folder / f"{token}.ics"
        partial = folder / f".{token}.ics.tmp"
        partial.write_bytes(text.encode("utf-8"))  # CRLF line ends as RFC 5545 wants, untranslated
        os.chmod(partial, 0o644)
        partial.replace(target)
        written.add(target.name)
    removed = 0
    for old in folder.glob("*.ics"):
        if old.name not in written and TOKEN.match(old.stem):
            old.unlink()
            removed += 1
    return {"written": len(written), "removed": removed}
