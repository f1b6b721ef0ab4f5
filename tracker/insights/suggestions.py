"""Pairing suggestions: mentor cities ranked by their strength where a city is weakest.

The method, as the page states it: the implementing city's weakest factors are the (at most
`WEAKEST`) live factors it rated lowest in its latest completed round, the lower number first
on equal levels. A candidate is strong on one of them when its own latest level there is at
least `STRONG_LEVEL` and above the implementing city's. Candidates rank by how many of those
factors they are strong on, then by how far above the city they are on them in all, then by
fewer pairs already mentored, then by name.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import ngettext

WEAKEST = 4
STRONG_LEVEL = 3


@dataclass(frozen=True)
class Candidate:
    city_id: int
    city_name: str
    levels: dict[int, int]  # by factor id, from its latest completed round
    mentoring: int  # pairs it mentors already, on any theme


@dataclass(frozen=True)
class Suggestion:
    candidate: Candidate
    strong_on: list[int]  # factor numbers
    weakest: list[int]  # factor numbers
    lead: int  # levels above the implementing city on its weakest factors, in all

    @property
    def explanation(self) -> str:
        if not self.strong_on:
            return ngettext(
                "Strong on none of your %(num)d weakest factor.",
                "Strong on none of your %(num)d weakest factors.",
                len(self.weakest),
            )
        return ngettext(
            "Strong on %(strong)d of your %(num)d weakest factor: %(numbers)s",
            "Strong on %(strong)d of your %(num)d weakest factors: %(numbers)s",
            len(self.weakest),
            strong=len(self.strong_on),
            numbers=", ".join(str(number) for number in self.strong_on),
        )


def weakest_factors(levels: dict[int, int], numbers: dict[int, int]) -> list[int]:
    """The ids of the (at most WEAKEST) live factors rated lowest; `numbers` maps the live
    factors' ids to their numbers, so retired or unrated factors never count."""
    rated = [factor_id for factor_id in levels if factor_id in numbers]
    rated.sort(key=lambda factor_id: (levels[factor_id], numbers[factor_id]))
    return rated[:WEAKEST]


def rank(
    levels: dict[int, int], numbers: dict[int, int], candidates: list[Candidate]
) -> list[Suggestion]:
    """The candidates ranked for a city with these levels (empty when it rated nothing)."""
    weakest = weakest_factors(levels, numbers)
    if not weakest:
        return []
    suggestions = []
    for candidate in candidates:
        strong = [
            factor_id
            for factor_id in weakest
            if candidate.levels.get(factor_id, -1) >= STRONG_LEVEL
            and candidate.levels[factor_id] > levels[factor_id]
        ]
        lead = sum(
            max(candidate.levels.get(factor_id, 0) - levels[factor_id], 0) for factor_id in weakest
        )
        suggestions.append(
            Suggestion(
                candidate,
                sorted(numbers[factor_id] for factor_id in strong),
                sorted(numbers[factor_id] for factor_id in weakest),
                lead,
            )
        )
    suggestions.sort(
        key=lambda each: (
            -len(each.strong_on),
            -each.lead,
            each.candidate.mentoring,
            each.candidate.city_name.casefold(),
        )
    )
    return suggestions
