"""The page behind an email's List-Unsubscribe address (RFC 8058 one-click unsubscribe).

A mail client's Unsubscribe button POSTs `List-Unsubscribe=One-Click` to it and gets its answer
directly (the RFC forbids a redirect); a person who opens it in a browser gets a page asking to
confirm, since a GET must change nothing (link checkers and previews fetch links).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from tracker.auth.policy.guards import public
from tracker.extensions import csrf
from tracker.notifications.unsubscribe import (
    has_turned_off_optional_email,
    turn_off_optional_email,
    user_for_unsubscribe_token,
)
from tracker.transaction import commit_or_refuse

bp = Blueprint("unsubscribe", __name__)
TEMPLATE = "notifications/unsubscribe.html"


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@public
def confirm(token: str):
    """Unsubscribe the person the signed token names (a GET only asks them to confirm)."""
    user = user_for_unsubscribe_token(token)
    if user is None:
        return render_template(TEMPLATE, user=None), 400
    if request.method == "GET":
        return render_template(TEMPLATE, user=user, done=has_turned_off_optional_email(user))
    commit_or_refuse(lambda: turn_off_optional_email(user))
    if request.form.get("List-Unsubscribe") == "One-Click":
        return render_template(TEMPLATE, user=user, done=True)
    flash(_("You are unsubscribed."), "success")
    return redirect(url_for("unsubscribe.confirm", token=token))


# The token in the address is the proof, and a mail client's one-click POST has no session.
csrf.exempt(confirm)
