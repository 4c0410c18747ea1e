"""Placeholder: Usulan penyusunan SP/SOP."""
import streamlit as st

from ui.context import page

p = page("proposal.submit", "proposals")
st.title(p.tr("page.proposals"))
st.info(p.tr("page.placeholder", what="Usulan penyusunan SP/SOP"))
