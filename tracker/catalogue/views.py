"""The benchmark browser (everyone signed in), its YAML files and format page, and catalogue
loading (coordinators)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.auth.policy.loaders import (
    authorize,
    get_programme_or_404,
    get_theme_or_404,
    programme_with_benchmarks,
)
from tracker.auth.policy.rules import Need
from tracker.benchmarks.queries import latest_version, version_number
from tracker.catalogue.export import format_page_html, programme_yaml, template_yaml, theme_yaml
from tracker.catalogue.forms import LoadCatalogueForm
from tracker.catalogue.queries import programmes_with_counts
from tracker.catalogue.service import load_catalogue_file
from tracker.downloads import send_download
from tracker.forms import db_int
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
    return render_template(
        "catalogue/theme.html",
        theme=theme,
        pairs=pairs,
        latest_version=latest_version(theme.id),
    )


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
            if report.benchmarks:  # drafts: nothing is published before someone confirms
                return redirect(url_for("benchmarks.programme_drafts", key=report.programmes[0]))
            return redirect(url_for("catalogue.programme", key=report.programmes[0]))
    return render_template("catalogue/load.html", form=form)


YAML = "application/yaml"


@bp.route("/<key>/catalogue.yaml")
def programme_file(key: str):
    """The programme as a catalogue file: its themes at their latest published versions."""
    programme = get_programme_or_404(key, Need.USE_TRACKER, *programme_with_benchmarks())
    return send_download(programme_yaml(programme), f"{programme.key}.yaml", YAML)


@bp.route("/<key>/themes/<code>/benchmark.yaml")
def benchmark_file(key: str, code: str):
    """A theme's benchmark as a catalogue file: the latest version, or `?version=n`."""
    theme = get_theme_or_404(key, code)
    number = request.args.get("version", type=db_int)
    version = version_number(theme.id, number) if number else latest_version(theme.id)
    if version is None:
        abort(404)
    return send_download(
        theme_yaml(theme, version), f"{key}-{code}-v{version.number}.yaml".lower(), YAML
    )


@bp.route("/template.yaml")
def template_file():
    """An empty catalogue file with a comment on every line, to start from."""
    authorize(Need.USE_TRACKER)
    return send_download(template_yaml(), "catalogue-template.yaml", YAML)


@bp.route("/format")
def format_help():
    """The catalogue file format, from docs/catalogue-format.md."""
    authorize(Need.USE_TRACKER)
    return render_template("catalogue/format.html", body=format_page_html())
