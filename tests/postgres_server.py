"""A real PostgreSQL server for the tests: Debian's ``postgresql`` binaries, a throw-away cluster in a
temp folder, reached over a Unix socket in that folder (no TCP port to collide with), started once
per test session and stopped at its end. ``SOP_TEST_POSTGRES_URL`` points the tests at a server of
one's own instead.

Every test gets an empty store of its own: a fresh schema, named in the connection URL's
``search_path``, dropped afterwards.

``initdb`` refuses to run as root (as CI does); the cluster then belongs to Debian's ``postgres``
system user and its programs run through ``runuser``.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

SUPERUSER = "sop"


def _bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise RuntimeError("PostgreSQL is not installed: run scripts/setup-tests.sh (Debian's postgresql), "
                       "or set SOP_TEST_POSTGRES_URL to a server the tests may create schemas in.")


def _as_owner(owner: str | None, argv: list[str]) -> list[str]:
    return ["runuser", "-u", owner, "--", *argv] if owner else argv


@contextmanager
def local_cluster() -> Iterator[str]:
    """Start a cluster in a new temp folder; yields its superuser connection URL."""
    bindir = _bindir()
    owner = None
    if os.geteuid() == 0:
        owner = "postgres"
        try:
            pwd.getpwnam(owner)
        except KeyError:
            raise RuntimeError("Running as root needs Debian's 'postgres' system user "
                               "(apt-get install postgresql creates it).") from None
    # Not under pytest's own temp folder: as root that one is closed to the 'postgres' user.
    base = Path(tempfile.mkdtemp(prefix="sop-pg-"))
    data, log = base / "data", base / "server.log"
    if owner:
        info = pwd.getpwnam(owner)
        os.chown(base, info.pw_uid, info.pw_gid)
    base.chmod(0o700)
    try:
        subprocess.run(_as_owner(owner, [str(bindir / "initdb"), "-D", str(data), "-U", SUPERUSER, "-A", "trust",
                                         "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]),
                       check=True, capture_output=True, timeout=120)
        # Durability is not under test here (a cluster thrown away at the end): skip the disk syncs.
        options = (f"-c listen_addresses='' -k {base} -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c max_connections=200 -c shared_buffers=64MB")
        subprocess.run(_as_owner(owner, [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w",
                                         "-t", "60", "-o", options, "start"]),
                       check=True, capture_output=True, timeout=90)
    except subprocess.CalledProcessError as exc:
        text = (exc.stderr or b"").decode(errors="replace")
        if log.exists():
            text += log.read_text(errors="replace")
        shutil.rmtree(base, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL test cluster did not start: {text}") from exc
    try:
        yield f"postgresql://{SUPERUSER}@/postgres?host={quote(str(base), safe='')}"
    finally:
        subprocess.run(_as_owner(owner, [str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                       capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


@contextmanager
def server() -> Iterator[str]:
    """The URL of the server the tests use: SOP_TEST_POSTGRES_URL, or a cluster started here."""
    given = os.environ.get("SOP_TEST_POSTGRES_URL")
    if given:
        yield given
    else:
        with local_cluster() as url:
            yield url


def with_search_path(url: str, schema: str) -> str:
    """``url`` with its connections working in ``schema``."""
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options={quote(f'-csearch_path={schema}', safe='')}"


@contextmanager
def fresh_schema(url: str) -> Iterator[str]:
    """A new, empty schema on the server; yields a URL working in it; drops it afterwards."""
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield with_search_path(url, schema)
    finally:
        with psycopg.connect(url, autocommit=True) as con:
            con.execute(f'DROP SCHEMA "{schema}" CASCADE')
