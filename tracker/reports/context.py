"""The programme report's context factors: what each implementing city's latest completed round
names as enabling or limiting, and how the cities moved since their baseline, read in one query
whatever the number of pairs and rounds."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa

from tracker.assessments.context import context_change
from tracker.assessments.models import (
    Assessment,
    AssessmentRound,
    AssessmentStatus,
    ContextChange,
    ContextEffect,
    ContextNote,
)
from tracker.catalogue.models import ContextFactor, Theme
from tracker.extensions import db
from tracker.pairs.models import Pair

COUNTED_EFFECTS = (ContextEffect.ENABLING, ContextEffect.NEUTRAL, ContextEffect.LIMITING)
COUNTED_CHANGES = (ContextChange.MORE_ENABLING, ContextChange.MORE_LIMITING)


@dataclass
class ContextCount:
    """How the implementing cities describe one context factor in their latest completed round,
    and how many moved since their baseline."""

    context_factor: ContextFactor
    effects: Counter[ContextEffect] = field(default_factory=Counter)
    changes: Counter[ContextChange] = field(default_factory=Counter)
    not_described: int = 0

    @property
    def cells(self) -> list[int]:
        """Enabling, neutral, limiting, not described; more enabling and more limiting since
        the baseline: the report's columns, on the page and in the workbook."""
        return [
            *(self.effects[effect] for effect in COUNTED_EFFECTS),
            self.not_described,
            *(self.changes[change] for change in COUNTED_CHANGES),
        ]


@dataclass
class CityContexts:
    """The context factors' effects in each implementing city's baseline and latest completed
    round, by (city id, theme id)."""

    latest: dict[tuple[int, int], dict[int, ContextEffect | None]]
    baseline: dict[tuple[int, int], dict[int, ContextEffect | None]]  # when a later round exists


def city_key(pair: Pair) -> tuple[int, int]:
    return pair.implementing_city_id, pair.theme_id


def city_contexts(in_programme: sa.ColumnElement[bool]) -> CityContexts:
    """Every implementing city's context notes in its completed rounds on its pairs' themes,
    in one query, reduced to the baseline's and the latest round's effects."""
    implements = sa.exists().where(
        Pair.theme_id == Assessment.theme_id, Pair.implementing_city_id == Assessment.city_id
    )
    rows = db.session.execute(
        sa.select(
            Assessment.id,
            Assessment.city_id,
            Assessment.theme_id,
            Assessment.round,
            ContextNote.context_factor_id,
            ContextNote.effect,
        )
        .select_from(Assessment)
        .join(Theme, Theme.id == Assessment.theme_id)
        .outerjoin(ContextNote, ContextNote.assessment_id == Assessment.id)
        .where(in_programme, Assessment.status == AssessmentStatus.COMPLETED, implements)
    )
    rounds: dict[tuple[int, int], dict[AssessmentRound, dict[int, ContextEffect | None]]] = {}
    for _id, city_id, theme_id, round_, context_factor_id, effect in rows:
        notes = rounds.setdefault((city_id, theme_id), {}).setdefault(round_, {})
        if context_factor_id is not None:
            notes[context_factor_id] = effect
    order = list(AssessmentRound)
    latest, baseline = {}, {}
    for key, by_round in rounds.items():
        last = max(by_round, key=order.index)
        latest[key] = by_round[last]
        if last is not AssessmentRound.BASELINE and AssessmentRound.BASELINE in by_round:
            baseline[key] = by_round[AssessmentRound.BASELINE]
    return CityContexts(latest, baseline)


def context_counts(
    context_factors: list[ContextFactor], contexts: CityContexts, pairs: list[Pair]
) -> list[ContextCount]:
    """Per context factor, the implementing cities' latest effects and changes since the
    baseline (a city implementing two pairs of a theme counts once)."""
    keys = sorted({city_key(pair) for pair in pairs} & contexts.latest.keys())
    counts = []
    for context_factor in context_factors:
        count = ContextCount(context_factor)
        for key in keys:
            effect = contexts.latest[key].get(context_factor.id)
            if effect is None:
                count.not_described += 1
            else:
                count.effects[effect] += 1
            if key in contexts.baseline:
                change = context_change(contexts.baseline[key].get(context_factor.id), effect)
                if change is not None:
                    count.changes[change] += 1
        counts.append(count)
    return counts
