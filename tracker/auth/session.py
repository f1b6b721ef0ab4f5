"""Flask-Login wiring: which session row a browser's cookies name, and signing a browser in
and out (tracker/auth/sessions.py keeps the rows).

The cookies carry only the session's random token, never the user's id: a copied cookie stops
working the moment its session ends, on every worker, because the row says so.
"""

from __future__ import annotations

from datetime import datetime

from flask import Flask, g, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from tracker.auth.models import User, UserSession
from tracker.auth.policy.guards import require_sign_in_unless_public
from tracker.auth.sessions import find_live_session, touch, touch_is_due
from tracker.db import utcnow
from tracker.extensions import db, login_manager
from tracker.languages import SESSION_KEY as LANGUAGE_KEY
from tracker.languages import USER_LANGUAGE
from tracker.transaction import commit_apart

CSRF_FIELD = "csrf_token"


def configure_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)
    app.before_request(require_sign_in_unless_public)


def load_user(token: str) -> User | None:
    """The user of the live session the token names; anything else signs the browser out."""
    now = utcnow()
    record = find_live_session(token, now)
    if record is None:
        _forget_session_cookies()
        return None
    if touch_is_due(record, now):
        _record_use(record, now)
    user = record.user
    user.session_token = token
    g.user_session = record
    g.setdefault(USER_LANGUAGE, user.language)  # the page's language (tracker/languages.py)
    return user


def _record_use(record: UserSession, now: datetime) -> None:
    """Write down that the session is in use, in a short transaction of its own, before the
    request does anything else (at most every SESSION_TOUCH_SECONDS per session)."""
    if db.session.new or db.session.dirty or db.session.deleted:
        return  # not at the start of a request after all: never commit someone else's work
    commit_apart(lambda: touch(record, now))


def _forget_session_cookies() -> None:
    """Drop a dead token from the session, and have Flask-Login delete the remember-me cookie."""
    session.pop("_user_id", None)
    session["_remember"] = "clear"


def current_session() -> UserSession | None:
    """The session row of the signed-in browser making this request."""
    if not current_user.is_authenticated:
        return None
    return g.get("user_session")


def sign_in_browser(user: User, token: str, *, remember: bool) -> None:
    """Sign this browser in with a new session's token. Whatever the browser's session held
    before (its CSRF token above all) is dropped: a token read before signing in does not work
    after it."""
    _renew_browser_session()
    user.session_token = token
    login_user(user, remember=remember)


def sign_out_browser() -> None:
    """Sign this browser out: a fresh, empty session, and no remember-me cookie."""
    _renew_browser_session()
    logout_user()  # after the renewal: it asks for the remember-me cookie to be deleted


def _renew_browser_session() -> None:
    language = session.get(LANGUAGE_KEY)  # the visitor's own choice outlives signing in or out
    session.clear()
    if language:
        session[LANGUAGE_KEY] = language
    g.pop(CSRF_FIELD, None)  # Flask-WTF's token of this request, made from the old session
    g.pop("user_session", None)


def request_origin() -> tuple[str, str]:
    """The address and browser a new session is opened from, as shown on the account page."""
    return request.remote_addr or "", request.user_agent.string or ""
