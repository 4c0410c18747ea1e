"""The procedure as an SOP flowchart in the government administration format (SOP AP, Permenpan RB
35/2012): one row per activity of a case's checklist (its track and alternatives, from the catalogue),
a lane per executor holding the activity's symbol, and the quality-standard columns (mutu baku:
requirements, time, output), with remarks; where a case is chosen, its actual start, finish and
timeliness beside the standard.

Symbols, as the format has them: a terminator (capsule) for the first and the last activity, a
rectangle for an activity, a diamond for a decision (every check: a draft checked and found wanting
goes back to the activity before it, "Tidak"), arrows between activities, and an off-page connector
(a pentagon numbered by the page) where the flow continues on the next sheet.

The mutu baku are read from the catalogue: the time is the step's standard time (or, inside a block
the seed times as a whole, the block's with the step's indicative share); the output is what the
activity's verb makes of its object (a draft from "menyusun", a signed document from "menandatangani",
...; the steps the seed words otherwise are listed here by code); the requirement of an activity is
the output of the one before it (the first's: the leadership's direction or the unit's proposal, C.1).
This module only lays out data; ``reports/flowchart_pdf.py`` and ``reports/flowchart_svg.py`` draw it.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from domain import catalogue as cat
from domain.texts import t

START, END, ACTIVITY, DECISION = "start", "end", "activity", "decision"
ROWS_PER_SHEET = 14  # activities per landscape A4 sheet of the PDF

# Lanes in the order the SOP reads: the responsible official and the executors, then the parties
# outside the Bureau in the order the procedure meets them.
LANE_ORDER = (cat.KARO, cat.KABAG, cat.KASUBBAG, cat.STAF, cat.UNIT_HEAD, cat.UNIT, cat.TIM, cat.DEPUTI,
              cat.DEPUTI_HUKUM, cat.MENTERI, cat.BIRO_TU, cat.BIRO_UMUM)

# Outputs the verb rule cannot give (the seed words these steps otherwise).
OUTPUTS = {
    "1.a": "Arahan penyusunan SP/SOP", "1.b": "Disposisi penugasan",
    "2.b.1.g": "Usulan keanggotaan Tim", "2.b.2.g": "Kepmensesneg pembentukan Tim",
    "2.b.2.fd": "Keputusan Deputi pembentukan Tim", "2.b.2.h": "Keputusan bernomor",
    "3.b": "Draf SP/SOP unit kerja", "4.a": "Catatan pemeriksaan draf",
    "4.b.2.a.1": "Draf SP/SOP hasil pembahasan ke-1", "4.b.2.a.2": "Draf SP/SOP yang disempurnakan",
    "4.b.2.b.1": "Draf pra-final SP/SOP", "4.b.2.b.2": "Draf final SP/SOP",
    "5.a.1": "Draf final SP/SOP yang difinalisasi",
    "5.a.3": "SP/SOP bertanda tangan dan softcopy", "5.b.1": "Lampiran Rancangan Permensesneg",
    "6": "Rancangan Permensesneg yang diharmonisasi", "7": "Permensesneg bertanda tangan",
    "8.a": "Permensesneg bernomor", "9.a": "Memorandum permohonan pencetakan", "9.b": "Buku Permensesneg",
    "8.b.5": "File PDF SP/SOP untuk situs dan pencetakan", "9.c": "Buku Permensesneg terdistribusi",
    "9.d": "Memorandum permohonan unggah ke situs",
}
FIRST_REQUIREMENT = "Arahan pimpinan atau usulan unit kerja"


def output_of(step: cat.Step, params: cat.CaseParams) -> str:
    """What an activity produces, from its verb and object (see the module's docstring)."""
    if step.code in OUTPUTS:
        return OUTPUTS[step.code]
    name = re.sub(r" \(Deputi [^)]*\)", "", step.name_for(params))  # who else may sign: a remark
    if "menugaskan" in name:
        return "Disposisi penugasan"
    if "mengonfirmasi kehadiran" in name:
        return "Konfirmasi kehadiran Anggota Tim"
    for verb, form in ((r"memeriksa dan menyetujui (.+)", "{} yang disetujui"),
                       (r"memeriksa dan menandatangani (.+)", "{} bertanda tangan"),
                       (r"menandatangani (.+)", "{} bertanda tangan"),
                       (r"menyusun (?:konsep |draf )?(.+)", "Konsep {}"),
                       (r"menyiapkan (.+)", "{}"),
                       (r"memeriksa (.+)", "{} yang telah diperiksa"),
                       (r"(?:menyampaikan|mendistribusikan|menggandakan dan mendistribusikan) (.+)",
                        "{} tersampaikan"),
                       (r"mengedit (.+)", "{} (PDF)")):
        found = re.search(verb, name)
        if found:
            obj = re.split(r" kepada | dan draf final", found.group(1))[0].strip()
            text = form.format(obj)
            return text[:1].upper() + text[1:]
    return name


def symbol_of(step: cat.Step, first: bool, last: bool) -> str:
    if first:
        return START
    if last:
        return END
    return DECISION if "memeriksa" in step.name else ACTIVITY


@dataclass(frozen=True)
class Actual:
    """A case's record of an activity, for the column beside the standard."""

    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    status: str | None = None  # berjalan | selesai | dilewati
    late: bool = False
    party: str | None = None


@dataclass(frozen=True)
class FlowRow:
    no: int
    code: str
    activity: str
    lane: str
    symbol: str
    requirement: str
    time: str
    output: str
    remark: str = ""  # another party the seed lets act, an external party's clock
    actual: Actual | None = None


@dataclass
class Flowchart:
    title: str
    params: cat.CaseParams
    lanes: list[str]
    rows: list[FlowRow]
    case_label: str = ""  # number and title of the case shown beside the standard
    sheets: list[list[FlowRow]] = field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.rows]


def time_of(step: cat.Step, minutes: int, mpd: int, lang: str = "id") -> str:
    from domain.tracker import fmt_minutes  # the one way durations are written

    if step.std is not None:
        return step.std.label()
    if step.block:
        block = cat.BLOCKS[step.block]
        share = fmt_minutes(minutes, mpd, lang) if minutes else "–"
        return t("flow.time.block", lang, block=step.block.split("/")[0], std=block.std.label(), share=share)
    return "–"


def params_label(params: cat.CaseParams, lang: str = "id") -> str:
    return t("flow.params", lang, track=t(f"tracker.track.{params.track}", lang),
             meeting=t(f"standard.where.{params.meeting_location}", lang),
             decree=t(f"standard.decree.{params.team_decree}", lang), drafts=params.drafts, units=params.units,
             orgs=params.organisations)


def build(params: cat.CaseParams, minutes_per_day: int, *, lang: str = "id", actual: dict[str, Actual] | None = None,
          case_label: str = "") -> Flowchart:
    """The flowchart of a case with these parameters (and, with ``actual``, that case's record)."""
    steps = cat.steps_for(params)
    minutes = cat.step_minutes(params, minutes_per_day)
    rows = []
    previous_output = FIRST_REQUIREMENT
    for i, s in enumerate(steps):
        output = output_of(s, params)
        remark = ""
        if len(s.choices) > 1:
            remark = t("flow.remark.choices", lang, parties=" / ".join(s.choices))
        elif s.external:
            remark = t("flow.remark.external", lang, party=s.responsible)
        rows.append(FlowRow(i + 1, s.code, s.name_for(params), s.responsible, symbol_of(s, i == 0, i == len(steps) - 1),
                            previous_output, time_of(s, minutes[s.code], minutes_per_day, lang), output, remark,
                            (actual or {}).get(s.code)))
        previous_output = output
    used = {r.lane for r in rows}
    lanes = [lane for lane in LANE_ORDER if lane in used]
    title = t("flow.title", lang)
    chart = Flowchart(title, params, lanes, rows, case_label)
    chart.sheets = [rows[i:i + ROWS_PER_SHEET] for i in range(0, len(rows), ROWS_PER_SHEET)]
    return chart


def actual_from_rows(rows) -> dict[str, Actual]:
    """A case's checklist rows (``tracker.checklist``) as the flowchart's actual column."""
    out = {}
    for r in rows:
        if r.status is None:
            continue
        late = bool(r.late) or (bool(r.indicative) and r.block_state in ("late", "overdue"))
        out[r.code] = Actual(r.started_at, r.finished_at, r.status, late, getattr(r, "party", None))
    return out


def lane_label(lane: str, lang: str = "id") -> str:
    return t(f"flow.lane.{lane}", lang) if t(f"flow.lane.{lane}", lang) != f"flow.lane.{lane}" else lane
