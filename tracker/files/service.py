"""Attaching evidence to a progress update or a visit report, and removing it from a report."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from tracker.audit.service import record
from tracker.auth.models import User
from tracker.exceptions import RuleViolation
from tracker.extensions import db
from tracker.files.models import Attachment
from tracker.files.storage import check_upload, store
from tracker.files.store import file_store
from tracker.messages import N_
from tracker.plans.models import ProgressUpdate
from tracker.visits.models import VisitReport

MAX_FILES_AT_ONCE = 10


@dataclass(frozen=True)
class Upload:
    """A file as the browser sent it."""

    filename: str | None
    data: bytes


def attach(
    actor: User,
    uploads: list[Upload],
    owner: ProgressUpdate | VisitReport,
    field: str = "files",
) -> list[Attachment]:
    """Check every file (refusing them all, saying which, if one is not accepted), then keep
    them as the owner's evidence."""
    if len(uploads) > MAX_FILES_AT_ONCE:
        raise RuleViolation(
            _("Attach at most %(count)d files at once.", count=MAX_FILES_AT_ONCE), field
        )
    checked = []
    for upload in uploads:
        try:
            checked.append(check_upload(upload.filename, upload.data))
        except RuleViolation as refusal:
            raise RuleViolation(
                _("%(name)s: %(reason)s", name=upload.filename or "?", reason=refusal.message),
                field,
            ) from refusal
    attachments = [
        Attachment(
            original_name=file.display_name,
            stored_name=store(upload.data, file.extension),
            content_type=file.content_type,
            size_bytes=file.size,
            sha256=file.sha256,
            uploaded_by_id=actor.id,
        )
        for file, upload in zip(checked, uploads, strict=True)
    ]
    owner.attachments.extend(attachments)
    db.session.flush()
    return attachments


def attach_to_report(actor: User, report: VisitReport, uploads: list[Upload]) -> list[Attachment]:
    """Add files to a visit report (minutes, photos, slides)."""
    if not uploads:
        raise RuleViolation(_("Choose the files to attach."), "files")
    attachments = attach(actor, uploads, report)
    record(
        actor,
        "visit.files_attached",
        report.visit,
        N_(
            "Attached %(files)s to the report of the visit of %(pair)s",
            files=", ".join(a.original_name for a in attachments),
            pair=report.visit.pair.label,
        ),
        pair_id=report.visit.pair_id,
    )
    return attachments


def remove_from_report(actor: User, attachment: Attachment) -> None:
    """Take a file off a visit report (a progress update's files are its record: they go only
    with the update)."""
    report = attachment.visit_report
    if report is None:
        raise RuleViolation(_("The files of a progress update go only with the update itself."))
    file_store().discard(attachment.stored_name)
    record(
        actor,
        "visit.file_removed",
        report.visit,
        N_(
            "Removed %(file)s from the report of the visit of %(pair)s",
            file=attachment.original_name,
            pair=report.visit.pair.label,
        ),
        pair_id=report.visit.pair_id,
    )
    db.session.delete(attachment)
