"""Placeholder: Detail kasus."""
import streamlit as st

from ui.context import page

p = page("case.view", "case_detail")
st.title(p.tr("page.case_detail"))
st.info(p.tr("page.placeholder", what="Detail kasus"))
