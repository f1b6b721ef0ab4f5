"""Pairing (coordinators), the pair list and the pair's home page."""

from urllib.parse import urlencode

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.audit.queries import recent_activity
from tracker.auth.policy.loaders import authorize, get_pair_or_404
from tracker.auth.policy.rules import Need, can
from tracker.bin.pages import delete_page
from tracker.catalogue.queries import newest_programmes_first
from tracker.checkins.queries import pair_check_ins
from tracker.forms import db_int
from tracker.pairs.deletions import pair_deletion
from tracker.pairs.forms import PairForm, PairStatusForm
from tracker.pairs.models import LIVE_PAIR_STATUSES, Pair, PairStatus
from tracker.pairs.queries import (
    PairFilters,
    filter_cities,
    filter_themes,
    pair_overview,
    pair_page,
    pairing_choices,
    pairing_suggestions,
)
from tracker.pairs.service import PAIR_TRANSITIONS, change_pair_status, save_pair
from tracker.sharing.queries import peer_reading_on
from tracker.transaction import save_or_flash_errors, save_or_show_errors
from tracker.workflow import next_statuses

bp = Blueprint("pairs", __name__)


@bp.route("/")
def index():
    """The pairs the user may see, filtered by programme, theme, status or city, a page at a
    time; the filters are in the address, so a filtered list can be bookmarked."""
    statuses = {s.value: s for s in PairStatus}
    filters = PairFilters(
        programme_id=request.args.get("programme", type=db_int),
        theme_id=request.args.get("theme", type=db_int),
        status=statuses.get(request.args.get("status") or ""),
        city_id=request.args.get("city", type=db_int),
    )
    return render_template(
        "pairs/index.html",
        page=pair_page(current_user, filters, request.args.get("page", 1, type=db_int)),
        filters=filters,
        programmes=newest_programmes_first(),
        themes=filter_themes(),
        cities=filter_cities(current_user),
        statuses=list(PairStatus),
    )


@bp.route("/<int:pair_id>")
def show(pair_id: int):
    """A pair's home: both cities, visits, self-assessments, plan, deliverables, activity."""
    pair = get_pair_or_404(pair_id, Need.VIEW)
    return render_template(
        "pairs/show.html",
        overview=pair_overview(pair),
        pair=pair,
        can_manage=can(current_user, Need.MANAGE_PAIR, pair),
        can_plan_visits=can(current_user, Need.MANAGE_VISITS, pair)
        and pair.status in LIVE_PAIR_STATUSES,
        status_form=PairStatusForm(),
        next_statuses=next_statuses(PAIR_TRANSITIONS, pair.status),
        activity=recent_activity(current_user, pair_id=pair.id, limit=15),
        check_ins=pair_check_ins(pair),
        shared_in_programme=peer_reading_on(pair.theme.programme_id),
    )


@bp.route("/new", methods=["GET", "POST"])
def create():
    """Pair two cities on a theme."""
    authorize(Need.PAIR_CITIES)
    return _edit(None)


@bp.route("/<int:pair_id>/edit", methods=["GET", "POST"])
def edit(pair_id: int):
    """Change a pair's cities, dates or notes."""
    return _edit(get_pair_or_404(pair_id, Need.MANAGE_PAIR))


def _edit(pair: Pair | None):
    themes, cities = pairing_choices()
    # "Show suggestions" sends the new pair's form by GET, so what was typed comes back in it.
    asking = pair is None and request.method == "GET" and "suggest" in request.args
    if asking and "csrf_token" in request.args:
        # The button sends the form's CSRF token too: keep it out of the address bar, the
        # browser's history and the links on the page.
        kept = [(k, v) for k, v in request.args.items(multi=True) if k != "csrf_token"]
        return redirect(f"{url_for('pairs.create')}?{urlencode(kept)}", 303)
    form = PairForm(themes, cities, obj=pair, **({"formdata": request.args} if asking else {}))
    if form.validate_on_submit() and (
        saved := save_or_show_errors(
            form,
            lambda: save_pair(
                current_user,
                pair,
                theme_id=form.theme_id.data,
                mentor_city_id=form.mentor_city_id.data,
                implementing_city_id=form.implementing_city_id.data,
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
                notes=form.notes.data or "",
            ),
        )
    ):
        flash(_("Saved the pair %(label)s.", label=saved.label), "success")
        return redirect(url_for("pairs.show", pair_id=saved.id))
    return render_template(
        "pairs/edit.html",
        form=form,
        pair=pair,
        suggestions=(
            pairing_suggestions(cities, form.theme_id.data, form.implementing_city_id.data)
            if asking
            else None
        ),
    )


@bp.route("/<int:pair_id>/status", methods=["POST"])
def change_status(pair_id: int):
    """Make a pair active, complete it or withdraw it."""
    pair = get_pair_or_404(pair_id, Need.MANAGE_PAIR)
    form = PairStatusForm()
    if not form.validate_on_submit():
        flash(_("Choose the pair's new status from the list."), "danger")
    elif save_or_flash_errors(
        lambda: change_pair_status(current_user, pair, PairStatus(form.status.data))
    ):
        flash(_("The pair is now %(status)s.", status=pair.status.label), "success")
    return redirect(url_for("pairs.show", pair_id=pair.id))


@bp.route("/<int:pair_id>/delete", methods=["GET", "POST"])
def delete(pair_id: int):
    """Delete a pair created by mistake, while nothing has happened in it (asks first)."""
    pair = get_pair_or_404(pair_id, Need.MANAGE_PAIR)
    return delete_page(
        pair_deletion(pair),
        back=url_for("pairs.show", pair_id=pair.id),
        done=url_for("pairs.index"),
    )
