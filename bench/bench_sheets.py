"""Google Sheets bench: API calls and wall time per page view and per save, on the local Sheets
stand-in (real HTTP, real gspread and google-auth), for 1,000 cases by default.

The app's own pages are counted the way people open them: `streamlit run app.py` on the stand-in
(demo data), Chromium signed in, every page opened by its address (a link, a reload, a new tab:
the sign-in restored from the cookie), cold and again within the read cache's 30 s; and one
complaint filed through the form. Targets: 1 / 0 calls per page, at most 3 per complaint.

Beside it, a naive baseline written the usual gspread way: open the spreadsheet and read each
worksheet separately on every rerun; a save finds the row, writes it, appends the step event and
each audit entry. Prints both and the ratios. Targets: 1 read call per cold page view, 0 warm (the
UI's st.cache_data), at most 2 calls per save, at least 5x fewer calls than the baseline.
Run: .venv/bin/python -m bench.bench_sheets [--cases 1000] [--no-browser]"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.datagen import fill_store  # noqa: E402
from data_access.config import Settings  # noqa: E402
from data_access.repository import Insert, Update  # noqa: E402
from data_access.sheets_store import open_sheets_repository  # noqa: E402
from tests.sheets_standin import SheetsStandIn, make_client, write_service_account_file  # noqa: E402

# What the tracker/dashboard pages read for one view.
PAGE_TABLES = ["cases", "step_events", "holds", "units", "organisations", "executors"]


class NaiveStore:
    """The baseline: gspread's high-level API, no batching, no cache."""

    def __init__(self, gc, key: str):
        self.gc, self.key = gc, key

    def page_view(self, tables):
        sh = self.gc.open_by_key(self.key)
        return {t: sh.worksheet(t).get_all_records() for t in tables}

    def save(self, case_id: str, changes: dict, event_row: list, audit_rows: list[list]):
        sh = self.gc.open_by_key(self.key)
        cases = sh.worksheet("cases")
        rows = cases.get_all_values()
        header = rows[0]
        rownum = next(i for i, r in enumerate(rows, start=1) if r and r[0] == case_id)
        for col, value in changes.items():
            cases.update_cell(rownum, header.index(col) + 1, value)
        sh.worksheet("step_events").append_row(event_row, value_input_option="RAW",
                                               insert_data_option="INSERT_ROWS")
        audit = sh.worksheet("audit")
        for row in audit_rows:
            audit.append_row(row, value_input_option="RAW", insert_data_option="INSERT_ROWS")


def measure(standin, fn, repeat: int):
    calls, times = [], []
    for i in range(repeat):
        standin.reset_counts()
        t = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - t)
        calls.append(standin.count() - standin.count("token"))
    return statistics.mean(calls), statistics.median(times)


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-browser", action="store_true", help="skip the pages opened by address in Chromium")
    args = ap.parse_args(argv)
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    import streamlit as st

    with tempfile.TemporaryDirectory() as tmp, SheetsStandIn() as standin:
        sa = tmp + "/sa.json"
        info = write_service_account_file(sa, standin)
        sid = standin.create_spreadsheet("SOP Tracker bench")
        repo = open_sheets_repository(Settings(backend="sheets", sheets_key=sid, sheets_endpoint=standin.url,
                                               service_account=info))
        repo.init()
        t = time.perf_counter()
        standin.reset_counts()
        counts = fill_store(repo, args.cases)
        fill_s, fill_calls = time.perf_counter() - t, standin.count()

        # ---- page view: cold (one batchGet) and warm (served by the UI cache) -------------------
        cold_calls, cold_s = measure(standin, lambda i: repo.frames(PAGE_TABLES), args.repeat)

        @st.cache_data(ttl=30, show_spinner=False)
        def cached(tables: tuple[str, ...]):
            return repo.frames(list(tables))

        cached(tuple(PAGE_TABLES))
        warm_calls, warm_s = measure(standin, lambda i: cached(tuple(PAGE_TABLES)), args.repeat)

        # ---- save: a step finished on a case and its step event, with audit entries ------------
        frames = repo.frames(["cases"])
        ids = list(frames["cases"]["id"][: args.repeat * 2])
        versions = dict(zip(frames["cases"]["id"], frames["cases"]["version"], strict=True))

        def save(i):
            cid = ids[i]
            repo.apply([Update("cases", cid, {"notes": f"catatan {i}", "status": "ditunda"}, int(versions[cid])),
                        Insert("step_events", {"id": f"B{i}", "case_id": cid, "step_code": "1.a",
                                               "status": "berjalan",
                                               "started_at": dt.datetime.now(dt.UTC)})], actor="bench")

        save_calls, save_s = measure(standin, save, args.repeat)

        # ---- the naive baseline on the same spreadsheet -------------------------------------------
        naive = NaiveStore(make_client(standin, sa, backoff=False, timeout=60), sid)
        naive_view_calls, naive_view_s = measure(standin, lambda i: naive.page_view(PAGE_TABLES), args.repeat)

        def naive_save(i):
            cid = ids[args.repeat + i]
            now = dt.datetime.now(dt.UTC).isoformat()
            naive.save(cid, {"notes": f"catatan {i}", "status": "ditunda", "updated_at": now,
                             "updated_by": "bench", "version": 2},
                       [f"N{i}", cid, "1.a", "berjalan", now],
                       [[f"A{i}-{k}", now, "bench", "update", "cases", cid] for k in range(2)]
                       + [[f"A{i}-e", now, "bench", "create", "step_events", f"N{i}"]])

        naive_save_calls, naive_save_s = measure(standin, naive_save, args.repeat)
        pages = real_pages(standin, sid, sa, tmp, repo)
        repo.close()

    reruns = 10  # one visit: ten reruns (widget clicks) of a page and one save
    ours_visit = cold_calls + (reruns - 1) * warm_calls + save_calls + cold_calls  # re-read after the save
    naive_visit = reruns * naive_view_calls + naive_save_calls + naive_view_calls
    figures = {
        "cases": counts["cases"], "step_events": counts["step_events"],
        "fill_s": round(fill_s, 2), "fill_calls": fill_calls,
        "page_view_cold_calls": cold_calls, "page_view_cold_s": round(cold_s, 3),
        "page_view_warm_calls": warm_calls, "page_view_warm_s": round(warm_s, 4),
        "save_calls": save_calls, "save_s": round(save_s, 3),
        "naive_page_view_calls": naive_view_calls, "naive_page_view_s": round(naive_view_s, 3),
        "naive_save_calls": naive_save_calls, "naive_save_s": round(naive_save_s, 3),
        "ratio_page_view_cold": round(naive_view_calls / cold_calls, 1),
        "ratio_save": round(naive_save_calls / save_calls, 1),
        "visit_calls_ours": ours_visit, "visit_calls_naive": naive_visit,
        "ratio_visit": round(naive_visit / ours_visit, 1),
    }
    figures.update(pages)
    if not args.no_browser:
        figures.update(pages_by_address())
    for k, v in figures.items():
        print(f"{k:>32}: {v}")
    if not args.no_browser:
        from ui.navigation import PAGES

        print("\nAPI calls per page opened by its address, signed in (target 1 cold / 0 warm):")
        for spec in PAGES:
            print(f"  /{spec.url:<18} {figures[f'address_{spec.url}_cold_calls']} / "
                  f"{figures[f'address_{spec.url}_warm_calls']}")
        print(f"API calls per complaint filed (target <= 3): {figures['complaint_filed_calls']} "
              f"({figures['complaint_filed_detail']})")
    return figures


def real_pages(standin, sid: str, sa: str, tmp: str, repo) -> dict:
    """The app's own pages through Streamlit's AppTest on the same spreadsheet: API calls and wall
    time of a cold view (caches emptied), of a rerun, and of finishing a step on the case detail
    page (its save and the fresh view after it)."""
    import os

    import streamlit as st

    from domain import tracker as trk
    from domain.models import ACTIVE, RUNNING
    from tests.apptest_helpers import run_page

    os.environ.update({"SOP_BACKEND": "sheets", "SOP_SHEETS_KEY": sid, "SOP_SHEETS_ENDPOINT": standin.url,
                       "SOP_SERVICE_ACCOUNT_FILE": sa, "SOP_DEMO_DATA": "false",
                       "SOP_SECRETS_FILE": tmp + "/no-secrets.toml", "SOP_ATTACHMENTS_DIR": tmp + "/lampiran"})
    st.cache_resource.clear()
    st.cache_data.clear()
    run_page("home", "karo")  # opens the app's store once (its header check is not a page view)
    # An active case whose current step runs (candidates from one read of the running steps).
    active = {c["id"] for c in repo.list("cases", {"status": ACTIVE})}
    running = next(cid for cid in dict.fromkeys(e["case_id"] for e in repo.list("step_events", {"status": RUNNING}))
                   if cid in active and (v := trk.load_case(repo, cid, 510)).current_code()
                   and v.status_of(v.current_code()) == RUNNING)
    out = {}
    for name, page, query in (("case list", "cases", {}), ("case detail", "case_detail", {"id": running}),
                              ("dashboard", "dashboard", {}), ("complaint inbox", "complaint_inbox", {})):
        st.cache_data.clear()
        standin.reset_counts()
        t = time.perf_counter()
        at = run_page(page, "karo", query=query, timeout=300)
        cold_s, cold = time.perf_counter() - t, standin.count() - standin.count("token")
        standin.reset_counts()
        t = time.perf_counter()
        at.run()
        warm_s, warm = time.perf_counter() - t, standin.count() - standin.count("token")
        key = name.replace(" ", "_")
        out.update({f"page_{key}_cold_calls": cold, f"page_{key}_cold_s": round(cold_s, 2),
                    f"page_{key}_rerun_calls": warm, f"page_{key}_rerun_s": round(warm_s, 2)})
        if exc := at.exception:
            out[f"page_{key}_error"] = str(exc[0].message)[:200]
        if page == "case_detail":
            code = trk.load_case(repo, running, 510).current_code()
            at.text_area(key=f"trk_fin_note_{code}").input("bench")
            button = next(b for b in at.button if b.label == f"Selesaikan langkah {code}")
            standin.reset_counts()
            t = time.perf_counter()
            button.click().run()
            out["page_case_detail_save_and_view_s"] = round(time.perf_counter() - t, 2)
            out["page_case_detail_save_writes"] = standin.count("batchUpdate")
            out["page_case_detail_save_and_view_reads"] = standin.count("batchGet")
    st.cache_resource.clear()
    st.cache_data.clear()
    return out


def pages_by_address() -> dict:
    """Every page of the real app opened by its address in Chromium with the sign-in cookie, cold
    (a sign-in just wrote the account every page's read holds) and again at once; one complaint
    filed through the form. Sheets API calls counted on the stand-in (the token aside)."""
    from collections import Counter

    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, login, sheets_server, wait_for_app, warm_up
    from ui.context import READ_CACHE_SECONDS
    from ui.navigation import PAGES
    from ui.page_reads import SETTINGS_TABLES

    def api_calls(standin) -> dict:
        return dict(Counter(r.kind for r in standin.requests if r.kind != "token"))

    def settle(pg, text=None) -> None:
        wait_for_app(pg, text)
        pg.wait_for_timeout(700)

    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        server = sheets_server(Path(tmp))
        server.env["SOP_DEMO_DATA"] = "true"  # real_pages() above set this process's environment for AppTest
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            server.start()
            warm_up(browser, server.url)
            standin = server.standin
            for spec in PAGES:
                context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="id-ID")
                pg = context.new_page()
                pg.set_default_timeout(120_000)
                login(pg, server.url, "admin" if spec.url == "admin" else "karo")
                settle(pg)
                if spec.reads == SETTINGS_TABLES:  # the sign-in page itself just read these tables
                    pg.wait_for_timeout((READ_CACHE_SECONDS + 1) * 1000)
                for kind in ("cold", "warm"):
                    standin.reset_counts()
                    t = time.perf_counter()
                    pg.goto(f"{server.url}/{spec.url}")
                    wait_for_app(pg, "Masuk sebagai")
                    out[f"address_{spec.url}_{kind}_s"] = round(time.perf_counter() - t, 2)
                    pg.wait_for_timeout(700)  # a rerun after the first paint is counted too
                    calls = api_calls(standin)
                    out[f"address_{spec.url}_{kind}_calls"] = sum(calls.values())
                context.close()
            context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="id-ID")
            pg = context.new_page()
            pg.set_default_timeout(120_000)
            pg.goto(f"{server.url}/pengaduan")
            settle(pg, "Sampaikan Pengaduan")
            pg.get_by_label("Unit kerja").click()
            pg.keyboard.type("Biro Umum")
            pg.get_by_role("option", name="Biro Umum", exact=False).first.click()
            settle(pg)
            pg.get_by_role("textbox", name="Nama", exact=True).fill("Bench")
            pg.get_by_role("textbox", name="Email", exact=True).fill("bench@setneg.go.id")
            pg.get_by_role("textbox", name="Pokok masalah").fill("Bench")
            pg.get_by_role("textbox", name="Uraian").fill("Bench")
            settle(pg)
            standin.reset_counts()
            pg.get_by_role("button", name="Kirim", exact=True).click()
            settle(pg, "Terima kasih")
            calls = api_calls(standin)
            out["complaint_filed_calls"] = sum(calls.values())
            out["complaint_filed_detail"] = ", ".join(f"{k} {v}" for k, v in sorted(calls.items()))
            context.close()
        finally:
            browser.close()
            server.stop()
            server.standin.stop()
    return out


if __name__ == "__main__":
    main()
