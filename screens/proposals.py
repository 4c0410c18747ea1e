"""Usulan SP/SOP: a unit proposes drafting or revising its SP/SOP and follows its proposals; the
Bureau sees the queue, and the Kabag or Karo accepts (a case opens at step 1.a) or declines."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from domain import catalogue as cat
from domain import proposals as prop
from domain.models import DOC_KINDS
from domain.permissions import allowed
from ui import tracker_views as tv
from ui.context import attempt, page, shown_errors
from ui.page_reads import LOOKUP_TABLES

p = page("proposal.submit", "proposals")
tr, say, lang = p.tr, p.say, p.lang
st.title(tr("page.proposals"))
tv.show_flash()
# Every read of this page comes from its one cached batch read on Google Sheets (p.source).
names = tv.lookups_from_frames(p.source.frames(list(LOOKUP_TABLES)))
bureau = allowed(p.actor, "proposal.queue")


def table(rows: list[dict], with_contact: bool) -> pd.DataFrame:
    data = []
    for r in rows:
        row = {tr("proposal.col.number"): r["number"], tr("proposal.col.date"): tv.fmt_date(r["created_at"], lang),
               tr("proposal.col.unit"): names["units"].get(r["unit_id"], r["unit_id"]),
               tr("proposal.col.doc_kind"): r["doc_kind"], tr("proposal.col.kind"): tr(f"proposal.kind.{r['kind']}"),
               tr("proposal.col.n_docs"): r["n_docs"], tr("proposal.col.reason"): r["reason"],
               tr("proposal.col.status"): tr(f"proposal.status.{r['status']}"),
               tr("proposal.col.decision"): r.get("decision_reason") or ""}
        if with_contact:
            row[tr("proposal.col.contact")] = f"{r['contact_name']} ({r['contact']})"
        data.append(row)
    return pd.DataFrame(data)


def submit_form(unit_id: str | None) -> None:
    """The proposal form; ``unit_id`` fixed for a unit user, chosen by Bureau staff."""
    with st.form("prop_submit", clear_on_submit=False):
        if unit_id:
            st.text(f"{tr('proposal.field.unit')}: {names['units'].get(unit_id, unit_id)}")
            chosen = unit_id
        else:
            chosen = st.selectbox(tr("proposal.field.unit"), names["active_units"], index=None,
                                  format_func=names["units"].get, key="prop_unit")
        c1, c2, c3 = st.columns(3)
        doc_kind = c1.selectbox(tr("proposal.field.doc_kind"), DOC_KINDS, index=1, key="prop_doc_kind")
        kind = c2.selectbox(tr("proposal.field.kind"), prop.KINDS, format_func=lambda k: tr(f"proposal.kind.{k}"),
                            key="prop_kind")
        n_docs = c3.number_input(tr("proposal.field.n_docs"), min_value=1, max_value=prop.MAX_DOCS, value=1, step=1,
                                 key="prop_n_docs")
        reason = st.text_area(tr("proposal.field.reason"), max_chars=2000, key="prop_reason")
        c1, c2 = st.columns(2)
        contact_name = c1.text_input(tr("proposal.field.contact_name"), max_chars=120, key="prop_contact_name")
        contact = c2.text_input(tr("proposal.field.contact"), max_chars=120, key="prop_contact")
        go = st.form_submit_button(tr("proposal.page.submit"), type="primary")
    if go:
        ok, row = attempt(prop.submit_proposal, p.source, p.actor, prop.NewProposal(
            unit_id=chosen or "", doc_kind=doc_kind, kind=kind, n_docs=int(n_docs), reason=reason,
            contact_name=contact_name, contact=contact))
        if ok:
            tv.done(tr("proposal.page.sent", number=row["number"]))


if not bureau:
    # A unit user: their own unit only.
    st.write(tr("proposal.page.intro_unit"))
    with shown_errors():
        own = prop.own_proposals(p.source, p.actor)
        st.subheader(tr("proposal.page.submit_title"))
        submit_form(p.actor.unit_id)
        st.subheader(tr("proposal.page.own"))
        if own:
            st.dataframe(table(own, with_contact=False), hide_index=True, width="stretch")
        else:
            st.caption(tr("proposal.page.own_empty"))
    st.stop()

tab_queue, tab_all, tab_submit = st.tabs([tr("proposal.page.queue"), tr("proposal.page.all"),
                                          tr("proposal.page.submit_for")])
queue = prop.proposal_queue(p.source, p.actor)
with tab_queue:
    if not queue:
        st.info(tr("proposal.page.queue_empty"))
    else:
        st.dataframe(table(queue, with_contact=True), hide_index=True, width="stretch")
        st.subheader(tr("proposal.page.decide"))
        if not allowed(p.actor, "proposal.decide"):
            st.caption(tr("proposal.page.only_decide"))
        else:
            by_id = {r["id"]: r for r in queue}
            pid = st.selectbox(tr("proposal.page.pick"), list(by_id), key="prop_pick",
                               format_func=lambda i: f"{by_id[i]['number']} — "
                                                     f"{names['units'].get(by_id[i]['unit_id'], '')}")
            chosen = by_id[pid]
            seen = tv.seen_version("proposal", pid) or chosen["version"]
            st.text(chosen["reason"])
            c1, c2 = st.columns(2)
            with c1.form(f"prop_accept_{pid}"):
                st.markdown(f"**{tr('proposal.page.accept')}**")
                unit_name = names["units"].get(chosen["unit_id"], "")
                title = st.text_input(tr("tracker.field.title"), value=f"{chosen['doc_kind']} {unit_name}",
                                      max_chars=200, key=f"prop_title_{pid}")
                track = st.selectbox(tr("tracker.field.track"), cat.TRACKS, key=f"prop_track_{pid}",
                                     format_func=lambda v: tv.track_label(v, lang))
                meeting = st.selectbox(tr("tracker.field.meeting"), cat.MEETING_LOCATIONS,
                                       format_func=lambda v: tr(f"tracker.meeting.{v}"), key=f"prop_meeting_{pid}")
                decree = st.selectbox(tr("tracker.field.decree"), cat.TEAM_DECREES,
                                      format_func=lambda v: tr(f"tracker.decree.{v}"), key=f"prop_decree_{pid}")
                pic = st.selectbox(tr("tracker.field.pic"), [None] + names["active_executors"],
                                   format_func=lambda e: names["executors"].get(e, tr("tracker.case.no_pic")),
                                   key=f"prop_pic_{pid}")
                target = st.date_input(tr("tracker.field.target"), value=None, format="DD/MM/YYYY",
                                       key=f"prop_target_{pid}")
                accept = st.form_submit_button(tr("proposal.page.accept_submit"), type="primary")
            with c2.form(f"prop_decline_{pid}"):
                st.markdown(f"**{tr('proposal.page.decline')}**")
                reason = st.text_area(tr("proposal.field.decision_reason"), max_chars=1000, key=f"prop_reason_{pid}")
                decline = st.form_submit_button(tr("proposal.page.decline_submit"))
            if accept:
                ok, out = attempt(prop.accept_proposal, p.source, p.actor, p.calendar, pid, expected_version=seen,
                                  acceptance=prop.Acceptance(title=title, track=track, meeting_location=meeting,
                                                             team_decree=decree, pic_id=pic, target_date=target))
                if ok:
                    tv.done(tr("proposal.page.accepted", proposal=chosen["number"], case=out[1]["number"]))
            if decline:
                ok, _ = attempt(prop.decline_proposal, p.source, p.actor, pid, expected_version=seen, reason=reason)
                if ok:
                    tv.done(tr("proposal.page.declined", proposal=chosen["number"]))
            tv.remember_version("proposal", pid, chosen["version"])
with tab_all:
    everything = prop.proposal_queue(p.source, p.actor, status=None)
    st.dataframe(table(everything, with_contact=True), hide_index=True, width="stretch")
with tab_submit:
    submit_form(None)

