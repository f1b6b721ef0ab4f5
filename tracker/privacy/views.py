"""A person's own data: what the tracker holds about them, as a page and a JSON download."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from tracker.db import utcnow
from tracker.downloads import send_download
from tracker.privacy.export import SECTIONS, personal_data_file

bp = Blueprint("privacy", __name__)


@bp.route("/account/data")
def account_data():
    """What the tracker keeps about the user, and the download."""
    return render_template(
        "privacy/account_data.html", sections=[section for section, _c, _f in SECTIONS]
    )


@bp.route("/account/data.json")
def download_own():
    """The user's own data as a JSON file."""
    body, filename = personal_data_file(current_user, utcnow())
    return send_download(body, filename, "application/json")
