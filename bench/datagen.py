"""Large synthetic stores for the benches: N cases laid along the procedure, with step events.

Built as DataFrames and bulk-imported, so 10,000 cases (~500,000 step events) load in seconds."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from data_access.demo import EXECUTORS, ORGANISATIONS, UNITS
from data_access.repository import prepare_insert, utcnow
from domain import catalogue as cat
from domain.calendar import WorkCalendar

UTC = dt.UTC


def fill_store(repo, n_cases: int = 10_000, seed: int = 7, today: dt.datetime | None = None,
               calendar: WorkCalendar | None = None) -> dict[str, int]:
    rng = np.random.default_rng(seed)
    calendar = calendar or WorkCalendar()
    today = today or dt.datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    at = utcnow()
    stamp = {"version": 1, "created_at": at, "created_by": "bench", "updated_at": at, "updated_by": "bench"}

    orgs = [{"id": o, "name": n, "short_name": s, "sort_order": i, "active": True, **stamp}
            for i, (o, n, s) in enumerate(ORGANISATIONS)]
    units, unit_org = [], {}
    for oid, names in UNITS.items():
        for j, name in enumerate(names):
            uid = f"UNIT-{oid[4:]}-{j + 1}"
            unit_org[uid] = oid
            units.append({"id": uid, "org_id": oid, "name": name, "active": True, **stamp})
    executors = [{"id": e, "name": n, "nip": nip, "role": r, "active": True, **stamp} for e, n, nip, r in EXECUTORS]
    staff = [e for e, *_ in EXECUTORS]
    unit_ids = list(unit_org)

    params_permen = cat.CaseParams(cat.PERMEN, drafts=10)
    params_intern = cat.CaseParams(cat.INTERN, drafts=10)
    mpd = calendar.minutes_per_day
    plans = {cat.PERMEN: cat.plan(params_permen, mpd), cat.INTERN: cat.plan(params_intern, mpd)}

    case_rows, ev_cols = [], {k: [] for k in ("id", "case_id", "step_code", "status", "started_at",
                                              "finished_at", "due_at", "actor_id")}
    starts = today - pd.to_timedelta(rng.integers(1, 720, n_cases), unit="D")
    for i in range(n_cases):
        track = cat.PERMEN if rng.random() < 0.6 else cat.INTERN
        plan = plans[track]
        unit = unit_ids[int(rng.integers(len(unit_ids)))]
        start = starts[i].to_pydatetime()
        # Work in plain elapsed time (x1.4 to cover nights and weekends): fast and realistic enough.
        slowness = float(rng.choice([0.7, 1.0, 1.0, 1.3, 2.0]))
        current, finished = None, True
        t = start
        for ps in plan.steps:
            if t > today:
                current, finished = ps.step.code, False
                break
            dur = dt.timedelta(minutes=max(5.0, ps.duration * slowness * 2.8))
            due = t + dt.timedelta(minutes=ps.duration * 2.8)
            end = t + dur
            running = end > today
            ev_cols["id"].append(f"E{i:05d}-{ps.step.code}")
            ev_cols["case_id"].append(f"C{i:05d}")
            ev_cols["step_code"].append(ps.step.code)
            ev_cols["status"].append("berjalan" if running else "selesai")
            ev_cols["started_at"].append(t)
            ev_cols["finished_at"].append(None if running else end)
            ev_cols["due_at"].append(due)
            ev_cols["actor_id"].append(staff[int(rng.integers(len(staff)))])
            if running:
                current, finished = ps.step.code, False
                break
            t = end
        case_rows.append({"id": f"C{i:05d}", "number": f"K-{start.year}-{i:05d}", "title": f"SOP Layanan {i}",
                          "org_id": unit_org[unit], "unit_ids": [unit], "doc_kind": "SOP",
                          "origin": "arahan_pimpinan", "track": track, "drafts": 10, "organisations": 1,
                          "meeting_location": cat.IN_TOWN, "team_decree": cat.DECREE_MENTERI,
                          "status": "selesai" if finished else "aktif", "current_step": current,
                          "pic_id": staff[int(rng.integers(len(staff)))], "started_at": start,
                          "finished_at": t if finished else None, **stamp})
    events = pd.DataFrame(ev_cols)
    for col, value in stamp.items():
        events[col] = value
    for col in ("note", "doc_link", "reason"):
        events[col] = None
    events["backdated"] = False
    events["party"] = None  # no step recorded with another party than its default
    counts = {}
    for table, rows in (("organisations", orgs), ("units", units), ("executors", executors)):
        counts[table] = repo.import_rows(table, [prepare_insert(table, r, "bench", at) for r in rows])
    counts["cases"] = repo.import_rows("cases", [prepare_insert("cases", r, "bench", at) for r in case_rows])
    counts["step_events"] = repo.import_rows("step_events", events)
    return counts
