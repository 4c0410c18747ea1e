"""The language of the interface: Bahasa Indonesia unless the person chose English in the sidebar.

The choice is kept twice. In the browser, as the ``sop_bahasa`` cookie (set by script, as the sign-in
cookie is: Streamlit sets no cookie from the server), so a reload or a link opened later keeps it
before anyone signs in. With the account (``accounts.ui_lang``), so it follows the person to any
browser: at each sign-in the account's choice, when it has one, becomes the session's, and a choice
made while signed in is saved with the account.

A choice takes effect in the run it is made in (a callback sets it before the page runs), so every
label of the page, the filters' options included, is worded in the new language at once.
"""
from __future__ import annotations

import logging

import streamlit as st

from domain.accounts import choose_language
from domain.errors import DomainError
from domain.permissions import Actor
from domain.texts import DEFAULT_LANG, LANGS
from ui import streamlit_words
from ui.context import LANG, lang, repo, tr, view_source

log = logging.getLogger("sop_tracker")

COOKIE = "sop_bahasa"
NAMES = {"id": "Bahasa Indonesia", "en": "English"}
PICKER, SETTLED, IN_COOKIE, TO_SAVE = "lang_select", "_lang_settled_for", "_lang_in_cookie", "_lang_to_save"
COOKIE_DAYS = 400  # the longest a browser keeps a cookie


def _cookie() -> str | None:
    try:
        value = st.context.cookies.get(COOKIE)
    except Exception:  # noqa: BLE001 - no browser request (tests, bare mode)
        return None
    return value if value in LANGS else None


def settle(actor: Actor) -> None:
    """Before anything is worded: the session's language. A new browser session starts with the
    cookie's; each sign-in takes the account's choice, when it has made one."""
    if LANG not in st.session_state:
        st.session_state[LANG] = _cookie() or DEFAULT_LANG
        st.session_state[IN_COOKIE] = _cookie()
    who = actor.id if actor.signed_in else ""
    if st.session_state.get(SETTLED) == who:
        return
    st.session_state[SETTLED] = who
    if who:
        try:
            account = view_source().get("accounts", actor.id) or {}
        except DomainError:  # the store's own message is shown by the page; keep the session's choice
            return
        if account.get("ui_lang") in LANGS:
            st.session_state[LANG] = account["ui_lang"]


def _reword_choices() -> None:
    """Streamlit shows a keyed selectbox's or multiselect's choice in the words it was made in (the
    browser keeps them) until its value is set again; so after a language change each one's value is
    set to itself, and Streamlit sends it worded anew. Through Streamlit's own record of the widgets
    (pinned in requirements.txt): without it the choices keep their old words until the next page."""
    try:
        from streamlit.elements.widgets.multiselect import MultiSelectSerde
        from streamlit.elements.widgets.selectbox import SelectboxSerde
        from streamlit.runtime.state.session_state_proxy import get_session_state

        state = get_session_state()._state
        widgets, ids = state._new_widget_state.widget_metadata, state._key_id_mapper
    except Exception:  # noqa: BLE001 - another Streamlit: the words change at the next page
        log.warning("choices not reworded after a language change", exc_info=True)
        return
    for key in [k for k in st.session_state.keys() if isinstance(k, str) and k != PICKER]:
        meta = widgets.get(ids.get_id_from_key(key, None) or "")
        serde = getattr(getattr(meta, "deserializer", None), "__self__", None)
        # A selectbox set to None would show no choice at all: None as an option stays as it was worded.
        value = st.session_state[key]
        if isinstance(serde, MultiSelectSerde) or (isinstance(serde, SelectboxSerde) and value is not None):
            st.session_state[key] = value


def _picked() -> None:
    st.session_state[LANG] = st.session_state[PICKER]
    st.session_state[TO_SAVE] = True
    _reword_choices()


def picker(actor: Actor) -> None:
    """The sidebar's language choice; signed in, the choice is saved with the account."""
    st.session_state[PICKER] = lang()  # follows a choice taken from the account at sign-in
    st.selectbox(tr("lang.label"), LANGS, key=PICKER, format_func=NAMES.get, on_change=_picked)
    if st.session_state.pop(TO_SAVE, False) and actor.signed_in:
        try:
            choose_language(repo(), actor, lang())
        except DomainError as exc:  # the session keeps the choice; the account gets it at the next one
            log.warning("language not kept with the account: %s", exc.message)
    streamlit_words.install(lang())
    if (st.session_state.get(IN_COOKIE) or DEFAULT_LANG) != lang():
        st.session_state[IN_COOKIE] = lang()
        value = f"{COOKIE}={lang()}; path=/; max-age={COOKIE_DAYS * 86400}; SameSite=Strict"
        st.html("<script>document.cookie = " + repr(value) + " + (location.protocol === 'https:' ? "
                "'; Secure' : '');</script>", unsafe_allow_javascript=True, width="content")
