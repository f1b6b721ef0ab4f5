"""Reading what cities record about their context: each context factor of the programme
across a city's completed rounds, how it changed since the baseline, and which ones the city
finds most enabling or limiting."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tracker.assessments.models import (
    Assessment,
    AssessmentRound,
    AssessmentStatus,
    ContextChange,
    ContextEffect,
    ContextNote,
)
from tracker.catalogue.models import ContextFactor
from tracker.extensions import db

ROUND_ORDER = list(AssessmentRound)


def programme_context_factors(programme_id: int) -> list[ContextFactor]:
    """The programme's context factors, in order."""
    return list(
        db.session.execute(
            sa.select(ContextFactor)
            .where(ContextFactor.programme_id == programme_id)
            .order_by(ContextFactor.position)
        ).scalars()
    )


def context_change(
    baseline: ContextEffect | None, latest: ContextEffect | None
) -> ContextChange | None:
    """How a context factor's effect moved from the baseline to a later round (None when the
    later round does not describe it)."""
    if latest is None:
        return None
    if baseline is None:
        return ContextChange.NEWLY_DESCRIBED
    if latest.weight > baseline.weight:
        return ContextChange.MORE_ENABLING
    if latest.weight < baseline.weight:
        return ContextChange.MORE_LIMITING
    return ContextChange.UNCHANGED


@dataclass(frozen=True)
class ContextResult:
    """One context factor of the programme across a city's completed rounds."""

    context_factor: ContextFactor
    notes: list[ContextNote | None]  # one per completed round, in round order
    change: ContextChange | None  # baseline to latest, once a later round is completed
    streak: int  # completed rounds in a row, up to the latest, that gave the latest effect

    @property
    def latest(self) -> ContextNote | None:
        return self.notes[-1] if self.notes else None

    @property
    def first(self) -> ContextNote | None:
        return self.notes[0] if self.notes else None

    @property
    def effect(self) -> ContextEffect | None:
        return self.latest.effect if self.latest else None

    @property
    def note(self) -> str:
        return self.latest.note if self.latest else ""


@dataclass
class CityContext:
    """What a city records as enabling or limiting the change, round by round."""

    rounds: list[Assessment]  # its completed rounds on the theme, in round order
    results: list[ContextResult]

    @property
    def latest(self) -> Assessment | None:
        return self.rounds[-1] if self.rounds else None

    @property
    def baseline(self) -> Assessment | None:
        first = self.rounds[0] if self.rounds else None
        return first if first is not None and first.round is AssessmentRound.BASELINE else None

    @property
    def compares(self) -> bool:
        """Whether a round later than the baseline is completed, so changes can be told."""
        return self.baseline is not None and len(self.rounds) > 1

    @property
    def is_described(self) -> bool:
        """Whether any completed round says something about the context."""
        return any(note is not None for result in self.results for note in result.notes)

    def by_effect(self) -> list[tuple[ContextEffect, list[ContextResult]]]:
        """Enabling, limiting and neutral factors of the latest round, strongest first."""
        order = (ContextEffect.ENABLING, ContextEffect.LIMITING, ContextEffect.NEUTRAL)
        return [(effect, self.strongest(effect)) for effect in order]

    def strongest(self, effect: ContextEffect, limit: int | None = None) -> list[ContextResult]:
        """The factors the latest round gives this effect, strongest first: those that kept it
        over more rounds in a row, then those the city explained with a note, in the
        programme's order."""
        found = [result for result in self.results if result.effect is effect]
        found.sort(key=lambda r: (-r.streak, not r.note, r.context_factor.position))
        return found[:limit] if limit is not None else found


def context_across(context_factors: list[ContextFactor], rounds: list[Assessment]) -> CityContext:
    """Each context factor across the completed `rounds` (their context notes loaded)."""
    rounds = sorted(rounds, key=lambda assessment: ROUND_ORDER.index(assessment.round))
    by_round = [{note.context_factor_id: note for note in r.context_notes} for r in rounds]
    context = CityContext(rounds, [])
    results = context.results
    for context_factor in context_factors:
        notes = [notes.get(context_factor.id) for notes in by_round]
        effects = [note.effect if note else None for note in notes]
        streak = 0
        for effect in reversed(effects):
            if effect is None or effect is not effects[-1]:
                break
            streak += 1
        results.append(
            ContextResult(
                context_factor=context_factor,
                notes=notes,
                change=context_change(effects[0], effects[-1]) if context.compares else None,
                streak=streak,
            )
        )
    return context


def city_context(city_id: int, theme_id: int, programme_id: int) -> CityContext:
    """What the city records about its context in its completed rounds on the theme."""
    rounds = db.session.execute(
        sa.select(Assessment)
        .where(
            Assessment.city_id == city_id,
            Assessment.theme_id == theme_id,
            Assessment.status == AssessmentStatus.COMPLETED,
        )
        .options(selectinload(Assessment.context_notes))
    ).scalars()
    return context_across(programme_context_factors(programme_id), list(rounds))
