"""Demo accounts, loaded with the demo data: one per role, never with a password written in code.

The password is ``SOP_DEMO_PASSWORD`` when set (tests and demonstrations set it). Otherwise every
account gets its own random password, written once to ``demo-accounts.txt`` beside the DuckDB file
(``data/demo-accounts.txt`` by default; ``data/`` is not in version control). ``SOP_DEMO_ACCOUNTS_FILE``
names another file. A store in memory gets random passwords that are written nowhere.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

from data_access.config import ROOT
from data_access.repository import Insert, Log, Repository, Update, prepare_insert, utcnow
from domain.accounts import hash_password, random_password
from domain.permissions import ADMIN, KABAG, KARO, KASUBBAG, PIMPINAN, STAF, UNIT_USER

log = logging.getLogger(__name__)

DEMO_ACTOR = "demo"
FILE_NAME = "demo-accounts.txt"
# settings row: where the demo passwords are (a file's path, ENV_PASSWORD, or NOWHERE), so the sign-in
# page names the file only where it was really written
PASSWORDS_MARK = "demo_passwords"
ENV_PASSWORD = "SOP_DEMO_PASSWORD"
NOWHERE = "-"

# username, display name, roles, unit, executor
DEMO_ACCOUNTS = [
    ("karo", "Karo", [KARO], None, "EX-KARO"),
    ("kabag", "Kabag", [KABAG], None, "EX-KABAG"),
    ("kasubbag", "Kasubbag", [KASUBBAG], None, "EX-KASUBBAG"),
    ("staf1", "Staf Satu", [STAF], None, "EX-STAF1"),
    ("staf2", "Staf Dua", [STAF], None, "EX-STAF2"),
    ("pimpinan", "Pimpinan", [PIMPINAN], None, None),
    ("unit1", "Petugas Biro Umum", [UNIT_USER], "UNIT-SETMEN-2", None),
    ("admin", "Admin", [ADMIN], None, None),
]


def passwords_file(repo: Repository) -> Path | None:
    """Where random demo passwords go: beside the DuckDB file; None for a store in memory."""
    if os.environ.get("SOP_DEMO_ACCOUNTS_FILE"):
        return Path(os.environ["SOP_DEMO_ACCOUNTS_FILE"])
    path = getattr(repo, "path", None)
    if path == ":memory:":
        return None
    return Path(path).parent / FILE_NAME if path else ROOT / "data" / FILE_NAME


def demo_account_records(password: str | None = None) -> tuple[list[dict], dict[str, str]]:
    """The demo accounts with hashed passwords, and the clear passwords by username."""
    passwords = {u: password or random_password() for u, *_ in DEMO_ACCOUNTS}
    shared = hash_password(password) if password else None
    rows = [{"id": f"acc-{username}", "username": username, "display_name": name, "roles": roles,
             "unit_id": unit, "executor_id": executor, "active": True, "must_change_password": False,
             "failed_attempts": 0, "password_hash": shared or hash_password(passwords[username])}
            for username, name, roles, unit, executor in DEMO_ACCOUNTS]
    return rows, passwords


def _write_passwords(path: Path, passwords: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# Akun demo SOP Tracker: kata sandi acak, dibuat sekali saat data demo dimuat.",
             "# Simpan di tempat aman; hapus berkas ini setelah kata sandi diganti.", ""]
    lines += [f"{username}\t{pw}" for username, pw in passwords.items()]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


def load_demo_accounts(repo: Repository, records: dict | None = None) -> list[str]:
    """Add the demo accounts (skipping usernames already taken). Registered in demo.EXTRA_LOADERS."""
    taken = {a["username"] for a in repo.list("accounts")}
    password = os.environ.get("SOP_DEMO_PASSWORD") or None
    rows, passwords = demo_account_records(password)
    rows = [r for r in rows if r["username"] not in taken]
    if not rows:
        return []
    at = utcnow()
    repo.import_rows("accounts", [prepare_insert("accounts", r, DEMO_ACTOR, at) for r in rows])
    where = ENV_PASSWORD if password else None
    if not password:
        path = passwords_file(repo)
        passwords = {u: p for u, p in passwords.items() if u not in taken}
        if path is not None:
            _write_passwords(path, passwords)
            where = str(path.resolve())
        else:
            log.warning("demo accounts in a memory store: their random passwords are not kept")
            where = NOWHERE
    mark = repo.get("settings", PASSWORDS_MARK)
    note = (Insert("settings", {"id": PASSWORDS_MARK, "value": where}) if mark is None
            else Update("settings", PASSWORDS_MARK, {"value": where}, int(mark.get("version") or 0)))
    if records is not None:  # counted with the demo data's other settings rows
        records.setdefault("settings", []).append({"id": PASSWORDS_MARK, "value": where})
    repo.apply([note, Log("demo_accounts_loaded", "accounts", "", f"{len(rows)} akun demo; kata sandi: {where}")],
               actor=DEMO_ACTOR)
    return [r["username"] for r in rows]
