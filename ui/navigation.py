"""The pages of the app with the permission each needs. app.py shows only the pages the actor may
open; each page checks the same permission itself (see ui.context.page)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    path: str
    title_key: str
    action: str
    section: str
    url: str
    icon: str = ""
    default: bool = False


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/home.py", "page.home", "home.view", "nav.section.public", "beranda", ":material/home:", default=True),
    PageSpec("pages/complaint_form.py", "page.complaint_form", "complaint.submit", "nav.section.public",
             "pengaduan", ":material/edit_note:"),
    PageSpec("pages/complaint_status.py", "page.complaint_status", "complaint.lookup", "nav.section.public",
             "status-pengaduan", ":material/search:"),
    PageSpec("pages/proposals.py", "page.proposals", "proposal.submit", "nav.section.work", "usulan", ":material/inbox:"),
    PageSpec("pages/cases.py", "page.cases", "case.view", "nav.section.work", "kasus", ":material/list_alt:"),
    PageSpec("pages/case_detail.py", "page.case_detail", "case.view", "nav.section.work", "detail-kasus", ":material/folder_open:"),
    PageSpec("pages/bulk_edit.py", "page.bulk_edit", "case.bulk_edit", "nav.section.work", "ubah-massal", ":material/table_edit:"),
    PageSpec("pages/complaint_inbox.py", "page.complaint_inbox", "complaint.inbox", "nav.section.work",
             "kotak-pengaduan", ":material/mail:"),
    PageSpec("pages/dashboard.py", "page.dashboard", "dashboard.view", "nav.section.reports", "dasbor", ":material/bar_chart:"),
    PageSpec("pages/evaluation.py", "page.evaluation", "evaluation.open", "nav.section.reports", "evaluasi", ":material/description:"),
    PageSpec("pages/login.py", "page.login", "home.view", "nav.section.admin", "masuk", ":material/login:"),
    PageSpec("pages/admin.py", "page.admin", "admin.accounts", "nav.section.admin", "admin", ":material/settings:"),
)
