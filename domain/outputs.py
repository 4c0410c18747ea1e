"""The register of finished SP/SOP: what a case produced, per document (seed D.6 output; J.3 every
SP/SOP accessible on the ministry's website; K.5 documents well archived).

A case produces as many documents as it drafts (``cases.drafts``). Each is recorded with its kind
(SP or SOP, as the case drafts), title, unit (one of the case's units), the number and date of the
regulation that enacts it (Permensesneg track) or of the internal document (intern track), the link
where the ministry's website publishes it, its archive reference and the signed PDF. The PDF is kept
as complaint attachments are: its content checked (``domain.attachments``: it must be a PDF), its
bytes in the file store, its SHA-256 in ``attachments`` and checked on every download.

A case cannot finish (its last step closed) until every document is recorded with all of
``REQUIRED``: the step is refused with a message naming what is missing. The website link is not
required to finish, as the upload request (9.d) is the last step and the Biro Informasi dan
Teknologi publishes afterwards; it is added to the record when known, and only a document with a
link counts as published (the public standard page lists those).
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any, Sequence
from urllib.parse import urlparse

import pandas as pd

from domain import catalogue as cat
from domain.attachments import PDF, CheckedFile, FileStore, check_upload
from domain.calendar import JAKARTA, format_date
from domain.changes import Insert, Log, Update, new_id
from domain.errors import NotFoundError, PermissionDenied, ValidationError
from domain.models import CANCELLED
from domain.permissions import Actor, allowed, check
from domain.texts import t

TABLE = "outputs"
KINDS = ("SP", "SOP")
MAX_TITLE, MAX_NUMBER, MAX_REF, MAX_LINK = 300, 100, 200, 500
# What a document needs before its case may finish (the website link may follow).
REQUIRED = ("kind", "title", "unit_id", "doc_number", "doc_date", "archive_ref", "attachment_id")
EDITABLE = ("kind", "title", "unit_id", "doc_number", "doc_date", "web_link", "archive_ref")
# What the register reads.
TABLES = ("outputs", "cases", "units", "organisations", "attachments")


def _m(key: str, **params) -> str:
    return t(key, "id", **params)


def field_label(name: str, track: str | None = None, lang: str = "id") -> str:
    """A field's name; the number and date are the regulation's on the Permensesneg track."""
    if name in ("doc_number", "doc_date"):
        return t(f"output.field.{name}.{track if track in cat.TRACKS else cat.INTERN}", lang)
    return t(f"output.field.{name}", lang)


def kinds_of(doc_kind: str | None) -> tuple[str, ...]:
    """The kinds of document a case drafts: "SP", "SOP" or both ("SP dan SOP")."""
    found = tuple(k for k in KINDS if doc_kind and k in str(doc_kind).replace("SOP", " SOP ").split())
    return found or KINDS


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


# ---- completeness: the rule a finishing case is held to -------------------------------------------

@dataclass(frozen=True)
class Gap:
    title: str  # the document's title ("" for one not recorded at all)
    fields: tuple[str, ...]  # the REQUIRED fields it lacks


@dataclass(frozen=True)
class Completeness:
    needed: int
    recorded: int
    gaps: tuple[Gap, ...] = ()

    @property
    def complete(self) -> bool:
        return self.recorded >= self.needed and not self.gaps


def completeness(case: dict, outputs: Sequence[dict]) -> Completeness:
    """How far a case's outputs are recorded: one document per draft, each with ``REQUIRED``."""
    needed = max(1, int(case.get("drafts") or 1)) if not _blank(case.get("drafts")) else 1
    gaps = tuple(Gap(o.get("title") or "", missing) for o in outputs
                 if (missing := tuple(f for f in REQUIRED if _blank(o.get(f)))))
    return Completeness(needed, len(outputs), gaps)


def missing_text(case: dict, state: Completeness, lang: str = "id") -> str:
    """What is missing, as the refusal and the case page say it."""
    parts = []
    if state.recorded < state.needed:
        parts.append(t("output.missing.count", lang, recorded=state.recorded, needed=state.needed))
    for gap in state.gaps:
        fields = ", ".join(field_label(f, case.get("track"), lang) for f in gap.fields)
        parts.append(t("output.missing.fields", lang, title=gap.title or "–", fields=fields))
    return "; ".join(parts)


def refuse_unless_complete(case: dict, outputs: Sequence[dict]) -> None:
    """Refuse to finish a case whose outputs are not all recorded, naming what is missing."""
    state = completeness(case, outputs)
    if not state.complete:
        raise ValidationError("outputs", _m("output.err.not_complete", missing=missing_text(case, state)))


# ---- recording a document ------------------------------------------------------------------------------

@dataclass
class OutputForm:
    """A document as the Bureau types it; ``pdf`` is the signed PDF (name and bytes), if given."""

    kind: str = ""
    title: str = ""
    unit_id: str = ""
    doc_number: str = ""
    doc_date: dt.date | None = None
    web_link: str = ""
    archive_ref: str = ""
    pdf_name: str | None = None
    pdf: bytes | None = None


def _text(name: str, value: Any, limit: int, track: str | None, required: bool) -> str | None:
    text = "" if value is None else str(value).strip()
    label = field_label(name, track)
    if not text:
        if required:
            raise ValidationError(name, _m("output.err.required", field=label))
        return None
    if len(text) > limit:
        raise ValidationError(name, _m("output.err.too_long", field=label, limit=limit))
    if any(ord(c) < 32 for c in text):
        raise ValidationError(name, _m("output.err.bad_chars", field=label))
    return text


def web_link(value: Any) -> str | None:
    """The page of the ministry's website that publishes the document: an http(s) address."""
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    parsed = urlparse(text)
    if (len(text) > MAX_LINK or parsed.scheme.lower() not in ("http", "https") or not parsed.hostname
            or any(c.isspace() or ord(c) < 32 for c in text)):
        raise ValidationError("web_link", _m("output.err.link"))
    return text


def _fields(case: dict, form: OutputForm, today: dt.date) -> dict:
    track = case.get("track")
    kinds = kinds_of(case.get("doc_kind"))
    if form.kind not in kinds:
        raise ValidationError("kind", _m("output.err.kind", kinds=" / ".join(kinds)))
    title = _text("title", form.title, MAX_TITLE, track, True)
    if form.unit_id not in (case.get("unit_ids") or []):
        raise ValidationError("unit_id", _m("output.err.unit"))
    number = _text("doc_number", form.doc_number, MAX_NUMBER, track, True)
    if form.doc_date is None:
        raise ValidationError("doc_date", _m("output.err.required", field=field_label("doc_date", track)))
    day = form.doc_date.date() if isinstance(form.doc_date, dt.datetime) else form.doc_date
    if day > today:
        raise ValidationError("doc_date", _m("output.err.future", field=field_label("doc_date", track)))
    return {"kind": form.kind, "title": title, "unit_id": form.unit_id, "doc_number": number, "doc_date": day,
            "web_link": web_link(form.web_link),
            "archive_ref": _text("archive_ref", form.archive_ref, MAX_REF, track, True)}


def _checked_pdf(form: OutputForm, max_mb: int) -> CheckedFile | None:
    if form.pdf is None:
        return None
    checked = check_upload(form.pdf_name, form.pdf, max_mb)
    if checked.mime != PDF:
        raise ValidationError("attachment", _m("output.err.not_pdf"))
    return checked


def _store_pdf(files: FileStore | None, checked: CheckedFile) -> dict:
    if files is None:
        raise ValidationError("attachment", _m("complaint.err.no_file_store"))
    attachment_id = new_id("ATT-")
    path = files.put(attachment_id, checked.data)
    return {"id": attachment_id, "name": checked.name, "mime": checked.mime, "size": checked.size,
            "sha256": checked.sha256, "path": path}


def _save(repo, writes: list, actor: Actor, at: dt.datetime, stored: dict | None, files: FileStore | None):
    """Save; if the save fails, remove the file written for it (as complaint attachments)."""
    try:
        return repo.apply(writes, actor=actor.audit_name, at=at)
    except BaseException:
        if stored is not None and files is not None:
            try:
                files.delete(stored["id"], stored["path"])
            except Exception:  # noqa: BLE001 - the save's own error is the one to show
                pass
        raise


def _case(repo, case_id: str) -> dict:
    case = repo.get("cases", case_id)
    if case is None:
        raise NotFoundError("cases", case_id)
    if case.get("status") == CANCELLED:
        raise ValidationError("case", _m("output.err.cancelled"))
    return case


def record_output(repo, actor: Actor, case_id: str, form: OutputForm, *, files: FileStore | None,
                  max_upload_mb: int = 5, at: dt.datetime | None = None) -> dict:
    """Record one document a case produced, with its signed PDF. Everything is checked before the
    file is written; the file is removed again if the record cannot be saved."""
    check(actor, "output.record")
    at = at or _now()
    case = _case(repo, case_id)
    fields = _fields(case, form, at.astimezone(JAKARTA).date())
    if len(repo.list(TABLE, {"case_id": case_id})) >= max(1, int(case.get("drafts") or 1)):
        raise ValidationError("outputs", _m("output.err.all_recorded", n=case.get("drafts") or 1))
    checked = _checked_pdf(form, max_upload_mb)
    stored = _store_pdf(files, checked) if checked else None
    record = {"id": new_id("OUT-"), "case_id": case_id, **fields, "attachment_id": stored["id"] if stored else None}
    writes = ([Insert("attachments", stored)] if stored else []) + [
        Insert(TABLE, record),
        Update("cases", case_id, {}, expected_version=case["version"]),  # the case moved on: stale views see it
        Log("output.record", "cases", case_id, _m("output.log.record", kind=record["kind"], title=record["title"]))]
    result = _save(repo, writes, actor, at, stored, files)
    return next(r for r in result.records if r["id"] == record["id"])


def update_output(repo, actor: Actor, output_id: str, form: OutputForm, *, expected_version: int,
                  files: FileStore | None, max_upload_mb: int = 5, at: dt.datetime | None = None) -> dict | None:
    """Change a recorded document (its website link once published, a corrected number, a new PDF),
    with the version read; None when nothing changed."""
    check(actor, "output.record")
    at = at or _now()
    current = repo.get(TABLE, output_id)
    if current is None:
        raise NotFoundError(TABLE, output_id)
    case = _case(repo, current["case_id"])
    fields = _fields(case, form, at.astimezone(JAKARTA).date())
    changes = {k: v for k, v in fields.items() if v != current.get(k)}
    checked = _checked_pdf(form, max_upload_mb)
    if not changes and checked is None:
        return None
    stored = _store_pdf(files, checked) if checked else None
    if stored:
        changes["attachment_id"] = stored["id"]
    writes = ([Insert("attachments", stored)] if stored else []) + [
        Update(TABLE, output_id, changes, expected_version=int(expected_version)),
        Log("output.update", "cases", case["id"], _m("output.log.update", title=fields["title"]))]
    result = _save(repo, writes, actor, at, stored, files)
    return next(r for r in result.records if r["id"] == output_id)


def _now() -> dt.datetime:
    from domain.calendar import now

    return now()


# ---- the register --------------------------------------------------------------------------------------

COLUMNS = ["id", "case_id", "case_number", "track", "kind", "title", "unit_id", "unit", "org_id", "org",
           "doc_number", "doc_date", "year", "web_link", "archive_ref", "attachment_id", "pdf_name", "sha256",
           "published", "recorded_at", "recorded_by"]


def register_frame(frames: dict[str, pd.DataFrame], actor: Actor | None = None) -> pd.DataFrame:
    """Every recorded document with its case, unit and organisation; a unit user's view holds their
    own unit's only (``actor`` None: every document, for the public list of what is published)."""
    if actor is not None:
        check(actor, "register.view")
    outs = frames["outputs"]
    if outs.empty:
        return pd.DataFrame(columns=COLUMNS)
    cases = frames["cases"].set_index("id")
    units = frames["units"].set_index("id")
    orgs = frames["organisations"].set_index("id")
    attachments = frames.get("attachments")  # not read for the public list
    files = attachments.set_index("id") if attachments is not None and len(attachments) else None
    df = pd.DataFrame({
        "id": outs["id"], "case_id": outs["case_id"],
        "case_number": outs["case_id"].map(cases["number"]) if len(cases) else None,
        "track": outs["case_id"].map(cases["track"]) if len(cases) else None,
        "kind": outs["kind"], "title": outs["title"], "unit_id": outs["unit_id"],
        "unit": outs["unit_id"].map(units["name"]) if len(units) else None,
        "org_id": outs["unit_id"].map(units["org_id"]) if len(units) else None,
        "doc_number": outs["doc_number"], "doc_date": outs["doc_date"], "web_link": outs["web_link"],
        "archive_ref": outs["archive_ref"], "attachment_id": outs["attachment_id"],
        "recorded_at": outs["created_at"], "recorded_by": outs["created_by"]})
    df["org"] = df["org_id"].map(orgs["name"]) if len(orgs) else None
    df["unit"] = df["unit"].fillna(df["unit_id"])
    df["year"] = pd.to_datetime(df["doc_date"], errors="coerce").dt.year.astype("Int64")
    df["pdf_name"] = df["attachment_id"].map(files["name"]) if files is not None else None
    df["sha256"] = df["attachment_id"].map(files["sha256"]) if files is not None else None
    df["published"] = df["web_link"].map(lambda v: not _blank(v))
    if actor is not None and not allowed(actor, "register.view_all"):
        df = df[df["unit_id"] == actor.unit_id]
    return df[COLUMNS].sort_values(["doc_date", "title"], ascending=[False, True], na_position="last") \
        .reset_index(drop=True)


@dataclass
class RegisterFilter:
    org_ids: Sequence[str] = field(default_factory=list)
    unit_ids: Sequence[str] = field(default_factory=list)
    kinds: Sequence[str] = field(default_factory=list)
    years: Sequence[int] = field(default_factory=list)
    text: str = ""


def filter_register(df: pd.DataFrame, f: RegisterFilter) -> pd.DataFrame:
    out = df
    if f.org_ids:
        out = out[out["org_id"].isin(list(f.org_ids))]
    if f.unit_ids:
        out = out[out["unit_id"].isin(list(f.unit_ids))]
    if f.kinds:
        out = out[out["kind"].isin(list(f.kinds))]
    if f.years:
        out = out[out["year"].isin([int(y) for y in f.years])]
    text = (f.text or "").strip().lower()
    if text:
        hay = (out["title"].fillna("") + " " + out["doc_number"].fillna("") + " " + out["case_number"].fillna("")
               + " " + out["unit"].fillna("") + " " + out["archive_ref"].fillna("")).str.lower()
        out = out[hay.str.contains(text, regex=False)]
    return out


def counts_per_unit(df: pd.DataFrame) -> pd.DataFrame:
    """Documents per organisation and unit: SP, SOP, all, and how many are published."""
    cols = ["org", "unit", "SP", "SOP", "total", "published"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    g = df.assign(sp=df["kind"] == "SP", sop=df["kind"] == "SOP").groupby(["org", "unit"], dropna=False)
    out = g.agg(SP=("sp", "sum"), SOP=("sop", "sum"), total=("id", "count"), published=("published", "sum"))
    return out.reset_index().sort_values(["total", "org", "unit"], ascending=[False, True, True])[cols] \
        .reset_index(drop=True)


def published(df: pd.DataFrame) -> pd.DataFrame:
    """What the public sees: the documents the ministry's website publishes."""
    return df[df["published"]].reset_index(drop=True)


PUBLIC_TABLES = ("outputs", "cases", "units", "organisations")


def public_list(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The published documents as anyone may see them (J.3): no case, file or archive details."""
    df = published(register_frame({t: frames[t] for t in PUBLIC_TABLES}))
    return df[["kind", "title", "unit", "org", "doc_number", "doc_date", "web_link"]]


EXPORT_COLUMNS = ("kind", "title", "unit", "org", "case_number", "track", "doc_number", "doc_date", "web_link",
                  "archive_ref", "pdf_name", "sha256")


def export_rows(df: pd.DataFrame, lang: str = "id") -> tuple[list[str], list[list[Any]]]:
    """The register as header and rows of plain values (dates as dates), as the case list exports."""
    headers = [t(f"register.col.{c}", lang) for c in EXPORT_COLUMNS]
    rows = []
    for r in df.to_dict("records"):
        row = []
        for c in EXPORT_COLUMNS:
            v = r.get(c)
            if c == "doc_date":
                v = None if _blank(v) else pd.Timestamp(v).date()
            elif c == "track":
                v = cat.TRACK_LABELS.get(v, v)
            elif _blank(v):
                v = None
            row.append(v)
        rows.append(row)
    return headers, rows


def record_export(repo, actor: Actor, n_rows: int, fmt: str, filters: str = "") -> None:
    """Exports are allowed by role and written to the audit log."""
    check(actor, "register.export")
    repo.apply([Log("register.export", "outputs", "", _m("register.log.export", n=n_rows, fmt=fmt, filters=filters))],
               actor=actor.audit_name)


def signed_pdf(repo, actor: Actor, files: FileStore, output_id: str) -> tuple[dict, bytes]:
    """A document's signed PDF, checked against its SHA-256 (a unit user: their own unit's only)."""
    check(actor, "register.view")
    out = repo.get(TABLE, output_id)
    if out is None or not out.get("attachment_id"):
        raise NotFoundError(TABLE, output_id)
    if not allowed(actor, "register.view_all") and out.get("unit_id") != actor.unit_id:
        raise PermissionDenied("register.view", actor.audit_name)
    meta = repo.get("attachments", out["attachment_id"])
    if meta is None:
        raise NotFoundError("attachments", out["attachment_id"])
    return meta, files.get(meta["id"], meta.get("path"), meta["sha256"])


def date_label(value: Any, lang: str = "id") -> str:
    return "–" if _blank(value) else format_date(pd.Timestamp(value).date(), lang)
