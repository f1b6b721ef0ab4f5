"""What a person's calendar feed holds: the visits of their pairs, their open follow-ups, the end
dates of their actions, their organisation's deliverables and endorsements it still has to record
(each kind switchable); and a coordinator's feed of a programme's visits."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from tracker.auth.models import User
from tracker.auth.policy.scopes import deliverable_scope, pair_scope
from tracker.catalogue.models import Programme, Theme
from tracker.db import LabelledEnum, utcnow
from tracker.deliverables.models import Deliverable, DeliverableStatus
from tracker.extensions import db
from tracker.pairs.loading import with_pair
from tracker.pairs.models import Pair
from tracker.plans.models import Action, ActionPlan, ActionStatus, PlanStatus
from tracker.reminders.rules.common import setting
from tracker.visits.models import FollowUp, Visit, VisitReport
from tracker.visits.queries import owned_follow_ups

FEED_HISTORY = timedelta(days=400)  # how far back a feed goes


class FeedKind(LabelledEnum):
    """What a personal feed can hold; each person switches kinds off on their calendar page."""

    VISITS = "visits", _l("Visits of my pairs")
    FOLLOW_UPS = "follow_ups", _l("Follow-ups I or my organisation owe")
    ACTIONS = "actions", _l("End dates of the actions I or my city carry out")
    DELIVERABLES = "deliverables", _l("Due dates of my organisation's deliverables")
    ENDORSEMENTS = "endorsements", _l("Endorsements my city still has to record")


def feed_kinds(user: User) -> set[FeedKind]:
    """The kinds the user's feed holds: every kind but those they switched off."""
    hidden = set(filter(None, user.calendar_hidden.split(",")))
    return {kind for kind in FeedKind if kind.value not in hidden}


def _since() -> date:
    return (utcnow() - FEED_HISTORY).date()


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
            .where(pair_scope(user), Visit.ends_on >= _since())
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


def feed_actions(user: User) -> list[Action]:
    """Unfinished actions with an end date that the user owns, or that their city carries out
    without naming anyone."""
    return list(
        db.session.execute(
            sa.select(Action)
            .join(Action.plan)
            .join(ActionPlan.pair)
            .where(
                pair_scope(user),
                Action.ends_on >= _since(),
                Action.status.not_in([ActionStatus.DONE, ActionStatus.DROPPED]),
                sa.or_(
                    Action.owner_user_id == user.id,
                    sa.and_(
                        Action.owner_user_id.is_(None),
                        Pair.implementing_city_id == user.organisation_id,
                    ),
                ),
            )
            .options(*with_pair(Action.plan, ActionPlan.pair))
            .order_by(Action.ends_on)
        ).scalars()
    )


def feed_deliverables(user: User) -> list[Deliverable]:
    """The deliverables the user's organisation is responsible for, until approved."""
    return list(
        db.session.execute(
            sa.select(Deliverable)
            .where(
                deliverable_scope(user),
                Deliverable.responsible_organisation_id == user.organisation_id,
                Deliverable.status != DeliverableStatus.APPROVED,
                Deliverable.due_on >= _since(),
            )
            .order_by(Deliverable.due_on)
        ).scalars()
    )


def feed_endorsements(user: User) -> list[tuple[ActionPlan, date]]:
    """Action plans whose next endorsement the user's city has to record, each with the day it
    is expected by (when the reminders start asking for it)."""
    plans = db.session.execute(
        sa.select(ActionPlan)
        .join(ActionPlan.pair)
        .where(
            pair_scope(user),
            Pair.implementing_city_id == user.organisation_id,
            ActionPlan.status.in_([PlanStatus.UNDER_REVIEW, PlanStatus.ADMIN_ENDORSED]),
        )
        .options(*with_pair(ActionPlan.pair))
    ).scalars()
    wait = timedelta(days=setting("endorsement_pending_days"))
    return [(plan, plan.status_changed_at.date() + wait) for plan in plans]


def programme_visits(programme: Programme) -> list[Visit]:
    """Every visit of the programme, from a year ago on: a coordinator's programme feed."""
    return list(
        db.session.execute(
            sa.select(Visit)
            .join(Visit.pair)
            .join(Pair.theme)
            .where(Theme.programme_id == programme.id, Visit.ends_on >= _since())
            .options(*with_pair(Visit.pair), joinedload(Visit.host_city))
            .order_by(Visit.starts_on)
        ).scalars()
    )


def programmes() -> list[Programme]:
    """Every programme, for a coordinator's programme feeds."""
    return list(db.session.execute(sa.select(Programme).order_by(Programme.name)).scalars())


def programme_by_key(key: str) -> Programme | None:
    return db.session.execute(sa.select(Programme).where(Programme.key == key)).scalar_one_or_none()
