"""The nightly job that empties the bin of what has been there longer than BIN_DAYS."""

from __future__ import annotations

from datetime import datetime

from tracker.bin.service import purge_expired
from tracker.extensions import db
from tracker.files.storage import stored_path


def empty_bin(now: datetime) -> dict[str, int]:
    """Delete expired entries for good, then their files (once the deletion is committed, so
    a failure never leaves an entry whose files are gone)."""
    purged, files = purge_expired(now)
    db.session.commit()
    for name in files:
        stored_path(name).unlink(missing_ok=True)
    return {"deleted": purged}
