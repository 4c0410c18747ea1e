"""The records the yearly evaluation reads, as DataFrames, read once; and the year's evaluation
from a store (the page, through ``ui/evaluation_reads.py``, and the command line share it).

What is read is named by the domain (``domain/evaluation/inputs.py``). On DuckDB and PostgreSQL only
those columns are read, and only the step events of cases still open or active since the year
before: a store of 10,000 cases holds some 745,000 step events. Google Sheets reads whole tables with
``Repository.frames`` (one batch read) and keeps the same columns. Either way the frames carry the
dtypes of ``data_access.frames.typed_frame`` (step-event text columns may come as categoricals).
"""
from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd

from domain.ports import RunsSql, store_session

from data_access.schema import TYPES
from domain.calendar import JAKARTA, WorkCalendar
from domain.evaluation import Evaluation, check_year, evaluate
from domain.evaluation.inputs import COLUMNS, TABLES

EVALUATION_TABLES = TABLES

# Step-event columns with few distinct values, read as pandas categoricals: a fraction of the
# memory and time of one string per row. DuckDB sends only each row's code (``enum_code`` of a
# cast to an ENUM of the column's distinct values) and each instant as integer microseconds;
# pandas gets the values once.
CATEGORICAL = {"step_events": ("case_id", "step_code", "status", "actor_id", "party")}
NAT = np.iinfo(np.int64).min  # NaT as an integer of datetime64


def _typed(table: str, df: pd.DataFrame) -> pd.DataFrame:
    for col in df.columns:
        kind = TYPES[table][col]
        if kind == "datetime" and not isinstance(df[col].dtype, pd.DatetimeTZDtype):
            if pd.api.types.is_integer_dtype(df[col].dtype):  # microseconds, NAT where missing
                df[col] = pd.Series(df[col].to_numpy().view("datetime64[us]")).dt.tz_localize("UTC")
            else:
                s = pd.to_datetime(df[col])
                df[col] = (s.dt.tz_localize("UTC") if s.dt.tz is None else s.dt.tz_convert("UTC")).astype(
                    "datetime64[us, UTC]")
        elif kind == "datetime":
            df[col] = df[col].dt.tz_convert("UTC").astype("datetime64[us, UTC]")
        elif kind == "list":
            df[col] = df[col].map(lambda v: json.loads(v) if isinstance(v, str) else list(v) if isinstance(
                v, list) else [])
        elif kind == "int":
            df[col] = pd.to_numeric(df[col]).astype("Int64")
        elif kind == "bool":
            df[col] = df[col].astype("boolean")
    return df


def _distinct(repo, table: str, col: str) -> list:
    return repo.sql(f'SELECT DISTINCT "{col}" AS v FROM {table} WHERE "{col}" IS NOT NULL ORDER BY 1')["v"].tolist()


def _enum_type(values: list) -> str:
    return "ENUM(" + ", ".join("'" + str(v).replace("'", "''") + "'" for v in values) + ")"


def _code_of(col: str, values: list) -> str:
    if not values:
        return f'CAST(-1 AS INTEGER) AS "{col}"'
    return f'coalesce(CAST(enum_code(TRY_CAST("{col}" AS {_enum_type(values)})) AS INTEGER), -1) AS "{col}"'


# The cases whose step events a year needs: a step still open, or one finished since then.
_ACTIVE_CASES = ("SELECT case_id FROM step_events WHERE case_id IS NOT NULL GROUP BY case_id "
                 "HAVING bool_or(finished_at IS NULL OR finished_at >= {since})")


def evaluation_frames(repo, since: dt.datetime | None = None) -> dict[str, pd.DataFrame]:
    """The evaluation's tables; step events of cases with no activity since ``since`` may be left out."""
    if isinstance(repo, RunsSql) and repo.sql_dialect == "postgres":
        return _server_frames(repo, since)
    if not isinstance(repo, RunsSql):
        frames = repo.frames(list(EVALUATION_TABLES))
        # The same columns as the SQL read: a password hash never leaves the store for a report.
        return {t: df[[c for c in COLUMNS[t] if c in df.columns]] for t, df in frames.items()}
    out = {}
    with store_session(repo):  # one open of the file for all the reads
        for table in EVALUATION_TABLES:
            filtered = table == "step_events" and since is not None
            values = {c: _distinct(repo, table, c) for c in CATEGORICAL.get(table, ())
                      if not (filtered and c == "case_id")}
            where = ""
            if filtered:
                # Only the cases with a step open or finished since then: their numbers become the
                # ENUM, and an event whose case is not in it is left out (a filter, not a join).
                values["case_id"] = repo.sql(
                    f"SELECT case_id AS v FROM ({_ACTIVE_CASES.format(since='?')}) ORDER BY 1",
                    [since.astimezone(dt.UTC).replace(tzinfo=None)])["v"].tolist()
                where = ' WHERE "case_id" >= 0'  # the code is -1 for a case not in the ENUM
            cols = ", ".join(_select(table, c, values) for c in COLUMNS[table])
            df = repo.sql(f"SELECT * FROM (SELECT {cols} FROM {table}){where}")
            for c, known in values.items():
                df[c] = pd.Categorical.from_codes(df[c].to_numpy(), categories=pd.Index(known, dtype=object))
            out[table] = _typed(table, df)
    return out


def _select(table: str, col: str, values: dict) -> str:
    if col in values:
        return _code_of(col, values[col])
    if table in CATEGORICAL and TYPES[table][col] == "datetime":  # the large table: instants as integers
        return f'coalesce(epoch_us("{col}"), {NAT}) AS "{col}"'
    return f'"{col}"'


def _server_frames(repo, since: dt.datetime | None) -> dict[str, pd.DataFrame]:
    """The same columns and filter on a database server (PostgreSQL), the low-cardinality step-event
    columns as categoricals."""
    out = {}
    with repo.session():  # one connection for all the reads
        for table in EVALUATION_TABLES:
            where, params = "", []
            if table == "step_events" and since is not None:
                where = f"case_id IN ({_ACTIVE_CASES.format(since='%s')})"
                params = [since.astimezone(dt.UTC)]
            out[table] = _typed(table, repo.columns_frame(table, COLUMNS[table], where, params,
                                                          categorical=CATEGORICAL.get(table, ())))
    return out


def year_frames(repo, year: int) -> dict[str, pd.DataFrame]:
    """What the evaluation of ``year`` needs: that year's records and the year before's."""
    since = dt.datetime(check_year(year) - 1, 1, 1, tzinfo=JAKARTA)
    return evaluation_frames(repo, since)


def evaluation_for_year(repo, year: int, calendar: WorkCalendar, now: dt.datetime, *,
                        complaint_standard_days: int = 5) -> Evaluation:
    """Read the store once (the Karo's records of the year with the rest) and compute the year's
    evaluation."""
    year = check_year(year)
    return evaluate(year_frames(repo, year), year, calendar, now=now, complaint_standard_days=complaint_standard_days)
