"""Reading organisations."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from tracker.auth.models import User
from tracker.extensions import db
from tracker.organisations.models import Organisation, OrganisationKind
from tracker.paging import Page, paginate


def organisations_by_name() -> list[Organisation]:
    """Every organisation, by name (for choosing one)."""
    return list(db.session.execute(sa.select(Organisation).order_by(Organisation.name)).scalars())


@dataclass(frozen=True)
class OrganisationFilters:
    """What the organisations list is narrowed to (each from the page's address)."""

    kind: OrganisationKind | None = None
    country: str = ""


PAGE_SIZE = 50


def organisation_page(filters: OrganisationFilters, number: int) -> Page[Organisation]:
    """One page of the organisations by kind and name."""
    query = sa.select(Organisation).order_by(Organisation.kind, Organisation.name)
    if filters.kind is not None:
        query = query.where(Organisation.kind == filters.kind)
    if filters.country:
        query = query.where(Organisation.country == filters.country)
    return paginate(query, number, PAGE_SIZE)


def member_counts(organisations: list[Organisation]) -> dict[int, int]:
    """How many accounts belong to each of the organisations."""
    rows = db.session.execute(
        sa.select(User.organisation_id, sa.func.count(User.id))
        .where(User.organisation_id.in_([organisation.id for organisation in organisations]))
        .group_by(User.organisation_id)
    )
    return dict(rows.all())


def countries() -> list[str]:
    """The countries the organisations are in, for the list's filter."""
    return list(
        db.session.execute(
            sa.select(Organisation.country)
            .where(Organisation.country.is_not(None))
            .distinct()
            .order_by(Organisation.country)
        ).scalars()
    )
