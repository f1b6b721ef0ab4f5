"""The search page."""

from flask import Blueprint, render_template, request
from flask_login import current_user

from tracker.search.queries import MIN_LENGTH, search

bp = Blueprint("search", __name__)


@bp.route("/search")
def index():
    """Search the cities, pairs, actions, visits and deliverables the user may see."""
    text = request.args.get("q", "")
    return render_template(
        "search/index.html", results=search(current_user, text), text=text, min_length=MIN_LENGTH
    )
