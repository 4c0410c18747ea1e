"""Placeholder: Dasbor pimpinan."""
import streamlit as st

from ui.context import page

p = page("dashboard.view", "dashboard")
st.title(p.tr("page.dashboard"))
st.info(p.tr("page.placeholder", what="Dasbor pimpinan"))
