"""Accounts from the server's console: the first administrator, and recovery when no one can sign in.

    python -m cli.accounts create-admin --username nama [--display-name "..."] [--email ...]
    python -m cli.accounts reset-password --username nama
    python -m cli.accounts unlock --username nama
    python -m cli.accounts list

``create-admin`` reads the password from ``SOP_ADMIN_PASSWORD`` or asks for it twice (never an
argument: it would stay in the shell history). It uses the store the app is configured with.
Writes are audited as ``konsol``. Exit codes: 0 done, 1 refused (unknown account, weak password ...),
2 the store cannot be opened or used (e.g. the DuckDB file is held by another process).
"""
from __future__ import annotations

import argparse
import getpass
import os
import sys

from domain.accounts import create_admin, find_account, reset_password, unlock_account
from domain.errors import DomainError, StoreUnavailableError
from domain.permissions import ADMIN, Actor

CONSOLE = Actor(id="konsol", username="konsol", display_name="Konsol server", roles=frozenset({ADMIN}))


def _password() -> str:
    if os.environ.get("SOP_ADMIN_PASSWORD"):
        return os.environ["SOP_ADMIN_PASSWORD"]
    if not sys.stdin.isatty():
        raise SystemExit("Tidak ada terminal: isi SOP_ADMIN_PASSWORD untuk kata sandi administrator.")
    first = getpass.getpass("Kata sandi administrator: ")
    if getpass.getpass("Ulangi kata sandi: ") != first:
        raise SystemExit("Kedua kata sandi tidak sama; tidak ada yang diubah.")
    return first


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m cli.accounts",
                                     description="Akun SOP Tracker dari konsol server.")
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create-admin", help="buat akun administrator (kata sandi dari SOP_ADMIN_PASSWORD "
                                                 "atau ditanyakan)")
    create.add_argument("--username", required=True)
    create.add_argument("--display-name", default="")
    create.add_argument("--email", default="")
    for name, text in (("reset-password", "kata sandi sekali pakai baru (wajib diganti saat masuk)"),
                       ("unlock", "buka kunci akun setelah terlalu banyak percobaan gagal")):
        sub.add_parser(name, help=text).add_argument("--username", required=True)
    sub.add_parser("list", help="daftar akun (tanpa kata sandi)")
    return parser


def commands() -> list[str]:
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return list(sub.choices)


def main(argv: list[str] | None = None, repo=None) -> int:
    args = build_parser().parse_args(argv)

    if repo is None:
        from data_access.config import load_settings
        from data_access.factory import open_repository

        try:
            repo = open_repository(load_settings())
        except DomainError as exc:
            print(f"Gagal: {exc.message}", file=sys.stderr)
            return 2
    try:
        if args.command == "create-admin":
            account = create_admin(repo, args.username, _password(), display_name=args.display_name,
                                   email=args.email)
            print(f"Administrator '{account['username']}' dibuat. Masuk di halaman /masuk.")
        elif args.command == "list":
            for a in repo.list("accounts"):
                state = "aktif" if a.get("active") else "nonaktif"
                print(f"{a['username']:<20} {','.join(a.get('roles') or []):<24} {state}"
                      + (f"  terkunci sampai {a['locked_until']:%Y-%m-%d %H:%M} UTC" if a.get("locked_until") else ""))
        else:
            account = find_account(repo, args.username)
            if account is None:
                print(f"Akun '{args.username}' tidak ada.", file=sys.stderr)
                return 1
            if args.command == "reset-password":
                temporary = reset_password(repo, CONSOLE, account["id"], account["version"])
                print(f"Kata sandi sekali pakai untuk '{account['username']}': {temporary}\n"
                      "Sampaikan secara langsung; wajib diganti saat masuk berikutnya.")
            else:
                unlock_account(repo, CONSOLE, account["id"], account["version"])
                print(f"Akun '{account['username']}' tidak terkunci lagi.")
    except DomainError as exc:
        print(f"Gagal: {exc.message}", file=sys.stderr)
        return 2 if isinstance(exc, StoreUnavailableError) else 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
