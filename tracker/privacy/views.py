"""A person's own data: what the tracker holds about them, as a page and a JSON download."""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template
from flask_login import current_user

from tracker.auth.models import User
from tracker.db import utcnow
from tracker.downloads import send_download
from tracker.privacy.export import SECTIONS, personal_data

bp = Blueprint("privacy", __name__)


@bp.route("/account/data")
def account_data():
    return render_template(
        "privacy/account_data.html", sections=[section for section, _c, _f in SECTIONS]
    )


@bp.route("/account/data.json")
def download_own():
    return personal_data_download(current_user)


def personal_data_download(user: User) -> Response:
    """The person's data as a JSON attachment."""
    body = json.dumps(personal_data(user, utcnow()), ensure_ascii=False, indent=2)
    return send_download(body, f"personal-data-{user.id}.json", "application/json")
