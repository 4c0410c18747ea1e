"""Placeholder: Administrasi akun."""
import streamlit as st

from ui.context import page

p = page("admin.accounts", "admin")
st.title(p.tr("page.admin"))
st.info(p.tr("page.placeholder", what="Administrasi akun"))
