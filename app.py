"""Entry point: page config, sign-in state, and navigation over screens/ filtered by role.

Run with ``streamlit run app.py``. The app only routes; each page checks its own permission."""
from __future__ import annotations

import streamlit as st

from domain.permissions import ROLE_LABELS, allowed
from ui import auth_gate, language, startup_checks
from ui.context import begin_action, current_actor, held_store, repo, say, set_view, show_error, tr
from ui.navigation import PAGES, requested, take_unknown_address
from ui.safe_text import md

st.set_page_config(page_title="SOP Tracker", page_icon=":material/list_alt:", layout="wide")

for problem in startup_checks.problems():
    st.error(problem)
if startup_checks.problems():
    st.stop()

try:
    repo()  # opens the store (and loads demo data into an empty one) before any page runs
    store_error = None
    begin_action()  # this run is one user action: one retry budget on Google Sheets
except Exception as exc:  # noqa: BLE001 - shown below as a message, never a traceback
    store_error = exc

lost_address = take_unknown_address()  # a link to no page opens the home page, with a notice below
with held_store(store_error is None):  # this run's reads share one open file or connection
    # The page about to run names its reads now: the sign-in check reads the account from the same one
    # batch read on Google Sheets (a page opened by its address costs one read, none within the cache).
    set_view(requested().reads)
    auth_gate.enforce_session()  # idle sign-out and session checks; fills current_actor()
    actor = current_actor()
    language.settle(actor)

    with st.sidebar:
        st.caption(tr("app.title"))
        if actor.signed_in:
            st.markdown(say("user.signed_in_as", name=actor.display_name or actor.username))
            st.caption(md(tr("user.roles", roles=", ".join(ROLE_LABELS.get(r, r) for r in sorted(actor.roles)))))
        else:
            st.caption(tr("user.anonymous"))
        auth_gate.sidebar_controls()
        language.picker(actor)

    if store_error is not None:
        show_error(store_error)
        st.stop()

    # Every page is registered, those the actor may not open hidden from the menu: a direct URL then runs
    # the page, whose own guard refuses it (with a message and an audit entry) instead of a "not found".
    sections: dict[str, list] = {}
    for spec in PAGES:
        sections.setdefault(tr(spec.section), []).append(
            st.Page(spec.path, title=tr(spec.title_for(actor)), icon=spec.icon_for(actor) or None, url_path=spec.url,
                    default=spec.default, visibility="visible" if allowed(actor, spec.action) else "hidden"))

    navigation = st.navigation(sections)
    if lost_address is not None:
        st.warning(say("nav.not_found", address="/" + lost_address), icon=":material/link_off:")
    try:
        navigation.run()
    except Exception as exc:  # noqa: BLE001 - the last line of defence: a message, not a traceback
        show_error(exc)
