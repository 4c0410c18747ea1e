"""Who may do what: the role × action matrix as data. Pages and domain writes both check it.

The README prints this matrix (``python -m domain.permissions`` renders it as Markdown).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from domain.errors import PermissionDenied

KARO, KABAG, KASUBBAG, STAF = "Karo", "Kabag", "Kasubbag", "Staf"
PIMPINAN, UNIT_USER, ADMIN = "Pimpinan", "Unit", "Admin"
ANONYMOUS = "Anonim"  # not signed in
ROLES = (KARO, KABAG, KASUBBAG, STAF, PIMPINAN, UNIT_USER, ADMIN)
EXECUTORS = (KARO, KABAG, KASUBBAG, STAF)
ROLE_LABELS = {
    KARO: "Kepala Biro (Karo)", KABAG: "Kepala Bagian Tata Laksana (Kabag)",
    KASUBBAG: "Kepala Subbagian Standardisasi Pelayanan (Kasubbag)", STAF: "Staf",
    PIMPINAN: "Pimpinan (baca saja)", UNIT_USER: "Pengguna unit kerja", ADMIN: "Administrator",
    ANONYMOUS: "Tanpa akun",
}

_ALL_SIGNED_IN = set(ROLES)
_EVERYONE = _ALL_SIGNED_IN | {ANONYMOUS}
_BUREAU = set(EXECUTORS)

# action -> roles allowed. Conditions beyond the role (own unit, delegated complaint) are checked by
# the domain function that performs the action.
MATRIX: dict[str, set[str]] = {
    "home.view": _EVERYONE,
    "standard.view": _EVERYONE,  # the service standard and its flowchart, as the public reads them
    "complaint.submit": _EVERYONE,
    "complaint.lookup": _EVERYONE,
    "complaint.inbox": _BUREAU,
    "complaint.view_contact": _BUREAU,
    "complaint.delegate": {KARO},
    "complaint.follow_up": {KARO, KABAG, KASUBBAG, STAF},  # Kasubbag/staff only when assigned
    "complaint.assign": {KABAG},
    "complaint.answer": {KARO, KABAG},
    "complaint.close": {KARO, KABAG},
    "complaint.reopen": {KARO},
    "complaint.view_own_unit": {UNIT_USER},  # the complaints filed for one's own unit, no contacts or notes
    "proposal.submit": {UNIT_USER} | _BUREAU,
    "proposal.view_own": {UNIT_USER},
    "proposal.queue": _BUREAU,
    "proposal.decide": {KARO, KABAG},
    "case.view": _BUREAU | {PIMPINAN},
    "case.create": _BUREAU,
    "case.edit": _BUREAU,
    "case.hold": {KARO, KABAG},
    "case.bulk_edit": _BUREAU,
    "case.export": _BUREAU | {PIMPINAN},
    "step.update": _BUREAU,
    "dashboard.view": _BUREAU | {PIMPINAN},
    "evaluation.open": _BUREAU | {PIMPINAN},  # the /evaluasi page: own sheet, or everyone's with .view
    "evaluation.view": {KARO, KABAG, PIMPINAN},
    "evaluation.conclude": {KARO},
    "evaluation.own": _BUREAU,
    "register.view": _BUREAU | {PIMPINAN, UNIT_USER},  # the finished SP/SOP (a unit user: of their own unit)
    "register.view_all": _BUREAU | {PIMPINAN},
    "register.export": _BUREAU | {PIMPINAN, UNIT_USER},
    "output.record": _BUREAU,  # a case's output per document, with its signed PDF
    "calendar.view": _BUREAU | {PIMPINAN, ADMIN},
    "calendar.manage": {ADMIN},  # non-working days, office hours, special periods
    "audit.view": {KARO, ADMIN},
    "admin.accounts": {ADMIN},
    "admin.units": {ADMIN},
    "admin.executors": {ADMIN},
    "account.change_password": _ALL_SIGNED_IN,
    "account.notices": _ALL_SIGNED_IN,  # one's own e-mail notice choices
    "account.language": _ALL_SIGNED_IN,  # one's own language for the app, kept with the account
}
ACTIONS = tuple(MATRIX)


@dataclass(frozen=True)
class Actor:
    """Who is acting: an account with its roles, or nobody signed in."""

    id: str = ""
    username: str = ""
    display_name: str = ""
    roles: frozenset[str] = field(default_factory=frozenset)
    unit_id: str | None = None
    executor_id: str | None = None

    @property
    def signed_in(self) -> bool:
        return bool(self.id)

    @property
    def effective_roles(self) -> frozenset[str]:
        return self.roles if self.signed_in else frozenset({ANONYMOUS})

    @property
    def audit_name(self) -> str:
        """The name written to the audit log for this actor's writes."""
        return self.username or "anonim"

    def has(self, role: str) -> bool:
        return role in self.effective_roles


NOBODY = Actor()


def allowed(actor: Actor, action: str) -> bool:
    if action not in MATRIX:
        raise KeyError(f"unknown action {action!r}")
    return bool(actor.effective_roles & MATRIX[action])


def check(actor: Actor, action: str) -> None:
    """Refuse with PermissionDenied; every domain write calls this before it builds its writes."""
    if not allowed(actor, action):
        raise PermissionDenied(action, actor.username or "anonim")


def matrix_markdown() -> str:
    roles = list(ROLES) + [ANONYMOUS]
    lines = ["| aksi | " + " | ".join(roles) + " |", "|---|" + "---|" * len(roles)]
    for action, allowed_roles in MATRIX.items():
        lines.append(f"| `{action}` | " + " | ".join("✔" if r in allowed_roles else "" for r in roles) + " |")
    return "\n".join(lines)

