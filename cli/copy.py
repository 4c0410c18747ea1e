"""Copy a whole store from one backend to another and check it (the work is ``data_access.copy``).

    python -m cli.copy --from duckdb:data/sop_tracker.duckdb --to sheets
    python -m cli.copy --from sheets --to duckdb:data/dari-sheets.duckdb
    python -m cli.copy --from duckdb --to postgres:postgresql://sop@db/sop_tracker

Exit codes: 0 copied and read back equal, 1 read back different, 2 refused or failed.
"""
from __future__ import annotations

import argparse
import sys
from typing import Callable

from data_access.config import Settings, load_settings
from data_access.copy import SPECS, CopyRefused, copy_store, open_store
from domain.errors import DomainError

EXIT_OK, EXIT_MISMATCH, EXIT_REFUSED = 0, 1, 2


def main(argv: list[str] | None = None, settings: Settings | None = None,
         out: Callable[[str], None] = print) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m cli.copy",
        description="Salin seluruh isi penyimpanan antar-backend (DuckDB, Google Sheets, PostgreSQL), lalu periksa "
                    "jumlah baris dan checksum tiap tabel.")
    ap.add_argument("--from", dest="source", required=True, help=SPECS)
    ap.add_argument("--to", dest="target", required=True, help=SPECS)
    ap.add_argument("--force", action="store_true",
                    help="salin juga ke tujuan yang sudah berisi data (data lama disisihkan sebagai cadangan)")
    args = ap.parse_args(argv)
    settings = settings or load_settings()
    source = target = None
    try:
        source, source_label = open_store(args.source, settings)
        target, target_label = open_store(args.target, settings)
        if source_label == target_label:
            raise CopyRefused("Sumber dan tujuan sama; tidak ada yang disalin.")
        print(f"Menyalin {source_label} → {target_label}")
        target, ok = copy_store(source, target, force=args.force, target_label=target_label, out=out)
        if not ok:
            print(f"Gagal: yang terbaca kembali dari {target_label} tidak sama dengan yang disalin (lihat tabel "
                  "bertanda BEDA di atas). Tujuan jangan dipakai; ulangi dengan --force.", file=sys.stderr)
        return EXIT_OK if ok else EXIT_MISMATCH
    except CopyRefused as exc:
        print(exc, file=sys.stderr)
        return EXIT_REFUSED
    except DomainError as exc:
        print(f"Gagal: {exc.message}", file=sys.stderr)
        return EXIT_REFUSED
    finally:
        for repo in (source, target):
            if repo is not None:
                repo.close()


if __name__ == "__main__":
    raise SystemExit(main())
