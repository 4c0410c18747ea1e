"""Server CPU per page view, and page views per second with one and with two app servers.

    .venv/bin/python -m bench.bench_page_cpu [--views 20] [--cases 10000] [--seconds 40] [--users 8]

1. CPU per view: ``streamlit run app.py`` on a store of its own, signed in as the Karo (a session in
   the store, its token as the browser's cookie), each of the case list, a case detail, the
   dashboard, the complaint inbox and the complaint form opened ``--views`` times after three
   warm-up views (caches as a steady stream of visitors finds them); the server process's CPU time
   (user + system, /proc) over those views, per view. Beside it the bare page
   (bench/bare_table_page.py: a title and a table) with Streamlit's default settings (what the target
   was set against) and with the app's own settings (.streamlit/config.toml), and the ratios. On the
   demo data (DuckDB file and PostgreSQL) and on ``--cases`` cases (DuckDB file, with the demo accounts
   and one complaint per ten cases).
2. Page views per second: the five pages in turn by ``--users`` visitors at once for ``--seconds``,
   through Debian's nginx with the README's affinity, to one app server and then to two, on one
   PostgreSQL database (demo data). The visitors speak Streamlit's websocket protocol
   (bench/page_views.py), so the load generator costs little of the machine, though not nothing:
   its share is printed, with each server's and the load average (2 cores, shared).

Every view's page is checked (its title, no exception, no refusal); a page that is not what it should
be stops the bench.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.page_views import Viewer  # noqa: E402
from tests.browser.conftest import DEMO_PASSWORD, AppServer  # noqa: E402
from tests.clock import TEST_NOW  # noqa: E402

# (what, address, query, a text the page shows)
PAGES = [("case list", "kasus", "", "Daftar Kasus"), ("case detail", "detail-kasus", "id={case}", "Langkah saat ini"),
         ("dashboard", "dasbor", "", "Dasbor Pimpinan"), ("complaint inbox", "kotak-pengaduan", "", "Kotak Masuk"),
         ("complaint form", "pengaduan", "", "Sampaikan Pengaduan")]
BARE = ("bare page with a table", "", "", "Tabel")
# Streamlit's own defaults for what .streamlit/config.toml changes (the bare page as anyone writes it).
STREAMLIT_DEFAULTS = ("--server.fileWatcherType", "auto", "--runner.postScriptGC", "true")
SIGNED_IN_AS = "acc-karo"


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_env(extra: dict[str, str]) -> dict[str, str]:
    return {"SOP_DEMO_PASSWORD": DEMO_PASSWORD, "SOP_SESSION_TIMEOUT_MINUTES": "600", **extra}


def signed_in(repo) -> tuple[str, str]:
    """A session for the Karo in ``repo`` (the cookie's token), and an open case with a running step."""
    from domain import sign_in_sessions as ss
    from domain.models import ACTIVE, RUNNING

    token, _ = ss.start(repo, SIGNED_IN_AS, "bench", TEST_NOW, ss.SessionPolicy(dt.timedelta(hours=10)))
    open_cases = {c["id"] for c in repo.list("cases", {"status": ACTIVE}) if not c.get("hold_since")}
    running = sorted(e["case_id"] for e in repo.list("step_events", {"status": RUNNING}) if e["case_id"] in open_cases)
    return token, running[0]


def demo_store(repo) -> tuple[str, str]:
    from data_access.demo import load_demo_if_empty
    from domain.calendar import WorkCalendar

    load_demo_if_empty(repo, WorkCalendar())
    return signed_in(repo)


def large_store(repo, cases: int) -> tuple[str, str]:
    from bench.bench_dashboard import add_complaints
    from bench.datagen import fill_store
    from data_access.demo_accounts import load_demo_accounts

    fill_store(repo, cases, today=TEST_NOW.astimezone(dt.UTC))
    add_complaints(repo, max(10, cases // 10), TEST_NOW.astimezone(dt.UTC))
    load_demo_accounts(repo)
    return signed_in(repo)


async def views(base: str, page: tuple, n: int, cookies: dict, case: str) -> list[float]:
    what, address, query, text = page
    viewer = Viewer(base, cookies)
    seconds = []
    try:
        for _ in range(n):
            shown = await viewer.view(address, query.format(case=case))
            if not shown.has(text) or shown.exceptions or shown.has("tidak berhak"):
                raise AssertionError(f"{what} (/{address}) did not show {text!r}: {shown.texts[:8]}")
            seconds.append(shown.seconds)
    finally:
        await viewer.close()
    return seconds


def cpu_per_view(server: AppServer, page: tuple, n: int, cookies: dict, case: str = "") -> dict:
    asyncio.run(views(server.url, page, 3, cookies, case))  # warm: compiled, cached, connections open
    before = cpu_seconds(server.proc.pid)
    walls = asyncio.run(views(server.url, page, n, cookies, case))
    return {"cpu_ms": (cpu_seconds(server.proc.pid) - before) / n * 1000, "wall_ms": statistics.median(walls) * 1000}


def started(server: AppServer) -> AppServer:
    server.start()
    asyncio.run(views(server.url, ("main page", "", "", ""), 1, {}, ""))  # the first run resolves no deep link
    return server


def measure_pages(env: dict, tmp: Path, n: int, token: str, case: str) -> dict[str, dict]:
    server = started(AppServer(server_env(env), tmp))
    try:
        return {p[0]: cpu_per_view(server, p, n, {"sop_sesi": token}, case) for p in PAGES}
    finally:
        server.stop()


def measure_bare(tmp: Path, n: int) -> dict[str, dict]:
    out = {}
    for label, options in (("Streamlit's defaults", STREAMLIT_DEFAULTS), ("the app's settings", ())):
        server = started(AppServer({}, tmp, script="bench/bare_table_page.py", options=options))
        try:
            out[label] = cpu_per_view(server, BARE, n, {})
        finally:
            server.stop()
    return out


async def visitors(base: str, users: int, seconds: float, token: str, case: str) -> int:
    """``users`` visitors, each with its own affinity key, opening the five pages in turn."""
    done = 0
    deadline = time.monotonic() + seconds

    async def visitor(i: int) -> None:
        nonlocal done
        viewer = Viewer(base, {"sop_sesi": token, "sop_server": secrets.token_hex(8)})
        k = i
        try:
            while time.monotonic() < deadline:
                _, address, query, _ = PAGES[k % len(PAGES)]
                shown = await viewer.view(address, query.format(case=case))
                if shown.exceptions:
                    raise AssertionError(f"/{address}: an exception")
                if time.monotonic() < deadline:
                    done += 1
                k += 1
        finally:
            await viewer.close()

    await asyncio.gather(*(visitor(i) for i in range(users)))
    return done


def throughput(servers: list[AppServer], users: int, seconds: float, token: str, case: str) -> dict:
    from tests.nginx_server import Nginx

    nginx = Nginx([f"127.0.0.1:{s.port}" for s in servers]).start()
    try:
        asyncio.run(visitors(nginx.url, users, min(8.0, seconds / 4), token, case))  # warm every server
        before = [cpu_seconds(s.proc.pid) for s in servers]
        mine, wall, load = time.process_time(), time.monotonic(), os.getloadavg()[0]
        count = asyncio.run(visitors(nginx.url, users, seconds, token, case))
        wall = time.monotonic() - wall
        shares = [(cpu_seconds(s.proc.pid) - b) / wall for s, b in zip(servers, before, strict=True)]
        return {"views": count, "views_per_s": count / wall, "seconds": wall, "server_cpu_share": shares,
                "generator_cpu_share": (time.process_time() - mine) / wall,
                "load_average": max(load, os.getloadavg()[0])}
    finally:
        nginx.stop()


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--views", type=int, default=20)
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--seconds", type=float, default=40)
    ap.add_argument("--users", type=int, default=8)
    args = ap.parse_args(argv)

    from data_access.duckdb_store import DuckDBRepository
    from data_access.postgres_store import PostgresRepository
    from domain.calendar import clock_from, set_clock
    from tests.postgres_server import fresh_schema, server as postgres

    set_clock(clock_from(TEST_NOW))  # the bench's stores and sessions on the servers' clock (tests.clock)
    figures: dict = {"views": args.views, "cases": args.cases}
    with tempfile.TemporaryDirectory(prefix="sop-bench-cpu-") as tmp_name, postgres() as pg:
        tmp = Path(tmp_name)
        figures["bare"] = measure_bare(tmp, args.views)

        stores = {}
        demo = DuckDBRepository(tmp / "demo.duckdb")
        demo.init()
        stores["demo data, DuckDB"] = ({"SOP_DUCKDB_PATH": str(tmp / "demo.duckdb")}, *demo_store(demo))
        demo.close()
        large = DuckDBRepository(tmp / "large.duckdb", keep_open=True)
        large.init()
        stores[f"{args.cases:,} cases, DuckDB"] = ({"SOP_DUCKDB_PATH": str(tmp / "large.duckdb")},
                                                   *large_store(large, args.cases))
        large.close()
        with fresh_schema(pg) as url:
            shared = PostgresRepository(url)
            shared.init()
            token, case = demo_store(shared)
            shared.close()
            env = {"SOP_BACKEND": "postgres", "SOP_POSTGRES_URL": url, "SOP_CLIENT_ADDRESS_HEADER": "X-Real-IP"}
            stores["demo data, PostgreSQL"] = (env, token, case)
            figures["pages"] = {name: measure_pages(e, tmp, args.views, t, c) for name, (e, t, c) in stores.items()}

            servers = [started(AppServer(server_env(env), tmp)) for _ in range(2)]
            try:
                figures["one_server"] = throughput(servers[:1], args.users, args.seconds, token, case)
                figures["two_servers"] = throughput(servers, args.users, args.seconds, token, case)
            finally:
                for s in servers:
                    s.stop()
    report(figures)
    return figures


def report(f: dict) -> None:
    defaults, ours = f["bare"]["Streamlit's defaults"]["cpu_ms"], f["bare"]["the app's settings"]["cpu_ms"]
    print(f"\nserver CPU per page view (ms; {f['views']} views of each after 3 warm-up views; signed in as the Karo)")
    print(f"  bare page with a table, Streamlit's default settings: {defaults:6.1f}")
    print(f"  bare page with a table, the app's settings:           {ours:6.1f}")
    for store, pages in f["pages"].items():
        print(f"\n  {store:<28} {'CPU ms':>7} {'× bare (defaults)':>18} {'× bare (same settings)':>23} {'wall ms':>8}")
        for page, m in pages.items():
            print(f"  {page:<28} {m['cpu_ms']:7.1f} {m['cpu_ms'] / defaults:18.2f} {m['cpu_ms'] / ours:23.2f} "
                  f"{m['wall_ms']:8.0f}")
    one, two = f["one_server"], f["two_servers"]
    print("\npage views per second, the five pages in turn, PostgreSQL (demo data), through nginx:")
    for label, m in (("one server", one), ("two servers", two)):
        shares = " + ".join(f"{s * 100:.0f}%" for s in m["server_cpu_share"])
        print(f"  {label:<12} {m['views_per_s']:6.1f} views/s ({m['views']} in {m['seconds']:.0f} s); server CPU "
              f"{shares} of a core, load generator {m['generator_cpu_share'] * 100:.0f}%, "
              f"load average {m['load_average']:.1f}")
    print(f"  two servers / one: {two['views_per_s'] / one['views_per_s']:.2f}× (machine: {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
