"""Pages shared within a programme: the other pairs, and a pair's plan, results and reports,
read only; the coordinators' switch."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.assessments.queries import pair_assessments
from tracker.auth.policy.loaders import (
    get_programme_or_404,
    get_shared_pair_or_404,
    get_shared_visit_or_404,
)
from tracker.auth.policy.rules import Need, can
from tracker.sharing.forms import PeerReadingForm
from tracker.sharing.queries import (
    peer_reading_on,
    shared_pairs,
    shared_plan,
    shared_report,
    shared_visits,
)
from tracker.sharing.service import set_peer_reading
from tracker.transaction import save_or_flash_errors

bp = Blueprint("sharing", __name__)


@bp.route("/programmes/<key>/shared")
def index(key: str):
    """The other pairs of a programme the user reads, and the peer-reading switch."""
    programme = get_programme_or_404(key)
    on = peer_reading_on(programme.id)
    return render_template(
        "sharing/index.html",
        programme=programme,
        on=on,
        pairs=shared_pairs(current_user, programme),
        form=PeerReadingForm(peer_reading="on" if on else "off"),
        can_switch=can(current_user, Need.SET_PEER_READING),
    )


@bp.route("/programmes/<key>/peer-reading", methods=["POST"])
def switch(key: str):
    """Turn a programme's peer reading on or off."""
    programme = get_programme_or_404(key, Need.SET_PEER_READING)
    form = PeerReadingForm()
    if not form.validate_on_submit():
        flash(_("Choose on or off."), "danger")
    else:
        on = form.peer_reading.data == "on"
        if save_or_flash_errors(lambda: set_peer_reading(current_user, programme, on)):
            flash(_("Peer reading is on.") if on else _("Peer reading is off."), "success")
    return redirect(url_for("sharing.index", key=programme.key))


@bp.route("/pairs/<int:pair_id>/shared")
def pair(pair_id: int):
    """A pair's plan, reported visits and self-assessment results, as shared in its programme."""
    pair = get_shared_pair_or_404(pair_id)
    return render_template(
        "sharing/pair.html",
        pair=pair,
        plan=shared_plan(pair),
        visits=shared_visits(pair),
        assessments=pair_assessments(pair),
    )


@bp.route("/visits/<int:visit_id>/shared")
def visit(visit_id: int):
    """A finished visit report as shared in its programme, without personal data."""
    visit = get_shared_visit_or_404(visit_id)
    return render_template(
        "sharing/visit.html", visit=visit, pair=visit.pair, report=shared_report(visit)
    )
