"""Correcting a plan: deleting an action, a comment, an endorsement or a progress update made by
mistake (to the bin), withdrawing an older progress update, and what restoring them undoes."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from tracker.audit.service import record
from tracker.auth.models import User
from tracker.bin.models import BinEntry, BinKind
from tracker.bin.service import Deletion
from tracker.dates import long_date
from tracker.db import utcnow
from tracker.exceptions import RuleViolation
from tracker.extensions import db
from tracker.locking import touch
from tracker.messages import N_
from tracker.plans.models import (
    Action,
    ActionPlan,
    ActionStatus,
    Endorsement,
    PlanComment,
    PlanStatus,
    ProgressUpdate,
    ProgressWithdrawal,
)
from tracker.plans.service import ENDORSEMENT_STEPS
from tracker.wording import one_line


def action_deletion(action: Action) -> Deletion:
    """Deleting an action takes its progress history and its comments with it."""
    updates, comments = _counts(action)
    went = []
    if updates:
        went.append(ngettext("%(num)d progress update", "%(num)d progress updates", updates))
    if comments:
        went.append(ngettext("%(num)d comment", "%(num)d comments", comments))
    return Deletion(
        BinKind.ACTION,
        action,
        _("The action '%(title)s' of %(pair)s", title=action.title, pair=action.plan.pair.label),
        action.plan.pair_id,
        went,
        refusal=_completed(action.plan),
    )


def comment_deletion(comment: PlanComment) -> Deletion:
    """Its author deletes a comment."""
    return Deletion(
        BinKind.COMMENT,
        comment,
        _(
            "A comment on the action plan of %(pair)s: “%(start)s”",
            pair=comment.plan.pair.label,
            start=one_line(comment.body, 60),
        ),
        comment.plan.pair_id,
    )


def endorsement_deletion(endorsement: Endorsement) -> Deletion:
    """A coordinator deletes an endorsement recorded by mistake; the plan goes back to the
    status it had before. Only the latest endorsement of a plan that has not moved on since."""
    plan = endorsement.plan
    required, reached = ENDORSEMENT_STEPS[endorsement.level]
    refusal = None
    if plan.status is not reached:
        refusal = _(
            "The plan has moved on since this endorsement (it is now %(status)s): only the "
            "latest step can be undone.",
            status=plan.status.label.lower(),
        )

    def step_back() -> None:
        _set_status(plan, required)

    return Deletion(
        BinKind.ENDORSEMENT,
        endorsement,
        _(
            "The %(level)s endorsement of the action plan of %(pair)s (%(body)s, %(date)s)",
            level=str(endorsement.level.label).lower(),
            pair=plan.pair.label,
            body=endorsement.body,
            date=long_date(endorsement.decided_on),
        ),
        plan.pair_id,
        [_("the plan goes back to %(status)s", status=required.label.lower())],
        refusal=refusal,
        after=step_back,
    )


def progress_deletion(update: ProgressUpdate, now: datetime) -> Deletion:
    """Its author deletes a progress update posted by mistake, within the hours allowed; the
    action shows the update before it again."""
    action = update.action
    refusal = None
    if not still_deletable(update, now):
        refusal = _(
            "A progress update can be deleted for %(hours)d hours after it was posted; this one "
            "is part of the record now. Withdraw it instead, saying why.",
            hours=current_app.config["PROGRESS_DELETE_HOURS"],
        )
    return Deletion(
        BinKind.PROGRESS_UPDATE,
        update,
        _(
            "Progress on '%(title)s' posted %(date)s: %(progress)d%%, %(status)s",
            title=action.title,
            date=long_date(update.created_at),
            progress=update.progress,
            status=str(update.status.label).lower(),
        ),
        action.plan.pair_id,
        refusal=refusal or _completed(action.plan),
        after=lambda: sync_with_history(action),
    )


def still_deletable(update: ProgressUpdate, now: datetime) -> bool:
    """Whether its author may still delete the update (else they withdraw it)."""
    hours = current_app.config["PROGRESS_DELETE_HOURS"]
    return now - update.created_at <= timedelta(hours=hours)


def withdraw_progress(actor: User, update: ProgressUpdate, reason: str) -> ProgressWithdrawal:
    """Take back a progress update kept in the record: it stays, struck through, with why."""
    if not reason.strip():
        raise RuleViolation(_("Say why the update is withdrawn."), "reason")
    if update.withdrawal is not None:
        raise RuleViolation(_("This update is already withdrawn."))
    action = update.action
    if (refusal := _completed(action.plan)) is not None:
        raise RuleViolation(refusal)
    withdrawal = ProgressWithdrawal(update=update, withdrawn_by_id=actor.id, reason=reason.strip())
    db.session.add(withdrawal)
    db.session.flush()
    sync_with_history(action)
    record(
        actor,
        "action.progress_withdrawn",
        action,
        N_(
            "Withdrew the progress update of %(date)s on '%(title)s' (%(reason)s)",
            date=update.created_at,
            title=action.title,
            reason=reason.strip(),
        ),
        pair_id=action.plan.pair_id,
    )
    return withdrawal


def sync_with_history(action: Action) -> None:
    """The action shows its latest progress update that stands (none: not started), and the
    plan the time of its latest."""
    latest = db.session.execute(
        sa.select(ProgressUpdate)
        .outerjoin(ProgressWithdrawal)
        .where(ProgressUpdate.action_id == action.id, ProgressWithdrawal.update_id.is_(None))
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    action.status = latest.status if latest else ActionStatus.NOT_STARTED
    action.progress = latest.progress if latest else 0
    touch(action)
    plan = action.plan
    plan.last_progress_at = db.session.execute(
        sa.select(sa.func.max(ProgressUpdate.created_at))
        .join(Action)
        .outerjoin(ProgressWithdrawal)
        .where(Action.plan_id == plan.id, ProgressWithdrawal.update_id.is_(None))
    ).scalar_one()


def progress_restored(entry: BinEntry) -> None:
    """A progress update back from the bin counts again on its action."""
    action_id = entry.contents["rows"]["progress_update"][0]["action_id"]
    sync_with_history(db.session.get(Action, action_id))


def endorsement_restored(entry: BinEntry) -> None:
    """An endorsement back from the bin moves its plan on again, if it stands where it was."""
    row = entry.contents["rows"]["endorsement"][0]
    plan = db.session.get(ActionPlan, row["plan_id"])
    required, reached = next(
        steps for level, steps in ENDORSEMENT_STEPS.items() if level.value == row["level"]
    )
    if plan.status is not required:
        raise RuleViolation(
            _(
                "The plan has moved on since the endorsement was deleted (it is now "
                "%(status)s), so it cannot take it back.",
                status=plan.status.label.lower(),
            )
        )
    _set_status(plan, reached)


def _set_status(plan: ActionPlan, status: PlanStatus) -> None:
    plan.status, plan.status_changed_at = status, utcnow()
    touch(plan)


def _completed(plan: ActionPlan) -> str | None:
    if plan.status is PlanStatus.COMPLETED:
        return _("The plan is completed and can no longer be changed.")
    return None


def _counts(action: Action) -> tuple[int, int]:
    updates = db.session.execute(
        sa.select(sa.func.count(ProgressUpdate.id)).where(ProgressUpdate.action_id == action.id)
    ).scalar_one()
    comments = db.session.execute(
        sa.select(sa.func.count(PlanComment.id)).where(PlanComment.action_id == action.id)
    ).scalar_one()
    return updates, comments
