"""Guards for whole areas and for the application: who may reach a page at all."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, current_app, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from tracker.auth.policy.rules import Need, can
from tracker.extensions import login_manager

F = TypeVar("F", bound=Callable[..., Any])


def area_guard(need: Need) -> Callable[[], ResponseReturnValue | None]:
    """A blueprint's `before_request`: every page of the area needs `need` on the network
    (for example the coordinators' administration)."""

    def guard() -> ResponseReturnValue | None:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not can(current_user, need):
            abort(403)
        return None

    guard.need = need  # type: ignore[attr-defined]
    return guard


def require_sign_in_unless_public() -> ResponseReturnValue | None:
    """The application-wide guard: every page needs a signed-in user unless marked public.
    Public pages and static files are let through before the user is looked up, so they cost
    no session lookup and do not vary by cookie."""
    if request.endpoint is None or request.endpoint.endswith("static"):
        return None
    if getattr(current_app.view_functions.get(request.endpoint), "is_public", False):
        return None
    if current_user.is_authenticated:
        return None
    return login_manager.unauthorized()


def public(view: F) -> F:
    """Mark a view as reachable without signing in."""
    view.is_public = True  # type: ignore[attr-defined]
    return view
