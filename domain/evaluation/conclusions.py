"""The Karo's part of the yearly evaluation: conclusions and follow-up, saved with a version check,
and the audit of every PDF made."""
from __future__ import annotations

import json
from typing import Any

from domain.changes import Insert, Log, Update
from domain.errors import NotFoundError, StaleWriteError, ValidationError
from domain.evaluation.report import Conclusions
from domain.permissions import Actor, check

CONCLUSION_MAX_CHARS = 8000


def conclusions_id(year: int) -> str:
    return f"evaluation_conclusions_{year}"


def parse_conclusions(year: int, record: dict | None) -> Conclusions:
    if not record:
        return Conclusions(year)
    raw = record.get("value") or ""
    try:
        data = json.loads(raw)
    except ValueError:
        data = None
    if not isinstance(data, dict):  # plain text written by hand: all of it is the conclusions
        data = {"conclusions": raw}
    return Conclusions(year, str(data.get("conclusions") or ""), str(data.get("follow_up") or ""),
                       int(record.get("version") or 0), record.get("updated_by"), record.get("updated_at"))


def read_conclusions(repo, year: int) -> Conclusions:
    return parse_conclusions(year, repo.get("settings", conclusions_id(year)))


def check_year(year: Any) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError("year", "Tahun evaluasi harus berupa angka tahun, misalnya 2026.") from None
    if not 2000 <= year <= 2100:
        raise ValidationError("year", f"Tahun evaluasi {year} di luar rentang 2000–2100.")
    return year


def save_conclusions(repo, actor: Actor, year: int, text: str, follow_up: str,
                     expected_version: int) -> Conclusions:
    """The Karo's conclusions and follow-up for a year; refused if someone saved since they read it."""
    check(actor, "evaluation.conclude")
    year = check_year(year)
    text, follow_up = (text or "").strip(), (follow_up or "").strip()
    for name, value, label in (("conclusions", text, "Kesimpulan"), ("follow_up", follow_up, "Tindak lanjut")):
        if len(value) > CONCLUSION_MAX_CHARS:
            raise ValidationError(name, f"{label} terlalu panjang: {len(value):,} karakter, paling banyak "
                                        f"{CONCLUSION_MAX_CHARS:,}.".replace(",", "."))
        if "\x00" in value:
            raise ValidationError(name, f"{label} mengandung karakter yang tidak dapat disimpan.")
    rid = conclusions_id(year)
    value = json.dumps({"conclusions": text, "follow_up": follow_up}, ensure_ascii=False)
    log = Log("evaluation.conclude", "settings", rid, f"Kesimpulan evaluasi kinerja pelaksana tahun {year}")
    current = repo.get("settings", rid)
    if current is None:
        if expected_version:
            raise NotFoundError("settings", rid)
        try:
            repo.apply([Insert("settings", {"id": rid, "value": value}), log], actor=actor.audit_name)
        except ValidationError:
            # Someone saved the first version a moment ago: refuse like any stale save.
            now_there = repo.get("settings", rid)
            if now_there is None:
                raise
            raise StaleWriteError("settings", rid, 0, now_there.get("version"), now_there.get("updated_by"),
                                  now_there.get("updated_at"), {"value": now_there.get("value")}) from None
    else:
        repo.apply([Update("settings", rid, {"value": value}, int(expected_version or 0)), log],
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
