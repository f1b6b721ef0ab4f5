"""Lists of pairs, always scoped to what the user may see."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from tracker.auth.models import User
from tracker.auth.policy import visible_pairs
from tracker.catalogue.models import Programme, Theme
from tracker.extensions import db
from tracker.pairs.models import Pair


def pair_list(user: User) -> list[Pair]:
    """The user's visible pairs with theme, programme and cities, in one query."""
    query = (
        visible_pairs(user)
        .join(Pair.theme)
        .join(Theme.programme)
        .options(
            joinedload(Pair.theme).joinedload(Theme.programme),
            joinedload(Pair.theme).joinedload(Theme.expert_organisation),
            joinedload(Pair.mentor_city),
            joinedload(Pair.implementing_city),
        )
        .order_by(Programme.period_start.desc(), Theme.code, Pair.id)
    )
    return list(db.session.execute(query).scalars().unique())


def pair_counts_by_status(user: User) -> dict[str, int]:
    """How many visible pairs there are in each status."""
    query = (
        sa.select(Pair.status, sa.func.count(Pair.id))
        .where(Pair.id.in_(visible_pairs(user).with_only_columns(Pair.id)))
        .group_by(Pair.status)
    )
    return {status.value: count for status, count in db.session.execute(query)}
