"""Reading the audit log as an activity feed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from tracker.audit.models import AuditEntry
from tracker.auth.models import User
from tracker.auth.policy.scopes import activity_scope
from tracker.extensions import db
from tracker.paging import Page, paginate


def recent_activity(user: User, pair_id: int | None = None, limit: int = 20) -> list[AuditEntry]:
    """The latest changes the user may see: of one pair, or of all their pairs (coordinators:
    everything, including changes to accounts and the catalogue)."""
    scope = AuditEntry.pair_id == pair_id if pair_id is not None else activity_scope(user)
    newest = (AuditEntry.at.desc(), AuditEntry.id.desc())
    # The ids of the latest entries first, from the indexes alone; then only those entries,
    # with their authors. Sorting whole entries joined with their authors read every entry of
    # every pair the user ever had, and grew with the years of history.
    latest = sa.select(AuditEntry.id).where(scope).order_by(*newest).limit(limit)
    return list(
        db.session.execute(
            sa.select(AuditEntry)
            .where(AuditEntry.id.in_(latest))
            .options(joinedload(AuditEntry.actor))
            .order_by(*newest)
        ).scalars()
    )


PAGE_SIZE = 50
MAX_PAGES = 40


@dataclass(frozen=True)
class AuditFilters:
    actor_id: int | None = None
    pair_id: int | None = None
    text: str = ""
    date_from: date | None = None
    date_to: date | None = None
    timezone: str = "UTC"  # the days of date_from and date_to are the user's days


def audit_page(filters: AuditFilters, page: int = 1) -> Page[AuditEntry]:
    """One page of the audit log, newest first (for coordinators, who see all of it)."""
    query = sa.select(AuditEntry)
    if filters.actor_id:
        query = query.where(AuditEntry.actor_id == filters.actor_id)
    if filters.pair_id:
        query = query.where(AuditEntry.pair_id == filters.pair_id)
    if filters.text:
        query = query.where(
            sa.or_(
                AuditEntry.summary.icontains(filters.text, autoescape=True),
                AuditEntry.action.icontains(filters.text, autoescape=True),
            )
        )
    if filters.date_from and filters.date_from > date.min:  # from the first day: no lower bound
        query = query.where(AuditEntry.at >= start_of(filters.date_from, filters.timezone))
    if filters.date_to and filters.date_to < date.max:  # up to the last day: no upper bound
        next_day = filters.date_to + timedelta(days=1)
        query = query.where(AuditEntry.at < start_of(next_day, filters.timezone))
    return paginate(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()),
        page,
        PAGE_SIZE,
        options=(joinedload(AuditEntry.actor),),
        max_pages=MAX_PAGES,
    )


def start_of(day: date, timezone: str) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(timezone))
