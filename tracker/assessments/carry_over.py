"""Rounds that start from the previous one: a new round gets copies of the levels, evidence,
guide-question answers and context notes of the city's latest completed round, each marked
carried over until the city confirms or changes it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from tracker.assessments.models import Assessment, ContextNote, FactorRating, QuestionAnswer
from tracker.audit.service import record
from tracker.auth.models import User
from tracker.catalogue.models import ContextFactor, GuideQuestion
from tracker.exceptions import RuleViolation
from tracker.extensions import db
from tracker.messages import N_, in_sentence


@dataclass(frozen=True)
class Kind:
    """One kind of answer a round holds: where its rows are and what they say."""

    rows: str  # the round's relationship
    model: type
    key: str  # what the row answers: a factor, a guide question, a context factor
    choice: str  # a level, an answer, an effect
    text: str  # evidence or a note
    prefix: str  # names the row in still_carried_over's keys


RATING = Kind("ratings", FactorRating, "factor_id", "level", "evidence", "rating")
ANSWER = Kind("answers", QuestionAnswer, "question_id", "answer", "note", "answer")
CONTEXT = Kind("context_notes", ContextNote, "context_factor_id", "effect", "note", "context")
KINDS = (RATING, ANSWER, CONTEXT)


def carry_over(assessment: Assessment, source: Assessment, asked: dict[Kind, set[int]]) -> int:
    """Start a round with copies of what `source` says, each marked carried over; returns
    how many answers were copied. Only what the round's version asks (`asked`: ids by kind
    of answer) is copied: a retired factor or question stays with the older round."""
    assessment.carried_from = source
    copied = 0
    for kind in KINDS:
        rows = getattr(assessment, kind.rows)
        for row in getattr(source, kind.rows):
            if getattr(row, kind.choice) is None and not getattr(row, kind.text):
                continue
            if kind in asked and getattr(row, kind.key) not in asked[kind]:
                continue
            rows.append(
                kind.model(
                    **{name: getattr(row, name) for name in (kind.key, kind.choice, kind.text)},
                    carried_over=True,
                )
            )
            copied += 1
    return copied


def same_text(stored: str, sent: str) -> bool:
    """Whether a text sent back by a form is the stored one: browsers send line breaks as
    CRLF whatever was stored, and surrounding space is never kept."""
    return _plain(stored) == _plain(sent)


def settles(row: Any, item: Any, kind: Kind) -> bool:
    """Whether saving `item` onto a carried-over row confirms it or changes it."""
    return (
        item.confirmed
        or getattr(item, kind.choice) != getattr(row, kind.choice)
        or not same_text(getattr(row, kind.text), getattr(item, kind.text))
    )


def still_carried_over(assessment: Assessment, items: dict[Kind, list[Any]]) -> set[str]:
    """The round's carried-over answers that saving these items (by kind) would leave only
    carried over, as keys: rating-<factor id>, answer-<question id>, context-<context factor
    id>."""
    left = set()
    for kind in KINDS:
        sent = {getattr(item, kind.key): item for item in items.get(kind, [])}
        for row in getattr(assessment, kind.rows):
            item = sent.get(getattr(row, kind.key))
            if row.carried_over and (item is None or not settles(row, item, kind)):
                left.add(f"{kind.prefix}-{getattr(row, kind.key)}")
    return left


def carried_rows(assessment: Assessment) -> list[Any]:
    """The round's answers that are still only carried over."""
    return [row for kind in KINDS for row in getattr(assessment, kind.rows) if row.carried_over]


def confirm_all_carried(actor: User, assessment: Assessment, pair_id: int) -> None:
    """Confirm at once every answer still only carried over, as its own audit entry."""
    rows = carried_rows(assessment)
    if not rows:
        return
    for row in rows:
        row.carried_over = False
    confirmed = len(rows)
    source = assessment.carried_from
    db.session.flush()
    record(
        actor,
        "assessment.carried_over_confirmed",
        assessment,
        N_(
            "Confirmed at once %(count)d answers carried over from the %(source)s round into "
            "the %(round)s self-assessment of %(city)s on theme %(theme)s",
            count=confirmed,
            source=in_sentence(source.round),
            round=in_sentence(assessment.round),
            city=assessment.city.name,
            theme=assessment.theme.code,
        )
        if source
        else N_(
            "Confirmed at once %(count)d answers carried over into the %(round)s "
            "self-assessment of %(city)s on theme %(theme)s",
            count=confirmed,
            round=in_sentence(assessment.round),
            city=assessment.city.name,
            theme=assessment.theme.code,
        ),
        pair_id=pair_id,
        confirmed=confirmed,
        carried_from=source.id if source else None,
    )


def refuse_carried_over(assessment: Assessment, factors: Sequence[Any]) -> None:
    """A round is not completed while any answer is still only carried over: say which."""
    left = {
        kind: [row for row in getattr(assessment, kind.rows) if row.carried_over] for kind in KINDS
    }
    count = sum(len(rows) for rows in left.values())
    if not count:
        return
    position = {factor.id: factor.position for factor in factors}
    question_factor = dict(
        db.session.execute(
            sa.select(GuideQuestion.id, GuideQuestion.factor_id).where(
                GuideQuestion.id.in_([row.question_id for row in left[ANSWER]])
            )
        ).all()
    )
    factor_ids = {row.factor_id for row in left[RATING]} | set(question_factor.values())
    numbers = sorted(position[factor_id] for factor_id in factor_ids if factor_id in position)
    titles = db.session.execute(
        sa.select(ContextFactor.title)
        .where(ContextFactor.id.in_([row.context_factor_id for row in left[CONTEXT]]))
        .order_by(ContextFactor.position)
    ).scalars()
    where = []
    if numbers:
        where.append(
            ngettext(
                "factor %(numbers)s",
                "factors %(numbers)s",
                len(numbers),
                numbers=", ".join(map(str, numbers)),
            )
        )
    if titles := list(titles):
        where.append(_("context: %(titles)s", titles="; ".join(titles)))
    source = assessment.carried_from
    raise RuleViolation(
        ngettext(
            "%(num)d answer carried over from the %(round)s round is neither confirmed nor "
            "changed yet (%(where)s). Confirm or change it, or confirm all carried-over "
            "answers at once, before completing the round.",
            "%(num)d answers carried over from the %(round)s round are neither confirmed nor "
            "changed yet (%(where)s). Confirm or change each one, or confirm all carried-over "
            "answers at once, before completing the round.",
            count,
            round=str(source.round.label).lower() if source else _("previous"),
            where="; ".join(where),
        ),
        "confirm_all",
    )


def _plain(text: str) -> str:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
