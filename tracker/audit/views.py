"""The audit log, for coordinators: who changed what, and when."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template, request
from flask_login import current_user

from tracker.audit.queries import AuditFilters, audit_page
from tracker.auth.models import User
from tracker.auth.policy import require_coordinator
from tracker.extensions import db
from tracker.forms import date_arg, db_int

bp = Blueprint("audit", __name__, url_prefix="/audit")
bp.before_request(require_coordinator)


@bp.route("/")
def index():
    filters = AuditFilters(
        actor_id=request.args.get("actor", type=db_int),
        pair_id=request.args.get("pair", type=db_int),
        text=request.args.get("q", "").strip()[:200],
        date_from=date_arg("from"),
        date_to=date_arg("to"),
        timezone=current_user.timezone,
    )
    people = db.session.execute(sa.select(User.id, User.name).order_by(User.name)).all()
    return render_template(
        "audit/index.html",
        page=audit_page(filters, request.args.get("page", 1, type=db_int)),
        filters=filters,
        people=people,
    )
