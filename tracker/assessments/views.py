"""Self-assessment: a pair's rounds and results, the round form, reopening, and target levels."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.assessments.chart import result_chart
from tracker.assessments.forms import (
    StartRoundForm,
    return_anchor,
    round_form,
    round_inputs,
    round_progress,
    target_inputs,
    targets_form,
)
from tracker.assessments.models import Assessment, AssessmentRound, AssessmentStatus
from tracker.assessments.queries import PairAssessments, pair_assessments, round_content
from tracker.assessments.scale import LEVEL_LABELS
from tracker.assessments.service import reopen_round, save_round, set_targets, start_round
from tracker.auth.policy.loaders import get_assessment_or_404, get_pair_or_404
from tracker.auth.policy.rules import Need, can
from tracker.clock import local_today
from tracker.dates import long_date
from tracker.pairs.models import Pair
from tracker.transaction import save_or_flash_errors, save_or_show_errors

bp = Blueprint("assessments", __name__)


@bp.route("/pairs/<int:pair_id>/assessments")
def index(pair_id: int):
    """A pair's self-assessment rounds, the latest results and the form to start a round."""
    pair = get_pair_or_404(pair_id, Need.VIEW)
    return _index_page(pair, StartRoundForm(formdata=None))


@bp.route("/pairs/<int:pair_id>/assessments/new", methods=["POST"])
def start(pair_id: int):
    """Start a round for the user's own city."""
    pair = get_pair_or_404(pair_id, Need.ASSESS_OWN_CITY)
    form = StartRoundForm()
    if form.validate_on_submit() and (
        assessment := save_or_show_errors(
            form,
            lambda: start_round(
                current_user,
                pair,
                current_user.organisation_id,
                AssessmentRound(form.round.data),
                form.assessed_on.data,
            ),
        )
    ):
        flash(_started_message(assessment), "success")
        return redirect(url_for("assessments.edit", assessment_id=assessment.id))
    return _index_page(pair, form)


@bp.route("/assessments/<int:assessment_id>", methods=["GET", "POST"])
def edit(assessment_id: int):
    """A round: its ratings and answers, editable by the assessed city while a draft."""
    need = Need.ANSWER_ROUND if request.method == "POST" else Need.VIEW
    assessment, pair = get_assessment_or_404(assessment_id, need)
    content = round_content(assessment)
    form = round_form(assessment, content)
    if form.validate_on_submit() and save_or_show_errors(
        form,
        lambda: save_round(
            current_user, assessment, pair_id=pair.id, **round_inputs(form, content)
        ),
    ):
        if assessment.status is AssessmentStatus.COMPLETED:
            flash(_("The round is completed and locked."), "success")
            return redirect(url_for("assessments.index", pair_id=pair.id))
        if form.confirm_all.data:
            flash(
                _("Every carried-over answer is confirmed. Complete the round when it is ready."),
                "success",
            )
            anchor = "carried-over"
        else:
            flash(_("Your draft is saved."), "success")
            anchor = return_anchor(form, content)
        return redirect(url_for("assessments.edit", assessment_id=assessment.id, _anchor=anchor))
    return render_template(
        "assessments/edit.html",
        assessment=assessment,
        pair=pair,
        content=content,
        form=form,
        progress=round_progress(assessment, form, content),
        editable=can(current_user, Need.ANSWER_ROUND, assessment, pairs=[pair])
        and assessment.status is AssessmentStatus.DRAFT,
        can_reopen=can(current_user, Need.REOPEN_ROUND)
        and assessment.status is AssessmentStatus.COMPLETED,
        scale=LEVEL_LABELS,
    )


@bp.route("/assessments/<int:assessment_id>/reopen", methods=["POST"])
def reopen(assessment_id: int):
    """Open a completed round again as a draft (coordinators)."""
    assessment, pair = get_assessment_or_404(assessment_id, Need.REOPEN_ROUND)
    if save_or_flash_errors(lambda: reopen_round(current_user, assessment, pair_id=pair.id)):
        flash(_("The round is open again as a draft."), "success")
    return redirect(url_for("assessments.edit", assessment_id=assessment.id))


@bp.route("/pairs/<int:pair_id>/targets", methods=["GET", "POST"])
def targets(pair_id: int):
    """The implementing city's target level per factor."""
    pair = get_pair_or_404(pair_id, Need.SET_TARGETS)
    overview = pair_assessments(pair)
    if overview.latest is None:
        flash(_("Complete a self-assessment round before setting target levels."), "warning")
        return redirect(url_for("assessments.index", pair_id=pair.id))
    form = targets_form(overview.factors, {r.factor.id: r.target for r in overview.results})
    if form.validate_on_submit() and save_or_show_errors(
        form, lambda: set_targets(current_user, pair, target_inputs(form, overview.factors))
    ):
        flash(_("The target levels are saved."), "success")
        return redirect(url_for("assessments.index", pair_id=pair.id))
    return render_template(
        "assessments/targets.html", pair=pair, overview=overview, form=form, scale=LEVEL_LABELS
    )


def _index_page(pair: Pair, start_form: StartRoundForm):
    overview = pair_assessments(pair)
    may_assess = can(current_user, Need.ASSESS_OWN_CITY, pair)
    if start_form.assessed_on.data is None:
        start_form.assessed_on.data = local_today()
    if start_form.round.data is None:
        start_form.round.data = _next_round(overview, current_user.organisation_id).value
    return render_template(
        "assessments/index.html",
        pair=pair,
        overview=overview,
        chart=result_chart(overview.results, _legend(overview)) if overview.latest else None,
        start_form=start_form,
        own_city_id=current_user.organisation_id if may_assess else None,
        can_set_targets=can(current_user, Need.SET_TARGETS, pair) and overview.latest is not None,
        scale=LEVEL_LABELS,
    )


def _started_message(assessment: Assessment) -> str:
    source = assessment.carried_from
    if source is None:
        return _("The round is started. Rate each factor, then complete the round.")
    return _(
        "The round is started from your %(round)s round of %(date)s: its levels, evidence, "
        "answers and context notes are carried over. Confirm or change each one, then "
        "complete the round.",
        round=str(source.round.label).lower(),
        date=long_date(source.assessed_on),
    )


def _next_round(overview: PairAssessments, city_id: int) -> AssessmentRound:
    """The first kind of round the city has not started yet (the final one if all are)."""
    taken = {assessment.round for assessment in overview.rounds_of(city_id)}
    return next((kind for kind in AssessmentRound if kind not in taken), AssessmentRound.FINAL)


def _legend(overview: PairAssessments) -> list[str]:
    keys = ["baseline"] if overview.has_change else []
    keys.append("latest")
    if overview.has_targets:
        keys.append("target")
    if overview.has_mentor:
        keys.append("mentor")
    return keys
