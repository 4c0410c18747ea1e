"""Placeholder: Daftar kasus."""
import streamlit as st

from ui.context import page

p = page("case.view", "cases")
st.title(p.tr("page.cases"))
st.info(p.tr("page.placeholder", what="Daftar kasus"))
