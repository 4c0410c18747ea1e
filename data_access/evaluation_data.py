"""The records the yearly evaluation reads, as DataFrames, read once.

On DuckDB only the columns the evaluation uses are read (and only the step events of cases still
open or active since ``since``): a store of 10,000 cases holds some 600,000 step events, and the
whole table as Python objects would take several hundred MB. Other backends read whole tables
with ``Repository.frames`` (one batch read on Sheets). Either way the frames have the columns and
types of ``data_access.frames.typed_frame`` for the columns they carry.
"""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from data_access.schema import TYPES

EVALUATION_TABLES = ("executors", "cases", "step_events", "holds", "complaints", "complaint_actions",
                     "accounts", "units")

COLUMNS: dict[str, tuple[str, ...]] = {
    "executors": ("id", "name", "nip", "role", "active"),
    "cases": ("id", "number", "title", "unit_ids", "track", "drafts", "organisations", "meeting_location",
              "team_decree", "status", "started_at", "finished_at"),
    "step_events": ("case_id", "step_code", "status", "started_at", "finished_at", "due_at", "actor_id"),
    "holds": ("case_id", "start_at", "end_at"),
    "complaints": ("id", "receipt_no", "kind", "unit_id", "subject", "status", "delegated_to", "delegated_at",
                   "created_at", "answered_at", "closed_at", "answer", "resolution"),
    "complaint_actions": ("complaint_id", "created_at", "created_by"),
    "accounts": ("username", "executor_id"),  # never the password hashes
    "units": ("id", "name"),
}


def _typed(table: str, df: pd.DataFrame) -> pd.DataFrame:
    for col in df.columns:
        kind = TYPES[table][col]
        if kind == "datetime":
            s = pd.to_datetime(df[col])
            df[col] = (s.dt.tz_localize("UTC") if s.dt.tz is None else s.dt.tz_convert("UTC")).astype(
                "datetime64[us, UTC]")
        elif kind == "list":
            df[col] = df[col].map(lambda v: json.loads(v) if isinstance(v, str) else [])
        elif kind == "int":
            df[col] = pd.to_numeric(df[col]).astype("Int64")
        elif kind == "bool":
            df[col] = df[col].astype("boolean")
    return df


# Step-event columns with few distinct values, read as pandas categoricals (DuckDB ENUM): a
# fraction of the memory and time of one Python string per row.
CATEGORICAL = {"step_events": ("case_id", "step_code", "status", "actor_id")}


def _enum(repo, table: str, col: str) -> str:
    values = repo.sql(f'SELECT DISTINCT "{col}" AS v FROM {table} WHERE "{col}" IS NOT NULL ORDER BY 1')["v"]
    if not len(values):
        return "VARCHAR"
    return "ENUM(" + ", ".join("'" + str(v).replace("'", "''") + "'" for v in values) + ")"


def evaluation_frames(repo, since: dt.datetime | None = None) -> dict[str, pd.DataFrame]:
    """The evaluation's tables; step events of cases with no activity since ``since`` may be left out."""
    if not hasattr(repo, "sql"):
        return repo.frames(list(EVALUATION_TABLES))
    out = {}
    session = getattr(repo, "session", None)
    from contextlib import nullcontext

    with session() if session else nullcontext():  # one open of the file for all the reads
        for table in EVALUATION_TABLES:
            enums = {c: _enum(repo, table, c) for c in CATEGORICAL.get(table, ())}
            cols = ", ".join(f'CAST("{c}" AS {enums[c]}) AS "{c}"' if c in enums else f'"{c}"'
                             for c in COLUMNS[table])
            sql, params = f"SELECT {cols} FROM {table}", []
            if table == "step_events" and since is not None:
                sql += (" WHERE case_id IN (SELECT case_id FROM step_events WHERE finished_at IS NULL "
                        "OR finished_at >= ?)")
                params.append(since.astimezone(dt.UTC).replace(tzinfo=None))
            df = _typed(table, repo.sql(sql, params))
            for c in CATEGORICAL.get(table, ()):
                if isinstance(df[c].dtype, pd.CategoricalDtype):
                    df[c] = df[c].cat.as_unordered()
            out[table] = df
    return out
