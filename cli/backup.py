"""Back up or restore the whole configured store (the work is ``data_access.backup``).

    python -m cli.backup export --out backups/2026-11-29
    python -m cli.backup restore --from backups/2026-11-29

Exit codes: 0 done, 2 refused or failed (the reason after "Gagal:").
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from data_access.backup import export_store, restore_store
from domain.errors import DomainError


def main(argv: list[str] | None = None) -> int:
    from data_access.factory import open_repository

    ap = argparse.ArgumentParser(description="Cadangkan atau pulihkan seluruh penyimpanan.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("export", help="ekspor seluruh penyimpanan ke folder (Parquet + manifest)")
    e.add_argument("--out", required=True, type=Path)
    r = sub.add_parser("restore", help="pulihkan cadangan ke penyimpanan kosong")
    r.add_argument("--from", dest="src", required=True, type=Path)
    args = ap.parse_args(argv)
    try:
        repo = open_repository()
        result = export_store(repo, args.out)["tables"] if args.cmd == "export" else restore_store(repo, args.src)
    except DomainError as exc:
        print(f"Gagal: {exc}", file=sys.stderr)
        return 2
    for table, info in result.items():
        print(f"{table:>18}: {info['rows']:>8} baris  sha256 {info['sha256'][:16]}")
    print("Selesai.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
