"""The dashboard's figures for a page: computed by the store's own SQL where the store runs it
(``domain.ports.RunsSql``), otherwise over the page's one cached batch read; cached for a minute."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from data_access import analytics
from domain import dashboard as dash
from ui.context import cached_frames


@st.cache_data(ttl=60, show_spinner=False)
def figures(store: str, year: int, org_id: str | None, minute: pd.Timestamp, _repo, _calendar) -> dash.Dashboard:
    frames = None if analytics.in_store(_repo) else cached_frames(*dash.TABLES)
    return analytics.dashboard(_repo, year, _calendar, minute, org_id, frames=frames)
