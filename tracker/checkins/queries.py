"""Reading check-ins: those of a pair, those due across a programme, the answers given."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tracker.catalogue.models import Programme, Theme
from tracker.checkins.models import CheckIn
from tracker.checkins.schedule import DueCheckIn, check_ins_of
from tracker.db import among
from tracker.extensions import db
from tracker.pairs.loading import with_pair
from tracker.pairs.models import Pair, PairStatus


def answers_for(pair_ids: Iterable[int]) -> dict[tuple[int, int, date], CheckIn]:
    """The answers given for these pairs, by (pair, months, completion day), in one query."""
    ids = list(pair_ids)
    if not ids:
        return {}
    found = db.session.execute(
        sa.select(CheckIn)
        .where(among(CheckIn.pair_id, ids))
        .options(selectinload(CheckIn.actions), selectinload(CheckIn.answered_by))
    ).scalars()
    return {(c.pair_id, c.months, c.completed_on): c for c in found}


def answered(pair_ids: Iterable[int]) -> set[tuple[int, int, date]]:
    """Which check-ins of these pairs are answered, as (pair, months, completion day)."""
    ids = list(pair_ids)
    if not ids:
        return set()
    rows = db.session.execute(
        sa.select(CheckIn.pair_id, CheckIn.months, CheckIn.completed_on).where(
            among(CheckIn.pair_id, ids)
        )
    )
    return {(pair_id, months, completed_on) for pair_id, months, completed_on in rows}


def pair_check_ins(pair: Pair) -> list[DueCheckIn]:
    """The check-ins of one pair (none until it is completed)."""
    if pair.status is not PairStatus.COMPLETED:
        return []
    return check_ins_of(pair, answers_for([pair.id]))


def follow_ups_due(pairs: list[Pair], today: date) -> list[DueCheckIn]:
    """Of these pairs, the check-ins due and not answered yet, the longest waiting first."""
    completed = [pair for pair in pairs if pair.status is PairStatus.COMPLETED]
    answers = answers_for(pair.id for pair in completed)
    due = [c for pair in completed for c in check_ins_of(pair, answers) if c.is_due(today)]
    return sorted(due, key=lambda c: (c.due_on, c.pair.id))


def programme_check_ins(programme: Programme) -> list[CheckIn]:
    """Every check-in answered in a programme, by theme, pair and months."""
    return list(
        db.session.execute(
            sa.select(CheckIn)
            .join(Pair, Pair.id == CheckIn.pair_id)
            .join(Theme, Theme.id == Pair.theme_id)
            .where(Theme.programme_id == programme.id)
            .order_by(Theme.code, Pair.id, CheckIn.completed_on, CheckIn.months)
            .options(
                *with_pair(CheckIn.pair),
                selectinload(CheckIn.actions),
                selectinload(CheckIn.answered_by),
            )
        ).scalars()
    )
