"""Per-pair figures for the dashboards, each computed for all pairs at once in SQL.

Whatever the number of pairs, a dashboard costs the same handful of aggregate queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa

from tracker.assessments.models import Assessment, AssessmentStatus
from tracker.extensions import db
from tracker.pairs.health import PairHealth, pair_health
from tracker.pairs.models import Pair
from tracker.plans.models import PlanStatus
from tracker.visits.models import Recommendation, Visit, VisitReport, VisitStatus
from tracker.visits.queries import reports_of_pairs

ENDORSED = (PlanStatus.POLITICALLY_ENDORSED, PlanStatus.IN_IMPLEMENTATION, PlanStatus.COMPLETED)
UPCOMING = (VisitStatus.PLANNED, VisitStatus.CONFIRMED)


@dataclass
class PairRow:
    pair: Pair
    health: PairHealth
    last_visit: date | None = None
    next_visit: date | None = None
    rounds_done: int = 0
    plan_status: PlanStatus | None = None
    progress: int | None = None
    recommendations: int = 0
    adopted: int = 0
    extra: dict[str, object] = field(default_factory=dict)


def pair_rows(pairs: list[Pair], today: date, now: datetime) -> list[PairRow]:
    """The dashboard row of every pair: its health figures plus rounds and recommendations."""
    ids = [pair.id for pair in pairs]
    if not ids:
        return []
    health = pair_health(ids, today, now)
    rows = {pair.id: PairRow(pair, health[pair.id]) for pair in pairs}
    for row in rows.values():
        row.last_visit, row.next_visit = row.health.last_visit, row.health.next_visit
        row.plan_status, row.progress = row.health.plan_status, row.health.plan_progress
        row.adopted = row.health.recommendations_taken_up
    for pair_id, rounds in _rounds_done(ids):
        rows[pair_id].rounds_done = rounds
    for pair_id, total in _recommendations(ids):
        rows[pair_id].recommendations = total
    return [rows[pair.id] for pair in pairs]


def _rounds_done(ids):
    """Completed self-assessment rounds of each pair's implementing city on its theme."""
    return db.session.execute(
        sa.select(Pair.id, sa.func.count(Assessment.id))
        .join(
            Assessment,
            sa.and_(
                Assessment.city_id == Pair.implementing_city_id,
                Assessment.theme_id == Pair.theme_id,
            ),
        )
        .where(Pair.id.in_(ids), Assessment.status == AssessmentStatus.COMPLETED)
        .group_by(Pair.id)
    ).all()


def _recommendations(ids):
    """Recommendations made to each pair (how many are taken up comes with the plan's figures,
    from its actions: asking it of each recommendation cost one lookup apiece)."""
    return db.session.execute(
        sa.select(Visit.pair_id, sa.func.count(Recommendation.id))
        .join(VisitReport, VisitReport.visit_id == Visit.id)
        .join(Recommendation, Recommendation.report_id == VisitReport.id)
        .where(Visit.pair_id.in_(ids), reports_of_pairs(ids))
        .group_by(Visit.pair_id)
    ).all()
