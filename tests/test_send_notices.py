"""`python -m cli.send_notices` as the scheduler runs it: a subprocess on a real DuckDB file,
sending through a real SMTP server (aiosmtpd) started here, whose received messages are read back.
Every run passes ``--now``: no test reads the clock."""
from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from data_access.duckdb_store import DuckDBRepository
from domain.calendar import JAKARTA
from tests import notice_world as world
from tests.smtp_relay import LocalRelay

ROOT = Path(__file__).resolve().parent.parent
MONDAY = world.NOW.isoformat()


@pytest.fixture
def store(tmp_path) -> Path:
    path = tmp_path / "store.duckdb"
    repo = DuckDBRepository(path)
    repo.init()
    world.load(repo)
    repo.close()
    return path


@pytest.fixture
def relay(tmp_path):
    with LocalRelay(tmp_path) as r:
        yield r


def env_for(tmp_path: Path, store: Path, relay: LocalRelay | None, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOP_SMTP", "SOP_MAIL"))}
    env.update({"SOP_BACKEND": "duckdb", "SOP_DUCKDB_PATH": str(store), "SOP_SECRETS_FILE": str(tmp_path / "none.toml"),
                "SOP_BASE_URL": world.BASE_URL, "SOP_MAIL_FROM": world.SENDER, "PYTHONPATH": str(ROOT)})
    if relay is not None:
        env.update(relay.env())
    env.update(extra)
    return env


def send(tmp_path, store, relay, *args, **extra) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cli.send_notices", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env=env_for(tmp_path, store, relay, **extra))


def stored(store: Path) -> dict[str, dict]:
    repo = DuckDBRepository(store)
    try:
        return {n["id"]: n for n in repo.list("notices")}
    finally:
        repo.close()


def kinds_and_recipients(messages) -> list[tuple[str, str]]:
    return sorted((m.kind, m.to) for m in messages)


def test_the_command_sends_each_due_notice_to_the_right_person_with_its_subject_and_link(tmp_path, store, relay):
    done = send(tmp_path, store, relay, "--now", MONDAY)
    assert done.returncode == 0, done.stderr
    got = relay.messages()
    assert kinds_and_recipients(got) == world.EXPECTED
    by = {(m.kind, m.to): m for m in got}

    started = by[("langkah_mulai", world.EMAIL["unit1"])]
    assert started.subject == "[SOP Tracker] Langkah 3.b kasus K-2026-0001 kini giliran Unit kerja (pihak luar)"
    assert f"{world.BASE_URL}/detail-kasus?id=CASE-1" in started.text
    assert f'href="{world.BASE_URL}/detail-kasus?id=CASE-1"' in started.html
    assert started.message["From"] == world.SENDER and started.mail_from == "sop-tracker@setneg.example.go.id"

    overdue = by[("langkah_terlambat", world.EMAIL["kabag"])]  # kabag reads English
    assert overdue.subject == ("[SOP Tracker] Overdue: step 1.b of case K-2026-0002 was due "
                               "3 December 2026 10.30 WIB")
    assert "Dear Kabag Uji," in overdue.text and "/detail-kasus?id=CASE-2" in overdue.text
    assert ("langkah_terlambat", world.EMAIL["staf2"]) not in by  # staf2 turned that kind off

    delegated = by[("pengaduan_didelegasikan", world.EMAIL["kabag"])]
    assert delegated.subject == "[SOP Tracker] Complaint ADU-2026-0002 delegated to you"
    assert f"{world.BASE_URL}/kotak-pengaduan?nomor=ADU-2026-0002" in delegated.text

    receipt = by[("pengaduan_tanda_terima", world.EMAIL["complainant"])]
    assert receipt.subject == "[SOP Tracker] Tanda terima pengaduan ADU-2026-0001"
    assert "14 Desember 2026" in receipt.text and f"{world.BASE_URL}/status-pengaduan" in receipt.text
    assert "/masuk" not in receipt.text  # no account page for someone without an account

    declined = by[("usulan_diputuskan", world.EMAIL["unit1"])]
    assert declined.subject == "[SOP Tracker] Usulan USL-2026-0001 ditolak"
    assert world.HOSTILE_REASON in declined.text and f"{world.BASE_URL}/usulan" in declined.text

    daily = by[("ringkasan_harian", world.EMAIL["karo"])]
    assert daily.subject.startswith("[SOP Tracker] Ringkasan harian 7 Desember 2026: 2 terlambat")
    assert "K-2026-0002" in daily.text and "ADU-2026-0004" in daily.text and "K-2026-0004" not in daily.text
    weekly = by[("ringkasan_mingguan", world.EMAIL["pimpinan"])]
    assert weekly.subject == "[SOP Tracker] Ringkasan mingguan SOP Tracker, pekan 2026-W50"
    assert f"{world.BASE_URL}/dasbor" in weekly.text

    for m in got:  # every mail: plain text and HTML, an auto-submitted marker, one recipient
        assert m.message.is_multipart() and m.text.strip() and m.html.strip()
        assert m.message["Auto-Submitted"] == "auto-generated" and len(m.rcpt_tos) == 1
    rows = stored(store)
    assert len(rows) == 16 and {r["status"] for r in rows.values()} == {"terkirim"}
    assert all(r["sent_at"] == world.NOW and r["claimed_at"] == world.NOW for r in rows.values())
    assert "16 terkirim, 0 gagal" in done.stdout


def test_a_second_run_sends_nothing_again(tmp_path, store, relay):
    assert send(tmp_path, store, relay, "--now", MONDAY).returncode == 0
    first = len(relay.messages())
    again = send(tmp_path, store, relay, "--now", world.at(7, 9, 30).isoformat())
    assert again.returncode == 0, again.stderr
    assert first == 16 and len(relay.messages()) == 16
    assert "0 terkirim" in again.stdout
    assert len({m.message["Message-ID"] for m in relay.messages()}) == 16


def test_a_run_killed_while_the_relay_holds_a_message_never_resends_it(tmp_path, store, relay):
    relay.hold_at = 3  # the relay has the third message but has not answered yet
    proc = subprocess.Popen([sys.executable, "-m", "cli.send_notices", "--now", MONDAY], cwd=ROOT,
                            env=env_for(tmp_path, store, relay), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert relay.holding.wait(60), "the command never reached the third message"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    finally:
        relay.release.set()
        if proc.poll() is None:
            proc.kill()
    held = relay.messages()[2]
    rows = stored(store)
    statuses = collections.Counter(r["status"] for r in rows.values())
    assert statuses == {"terkirim": 2, "klaim": 1}, "claimed before sending, confirmed after: the third stays claimed"
    claimed = next(r for r in rows.values() if r["status"] == "klaim")
    assert claimed["recipient"] == held.to and claimed["subject"] == held.subject

    again = send(tmp_path, store, relay, "--now", world.at(7, 9, 15).isoformat())
    assert again.returncode == 0, again.stderr
    got = relay.messages()
    ids = collections.Counter(m.message["Message-ID"] for m in got)
    assert max(ids.values()) == 1, "no notice reached the relay twice"
    assert kinds_and_recipients(got) == world.EXPECTED  # everything else went out on the next run
    assert "1 klaim lama belum terkonfirmasi" in again.stdout and held.to in again.stdout
    assert collections.Counter(r["status"] for r in stored(store).values()) == {"terkirim": 15, "klaim": 1}


@pytest.mark.parametrize("when", [world.at(25, 9), world.at(26, 10), world.at(7, 6, 30), world.at(7, 16, 30)],
                         ids=["christmas", "saturday", "before-office", "after-office"])
def test_nothing_is_sent_or_recorded_on_a_holiday_a_weekend_or_outside_office_hours(tmp_path, store, relay, when):
    done = send(tmp_path, store, relay, "--now", when.isoformat())
    assert done.returncode == 0, done.stderr
    assert relay.messages() == [] and stored(store) == {}
    assert "di luar jam kerja" in done.stdout


def test_after_christmas_the_digest_comes_on_the_next_working_day(tmp_path, store, relay):
    for when in (world.at(24, 9), world.at(25, 9), world.at(26, 9), world.at(27, 9)):  # leave, holiday, weekend
        assert send(tmp_path, store, relay, "--now", when.isoformat()).returncode == 0
    assert relay.messages() == []
    assert send(tmp_path, store, relay, "--now", world.at(28, 8).isoformat()).returncode == 0
    digests = [m for m in relay.messages() if m.kind == "ringkasan_harian"]
    assert sorted(m.to for m in digests) == [world.EMAIL["kabag"], world.EMAIL["karo"]]
    assert any("28 Desember 2026" in m.subject for m in digests)
    assert [m.kind for m in relay.messages() if m.kind.startswith("langkah_mulai")] == []  # old news stays old


class _Markup(HTMLParser):
    """Every tag and attribute of an HTML part."""

    def __init__(self):
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            self.attrs.add(name)
            if name == "href":
                self.hrefs.append(value)


def test_hostile_user_text_stays_inert_in_the_html_part_of_every_mail(tmp_path, store, relay):
    assert send(tmp_path, store, relay, "--now", MONDAY).returncode == 0
    carrying = 0
    for m in relay.messages():
        markup = _Markup()
        markup.feed(m.html)
        assert markup.tags <= {"html", "head", "meta", "body", "p", "table", "tr", "th", "td", "h3", "ul", "li", "a",
                               "hr"}, m.subject
        assert markup.attrs <= {"lang", "charset", "style", "cellpadding", "align", "href"}, m.subject
        assert all(h.startswith(world.BASE_URL + "/") for h in markup.hrefs), m.subject
        for raw in ("<script", "<img", "<iframe", "<svg", '"><b>', 'href="javascript', "<a href=\"javascript"):
            assert raw not in m.html, (raw, m.subject)
        if any(h in m.text for h in (world.HOSTILE_TITLE, world.HOSTILE_SUBJECT, world.HOSTILE_ANSWER,
                                     world.HOSTILE_REASON, world.HOSTILE_INSTRUCTION)):
            carrying += 1
            assert "&lt;" in m.html  # shown, escaped, not dropped
    assert carrying >= 6  # started, overdue/due of case 1's title, receipt, answer, decision, delegation, digests
    receipt = next(m for m in relay.messages() if m.kind == "pengaduan_tanda_terima")
    assert "&lt;img src=x onerror=alert(1)&gt; Draf tidak diterima" in receipt.html
    assert "&quot;&gt;&lt;b&gt;Budi&lt;/b&gt; Santoso" in receipt.html


def test_mail_is_off_by_default_and_a_run_then_sends_and_records_nothing(tmp_path, store, relay):
    done = send(tmp_path, store, relay, "--now", MONDAY, SOP_MAIL_ENABLED="")
    assert done.returncode == 0 and "tidak aktif" in done.stdout
    assert relay.messages() == [] and stored(store) == {}


def test_a_dry_run_lists_what_is_due_and_sends_and_records_nothing(tmp_path, store, relay):
    done = send(tmp_path, store, relay, "--now", MONDAY, "--dry-run")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("akan dikirim: ") == 16 and relay.messages() == [] and stored(store) == {}


def test_a_permanent_refusal_is_recorded_and_a_temporary_one_is_retried_by_the_next_run(tmp_path, store, relay):
    relay.refuse[world.EMAIL["contact"]] = "550 5.1.1 No such user"
    relay.refuse[world.EMAIL["answered"]] = "451 4.3.0 Try again later"
    done = send(tmp_path, store, relay, "--now", MONDAY)
    assert done.returncode == 0, done.stderr
    assert len(relay.messages()) == 14
    rows = {r["recipient"]: r for r in stored(store).values() if r["status"] != "terkirim"}
    assert rows[world.EMAIL["contact"]]["status"] == "gagal" and "550" in rows[world.EMAIL["contact"]]["error"]
    assert rows[world.EMAIL["answered"]]["status"] == "tunda" and "451" in rows[world.EMAIL["answered"]]["error"]

    relay.refuse.clear()
    again = send(tmp_path, store, relay, "--now", world.at(7, 10).isoformat())
    assert again.returncode == 0, again.stderr
    retried = relay.messages()[14:]
    assert [(m.kind, m.to) for m in retried] == [("pengaduan_jawaban", world.EMAIL["answered"])]
    assert {r["recipient"]: r["status"] for r in stored(store).values()}[world.EMAIL["answered"]] == "terkirim"


def test_an_unreachable_relay_fails_the_run_and_records_nothing(tmp_path, store):
    from tests.smtp_relay import free_port

    done = send(tmp_path, store, None, "--now", MONDAY, SOP_MAIL_ENABLED="true", SOP_SMTP_HOST="127.0.0.1",
                SOP_SMTP_PORT=str(free_port()), SOP_SMTP_SECURITY="none")
    assert done.returncode == 1 and "tidak dapat dihubungi" in done.stderr
    assert stored(store) == {}


def test_missing_settings_are_named_and_nothing_is_sent(tmp_path, store, relay):
    no_url = send(tmp_path, store, relay, "--now", MONDAY, SOP_BASE_URL="")
    assert no_url.returncode == 2 and "base_url" in no_url.stderr
    naive = send(tmp_path, store, relay, "--now", "2026-12-07T09:00")
    assert naive.returncode == 2 and "zona waktu" in naive.stderr
    clear_login = send(tmp_path, store, relay, "--now", MONDAY, SOP_SMTP_USERNAME="sop", SOP_SMTP_PASSWORD="x")
    assert clear_login.returncode == 2 and "tanpa enkripsi" in clear_login.stderr
    assert relay.messages() == [] and stored(store) == {}


# ---- the ministry's relay: STARTTLS and a login -------------------------------------------------

@pytest.fixture
def tls_relay(tmp_path):
    with LocalRelay(tmp_path, tls=True) as r:
        yield r


def test_starttls_and_login_deliver_through_a_relay_that_requires_both(tmp_path, store, tls_relay):
    done = send(tmp_path, store, None, "--now", MONDAY, **tls_relay.env("starttls"))
    assert done.returncode == 0, done.stderr
    assert kinds_and_recipients(tls_relay.messages()) == world.EXPECTED


def test_a_wrong_relay_password_sends_and_records_nothing(tmp_path, store, tls_relay):
    env = {**tls_relay.env("starttls"), "SOP_SMTP_PASSWORD": "salah-sekali-2026"}
    done = send(tmp_path, store, None, "--now", MONDAY, **env)
    assert done.returncode == 1 and "menolak login" in done.stderr
    assert tls_relay.messages() == [] and stored(store) == {}


def test_a_relay_certificate_that_is_not_trusted_is_refused(tmp_path, store, tls_relay):
    env = {**tls_relay.env("starttls"), "SOP_SMTP_CA_FILE": ""}  # the system's CAs do not know the test's
    done = send(tmp_path, store, None, "--now", MONDAY, **env)
    assert done.returncode == 1 and "TLS" in done.stderr
    assert tls_relay.messages() == [] and stored(store) == {}


def test_now_is_read_in_any_time_zone(tmp_path, store, relay):
    utc = world.NOW.astimezone(JAKARTA.__class__("UTC")).isoformat()  # 02:00Z is 09:00 WIB
    done = send(tmp_path, store, relay, "--now", utc)
    assert done.returncode == 0 and len(relay.messages()) == 16


# ---- Google Sheets: the same command records its notices in the spreadsheet ----------------------

def test_on_google_sheets_each_notice_is_recorded_in_the_spreadsheet_and_never_sent_twice(
        tmp_path, relay, standin, sheets_client, monkeypatch):
    from data_access.sheets_store import SheetsRepository
    from cli import send_notices

    sid = standin.create_spreadsheet("SOP Tracker")
    repo = SheetsRepository(sheets_client, sid, backoff=0.01)
    repo.init()
    world.load(repo)
    env = env_for(tmp_path, tmp_path / "unused.duckdb", relay, SOP_BACKEND="sheets", SOP_SHEETS_KEY=sid)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert send_notices.main(["--now", MONDAY], repo=repo) == 0
    assert send_notices.main(["--now", world.at(7, 9, 30).isoformat()], repo=repo) == 0
    assert kinds_and_recipients(relay.messages()) == world.EXPECTED
    header, *rows = standin.rows(sid, "notices")
    assert len(rows) == 16 and {r[header.index("status")] for r in rows} == {"terkirim"}
    assert {r[header.index("recipient")] for r in rows} == {to for _, to in world.EXPECTED}


def test_the_readme_documents_every_mail_setting_the_command_and_its_schedule():
    from data_access.config import _ENV

    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Configuration")[1].split("## Layout")[0]
    for var, (name, _) in _ENV.items():
        if name.startswith(("smtp_", "mail_", "calendar_")) or name == "base_url":
            assert f"`{name}" in table and f"`{var}" in table, name
    section = readme.split("## E-mail notices")[1].split("## Single sign-on")[0]
    assert "python -m cli.send_notices" in section and "--now" in section
    assert "*/15 * * * 1-5" in section and "OnCalendar=" in section and "[Timer]" in section
    assert "klaim" in section and "at most" in section
