"""The audit log, for coordinators: who changed what, and when."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from tracker.audit.queries import AuditFilters, audit_page
from tracker.auth.policy.guards import area_guard
from tracker.auth.policy.rules import Need
from tracker.forms import date_arg, db_int
from tracker.users.queries import names_by_id

bp = Blueprint("audit", __name__, url_prefix="/audit")
bp.before_request(area_guard(Need.ADMINISTER))


@bp.route("/")
def index():
    """The audit log with filters by person, pair, text and dates."""
    filters = AuditFilters(
        actor_id=request.args.get("actor", type=db_int),
        pair_id=request.args.get("pair", type=db_int),
        text=request.args.get("q", "").strip()[:200],
        date_from=date_arg("from"),
        date_to=date_arg("to"),
        timezone=current_user.timezone,
    )
    return render_template(
        "audit/index.html",
        page=audit_page(filters, request.args.get("page", 1, type=db_int)),
        filters=filters,
        people=names_by_id(),
    )
