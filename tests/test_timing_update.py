"""A store recorded under the earlier rule is brought under the current one once: meeting
administration steps keep their records under their meeting's numbering, occurrences a case had
passed are recorded as skipped (its current step never moves back), stored due instants are
recomputed, nothing is lost, and the audit log says so."""
from __future__ import annotations

import datetime as dt

from data_access.repository import prepare_insert
from domain import catalogue as cat
from domain import timing_update
from domain import tracker as trk
from domain.calendar import JAKARTA
from tests.tracker_world import CAL, populate


def j(d, h, mi=0) -> dt.datetime:
    return dt.datetime(2026, 3, d, h, mi, tzinfo=JAKARTA)


NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=JAKARTA)
AT = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def old_store(repo) -> None:
    """Case A (out of town) went through the old single administration (4.b.1.2.a–f, one batch, six
    days up front) and is at the first discussion; case B (in town) is at its old administration's
    step c."""
    populate(repo)
    cases = [{"id": "A", "number": "K-2026-0001", "title": "SOP A", "unit_ids": ["UNIT-SETMEN-1"], "track": "intern",
              "drafts": 2, "meeting_location": cat.OUT_OF_TOWN, "status": "aktif", "started_at": j(2, 8),
              "current_step": "4.b.2.a.1"},
             {"id": "B", "number": "K-2026-0002", "title": "SOP B", "unit_ids": ["UNIT-SETMEN-1"], "track": "intern",
              "drafts": 2, "meeting_location": cat.IN_TOWN, "status": "aktif", "started_at": j(2, 8),
              "current_step": "4.b.1.1.c"}]
    events = []
    for cid, codes, last in (("A", [s.code for s in cat.steps_for(cat.CaseParams(cat.INTERN, 2))
                                     if s.code < "4.b"] + [f"4.b.1.2.{c}" for c in "abcdef"], None),
                             ("B", [s.code for s in cat.steps_for(cat.CaseParams(cat.INTERN, 2)) if s.code < "4.b"]
                              + ["4.b.1.1.a", "4.b.1.1.b", "4.b.1.1.c"], "4.b.1.1.c")):
        t = j(2, 8)
        for code in codes:
            end = None if code == last else t + dt.timedelta(minutes=30)
            events.append({"id": f"{cid}-{code}", "case_id": cid, "step_code": code, "status":
                           "berjalan" if end is None else "selesai", "started_at": t, "finished_at": end,
                           "due_at": t + dt.timedelta(minutes=1), "backdated": False})
            t = end or t
        if cid == "A":
            events.append({"id": "A-4.b.2.a.1", "case_id": "A", "step_code": "4.b.2.a.1", "status": "berjalan",
                           "started_at": t, "due_at": t, "backdated": False})
    repo.import_rows("cases", [prepare_insert("cases", c, "lama", AT) for c in cases])
    repo.import_rows("step_events", [prepare_insert("step_events", e, "lama", AT) for e in events])


def test_an_old_store_is_brought_under_the_current_rule_once_and_keeps_every_record(duckdb_repo):
    old_store(duckdb_repo)
    before = {e["id"] for e in duckdb_repo.list("step_events")}
    done = timing_update.bring_up_to_date(duckdb_repo, CAL, NOW, force=True)
    assert done.renamed == 6 + 3  # A's six out-of-town steps, B's three in-town steps
    events = {e["id"]: e for e in duckdb_repo.list("step_events")}
    assert before <= set(events)  # nothing lost
    # A's old administration was for the working meetings: it is recorded before meeting 3 ...
    assert [events[f"A-4.b.1.2.{c}"]["step_code"] for c in "af"] == ["4.b.1.2.a/3", "4.b.1.2.f/3"]
    # ... and the administration before the first discussion, which A had passed, is skipped with a reason.
    added = [e for e in events.values() if e["case_id"] == "A" and e["step_code"].startswith("4.b.1.1.")]
    assert {e["step_code"] for e in added} == {f"4.b.1.1.{c}/1" for c in "abcde"}
    assert all(e["status"] == "dilewati" and "aturan waktu" in e["reason"] for e in added)
    # B's administration is the one before its first discussion; its current step stays where it was.
    assert events["B-4.b.1.1.c"]["step_code"] == "4.b.1.1.c/1"
    assert trk.load_case(duckdb_repo, "B", CAL.minutes_per_day).current_code() == "4.b.1.1.c/1"
    assert trk.load_case(duckdb_repo, "A", CAL.minutes_per_day).current_code() == "4.b.2.a.1"
    # Due instants are the rule's: B's running step carries its block's (1 day from the block's start).
    b_start = events["B-4.b.1.1.a"]["started_at"]
    assert events["B-4.b.1.1.c"]["due_at"] == CAL.add(b_start, CAL.minutes_per_day)
    entries = [e for e in duckdb_repo.audit("store") if e["action"] == "timing.recomputed"]
    assert len(entries) == 1 and "9 langkah dinomori ulang" in entries[0]["new"]
    # Done: run again, it finds nothing to change.
    again = timing_update.plan_update(duckdb_repo.frames(list(timing_update.TABLES)), CAL, NOW)
    assert (again.renamed, again.added, again.recomputed) == (0, 0, 0)


def test_opening_a_store_of_the_earlier_schema_brings_its_records_along_once(tmp_path):
    import duckdb

    from data_access.duckdb_store import DuckDBRepository

    path = tmp_path / "v2.duckdb"
    repo = DuckDBRepository(path)
    repo.init()
    old_store(repo)
    repo.close()
    with duckdb.connect(str(path)) as con:  # what version 2 of the app left
        con.execute('ALTER TABLE step_events DROP COLUMN "party"')
        con.execute("DELETE FROM schema_version WHERE version > 2")
    repo = DuckDBRepository(path)
    repo.init()
    assert timing_update.needs_update(repo)
    assert timing_update.bring_up_to_date(repo, CAL, NOW).renamed == 9
    assert timing_update.bring_up_to_date(repo, CAL, NOW) is None  # once
    repo.close()
    repo = DuckDBRepository(path)
    repo.init()  # already of this schema: nothing to bring along
    assert not timing_update.needs_update(repo)
    assert repo.get("step_events", "B-4.b.1.1.c")["step_code"] == "4.b.1.1.c/1"
    repo.close()


def test_a_new_demo_store_already_follows_the_rule(tmp_path, monkeypatch):
    from data_access.demo import load_demo
    from data_access.duckdb_store import DuckDBRepository

    monkeypatch.setenv("SOP_DEMO_PASSWORD", "Uji-Demo-2026!")
    repo = DuckDBRepository(tmp_path / "demo.duckdb")
    repo.init()
    load_demo(repo, CAL, NOW)
    assert not timing_update.needs_update(repo)  # a new store: made under the current rule
    plan = timing_update.plan_update(repo.frames(list(timing_update.TABLES)), CAL, NOW)
    assert (plan.renamed, plan.added, plan.recomputed) == (0, 0, 0)
    repo.close()
