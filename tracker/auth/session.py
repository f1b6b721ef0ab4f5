"""Flask-Login wiring: the user loader and what happens to anonymous visitors."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker.auth.models import User
from tracker.auth.policy.guards import require_sign_in_unless_public
from tracker.extensions import db, login_manager


def configure_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)
    app.before_request(require_sign_in_unless_public)


def load_user(session_id: str) -> User | None:
    """Load the user named by 'id:session_version'; a stale version signs the session out."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.execute(
        select(User).where(User.id == int(user_id)).options(joinedload(User.organisation))
    ).scalar_one_or_none()
    if user is None or user.session_version != int(version) or not user.is_active:
        return None
    return user
