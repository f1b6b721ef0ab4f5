"""The check-in page: the implementing city answers it; the pair's people read the answers."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.auth.policy.loaders import get_pair_or_404
from tracker.auth.policy.rules import Need, can
from tracker.checkins.forms import CheckInForm
from tracker.checkins.models import ActionOutcome
from tracker.checkins.schedule import check_in_today
from tracker.checkins.service import ActionAnswer, answer_check_in, due_check_in
from tracker.plans.queries import plan_for_pair
from tracker.transaction import save_or_show_errors

bp = Blueprint("checkins", __name__)


@bp.route("/pairs/<int:pair_id>/check-ins/<int:months>", methods=["GET", "POST"])
def answer(pair_id: int, months: int):
    """A check-in months after the pair completed: the city's answers, or the form to give them."""
    need = Need.ANSWER_CHECK_IN if request.method == "POST" else Need.VIEW
    pair = get_pair_or_404(pair_id, need)
    check_in = due_check_in(pair, months)
    if check_in is None:
        flash(_("This pair has no check-in %(months)d months after it completed.", months=months))
        return redirect(url_for("pairs.show", pair_id=pair.id))
    plan = plan_for_pair(pair)
    actions = plan.actions if plan else []
    form = CheckInForm().for_actions([action.title for action in actions])
    if form.validate_on_submit() and save_or_show_errors(
        form,
        lambda: answer_check_in(
            current_user,
            pair,
            months,
            plan_still_endorsed=form.plan_still_endorsed.data == "yes",
            what_changed=form.what_changed.data,
            answers=[
                ActionAnswer(action, ActionOutcome(entry.outcome.data), entry.note.data or "")
                for action, entry in zip(actions, form.actions, strict=True)
            ],
        ),
    ):
        flash(_("Thank you: your check-in is saved."), "success")
        return redirect(url_for("pairs.show", pair_id=pair.id, _anchor="check-ins-title"))
    return render_template(
        "checkins/answer.html",
        pair=pair,
        check_in=check_in,
        form=form,
        actions=actions,
        open_for_answers=check_in.is_due(check_in_today()),
        can_answer=can(current_user, Need.ANSWER_CHECK_IN, pair),
    )
