"""Sending a stored file (a deliverable's file, an attachment) to the person who asked."""

from __future__ import annotations

from flask import Response, abort

from tracker.downloads import send_download
from tracker.files.models import StoredFile
from tracker.files.storage import shown_inline
from tracker.files.store import file_store


def send_stored(stored: StoredFile, *, viewer: bool) -> Response:
    """The file under the name its uploader gave: pictures shown, PDFs shown in the viewer,
    everything else downloaded; not found if the file is missing from the store."""
    store = file_store()
    if not store.exists(stored.stored_name):
        abort(404)
    return send_download(
        store.stream(stored.stored_name),
        stored.original_name,
        stored.content_type,
        inline=shown_inline(stored.content_type, stored.stored_name, viewer=viewer),
        size=stored.size_bytes,
    )
