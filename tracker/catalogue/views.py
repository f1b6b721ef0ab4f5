"""The benchmark browser (everyone signed in) and catalogue loading (coordinators)."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.audit.service import record
from tracker.auth.policy import ensure
from tracker.catalogue.forms import LoadCatalogueForm
from tracker.catalogue.loader import CatalogueError, load_document, parse
from tracker.catalogue.queries import get_programme_or_404, get_theme_or_404, programmes_with_counts
from tracker.extensions import db
from tracker.pairs.queries import pair_list

bp = Blueprint("catalogue", __name__)


@bp.route("/")
def index():
    return render_template("catalogue/index.html", programmes=programmes_with_counts())


@bp.route("/<key>")
def programme(key: str):
    return render_template("catalogue/programme.html", programme=get_programme_or_404(key))


@bp.route("/<key>/themes/<code>")
def theme(key: str, code: str):
    theme = get_theme_or_404(key, code)
    pairs = pair_list(current_user, theme_id=theme.id)
    return render_template("catalogue/theme.html", theme=theme, pairs=pairs)


@bp.route("/load", methods=["GET", "POST"])
def load():
    ensure(current_user.is_coordinator)
    form = LoadCatalogueForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            document = parse(upload.read(), upload.filename or "file")
            report = load_document(document)
        except CatalogueError as error:
            db.session.rollback()
            form.file.errors.append(str(error))
        else:
            record(
                current_user,
                "catalogue.loaded",
                "Catalogue",
                f"Loaded catalogue file {upload.filename}: {report.describe()}",
                programmes=report.programmes,
            )
            db.session.commit()
            flash(_("Catalogue loaded: %(summary)s.", summary=report.describe()), "success")
            return redirect(url_for("catalogue.programme", key=report.programmes[0]))
    return render_template("catalogue/load.html", form=form)
