"""Kotak Masuk Pengaduan (/kotak-pengaduan): the Karo's inbox. New complaints and overdue ones are
flagged; the Karo handles one personally or delegates it to the Kabag with an instruction and a due
date; the Kabag's team logs what was done; answer, close, reopen. Each move offered only to whom
the state machine allows it (domain/complaints.py), and checked again there."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from domain import complaints as cp
from domain.calendar import format_date, format_datetime
from domain.calendar import now as jakarta_now
from domain.permissions import allowed
from ui import tracker_views as tv
from ui.context import file_store, attempt, page, shown_errors
from ui.safe_text import md
from ui.snapshot import inbox_reads
from ui.uploads import as_upload, attachment_uploader

p = page("complaint.inbox", "complaint_inbox")
tr, say, lang, s = p.tr, p.say, p.lang, p.settings
st.title(tr("page.complaint_inbox"))
st.caption(tr("complaint.inbox.intro"))
tv.show_flash()
files = file_store()
now = jakarta_now()


def handler_label(row: dict) -> str:
    return tr(f"complaint.inbox.handler.{row.get('handler') or 'none'}")


def flags(row: dict) -> str:
    out = []
    if row["overdue"]:
        out.append("⚠️ " + tr("complaint.inbox.flag_overdue"))
    if row["new"]:
        out.append("● " + tr("complaint.inbox.flag_new"))
    return " · ".join(out)


def download(meta: dict | None, key: str) -> None:
    """A download button for an attachment; a missing or changed file becomes a message."""
    if not meta:
        return
    try:
        meta, data = cp.attachment_content(store, p.actor, files, meta["id"])
    except Exception as exc:  # noqa: BLE001 - shown as a message next to where the button would be
        from ui.context import error_message

        st.warning(md(error_message(exc)))
        return
    st.download_button(say("complaint.inbox.download", name=meta["name"]), data, file_name=meta["name"],
                       mime=meta["mime"], on_click="ignore", key=key, icon=":material/attach_file:")


with shown_errors():
    show_done = st.toggle(tr("complaint.inbox.show_closed"), key="ci_show_closed")
    # Every read of this page: ONE cached batch read on Google Sheets. The moves below are prepared
    # from it and written through the store, which checks the versions afresh (two calls per move).
    store, units = inbox_reads()
    rows = cp.inbox(store, p.actor, now=now, include_done=show_done)
    open_rows = [r for r in rows if r["status"] not in cp.DONE_STATUSES]
    st.markdown(say("complaint.inbox.counts", open=len(open_rows), new=sum(r["new"] for r in rows),
                   overdue=sum(r["overdue"] for r in rows)))
    if not rows:
        st.info(tr("complaint.inbox.empty"))
        st.stop()
    table = pd.DataFrame({
        tr("complaint.inbox.col.flag"): [flags(r) for r in rows],
        tr("complaint.inbox.col.receipt_no"): [r["receipt_no"] for r in rows],
        tr("complaint.inbox.col.filed"): [format_date(r["created_at"], lang) for r in rows],
        tr("complaint.inbox.col.kind"): [tr(f"complaint.kind.{r['kind']}") for r in rows],
        tr("complaint.inbox.col.unit"): [units.get(r["unit_id"], r["unit_id"]) for r in rows],
        tr("complaint.inbox.col.subject"): [r["subject"] for r in rows],
        tr("complaint.inbox.col.status"): [cp.status_label(r["status"], lang) for r in rows],
        tr("complaint.inbox.col.handler"): [handler_label(r) for r in rows],
        tr("complaint.inbox.col.due"): [format_date(r.get("due_at"), lang) for r in rows],
    })
    flag_col = tr("complaint.inbox.col.flag")
    widest = max([len(f) for f in table[flag_col]] + [len(flag_col)])
    st.dataframe(table, hide_index=True, width="stretch",  # the flags are never cut: their column fits the longest
                 column_config={flag_col: st.column_config.TextColumn(flag_col, width=9 * widest + 32)})

    by_number = {r["receipt_no"]: r for r in rows}
    wanted = st.query_params.get("nomor")
    if wanted in by_number and "ci_pick" not in st.session_state:
        st.session_state["ci_pick"] = wanted
    number = st.selectbox(tr("complaint.inbox.pick"), list(by_number), key="ci_pick",
                          format_func=lambda n: f"{n} — {by_number[n]['subject'][:80]}"
                          + (f"  [{flags(by_number[n])}]" if flags(by_number[n]) else ""))
    chosen = by_number[number]
    detail = cp.complaint_detail(store, p.actor, chosen["id"])
    row = detail["complaint"]
    cid = row["id"]
    seen = tv.seen_version("complaint", cid) or row["version"]

    st.subheader(say("complaint.inbox.detail", number=row["receipt_no"]))
    for col, (label, value) in zip(st.columns(3), (
            (tr("complaint.field.status"), cp.status_label(row["status"], lang)),
            (tr("complaint.inbox.col.handler"), handler_label(row)),
            (tr("complaint.field.due_at"), format_date(row.get("due_at"), lang))), strict=True):
        col.markdown(f"{label}  \n**{value}**")  # catalogue texts and dates only, no user text
    if chosen["overdue"]:
        st.error(say("complaint.inbox.overdue_note", when=format_datetime(row["due_at"], lang)), icon="⚠️")
    st.caption(md(f"{tr('complaint.kind.' + row['kind'])} · {detail['unit_name']} · "
                  f"{tr('complaint.inbox.col.filed')} {format_datetime(row['created_at'], lang)}"))
    if detail["case"]:
        st.caption(say("complaint.inbox.case", number=detail["case"]["number"], title=detail["case"]["title"]))
    if row.get("case_ref"):  # typed by the complainant, never checked against the cases
        st.caption(say("complaint.inbox.case_ref", ref=row["case_ref"]))
    st.markdown(f"**{tr('complaint.field.subject')}**")
    st.text(row["subject"])
    st.markdown(f"**{tr('complaint.field.description')}**")
    st.text(row["description"])
    download(detail["attachment"], f"ci_file_{cid}")

    st.markdown(f"**{tr('complaint.inbox.contact')}**")
    if allowed(p.actor, "complaint.view_contact"):
        contact = [row.get("name"), row.get("nip") and f"NIP {row['nip']}", row.get("email"), row.get("phone")]
        st.text(" · ".join(c for c in contact if c))
    else:
        st.caption(tr("complaint.inbox.contact_hidden"))
    for field, label in (("instruction", "complaint.inbox.instruction"), ("resolution", "complaint.inbox.resolution"),
                         ("answer", "complaint.inbox.answer"), ("reopen_reason", "complaint.inbox.reopen_reason")):
        if row.get(field):
            st.markdown(f"**{tr(label)}**")
            st.text(row[field])

    st.markdown(f"#### {tr('complaint.inbox.log')}")
    actions = detail["actions"]
    if actions:
        st.dataframe(pd.DataFrame({
            tr("complaint.inbox.log_col.when"): [format_datetime(a["created_at"], lang) for a in actions],
            tr("complaint.inbox.log_col.who"): [a["who"] for a in actions],
            tr("complaint.inbox.log_col.kind"): [tr(f"complaint.action.{a['kind']}") for a in actions],
            tr("complaint.inbox.log_col.text"): [a["text"] for a in actions],
            tr("complaint.inbox.log_col.file"): [(a["attachment"] or {}).get("name", "") for a in actions],
        }), hide_index=True, width="stretch")
        for a in actions:
            download(a["attachment"], f"ci_actfile_{a['id']}")
    else:
        st.caption(tr("complaint.inbox.log_empty"))

    # ---- moves ---------------------------------------------------------------------------------
    st.markdown(f"#### {tr('complaint.inbox.moves')}")
    can = {e: cp.may(p.actor, row, e) for e in cp.EVENTS}
    if not any(can.values()):
        st.caption(tr("complaint.inbox.no_moves"))

    def saved(event: str) -> None:
        tv.done(tr("complaint.inbox.saved", event=tr(f"complaint.event.{event}"), number=row["receipt_no"]))

    if can[cp.TAKE]:
        with st.form(f"ci_take_{cid}"):
            st.markdown(f"**{tr('complaint.event.tangani')}**")
            note = st.text_area(tr("complaint.field.note"), key=f"ci_take_note_{cid}")
            go = st.form_submit_button(tr("complaint.event.tangani"))
        if go and attempt(cp.take_complaint, store, p.actor, cid, expected_version=seen, note=note)[0]:
            saved(cp.TAKE)

    if can[cp.DELEGATE]:
        default_due = cp.response_due(p.calendar, now, s.complaint_response_days)
        with st.form(f"ci_delegate_{cid}"):
            st.markdown(f"**{tr('complaint.event.delegasi')}**")
            instruction = st.text_area(tr("complaint.field.instruction"),
                                       key=f"ci_instruction_{cid}")
            due = st.date_input(tr("complaint.field.due_at"), value=default_due.date(), format="DD/MM/YYYY",
                                min_value=now.date(), key=f"ci_due_{cid}")
            st.caption(say("complaint.inbox.due_default", days=s.complaint_response_days,
                          when=format_datetime(default_due, lang)))
            go = st.form_submit_button(tr("complaint.event.delegasi"), type="primary")
        if go:
            chosen_due = None if due == default_due.date() else due  # the default keeps its exact instant
            if attempt(cp.delegate_complaint, store, p.actor, p.calendar, cid, instruction=instruction,
                       due=chosen_due, response_days=s.complaint_response_days, expected_version=seen)[0]:
                saved(cp.DELEGATE)

    if cp.delegated(row):  # who below the Kabag may log the follow-up
        team = {e["id"]: e for e in cp.assignable_executors(store)}
        named = [team[i]["name"] if i in team else i for i in row.get("assigned_to") or []]
        if named:
            st.markdown(f"**{tr('complaint.inbox.assigned')}:** " + md(", ".join(named)))
        else:
            st.caption(tr("complaint.inbox.assigned_none"))
        if cp.may_assign(p.actor, row):
            with st.form(f"ci_assign_{cid}"):
                st.markdown(f"**{tr('complaint.event.tugaskan')}**")
                picked = st.multiselect(tr("complaint.field.assigned_to"), list(team), key=f"ci_assign_{cid}",
                                        default=[i for i in row.get("assigned_to") or [] if i in team],
                                        format_func=lambda i: f"{team[i]['name']} ({team[i]['role']})",
                                        help=say("complaint.inbox.assign_help"), placeholder=tr("tracker.choose"))
                go = st.form_submit_button(tr("complaint.event.tugaskan"))
            if go and attempt(cp.assign_executors, store, p.actor, cid, picked, expected_version=seen)[0]:
                saved(cp.ASSIGN)

    if can[cp.FOLLOW_UP]:
        gen = st.session_state.get(f"ci_fu_gen_{cid}", 0)
        with st.form(f"ci_follow_{cid}"):
            st.markdown(f"**{tr('complaint.event.tindak_lanjut')}**")
            kind = st.selectbox(tr("complaint.field.action_kind"), cp.FOLLOW_UP_KINDS, key=f"ci_fu_kind_{cid}_{gen}",
                                format_func=lambda k: tr(f"complaint.action.{k}"))
            text = st.text_area(tr("complaint.field.text"), key=f"ci_fu_text_{cid}_{gen}")
            upload = attachment_uploader(f"ci_fu_file_{cid}_{gen}")
            go = st.form_submit_button(tr("complaint.event.tindak_lanjut"), type="primary")
        if go:
            if attempt(cp.log_follow_up, store, p.actor, cid, kind=kind, text=text, upload=as_upload(upload),
                       files=files, max_upload_mb=int(s.max_upload_mb))[0]:
                st.session_state[f"ci_fu_gen_{cid}"] = gen + 1
                saved(cp.FOLLOW_UP)

    if can[cp.PROPOSE]:
        with st.form(f"ci_propose_{cid}"):
            st.markdown(f"**{tr('complaint.event.usulan')}**")
            text = st.text_area(tr("complaint.field.resolution"), value=row.get("resolution") or "",
                                key=f"ci_resolution_{cid}")
            go = st.form_submit_button(tr("complaint.event.usulan"))
        if go and attempt(cp.propose_resolution, store, p.actor, cid, text=text, expected_version=seen)[0]:
            saved(cp.PROPOSE)

    if can[cp.ANSWER]:
        with st.form(f"ci_answer_{cid}"):
            st.markdown(f"**{tr('complaint.event.jawab')}**")
            text = st.text_area(tr("complaint.field.answer"), value=row.get("resolution") or "", key=f"ci_answer_{cid}")
            go = st.form_submit_button(tr("complaint.event.jawab"), type="primary")
        if go and attempt(cp.answer_complaint, store, p.actor, cid, answer=text, expected_version=seen)[0]:
            saved(cp.ANSWER)

    if can[cp.CLOSE]:
        with st.form(f"ci_close_{cid}"):
            st.markdown(f"**{tr('complaint.event.tutup')}**")
            note = st.text_input(tr("complaint.field.note"), key=f"ci_close_note_{cid}")
            go = st.form_submit_button(tr("complaint.event.tutup"), type="primary")
        if go and attempt(cp.close_complaint, store, p.actor, cid, expected_version=seen, note=note)[0]:
            saved(cp.CLOSE)

    if can[cp.REOPEN]:
        with st.form(f"ci_reopen_{cid}"):
            st.markdown(f"**{tr('complaint.event.buka_kembali')}**")
            reason = st.text_area(tr("complaint.field.reason"), key=f"ci_reopen_{cid}")
            go = st.form_submit_button(tr("complaint.event.buka_kembali"))
        if go and attempt(cp.reopen_complaint, store, p.actor, p.calendar, cid, reason=reason,
                          response_days=s.complaint_response_days, expected_version=seen)[0]:
            saved(cp.REOPEN)

    tv.remember_version("complaint", cid, row["version"])
