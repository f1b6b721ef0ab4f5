"""Reading what the insights show, in a fixed number of statements whatever the number of
cities: the theme's factors, its completed rounds and their levels, its pairs."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from tracker.assessments.models import Assessment, AssessmentStatus, FactorRating
from tracker.catalogue.models import Factor
from tracker.extensions import db
from tracker.insights.matrix import CityRound, FactorColumn, RoleChoice
from tracker.insights.suggestions import Candidate, Suggestion, rank
from tracker.organisations.models import Organisation, OrganisationKind
from tracker.pairs.models import Pair, PairStatus


def factor_columns(theme_id: int) -> list[FactorColumn]:
    """Every factor of the theme, retired ones included, in benchmark order."""
    rows = db.session.execute(
        sa.select(Factor).where(Factor.theme_id == theme_id).order_by(Factor.position, Factor.id)
    ).scalars()
    return [FactorColumn(f.id, f.key, f.position, f.title, f.is_live) for f in rows]


def completed_rounds(theme_id: int) -> list[CityRound]:
    """Every completed round on the theme, with its levels (two statements)."""
    completed = (
        Assessment.theme_id == theme_id,
        Assessment.status == AssessmentStatus.COMPLETED,
    )
    levels: dict[int, dict[int, int]] = {}
    for assessment_id, factor_id, level in db.session.execute(
        sa.select(FactorRating.assessment_id, FactorRating.factor_id, FactorRating.level)
        .join(Assessment, Assessment.id == FactorRating.assessment_id)
        .where(*completed, FactorRating.level.is_not(None))
    ):
        levels.setdefault(assessment_id, {})[factor_id] = level
    rows = db.session.execute(
        sa.select(
            Assessment.id,
            Assessment.city_id,
            Organisation.name,
            Assessment.round,
            Assessment.assessed_on,
        )
        .join(Organisation, Organisation.id == Assessment.city_id)
        .where(*completed)
    )
    return [
        CityRound(city_id, name, round_, assessed_on, assessment_id, levels.get(assessment_id, {}))
        for assessment_id, city_id, name, round_, assessed_on in rows
    ]


def cities_in_role(theme_id: int, role: RoleChoice) -> set[int] | None:
    """The cities implementing (or mentoring) in a pair on the theme; None for every city."""
    if role is RoleChoice.ALL:
        return None
    column = Pair.implementing_city_id if role is RoleChoice.IMPLEMENTING else Pair.mentor_city_id
    return set(
        db.session.execute(
            sa.select(column).where(Pair.theme_id == theme_id, Pair.status != PairStatus.WITHDRAWN)
        ).scalars()
    )


def cities() -> list[Organisation]:
    """Every city in the tracker, by name."""
    return list(
        db.session.execute(
            sa.select(Organisation)
            .where(Organisation.kind == OrganisationKind.CITY)
            .order_by(Organisation.name)
        ).scalars()
    )


def partners_on_theme(city_id: int, theme_id: int) -> set[int]:
    """The cities already paired with this one on the theme, in either role."""
    rows = db.session.execute(
        sa.select(Pair.mentor_city_id, Pair.implementing_city_id).where(
            Pair.theme_id == theme_id,
            sa.or_(Pair.mentor_city_id == city_id, Pair.implementing_city_id == city_id),
        )
    )
    return {city for pair in rows for city in pair} - {city_id}


def mentoring_counts() -> dict[int, int]:
    """How many live or completed pairs each city mentors, on any theme."""
    return dict(
        db.session.execute(
            sa.select(Pair.mentor_city_id, sa.func.count(Pair.id))
            .where(Pair.status != PairStatus.WITHDRAWN)
            .group_by(Pair.mentor_city_id)
        ).all()
    )


def latest_levels_by_city(rounds: list[CityRound]) -> dict[int, CityRound]:
    """Each city's latest completed round."""
    latest: dict[int, CityRound] = {}
    for each in rounds:
        known = latest.get(each.city_id)
        if known is None or (each.assessed_on, each.assessment_id) > (
            known.assessed_on,
            known.assessment_id,
        ):
            latest[each.city_id] = each
    return latest


def candidates_for(
    city_id: int, theme_id: int, rounds: list[CityRound], every_city: list[Organisation]
) -> tuple[list[Candidate], list[Organisation]]:
    """The candidate mentors with a completed round on the theme, and the cities without one,
    out of `every_city` (by name), leaving out the city itself and the cities already paired
    with it on the theme."""
    latest = latest_levels_by_city(rounds)
    left_out = partners_on_theme(city_id, theme_id) | {city_id}
    counts = mentoring_counts()
    assessed, unassessed = [], []
    for city in every_city:
        if city.id in left_out:
            continue
        if city.id in latest:
            assessed.append(
                Candidate(city.id, city.name, latest[city.id].levels, counts.get(city.id, 0))
            )
        else:
            unassessed.append(city)
    return assessed, unassessed


@dataclass
class MentorSuggestions:
    """The ranked candidate mentors for the chosen city (None when it has no completed round
    on the theme), and the cities that cannot be compared for want of a round."""

    chosen: CityRound | None
    ranked: list[Suggestion] = field(default_factory=list)
    unassessed: list[Organisation] = field(default_factory=list)


def suggest_mentors(
    theme_id: int,
    city_id: int | None,
    rounds: list[CityRound] | None = None,
    every_city: list[Organisation] | None = None,
) -> MentorSuggestions:
    """The mentor suggestions for a city on a theme (`rounds`: the theme's completed rounds,
    and `every_city`: `cities()`, when the caller has read them already)."""
    if rounds is None:
        rounds = completed_rounds(theme_id)
    chosen = latest_levels_by_city(rounds).get(city_id or 0)
    if chosen is None:
        return MentorSuggestions(None)
    numbers = {column.id: column.number for column in factor_columns(theme_id) if column.is_live}
    candidates, unassessed = candidates_for(
        chosen.city_id, theme_id, rounds, cities() if every_city is None else every_city
    )
    return MentorSuggestions(chosen, rank(chosen.levels, numbers, candidates), unassessed)
