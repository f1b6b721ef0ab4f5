"""The home page: a dashboard for each role."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template, request
from flask_login import current_user

from tracker.auth.models import Role
from tracker.catalogue.models import Programme
from tracker.clock import local_today
from tracker.dashboards.city import city_dashboard
from tracker.dashboards.coordinator import DashboardFilters, coordinator_dashboard
from tracker.dashboards.expert import expert_dashboard
from tracker.db import utcnow
from tracker.extensions import db
from tracker.pairs.health import Health
from tracker.pairs.models import PairStatus

bp = Blueprint("dashboards", __name__)


@bp.route("/")
def home():
    """The home page: the dashboard of the user's role."""
    today, now = local_today(), utcnow()
    if current_user.role is Role.COORDINATOR:
        filters = DashboardFilters.from_args(request.args)
        return render_template(
            "dashboards/coordinator.html",
            board=coordinator_dashboard(current_user, filters, today, now),
            filters=filters,
            healths=list(Health),
            pair_statuses=list(PairStatus),
        )
    if current_user.role is Role.CITY:
        return render_template(
            "dashboards/city.html", board=city_dashboard(current_user, today, now)
        )
    return render_template(
        "dashboards/expert.html", board=expert_dashboard(current_user, today, now)
    )


@bp.route("/about")
def about():
    """What the tracker is, and the programmes it holds (also the floor page of the benchmarks:
    a signed-in page with the full layout and one trivial query)."""
    programmes = db.session.execute(sa.select(sa.func.count(Programme.id))).scalar_one()
    return render_template("dashboards/about.html", programmes=programmes)
