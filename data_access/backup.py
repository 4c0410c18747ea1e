"""Backup and restore of the whole store.

    python -m cli.backup export --out backups/2026-11-29
    python -m cli.backup restore --from backups/2026-11-29

Export writes one Parquet file per table and ``manifest.json`` (row count and checksum per table).
On DuckDB it is DuckDB's own ``EXPORT DATABASE`` (Parquet); on Google Sheets each table is read once
and written with the same layout, the manifest checksummed from that same read (an empty list and a
blank list cell stay apart, as they are in the store). Restore loads into an empty store of the configured
backend and checks every count and checksum against the manifest.
"""
from __future__ import annotations

import json
from pathlib import Path

import duckdb

from data_access.checksums import store_summary, table_summary
from data_access.frames import typed_frame
from data_access.repository import Log, Repository
from data_access.schema import SCHEMA_VERSION, TABLES, columns
from domain.errors import DomainError

MANIFEST = "manifest.json"


def export_store(repo: Repository, out: Path, actor: str = "backup") -> dict:
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise DomainError(f"Folder tujuan {out} tidak kosong; pilih folder baru.")
    out.mkdir(parents=True, exist_ok=True)
    if getattr(repo, "backend", "") == "duckdb" and hasattr(repo, "_cursor"):
        summary = store_summary(repo, TABLES)
        with repo._cursor() as cur:  # noqa: SLF001 - the DuckDB store's own export
            cur.execute(f"EXPORT DATABASE '{_sql_path(out)}' (FORMAT parquet)")
    else:  # each table read once: the file and its manifest entry come from the same rows
        summary = {}
        con = duckdb.connect()
        for table in TABLES:
            records = repo.list(table)
            summary[table] = table_summary(table, records)
            df = typed_frame(table, records)
            for col, kind in TABLES[table]:
                if kind == "list":  # typed_frame makes a blank cell []; the checksum keeps it None
                    df[col] = [None if r[col] is None else json.dumps(list(r[col]), ensure_ascii=False)
                               for r in records]
                elif kind == "datetime":
                    df[col] = df[col].dt.tz_convert("UTC").dt.tz_localize(None)
            con.register("_t", df)
            con.execute(f"COPY (SELECT * FROM _t) TO '{_sql_path(out / (table + '.parquet'))}' (FORMAT parquet)")
            con.unregister("_t")
        con.close()
    manifest = {"schema_version": SCHEMA_VERSION, "backend": getattr(repo, "backend", "?"), "tables": summary}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2))
    repo.apply([Log("backup_export", "store", "", str(out))], actor=actor)
    return manifest


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def read_backup(folder: Path) -> tuple[dict, dict[str, list[dict]]]:
    folder = Path(folder)
    manifest_path = folder / MANIFEST
    if not manifest_path.exists():
        raise DomainError(f"{folder} bukan folder cadangan (tidak ada {MANIFEST}).")
    manifest = json.loads(manifest_path.read_text())
    con = duckdb.connect()
    tables: dict[str, list[dict]] = {}
    for table in TABLES:
        file = folder / f"{table}.parquet"
        if not file.exists():
            raise DomainError(f"Cadangan tidak lengkap: {file.name} tidak ada.")
        cur = con.execute(f"SELECT {', '.join(chr(34) + c + chr(34) for c in columns(table))} "
                          f"FROM read_parquet('{_sql_path(file)}')")
        names = [d[0] for d in cur.description]
        rows = []
        for values in cur.fetchall():
            row = dict(zip(names, values, strict=True))
            for col, kind in TABLES[table]:
                if kind == "datetime" and row[col] is not None and row[col].tzinfo is None:
                    row[col] = row[col].replace(tzinfo=__import__("datetime").timezone.utc)
            rows.append(row)
        tables[table] = rows
    con.close()
    return manifest, tables


def restore_store(repo: Repository, folder: Path, actor: str = "restore") -> dict:
    manifest, tables = read_backup(folder)
    if any(repo.count(t) for t in TABLES):
        raise DomainError("Penyimpanan tujuan tidak kosong; pemulihan hanya ke penyimpanan kosong.")
    for table, rows in tables.items():
        expected = manifest["tables"][table]
        if table_summary(table, rows) != expected:
            raise DomainError(f"Cadangan rusak: tabel {table} tidak cocok dengan manifest.")
    for table, rows in tables.items():
        if rows:
            repo.import_rows(table, rows)
    after = store_summary(repo, TABLES)
    mismatched = [t for t in TABLES if after[t] != manifest["tables"][t]]
    if mismatched:
        raise DomainError(f"Pemulihan tidak utuh: {', '.join(mismatched)} berbeda dari cadangan.")
    repo.apply([Log("backup_restore", "store", "", str(folder))], actor=actor)
    return after

