"""The kinds of notification, as users choose them on their preferences page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KINDS: dict[str, object] = {
    "visit_soon": _l("A visit coming up"),
    "report_missing": _l("A visit report not written yet"),
    "visit_report": _l("A visit report logged"),
    "plan_stale": _l("An action plan without progress for a while"),
    "action_due": _l("An action due or overdue"),
    "action_untouched": _l("An action nobody has updated for long"),
    "follow_up_due": _l("A follow-up due or overdue"),
    "deliverable_due": _l("A deliverable due or overdue"),
    "review_waiting": _l("A plan waiting for review"),
    "endorsement_pending": _l("An endorsement still to record"),
    "plan_status": _l("An action plan moving on (review, endorsement)"),
    "comment": _l("A comment on an action plan"),
    "progress": _l("Progress posted on a plan you follow"),
    "deliverable_submitted": _l("A deliverable submitted"),
    "deliverable_reviewed": _l("A deliverable approved or sent back"),
    "digest": _l("The weekly digest of pairs at risk (coordinators)"),
    "benchmark_published": _l("A new version of your theme's benchmark"),
}
# Always emailed, whatever the preferences: the user needs them to use the tracker at all.
ESSENTIAL = frozenset({"account"})


def label(kind: str) -> str:
    return str(KINDS.get(kind, kind))
