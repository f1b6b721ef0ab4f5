"""The audit log's action codes in words people read ("action.updated" is "Action changed")."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ACTIONS = {
    "action.created": _l("Action added"),
    "action.updated": _l("Action changed"),
    "action.progress": _l("Progress posted"),
    "action.progress_withdrawn": _l("Progress withdrawn"),
    "assessment.started": _l("Self-assessment started"),
    "assessment.saved": _l("Self-assessment saved"),
    "assessment.completed": _l("Self-assessment completed"),
    "assessment.reopened": _l("Self-assessment reopened"),
    "assessment.targets_set": _l("Target levels set"),
    "assessment.carried_over_confirmed": _l("Carried-over ratings confirmed"),
    "catalogue.loaded": _l("Catalogue loaded"),
    "deliverable.created": _l("Deliverable added"),
    "deliverable.updated": _l("Deliverable changed"),
    "deliverable.status_changed": _l("Deliverable moved on"),
    "deliverable.file_added": _l("File added to a deliverable"),
    "deliverable.link_added": _l("Link added to a deliverable"),
    "organisation.created": _l("Organisation added"),
    "organisation.updated": _l("Organisation changed"),
    "organisation.bulk_added": _l("Organisations added from a file"),
    "pair.created": _l("Cities paired"),
    "pair.updated": _l("Pair changed"),
    "pair.status_changed": _l("Pair moved on"),
    "plan.started": _l("Action plan started"),
    "plan.updated": _l("Action plan changed"),
    "plan.status_changed": _l("Action plan moved on"),
    "plan.commented": _l("Comment on a plan"),
    "user.created": _l("Account created"),
    "user.updated": _l("Account changed"),
    "user.erased": _l("Account erased"),
    "user.bulk_invited": _l("People invited from a file"),
    "user.invitation_resent": _l("Invitation sent again"),
    "user.password_link_made": _l("Set-password link made"),
    "user.password_changed": _l("Password changed"),
    "user.password_set": _l("Password set"),
    "user.password_reset_requested": _l("New password asked for"),
    "user.language_chosen": _l("Language chosen"),
    "user.calendar_token_created": _l("Calendar address created"),
    "user.calendar_token_reset": _l("Calendar address renewed"),
    "user.calendar_kinds_chosen": _l("Calendar feed contents chosen"),
    "user.unsubscribed": _l("Emails turned off"),
    "user.session_ended": _l("Signed out elsewhere"),
    "user.sessions_ended": _l("Every other session ended"),
    "visit.planned": _l("Visit planned"),
    "visit.updated": _l("Visit changed"),
    "visit.status_changed": _l("Visit moved on"),
    "visit.recorded_afterwards": _l("Past visit recorded"),
    "visit.focus_set": _l("Visit focus set"),
    "visit.report_logged": _l("Visit report written"),
    "visit.report_updated": _l("Visit report changed"),
    "visit.files_attached": _l("Files attached to a report"),
    "visit.file_removed": _l("File removed from a report"),
}


def action_words(code: str) -> str:
    """An audit action in words; a code without words of its own reads as its parts
    ("bin.restored" as "Bin: restored"), never as a bare code."""
    if code in ACTIONS:
        return str(ACTIONS[code])
    area, _dot, what = code.partition(".")
    return f"{area.replace('_', ' ').capitalize()}: {what.replace('_', ' ')}".rstrip(": ")
