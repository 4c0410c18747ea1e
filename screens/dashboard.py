"""Dasbor pimpinan: where every unit's SP/SOP stands, who is late, where the procedure stalls.

Figures come from ``ui.dashboard_figures`` (SQL in the store; one batch read on Sheets), cached
for a minute. Charts are Altair; each chart's data is downloadable as CSV (text neutralised)."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from domain import dashboard as dash
from domain.calendar import JAKARTA, format_date, format_datetime, now
from reports.exports import frame_to_csv
from ui.charts import altair_chart
from ui.context import page, show_error
from ui.dashboard_figures import figures
from ui.safe_text import md_frame

p = page("dashboard.view", "dasbor")
tr, say, lang = p.tr, p.say, p.lang

# Our own CSS (never user text): larger type for a projected screen.
PROJECTOR_CSS = """<style>
html { font-size: 21px; }
[data-testid="stMetricValue"] { font-size: 3.2rem !important; }
[data-testid="stMetricLabel"] p { font-size: 1.15rem !important; }
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * { white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important; height: auto !important;
  word-break: normal !important; overflow-wrap: normal !important; }
[data-testid="stMarkdownContainer"] h2 { font-size: 1.9rem !important; }
[data-testid="stTable"] td, [data-testid="stTable"] th { font-size: 1.05rem !important; }
/* the whole width for the figures: the menu comes back when projector mode is switched off */
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none !important; }
[data-testid="stMainBlockContainer"] { max-width: 100% !important; padding-left: 2rem !important;
  padding-right: 2rem !important; }
</style>"""
PROJECTOR_ROWS = 15
# not started, stages 1–9 (light to dark blue), finished (green), no case
STAGE_COLOURS = ["#bdbdbd", "#9ecae1", "#82bbdc", "#6baed6", "#4f9bcb", "#3987c0", "#2171b5", "#08519c",
                 "#083d7f", "#08306b", "#2ca25f", "#eeeeee"]
LATE_COLOUR, DONE_COLOUR, STD_COLOUR = "#c0392b", "#2171b5", "#111111"


def number(n) -> str:
    return f"{int(n):,}".replace(",", "." if lang == "id" else ",")


def big() -> bool:
    return bool(st.session_state.get("dash.projector"))


def styled(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    size = 18 if big() else 12
    return (chart.configure_axis(labelFontSize=size, titleFontSize=size, labelLimit=420)
            .configure_legend(labelFontSize=size, titleFontSize=size, orient="bottom", columns=6)
            .configure_view(strokeWidth=0))


def chart_height(rows: int) -> int:
    """Bars of a readable thickness plus room for the axis (Streamlit fits the whole chart to this)."""
    return (40 if big() else 28) * max(1, rows) + (70 if big() else 50)


def text_size() -> int:
    return 18 if big() else 12


def show_table(name: str, df: pd.DataFrame, file_stem: str) -> None:
    frame = dash.table(name, df, lang)
    if big():
        st.table(md_frame(dash.as_text(frame.head(PROJECTOR_ROWS), lang)))
        if len(frame) > PROJECTOR_ROWS:
            st.caption(say("dash.more_rows", shown=PROJECTOR_ROWS, total=len(frame)))
    else:
        st.dataframe(frame, hide_index=True, width="stretch", height=min(420, 38 + 35 * max(1, len(frame))))
    download(frame, file_stem, f"dl.{name}")


def download(frame: pd.DataFrame, file_stem: str, key: str) -> None:
    st.download_button(tr("dash.download"), frame_to_csv(frame), file_name=f"{file_stem}-{d.year}.csv",
                       mime="text/csv", key=key, on_click="ignore", icon=":material/download:")


def stage_domain() -> list[str]:
    return [dash.stage_label(s, lang) for s in range(dash.STAGE_DONE + 1)] + [dash.stage_label(None, lang)]


def progress_chart(df: pd.DataFrame, id_col: str, name_col: str, param: str) -> alt.TopLevelMixin:
    """Share of the procedure done per organisation or unit, coloured by stage reached; readable at a glance."""
    data = df.assign(stage=df["stage_reached"].map(lambda v: dash.stage_label(v, lang)),
                     label=[f"{round(s * 100)}% · {dash.stage_label(v, lang)}"
                            for s, v in zip(df["share_done"], df["stage_reached"], strict=True)])
    data = data[[id_col, name_col, "share_done", "stage", "label", "cases", "cases_open", "cases_late"]]
    pick = alt.selection_point(name=param, fields=[id_col], on="click")
    # Most done first; ties in the ministry's order (the frame's order).
    order = data.sort_values("share_done", ascending=False, kind="mergesort")[name_col].tolist()
    y = alt.Y(f"{name_col}:N", sort=order, title=None)
    bars = alt.Chart(data).mark_bar(cornerRadiusEnd=3).encode(
        x=alt.X("share_done:Q", scale=alt.Scale(domain=[0, 1.25]), title=tr("dash.col.share"),
                axis=alt.Axis(format="%", values=[0, 0.25, 0.5, 0.75, 1])),
        y=y,
        # No legend: each bar's label already says the stage.
        color=alt.Color("stage:N", legend=None, scale=alt.Scale(domain=stage_domain(), range=STAGE_COLOURS)),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.45)),
        tooltip=[alt.Tooltip(f"{name_col}:N", title=tr("dash.col.unit" if id_col == "unit_id" else "dash.col.org")),
                 alt.Tooltip("share_done:Q", format=".0%", title=tr("dash.col.share")),
                 alt.Tooltip("stage:N", title=tr("dash.col.stage")),
                 alt.Tooltip("cases:Q", title=tr("dash.col.cases")),
                 alt.Tooltip("cases_open:Q", title=tr("dash.col.cases_open")),
                 alt.Tooltip("cases_late:Q", title=tr("dash.col.cases_late"))],
    ).add_params(pick)
    labels = alt.Chart(data).mark_text(align="left", dx=5, fontSize=text_size()).encode(
        x="share_done:Q", y=y, text="label:N")
    return styled((bars + labels).properties(height=chart_height(len(data)), width="container"))


def picked(event, param: str, field: str, seen_key: str) -> str | None:
    """The id a click on the chart picked, once per new click (later reruns keep the selectbox's choice)."""
    try:
        points = event.selection.get(param) or []
    except AttributeError:
        return None
    value = points[0].get(field) if points else None
    if value == st.session_state.get(seen_key):
        return None
    st.session_state[seen_key] = value
    return value


# ---- filters and figures ----------------------------------------------------------------------------
minute = pd.Timestamp(now()).floor("min")
year = st.session_state.get("dash.year", minute.year)
org = st.session_state.get("dash.org") or None  # "" (a worded option, unlike None): every organisation
store_key = f"{p.settings.backend}:{p.settings.duckdb_path}:{p.settings.sheets_key}"
try:
    d = figures(store_key, year, org, minute, p.repo, p.calendar)
except Exception as exc:  # noqa: BLE001 - shown as a message, never a traceback
    st.title(tr("page.dashboard"))
    show_error(exc)
    st.stop()

st.title(tr("page.dashboard"))
org_names = dict(d.org_choices)
c_year, c_org, c_proj = st.columns([1, 3, 1.2], vertical_alignment="bottom")
c_year.selectbox(tr("dash.filter.year"), sorted(d.years, reverse=True), key="dash.year",
                 index=sorted(d.years, reverse=True).index(year) if year in d.years else 0)
c_org.selectbox(tr("dash.filter.org"), [""] + list(org_names), key="dash.org",
                format_func=lambda o: org_names.get(o, o) if o else tr("dash.filter.all_orgs"))
c_proj.toggle(tr("dash.projector"), key="dash.projector", help=say("dash.projector.help"))
if big():
    st.html(PROJECTOR_CSS)
# A past year is counted at its last instant: shown as its last day, not as 1 January 00.00.
as_of = (format_datetime(d.as_of.to_pydatetime(), lang) if d.current
         else format_date((d.as_of - pd.Timedelta(microseconds=1)).tz_convert(JAKARTA).to_pydatetime(), lang))
scope = tr("dash.filter.all_orgs") if org is None else org_names.get(org, org)
st.caption(say("dash.caption", as_of=as_of, year=d.year))

# ---- headline -------------------------------------------------------------------------------------
h = d.headline
row1, row2 = st.columns(4), st.columns(4)
row1[0].metric(tr("dash.m.cases_open"), number(h.cases_open), help=say("dash.m.cases_open.help", as_of=as_of),
               border=True)
row1[1].metric(tr("dash.m.cases_finished"), number(h.cases_finished),
               help=say("dash.m.cases_finished.help", year=d.year), border=True)
row1[2].metric(tr("dash.m.docs_permen"), number(h.docs_permen), help=say("dash.m.docs.help", year=d.year), border=True)
row1[3].metric(tr("dash.m.docs_intern"), number(h.docs_intern), help=say("dash.m.docs.help", year=d.year), border=True)
row2[0].metric(tr("dash.m.on_time"), "–" if h.on_time_share is None else f"{h.on_time_share * 100:.0f}%",
               help=say("dash.m.on_time.help", on_time=number(h.steps_on_time), judged=number(h.steps_judged),
                       year=d.year), border=True)
row2[1].metric(tr("dash.m.cases_late"), number(h.cases_late), help=say("dash.m.cases_late.help", as_of=as_of),
               border=True)
row2[2].metric(tr("dash.m.complaints_open"), number(h.complaints_open),
               help=say("dash.m.complaints_open.help", as_of=as_of), border=True)
row2[3].metric(tr("dash.m.complaints_overdue"), number(h.complaints_overdue),
               help=say("dash.m.complaints_overdue.help", as_of=as_of), border=True)
download(dash.headline_table(d, scope, lang), tr("dash.headline.file"), "dl.headline")

# ---- progress: organisation -> unit -> cases ---------------------------------------------------------
st.header(tr("dash.sec.progress"))
st.caption(tr("dash.progress.help") + " " + tr("dash.click_hint"))
if org is None:
    st.subheader(tr("dash.progress.orgs"))
    event = st.altair_chart(progress_chart(d.orgs, "org_id", "org_name", "pick_org"), key="dash.org_chart",
                            on_select="rerun", selection_mode="pick_org")
    clicked = picked(event, "pick_org", "org_id", "dash.org_click")
    if clicked in org_names:
        st.session_state["dash.drill_org"] = clicked
    download(dash.table("orgs", d.orgs, lang), tr("dash.file.orgs"), "dl.orgs")
    drill_options = d.orgs["org_id"].tolist()
    if st.session_state.get("dash.drill_org") not in drill_options and drill_options:
        with_cases = d.orgs.loc[d.orgs["cases"] > 0, "org_id"].tolist()
        st.session_state["dash.drill_org"] = (with_cases or drill_options)[0]
    drill = st.selectbox(tr("dash.pick_org"), drill_options, key="dash.drill_org",
                         format_func=lambda o: org_names.get(o, o))
else:
    drill = org

units = d.units[d.units["org_id"] == drill]
st.subheader(tr("dash.progress.units"))
if units.empty:
    st.info(tr("dash.no_units"))
else:
    event = st.altair_chart(progress_chart(units, "unit_id", "unit_name", "pick_unit"), key=f"dash.unit_chart.{drill}",
                            on_select="rerun", selection_mode="pick_unit")
    unit_names = dict(zip(units["unit_id"], units["unit_name"], strict=True))
    clicked = picked(event, "pick_unit", "unit_id", "dash.unit_click")
    if clicked in unit_names:
        st.session_state["dash.unit"] = clicked
    download(dash.table("units", units, lang), tr("dash.file.units"), "dl.units")
    if st.session_state.get("dash.unit") not in unit_names:
        st.session_state["dash.unit"] = units["unit_id"].iloc[0]
    unit = st.selectbox(tr("dash.pick_unit"), list(unit_names), key="dash.unit",
                        format_func=lambda u: unit_names.get(u, u))
    its_cases = d.cases[d.cases["unit_ids"].map(lambda ids: unit in ids)]
    if its_cases.empty:
        st.info(tr("dash.no_cases"))
    else:
        show_table("cases", its_cases, tr("dash.file.cases"))

# ---- lateness --------------------------------------------------------------------------------------
st.header(tr("dash.sec.late"))
st.subheader(say("dash.late.list", as_of=as_of))
if d.late_steps.empty:
    st.success(tr("dash.late.none"))
else:
    show_table("late_steps", d.late_steps, tr("dash.file.late_steps"))
st.subheader(tr("dash.late.by_role"))
st.caption(say("dash.late.by_role.help", as_of=as_of))
if not d.late_by_role.empty:
    roles = d.late_by_role.assign(label=[tr("dash.late_of", late=number(late), judged=number(n))
                                         for late, n in zip(d.late_by_role["late"], d.late_by_role["judged"],
                                                            strict=True)])
    y = alt.Y("role:N", sort=roles["role"].tolist(), title=None)
    chart = (alt.Chart(roles).mark_bar(color=LATE_COLOUR, cornerRadiusEnd=3).encode(
        x=alt.X("late_share:Q", axis=alt.Axis(format="%", values=[0, 0.25, 0.5, 0.75, 1]),
                scale=alt.Scale(domain=[0, 1.2]),
                title=tr("dash.col.late_share")), y=y,
        tooltip=[alt.Tooltip("role:N", title=tr("dash.col.role")),
                 alt.Tooltip("late_share:Q", format=".0%", title=tr("dash.col.late_share")),
                 alt.Tooltip("days_late_total:Q", format=".1f", title=tr("dash.col.days_total"))])
        + alt.Chart(roles).mark_text(align="left", dx=5, fontSize=text_size()).encode(
            x="late_share:Q", y=y, text="label:N"))
    altair_chart(("dash.role_chart", roles, lang, big()),
                 lambda: styled(chart.properties(height=chart_height(len(roles)), width="container")),
                 key="dash.role_chart")
    download(dash.table("late_by_role", d.late_by_role, lang), tr("dash.file.late_by_role"), "dl.late_by_role")

# ---- bottlenecks -----------------------------------------------------------------------------------
st.header(tr("dash.sec.bottlenecks"))
st.caption(tr("dash.bottlenecks.help"))
if d.bottlenecks.empty:
    st.info(tr("dash.bottlenecks.none"))
else:
    top = d.bottlenecks.head(10)
    top = top.assign(step=[f"{c} {n[:48]}{'…' if len(n) > 48 else ''}"
                           for c, n in zip(top["step_code"], top["step_name"].fillna(""), strict=True)])
    order = top["step"].tolist()
    y = alt.Y("step:N", sort=order, title=None)
    tips = [alt.Tooltip("step:N", title=tr("dash.col.step")),
            alt.Tooltip("actual_median:Q", format=".1f", title=tr("dash.col.actual_median")),
            alt.Tooltip("standard_days:Q", format=".1f", title=tr("dash.col.std_days")),
            alt.Tooltip("lost_days:Q", format=".1f", title=tr("dash.col.lost")),
            alt.Tooltip("n:Q", title=tr("dash.col.n"))]
    chart = (alt.Chart(top).mark_bar(color=DONE_COLOUR, opacity=0.8, cornerRadiusEnd=3).encode(
                 x=alt.X("actual_median:Q", title=tr("dash.col.actual_median")), y=y, tooltip=tips)
             + alt.Chart(top).mark_rule(color=STD_COLOUR, strokeWidth=2).encode(x="actual_p25:Q", x2="actual_p75:Q",
                                                                                y=y)
             + alt.Chart(top).mark_tick(color=STD_COLOUR, thickness=4, size=24).encode(x="standard_days:Q", y=y))
    altair_chart(("dash.bottleneck_chart", top, lang, big()),
                 lambda: styled(chart.properties(height=chart_height(len(top)), width="container")),
                 key="dash.bottleneck_chart")
    show_table("bottlenecks", d.bottlenecks, tr("dash.file.bottlenecks"))

# ---- trend -----------------------------------------------------------------------------------------
st.header(tr("dash.sec.trend"))
if not d.trend.empty:
    trend = d.trend.assign(bulan=d.trend["month"].map(lambda m: dash.month_label(int(m), lang)))
    months = trend["bulan"].tolist()
    long = trend.melt(id_vars=["bulan"], value_vars=["opened", "finished"], var_name="series", value_name="n")
    long["series"] = long["series"].map({"opened": tr("dash.series.opened"), "finished": tr("dash.series.finished")})
    left, right = st.columns(2)
    with left:
        st.subheader(tr("dash.trend.cases"))
        lines = alt.Chart(long).mark_line(point=True, strokeWidth=3).encode(
            x=alt.X("bulan:N", sort=months, title=None), y=alt.Y("n:Q", title=tr("dash.col.cases")),
            color=alt.Color("series:N", title=None, scale=alt.Scale(range=["#6baed6", "#2ca25f"])),
            tooltip=["bulan:N", "series:N", "n:Q"])
        st.altair_chart(styled(lines.properties(height=300, width="container")), key="dash.trend_cases")
    with right:
        st.subheader(tr("dash.trend.docs"))
        bars = alt.Chart(trend).mark_bar(color="#2ca25f", cornerRadiusEnd=3).encode(
            x=alt.X("bulan:N", sort=months, title=None), y=alt.Y("documents:Q", title=tr("dash.col.documents")),
            tooltip=["bulan:N", "documents:Q"])
        st.altair_chart(styled(bars.properties(height=300, width="container")), key="dash.trend_docs")
    download(dash.table("trend", d.trend, lang), tr("dash.file.trend"), "dl.trend")

with st.expander(tr("dash.method")):
    st.markdown(tr("dash.method.text"))
