"""The pages of the app with the permission each needs and the tables each reads. app.py shows only
the pages the actor may open; each page checks the same permission itself (see ui.context.page)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ui import page_reads as r


@dataclass(frozen=True)
class PageSpec:
    path: str
    title_key: str
    action: str
    section: str
    url: str
    icon: str = ""
    default: bool = False
    reads: tuple[str, ...] = ()  # its one batch read on Google Sheets (ui.page_reads)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/home.py", "page.home", "home.view", "nav.section.public", "beranda", ":material/home:", default=True,
             reads=r.SETTINGS_TABLES),
    PageSpec("pages/service_standard.py", "page.standard", "standard.view", "nav.section.public", "standar-pelayanan",
             ":material/verified:", reads=r.STANDARD_TABLES),
    PageSpec("pages/flowchart.py", "page.flowchart", "standard.view", "nav.section.public", "bagan-alir",
             ":material/account_tree:", reads=r.FLOWCHART_TABLES),
    PageSpec("pages/complaint_form.py", "page.complaint_form", "complaint.submit", "nav.section.public",
             "pengaduan", ":material/edit_note:", reads=r.COMPLAINT_FORM_TABLES),
    PageSpec("pages/complaint_status.py", "page.complaint_status", "complaint.lookup", "nav.section.public",
             "status-pengaduan", ":material/search:", reads=r.COMPLAINT_STATUS_TABLES),
    PageSpec("pages/proposals.py", "page.proposals", "proposal.submit", "nav.section.work", "usulan", ":material/inbox:",
             reads=r.PROPOSAL_TABLES),
    PageSpec("pages/cases.py", "page.cases", "case.view", "nav.section.work", "kasus", ":material/list_alt:",
             reads=r.LIST_TABLES),
    PageSpec("pages/case_detail.py", "page.case_detail", "case.view", "nav.section.work", "detail-kasus", ":material/folder_open:",
             reads=r.CASE_DETAIL_TABLES),
    PageSpec("pages/bulk_edit.py", "page.bulk_edit", "case.bulk_edit", "nav.section.work", "ubah-massal", ":material/table_edit:",
             reads=r.LIST_TABLES),
    PageSpec("pages/complaint_inbox.py", "page.complaint_inbox", "complaint.inbox", "nav.section.work",
             "kotak-pengaduan", ":material/mail:", reads=r.INBOX_TABLES),
    PageSpec("pages/dashboard.py", "page.dashboard", "dashboard.view", "nav.section.reports", "dasbor", ":material/bar_chart:",
             reads=r.DASHBOARD_TABLES),
    PageSpec("pages/register.py", "page.register", "register.view", "nav.section.reports", "register-sp-sop",
             ":material/library_books:", reads=r.REGISTER_TABLES),
    PageSpec("pages/evaluation.py", "page.evaluation", "evaluation.open", "nav.section.reports", "evaluasi", ":material/description:",
             reads=r.EVALUATION_PAGE_TABLES),
    PageSpec("pages/login.py", "page.login", "home.view", "nav.section.admin", "masuk", ":material/login:",
             reads=r.SETTINGS_TABLES),
    PageSpec("pages/admin.py", "page.admin", "admin.accounts", "nav.section.admin", "admin", ":material/settings:",
             reads=r.ADMIN_TABLES),
    PageSpec("pages/work_calendar.py", "page.calendar", "calendar.view", "nav.section.admin", "kalender-kerja",
             ":material/calendar_month:", reads=r.CALENDAR_TABLES),
)


def spec_for(where: str) -> PageSpec | None:
    """The page a page file names itself by (``ui.context.page``'s ``where``): its file or its address."""
    return next((p for p in PAGES if where in (p.url, Path(p.path).stem)), None)


def requested() -> PageSpec:
    """The page this run is about to show, resolved as st.navigation resolves it (by the page's hash
    after a click inside the app, by its address when opened by URL), so that its one read can serve
    the sign-in check made before the page runs. The default page when that cannot be told."""
    default = next(p for p in PAGES if p.default)
    try:  # Streamlit's own record of the page asked for; without it, only one read more
        from streamlit.runtime.scriptrunner import get_script_run_ctx
        from streamlit.util import calc_hash

        manager = get_script_run_ctx().pages_manager
        wanted_hash, wanted_name = manager.intended_page_script_hash, manager.intended_page_name
    except Exception:  # noqa: BLE001
        return default
    for spec in PAGES:
        if (wanted_hash and wanted_hash == calc_hash(spec.url)) or (not wanted_hash and wanted_name == spec.url):
            return spec
    return default


def page_link(url: str, label: str) -> str:
    """Markdown for a link to another page of the app by its address (relative, so the app may live
    under a path of the web server); the label is a catalogue text, made inert."""
    from ui.safe_text import md

    if url not in {p.url for p in PAGES}:
        raise KeyError(url)
    return f"[{md(label)}]({url})"
