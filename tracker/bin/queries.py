"""Reading the bin."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from tracker.bin.models import BinEntry, BinKind
from tracker.extensions import db


def bin_entries() -> sa.Select[tuple[BinEntry]]:
    """What is in the bin, the latest deleted first."""
    return (
        sa.select(BinEntry)
        .options(joinedload(BinEntry.deleted_by))
        .order_by(BinEntry.deleted_at.desc(), BinEntry.id.desc())
    )


def bin_entry_of(kind: BinKind, object_id: int) -> BinEntry | None:
    """The bin entry holding an object, if it is in the bin."""
    return db.session.execute(
        sa.select(BinEntry)
        .where(BinEntry.kind == kind, BinEntry.object_id == object_id)
        .order_by(BinEntry.id.desc())
        .limit(1)
    ).scalar_one_or_none()
