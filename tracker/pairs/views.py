"""Pair list and the pair's home page."""

from flask import Blueprint, render_template
from flask_login import current_user

from tracker.auth.policy import Need, get_pair_or_404, relation_to_pair
from tracker.pairs.queries import pair_list

bp = Blueprint("pairs", __name__)


@bp.route("/")
def index():
    return render_template("pairs/index.html", pairs=pair_list(current_user))


@bp.route("/<int:pair_id>")
def show(pair_id: int):
    pair = get_pair_or_404(pair_id, Need.VIEW)
    return render_template(
        "pairs/show.html", pair=pair, relation=relation_to_pair(current_user, pair)
    )
