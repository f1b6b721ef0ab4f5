"""The benchmark browser (everyone signed in) and catalogue loading (coordinators)."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.auth.policy.loaders import (
    authorize,
    get_programme_or_404,
    get_theme_or_404,
    programme_with_benchmarks,
)
from tracker.auth.policy.rules import Need
from tracker.catalogue.forms import LoadCatalogueForm
from tracker.catalogue.queries import programmes_with_counts
from tracker.catalogue.service import load_catalogue_file
from tracker.pairs.queries import PairFilters, pair_list
from tracker.transaction import save_or_show_errors

bp = Blueprint("catalogue", __name__)


@bp.route("/")
def index():
    """Every programme, with its number of themes and factors."""
    return render_template("catalogue/index.html", programmes=programmes_with_counts())


@bp.route("/<key>")
def programme(key: str):
    """A programme's themes and their benchmarks' factors."""
    programme = get_programme_or_404(key, Need.USE_TRACKER, *programme_with_benchmarks())
    return render_template("catalogue/programme.html", programme=programme)


@bp.route("/<key>/themes/<code>")
def theme(key: str, code: str):
    """A theme's benchmark: factors, guide questions, examples, and the user's pairs in it."""
    theme = get_theme_or_404(key, code)
    pairs = pair_list(current_user, PairFilters(theme_id=theme.id))
    return render_template("catalogue/theme.html", theme=theme, pairs=pairs)


@bp.route("/load", methods=["GET", "POST"])
def load():
    """Load a catalogue file (programmes, themes, benchmarks)."""
    authorize(Need.LOAD_CATALOGUE)
    form = LoadCatalogueForm()
    if form.validate_on_submit():
        upload = form.file.data
        report = save_or_show_errors(
            form,
            lambda: load_catalogue_file(current_user, upload.read(), upload.filename or "file"),
        )
        if report:
            flash(_("Catalogue loaded: %(summary)s.", summary=report.describe()), "success")
            return redirect(url_for("catalogue.programme", key=report.programmes[0]))
    return render_template("catalogue/load.html", form=form)
