"""The Repository contract: the store's own behaviour (reads, writes, versions, audit, blanks,
dates, numbers), written once and run on every backend."""
from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest

from data_access.repository import Insert, Log, Update
from domain.errors import NotFoundError, StaleWriteError, ValidationError

JKT = ZoneInfo("Asia/Jakarta")
UTC = dt.UTC


def unit(uid="U1", name="Biro Umum", org="ORG1"):
    return {"id": uid, "org_id": org, "name": name, "active": True}


def case(cid="C1", **kw):
    base = {"id": cid, "number": "K-2026-0001", "title": "SOP Pelayanan Tamu", "org_id": "ORG1",
            "unit_ids": ["U1", "U2"], "doc_kind": "SOP", "origin": "usulan_unit", "track": "permen",
            "drafts": 12, "organisations": 1, "meeting_location": "dalam_kota", "team_decree": "menteri",
            "status": "aktif", "current_step": "1.a", "target_date": dt.date(2026, 12, 31),
            "started_at": dt.datetime(2026, 3, 2, 8, 15, 30, 123456, tzinfo=JKT)}
    base.update(kw)
    return base


class RepositoryContract:
    """A backend's test class inherits this and provides the ``repo`` fixture: an empty,
    initialised repository of that backend."""

    # ---- empty store --------------------------------------------------------------------------
    def test_an_empty_store_has_no_rows_and_get_returns_none(self, repo):
        assert repo.count("cases") == 0
        assert repo.list("cases") == []
        assert repo.get("cases", "missing") is None
        assert repo.audit() == []
        assert len(repo.frames(["cases"])["cases"]) == 0

    def test_init_twice_is_harmless(self, repo):
        repo.apply([Insert("units", unit())], actor="ani")
        repo.init()
        assert repo.count("units") == 1

    # ---- create and read ----------------------------------------------------------------------
    def test_an_insert_is_read_back_with_version_one_and_stamps(self, repo):
        at = dt.datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
        repo.apply([Insert("cases", case())], actor="budi", at=at)
        got = repo.get("cases", "C1")
        assert got["version"] == 1
        assert got["created_by"] == "budi" and got["updated_by"] == "budi"
        assert got["created_at"] == at and got["updated_at"] == at
        assert got["unit_ids"] == ["U1", "U2"]
        assert got["drafts"] == 12 and got["target_date"] == dt.date(2026, 12, 31)

    def test_datetimes_round_trip_exactly_including_microseconds_and_zone(self, repo):
        started = dt.datetime(2026, 3, 2, 8, 15, 30, 123456, tzinfo=JKT)
        repo.apply([Insert("cases", case(started_at=started))], actor="a")
        got = repo.get("cases", "C1")["started_at"]
        assert got == started
        assert got.utcoffset() is not None

    def test_blanks_and_missing_values_come_back_as_none(self, repo):
        repo.apply([Insert("cases", case(notes=None, pic_id=None, target_date=None))], actor="a")
        got = repo.get("cases", "C1")
        assert got["notes"] is None and got["pic_id"] is None and got["target_date"] is None
        assert got["hold_since"] is None

    def test_empty_string_and_whitespace_text_are_kept_verbatim(self, repo):
        repo.apply([Insert("cases", case(notes="   "))], actor="a")
        assert repo.get("cases", "C1")["notes"] == "   "

    def test_an_empty_string_is_one_blank_on_every_backend(self, repo):
        repo.apply([Insert("cases", case(notes=""))], actor="a")
        assert repo.get("cases", "C1")["notes"] is None
        assert [c["id"] for c in repo.list("cases", {"notes": None})] == ["C1"]

    def test_unicode_formula_like_and_very_long_text_round_trip(self, repo):
        weird = "=IMPORTXML(\"x\") ‏שלום ✅ zero​width <script>x</script> :red[a] " + "é" * 20000
        for i, text in enumerate([weird, "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tTab", "\rCR", "0012"]):
            repo.apply([Insert("units", unit(f"U{i}", text))], actor="a")
            assert repo.get("units", f"U{i}")["name"] == text

    def test_numbers_and_booleans_round_trip(self, repo):
        repo.apply([Insert("cases", case(drafts=0)), Insert("units", unit(name="x") | {"active": False})],
                   actor="a")
        assert repo.get("cases", "C1")["drafts"] == 0
        assert repo.get("units", "U1")["active"] is False

    def test_list_filters_by_equal_values_and_none(self, repo):
        repo.apply([Insert("units", unit("U1", org="A")), Insert("units", unit("U2", org="B")),
                    Insert("units", unit("U3", org="A"))], actor="a")
        assert [u["id"] for u in repo.list("units", {"org_id": "A"})] == ["U1", "U3"]
        assert repo.list("units", {"org_id": "Z"}) == []
        assert [c["id"] for c in repo.list("cases", {"pic_id": None})] == []

    def test_frames_return_typed_tables(self, repo):
        repo.apply([Insert("cases", case()), Insert("units", unit())], actor="a")
        frames = repo.frames(["cases", "units"])
        df = frames["cases"]
        assert list(df["id"]) == ["C1"]
        assert str(df["started_at"].dtype).startswith("datetime64") and "UTC" in str(df["started_at"].dtype)
        assert int(df["drafts"].iloc[0]) == 12
        assert df["unit_ids"].iloc[0] == ["U1", "U2"]
        assert frames["units"]["name"].iloc[0] == "Biro Umum"

    def test_an_unknown_column_is_refused_and_changes_nothing(self, repo):
        with pytest.raises(ValidationError):
            repo.apply([Insert("units", unit("U1")), Insert("units", {"id": "U2", "colour": "red"})], actor="a")
        assert repo.count("units") == 0 and repo.audit() == []

    def test_a_duplicate_id_is_refused_and_changes_nothing(self, repo):
        repo.apply([Insert("units", unit("U1"))], actor="a")
        with pytest.raises(ValidationError):
            repo.apply([Insert("units", unit("U2")), Insert("units", unit("U1", name="dupe"))], actor="a")
        assert repo.count("units") == 1 and repo.get("units", "U1")["name"] == "Biro Umum"

    # ---- updates and versions -----------------------------------------------------------------
    def test_an_update_raises_the_version_and_records_who(self, repo):
        repo.apply([Insert("cases", case())], actor="a")
        res = repo.apply([Update("cases", "C1", {"status": "ditunda", "notes": "menunggu"}, 1)], actor="budi")
        got = repo.get("cases", "C1")
        assert got["version"] == 2 and got["status"] == "ditunda" and got["updated_by"] == "budi"
        assert got["created_by"] == "a"
        assert res.records[0]["version"] == 2

    def test_a_stale_save_is_refused_and_changes_nothing(self, repo):
        repo.apply([Insert("cases", case())], actor="a")
        repo.apply([Update("cases", "C1", {"notes": "first"}, 1)], actor="ani")
        with pytest.raises(StaleWriteError) as err:
            repo.apply([Update("cases", "C1", {"notes": "second"}, 1)], actor="budi")
        assert err.value.saved_by == "ani"
        assert err.value.changed == {"notes": "first"}
        got = repo.get("cases", "C1")
        assert got["notes"] == "first" and got["version"] == 2

    def test_a_stale_update_refuses_the_whole_batch(self, repo):
        repo.apply([Insert("cases", case()), Insert("cases", case("C2"))], actor="a")
        repo.apply([Update("cases", "C2", {"notes": "x"}, 1)], actor="ani")
        before = len(repo.audit())
        with pytest.raises(StaleWriteError):
            repo.apply([Update("cases", "C1", {"notes": "ok"}, 1), Insert("units", unit()),
                        Update("cases", "C2", {"notes": "late"}, 1)], actor="budi")
        assert repo.get("cases", "C1")["notes"] is None and repo.count("units") == 0
        assert len(repo.audit()) == before

    def test_updating_a_missing_id_is_not_found_and_changes_nothing(self, repo):
        with pytest.raises(NotFoundError):
            repo.apply([Update("cases", "nope", {"notes": "x"}, 1)], actor="a")
        assert repo.audit() == []

    def test_id_and_version_cannot_be_changed_by_an_update(self, repo):
        repo.apply([Insert("cases", case())], actor="a")
        for changes in ({"id": "X"}, {"version": 9}, {"created_by": "eve"}):
            with pytest.raises(ValidationError):
                repo.apply([Update("cases", "C1", changes, 1)], actor="a")

    # ---- audit ----------------------------------------------------------------------------------
    def test_every_write_lands_in_the_audit_log_with_who_field_old_and_new(self, repo):
        repo.apply([Insert("cases", case())], actor="ani")
        repo.apply([Update("cases", "C1", {"status": "selesai", "drafts": 13}, 1)], actor="budi")
        entries = repo.audit("cases", "C1")
        assert entries[0]["action"] == "create" and entries[0]["actor"] == "ani"
        changes = {e["field"]: (e["old"], e["new"], e["actor"]) for e in entries if e["action"] == "update"}
        assert changes == {"status": ("aktif", "selesai", "budi"), "drafts": ("12", "13", "budi")}

    def test_an_unchanged_value_writes_no_audit_entry(self, repo):
        repo.apply([Insert("cases", case())], actor="ani")
        repo.apply([Update("cases", "C1", {"status": "aktif"}, 1)], actor="ani")
        assert [e["action"] for e in repo.audit("cases", "C1")] == ["create"]

    def test_log_entries_record_events_without_data(self, repo):
        repo.apply([Log("login_failed", "accounts", "u1", "kata sandi salah")], actor="ani")
        (entry,) = repo.audit("accounts", "u1")
        assert entry["action"] == "login_failed" and entry["new"] == "kata sandi salah"

    def test_password_hashes_never_reach_the_audit_log(self, repo):
        repo.apply([Insert("accounts", {"id": "A1", "username": "ani", "password_hash": "$argon2id$secret",
                                        "roles": ["Staf"]})], actor="admin")
        repo.apply([Update("accounts", "A1", {"password_hash": "$argon2id$other"}, 1)], actor="admin")
        text = repr(repo.audit())
        assert "secret" not in text and "other" not in text

    def test_the_audit_log_cannot_be_written_or_changed_through_apply(self, repo):
        with pytest.raises(ValidationError):
            repo.apply([Insert("audit", {"id": "x", "action": "fake"})], actor="eve")
        repo.apply([Insert("units", unit())], actor="a")
        entry = repo.audit()[0]
        with pytest.raises(ValidationError):
            repo.apply([Update("audit", entry["id"], {"actor": "eve"}, 1)], actor="eve")
        assert repo.audit()[0]["actor"] == "a"

    def test_a_write_without_an_actor_is_refused(self, repo):
        with pytest.raises(ValidationError):
            repo.apply([Insert("units", unit())], actor="")
        assert repo.count("units") == 0

    # ---- counters and concurrency ----------------------------------------------------------------
    def test_sequence_numbers_are_consecutive_per_name(self, repo):
        assert [repo.next_number("ADU-2026", "a") for _ in range(3)] == [1, 2, 3]
        assert repo.next_number("USL-2026", "a") == 1

    def test_concurrent_sequence_numbers_are_unique(self, repo):
        got, lock = [], threading.Lock()

        def take():
            n = repo.next_number("ADU-2026", "a")
            with lock:
                got.append(n)

        threads = [threading.Thread(target=take) for _ in range(self.concurrency)]
        [t.start() for t in threads]
        [t.join() for t in threads]
        assert sorted(got) == list(range(1, self.concurrency + 1))

    def test_concurrent_updates_of_one_record_lose_nothing(self, repo):
        repo.apply([Insert("sequences", {"id": "counter", "value": 0})], actor="a")
        accepted, refused, lock = [], [], threading.Lock()

        def bump(name):
            for _ in range(3):
                row = repo.get("sequences", "counter")
                try:
                    repo.apply([Update("sequences", "counter", {"value": row["value"] + 1}, row["version"])],
                               actor=name)
                    with lock:
                        accepted.append(name)
                except StaleWriteError:
                    with lock:
                        refused.append(name)

        threads = [threading.Thread(target=bump, args=(f"t{i}",)) for i in range(self.concurrency)]
        [t.start() for t in threads]
        [t.join() for t in threads]
        row = repo.get("sequences", "counter")
        assert row["value"] == len(accepted) and row["version"] == len(accepted) + 1
        assert len(accepted) + len(refused) == 3 * self.concurrency
        updates = [e for e in repo.audit("sequences", "counter") if e["action"] == "update"]
        assert sorted(e["version"] for e in updates) == list(range(2, len(accepted) + 2))

    concurrency = 8
