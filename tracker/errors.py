"""Error pages."""

from typing import Any

from flask import Flask, g, has_request_context, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

from tracker.extensions import db

ERROR_TEXT = {
    400: (
        _l("Bad request"),
        _l("The request could not be understood. Please go back and try again."),
    ),
    403: (
        _l("Not allowed"),
        _l("Your role does not let you do this. Ask a coordinator if you need it."),
    ),
    404: (_l("Not found"), _l("There is nothing here, or it is not shared with you.")),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    409: (_l("Changed meanwhile"), _l("Someone else changed this while you were working on it.")),
    410: (
        _l("In the bin"),
        _l(
            "Someone deleted this, so it is in the bin now and nothing was saved. A coordinator "
            "can restore it from there, with everything that went with it."
        ),
    ),
    413: (_l("File too large"), _l("The file you sent is larger than the tracker accepts.")),
    429: (
        _l("Too many attempts"),
        _l(
            "To protect the accounts, the tracker pauses after several failed attempts for the "
            "same account or from the same place. Please wait a quarter of an hour and try "
            "again, or ask for a link to set a new password."
        ),
    ),
    500: (
        _l("Something went wrong"),
        _l("Nothing was saved. Please try again; if it happens again, tell a coordinator."),
    ),
}
# A request can fail after its change was committed (showing the next page, say): then saying
# "nothing was saved" would make people send it again.
FAILED_AFTER_SAVING = (
    _l("Saved, but something went wrong afterwards"),
    _l(
        "Your change was saved; only showing the next page failed. Do not send it again: open "
        "the page again to see it. If this happens again, tell a coordinator."
    ),
)


def register_error_pages(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return _render(error.code or 500)

    @app.errorhandler(500)
    def server_error(error: Exception):
        db.session.rollback()
        if g.get("committed"):
            return _render(500, FAILED_AFTER_SAVING)
        return _render(500)

    if not event.contains(Session, "after_commit", _remember_commit):
        event.listen(Session, "after_commit", _remember_commit)


def _remember_commit(_session: Any) -> None:
    """Note that this request has committed something, for the error page."""
    if has_request_context():
        g.committed = True


def _render(code: int, text: tuple[Any, Any] | None = None):
    title, message = text or ERROR_TEXT.get(
        code, ERROR_TEXT[400] if code < 500 else ERROR_TEXT[500]
    )
    return render_template("error.html", code=code, title=title, message=message), code
