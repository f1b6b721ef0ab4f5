"""Tests of self-assessment rounds, the result view and target levels."""

from datetime import date

from tracker.assessments.models import Assessment, AssessmentRound, AssessmentStatus, FactorRating


def add_round(
    session,
    city,
    theme,
    levels,
    *,
    round=AssessmentRound.BASELINE,
    on=date(2026, 1, 10),
    status=AssessmentStatus.COMPLETED,
):
    """A round of `city` on `theme` with one level per factor in order (None: not rated)."""
    assessment = Assessment(city=city, theme=theme, round=round, assessed_on=on, status=status)
    assessment.ratings = [
        FactorRating(factor=factor, level=level, evidence=f"Evidence for {factor.key}")
        for factor, level in zip(theme.factors, levels, strict=True)
        if level is not None
    ]
    session.add(assessment)
    session.flush()
    return assessment
