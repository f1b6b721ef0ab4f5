"""A bin entry: one deleted object and every row that went with it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.db import LabelledEnum, enum_column, utcnow
from tracker.extensions import db


class BinKind(LabelledEnum):
    PAIR = "pair", _l("Pair")
    VISIT = "visit", _l("Visit")
    RECOMMENDATION = "recommendation", _l("Recommendation")
    FOLLOW_UP = "follow_up", _l("Follow-up")
    ACTION = "action", _l("Action")
    DELIVERABLE = "deliverable", _l("Deliverable")
    COMMENT = "comment", _l("Comment")
    ENDORSEMENT = "endorsement", _l("Endorsement")
    PROGRESS_UPDATE = "progress_update", _l("Progress update")


# The table of each kind of object the bin takes.
TABLES = {
    BinKind.PAIR: "pair",
    BinKind.VISIT: "visit",
    BinKind.RECOMMENDATION: "recommendation",
    BinKind.FOLLOW_UP: "follow_up",
    BinKind.ACTION: "action",
    BinKind.DELIVERABLE: "deliverable",
    BinKind.COMMENT: "plan_comment",
    BinKind.ENDORSEMENT: "endorsement",
    BinKind.PROGRESS_UPDATE: "progress_update",
}
KIND_OF_TABLE = {table: kind for kind, table in TABLES.items()}


class BinEntry(db.Model):
    """The rows are kept as the database held them (see tracker/bin/rows.py), with the links
    that rows outside pointed at them and the stored files that go once the entry is purged."""

    __table_args__ = (sa.Index("ix_bin_entry_kind_object", "kind", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[BinKind] = enum_column(BinKind)
    object_id: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(300))
    went_with_it: Mapped[str] = mapped_column(sa.String(1000), default="")
    # No foreign key: the pair may itself be deleted; the id is what the entry was about.
    pair_id: Mapped[int | None] = mapped_column(index=True)
    deleted_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    deleted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    contents: Mapped[dict[str, Any]] = mapped_column(sa.JSON)

    deleted_by: Mapped[User | None] = relationship()

    def holds(self, table: str, key: int) -> bool:
        """Whether one of the rows it keeps is row `key` of `table`."""
        return any(row.get("id") == key for row in self.contents["rows"].get(table, []))
