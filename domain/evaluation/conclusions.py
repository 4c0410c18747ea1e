"""The Karo's record of an evaluation year, and concluding it.

The year's record (``evaluation_years``, one row per year) holds the targets every executor is rated
against, the conclusions and follow-up, and the official who acknowledges the evaluation
("Mengetahui", a Deputi) where the Karo names one. Every save carries the version the Karo read and
is refused if someone saved in between.

Until the Karo concludes the year the evaluation is a draft: the PDF says so on every page and has
no signature block. Concluding records who concluded and when, gives the evaluation a document
number (``EKP-<year>-<n>``, unique, filled in by the store as it saves), and from then on the year's
record, notes and sanctions are closed to changes. Reopening (with a reason) keeps the concluded
version on record; concluding again gives a new number. A year is concluded only once it has ended
and its conclusions and targets are written.
"""
from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import pandas as pd

from domain.calendar import JAKARTA
from domain.changes import Insert, Log, Numbered, Update, new_id
from domain.errors import NotFoundError, StaleWriteError, ValidationError
from domain.evaluation.report import Conclusion, Conclusions, Signatory, Targets
from domain.permissions import Actor, check
from domain.texts import Ref

YEARS, CONCLUSIONS = "evaluation_years", "evaluation_conclusions"
CONCLUSION_MAX_CHARS = 8000
NAME_MAX_CHARS = 200
_LEGACY = "evaluation_conclusions_"  # settings rows of the conclusions written before the year's record


def check_year(year: Any) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError("year", key="evaluation.err.year") from None
    if not 2000 <= year <= 2100:
        raise ValidationError("year", key="evaluation.err.year_range", year=year)
    return year


def conclusions_id(year: int) -> str:
    """The settings row in which conclusions were kept before the year's record existed."""
    return f"{_LEGACY}{year}"


def year_id(year: int) -> str:
    return str(year)


def document_number(year: int) -> Numbered:
    return Numbered(f"EKP-{year}", f"EKP-{year}-{{:03d}}", (CONCLUSIONS, "document_no"))


# ---- reading ---------------------------------------------------------------------------------------

def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _float(value) -> float | None:
    if value is None or value is pd.NA:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def as_instant(value) -> dt.datetime | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).to_pydatetime()


def _legacy_text(record: dict | None) -> tuple[str, str]:
    raw = (record or {}).get("value") or ""
    try:
        data = json.loads(raw)
    except ValueError:
        data = None
    if not isinstance(data, dict):  # plain text written by hand: all of it is the conclusions
        data = {"conclusions": raw}
    return str(data.get("conclusions") or ""), str(data.get("follow_up") or "")


def parse_conclusion(row: dict | None) -> Conclusion | None:
    if not row:
        return None
    return Conclusion(str(row["id"]), int(row.get("year") or 0), _text(row.get("document_no")),
                      as_instant(row.get("concluded_at")), _text(row.get("concluded_by")),
                      Signatory(_text(row.get("signer_name")), _text(row.get("signer_nip")) or None),
                      as_instant(row.get("reopened_at")), _text(row.get("reopened_by")) or None,
                      _text(row.get("reopen_reason")), int(row.get("version") or 0))


def parse_conclusions(year: int, row: dict | None, conclusion: dict | None = None,
                      legacy: dict | None = None) -> Conclusions:
    """The year's record from its row (and the conclusion in force); without a row, the
    conclusions a settings row kept before there were year records."""
    if not row:
        text, follow_up = _legacy_text(legacy)
        return Conclusions(year, text, follow_up)
    ack = None
    if _text(row.get("acknowledger_name")).strip():
        ack = Signatory(row["acknowledger_name"], _text(row.get("acknowledger_nip")) or None,
                        _text(row.get("acknowledger_title")))
    in_force = parse_conclusion(conclusion) if conclusion and row.get("conclusion_id") == conclusion.get("id") \
        else None
    return Conclusions(year, _text(row.get("conclusions")), _text(row.get("follow_up")),
                       int(row.get("version") or 0), row.get("updated_by"), as_instant(row.get("updated_at")),
                       Targets(_float(row.get("on_time_target")), _float(row.get("late_days_target"))), ack,
                       in_force)


def read_conclusions(repo, year: int) -> Conclusions:
    """The year's record as stored now (what a save is checked against)."""
    row = repo.get(YEARS, year_id(year))
    conclusion = repo.get(CONCLUSIONS, row["conclusion_id"]) if row and row.get("conclusion_id") else None
    legacy = None if row else repo.get("settings", conclusions_id(year))
    return parse_conclusions(year, row, conclusion, legacy)


def frame_records(frame: pd.DataFrame | None, column: str | None = None, value=None) -> list[dict]:
    """The rows of a read table as records (missing values None), those whose ``column`` is ``value``."""
    if frame is None or not len(frame) or (column is not None and column not in frame.columns):
        return []
    hit = frame if column is None else frame[frame[column].astype(object) == value]
    return [{k: (None if v is pd.NA or (not isinstance(v, (list, str)) and pd.isna(v)) else v)
             for k, v in r.items()} for r in hit.to_dict("records")]


def conclusions_from_frames(frames: dict[str, pd.DataFrame], year: int) -> Conclusions:
    """The year's record from the evaluation's one read (``domain.evaluation.inputs``)."""
    rows = frame_records(frames.get(YEARS), "id", year_id(year))
    row = rows[0] if rows else None
    conclusion = None
    if row and row.get("conclusion_id"):
        found = frame_records(frames.get(CONCLUSIONS), "id", row["conclusion_id"])
        conclusion = found[0] if found else None
    legacy = None
    if row is None:
        found = frame_records(frames.get("settings"), "id", conclusions_id(year))
        legacy = found[0] if found else None
    return parse_conclusions(year, row, conclusion, legacy)


# ---- saving ----------------------------------------------------------------------------------------

def _blank_or(value):
    return None if value in (None, "") else value  # an empty text is stored as none on some stores


def save_row(repo, actor: Actor, table: str, rid: str, new: dict, changes: dict, expected_version: int,
             log: Log) -> None:
    """Insert ``new`` as ``rid`` (expected version 0) or update it with ``changes`` (the version read):
    a save made on an old version, or a second first save, is refused as stale."""
    current = repo.get(table, rid)
    if current is None and not any(v not in (None, "") for v in changes.values()):
        return  # nothing typed, nothing to keep
    if current is not None and all(_blank_or(current.get(k)) == _blank_or(v) for k, v in changes.items()):
        return  # saved unchanged: no new version, no audit line
    if current is None:
        if expected_version:
            raise NotFoundError(table, rid)
        try:
            repo.apply([Insert(table, {"id": rid, **new}), log], actor=actor.audit_name)
        except ValidationError:
            # Someone saved the first version a moment ago: refuse like any stale save.
            now_there = repo.get(table, rid)
            if now_there is None:
                raise
            raise StaleWriteError(table, rid, 0, now_there.get("version"), now_there.get("updated_by"),
                                  now_there.get("updated_at"), {}) from None
    else:
        repo.apply([Update(table, rid, changes, int(expected_version or 0)), log], actor=actor.audit_name)


def ensure_open(repo, year: int) -> None:
    """Refuse a change to a concluded year (it must be reopened first)."""
    row = repo.get(YEARS, year_id(year))
    if row and row.get("conclusion_id"):
        done = repo.get(CONCLUSIONS, row["conclusion_id"]) or {}
        raise ValidationError("year", key="evaluation.err.concluded", year=year,
                              number=done.get("document_no") or "–")


def clean_text(name: str, value, label_key: str, limit: int = CONCLUSION_MAX_CHARS) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if len(value) > limit:
        raise ValidationError(name, key="evaluation.err.too_long", label=Ref(label_key), n=f"{len(value):,}".replace(
            ",", "."), limit=f"{limit:,}".replace(",", "."))
    if "\x00" in value:
        raise ValidationError(name, key="evaluation.err.bad_char", label=Ref(label_key))
    return value


def _save_year(repo, actor: Actor, year: int, changes: dict, expected_version: int, what: str) -> Conclusions:
    check(actor, "evaluation.conclude")
    year = check_year(year)
    ensure_open(repo, year)
    rid = year_id(year)
    new = {"year": year, **changes}
    if repo.get(YEARS, rid) is None:  # the first save carries over conclusions kept the earlier way
        text, follow_up = _legacy_text(repo.get("settings", conclusions_id(year)))
        new = {"year": year, "conclusions": text, "follow_up": follow_up, **changes}
    save_row(repo, actor, YEARS, rid, new, changes, expected_version,
             Log("evaluation.year", YEARS, rid, f"{what} evaluasi kinerja pelaksana tahun {year}"))
    return read_conclusions(repo, year)


def save_conclusions(repo, actor: Actor, year: int, text: str, follow_up: str,
                     expected_version: int) -> Conclusions:
    """The Karo's conclusions and follow-up for a year; refused if someone saved since they read it."""
    text = clean_text("conclusions", text, "evaluation.conclusions.text")
    follow_up = clean_text("follow_up", follow_up, "evaluation.conclusions.follow_up")
    return _save_year(repo, actor, year, {"conclusions": text, "follow_up": follow_up}, expected_version,
                      "Kesimpulan")


def _number(name: str, value, low: float, high: float, label_key: str) -> float:
    try:
        number = float(str(value).replace(",", ".")) if value not in (None, "") else None
    except ValueError:
        number = None
    if number is None or math.isnan(number):
        raise ValidationError(name, key="evaluation.err.number", label=Ref(label_key))
    if not low <= number <= high:
        raise ValidationError(name, key="evaluation.err.number_range", label=Ref(label_key),
                              low=f"{low:g}".replace(".", ","), high=f"{high:g}".replace(".", ","))
    return number


def save_targets(repo, actor: Actor, year: int, on_time_pct, late_days, expected_version: int) -> Conclusions:
    """The targets every executor is rated against in ``year``: the least share of judged items on
    time (percent) and the most working days a late item may be late (median)."""
    on_time = _number("on_time_target", on_time_pct, 0, 100, "evaluation.targets.on_time")
    late = _number("late_days_target", late_days, 0, 250, "evaluation.targets.late_days")
    return _save_year(repo, actor, year, {"on_time_target": on_time, "late_days_target": late}, expected_version,
                      "Target")


def save_acknowledger(repo, actor: Actor, year: int, title: str, name: str, nip: str,
                      expected_version: int) -> Conclusions:
    """The official who acknowledges the evaluation ("Mengetahui"); a blank name removes the block."""
    title = clean_text("acknowledger_title", title, "evaluation.ack.title", NAME_MAX_CHARS)
    name = clean_text("acknowledger_name", name, "evaluation.ack.name", NAME_MAX_CHARS)
    nip = clean_text("acknowledger_nip", nip, "evaluation.ack.nip", 30)
    if name and not title:
        raise ValidationError("acknowledger_title", key="evaluation.err.ack_title")
    if nip and not nip.replace(" ", "").isdigit():
        raise ValidationError("acknowledger_nip", key="evaluation.err.nip")
    values = {"acknowledger_title": title or None, "acknowledger_name": name or None, "acknowledger_nip": nip or None}
    return _save_year(repo, actor, year, values, expected_version, "Pejabat yang mengetahui")


def year_ended(year: int, now: dt.datetime) -> bool:
    return now.astimezone(JAKARTA).date() > dt.date(year, 12, 31)


def conclude_year(repo, actor: Actor, year: int, expected_version: int, now: dt.datetime) -> Conclusions:
    """Conclude ``year``: from now on its PDF is final, signed by the Karo who concluded, and numbered."""
    check(actor, "evaluation.conclude")
    year = check_year(year)
    ensure_open(repo, year)
    if not year_ended(year, now):
        raise ValidationError("year", key="evaluation.err.not_ended", year=year, next=year + 1)
    current = read_conclusions(repo, year)
    if not current.version:
        raise ValidationError("conclusions", key="evaluation.err.no_conclusions", year=year)
    if current.version != int(expected_version or 0):
        row = repo.get(YEARS, year_id(year)) or {}
        raise StaleWriteError(YEARS, year_id(year), int(expected_version or 0), current.version,
                              row.get("updated_by"), row.get("updated_at"), {})
    if not current.text.strip():
        raise ValidationError("conclusions", key="evaluation.err.no_conclusions", year=year)
    if not current.targets.set:
        raise ValidationError("on_time_target", key="evaluation.err.no_targets", year=year)
    signer = repo.get("executors", actor.executor_id) if actor.executor_id else None
    name = (signer or {}).get("name") or actor.display_name or actor.username
    cid = new_id("EKP-")
    record = {"id": cid, "year": year, "document_no": document_number(year), "concluded_at": now,
              "concluded_by": actor.audit_name, "signer_name": name, "signer_nip": (signer or {}).get("nip")}
    repo.apply([Insert(CONCLUSIONS, record),
                Update(YEARS, year_id(year), {"conclusion_id": cid}, current.version),
                Log("evaluation.concluded", YEARS, year_id(year), document_number(year))],
               actor=actor.audit_name)
    return read_conclusions(repo, year)


def reopen_year(repo, actor: Actor, year: int, reason: str, expected_version: int,
                now: dt.datetime) -> Conclusions:
    """Reopen a concluded year for changes, with a reason; the concluded version stays on record."""
    check(actor, "evaluation.conclude")
    year = check_year(year)
    reason = clean_text("reopen_reason", reason, "evaluation.reopen.reason", 1000)
    if not reason:
        raise ValidationError("reopen_reason", key="evaluation.err.reopen_reason")
    current = read_conclusions(repo, year)
    if current.concluded is None:
        raise ValidationError("year", key="evaluation.err.not_concluded", year=year)
    repo.apply([Update(YEARS, year_id(year), {"conclusion_id": None}, int(expected_version or 0)),
                Update(CONCLUSIONS, current.concluded.id, {"reopened_at": now, "reopened_by": actor.audit_name,
                                                           "reopen_reason": reason}, current.concluded.version),
                Log("evaluation.reopened", YEARS, year_id(year), f"{current.concluded.document_no}: {reason}")],
               actor=actor.audit_name)
    return read_conclusions(repo, year)


def record_pdf(repo, actor: Actor, year: int, executor_id: str | None = None) -> None:
    """Audit that an evaluation PDF was produced (who, which year, whose sheet)."""
    if executor_id is None:
        check(actor, "evaluation.view")
    else:
        check(actor, "evaluation.own")
        if executor_id != actor.executor_id:
            check(actor, "evaluation.view")  # someone else's sheet: only those who see everyone's
    what = f"lembar pelaksana {executor_id}" if executor_id else "PDF tahunan"
    repo.apply([Log("evaluation.pdf", "evaluation", str(check_year(year)), what)], actor=actor.audit_name)
