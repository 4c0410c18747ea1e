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
    signed_in_title_key: str = ""  # what the page is once signed in, when that differs
    signed_in_icon: str = ""

    def title_for(self, actor) -> str:
        return self.signed_in_title_key if actor.signed_in and self.signed_in_title_key else self.title_key

    def icon_for(self, actor) -> str:
        return self.signed_in_icon if actor.signed_in and self.signed_in_icon else self.icon


PAGES: tuple[PageSpec, ...] = (
    PageSpec("screens/home.py", "page.home", "home.view", "nav.section.public", "beranda", ":material/home:", default=True,
             reads=r.SETTINGS_TABLES),
    PageSpec("screens/service_standard.py", "page.standard", "standard.view", "nav.section.public", "standar-pelayanan",
             ":material/verified:", reads=r.STANDARD_TABLES),
    PageSpec("screens/flowchart.py", "page.flowchart", "standard.view", "nav.section.public", "bagan-alir",
             ":material/account_tree:", reads=r.FLOWCHART_TABLES),
    PageSpec("screens/complaint_form.py", "page.complaint_form", "complaint.submit", "nav.section.public",
             "pengaduan", ":material/edit_note:", reads=r.COMPLAINT_FORM_TABLES),
    PageSpec("screens/complaint_status.py", "page.complaint_status", "complaint.lookup", "nav.section.public",
             "status-pengaduan", ":material/search:", reads=r.COMPLAINT_STATUS_TABLES),
    PageSpec("screens/proposals.py", "page.proposals", "proposal.submit", "nav.section.work", "usulan", ":material/inbox:",
             reads=r.PROPOSAL_TABLES),
    PageSpec("screens/cases.py", "page.cases", "case.view", "nav.section.work", "kasus", ":material/list_alt:",
             reads=r.LIST_TABLES),
    PageSpec("screens/case_detail.py", "page.case_detail", "case.view", "nav.section.work", "detail-kasus", ":material/folder_open:",
             reads=r.CASE_DETAIL_TABLES),
    PageSpec("screens/bulk_edit.py", "page.bulk_edit", "case.bulk_edit", "nav.section.work", "ubah-massal", ":material/table_edit:",
             reads=r.LIST_TABLES),
    PageSpec("screens/complaint_inbox.py", "page.complaint_inbox", "complaint.inbox", "nav.section.work",
             "kotak-pengaduan", ":material/mail:", reads=r.INBOX_TABLES),
    PageSpec("screens/dashboard.py", "page.dashboard", "dashboard.view", "nav.section.reports", "dasbor", ":material/bar_chart:",
             reads=r.DASHBOARD_TABLES),
    PageSpec("screens/register.py", "page.register", "register.view", "nav.section.reports", "register-sp-sop",
             ":material/library_books:", reads=r.REGISTER_TABLES),
    PageSpec("screens/evaluation.py", "page.evaluation", "evaluation.open", "nav.section.reports", "evaluasi", ":material/description:",
             reads=r.EVALUATION_PAGE_TABLES),
    PageSpec("screens/login.py", "page.login", "home.view", "nav.section.admin", "masuk", ":material/login:",
             reads=r.SETTINGS_TABLES, signed_in_title_key="page.account", signed_in_icon=":material/account_circle:"),
    PageSpec("screens/admin.py", "page.admin", "admin.accounts", "nav.section.admin", "admin", ":material/settings:",
             reads=r.ADMIN_TABLES),
    PageSpec("screens/work_calendar.py", "page.calendar", "calendar.view", "nav.section.admin", "kalender-kerja",
             ":material/calendar_month:", reads=r.CALENDAR_TABLES),
)


def spec_for(where: str) -> PageSpec | None:
    """The page a page file names itself by (``ui.context.page``'s ``where``): its file or its address."""
    return next((p for p in PAGES if where in (p.url, Path(p.path).stem)), None)


def _intent():
    """Streamlit's own record of the page asked for in this run (its pages manager), or None."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        return get_script_run_ctx().pages_manager
    except Exception:  # noqa: BLE001 - no script run (bare imports, some tests)
        return None


def _matches(spec: PageSpec, wanted_hash: str | None, wanted_name: str | None) -> bool:
    from streamlit.util import calc_hash

    return bool((wanted_hash and wanted_hash == calc_hash(spec.url)) or (not wanted_hash and wanted_name == spec.url))


def take_unknown_address() -> str | None:
    """The address this run was opened at when it names no page (a mistyped or outdated link), or
    None. The request is then turned to the home page, so that st.navigation runs it without
    Streamlit's own English "Page not found" notice; the caller says so in the reader's language."""
    manager = _intent()
    if manager is None:
        return None
    wanted_hash, wanted_name = manager.intended_page_script_hash, manager.intended_page_name
    home = next(p for p in PAGES if p.default)
    if not wanted_hash and wanted_name == home.url:  # st.navigation knows the home page only as "/"
        manager.set_script_intent("", "")
        return None
    if not (wanted_hash or wanted_name) or any(_matches(s, wanted_hash, wanted_name) for s in PAGES):
        return None
    manager.set_script_intent("", "")
    return wanted_name or ""


def requested() -> PageSpec:
    """The page this run is about to show, resolved as st.navigation resolves it (by the page's hash
    after a click inside the app, by its address when opened by URL), so that its one read can serve
    the sign-in check made before the page runs. The default page when that cannot be told."""
    default = next(p for p in PAGES if p.default)
    manager = _intent()
    if manager is None:  # without Streamlit's record, only one read more
        return default
    wanted_hash, wanted_name = manager.intended_page_script_hash, manager.intended_page_name
    return next((spec for spec in PAGES if _matches(spec, wanted_hash, wanted_name)), default)


def page_link(url: str, label: str) -> str:
    """Markdown for a link to another page of the app by its address (relative, so the app may live
    under a path of the web server); the label is a catalogue text, made inert."""
    from ui.safe_text import md

    if url not in {p.url for p in PAGES}:
        raise KeyError(url)
    return f"[{md(label)}]({url})"
