"""Daftar kasus: every case with its current step, lateness and whose clock runs; filters, search,
sort and counts; export of the filtered list; opening a case directly."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from domain import catalogue as cat
from domain import tracker as trk
from domain.calendar import JAKARTA, now
from domain.models import CASE_STATUSES, DOC_KINDS, ORIGIN_INITIATIVE, ORIGIN_LEADERSHIP
from domain.permissions import allowed
from ui import tracker_views as tv
from ui.export_buttons import export_buttons
from ui.context import attempt, page

p = page("case.view", "cases")
tr, say, lang = p.tr, p.say, p.lang
st.title(tr("page.cases"))
tv.show_flash()

summary = tv.case_summary()
names = tv.lookups()

# ---- filters -------------------------------------------------------------------------------------

def multi(col, label_key: str, options, key: str, **kw):
    return col.multiselect(tr(label_key), options, key=key, placeholder=tr("tracker.choose"), **kw)


with st.container(border=True):
    c1, c2, c3, c4 = st.columns(4)
    orgs = multi(c1, "tracker.field.org", list(names["orgs"]), "trk_f_org", format_func=names["orgs"].get)
    unit_options = [u for u in names["units"] if not orgs or names["unit_org"].get(u) in orgs]
    units = multi(c2, "tracker.field.units", unit_options, "trk_f_unit", format_func=names["units"].get)
    statuses = multi(c3, "tracker.field.status", list(CASE_STATUSES), "trk_f_status",
                     format_func=lambda s: tv.status_label(s, lang))
    tracks = multi(c4, "tracker.field.track", list(cat.TRACKS), "trk_f_track",
                   format_func=lambda v: tv.track_label(v, lang))
    c1, c2, c3, c4 = st.columns(4)
    stages = multi(c1, "tracker.col.stage", list(cat.STAGES), "trk_f_stage",
                   format_func=lambda n: f"{n} — {cat.STAGES[n]}")
    pics = multi(c2, "tracker.col.pic", list(names["executors"]), "trk_f_pic", format_func=names["executors"].get)
    timing = c3.selectbox(tr("tracker.list.timing"), ["all", "late", "on_time"],
                          format_func=lambda v: tr(f"tracker.timing.{v}"), key="trk_f_timing")
    years_available = sorted({int(y) for y in summary["year"].dropna()}, reverse=True)
    years = multi(c4, "tracker.list.year", years_available, "trk_f_year")
    c1, c2, c3 = st.columns([3, 2, 1])
    text = c1.text_input(tr("tracker.list.search"), key="trk_f_text", max_chars=200)
    sort = c2.selectbox(tr("tracker.list.sort"), list(trk.SORTS),
                        format_func=lambda c: tr(f"tracker.col.{c}"),
                        key="trk_f_sort")
    descending = c3.toggle(tr("tracker.list.descending"), key="trk_f_desc")

f = trk.CaseFilter(org_ids=orgs, unit_ids=units, statuses=statuses, tracks=tracks, stages=stages, pic_ids=pics,
                   timing=None if timing == "all" else timing, years=years, text=text, sort=sort, descending=descending)
shown = trk.filter_cases(summary, f)

# ---- counts ------------------------------------------------------------------------------------
counts = trk.case_counts(shown)
cols = st.columns(5)
for col, key in zip(cols, ("total", "active", "on_hold", "finished", "late"), strict=True):
    col.metric(tr(f"tracker.list.count.{key}"), f"{counts[key]:,}".replace(",", "."))

# ---- the list ----------------------------------------------------------------------------------
if shown.empty:
    st.info(tr("tracker.list.empty"))
else:
    st.caption(say("tracker.list.shown", shown=f"{len(shown):,}".replace(",", "."),
                  total=f"{len(summary):,}".replace(",", ".")))
    table = tv.list_frame(shown, lang, tv.unreadable_cells("cases"))
    event = st.dataframe(table, hide_index=True, width="stretch", height=560,
                         on_select="rerun", selection_mode="single-row", key="trk_cases_table",
                         column_config={tr("tracker.col.title"): st.column_config.TextColumn(width="large")})
    picked = event.selection.rows if event and hasattr(event, "selection") else []
    if picked:
        st.switch_page("screens/case_detail.py", query_params={"id": shown.iloc[picked[0]]["id"]})
st.caption(tr("tracker.list.late_rule"))

# ---- export ------------------------------------------------------------------------------------
if allowed(p.actor, "case.export") and not shown.empty:
    repo, actor = p.repo, p.actor
    described = "; ".join(f"{k}={v}" for k, v in (("org", orgs), ("unit", units), ("status", statuses),
                                                   ("jalur", tracks), ("tahap", stages), ("pic", pics),
                                                   ("waktu", timing), ("tahun", years), ("cari", text)) if v)

    export_buttons(lambda: trk.export_rows(shown, lang),
                   lambda n, fmt: trk.record_export(repo, actor, n, fmt, described),
                   stem="daftar-kasus", sheet="Daftar kasus", key="trk_export",
                   labels=(tr("tracker.export.csv"), tr("tracker.export.xlsx")),
                   help_text=say("tracker.export.help", n=f"{len(shown):,}".replace(",", ".")))

# ---- open a case directly ----------------------------------------------------------------------
if allowed(p.actor, "case.create"):
    with st.expander(tr("tracker.new.title")):
        with st.form("trk_new_case", clear_on_submit=False):
            title = st.text_input(tr("tracker.field.title"), max_chars=trk.MAX_TITLE, key="trk_new_title")
            unit_ids = st.multiselect(
                tr("tracker.field.units"), names["active_units"], key="trk_new_units", placeholder=tr("tracker.choose"),
                format_func=lambda u: f"{names['units'][u]} ({names['org_short'].get(names['unit_org'].get(u), '')})",
                help=say("tracker.new.units_help"))
            c1, c2, c3 = st.columns(3)
            doc_kind = c1.selectbox(tr("tracker.field.doc_kind"), DOC_KINDS, index=1, key="trk_new_kind")
            origin = c2.selectbox(tr("tracker.field.origin"), [ORIGIN_LEADERSHIP, ORIGIN_INITIATIVE],
                                  format_func=lambda o: trk.origin_label(o, lang), key="trk_new_origin")
            track = c3.selectbox(tr("tracker.field.track"), cat.TRACKS, format_func=lambda v: tv.track_label(v, lang),
                                 key="trk_new_track")
            c1, c2, c3 = st.columns(3)
            drafts = c1.number_input(tr("tracker.field.drafts"), min_value=1, max_value=trk.MAX_DRAFTS, value=1,
                                     step=1, key="trk_new_drafts")
            meeting = c2.selectbox(tr("tracker.field.meeting"), cat.MEETING_LOCATIONS,
                                   format_func=lambda v: tr(f"tracker.meeting.{v}"), key="trk_new_meeting")
            decree = c3.selectbox(tr("tracker.field.decree"), cat.TEAM_DECREES,
                                  format_func=lambda v: tr(f"tracker.decree.{v}"), key="trk_new_decree")
            c1, c2, c3 = st.columns(3)
            pic_choices = [None] + names["active_executors"]
            pic = c1.selectbox(tr("tracker.field.pic"), pic_choices, key="trk_new_pic",
                               format_func=lambda e: names["executors"].get(e, tr("tracker.case.no_pic")),
                               index=pic_choices.index(p.actor.executor_id) if p.actor.executor_id in pic_choices
                               else 0)
            target = c2.date_input(tr("tracker.field.target"), value=None, format="DD/MM/YYYY",
                                   key="trk_new_target")
            start_date = c3.date_input(tr("tracker.field.start_date"), value=None, format="DD/MM/YYYY",
                                       max_value=now().date(), key="trk_new_start")
            notes = st.text_area(tr("tracker.field.notes"), max_chars=trk.MAX_NOTE, key="trk_new_notes")
            submitted = st.form_submit_button(tr("tracker.new.submit"), type="primary")
        if submitted:
            started = None
            if start_date and start_date != now().date():
                started = dt.datetime.combine(start_date, p.calendar.start, JAKARTA)
            ok, record = attempt(trk.open_case, p.repo, p.actor, p.calendar, trk.NewCase(
                title=title, unit_ids=unit_ids, doc_kind=doc_kind, origin=origin, track=track, drafts=int(drafts),
                meeting_location=meeting, team_decree=decree, pic_id=pic, target_date=target, notes=notes,
                started_at=started))
            if ok:
                tv.done(tr("tracker.new.done", number=record["number"]))
