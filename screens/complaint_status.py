"""Status Pengaduan (/status-pengaduan): the complainant looks up a complaint by its receipt number
and a contact given at filing, and sees its status and the answer — nothing about anyone else.
A signed-in unit user also sees, read-only, the complaints filed for their own unit (number, kind,
subject, status, dates; no contacts, no internal notes)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from domain import complaints as cp
from domain.calendar import format_date, format_datetime
from domain.flood_limits import FloodLimits
from domain.permissions import allowed
from ui.context import client_address, page, shown_errors

p = page("complaint.lookup", "complaint_status")
tr, say, lang = p.tr, p.say, p.lang
st.title(tr("page.complaint_status"))
st.write(tr("complaint.lookup.intro"))

if "cs_number" not in st.session_state and st.query_params.get("nomor"):
    st.session_state["cs_number"] = st.query_params.get("nomor", "")[:40]

with st.form("complaint_lookup", clear_on_submit=False):
    c1, c2 = st.columns(2)
    number = c1.text_input(tr("complaint.field.receipt_no"), max_chars=40, key="cs_number",
                           placeholder="ADU-2026-0001")
    contact = c2.text_input(tr("complaint.field.lookup_contact"), max_chars=254, key="cs_contact")
    go = st.form_submit_button(tr("complaint.lookup.search"), type="primary")

if go:
    with shown_errors():
        # Failed look-ups are counted in the store per address and per number (a reload keeps them).
        found = cp.lookup_status(p.repo, p.actor, number, contact, client=client_address(),
                                 limits=FloodLimits.of(p.settings))
        st.subheader(say("complaint.lookup.result", number=found.receipt_no,
                         status=cp.status_label(found.status, lang)))
        st.text(f"{tr('complaint.kind.' + found.kind)}: {found.subject}")
        st.caption(say("complaint.lookup.filed", when=format_datetime(found.filed_at, lang)) + " · "
                   + say("complaint.lookup.updated", when=format_datetime(found.updated_at, lang)))
        if found.answer:
            st.markdown(f"**{say('complaint.lookup.answer', when=format_datetime(found.answered_at, lang))}**")
            st.text(found.answer)
        else:
            st.info(tr("complaint.lookup.no_answer"))
        if found.closed_at:
            st.caption(say("complaint.lookup.closed_at", when=format_datetime(found.closed_at, lang)))


if allowed(p.actor, "complaint.view_own_unit"):
    st.divider()
    st.subheader(tr("complaint.unit.heading"))
    with shown_errors():
        mine = cp.own_unit_complaints(p.source, p.actor)
        if not mine:
            st.info(tr("complaint.unit.empty"))
        else:
            st.dataframe(pd.DataFrame({
                tr("complaint.inbox.col.receipt_no"): [r["receipt_no"] for r in mine],
                tr("complaint.inbox.col.kind"): [tr(f"complaint.kind.{r['kind']}") for r in mine],
                tr("complaint.inbox.col.subject"): [r["subject"] for r in mine],
                tr("complaint.inbox.col.status"): [cp.status_label(r["status"], lang) for r in mine],
                tr("complaint.inbox.col.filed"): [format_date(r["created_at"], lang) for r in mine],
                tr("complaint.unit.col.updated"): [format_date(r["updated_at"], lang) for r in mine],
                tr("complaint.inbox.col.due"): [format_date(r["due_at"], lang) for r in mine],
                tr("complaint.unit.col.closed"): [format_date(r["answered_at"] or r["closed_at"], lang)
                                                  if r["answered_at"] or r["closed_at"] else "–" for r in mine],
            }), hide_index=True, width="stretch")
            st.caption(tr("complaint.unit.note"))
