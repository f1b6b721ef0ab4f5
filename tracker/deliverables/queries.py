"""Reading the register: lists scoped to the user, filtered, with overdue flags."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import groupby

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from tracker.auth.models import User
from tracker.auth.policy.scopes import deliverable_scope
from tracker.catalogue.models import Programme, Theme
from tracker.deliverables.models import (
    Deliverable,
    DeliverableFile,
    DeliverableKind,
    DeliverableLink,
    DeliverableStatus,
)
from tracker.extensions import db
from tracker.organisations.models import Organisation
from tracker.paging import Page, paginate
from tracker.pairs.models import Pair
from tracker.pairs.queries import programme_pairs

DONE = (DeliverableStatus.SUBMITTED, DeliverableStatus.APPROVED)


def is_overdue(deliverable: Deliverable, today: date) -> bool:
    return deliverable.due_on < today and deliverable.status not in DONE


@dataclass
class RegisterFilters:
    kind: DeliverableKind | None = None
    status: DeliverableStatus | None = None
    organisation_id: int | None = None
    overdue: bool = False


PAGE_SIZE = 60


def register(
    user: User, programme: Programme, filters: RegisterFilters, today: date, page: int = 1
) -> tuple[Page[Deliverable], int]:
    """One page of the programme's deliverables the user may see, by due date, and how many
    of all those are overdue."""
    query = sa.select(Deliverable).where(
        Deliverable.programme_id == programme.id, deliverable_scope(user)
    )
    if filters.kind:
        query = query.where(Deliverable.kind == filters.kind)
    if filters.status:
        query = query.where(Deliverable.status == filters.status)
    if filters.organisation_id:
        query = query.where(Deliverable.responsible_organisation_id == filters.organisation_id)
    if filters.overdue:
        query = query.where(Deliverable.due_on < today, Deliverable.status.not_in(DONE))
    late = sa.case(
        (sa.and_(Deliverable.due_on < today, Deliverable.status.not_in(DONE)), 1), else_=0
    )
    total, overdue = db.session.execute(
        query.with_only_columns(
            sa.func.count(Deliverable.id), sa.func.coalesce(sa.func.sum(late), 0)
        )
    ).one()
    listed = paginate(
        query.order_by(Deliverable.due_on, Deliverable.id),
        page,
        PAGE_SIZE,
        options=(
            joinedload(Deliverable.theme),
            joinedload(Deliverable.responsible_organisation),
            # The pairs by a query of their own, with what names them: one join of nine tables
            # cost PostgreSQL far more to plan (about 20 ms) than to run.
            selectinload(Deliverable.pair).options(
                joinedload(Pair.theme),
                joinedload(Pair.mentor_city),
                joinedload(Pair.implementing_city),
            ),
        ),
        total=total,
    )
    return listed, int(overdue)


def by_month(deliverables: list[Deliverable]) -> list[tuple[date, list[Deliverable]]]:
    """The deliverables grouped under the first day of the month they are due in."""
    return [
        (month, list(items))
        for month, items in groupby(deliverables, key=lambda d: d.due_on.replace(day=1))
    ]


def status_counts(user: User, programme: Programme) -> dict[DeliverableStatus, int]:
    rows = db.session.execute(
        sa.select(Deliverable.status, sa.func.count(Deliverable.id))
        .where(Deliverable.programme_id == programme.id, deliverable_scope(user))
        .group_by(Deliverable.status)
    )
    return dict(rows.all())


def responsible_organisations(programme: Programme) -> list[Organisation]:
    return list(
        db.session.execute(
            sa.select(Organisation)
            .where(
                Organisation.id.in_(
                    sa.select(Deliverable.responsible_organisation_id).where(
                        Deliverable.programme_id == programme.id
                    )
                )
            )
            .order_by(Organisation.name)
        ).scalars()
    )


def load_details(deliverable: Deliverable) -> Deliverable:
    """The deliverable's files (all versions) and links, with who added them."""
    db.session.execute(
        sa.select(Deliverable)
        .where(Deliverable.id == deliverable.id)
        .options(
            selectinload(Deliverable.files).joinedload(DeliverableFile.uploaded_by),
            selectinload(Deliverable.links).joinedload(DeliverableLink.added_by),
            joinedload(Deliverable.approved_by),
        )
    ).scalars().unique().one()
    return deliverable


def form_choices(programme: Programme) -> tuple[list[Theme], list[Pair], list[Organisation]]:
    """The themes, pairs and organisations a deliverable of the programme can belong to."""
    themes = list(
        db.session.execute(
            sa.select(Theme).where(Theme.programme_id == programme.id).order_by(Theme.code)
        ).scalars()
    )
    pairs = programme_pairs(programme)
    organisations = list(
        db.session.execute(
            sa.select(Organisation).order_by(Organisation.kind, Organisation.name)
        ).scalars()
    )
    return themes, pairs, organisations
