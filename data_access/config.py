"""Configuration: ``.streamlit/secrets.toml`` and environment variables (environment wins).

The default needs nothing: DuckDB at ``data/sop_tracker.duckdb``, demo data on first start.
Read without Streamlit so that the command-line tools see exactly what the app sees.
"""
from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Settings:
    backend: str = "duckdb"  # duckdb | sheets
    duckdb_path: str = "data/sop_tracker.duckdb"
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
    extra: dict = field(default_factory=dict)

    def resolve(self, path: str) -> Path:
        p = Path(path)
        return p if p.is_absolute() else ROOT / p


_ENV = {
    "SOP_BACKEND": ("backend", str),
    "SOP_DUCKDB_PATH": ("duckdb_path", str),
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
    if s.backend not in ("duckdb", "sheets"):
        raise ValueError(f"SOP_BACKEND harus 'duckdb' atau 'sheets', bukan {s.backend!r}")
    return s
