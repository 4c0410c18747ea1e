"""Send the e-mail notices and digests that are due: the scheduler's command.

    python -m cli.send_notices [--now 2026-12-07T07:45+07:00] [--dry-run]

Run it every 15 minutes from cron or a systemd timer (README, "Pemberitahuan e-mail"). Each run
sends what is due and not yet sent, records every notice in the store (``notices``), and sends
nothing outside working time (weekends, holidays, collective leave, outside office hours).
``--now`` decides for that instant instead of the clock's; ``--dry-run`` lists what would be sent
and sends and records nothing. With ``calendar_dir`` set, each run also rewrites every person's
calendar feed (``mailer.calendar_feeds``), whether or not mail is switched on, at any hour.

Exit codes: 0 done (also: mail switched off, not working time, another run busy); 1 the relay could
not be reached or the connection broke (what was claimed before stays recorded); 2 the settings or
the store cannot be used.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys

from data_access.config import load_settings
from data_access.work_calendar import load_calendar
from domain.calendar import JAKARTA, WorkCalendar, format_datetime
from domain.errors import DomainError
from domain.texts import t
from mailer.calendar_feeds import write_feeds
from mailer.run_lock import lock_path, single_run
from mailer.service import load_data, send_due
from mailer.smtp import MailConfigError, Relay, RelaySettings, RelayUnavailable


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m cli.send_notices",
                                     description="Kirim pemberitahuan dan ringkasan e-mail yang jatuh waktu.")
    parser.add_argument("--now", help="putuskan untuk waktu ini (ISO 8601, mis. 2026-12-07T07:45+07:00); "
                                      "bawaan: sekarang")
    parser.add_argument("--dry-run", action="store_true", help="tampilkan saja, tanpa mengirim atau mencatat")
    return parser


def parse_now(text: str | None) -> dt.datetime:
    if not text:
        return dt.datetime.now(JAKARTA)
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError("--now harus memuat zona waktu, mis. 2026-12-07T07:45+07:00")
    return value


def main(argv: list[str] | None = None, repo=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        now = parse_now(args.now)
        settings = load_settings()
        mail = settings.mail_enabled or args.dry_run
        feeds = bool(settings.calendar_dir) and not args.dry_run
        if not mail and not feeds:
            print("Pemberitahuan e-mail tidak aktif (mail_enabled = false): tidak ada yang dikirim.")
            return 0
        if not settings.base_url:
            raise MailConfigError("base_url (SOP_BASE_URL) belum diisi: alamat aplikasi untuk tautan di e-mail, "
                                  "mis. https://sop-tracker.setneg.go.id")
        relay_settings = RelaySettings.from_settings(settings) if settings.mail_enabled and not args.dry_run else None
        WorkCalendar.from_config(settings.office_start, settings.office_end)  # the standard day is readable
    except (ValueError, MailConfigError) as exc:
        print(f"Gagal: {exc}", file=sys.stderr)
        return 2
    with single_run(lock_path(settings) if repo is None else None) as mine:
        if not mine:
            print("Pengiriman lain sedang berjalan untuk penyimpanan ini: tidak ada yang dikirim kali ini.")
            return 0
        try:
            if repo is None:
                from data_access.factory import open_repository

                repo = open_repository(settings)
            calendar = load_calendar(repo, settings)  # the Bureau's calendar as the store keeps it
            if feeds:
                counts = write_feeds(load_data(repo), settings.resolve(settings.calendar_dir), calendar, now,
                                     settings.base_url)
                print(f"Kalender tenggat: {counts['written']} berkas ditulis, {counts['removed']} dihapus.")
            if not mail:
                print("Pemberitahuan e-mail tidak aktif (mail_enabled = false): tidak ada yang dikirim.")
                return 0
            report = send_due(repo, calendar, now, base_url=settings.base_url, sender=settings.mail_from or "",
                              relay=(lambda: Relay(relay_settings)) if relay_settings else None,
                              dry_run=args.dry_run)
        except RelayUnavailable as exc:
            print(f"Gagal: {exc}. Tidak ada yang dikirim atau dicatat; coba lagi pada jalan berikutnya.",
                  file=sys.stderr)
            return 1
        except (DomainError, MailConfigError) as exc:
            print(f"Gagal: {getattr(exc, 'message', exc)}", file=sys.stderr)
            return 2
        except OSError as exc:  # the calendar folder cannot be written
            print(f"Gagal: calendar_dir {settings.calendar_dir!r}: {exc}", file=sys.stderr)
            return 2
    when = format_datetime(now)
    if not report.working_time:
        print(f"{when}: di luar jam kerja (akhir pekan, hari libur, atau di luar jam kantor): tidak ada yang dikirim.")
        return 0
    for notice, mail in report.due if args.dry_run else report.sent:
        print(f"{'akan dikirim' if args.dry_run else 'terkirim'}: {t('notice.kind.' + notice.kind)} → "
              f"{notice.to.email}: {mail.subject}")
    for notice, error in report.failed:
        print(f"gagal (tidak dikirim ulang): {notice.to.email}: {error}")
    for notice, error in report.deferred:
        print(f"ditunda (dicoba lagi nanti): {notice.to.email}: {error}")
    for row in report.unconfirmed:
        print(f"belum terkonfirmasi sejak {format_datetime(row.get('claimed_at'))}: {row.get('recipient')}: "
              f"{row.get('subject')} (mungkin sudah sampai; tidak dikirim ulang)")
    counted = len(report.due) if args.dry_run else len(report.sent)
    print(f"{when}: {counted} {'akan dikirim' if args.dry_run else 'terkirim'}, {len(report.failed)} gagal, "
          f"{len(report.deferred)} ditunda, {len(report.unconfirmed)} klaim lama belum terkonfirmasi.")
    if report.lost is not None:
        print(f"Gagal: {report.error}. Pemberitahuan untuk {report.lost.to.email} tetap tercatat sebagai klaim "
              "(mungkin sudah sampai); sisanya dikirim pada jalan berikutnya.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
