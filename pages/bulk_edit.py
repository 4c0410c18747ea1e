"""Placeholder: Ubah massal."""
import streamlit as st

from ui.context import page

p = page("case.bulk_edit", "bulk_edit")
st.title(p.tr("page.bulk_edit"))
st.info(p.tr("page.placeholder", what="Ubah massal"))
