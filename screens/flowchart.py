"""Bagan alir SOP (/bagan-alir): the procedure as an SOP AP flowchart, for a track and its
alternatives, or for a chosen case with its actual dates beside the standard (roles that see cases);
on the page as a picture and as a PDF in the SOP AP layout (landscape, lanes per executor, mutu baku)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from domain import catalogue as cat
from domain import flowchart as fc
from domain import tracker as trk
from domain.calendar import now
from domain.errors import NotFoundError
from domain.permissions import allowed
from reports.flowchart_pdf import actual_text, flowchart_pdf
from reports.flowchart_svg import flowchart_svg
from ui import tracker_views as tv
from ui.context import attempt, page
from ui.safe_text import md

p = page("standard.view", "bagan-alir")
tr, say, lang = p.tr, p.say, p.lang
st.title(tr("page.flowchart"))
st.caption(tr("flow.intro"))

case_id = None
if allowed(p.actor, "case.view"):
    index = tv.case_index_from_frame(p.source.frames(["cases"])["cases"]).sort_values("number", ascending=False)
    ids = [""] + list(index["id"])
    labels = dict(zip(index["id"], index["number"] + " — " + index["title"], strict=True))
    wanted = st.query_params.get("kasus", "")
    case_id = st.selectbox(tr("flow.pick_case"), ids, index=ids.index(wanted) if wanted in ids else 0,
                           format_func=lambda i: labels.get(i, tr("flow.no_case")), key="flow_case") or None

actual, case_label = None, ""
if case_id:
    try:
        view = trk.load_case(p.source, case_id, p.calendar.minutes_per_day)
    except NotFoundError:
        st.error(tr("tracker.detail.not_found"))
        st.stop()
    params = view.params
    actual = fc.actual_from_rows(trk.checklist(view, p.calendar, now()))
    case_label = tr("flow.case", number=view.case["number"], title=view.case["title"])
else:
    c1, c2, c3 = st.columns(3)
    track = c1.radio(tr("flow.field.track"), cat.TRACKS, format_func=lambda v: tr(f"tracker.track.{v}"),
                     key="flow_track", horizontal=True)
    meeting = c2.radio(tr("flow.field.meeting"), cat.MEETING_LOCATIONS,
                       format_func=lambda v: tr(f"standard.where.{v}"), key="flow_meeting", horizontal=True)
    decree = c3.radio(tr("flow.field.decree"), cat.TEAM_DECREES, format_func=lambda v: tr(f"standard.decree.{v}"),
                      key="flow_decree", horizontal=True)
    params = cat.CaseParams(track, meeting_location=meeting, team_decree=decree)

chart = fc.build(params, p.calendar.minutes_per_day, lang=lang, actual=actual, case_label=case_label)
if case_label:
    st.markdown(f"**{md(case_label)}**")
st.caption(say("flow.params", **{"track": tr(f"tracker.track.{params.track}"),
                                 "meeting": tr(f"standard.where.{params.meeting_location}"),
                                 "decree": tr(f"standard.decree.{params.team_decree}"), "drafts": params.drafts,
                                 "units": params.units, "orgs": params.organisations})
           + " · " + say("flow.counts", rows=len(chart.rows), lanes=len(chart.lanes), sheets=len(chart.sheets) + 1))

key = f"flow_pdf:{case_id or params}"
c1, c2 = st.columns([1, 3])
if c1.button(tr("flow.pdf.prepare"), type="primary", key="flow_prepare"):
    ok, data = attempt(flowchart_pdf, chart, lang)
    if ok:
        st.session_state[key] = data
if st.session_state.get(key):
    data = st.session_state[key]
    size = f"{len(data) / 1024:,.0f} KB".replace(",", ".")
    c2.download_button(tr("flow.pdf.download", size=size), data, file_name="bagan-alir-sop.pdf",
                       mime="application/pdf", key="flow_download", icon=":material/download:")

# The picture: our own SVG, every text in it escaped; wide, so it scrolls sideways.
st.html(f'<div style="overflow-x:auto;border:1px solid #ddd">{flowchart_svg(chart, lang)}</div>')

with st.expander(tr("flow.table")):
    st.dataframe(pd.DataFrame([{
        tr("flow.col.no"): r.no, tr("flow.col.code"): r.code, tr("flow.col.activity"): r.activity,
        tr("flow.col.lane"): fc.lane_label(r.lane, lang), tr("flow.col.symbol"): tr(f"flow.symbol.{r.symbol}"),
        tr("flow.col.requirement"): r.requirement, tr("flow.col.time"): r.time, tr("flow.col.output"): r.output,
        (tr("flow.col.actual") if case_label else tr("flow.col.remark")): actual_text(r.actual, lang) if case_label
        else r.remark} for r in chart.rows]), hide_index=True, width="stretch")
