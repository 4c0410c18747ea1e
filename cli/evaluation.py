"""The yearly executor evaluation from the command line, for scheduled generation on the configured
backend (also while the app runs on the same DuckDB file: the store opens the file only while it
reads):

    python -m cli.evaluation --year 2026 --out evaluasi-2026.pdf
    python -m cli.evaluation --year 2026 --executor EX-STAF1 --out lembar.pdf

It reads and computes the figures, lets the stored records go and gives their memory back to the
system, and only then loads the PDF library and lays out the PDF: the peak memory is that of the
larger part, not of both.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from cli.process_memory import return_freed_memory
from domain.errors import DomainError
from domain.evaluation import Evaluation
from reports.evaluation import build_executor_pdf, build_yearly_pdf, page_count


def load_evaluation(year: int, now: dt.datetime | None = None) -> Evaluation:
    """The one place the command line touches the store: open it, read the year, close it."""
    from data_access.config import install_clock, load_settings
    from data_access.evaluation_data import evaluation_for_year
    from data_access.factory import open_repository
    from data_access.work_calendar import load_calendar
    from domain.calendar import now as jakarta_now
    from domain.errors import StoreUnavailableError

    settings = load_settings()
    install_clock(settings)
    if settings.backend == "duckdb" and settings.duckdb_path != ":memory:":
        path = settings.resolve(settings.duckdb_path)
        if not path.exists():
            raise StoreUnavailableError(f"Berkas basis data {path} tidak ada. Periksa SOP_DUCKDB_PATH atau "
                                        "jalankan aplikasi sekali untuk membuatnya.")
    repo = open_repository(settings)
    try:
        calendar = load_calendar(repo, settings)  # the Bureau's calendar as the store keeps it
        return evaluation_for_year(repo, year, calendar, now or jakarta_now(),
                                   complaint_standard_days=settings.complaint_response_days)
    finally:
        repo.close()


def main(argv: list[str] | None = None) -> int:
    from data_access.config import install_clock, load_settings
    from domain.calendar import now as jakarta_now

    try:
        install_clock(load_settings())  # before "this year" is taken as the default year
    except (OSError, ValueError):
        pass  # reported below, where the store is opened

    parser = argparse.ArgumentParser(prog="python -m cli.evaluation",
                                     description="Buat PDF Evaluasi Kinerja Pelaksana untuk satu tahun.")
    parser.add_argument("--year", type=int, default=jakarta_now().year, help="tahun evaluasi (bawaan: tahun ini)")
    parser.add_argument("--out", help="berkas PDF keluaran (bawaan: evaluasi-<tahun>.pdf)")
    parser.add_argument("--executor", help="ID pelaksana: buat lembar satu halaman untuk pelaksana ini saja")
    parser.add_argument("--lang", choices=("id", "en"), default="id", help="bahasa dokumen (bawaan: id)")
    args = parser.parse_args(argv)
    out = Path(args.out or (f"evaluasi-{args.year}" + (f"-{args.executor}" if args.executor else "") + ".pdf"))
    try:
        ev = load_evaluation(args.year)
        # The stored records are gone with the figures done; their memory goes back before the PDF
        # library loads, so that the peak is that of the larger part, not of both.
        return_freed_memory()
        pdf = build_executor_pdf(ev, args.executor, args.lang) if args.executor else build_yearly_pdf(ev, args.lang)
    except DomainError as exc:
        print(f"Gagal: {exc.message}", file=sys.stderr)
        return 2
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(pdf)
    tmp.replace(out)  # never a half-written PDF under the final name
    print(report_line(ev, out, page_count(pdf), len(pdf), 1 if args.executor else len(ev.evaluated_executors),
                      args.lang))
    return 0


def report_line(ev: Evaluation, out: Path, pages: int, size: int, executors: int, lang: str = "id") -> str:
    """What was made: the year, provisional or final (and concluded or a draft), pages, executors, where."""
    from domain.calendar import format_date
    from domain.evaluation import fmt_int
    from domain.texts import t

    if ev.final:
        state = t("evaluation.cli.final", lang, number=ev.conclusions.concluded.document_no)
    elif ev.provisional:
        state = t("evaluation.cli.provisional", lang, date=format_date(ev.as_of, lang))
    else:
        state = t("evaluation.cli.draft", lang)
    return t("evaluation.cli.made", lang, year=ev.year, state=state, pages=pages, executors=executors,
             path=out.resolve(), size=fmt_int(size))


if __name__ == "__main__":
    raise SystemExit(main())
