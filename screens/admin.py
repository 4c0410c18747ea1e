"""Accounts and master data (/admin): accounts with their roles, unit and executor; password resets;
organisations, units and executors; the sign-in log. Every save carries the version that was read,
so a change made meanwhile by someone else is refused rather than overwritten."""
import pandas as pd
import streamlit as st

from domain.accounts import (
    SIGN_IN_AUDIT, AccountForm, create_account, list_accounts, reset_password, unlock_account, update_account,
)
from domain.calendar import format_datetime, now
from domain.directory import (
    ExecutorForm, OrganisationForm, UnitForm, directory, save_executor, save_organisation, save_unit,
)
from domain.permissions import EXECUTORS, ROLE_LABELS, ROLES, allowed
from ui.context import attempt, clear_read_caches, page, shown_errors, unreadable_cells
from ui.safe_text import md

p = page("admin.accounts", "admin")
st.title(p.tr("page.admin"))

flash = st.session_state.pop("adm_flash", None)
if flash:
    st.success(md(flash))
temporary = st.session_state.pop("adm_temporary", None)
if temporary:
    username, password = temporary
    st.warning(p.say("admin.temporary", username=username), icon=":material/key:")
    st.code(password, language=None)

# What the page shows comes from its one cached batch read on Google Sheets (p.source); saves go to the store.
data = directory(p.source, p.actor)
accounts = list_accounts(p.source, p.actor)
orgs = {o["id"]: o for o in data["organisations"]}
units = {u["id"]: u for u in data["units"]}
executors = {e["id"]: e for e in data["executors"]}
when = now()


def unit_label(uid: str) -> str:
    if not uid:
        return "–"
    u = units.get(uid)
    return f"{u['name']} ({orgs.get(u['org_id'], {}).get('short_name') or u['org_id']})" if u else uid


def executor_label(eid: str) -> str:
    if not eid:
        return "–"
    e = executors.get(eid)
    return f"{e['name']} · {e['role']}" if e else eid


def read_version(table: str, record: dict) -> int:
    """The version this person read when they opened the record, kept until they save or reload."""
    key = f"adm_ver_{table}_{record['id']}"
    version = st.session_state.setdefault(key, record["version"])
    if version != record["version"]:
        st.warning(p.tr("admin.changed_meanwhile"))
        if st.button(p.tr("admin.reload"), key=f"adm_reload_{table}_{record['id']}"):
            st.session_state.pop(key, None)
            st.rerun()
    return version


def saved(table: str, record_id: str | None, message: str, temp: tuple | None = None) -> None:
    if record_id:
        st.session_state.pop(f"adm_ver_{table}_{record_id}", None)
    st.session_state["adm_flash"] = message
    if temp:
        st.session_state["adm_temporary"] = temp
    clear_read_caches()
    st.rerun()


def pick(label: str, options: dict, key: str, current=None, blank: bool = True):
    ids = ([""] if blank else []) + list(options)
    index = ids.index(current) if current in ids else 0
    return st.selectbox(label, ids, index=index, key=key, format_func=lambda i: options.get(i, "–") if i else "–")


active_units = {uid: unit_label(uid) for uid, u in units.items() if u.get("active")}
active_executors = {eid: executor_label(eid) for eid, e in executors.items() if e.get("active")}
role_label = ROLE_LABELS.get

if st.session_state.pop("adm_check_cells", False):
    with shown_errors():
        unreadable_cells(check_all=True)
bad_cells = unreadable_cells()
if bad_cells:
    st.warning(p.tr("admin.cells.found", n=len(bad_cells)), icon=":material/warning:")

tab_accounts, tab_units, tab_orgs, tab_executors, tab_log, tab_cells = st.tabs(
    [p.tr("admin.tab.accounts"), p.tr("admin.tab.units"), p.tr("admin.tab.orgs"), p.tr("admin.tab.executors"),
     p.tr("admin.tab.log"), p.tr("admin.tab.cells", n=len(bad_cells))])

with tab_accounts:
    rows = [{p.tr("admin.col.username"): a["username"], p.tr("admin.col.name"): a["display_name"],
             p.tr("admin.col.roles"): ", ".join(a.get("roles") or []),
             p.tr("admin.col.unit"): unit_label(a.get("unit_id")),
             p.tr("admin.col.executor"): executor_label(a.get("executor_id")),
             p.tr("admin.col.email"): a.get("email") or "",
             p.tr("admin.col.active"): bool(a.get("active")),
             p.tr("admin.col.must_change"): bool(a.get("must_change_password")),
             p.tr("admin.col.locked"): format_datetime(a["locked_until"], p.lang)
             if a.get("locked_until") and a["locked_until"] > when else "",
             p.tr("admin.col.last_login"): format_datetime(a.get("last_login_at"), p.lang)} for a in accounts]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")

    with st.expander(p.tr("admin.account.new"), icon=":material/person_add:"):
        with st.form("adm_new_account"):
            c1, c2 = st.columns(2)
            username = c1.text_input(p.tr("admin.col.username"), help=p.tr("admin.username_help"),
                                     key="adm_new_username")
            name = c2.text_input(p.tr("admin.col.name"), key="adm_new_name")
            email = c1.text_input(p.tr("admin.col.email"), help=p.tr("admin.email_help"), key="adm_new_email")
            roles = c2.multiselect(p.tr("admin.col.roles"), ROLES, format_func=role_label, key="adm_new_roles",
                                   placeholder=p.tr("admin.pick_roles"))
            unit = pick(p.tr("admin.col.unit"), active_units, "adm_new_unit")
            executor = pick(p.tr("admin.col.executor"), active_executors, "adm_new_executor")
            create = st.form_submit_button(p.tr("admin.account.create"), type="primary")
        if create:
            form = AccountForm(username, name, email, roles, unit or None, executor or None)
            done, result = attempt(create_account, p.repo, p.actor, form)
            if done:
                record, password = result
                saved("accounts", None, p.tr("admin.account.created", username=record["username"]),
                      (record["username"], password))

    by_id = {a["id"]: a for a in accounts}
    chosen = st.selectbox(p.tr("admin.account.pick"), [""] + list(by_id), key="adm_pick_account",
                          format_func=lambda i: f"{by_id[i]['username']} – {by_id[i]['display_name']}" if i else "–")
    if chosen:
        acc = by_id[chosen]
        version = read_version("accounts", acc)
        k = f"adm_acc_{acc['id']}_{version}"
        with st.form(k):
            st.text(p.tr("admin.account.editing", username=acc["username"]))
            c1, c2 = st.columns(2)
            name = c1.text_input(p.tr("admin.col.name"), acc["display_name"], key=f"{k}_name")
            email = c2.text_input(p.tr("admin.col.email"), acc.get("email") or "", key=f"{k}_email")
            roles = st.multiselect(p.tr("admin.col.roles"), ROLES, default=acc.get("roles") or [],
                                   format_func=role_label, key=f"{k}_roles", placeholder=p.tr("admin.pick_roles"))
            unit = pick(p.tr("admin.col.unit"), {**active_units, **({acc["unit_id"]: unit_label(acc["unit_id"])}
                                                                 if acc.get("unit_id") else {})},
                        f"{k}_unit", acc.get("unit_id"))
            executor = pick(p.tr("admin.col.executor"),
                            {**active_executors, **({acc["executor_id"]: executor_label(acc["executor_id"])}
                                                    if acc.get("executor_id") else {})},
                            f"{k}_executor", acc.get("executor_id"))
            active = st.checkbox(p.tr("admin.col.active"), bool(acc.get("active")), key=f"{k}_active")
            save = st.form_submit_button(p.tr("admin.save"), type="primary")
        if save:
            form = AccountForm(acc["username"], name, email, roles, unit or None, executor or None, active)
            done, _ = attempt(update_account, p.repo, p.actor, acc["id"], version, form)
            if done:  # a disabled account's sessions were ended with the save (domain.accounts)
                saved("accounts", acc["id"], p.tr("admin.saved"))
        c1, c2 = st.columns(2)
        if c1.button(p.tr("admin.account.reset"), key=f"{k}_reset", icon=":material/lock_reset:"):
            done, password = attempt(reset_password, p.repo, p.actor, acc["id"], version)
            if done:
                saved("accounts", acc["id"], p.tr("admin.account.was_reset", username=acc["username"]),
                      (acc["username"], password))
        if acc.get("locked_until") and acc["locked_until"] > when:
            if c2.button(p.tr("admin.account.unlock"), key=f"{k}_unlock", icon=":material/lock_open:"):
                done, _ = attempt(unlock_account, p.repo, p.actor, acc["id"], version)
                if done:
                    saved("accounts", acc["id"], p.tr("admin.account.unlocked", username=acc["username"]))

with tab_units:
    if allowed(p.actor, "admin.units"):
        st.dataframe(pd.DataFrame([{p.tr("admin.col.unit"): u["name"],
                                    p.tr("admin.col.org"): orgs.get(u["org_id"], {}).get("name", u["org_id"]),
                                    p.tr("admin.col.active"): bool(u.get("active")), "ID": u["id"]}
                                   for u in data["units"]]), hide_index=True, width="stretch")
        org_names = {oid: o["name"] for oid, o in orgs.items() if o.get("active")}
        with st.expander(p.tr("admin.unit.new"), icon=":material/add:"):
            with st.form("adm_new_unit"):
                org = pick(p.tr("admin.col.org"), org_names, "adm_new_unit_org", blank=False)
                name = st.text_input(p.tr("admin.col.unit"))
                if st.form_submit_button(p.tr("admin.add"), type="primary"):
                    done, rec = attempt(save_unit, p.repo, p.actor, UnitForm(org, name))
                    if done:
                        saved("units", None, p.tr("admin.added", name=rec["name"]))
        chosen = st.selectbox(p.tr("admin.unit.pick"), [""] + list(units), key="adm_pick_unit",
                              format_func=lambda i: unit_label(i) if i else "–")
        if chosen:
            u = units[chosen]
            version = read_version("units", u)
            k = f"adm_unit_{u['id']}_{version}"
            with st.form(k):
                org = pick(p.tr("admin.col.org"), {**org_names, u["org_id"]: orgs.get(u["org_id"], {}).get("name", "")},
                           f"{k}_org", u["org_id"], blank=False)
                name = st.text_input(p.tr("admin.col.unit"), u["name"], key=f"{k}_name")
                active = st.checkbox(p.tr("admin.col.active"), bool(u.get("active")), key=f"{k}_active")
                if st.form_submit_button(p.tr("admin.save"), type="primary"):
                    done, _ = attempt(save_unit, p.repo, p.actor, UnitForm(org, name, active), unit_id=u["id"],
                                      expected_version=version)
                    if done:
                        saved("units", u["id"], p.tr("admin.saved"))

with tab_orgs:
    if allowed(p.actor, "admin.units"):
        st.dataframe(pd.DataFrame([{p.tr("admin.col.org"): o["name"],
                                    p.tr("admin.col.short"): o.get("short_name") or "",
                                    p.tr("admin.col.order"): o.get("sort_order"),
                                    p.tr("admin.col.active"): bool(o.get("active")), "ID": o["id"]}
                                   for o in data["organisations"]]), hide_index=True, width="stretch")
        with st.expander(p.tr("admin.org.new"), icon=":material/add:"):
            with st.form("adm_new_org"):
                name = st.text_input(p.tr("admin.col.org"))
                short = st.text_input(p.tr("admin.col.short"))
                order = st.number_input(p.tr("admin.col.order"), 0, 999, len(orgs) + 1)
                if st.form_submit_button(p.tr("admin.add"), type="primary"):
                    done, rec = attempt(save_organisation, p.repo, p.actor, OrganisationForm(name, short, order))
                    if done:
                        saved("organisations", None, p.tr("admin.added", name=rec["name"]))
        chosen = st.selectbox(p.tr("admin.org.pick"), [""] + list(orgs), key="adm_pick_org",
                              format_func=lambda i: orgs[i]["name"] if i else "–")
        if chosen:
            o = orgs[chosen]
            version = read_version("organisations", o)
            k = f"adm_org_{o['id']}_{version}"
            with st.form(k):
                name = st.text_input(p.tr("admin.col.org"), o["name"], key=f"{k}_name")
                short = st.text_input(p.tr("admin.col.short"), o.get("short_name") or "", key=f"{k}_short")
                order = st.number_input(p.tr("admin.col.order"), 0, 999, int(o.get("sort_order") or 0),
                                        key=f"{k}_order")
                active = st.checkbox(p.tr("admin.col.active"), bool(o.get("active")), key=f"{k}_active")
                if st.form_submit_button(p.tr("admin.save"), type="primary"):
                    done, _ = attempt(save_organisation, p.repo, p.actor, OrganisationForm(name, short, order, active),
                                      org_id=o["id"], expected_version=version)
                    if done:
                        saved("organisations", o["id"], p.tr("admin.saved"))

with tab_executors:
    if allowed(p.actor, "admin.executors"):
        st.dataframe(pd.DataFrame([{p.tr("admin.col.name"): e["name"], "NIP": e.get("nip") or "",
                                    p.tr("admin.col.role"): e.get("role"),
                                    p.tr("admin.col.active"): bool(e.get("active")),
                                    "ID": e["id"]} for e in data["executors"]]), hide_index=True, width="stretch")
        with st.expander(p.tr("admin.executor.new"), icon=":material/add:"):
            with st.form("adm_new_executor"):
                name = st.text_input(p.tr("admin.col.name"))
                nip = st.text_input("NIP", help=p.tr("admin.nip_help"))
                role = st.selectbox(p.tr("admin.col.role"), EXECUTORS, format_func=role_label)
                if st.form_submit_button(p.tr("admin.add"), type="primary"):
                    done, rec = attempt(save_executor, p.repo, p.actor, ExecutorForm(name, nip, role))
                    if done:
                        saved("executors", None, p.tr("admin.added", name=rec["name"]))
        chosen = st.selectbox(p.tr("admin.executor.pick"), [""] + list(executors), key="adm_pick_executor",
                              format_func=lambda i: executor_label(i) if i else "–")
        if chosen:
            e = executors[chosen]
            version = read_version("executors", e)
            k = f"adm_ex_{e['id']}_{version}"
            with st.form(k):
                name = st.text_input(p.tr("admin.col.name"), e["name"], key=f"{k}_name")
                nip = st.text_input("NIP", e.get("nip") or "", key=f"{k}_nip")
                role = st.selectbox(p.tr("admin.col.role"), EXECUTORS,
                                    index=EXECUTORS.index(e["role"]) if e.get("role") in EXECUTORS else 0,
                                    format_func=role_label, key=f"{k}_role")
                active = st.checkbox(p.tr("admin.col.active"), bool(e.get("active")), key=f"{k}_active")
                if st.form_submit_button(p.tr("admin.save"), type="primary"):
                    done, _ = attempt(save_executor, p.repo, p.actor, ExecutorForm(name, nip, role, active),
                                      executor_id=e["id"], expected_version=version)
                    if done:
                        saved("executors", e["id"], p.tr("admin.saved"))

with tab_log:
    if allowed(p.actor, "audit.view"):
        entries = [e for e in p.source.audit("accounts") if e["action"] in SIGN_IN_AUDIT]
        entries += [e for e in p.source.audit("page") if e["action"] == "permission_refused"]
        entries.sort(key=lambda e: e["at"], reverse=True)
        names = {a["id"]: a["username"] for a in accounts}
        st.dataframe(pd.DataFrame([{p.tr("admin.col.when"): format_datetime(e["at"], p.lang),
                                    p.tr("admin.col.event"): p.tr(f"admin.event.{e['action']}"),
                                    p.tr("admin.col.by"): e["actor"],
                                    p.tr("admin.col.account"): names.get(e["entity_id"], e["entity_id"] or "–"),
                                    p.tr("admin.col.detail"): e.get("new") or ""} for e in entries[:500]]),
                     hide_index=True, width="stretch")

with tab_cells:
    # Values typed by hand into Google Sheets that cannot be read as their column's type: their
    # records are shown with that field empty and marked until someone fixes the cell.
    st.caption(p.tr("admin.cells.intro"))
    st.button(p.tr("admin.cells.check"), key="adm_check_cells_button",
              on_click=lambda: st.session_state.update(adm_check_cells=True))
    if not bad_cells:
        st.success(p.tr("admin.cells.none"))
    else:
        st.dataframe(pd.DataFrame([{p.tr("admin.cells.col.sheet"): c.sheet, p.tr("admin.cells.col.row"): c.row,
                                    p.tr("admin.cells.col.column"): c.column, p.tr("admin.cells.col.value"): c.value,
                                    p.tr("admin.cells.col.problem"): p.tr(c.reason)} for c in bad_cells]),
                     hide_index=True, width="stretch")
