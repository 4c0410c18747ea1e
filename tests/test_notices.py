"""Which notices are due: domain.notices decides from plain records, a calendar and a fixed instant,
without a store or a relay. The world is tests/notice_world.py (Monday 7 December 2026 09:00 WIB)."""
from __future__ import annotations

import ast
import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from data_access.frames import typed_frame
from domain import notices as nt
from domain import tracker
from domain.errors import ValidationError
from domain.notice_mail import compose, one_line
from tests import notice_world as world

ROOT = Path(__file__).resolve().parent.parent


def data(**changes) -> nt.NoticeData:
    recs = world.records()
    recs.update(changes)
    fields = {f.name for f in dataclasses.fields(nt.NoticeData)}
    return nt.NoticeData(**{k: v for k, v in recs.items() if k in fields})


def due(d: nt.NoticeData | None = None, now: dt.datetime = world.NOW) -> list[nt.Notice]:
    return nt.due_notices(d or data(), world.CAL, now)


def pairs(notices) -> list[tuple[str, str]]:
    return sorted((n.kind, n.to.email) for n in notices)


def sent(notices, status="terkirim") -> list[dict]:
    return [{"id": n.key, "status": status} for n in notices]


def test_the_world_at_monday_nine_gets_exactly_the_mails_its_rules_name():
    assert pairs(due()) == world.EXPECTED


def test_the_domain_module_imports_nothing_from_the_layers_around_it():
    for name in ("notices.py", "notice_mail.py"):
        tree = ast.parse((ROOT / "domain" / name).read_text())
        imported = {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        imported |= {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert not imported & {"data_access", "ui", "screens", "reports", "mailer", "streamlit", "smtplib"}, name


@pytest.mark.parametrize("now", [world.at(25, 9), world.at(24, 10), world.at(26, 10), world.at(27, 10),
                                 world.at(7, 7, 29), world.at(7, 16, 1)],
                         ids=["christmas", "christmas-eve-leave", "saturday", "sunday", "before-office",
                              "after-office"])
def test_nothing_is_due_outside_working_time(now):
    assert not nt.may_send(world.CAL, now) and due(now=now) == []


def test_a_naive_instant_is_refused():
    with pytest.raises(ValidationError):
        nt.may_send(world.CAL, dt.datetime(2026, 12, 7, 9, 0))


def test_a_notice_claimed_sent_or_failed_is_not_due_again_but_a_deferred_one_is():
    first = due()
    for status in ("klaim", "terkirim", "gagal"):
        assert due(data(notices=sent(first, status))) == []
    deferred = due(data(notices=sent(first[:3], "tunda") + sent(first[3:])))
    assert [n.key for n in deferred] == [n.key for n in first[:3]]


def test_keys_name_kind_record_instant_and_recipient_so_a_reopened_step_is_news_again():
    first = {n.key for n in due()}
    recs = world.records()
    recs["step_events"][0] = {**recs["step_events"][0], "started_at": world.at(7, 8)}  # 3.b reopened this morning
    again = due(data(step_events=recs["step_events"], notices=[{"id": k, "status": "terkirim"} for k in first]))
    assert pairs(again) == [("langkah_mulai", world.EMAIL["unit1"])]
    assert again[0].key == f"langkah_mulai|CASE-1-3.b|{world.at(7, 8).astimezone(dt.UTC).isoformat()}|acc-unit1"


def test_news_older_than_three_working_days_is_not_sent_but_lateness_still_is():
    later = world.at(14, 9)  # a week on: every start, delegation and decision is old news
    kinds = {n.kind for n in due(now=later)}
    assert not kinds & {"langkah_mulai", "pengaduan_didelegasikan", "pengaduan_ditugaskan", "usulan_diputuskan",
                        "pengaduan_tanda_terima", "pengaduan_jawaban"}
    assert ("langkah_terlambat", world.EMAIL["staf1"]) in pairs(due(now=later))  # case 3's 5.a.1 is now late


def test_a_held_case_gets_no_step_notices_even_when_its_step_was_late():
    assert not [n for n in due() if n.entity_id == "CASE-4-1.b"]
    recs = world.records()
    recs["cases"][3]["status"] = "aktif"
    resumed = due(data(cases=recs["cases"]))
    assert ("langkah_terlambat", world.EMAIL["kabag"]) in pairs(n for n in resumed if n.entity_id == "CASE-4-1.b")


def test_a_step_shorter_than_a_working_day_gets_its_start_notice_but_no_due_soon_reminder():
    recs = world.records()
    ev = recs["step_events"][1]  # case 2's 1.b: 30 minutes
    recs["step_events"][1] = {**ev, "started_at": world.at(7, 8, 45), "due_at": world.at(7, 9, 15)}
    mine = [n for n in due(data(step_events=recs["step_events"])) if n.entity_id == "CASE-2-1.b"]
    assert pairs(mine) == [("langkah_mulai", world.EMAIL["kabag"])]


def test_whose_clock_a_staff_step_is_the_pic_else_the_kasubbag_and_a_deputy_step_reaches_the_pic():
    people = nt.People(world.records()["accounts"])
    case = world.records()["cases"][1]
    staff_step = tracker.cat.STEP_BY_CODE["2.a.2"]
    assert [a["username"] for a in nt.clock_holders(staff_step, case, people)] == ["staf2"]
    assert [a["username"] for a in nt.clock_holders(staff_step, {**case, "pic_id": None}, people)] == ["kasubbag"]
    assert [a["username"] for a in nt.clock_holders(staff_step, {**case, "pic_id": "EX-KABAG"}, people)] == [
        "kasubbag"]
    deputy = tracker.cat.STEP_BY_CODE["2.b.2.f"]
    assert nt.clock_holders(deputy, case, people) == []
    assert [a["username"] for a in nt.step_watchers(deputy, case, people)] == ["staf2"]
    unit_step = tracker.cat.STEP_BY_CODE["5.a.3"]
    assert [a["username"] for a in nt.clock_holders(unit_step, {**case, "unit_ids": ["UNIT-A", "UNIT-B"]},
                                                    people)] == ["unit1"]


def test_a_complaint_is_the_karos_until_delegated_then_the_kabags_and_those_he_assigned():
    people = nt.People(world.records()["accounts"])
    c1, c2 = world.records()["complaints"][:2]
    assert [a["username"] for a in nt.complaint_handlers(c1, people)] == ["karo"]
    assert [a["username"] for a in nt.complaint_handlers(c2, people)] == ["kabag", "kasubbag"]


def test_an_account_without_email_inactive_or_with_the_kind_turned_off_gets_nothing():
    recs = world.records()
    for a in recs["accounts"]:
        if a["username"] == "unit1":
            a["notices_off"] = ["langkah_mulai"]
        if a["username"] == "karo":
            a["email"] = None
    got = pairs(due(data(accounts=recs["accounts"])))
    assert ("langkah_mulai", world.EMAIL["unit1"]) not in got and ("usulan_diputuskan", world.EMAIL["unit1"]) in got
    assert not [p for p in got if p[1] in (world.EMAIL["karo"], world.EMAIL["old"], world.EMAIL["admin"])]


def test_the_daily_digest_is_skipped_on_a_quiet_day_and_the_weekly_one_is_sent_once_a_week():
    quiet = data(cases=[], step_events=[], complaints=[], proposals=[])
    assert pairs(due(quiet)) == [("ringkasan_mingguan", world.EMAIL["pimpinan"])]
    weekly = [n for n in due() if n.kind == "ringkasan_mingguan"]
    tuesday = due(data(notices=sent(weekly)), now=world.at(8, 9))
    assert not [n for n in tuesday if n.kind == "ringkasan_mingguan"]
    next_monday = due(data(notices=sent(weekly)), now=world.at(14, 9))
    weekly_keys = [n.key for n in next_monday if n.kind == "ringkasan_mingguan"]
    assert weekly_keys == ["ringkasan_mingguan|2026-W51|-|acc-pimpinan"]


def test_the_digest_lists_late_what_the_case_list_calls_late():
    d = data()
    steps = nt.running_steps(d, world.CAL, world.NOW)
    digest = nt.build_digest("ringkasan_harian", d, steps, world.CAL, world.NOW)
    frames = {"cases": typed_frame("cases", list(d.cases)), "units": typed_frame("units", list(d.units)),
              "organisations": typed_frame("organisations", [{"id": "ORG-1", "name": "Setmen"}]),
              "executors": typed_frame("executors", list(d.executors))}
    summary = tracker.case_summary(frames, list(d.step_events), world.CAL, world.NOW)
    late_in_list = set(summary[summary["late"] & (summary["status"] == "aktif")]["number"])
    assert {f["number"] for f in digest.overdue_steps} == late_in_list == {"K-2026-0002"}
    assert [f["number"] for f in digest.due_steps] == ["K-2026-0003"]
    assert [f["receipt_no"] for f in digest.overdue_complaints] == ["ADU-2026-0004"]
    assert [f["receipt_no"] for f in digest.due_complaints] == ["ADU-2026-0002", "ADU-2026-0001"]
    assert [f["receipt_no"] for f in digest.new_complaints] == ["ADU-2026-0001"]
    assert (digest.active_cases, digest.late_cases, digest.complaints_open, digest.complaints_overdue) == (3, 1, 3, 1)


def test_each_role_is_offered_its_own_kinds():
    assert nt.kinds_for(["Pimpinan"]) == ("ringkasan_mingguan",)
    assert nt.kinds_for(["Unit"]) == ("langkah_mulai", "langkah_jatuh_tempo", "langkah_terlambat", "usulan_diputuskan")
    assert "ringkasan_harian" in nt.kinds_for(["Kabag"]) and "pengaduan_ditugaskan" not in nt.kinds_for(["Kabag"])
    assert nt.kinds_for(["Admin"]) == ()


def test_choices_are_stored_as_the_kinds_turned_off_and_a_wrong_choice_changes_nothing():
    account = {"roles": ["Kabag"], "notices_off": None, "mail_lang": None}
    keep = [k for k in nt.kinds_for(["Kabag"]) if k != "ringkasan_harian"]
    assert nt.preference_changes(account, keep, "en") == {"notices_off": ["ringkasan_harian"], "mail_lang": "en"}
    assert nt.preference_changes(account, nt.kinds_for(["Kabag"]), "id") == {}
    with pytest.raises(ValidationError) as bad:
        nt.preference_changes(account, ["ringkasan_mingguan"], "id")
    assert bad.value.field == "notices" and "ringkasan_mingguan" in bad.value.message
    with pytest.raises(ValidationError) as lang:
        nt.preference_changes(account, keep, "fr")
    assert lang.value.field == "mail_lang"


def test_a_subject_never_carries_a_line_break_and_stays_short():
    recs = world.records()
    recs["cases"][0]["title"] = "Baris satu\r\nBcc: semua@example.go.id\n" + "x" * 400
    mail = compose(next(n for n in due(data(cases=recs["cases"])) if n.entity_id == "CASE-1-3.b"), world.BASE_URL)
    assert "\n" not in mail.subject and "\r" not in mail.subject and len(mail.subject) <= 160
    assert one_line("a\nb") == "a b"
