"""Master data kept by the administrator: organisations, units and executors."""
import pytest

from data_access.repository import Insert
from domain.accounts import AccountForm, create_account, create_admin
from domain.directory import (
    ExecutorForm, OrganisationForm, UnitForm, directory, save_executor, save_organisation, save_unit,
)
from domain.errors import NotFoundError, StaleWriteError, ValidationError
from domain.permissions import Actor

ADMIN = Actor(id="acc-admin", username="admin", roles=frozenset({"Admin"}))


@pytest.fixture
def repo(duckdb_repo):
    duckdb_repo.apply([Insert("organisations", {"id": "ORG-SETMEN", "name": "Sekretariat Kementerian",
                                                "short_name": "Setmen", "sort_order": 1, "active": True}),
                       Insert("units", {"id": "UNIT-SETMEN-2", "org_id": "ORG-SETMEN", "name": "Biro Umum",
                                        "active": True}),
                       Insert("executors", {"id": "EX-STAF1", "name": "Dimas", "nip": "199203302015031001",
                                            "role": "Staf", "active": True})], actor="uji")
    return duckdb_repo


def test_an_organisation_unit_and_executor_are_added_with_an_audit_naming_the_admin(repo):
    org = save_organisation(repo, ADMIN, OrganisationForm("  Deputi  Bidang Baru ", "Dep. Baru", 9))
    unit = save_unit(repo, ADMIN, UnitForm(org["id"], "Biro Satu"))
    ex = save_executor(repo, ADMIN, ExecutorForm("Rina Kusuma, S.E.", "1990 0101 2015 03 1001", "Kasubbag"))
    assert org["name"] == "Deputi Bidang Baru" and org["id"].startswith("ORG-")
    assert unit["org_id"] == org["id"] and unit["active"]
    assert ex["nip"] == "199001012015031001" and ex["role"] == "Kasubbag"
    for table, rid in (("organisations", org["id"]), ("units", unit["id"]), ("executors", ex["id"])):
        assert [(e["action"], e["actor"]) for e in repo.audit(table, rid)] == [("create", "admin")]
    listed = directory(repo, ADMIN)
    assert [o["id"] for o in listed["organisations"]] == ["ORG-SETMEN", org["id"]]


@pytest.mark.parametrize("call, field", [
    (lambda r: save_organisation(r, ADMIN, OrganisationForm("")), "name"),
    (lambda r: save_organisation(r, ADMIN, OrganisationForm("sekretariat kementerian")), "name"),
    (lambda r: save_organisation(r, ADMIN, OrganisationForm("X" * 151)), "name"),
    (lambda r: save_organisation(r, ADMIN, OrganisationForm("Baru", sort_order=1000)), "sort_order"),
    (lambda r: save_organisation(r, ADMIN, OrganisationForm("Baru", sort_order="satu")), "sort_order"),
    (lambda r: save_unit(r, ADMIN, UnitForm("ORG-TIDAK-ADA", "Biro")), "org_id"),
    (lambda r: save_unit(r, ADMIN, UnitForm("ORG-SETMEN", "BIRO UMUM")), "name"),
    (lambda r: save_executor(r, ADMIN, ExecutorForm("Nama", "12345", "Staf")), "nip"),
    (lambda r: save_executor(r, ADMIN, ExecutorForm("Nama", "199203302015031001", "Staf")), "nip"),
    (lambda r: save_executor(r, ADMIN, ExecutorForm("Nama", "", "Pimpinan")), "role"),
    (lambda r: save_executor(r, ADMIN, ExecutorForm("", "", "Staf")), "name"),
])
def test_bad_master_data_is_refused_by_field_and_nothing_changes(repo, call, field):
    before = {t: repo.count(t) for t in ("organisations", "units", "executors")}
    with pytest.raises(ValidationError) as exc:
        call(repo)
    assert exc.value.field == field
    assert {t: repo.count(t) for t in before} == before


def test_an_edit_carries_the_version_read_and_a_stale_one_is_refused(repo):
    unit = repo.get("units", "UNIT-SETMEN-2")
    save_unit(repo, ADMIN, UnitForm("ORG-SETMEN", "Biro Umum dan Rumah Tangga"), unit_id=unit["id"],
              expected_version=unit["version"])
    with pytest.raises(StaleWriteError):
        save_unit(repo, ADMIN, UnitForm("ORG-SETMEN", "Biro Lain"), unit_id=unit["id"],
                  expected_version=unit["version"])
    assert repo.get("units", unit["id"])["name"] == "Biro Umum dan Rumah Tangga"
    with pytest.raises(NotFoundError):
        save_unit(repo, ADMIN, UnitForm("ORG-SETMEN", "Biro"), unit_id="UNIT-X", expected_version=1)


def test_records_are_deactivated_never_deleted_and_not_while_still_in_use(repo):
    admin = create_admin(repo, "admin", "Kuat-Sekali-2026!")
    boss = Actor(id=admin["id"], username="admin", roles=frozenset({"Admin"}))
    create_account(repo, boss, AccountForm("unit1", "Petugas", "", ["Unit"], "UNIT-SETMEN-2"))
    create_account(repo, boss, AccountForm("staf1", "Staf", "", ["Staf"], None, "EX-STAF1"))
    org, unit, ex = (repo.get("organisations", "ORG-SETMEN"), repo.get("units", "UNIT-SETMEN-2"),
                     repo.get("executors", "EX-STAF1"))
    refusals = [
        (lambda: save_organisation(repo, ADMIN, OrganisationForm(org["name"], "Setmen", 1, active=False),
                                   org_id=org["id"], expected_version=org["version"]), "Biro Umum"),
        (lambda: save_unit(repo, ADMIN, UnitForm("ORG-SETMEN", "Biro Umum", active=False), unit_id=unit["id"],
                           expected_version=unit["version"]), "unit1"),
        (lambda: save_executor(repo, ADMIN, ExecutorForm("Dimas", ex["nip"], "Staf", active=False),
                               executor_id=ex["id"], expected_version=ex["version"]), "staf1"),
        (lambda: save_executor(repo, ADMIN, ExecutorForm("Dimas", ex["nip"], "Karo"), executor_id=ex["id"],
                               expected_version=ex["version"]), "peran"),
    ]
    for call, named in refusals:
        with pytest.raises(ValidationError) as exc:
            call()
        assert named in exc.value.message.lower() or named in exc.value.message
    new_unit = save_unit(repo, ADMIN, UnitForm("ORG-SETMEN", "Biro Sementara"))
    closed = save_unit(repo, ADMIN, UnitForm("ORG-SETMEN", "Biro Sementara", active=False), unit_id=new_unit["id"],
                       expected_version=new_unit["version"])
    assert closed["active"] is False and repo.get("units", new_unit["id"]) is not None


@pytest.mark.parametrize("call, field, label", [
    (lambda r: save_unit(r, ADMIN, UnitForm("ORG-SETMEN", "Biro\x00Umum Baru")), "name", "Nama"),
    (lambda r: save_organisation(r, ADMIN, OrganisationForm("Deputi\x00Baru")), "name", "Nama"),
    (lambda r: save_organisation(r, ADMIN, OrganisationForm("Deputi Baru", "Dep\x00")), "short_name", "Singkatan"),
    (lambda r: save_executor(r, ADMIN, ExecutorForm("Rina\x00", "", "Staf")), "name", "Nama"),
    (lambda r: create_account(r, ADMIN, AccountForm("rina", "Rina\x00", "", ["Pimpinan"])), "display_name", "Nama"),
    (lambda r: create_account(r, ADMIN, AccountForm("rina", "Rina", "ri\x00na@setneg.go.id", ["Pimpinan"])),
     "email", "Email"),
], ids=["unit", "organisation", "short-name", "executor", "account-name", "account-email"])
def test_a_nul_in_any_administrators_text_is_refused_naming_its_field(repo, call, field, label):
    before = {t: repo.count(t) for t in ("organisations", "units", "executors", "accounts")}
    with pytest.raises(ValidationError) as err:
        call(repo)
    assert err.value.field == field
    assert err.value.message.startswith(f"{label}:"), err.value.message
    assert {t: repo.count(t) for t in before} == before
