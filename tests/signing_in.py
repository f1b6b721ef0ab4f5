"""Signing a test client in without the sign-in form: a session row, as signing in makes one,
and its token in the client's session cookie, where Flask-Login looks for it."""

from __future__ import annotations

from typing import Any

from tracker.auth.models import User
from tracker.auth.sessions import start_session


def open_session(user: User, *, remember: bool = False, browser: str = "pytest") -> str:
    """Start a session for the user (flushed, not committed) and return its token."""
    return start_session(user, remember=remember, address="127.0.0.1", browser=browser)


def sign_in_client(client: Any, token: str | None) -> Any:
    """Put a session's token in the client's cookie (None: sign the client out)."""
    with client.session_transaction() as flask_session:
        flask_session.clear()
        if token is not None:
            flask_session["_user_id"] = token
            flask_session["_fresh"] = True
    return client
