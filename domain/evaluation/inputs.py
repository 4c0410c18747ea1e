"""What the yearly evaluation reads from the store: its tables and columns, with the kinds the
schema gives them (``data_access/schema.py``; a test holds the two equal). The stores read exactly
these (``data_access/evaluation_data.py``); a table a store did not give is taken as empty."""
from __future__ import annotations

import pandas as pd

READ: dict[str, tuple[tuple[str, str], ...]] = {
    "executors": (("id", "str"), ("name", "str"), ("nip", "str"), ("role", "str"), ("active", "bool")),
    "cases": (("id", "str"), ("number", "str"), ("title", "str"), ("unit_ids", "list"), ("doc_kind", "str"),
              ("track", "str"), ("drafts", "int"), ("organisations", "int"), ("meeting_location", "str"),
              ("team_decree", "str"), ("status", "str"), ("pic_id", "str"), ("started_at", "datetime"),
              ("finished_at", "datetime"), ("hold_since", "datetime")),
    "step_events": (("case_id", "str"), ("step_code", "str"), ("status", "str"), ("started_at", "datetime"),
                    ("finished_at", "datetime"), ("actor_id", "str"), ("party", "str")),
    "holds": (("case_id", "str"), ("start_at", "datetime"), ("end_at", "datetime")),
    "complaints": (("id", "str"), ("receipt_no", "str"), ("kind", "str"), ("unit_id", "str"), ("subject", "str"),
                   ("status", "str"), ("delegated_to", "str"), ("delegated_at", "datetime"),
                   ("created_at", "datetime"), ("answered_at", "datetime"), ("closed_at", "datetime"),
                   ("answer", "str"), ("resolution", "str")),
    "complaint_actions": (("complaint_id", "str"), ("created_at", "datetime"), ("created_by", "str")),
    "accounts": (("username", "str"), ("executor_id", "str")),  # never the password hashes
    "units": (("id", "str"), ("name", "str")),
    # The Karo's records of the years (``conclusions``, ``notes``, ``sanctions``).
    "evaluation_years": (("id", "str"), ("year", "int"), ("on_time_target", "float"), ("late_days_target", "float"),
                         ("conclusions", "str"), ("follow_up", "str"), ("acknowledger_title", "str"),
                         ("acknowledger_name", "str"), ("acknowledger_nip", "str"), ("conclusion_id", "str"),
                         ("version", "int"), ("updated_by", "str"), ("updated_at", "datetime")),
    "evaluation_conclusions": (("id", "str"), ("year", "int"), ("document_no", "str"), ("concluded_at", "datetime"),
                               ("concluded_by", "str"), ("signer_name", "str"), ("signer_nip", "str"),
                               ("reopened_at", "datetime"), ("reopened_by", "str"), ("reopen_reason", "str"),
                               ("version", "int")),
    "evaluation_notes": (("id", "str"), ("year", "int"), ("executor_id", "str"), ("competence", "str"),
                         ("competence_note", "str"), ("note", "str"), ("recommendation", "str"), ("follow_up", "str"),
                         ("version", "int"), ("updated_by", "str"), ("updated_at", "datetime")),
    "evaluation_sanctions": (("id", "str"), ("executor_id", "str"), ("kind", "str"), ("decided_on", "date"),
                             ("reason", "str"), ("reference", "str"), ("withdrawn", "bool"),
                             ("withdraw_reason", "str"), ("version", "int")),
    "settings": (("id", "str"), ("value", "str")),  # the conclusions kept before the year's record existed
}
TABLES = tuple(READ)
COLUMNS: dict[str, tuple[str, ...]] = {t: tuple(c for c, _ in cols) for t, cols in READ.items()}

_DTYPES = {"str": object, "list": object, "int": "Int64", "float": "Float64", "bool": "boolean",
           "datetime": "datetime64[us, UTC]", "date": "datetime64[s]"}


def empty_frame(table: str) -> pd.DataFrame:
    """A table with no rows, its columns typed as a store's read types them."""
    return pd.DataFrame({c: pd.Series([], dtype=_DTYPES[kind]) for c, kind in READ[table]})
