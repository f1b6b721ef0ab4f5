"""The coordinator's dashboard: every pair of a programme, its health, and the summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from tracker.audit.models import AuditEntry
from tracker.audit.queries import recent_activity
from tracker.auth.models import User
from tracker.catalogue.models import Programme, Theme
from tracker.checkins.queries import follow_ups_due
from tracker.checkins.schedule import DueCheckIn
from tracker.dashboards.metrics import ENDORSED, PairRow, pair_rows
from tracker.deliverables.models import Deliverable, DeliverableStatus
from tracker.extensions import db
from tracker.pairs.health import Health
from tracker.pairs.models import Pair, PairStatus
from tracker.pairs.queries import programme_pairs
from tracker.plans.models import PlanStatus

SORTS: dict[str, Any] = {
    "theme": lambda row: (row.pair.theme.code, row.pair.id),
    "health": lambda row: (-list(Health).index(row.health.health), row.pair.theme.code),
    "progress": lambda row: (row.progress is None, row.progress or 0),
    "overdue": lambda row: -row.health.overdue,
    "last_visit": lambda row: (row.last_visit is None, row.last_visit or date.min),
    "next_visit": lambda row: (row.next_visit is None, row.next_visit or date.max),
}


@dataclass
class DashboardFilters:
    programme: str | None = None
    theme: str | None = None
    status: str | None = None
    health: str | None = None
    plan: str | None = None  # "endorsed": only pairs whose plan is endorsed
    sort: str = "health"

    @classmethod
    def from_args(cls, args: Any) -> DashboardFilters:
        sort = args.get("sort", "health")
        return cls(
            programme=args.get("programme") or None,
            theme=args.get("theme") or None,
            status=args.get("status") or None,
            health=args.get("health") or None,
            plan=args.get("plan") or None,
            sort=sort if sort in SORTS else "health",
        )

    def keep(self, row: PairRow) -> bool:
        return (
            (not self.theme or row.pair.theme.code == self.theme)
            and (not self.status or row.pair.status.value == self.status)
            and (not self.health or row.health.health.value == self.health)
            and (self.plan != "endorsed" or row.plan_status in ENDORSED)
        )

    def args(self, **changes: Any) -> dict[str, str]:
        """The query string of these filters with some changed (for links and sorting)."""
        values = {
            "programme": self.programme,
            "theme": self.theme,
            "status": self.status,
            "health": self.health,
            "plan": self.plan,
            "sort": self.sort,
            **changes,
        }
        return {key: value for key, value in values.items() if value}


@dataclass
class ThemeProgress:
    theme: Theme
    pairs: int
    progress: int | None  # mean plan progress of the theme's pairs with a plan


@dataclass(frozen=True)
class PairLine:
    """Everything one row of the dashboard's table shows, and nothing else: the row is written
    once for these values (tracker.fragments)."""

    pair_id: int
    label: str  # as Pair.label, which templating.pair_name writes
    status: PairStatus
    last_visit: date | None
    next_visit: date | None
    rounds_done: int
    plan_status: PlanStatus | None
    progress: int | None
    adopted: int
    recommendations: int
    overdue: int
    health: Health
    reasons: tuple[str, ...]

    @classmethod
    def of(cls, row: PairRow) -> PairLine:
        return cls(
            pair_id=row.pair.id,
            label=row.pair.label,
            status=row.pair.status,
            last_visit=row.last_visit,
            next_visit=row.next_visit,
            rounds_done=row.rounds_done,
            plan_status=row.plan_status,
            progress=row.progress,
            adopted=row.adopted,
            recommendations=row.recommendations,
            overdue=row.health.overdue,
            health=row.health.health,
            reasons=tuple(row.health.reasons),
        )


@dataclass
class CoordinatorDashboard:
    programme: Programme | None
    programmes: list[Programme]
    rows: list[PairRow]
    summary: dict[str, int]
    health_counts: dict[Health, int]
    themes: list[ThemeProgress]
    activity: list[AuditEntry]
    follow_ups_due: list[DueCheckIn] = field(default_factory=list)  # check-ins not answered

    @property
    def lines(self) -> list[PairLine]:
        return [PairLine.of(row) for row in self.rows]


def coordinator_dashboard(
    user: User, filters: DashboardFilters, today: date, now: datetime
) -> CoordinatorDashboard:
    programmes = list(
        db.session.execute(sa.select(Programme).order_by(*Programme.newest_first())).scalars()
    )
    programme = _chosen(programmes, filters.programme)
    if programme is None:
        return CoordinatorDashboard(None, programmes, [], {}, {}, [], recent_activity(user))
    pairs = programme_pairs(programme)
    all_rows = pair_rows(pairs, today, now)
    rows = sorted((row for row in all_rows if filters.keep(row)), key=SORTS[filters.sort])
    themes = list(
        db.session.execute(
            sa.select(Theme).where(Theme.programme_id == programme.id).order_by(Theme.code)
        ).scalars()
    )
    return CoordinatorDashboard(
        programme=programme,
        programmes=programmes,
        rows=rows,
        summary=_summary(programme, all_rows, today),
        health_counts={h: sum(1 for row in all_rows if row.health.health is h) for h in Health},
        themes=[_theme_progress(theme, all_rows) for theme in themes],
        activity=recent_activity(user, limit=15),
        follow_ups_due=follow_ups_due(pairs, today),
    )


def _chosen(programmes: list[Programme], key: str | None) -> Programme | None:
    """The programme asked for, else the most recent one that has pairs, else the first."""
    if key:
        return next((p for p in programmes if p.key == key), None)
    with_pairs = set(
        db.session.execute(
            sa.select(Theme.programme_id).join(Pair, Pair.theme_id == Theme.id).distinct()
        ).scalars()
    )
    return next(
        (p for p in programmes if p.id in with_pairs), programmes[0] if programmes else None
    )


def _summary(programme: Programme, rows: list[PairRow], today: date) -> dict[str, int]:
    """The programme's figures: its pairs' (every pair of the programme is a row), and its late
    deliverables, which need not belong to a pair."""
    late_deliverables = db.session.execute(
        sa.select(sa.func.count(Deliverable.id)).where(
            Deliverable.programme_id == programme.id,
            Deliverable.due_on < today,
            Deliverable.status.in_([DeliverableStatus.PLANNED, DeliverableStatus.IN_PROGRESS]),
        )
    ).scalar_one()
    return {
        "pairs_active": sum(1 for row in rows if row.pair.status is PairStatus.ACTIVE),
        "visits_held": sum(row.health.visits_held for row in rows),
        "visits_planned": sum(row.health.visits_planned for row in rows),
        "plans_endorsed": sum(1 for row in rows if row.plan_status in ENDORSED),
        "deliverables_late": late_deliverables,
    }


def _theme_progress(theme: Theme, rows: list[PairRow]) -> ThemeProgress:
    mine = [row for row in rows if row.pair.theme_id == theme.id]
    with_plan = [row.progress for row in mine if row.progress is not None]
    return ThemeProgress(
        theme, len(mine), round(sum(with_plan) / len(with_plan)) if with_plan else None
    )
