"""Downloading a visit as .ics, and each user's private calendar feed."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.auth.policy.guards import public
from tracker.auth.policy.loaders import get_visit_or_404
from tracker.calendars.ics import finish, follow_up_event, new_calendar, visit_event
from tracker.calendars.queries import feed_follow_ups, feed_owner, feed_visits
from tracker.calendars.service import renew_feed_token
from tracker.downloads import send_download
from tracker.links import url_to
from tracker.transaction import save_or_flash_errors

bp = Blueprint("calendars", __name__)

ICS_MIMETYPE = "text/calendar"
# Calendar programs poll the feed; a few minutes' caching spares the server without hiding news.
FEED_CACHING = "private, max-age=300"


def visit_url(visit_id: int) -> str:
    return url_to("visits.show", visit_id=visit_id)


@bp.route("/calendar/visits/<int:visit_id>.ics")
def visit_file(visit_id: int):
    """One visit as an .ics file."""
    visit = get_visit_or_404(visit_id)
    calendar = new_calendar(_("Mentoring visit"))
    calendar.add_component(visit_event(visit, visit_url(visit.id)))
    return send_download(finish(calendar), f"visit-{visit.id}.ics", ICS_MIMETYPE)


@bp.route("/calendar/feed/<token>.ics")
@public
def feed(token: str):
    """A person's private feed of their visits and follow-ups (the token is the key)."""
    user = feed_owner(token)
    if user is None:
        abort(404)
    calendar = new_calendar(_("Mentoring tracker — %(name)s", name=user.name))
    for visit in feed_visits(user):
        calendar.add_component(visit_event(visit, visit_url(visit.id)))
    for follow_up in feed_follow_ups(user):
        calendar.add_component(follow_up_event(follow_up, visit_url(follow_up.report.visit_id)))
    return send_download(
        finish(calendar),
        "tracker.ics",
        ICS_MIMETYPE,
        inline=True,
        cache_control=FEED_CACHING,
    )


@bp.route("/account/calendar")
def settings():
    """The user's feed address and how to subscribe."""
    feed_url = (
        url_to("calendars.feed", token=current_user.calendar_token)
        if current_user.calendar_token
        else None
    )
    return render_template("calendars/settings.html", feed_url=feed_url)


@bp.route("/account/calendar/reset", methods=["POST"])
def reset():
    """Create the user's feed address, or replace it with a new one."""
    had_token = save_or_flash_errors(lambda: renew_feed_token(current_user))
    flash(
        _("Your new calendar address is ready. The old one, if any, no longer works.")
        if had_token
        else _("Your calendar address is ready."),
        "success",
    )
    return redirect(url_for("calendars.settings"))
