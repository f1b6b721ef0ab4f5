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
    """A pair and its figures (all in its health: read, never copied)."""

    pair: Pair
    health: PairHealth
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def last_visit(self) -> date | None:
        return self.health.last_visit

    @property
    def next_visit(self) -> date | None:
        return self.health.next_visit

    @property
    def rounds_done(self) -> int:
        return self.health.rounds_done

    @property
    def plan_status(self) -> PlanStatus | None:
        return self.health.plan_status

    @property
    def progress(self) -> int | None:
        return self.health.plan_progress

    @property
    def recommendations(self) -> int:
        return self.health.recommendations

    @property
    def adopted(self) -> int:
        return self.health.recommendations_taken_up


def pair_rows(pairs: list[Pair], today: date, now: datetime) -> list[PairRow]:
    """The dashboard row of every pair, from its health figures."""
    health = pair_health([pair.id for pair in pairs], today, now)
    return [PairRow(pair, health[pair.id]) for pair in pairs]
