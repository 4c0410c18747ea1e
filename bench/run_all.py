"""Every figure of the project as one table, with the ratio against its baseline where one exists.

    .venv/bin/python -m bench.run_all [--quick] [--no-load]

Each bench runs in its own process (so memory peaks are its own) and prints its own detail; this
script then prints the summary table. --quick uses smaller stores (for a look, not for the record)."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARK = "@@FIGURES@@"


def run(module: str, args: list[str], timeout: int = 1800) -> tuple[dict, str]:
    """Run bench.<module>.main(args) in a fresh process; return its figures and its printed text."""
    code = (f"import json, sys; sys.path.insert(0, {str(ROOT)!r}); import bench.{module} as m; "
            f"r = m.main({args!r}); print({MARK!r} + json.dumps(r if isinstance(r, dict) else {{}}, default=str))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    text = out.stdout
    if out.returncode != 0:
        return {"error": (out.stderr or text).strip().splitlines()[-1:]}, text + out.stderr
    figures = json.loads(text.split(MARK, 1)[1]) if MARK in text else {}
    return figures, text.split(MARK, 1)[0]


def _round(value, digits: int = 1):
    return None if value is None else round(value, digits)


def main(argv=None) -> list[tuple]:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-load", action="store_true")
    args = ap.parse_args(argv)
    cases = "2000" if args.quick else "10000"
    rows: list[tuple] = []  # (area, figure, value, target, baseline, ratio)

    store, _ = run("bench_store", ["--cases", cases])
    rows += [("tracker", "case list read from the store (s)", store.get("tracker_list_s"), "< 1", None, None),
             ("tracker", "per-unit progress in the store (s)", store.get("unit_progress_s"), "< 1", None, None),
             ("tracker", "peak memory, reading (MB RSS)", store.get("peak_rss_MB"), "< 500", None, None)]

    tracker, _ = run("bench_tracker", ["--cases", cases])
    rows += [("tracker", "case list computed, cold (s)", tracker.get("case_list_compute_cold_s"), "", None, None),
             ("tracker", "case list page via AppTest, cold (s)", tracker.get("case_list_page_cold_s"), "< 1.5",
              None, None),
             ("tracker", "case detail page via AppTest, cold (s)", tracker.get("case_detail_page_cold_s"), "< 1.5",
              None, None)]

    dash, _ = run("bench_dashboard", ["--cases", cases])
    rows += [("dashboard", "all figures, SQL in the store (s)", dash.get("sql_in_store_s"), "< 1",
              dash.get("pandas_total_s"), dash.get("ratio_pandas_total_to_sql")),
             ("dashboard", "page via AppTest, first (s)", dash.get("page_apptest_first_s"), "< 2", None, None)]

    sheets, _ = run("bench_sheets", ["--cases", "300" if args.quick else "1000"])
    rows += [("sheets", "API calls per cold page view", sheets.get("page_view_cold_calls"), "1",
              sheets.get("naive_page_view_calls"), sheets.get("ratio_page_view_cold")),
             ("sheets", "API calls per warm page view", sheets.get("page_view_warm_calls"), "0", None, None),
             ("sheets", "API calls per save", sheets.get("save_calls"), "<= 2", sheets.get("naive_save_calls"),
              sheets.get("ratio_save")),
             ("sheets", "API calls per visit (10 reruns + save)", sheets.get("visit_calls_ours"), "",
              sheets.get("visit_calls_naive"), sheets.get("ratio_visit"))]
    for key, label in (("case_list", "case list"), ("case_detail", "case detail"), ("dashboard", "dashboard"),
                       ("complaint_inbox", "complaint inbox")):
        if f"page_{key}_cold_calls" in sheets:
            rows.append(("sheets", f"{label} page (AppTest): calls cold / rerun",
                         f"{sheets[f'page_{key}_cold_calls']} / {sheets[f'page_{key}_rerun_calls']}", "1 / 0",
                         None, None))
    from ui.navigation import PAGES

    for spec in PAGES:
        if f"address_{spec.url}_cold_calls" in sheets:
            rows.append(("sheets", f"/{spec.url} opened by address: calls cold / warm",
                         f"{sheets[f'address_{spec.url}_cold_calls']} / {sheets[f'address_{spec.url}_warm_calls']}",
                         "1 / 0", None, None))
    if "complaint_filed_calls" in sheets:
        rows.append(("sheets", "API calls per complaint filed", sheets["complaint_filed_calls"], "<= 3", None, None))
    if "page_case_detail_save_writes" in sheets:
        rows.append(("sheets", "finish a step on the page: reads + writes",
                     f"{sheets['page_case_detail_save_and_view_reads']} + {sheets['page_case_detail_save_writes']}",
                     "2+1", None, None))

    ev, _ = run("bench_evaluation", ["--cases", cases, "--executors", "50"])
    rows += [("evaluation", "yearly PDF from the store, fresh process (s)", ev.get("report_s"), "< 2", None, None),
             ("evaluation", "yearly PDF again in the same process (s)", ev.get("report_warm_s"), "< 2", None, None),
             ("evaluation", "yearly PDF peak memory (MB, VmHWM)", ev.get("peak_rss_mb"), "< 300", None, None)]

    notices, _ = run("bench_notices", ["--cases", cases])
    due_s = notices["load_s"] + notices["decide_s"] if "decide_s" in notices else None
    rows += [("notices", "what is due: load + decide (s)", _round(due_s, 2), "", None, None),
             ("notices", "notices due / running steps",
              f"{notices.get('notices_due')} / {notices.get('running_steps')}", "", None, None)]

    sign_in, _ = run("bench_sign_in", [])
    rows += [("sign-in", "password hash, argon2id (ms)", _round(sign_in.get("hash_ms")), "", None, None),
             ("sign-in", "sign-in with the right password (ms)", _round(sign_in.get("sign_in_ms")), "", None, None)]

    if not args.no_load:
        load, _ = run("load_run", ["--sessions", "20", "--seconds", "60"])
        pages = {p["page"]: p for p in load.get("pages", [])}
        rows.append(("load", "errors at 20 concurrent sessions", load.get("errors"), "0", None, None))
        for name in ("daftar kasus", "pengaduan (kirim)", "dasbor"):
            if name in pages:
                rows.append(("load", f"{name}: median / p95 (s)",
                             f"{pages[name]['median_s']} / {pages[name]['p95_s']}", "", None, None))

    print(f"\n{'area':<11} {'figure':<44} {'value':>12} {'target':>8} {'baseline':>10} {'ratio':>7}")
    for area, fig, value, target, base, ratio in rows:
        show = lambda v: "–" if v is None else str(v)  # noqa: E731
        print(f"{area:<11} {fig:<44} {show(value):>12} {target:>8} {show(base):>10} {show(ratio):>7}")
    print(f"(machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f})")
    return rows


if __name__ == "__main__":
    main()
