"""Signed-in sessions kept in the database, so that ending one ends it on every web worker.

Signing in opens a session row and hands its browser a random token (in the session cookie, and
in the remember-me cookie when asked); each request finds the row by the token's hash and
refuses it once it has ended, been idle too long or outlived its lifetime. Signing out, a new
password, a change of role, organisation or access, and erasure end rows; a person can also end
any of their own sessions from the account page. Like every service, these functions only
flush: the caller commits.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import contains_eager

from tracker.audit import service as audit
from tracker.auth.models import SessionEnd, User, UserSession
from tracker.db import utcnow
from tracker.extensions import db
from tracker.messages import N_

TOKEN_BYTES = 32


def token_hash(token: str) -> str:
    """What the database keeps of a token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _hours(name: str) -> timedelta:
    return timedelta(hours=current_app.config[name])


def _days(name: str) -> timedelta:
    return timedelta(days=current_app.config[name])


def idle_limit(remember: bool) -> timedelta:
    """How long a session may go unused before it ends."""
    return _days("SESSION_REMEMBER_IDLE_DAYS") if remember else _hours("SESSION_IDLE_HOURS")


def lifetime(remember: bool) -> timedelta:
    """How long after signing in a session ends, however much it is used."""
    return _days("SESSION_REMEMBER_DAYS") if remember else _hours("SESSION_LIFETIME_HOURS")


def start_session(user: User, *, remember: bool, address: str | None, browser: str | None) -> str:
    """Open a session for the user and return its token (the only time it exists in clear).

    The user's ended and expired sessions are deleted on the way: nobody needs them any more.
    """
    now = utcnow()
    db.session.execute(
        sa.delete(UserSession).where(
            UserSession.user_id == user.id,
            sa.or_(UserSession.ended_at.is_not(None), UserSession.expires_at <= now),
        )
    )
    token = secrets.token_urlsafe(TOKEN_BYTES)
    db.session.add(
        UserSession(
            user_id=user.id,
            token_hash=token_hash(token),
            remember=remember,
            created_at=now,
            last_seen_at=now,
            expires_at=now + lifetime(remember),
            address=(address or "")[:45],
            browser=" ".join((browser or "").split())[:200],
        )
    )
    db.session.flush()
    return token


def find_live_session(token: str, now: datetime | None = None) -> UserSession | None:
    """The session a token opens, with its user, if it is still live and its account active."""
    if not token or len(token) > 200:
        return None
    record = db.session.execute(
        sa.select(UserSession)
        .join(UserSession.user)
        .where(UserSession.token_hash == token_hash(token))
        .options(contains_eager(UserSession.user).joinedload(User.organisation))
    ).scalar_one_or_none()
    if record is None or not is_live(record, now or utcnow()) or not record.user.is_active:
        return None
    return record


def is_live(record: UserSession, now: datetime) -> bool:
    """Whether the session has not ended, expired or gone idle for too long."""
    return (
        record.ended_at is None
        and now < record.expires_at
        and now - record.last_seen_at < idle_limit(record.remember)
    )


def touch_is_due(record: UserSession, now: datetime) -> bool:
    """Whether the session's last use is stale enough to be written down again."""
    return now - record.last_seen_at >= timedelta(
        seconds=current_app.config["SESSION_TOUCH_SECONDS"]
    )


def touch(record: UserSession, now: datetime) -> None:
    """Record that the session is in use now (unless a parallel request just did)."""
    threshold = now - timedelta(seconds=current_app.config["SESSION_TOUCH_SECONDS"])
    db.session.execute(
        sa.update(UserSession)
        .where(UserSession.id == record.id, UserSession.last_seen_at <= threshold)
        .values(last_seen_at=now)
        .execution_options(synchronize_session=False)
    )


def end_session(record: UserSession, reason: SessionEnd) -> None:
    """End one session: its token signs nobody in any more."""
    if record.ended_at is None:
        record.ended_at, record.end_reason = utcnow(), reason
    db.session.flush()


def end_sessions(user: User, reason: SessionEnd, *, keep: UserSession | None = None) -> int:
    """End every live session of the user (but `keep`); return how many were ended."""
    query = sa.update(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)
    )
    if keep is not None:
        query = query.where(UserSession.id != keep.id)
    result = db.session.execute(
        query.values(ended_at=utcnow(), end_reason=reason).execution_options(
            synchronize_session="fetch"
        )
    )
    return result.rowcount or 0


def end_own_session(user: User, record: UserSession) -> None:
    """The user ends one of their sessions from the account page."""
    end_session(record, SessionEnd.ENDED_BY_USER)
    audit.record(
        user, "user.session_ended", user, N_("%(name)s ended a signed-in session", name=user.name)
    )


def end_own_sessions(user: User, *, keep: UserSession | None) -> int:
    """The user ends all their sessions but the one they are using."""
    ended = end_sessions(user, SessionEnd.ENDED_BY_USER, keep=keep)
    audit.record(
        user,
        "user.sessions_ended",
        user,
        N_("%(name)s ended their %(count)d other sessions", name=user.name, count=ended),
    )
    return ended


def forget_sessions(user: User) -> None:
    """Delete every session of the user, with the addresses and browsers they name."""
    db.session.execute(sa.delete(UserSession).where(UserSession.user_id == user.id))


def live_sessions(user: User) -> list[UserSession]:
    """The user's sessions that still sign in, most recently used first."""
    now = utcnow()
    candidates = db.session.execute(
        sa.select(UserSession)
        .where(
            UserSession.user_id == user.id,
            UserSession.ended_at.is_(None),
            UserSession.expires_at > now,
        )
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    ).scalars()
    return [record for record in candidates if is_live(record, now)]
