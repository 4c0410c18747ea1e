"""The reference of bench/bench_page_cpu.py: a bare Streamlit page with a table, nothing else."""
import pandas as pd
import streamlit as st

st.title("Tabel")
st.dataframe(pd.DataFrame({"nomor": [f"K-2026-{i:04d}" for i in range(1, 51)],
                           "judul": [f"Penyusunan SOP unit {i}" for i in range(1, 51)],
                           "mulai": pd.date_range("2026-01-05", periods=50, freq="W")}))
