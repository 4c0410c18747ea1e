"""Flood limits counted in the store: complaints per client address, failed status look-ups per
address and per receipt number, over a sliding window; refusals name their field, change nothing
and are audited. Written once, run on a DuckDB file and on Google Sheets (the local stand-in)."""
from __future__ import annotations

import datetime as dt
import threading

import pytest

from domain import complaints as cp
from domain import flood_limits as fl
from domain.errors import ValidationError
from domain.permissions import NOBODY
from tests.contracts.complaints import CAL, MON, new, seed

LIMITS = fl.FloodLimits(complaints_per_address=2, complaint_window_minutes=60, lookup_failures_per_address=3,
                        lookup_failures_per_receipt=2, lookup_window_minutes=30)
HOME, OFFICE, ELSEWHERE = "10.0.0.7", "10.0.0.8", "10.0.0.9"


def file(repo, client=HOME, at=MON, **kw):
    return cp.submit_complaint(repo, NOBODY, CAL, new(**kw), client=client, limits=LIMITS, at=at)


def look(repo, number, contact="ani@setneg.go.id", client=HOME, at=MON):
    return cp.lookup_status(repo, NOBODY, number, contact, client=client, limits=LIMITS, at=at)


def refusals(repo) -> list[dict]:
    return [e for e in repo.audit(fl.TABLE) if e["action"] == "flood_refused"]


class FloodContract:
    concurrency = 4

    @pytest.fixture
    def world(self, repo):
        seed(repo)
        return repo

    def test_complaints_over_the_limit_of_an_address_are_refused_naming_the_form_and_audited(self, world):
        file(world)
        file(world, at=MON + dt.timedelta(minutes=20))
        with pytest.raises(ValidationError) as err:
            file(world, subject="Ketiga", at=MON + dt.timedelta(minutes=30))
        assert err.value.field == "complaint"
        assert err.value.message.startswith("Pengaduan: dari alamat jaringan Anda sudah masuk 2 pengaduan dalam "
                                            "60 menit terakhir")
        assert "Coba lagi dalam 30 menit" in err.value.message  # when the first one leaves the window
        assert world.count("complaints") == 2
        assert [e["new"] for e in refusals(world)] == [f"complaint_address {HOME}: 2 dalam 60 menit"]
        assert file(world, client=OFFICE, at=MON + dt.timedelta(minutes=30)).receipt_no  # another address

    def test_the_window_slides(self, world):
        file(world)
        file(world, at=MON + dt.timedelta(minutes=40))
        with pytest.raises(ValidationError):
            file(world, at=MON + dt.timedelta(minutes=59))
        assert file(world, at=MON + dt.timedelta(minutes=61)).receipt_no  # the first one has left the window
        with pytest.raises(ValidationError):
            file(world, at=MON + dt.timedelta(minutes=62))

    def test_failed_look_ups_from_one_address_are_refused_even_for_the_right_number(self, world):
        number = file(world, client=OFFICE).receipt_no
        for guess in ("ADU-2026-9991", "ADU-2026-9992", "ADU-2026-9993"):
            with pytest.raises(cp.ComplaintNotFound):
                look(world, guess, at=MON + dt.timedelta(minutes=1))
        with pytest.raises(ValidationError) as err:
            look(world, number, at=MON + dt.timedelta(minutes=2))
        assert err.value.field == "receipt_no" and err.value.message.startswith("Nomor tanda terima: terlalu banyak")
        assert look(world, number, client=ELSEWHERE, at=MON + dt.timedelta(minutes=2)).receipt_no == number
        assert look(world, number, at=MON + dt.timedelta(minutes=32)).receipt_no == number  # the window has passed

    def test_failed_look_ups_for_one_number_are_refused_from_any_address(self, world):
        number = file(world, client=OFFICE).receipt_no
        for client in (HOME, ELSEWHERE):
            with pytest.raises(cp.ComplaintNotFound):
                look(world, number, contact="bukan@setneg.go.id", client=client)
        with pytest.raises(ValidationError, match="untuk nomor ini"):
            look(world, number.lower(), client="10.0.0.10")  # the number as typed, normalised
        assert world.count("complaints") == 1
        assert [e["new"].split(":")[0] for e in refusals(world)] == [f"lookup_receipt {number}"]

    def test_a_found_complaint_does_not_count(self, world):
        number = file(world, client=OFFICE).receipt_no
        for _ in range(5):
            assert look(world, number).receipt_no == number
        assert world.list(fl.TABLE, {"kind": fl.LOOKUP_ADDRESS}) == []

    def test_the_counts_are_in_the_store_so_a_new_session_or_a_restart_keeps_them(self, world, reopen):
        file(world)
        file(world)
        with pytest.raises(ValidationError, match="2 pengaduan"):
            file(reopen(world))

    def test_simultaneous_filings_from_one_address_never_pass_the_limit(self, world):
        outcomes: list[str] = []

        def one(i):
            try:
                file(world, subject=f"Serentak {i}")
                outcomes.append("filed")
            except ValidationError:
                outcomes.append("refused")
        threads = [threading.Thread(target=one, args=(i,)) for i in range(self.concurrency)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert outcomes.count("filed") == 2 and world.count("complaints") == 2

    def test_without_limits_a_direct_call_counts_nothing(self, world):
        for _ in range(3):
            cp.submit_complaint(world, NOBODY, CAL, new(), at=MON)
        assert world.count(fl.TABLE) == 0


class TestFloodLimitsDuckDB(FloodContract):
    concurrency = 6

    @pytest.fixture
    def repo(self, duckdb_repo):
        return duckdb_repo

    @pytest.fixture
    def reopen(self):
        from data_access.duckdb_store import DuckDBRepository

        def again(repo):
            repo.close()
            fresh = DuckDBRepository(repo.path)
            fresh.init()
            return fresh
        return again


class TestFloodLimitsSheets(FloodContract):
    concurrency = 4

    @pytest.fixture
    def repo(self, standin, sheets_client):
        from data_access.sheets_store import SheetsRepository

        standin.clear_faults()
        repo = SheetsRepository(sheets_client, standin.create_spreadsheet("SOP Tracker"), backoff=0.01)
        repo.init()
        return repo

    @pytest.fixture
    def reopen(self, sheets_client):
        from data_access.sheets_store import SheetsRepository

        def again(repo):
            fresh = SheetsRepository(sheets_client, repo.key, backoff=0.01)
            fresh.init()
            return fresh
        return again
