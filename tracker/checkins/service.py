"""Answering a check-in: the implementing city, once per check-in, when it is due."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _

from tracker.audit.service import record
from tracker.auth.models import User
from tracker.checkins.models import ActionOutcome, CheckIn, CheckInAction
from tracker.checkins.queries import pair_check_ins
from tracker.checkins.schedule import DueCheckIn, check_in_today
from tracker.exceptions import RuleViolation
from tracker.extensions import db
from tracker.messages import N_
from tracker.pairs.models import Pair
from tracker.plans.models import Action


@dataclass(frozen=True)
class ActionAnswer:
    action: Action
    outcome: ActionOutcome
    note: str = ""


def due_check_in(pair: Pair, months: int) -> DueCheckIn | None:
    """The pair's check-in at `months` after its completion, if it has one."""
    return next((c for c in pair_check_ins(pair) if c.months == months), None)


def answer_check_in(
    actor: User,
    pair: Pair,
    months: int,
    *,
    plan_still_endorsed: bool,
    what_changed: str,
    answers: Sequence[ActionAnswer],
) -> CheckIn:
    """Record the city's check-in, refusing one that is not due or was answered already."""
    check_in = due_check_in(pair, months)
    if check_in is None or check_in.due_on > check_in_today():
        raise RuleViolation(_("This check-in is not due yet."))
    if check_in.answer is not None:
        raise RuleViolation(_("This check-in has already been answered."))
    what_changed = " ".join(what_changed.split())
    if not what_changed:
        raise RuleViolation(_("Write one sentence."), "what_changed")
    answer = CheckIn(
        pair_id=pair.id,
        months=months,
        completed_on=check_in.completed_on,
        plan_still_endorsed=plan_still_endorsed,
        what_changed=what_changed,
        answered_by_id=actor.id,
        actions=[
            CheckInAction(
                action_id=given.action.id,
                position=position,
                title=given.action.title,
                outcome=given.outcome,
                note=given.note.strip(),
            )
            for position, given in enumerate(answers, start=1)
        ],
    )
    db.session.add(answer)
    db.session.flush()
    record(
        actor,
        "check_in.answered",
        answer,
        N_(
            "Check-in %(months)d months after %(pair)s completed: %(answers)s",
            months=months,
            pair=pair.label,
            answers=[
                N_("%(action)s: %(outcome)s", action=given.action.title, outcome=given.outcome)
                for given in answers
            ],
        ),
        pair_id=pair.id,
        months=months,
        plan_still_endorsed=plan_still_endorsed,
    )
    return answer
