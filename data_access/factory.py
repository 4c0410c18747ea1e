"""The backend is chosen here, at the edge, from configuration."""
from __future__ import annotations

from data_access.config import Settings, load_settings
from data_access.repository import Repository


def open_repository(settings: Settings | None = None, *, keep_open: bool | None = None,
                    linger: float = 0.0) -> Repository:
    settings = settings or load_settings()
    if settings.backend == "sheets":
        from data_access.sheets_store import open_sheets_repository  # gspread only when asked for

        repo = open_sheets_repository(settings)
    elif settings.backend == "postgres":
        from data_access.postgres_store import PostgresRepository  # psycopg only when asked for

        repo = PostgresRepository(settings.postgres_url or "")
    else:
        from data_access.duckdb_store import DuckDBRepository

        path = settings.duckdb_path
        repo = DuckDBRepository(path if path == ":memory:" else settings.resolve(path), keep_open=keep_open,
                                linger=linger)
    repo.init()
    return repo
