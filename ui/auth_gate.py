"""Sign-in seam: keeps ``st.session_state['actor']`` (an Actor) up to date.

Filled by the sign-in work: idle expiry, account refresh, sign-out button."""
from __future__ import annotations


def enforce_session() -> None:
    """Called by app.py on every run before the pages: expire idle sessions, refresh roles."""


def sidebar_controls() -> None:
    """Sign-in / sign-out controls in the sidebar."""
