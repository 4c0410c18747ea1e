"""Placeholder: Masuk."""
import streamlit as st

from ui.context import page

p = page("home.view", "login")
st.title(p.tr("page.login"))
st.info(p.tr("page.placeholder", what="Masuk"))
