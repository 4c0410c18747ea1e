"""Bench: the yearly evaluation PDF for 50 executors and 10,000 cases (target: < 2 s, < 300 MB peak).

    .venv/bin/python -m bench.bench_evaluation [--cases 10000] [--executors 50] [--year 2026]

Builds (once, cached in the temp dir) a DuckDB store with the cases of ``bench.datagen`` and 50
executors by role, complaints delegated across the year, then measures in a fresh process, as the
command line runs it: reading the store, computing the figures, drawing the charts and the PDF.
Time is measured in one run, memory in another (tracemalloc slows Python down): the peak of
Python allocations (tracemalloc) and the process's peak resident size (VmHWM).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TODAY = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)


def build_store(path: Path, n_cases: int, n_executors: int, seed: int = 11) -> None:
    import duckdb
    import numpy as np
    import pandas as pd

    from bench.datagen import fill_store
    from data_access.duckdb_store import DuckDBRepository
    from data_access.repository import prepare_insert, utcnow
    from domain import catalogue as cat

    repo = DuckDBRepository(path)
    repo.init()
    fill_store(repo, n_cases=n_cases, today=TODAY)
    rng = np.random.default_rng(seed)
    at = utcnow()
    # 1 Karo, 1 Kabag, 4 Kasubbag, the rest staff (the demo's seven are kept and extended).
    roles = {cat.KARO: ["EX-KARO"], cat.KABAG: ["EX-KABAG"], cat.KASUBBAG: ["EX-KASUBBAG"],
             cat.STAF: ["EX-STAF1", "EX-STAF2", "EX-STAF3", "EX-STAF4"]}
    extra = []
    for i in range(n_executors - 7):
        role = cat.KASUBBAG if i < 3 else cat.STAF
        eid = f"EX-B{i + 1:03d}"
        roles[role].append(eid)
        extra.append({"id": eid, "name": f"Pelaksana Uji {i + 1:03d} Ångström-Σοφία", "nip": f"19900101{i:010d}",
                      "role": role, "active": True})
    repo.import_rows("executors", [prepare_insert("executors", r, "bench", at) for r in extra])

    con = duckdb.connect(str(path))
    try:
        ev = con.execute("SELECT id, step_code FROM step_events").df()
        responsible = ev["step_code"].map({s.code: (None if s.external else s.responsible) for s in cat.STEPS})
        actor = pd.Series([None] * len(ev), dtype=object)
        for role, ids in roles.items():
            mask = (responsible == role).to_numpy()
            actor[mask] = np.asarray(ids, dtype=object)[rng.integers(len(ids), size=int(mask.sum()))]
        con.register("_actors", pd.DataFrame({"id": ev["id"], "actor": actor}))
        con.execute("UPDATE step_events SET actor_id = _actors.actor FROM _actors WHERE step_events.id = _actors.id")
        con.unregister("_actors")
    finally:
        con.close()

    delegates = roles[cat.KABAG] + roles[cat.KASUBBAG]
    complaints, actions = [], []
    start = dt.datetime(2025, 1, 6, 2, 0, tzinfo=dt.UTC)
    for i in range(1200):
        created = start + dt.timedelta(hours=int(rng.integers(0, 23 * 30 * 24)))
        if created > TODAY:
            continue
        c = {"id": f"ADU-B{i:05d}", "receipt_no": f"ADU-{created.year}-{i:05d}", "kind": "pengaduan",
             "unit_id": "UNIT-SETMEN-1", "name": "Pegawai uji", "subject": f"Pengaduan uji {i}",
             "description": "Uji beban", "status": "diterima", "created_at": created}
        if rng.random() < 0.8:
            who = delegates[int(rng.integers(len(delegates)))]
            c.update(status="didelegasikan", handler=cat.KABAG, delegated_to=who,
                     delegated_at=created + dt.timedelta(hours=2))
            actions.append({"id": f"ACT-B{i:05d}", "complaint_id": c["id"], "kind": "tindak_lanjut",
                            "text": "Ditindaklanjuti", "created_at": created + dt.timedelta(days=1),
                            "created_by": "kabag"})
            if rng.random() < 0.7:
                answered = created + dt.timedelta(days=float(rng.uniform(1, 12)))
                if answered < TODAY:
                    c.update(status="dijawab", answer="Telah dijawab (uji)", answered_at=answered)
        complaints.append(c)
    repo.import_rows("complaints", [prepare_insert("complaints", r, "bench", at) for r in complaints])
    repo.import_rows("complaint_actions", [prepare_insert("complaint_actions", r, "bench", at) for r in actions])
    repo.close()


def measure(path: Path, year: int, memory: bool) -> dict:
    """One CLI-like run in this (fresh) process."""
    import resource
    import tracemalloc

    def rss() -> float:
        # The peak resident size of this process's own memory (VmHWM). Not ru_maxrss: Linux carries
        # over into it the peak of the parent that forked this process (the one that built the store).
        try:
            for line in Path("/proc/self/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    if memory:
        tracemalloc.start()
    t0 = time.perf_counter()
    peaks = {}
    # The calendar imports the holidays package on first use, and the package its country tables
    # on first access (0.13 s): imports like any other, so counted with them.
    from holidays.countries.indonesia import Indonesia  # noqa: F401
    from data_access.duckdb_store import DuckDBRepository
    from domain.calendar import WorkCalendar
    from data_access.evaluation_data import year_frames
    from domain.evaluation import evaluate, read_conclusions
    from reports.evaluation import build_yearly_pdf, page_count
    from cli.process_memory import return_freed_memory

    t_import = time.perf_counter()
    peaks["imports"] = rss()
    late_imports: dict[str, float] = {}

    def run() -> tuple[dict, object, dict, bytes]:
        """As ``python -m cli.evaluation`` does: read, figures, give the records' memory back,
        then the PDF (whose library, fpdf2, loads on the first build: its import is in that part)."""
        marks = [(time.perf_counter(), time.process_time())]
        repo = DuckDBRepository(path)
        frames = year_frames(repo, year)  # as the command line reads: what this year and the year before need
        conclusions = read_conclusions(repo, year)
        repo.close()
        marks.append((time.perf_counter(), time.process_time()))
        peaks.setdefault("read", rss())
        ev = evaluate(frames, year, WorkCalendar(), now=TODAY, conclusions=conclusions)
        counts = {"step_events": len(frames["step_events"]), "cases": len(frames["cases"])}
        del frames
        return_freed_memory()
        marks.append((time.perf_counter(), time.process_time()))
        peaks.setdefault("figures", rss())
        # The PDF library loads here, after the figures, as in the command line; its import is
        # timed with the other imports, not as part of building the PDF.
        t_pdf_import = time.perf_counter()
        import reports.evaluation_pdf  # noqa: F401
        late_imports.setdefault("pdf_import_s", time.perf_counter() - t_pdf_import)
        marks.append((time.perf_counter(), time.process_time()))
        pdf = build_yearly_pdf(ev)
        marks.append((time.perf_counter(), time.process_time()))
        peaks.setdefault("charts and PDF", rss())
        (r0, c0), (r1, c1), (r2, c2), (r3, c3), (r4, c4) = marks
        parts = {"load_s": r1 - r0, "figures_s": r2 - r1, "pdf_s": r4 - r3}
        parts["report_s"] = (r4 - r0) - (r3 - r2)
        parts["cpu_s"] = (c4 - c0) - (c3 - c2)
        return parts, ev, counts, pdf

    cold, ev, counts, pdf = run()
    one_build_peak = rss()  # the peak of one build, as the command line makes it
    # The same again in this process, as the app does after its first PDF (not in the memory run,
    # whose peak is that of one build).
    warm = cold if memory else run()[0]
    out = {
        "imports_s": t_import - t0, **late_imports,
        **cold, "total_s": t_import - t0 + late_imports["pdf_import_s"] + cold["report_s"], "warm": warm,
        "pages": page_count(pdf), "bytes": len(pdf), **counts,
        "executors": len(ev.executors), "late_steps": ev.late_steps_total,
        "rss_after_mb": peaks,
    }
    if memory:
        out["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    out["ru_maxrss_mb"] = one_build_peak
    return out


def main(argv: list[str] | None = None) -> int | dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--executors", type=int, default=50)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--memory", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(Path(args.measure), args.year, args.memory)))
        return 0

    from data_access.schema import SCHEMA_VERSION

    # The store's schema version in its name: a store made by another version of the app (which may
    # share the temp dir) is copied and brought up to this one, never changed in place.
    folder = Path(tempfile.gettempdir())
    stem = f"sop-bench-evaluation-{args.cases}-{args.executors}"
    path = folder / f"{stem}-s{SCHEMA_VERSION}.duckdb"
    older = [folder / f"{stem}-s{v}.duckdb" for v in range(SCHEMA_VERSION - 1, 0, -1)] + [folder / f"{stem}.duckdb"]
    source = next((p for p in older if p.exists()), None)
    if not path.exists() and source is not None:
        import shutil

        from data_access.duckdb_store import DuckDBRepository

        tmp = path.with_suffix(".building")
        shutil.copyfile(source, tmp)
        repo = DuckDBRepository(tmp)
        repo.init()  # the schema's later versions
        repo.close()
        tmp.rename(path)
        print(f"store copied from {source.name} and upgraded to schema version {SCHEMA_VERSION}: {path}")
    if not path.exists():
        t = time.perf_counter()
        tmp = path.with_suffix(".building")
        tmp.unlink(missing_ok=True)
        build_store(tmp, args.cases, args.executors)
        tmp.rename(path)
        print(f"store built in {time.perf_counter() - t:.1f} s: {path}")
    cmd = [sys.executable, "-m", "bench.bench_evaluation", "--year", str(args.year), "--measure", str(path)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    timed = json.loads(subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout)
    mem = json.loads(subprocess.run(cmd + ["--memory"], cwd=ROOT, env=env, check=True, capture_output=True,
                                    text=True).stdout)
    print(f"yearly evaluation PDF {args.year}: {timed['cases']:,} cases, {timed['step_events']:,} step events, "
          f"{timed['executors']} executors, {timed['late_steps']:,} late steps -> {timed['pages']} pages, "
          f"{timed['bytes'] / 1024:.0f} KiB")
    print(f"  time (fresh process, as the command line): imports {timed['imports_s']:.2f} s and, after the "
          f"figures, fpdf2 {timed['pdf_import_s']:.2f} s; read store {timed['load_s']:.2f} s, "
          f"figures {timed['figures_s']:.2f} s, charts and PDF {timed['pdf_s']:.2f} s")
    print(f"  time to build the PDF from the store (read + figures + charts + PDF): {timed['report_s']:.2f} s "
          f"wall, {timed['cpu_s']:.2f} s CPU (target < 2 s); with imports {timed['total_s']:.2f} s")
    w = timed["warm"]
    print(f"  again in the same process (as the app): {w['report_s']:.2f} s wall, {w['cpu_s']:.2f} s CPU "
          f"(read {w['load_s']:.2f} s, figures {w['figures_s']:.2f} s, charts and PDF {w['pdf_s']:.2f} s)")
    print(f"  machine load average (1 min) when measured: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"  peak memory: tracemalloc {mem['tracemalloc_peak_mb']:.0f} MB (Python allocations), "
          f"peak resident size {timed['ru_maxrss_mb']:.0f} MB (whole process, VmHWM, one build; target < 300 MB)")
    print("  peak resident size after each part: " + ", ".join(
        f"{k} {v:.0f} MB" for k, v in timed["rss_after_mb"].items()))
    return {"report_s": round(timed["report_s"], 2), "report_warm_s": round(w["report_s"], 2),
            "total_with_imports_s": round(timed["total_s"], 2), "peak_rss_mb": round(timed["ru_maxrss_mb"]),
            "tracemalloc_peak_mb": round(mem["tracemalloc_peak_mb"]), "pages": timed["pages"]}


if __name__ == "__main__":
    result = main()
    raise SystemExit(result if isinstance(result, int) else 0)
