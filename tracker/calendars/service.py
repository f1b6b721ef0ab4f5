"""Each person's private calendar feed address."""

from __future__ import annotations

import secrets

from tracker.audit.service import record
from tracker.auth.models import User


def renew_feed_token(user: User) -> bool:
    """Give the user a new secret feed address (the old one stops working). Returns whether
    they had one before."""
    had_token = user.calendar_token is not None
    user.calendar_token = secrets.token_urlsafe(32)
    record(
        user,
        "user.calendar_token_reset" if had_token else "user.calendar_token_created",
        user,
        f"{user.name} {'reset' if had_token else 'created'} their calendar feed address",
    )
    return had_token
