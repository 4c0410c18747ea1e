"""The Karo's notes on each executor for a year: competence against the seed's standard (A.8, item
by item), a note, a recommendation, and how the year before's recommendation was followed up. One
record per executor and year (``evaluation_notes``), saved with a version check; closed to changes
once the year is concluded."""
from __future__ import annotations

import json

import pandas as pd

from domain.errors import NotFoundError, ValidationError
from domain.evaluation.conclusions import clean_text, frame_records, as_instant, check_year, ensure_open, save_row
from domain.evaluation.report import COMPETENCE_LEVELS, COMPETENCES, EVALUATED_ROLES, ExecutorNote
from domain.changes import Log
from domain.permissions import Actor, check

NOTES = "evaluation_notes"
NOTE_MAX_CHARS = 4000


def note_id(year: int, executor_id: str) -> str:
    return f"{year}:{executor_id}"


def _competence(raw) -> dict[str, str]:
    try:
        data = json.loads(raw) if isinstance(raw, str) and raw else {}
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if k in COMPETENCES and v in COMPETENCE_LEVELS}


def parse_note(row: dict | None, year: int, executor_id: str) -> ExecutorNote:
    if not row:
        return ExecutorNote(year, executor_id)

    def text(col: str) -> str:
        value = row.get(col)
        return value if isinstance(value, str) else ""

    return ExecutorNote(year, executor_id, _competence(row.get("competence")), text("competence_note"), text("note"),
                        text("recommendation"), text("follow_up"), int(row.get("version") or 0),
                        row.get("updated_by"), as_instant(row.get("updated_at")))


def read_note(repo, year: int, executor_id: str) -> ExecutorNote:
    return parse_note(repo.get(NOTES, note_id(year, executor_id)), year, executor_id)


def notes_from_frames(frames: dict[str, pd.DataFrame], year: int) -> dict[str, ExecutorNote]:
    """The notes of ``year`` by executor, from the evaluation's one read."""
    return {str(r["executor_id"]): parse_note(r, year, str(r["executor_id"]))
            for r in frame_records(frames.get(NOTES), "year", year) if r.get("executor_id")}


def save_note(repo, actor: Actor, year: int, executor_id: str, *, competence: dict[str, str] | None = None,
              competence_note: str = "", note: str = "", recommendation: str = "", follow_up: str = "",
              expected_version: int = 0) -> ExecutorNote:
    """The Karo's notes on an evaluated executor for ``year``; refused if someone saved since they
    read them, or once the year is concluded."""
    check(actor, "evaluation.conclude")
    year = check_year(year)
    person = repo.get("executors", str(executor_id or ""))
    if person is None:
        raise NotFoundError("executors", str(executor_id))
    if person.get("role") not in EVALUATED_ROLES:
        raise ValidationError("executor_id", key="evaluation.err.not_evaluated", name=person.get("name") or "")
    levels = {}
    for item, level in (competence or {}).items():
        if item not in COMPETENCES:
            raise ValidationError("competence", key="evaluation.err.competence_item", item=str(item))
        if level in (None, ""):
            continue
        if level not in COMPETENCE_LEVELS:
            raise ValidationError("competence", key="evaluation.err.competence_level", item=item)
        levels[item] = level
    values = {
        "competence": json.dumps(levels, sort_keys=True) if levels else None,
        "competence_note": clean_text("competence_note", competence_note, "evaluation.note.competence_note",
                                  NOTE_MAX_CHARS) or None,
        "note": clean_text("note", note, "evaluation.note.note", NOTE_MAX_CHARS) or None,
        "recommendation": clean_text("recommendation", recommendation, "evaluation.note.recommendation",
                                 NOTE_MAX_CHARS) or None,
        "follow_up": clean_text("follow_up", follow_up, "evaluation.note.follow_up", NOTE_MAX_CHARS) or None,
    }
    ensure_open(repo, year)
    rid = note_id(year, executor_id)
    save_row(repo, actor, NOTES, rid, {"year": year, "executor_id": executor_id, **values}, values,
             expected_version, Log("evaluation.note", NOTES, rid, f"Catatan evaluasi {person.get('name')} {year}"))
    return read_note(repo, year, executor_id)
