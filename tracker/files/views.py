"""Files attached as evidence: downloading one, attaching to a visit report, removing from it."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.auth.policy.loaders import get_attachment_or_404, get_visit_or_404
from tracker.auth.policy.rules import Need
from tracker.files.forms import AttachForm, uploads_of
from tracker.files.sending import send_stored
from tracker.files.service import attach_to_report, remove_from_report
from tracker.transaction import save_or_flash_errors

bp = Blueprint("files", __name__)


@bp.route("/attachments/<int:attachment_id>")
def download(attachment_id: int):
    """A file attached to a progress update or a visit report (pictures shown, the rest
    downloaded, as for a deliverable's files)."""
    attachment = get_attachment_or_404(attachment_id)
    return send_stored(attachment, viewer=request.args.get("view") == "1")


@bp.route("/visits/<int:visit_id>/attachments", methods=["POST"])
def attach(visit_id: int):
    """Attach files to a visit's report: minutes, photos, slides."""
    visit = get_visit_or_404(visit_id, Need.REPORT_VISIT)
    form = AttachForm()
    if visit.report is None:
        flash(_("Write the report first; then files can be attached to it."), "warning")
    elif form.validate_on_submit() and save_or_flash_errors(
        lambda: attach_to_report(current_user, visit.report, uploads_of(form.files))
    ):
        flash(_("The files are attached to the report."), "success")
    else:
        for errors in form.errors.values():
            flash(" ".join(str(error) for error in errors), "danger")
    return redirect(url_for("visits.show", visit_id=visit.id) + "#attachments")


@bp.route("/attachments/<int:attachment_id>/remove", methods=["POST"])
def remove(attachment_id: int):
    """Take a file off a visit report."""
    attachment = get_attachment_or_404(attachment_id, Need.REPORT_VISIT)
    visit_id = attachment.visit_report.visit_id if attachment.visit_report else None
    if save_or_flash_errors(lambda: remove_from_report(current_user, attachment)):
        flash(_("The file is removed from the report."), "success")
    if visit_id is None:
        return redirect(
            url_for("plans.show_action", action_id=attachment.progress_update.action_id)
        )
    return redirect(url_for("visits.show", visit_id=visit_id) + "#attachments")
