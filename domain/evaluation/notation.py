"""How the evaluation writes its numbers: Indonesian separators, one decimal, changes from the
year before computed from the figures as printed."""
from __future__ import annotations

import math


def fmt_int(value: int | None) -> str:
    return "–" if value is None else f"{int(value):,}".replace(",", ".")


def fmt_dec(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def fmt_pct(share: float | None) -> str:
    return "–" if share is None else fmt_dec(100 * share) + "%"


def fmt_days(value: float | None) -> str:
    return "–" if value is None else fmt_dec(value)


def fmt_change(now: float | None, before: float | None, *, pct: bool = False) -> str:
    """Signed change from the year before: '+3', '−1,5', '+4,2 poin' (shares), or '–'."""
    if now is None or before is None:
        return "–"
    scale = 100 if pct else 1
    # from the values as printed (one decimal), so that "0,1 → 0,1" never reads as a change
    diff = round(now * scale, 1) - round(before * scale, 1)
    if abs(diff) < 0.05:
        return "0"
    sign = "+" if diff > 0 else "−"
    counts = isinstance(now, int) and isinstance(before, int)  # days and shares keep their decimal
    text = fmt_int(abs(diff)) if counts and not pct else fmt_dec(abs(diff))
    return f"{sign}{text}" + (" poin" if pct else "")


STATUS_OUTCOME = {"diterima": "Diterima, belum ditindaklanjuti", "didelegasikan": "Didelegasikan",
                  "ditindaklanjuti": "Sedang ditindaklanjuti", "dijawab": "Dijawab", "ditutup": "Ditutup"}


def status_outcome(status: str) -> str:
    """A complaint's status as its outcome reads in the report."""
    return STATUS_OUTCOME.get(status, status)
