"""The figures an infographic shows, gathered from the pair's live data in a fixed number of
queries by reusing the plan and self-assessment read models."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from tracker.assessments.context import ContextResult
from tracker.assessments.models import Assessment, ContextEffect
from tracker.assessments.queries import pair_assessments
from tracker.auth.models import User
from tracker.auth.policy.scopes import deliverable_scope
from tracker.deliverables.models import Deliverable, DeliverableKind
from tracker.extensions import db
from tracker.pairs.models import Pair
from tracker.plans.models import ActionStatus, EndorsementLevel, PlanStatus
from tracker.plans.queries import adopted_recommendations, plan_for_pair, plan_progress
from tracker.visits.models import Recommendation, Visit, VisitKind, VisitReport, VisitStatus

HELD = frozenset({VisitStatus.HELD, VisitStatus.REPORTED})
CONTEXT_SHOWN = 3  # the strongest enablers, and as many limits


@dataclass(frozen=True)
class VisitPoint:
    """One visit on the timeline."""

    kind: VisitKind
    starts_on: date
    status: VisitStatus

    @property
    def is_held(self) -> bool:
        return self.status in HELD


@dataclass(frozen=True)
class FactorLevels:
    """The implementing city's level on one benchmark factor, at baseline and latest."""

    position: int
    title: str
    baseline: int | None
    latest: int | None


@dataclass(frozen=True)
class ContextPoint:
    """A context factor the implementing city's latest round finds enabling or limiting."""

    title: str
    note: str
    rounds: int  # completed rounds in a row, up to the latest, that found it so


@dataclass(frozen=True)
class PlanFigures:
    status: PlanStatus
    progress: int  # mean progress of the actions that are not dropped
    actions: int  # not dropped
    done: int
    administrative_on: date | None
    political_on: date | None


@dataclass(frozen=True)
class Infographic:
    """Everything one pair's infographic shows."""

    pair: Pair
    visits: list[VisitPoint]  # every visit but the cancelled ones, in date order
    recommendations: int
    adopted: int  # recommendations that at least one action of the plan took up
    plan: PlanFigures | None
    factors: list[FactorLevels]
    baseline: Assessment | None  # the implementing city's completed baseline round
    latest: Assessment | None  # its latest completed round, if later than the baseline
    generated_on: date
    # What the city's latest completed round finds most enabling and most limiting.
    context_round: Assessment | None = None
    enablers: list[ContextPoint] = field(default_factory=list)
    limits: list[ContextPoint] = field(default_factory=list)

    @property
    def has_context(self) -> bool:
        return bool(self.enablers or self.limits)

    @property
    def visits_held(self) -> int:
        return sum(1 for visit in self.visits if visit.is_held)

    @property
    def has_assessment(self) -> bool:
        """Whether there are levels to show: a completed round on a benchmark with factors."""
        return bool(self.factors) and (self.baseline is not None or self.latest is not None)

    @property
    def improved(self) -> int:
        """Factors rated higher in the latest round than at baseline."""
        return sum(
            1
            for factor in self.factors
            if factor.baseline is not None
            and factor.latest is not None
            and factor.latest > factor.baseline
        )


def infographic_data(pair: Pair, today: date) -> Infographic:
    """Gather the pair's infographic figures (the pair's theme, programme and cities loaded)."""
    visits = [
        VisitPoint(kind, starts_on, status)
        for kind, starts_on, status in db.session.execute(
            sa.select(Visit.kind, Visit.starts_on, Visit.status)
            .where(Visit.pair_id == pair.id, Visit.status != VisitStatus.CANCELLED)
            .order_by(Visit.starts_on, Visit.id)
        )
    ]
    plan = plan_for_pair(pair)
    figures = None
    # Counted, not loaded: the infographic needs the figures, not the plan page's overview.
    recommendations, adopted = _recommendation_count(pair), 0
    if plan is not None:
        adopted = adopted_recommendations(plan)
        open_actions = [a for a in plan.actions if a.status is not ActionStatus.DROPPED]
        endorsed = {endorsement.level: endorsement.decided_on for endorsement in plan.endorsements}
        figures = PlanFigures(
            status=plan.status,
            progress=plan_progress(plan),
            actions=len(open_actions),
            done=sum(1 for action in open_actions if action.status is ActionStatus.DONE),
            administrative_on=endorsed.get(EndorsementLevel.ADMINISTRATIVE),
            political_on=endorsed.get(EndorsementLevel.POLITICAL),
        )
    assessments = pair_assessments(pair)
    latest = assessments.latest if assessments.latest is not assessments.baseline else None
    return Infographic(
        pair=pair,
        visits=visits,
        recommendations=recommendations,
        adopted=adopted,
        plan=figures,
        factors=[
            FactorLevels(
                position=result.factor.position,
                title=result.factor.title,
                baseline=result.baseline,
                latest=result.latest if latest is not None else None,
            )
            for result in assessments.results
        ],
        baseline=assessments.baseline,
        latest=latest,
        generated_on=today,
        context_round=assessments.context.latest,
        enablers=_context_points(
            assessments.context.strongest(ContextEffect.ENABLING, CONTEXT_SHOWN)
        ),
        limits=_context_points(
            assessments.context.strongest(ContextEffect.LIMITING, CONTEXT_SHOWN)
        ),
    )


def _context_points(results: list[ContextResult]) -> list[ContextPoint]:
    return [
        ContextPoint(result.context_factor.title, result.note, result.streak) for result in results
    ]


def _recommendation_count(pair: Pair) -> int:
    return db.session.execute(
        sa.select(sa.func.count(Recommendation.id))
        .join(VisitReport, VisitReport.id == Recommendation.report_id)
        .join(Visit, Visit.id == VisitReport.visit_id)
        .where(Visit.pair_id == pair.id)
    ).scalar_one()


def infographic_deliverable(user: User, pair: Pair) -> Deliverable | None:
    """The pair's infographic deliverable (the one due first, if several), if the user sees it."""
    return db.session.execute(
        sa.select(Deliverable)
        .where(
            Deliverable.pair_id == pair.id,
            Deliverable.kind == DeliverableKind.INFOGRAPHIC,
            deliverable_scope(user),
        )
        .order_by(Deliverable.due_on, Deliverable.id)
        .limit(1)
    ).scalar_one_or_none()
