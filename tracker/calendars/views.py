"""Downloading a visit as .ics, and each user's private calendar feed."""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from tracker.audit.service import record
from tracker.auth.models import User
from tracker.auth.policy import get_visit_or_404, pair_scope, public
from tracker.calendars.ics import finish, follow_up_event, new_calendar, visit_event
from tracker.catalogue.models import Theme
from tracker.db import utcnow
from tracker.downloads import send_download
from tracker.extensions import db
from tracker.links import url_to
from tracker.pairs.models import Pair
from tracker.visits.models import FollowUp, Visit, VisitReport

bp = Blueprint("calendars", __name__)

FEED_HISTORY = timedelta(days=400)  # how far back a feed goes
ICS_MIMETYPE = "text/calendar"
# Calendar programs poll the feed; a few minutes' caching spares the server without hiding news.
FEED_CACHING = "private, max-age=300"


def visit_url(visit_id: int) -> str:
    return url_to("visits.show", visit_id=visit_id)


@bp.route("/calendar/visits/<int:visit_id>.ics")
def visit_file(visit_id: int):
    visit = get_visit_or_404(visit_id)
    calendar = new_calendar(_("Mentoring visit"))
    calendar.add_component(visit_event(visit, visit_url(visit.id)))
    return send_download(finish(calendar), f"visit-{visit.id}.ics", ICS_MIMETYPE)


@bp.route("/calendar/feed/<token>.ics")
@public
def feed(token: str):
    user = db.session.execute(
        sa.select(User).where(User.calendar_token == token)
    ).scalar_one_or_none()
    if user is None or not user.is_active or not secrets.compare_digest(user.calendar_token, token):
        abort(404)
    calendar = new_calendar(_("Mentoring tracker — %(name)s", name=user.name))
    for visit in _feed_visits(user):
        calendar.add_component(visit_event(visit, visit_url(visit.id)))
    for follow_up in _feed_follow_ups(user):
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
    feed_url = (
        url_to("calendars.feed", token=current_user.calendar_token)
        if current_user.calendar_token
        else None
    )
    return render_template("calendars/settings.html", feed_url=feed_url)


@bp.route("/account/calendar/reset", methods=["POST"])
def reset():
    had_token = current_user.calendar_token is not None
    current_user.calendar_token = secrets.token_urlsafe(32)
    record(
        current_user,
        "user.calendar_token_reset" if had_token else "user.calendar_token_created",
        current_user,
        f"{current_user.name} {'reset' if had_token else 'created'} their calendar feed address",
    )
    db.session.commit()
    flash(
        _("Your new calendar address is ready. The old one, if any, no longer works.")
        if had_token
        else _("Your calendar address is ready."),
        "success",
    )
    return redirect(url_for("calendars.settings"))


def _feed_visits(user: User) -> list[Visit]:
    return list(
        db.session.execute(
            sa.select(Visit)
            .join(Visit.pair)
            .where(pair_scope(user), Visit.ends_on >= (utcnow() - FEED_HISTORY).date())
            .options(
                joinedload(Visit.pair).joinedload(Pair.theme).joinedload(Theme.programme),
                joinedload(Visit.pair).joinedload(Pair.mentor_city),
                joinedload(Visit.pair).joinedload(Pair.implementing_city),
                joinedload(Visit.host_city),
            )
            .order_by(Visit.starts_on)
        ).scalars()
    )


def _feed_follow_ups(user: User) -> list[FollowUp]:
    mine = sa.or_(
        FollowUp.owner_user_id == user.id, FollowUp.owner_organisation_id == user.organisation_id
    )
    return list(
        db.session.execute(
            sa.select(FollowUp)
            .join(FollowUp.report)
            .join(VisitReport.visit)
            .join(Visit.pair)
            .where(mine, FollowUp.done_at.is_(None), pair_scope(user))
            .options(joinedload(FollowUp.report))
            .order_by(FollowUp.due_on)
        ).scalars()
    )
