"""Tables as pandas DataFrames with the same dtypes on every backend."""
from __future__ import annotations

import pandas as pd

from data_access.schema import TABLES


def typed_frame(table: str, data) -> pd.DataFrame:
    """Columns in schema order; datetimes tz-aware UTC, dates naive midnight, ints nullable."""
    df = pd.DataFrame(data)
    for col, kind in TABLES[table]:
        if col not in df.columns:
            df[col] = None
        s = df[col]
        if kind == "datetime":
            s = pd.to_datetime(s, utc=True, format="mixed") if len(s) else pd.Series([], dtype="datetime64[us, UTC]")
            df[col] = s.astype("datetime64[us, UTC]")
        elif kind == "date":
            df[col] = pd.to_datetime(s).astype("datetime64[s]") if len(s) else pd.Series([], dtype="datetime64[s]")
        elif kind == "int":
            df[col] = pd.to_numeric(s).astype("Int64")
        elif kind == "float":
            df[col] = pd.to_numeric(s).astype("Float64")
        elif kind == "bool":
            df[col] = s.astype("boolean")
        elif kind == "list":
            df[col] = s.astype("object").map(lambda v: list(v) if isinstance(v, (list, tuple))
                                             else ([] if v is None else v))  # object even when empty
        else:
            df[col] = s.astype("object").where(s.notna(), None)
    return df[[c for c, _ in TABLES[table]]]
