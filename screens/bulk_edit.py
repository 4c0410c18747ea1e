"""Ubah massal: the case list as a spreadsheet for the editable fields only (PIC, status, target
date, notes). One save; each changed row goes through the same checks and version check as a
single edit, and the result says per row what was saved and what was refused and why."""
from __future__ import annotations


import pandas as pd
import streamlit as st

from domain import tracker as trk
from domain.calendar import now
from domain.models import ACTIVE, CASE_STATUSES, ON_HOLD
from ui import tracker_views as tv
from ui.context import clear_read_caches, error_message, page
from ui.safe_text import md

LIMIT = 300
BASE_KEY, GEN_KEY, RESULT_KEY = "trk_bulk_base", "trk_bulk_gen", "trk_bulk_result"

p = page("case.bulk_edit", "bulk_edit")
tr, say, lang = p.tr, p.say, p.lang
st.title(tr("page.bulk_edit"))
st.caption(tr("tracker.bulk.intro"))
names = tv.lookups()

result = st.session_state.pop(RESULT_KEY, None)
if result:
    saved = sum(r["ok"] for r in result)
    (st.success if saved == len(result) else st.warning)(
        say("tracker.bulk.result", saved=saved, refused=len(result) - saved))
    st.dataframe(pd.DataFrame([{tr("tracker.col.number"): r["number"],
                                tr("tracker.bulk.col.result"): tr("tracker.bulk.saved") if r["ok"]
                                else tr("tracker.bulk.refused"),
                                tr("tracker.bulk.col.detail"): r["detail"]} for r in result]),
                 hide_index=True, width="stretch")

with st.container(border=True):
    c1, c2, c3, c4 = st.columns(4)
    orgs = c1.multiselect(tr("tracker.field.org"), list(names["orgs"]), format_func=names["orgs"].get,
                          key="trk_b_org", placeholder=tr("tracker.choose"))
    statuses = c2.multiselect(tr("tracker.field.status"), list(CASE_STATUSES), default=[ACTIVE, ON_HOLD],
                              format_func=lambda s: tv.status_label(s, lang), key="trk_b_status",
                              placeholder=tr("tracker.choose"))
    pics = c3.multiselect(tr("tracker.col.pic"), list(names["executors"]), format_func=names["executors"].get,
                          key="trk_b_pic", placeholder=tr("tracker.choose"))
    text = c4.text_input(tr("tracker.list.search"), key="trk_b_text", max_chars=200)

f = trk.CaseFilter(org_ids=orgs, statuses=statuses, pic_ids=pics, text=text)
filter_key = repr((sorted(orgs), sorted(statuses), sorted(pics), text))
base = st.session_state.get(BASE_KEY)
c1, c2 = st.columns([1, 4])
reload = c1.button(tr("tracker.bulk.reload"), key="trk_b_reload")
if reload or base is None or base["filter"] != filter_key:
    # What the person edits, and the version of each row as read now: saves are checked against it.
    shown = trk.filter_cases(tv.case_summary(), f)
    frame = shown.head(LIMIT)[["id", "version", "number", "title", "pic_id", "status", "target_date", "notes"]]
    base = {"filter": filter_key, "frame": frame.reset_index(drop=True), "total": len(shown),
            "loaded": now()}
    st.session_state[BASE_KEY] = base
    st.session_state[GEN_KEY] = st.session_state.get(GEN_KEY, 0) + 1
original: pd.DataFrame = base["frame"]
c2.caption(say("tracker.bulk.loaded", when=tv.fmt_datetime(base["loaded"], lang)))
if base["total"] > LIMIT:
    st.info(say("tracker.bulk.limit", shown=LIMIT, total=base["total"]))
if original.empty:
    st.info(tr("tracker.list.empty"))
    st.stop()

exec_names = names["executors"]
name_to_id = {v: k for k, v in exec_names.items()}
status_words = {s: tv.status_label(s, lang) for s in CASE_STATUSES}  # the cells show labels, the save codes
status_codes = {v: k for k, v in status_words.items()}
table = pd.DataFrame({
    "number": original["number"], "title": original["title"],
    "pic": original["pic_id"].map(exec_names),
    "status": original["status"].map(lambda s: status_words.get(s, s)),
    "target_date": pd.to_datetime(original["target_date"]).dt.date,
    "notes": original["notes"].fillna(""),
}).set_axis(original["id"])
edited = st.data_editor(
    table, hide_index=True, width="stretch", num_rows="fixed", key=f"trk_bulk_editor_{st.session_state[GEN_KEY]}",
    placeholder="–",
    disabled=["number", "title"],
    column_config={
        "number": st.column_config.TextColumn(tr("tracker.col.number")),
        "title": st.column_config.TextColumn(tr("tracker.col.title"), width="medium"),
        "pic": st.column_config.SelectboxColumn(tr("tracker.col.pic"),
                                                options=[exec_names[e] for e in names["active_executors"]]),
        "status": st.column_config.SelectboxColumn(tr("tracker.col.status"), options=list(status_words.values()),
                                                   required=True),
        "target_date": st.column_config.DateColumn(tr("tracker.col.target_date"), format="DD/MM/YYYY"),
        "notes": st.column_config.TextColumn(tr("tracker.col.notes"), max_chars=trk.MAX_NOTE, width="large"),
    })

if st.button(tr("tracker.bulk.save"), type="primary", key="trk_b_save"):
    before = original[["id", "version", "pic_id", "status", "target_date", "notes"]]
    after = pd.DataFrame({
        "id": list(edited.index), "pic_id": [name_to_id.get(v) if v else None for v in edited["pic"]],
        "status": [status_codes.get(v, v) for v in edited["status"]],
        "target_date": list(edited["target_date"]), "notes": list(edited["notes"])})
    rows = trk.diff_rows(before, after)
    if not rows:
        st.info(tr("tracker.bulk.nothing"))
    else:
        outcome = []
        try:
            results = trk.bulk_edit(p.repo, p.actor, rows)
        except Exception as exc:  # noqa: BLE001 - e.g. the store is unreachable: nothing saved, say so
            st.error(md(error_message(exc)))
            st.stop()
        for r in results:
            if r.saved:
                fields = ", ".join(trk.field_label(k, lang) for k in r.changed) or tr("tracker.detail.nothing")
                outcome.append({"number": r.number, "ok": True, "detail": tr("tracker.bulk.fields", fields=fields)})
            else:
                outcome.append({"number": r.number, "ok": False, "detail": error_message(r.error)})
        st.session_state[RESULT_KEY] = outcome
        st.session_state.pop(BASE_KEY, None)  # reload: saved rows have new versions
        clear_read_caches()
        st.rerun()
