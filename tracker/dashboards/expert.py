"""An expert's dashboard: visits to plan and to report on, plans to review, recommendations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from tracker.audit.models import AuditEntry
from tracker.audit.queries import recent_activity
from tracker.auth.models import User
from tracker.auth.policy.scopes import facilitated_themes
from tracker.catalogue.models import Programme, Theme
from tracker.catalogue.queries import ThemeChoice, theme_choices
from tracker.dashboards.metrics import PairRow, pair_rows
from tracker.db import among
from tracker.extensions import db
from tracker.pairs.models import PairStatus
from tracker.pairs.queries import live_pairs
from tracker.plans.models import ActionPlan, PlanStatus
from tracker.visits.models import Visit, VisitStatus
from tracker.visits.queries import is_report_overdue


@dataclass
class ExpertDashboard:
    themes: list[tuple[ThemeChoice, int]]  # as plain values: every programme's, in a tenth year
    rows: list[PairRow]
    to_plan: list[PairRow]
    awaiting_report: list[Visit]
    to_review: list[ActionPlan]
    recommendations: int
    adopted: int
    activity: list[AuditEntry]
    overdue_reports: set[int]  # ids of the visits awaiting a report that is late


def expert_dashboard(user: User, today: date, now: datetime) -> ExpertDashboard:
    pairs = live_pairs(user)
    ids = [pair.id for pair in pairs]
    rows = pair_rows(pairs, today, now)
    themes = theme_choices(
        *Programme.newest_first(), Theme.code, where=Theme.id.in_(facilitated_themes(user))
    )
    counts = dict.fromkeys((theme.id for theme in themes), 0)
    for pair in pairs:
        counts[pair.theme_id] = counts.get(pair.theme_id, 0) + 1
    awaiting_report = _held_without_report(ids)
    return ExpertDashboard(
        themes=[(theme, counts.get(theme.id, 0)) for theme in themes],
        rows=rows,
        to_plan=[
            row for row in rows if row.pair.status is PairStatus.ACTIVE and row.next_visit is None
        ],
        awaiting_report=awaiting_report,
        to_review=_plans_under_review(ids),
        recommendations=sum(row.recommendations for row in rows),
        adopted=sum(row.adopted for row in rows),
        activity=recent_activity(user, limit=10),
        overdue_reports={visit.id for visit in awaiting_report if is_report_overdue(visit, today)},
    )


# The visits and plans below belong to the pairs the dashboard has loaded with their theme and
# cities: they find them there, instead of joining them again (which cost PostgreSQL more to
# plan than to run).


def _held_without_report(pair_ids: list[int]) -> list[Visit]:
    if not pair_ids:
        return []
    return list(
        db.session.execute(
            sa.select(Visit)
            .where(among(Visit.pair_id, pair_ids), Visit.status == VisitStatus.HELD)
            .order_by(Visit.ends_on)
        ).scalars()
    )


def _plans_under_review(pair_ids: list[int]) -> list[ActionPlan]:
    if not pair_ids:
        return []
    return list(
        db.session.execute(
            sa.select(ActionPlan)
            .where(
                among(ActionPlan.pair_id, pair_ids), ActionPlan.status == PlanStatus.UNDER_REVIEW
            )
            .order_by(ActionPlan.status_changed_at)
        ).scalars()
    )
