"""Optimistic locking: the version an editor started from travels in the form and is compared
on save, so a second editor never silently overwrites the first (version_id_col alone only
catches writes that race within the same moment)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm.attributes import flag_modified

from tracker.db import utcnow
from tracker.exceptions import StaleObject


def check_version(obj: Any, expected_version: int | None) -> None:
    """Refuse to save over a change someone else made after the form was loaded."""
    if expected_version is not None and expected_version != obj.version_id:
        raise StaleObject(
            _(
                "Someone else saved changes while you were editing, so nothing was saved. "
                "Your text is still in the form: open the page in a new tab to see their "
                "version. Saving this form again will replace their changes with yours."
            ),
            current_version=obj.version_id,
        )


def touch(obj: Any) -> None:
    """Mark the object changed, so its row is updated and its version goes up even when only
    its children changed (or the clock stands still, as in tests)."""
    obj.updated_at = utcnow()
    flag_modified(obj, "updated_at")
