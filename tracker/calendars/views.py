"""Downloading a visit as .ics, and each user's private calendar feed."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from icalendar import Calendar

from tracker.auth.policy.guards import public
from tracker.auth.policy.loaders import get_visit_or_404
from tracker.auth.policy.rules import Need, can
from tracker.calendars.forms import FeedKindsForm
from tracker.calendars.ics import dated_event, finish, follow_up_event, new_calendar, visit_events
from tracker.calendars.queries import (
    FeedKind,
    feed_actions,
    feed_deliverables,
    feed_endorsements,
    feed_follow_ups,
    feed_kinds,
    feed_owner,
    feed_visits,
    programme_by_key,
    programme_visits,
    programmes,
)
from tracker.calendars.service import choose_feed_kinds, renew_feed_token
from tracker.downloads import send_download
from tracker.links import url_to
from tracker.transaction import save_or_flash_errors, save_or_show_errors

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
    for event in visit_events(visit, visit_url(visit.id)):
        calendar.add_component(event)
    return send_download(finish(calendar), f"visit-{visit.id}.ics", ICS_MIMETYPE)


@bp.route("/calendar/feed/<token>.ics")
@public
def feed(token: str):
    """A person's private feed of what they chose to see (the token is the key)."""
    user = feed_owner(token)
    if user is None:
        abort(404)
    calendar = new_calendar(_("Mentoring tracker — %(name)s", name=user.name))
    kinds = feed_kinds(user)
    if FeedKind.VISITS in kinds:
        _add_visits(calendar, feed_visits(user))
    if FeedKind.FOLLOW_UPS in kinds:
        for follow_up in feed_follow_ups(user):
            calendar.add_component(follow_up_event(follow_up, visit_url(follow_up.report.visit_id)))
    if FeedKind.ACTIONS in kinds:
        for action in feed_actions(user):
            link = url_to("plans.show_action", action_id=action.id)
            summary = _("Action ends: %(title)s", title=action.title)
            calendar.add_component(
                dated_event(
                    f"action-{action.id}", action.ends_on, summary, action.plan.pair.label, link
                )
            )
    if FeedKind.DELIVERABLES in kinds:
        for deliverable in feed_deliverables(user):
            link = url_to("deliverables.show", deliverable_id=deliverable.id)
            summary = _("Deliverable due: %(title)s", title=deliverable.title)
            calendar.add_component(
                dated_event(
                    f"deliverable-{deliverable.id}",
                    deliverable.due_on,
                    summary,
                    deliverable.pair.label if deliverable.pair else "",
                    link,
                )
            )
    if FeedKind.ENDORSEMENTS in kinds:
        for plan, expected_on in feed_endorsements(user):
            link = url_to("plans.show", pair_id=plan.pair_id)
            summary = _("Endorsement to record: %(pair)s", pair=plan.pair.label)
            calendar.add_component(
                dated_event(
                    f"endorsement-{plan.id}-{plan.status.value}",
                    expected_on,
                    summary,
                    _("The action plan is %(status)s.", status=plan.status.label.lower()),
                    link,
                )
            )
    return _send_feed(calendar)


@bp.route("/calendar/feed/<token>/programmes/<key>.ics")
@public
def programme_feed(token: str, key: str):
    """A coordinator's private feed of every visit of a programme (their token is the key)."""
    user = feed_owner(token)
    programme = programme_by_key(key)
    if user is None or programme is None or not can(user, Need.ADMINISTER):
        abort(404)
    calendar = new_calendar(_("Mentoring visits — %(programme)s", programme=programme.name))
    _add_visits(calendar, programme_visits(programme))
    return _send_feed(calendar)


def _add_visits(calendar: Calendar, visits: list) -> None:
    for visit in visits:
        for event in visit_events(visit, visit_url(visit.id)):
            calendar.add_component(event)


def _send_feed(calendar: Calendar):
    return send_download(
        finish(calendar),
        "tracker.ics",
        ICS_MIMETYPE,
        inline=True,
        cache_control=FEED_CACHING,
    )


@bp.route("/account/calendar", methods=["GET", "POST"])
def settings():
    """The user's feed address, what it shows, and how to subscribe."""
    user = current_user._get_current_object()
    form = FeedKindsForm(data={"kinds": [kind.value for kind in feed_kinds(user)]})
    if form.validate_on_submit() and save_or_show_errors(
        form, lambda: choose_feed_kinds(user, {FeedKind(value) for value in form.kinds.data})
    ):
        flash(_("Your calendar feed now shows what you chose."), "success")
        return redirect(url_for("calendars.settings"))
    token = user.calendar_token
    feed_url = url_to("calendars.feed", token=token) if token else None
    programme_feeds = (
        [
            (programme, url_to("calendars.programme_feed", token=token, key=programme.key))
            for programme in programmes()
        ]
        if token and can(user, Need.ADMINISTER)
        else []
    )
    return render_template(
        "calendars/settings.html", feed_url=feed_url, form=form, programme_feeds=programme_feeds
    )


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
