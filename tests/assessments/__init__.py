"""Tests of self-assessment rounds, the result view and target levels."""

from datetime import date

from tracker.assessments.models import (
    Assessment,
    AssessmentRound,
    AssessmentStatus,
    ContextNote,
    FactorRating,
    QuestionAnswer,
)
from tracker.benchmarks.queries import latest_version


def add_round(
    session,
    city,
    theme,
    levels,
    *,
    round=AssessmentRound.BASELINE,
    on=date(2026, 1, 10),
    status=AssessmentStatus.COMPLETED,
    answers=(),
    context=(),
):
    """A round of `city` on `theme` with one level per factor in order (None: not rated), and
    `answers` as (question, answer, note) and `context` as (context factor, effect, note)."""
    assessment = Assessment(
        city=city,
        theme=theme,
        benchmark_version=latest_version(theme.id),
        round=round,
        assessed_on=on,
        status=status,
    )
    assessment.ratings = [
        FactorRating(factor=factor, level=level, evidence=f"Evidence for {factor.key}")
        for factor, level in zip(theme.factors, levels, strict=True)
        if level is not None
    ]
    assessment.answers = [
        QuestionAnswer(question=question, answer=answer, note=note)
        for question, answer, note in answers
    ]
    assessment.context_notes = [
        ContextNote(context_factor=context_factor, effect=effect, note=note)
        for context_factor, effect, note in context
    ]
    session.add(assessment)
    session.flush()
    return assessment
