"""Master data the administrator keeps: organisations (satuan organisasi), their units (unit kerja)
and the Bureau's executors (pelaksana). Records are deactivated, never deleted: cases, proposals and
complaints keep pointing at them. Every save carries the version its author read."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from domain.changes import Insert, Update, new_id
from domain.calendar import now as clock_now
from domain.errors import NotFoundError, ValidationError
from domain.permissions import EXECUTORS, Actor, check
from domain.texts import Worded

UTC = dt.UTC
MAX_NAME = 150
MAX_SHORT = 40
NIP = re.compile(r"^\d{18}$")


def _m(key: str, **params) -> str:
    """Indonesian, the language of record; the UI words a message again for its reader (Worded)."""
    return Worded(key, **params)


def _now(at: dt.datetime | None) -> dt.datetime:
    return (at or clock_now()).astimezone(UTC)


def _text(value: str | None, field_name: str, limit: int, *, required: bool = True) -> str | None:
    text = " ".join((value or "").split())
    if not text:
        if required:
            raise ValidationError(field_name, _m("dir.err.required", field=_m(f"dir.field.{field_name}")))
        return None
    if len(text) > limit:
        raise ValidationError(field_name, _m("dir.err.too_long", field=_m(f"dir.field.{field_name}"), n=limit))
    if any(unicodedata.category(c) == "Cc" for c in text):  # NUL and other control characters
        raise ValidationError(field_name, _m("dir.err.bad_chars", field=_m(f"dir.field.{field_name}")))
    return text


def _save(repo, actor: Actor, table: str, prefix: str, record: dict, record_id: str | None,
          expected_version: int | None, at: dt.datetime | None) -> dict:
    if record_id is None:
        result = repo.apply([Insert(table, {"id": new_id(prefix), **record})], actor=actor.audit_name, at=_now(at))
        return result.records[0]
    current = repo.get(table, record_id)
    if current is None:
        raise NotFoundError(table, record_id)
    if expected_version is None:
        raise ValidationError("version", _m("dir.err.version"))
    changes = {k: v for k, v in record.items() if v != current.get(k)}
    if not changes:
        return current
    return repo.apply([Update(table, record_id, changes, expected_version)], actor=actor.audit_name,
                      at=_now(at)).records[0]


@dataclass
class OrganisationForm:
    name: str = ""
    short_name: str = ""
    sort_order: int = 0
    active: bool = True


def save_organisation(repo, actor: Actor, form: OrganisationForm, *, org_id: str | None = None,
                      expected_version: int | None = None, at: dt.datetime | None = None) -> dict:
    """Add an organisation (org_id None) or change one; deactivating needs its units deactivated first."""
    check(actor, "admin.units")
    name = _text(form.name, "name", MAX_NAME)
    short = _text(form.short_name, "short_name", MAX_SHORT, required=False)
    try:
        order = int(form.sort_order)
    except (TypeError, ValueError):
        raise ValidationError("sort_order", _m("dir.err.sort_order")) from None
    if not 0 <= order <= 999:
        raise ValidationError("sort_order", _m("dir.err.sort_order"))
    if any(o["name"].casefold() == name.casefold() and o["id"] != org_id for o in repo.list("organisations")):
        raise ValidationError("name", _m("dir.err.org_taken", name=name))
    if org_id and not form.active:
        live = [u["name"] for u in repo.list("units", {"org_id": org_id}) if u.get("active")]
        if live:
            raise ValidationError("active", _m("dir.err.org_has_units", units=", ".join(live[:3])))
    record = {"name": name, "short_name": short, "sort_order": order, "active": bool(form.active)}
    return _save(repo, actor, "organisations", "ORG-", record, org_id, expected_version, at)


@dataclass
class UnitForm:
    org_id: str = ""
    name: str = ""
    active: bool = True


def save_unit(repo, actor: Actor, form: UnitForm, *, unit_id: str | None = None,
              expected_version: int | None = None, at: dt.datetime | None = None) -> dict:
    """Add a unit to an active organisation or change one; a unit with active accounts stays active."""
    check(actor, "admin.units")
    name = _text(form.name, "name", MAX_NAME)
    org = repo.get("organisations", form.org_id or "")
    if org is None or (not org.get("active") and form.active):
        raise ValidationError("org_id", _m("dir.err.org_unknown"))
    if any(u["name"].casefold() == name.casefold() and u["id"] != unit_id
           for u in repo.list("units", {"org_id": org["id"]})):
        raise ValidationError("name", _m("dir.err.unit_taken", name=name))
    if unit_id and not form.active:
        users = [a["username"] for a in repo.list("accounts", {"unit_id": unit_id}) if a.get("active")]
        if users:
            raise ValidationError("active", _m("dir.err.unit_has_accounts", accounts=", ".join(users[:3])))
    record = {"org_id": org["id"], "name": name, "active": bool(form.active)}
    return _save(repo, actor, "units", "UNIT-", record, unit_id, expected_version, at)


@dataclass
class ExecutorForm:
    name: str = ""
    nip: str = ""
    role: str = ""
    active: bool = True


def save_executor(repo, actor: Actor, form: ExecutorForm, *, executor_id: str | None = None,
                  expected_version: int | None = None, at: dt.datetime | None = None) -> dict:
    """Add or change a Bureau executor; one still linked to an active account stays active."""
    check(actor, "admin.executors")
    name = _text(form.name, "name", MAX_NAME)
    nip = "".join((form.nip or "").split()) or None
    if nip and not NIP.match(nip):
        raise ValidationError("nip", _m("dir.err.nip"))
    if nip and any(e.get("nip") == nip and e["id"] != executor_id for e in repo.list("executors")):
        raise ValidationError("nip", _m("dir.err.nip_taken"))
    if form.role not in EXECUTORS:
        raise ValidationError("role", _m("dir.err.role", roles=", ".join(EXECUTORS)))
    if executor_id:
        linked = [a for a in repo.list("accounts", {"executor_id": executor_id}) if a.get("active")]
        if linked and not form.active:
            raise ValidationError("active", _m("dir.err.executor_has_accounts",
                                               accounts=", ".join(a["username"] for a in linked[:3])))
        if any(form.role not in (a.get("roles") or []) for a in linked):
            raise ValidationError("role", _m("dir.err.executor_role_linked"))
    record = {"name": name, "nip": nip, "role": form.role, "active": bool(form.active)}
    return _save(repo, actor, "executors", "EX-", record, executor_id, expected_version, at)


def directory(repo, actor: Actor) -> dict[str, list[dict]]:
    """Organisations, units and executors for the administration page (every one, active or not)."""
    check(actor, "admin.units")
    return {"organisations": sorted(repo.list("organisations"), key=lambda o: (o.get("sort_order") or 0, o["name"])),
            "units": sorted(repo.list("units"), key=lambda u: (u["org_id"], u["name"])),
            "executors": repo.list("executors")}
