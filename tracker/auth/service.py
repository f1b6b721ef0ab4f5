"""Signing in and changing passwords."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from tracker.audit.service import record
from tracker.auth.models import User
from tracker.auth.passwords import hash_password, verify_password
from tracker.auth.tokens import password_token
from tracker.db import utcnow
from tracker.exceptions import RuleViolation
from tracker.extensions import db
from tracker.links import url_to
from tracker.mail import queue_email


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
        raise RuleViolation(_("That email address and password do not match."), "password")
    user.last_sign_in_at = utcnow()
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Set a new password, and sign the user out of every other session."""
    if not verify_password(user.password_hash, current_password):
        raise RuleViolation(_("Your current password is not right."), "current_password")
    set_password(user, new_password)
    record(user, "user.password_changed", user, f"{user.name} changed their password")


def set_password(user: User, new_password: str) -> None:
    """Store a new password and invalidate the user's existing sessions."""
    user.password_hash = hash_password(new_password)
    user.session_version += 1


def set_password_from_link(user: User, new_password: str) -> None:
    """Set the password chosen through an emailed link (a new account's, or a reset)."""
    set_password(user, new_password)
    record(user, "user.password_set", user, f"{user.name} set their password from an emailed link")


def send_password_link(user: User, *, new_account: bool) -> None:
    """Email the user a link to set their password (the email is marked sensitive)."""
    token = password_token(user)
    queue_email(
        f"password:{user.id}:{user.session_version}:{token[-12:]}",
        user,
        _("Your account in the mentoring tracker") if new_account else _("Set a new password"),
        "set_password",
        sensitive=True,
        link=url_to("auth.set_password", token=token),
        new_account=new_account,
    )


def forgot_password(email: str) -> None:
    """Send a reset link if an active account has this address; say nothing either way."""
    user = db.session.execute(
        select(User).where(func.lower(User.email) == normalise_email(email))
    ).scalar_one_or_none()
    if user is not None and user.is_active:
        send_password_link(user, new_account=False)
        record(
            None, "user.password_reset_requested", user, f"Password reset link sent to {user.email}"
        )
