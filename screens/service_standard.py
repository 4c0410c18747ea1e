"""Standar Pelayanan (/standar-pelayanan): the service standard as the public reads it, no account
needed. Every component of the seed; the procedure, its times, the office hours and the complaint
standard are computed from the catalogue, the Bureau's calendar and the settings (the same figures
the app plans and judges with); the SP/SOP published so far. Printable (a print stylesheet)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from domain import bureau_calendar as bc
from domain import outputs as out
from domain import service_standard as ss
from domain.calendar import format_datetime, now
from ui import tracker_views as tv
from ui.context import page
from ui.navigation import page_link
from ui.safe_text import md, md_frame

p = page("standard.view", "standar-pelayanan")
tr, say, lang = p.tr, p.say, p.lang

# Our own stylesheet (no user text): printing leaves out the app's menus, buttons and links.
st.html("""<style>
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stStatusWidget"], [data-testid="stPageLink"], [data-testid="stBaseButton-secondary"],
  .stButton, .stDownloadButton, .no-print { display: none !important; }
  [data-testid="stMain"], [data-testid="stAppViewContainer"], [data-testid="stMainBlockContainer"] {
    overflow: visible !important; max-width: 100% !important; padding: 0 !important; margin: 0 !important; }
  h1, h2, h3 { break-after: avoid; }
  tr { break-inside: avoid; }
  body { font-size: 10.5pt; }
}
</style>""")

calendar = p.calendar
times = ss.times(calendar, lang)
entries = p.source.list("calendar_entries")
st.title(tr("page.standard"))
st.subheader(tr("standard.heading"))
st.caption(tr("standard.unit"))
st.caption(say("standard.computed", when=format_datetime(now(), lang)) + "  \n" + say("standard.print"))


def slot(name: str) -> None:
    if name == "flowchart":
        st.markdown(page_link("bagan-alir", tr("standard.A2.link")))
    elif name == "procedure":
        st.markdown(say("standard.B2.text", hours=times.standard_hours, minutes=times.minutes_per_day))
        st.markdown(say("standard.B2.typical"))
        st.table(md_frame(pd.DataFrame({
            tr("standard.col.example"): times.examples["label"],
            tr("standard.col.permen"): times.examples["permen"].map(tv.trk.fmt_days),
            tr("standard.col.intern"): times.examples["intern"].map(tv.trk.fmt_days)})))
        st.markdown(say("standard.B2.stages"))
        st.table(md_frame(pd.DataFrame({
            tr("standard.col.stage"): times.stages["stage"].astype(str) + ". " + times.stages["name"],
            tr("standard.col.permen"): times.stages["permen"].map(tv.trk.fmt_days),
            tr("standard.col.intern"): times.stages["intern"].map(tv.trk.fmt_days)})))
        st.markdown(say("standard.B2.steps"))
        st.table(md_frame(times.steps.rename(columns={c: tr(f"standard.col.{c}") for c in times.steps.columns})))
    elif name == "hours":
        st.markdown("\n".join(f"- {md(line)}" for line in ss.schedule_lines(calendar, lang)))
        year = now().year
        st.markdown(say("standard.G2.closed", year=year, n=len(bc.closed_weekdays(calendar, entries, year, lang))))
        periods = ss.periods_text(entries, now().date(), lang)
        if periods:
            st.markdown(say("standard.G2.periods", periods=periods))
    elif name == "complaints":
        st.markdown(say("standard.H2.channels", days=p.settings.complaint_response_days))
        st.markdown(page_link("pengaduan", tr("standard.H2.form")) + " · "
                    + page_link("status-pengaduan", tr("standard.H2.status")))
    elif name == "published":
        docs = out.public_list(p.source.frames(list(out.PUBLIC_TABLES)))
        st.markdown(f"**{md(tr('standard.published.title'))}**")
        if docs.empty:
            st.caption(tr("standard.published.none"))
        else:
            st.caption(tr("standard.published.text", n=len(docs)))
            link = tr("register.col.web_link")
            st.dataframe(pd.DataFrame({
                tr("register.col.kind"): docs["kind"], tr("register.col.title"): docs["title"],
                tr("register.col.unit"): docs["unit"], tr("register.col.doc_number"): docs["doc_number"],
                tr("register.col.doc_date"): docs["doc_date"].map(lambda v: out.date_label(v, lang)),
                link: docs["web_link"]}), hide_index=True, width="stretch", height=min(420, 38 + 35 * len(docs)),
                column_config={link: st.column_config.LinkColumn()})

part = 0
for component in ss.components(lang):
    if component.part != part:
        part = component.part
        st.header(tr(f"standard.part{part}"), divider="gray")
    st.subheader(component.title)
    for block in component.blocks:
        if block.kind == "p":
            st.markdown(md(block.text))
        elif block.kind == "ol":
            lines = []
            for i, (text, subs) in enumerate(block.items, 1):
                lines.append(f"{i}. {md(text)}")
                lines += [f"    - {chr(97 + j)}. {md(sub)}" for j, sub in enumerate(subs)]
            st.markdown("\n".join(lines))
        else:
            slot(block.text)
