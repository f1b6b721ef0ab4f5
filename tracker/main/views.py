"""Home: what each role sees first."""

import sqlalchemy as sa
from flask import Blueprint, render_template
from flask_login import current_user

from tracker.auth.models import Role, User
from tracker.catalogue.models import Theme
from tracker.catalogue.queries import programmes_with_counts
from tracker.extensions import db
from tracker.pairs.queries import pair_counts_by_status, pair_list

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    pairs = pair_list(current_user)
    context = {"pairs": pairs, "status_counts": pair_counts_by_status(current_user)}
    if current_user.role is Role.COORDINATOR:
        context["programmes"] = programmes_with_counts()
        context["user_count"] = db.session.execute(sa.select(sa.func.count(User.id))).scalar_one()
    elif current_user.role is Role.EXPERT:
        context["themes"] = (
            db.session.execute(
                sa.select(Theme)
                .where(Theme.expert_organisation_id == current_user.organisation_id)
                .order_by(Theme.programme_id, Theme.code)
            )
            .scalars()
            .all()
        )
    return render_template(f"main/home_{current_user.role.value}.html", **context)
