"""Detail kasus: header (planned vs forecast finish, whose clock runs, hold), the current step's
actions, the checklist by stage, the timeline, other step actions, case data and its history."""
from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from domain import catalogue as cat
from domain import tracker as trk
from domain.calendar import JAKARTA
from domain.calendar import now as jakarta_now
from domain.errors import NotFoundError
from domain.models import ACTIVE, CANCELLED, DONE, FINISHED, ON_HOLD, RUNNING, SKIPPED
from domain.permissions import allowed
from ui import tracker_views as tv
from ui.charts import altair_chart
from ui.context import attempt, page
from ui.output_views import output_tab
from ui.safe_text import md, md_line
from ui.snapshot import case_detail_reads

PICK_LIMIT = 200
STATE_COLOURS = {"on_time": "#2e7d32", "late": "#c62828", "running": "#1565c0", "running_late": "#ef6c00",
                 "skipped": "#9e9e9e"}

p = page("case.view", "case_detail")
tr, say, lang = p.tr, p.say, p.lang
# Every read of this page: ONE cached batch read on Google Sheets. Saves are prepared from it and
# written through the store, which checks the versions afresh (two calls per save): ui.snapshot.
reads = case_detail_reads()
store = reads.source
names = reads.names
tv.show_flash()


def pick_case() -> str | None:
    """Choose a case: the one in the address (?id=), else one found by number or title."""
    summary = reads.index
    if summary.empty:
        st.info(tr("tracker.detail.no_case"))
        return None
    current = st.query_params.get("id")
    c1, c2, c3 = st.columns([1, 2, 3])
    if c1.button(tr("tracker.detail.back"), key="trk_back"):
        st.switch_page("screens/cases.py")
    search = c2.text_input(tr("tracker.detail.pick_search"), key="trk_pick_search", max_chars=100)
    # Active cases first (where the work is), then those on hold, then finished and cancelled.
    rank = summary["status"].map({ACTIVE: 0, ON_HOLD: 1, FINISHED: 2, CANCELLED: 3}).fillna(4)
    ordered = summary.assign(_rank=rank).sort_values(["_rank", "number"])
    if search:
        ordered = ordered[ordered["search"].str.contains(search.lower(), regex=False)]
    ids = list(ordered["id"].head(PICK_LIMIT))
    if current and current not in ids:
        ids.insert(0, current)
    if not ids:
        c3.caption(tr("tracker.list.empty"))
        return current
    label = dict(zip(summary["id"], summary["number"] + " — " + summary["title"], strict=True))

    def chosen():
        st.query_params["id"] = st.session_state["trk_pick"]

    c3.selectbox(tr("tracker.detail.pick"), ids, index=ids.index(current) if current in ids else 0,
                 format_func=lambda i: label.get(i, i), key="trk_pick", on_change=chosen,
                 help=say("tracker.detail.pick_hint", n=PICK_LIMIT))
    return current or ids[0]


case_id = pick_case()
if not case_id:
    st.stop()
try:
    view = trk.load_case(store, case_id, p.calendar.minutes_per_day)
except NotFoundError:
    st.error(tr("tracker.detail.not_found"))
    st.stop()

case = view.case
seen = tv.seen_version("case", case_id) or view.version  # what this person saw before pressing a button
now = jakarta_now()
rows = trk.checklist(view, p.calendar, now)
header = trk.case_header(view, rows, p.calendar, now)
by_code = {r.code: r for r in rows}
can_step = allowed(p.actor, "step.update")
mpd = p.calendar.minutes_per_day


def saved(ok: bool, message: str) -> None:
    if ok:
        tv.done(message)


# ---- header ------------------------------------------------------------------------------------
st.title(f"{md_line(case['number'])} — {md_line(case['title'])}")
unit_names = ", ".join(names["units"].get(u, u) for u in case.get("unit_ids") or [])
behind = None
if header.forecast_finish and header.planned_finish and header.forecast_finish > header.planned_finish:
    behind = p.calendar.working_days(header.planned_finish, header.forecast_finish)


def fact(col, label: str, value: str, note: str | None = None) -> None:
    """A label over its value, small enough for long unit names and dates."""
    col.caption(label)
    col.markdown(f"**{md_line(value)}**" + (f"  \n:red[{md_line(note)}]" if note else ""))


def standard(r: trk.StepRow) -> str:
    """A step's standard time as the rule judges it: its own, or its share of its block's (guidance)."""
    if not r.timed:
        return tr("tracker.timing.no_standard")
    if r.indicative:
        block = cat.BLOCKS.get(r.block or "")
        return tr("tracker.steps.indicative", share=trk.fmt_minutes(r.sla, mpd, lang) or "–", block=r.block,
                  std=block.std.label() if block else "–")
    return trk.fmt_minutes(r.sla, mpd, lang)


def shown(column: str, text: str) -> str:
    """A field of the case as shown: marked when its cell in the store could not be read."""
    cell = reads.unreadable.get((case_id, column))
    return tv.unreadable_mark(cell, lang) if cell else text


c = st.columns(4)
fact(c[0], tr("tracker.detail.unit"), unit_names or "–")
fact(c[1], tr("tracker.detail.track"), tv.track_label(case["track"], lang))
fact(c[2], tr("tracker.detail.drafts"), shown("drafts", str(case.get("drafts") or 1)))
fact(c[3], tr("tracker.detail.status"), tv.status_label(case["status"], lang))
c = st.columns(4)
fact(c[0], tr("tracker.detail.pic"), names["executors"].get(case.get("pic_id"), "–"))
fact(c[1], tr("tracker.detail.planned"), tv.fmt_date(header.planned_finish, lang))
fact(c[2], tr("tracker.detail.forecast"), tv.fmt_date(header.forecast_finish, lang),
     tr("tracker.detail.behind", days=trk.fmt_days(behind)) if behind and behind >= 0.1 else None)
fact(c[3], tr("tracker.detail.target"), shown("target_date", tv.fmt_date(case.get("target_date"), lang)))
st.caption(md(" · ".join([
    f"{tr('tracker.detail.started')}: {shown('started_at', tv.fmt_datetime(case.get('started_at'), lang))}",
    f"{tr('tracker.detail.origin')}: {trk.origin_label(case.get('origin') or '', lang)}",
    names["orgs"].get(case.get("org_id"), "–"),
    tr("tracker.detail.progress", done=header.done_steps, total=header.total_steps, late=header.late_steps)])))

if case["status"] == ON_HOLD:
    st.warning(say("tracker.detail.on_hold", since=tv.fmt_datetime(case.get("hold_since"), lang),
                   days=trk.fmt_days(header.held_minutes / mpd), reason=case.get("hold_reason") or ""),
               icon=":material/pause_circle:")
elif case["status"] == FINISHED:
    st.success(say("tracker.detail.finished", when=tv.fmt_datetime(case.get("finished_at"), lang)))
elif case["status"] == CANCELLED:
    st.info(tr("tracker.detail.cancelled"))
if header.current_step and case["status"] in (ACTIVE, ON_HOLD):
    cur = by_code[header.current_step]
    who = tv.clock_label(header.clock_with, header.clock_external, lang)
    if cur.status == RUNNING and case["status"] == ACTIVE:
        st.info(say("tracker.detail.clock", who=who, code=cur.code, due=tv.fmt_datetime(cur.due_at, lang)),
                icon=":material/timer:")
if case["status"] in (ACTIVE, ON_HOLD):
    for code, _name, days, party in header.overdue:
        st.error(say("tracker.detail.clock_late", code=code, late=trk.late_text(days, mpd, lang),
                     who=tv.clock_label(party, cat.is_external(party), lang)), icon=":material/warning:")
if header.params_note:
    st.warning(say("tracker.detail.params_note", fields=header.params_note), icon=":material/edit_note:")

# ---- the current step ----------------------------------------------------------------------------
if header.current_step and case["status"] == ACTIVE:
    cur = by_code[header.current_step]
    with st.container(border=True):
        st.subheader(say("tracker.detail.current", code=cur.code, name=cur.name))
        st.caption(say("tracker.detail.current_actor", actors=", ".join(cur.actors), std=standard(cur),
                      who=tv.clock_label(cur.responsible, cur.external, lang)))
        if not can_step:
            st.caption(tr("tracker.action.readonly"))
        elif cur.status is None:
            st.caption(tr("tracker.detail.not_started"))
            if st.button(say("tracker.detail.start", code=cur.code), type="primary", key="trk_start"):
                ok, _ = attempt(trk.start_step, store, p.actor, p.calendar, case_id, cur.code, expected_version=seen)
                saved(ok, tr("tracker.detail.started_msg", code=cur.code))
        else:
            with st.form(f"trk_finish_{cur.code}"):
                note = st.text_area(tr("tracker.field.note"), max_chars=trk.MAX_NOTE, key=f"trk_fin_note_{cur.code}")
                c1, c2 = st.columns([2, 1])
                link = c1.text_input(tr("tracker.field.doc_link"), max_chars=trk.MAX_LINK,
                                     key=f"trk_fin_link_{cur.code}", placeholder="https://… / ND-12/2026")
                choices = names["active_executors"]
                by = c2.selectbox(tr("tracker.field.done_by"), choices, format_func=names["executors"].get,
                                  index=choices.index(p.actor.executor_id) if p.actor.executor_id in choices else 0,
                                  key=f"trk_fin_by_{cur.code}") if choices else None
                step = cat.STEP_BY_CODE[cur.code]
                party = st.radio(tr("tracker.field.party"), step.choices, horizontal=True,
                                 key=f"trk_fin_party_{cur.code}") if len(step.choices) > 1 else None
                finish = st.form_submit_button(say("tracker.detail.finish", code=cur.code), type="primary")
            if finish:
                ok, _ = attempt(trk.finish_step, store, p.actor, p.calendar, case_id, cur.code,
                                expected_version=seen, note=note, doc_link=link, done_by=by, party=party)
                saved(ok, tr("tracker.detail.done_msg", code=cur.code))

# ---- tabs --------------------------------------------------------------------------------------
tab_steps, tab_timeline, tab_actions, tab_case, tab_output, tab_history = st.tabs([
    tr("tracker.tab.steps"), tr("tracker.tab.timeline"), tr("tracker.tab.actions"), tr("tracker.tab.case"),
    tr("output.tab"), tr("tracker.tab.history")])


def timing(r: trk.StepRow) -> str:
    if r.status in (None, SKIPPED):
        return "–"
    if not r.timed:
        return tr("tracker.timing.no_standard")
    if r.indicative:  # judged with its block
        state = r.block_state
        text = (trk.late_text(r.block_late_days, mpd, lang) if state in ("late", "overdue")
                else tr("tracker.timing.running") if state == "running"
                else tr("tracker.timing.on_time") if state == "on_time" else tr("tracker.timing.not_judged"))
        return tr("tracker.timing.block", block=r.block, state=text)
    if r.late:
        return trk.late_text(r.late_days, mpd, lang)
    if r.status == RUNNING:
        return tr("tracker.timing.running")
    return tr("tracker.timing.on_time")


def step_table(stage_rows: list[trk.StepRow]) -> pd.DataFrame:
    data = []
    for r in stage_rows:
        status = tv.step_status_label(r.status, lang) + (" ▶" if r.current else "")
        if r.backdated:
            status += " " + tr("tracker.steps.backdated")
        data.append({
            tr("tracker.steps.code"): r.code, tr("tracker.steps.name"): r.name,
            tr("tracker.steps.status"): status, tr("tracker.steps.timing"): timing(r),
            tr("tracker.steps.due"): tv.fmt_datetime(r.due_at, lang),
            tr("tracker.steps.started"): tv.fmt_datetime(r.started_at, lang),
            tr("tracker.steps.finished"): tv.fmt_datetime(r.finished_at, lang),
            tr("tracker.steps.actors"): ", ".join(r.actors),
            tr("tracker.steps.clock"): tv.clock_label(r.responsible, r.external, lang),
            tr("tracker.steps.std"): standard(r),
            tr("tracker.steps.planned_end"): tv.fmt_datetime(r.planned_end, lang),
            tr("tracker.steps.who"): names["executors"].get(r.actor_id, "–") if r.actor_id else "–",
            tr("tracker.steps.note"): r.note or "", tr("tracker.steps.link"): r.doc_link or "",
            tr("tracker.steps.reason"): r.reason or ""})
    return pd.DataFrame(data)


with tab_steps:
    for stage, stage_name in cat.STAGES.items():
        stage_rows = [r for r in rows if r.stage == stage]
        if not stage_rows:
            continue
        n_late = sum(r.late for r in stage_rows)
        label = say("tracker.stage.summary", n=stage, name=stage_name,
                    done=sum(r.status in (DONE, SKIPPED) for r in stage_rows), total=len(stage_rows),
                    late=tr("tracker.stage.late", n=n_late) if n_late else "")
        with st.expander(label, expanded=any(r.current for r in stage_rows),
                         icon=":material/warning:" if n_late else ":material/checklist:"):
            st.dataframe(step_table(stage_rows), hide_index=True, width="stretch",
                         column_config={tr("tracker.steps.name"): st.column_config.TextColumn(width="medium")})

with tab_timeline:
    frame = trk.timeline_frame(rows, now)
    labels = {"plan": tr("tracker.timeline.plan"), "on_time": tr("tracker.timeline.on_time"),
              "late": tr("tracker.timeline.late"), "running": tr("tracker.timeline.running"),
              "running_late": tr("tracker.timeline.running_late"), "skipped": tr("tracker.timeline.skipped")}
    frame["state_label"] = frame["state"].map(labels)
    frame["late_text"] = frame["late_days"].map(trk.fmt_days)
    order = [r.code for r in rows]
    y = alt.Y("code:N", sort=order, title=None, scale=alt.Scale(paddingInner=0.15),
              axis=alt.Axis(labelFontSize=10, labelLimit=80, labelOverlap=False))
    tooltip = [alt.Tooltip("code:N", title=tr("tracker.steps.code")),
               alt.Tooltip("name:N", title=tr("tracker.steps.name")),
               alt.Tooltip("state_label:N", title=tr("tracker.steps.status")),
               alt.Tooltip("start:T", title=tr("tracker.steps.started"), format="%d/%m/%Y %H.%M"),
               alt.Tooltip("end:T", title=tr("tracker.steps.finished"), format="%d/%m/%Y %H.%M"),
               alt.Tooltip("responsible:N", title=tr("tracker.steps.clock")),
               alt.Tooltip("late_text:N", title=tr("tracker.col.late_days"))]
    x = alt.X("start:T", title=tr("tracker.timeline.when"), axis=alt.Axis(format="%d/%m/%y", labelAngle=0))
    kinds = [s for s in STATE_COLOURS if s in set(frame["state"])]
    base = alt.Chart(frame).encode(y=y, x=x, x2="end:T", tooltip=tooltip)
    plan_bars = base.transform_filter(alt.datum.kind == "plan").mark_bar(color="#cfd8dc", size=12)
    colour = alt.Color("state_label:N", title=tr("tracker.timeline.legend"),
                       scale=alt.Scale(domain=[labels[k] for k in kinds], range=[STATE_COLOURS[k] for k in kinds]),
                       legend=alt.Legend(orient="top"))
    actual_bars = base.transform_filter(alt.datum.kind == "actual").mark_bar(size=6).encode(color=colour)
    # A tick at each actual finish keeps short steps (30 minutes in a months-long case) visible.
    ticks = alt.Chart(frame).transform_filter(alt.datum.kind == "actual").mark_tick(thickness=2, size=14).encode(
        y=y, x="end:T", color=colour, tooltip=tooltip)
    now_local = pd.Timestamp(now.astimezone(JAKARTA).replace(tzinfo=None))
    rule = alt.Chart(pd.DataFrame({"now": [now_local]})).mark_rule(strokeDash=[4, 3], color="#455a64").encode(x="now:T")
    chart = alt.layer(plan_bars, actual_bars, ticks, rule).properties(height=max(260, 16 * len(order)))
    altair_chart(("case.timeline", frame, tuple(order), lang, now_local), lambda: chart, width="stretch",
                 alt=tr("tracker.tab.timeline"))
    st.caption(say("tracker.timeline.caption", done=sum(r.status == DONE for r in rows),
                  running=sum(r.status == RUNNING for r in rows), skipped=sum(r.status == SKIPPED for r in rows),
                  total=len(rows)))


def when_input(label_date: str, label_time: str, key: str, default: dt.datetime | None, optional: bool = False):
    c1, c2 = st.columns(2)
    local = default.astimezone(JAKARTA) if default else None
    day = c1.date_input(label_date, value=local.date() if local else (None if optional else jakarta_now().date()),
                        format="DD/MM/YYYY", key=f"{key}_d")
    hour = c2.time_input(label_time, value=local.time().replace(second=0, microsecond=0) if local else
                         p.calendar.start, key=f"{key}_t", step=dt.timedelta(minutes=15))
    if day is None:
        return None
    return dt.datetime.combine(day, hour or p.calendar.start, JAKARTA)


with tab_actions:
    if not can_step:
        st.caption(tr("tracker.action.readonly"))
    else:
        current = header.current_step
        if current and case["status"] == ACTIVE:
            with st.expander(tr("tracker.action.backdate") + f" — {md_line(current)}"):
                st.caption(tr("tracker.action.backdate_help"))
                with st.form(f"trk_backdate_{current}"):
                    start = when_input(tr("tracker.field.start_date"), tr("tracker.field.start_time"),
                                       f"trk_bd_start_{current}", by_code[current].started_at, optional=True)
                    finish = when_input(tr("tracker.field.finish_date"), tr("tracker.field.finish_time"),
                                        f"trk_bd_finish_{current}", None)
                    reason = st.text_input(tr("tracker.field.reason"), max_chars=trk.MAX_REASON,
                                           key=f"trk_bd_reason_{current}")
                    link = st.text_input(tr("tracker.field.doc_link"), max_chars=trk.MAX_LINK,
                                         key=f"trk_bd_link_{current}")
                    go = st.form_submit_button(tr("tracker.action.backdate_submit"))
                if go:
                    ok, _ = attempt(trk.record_done_earlier, store, p.actor, p.calendar, case_id, current,
                                    expected_version=seen, started_at=start, finished_at=finish, reason=reason,
                                    doc_link=link)
                    saved(ok, tr("tracker.detail.done_msg", code=current))
        open_steps = [r.code for r in rows if r.status not in (DONE, SKIPPED)]
        closed_steps = [r.code for r in rows if r.status in (DONE, SKIPPED)]
        step_label = {r.code: f"{r.code} — {r.name[:90]}" for r in rows}
        if case["status"] == ACTIVE and open_steps:
            with st.expander(tr("tracker.action.skip")):
                with st.form("trk_skip"):
                    code = st.selectbox(tr("tracker.field.step"), open_steps, format_func=step_label.get,
                                        key="trk_skip_code")
                    reason = st.text_input(tr("tracker.field.reason"), max_chars=trk.MAX_REASON, key="trk_skip_reason")
                    go = st.form_submit_button(tr("tracker.action.skip_submit"))
                if go:
                    ok, _ = attempt(trk.skip_step, store, p.actor, p.calendar, case_id, code, expected_version=seen,
                                    reason=reason)
                    saved(ok, tr("tracker.detail.saved"))
        if case["status"] in (ACTIVE, FINISHED) and closed_steps:
            with st.expander(tr("tracker.action.reopen")):
                with st.form("trk_reopen"):
                    code = st.selectbox(tr("tracker.field.step"), closed_steps[::-1], format_func=step_label.get,
                                        key="trk_reopen_code")
                    reason = st.text_input(tr("tracker.field.reason"), max_chars=trk.MAX_REASON,
                                           key="trk_reopen_reason")
                    go = st.form_submit_button(tr("tracker.action.reopen_submit"))
                if go:
                    ok, _ = attempt(trk.reopen_step, store, p.actor, p.calendar, case_id, code,
                                    expected_version=seen, reason=reason)
                    saved(ok, tr("tracker.detail.saved"))
        started_steps = [r.code for r in rows if r.status is not None]
        if started_steps:
            with st.expander(tr("tracker.action.annotate")):
                code = st.selectbox(tr("tracker.field.step"), started_steps[::-1], format_func=step_label.get,
                                    key="trk_note_code")
                with st.form(f"trk_note_{code}"):
                    note = st.text_area(tr("tracker.field.note"), value=by_code[code].note or "",
                                        max_chars=trk.MAX_NOTE, key=f"trk_note_text_{code}")
                    link = st.text_input(tr("tracker.field.doc_link"), value=by_code[code].doc_link or "",
                                         max_chars=trk.MAX_LINK, key=f"trk_note_link_{code}")
                    go = st.form_submit_button(tr("tracker.action.annotate_submit"))
                if go:
                    ok, _ = attempt(trk.annotate_step, store, p.actor, p.calendar, case_id, code,
                                    expected_version=seen, note=note, doc_link=link)
                    saved(ok, tr("tracker.detail.saved"))
    if allowed(p.actor, "case.hold"):
        if case["status"] == ACTIVE:
            with st.expander(tr("tracker.action.hold")):
                st.caption(tr("tracker.action.hold_help"))
                with st.form("trk_hold"):
                    reason = st.text_input(tr("tracker.field.hold_reason"), max_chars=trk.MAX_REASON,
                                           key="trk_hold_reason")
                    go = st.form_submit_button(tr("tracker.action.hold_submit"))
                if go:
                    ok, _ = attempt(trk.hold_case, store, p.actor, p.calendar, case_id, expected_version=seen,
                                    reason=reason)
                    saved(ok, tr("tracker.detail.saved"))
        elif case["status"] == ON_HOLD:
            if st.button(tr("tracker.action.resume"), type="primary", key="trk_resume"):
                ok, _ = attempt(trk.resume_case, store, p.actor, p.calendar, case_id, expected_version=seen)
                saved(ok, tr("tracker.detail.saved"))

with tab_case:
    if allowed(p.actor, "case.edit"):
        with st.form("trk_case_form"):
            title = st.text_input(tr("tracker.field.title"), value=case["title"], max_chars=trk.MAX_TITLE,
                                  key=f"trk_case_title_{case_id}")
            c1, c2, c3 = st.columns(3)
            pic_choices = [None] + [e for e in names["active_executors"]]
            if case.get("pic_id") and case["pic_id"] not in pic_choices:
                pic_choices.append(case["pic_id"])
            pic = c1.selectbox(tr("tracker.field.pic"), pic_choices, index=pic_choices.index(case.get("pic_id")),
                               format_func=lambda e: names["executors"].get(e, tr("tracker.case.no_pic")),
                               key=f"trk_case_pic_{case_id}")
            status_choices = [case["status"]] + [s for s in (ACTIVE, CANCELLED) if s != case["status"]]
            status = c2.selectbox(tr("tracker.field.status"), status_choices,
                                  format_func=lambda s: tv.status_label(s, lang), key=f"trk_case_status_{case_id}")
            target = c3.date_input(tr("tracker.field.target"), value=case.get("target_date"), format="DD/MM/YYYY",
                                   key=f"trk_case_target_{case_id}")
            notes = st.text_area(tr("tracker.field.notes"), value=case.get("notes") or "", max_chars=trk.MAX_NOTE,
                                 key=f"trk_case_notes_{case_id}")
            bad_target = reads.unreadable.get((case_id, "target_date"))
            if bad_target:
                st.caption(tr("store.cell.form_note", field=tr("tracker.field.target"), value=tv.md(bad_target.value)))
            go = st.form_submit_button(tr("tracker.case.save"))
        if go:
            ok, record = attempt(trk.edit_case, store, p.actor, case_id, expected_version=seen,
                                 changes={"title": title, "pic_id": pic, "status": status, "target_date": target,
                                          "notes": notes})
            if ok:
                tv.done(tr("tracker.detail.saved") if record else tr("tracker.detail.nothing"))
    else:
        st.text(case.get("notes") or "")
    if view.holds:
        st.subheader(tr("tracker.case.holds"))
        st.dataframe(pd.DataFrame([{
            tr("tracker.case.hold_start"): tv.fmt_datetime(h["start_at"], lang),
            tr("tracker.case.hold_end"): tv.fmt_datetime(h.get("end_at"), lang),
            tr("tracker.field.reason"): h["reason"]} for h in view.holds]), hide_index=True, width="stretch")

with tab_output:
    output_tab(p, view, store, names["units"])

with tab_history:
    history = trk.case_history(store, case_id)

    def shown_value(entry: dict, key: str) -> str:
        value = entry.get(key) or ""
        return names["executors"].get(value, value) if entry.get("field") == "pic_id" else value

    if not history:
        st.caption(tr("tracker.history.empty"))
    else:
        st.dataframe(pd.DataFrame([{
            tr("tracker.history.at"): tv.fmt_datetime(e["at"], lang), tr("tracker.history.actor"): e["actor"],
            tr("tracker.history.action"): tr(f"tracker.history.action.{e['action']}")
            if e["action"] in ("create", "update") else e["action"],
            tr("tracker.history.field"): trk.field_label(e["field"], lang) if e.get("field") not in (None, "", "*")
            else "", tr("tracker.history.old"): shown_value(e, "old"), tr("tracker.history.new"): shown_value(e, "new")}
            for e in history]), hide_index=True, width="stretch")
    started_steps = [r for r in rows if r.status is not None]
    if started_steps:
        with st.expander(tr("tracker.history.step")):
            code = st.selectbox(tr("tracker.field.step"), [r.code for r in started_steps][::-1], key="trk_hist_code")
            entries = trk.step_history(store, view.events[code]["id"])
            st.dataframe(pd.DataFrame([{
                tr("tracker.history.at"): tv.fmt_datetime(e["at"], lang), tr("tracker.history.actor"): e["actor"],
                tr("tracker.history.field"): e.get("field") or "", tr("tracker.history.old"): e.get("old") or "",
                tr("tracker.history.new"): e.get("new") or ""} for e in entries]), hide_index=True, width="stretch")

tv.remember_version("case", case_id, view.version)
