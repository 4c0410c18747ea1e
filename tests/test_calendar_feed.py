"""Each person's due instants as an iCalendar feed: the same rules as the notices pick the items,
RFC 5545 text keeps user text inside its property, and the scheduled run writes one file per secret
link, removing the files of links replaced."""
from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest

from data_access.duckdb_store import DuckDBRepository
from data_access.repository import Update
from domain import notices as nt
from domain.calendar_feed import TOKEN, feed_items, ics, new_calendar_token
from domain.errors import PermissionDenied
from tests import notice_world as world
from tests.apptest_helpers import ACTORS
from tests.test_send_notices import ROOT, env_for

TOKEN_KABAG = "K" * 43
TOKEN_STAF1 = "s" * 43


def data(**changes) -> nt.NoticeData:
    recs = {**world.records(), **changes}
    return nt.NoticeData(**{k: v for k, v in recs.items() if k in {f.name for f in dataclasses.fields(nt.NoticeData)}})


def account(username: str, recs=None) -> dict:
    return next(a for a in (recs or world.records())["accounts"] if a["username"] == username)


def unfolded(text: str) -> list[str]:
    assert text.endswith("\r\n") and all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    lines: list[str] = []
    for line in text.split("\r\n")[:-1]:
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def test_a_persons_feed_holds_the_due_instants_the_notices_call_theirs():
    kabag = feed_items(data(), account("kabag"), world.CAL, world.NOW, world.BASE_URL)
    assert [(i.uid.split("-2026")[0].split("@")[0], i.due_at) for i in kabag] == [
        ("CASE-2-1.b", world.at(3, 10, 30)), ("CASE-3-5.a.1", world.at(7, 10)), ("C2", world.at(10, 16))]
    assert kabag[0].summary == "Step 1.b due: K-2026-0002 SOP Pengelolaan Arsip"  # kabag reads English
    assert kabag[2].url == f"{world.BASE_URL}/kotak-pengaduan?nomor=ADU-2026-0002"
    staf1 = feed_items(data(), account("staf1"), world.CAL, world.NOW, world.BASE_URL)
    assert [i.url.rsplit("=", 1)[1] for i in staf1] == ["CASE-3", "CASE-1"]  # the cases staf1 is PIC of
    assert feed_items(data(), account("admin"), world.CAL, world.NOW, world.BASE_URL) == []


def test_user_text_stays_inside_its_property_and_long_lines_are_folded():
    recs = world.records()
    recs["cases"][2]["title"] = "Rapat; ruang 2, lantai 3\r\nDESCRIPTION:disisipkan\nEND:VEVENT\\ " + "é" * 80
    items = feed_items(data(cases=recs["cases"]), account("staf1"), world.CAL, world.NOW, world.BASE_URL)
    lines = unfolded(ics(items, "Staf Satu", "id", world.NOW))
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 2
    assert not [line for line in lines if line.startswith("DESCRIPTION:disisipkan")]
    summary = next(line for line in lines if "Rapat" in line)
    assert summary.startswith("SUMMARY:Tenggat langkah 5.a.1 K-2026-0003 Rapat\\; ruang 2\\, lantai 3\\n"
                              "DESCRIPTION:disisipkan\\nEND:VEVENT\\\\ é")
    assert "DTEND:20261207T030000Z" in lines and "DTSTAMP:20261207T020000Z" in lines


def test_only_the_owner_makes_a_link_and_it_is_a_long_random_token():
    kabag = {**account("kabag"), "version": 1}
    token = new_calendar_token(ACTORS["kabag"], {**kabag, "id": "acc-kabag"})["calendar_token"]
    assert TOKEN.match(token) and token != new_calendar_token(ACTORS["kabag"], kabag)["calendar_token"]
    with pytest.raises(PermissionDenied):
        new_calendar_token(ACTORS["staf1"], kabag)


def set_tokens(store, tokens: dict[str, str]) -> None:
    repo = DuckDBRepository(store)
    try:
        for account_id, token in tokens.items():
            row = repo.get("accounts", account_id)
            repo.apply([Update("accounts", account_id, {"calendar_token": token}, row["version"])], actor="uji")
    finally:
        repo.close()


def test_each_run_writes_one_feed_per_link_even_with_mail_off_and_removes_replaced_ones(tmp_path):
    store = tmp_path / "store.duckdb"
    repo = DuckDBRepository(store)
    repo.init()
    world.load(repo)
    repo.close()
    set_tokens(store, {"acc-kabag": TOKEN_KABAG, "acc-staf1": TOKEN_STAF1})
    feeds = tmp_path / "kalender"
    (feeds).mkdir()
    (feeds / "README.txt").write_text("bukan umpan")

    def run(when):
        return subprocess.run([sys.executable, "-m", "cli.send_notices", "--now", when.isoformat()], cwd=ROOT,
                              capture_output=True, text=True, timeout=120,
                              env=env_for(tmp_path, store, None, SOP_CALENDAR_DIR=str(feeds)))

    done = run(world.at(26, 10))  # a Saturday, mail off: feeds are still kept current
    assert done.returncode == 0, done.stderr
    assert "2 berkas ditulis" in done.stdout and "tidak aktif" in done.stdout
    kabag = unfolded((feeds / f"{TOKEN_KABAG}.ics").read_bytes().decode())
    assert kabag.count("BEGIN:VEVENT") == 3 and "X-WR-CALNAME:SOP Tracker: due dates of Kabag Uji" in kabag

    set_tokens(store, {"acc-kabag": "N" * 43})
    assert run(world.at(28, 8)).returncode == 0
    assert sorted(p.name for p in feeds.iterdir()) == sorted(["README.txt", f"{'N' * 43}.ics", f"{TOKEN_STAF1}.ics"])
    audit = DuckDBRepository(store)
    try:
        changed = [e for e in audit.audit("accounts", "acc-kabag") if e["field"] == "calendar_token"]
    finally:
        audit.close()
    assert changed and all(e["new"] == "***" for e in changed)  # the secret never lands in the audit log
