"""Signed, expiring, single-use links to set a password (new accounts, forgotten passwords).

The token carries the user's id and session version; setting a password bumps the version, so
a link works once, and a later password change or sign-out-everywhere also voids it.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from tracker.auth.models import User
from tracker.extensions import db

SALT = "set-password"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def password_token(user: User) -> str:
    return _serializer().dumps({"user": user.id, "version": user.session_version})


def user_for_token(token: str) -> User | None:
    """The user the token was made for, if it is genuine, recent and not used yet."""
    max_age = current_app.config["SET_PASSWORD_HOURS"] * 3600
    try:
        payload = _serializer().loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(payload, dict):
        return None
    user = db.session.execute(
        sa.select(User).where(User.id == payload.get("user"))
    ).scalar_one_or_none()
    if user is None or not user.is_active or user.session_version != payload.get("version"):
        return None
    return user
