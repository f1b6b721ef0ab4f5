"""The peer-reading setting of a programme: a row while it is on (off by default)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tracker.db import utcnow
from tracker.extensions import db


class PeerReading(db.Model):
    # Kept beside the programme rather than on it: the catalogue owns the programme's own fields.
    programme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("programme.id", ondelete="CASCADE"), primary_key=True
    )
    turned_on_at: Mapped[datetime] = mapped_column(default=utcnow)
    turned_on_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
