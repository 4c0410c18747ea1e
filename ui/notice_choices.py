"""The account page's e-mail notice choices: read one's own account, save through the store with
the version read (a change made meanwhile, say by the administrator, is refused, not overwritten)."""
from __future__ import annotations

from data_access.repository import Update
from domain.calendar_feed import new_calendar_token
from domain.errors import NotFoundError
from domain.notices import choose_notices
from domain.permissions import Actor
from ui.context import repo


def own_account(source, actor: Actor) -> dict:
    """One's own account from the page's read (on Google Sheets its one cached batch read)."""
    account = source.get("accounts", actor.id) if actor.signed_in else None
    if account is None:
        raise NotFoundError("accounts", actor.id)
    return {k: v for k, v in account.items() if k != "password_hash"}


def save_choices(actor: Actor, chosen: list[str], lang: str, expected_version: int) -> bool:
    """Store the kinds kept and the mail language; False when nothing changed."""
    changes = choose_notices(actor, repo().get("accounts", actor.id), chosen, lang)
    if not changes:
        return False
    repo().apply([Update("accounts", actor.id, changes, expected_version)], actor=actor.audit_name)
    return True


def renew_calendar_link(actor: Actor, expected_version: int) -> None:
    """A new secret link for one's calendar feed; the old one stops working at the next run."""
    changes = new_calendar_token(actor, repo().get("accounts", actor.id))
    repo().apply([Update("accounts", actor.id, changes, expected_version)], actor=actor.audit_name)


def calendar_link(calendar_url: str, token: str) -> str:
    return f"{calendar_url.rstrip('/')}/{token}.ics"
