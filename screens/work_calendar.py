"""Kalender kerja (/kalender-kerja): the Bureau's working days and hours as every computation uses
them; the Admin adds and removes non-working days, sets office hours per weekday, special periods
and the standard office day. Each change recomputes the running steps' due instants (audited)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from domain import bureau_calendar as bc
from domain.calendar import format_date, format_datetime, format_hours, now
from domain.permissions import allowed
from ui.context import attempt, clear_read_caches, page
from ui.safe_text import md

p = page("calendar.view", "kalender-kerja")
tr, say, lang = p.tr, p.say, p.lang
st.title(tr("page.calendar"))
st.caption(tr("calendar.intro"))

flash = st.session_state.pop("cal_flash", None)
if flash:
    st.success(md(flash))

entries = bc.records(p.source.list(bc.TABLE))
active = bc.active_entries(entries)
calendar = p.calendar
manages = allowed(p.actor, "calendar.manage")
office = (p.settings.office_start, p.settings.office_end)
standard = format_hours(calendar.standard_hours)
st.info(say("calendar.standard", hours=standard, minutes=calendar.minutes_per_day), icon=":material/schedule:")
if not manages:
    st.caption(tr("calendar.readonly"))


def hours_text(hours) -> str:
    """Office hours as the ministry writes them (07.30–16.00), the same words as the public standard."""
    return format_hours(hours) or tr("calendar.closed")


def minutes(hours) -> int:
    return hours[1] - hours[0] if hours else 0


def as_text(value: dt.time | None) -> str | None:
    return value.strftime("%H:%M") if value else None


def saved(ok: bool, result) -> None:
    if ok:
        st.session_state["cal_flash"] = tr("calendar.saved", what=bc.describe(result.entry, lang), n=result.recomputed)
        clear_read_caches()
        st.rerun()


def save(change: bc.CalendarChange, expected_version: int | None = None) -> None:
    saved(*attempt(bc.save_entry, p.repo, p.actor, change, office=office, now=now(),
                   expected_version=expected_version))


tab_days, tab_hours, tab_periods, tab_entries = st.tabs(
    [tr("calendar.tab.days"), tr("calendar.tab.hours"), tr("calendar.tab.periods"), tr("calendar.tab.entries")])

with tab_days:
    this_year = now().year
    year = st.selectbox(tr("calendar.year"), [this_year - 1, this_year, this_year + 1], index=1, key="cal_year")
    closed = bc.closed_weekdays(calendar, active, year, lang)
    st.caption(tr("calendar.closed_days", year=year, n=len(closed)))
    st.dataframe(pd.DataFrame([{
        tr("calendar.col.day"): format_date(c.day, lang),
        tr("calendar.col.weekday"): tr(f"calendar.weekday.{c.day.weekday()}"),
        tr("calendar.col.source"): tr(f"calendar.source.{c.source}"),
        tr("calendar.col.name"): c.name} for c in closed]), hide_index=True, width="stretch")
    if manages:
        with st.expander(tr("calendar.add_holiday"), icon=":material/event_busy:"):
            with st.form("cal_holiday"):
                c1, c2 = st.columns(2)
                first = c1.date_input(tr("calendar.field.first_day"), value=None, format="DD/MM/YYYY",
                                      key="cal_h_first")
                last = c2.date_input(tr("calendar.field.last_day"), value=None, format="DD/MM/YYYY", key="cal_h_last")
                reason = st.text_input(tr("calendar.field.reason"), max_chars=bc.MAX_REASON, key="cal_h_reason")
                go = st.form_submit_button(tr("calendar.save"), type="primary")
            if go:
                save(bc.CalendarChange(bc.HOLIDAY, first_day=first, last_day=last, reason=reason))
        with st.expander(tr("calendar.add_workday"), icon=":material/event_available:"):
            with st.form("cal_workday"):
                day = st.date_input(tr("calendar.field.first_day"), value=None, format="DD/MM/YYYY", key="cal_w_day")
                reason = st.text_input(tr("calendar.field.reason"), max_chars=bc.MAX_REASON, key="cal_w_reason")
                go = st.form_submit_button(tr("calendar.save"), type="primary")
            if go:
                save(bc.CalendarChange(bc.WORKDAY, first_day=day, reason=reason))

with tab_hours:
    st.dataframe(pd.DataFrame([{
        tr("calendar.col.weekday"): tr(f"calendar.weekday.{d}"),
        tr("calendar.col.hours"): hours_text(calendar.weekday_default(d)),
        tr("calendar.col.minutes"): minutes(calendar.weekday_default(d))} for d in range(7)]),
        hide_index=True, width="stretch")
    if manages:
        with st.expander(tr("calendar.set_weekday"), icon=":material/schedule:"):
            weekday = st.selectbox(tr("calendar.field.weekday"), list(range(7)), index=4,
                                   format_func=lambda d: tr(f"calendar.weekday.{d}"), key="cal_d_weekday")
            current = next((r for r in entries if r["id"] == bc.weekday_id(weekday)), None)
            hours = calendar.weekday_default(weekday) or calendar.standard_hours
            with st.form(f"cal_weekday_{weekday}"):
                c1, c2, c3 = st.columns(3)
                opens = c1.time_input(tr("calendar.field.opens"), value=dt.time(hours[0] // 60, hours[0] % 60),
                                      step=dt.timedelta(minutes=15), key=f"cal_d_opens_{weekday}")
                closes = c2.time_input(tr("calendar.field.closes"), value=dt.time(hours[1] // 60, hours[1] % 60),
                                       step=dt.timedelta(minutes=15), key=f"cal_d_closes_{weekday}")
                shut = c3.checkbox(tr("calendar.field.closed"), value=calendar.weekday_default(weekday) is None,
                                   key=f"cal_d_closed_{weekday}")
                reason = st.text_input(tr("calendar.field.reason"), max_chars=bc.MAX_REASON,
                                       key=f"cal_d_reason_{weekday}")
                go = st.form_submit_button(tr("calendar.save"), type="primary")
            if go:
                save(bc.CalendarChange(bc.WEEKDAY, weekday=weekday, opens=as_text(opens), closes=as_text(closes),
                                       closed=shut, reason=reason),
                     expected_version=int(current["version"]) if current else None)
        with st.expander(tr("calendar.set_standard"), icon=":material/tune:"):
            st.caption(tr("calendar.set_standard_help"))
            current = next((r for r in entries if r["id"] == bc.STANDARD_ID), None)
            with st.form("cal_standard"):
                c1, c2 = st.columns(2)
                a, b = calendar.standard_hours
                opens = c1.time_input(tr("calendar.field.opens"), value=dt.time(a // 60, a % 60),
                                      step=dt.timedelta(minutes=15), key="cal_s_opens")
                closes = c2.time_input(tr("calendar.field.closes"), value=dt.time(b // 60, b % 60),
                                       step=dt.timedelta(minutes=15), key="cal_s_closes")
                reason = st.text_input(tr("calendar.field.reason"), max_chars=bc.MAX_REASON, key="cal_s_reason")
                go = st.form_submit_button(tr("calendar.save"), type="primary")
            if go:
                save(bc.CalendarChange(bc.STANDARD, opens=as_text(opens), closes=as_text(closes), reason=reason),
                     expected_version=int(current["version"]) if current else None)

with tab_periods:
    periods = [r for r in active if r.get("kind") == bc.PERIOD]
    if not periods:
        st.caption(tr("calendar.periods_none"))
    else:
        st.dataframe(pd.DataFrame([{
            tr("calendar.col.entry"): bc.describe(r, lang), tr("calendar.field.reason"): r.get("reason") or ""}
            for r in periods]), hide_index=True, width="stretch")
    if manages:
        with st.expander(tr("calendar.add_period"), icon=":material/date_range:"):
            with st.form("cal_period"):
                c1, c2 = st.columns(2)
                first = c1.date_input(tr("calendar.field.first_day"), value=None, format="DD/MM/YYYY",
                                      key="cal_p_first")
                last = c2.date_input(tr("calendar.field.last_day"), value=None, format="DD/MM/YYYY", key="cal_p_last")
                c1, c2, c3 = st.columns(3)
                opens = c1.time_input(tr("calendar.field.opens"), value=dt.time(8, 0), step=dt.timedelta(minutes=15),
                                      key="cal_p_opens")
                closes = c2.time_input(tr("calendar.field.closes"), value=dt.time(15, 0), step=dt.timedelta(minutes=15),
                                       key="cal_p_closes")
                shut = c3.checkbox(tr("calendar.field.closed"), key="cal_p_closed")
                reason = st.text_input(tr("calendar.field.reason"), max_chars=bc.MAX_REASON, key="cal_p_reason")
                go = st.form_submit_button(tr("calendar.save"), type="primary")
            if go:
                save(bc.CalendarChange(bc.PERIOD, first_day=first, last_day=last, opens=as_text(opens),
                                       closes=as_text(closes), closed=shut, reason=reason))

with tab_entries:
    if not entries:
        st.caption(tr("calendar.no_entries", hours=standard))
    else:
        st.dataframe(pd.DataFrame([{
            tr("calendar.field.kind"): tr(f"calendar.kind.{r.get('kind')}"),
            tr("calendar.col.entry"): bc.describe(r, lang), tr("calendar.field.reason"): r.get("reason") or "",
            tr("calendar.col.active"): r.get("active") is not False, tr("calendar.col.by"): r.get("updated_by") or "",
            tr("calendar.col.at"): format_datetime(r.get("updated_at"), lang)}
            for r in reversed(entries)]), hide_index=True, width="stretch")
    if manages and active:
        with st.form("cal_remove"):
            by_id = {r["id"]: r for r in active}
            chosen = st.selectbox(tr("calendar.remove_pick"), list(by_id), key="cal_r_pick",
                                  format_func=lambda i: bc.describe(by_id[i], lang) + (f" · {by_id[i]['reason']}"
                                                                                     if by_id[i].get("reason") else ""))
            go = st.form_submit_button(tr("calendar.remove"))
        if go:
            saved(*attempt(bc.remove_entry, p.repo, p.actor, chosen, expected_version=int(by_id[chosen]["version"]),
                           office=office, now=now()))
