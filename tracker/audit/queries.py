"""Reading the audit log as an activity feed."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from tracker.audit.models import AuditEntry
from tracker.auth.models import User
from tracker.auth.policy import visible_pairs
from tracker.extensions import db
from tracker.pairs.models import Pair


def recent_activity(user: User, pair_id: int | None = None, limit: int = 20) -> list[AuditEntry]:
    """The latest changes the user may see: of one pair, or of all their pairs (coordinators:
    everything, including changes to accounts and the catalogue)."""
    query = sa.select(AuditEntry).options(joinedload(AuditEntry.actor))
    if pair_id is not None:
        query = query.where(AuditEntry.pair_id == pair_id)
    elif not user.is_coordinator:
        query = query.where(AuditEntry.pair_id.in_(visible_pairs(user).with_only_columns(Pair.id)))
    return list(
        db.session.execute(
            query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
        ).scalars()
    )
