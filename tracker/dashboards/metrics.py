"""Per-pair figures for the dashboards, each computed for all pairs at once in SQL.

Whatever the number of pairs, a dashboard costs the same handful of aggregate queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from tracker.pairs.health import PairHealth, pair_health
from tracker.pairs.models import Pair
from tracker.plans.models import PlanStatus
from tracker.visits.models import VisitStatus

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
    """The dashboard row of every pair, from its health figures."""
    ids = [pair.id for pair in pairs]
    if not ids:
        return []
    health = pair_health(ids, today, now)
    rows = {pair.id: PairRow(pair, health[pair.id]) for pair in pairs}
    for row in rows.values():
        row.last_visit, row.next_visit = row.health.last_visit, row.health.next_visit
        row.plan_status, row.progress = row.health.plan_status, row.health.plan_progress
        row.recommendations, row.adopted = (
            row.health.recommendations,
            row.health.recommendations_taken_up,
        )
        row.rounds_done = row.health.rounds_done
    return [rows[pair.id] for pair in pairs]
