"""Demo self-assessments and action plans in different stages, so every role has work to see.

Riga (implementing, theme B) is left without a self-assessment or a plan: the demo walk-through
starts there. The other active pairs show a plan under review, one being implemented with a
late action and a gap, and one politically endorsed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from tracker.assessments.models import (
    Assessment,
    AssessmentRound,
    AssessmentStatus,
    ContextEffect,
    ContextNote,
    FactorRating,
    FactorTarget,
)
from tracker.audit.service import record
from tracker.auth.models import User
from tracker.benchmarks.queries import latest_version
from tracker.demo.people import active_demo_pairs, demo_key, users_by_email
from tracker.extensions import db
from tracker.messages import N_, Percent, in_sentence
from tracker.organisations.models import Organisation
from tracker.pairs.models import Pair
from tracker.plans.models import (
    Action,
    ActionPlan,
    ActionStatus,
    Endorsement,
    EndorsementLevel,
    PlanComment,
    PlanStatus,
    ProgressUpdate,
)
from tracker.visits.models import Recommendation, Visit, VisitReport


@dataclass(frozen=True)
class Scenario:
    plan_status: PlanStatus
    baseline: list[int]  # levels of the first factors; the rest get 2
    mentor: list[int]
    actions: list[tuple[int, ActionStatus, int, int]]  # factor index, status, progress, days to end
    midterm: list[int] | None = None
    # What the implementing city finds enabling or limiting: context factor key, effect, note.
    context: tuple[tuple[str, ContextEffect, str], ...] = ()
    midterm_context: tuple[tuple[str, ContextEffect, str], ...] = ()


SCENARIOS = {
    "Dresden": Scenario(
        PlanStatus.IN_IMPLEMENTATION,
        baseline=[1, 2, 0, 1, 2, 3, 1],
        mentor=[4, 3, 3, 4, 3, 4, 3],
        actions=[
            (0, ActionStatus.ON_TRACK, 60, 90),
            (2, ActionStatus.DELAYED, 20, -12),
            (4, ActionStatus.DONE, 100, -30),
            (6, ActionStatus.AT_RISK, 35, 45),
        ],
        midterm=[2, 2, 1, 1, 3, 3, 2],
        context=(
            ("city-resources", ContextEffect.LIMITING, "The integration budget was cut by 15%."),
            (
                "civil-society",
                ContextEffect.ENABLING,
                "Migrant associations meet the city monthly.",
            ),
            ("political-situation", ContextEffect.NEUTRAL, ""),
            ("eu-funding", ContextEffect.ENABLING, "An AMIF project funds two community officers."),
        ),
        midterm_context=(
            ("city-resources", ContextEffect.NEUTRAL, "The 2026 budget restored the posts."),
            (
                "civil-society",
                ContextEffect.ENABLING,
                "Migrant associations meet the city monthly.",
            ),
            ("political-situation", ContextEffect.LIMITING, "Local elections slow decisions."),
            ("eu-funding", ContextEffect.ENABLING, "An AMIF project funds two community officers."),
        ),
    ),
    "Gdansk": Scenario(
        PlanStatus.UNDER_REVIEW,
        baseline=[0, 1, 2, 1, 1, 2, 2],
        mentor=[3, 4, 4, 3, 4, 3, 3],
        actions=[
            (0, ActionStatus.NOT_STARTED, 0, 120),
            (1, ActionStatus.NOT_STARTED, 0, 150),
            (3, ActionStatus.NOT_STARTED, 0, 200),
        ],
        context=(
            ("national-legislation", ContextEffect.LIMITING, "National rules decide who may vote."),
            ("public-perception", ContextEffect.ENABLING, "Residents back the council's plans."),
        ),
    ),
    "Lisbon": Scenario(
        PlanStatus.POLITICALLY_ENDORSED,
        baseline=[1, 1, 2, 2, 1, 0, 2, 1, 2],
        mentor=[4, 3, 4, 3, 3, 3, 4, 4, 3],
        actions=[
            (0, ActionStatus.ON_TRACK, 25, 200),
            (1, ActionStatus.NOT_STARTED, 0, 240),
            (4, ActionStatus.ON_TRACK, 10, 180),
        ],
    ),
}


def seed_assessments_and_plans(today: date) -> None:
    pairs = active_demo_pairs()
    users = users_by_email()
    for pair in pairs:
        scenario = next(
            (
                scenario
                for name, scenario in SCENARIOS.items()
                if demo_key(name) == pair.implementing_city.demo_key
            ),
            None,
        )
        if scenario is None or _has_plan(pair):
            continue
        factors = pair.theme.factors
        _assessment(
            pair.implementing_city,
            pair,
            scenario.baseline,
            AssessmentRound.BASELINE,
            today - timedelta(days=120),
            scenario.context,
        )
        if scenario.midterm:
            _assessment(
                pair.implementing_city,
                pair,
                scenario.midterm,
                AssessmentRound.MIDTERM,
                today - timedelta(days=20),
                scenario.midterm_context,
            )
        _assessment(
            pair.mentor_city,
            pair,
            scenario.mentor,
            AssessmentRound.BASELINE,
            today - timedelta(days=110),
        )
        for factor in factors:
            db.session.add(
                FactorTarget(city_id=pair.implementing_city_id, factor_id=factor.id, level=3)
            )
        _plan(pair, scenario, today, users.get("coordinator@demo.example"))


def _has_plan(pair: Pair) -> bool:
    return (
        db.session.execute(select(ActionPlan.id).where(ActionPlan.pair_id == pair.id)).first()
        is not None
    )


def _assessment(
    city: Organisation,
    pair: Pair,
    levels: list[int],
    round: AssessmentRound,
    on: date,
    context: tuple[tuple[str, ContextEffect, str], ...] = (),
) -> None:
    if db.session.execute(
        select(Assessment.id).where(
            Assessment.city_id == city.id,
            Assessment.theme_id == pair.theme_id,
            Assessment.round == round,
        )
    ).first():
        return
    factors = pair.theme.factors
    assessment = Assessment(
        city=city,
        theme=pair.theme,
        benchmark_version=latest_version(pair.theme_id),
        round=round,
        assessed_on=on,
        status=AssessmentStatus.COMPLETED,
        completed_at=_at(on),
    )
    assessment.ratings = [
        FactorRating(
            factor=factor,
            level=levels[index] if index < len(levels) else 2,
            evidence="Discussed with the departments concerned.",
        )
        for index, factor in enumerate(factors)
    ]
    context_factors = {factor.key: factor for factor in pair.theme.programme.context_factors}
    assessment.context_notes = [
        ContextNote(context_factor=context_factors[key], effect=effect, note=note)
        for key, effect, note in context
        if key in context_factors
    ]
    db.session.add(assessment)


def _plan(pair: Pair, scenario: Scenario, today: date, coordinator: User | None) -> None:
    factors = pair.theme.factors
    plan = ActionPlan(
        pair=pair,
        status=scenario.plan_status,
        period_start=today - timedelta(days=60),
        period_end=today + timedelta(days=420),
        status_changed_at=_at(today - timedelta(days=14)),
        objective=(
            f"By the end of the scheme, {pair.implementing_city.name} has a shared approach with "
            f"its partners on {pair.theme.title.lower()}, tested in practice and built into the "
            "city's regular work."
        ),
    )
    recommendations = _recommendations(pair)
    for position, (index, status, progress, days) in enumerate(scenario.actions, 1):
        recommendation = recommendations[position - 1] if position <= len(recommendations) else None
        # An action taken from a recommendation works on the recommendation's factor.
        factor = recommendation.factor if recommendation else factors[index % len(factors)]
        action = Action(
            position=position,
            title=_action_title(factor.title),
            status=status,
            progress=progress,
            factors=[factor],
            starts_on=today - timedelta(days=50),
            ends_on=today + timedelta(days=days),
            owner_name="Department for economic affairs",
            indicator="Partners taking part",
            target="12",
            recommendation=recommendation,
            description=recommendation.text if recommendation else "",
        )
        if progress:
            plan.last_progress_at = _at(today - timedelta(days=35))
            action.updates = [
                ProgressUpdate(
                    status=ActionStatus.ON_TRACK,
                    progress=progress // 2,
                    note="First steps taken.",
                    created_at=_at(today - timedelta(days=40)),
                ),
                ProgressUpdate(
                    status=status,
                    progress=progress,
                    note="Update for the partners' meeting.",
                    created_at=_at(today - timedelta(days=35)),
                ),
            ]
        plan.actions.append(action)
    if scenario.plan_status in (PlanStatus.POLITICALLY_ENDORSED, PlanStatus.IN_IMPLEMENTATION):
        plan.endorsements = [
            Endorsement(
                level=EndorsementLevel.ADMINISTRATIVE,
                body="Board of department heads",
                decided_on=today - timedelta(days=45),
                recorded_by=coordinator,
            ),
            Endorsement(
                level=EndorsementLevel.POLITICAL,
                body="City Council decision 2026/117",
                decided_on=today - timedelta(days=30),
                recorded_by=coordinator,
            ),
        ]
    db.session.add(plan)
    db.session.flush()
    record(
        coordinator,
        "plan.status_changed",
        plan,
        N_(
            "Action plan of %(pair)s: now %(status)s",
            pair=pair.label,
            status=in_sentence(scenario.plan_status),
        ),
        pair_id=pair.id,
    )
    for action in plan.actions:
        if action.progress:
            record(
                None,
                "action.progress",
                action,
                N_(
                    "%(city)s posted progress on action '%(title)s' — %(progress)s, %(status)s",
                    city=pair.implementing_city.name,
                    title=action.title,
                    progress=Percent(action.progress),
                    status=in_sentence(action.status),
                ),
                pair_id=pair.id,
            )
    if scenario.plan_status is PlanStatus.UNDER_REVIEW:
        mentor = (
            db.session.execute(select(User).where(User.organisation_id == pair.mentor_city_id))
            .scalars()
            .first()
        )
        db.session.add(
            PlanComment(
                plan_id=plan.id,
                author_id=(mentor or coordinator).id if (mentor or coordinator) else None,
                body="A clear plan. Could the first action name who in the chamber of commerce leads it?",
                created_at=_at(today - timedelta(days=3)),
            )
        )


def _recommendations(pair: Pair) -> list[Recommendation]:
    return list(
        db.session.execute(
            select(Recommendation)
            .join(VisitReport)
            .join(Visit)
            .where(Visit.pair_id == pair.id)
            .order_by(Recommendation.position)
        ).scalars()
    )


def _action_title(factor_title: str) -> str:
    return f"Put in place: {factor_title[0].lower()}{factor_title[1:]}"[:120]


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), UTC)
