"""Reading self-assessments: a city's latest levels, one round with what it rates, and a pair's
rounds and results, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from tracker.assessments.context import CityContext, context_across, programme_context_factors
from tracker.assessments.models import (
    Assessment,
    AssessmentRound,
    AssessmentStatus,
    ContextNote,
    FactorRating,
    FactorTarget,
    QuestionAnswer,
)
from tracker.benchmarks.content import Benchmark, FactorText
from tracker.catalogue.models import ContextFactor, Factor
from tracker.extensions import db
from tracker.pairs.loading import with_pair
from tracker.pairs.models import Pair

ROUND_ORDER = list(AssessmentRound)


def latest_completed_round(city_id: int, theme_id: int) -> Assessment | None:
    """The city's latest completed self-assessment round on the theme, with its ratings."""
    return db.session.execute(
        _latest_completed_select(city_id, theme_id, Assessment).options(
            selectinload(Assessment.ratings)
        )
    ).scalar_one_or_none()


def _latest_completed_select(city_id: int, theme_id: int, *columns: Any) -> sa.Select[Any]:
    return (
        sa.select(*columns)
        .where(
            Assessment.city_id == city_id,
            Assessment.theme_id == theme_id,
            Assessment.status == AssessmentStatus.COMPLETED,
        )
        .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
        .limit(1)
    )


def latest_ratings(city_id: int, theme_id: int) -> dict[int, FactorRating]:
    """The city's ratings from its latest completed self-assessment on the theme, by factor."""
    latest = latest_completed_round(city_id, theme_id)
    if latest is None:
        return {}
    return {rating.factor_id: rating for rating in latest.ratings if rating.level is not None}


def latest_levels(city_id: int, theme_id: int) -> dict[int, int]:
    """The levels of the city's latest completed self-assessment on the theme, by factor id:
    one query for the levels alone (the plan page needs no round or rating objects)."""
    latest = _latest_completed_select(city_id, theme_id, Assessment.id).scalar_subquery()
    return dict(
        db.session.execute(
            sa.select(FactorRating.factor_id, FactorRating.level).where(
                FactorRating.assessment_id == latest, FactorRating.level.is_not(None)
            )
        ).all()
    )


def has_completed_round(city_id: int, theme_id: int) -> bool:
    """Whether the city has completed at least one round on the theme."""
    return db.session.execute(
        sa.select(
            sa.exists().where(
                Assessment.city_id == city_id,
                Assessment.theme_id == theme_id,
                Assessment.status == AssessmentStatus.COMPLETED,
            )
        )
    ).scalar_one()


def previous_completed_round(
    city_id: int, theme_id: int, round: AssessmentRound
) -> Assessment | None:
    """The city's latest completed round on the theme before a round of kind `round` (a
    mid-term round's baseline), with its ratings, answers and context notes."""
    earlier = ROUND_ORDER[: ROUND_ORDER.index(round)]
    if not earlier:
        return None
    return db.session.execute(
        sa.select(Assessment)
        .where(
            Assessment.city_id == city_id,
            Assessment.theme_id == theme_id,
            Assessment.status == AssessmentStatus.COMPLETED,
            Assessment.round.in_(earlier),
        )
        .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
        .limit(1)
        .options(
            selectinload(Assessment.ratings),
            selectinload(Assessment.answers),
            selectinload(Assessment.context_notes),
        )
    ).scalar_one_or_none()


def city_rounds(city_id: int, theme_id: int) -> list[Assessment]:
    """The city's rounds on the theme, in round order."""
    rounds = db.session.execute(
        sa.select(Assessment).where(Assessment.city_id == city_id, Assessment.theme_id == theme_id)
    ).scalars()
    return sorted(rounds, key=lambda assessment: ROUND_ORDER.index(assessment.round))


def assessment_pairs(assessment: Assessment) -> list[Pair]:
    """The pairs a round belongs to: those of its theme its city is in, implementing first."""
    return list(
        db.session.execute(
            sa.select(Pair)
            .where(
                Pair.theme_id == assessment.theme_id,
                sa.or_(
                    Pair.implementing_city_id == assessment.city_id,
                    Pair.mentor_city_id == assessment.city_id,
                ),
            )
            .options(*with_pair())
            .order_by(
                sa.case((Pair.implementing_city_id == assessment.city_id, 0), else_=1), Pair.id
            )
        ).scalars()
    )


def round_benchmark(assessment: Assessment) -> Benchmark:
    """The benchmark as the round's version says it: what the round rates and shows."""
    return Benchmark.from_json(assessment.benchmark_version.content)


@dataclass
class RoundContent:
    """What a round's page shows: the benchmark, the programme's context, and the answers."""

    factors: list[FactorText]
    context_factors: list[ContextFactor]
    ratings: dict[int, FactorRating]
    answers: dict[int, QuestionAnswer]
    notes: dict[int, ContextNote]
    previous: Assessment | None  # the city's latest completed round before this one
    previous_levels: dict[int, int] = field(default_factory=dict)

    @property
    def rated_count(self) -> int:
        return sum(1 for factor in self.factors if self.level_of(factor) is not None)

    @property
    def anchors(self) -> set[str]:
        """The parts of the round's page a save may bring the person back to."""
        return (
            {f"factor-{factor.id}" for factor in self.factors}
            | {f"context-{context_factor.id}" for context_factor in self.context_factors}
            | {"carried-over", "round-actions"}
        )

    def has_carried_over(self, factor: FactorText) -> bool:
        """Whether the factor's level, evidence or an answer is still only carried over."""
        rating = self.ratings.get(factor.id)
        return bool(rating and rating.carried_over) or any(
            answer.carried_over
            for question in factor.guide_questions
            if (answer := self.answers.get(question.id)) is not None
        )

    def context_carried_over(self, context_factor: ContextFactor) -> bool:
        note = self.notes.get(context_factor.id)
        return bool(note and note.carried_over)

    def level_of(self, factor: FactorText) -> int | None:
        rating = self.ratings.get(factor.id)
        return rating.level if rating else None


def round_content(assessment: Assessment) -> RoundContent:
    """Load everything a round's page shows in a fixed number of queries."""
    db.session.execute(
        sa.select(Assessment)
        .where(Assessment.id == assessment.id)
        .options(
            selectinload(Assessment.ratings),
            selectinload(Assessment.answers),
            selectinload(Assessment.context_notes),
        )
    ).scalar_one()
    context_factors = db.session.execute(
        sa.select(ContextFactor)
        .where(ContextFactor.programme_id == assessment.theme.programme_id)
        .order_by(ContextFactor.position)
    ).scalars()
    previous = previous_completed_round(assessment.city_id, assessment.theme_id, assessment.round)
    return RoundContent(
        factors=list(round_benchmark(assessment).factors),
        context_factors=list(context_factors),
        ratings={rating.factor_id: rating for rating in assessment.ratings},
        answers={answer.question_id: answer for answer in assessment.answers},
        notes={note.context_factor_id: note for note in assessment.context_notes},
        previous=previous,
        previous_levels=_levels(previous),
    )


@dataclass(frozen=True)
class FactorResult:
    """One factor of the result view: the implementing city's levels and the mentor's."""

    factor: Factor
    baseline: int | None
    latest: int | None
    change: int | None  # latest minus baseline, once a later round than the baseline is done
    target: int | None
    mentor: int | None
    # The baseline was taken against a version without this factor (added later).
    no_baseline: bool = False


@dataclass
class PairAssessments:
    """A pair's self-assessment rounds (both cities) and the implementing city's results."""

    pair: Pair
    factors: list[Factor]
    rounds: dict[int, list[Assessment]]  # by city id, in round order
    baseline: Assessment | None  # the implementing city's completed baseline
    latest: Assessment | None  # the implementing city's latest completed round
    mentor_latest: Assessment | None
    results: list[FactorResult]
    context: CityContext  # the implementing city's context factors, round by round

    def rounds_of(self, city_id: int) -> list[Assessment]:
        return self.rounds.get(city_id, [])

    @property
    def has_change(self) -> bool:
        return any(result.change is not None for result in self.results)

    @property
    def has_targets(self) -> bool:
        return any(result.target is not None for result in self.results)

    @property
    def has_mentor(self) -> bool:
        return self.mentor_latest is not None


def pair_assessments(pair: Pair) -> PairAssessments:
    """Both cities' rounds on the pair's theme and the implementing city's results per factor,
    in a fixed number of queries whatever the number of factors and rounds. Rounds taken
    against different versions compare by factor: a retired factor shows while a round
    rated it, and a factor added after the baseline has no baseline."""
    assessments = list(
        db.session.execute(
            sa.select(Assessment)
            .where(
                Assessment.theme_id == pair.theme_id,
                Assessment.city_id.in_([pair.implementing_city_id, pair.mentor_city_id]),
            )
            .options(
                selectinload(Assessment.ratings),
                selectinload(Assessment.context_notes),
                joinedload(Assessment.benchmark_version),
            )
        ).scalars()
    )
    rated = {rating.factor_id for a in assessments for rating in a.ratings}
    factors = list(
        db.session.execute(
            sa.select(Factor)
            .where(Factor.theme_id == pair.theme_id, sa.or_(Factor.is_live, Factor.id.in_(rated)))
            .order_by(Factor.retired_in_version.is_not(None), Factor.position)
        ).scalars()
    )
    rounds: dict[int, list[Assessment]] = {}
    for assessment in sorted(assessments, key=lambda a: ROUND_ORDER.index(a.round)):
        rounds.setdefault(assessment.city_id, []).append(assessment)
    targets = dict(
        db.session.execute(
            sa.select(FactorTarget.factor_id, FactorTarget.level)
            .join(Factor, Factor.id == FactorTarget.factor_id)
            .where(
                FactorTarget.city_id == pair.implementing_city_id,
                Factor.theme_id == pair.theme_id,
            )
        ).all()
    )
    implementing = rounds.get(pair.implementing_city_id, [])
    baseline = next(
        (a for a in implementing if a.round is AssessmentRound.BASELINE and _completed(a)), None
    )
    latest = _latest_completed(implementing)
    mentor_latest = _latest_completed(rounds.get(pair.mentor_city_id, []))
    baseline_levels, latest_levels_, mentor_levels = map(_levels, (baseline, latest, mentor_latest))
    baseline_asked = round_benchmark(baseline).factor_ids if baseline else set()
    results = []
    for factor in factors:
        start, now = baseline_levels.get(factor.id), latest_levels_.get(factor.id)
        later = latest is not None and latest is not baseline
        results.append(
            FactorResult(
                factor=factor,
                baseline=start,
                latest=now,
                change=now - start if later and start is not None and now is not None else None,
                target=targets.get(factor.id),
                mentor=mentor_levels.get(factor.id),
                no_baseline=baseline is not None and factor.id not in baseline_asked,
            )
        )
    context = context_across(
        programme_context_factors(pair.theme.programme_id),
        [assessment for assessment in implementing if _completed(assessment)],
    )
    # Targets are set on the live factors only.
    factors = [factor for factor in factors if factor.is_live]
    return PairAssessments(pair, factors, rounds, baseline, latest, mentor_latest, results, context)


def _latest_completed(rounds: list[Assessment]) -> Assessment | None:
    completed = [assessment for assessment in rounds if _completed(assessment)]
    return max(completed, key=lambda a: (a.assessed_on, a.id), default=None)


def _completed(assessment: Assessment) -> bool:
    return assessment.status is AssessmentStatus.COMPLETED


def _levels(assessment: Assessment | None) -> dict[int, int]:
    if assessment is None:
        return {}
    return {r.factor_id: r.level for r in assessment.ratings if r.level is not None}
