"""What DuckDB and PostgreSQL spell differently in the dashboard's SQL (``data_access.analytics``).

The dashboard's queries are written once; the few expressions the two write differently, how the
figures' parts come back in one result, and how named parameters are bound are supplied by a
``Dialect``. DuckDB runs them in its file store and, over one batch read, in memory (Google Sheets);
PostgreSQL in its server, so that only the results leave it.

Stored instants are UTC in both: DuckDB keeps them as naive ``TIMESTAMP``, PostgreSQL as
``timestamptz`` (its sessions set to UTC by ``postgres_store``). Lists (a case's units) are JSON
text in DuckDB, ``jsonb`` in PostgreSQL.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

import pandas as pd

# A named parameter in the shared SQL: ``$name``; the same name may appear many times.
PARAMETER = re.compile(r"\$([a-z_]+)")


@dataclass(frozen=True)
class Dialect:
    name: str
    epoch_us: Callable[[str], str]       # microseconds since 1970 of a stored (UTC) instant, BIGINT
    int_div: str                         # integer division of two BIGINTs
    json_length: Callable[[str], str]    # the length of a stored list
    case_units: str                      # (case_id, unit_id, pos) for every unit listed by each case of ``c``
    stack: Callable[[Mapping[str, str]], str]  # the figures' parts in one result, told apart by ``part``
    split: Callable[[pd.DataFrame, Iterable[str]], dict[str, pd.DataFrame]]  # and apart again
    bind: Callable[[str, Mapping[str, Any]], tuple[str, Any]]  # ``$name`` to the driver's markers, with values


def _instant_value(value: Any, aware: bool) -> Any:
    """An instant as the driver binds it against the stored ones: naive UTC for DuckDB, aware UTC for
    PostgreSQL. Anything else is passed as it is."""
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
        return value if aware else value.replace(tzinfo=None)
    return value


# ---- DuckDB ----------------------------------------------------------------------------------------

def _duck_bind(sql: str, values: Mapping[str, Any]) -> tuple[str, list]:
    """``$name`` to DuckDB's numbered ``$1 …``, with the values in that order."""
    names: list[str] = []

    def number(m: re.Match) -> str:
        if m.group(1) not in names:
            names.append(m.group(1))
        return f"${names.index(m.group(1)) + 1}"

    text = PARAMETER.sub(number, sql)
    return text, [_instant_value(values[n], aware=False) for n in names]


def _duck_stack(parts: Mapping[str, str]) -> str:
    # Each part's columns prefixed with its name ("units__share_done"), stacked by column name.
    return "\nUNION ALL BY NAME\n".join(
        f"SELECT '{name}' AS part, COLUMNS('(.*)') AS '{name}__\\1' FROM ({sql}) AS part_{name}"
        for name, sql in parts.items())


def _duck_split(df: pd.DataFrame, names: Iterable[str]) -> dict[str, pd.DataFrame]:
    out = {}
    for name in names:
        prefix = f"{name}__"
        cols = [c for c in df.columns if c.startswith(prefix)]
        rows = df.loc[df["part"] == name, cols]
        out[name] = rows.rename(columns={c: c[len(prefix):] for c in cols}).reset_index(drop=True)
    return out


DUCKDB = Dialect(
    name="duckdb",
    epoch_us=lambda col: f"epoch_us({col})",
    int_div="//",
    json_length=lambda col: f"json_array_length({col})",
    case_units="""SELECT id AS case_id, unnest(from_json(unit_ids, '["VARCHAR"]')) AS unit_id,
         generate_subscripts(from_json(unit_ids, '["VARCHAR"]'), 1) AS pos FROM c""",
    stack=_duck_stack,
    split=_duck_split,
    bind=_duck_bind,
)


# ---- PostgreSQL ------------------------------------------------------------------------------------

def _pg_bind(sql: str, values: Mapping[str, Any]) -> tuple[str, dict]:
    """``$name`` to psycopg's ``%(name)s`` (a literal ``%`` doubled), with the values by name."""
    names: list[str] = []

    def named(m: re.Match) -> str:
        if m.group(1) not in names:
            names.append(m.group(1))
        return f"%({m.group(1)})s"

    text = PARAMETER.sub(named, sql.replace("%", "%%"))
    return text, {n: _instant_value(values[n], aware=True) for n in names}


def _pg_stack(parts: Mapping[str, str]) -> str:
    # PostgreSQL has no union by name: each part's rows travel as JSON objects (numbers exact:
    # floats are written in their shortest exact form; instants as ISO text, lists as JSON lists).
    return "\nUNION ALL\n".join(f"SELECT '{name}' AS part, to_jsonb(p) AS row FROM ({sql}) AS p"
                                for name, sql in parts.items())


def _pg_split(df: pd.DataFrame, names: Iterable[str]) -> dict[str, pd.DataFrame]:
    # A part without rows comes back without columns: its reader must not need them.
    return {name: pd.DataFrame.from_records(list(df.loc[df["part"] == name, "row"])) for name in names}


POSTGRES = Dialect(
    name="postgres",
    # extract(epoch …) of a timestamptz is exact (numeric) since PostgreSQL 14: microseconds kept.
    epoch_us=lambda col: f"CAST(extract(epoch FROM {col}) * 1000000 AS BIGINT)",
    int_div="/",
    json_length=lambda col: f"jsonb_array_length({col})",
    case_units="""SELECT c.id AS case_id, u.unit_id, u.pos
         FROM c, jsonb_array_elements_text(c.unit_ids) WITH ORDINALITY AS u(unit_id, pos)""",
    stack=_pg_stack,
    split=_pg_split,
    bind=_pg_bind,
)

DIALECTS = {d.name: d for d in (DUCKDB, POSTGRES)}
