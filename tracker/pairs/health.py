"""The health of a pair: on track, needs attention, or at risk, and why.

The rule, stated on the coordinator's dashboard and in the weekly digest:
- at risk: three or more overdue items; or an active pair with no visit held in the last 90
  days (a pair that started less than 90 days ago has that long to hold its first); or an action
  plan being implemented with no progress posted for 60 days or more;
- needs attention: any overdue item (action, visit follow-up or deliverable); or a visit report
  missing for 5 days or more; or a plan with no progress for 30 days or more;
- on track: none of these.
Every figure comes from four aggregate queries, whatever the number of pairs; the dashboards
reuse them (plan status and progress, recommendations made and taken up, completed rounds,
visits held and planned, last and next visit) rather than asking again.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from tracker.assessments.models import Assessment, AssessmentStatus
from tracker.db import LabelledEnum, among_parameter, as_utc, dialect_name
from tracker.deliverables.models import Deliverable, DeliverableStatus
from tracker.extensions import db
from tracker.pairs.models import Pair, PairStatus
from tracker.plans.models import Action, ActionPlan, ActionStatus, PlanStatus
from tracker.visits.models import FollowUp, Recommendation, Visit, VisitReport, VisitStatus
from tracker.visits.queries import report_due_by, report_late_by, reports_of_visits

AT_RISK_OVERDUE = 3
AT_RISK_STALE_DAYS = 60
CLOSED_ACTION = (ActionStatus.DONE, ActionStatus.DROPPED)
IMPLEMENTING = (PlanStatus.POLITICALLY_ENDORSED, PlanStatus.IN_IMPLEMENTATION)


class Health(LabelledEnum):
    ON_TRACK = "on_track", _l("On track")
    NEEDS_ATTENTION = "needs_attention", _l("Needs attention")
    AT_RISK = "at_risk", _l("At risk")


@dataclass
class PairHealth:
    pair_id: int
    overdue_actions: int = 0
    overdue_follow_ups: int = 0
    overdue_deliverables: int = 0
    reports_missing: int = 0
    last_visit: date | None = None
    started_on: date | None = None  # its start date, or the day it was created if none is set
    next_visit: date | None = None
    plan_status: PlanStatus | None = None
    plan_progress: int | None = None  # mean progress of the plan's actions that are not dropped
    plan_quiet_days: int | None = None  # days since the plan's last progress, if implemented
    recommendations: int = 0  # made to the pair in its visits' reports
    recommendations_taken_up: int = 0  # by an action of the plan that is not dropped
    rounds_done: int = 0  # completed self-assessment rounds of the implementing city
    visits_held: int = 0
    visits_planned: int = 0  # planned or confirmed, whatever their date
    active: bool = True
    reasons: list[str] = field(default_factory=list)
    health: Health = Health.ON_TRACK

    @property
    def overdue(self) -> int:
        return self.overdue_actions + self.overdue_follow_ups + self.overdue_deliverables


def pair_health(pair_ids: list[int], today: date, now: datetime) -> dict[int, PairHealth]:
    """Health of each pair, and the figures it rests on, from four aggregate queries."""
    if not pair_ids:
        return {}
    settings = current_app.config["REMINDERS"]
    result = {pair_id: PairHealth(pair_id) for pair_id in pair_ids}
    statements = _statements(dialect_name())
    values = {"pair_ids": list(pair_ids), "today": today, "reports_due_by": report_due_by(today)}

    def run(statement: sa.Select) -> list[sa.Row]:
        return db.session.execute(statement, values).all()

    for row in run(statements.visits):
        pair_id, pair_status, starts_on, created_at, last, upcoming, missing, held, planned = row
        figures = result[pair_id]
        figures.active = pair_status is PairStatus.ACTIVE
        figures.started_on = starts_on or as_utc(created_at).date()
        figures.last_visit, figures.next_visit = last, upcoming
        figures.reports_missing, figures.visits_held, figures.visits_planned = (
            int(missing or 0),
            int(held or 0),
            int(planned or 0),
        )
    for pair_id, status, activity, total, counted, overdue, taken_up in run(statements.plans):
        figures = result[pair_id]
        figures.plan_status, figures.overdue_actions = status, overdue
        figures.recommendations_taken_up = taken_up
        figures.plan_progress = round(total / counted) if counted else 0
        if status in IMPLEMENTING:
            figures.plan_quiet_days = (now - as_utc(activity)).days
    for pair_id, follow_ups, recommendations in run(statements.reports):
        figures = result[pair_id]
        figures.overdue_follow_ups, figures.recommendations = int(follow_ups), int(recommendations)
    for pair_id, deliverables, rounds in run(statements.deliverables_and_rounds):
        result[pair_id].overdue_deliverables, result[pair_id].rounds_done = deliverables, rounds
    for health in result.values():
        _judge(health, today, settings)
    return result


def _judge(health: PairHealth, today: date, settings: dict) -> None:
    no_visit_days = settings["no_visit_days"]
    stale_days = settings["plan_stale_days"]
    quiet = health.plan_quiet_days
    at_risk, attention = [], []
    if health.overdue >= AT_RISK_OVERDUE:
        at_risk.append(_overdue_text(health.overdue))
    elif health.overdue:
        attention.append(_overdue_text(health.overdue))
    if health.active and _no_visit_since(health, today - timedelta(days=no_visit_days)):
        at_risk.append(_("no visit held in %(days)d days", days=no_visit_days))
    if quiet is not None and quiet >= AT_RISK_STALE_DAYS:
        at_risk.append(_("no progress on the plan for %(days)d days", days=quiet))
    elif quiet is not None and quiet >= stale_days:
        attention.append(_("no progress on the plan for %(days)d days", days=quiet))
    if health.reports_missing:
        attention.append(_("a visit report is missing"))
    health.reasons = at_risk + attention
    health.health = (
        Health.AT_RISK if at_risk else Health.NEEDS_ATTENTION if attention else Health.ON_TRACK
    )


def _no_visit_since(health: PairHealth, cutoff: date) -> bool:
    """No visit held since the cutoff, counting from the pair's start: a new pair is not flagged
    for a visit it has not yet had the time to hold."""
    days = [day for day in (health.last_visit, health.started_on) if day is not None]
    return not days or max(days) < cutoff


def _overdue_text(count: int) -> str:
    return ngettext("%(num)d overdue item", "%(num)d overdue items", count)


def _count_if(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.sum(sa.case((condition, 1), else_=0))


# Given a column of pair ids, the condition that it is one of the pairs asked about.
Pairs = Callable[[sa.ColumnElement[int]], sa.ColumnElement[bool]]


@dataclass(frozen=True)
class _Statements:
    visits: sa.Select
    plans: sa.Select
    reports: sa.Select
    deliverables_and_rounds: sa.Select


@functools.cache
def _statements(dialect: str) -> _Statements:
    """Pair health's four statements, built once per database (each writes its list of pairs
    its own way, see among_parameter): building them anew took about a millisecond on every
    dashboard. The pairs, the day and the day reports are late from are their parameters."""
    today = sa.bindparam("today")

    def pairs(column: sa.ColumnElement[int]) -> sa.ColumnElement[bool]:
        return among_parameter(column, "pair_ids", dialect)

    return _Statements(
        visits=_visits(pairs, today, sa.bindparam("reports_due_by")),
        plans=_plans(pairs, today),
        reports=_reports(pairs, today),
        deliverables_and_rounds=_deliverables_and_rounds(pairs, today),
    )


def _visits(pairs: Pairs, today: sa.BindParameter, reports_due_by: sa.BindParameter) -> sa.Select:
    """Per pair: its status and start, last visit held, next visit coming, reports missing,
    visits held and visits planned."""
    held = Visit.status.in_([VisitStatus.HELD, VisitStatus.REPORTED])
    planned = Visit.status.in_([VisitStatus.PLANNED, VisitStatus.CONFIRMED])
    upcoming = sa.and_(planned, Visit.starts_on >= today)
    return (
        sa.select(
            Pair.id,
            Pair.status,
            Pair.starts_on,
            Pair.created_at,
            sa.func.max(sa.case((held, Visit.ends_on))),
            sa.func.min(sa.case((upcoming, Visit.starts_on))),
            _count_if(report_late_by(reports_due_by)),
            _count_if(held),
            _count_if(planned),
        )
        # The pairs' ids on the visits' side of the outer join as well: PostgreSQL does not carry
        # them across it, and would otherwise read every visit of every programme ever run.
        .outerjoin(Visit, sa.and_(Visit.pair_id == Pair.id, pairs(Visit.pair_id)))
        .where(pairs(Pair.id))
        .group_by(Pair.id, Pair.status, Pair.starts_on, Pair.created_at)
    )


def _plans(pairs: Pairs, today: sa.BindParameter) -> sa.Select:
    """Per plan: status, last activity, its figures kept over its actions that are not dropped
    (tracker/plans/figures.py: progress added up, how many, recommendations taken up), and its
    overdue actions, counted through the index by due date (none once the plan is completed)."""
    overdue = (
        sa.select(sa.func.count(Action.id))
        .where(
            Action.plan_id == ActionPlan.id,
            Action.ends_on < today,
            Action.status.not_in(CLOSED_ACTION),
        )
        .scalar_subquery()
    )
    return sa.select(
        ActionPlan.pair_id,
        ActionPlan.status,
        ActionPlan.last_activity,
        ActionPlan.progress_total,
        ActionPlan.actions_counted,
        sa.case((ActionPlan.status == PlanStatus.COMPLETED, 0), else_=overdue),
        ActionPlan.recommendations_taken_up,
    ).where(pairs(ActionPlan.pair_id))


def _reports(pairs: Pairs, today: sa.BindParameter) -> sa.Select:
    """Per pair: its visits' overdue follow-ups and the recommendations made, each report's
    counted by its own index. (Correlated on the pair instead, PostgreSQL ran each pair's
    count as a scan of every report on small databases.)"""
    follow_ups = (
        sa.select(sa.func.count(FollowUp.id))
        .where(
            FollowUp.report_id == VisitReport.id,
            FollowUp.done_at.is_(None),
            FollowUp.due_on < today,
        )
        .scalar_subquery()
    )
    recommendations = (
        sa.select(sa.func.count(Recommendation.id))
        .where(Recommendation.report_id == VisitReport.id)
        .scalar_subquery()
    )
    return (
        sa.select(Visit.pair_id, sa.func.sum(follow_ups), sa.func.sum(recommendations))
        .join(VisitReport, VisitReport.visit_id == Visit.id)
        .where(pairs(Visit.pair_id), reports_of_visits(pairs(Visit.pair_id)))
        .group_by(Visit.pair_id)
    )


def _deliverables_and_rounds(pairs: Pairs, today: sa.BindParameter) -> sa.Select:
    """Per pair: its overdue deliverables, and the completed self-assessment rounds of its
    implementing city on its theme, each counted through its own index."""
    deliverables = (
        sa.select(sa.func.count(Deliverable.id))
        .where(
            Deliverable.pair_id == Pair.id,
            Deliverable.due_on < today,
            Deliverable.status.in_([DeliverableStatus.PLANNED, DeliverableStatus.IN_PROGRESS]),
        )
        .scalar_subquery()
    )
    rounds = (
        sa.select(sa.func.count(Assessment.id))
        .where(
            Assessment.city_id == Pair.implementing_city_id,
            Assessment.theme_id == Pair.theme_id,
            Assessment.status == AssessmentStatus.COMPLETED,
        )
        .scalar_subquery()
    )
    return sa.select(Pair.id, deliverables, rounds).where(pairs(Pair.id))
