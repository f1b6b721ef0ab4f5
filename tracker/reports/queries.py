"""The programme report's figures: per theme and pair, computed with aggregates in a fixed
number of queries whatever the number of themes, pairs, visits and actions."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from tracker.assessments.context import programme_context_factors
from tracker.assessments.models import ContextEffect
from tracker.catalogue.models import Programme, Theme
from tracker.checkins.models import CheckIn
from tracker.checkins.queries import follow_ups_due, programme_check_ins
from tracker.checkins.schedule import DueCheckIn
from tracker.deliverables.models import Deliverable, DeliverableStatus
from tracker.deliverables.queries import is_overdue
from tracker.extensions import db
from tracker.pairs.loading import with_pair
from tracker.pairs.models import Pair
from tracker.plans.models import (
    Action,
    ActionPlan,
    ActionStatus,
    Endorsement,
    EndorsementLevel,
    PlanStatus,
)
from tracker.reports.context import ContextCount, city_contexts, city_key, context_counts
from tracker.visits.models import Recommendation, Visit, VisitParticipant, VisitReport, VisitStatus

HELD = (VisitStatus.HELD, VisitStatus.REPORTED)
TO_COME = (VisitStatus.PLANNED, VisitStatus.CONFIRMED)


@dataclass
class Figures:
    """What was done in a pair, a theme or the whole programme."""

    visits_held: int = 0
    visits_to_come: int = 0
    people: int = 0  # distinct users who took part in held visits
    guests: int = 0  # distinct external guests, by name
    recommendations: int = 0
    adopted: int = 0  # recommendations taken up by an action that is not dropped
    dropped: int = 0  # recommendations taken up once, whose every action was dropped
    actions: Counter[ActionStatus] = field(default_factory=Counter)

    @property
    def participants(self) -> int:
        return self.people + self.guests

    @property
    def action_count(self) -> int:
        return sum(self.actions.values())

    @property
    def done(self) -> int:
        return self.actions[ActionStatus.DONE]

    @property
    def action_breakdown(self) -> list[tuple[ActionStatus, int]]:
        """The statuses that have actions, in the workflow's order, with their counts."""
        return [(status, self.actions[status]) for status in ActionStatus if self.actions[status]]

    def add(self, other: Figures) -> None:
        """Add another's counts, except people and guests, which are counted distinct apart."""
        self.visits_held += other.visits_held
        self.visits_to_come += other.visits_to_come
        self.recommendations += other.recommendations
        self.adopted += other.adopted
        self.dropped += other.dropped
        self.actions.update(other.actions)


@dataclass
class PlanFigures:
    status: PlanStatus
    progress: int  # mean progress of the actions that are not dropped
    administrative_on: date | None
    political_on: date | None


@dataclass
class PairRow:
    pair: Pair
    figures: Figures
    plan: PlanFigures | None
    # What the implementing city's latest completed round names as enabling and as limiting.
    enabling: list[str] = field(default_factory=list)
    limiting: list[str] = field(default_factory=list)


@dataclass
class ThemeSection:
    theme: Theme
    pairs: list[PairRow]
    totals: Figures
    deliverables: list[Deliverable]  # the theme's own and its pairs'

    @property
    def plans(self) -> int:
        return sum(1 for row in self.pairs if row.plan is not None)

    @property
    def administratively_endorsed(self) -> int:
        return sum(1 for row in self.pairs if row.plan and row.plan.administrative_on)

    @property
    def politically_endorsed(self) -> int:
        return sum(1 for row in self.pairs if row.plan and row.plan.political_on)


@dataclass
class ProgrammeReport:
    programme: Programme
    themes: list[ThemeSection]
    totals: Figures
    deliverables: list[Deliverable]  # programme-wide ones
    all_deliverables: list[Deliverable]
    overdue: set[int]  # ids of overdue deliverables
    today: date
    context: list[ContextCount] = field(default_factory=list)
    cities_assessed: int = 0  # implementing cities (per theme) with a completed round
    cities_compared: int = 0  # of which with a later round than the baseline
    check_ins: list[CheckIn] = field(default_factory=list)  # answered after the programme
    check_ins_due: list[DueCheckIn] = field(default_factory=list)  # due, not answered yet

    @property
    def pair_count(self) -> int:
        return sum(len(section.pairs) for section in self.themes)

    @property
    def plans(self) -> int:
        return sum(section.plans for section in self.themes)

    @property
    def politically_endorsed(self) -> int:
        return sum(section.politically_endorsed for section in self.themes)

    @property
    def administratively_endorsed(self) -> int:
        return sum(section.administratively_endorsed for section in self.themes)

    @property
    def approved(self) -> int:
        return sum(1 for d in self.all_deliverables if d.status is DeliverableStatus.APPROVED)


def programme_report(programme: Programme, today: date) -> ProgrammeReport:
    """Everything the report shows about the programme, in a fixed number of queries."""
    in_programme = Theme.programme_id == programme.id
    themes = (
        db.session.execute(
            sa.select(Theme)
            .where(in_programme)
            .options(joinedload(Theme.expert_organisation))
            .order_by(Theme.code)
        )
        .scalars()
        .all()
    )
    pairs = (
        db.session.execute(
            sa.select(Pair)
            .join(Pair.theme)
            .where(in_programme)
            .options(*with_pair())
            .order_by(Pair.theme_id, Pair.id)
        )
        .scalars()
        .all()
    )
    figures = {pair.id: Figures() for pair in pairs}
    _count_visits(in_programme, figures)
    _count_recommendations(in_programme, figures)
    _count_actions(in_programme, figures)
    for pair_id, (people, guests) in _participants(in_programme, Visit.pair_id).items():
        figures[pair_id].people, figures[pair_id].guests = people, guests
    by_theme = _participants(in_programme, Pair.theme_id)
    plans = _plans(in_programme)
    deliverables = (
        db.session.execute(
            sa.select(Deliverable)
            .where(Deliverable.programme_id == programme.id)
            .options(joinedload(Deliverable.responsible_organisation))
            .order_by(Deliverable.due_on, Deliverable.id)
        )
        .scalars()
        .all()
    )

    context_factors = programme_context_factors(programme.id)
    contexts = city_contexts(in_programme)
    titles = {context_factor.id: context_factor.title for context_factor in context_factors}

    def named(pair: Pair, effect: ContextEffect) -> list[str]:
        effects = contexts.latest.get((pair.implementing_city_id, pair.theme_id), {})
        return [titles[key] for key in titles if effects.get(key) is effect]

    sections = []
    for theme in themes:
        rows = [
            PairRow(
                pair,
                figures[pair.id],
                plans.get(pair.id),
                named(pair, ContextEffect.ENABLING),
                named(pair, ContextEffect.LIMITING),
            )
            for pair in pairs
            if pair.theme_id == theme.id
        ]
        totals = Figures()
        for row in rows:
            totals.add(row.figures)
        totals.people, totals.guests = by_theme.get(theme.id, (0, 0))
        sections.append(
            ThemeSection(theme, rows, totals, [d for d in deliverables if d.theme_id == theme.id])
        )
    totals = Figures()
    for section in sections:
        totals.add(section.totals)
    totals.people, totals.guests = _participants(in_programme, None).get(None, (0, 0))
    return ProgrammeReport(
        programme=programme,
        themes=sections,
        totals=totals,
        deliverables=[d for d in deliverables if d.theme_id is None],
        all_deliverables=list(deliverables),
        overdue={d.id for d in deliverables if is_overdue(d, today)},
        today=today,
        context=context_counts(context_factors, contexts, pairs),
        cities_assessed=len({city_key(pair) for pair in pairs} & contexts.latest.keys()),
        cities_compared=len({city_key(pair) for pair in pairs} & contexts.baseline.keys()),
        check_ins=programme_check_ins(programme),
        check_ins_due=follow_ups_due(list(pairs), today),
    )


def _visits_in(in_programme: sa.ColumnElement[bool]) -> sa.Select[Any]:
    return (
        sa.select()
        .select_from(Visit)
        .join(Pair, Pair.id == Visit.pair_id)
        .join(Theme, Theme.id == Pair.theme_id)
        .where(in_programme)
    )


def _count_visits(in_programme: sa.ColumnElement[bool], figures: dict[int, Figures]) -> None:
    query = _visits_in(in_programme).add_columns(
        Visit.pair_id, Visit.status, sa.func.count(Visit.id)
    )
    for pair_id, status, count in db.session.execute(query.group_by(Visit.pair_id, Visit.status)):
        if status in HELD:
            figures[pair_id].visits_held += count
        elif status in TO_COME:
            figures[pair_id].visits_to_come += count


def _participants(
    in_programme: sa.ColumnElement[bool], group: sa.ColumnElement[Any] | None
) -> dict[Any, tuple[int, int]]:
    """Distinct people and distinct guests of held visits, per `group` (or overall: None)."""
    columns = [
        sa.func.count(sa.distinct(VisitParticipant.user_id)),
        sa.func.count(sa.distinct(VisitParticipant.guest_name)),
    ]
    query = (
        _visits_in(in_programme)
        .join(VisitParticipant, VisitParticipant.visit_id == Visit.id)
        .where(Visit.status.in_(HELD))
    )
    if group is None:
        people, guests = db.session.execute(query.add_columns(*columns)).one()
        return {None: (people, guests)}
    rows = db.session.execute(query.add_columns(group, *columns).group_by(group))
    return {key: (people, guests) for key, people, guests in rows}


def _count_recommendations(
    in_programme: sa.ColumnElement[bool], figures: dict[int, Figures]
) -> None:
    query = (
        _visits_in(in_programme)
        .join(VisitReport, VisitReport.visit_id == Visit.id)
        .join(Recommendation, Recommendation.report_id == VisitReport.id)
        .add_columns(Visit.pair_id, sa.func.count(Recommendation.id))
        .group_by(Visit.pair_id)
    )
    for pair_id, count in db.session.execute(query):
        figures[pair_id].recommendations = count


def _actions_in(in_programme: sa.ColumnElement[bool]) -> sa.Select[Any]:
    return (
        sa.select()
        .select_from(Action)
        .join(ActionPlan, ActionPlan.id == Action.plan_id)
        .join(Pair, Pair.id == ActionPlan.pair_id)
        .join(Theme, Theme.id == Pair.theme_id)
        .where(in_programme)
    )


def _count_actions(in_programme: sa.ColumnElement[bool], figures: dict[int, Figures]) -> None:
    by_status = _actions_in(in_programme).add_columns(
        ActionPlan.pair_id, Action.status, sa.func.count(Action.id)
    )
    for pair_id, status, count in db.session.execute(
        by_status.group_by(ActionPlan.pair_id, Action.status)
    ):
        figures[pair_id].actions[status] = count
    taken_up_once = sa.func.count(sa.distinct(Action.recommendation_id))
    still_taken_up = sa.func.count(
        sa.distinct(sa.case((Action.status != ActionStatus.DROPPED, Action.recommendation_id)))
    )
    adopted = (
        _actions_in(in_programme)
        .add_columns(ActionPlan.pair_id, still_taken_up, taken_up_once)
        .where(Action.recommendation_id.is_not(None))
        .group_by(ActionPlan.pair_id)
    )
    for pair_id, taken_up, ever in db.session.execute(adopted):
        figures[pair_id].adopted, figures[pair_id].dropped = taken_up, ever - taken_up


def _plans(in_programme: sa.ColumnElement[bool]) -> dict[int, PlanFigures]:
    """Each plan's status, progress (as the plan page computes it) and endorsement dates."""

    def endorsed_on(level: EndorsementLevel) -> sa.ScalarSelect[Any]:
        return (
            sa.select(Endorsement.decided_on)
            .where(Endorsement.plan_id == ActionPlan.id, Endorsement.level == level)
            .scalar_subquery()
        )

    not_dropped = Action.status != ActionStatus.DROPPED
    query = (
        sa.select(
            ActionPlan.pair_id,
            ActionPlan.status,
            sa.func.sum(sa.case((not_dropped, Action.progress), else_=0)),
            sa.func.count(sa.case((not_dropped, Action.id))),
            endorsed_on(EndorsementLevel.ADMINISTRATIVE),
            endorsed_on(EndorsementLevel.POLITICAL),
        )
        .join(Pair, Pair.id == ActionPlan.pair_id)
        .join(Theme, Theme.id == Pair.theme_id)
        .outerjoin(Action, Action.plan_id == ActionPlan.id)
        .where(in_programme)
        .group_by(ActionPlan.id, ActionPlan.pair_id, ActionPlan.status)
    )
    return {
        pair_id: PlanFigures(
            status=status,
            progress=round(int(total or 0) / count) if count else 0,
            administrative_on=administrative,
            political_on=political,
        )
        for pair_id, status, total, count, administrative, political in db.session.execute(query)
    }
