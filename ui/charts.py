"""Altair charts drawn from a spec made once for what they show.

Building an Altair chart and turning it into its Vega-Lite spec (which Altair checks against the
whole Vega-Lite schema) cost more server time than anything else on the dashboard and the case
detail, and was done again on every view of figures that change once a minute at most. Here a
chart's spec is made by Streamlit's own conversion (exactly what ``st.altair_chart`` sends) once per
``drawn_from`` (everything the chart is drawn from: its data frame itself, the language, the text size, the
instant it marks) and kept for ``CHART_CACHE_SECONDS``: other figures are another entry, never an
out-of-date chart.
"""
from __future__ import annotations

from typing import Any, Callable

import streamlit as st
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

CHART_CACHE_SECONDS = 60


@st.cache_data(ttl=CHART_CACHE_SECONDS, max_entries=256, show_spinner=False)
def _spec(key: tuple, _build: Callable[[], Any]) -> dict:
    return _convert_altair_to_vega_lite_spec(_build())


def altair_chart(drawn_from: tuple, build: Callable[[], Any], **options):
    """``st.altair_chart(build(), **options)``, with ``build`` converted only when ``drawn_from`` is new."""
    return st.vega_lite_chart(spec=_spec(drawn_from, build), **options)
