"""Signing in and out, and setting passwords."""

from __future__ import annotations

import secrets

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tracker.audit.service import record
from tracker.auth.models import SessionEnd, User, UserSession
from tracker.auth.passwords import check_new_password, hash_password, verify_password
from tracker.auth.sessions import end_session, end_sessions, start_session
from tracker.auth.tokens import password_token
from tracker.db import utcnow
from tracker.exceptions import RuleViolation
from tracker.extensions import db
from tracker.languages import known_language, language_name
from tracker.links import url_to
from tracker.mail import queue_email
from tracker.messages import N_

# Asking twice for a reset link within this many seconds sends one email, not two.
RESET_LINK_WINDOW_SECONDS = 120


class WrongPassword(RuleViolation):
    """The current password given does not match (counted like a failed sign-in)."""

    def __init__(self) -> None:
        super().__init__(_("Your current password is not right."), "current_password")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def authenticate(email: str, password: str) -> User:
    """The active user with this email and password; one refusal whichever part is wrong, so
    the answer does not reveal which accounts exist."""
    user = db.session.execute(
        select(User).where(func.lower(User.email) == normalise_email(email))
    ).scalar_one_or_none()
    password_hash = user.password_hash if user is not None else None
    if not verify_password(password_hash, password) or user is None or not user.is_active:
        return None
    return user


def sign_in(user: User, *, remember: bool, address: str | None, browser: str | None) -> str:
    """Open a new session for an authenticated user; return the token for its cookies."""
    user.last_sign_in_at = utcnow()
    return start_session(user, remember=remember, address=address, browser=browser)


def sign_out(session: UserSession | None) -> None:
    """End the session of the browser that signs out."""
    if session is not None:
        end_session(session, SessionEnd.SIGNED_OUT)


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Set a new password after checking the current one; every session of the user ends
    (the caller opens a new one for the browser that made the change)."""
    if not verify_password(user.password_hash, current_password):
        raise WrongPassword
    set_password(user, new_password, field="new_password")
    record(
        user,
        "user.password_changed",
        user,
        N_("%(name)s changed their password", name=user.name),
    )


def reset_password(user: User, new_password: str) -> None:
    """Set the password chosen through an emailed link."""
    set_password(user, new_password, field="new_password")
    record(
        user,
        "user.password_set",
        user,
        N_("%(name)s set their password from an emailed link", name=user.name),
    )


def choose_language(user: User, language: str | None) -> None:
    """The person's own language for pages and emails (None: follow the browser)."""
    language = language or None
    if language is not None and known_language(language) is None:
        raise RuleViolation(_("Choose one of the languages in the list."), "language")
    if language == user.language:
        return
    user.language = language
    record(
        user,
        "user.language_chosen",
        user,
        N_(
            "%(name)s chose the language %(language)s",
            name=user.name,
            language=language_name(language),
        )
        if language
        else N_("%(name)s chose to follow the browser's language", name=user.name),
    )


def set_password(user: User, new_password: str, *, field: str = "password") -> None:
    """Store a new password if it is strong enough, and end everything the old one opened:
    every session, every set-password link, and the calendar feed address."""
    check_new_password(new_password, email=user.email, name=user.name, field=field)
    user.password_hash = hash_password(new_password)
    user.session_version += 1
    if user.calendar_token is not None:
        user.calendar_token = secrets.token_urlsafe(32)
    if user.id is not None:
        end_sessions(user, SessionEnd.PASSWORD_CHANGED)


def send_password_link(user: User, *, new_account: bool) -> bool:
    """Email the user a link to set their password (the email is marked sensitive).

    The outbox key names the account, its password version and the moment rounded to
    RESET_LINK_WINDOW_SECONDS, so a form sent twice (a double click, two tabs) queues one
    email; returns whether this call queued it.
    """
    window = int(utcnow().timestamp()) // RESET_LINK_WINDOW_SECONDS
    key = f"password:{user.id}:{user.session_version}:{window}"
    token = password_token(user)
    try:
        with db.session.begin_nested():
            queue_email(
                key,
                user,
                N_("Your account in the mentoring tracker")
                if new_account
                else N_("Set a new password"),
                "set_password",
                sensitive=True,
                link=url_to("auth.set_password", token=token),
                new_account=new_account,
            )
    except IntegrityError:  # the same link is already on its way
        return False
    return True


def forgot_password(email: str) -> None:
    """Send a reset link if an active account has this address; say nothing either way (the
    view answers no sooner than FORGOT_PASSWORD_ANSWER_SECONDS, so neither does the timing)."""
    user = db.session.execute(
        select(User).where(func.lower(User.email) == normalise_email(email))
    ).scalar_one_or_none()
    if user is not None and user.is_active and send_password_link(user, new_account=False):
        record(
            None,
            "user.password_reset_requested",
            user,
            N_("Password reset link sent to %(email)s", email=user.email),
        )
