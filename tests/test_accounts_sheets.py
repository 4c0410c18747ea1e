"""Accounts on the Google Sheets backend (local Sheets API stand-in): the same sign-in, lockout and
reset as on DuckDB, and the hash survives the sheet unchanged."""
import datetime as dt

import pytest

from data_access.demo_accounts import load_demo_accounts
from data_access.repository import Insert
from data_access.sheets_store import SheetsRepository
from domain.accounts import SignInPolicy, SignInRefused, authenticate, change_password, reset_password
from domain.permissions import Actor
from tests.sheets_standin import SheetsStandIn, make_client, write_service_account_file

pytestmark = pytest.mark.timeout(180)
T0 = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)
PW = "Uji-Demo-2026!"


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    with SheetsStandIn() as standin:
        path = tmp_path_factory.mktemp("sa") / "service_account.json"
        write_service_account_file(path, standin)
        client = make_client(standin, path, backoff=False, timeout=5)
        repo = SheetsRepository(client, standin.create_spreadsheet("SOP Tracker"), backoff=0.01)
        repo.init()
        repo.apply([Insert("organisations", {"id": "ORG-SETMEN", "name": "Sekretariat Kementerian", "active": True}),
                    Insert("units", {"id": "UNIT-SETMEN-2", "org_id": "ORG-SETMEN", "name": "Biro Umum",
                                     "active": True})], actor="uji")
        mp = pytest.MonkeyPatch()
        mp.setenv("SOP_DEMO_PASSWORD", PW)
        load_demo_accounts(repo)
        mp.undo()
        yield repo


def test_a_demo_account_signs_in_on_sheets_and_its_hash_is_kept_verbatim(repo):
    result = authenticate(repo, "unit1", PW, at=T0)
    assert result.actor.unit_id == "UNIT-SETMEN-2" and result.actor.roles == {"Unit"}
    stored = repo.get("accounts", "acc-unit1")
    assert stored["password_hash"].startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert stored["last_login_at"] == T0 and stored["roles"] == ["Unit"]


def test_lockout_and_reset_work_the_same_on_sheets(repo):
    policy = SignInPolicy(max_failures=2, lockout_minutes=10)
    for guess in ("tebakan-satu-1", "tebakan-dua-22"):
        with pytest.raises(SignInRefused):
            authenticate(repo, "staf2", guess, policy, at=T0)
    with pytest.raises(SignInRefused) as exc:
        authenticate(repo, "staf2", PW, policy, at=T0 + dt.timedelta(minutes=1))
    assert exc.value.key == "auth.err.wrong" and repo.get("accounts", "acc-staf2")["locked_until"] is not None
    admin = Actor(id="acc-admin", username="admin", roles=frozenset({"Admin"}))
    temporary = reset_password(repo, admin, "acc-staf2", repo.get("accounts", "acc-staf2")["version"], at=T0)
    result = authenticate(repo, "staf2", temporary, policy, at=T0 + dt.timedelta(minutes=2))
    assert result.must_change_password
    change_password(repo, result.actor, "Sandi-Baru-Sheets-26")
    assert not authenticate(repo, "staf2", "Sandi-Baru-Sheets-26").must_change_password
    assert "***" in {e["new"] for e in repo.audit("accounts", "acc-staf2") if e["field"] == "password_hash"}
