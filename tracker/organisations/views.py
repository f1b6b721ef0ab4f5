"""Coordinators manage the organisations: cities, expert partners, the network."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.auth.models import User
from tracker.auth.policy import require_coordinator
from tracker.extensions import db
from tracker.organisations.forms import OrganisationForm
from tracker.organisations.models import Organisation, OrganisationKind
from tracker.organisations.service import save_organisation
from tracker.transaction import save_or_show_errors

bp = Blueprint("organisations", __name__)
bp.before_request(require_coordinator)


@bp.route("/")
def index():
    member_count = (
        sa.select(sa.func.count(User.id)).where(User.organisation_id == Organisation.id)
    ).scalar_subquery()
    rows = db.session.execute(
        sa.select(Organisation, member_count).order_by(Organisation.kind, Organisation.name)
    ).all()
    return render_template("organisations/index.html", rows=rows)


@bp.route("/new", methods=["GET", "POST"])
def create():
    return _edit(None)


@bp.route("/<int:organisation_id>/edit", methods=["GET", "POST"])
def edit(organisation_id: int):
    organisation = db.session.get(Organisation, organisation_id) or abort(404)
    return _edit(organisation)


def _edit(organisation: Organisation | None):
    form = OrganisationForm(obj=organisation)
    if organisation is not None and not form.is_submitted():
        form.kind.data = organisation.kind.value
    if form.validate_on_submit() and (
        saved := save_or_show_errors(
            form,
            lambda: save_organisation(
                current_user,
                organisation,
                name=form.name.data,
                kind=OrganisationKind(form.kind.data),
                country=form.country.data,
                timezone=form.timezone.data,
                website=form.website.data,
            ),
        )
    ):
        flash(_("Saved %(name)s.", name=saved.name), "success")
        return redirect(url_for("organisations.index"))
    return render_template("organisations/edit.html", form=form, organisation=organisation)
