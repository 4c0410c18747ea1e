"""The tables of the store, shared by every backend. Column order is the sheet's header order.

Types: str, int, float, bool, date, datetime (aware; kept as UTC), list (of str; JSON text).
Every table but ``audit`` has ``id`` and ``version``: ``version`` is the optimistic-concurrency
counter, raised by one on each accepted update.
"""
from __future__ import annotations

SCHEMA_VERSION = 9

# Columns added after a store was first created, by the schema version that added them. DuckDB adds
# them in its migration; Google Sheets appends any of them missing from an existing header row.
ADDED_COLUMNS: dict[int, dict[str, tuple[str, ...]]] = {
    2: {"complaints": ("case_ref", "assigned_to")},  # a typed case number; the Kabag's assigned executors
    # e-mail notices a person turned off; their mail language; the secret of their calendar feed
    3: {"accounts": ("notices_off", "mail_lang", "calendar_token")},
    4: {"step_events": ("party",)},  # who did a step the seed lets more than one party do
    7: {"accounts": ("ui_lang",)},  # the language a person chose for the app, kept for every browser
}
# Tables added after a store was first created, by the schema version that added them. DuckDB creates
# them in its migration; Google Sheets adds any missing worksheet on first use.
ADDED_TABLES: dict[int, tuple[str, ...]] = {
    3: ("notices",),
    5: ("flood_counts",),  # complaints filed and failed status look-ups, per client address and receipt number
    6: ("outputs", "calendar_entries"),  # the register of finished SP/SOP; the Bureau's own calendar
    # the yearly evaluation's records: the Karo's year (targets, conclusions, who acknowledges), each
    # conclusion with its document number, the notes per executor, reprimands and sanctions
    8: ("evaluation_years", "evaluation_conclusions", "evaluation_notes", "evaluation_sanctions"),
    9: ("sessions",),  # sign-ins held in the store, so that every app server knows them and a restart keeps them
}

_STAMPS = [("created_at", "datetime"), ("created_by", "str"), ("updated_at", "datetime"),
           ("updated_by", "str"), ("version", "int")]

TABLES: dict[str, list[tuple[str, str]]] = {
    "organisations": [("id", "str"), ("name", "str"), ("short_name", "str"), ("sort_order", "int"),
                      ("active", "bool"), *_STAMPS],
    "units": [("id", "str"), ("org_id", "str"), ("name", "str"), ("active", "bool"), *_STAMPS],
    "executors": [("id", "str"), ("name", "str"), ("nip", "str"), ("role", "str"), ("active", "bool"),
                  *_STAMPS],
    "cases": [("id", "str"), ("number", "str"), ("title", "str"), ("org_id", "str"), ("unit_ids", "list"),
              ("doc_kind", "str"), ("origin", "str"), ("track", "str"), ("drafts", "int"),
              ("organisations", "int"), ("meeting_location", "str"), ("team_decree", "str"),
              ("status", "str"), ("current_step", "str"), ("pic_id", "str"), ("target_date", "date"),
              ("notes", "str"), ("hold_since", "datetime"), ("hold_reason", "str"),
              ("started_at", "datetime"), ("finished_at", "datetime"), ("proposal_id", "str"), *_STAMPS],
    "step_events": [("id", "str"), ("case_id", "str"), ("step_code", "str"), ("status", "str"),
                    ("started_at", "datetime"), ("finished_at", "datetime"), ("due_at", "datetime"),
                    ("actor_id", "str"), ("note", "str"), ("doc_link", "str"), ("reason", "str"),
                    ("backdated", "bool"), ("party", "str"), *_STAMPS],
    "holds": [("id", "str"), ("case_id", "str"), ("start_at", "datetime"), ("end_at", "datetime"),
              ("reason", "str"), *_STAMPS],
    "proposals": [("id", "str"), ("number", "str"), ("unit_id", "str"), ("doc_kind", "str"), ("kind", "str"),
                  ("n_docs", "int"), ("reason", "str"), ("contact_name", "str"), ("contact", "str"),
                  ("status", "str"), ("decision_reason", "str"), ("decided_at", "datetime"),
                  ("decided_by", "str"), ("case_id", "str"), *_STAMPS],
    "complaints": [("id", "str"), ("receipt_no", "str"), ("kind", "str"), ("unit_id", "str"), ("name", "str"),
                   ("nip", "str"), ("email", "str"), ("phone", "str"), ("subject", "str"),
                   ("description", "str"), ("case_id", "str"), ("attachment_id", "str"),
                   ("status", "str"), ("handler", "str"), ("delegated_to", "str"), ("delegated_at", "datetime"),
                   ("instruction", "str"), ("due_at", "datetime"), ("resolution", "str"), ("answer", "str"),
                   ("answered_at", "datetime"), ("closed_at", "datetime"), ("reopen_reason", "str"),
                   ("case_ref", "str"), ("assigned_to", "list"), *_STAMPS],
    "complaint_actions": [("id", "str"), ("complaint_id", "str"), ("kind", "str"), ("text", "str"),
                          ("attachment_id", "str"), *_STAMPS],
    "attachments": [("id", "str"), ("name", "str"), ("mime", "str"), ("size", "int"), ("sha256", "str"),
                    ("path", "str"), *_STAMPS],
    "accounts": [("id", "str"), ("username", "str"), ("display_name", "str"), ("email", "str"),
                 ("password_hash", "str"), ("roles", "list"), ("unit_id", "str"), ("executor_id", "str"),
                 ("active", "bool"), ("must_change_password", "bool"), ("failed_attempts", "int"),
                 ("locked_until", "datetime"), ("last_login_at", "datetime"),
                 ("notices_off", "list"), ("mail_lang", "str"), ("calendar_token", "str"), ("ui_lang", "str"),
                 *_STAMPS],
    # One row per e-mail notice, claimed before it is sent and confirmed after: ``id`` is the notice's
    # key (what, about which record and instant, to whom), so a notice is never claimed twice.
    "notices": [("id", "str"), ("kind", "str"), ("account_id", "str"), ("recipient", "str"), ("subject", "str"),
                ("entity", "str"), ("entity_id", "str"), ("status", "str"), ("run_id", "str"),
                ("claimed_at", "datetime"), ("sent_at", "datetime"), ("error", "str"), *_STAMPS],
    # The register of finished SP/SOP: one row per document a case produced (its kind, title and unit,
    # the regulation's or internal document's number and date, where it is published and archived, and
    # the signed PDF as a row of ``attachments``).
    "outputs": [("id", "str"), ("case_id", "str"), ("kind", "str"), ("title", "str"), ("unit_id", "str"),
                ("doc_number", "str"), ("doc_date", "date"), ("web_link", "str"), ("archive_ref", "str"),
                ("attachment_id", "str"), *_STAMPS],
    # The Bureau's calendar as the Admin keeps it (domain/bureau_calendar.py): non-working and working
    # days, office hours per weekday, special periods and the standard office day; removed entries stay,
    # inactive.
    "calendar_entries": [("id", "str"), ("kind", "str"), ("first_day", "date"), ("last_day", "date"),
                         ("weekday", "int"), ("opens", "str"), ("closes", "str"), ("reason", "str"),
                         ("active", "bool"), *_STAMPS],
    "settings": [("id", "str"), ("value", "str"), *_STAMPS],
    "sequences": [("id", "str"), ("value", "int"), *_STAMPS],
    # One row per limit and key (a client address, a receipt number): the instants counted within the
    # limit's sliding window (domain/flood_limits.py).
    "flood_counts": [("id", "str"), ("kind", "str"), ("scope", "str"), ("key", "str"), ("hits", "list"),
                     *_STAMPS],
    # The Karo's record of one evaluation year (id: the year): targets, conclusions and follow-up, the
    # official who acknowledges ("Mengetahui"), and the conclusion in force (none: a draft).
    "evaluation_years": [("id", "str"), ("year", "int"), ("on_time_target", "float"), ("late_days_target", "float"),
                         ("conclusions", "str"), ("follow_up", "str"), ("acknowledger_title", "str"),
                         ("acknowledger_name", "str"), ("acknowledger_nip", "str"), ("conclusion_id", "str"),
                         *_STAMPS],
    # One row per time the Karo concluded a year: its document number, who signed, and if it was
    # reopened, when, by whom and why. Never deleted: each concluded version stays on record.
    "evaluation_conclusions": [("id", "str"), ("year", "int"), ("document_no", "str"), ("concluded_at", "datetime"),
                               ("concluded_by", "str"), ("signer_name", "str"), ("signer_nip", "str"),
                               ("reopened_at", "datetime"), ("reopened_by", "str"), ("reopen_reason", "str"),
                               *_STAMPS],
    # The Karo's notes on one executor for one year: competence (seed A.8, JSON of level by item), a
    # note, a recommendation, and how the year before's recommendation was followed up.
    "evaluation_notes": [("id", "str"), ("year", "int"), ("executor_id", "str"), ("competence", "str"),
                         ("competence_note", "str"), ("note", "str"), ("recommendation", "str"), ("follow_up", "str"),
                         *_STAMPS],
    # Reprimands and sanctions given to an executor (seed I.4), by the date decided; a withdrawn one
    # stays on record with its reason.
    "evaluation_sanctions": [("id", "str"), ("executor_id", "str"), ("kind", "str"), ("decided_on", "date"),
                             ("reason", "str"), ("reference", "str"), ("withdrawn", "bool"),
                             ("withdraw_reason", "str"), *_STAMPS],
    # One row per sign-in (domain/sign_in_sessions.py): the browser holds the token, the store only its
    # SHA-256. A row whose session ended is taken over by the account's next sign-in, so the table
    # stays about as long as the accounts' devices, not the sign-ins ever made.
    "sessions": [("id", "str"), ("account_id", "str"), ("token_hash", "str"), ("started_at", "datetime"),
                 ("last_seen", "datetime"), ("ended_at", "datetime"), ("end_reason", "str"), *_STAMPS],
    # Append-only: no code path updates or deletes it. `version` is the record's version after the write.
    "audit": [("id", "str"), ("at", "datetime"), ("actor", "str"), ("action", "str"), ("entity", "str"),
              ("entity_id", "str"), ("field", "str"), ("old", "str"), ("new", "str"), ("version", "int")],
}

# Values never written to the audit log in clear.
SENSITIVE = {("accounts", "password_hash"), ("accounts", "calendar_token"), ("sessions", "token_hash")}

# Tables whose row changes are not written to the audit log column by column: a sign-in session's
# events (sign_in, sign_out, session_expired) are audited by name as they happen, and its "last seen"
# instant, written every few minutes of activity, would otherwise fill the log (on Google Sheets, the
# spreadsheet's cell limit).
UNAUDITED = frozenset({"sessions"})

TYPES: dict[str, dict[str, str]] = {t: dict(cols) for t, cols in TABLES.items()}


def columns(table: str) -> list[str]:
    try:
        return [c for c, _ in TABLES[table]]
    except KeyError:
        raise KeyError(f"unknown table {table!r}") from None


def column_type(table: str, column: str) -> str:
    return TYPES[table][column]
