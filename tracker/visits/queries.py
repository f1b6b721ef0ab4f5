"""Reading visits: lists scoped to the user, the report, and the briefing's material."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload, selectinload

from tracker.assessments.queries import latest_ratings
from tracker.auth.models import User
from tracker.auth.policy.scopes import pair_scope
from tracker.catalogue.models import Example, Factor, Theme
from tracker.extensions import db
from tracker.paging import Page, paginate
from tracker.pairs.loading import with_pair
from tracker.pairs.models import Pair
from tracker.visits.models import (
    FollowUp,
    Observation,
    Recommendation,
    Visit,
    VisitParticipant,
    VisitReport,
    VisitStatus,
)

PAGE_SIZE = 50
MAX_PAGES = 20  # beyond a thousand visits, filters find things faster than paging


@dataclass
class VisitFilters:
    theme_id: int | None = None
    statuses: list[VisitStatus] = field(default_factory=list)
    programme_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    awaiting_report: bool = False


def report_overdue_days() -> int:
    """How many days after a visit its report is late (VISIT_REPORT_OVERDUE_DAYS): the one
    setting the visits list, the dashboards, pair health and the reminder all read."""
    return current_app.config["VISIT_REPORT_OVERDUE_DAYS"]


def report_due_by(today: date) -> date:
    """A held visit whose report has been due since this day or earlier is late with it (its
    report is due from its last day, or from the day it was recorded afterwards)."""
    return today - timedelta(days=report_overdue_days())


def report_overdue(today: date) -> sa.ColumnElement[bool]:
    """The condition on Visit for a held visit whose report is late."""
    return report_late_by(report_due_by(today))


def report_late_by(due_by: date | sa.ColumnElement[date]) -> sa.ColumnElement[bool]:
    """The condition on Visit for a held visit whose report has been due since `due_by` (see
    report_due_by) or earlier; `due_by` may be a parameter of a statement built once."""
    return sa.and_(Visit.status == VisitStatus.HELD, report_clock() <= due_by)


def reports_of_visits(visits: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    """The condition on VisitReport for the reports of the visits meeting `visits` (the pairs'
    visits). Said on the report itself, beside the join through Visit, so that PostgreSQL looks
    the few reports up by their visit instead of reading every report of every programme."""
    return VisitReport.visit_id.in_(sa.select(Visit.id).where(visits))


def report_clock() -> sa.ColumnElement[date]:
    """In SQL: the day a visit's report is due from (see Visit.report_due_from)."""
    return sa.func.coalesce(Visit.recorded_on, Visit.ends_on)


def is_report_overdue(visit: Visit, today: date) -> bool:
    """Whether a held visit's report is late."""
    return visit.status is VisitStatus.HELD and visit.report_due_from <= report_due_by(today)


def visit_page(user: User, filters: VisitFilters, today: date, page: int = 1) -> Page[Visit]:
    """One page of the visits the user may see, newest first, with what the list shows."""
    query = sa.select(Visit).join(Visit.pair).where(pair_scope(user))
    if filters.theme_id:
        query = query.where(Pair.theme_id == filters.theme_id)
    if filters.statuses:
        query = query.where(Visit.status.in_(filters.statuses))
    if filters.programme_id:
        query = query.where(
            Pair.theme_id.in_(sa.select(Theme.id).where(Theme.programme_id == filters.programme_id))
        )
    if filters.date_from:
        query = query.where(Visit.ends_on >= filters.date_from)
    if filters.date_to:
        query = query.where(Visit.starts_on <= filters.date_to)
    if filters.awaiting_report:
        query = query.where(report_overdue(today))
    return paginate(
        query.order_by(Visit.starts_on.desc(), Visit.id.desc()),
        page,
        PAGE_SIZE,
        options=(*with_pair(Visit.pair), joinedload(Visit.host_city)),
        max_pages=MAX_PAGES,
        keys_first=True,
    )


def load_visit_details(visit: Visit) -> Visit:
    """Load the visit's participants and report parts in a fixed number of queries."""
    db.session.execute(
        sa.select(Visit)
        .where(Visit.id == visit.id)
        .options(
            selectinload(Visit.participants)
            .joinedload(VisitParticipant.user)
            .joinedload(User.organisation),
            joinedload(Visit.host_city),
            selectinload(Visit.focus_factors),
            joinedload(Visit.report).options(
                selectinload(VisitReport.observations).joinedload(Observation.factor),
                selectinload(VisitReport.recommendations).joinedload(Recommendation.factor),
                selectinload(VisitReport.follow_ups).options(
                    joinedload(FollowUp.owner_user), joinedload(FollowUp.owner_organisation)
                ),
                joinedload(VisitReport.author),
                selectinload(VisitReport.attachments),
            ),
        )
    ).scalars().unique().one()
    return visit


def theme_factors(theme_id: int) -> list[Factor]:
    """The theme's live factors with their guide questions and examples."""
    return list(
        db.session.execute(
            sa.select(Factor)
            .where(Factor.theme_id == theme_id, Factor.is_live)
            .options(
                selectinload(Factor.guide_questions),
                selectinload(Factor.examples).joinedload(Example.city),
            )
            .order_by(Factor.position)
        ).scalars()
    )


def suggested_focus(visit: Visit, factors: list[Factor], limit: int = 3) -> list[int]:
    """The factors the implementing city rated lowest most recently (none without a rating)."""
    ratings = latest_ratings(visit.pair.implementing_city_id, visit.pair.theme_id)
    rated = [factor for factor in factors if factor.id in ratings]
    rated.sort(key=lambda factor: (ratings[factor.id].level, factor.position))
    return [factor.id for factor in rated[:limit]]


def examples_mentor_first(factor: Factor, mentor_city_id: int) -> list[Example]:
    """The factor's examples, the mentor city's own first."""
    return sorted(factor.examples, key=lambda example: example.city_id != mentor_city_id)


def owned_follow_ups(user: User) -> sa.ColumnElement[bool]:
    """The condition on FollowUp for those the user owns, in person or as their organisation."""
    return sa.or_(
        FollowUp.owner_user_id == user.id, FollowUp.owner_organisation_id == user.organisation_id
    )
