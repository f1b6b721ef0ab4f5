"""What a person's calendar feed holds: the visits of their pairs and their open follow-ups."""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from tracker.auth.models import User
from tracker.auth.policy.scopes import pair_scope
from tracker.db import utcnow
from tracker.extensions import db
from tracker.pairs.loading import with_pair
from tracker.visits.models import FollowUp, Visit, VisitReport
from tracker.visits.queries import owned_follow_ups

FEED_HISTORY = timedelta(days=400)  # how far back a feed goes


def feed_owner(token: str) -> User | None:
    """The active user whose secret feed address ends in this token."""
    user = db.session.execute(
        sa.select(User).where(User.calendar_token == token)
    ).scalar_one_or_none()
    if user is None or not user.is_active or not secrets.compare_digest(user.calendar_token, token):
        return None
    return user


def feed_visits(user: User) -> list[Visit]:
    """The visits of the user's pairs, from a year ago on."""
    return list(
        db.session.execute(
            sa.select(Visit)
            .join(Visit.pair)
            .where(pair_scope(user), Visit.ends_on >= (utcnow() - FEED_HISTORY).date())
            .options(*with_pair(Visit.pair), joinedload(Visit.host_city))
            .order_by(Visit.starts_on)
        ).scalars()
    )


def feed_follow_ups(user: User) -> list[FollowUp]:
    """The open follow-ups owned by the user or their organisation, in their pairs."""
    return list(
        db.session.execute(
            sa.select(FollowUp)
            .join(FollowUp.report)
            .join(VisitReport.visit)
            .join(Visit.pair)
            .where(owned_follow_ups(user), FollowUp.done_at.is_(None), pair_scope(user))
            .options(joinedload(FollowUp.report))
            .order_by(FollowUp.due_on)
        ).scalars()
    )
