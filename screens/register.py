"""Register SP/SOP (/register-sp-sop): the finished SP and SOP per document, searched by organisation,
unit, kind, year and text; counts per unit for leadership and the Bureau; a unit user sees their own
unit's; the signed PDF (checked by its SHA-256) and CSV/XLSX exports of what is filtered."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from domain import outputs as out
from domain.permissions import allowed
from ui import tracker_views as tv
from ui.export_buttons import export_buttons
from ui.context import file_store, page
from ui.page_reads import REGISTER_TABLES

p = page("register.view", "register-sp-sop")
tr, say, lang = p.tr, p.say, p.lang
sees_all = allowed(p.actor, "register.view_all")
st.title(tr("page.register"))
st.caption(tr("register.intro") if sees_all else tr("register.intro_unit"))

register = out.register_frame(p.source.frames(list(REGISTER_TABLES)), p.actor)
orgs = dict(zip(register["org_id"], register["org"], strict=True))
units = dict(zip(register["unit_id"], register["unit"], strict=True))

with st.container(border=True):
    c1, c2, c3, c4 = st.columns(4)
    org_ids = c1.multiselect(tr("register.filter.org"), sorted(o for o in orgs if isinstance(o, str)),
                             format_func=lambda o: orgs.get(o) or o, key="reg_f_org", placeholder=tr("register.choose"))
    unit_options = sorted((u for u in units if not org_ids or register.loc[register["unit_id"] == u, "org_id"]
                           .isin(org_ids).any()), key=lambda u: str(units.get(u)))
    unit_ids = c2.multiselect(tr("register.filter.unit"), unit_options, format_func=lambda u: units.get(u) or u,
                              key="reg_f_unit", placeholder=tr("register.choose"))
    kinds = c3.multiselect(tr("register.filter.kind"), list(out.KINDS), key="reg_f_kind",
                           placeholder=tr("register.choose"))
    years = c4.multiselect(tr("register.filter.year"), sorted({int(y) for y in register["year"].dropna()},
                                                               reverse=True), key="reg_f_year",
                           placeholder=tr("register.choose"))
    text = st.text_input(tr("register.filter.text"), key="reg_f_text", max_chars=200)
shown = out.filter_register(register, out.RegisterFilter(org_ids, unit_ids, kinds, years, text))

cols = st.columns(4)
for col, key, value in zip(cols, ("total", "sp", "sop", "published"),
                           (len(shown), int((shown["kind"] == "SP").sum()), int((shown["kind"] == "SOP").sum()),
                            int(shown["published"].sum())), strict=True):
    col.metric(tr(f"register.metric.{key}"), f"{value:,}".replace(",", "."))

if sees_all and not shown.empty:
    st.subheader(tr("register.per_unit"))
    per_unit = out.counts_per_unit(shown)
    chart_data = per_unit.head(20).melt(id_vars=["unit"], value_vars=["SP", "SOP"], var_name="kind", value_name="n")
    chart = alt.Chart(chart_data).mark_bar().encode(
        y=alt.Y("unit:N", sort=list(per_unit.head(20)["unit"]), title=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("n:Q", title=tr("register.col.total"), stack="zero"),
        color=alt.Color("kind:N", title=tr("register.col.kind"), scale=alt.Scale(domain=list(out.KINDS),
                                                                                range=["#1565c0", "#90caf9"])),
        tooltip=[alt.Tooltip("unit:N", title=tr("register.col.unit")), alt.Tooltip("kind:N"),
                 alt.Tooltip("n:Q", title=tr("register.col.total"))])
    st.altair_chart(chart.properties(height=28 * min(20, len(per_unit)) + 40), width="stretch",
                    alt=tr("register.per_unit"))
    st.dataframe(per_unit.rename(columns={c: tr(f"register.col.{c}") for c in per_unit.columns}), hide_index=True,
                 width="stretch")

if shown.empty:
    st.info(tr("register.empty"))
else:
    st.caption(say("register.count", shown=f"{len(shown):,}".replace(",", "."),
                   total=f"{len(register):,}".replace(",", ".")))
    table = pd.DataFrame({
        tr("register.col.kind"): shown["kind"], tr("register.col.title"): shown["title"],
        tr("register.col.unit"): shown["unit"], tr("register.col.org"): shown["org"],
        tr("register.col.doc_number"): shown["doc_number"],
        tr("register.col.doc_date"): tv.fmt_dates(pd.to_datetime(shown["doc_date"]), lang),
        tr("register.col.web_link"): shown["web_link"], tr("register.col.archive_ref"): shown["archive_ref"],
        tr("register.col.case_number"): shown["case_number"], tr("register.col.pdf_name"): shown["pdf_name"]})
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        tr("register.col.web_link"): st.column_config.LinkColumn(), tr("register.col.title"):
            st.column_config.TextColumn(width="large")})
    with_pdf = shown[shown["attachment_id"].notna()]
    if len(with_pdf):
        c1, c2 = st.columns([3, 1])
        labels = dict(zip(with_pdf["id"], with_pdf["title"] + " · " + with_pdf["doc_number"].fillna(""), strict=True))
        chosen = c1.selectbox(tr("register.pdf_pick"), list(labels), format_func=labels.get, key="reg_pdf_pick")
        name = with_pdf.set_index("id").loc[chosen, "pdf_name"]
        repo, actor, files = p.repo, p.actor, file_store()

        def pdf_bytes() -> bytes:
            return out.signed_pdf(repo, actor, files, chosen)[1]

        c2.download_button(tr("output.download"), data=pdf_bytes, file_name=str(name), mime="application/pdf",
                           key=f"reg_pdf_{chosen}", on_click="ignore", icon=":material/download:")

if allowed(p.actor, "register.export") and not shown.empty:
    repo, actor = p.repo, p.actor
    described = "; ".join(f"{k}={v}" for k, v in (("org", org_ids), ("unit", unit_ids), ("jenis", kinds),
                                                   ("tahun", years), ("cari", text)) if v)

    export_buttons(lambda: out.export_rows(shown, lang),
                   lambda n, fmt: out.record_export(repo, actor, n, fmt, described),
                   stem="register-sp-sop", sheet="Register SP-SOP", key="reg_export",
                   labels=(tr("register.export.csv"), tr("register.export.xlsx")),
                   help_text=say("register.export.help", n=f"{len(shown):,}".replace(",", ".")))
