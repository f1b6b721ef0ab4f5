"""Visits: planning, status, the report, the briefing, and the lists."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.assessments.context import city_context
from tracker.assessments.queries import latest_ratings
from tracker.auth.policy.loaders import (
    get_follow_up_or_404,
    get_pair_or_404,
    get_recommendation_or_404,
    get_visit_or_404,
)
from tracker.auth.policy.rules import Need, can
from tracker.bin.pages import delete_page
from tracker.clock import local_today
from tracker.files.forms import AttachForm
from tracker.forms import choices, date_arg, db_int, enum_choices
from tracker.pairs.queries import filter_themes
from tracker.transaction import save_or_flash_errors, save_or_show_errors
from tracker.visits import report_forms
from tracker.visits.deletions import (
    follow_up_deletion,
    recommendation_deletion,
    visit_deletion,
)
from tracker.visits.forms import FocusForm, VisitForm, VisitStatusForm
from tracker.visits.models import Visit, VisitKind, VisitStatus
from tracker.visits.queries import (
    VisitFilters,
    examples_mentor_first,
    is_report_overdue,
    load_visit_details,
    report_overdue_days,
    suggested_focus,
    theme_factors,
    visit_page,
)
from tracker.visits.reports import REPORTABLE, save_report
from tracker.visits.service import (
    EDITABLE,
    MANUAL_TRANSITIONS,
    VisitDetails,
    change_visit_status,
    eligible_participants,
    plan_visit,
    set_focus,
    update_visit,
)
from tracker.workflow import next_statuses

bp = Blueprint("visits", __name__)


@bp.route("/visits/")
def index():
    """The visits the user may see, filtered, with overdue reports flagged."""
    filters = VisitFilters(
        theme_id=request.args.get("theme", type=db_int),
        statuses=_statuses_arg(request.args.get("status", "")),
        programme_id=request.args.get("programme", type=db_int),
        date_from=date_arg("from"),
        date_to=date_arg("to"),
        awaiting_report=request.args.get("awaiting_report") == "1",
    )
    today = local_today()
    page = visit_page(current_user, filters, today, request.args.get("page", 1, type=db_int))
    return render_template(
        "visits/index.html",
        page=page,
        filters=filters,
        themes=filter_themes(),
        statuses=enum_choices(VisitStatus),
        overdue=lambda visit: is_report_overdue(visit, today),
        overdue_days=report_overdue_days(),
    )


@bp.route("/pairs/<int:pair_id>/visits/new", methods=["GET", "POST"])
def create(pair_id: int):
    """Plan a visit for a pair."""
    pair = get_pair_or_404(pair_id, Need.MANAGE_VISITS)
    form = _visit_form(pair, None)
    if form.validate_on_submit() and (
        visit := save_or_show_errors(
            form, lambda: plan_visit(current_user, pair, _details(form), local_today())
        )
    ):
        return _after_saving(visit, _("The visit is planned."))
    return render_template("visits/edit.html", form=form, pair=pair, visit=None)


def _after_saving(visit: Visit, message: str):
    """Back to the visit; one recorded as held goes straight on to its report."""
    if visit.recorded_afterwards and visit.report is None:
        flash(_("The visit is recorded as held. Its report can be written now."), "success")
        return redirect(url_for("visits.report", visit_id=visit.id))
    flash(message, "success")
    return redirect(url_for("visits.show", visit_id=visit.id))


@bp.route("/visits/<int:visit_id>")
def show(visit_id: int):
    """A visit: dates, agenda, participants, status and its report."""
    visit = load_visit_details(get_visit_or_404(visit_id))
    pair = visit.pair
    return render_template(
        "visits/show.html",
        visit=visit,
        pair=pair,
        can_manage=can(current_user, Need.MANAGE_VISITS, pair),
        can_report=can(current_user, Need.REPORT_VISIT, pair) and visit.status in REPORTABLE,
        editable=visit.status in EDITABLE,
        status_form=VisitStatusForm(),
        next_statuses=next_statuses(MANUAL_TRANSITIONS, visit.status),
        report_overdue=is_report_overdue(visit, local_today()),
        attach_form=AttachForm(),
    )


@bp.route("/visits/<int:visit_id>/edit", methods=["GET", "POST"])
def edit(visit_id: int):
    """Change a planned or confirmed visit."""
    visit = get_visit_or_404(visit_id, Need.MANAGE_VISITS)
    form = _visit_form(visit.pair, visit)
    if form.validate_on_submit() and save_or_show_errors(
        form,
        lambda: update_visit(current_user, visit, _details(form), form.version.data, local_today()),
    ):
        return _after_saving(visit, _("The visit is saved."))
    return render_template("visits/edit.html", form=form, pair=visit.pair, visit=visit)


@bp.route("/visits/<int:visit_id>/status", methods=["POST"])
def change_status(visit_id: int):
    """Confirm, hold or cancel a visit."""
    visit = get_visit_or_404(visit_id, Need.MANAGE_VISITS)
    form = VisitStatusForm()
    if form.validate_on_submit() and save_or_flash_errors(
        lambda: change_visit_status(
            current_user,
            visit,
            VisitStatus(form.status.data),
            local_today(),
            form.reason.data or "",
        )
    ):
        flash(_("The visit is now %(status)s.", status=visit.status.label.lower()), "success")
    return redirect(url_for("visits.show", visit_id=visit.id))


@bp.route("/visits/<int:visit_id>/report", methods=["GET", "POST"])
def report(visit_id: int):
    """Write or change the report of a held visit."""
    visit = load_visit_details(get_visit_or_404(visit_id, Need.REPORT_VISIT))
    if visit.status not in REPORTABLE:
        flash(_("A report can be written once the visit has been held."), "warning")
        return redirect(url_for("visits.show", visit_id=visit.id))
    factors = theme_factors(visit.pair.theme_id)
    form = report_forms.build(visit, factors)
    if form.validate_on_submit():
        if save_or_show_errors(
            form, lambda: save_report(current_user, visit, **report_forms.inputs(form))
        ):
            flash(_("The report is saved."), "success")
            return redirect(url_for("visits.show", visit_id=visit.id))
    elif form.is_submitted():
        report_forms.show_rule_problems(form, visit)
    return render_template("visits/report.html", form=form, visit=visit, pair=visit.pair)


@bp.route("/visits/<int:visit_id>/focus", methods=["GET", "POST"])
def focus(visit_id: int):
    """Choose the factors the visit's briefing concentrates on."""
    visit = load_visit_details(get_visit_or_404(visit_id, Need.MANAGE_VISITS))
    factors = theme_factors(visit.pair.theme_id)
    suggested = suggested_focus(visit, factors)
    form = FocusForm()
    form.factor_ids.choices = choices((factor.id, factor) for factor in factors)
    if request.method == "GET":
        form.factor_ids.data = [factor.id for factor in visit.focus_factors] or suggested
    chosen = set(form.factor_ids.data or [])
    if form.validate_on_submit() and save_or_show_errors(
        form,
        lambda: set_focus(current_user, visit, [f for f in factors if f.id in chosen]),
    ):
        flash(_("The briefing's focus is saved."), "success")
        return redirect(url_for("visits.briefing", visit_id=visit.id))
    return render_template(
        "visits/focus.html",
        form=form,
        visit=visit,
        pair=visit.pair,
        suggested=set(suggested),
        ratings=latest_ratings(visit.pair.implementing_city_id, visit.pair.theme_id),
    )


@bp.route("/visits/<int:visit_id>/briefing")
def briefing(visit_id: int):
    """The briefing for a visit: the factors in focus, ratings, good practice and context."""
    visit = load_visit_details(get_visit_or_404(visit_id))
    factors = theme_factors(visit.pair.theme_id)
    focus_ids = {factor.id for factor in visit.focus_factors}
    return render_template(
        "visits/briefing.html",
        visit=visit,
        pair=visit.pair,
        focus=[factor for factor in factors if factor.id in focus_ids],
        ratings=latest_ratings(visit.pair.implementing_city_id, visit.pair.theme_id),
        context=city_context(
            visit.pair.implementing_city_id, visit.pair.theme_id, visit.pair.theme.programme_id
        ),
        examples=lambda factor: examples_mentor_first(factor, visit.pair.mentor_city_id),
        can_manage=can(current_user, Need.MANAGE_VISITS, visit.pair),
    )


@bp.route("/visits/<int:visit_id>/delete", methods=["GET", "POST"])
def delete(visit_id: int):
    """Delete a visit entered by mistake, with its report (asks first)."""
    visit = get_visit_or_404(visit_id, Need.MANAGE_VISITS)
    return delete_page(
        visit_deletion(visit),
        back=url_for("visits.show", visit_id=visit.id),
        done=url_for("pairs.show", pair_id=visit.pair_id),
    )


@bp.route("/recommendations/<int:recommendation_id>/delete", methods=["GET", "POST"])
def delete_recommendation(recommendation_id: int):
    """Delete one recommendation of a visit report (asks first)."""
    recommendation = get_recommendation_or_404(recommendation_id, Need.REPORT_VISIT)
    visit_page = url_for("visits.show", visit_id=recommendation.report.visit_id)
    return delete_page(recommendation_deletion(recommendation), back=visit_page, done=visit_page)


@bp.route("/follow-ups/<int:follow_up_id>/delete", methods=["GET", "POST"])
def delete_follow_up(follow_up_id: int):
    """Delete one follow-up of a visit report (asks first)."""
    follow_up = get_follow_up_or_404(follow_up_id, Need.REPORT_VISIT)
    visit_page = url_for("visits.show", visit_id=follow_up.report.visit_id)
    return delete_page(follow_up_deletion(follow_up), back=visit_page, done=visit_page)


def _visit_form(pair, visit: Visit | None) -> VisitForm:
    form = VisitForm(obj=visit)
    people = eligible_participants(pair)
    form.participant_ids.choices = choices(
        (user.id, f"{user.name} — {user.organisation.name}") for user in people
    )
    if visit is not None and request.method == "GET":
        form.kind.data = visit.kind.value
        form.version.data = visit.version_id
        form.participant_ids.data = [p.user_id for p in visit.participants if p.user_id]
        form.guests.data = "\n".join(
            f"{p.guest_name}, {p.guest_affiliation}" if p.guest_affiliation else p.guest_name
            for p in visit.participants
            if p.guest_name
        )
    return form


def _details(form: VisitForm) -> VisitDetails:
    return VisitDetails(
        kind=VisitKind(form.kind.data),
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data or form.starts_on.data,
        starts_at_time=form.starts_at_time.data,
        ends_at_time=form.ends_at_time.data,
        location=form.location.data or "",
        agenda=form.agenda.data or "",
        participant_ids=list(form.participant_ids.data or []),
        guests=_guests(form.guests.data or ""),
        already_held=bool(form.already_held.data),
    )


def _guests(text: str) -> list[tuple[str, str]]:
    guests = []
    for line in text.splitlines():
        name, _sep, affiliation = line.partition(",")
        if name.strip():
            guests.append((name.strip(), affiliation.strip()))
    return guests


def _statuses_arg(value: str) -> list[VisitStatus]:
    """One status, or several separated by commas (links from the dashboard)."""
    known = {status.value: status for status in VisitStatus}
    return [known[part] for part in value.split(",") if part in known]
