"""Two app servers (``streamlit run app.py``) on one PostgreSQL database behind Debian's nginx, with
the README's affinity (each browser keeps to one server while it is up), driven by Chromium as
people would use them:

- twenty editors of ten cases, the two editors of each case on different servers, lose no update and
  are refused exactly as on one server: of two saves made on the same version one is kept and the
  other refused naming who saved first, and the refused person's next try is kept;
- a person signed in on server A goes on on server B, without signing in again, once A is stopped;
- fifty complaints filed through each server at once give exactly one hundred complaints, each with
  its own receipt number.

Both servers start at once (the start-up work runs on one of them at a time). These runs load the
machine: they are marked ``load`` and run alone, after the rest of the suite (README)."""
from __future__ import annotations

import asyncio
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass

import pytest

from data_access.postgres_store import PostgresRepository
from domain.models import ACTIVE
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, DEMO_PASSWORD, AppServer
from tests.nginx_server import AFFINITY_COOKIE, APP_BLOCK, SERVED_BY, Nginx

pytestmark = [pytest.mark.browser, pytest.mark.load, pytest.mark.timeout(1500)]

RENDERED = ("() => { const s = document.querySelector('[data-testid=\"stStatusWidget\"]');"
            " return !s || !s.innerText.includes('Running'); }")
SAVED, REFUSED = "Tersimpan.", "ditolak agar tidak menimpa"
EDITORS = ["staf1", "staf2", "kasubbag", "kabag", "karo"]
PAIRS = 10  # cases, each edited by two people at once
FILINGS_PER_SERVER, FILERS_PER_SERVER = 50, 10


@dataclass
class Cluster:
    a: AppServer
    b: AppServer
    nginx: Nginx
    url: str  # the database

    def address(self, server: AppServer) -> str:
        return f"127.0.0.1:{server.port}"


@pytest.fixture(scope="module")
def cluster(pg_server, tmp_path_factory):
    from tests.postgres_server import fresh_schema

    tmp = tmp_path_factory.mktemp("several-servers")
    with fresh_schema(pg_server) as url:
        env = {"SOP_BACKEND": "postgres", "SOP_POSTGRES_URL": url, "SOP_DEMO_PASSWORD": DEMO_PASSWORD,
               "SOP_CLIENT_ADDRESS_HEADER": "X-Real-IP", "SOP_ATTACHMENTS_DIR": str(tmp / "lampiran")}
        a, b = AppServer(env, tmp), AppServer(env, tmp)
        nginx = None
        try:
            started = [threading.Thread(target=s.start) for s in (a, b)]  # at once, as after a deployment
            [t.start() for t in started]
            [t.join() for t in started]
            for server in (a, b):
                assert server.proc.poll() is None, server.log()[-3000:]
            nginx = Nginx([f"127.0.0.1:{a.port}", f"127.0.0.1:{b.port}"]).start()
            in_thread(lambda: warm_up([a.url, b.url]))
            yield Cluster(a, b, nginx, url)
        finally:
            if nginx:
                nginx.stop()
            a.stop()
            b.stop()


def in_thread(make_coroutine):
    """Run an asyncio coroutine (Playwright's async API: one browser, many pages at once) in a
    thread of its own, away from any event loop of the test session; its result or its error."""
    out: dict = {}

    def run():
        try:
            out["value"] = asyncio.run(make_coroutine())
        except BaseException as exc:  # noqa: BLE001 - raised again in the test's thread
            out["error"] = exc

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if "error" in out:
        raise out["error"]
    return out["value"]


class Browser:
    def __init__(self, pw):
        self.pw = pw

    async def __aenter__(self):
        self.browser = await self.pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        return self

    async def __aexit__(self, *exc):
        await self.browser.close()

    async def page(self, key: str | None = None):
        """A new browser (its own cookies), pinned by ``key`` to the app server nginx gives it."""
        context = await self.browser.new_context(viewport={"width": 1400, "height": 1000}, locale="id-ID")
        if key:
            await context.add_cookies([{"name": AFFINITY_COOKIE, "value": key, "domain": "127.0.0.1", "path": "/"}])
        page = await context.new_page()
        page.set_default_timeout(240_000)
        return page


async def settle(page, text: str | None = None) -> None:
    await page.wait_for_selector('[data-testid="stAppViewContainer"]')
    if text:
        await page.get_by_text(text, exact=False).first.wait_for()
    await page.wait_for_function(RENDERED)
    assert await page.locator('[data-testid="stException"]').count() == 0


async def visit(page, url: str, text: str | None = None) -> str:
    """Open ``url``; the app server that answered (nginx's header), or "" when reached directly."""
    response = await page.goto(url)
    await settle(page, text)
    return (response.headers.get(SERVED_BY.lower()) or "").split(",")[-1].strip() if response else ""


async def sign_in(page, base: str, username: str) -> str:
    served = await visit(page, f"{base}/masuk", "Nama pengguna")
    await page.get_by_label("Nama pengguna").fill(username)
    await page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    await page.get_by_role("button", name="Masuk").click()
    await page.get_by_text("Masuk sebagai").first.wait_for()
    # The token reaches the browser's other requests through a cookie the page sets by script.
    await page.wait_for_function("() => document.cookie.includes('sop_sesi=')")
    return served


async def warm_up(urls: list[str]) -> None:
    """One visit to each server's main page first: Streamlit's very first run after a start resolves
    a deep link before app.py's navigation exists (README, known limitation)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw, Browser(pw) as browser:
        for url in urls:
            page = await browser.page()
            await page.goto(url)
            await page.locator('[data-testid="stSidebarNav"]').get_by_text("Beranda").wait_for(timeout=240_000)
            await page.context.close()


async def outcome(page) -> str:
    """What a save showed: the saved message, or the refusal of a save made on an old version."""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        main = await page.locator('[data-testid="stMain"]').inner_text()
        if REFUSED in main:
            return main[main.index("Data ini sudah diubah"):].split("\n")[0]
        if SAVED in main:
            return SAVED
        await asyncio.sleep(0.2)
    raise AssertionError("the save showed neither its success nor a refusal")


async def open_case_form(page, base: str, case_id: str, notes: str) -> str:
    served = await visit(page, f"{base}/detail-kasus?id={case_id}", "Langkah saat ini")
    await page.get_by_role("tab", name="Data kasus & catatan").click()
    await page.get_by_label("Catatan kasus").fill(notes)
    return served


async def save_case(page) -> str:
    await page.get_by_role("button", name="Simpan data kasus").click()
    return await outcome(page)


# ---- the scenario, on one server and on two ----------------------------------------------------

async def edit_in_pairs(bases: list[tuple[str, str | None]], case_ids: list[str], label: str) -> dict:
    """Two editors per case (editor 2k on ``bases[0]``, 2k+1 on ``bases[-1]``: a base URL and an
    affinity key), all signed in and on their case's form before anyone saves; then all save at
    once; then each refused editor reopens the case and saves again."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw, Browser(pw) as browser:
        editors = []
        for i in range(2 * len(case_ids)):
            base, key = bases[i % 2] if len(bases) == 2 else bases[0]
            editors.append({"i": i, "base": base, "page": await browser.page(key), "case": case_ids[i // 2],
                            "user": EDITORS[i % len(EDITORS)]})

        async def prepare(e):
            await sign_in(e["page"], e["base"], e["user"])
            e["served"] = await open_case_form(e["page"], e["base"], e["case"], f"{label}: penyunting {e['i']}")

        await asyncio.gather(*(prepare(e) for e in editors))  # everyone has read the case before anyone saves
        first = await asyncio.gather(*(save_case(e["page"]) for e in editors))
        refused = [e for e, shown in zip(editors, first, strict=True) if shown != SAVED]

        async def again(e):
            await open_case_form(e["page"], e["base"], e["case"], f"{label}: penyunting {e['i']} lagi")
            return await save_case(e["page"])

        second = await asyncio.gather(*(again(e) for e in refused))
        for e in editors:
            await e["page"].context.close()
    return {"editors": [(e["i"], e["case"], e["user"], e["served"]) for e in editors],
            "first": first, "refused": [e["i"] for e in refused], "second": second}


def check_pairs(url: str, result: dict, case_ids: list[str], versions: dict[str, int], label: str) -> Counter:
    """Every case: one save of the first round kept and one refused, naming who saved first; the
    refused editor's second save kept; no update lost (the audit holds both, in order)."""
    repo = PostgresRepository(url)
    shape = Counter()
    try:
        for k, case_id in enumerate(case_ids):
            pair = [2 * k, 2 * k + 1]
            shown = [result["first"][i] for i in pair]
            kept = [i for i in pair if result["first"][i] == SAVED]
            assert len(kept) == 1, (case_id, shown)
            winner, loser = kept[0], next(i for i in pair if i != kept[0])
            assert f"oleh {EDITORS[winner % len(EDITORS)]} pada" in result["first"][loser], result["first"][loser]
            assert result["second"][result["refused"].index(loser)] == SAVED
            case = repo.get("cases", case_id)
            assert case["notes"] == f"{label}: penyunting {loser} lagi" and case["version"] == versions[case_id] + 2
            notes = [(e["new"], e["version"]) for e in repo.audit("cases", case_id)
                     if e["action"] == "update" and e["field"] == "notes"]
            assert notes[-2:] == [(f"{label}: penyunting {winner}", versions[case_id] + 1),
                                  (f"{label}: penyunting {loser} lagi", versions[case_id] + 2)]
            shape.update(["kept first", "refused first", "kept again"])
    finally:
        repo.close()
    return shape


def open_cases(url: str, n: int, skip: int = 0) -> tuple[list[str], dict[str, int]]:
    repo = PostgresRepository(url)
    try:
        cases = sorted((c for c in repo.list("cases", {"status": ACTIVE}) if not c["hold_since"]),
                       key=lambda c: c["id"])
        chosen = cases[skip:skip + n]
        assert len(chosen) == n, "the demo data has too few open cases"
        return [c["id"] for c in chosen], {c["id"]: c["version"] for c in chosen}
    finally:
        repo.close()


def test_the_readme_gives_the_nginx_configuration_these_tests_run():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    snippet = APP_BLOCK.replace("{servers}", "    server 10.0.0.11:8501;\n    server 10.0.0.12:8501;")
    snippet = snippet.replace("{listen}", "80").replace("{extra}\n", "")
    assert snippet in readme


def test_twenty_editors_on_two_servers_lose_no_update_and_are_refused_exactly_as_on_one(cluster):
    one_cases, one_versions = open_cases(cluster.url, PAIRS // 2)
    two_cases, two_versions = open_cases(cluster.url, PAIRS, skip=PAIRS // 2)
    on_one = in_thread(lambda: edit_in_pairs([(cluster.a.url, None)], one_cases, "satu server"))
    key_a, key_b = cluster.nginx.key_for(cluster.address(cluster.a)), cluster.nginx.key_for(cluster.address(cluster.b))
    on_two = in_thread(lambda: edit_in_pairs([(cluster.nginx.url, key_a), (cluster.nginx.url, key_b)], two_cases,
                                             "dua server"))
    served = Counter(s for *_, s in on_two["editors"])
    assert served == {cluster.address(cluster.a): PAIRS, cluster.address(cluster.b): PAIRS}, served
    assert all(on_two["editors"][i][3] != on_two["editors"][i + 1][3] for i in range(0, 2 * PAIRS, 2)), \
        "the two editors of a case are on different servers"
    one = check_pairs(cluster.url, on_one, one_cases, one_versions, "satu server")
    two = check_pairs(cluster.url, on_two, two_cases, two_versions, "dua server")
    assert {k: v // (PAIRS // 2) for k, v in one.items()} == {k: v // PAIRS for k, v in two.items()} \
        == {"kept first": 1, "refused first": 1, "kept again": 1}


async def _file(browser, base: str, key: str, filer: int, count: int) -> list[tuple[str, str, str]]:
    page = await browser.page(key)
    out = []
    for n in range(count):
        served = await visit(page, f"{base}/pengaduan", "Sampaikan Pengaduan")
        await page.get_by_label("Unit kerja").click()
        await page.keyboard.type("Biro Umum")
        await page.get_by_role("option", name=re.compile("^Biro Umum")).first.click()
        await page.wait_for_function(RENDERED)
        subject = f"Uji dua server {filer}-{n}"
        await page.get_by_role("textbox", name="Nama", exact=True).fill(f"Pelapor {filer}")
        await page.get_by_role("textbox", name="Email", exact=True).fill(f"pelapor{filer}@setneg.go.id")
        await page.get_by_role("textbox", name="Pokok masalah").fill(subject)
        await page.get_by_role("textbox", name="Uraian").fill("Pengaduan lewat dua server sekaligus.")
        await page.get_by_role("button", name="Kirim", exact=True).click()
        text = await page.get_by_text("Terima kasih").first.inner_text()
        out.append((re.search(r"ADU-\d{4}-\d{4}", text).group(0), subject, served))
    await page.context.close()
    return out


def test_fifty_complaints_filed_through_each_server_at_once_give_one_hundred_with_their_own_receipts(cluster):
    before = PostgresRepository(cluster.url)
    known = {c["receipt_no"] for c in before.list("complaints")}
    before.close()
    keys = {cluster.address(s): cluster.nginx.key_for(cluster.address(s)) for s in (cluster.a, cluster.b)}
    per_filer = FILINGS_PER_SERVER // FILERS_PER_SERVER

    async def everyone():
        from playwright.async_api import async_playwright

        async with async_playwright() as pw, Browser(pw) as browser:
            jobs = [_file(browser, cluster.nginx.url, key, n * 2 + j, per_filer)
                    for n in range(FILERS_PER_SERVER) for j, key in enumerate(keys.values())]
            return [row for rows in await asyncio.gather(*jobs) for row in rows]

    filed = in_thread(everyone)
    assert Counter(server for *_, server in filed) == {s: FILINGS_PER_SERVER for s in keys}
    receipts = [r for r, *_ in filed]
    assert len(receipts) == 2 * FILINGS_PER_SERVER == len(set(receipts)), Counter(receipts).most_common(3)
    repo = PostgresRepository(cluster.url)
    try:
        stored = {c["receipt_no"]: c for c in repo.list("complaints") if c["receipt_no"] not in known}
    finally:
        repo.close()
    assert len(stored) == 2 * FILINGS_PER_SERVER and set(stored) == set(receipts)
    assert all(stored[r]["subject"] == subject for r, subject, _ in filed), "each receipt names its own complaint"


def test_a_person_signed_in_on_one_server_goes_on_on_the_other_when_it_stops(cluster):
    """Last in the module: it stops server A."""
    key = cluster.nginx.key_for(cluster.address(cluster.a))

    async def scenario():
        from playwright.async_api import async_playwright

        async with async_playwright() as pw, Browser(pw) as browser:
            page = await browser.page(key)
            seen = {"sign-in": await sign_in(page, cluster.nginx.url, "kabag")}
            seen["list"] = await visit(page, f"{cluster.nginx.url}/kasus", "Daftar Kasus")
            token = next(c["value"] for c in await page.context.cookies() if c["name"] == "sop_sesi")
            await asyncio.get_running_loop().run_in_executor(None, cluster.a.stop)
            # The open page loses its server, reconnects through nginx to the other and runs again.
            await page.get_by_text("Daftar Kasus").first.wait_for()
            await settle(page)
            seen["reconnected sidebar"] = await page.locator('[data-testid="stSidebar"]').inner_text()
            seen["dashboard"] = await visit(page, f"{cluster.nginx.url}/dasbor", "Dasbor")
            seen["dashboard main"] = await page.locator('[data-testid="stMain"]').inner_text()
            seen["dashboard sidebar"] = await page.locator('[data-testid="stSidebar"]').inner_text()
            seen["token after"] = next(c["value"] for c in await page.context.cookies() if c["name"] == "sop_sesi")
            seen["token"] = token
            await page.context.close()
            return seen

    seen = in_thread(scenario)
    a, b = cluster.address(cluster.a), cluster.address(cluster.b)
    assert seen["sign-in"] == seen["list"] == a
    assert seen["dashboard"] == b
    for sidebar in (seen["reconnected sidebar"], seen["dashboard sidebar"]):
        assert "Masuk sebagai" in sidebar and "Belum masuk" not in sidebar, sidebar
    assert "Anda tidak berhak" not in seen["dashboard main"] and "Nama pengguna" not in seen["dashboard main"]
    assert seen["token after"] == seen["token"], "the same sign-in, not a new one"
    repo = PostgresRepository(cluster.url)
    try:
        from domain import sign_in_sessions as ss

        row = ss.find(repo, seen["token"])
        assert row is not None and row["ended_at"] is None
        assert [e["actor"] for e in repo.audit("accounts") if e["action"] == "sign_in"].count("kabag") >= 1
    finally:
        repo.close()
