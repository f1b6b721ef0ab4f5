"""The notification centre, and each user's email preferences."""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.auth.models import EmailFrequency
from tracker.auth.policy.loaders import get_notification_or_404
from tracker.auth.redirects import safe_next
from tracker.forms import db_int
from tracker.notifications.forms import preferences_form
from tracker.notifications.kinds import KINDS
from tracker.notifications.queries import opted_out_kinds, unread_count, user_notifications
from tracker.notifications.service import mark_all_read, mark_read, save_email_preferences
from tracker.paging import paginate
from tracker.transaction import save_or_flash_errors, save_or_show_errors

bp = Blueprint("notifications", __name__)
PAGE_SIZE = 30
MAX_PAGES = 30  # older notifications are rarely read again; the pages stop counting there


@bp.route("/notifications/")
def index():
    """The user's notifications, newest first, all or only the unread ones."""
    only_unread = request.args.get("unread") == "1"
    page = paginate(
        user_notifications(current_user, only_unread=only_unread),
        request.args.get("page", 1, type=db_int),
        PAGE_SIZE,
        max_pages=MAX_PAGES,
    )
    return render_template("notifications/index.html", page=page, only_unread=only_unread)


@bp.route("/notifications/<int:notification_id>/open", methods=["POST"])
def open_(notification_id: int):
    """Mark a notification read and go to what it is about."""
    notification = get_notification_or_404(notification_id)
    save_or_flash_errors(lambda: mark_read(notification))
    return redirect(safe_next(notification.link) or url_for("notifications.index"))


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"], endpoint="mark_read")
def read_one(notification_id: int):
    """Mark a notification read and stay where it is on the list: static/js/app.js asks for
    JSON and changes the item in place; without script, the list comes back at the item."""
    notification = get_notification_or_404(notification_id)
    done = save_or_flash_errors(lambda: mark_read(notification))
    message = _("Marked as read: %(subject)s", subject=notification.title)
    if _wants_json():
        status = 200 if done else 409
        return jsonify(message=message, unread=unread_count(current_user)), status
    if done:
        flash(message, "success")
    return redirect(
        url_for(
            "notifications.index",
            unread=request.args.get("unread"),
            page=request.args.get("page", type=db_int),
            _anchor=f"notification-{notification.id}",
        )
    )


def _wants_json() -> bool:
    """Whether the request came from the page's script, which asks for JSON."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


@bp.route("/notifications/read-all", methods=["POST"], endpoint="mark_all_read")
def read_all():
    """Mark every notification read."""
    if save_or_flash_errors(lambda: mark_all_read(current_user)):
        flash(_("All notifications are marked as read."), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/account/notifications", methods=["GET", "POST"])
def preferences():
    """Which notifications the user gets by email, and how often."""
    form = preferences_form(current_user, opted_out_kinds(current_user))
    if form.validate_on_submit() and save_or_show_errors(
        form,
        lambda: save_email_preferences(
            current_user,
            EmailFrequency(form.frequency.data),
            {kind for kind in KINDS if getattr(form, f"kind_{kind}").data},
        ),
    ):
        flash(_("Your email preferences are saved."), "success")
        return redirect(url_for("notifications.preferences"))
    return render_template("notifications/preferences.html", form=form, kinds=KINDS)
