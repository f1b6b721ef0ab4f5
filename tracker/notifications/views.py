"""The notification centre, and each user's email preferences."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.auth.models import EmailFrequency
from tracker.auth.redirects import safe_next
from tracker.db import utcnow
from tracker.extensions import db
from tracker.forms import db_int
from tracker.notifications.forms import preferences_form
from tracker.notifications.kinds import KINDS
from tracker.notifications.models import EmailOptOut, Notification
from tracker.paging import capped_count

bp = Blueprint("notifications", __name__)
PAGE_SIZE = 30
MAX_PAGES = 30  # older notifications are rarely read again; the pages stop counting there


BELL_CAP = 99  # the bell shows "99+" beyond this


def unread_count() -> int:
    """The number on the bell: one small count per page, however many notifications pile up."""
    unread = sa.select(Notification.id).where(
        Notification.user_id == current_user.id, Notification.read_at.is_(None)
    )
    return capped_count(unread, BELL_CAP)


@bp.route("/notifications/")
def index():
    page = max(request.args.get("page", 1, type=db_int), 1)
    only_unread = request.args.get("unread") == "1"
    query = sa.select(Notification).where(Notification.user_id == current_user.id)
    if only_unread:
        query = query.where(Notification.read_at.is_(None))
    total = capped_count(query.with_only_columns(Notification.id), PAGE_SIZE * MAX_PAGES)
    notifications = (
        db.session.execute(
            query.order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(PAGE_SIZE)
            .offset((page - 1) * PAGE_SIZE)
        )
        .scalars()
        .all()
    )
    return render_template(
        "notifications/index.html",
        notifications=notifications,
        page=page,
        total=total,
        pages=max(1, -(-total // PAGE_SIZE)),
        only_unread=only_unread,
    )


@bp.route("/notifications/<int:notification_id>/open", methods=["POST"])
def open_(notification_id: int):
    notification = _own_notification(notification_id)
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return redirect(safe_next(notification.link) or url_for("notifications.index"))


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
def mark_read(notification_id: int):
    notification = _own_notification(notification_id)
    notification.read_at = notification.read_at or utcnow()
    db.session.commit()
    return redirect(url_for("notifications.index", unread=request.args.get("unread")))


@bp.route("/notifications/read-all", methods=["POST"])
def mark_all_read():
    db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    flash(_("All notifications are marked as read."), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/account/notifications", methods=["GET", "POST"])
def preferences():
    opted_out = set(
        db.session.execute(
            sa.select(EmailOptOut.kind).where(EmailOptOut.user_id == current_user.id)
        ).scalars()
    )
    form = preferences_form(current_user, opted_out)
    if form.validate_on_submit():
        current_user.email_frequency = EmailFrequency(form.frequency.data)
        wanted = {kind for kind in KINDS if getattr(form, f"kind_{kind}").data}
        db.session.execute(sa.delete(EmailOptOut).where(EmailOptOut.user_id == current_user.id))
        db.session.add_all(
            EmailOptOut(user_id=current_user.id, kind=kind) for kind in KINDS if kind not in wanted
        )
        db.session.commit()
        flash(_("Your email preferences are saved."), "success")
        return redirect(url_for("notifications.preferences"))
    return render_template("notifications/preferences.html", form=form, kinds=KINDS)


def _own_notification(notification_id: int) -> Notification:
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != current_user.id:
        abort(404)
    return notification
