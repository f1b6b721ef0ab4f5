"""Choosing files to attach."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import MultipleFileField

from tracker.files.service import Upload


def files_field() -> MultipleFileField:
    """A field for several files at once, checked by their content when saved."""
    return MultipleFileField(
        _l("Attach files"),
        description=_l(
            "Minutes, photos, slides or a decision: PDF, pictures, Word, Excel, PowerPoint or "
            "OpenDocument files."
        ),
    )


class AttachForm(FlaskForm):
    files = files_field()


def uploads_of(field: MultipleFileField) -> list[Upload]:
    """The files chosen in a field (none chosen: an empty list)."""
    return [
        Upload(upload.filename, upload.read())
        for upload in field.data or []
        if getattr(upload, "filename", None)
    ]
