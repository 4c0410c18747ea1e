"""Sampaikan Pengaduan (/pengaduan): anyone on the intranet files a complaint, grievance or feedback
for the Karo, no account needed (prefilled for a signed-in unit user). On success: the receipt
number and date, shown and downloadable; the form clears only then. On a refusal the input stays.

On Google Sheets the form reads from its one cached batch read; filing costs the store's three
calls (claim the receipt number, read, write), and the form's read stays cached: filing writes
none of the tables it shows."""
from __future__ import annotations

import streamlit as st

from domain import complaints as cp
from domain.calendar import format_datetime
from domain.models import COMPLAINT_KINDS
from domain.flood_limits import FloodLimits
from ui.context import (
    READ_CACHE_SECONDS, file_store, attempt, client_address, page, read_generation, repo, shown_errors,
)
from ui.safe_text import md_line
from ui.uploads import as_upload, attachment_uploader

p = page("complaint.submit", "complaint_form")
tr, say, lang, s = p.tr, p.say, p.lang, p.settings
st.title(tr("page.complaint_form"))

GEN, RECEIPT = "cf_gen", "cf_receipt"
gen = st.session_state.setdefault(GEN, 0)  # a new generation of widget keys = an empty form


def key(name: str) -> str:
    return f"cf_{name}_{gen}"


def store_key() -> str:
    r = repo()
    return f"{r.backend}:{getattr(r, 'path', '')}"


@st.cache_data(ttl=READ_CACHE_SECONDS, show_spinner=False, max_entries=4)
def units(store: str, generation: tuple[int, ...], _source) -> list[dict]:
    return cp.units_for_form(_source)


@st.cache_data(ttl=READ_CACHE_SECONDS, show_spinner=False, max_entries=64)
def unit_cases(store: str, unit_id: str, generation: tuple[int, ...], _source) -> list[dict]:
    return cp.cases_for_unit(_source, unit_id)


receipt = st.session_state.get(RECEIPT)
if receipt:
    st.success(say("complaint.form.sent", number=receipt["number"], when=receipt["when"]), icon="✅")
    st.markdown(f"### {md_line(receipt['number'])}")
    st.caption(tr("complaint.form.keep"))
    c1, c2 = st.columns([1, 1])
    c1.download_button(tr("complaint.form.download"), receipt["text"].encode("utf-8"),
                       file_name=f"tanda-terima-{receipt['number']}.txt", mime="text/plain; charset=utf-8",
                       on_click="ignore", icon=":material/download:", key="cf_download")
    if c2.button(tr("complaint.form.another"), key="cf_another"):
        st.session_state.pop(RECEIPT, None)
        st.rerun()
    st.divider()

st.write(tr("complaint.form.intro"))

with shown_errors():
    unit_list = units(store_key(), read_generation("units", "organisations"), p.source)
    by_unit = {u["id"]: u for u in unit_list}
    pre = cp.prefill(p.source, p.actor)
    if pre:
        for name in ("name", "email"):
            if pre.get(name):
                st.session_state.setdefault(key(name), pre[name])
        if pre.get("unit_id") in by_unit:
            st.session_state.setdefault(key("unit"), pre["unit_id"])
        st.caption(tr("complaint.form.prefilled"))

    unit_id = st.selectbox(tr("complaint.field.unit_id"), list(by_unit), index=None, key=key("unit"),
                           placeholder=tr("complaint.form.pick_unit"),
                           format_func=lambda u: f"{by_unit[u]['name']} ({by_unit[u]['org']})" if by_unit[u]["org"]
                           else by_unit[u]["name"])
    # Case numbers and titles only for who may see them (the form is open without an account):
    # Bureau roles, or a signed-in unit user for their own unit. Anyone else may type a number.
    pick_case = cp.may_pick_case(p.actor, unit_id)
    cases = unit_cases(store_key(), unit_id, read_generation("cases"), p.source) if pick_case else []
    case_names = {c["id"]: f"{c['number']} — {c['title']}" for c in cases}

    with st.form("complaint_form", clear_on_submit=False):
        kind = st.radio(tr("complaint.field.kind"), COMPLAINT_KINDS, horizontal=True, key=key("kind"),
                        format_func=lambda k: tr(f"complaint.kind.{k}"))
        name = st.text_input(tr("complaint.field.name"), key=key("name"))
        c1, c2, c3 = st.columns(3)
        nip = c1.text_input(tr("complaint.field.nip"), key=key("nip"))
        email = c2.text_input(tr("complaint.field.email"), key=key("email"))
        phone = c3.text_input(tr("complaint.field.phone"), key=key("phone"))
        subject = st.text_input(tr("complaint.field.subject"), key=key("subject"),
                                help=say("complaint.form.limit", n=f"{cp.MAX_SUBJECT:,}".replace(",", ".")))
        description = st.text_area(tr("complaint.field.description"), height=180, key=key("description"),
                                   help=say("complaint.form.limit", n=f"{cp.MAX_DESCRIPTION:,}".replace(",", ".")))
        case_id, case_ref = None, ""
        if pick_case:
            case_id = st.selectbox(tr("complaint.field.case_id"), [None, *case_names], key=key("case"),
                                   format_func=lambda c: case_names.get(c, tr("complaint.form.no_case")),
                                   help=say("complaint.form.case_hint"))
        else:
            case_ref = st.text_input(tr("complaint.field.case_ref"), key=key("case_ref"), max_chars=cp.MAX_CASE_REF,
                                     placeholder="K-2026-0001", help=say("complaint.form.case_ref_hint"))
        upload = attachment_uploader(key("file"))
        sent = st.form_submit_button(tr("complaint.form.submit"), type="primary")

if sent:
    new = cp.NewComplaint(kind=kind, unit_id=unit_id or "", name=name, nip=nip, email=email, phone=phone,
                          subject=subject, description=description, case_id=case_id,
                          case_ref=case_ref)
    ok, result = attempt(cp.submit_complaint, p.source, p.actor, p.calendar, new, upload=as_upload(upload),
                         files=file_store(), max_upload_mb=int(s.max_upload_mb),
                         response_days=int(s.complaint_response_days), client=client_address(),
                         limits=FloodLimits.of(s))
    if ok:
        # Saved: keep the receipt, then start a new, empty generation of the form.
        st.session_state[RECEIPT] = {"number": result.receipt_no, "when": format_datetime(result.filed_at, lang),
                                     "text": cp.receipt_text(result, lang)}
        st.session_state[GEN] = gen + 1
        for old in [k for k in st.session_state if isinstance(k, str) and k.startswith("cf_")
                    and k.endswith(f"_{gen}")]:
            del st.session_state[old]
        st.rerun()  # the save moved on the reads of what it wrote (ui.context.read_generation)
