"""Configuration: ``.streamlit/secrets.toml`` and environment variables (environment wins).

The default needs nothing: DuckDB at ``data/sop_tracker.duckdb``, demo data on first start.
Read without Streamlit so that the command-line tools see exactly what the app sees.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from domain.calendar import JAKARTA, clock_from, clock_is_real, set_clock

ROOT = Path(__file__).resolve().parent.parent
BACKENDS = ("duckdb", "sheets", "postgres")


@dataclass
class Settings:
    backend: str = "duckdb"  # duckdb | sheets | postgres
    duckdb_path: str = "data/sop_tracker.duckdb"
    postgres_url: str | None = None  # postgresql://user:password@host:5432/database
    sheets_key: str | None = None  # spreadsheet key or URL
    sheets_endpoint: str | None = None  # overrides https://sheets.googleapis.com (proxy, local stand-in)
    service_account: dict | None = None  # the service-account JSON fields
    attachments_dir: str = "data/lampiran"
    demo_data: bool = True  # load demo data into an empty store on first start
    office_start: str = "07:30"
    office_end: str = "16:00"
    complaint_response_days: int = 5
    session_timeout_minutes: int = 30
    max_login_failures: int = 5
    lockout_minutes: int = 15
    max_upload_mb: int = 5
    # Flood limits, counted in the store over a sliding window (domain/flood_limits.py).
    complaints_per_address: int = 5
    complaint_window_minutes: int = 60
    lookup_failures_per_address: int = 10
    lookup_failures_per_receipt: int = 5
    lookup_window_minutes: int = 60
    client_address_header: str = ""  # behind a reverse proxy: the header it puts the client's address in
    auth_mode: str = "password"  # password | oidc
    clock_start: str | None = None  # ISO instant the app's clock starts from (demonstrations, tests)
    # E-mail notices (off by default): the ministry's relay, with STARTTLS and a login.
    mail_enabled: bool = False
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_security: str = "starttls"  # starttls | ssl | none
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_ca_file: str | None = None  # the relay's CA certificate, when it is not in the system's store
    smtp_timeout_seconds: int = 30
    mail_from: str | None = None  # "SOP Tracker <sop-tracker@setneg.go.id>"
    base_url: str | None = None  # the app's address, for the links in mails
    calendar_dir: str | None = None  # where the scheduled run writes each person's feed (<token>.ics)
    calendar_url: str | None = None  # the public address of that folder (served by the web server)
    extra: dict = field(default_factory=dict)

    def resolve(self, path: str) -> Path:
        p = Path(path)
        return p if p.is_absolute() else ROOT / p


_ENV = {
    "SOP_BACKEND": ("backend", str),
    "SOP_DUCKDB_PATH": ("duckdb_path", str),
    "SOP_POSTGRES_URL": ("postgres_url", str),
    "SOP_SHEETS_KEY": ("sheets_key", str),
    "SOP_SHEETS_ENDPOINT": ("sheets_endpoint", str),
    "SOP_ATTACHMENTS_DIR": ("attachments_dir", str),
    "SOP_DEMO_DATA": ("demo_data", lambda v: v.strip().lower() in ("1", "true", "ya", "yes")),
    "SOP_OFFICE_START": ("office_start", str),
    "SOP_OFFICE_END": ("office_end", str),
    "SOP_COMPLAINT_RESPONSE_DAYS": ("complaint_response_days", int),
    "SOP_SESSION_TIMEOUT_MINUTES": ("session_timeout_minutes", int),
    "SOP_MAX_LOGIN_FAILURES": ("max_login_failures", int),
    "SOP_LOCKOUT_MINUTES": ("lockout_minutes", int),
    "SOP_MAX_UPLOAD_MB": ("max_upload_mb", int),
    "SOP_COMPLAINTS_PER_ADDRESS": ("complaints_per_address", int),
    "SOP_COMPLAINT_WINDOW_MINUTES": ("complaint_window_minutes", int),
    "SOP_LOOKUP_FAILURES_PER_ADDRESS": ("lookup_failures_per_address", int),
    "SOP_LOOKUP_FAILURES_PER_RECEIPT": ("lookup_failures_per_receipt", int),
    "SOP_LOOKUP_WINDOW_MINUTES": ("lookup_window_minutes", int),
    "SOP_CLIENT_ADDRESS_HEADER": ("client_address_header", str),
    "SOP_AUTH_MODE": ("auth_mode", str),
    "SOP_CLOCK_START": ("clock_start", str),
    "SOP_MAIL_ENABLED": ("mail_enabled", lambda v: v.strip().lower() in ("1", "true", "ya", "yes")),
    "SOP_SMTP_HOST": ("smtp_host", str),
    "SOP_SMTP_PORT": ("smtp_port", int),
    "SOP_SMTP_SECURITY": ("smtp_security", str),
    "SOP_SMTP_USERNAME": ("smtp_username", str),
    "SOP_SMTP_PASSWORD": ("smtp_password", str),
    "SOP_SMTP_CA_FILE": ("smtp_ca_file", str),
    "SOP_SMTP_TIMEOUT_SECONDS": ("smtp_timeout_seconds", int),
    "SOP_MAIL_FROM": ("mail_from", str),
    "SOP_BASE_URL": ("base_url", str),
    "SOP_CALENDAR_DIR": ("calendar_dir", str),
    "SOP_CALENDAR_URL": ("calendar_url", str),
}


def _secrets_file() -> Path:
    return Path(os.environ.get("SOP_SECRETS_FILE", ROOT / ".streamlit" / "secrets.toml"))


def load_settings(secrets: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    if secrets is None:
        path = _secrets_file()
        secrets = tomllib.loads(path.read_text()) if path.exists() else {}
    s = Settings()
    app = dict(secrets.get("sop_tracker", {}))
    if "submissions_per_session" in app:  # the earlier name, counted per browser session
        app.setdefault("complaints_per_address", app.pop("submissions_per_session"))
    for key, value in app.items():
        if hasattr(s, key):
            setattr(s, key, value)
        else:
            s.extra[key] = value
    if "gcp_service_account" in secrets:
        s.service_account = dict(secrets["gcp_service_account"])
    if env.get("SOP_SUBMISSIONS_PER_SESSION") and not env.get("SOP_COMPLAINTS_PER_ADDRESS"):
        s.complaints_per_address = int(env["SOP_SUBMISSIONS_PER_SESSION"])
    for var, (attr, conv) in _ENV.items():
        if env.get(var):
            setattr(s, attr, conv(env[var]))
    if env.get("SOP_SERVICE_ACCOUNT_FILE"):
        s.service_account = json.loads(Path(env["SOP_SERVICE_ACCOUNT_FILE"]).read_text())
    if s.backend not in BACKENDS:
        raise ValueError(f"SOP_BACKEND harus 'duckdb', 'sheets' atau 'postgres', bukan {s.backend!r}")
    return s


def clock_start(settings: Settings) -> dt.datetime | None:
    """The configured start instant of the app's clock (a time without a zone is Asia/Jakarta)."""
    if not settings.clock_start:
        return None
    try:
        instant = dt.datetime.fromisoformat(str(settings.clock_start).strip())
    except ValueError:
        raise ValueError(f"SOP_CLOCK_START bukan waktu ISO yang sah: {settings.clock_start!r}") from None
    return instant if instant.tzinfo else instant.replace(tzinfo=JAKARTA)


def install_clock(settings: Settings) -> None:
    """Let the process's clock run from the configured start instant, if one is set and the clock is
    still the real one (a clock set by the process itself, as tests set theirs, is kept)."""
    start = clock_start(settings)
    if start is not None and clock_is_real():
        set_clock(clock_from(start))
