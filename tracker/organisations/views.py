"""Coordinators manage the organisations: cities, expert partners, the network."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.auth.policy.guards import area_guard
from tracker.auth.policy.loaders import get_organisation_or_404
from tracker.auth.policy.rules import Need
from tracker.organisations.forms import OrganisationForm
from tracker.organisations.models import Organisation, OrganisationKind
from tracker.organisations.queries import organisations_with_member_counts
from tracker.organisations.service import save_organisation
from tracker.transaction import save_or_show_errors

bp = Blueprint("organisations", __name__)
bp.before_request(area_guard(Need.ADMINISTER))


@bp.route("/")
def index():
    """Every organisation with its number of accounts."""
    return render_template("organisations/index.html", rows=organisations_with_member_counts())


@bp.route("/new", methods=["GET", "POST"])
def create():
    """Add an organisation."""
    return _edit(None)


@bp.route("/<int:organisation_id>/edit", methods=["GET", "POST"])
def edit(organisation_id: int):
    """Change an organisation."""
    organisation = get_organisation_or_404(organisation_id)
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
