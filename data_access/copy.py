"""Copy a whole store from one backend to another, so a bureau can start on one and move on.

    python -m cli.copy --from duckdb:data/sop_tracker.duckdb --to sheets
    python -m cli.copy --from sheets --to duckdb:data/dari-sheets.duckdb
    python -m cli.copy --from duckdb --to postgres:postgresql://sop@db/sop_tracker

A store is ``duckdb`` (the configured file), ``duckdb:PATH``, ``sheets`` (the configured
spreadsheet), ``sheets:KEY_OR_URL``, ``postgres`` (the configured ``postgres_url``) or
``postgres:URL``; the service account and endpoint come from the usual configuration
(secrets.toml / SOP_* variables). Every table is copied as stored (IDs, versions,
who/when stamps and the audit log unchanged; sequence counters at their current value), then read
back from the target: row counts and a SHA-256 of each table are printed for both sides.

A target that already holds data is refused unless ``--force``; then its data are not deleted
but set aside first (DuckDB: the file renamed ``*.cadangan-<time>``; Google Sheets: worksheets
renamed ``<table> (cadangan <time>)``; PostgreSQL: the tables moved to a schema ``<schema>_cadangan_<time>``).

Google Sheets does not tell an empty text ('') from an empty cell: such values arrive as empty
(None), and the checksums treat the two as the same.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any, Callable

from data_access.config import Settings
from data_access.repository import UTC, Repository, utcnow
from data_access.schema import TABLES, columns

SPECS = "duckdb, duckdb:BERKAS, sheets, sheets:KUNCI, postgres atau postgres:URL"


class CopyRefused(Exception):
    pass


def _canon(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def checksum(table: str, rows: list[dict]) -> str:
    """SHA-256 of a table's rows in ID order, values in a backend-neutral text form."""
    h = hashlib.sha256()
    cols = columns(table)
    for row in sorted(rows, key=lambda r: str(r["id"])):
        h.update(json.dumps([_canon(row.get(c)) for c in cols], ensure_ascii=False, sort_keys=True).encode())
        h.update(b"\n")
    return h.hexdigest()


def empty_texts(table: str, rows: list[dict]) -> int:
    kinds = dict(TABLES[table])
    return sum(1 for r in rows for c, v in r.items() if v == "" and kinds.get(c) == "str")


def stored_rows(repo: Repository, table: str) -> list[dict]:
    return repo.list(table)


def holds_data(repo: Repository) -> list[str]:
    tables = [t for t in TABLES if repo.count(t)]
    claims = getattr(repo, "claims_count", None)
    if claims is not None and claims():
        tables.append("sequence_claims")
    return tables


# ---- stores named on the command line ----------------------------------------------------------

def open_store(spec: str, settings: Settings) -> tuple[Repository, str]:
    kind, _, arg = spec.partition(":")
    if kind == "duckdb":
        from data_access.duckdb_store import DuckDBRepository

        path = arg or settings.duckdb_path
        path = str(settings.resolve(path)) if path != ":memory:" else path
        repo = DuckDBRepository(path)
        repo.init()
        return repo, f"duckdb:{path}"
    if kind == "sheets":
        from data_access.sheets_store import open_sheets_repository, spreadsheet_key

        s = dataclasses.replace(settings, backend="sheets", sheets_key=arg or settings.sheets_key)
        repo = open_sheets_repository(s)
        repo.init()
        return repo, f"sheets:{spreadsheet_key(s.sheets_key)}"
    if kind == "postgres":
        from data_access.postgres_store import PostgresRepository

        repo = PostgresRepository(arg or settings.postgres_url or "")
        repo.init()
        return repo, f"postgres:{repo.label} (skema {repo.schema})"
    raise CopyRefused(f"Penyimpanan tidak dikenal: {spec!r}. Pakai {SPECS}.")


def set_aside(repo: Repository, label: str, stamp: str) -> tuple[Repository, str]:
    """Keep the target's old data as a backup and hand back an empty store in its place."""
    if repo.backend == "duckdb":
        from data_access.duckdb_store import DuckDBRepository

        repo.close()
        path = Path(repo.path)
        backup = path.with_name(f"{path.name}.cadangan-{stamp}")
        path.rename(backup)
        wal = path.with_name(path.name + ".wal")
        if wal.exists():
            wal.rename(backup.with_name(backup.name + ".wal"))
        fresh = DuckDBRepository(path)
        fresh.init()
        return fresh, f"berkas lama disimpan sebagai {backup}"
    if repo.backend == "postgres":
        backup = repo.set_aside(stamp.replace("-", "_"))
        repo.init()
        return repo, f"tabel lama dipindah ke skema {backup}"
    titles = repo.set_aside(f"(cadangan {stamp})")
    repo.init()
    return repo, f"lembar lama diganti nama: {', '.join(titles[:3])}{' …' if len(titles) > 3 else ''}"


def copy_store(source: Repository, target: Repository, *, force: bool = False, target_label: str = "",
               out: Callable[[str], None] = print) -> tuple[Repository, bool]:
    """Copy every table; returns (target store, whether every table matches after reading back)."""
    busy = holds_data(target)
    if busy:
        if not force:
            raise CopyRefused(
                f"Tujuan {target_label} sudah berisi data ({', '.join(busy)}); tidak ada yang diubah. "
                "Pakai --force untuk menyalin juga: data lama disisihkan sebagai cadangan, tidak dihapus.")
        stamp = utcnow().strftime("%Y%m%d-%H%M%S")
        target, note = set_aside(target, target_label, stamp)
        out(f"--force: {note}")
    source_rows = {t: stored_rows(source, t) for t in TABLES}
    for table, rows in source_rows.items():
        if rows:
            target.import_rows(table, rows)
    out(f"{'tabel':<18} {'sumber':>8} {'tujuan':>8}  {'sha256 sumber':<12}  {'sha256 tujuan':<12}")
    ok, total, blanks = True, 0, 0
    for table in TABLES:
        rows = source_rows[table]
        back = stored_rows(target, table)
        a, b = checksum(table, rows), checksum(table, back)
        same = len(rows) == len(back) and a == b
        ok &= same
        total += len(rows)
        blanks += empty_texts(table, rows)
        out(f"{table:<18} {len(rows):>8} {len(back):>8}  {a[:12]:<12}  {b[:12]:<12}  {'OK' if same else 'BEDA'}")
    if blanks and target.backend == "sheets":
        out(f"Catatan: {blanks} teks kosong ('') tersimpan sebagai sel kosong di Google Sheets.")
    out(f"{'Selesai' if ok else 'GAGAL'}: {len(TABLES)} tabel, {total:,} baris".replace(",", ".")
        + (", semua cocok." if ok else "; ada tabel yang tidak cocok (BEDA) — periksa tujuan."))
    return target, ok

