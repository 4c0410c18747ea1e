"""Bounded load run: concurrent headless Chromium sessions doing the staff and complaint flows
against `streamlit run app.py` on localhost. Prints median and 95th percentile time per page and
every error. Stops by itself after the given duration.

    .venv/bin/python -m bench.load_run --sessions 20 --seconds 90

It starts its own app on a temp DuckDB file unless --url is given."""
from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, DEMO_PASSWORD, AppServer  # noqa: E402

RAMP_UP_SECONDS = 2.0
RENDERED = ("() => { const s = document.querySelector('[data-testid=\"stStatusWidget\"]');"
            " return !s || !s.innerText.includes('Running'); }")


@dataclass
class Results:
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    actions: int = 0

    def add(self, name: str, seconds: float) -> None:
        self.times.setdefault(name, []).append(seconds)


async def _settle(page, text: str | None) -> None:
    await page.wait_for_selector('[data-testid="stAppViewContainer"]')
    if text:
        await page.get_by_text(text, exact=False).first.wait_for()
    await page.wait_for_function(RENDERED)
    if await page.locator('[data-testid="stException"]').count():
        raise RuntimeError("exception box shown")


async def visit(page, base: str, path: str, text: str | None, results: Results, name: str) -> None:
    t = time.perf_counter()
    await page.goto(f"{base}/{path}")
    await _settle(page, text)
    results.add(name, time.perf_counter() - t)


async def sign_in(page, base: str, username: str, results: Results) -> None:
    await visit(page, base, "masuk", "Nama pengguna", results, "masuk")
    await page.get_by_label("Nama pengguna").fill(username)
    await page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    t = time.perf_counter()
    await page.get_by_role("button", name="Masuk").click()
    await page.get_by_text("Masuk sebagai").first.wait_for()
    # The sign-in reaches other addresses through a cookie the page sets by script; opening another
    # address before that script ran would open it signed out.
    for _ in range(600):
        if any(c["name"] == "sop_sesi" for c in await page.context.cookies()):
            break
        await asyncio.sleep(0.1)
    else:
        raise RuntimeError("the sign-in cookie was never set")
    results.add("masuk (kirim)", time.perf_counter() - t)


async def staff_flow(page, base: str, results: Results, n: int) -> None:
    await visit(page, base, "kasus", "Daftar Kasus", results, "daftar kasus")
    await visit(page, base, "dasbor", None, results, "dasbor")
    await visit(page, base, "kotak-pengaduan", None, results, "kotak pengaduan")


async def complaint_flow(page, base: str, results: Results, n: int) -> None:
    await visit(page, base, "pengaduan", "Sampaikan Pengaduan", results, "formulir pengaduan")
    await page.get_by_label("Unit kerja").click()
    await page.keyboard.type("Biro Umum")
    await page.get_by_role("option", name=re.compile("^Biro Umum")).first.click()
    await page.wait_for_function(RENDERED)
    await page.get_by_role("textbox", name="Nama", exact=True).fill(f"Penguji beban {n}")
    await page.get_by_role("textbox", name="Email", exact=True).fill(f"beban{n}@setneg.go.id")
    await page.get_by_role("textbox", name="Pokok masalah").fill(f"Uji beban {n}")
    await page.get_by_role("textbox", name="Uraian").fill("Pengaduan dari uji beban.")
    t = time.perf_counter()
    await page.get_by_role("button", name="Kirim", exact=True).click()
    text = await page.get_by_text("Terima kasih").first.inner_text()
    if not re.search(r"ADU-\d{4}-\d{4}", text):
        raise RuntimeError("no receipt number after filing")
    results.add("pengaduan (kirim)", time.perf_counter() - t)
    await visit(page, base, "status-pengaduan", None, results, "status pengaduan")
    await visit(page, base, "beranda", "Prosedur", results, "beranda")


async def session(browser, base: str, index: int, deadline: float, results: Results) -> None:
    """Even sessions are staff signed in once; odd ones are complainants. Every page.goto opens a
    new Streamlit session, so one browser context serves all rounds (and keeps its HTTP cache)."""
    staff = index % 2 == 0
    context = page = None
    await asyncio.sleep(index * RAMP_UP_SECONDS)  # people arrive one after another, not all in one instant
    try:
        n = 0
        while time.monotonic() < deadline:
            if page is None:
                context = await browser.new_context(viewport={"width": 1280, "height": 900})
                page = await context.new_page()
                page.set_default_timeout(180_000)
                if staff:
                    await sign_in(page, base, ["staf1", "staf2", "kasubbag", "kabag"][index // 2 % 4], results)
            await (staff_flow if staff else complaint_flow)(page, base, results, index * 1000 + n)
            results.actions += 1
            n += 1
    except Exception as exc:  # noqa: BLE001 - every error is counted and printed
        where = ""
        try:
            where = f" at {page.url}: " + " | ".join(
                (await page.locator('[data-testid="stMain"]').inner_text(timeout=5000)).split("\n")[:6])[:300]
            await page.screenshot(path=os.path.join(tempfile.gettempdir(), f"load-error-{index}.png"))
        except Exception:  # noqa: BLE001 - the page may be gone
            pass
        results.errors.append(f"session {index}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}{where}")
    finally:
        if context:
            await context.close()


async def run(base: str, sessions: int, seconds: float) -> Results:
    from playwright.async_api import async_playwright

    results = Results()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # Streamlit's very first run after a start resolves a deep link before app.py's navigation
        # exists; one visit to the main page first, as the browser tests do.
        warm = await browser.new_context()
        wp = await warm.new_page()
        await wp.goto(base)
        await wp.locator('[data-testid="stSidebarNav"]').get_by_text("Beranda").wait_for(timeout=120_000)
        await warm.close()
        deadline = time.monotonic() + seconds
        await asyncio.gather(*(session(browser, base, i, deadline, results) for i in range(sessions)))
        await browser.close()
    return results


def summary(results: Results) -> list[dict]:
    rows = []
    for name, times in sorted(results.times.items()):
        times = sorted(times)
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
        rows.append({"page": name, "n": len(times), "median_s": round(statistics.median(times), 2),
                     "p95_s": round(p95, 2)})
    return rows


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=90)
    ap.add_argument("--url")
    args = ap.parse_args(argv)
    server = None
    with tempfile.TemporaryDirectory() as tmp:
        if args.url:
            base = args.url.rstrip("/")
        else:
            server = AppServer({"SOP_BACKEND": "duckdb", "SOP_DUCKDB_PATH": os.path.join(tmp, "load.duckdb"),
                                "SOP_ATTACHMENTS_DIR": os.path.join(tmp, "att"), "SOP_DEMO_PASSWORD": DEMO_PASSWORD},
                               Path(tmp)).start()
            base = server.url
        try:
            results = asyncio.run(run(base, args.sessions, args.seconds))
        finally:
            if server:
                server.stop()
    rows = summary(results)
    print(f"load run: {args.sessions} sessions, {args.seconds:.0f} s, {results.actions} flows, "
          f"{len(results.errors)} errors")
    for r in rows:
        print(f"  {r['page']:<22} n={r['n']:<5} median {r['median_s']:.2f} s   p95 {r['p95_s']:.2f} s")
    for e in results.errors:
        print("  ERROR", e)
    return {"sessions": args.sessions, "flows": results.actions, "errors": len(results.errors), "pages": rows}


if __name__ == "__main__":
    main()
