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
    submissions_per_session: int = 5
    auth_mode: str = "password"  # password | oidc
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
    "SOP_SUBMISSIONS_PER_SESSION": ("submissions_per_session", int),
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
    for key, value in app.items():
        if hasattr(s, key):
            setattr(s, key, value)
        else:
            s.extra[key] = value
    if "gcp_service_account" in secrets:
        s.service_account = dict(secrets["gcp_service_account"])
    for var, (attr, conv) in _ENV.items():
        if env.get(var):
            setattr(s, attr, conv(env[var]))
    if env.get("SOP_SERVICE_ACCOUNT_FILE"):
        s.service_account = json.loads(Path(env["SOP_SERVICE_ACCOUNT_FILE"]).read_text())
    if s.backend not in BACKENDS:
        raise ValueError(f"SOP_BACKEND harus 'duckdb', 'sheets' atau 'postgres', bukan {s.backend!r}")
    return s
