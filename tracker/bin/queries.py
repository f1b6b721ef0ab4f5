"""Reading the bin."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from tracker.bin.models import BinEntry


def bin_entries() -> sa.Select[tuple[BinEntry]]:
    """What is in the bin, the latest deleted first."""
    return (
        sa.select(BinEntry)
        .options(joinedload(BinEntry.deleted_by))
        .order_by(BinEntry.deleted_at.desc(), BinEntry.id.desc())
    )
