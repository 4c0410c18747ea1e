"""Placeholder: Pencarian status pengaduan."""
import streamlit as st

from ui.context import page

p = page("complaint.lookup", "complaint_status")
st.title(p.tr("page.complaint_status"))
st.info(p.tr("page.placeholder", what="Pencarian status pengaduan"))
