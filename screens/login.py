"""Sign in (/masuk): username and password (or single sign-on), a new password when one is required,
and, once signed in, the account: change password, e-mail notice choices, sign out."""
import time

import streamlit as st

from domain.accounts import MIN_PASSWORD, SignInPolicy, SignInRefused, authenticate, change_password
from domain.notices import chosen_kinds, kinds_for
from domain.texts import LANGS
from ui import auth_gate, notice_choices
from ui.context import attempt, page, show_error
from ui.navigation import spec_for
from ui.tracker_views import md, remember_version, seen_version

p = page("home.view", "login")
st.title(p.tr(spec_for("login").title_for(p.actor)))

problem = auth_gate.first_admin_problem()
if problem:
    st.error(p.say("auth.first_admin_problem", reason=problem))

pending = auth_gate.pending_change()
if pending is not None:
    st.info(p.say("auth.must_change", n=MIN_PASSWORD))
    with st.form("auth_must_change"):
        new = st.text_input(p.tr("auth.new_password"), type="password", autocomplete="new-password")
        repeat = st.text_input(p.tr("auth.repeat_password"), type="password", autocomplete="new-password")
        save = st.form_submit_button(p.tr("auth.save_password"), type="primary")
    if save:
        done, _ = attempt(change_password, p.repo, pending, new, repeat=repeat)
        if done:
            auth_gate.start_session(pending)
            st.session_state["_auth_welcome"] = True
            st.rerun()
    if st.button(p.tr("auth.cancel"), key="auth_cancel_pending"):
        auth_gate.cancel_pending()
        st.rerun()

elif p.actor.signed_in:
    if st.session_state.pop("_auth_welcome", False):
        st.success(p.tr("auth.welcome"))
    st.subheader(p.tr("auth.account"))
    st.text(f"{p.actor.display_name} ({p.actor.username})")
    st.caption(p.say("auth.timeout_note", minutes=p.settings.session_timeout_minutes))
    if p.settings.auth_mode != "oidc":
        with st.form("auth_change_password", clear_on_submit=True):
            st.markdown(f"**{p.tr('auth.change_password')}**")
            current = st.text_input(p.tr("auth.current_password"), type="password", autocomplete="current-password")
            new = st.text_input(p.tr("auth.new_password"), type="password", autocomplete="new-password")
            repeat = st.text_input(p.tr("auth.repeat_password"), type="password", autocomplete="new-password")
            change = st.form_submit_button(p.tr("auth.save_password"))
        if change:
            done, _ = attempt(change_password, p.repo, p.actor, new, current_password=current, repeat=repeat)
            if done:
                st.success(p.tr("auth.password_changed"))
    st.subheader(p.tr("notice.settings"))
    account = notice_choices.own_account(p.source, p.actor)
    offered = kinds_for(account.get("roles") or ())
    if not offered:
        st.caption(p.tr("notice.settings.none"))
    else:
        if account.get("email"):
            st.caption(p.tr("notice.settings.email", email=md(account["email"])))
        else:
            st.info(p.tr("notice.settings.no_email"))
        if not p.settings.mail_enabled:
            st.caption(p.tr("notice.settings.off"))
        receiving = chosen_kinds(account)
        with st.form("notice_choices"):
            keep = [k for k in offered
                    if st.checkbox(p.tr(f"notice.kind.{k}"), value=k in receiving, key=f"notice_{k}")]
            current_lang = account.get("mail_lang") if account.get("mail_lang") in LANGS else "id"
            mail_lang = st.selectbox(p.tr("notice.settings.lang"), LANGS, index=LANGS.index(current_lang),
                                     format_func=lambda code: {"id": "Bahasa Indonesia", "en": "English"}[code])
            save_notices = st.form_submit_button(p.tr("notice.settings.save"))
        if save_notices:
            seen = seen_version("accounts", account["id"])
            done, changed = attempt(notice_choices.save_choices, p.actor, keep, mail_lang,
                                    seen if seen is not None else account["version"])
            if done:
                st.success(p.tr("notice.settings.saved" if changed else "notice.settings.unchanged"))
                account = notice_choices.own_account(p.repo, p.actor)  # just saved: the store itself
        if p.settings.calendar_url and p.settings.calendar_dir:
            st.markdown(f"**{p.tr('notice.ical.heading')}**")
            st.caption(p.tr("notice.ical.intro"))
            if account.get("calendar_token"):
                st.code(notice_choices.calendar_link(p.settings.calendar_url, account["calendar_token"]),
                        language=None)
            label = "notice.ical.renew" if account.get("calendar_token") else "notice.ical.make"
            if st.button(p.tr(label), key="notice_calendar_link"):
                seen = seen_version("accounts", account["id"])
                done, _ = attempt(notice_choices.renew_calendar_link, p.actor,
                                  seen if seen is not None else account["version"])
                if done:
                    st.session_state["_notice_calendar_made"] = True
                    st.rerun()
            if st.session_state.pop("_notice_calendar_made", False):
                st.success(p.tr("notice.ical.made"))
        remember_version("accounts", account["id"], account["version"])
    if st.button(p.tr("auth.sign_out"), key="auth_sign_out_page", icon=":material/logout:"):
        auth_gate.sign_out()
        st.rerun()

elif p.settings.auth_mode == "oidc":
    st.write(p.tr("auth.sso_intro"))
    if st.button(p.tr("auth.sso_button"), type="primary", icon=":material/login:"):
        try:
            st.login()
        except Exception:  # noqa: BLE001 - [auth] missing or Authlib not installed: say so
            st.error(p.tr("auth.sso_not_configured"))

else:
    with st.form("auth_sign_in"):
        username = st.text_input(p.tr("auth.username"), max_chars=64, autocomplete="username")
        password = st.text_input(p.tr("auth.password"), type="password", max_chars=512,
                                 autocomplete="current-password")
        submitted = st.form_submit_button(p.tr("auth.sign_in"), type="primary")
    if submitted:
        try:
            result = authenticate(p.repo, username, password, SignInPolicy.of(p.settings),
                                  tally=auth_gate.failure_tally())
        except SignInRefused as exc:
            time.sleep(exc.delay)
            st.error(p.say(exc.key, **exc.params), icon=":material/lock:")
        except Exception as exc:  # noqa: BLE001 - a message, never a traceback
            show_error(exc)
        else:
            auth_gate.signed_in(result)
            st.session_state["_auth_welcome"] = True
            st.rerun()
    st.caption(p.tr("auth.help"))

if not p.actor.signed_in and pending is None and p.source.get("settings", "demo_data"):
    st.info(auth_gate.demo_passwords_note(p.source, p.say))
