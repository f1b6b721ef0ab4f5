"""A city officer's dashboard: what is theirs to do this week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload

from tracker.assessments.models import Assessment, AssessmentRound, AssessmentStatus
from tracker.audit.models import AuditEntry
from tracker.audit.queries import recent_activity
from tracker.auth.models import User
from tracker.dashboards.metrics import UPCOMING, PairRow, pair_rows
from tracker.db import among
from tracker.extensions import db
from tracker.notifications.models import Notification
from tracker.pairs.models import Pair
from tracker.pairs.queries import live_pairs
from tracker.plans.models import Action, ActionPlan, ActionStatus, PlanStatus
from tracker.visits.models import FollowUp, Visit, VisitReport
from tracker.visits.queries import owned_follow_ups

SOON = timedelta(days=14)


@dataclass
class NextRound:
    pair: Pair
    round: AssessmentRound
    draft: Assessment | None  # a round already started and not completed


@dataclass
class CityDashboard:
    rows: list[PairRow]
    next_visit: Visit | None
    actions: list[Action]  # due within two weeks, or late, in the plans the city carries out
    follow_ups: list[FollowUp]
    next_rounds: list[NextRound]
    notifications: list[Notification]
    unread: int
    activity: list[AuditEntry]
    today: date

    def is_late(self, action: Action) -> bool:
        return action.ends_on is not None and action.ends_on < self.today


def city_dashboard(user: User, today: date, now: datetime) -> CityDashboard:
    pairs = live_pairs(user)
    ids = [pair.id for pair in pairs]
    mine = [pair.id for pair in pairs if pair.implementing_city_id == user.organisation_id]
    return CityDashboard(
        rows=pair_rows(pairs, today, now),
        next_visit=_next_visit(ids, today),
        actions=_actions_due(mine, today),
        follow_ups=_follow_ups(user),
        next_rounds=_next_rounds(user, pairs),
        notifications=_latest_notifications(user),
        unread=db.session.execute(
            sa.select(sa.func.count(Notification.id)).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        ).scalar_one(),
        activity=recent_activity(user, limit=10),
        today=today,
    )


def _next_visit(pair_ids: list[int], today: date) -> Visit | None:
    """The next visit of the pairs, whose pair is one of those already loaded with its theme and
    cities (joining them again cost PostgreSQL more to plan than to run)."""
    if not pair_ids:
        return None
    return db.session.execute(
        sa.select(Visit)
        .where(among(Visit.pair_id, pair_ids), Visit.status.in_(UPCOMING), Visit.starts_on >= today)
        .options(joinedload(Visit.host_city))
        .order_by(Visit.starts_on)
        .limit(1)
    ).scalar_one_or_none()


def _actions_due(pair_ids: list[int], today: date) -> list[Action]:
    if not pair_ids:
        return []
    return list(
        db.session.execute(
            sa.select(Action)
            .join(ActionPlan, ActionPlan.id == Action.plan_id)
            .where(
                among(ActionPlan.pair_id, pair_ids),
                ActionPlan.status != PlanStatus.COMPLETED,
                Action.status.not_in([ActionStatus.DONE, ActionStatus.DROPPED]),
                Action.ends_on <= today + SOON,
            )
            .options(joinedload(Action.owner_user))
            .order_by(Action.ends_on, Action.id)
        ).scalars()
    )


def _follow_ups(user: User) -> list[FollowUp]:
    """The user's open follow-ups, soonest due first. They are gathered apart (a materialised
    CTE, through the owner indexes) before they are sorted: with ORDER BY due_on LIMIT next to
    the owner condition, PostgreSQL's generic plan for the prepared statement walked every
    follow-up ever written in order of due date to find a city's few."""
    open_owned = (
        sa.select(FollowUp)
        .where(FollowUp.done_at.is_(None), owned_follow_ups(user))
        .cte("open_owned")
        .prefix_with("MATERIALIZED")
    )
    follow_up = aliased(FollowUp, open_owned)
    return list(
        db.session.execute(
            sa.select(follow_up)
            .options(joinedload(follow_up.report).joinedload(VisitReport.visit))
            .order_by(follow_up.due_on, follow_up.id)
            .limit(20)
        ).scalars()
    )


def _next_rounds(user: User, pairs: list[Pair]) -> list[NextRound]:
    """For each pair, the self-assessment round the user's city should take next."""
    rounds: dict[tuple[int, AssessmentRound], Assessment] = {
        (assessment.theme_id, assessment.round): assessment
        for assessment in db.session.execute(
            sa.select(Assessment).where(
                Assessment.city_id == user.organisation_id,
                Assessment.theme_id.in_({pair.theme_id for pair in pairs}),
            )
        ).scalars()
    }
    result = []
    for pair in pairs:
        for round_ in AssessmentRound:
            existing = rounds.get((pair.theme_id, round_))
            if existing is None or existing.status is AssessmentStatus.DRAFT:
                result.append(NextRound(pair, round_, existing))
                break
    return result


def _latest_notifications(user: User) -> list[Notification]:
    return list(
        db.session.execute(
            sa.select(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
            .order_by(Notification.created_at.desc())
            .limit(5)
        ).scalars()
    )
