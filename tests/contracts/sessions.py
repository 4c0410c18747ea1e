"""Sign-in sessions held in the store, written once and run on every backend: what the store keeps
of a token, the idle timeout, "last seen" written at most every few minutes, sign-out, the end of
every session of a disabled account, and a session seen by another app server of the same store."""
import datetime as dt

import pytest

from data_access.repository import Insert
from domain import sign_in_sessions as ss
from domain.changes import Log

UTC = dt.UTC
T0 = dt.datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # Monday 09:00 in Jakarta
MINUTE = dt.timedelta(minutes=1)
POLICY = ss.SessionPolicy(dt.timedelta(minutes=30))


class SessionsContract:
    """A backend's test class inherits this and provides ``repo`` (an empty, initialised store) and
    ``twin`` (what another app server of the same store opens: on DuckDB, which one process holds,
    the same repository)."""

    @pytest.fixture
    def twin(self, repo):
        return repo

    @pytest.fixture
    def store(self, repo):
        repo.apply([Insert("accounts", {"id": "acc-staf1", "username": "staf1", "display_name": "Staf Satu",
                                        "roles": ["Staf"], "active": True})], actor="uji", at=T0)
        return repo

    def test_the_store_keeps_the_tokens_digest_never_the_token_and_its_columns_are_not_audited(self, store):
        token, row = ss.start(store, "acc-staf1", "staf1", T0, POLICY)
        assert len(token) >= 40 and row["token_hash"] == ss.digest(token)
        stored = store.list("sessions")
        assert [r["account_id"] for r in stored] == ["acc-staf1"] and token not in str(stored)
        assert ss.find(store, token)["id"] == row["id"] and ss.is_open(ss.find(store, token), T0, POLICY)
        assert ss.find(store, token + "x") is None and ss.find(store, None) is None
        assert store.audit("sessions") == [], "a session's bookkeeping is not written to the audit log"

    def test_another_server_of_the_same_store_finds_the_session_and_sees_it_end(self, store, twin):
        token, _ = ss.start(store, "acc-staf1", "staf1", T0, POLICY)
        seen = ss.find(twin, token)
        assert seen is not None and seen["account_id"] == "acc-staf1" and ss.is_open(seen, T0 + MINUTE, POLICY)
        ss.end(twin, seen, "staf1", T0 + 2 * MINUTE, ss.SIGNED_OUT,
               Log("sign_out", "accounts", "acc-staf1", ""))
        ended = ss.find(store, token)
        assert ended["ended_at"] == T0 + 2 * MINUTE and ended["end_reason"] == ss.SIGNED_OUT
        assert not ss.is_open(ended, T0 + 2 * MINUTE, POLICY)
        assert [e["action"] for e in store.audit("accounts", "acc-staf1")] == ["create", "sign_out"]

    def test_a_session_idle_past_the_timeout_is_no_longer_open(self, store):
        token, row = ss.start(store, "acc-staf1", "staf1", T0, POLICY)
        assert ss.is_open(row, T0 + 30 * MINUTE, POLICY)
        assert not ss.is_open(row, T0 + 31 * MINUTE, POLICY)
        assert ss.idle_past_timeout(row, T0 + 31 * MINUTE, POLICY)

    def test_last_seen_is_written_only_once_it_is_a_few_minutes_old(self, store):
        token, row = ss.start(store, "acc-staf1", "staf1", T0, POLICY)
        assert POLICY.touch_every == 5 * MINUTE
        assert ss.touch(store, row, "staf1", T0 + 4 * MINUTE, POLICY) == row
        assert ss.find(store, token)["version"] == row["version"], "a click within the interval writes nothing"
        touched = ss.touch(store, row, "staf1", T0 + 5 * MINUTE, POLICY)
        assert touched["last_seen"] == T0 + 5 * MINUTE and ss.find(store, token)["last_seen"] == T0 + 5 * MINUTE
        # Another request of the same session wrote it first (its read is older): nothing more is written.
        assert ss.touch(store, row, "staf1", T0 + 6 * MINUTE, POLICY) == row
        assert ss.find(store, token)["last_seen"] == T0 + 5 * MINUTE
        assert ss.SessionPolicy(dt.timedelta(minutes=12)).touch_every == 2 * MINUTE

    def test_the_next_sign_in_takes_over_an_ended_row_and_the_old_token_opens_nothing(self, store):
        old, first = ss.start(store, "acc-staf1", "staf1", T0, POLICY)
        other, second = ss.start(store, "acc-staf1", "staf1", T0 + MINUTE, POLICY)  # another device: both open
        assert first["id"] != second["id"] and len(store.list("sessions")) == 2
        ss.end(store, first, "staf1", T0 + 2 * MINUTE, ss.SIGNED_OUT)
        new, third = ss.start(store, "acc-staf1", "staf1", T0 + 3 * MINUTE, POLICY)
        assert third["id"] == first["id"] and len(store.list("sessions")) == 2
        assert ss.find(store, old) is None and ss.is_open(ss.find(store, new), T0 + 3 * MINUTE, POLICY)
        assert third["ended_at"] is None and third["started_at"] == T0 + 3 * MINUTE
        assert ss.is_open(ss.find(store, other), T0 + 3 * MINUTE, POLICY)

    def test_every_open_session_of_an_account_ends_when_it_is_disabled_or_reset(self, store, twin):
        tokens = [ss.start(store, "acc-staf1", "staf1", T0 + i * MINUTE, POLICY)[0] for i in range(3)]
        ss.end(store, ss.find(store, tokens[0]), "staf1", T0 + 4 * MINUTE, ss.SIGNED_OUT)
        assert ss.end_account_sessions(twin, "acc-staf1", "admin", T0 + 5 * MINUTE) == 2
        rows = [ss.find(store, t) for t in tokens]
        assert [r["end_reason"] for r in rows] == [ss.SIGNED_OUT, ss.ACCOUNT_CHANGED, ss.ACCOUNT_CHANGED]
        assert not any(ss.is_open(r, T0 + 5 * MINUTE, POLICY) for r in rows)

    def test_ending_a_session_another_request_just_touched_still_ends_it(self, store, twin):
        token, row = ss.start(store, "acc-staf1", "staf1", T0, POLICY)
        ss.touch(twin, ss.find(twin, token), "staf1", T0 + 6 * MINUTE, POLICY)  # moves its version on
        ss.end(store, row, "staf1", T0 + 7 * MINUTE, ss.SIGNED_OUT)  # prepared from the older read
        assert ss.find(store, token)["ended_at"] == T0 + 7 * MINUTE
