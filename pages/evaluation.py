"""Placeholder: Evaluasi kinerja pelaksana."""
import streamlit as st

from ui.context import page

p = page("evaluation.own", "evaluation")
st.title(p.tr("page.evaluation"))
st.info(p.tr("page.placeholder", what="Evaluasi kinerja pelaksana"))
