"""The case's output (its documents in the register of finished SP/SOP) on the case detail page:
what is recorded, what is still missing before the case may finish, and the forms that record and
change a document with its signed PDF."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from domain import outputs as out
from domain import tracker as trk
from domain.models import CANCELLED
from domain.permissions import allowed
from ui import tracker_views as tv
from ui.context import Page, attempt, file_store
from ui.safe_text import md
from ui.uploads import ceiling_mb


def documents_frame(rows: list[dict], track: str | None, units: dict, lang: str) -> pd.DataFrame:
    return pd.DataFrame([{
        out.field_label("kind", track, lang): r["kind"], out.field_label("title", track, lang): r["title"],
        out.field_label("unit_id", track, lang): units.get(r["unit_id"], r["unit_id"]),
        out.field_label("doc_number", track, lang): r.get("doc_number") or "",
        out.field_label("doc_date", track, lang): out.date_label(r.get("doc_date"), lang),
        out.field_label("web_link", track, lang): r.get("web_link") or "",
        out.field_label("archive_ref", track, lang): r.get("archive_ref") or "",
        out.field_label("attachment_id", track, lang): (r.get("pdf") or {}).get("name", "")} for r in rows])


def _form(p: Page, key: str, view: trk.CaseView, units: dict, current: dict | None) -> tuple[bool, out.OutputForm]:
    case, track = view.case, view.case.get("track")
    current = current or {}
    kinds = list(out.kinds_of(case.get("doc_kind")))
    case_units = list(case.get("unit_ids") or [])
    label = lambda name: out.field_label(name, track, p.lang)  # noqa: E731
    with st.form(key, clear_on_submit=False):
        c1, c2 = st.columns([1, 3])
        kind = c1.selectbox(label("kind"), kinds, key=f"{key}_kind",
                            index=kinds.index(current["kind"]) if current.get("kind") in kinds else 0)
        title = c2.text_input(label("title"), value=current.get("title") or "", max_chars=out.MAX_TITLE,
                              key=f"{key}_title")
        c1, c2, c3 = st.columns(3)
        unit = c1.selectbox(label("unit_id"), case_units, format_func=lambda u: units.get(u, u), key=f"{key}_unit",
                            index=case_units.index(current["unit_id"]) if current.get("unit_id") in case_units else 0)
        number = c2.text_input(label("doc_number"), value=current.get("doc_number") or "", max_chars=out.MAX_NUMBER,
                               key=f"{key}_number")
        day = c3.date_input(label("doc_date"), value=current.get("doc_date"), format="DD/MM/YYYY", key=f"{key}_date")
        c1, c2 = st.columns(2)
        link = c1.text_input(label("web_link"), value=current.get("web_link") or "", max_chars=out.MAX_LINK,
                             key=f"{key}_link", placeholder="https://www.setneg.go.id/…")
        archive = c2.text_input(label("archive_ref"), value=current.get("archive_ref") or "", max_chars=out.MAX_REF,
                                key=f"{key}_archive")
        pdf = st.file_uploader(p.tr("output.field.pdf"), type=["pdf"], key=f"{key}_pdf",
                               max_upload_size=ceiling_mb())
        if current:
            st.caption(p.tr("output.pdf_keep"))
        go = st.form_submit_button(p.tr("output.save"), type="primary")
    form = out.OutputForm(kind=kind, title=title, unit_id=unit, doc_number=number, doc_date=day, web_link=link,
                          archive_ref=archive, pdf_name=pdf.name if pdf is not None else None,
                          pdf=pdf.getvalue() if pdf is not None else None)
    return go, form


def output_tab(p: Page, view: trk.CaseView, store, units: dict) -> None:
    """The Keluaran tab of a case."""
    case = view.case
    st.caption(p.tr("output.intro"))
    docs = [{**r, "pdf": store.get("attachments", r["attachment_id"]) if r.get("attachment_id") else None}
            for r in view.outputs]
    state = out.completeness(case, view.outputs)
    st.markdown(md(p.tr("output.progress", recorded=state.recorded, needed=state.needed)))
    if case.get("status") != CANCELLED:
        if state.complete:
            st.success(p.tr("output.complete"), icon=":material/task_alt:")
        else:
            st.warning(md(p.tr("output.incomplete", missing=out.missing_text(case, state, p.lang))),
                       icon=":material/assignment_late:")
    if docs:
        st.dataframe(documents_frame(docs, case.get("track"), units, p.lang), hide_index=True, width="stretch")
        with_pdf = [d for d in docs if d.get("pdf")]
        if with_pdf:
            c1, c2 = st.columns([3, 1])
            chosen = c1.selectbox(p.tr("register.pdf_pick"), [d["id"] for d in with_pdf], key="out_pdf_pick",
                                  format_func=lambda i: next(d["title"] for d in with_pdf if d["id"] == i))
            doc = next(d for d in with_pdf if d["id"] == chosen)
            actor, files = p.actor, file_store()

            def pdf_bytes() -> bytes:
                return out.signed_pdf(store, actor, files, chosen)[1]

            c2.download_button(p.tr("output.download"), data=pdf_bytes, file_name=doc["pdf"]["name"],
                               mime="application/pdf", key=f"out_pdf_{chosen}", on_click="ignore",
                               icon=":material/download:")
    else:
        st.caption(p.tr("output.none"))
    if not allowed(p.actor, "output.record") or case.get("status") == CANCELLED:
        return
    if state.recorded < state.needed:
        with st.expander(p.tr("output.new"), icon=":material/note_add:", expanded=not docs):
            go, form = _form(p, f"out_new_{state.recorded}", view, units, None)
            if go:
                ok, record = attempt(out.record_output, store, p.actor, view.id, form, files=file_store(),
                                     max_upload_mb=int(p.settings.max_upload_mb))
                if ok:
                    tv.done(p.tr("output.saved", title=record["title"]))
    else:
        st.caption(p.tr("output.all_recorded"))
    if docs:
        with st.expander(p.tr("output.edit"), icon=":material/edit:"):
            chosen = st.selectbox(p.tr("output.pick"), [d["id"] for d in docs], key="out_edit_pick",
                                  format_func=lambda i: next(d["title"] for d in docs if d["id"] == i))
            current = next(d for d in docs if d["id"] == chosen)
            seen = tv.seen_version("output", chosen) or current["version"]
            go, form = _form(p, f"out_edit_{chosen}", view, units, current)
            tv.remember_version("output", chosen, current["version"])
            if go:
                ok, record = attempt(out.update_output, store, p.actor, chosen, form, expected_version=seen,
                                     files=file_store(), max_upload_mb=int(p.settings.max_upload_mb))
                if ok:
                    tv.done(p.tr("output.saved", title=record["title"]) if record else p.tr("output.nothing"))
