"""The local action plan of a pair: its page, actions, review, endorsement, progress, exports."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from tracker.auth.policy.loaders import (
    authorize_on_pair,
    get_action_or_404,
    get_comment_or_404,
    get_endorsement_or_404,
    get_pair_or_404,
    get_plan_or_404,
    get_progress_update_or_404,
)
from tracker.auth.policy.rules import PLAN_STATUS_NEEDS, Need, allowed, can
from tracker.bin.pages import delete_page
from tracker.clock import local_today
from tracker.db import utcnow
from tracker.downloads import send_download
from tracker.files.forms import uploads_of
from tracker.forms import choices, db_int
from tracker.pairs.models import Pair
from tracker.pairs.queries import pair_people
from tracker.plans.deletions import (
    action_deletion,
    comment_deletion,
    endorsement_deletion,
    progress_deletion,
    still_deletable,
    withdraw_progress,
)
from tracker.plans.exports import plan_csv, plan_xlsx
from tracker.plans.forms import (
    ActionForm,
    CommentForm,
    EndorsementForm,
    PlanForm,
    PlanStatusForm,
    ProgressForm,
    ProgressUploadForm,
    WithdrawForm,
)
from tracker.plans.models import Action, ActionPlan, ActionStatus, EndorsementLevel, PlanStatus
from tracker.plans.progress_sheet import apply_upload, progress_sheet, read_upload
from tracker.plans.queries import (
    action_history,
    example_choices,
    factor_names,
    is_late,
    is_taken_up,
    pair_recommendation,
    plan_comments,
    plan_for_page,
    plan_overview,
)
from tracker.plans.rows import action_rows, priority_words
from tracker.plans.service import (
    ENDORSEMENT_STEPS,
    MANUAL_TRANSITIONS,
    ActionInput,
    add_comment,
    change_plan_status,
    post_progress,
    record_endorsement,
    save_action,
    start_plan,
    update_plan,
)
from tracker.spreadsheets import XLSX_MIMETYPE
from tracker.transaction import save_or_flash_errors, save_or_show_errors
from tracker.visits.models import Recommendation
from tracker.visits.queries import theme_factors
from tracker.workflow import next_statuses

bp = Blueprint("plans", __name__)


@bp.route("/pairs/<int:pair_id>/plan")
def show(pair_id: int):
    """The plan: objective, endorsements, actions with progress, gaps, comments."""
    pair = get_pair_or_404(pair_id)
    plan = plan_for_page(pair)
    if plan is None:
        return render_template(
            "plans/none.html", pair=pair, can_edit=can(current_user, Need.EDIT_PLAN, pair)
        )
    overview = plan_overview(plan, local_today())
    endorsement_level = next(
        (
            level
            for level, (required, _reached) in ENDORSEMENT_STEPS.items()
            if required is plan.status
        ),
        None,
    )
    return render_template(
        "plans/show.html",
        pair=pair,
        plan=plan,
        overview=overview,
        action_rows=action_rows(plan.actions, factor_names(plan.id), overview.late),
        priority_words=priority_words(),
        is_taken_up=is_taken_up,
        can_edit=can(current_user, Need.EDIT_PLAN, pair)
        and plan.status is not PlanStatus.COMPLETED,
        can_comment=can(current_user, Need.COMMENT_PLAN, pair),
        can_advance=can(current_user, Need.ADVANCE_PLAN, pair),
        can_post=can(current_user, Need.POST_PROGRESS, pair)
        and plan.status is not PlanStatus.COMPLETED,
        next_statuses=_allowed_statuses(plan),
        endorsement_level=endorsement_level,
        comment_form=CommentForm(),
    )


@bp.route("/pairs/<int:pair_id>/plan/start", methods=["POST"])
def start(pair_id: int):
    """Start the pair's plan."""
    pair = get_pair_or_404(pair_id, Need.EDIT_PLAN)
    if save_or_flash_errors(lambda: start_plan(current_user, pair)):
        flash(_("The action plan is started. Add its objective and actions."), "success")
    return redirect(url_for("plans.show", pair_id=pair.id))


@bp.route("/pairs/<int:pair_id>/plan/edit", methods=["GET", "POST"])
def edit(pair_id: int):
    """The plan's objective and period."""
    plan = get_plan_or_404(pair_id, Need.EDIT_PLAN)
    pair = plan.pair
    form = PlanForm(obj=plan)
    if request.method == "GET":
        form.version.data = plan.version_id
    if form.validate_on_submit() and save_or_show_errors(
        form,
        lambda: update_plan(
            current_user,
            plan,
            objective=form.objective.data or "",
            period_start=form.period_start.data,
            period_end=form.period_end.data,
            expected_version=form.version.data,
        ),
    ):
        flash(_("The plan is saved."), "success")
        return redirect(url_for("plans.show", pair_id=pair.id))
    return render_template("plans/edit.html", form=form, pair=pair, plan=plan)


@bp.route("/pairs/<int:pair_id>/plan/status", methods=["POST"])
def change_status(pair_id: int):
    """Move the plan on (submit for review, send back, start or complete implementation)."""
    plan = get_plan_or_404(pair_id, *PLAN_STATUS_NEEDS.values())
    pair = plan.pair
    form = PlanStatusForm()
    if form.validate_on_submit():
        target = PlanStatus(form.status.data)
        authorize_on_pair(plan, PLAN_STATUS_NEEDS[target])
        if save_or_flash_errors(lambda: change_plan_status(current_user, plan, target)):
            flash(_("The plan is now %(status)s.", status=plan.status.label.lower()), "success")
    return redirect(url_for("plans.show", pair_id=pair.id))


@bp.route("/pairs/<int:pair_id>/plan/endorsements/new", methods=["GET", "POST"])
def endorse(pair_id: int):
    """Record an administrative or political endorsement of the plan."""
    plan = get_plan_or_404(pair_id, Need.ADVANCE_PLAN)
    pair = plan.pair
    form = EndorsementForm(level=request.args.get("level", "administrative"))
    if form.validate_on_submit() and save_or_show_errors(
        form,
        lambda: record_endorsement(
            current_user,
            plan,
            level=EndorsementLevel(form.level.data),
            body=form.body.data,
            decided_on=form.decided_on.data,
            endorsed_by=form.endorsed_by.data or "",
            document_url=form.document_url.data,
            today=local_today(),
        ),
    ):
        flash(_("The endorsement is recorded."), "success")
        return redirect(url_for("plans.show", pair_id=pair.id))
    return render_template("plans/endorse.html", form=form, pair=pair, plan=plan)


@bp.route("/pairs/<int:pair_id>/plan/actions/new", methods=["GET", "POST"])
def new_action(pair_id: int):
    """Add an action to the plan; from a visit's recommendation, the form starts filled in
    with it (and cancelling leaves nothing behind)."""
    plan = get_plan_or_404(pair_id, Need.EDIT_PLAN)
    recommendation = None
    if recommendation_id := request.args.get("recommendation", type=db_int):
        recommendation = pair_recommendation(plan.pair_id, recommendation_id) or abort(404)
    return _edit_action(plan.pair, plan, None, recommendation)


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
def edit_action(action_id: int):
    """Change an action."""
    action = get_action_or_404(action_id, Need.EDIT_PLAN)
    return _edit_action(action.plan.pair, action.plan, action)


def _edit_action(
    pair: Pair,
    plan: ActionPlan,
    action: Action | None,
    recommendation: Recommendation | None = None,
):
    form = ActionForm(obj=action)
    live = theme_factors(pair.theme_id)
    # An action keeps a factor a later version retired among its choices, so saving it
    # again does not drop the factor unasked.
    kept = [factor for factor in (action.factors if action else []) if factor not in live]
    form.factor_ids.choices = choices((factor.id, factor) for factor in [*live, *kept])
    form.owner_user_id.choices = choices(
        [
            ("", "—"),
            *((user.id, user.name) for user in pair_people(pair, mentor=False, expert=False)),
        ]
    )
    form.example_id.choices = choices(
        [
            ("", "—"),
            *(
                (example.id, f"{example.city_name}: {example.title}")
                for example in example_choices(pair)
            ),
        ]
    )
    if action is not None and request.method == "GET":
        form.factor_ids.data = [factor.id for factor in action.factors]
        form.owner_user_id.data = action.owner_user_id
        form.example_id.data = action.example_id
        form.version.data = action.version_id
    if recommendation is not None and request.method == "GET":
        _start_from(form, recommendation)
    if form.validate_on_submit() and (
        saved := save_or_show_errors(
            form,
            lambda: save_action(
                current_user, plan, action, _action_input(form, action), form.version.data
            ),
        )
    ):
        flash(_("The action '%(title)s' is saved.", title=saved.title), "success")
        return redirect(url_for("plans.show_action", action_id=saved.id))
    return render_template(
        "plans/action_edit.html",
        form=form,
        pair=pair,
        plan=plan,
        action=action,
        recommendation=action.recommendation if action else recommendation,
    )


def _start_from(form: ActionForm, recommendation: Recommendation) -> None:
    """Fill a new action's form from a visit's recommendation: its text and its factor."""
    text = " ".join(recommendation.text.split())
    form.title.data = text if len(text) <= 120 else text[:119].rsplit(" ", 1)[0] + "…"
    form.description.data = recommendation.text
    form.factor_ids.data = [recommendation.factor_id]
    form.recommendation_id.data = recommendation.id


def _action_input(form: ActionForm, action: Action | None) -> ActionInput:
    return ActionInput(
        title=form.title.data or "",
        description=form.description.data or "",
        factor_ids=list(form.factor_ids.data or []),
        owner_user_id=form.owner_user_id.data,
        owner_name=form.owner_name.data or "",
        partners=form.partners.data or "",
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        resources=form.resources.data or "",
        indicator=form.indicator.data or "",
        target=form.target.data or "",
        example_id=form.example_id.data,
        recommendation_id=action.recommendation_id if action else form.recommendation_id.data,
    )


@bp.route("/actions/<int:action_id>", methods=["GET", "POST"])
def show_action(action_id: int):
    """An action, its progress history and comments; its city posts progress here."""
    need = Need.POST_PROGRESS if request.method == "POST" else Need.VIEW
    action = get_action_or_404(action_id, need)
    pair = action.plan.pair
    form = ProgressForm(status=action.status.value, progress=action.progress)
    if form.validate_on_submit() and save_or_show_errors(
        form,
        lambda: post_progress(
            current_user,
            action,
            status=ActionStatus(form.status.data),
            progress=form.progress.data,
            note=form.note.data or "",
            evidence_url=form.evidence_url.data,
            uploads=uploads_of(form.files),
        ),
    ):
        flash(_("Your progress update is saved."), "success")
        return redirect(url_for("plans.show_action", action_id=action.id))
    return render_template(
        "plans/action.html",
        action=action,
        plan=action.plan,
        pair=pair,
        history=action_history(action),
        form=form,
        comments=plan_comments(action.plan_id).get(action.id, []),
        comment_form=CommentForm(action_id=action.id),
        can_post=can(current_user, Need.POST_PROGRESS, pair)
        and action.plan.status is not PlanStatus.COMPLETED,
        can_edit=can(current_user, Need.EDIT_PLAN, pair)
        and action.plan.status is not PlanStatus.COMPLETED,
        can_comment=can(current_user, Need.COMMENT_PLAN, pair),
        late=is_late(action, local_today()),
        deletable=lambda update: still_deletable(update, utcnow()),
    )


@bp.route("/pairs/<int:pair_id>/plan/comments", methods=["POST"])
def comment(pair_id: int):
    """Comment on the plan or on one of its actions."""
    plan = get_plan_or_404(pair_id, Need.COMMENT_PLAN)
    pair = plan.pair
    form = CommentForm()
    action = None
    if form.action_id.data:
        action = next((item for item in plan.actions if item.id == form.action_id.data), None)
        if action is None:
            abort(404)
    if form.validate_on_submit() and save_or_flash_errors(
        lambda: add_comment(current_user, plan, form.body.data, action)
    ):
        flash(_("Your comment is posted."), "success")
    elif form.errors:
        flash(_("Write a comment first."), "danger")
    if action is not None:
        return redirect(url_for("plans.show_action", action_id=action.id) + "#comments")
    return redirect(url_for("plans.show", pair_id=pair.id) + "#comments")


@bp.route("/pairs/<int:pair_id>/plan/export.<any(csv, xlsx):kind>")
def export(pair_id: int, kind: str):
    """The plan as a CSV or Excel file."""
    plan = get_plan_or_404(pair_id)
    pair = plan.pair
    filename = f"action-plan-{pair.implementing_city.name}-{pair.theme.code}".replace(" ", "-")
    if kind == "csv":
        return send_download(plan_csv(plan), f"{filename}.csv", "text/csv")
    return send_download(plan_xlsx(plan), f"{filename}.xlsx", XLSX_MIMETYPE)


@bp.route("/pairs/<int:pair_id>/plan/print")
def print_view(pair_id: int):
    """The plan laid out for printing."""
    plan = get_plan_or_404(pair_id)
    pair = plan.pair
    return render_template(
        "plans/print.html", pair=pair, plan=plan, overview=plan_overview(plan, local_today())
    )


@bp.route("/pairs/<int:pair_id>/plan/progress-sheet", methods=["GET", "POST"])
def progress_upload(pair_id: int):
    """Download the progress sheet, or upload it filled in to update many actions at once."""
    plan = get_plan_or_404(pair_id, Need.POST_PROGRESS)
    pair = plan.pair
    if request.method == "GET" and request.args.get("download"):
        name = f"progress-{pair.implementing_city.name}-{pair.theme.code}.xlsx".replace(" ", "-")
        return send_download(progress_sheet(plan), name, XLSX_MIMETYPE)
    form = ProgressUploadForm()
    result = None
    if form.validate_on_submit():
        result = read_upload(plan, form.file.data.read())
        if not result.problems and save_or_show_errors(
            form, lambda: apply_upload(current_user, plan, result)
        ):
            flash(
                ngettext(
                    "%(num)d action updated from the sheet.",
                    "%(num)d actions updated from the sheet.",
                    len(result.changes),
                ),
                "success",
            )
            return redirect(url_for("plans.show", pair_id=pair.id))
    return render_template(
        "plans/progress_upload.html", form=form, pair=pair, plan=plan, result=result
    )


def _allowed_statuses(plan: ActionPlan) -> list[PlanStatus]:
    reachable = next_statuses(MANUAL_TRANSITIONS, plan.status)
    return allowed(current_user, {status: PLAN_STATUS_NEEDS[status] for status in reachable}, plan)


@bp.route("/actions/<int:action_id>/delete", methods=["GET", "POST"])
def delete_action(action_id: int):
    """Delete an action added by mistake, with its progress and comments (asks first)."""
    action = get_action_or_404(action_id, Need.EDIT_PLAN)
    return delete_page(
        action_deletion(action),
        back=url_for("plans.show_action", action_id=action.id),
        done=url_for("plans.show", pair_id=action.plan.pair_id),
    )


@bp.route("/comments/<int:comment_id>/delete", methods=["GET", "POST"])
def delete_comment(comment_id: int):
    """Its author deletes a comment (asks first)."""
    comment = get_comment_or_404(comment_id, Need.CORRECT_OWN_WORDS)
    where = (
        url_for("plans.show_action", action_id=comment.action_id)
        if comment.action_id
        else url_for("plans.show", pair_id=comment.plan.pair_id)
    ) + "#comments"
    return delete_page(comment_deletion(comment), back=where, done=where)


@bp.route("/endorsements/<int:endorsement_id>/delete", methods=["GET", "POST"])
def delete_endorsement(endorsement_id: int):
    """Delete an endorsement recorded by mistake; the plan steps back (asks first)."""
    endorsement = get_endorsement_or_404(endorsement_id, Need.CORRECT_ENDORSEMENT)
    plan_page = url_for("plans.show", pair_id=endorsement.plan.pair_id)
    return delete_page(endorsement_deletion(endorsement), back=plan_page, done=plan_page)


@bp.route("/progress/<int:update_id>/delete", methods=["GET", "POST"])
def delete_progress(update_id: int):
    """Its author deletes a progress update posted by mistake, the same day (asks first)."""
    update = get_progress_update_or_404(update_id, Need.CORRECT_OWN_WORDS)
    action_page = url_for("plans.show_action", action_id=update.action_id) + "#history"
    return delete_page(progress_deletion(update, utcnow()), back=action_page, done=action_page)


@bp.route("/progress/<int:update_id>/withdraw", methods=["GET", "POST"])
def withdraw(update_id: int):
    """Its author withdraws an older progress update, saying why; it stays, struck through."""
    update = get_progress_update_or_404(update_id, Need.CORRECT_OWN_WORDS)
    action_page = url_for("plans.show_action", action_id=update.action_id)
    form = WithdrawForm()
    if form.validate_on_submit() and save_or_show_errors(
        form, lambda: withdraw_progress(current_user, update, form.reason.data)
    ):
        flash(_("The update is withdrawn; it stays in the history, struck through."), "success")
        return redirect(action_page + "#history")
    return render_template("plans/withdraw.html", form=form, update=update, back=action_page)
