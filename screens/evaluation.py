"""Evaluasi kinerja pelaksana (/evaluasi).

The Karo picks the year, previews the figures, writes the conclusions (saved with a version
check) and gets the yearly PDF in two clicks: "Siapkan PDF tahunan", then "Unduh PDF tahunan".
Pimpinan and Kabag see the same without writing; every executor can get their own one-page sheet.
"""
from __future__ import annotations

import streamlit as st

from domain import evaluation as ev_domain
from domain.calendar import format_date, format_datetime, now
from domain.errors import StaleWriteError
from domain.permissions import allowed
from reports.evaluation import build_executor_pdf, build_yearly_pdf, page_count, preview_charts, preview_frames
from ui.context import attempt, clear_read_caches, page, shown_errors
from ui.evaluation_reads import year_evaluation

p = page("evaluation.open", "evaluasi")
tr, say, lang, actor = p.tr, p.say, p.lang, p.actor
sees_all = allowed(actor, "evaluation.view")
concludes = allowed(actor, "evaluation.conclude")


@st.cache_data(ttl=60, show_spinner=False, max_entries=16)
def _keep(state_key: str, year: int, result) -> None:
    """A save went through: the year's record as now stored, and a prepared PDF no longer current."""
    st.session_state[state_key] = result
    st.session_state.pop(f"evaluation.pdf.{year}", None)
    clear_read_caches()


def _targets_and_conclusion(p, actor, year: int, state_key: str, tr, lang: str) -> None:
    """The Karo's targets for the year, and concluding (or reopening) it: only a concluded year's PDF
    carries the signature block and a document number."""
    read = st.session_state[state_key]
    targets = read.targets
    with st.form(f"{state_key}.targets"):
        on_time = st.text_input(tr("evaluation.targets.on_time"), key=f"{state_key}.on_time",
                                value=ev_domain.fmt_dec(targets.on_time_pct) if targets.set else "")
        late = st.text_input(tr("evaluation.targets.late_days"), key=f"{state_key}.late_days",
                             value=ev_domain.fmt_dec(targets.late_days) if targets.set else "")
        saved = st.form_submit_button(tr("evaluation.page.save_targets"))
    if saved:
        ok, result = attempt(ev_domain.save_targets, p.repo, actor, year, on_time, late, read.version)
        if ok:
            _keep(state_key, year, result)
            st.success(say("evaluation.page.targets_saved", year=year, version=result.version))
        read = st.session_state[state_key]
    ack = read.acknowledger
    with st.form(f"{state_key}.ack"):
        title = st.text_input(tr("evaluation.ack.title"), value=ack.title if ack else "", key=f"{state_key}.ack_title")
        name = st.text_input(tr("evaluation.ack.name"), value=ack.name if ack else "", key=f"{state_key}.ack_name")
        nip = st.text_input(tr("evaluation.ack.nip"), value=(ack.nip or "") if ack else "", key=f"{state_key}.ack_nip")
        saved = st.form_submit_button(tr("evaluation.page.save_ack"))
    if saved:
        ok, result = attempt(ev_domain.save_acknowledger, p.repo, actor, year, title, name, nip, read.version)
        if ok:
            _keep(state_key, year, result)
            st.success(say("evaluation.page.ack_saved", year=year, version=result.version))
        read = st.session_state[state_key]
    if read.final:
        c = read.concluded
        st.info(say("evaluation.page.concluded", year=year, number=c.document_no, who=c.concluded_by,
                    when=format_datetime(c.concluded_at, lang)))
        reason = st.text_input(tr("evaluation.reopen.reason"), key=f"{state_key}.reopen_reason")
        if st.button(tr("evaluation.page.reopen"), key=f"{state_key}.reopen"):
            ok, result = attempt(ev_domain.reopen_year, p.repo, actor, year, reason, expected_version=read.version,
                                 now=now())
            if ok:
                _keep(state_key, year, result)
                st.success(say("evaluation.page.reopened", year=year))
    else:
        st.caption(tr("evaluation.page.conclude_help"))
        if st.button(tr("evaluation.page.conclude"), key=f"{state_key}.conclude", type="primary"):
            ok, result = attempt(ev_domain.conclude_year, p.repo, actor, year, expected_version=read.version,
                                 now=now())
            if ok:
                _keep(state_key, year, result)
                st.success(say("evaluation.page.concluded", year=year, number=result.concluded.document_no,
                               who=result.concluded.concluded_by,
                               when=format_datetime(result.concluded.concluded_at, lang)))


def _notes(p, actor, year: int, ev, tr) -> None:
    """The Karo's notes on one executor for the year: competence item by item (A.8), a note, a
    recommendation and how last year's was followed up."""
    people = {e.executor.id: e.executor.name for e in ev.evaluated_executors}
    if not people:
        return
    st.subheader(tr("evaluation.page.notes"))
    who = st.selectbox(tr("evaluation.page.notes_for"), list(people), format_func=people.get,
                       key=f"evaluation.notes.{year}.who")
    key = f"evaluation.notes.{year}.{who}"
    if key not in st.session_state:  # what the Karo reads is what the save is checked against
        st.session_state[key] = ev_domain.read_note(p.source, year, who)
    read = st.session_state[key]
    levels = ["", *ev_domain.COMPETENCE_LEVELS]
    with st.form(f"{key}.form"):
        competence = {}
        for item in ev_domain.COMPETENCES:
            level = read.competence.get(item, "")
            competence[item] = st.selectbox(tr("evaluation.page.competence_item", item=item), levels,
                                            index=levels.index(level) if level in levels else 0,
                                            format_func=lambda v: tr(f"evaluation.competence.{v}") if v else "–",
                                            key=f"{key}.c.{item}")
        fields = {name: st.text_area(tr(f"evaluation.note.{name}"), value=getattr(read, name), key=f"{key}.{name}",
                                     height=80)
                  for name in ("competence_note", "note", "recommendation", "follow_up")}
        saved = st.form_submit_button(tr("evaluation.page.save_note"))
    with st.form(f"{key}.sanction"):
        kind = st.selectbox(tr("evaluation.page.sanction_kind"), list(ev_domain.SANCTION_KINDS),
                            format_func=lambda v: tr(f"evaluation.sanction.{v}"), key=f"{key}.s.kind")
        day = st.date_input(tr("evaluation.page.sanction_date"), value=None, key=f"{key}.s.day")
        reason = st.text_input(tr("evaluation.sanction.reason"), key=f"{key}.s.reason")
        reference = st.text_input(tr("evaluation.sanction.reference"), key=f"{key}.s.reference")
        recorded = st.form_submit_button(tr("evaluation.page.record_sanction"))
    if recorded:
        ok, result = attempt(ev_domain.record_sanction, p.repo, actor, who, kind, day, reason, reference, now=now())
        if ok:
            st.session_state.pop(f"evaluation.pdf.{year}", None)
            clear_read_caches()
            st.success(say("evaluation.page.sanction_recorded", name=people[who]))
    if saved:
        ok, result = attempt(ev_domain.save_note, p.repo, actor, year, who,
                             competence={k: v for k, v in competence.items() if v}, expected_version=read.version,
                             **fields)
        if ok:
            st.session_state[key] = result
            st.session_state.pop(f"evaluation.pdf.{year}", None)
            clear_read_caches()
            st.success(say("evaluation.page.note_saved", name=people[who], version=result.version))


def evaluation(store: str, year: int, office: tuple[str, str], complaint_days: int, minute: str,
               _page) -> ev_domain.Evaluation:
    return year_evaluation(_page, year)


@st.cache_data(ttl=300, show_spinner=False)
def years(store: str, minute: str, _source) -> list[int]:
    return ev_domain.available_years(_source.frames(["cases", "complaints"]), now())


def size(data: bytes) -> str:
    return f"{len(data) / 1024:,.0f} KB".replace(",", ".")


def pdf_panel(key: str, prepare_label: str, download_label, file_name: str, build) -> None:
    """Click 1 prepares the PDF (errors shown as messages), click 2 downloads it."""
    if st.button(prepare_label, key=f"{key}.prepare", type="primary"):
        with st.spinner(prepare_label + " …"):
            ok, result = attempt(build)
        if ok:
            st.session_state[key] = result
    data = st.session_state.get(key)
    if data:
        st.success(say("evaluation.page.prepared", pages=page_count(data)))
        st.download_button(download_label(size(data)), data, file_name=file_name,
                           mime="application/pdf", key=f"{key}.download", icon=":material/download:")


st.title(tr("page.evaluation"))
st.caption(tr("evaluation.page.intro") if sees_all else tr("evaluation.page.intro_own"))

store_key = f"{p.settings.backend}:{p.settings.duckdb_path}:{p.settings.sheets_key}"
minute = now().strftime("%Y-%m-%d %H:%M")
with shown_errors():
    # The figures and the conclusions come from the page's one cached batch read on Google Sheets.
    options = years(store_key, minute, p.source)
    year = st.selectbox(tr("evaluation.page.year"), options, index=0, key="evaluation.year")
    ev = evaluation(store_key, year, (p.settings.office_start, p.settings.office_end),
                    p.settings.complaint_response_days, minute, p)
    st.caption(say("evaluation.page.as_of", date=format_date(ev.as_of, lang)))

    if sees_all:
        if not ev.has_data:
            st.info(say("evaluation.page.no_data", year=year))
        b, prev = ev.bureau, ev.previous_bureau
        cols = st.columns(4)
        metrics = [
            ("evaluation.page.metric.steps", ev_domain.fmt_int(b.figures.steps_handled),
             ev_domain.fmt_change(b.figures.steps_handled, prev.figures.steps_handled) if prev else None),
            ("evaluation.page.metric.on_time", ev_domain.fmt_pct(b.figures.on_time_share),
             ev_domain.fmt_change(b.figures.on_time_share, prev.figures.on_time_share, pct=True) if prev else None),
            ("evaluation.page.metric.cases", ev_domain.fmt_int(b.figures.cases_completed),
             ev_domain.fmt_change(b.figures.cases_completed, prev.figures.cases_completed) if prev else None),
            ("evaluation.page.metric.complaints", ev_domain.fmt_int(b.complaints_received),
             ev_domain.fmt_change(b.complaints_received, prev.complaints_received) if prev else None),
        ]
        for col, (key, value, delta) in zip(cols, metrics, strict=True):
            # Streamlit points the arrow down only for a leading ASCII "-", not the typographic minus.
            col.metric(tr(key), value, delta.replace("−", "-", 1) if delta not in (None, "–") else None,
                       delta_color="off")
        frames = preview_frames(ev, lang)
        tabs = st.tabs([tr("evaluation.page.tab.executors"), tr("evaluation.page.tab.roles"),
                        tr("evaluation.page.tab.stages"), tr("evaluation.page.tab.late"),
                        tr("evaluation.page.tab.complaints")])
        for tab, name in zip(tabs, ("executors", "roles", "stages", "late", "complaints"), strict=True):
            with tab:
                st.dataframe(frames[name], hide_index=True, width="stretch")
        # The PDF's charts, drawn by the browser from the same figures; open below the tables.
        drawn = preview_charts(ev, lang)
        if drawn:
            with st.expander(tr("evaluation.page.charts"), expanded=True):
                for caption, chart in drawn:
                    st.markdown(f"**{caption}**")
                    st.altair_chart(chart, width="content", theme=None, alt=caption)

        st.subheader(tr("evaluation.page.conclusions"))
        state_key = f"evaluation.conclusions.{year}"
        if concludes:
            if state_key not in st.session_state:  # what the Karo reads is what the save is checked against
                saved = ev_domain.read_conclusions(p.source, year)
                st.session_state[state_key] = saved
                st.session_state[f"{state_key}.text"] = saved.text
                st.session_state[f"{state_key}.follow_up"] = saved.follow_up
            read = st.session_state[state_key]
            if read.version:
                st.caption(say("evaluation.page.last_saved", who=read.updated_by or "–",
                              when=format_datetime(read.updated_at, lang), version=read.version))
            with st.form(f"{state_key}.form"):
                text = st.text_area(tr("evaluation.conclusions.text"), key=f"{state_key}.text",
                                    max_chars=ev_domain.CONCLUSION_MAX_CHARS, height=160)
                follow_up = st.text_area(tr("evaluation.conclusions.follow_up"), key=f"{state_key}.follow_up",
                                         max_chars=ev_domain.CONCLUSION_MAX_CHARS, height=120)
                submitted = st.form_submit_button(tr("evaluation.page.save"))
            if submitted:
                ok, result = attempt(ev_domain.save_conclusions, p.repo, actor, year, text, follow_up, read.version)
                if ok and result.version == read.version:  # the same words as stored: no new version
                    st.info(say("evaluation.page.unchanged", year=year, version=result.version))
                elif ok:
                    st.session_state[state_key] = result
                    st.session_state.pop(f"evaluation.pdf.{year}", None)  # a prepared PDF lacks the new text
                    clear_read_caches()
                    st.success(say("evaluation.page.saved", year=year, version=result.version))
                elif isinstance(result, StaleWriteError):
                    def reload(k=state_key):
                        for suffix in ("", ".text", ".follow_up"):
                            st.session_state.pop(k + suffix, None)
                        clear_read_caches()
                    st.button(tr("evaluation.page.reload"), on_click=reload)
            _targets_and_conclusion(p, actor, year, state_key, tr, lang)
            _notes(p, actor, year, ev, tr)
        else:
            for key, text in (("evaluation.conclusions.text", ev.conclusions.text),
                              ("evaluation.conclusions.follow_up", ev.conclusions.follow_up)):
                st.markdown(f"**{tr(key)}**")
                st.text(text or tr("evaluation.conclusions.empty"))  # as written, never as Markdown
            st.caption(tr("evaluation.page.conclusions_readonly"))

        st.subheader(tr("evaluation.page.pdf"))

        def yearly_pdf(year=year):
            data = build_yearly_pdf(year_evaluation(p, year, fresh=True), lang)
            ev_domain.record_pdf(p.repo, actor, year)
            return data

        pdf_panel(f"evaluation.pdf.{year}", tr("evaluation.page.prepare"),
                  lambda n: say("evaluation.page.download", size=n), f"evaluasi-kinerja-pelaksana-{year}.pdf",
                  yearly_pdf)

        people = {e.executor.id: e.executor.name for e in ev.executors}
        if people:
            who = st.selectbox(tr("evaluation.page.sheet_for"), list(people), format_func=people.get,
                               key="evaluation.sheet_for")

            def sheet_pdf(who=who, year=year):
                data = build_executor_pdf(ev, who, lang)
                ev_domain.record_pdf(p.repo, actor, year, who)
                return data

            pdf_panel(f"evaluation.sheet.{year}.{who}", tr("evaluation.page.prepare_sheet"),
                      lambda n, name=people[who]: say("evaluation.page.download_sheet", name=name, size=n),
                      f"evaluasi-{year}-{who}.pdf", sheet_pdf)

    # Everyone in the Bureau: their own one-page sheet.
    st.subheader(tr("evaluation.page.own"))
    mine = ev.executor(actor.executor_id) if actor.executor_id else None
    if mine is None:
        st.info(tr("evaluation.page.no_executor"))
    else:
        f = mine.figures
        cols = st.columns(4)
        cols[0].metric(tr("evaluation.page.metric.steps"), ev_domain.fmt_int(f.steps_handled))
        cols[1].metric(tr("evaluation.page.metric.on_time"), ev_domain.fmt_pct(f.on_time_share))
        cols[2].metric(tr("evaluation.ind.worst_late"), ev_domain.fmt_days(f.worst_late_days))
        cols[3].metric(tr("evaluation.page.metric.cases"), ev_domain.fmt_int(f.cases_completed))

        def own_pdf(year=year):
            data = build_executor_pdf(ev, actor.executor_id, lang)
            ev_domain.record_pdf(p.repo, actor, year, actor.executor_id)
            return data

        pdf_panel(f"evaluation.own.{year}", tr("evaluation.page.prepare_own"),
                  lambda n: say("evaluation.page.download_sheet", name=mine.executor.name, size=n),
                  f"evaluasi-{year}-saya.pdf", own_pdf)
