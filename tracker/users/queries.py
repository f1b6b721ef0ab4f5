"""Reading user accounts."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from tracker.auth.models import Role, User
from tracker.extensions import db
from tracker.folding import fold
from tracker.paging import Page, paginate

PAGE_SIZE = 50


@dataclass(frozen=True)
class UserFilters:
    """What the accounts list is narrowed to (each from the page's address)."""

    text: str = ""
    organisation_id: int | None = None
    role: Role | None = None
    active: bool | None = None


def user_page(filters: UserFilters, number: int) -> Page[User]:
    """One page of the accounts by name; the text matches names and email addresses, ignoring
    case and accents."""
    query = sa.select(User).order_by(User.name, User.id)
    if fold(filters.text):
        query = query.where(User.search_text.contains(fold(filters.text), autoescape=True))
    if filters.organisation_id is not None:
        query = query.where(User.organisation_id == filters.organisation_id)
    if filters.role is not None:
        query = query.where(User.role == filters.role)
    if filters.active is not None:
        query = query.where(User.active.is_(filters.active), User.erased_at.is_(None))
    return paginate(query, number, PAGE_SIZE, options=(joinedload(User.organisation),))


def names_by_id() -> list[tuple[int, str]]:
    """Every account's id and name, by name (for choosing a person in a filter)."""
    rows = db.session.execute(sa.select(User.id, User.name).order_by(User.name))
    return [(user_id, name) for user_id, name in rows]
