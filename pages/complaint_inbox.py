"""Placeholder: Kotak masuk pengaduan."""
import streamlit as st

from ui.context import page

p = page("complaint.inbox", "complaint_inbox")
st.title(p.tr("page.complaint_inbox"))
st.info(p.tr("page.placeholder", what="Kotak masuk pengaduan"))
