"""Taking a self-assessment: starting a round, saving and completing it, reopening it, and
setting the target level per factor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.exc import IntegrityError

from tracker.assessments.carry_over import (
    ANSWER,
    CONTEXT,
    RATING,
    Kind,
    carried_rows,
    carry_over,
    confirm_all_carried,
    refuse_carried_over,
    settles,
)
from tracker.assessments.models import (
    Answer,
    Assessment,
    AssessmentRound,
    AssessmentStatus,
    ContextEffect,
    FactorTarget,
)
from tracker.assessments.queries import (
    ROUND_ORDER,
    city_rounds,
    has_completed_round,
    previous_completed_round,
    round_benchmark,
)
from tracker.assessments.scale import is_on_scale
from tracker.audit.service import record
from tracker.auth.models import User
from tracker.benchmarks.content import Benchmark
from tracker.benchmarks.queries import latest_version
from tracker.catalogue.models import ContextFactor, Factor
from tracker.dates import long_date
from tracker.db import utcnow
from tracker.exceptions import RuleViolation
from tracker.extensions import db
from tracker.locking import check_version, touch
from tracker.messages import N_, in_sentence
from tracker.pairs.models import Pair


@dataclass
class RatingInput:
    factor_id: int
    level: int | None
    evidence: str = ""
    confirmed: bool = False  # a carried-over level and evidence are still true


@dataclass
class AnswerInput:
    question_id: int
    answer: Answer | None
    note: str = ""
    confirmed: bool = False


@dataclass
class ContextInput:
    context_factor_id: int
    effect: ContextEffect | None
    note: str = ""
    confirmed: bool = False


def start_round(
    actor: User, pair: Pair, city_id: int, round: AssessmentRound, assessed_on: date
) -> Assessment:
    """Start a city's round on the pair's theme: one of each kind, the baseline completed first.
    A mid-term or final round starts with the answers of the city's latest completed round
    before it, marked carried over."""
    if city_id not in pair.city_ids:
        raise RuleViolation(_("Only the two cities of the pair assess themselves here."))
    rounds = city_rounds(city_id, pair.theme_id)
    if any(existing.round is round for existing in rounds):
        raise RuleViolation(
            _(
                "Your city already has a %(round)s round on this theme. Open it from the list "
                "of rounds instead of starting another.",
                round=str(round.label).lower(),
            ),
            "round",
        )
    if round is not AssessmentRound.BASELINE and not any(
        existing.round is AssessmentRound.BASELINE and existing.status is AssessmentStatus.COMPLETED
        for existing in rounds
    ):
        raise RuleViolation(
            _(
                "Complete the baseline round before starting a %(round)s round.",
                round=str(round.label).lower(),
            ),
            "round",
        )
    _check_date_order(rounds, round, assessed_on)
    version = latest_version(pair.theme_id)
    if version is None:
        raise RuleViolation(
            _(
                "Theme %(code)s has no published benchmark yet, so there is nothing to rate. "
                "Its benchmark is published from the theme's page in the catalogue.",
                code=pair.theme.code,
            ),
            "round",
        )
    assessment = Assessment(
        city_id=city_id,
        theme_id=pair.theme_id,
        benchmark_version=version,
        round=round,
        assessed_on=assessed_on,
    )
    source = previous_completed_round(city_id, pair.theme_id, round)
    benchmark = Benchmark.from_json(version.content)
    asked = {RATING: benchmark.factor_ids, ANSWER: benchmark.question_ids}
    copied = carry_over(assessment, source, asked) if source is not None else 0
    db.session.add(assessment)
    try:
        db.session.flush()
    except IntegrityError as error:  # someone started the same round a moment ago
        raise RuleViolation(
            _(
                "Your city already has a %(round)s round on this theme.",
                round=str(round.label).lower(),
            ),
            "round",
        ) from error
    started = {
        "round": in_sentence(round),
        "city": _city_name(pair, city_id),
        "theme": pair.theme.code,
        "date": assessed_on,
        "number": version.number,
    }
    record(
        actor,
        "assessment.started",
        assessment,
        N_(
            "Started the %(round)s self-assessment of %(city)s on theme %(theme)s (%(date)s, "
            "%(count)d answers carried over from the %(source)s round), against version "
            "%(number)d of the benchmark",
            count=copied,
            source=in_sentence(source.round),
            **started,
        )
        if source is not None
        else N_(
            "Started the %(round)s self-assessment of %(city)s on theme %(theme)s (%(date)s), "
            "against version %(number)d of the benchmark",
            **started,
        ),
        pair_id=pair.id,
        round=round,
        benchmark_version=version.number,
        city_id=city_id,
        carried_from=source.id if source is not None else None,
        carried_over=copied,
    )
    return assessment


def save_round(
    actor: User,
    assessment: Assessment,
    *,
    pair_id: int,
    assessed_on: date,
    ratings: list[RatingInput],
    answers: list[AnswerInput],
    context: list[ContextInput],
    expected_version: int | None,
    complete: bool = False,
    confirm_all: bool = False,
) -> Assessment:
    """Save a draft round's ratings, answers and context notes; an answer carried over from
    the previous round stays so until it is changed or confirmed (one by one, or all at once
    with `confirm_all`). Completing locks the round and needs every factor of the
    theme rated and nothing left only carried over."""
    if assessment.status is AssessmentStatus.COMPLETED:
        raise RuleViolation(
            _("This round is completed and locked. A coordinator can reopen it if it must change.")
        )
    check_version(assessment, expected_version)
    _check_date_order(
        city_rounds(assessment.city_id, assessment.theme_id),
        assessment.round,
        assessed_on,
        ignore=assessment,
    )
    benchmark = round_benchmark(assessment)
    factors = list(benchmark.factors)
    settled = _sync_ratings(assessment, ratings, benchmark.factor_ids)
    settled += _sync_answers(assessment, answers, benchmark.question_ids)
    settled += _sync_context(assessment, context)
    assessment.assessed_on = assessed_on
    # Bump the version even when only answers changed (and even if the clock has not moved).
    touch(assessment)
    if confirm_all:
        confirm_all_carried(actor, assessment, pair_id)
    levels = {r.factor_id: r.level for r in assessment.ratings if r.level is not None}
    if complete:
        unrated = [factor for factor in factors if factor.id not in levels]
        if unrated:
            message = ngettext(
                "Rate every factor to complete the round. Not rated yet: %(factors)s.",
                "Rate every factor to complete the round. %(num)d factors are not rated "
                "yet: %(factors)s.",
                len(unrated),
                factors="; ".join(str(factor) for factor in unrated),
            )
            # Each unrated factor's level too, so the form marks it and the summary links to it.
            level_missing = _("Choose a level to complete the round.")
            raise RuleViolation(
                message,
                problems=[
                    (None, message),
                    *((f"level_{factor.id}", level_missing) for factor in unrated),
                ],
            )
        refuse_carried_over(assessment, factors)
        assessment.status = AssessmentStatus.COMPLETED
        assessment.completed_at = utcnow()
        assessment.completed_by_id = actor.id
    db.session.flush()
    counted = {
        "round": in_sentence(assessment.round),
        "city": assessment.city.name,
        "theme": assessment.theme.code,
        "rated": len(levels),
        "factors": len(factors),
    }
    record(
        actor,
        "assessment.completed" if complete else "assessment.saved",
        assessment,
        (
            N_(
                "Completed the %(round)s self-assessment of %(city)s on theme %(theme)s "
                "(%(rated)d of %(factors)d factors rated)",
                **counted,
            )
            if complete
            else N_(
                "Saved the %(round)s self-assessment of %(city)s on theme %(theme)s "
                "(%(rated)d of %(factors)d factors rated)",
                **counted,
            )
        ),
        pair_id=pair_id,
        rated=len(levels),
        factors=len(factors),
        carried_over_settled=settled,
        carried_over_left=len(carried_rows(assessment)),
    )
    return assessment


def reopen_round(actor: User, assessment: Assessment, *, pair_id: int) -> Assessment:
    """Make a completed round a draft again, so its city can correct it."""
    if assessment.status is not AssessmentStatus.COMPLETED:
        raise RuleViolation(_("Only a completed round can be reopened."))
    assessment.status = AssessmentStatus.DRAFT
    assessment.completed_at = None
    assessment.completed_by_id = None
    db.session.flush()
    record(
        actor,
        "assessment.reopened",
        assessment,
        N_(
            "Reopened the %(round)s self-assessment of %(city)s on theme %(theme)s",
            round=in_sentence(assessment.round),
            city=assessment.city.name,
            theme=assessment.theme.code,
        ),
        pair_id=pair_id,
    )
    return assessment


def set_targets(actor: User, pair: Pair, levels: dict[int, int | None]) -> int:
    """Set (or clear, with None) the implementing city's target level per factor of the pair's
    theme, once it has completed a round. Returns how many targets changed."""
    city_id = pair.implementing_city_id
    if not has_completed_round(city_id, pair.theme_id):
        raise RuleViolation(_("Complete a self-assessment round before setting target levels."))
    factor_ids = set(
        db.session.execute(
            sa.select(Factor.id).where(Factor.theme_id == pair.theme_id, Factor.is_live)
        ).scalars()
    )
    if set(levels) - factor_ids:
        raise RuleViolation(_("Set targets only for the factors of this pair's theme."))
    for factor_id, level in levels.items():
        if level is not None and not is_on_scale(level):
            raise RuleViolation(_("Choose a level from 0 to 4."), f"target_{factor_id}")
    existing = {
        target.factor_id: target
        for target in db.session.execute(
            sa.select(FactorTarget).where(
                FactorTarget.city_id == city_id, FactorTarget.factor_id.in_(factor_ids)
            )
        ).scalars()
    }
    changed: dict[int, int | None] = {}
    for factor_id, level in levels.items():
        target = existing.get(factor_id)
        if level is None:
            if target is not None:
                db.session.delete(target)
                changed[factor_id] = None
        elif target is None:
            db.session.add(
                FactorTarget(city_id=city_id, factor_id=factor_id, level=level, set_by_id=actor.id)
            )
            changed[factor_id] = level
        elif target.level != level:
            target.level, target.set_by_id = level, actor.id
            changed[factor_id] = level
    if changed:
        db.session.flush()
        record(
            actor,
            "assessment.targets_set",
            "FactorTarget",
            N_(
                "Set %(count)d target levels of %(city)s on theme %(theme)s",
                count=len(changed),
                city=pair.implementing_city.name,
                theme=pair.theme.code,
            ),
            pair_id=pair.id,
            city_id=city_id,
            targets={str(factor_id): level for factor_id, level in changed.items()},
        )
    return len(changed)


def _check_date_order(
    rounds: list[Assessment],
    round: AssessmentRound,
    assessed_on: date,
    ignore: Assessment | None = None,
) -> None:
    """Rounds follow each other in time: a mid-term round is not dated before the baseline."""
    position = ROUND_ORDER.index(round)
    for other in rounds:
        other_position = ROUND_ORDER.index(other.round)
        if other is ignore or other_position == position:
            continue
        earlier = other_position < position
        if assessed_on < other.assessed_on if earlier else assessed_on > other.assessed_on:
            message = (
                _("The %(round)s round cannot be dated before the %(other)s round (%(date)s).")
                if earlier
                else _("The %(round)s round cannot be dated after the %(other)s round (%(date)s).")
            )
            raise RuleViolation(
                message
                % {
                    "round": str(round.label).lower(),
                    "other": str(other.round.label).lower(),
                    "date": long_date(other.assessed_on),
                },
                "assessed_on",
            )


def _sync_ratings(assessment: Assessment, items: list[RatingInput], factor_ids: set[int]) -> int:
    _refuse_unknown(
        items, "factor_id", factor_ids, _("Rate only the factors of this round's theme.")
    )
    for item in items:
        if item.level is not None and not is_on_scale(item.level):
            raise RuleViolation(_("Choose a level from 0 to 4."), f"level_{item.factor_id}")
    return _sync_rows(assessment, RATING, items)


def _sync_answers(assessment: Assessment, items: list[AnswerInput], question_ids: set[int]) -> int:
    _refuse_unknown(
        items,
        "question_id",
        question_ids,
        _("Answer only the guide questions of this round's theme."),
    )
    return _sync_rows(assessment, ANSWER, items)


def _sync_context(assessment: Assessment, items: list[ContextInput]) -> int:
    context_ids = set(
        db.session.execute(
            sa.select(ContextFactor.id).where(
                ContextFactor.programme_id == assessment.theme.programme_id
            )
        ).scalars()
    )
    _refuse_unknown(
        items,
        "context_factor_id",
        context_ids,
        _("Describe only the context factors of this programme."),
    )
    return _sync_rows(assessment, CONTEXT, items)


def _refuse_unknown(items: list[Any], key: str, known: set[int], message: str) -> None:
    if any(getattr(item, key) not in known for item in items):
        raise RuleViolation(message)


def _sync_rows(assessment: Assessment, kind: Kind, items: list[Any]) -> int:
    """Write each item onto the round's row for the same factor, question or context factor:
    its choice (a level, an answer, an effect) and its text. A row is added only for an item
    that says something. A carried-over row that the item confirms or changes is carried over
    no more; returns how many were so settled."""
    rows = getattr(assessment, kind.rows)
    by_key = {getattr(row, kind.key): row for row in rows}
    settled = 0
    for item in items:
        note = getattr(item, kind.text).strip()
        row = by_key.get(getattr(item, kind.key))
        if row is None:
            if getattr(item, kind.choice) is None and not note:
                continue
            row = kind.model(**{kind.key: getattr(item, kind.key)})
            rows.append(row)
        elif row.carried_over and settles(row, item, kind):
            row.carried_over = False
            settled += 1
        setattr(row, kind.choice, getattr(item, kind.choice))
        setattr(row, kind.text, note)
    return settled


def _city_name(pair: Pair, city_id: int) -> str:
    city = pair.implementing_city if city_id == pair.implementing_city_id else pair.mentor_city
    return city.name
