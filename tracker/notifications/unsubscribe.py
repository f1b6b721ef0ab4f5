"""One-click unsubscribe (RFC 8058): the signed address in every optional email's
List-Unsubscribe, and what unsubscribing does.

The address carries a signed token naming the person, so it works without signing in.
Unsubscribing turns off every kind of email the person can turn off, the daily summary
included; the emails an account needs (a link to set a password) still come. The preferences
page turns kinds back on. The page itself is in unsubscribe_views.py.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from tracker.audit.service import record
from tracker.auth.models import User
from tracker.extensions import db
from tracker.links import url_to
from tracker.messages import N_
from tracker.notifications.kinds import KINDS
from tracker.notifications.models import EmailOptOut
from tracker.notifications.queries import opted_out_kinds

SALT = "unsubscribe"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def unsubscribe_token(user_id: int) -> str:
    """A token naming the person (it does not expire: old emails keep working)."""
    return _serializer().dumps({"user": user_id})


def unsubscribe_link(user_id: int) -> str:
    """The one-click unsubscribe address for a person."""
    return url_to("unsubscribe.confirm", token=unsubscribe_token(user_id))


def user_for_unsubscribe_token(token: str) -> User | None:
    """The active person a genuine token names, else None."""
    try:
        payload = _serializer().loads(token)
    except BadSignature:
        return None
    user_id = payload.get("user") if isinstance(payload, dict) else None
    if not isinstance(user_id, int):
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.is_active else None


def turn_off_optional_email(user: User) -> None:
    """Opt the person out of every kind of email they can turn off."""
    db.session.execute(sa.delete(EmailOptOut).where(EmailOptOut.user_id == user.id))
    db.session.add_all(EmailOptOut(user_id=user.id, kind=kind) for kind in KINDS)
    record(
        None,
        "user.unsubscribed",
        user,
        N_("%(name)s unsubscribed by an email's link", name=user.name),
    )


def has_turned_off_optional_email(user: User) -> bool:
    """Whether the person gets no email that can be turned off."""
    return set(KINDS) <= opted_out_kinds(user)
