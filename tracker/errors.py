"""Error pages."""

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
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


def register_error_pages(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return _render(error.code or 500)

    @app.errorhandler(500)
    def server_error(error: Exception):
        db.session.rollback()
        return _render(500)


def _render(code: int):
    title, message = ERROR_TEXT.get(code, ERROR_TEXT[400] if code < 500 else ERROR_TEXT[500])
    return render_template("error.html", code=code, title=title, message=message), code
