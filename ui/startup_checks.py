"""Checks made before any page runs: a misconfigured server is refused, not silently served."""
from __future__ import annotations

import streamlit as st


def problems() -> list[str]:
    """What makes this server unsafe to serve, as messages for the administrator."""
    found = []
    if not st.get_option("server.enableXsrfProtection"):
        found.append("Perlindungan XSRF mati (server.enableXsrfProtection = false). Aktifkan di "
                     ".streamlit/config.toml; aplikasi tidak dilayani tanpa perlindungan ini.")
    if st.get_option("client.showErrorDetails") not in ("none", False):
        found.append("client.showErrorDetails harus 'none' agar rincian galat tidak tampil di peramban.")
    return found
