"""The benchmark across cities: every city that assessed itself on a theme × every factor.

Built from plain rows (`CityRound`, `FactorColumn`) so the rules (which round is shown, which
factors appear, averages, the change since the baseline) are tested without a database; the
queries in `queries.py` read those rows in a fixed number of statements.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from tracker.assessments.models import AssessmentRound


class RoundChoice(enum.Enum):
    BASELINE = "baseline"
    LATEST = "latest"
    FINAL = "final"


class RoleChoice(enum.Enum):
    ALL = "all"
    IMPLEMENTING = "implementing"
    MENTOR = "mentor"


@dataclass(frozen=True)
class FactorColumn:
    id: int
    key: str
    number: int
    title: str
    is_live: bool


@dataclass(frozen=True)
class CityRound:
    """One completed round of one city, with its levels by factor id."""

    city_id: int
    city_name: str
    round: AssessmentRound
    assessed_on: date
    assessment_id: int
    levels: dict[int, int]


@dataclass
class MatrixRow:
    city_id: int
    city_name: str
    shown: CityRound
    # The mean change per factor rated in both rounds; None without a baseline to compare.
    change: float | None
    compared_factors: int

    def level(self, factor_id: int) -> int | None:
        return self.shown.levels.get(factor_id)


@dataclass
class Matrix:
    columns: list[FactorColumn]
    rows: list[MatrixRow]
    averages: dict[int, float | None] = field(default_factory=dict)


def _shown_round(rounds: list[CityRound], choice: RoundChoice) -> CityRound | None:
    if choice is RoundChoice.LATEST:
        return max(rounds, key=lambda each: (each.assessed_on, each.assessment_id), default=None)
    wanted = AssessmentRound.BASELINE if choice is RoundChoice.BASELINE else AssessmentRound.FINAL
    return next((each for each in rounds if each.round is wanted), None)


def _change(shown: CityRound, baseline: CityRound | None) -> tuple[float | None, int]:
    if baseline is None or baseline.assessment_id == shown.assessment_id:
        return None, 0
    both = [key for key in shown.levels if key in baseline.levels]
    if not both:
        return None, 0
    total = sum(shown.levels[key] - baseline.levels[key] for key in both)
    return round(total / len(both), 2), len(both)


def build_matrix(
    factors: list[FactorColumn],
    rounds: Iterable[CityRound],
    *,
    choice: RoundChoice = RoundChoice.LATEST,
    cities: set[int] | None = None,
    sort: str = "city",
) -> Matrix:
    """The matrix of the shown round of each city (of `cities`, when given), its columns the
    live factors and the retired ones that a shown round rated, in benchmark order.

    `sort` is "city" (by name) or a factor's key (highest level first, unrated last)."""
    by_city: dict[int, list[CityRound]] = {}
    for each in rounds:
        if cities is None or each.city_id in cities:
            by_city.setdefault(each.city_id, []).append(each)
    rows = []
    for city_rounds in by_city.values():
        shown = _shown_round(city_rounds, choice)
        if shown is None:
            continue
        change, compared = _change(shown, _shown_round(city_rounds, RoundChoice.BASELINE))
        rows.append(MatrixRow(shown.city_id, shown.city_name, shown, change, compared))
    rated = {factor_id for row in rows for factor_id in row.shown.levels}
    columns = [factor for factor in factors if factor.is_live or factor.id in rated]
    averages = {}
    for column in columns:
        levels = [row.level(column.id) for row in rows if row.level(column.id) is not None]
        averages[column.id] = round(sum(levels) / len(levels), 2) if levels else None
    rows.sort(key=lambda row: row.city_name.casefold())
    sorted_by = next((column for column in columns if column.key == sort), None)
    if sorted_by is not None:
        rows.sort(
            key=lambda row: -1 if row.level(sorted_by.id) is None else row.level(sorted_by.id),
            reverse=True,
        )
    return Matrix(columns, rows, averages)
