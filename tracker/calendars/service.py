"""Each person's private calendar feed address."""

from __future__ import annotations

import secrets

from tracker.audit.service import record
from tracker.auth.models import User
from tracker.calendars.queries import FeedKind
from tracker.messages import N_


def renew_feed_token(user: User) -> bool:
    """Give the user a new secret feed address (the old one stops working). Returns whether
    they had one before."""
    had_token = user.calendar_token is not None
    user.calendar_token = secrets.token_urlsafe(32)
    record(
        user,
        "user.calendar_token_reset" if had_token else "user.calendar_token_created",
        user,
        N_("%(name)s reset their calendar feed address", name=user.name)
        if had_token
        else N_("%(name)s created their calendar feed address", name=user.name),
    )
    return had_token


def choose_feed_kinds(user: User, shown: set[FeedKind]) -> None:
    """Keep in the user's feed only the kinds they chose."""
    user.calendar_hidden = ",".join(kind.value for kind in FeedKind if kind not in shown)
    record(
        user,
        "user.calendar_kinds_chosen",
        user,
        N_(
            "%(name)s chose what their calendar feed shows: %(kinds)s",
            name=user.name,
            kinds=[kind for kind in FeedKind if kind in shown] or [N_("nothing")],
        ),
    )
