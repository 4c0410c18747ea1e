"""Home: what the service is, the procedure with its standard times, and where the store is."""
import pandas as pd
import streamlit as st

from domain import catalogue as cat
from ui.context import cached_frames, page

p = page("home.view", "beranda")
st.title(p.tr("app.short"))
st.write(p.tr("home.intro"))
settings_df = cached_frames("settings")["settings"]
if (settings_df["id"] == "demo_data").any():
    st.info(p.tr("app.demo_banner"))
mpd = p.calendar.minutes_per_day
permen = cat.planned_minutes(cat.CaseParams(cat.PERMEN), mpd) / mpd
intern = cat.planned_minutes(cat.CaseParams(cat.INTERN), mpd) / mpd
st.caption(p.say("home.planned", permen=f"{permen:.1f}".replace(".", ","), intern=f"{intern:.1f}".replace(".", ",")))
st.subheader(p.tr("home.procedure"))
rows = [{p.tr("col.code"): s.code, p.tr("col.step"): s.name, p.tr("col.actor"): ", ".join(s.actors),
         p.tr("col.standard"): s.std.label() if s.std else (f"(blok {s.block})" if s.block else "–"),
         p.tr("col.track"): "Permensesneg" if s.tracks == cat.ONLY_PERMEN else "Semua",
         p.tr("col.external"): "✔" if s.external else ""} for s in cat.STEPS]
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
st.caption(p.say("home.backend", backend=p.settings.backend))
