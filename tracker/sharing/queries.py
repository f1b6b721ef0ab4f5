"""Reading what a programme shares: whether it does, the other pairs, and what of a pair is
shown to its peers (never a draft plan, a draft round or a person's data)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from tracker.auth.models import User
from tracker.auth.policy.scopes import shared_pair_scope
from tracker.catalogue.models import Programme, Theme
from tracker.extensions import db
from tracker.pairs.loading import with_pair
from tracker.pairs.models import Pair
from tracker.plans.models import Action, ActionPlan, PlanStatus
from tracker.sharing.models import PeerReading
from tracker.visits.models import Observation, Recommendation, Visit, VisitReport, VisitStatus


def peer_reading_on(programme_id: int) -> bool:
    return db.session.get(PeerReading, programme_id) is not None


def shared_pairs(user: User, programme: Programme) -> list[Pair]:
    """The other pairs of the programme the user reads as shared, by theme."""
    return list(
        db.session.execute(
            sa.select(Pair)
            .join(Theme, Theme.id == Pair.theme_id)
            .where(Theme.programme_id == programme.id, shared_pair_scope(user))
            .options(*with_pair())
            .order_by(Theme.code, Pair.id)
        ).scalars()
    )


def shared_plan(pair: Pair) -> ActionPlan | None:
    """The pair's plan once it left the draft, with its actions (their owners are people, and
    stay out of what is shared)."""
    return db.session.execute(
        sa.select(ActionPlan)
        .where(ActionPlan.pair_id == pair.id, ActionPlan.status != PlanStatus.DRAFT)
        .options(
            selectinload(ActionPlan.actions).selectinload(Action.factors),
            selectinload(ActionPlan.endorsements),
        )
    ).scalar_one_or_none()


def shared_visits(pair: Pair) -> list[Visit]:
    """The pair's visits whose report is finished."""
    return list(
        db.session.execute(
            sa.select(Visit)
            .where(Visit.pair_id == pair.id, Visit.status == VisitStatus.REPORTED)
            .options(joinedload(Visit.host_city))
            .order_by(Visit.starts_on)
        ).scalars()
    )


def shared_report(visit: Visit) -> VisitReport | None:
    """A finished visit report with what its peers read: the summary, the observations and the
    recommendations (the page leaves out participants, author, follow-ups and files)."""
    if visit.status is not VisitStatus.REPORTED:
        return None
    return db.session.execute(
        sa.select(VisitReport)
        .where(VisitReport.visit_id == visit.id)
        .options(
            selectinload(VisitReport.observations).joinedload(Observation.factor),
            selectinload(VisitReport.recommendations).joinedload(Recommendation.factor),
        )
    ).scalar_one_or_none()
