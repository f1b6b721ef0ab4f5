"""Coordinators manage the organisations: cities, expert partners, the network."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.auth.policy.guards import area_guard
from tracker.auth.policy.loaders import get_organisation_or_404
from tracker.auth.policy.rules import Need
from tracker.forms import db_int
from tracker.organisations.forms import OrganisationForm
from tracker.organisations.models import Organisation, OrganisationKind
from tracker.organisations.queries import (
    OrganisationFilters,
    countries,
    member_counts,
    organisation_page,
)
from tracker.organisations.service import save_organisation
from tracker.transaction import save_or_show_errors

bp = Blueprint("organisations", __name__)
bp.before_request(area_guard(Need.ADMINISTER))


@bp.route("/")
def index():
    """The organisations with their number of accounts, by kind and country, a page at a time
    (the filters are in the address)."""
    kinds = {kind.value: kind for kind in OrganisationKind}
    filters = OrganisationFilters(
        kind=kinds.get(request.args.get("kind") or ""),
        country=request.args.get("country", "").strip(),
    )
    page = organisation_page(filters, request.args.get("page", 1, type=db_int))
    return render_template(
        "organisations/index.html",
        page=page,
        members=member_counts(page.items),
        filters=filters,
        kinds=list(OrganisationKind),
        countries=countries(),
    )


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
