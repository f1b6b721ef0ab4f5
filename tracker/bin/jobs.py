"""The nightly job that empties the bin of what has been there longer than BIN_DAYS."""

from __future__ import annotations

from datetime import datetime

from tracker.bin.service import purge_expired
from tracker.extensions import db


def empty_bin(now: datetime) -> dict[str, int]:
    """Delete expired entries for good, and their files once the deletion is committed (a
    failure never leaves an entry whose files are gone)."""
    purged = purge_expired(now)
    db.session.commit()
    return {"deleted": purged}
