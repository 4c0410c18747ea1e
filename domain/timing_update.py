"""Bringing stored cases under the current timing rule, once per store: nothing recorded is lost, and
the audit log says what was recomputed.

Rule version 2 (``domain/timing.py``) changed two things a store holds:
- Meeting administration (4.b.1) became one block before each meeting, its steps numbered by their
  meeting (``4.b.1.1.a/1``). A step recorded under the old single administration keeps its record
  under the occurrence it was done for (in town: before the first discussion; out of town: before
  the first working meeting). Occurrences the case had already passed when the rule changed are
  recorded as skipped, with that reason, so no case's current step moves back.
- A step's stored due instant is that of the judged item its time counts in (its own, or its
  block's), holds included; the ones that differ are recomputed.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from domain.changes import Insert, Log, Update
from domain import case_params, timing
from domain import catalogue as cat
from domain.calendar import WorkCalendar
from domain.models import DONE, FINISHED, SKIPPED
from domain.ports import upgraded_from

RULE_VERSION = 2
MARK = "timing_rule"  # settings row: the timing rule the store's records follow
ACTOR = "sistem"
TABLES = ("cases", "step_events", "holds", "settings")
SKIP_REASON = ("Ditambahkan saat aturan waktu diperbarui: persiapan administrasi kini dicatat per rapat; "
               "kasus ini sudah melewati langkah ini.")


@dataclass
class TimingUpdate:
    writes: list
    renamed: int = 0
    added: int = 0
    recomputed: int = 0


def _new_code(old: str, params: cat.CaseParams) -> str | None:
    """The code under the per-meeting numbering of a step recorded under the single administration."""
    if "/" in old or not old.startswith("4.b.1."):
        return None
    parts = old.split(".")  # 4.b.1.1.a or 4.b.1.2.a
    if len(parts) != 5:
        return None
    meeting = 1 if parts[3] == "1" else 3
    code = f"{old}/{meeting}"
    return code if code in cat.STEP_BY_CODE and cat.STEP_BY_CODE[code].applies(params) else None


def plan_update(frames: dict[str, pd.DataFrame], calendar: WorkCalendar, now: dt.datetime) -> TimingUpdate:
    """The writes that bring the stored cases under the current rule (decided from the frames)."""
    cases, events, holds = frames["cases"], frames["step_events"], frames.get("holds")
    out = TimingUpdate([])
    if not len(cases):
        return out
    pid, params, _ = case_params.of_cases(cases)
    params_of = dict(zip(cases["id"], (params[p] for p in pid), strict=True))
    records = events.to_dict("records") if len(events) else []
    by_case: dict[str, list[dict]] = {}
    for e in records:
        by_case.setdefault(e["case_id"], []).append(e)
    after: list[dict] = []
    for case in cases.to_dict("records"):
        cid = case["id"]
        p = params_of[cid]
        mine = by_case.get(cid, [])
        for e in mine:
            code = _new_code(e["step_code"], p)
            if code is not None and not any(x["step_code"] == code for x in mine):
                out.writes.append(Update("step_events", e["id"], {"step_code": code}, expected_version=e["version"]))
                e["step_code"] = code
                out.renamed += 1
        steps = [s.code for s in cat.steps_for(p)]
        position = {c: i for i, c in enumerate(steps)}
        known = {e["step_code"]: e for e in mine}
        # How far the case had come: its recorded current step (under its new number), the end for a
        # finished case, else past its last closed step.
        current = case.get("current_step")
        current = _new_code(current, p) or current if isinstance(current, str) else None
        closed = [position[c] for c, e in known.items() if c in position and e["status"] in (DONE, SKIPPED)]
        if current in position:
            last = position[current]
        elif case.get("status") == FINISHED:
            last = len(steps)
        else:
            last = max(closed, default=0)
        if last:
            for i, code in enumerate(steps[:last]):
                if code in known:
                    continue
                before = [known[c] for c in steps[:i] if c in known and known[c].get("finished_at") is not None]
                at = max((e["finished_at"] for e in before), default=case.get("started_at") or now)
                record = {"id": f"{cid}-{code}", "case_id": cid, "step_code": code, "status": SKIPPED,
                          "started_at": at, "finished_at": at, "reason": SKIP_REASON, "backdated": False}
                out.writes.append(Insert("step_events", record))
                known[code] = {**record, "version": None, "_record": record}
                out.added += 1
        if isinstance(case.get("current_step"), str) and current != case["current_step"] and current in position:
            out.writes.append(Update("cases", cid, {"current_step": current}, expected_version=case["version"]))
        after += [{**e, "case_id": cid} for e in known.values()]
    # Every stored due instant as the rule has it now.
    due = due_instants(pd.DataFrame([{k: v for k, v in e.items() if k != "_record"} for e in after]), cases, holds,
                       calendar, now, params_of)
    for e in after:
        new = due.get(e["id"])
        if e.get("version") is None:  # added above: its due instant goes into its new record
            e["_record"]["due_at"] = new
            continue
        old = e.get("due_at")
        old = None if old is None or pd.isna(old) else pd.Timestamp(old).to_pydatetime()
        if new != old and (new is None or old is None or abs((new - old).total_seconds()) >= 1):
            out.writes.append(Update("step_events", e["id"], {"due_at": new}, expected_version=e["version"]))
            out.recomputed += 1
    return _merged(out)


def due_instants(events: pd.DataFrame, cases: pd.DataFrame, holds: pd.DataFrame | None, calendar: WorkCalendar,
                 now: dt.datetime, params_of: dict | None = None) -> dict[str, dt.datetime | None]:
    """Each step event's due instant (by event id): that of the judged item its time counts in, as
    the rule has it at ``now``; None for a step the seed gives no time."""
    if not len(events):
        return {}
    ev = events.copy()
    for col in ("started_at", "finished_at"):
        ev[col] = pd.to_datetime(ev[col], utc=True)
    for col in ("party", "actor_id"):
        if col not in ev:
            ev[col] = None
    if params_of is None:
        pid, params, _ = case_params.of_cases(cases)
        params_of = dict(zip(cases["id"], (params[p] for p in pid), strict=True))
    judged = timing.judge(ev, cases, holds, now, calendar)
    due = dict(zip(zip(judged["case_id"], judged["item"], strict=True), judged["due"], strict=True))
    mpd = calendar.minutes_per_day
    out = {}
    for eid, cid, code in zip(ev["id"], ev["case_id"], ev["step_code"], strict=True):
        p = params_of.get(cid)
        value = due.get((cid, timing.outer_item(p, mpd, code))) if p is not None else None
        out[eid] = None if value is None or pd.isna(value) else value.to_pydatetime()
    return out


def _merged(out: TimingUpdate) -> TimingUpdate:
    """One update per record: a renamed step whose due instant also changes is one write."""
    merged: dict[str, Update] = {}
    rest = []
    for w in out.writes:
        if isinstance(w, Update):
            if w.id in merged:
                prev = merged[w.id]
                merged[w.id] = Update(w.table, w.id, {**prev.changes, **w.changes}, prev.expected_version)
            else:
                merged[w.id] = w
        else:
            rest.append(w)
    out.writes = rest + list(merged.values())
    return out


# Stores made before this schema version recorded their steps under the earlier rule.
RULE_SCHEMA = 4


def needs_update(repo) -> bool:
    """A store just upgraded from a schema older than the rule's (the backend says what it was)."""
    before = upgraded_from(repo)
    return before is not None and before < RULE_SCHEMA


def bring_up_to_date(repo, calendar: WorkCalendar, now: dt.datetime, chunk: int = 500, *,
                     force: bool = False) -> TimingUpdate | None:
    """Apply ``plan_update`` to a store made under the earlier rule (audited, in chunks); None when
    there is nothing to bring along. Runs when the store's schema is upgraded (or when forced)."""
    if not (force or needs_update(repo)):
        return None
    frames = repo.frames(list(TABLES))
    if not len(frames["cases"]):
        return None  # nothing to bring along; a store filled later is looked at on its next start
    update = plan_update(frames, calendar, now)
    writes = update.writes
    for i in range(0, len(writes), chunk):
        repo.apply(writes[i:i + chunk], actor=ACTOR)
    repo.upgraded_from = None  # done: not again in this process
    mark = repo.get("settings", MARK)
    detail = (f"Aturan waktu versi {RULE_VERSION}: {update.renamed} langkah dinomori ulang per rapat, "
              f"{update.added} langkah yang sudah terlewati dicatat, {update.recomputed} batas waktu dihitung ulang")
    if mark is None:
        repo.apply([Insert("settings", {"id": MARK, "value": str(RULE_VERSION)}),
                    Log("timing.recomputed", "store", "", detail)], actor=ACTOR)
    else:
        repo.apply([Update("settings", MARK, {"value": str(RULE_VERSION)}, expected_version=mark["version"]),
                    Log("timing.recomputed", "store", "", detail)], actor=ACTOR)
    return update


__all__ = ["MARK", "RULE_VERSION", "bring_up_to_date", "needs_update", "plan_update"]
