"""Load the demo data into the configured store, or prepare it to start empty.

    python -m cli.demo            load the demo data into an empty store
    python -m cli.demo --empty    create the schema only; the app will not load demo data either

Exit codes: 0 done, 1 the store already holds data, 2 the store cannot be opened or used,
3 the data did not read back whole.
"""
from __future__ import annotations

import argparse
import sys

from data_access.demo import (EMPTY_MARK, DemoNotStored, is_empty, load_demo, mark_empty,
                              wants_empty)
from domain.errors import DomainError

EXIT_OK, EXIT_HAS_DATA, EXIT_FAILED, EXIT_NOT_STORED = 0, 1, 2, 3


def main(argv: list[str] | None = None) -> int:
    from data_access.config import install_clock, load_settings
    from data_access.factory import open_repository
    from data_access.file_store import open_file_store
    from data_access.work_calendar import load_calendar

    parser = argparse.ArgumentParser(description="Muat data demo ke penyimpanan (atau siapkan penyimpanan kosong).")
    parser.add_argument("--empty", action="store_true",
                        help="hanya buat skema, tanpa data demo; aplikasi juga tidak akan memuatnya")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        install_clock(settings)
        repo = open_repository(settings)
        if args.empty:
            if not is_empty(repo):
                print("Penyimpanan sudah berisi data; tidak diubah.")
                return EXIT_OK
            mark_empty(repo)
            if not wants_empty(repo):  # read back: the mark must be there, or the app loads demo data
                print(f"Gagal: tanda '{EMPTY_MARK}' tidak terbaca kembali dari penyimpanan setelah ditulis; "
                      "aplikasi akan memuat data demo. Periksa penyimpanan lalu ulangi.", file=sys.stderr)
                return EXIT_NOT_STORED
            print("Penyimpanan siap (kosong); data demo tidak akan dimuat saat aplikasi dimulai.")
            return EXIT_OK
        if not is_empty(repo):
            print("Penyimpanan sudah berisi data; data demo tidak dimuat.")
            return EXIT_HAS_DATA
        counts = load_demo(repo, load_calendar(repo, settings), verify=True, files=open_file_store(settings))
    except DemoNotStored as exc:
        print(f"Gagal: {exc.message}", file=sys.stderr)
        return EXIT_NOT_STORED
    except DomainError as exc:
        print(f"Gagal: {exc.message}", file=sys.stderr)
        return EXIT_FAILED
    print("Data demo dimuat dan terbaca kembali utuh:", ", ".join(f"{k}={v}" for k, v in counts.items()))
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
