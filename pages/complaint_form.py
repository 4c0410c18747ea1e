"""Placeholder: Formulir pengaduan/keluhan/masukan."""
import streamlit as st

from ui.context import page

p = page("complaint.submit", "complaint_form")
st.title(p.tr("page.complaint_form"))
st.info(p.tr("page.placeholder", what="Formulir pengaduan/keluhan/masukan"))
