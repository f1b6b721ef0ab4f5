"""One-click unsubscribe (RFC 8058), the address in every optional email's List-Unsubscribe.

The address carries a signed token naming the person, so it works without signing in: a mail
client's Unsubscribe button POSTs `List-Unsubscribe=One-Click` to it, and a person who opens it
in a browser gets a page asking to confirm (a GET changes nothing: link checkers and previews
fetch links). Unsubscribing turns off every kind of email the person can turn off, the daily
summary included; the emails an account needs (a link to set a password) still come. The
preferences page turns kinds back on.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from tracker.audit.service import record
from tracker.auth.models import User
from tracker.auth.policy import public
from tracker.extensions import csrf, db
from tracker.links import url_to
from tracker.notifications.kinds import KINDS
from tracker.notifications.models import EmailOptOut

bp = Blueprint("unsubscribe", __name__)
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
    """Opt the person out of every kind of email they can turn off (no commit)."""
    db.session.execute(sa.delete(EmailOptOut).where(EmailOptOut.user_id == user.id))
    db.session.add_all(EmailOptOut(user_id=user.id, kind=kind) for kind in KINDS)
    record(None, "user.unsubscribed", user, f"{user.name} unsubscribed by an email's link")


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@public
def confirm(token: str):
    user = user_for_unsubscribe_token(token)
    if user is None:
        return render_template("notifications/unsubscribe.html", user=None), 400
    if request.method == "POST":
        turn_off_optional_email(user)
        db.session.commit()
        if request.form.get("List-Unsubscribe") == "One-Click":
            # RFC 8058: a mail client's one-click POST is answered directly, never redirected.
            return render_template("notifications/unsubscribe.html", user=user, done=True)
        flash(_("You are unsubscribed."), "success")
        return redirect(url_for("unsubscribe.confirm", token=token))
    return render_template(
        "notifications/unsubscribe.html", user=user, done=_turned_off_everything(user)
    )


def _turned_off_everything(user: User) -> bool:
    opted_out = db.session.execute(
        sa.select(EmailOptOut.kind).where(EmailOptOut.user_id == user.id)
    ).scalars()
    return set(KINDS) <= set(opted_out)


# The token in the address is the proof, and a mail client's one-click POST has no session.
csrf.exempt(confirm)
