"""The reminder rules, by what they remind about. Each finds, in one query, who must be reminded
of what right now; each says what it does in words built from the configured thresholds."""

from __future__ import annotations

from flask_babel import gettext as _

from tracker.reminders.rules.check_ins import check_ins_due
from tracker.reminders.rules.common import Rule
from tracker.reminders.rules.deliverables import deliverables_due
from tracker.reminders.rules.plans import (
    actions_due,
    actions_untouched,
    endorsements_pending,
    plans_waiting_for_review,
    plans_without_progress,
)
from tracker.reminders.rules.visits import follow_ups_due, reports_missing, visits_coming_up

RULES = [
    Rule(
        "visits_coming_up",
        visits_coming_up,
        lambda s: _(
            "A visit coming up, %(far)d and %(near)d days ahead: its participants",
            far=s["visit_soon_days"][0],
            near=s["visit_soon_days"][1],
        ),
    ),
    Rule(
        "reports_missing",
        reports_missing,
        lambda s: _(
            "A visit held %(days)d days ago without a report: the expert partner; after "
            "%(escalate)d days: the coordinators",
            days=s["report_missing_days"],
            escalate=s["report_missing_escalate_days"],
        ),
    ),
    Rule(
        "plans_without_progress",
        plans_without_progress,
        lambda s: _(
            "No progress on a plan being carried out for %(days)d days: the implementing city",
            days=s["plan_stale_days"],
        ),
    ),
    Rule(
        "actions_due",
        actions_due,
        lambda s: _(
            "An action due within %(days)d days, or overdue: its owner", days=s["action_due_days"]
        ),
    ),
    Rule(
        "follow_ups_due",
        follow_ups_due,
        lambda s: _(
            "A follow-up due within %(days)d days, or overdue: its owner",
            days=s["follow_up_due_days"],
        ),
    ),
    Rule(
        "deliverables_due",
        deliverables_due,
        lambda s: _(
            "A deliverable due within %(days)d days, or overdue: the responsible organisation",
            days=s["deliverable_due_days"],
        ),
    ),
    Rule(
        "plans_waiting_for_review",
        plans_waiting_for_review,
        lambda s: _(
            "A plan under review for %(days)d days: the mentor city and the expert partner",
            days=s["review_waiting_days"],
        ),
    ),
    Rule(
        "actions_untouched",
        actions_untouched,
        lambda s: _(
            "An action nobody updated for %(days)d days: the mentor city and the expert partner",
            days=s["action_untouched_days"],
        ),
    ),
    Rule(
        "endorsements_pending",
        endorsements_pending,
        lambda s: _(
            "An endorsement pending for %(days)d days: the implementing city, every %(repeat)d "
            "days until it is recorded",
            days=s["endorsement_pending_days"],
            repeat=s["endorsement_repeat_days"],
        ),
    ),
    Rule(
        "check_ins_due",
        check_ins_due,
        lambda s: _(
            "%(months)s months after a pair completed: the implementing city, asked for a "
            "check-in, and reminded once after %(days)d days",
            months=", ".join(str(m) for m in s["check_in_months"]),
            days=s["check_in_reminder_days"],
        ),
    ),
]
