"""Coordinators create users and set their organisation and role."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.auth.models import Role, User
from tracker.auth.policy.guards import area_guard
from tracker.auth.policy.loaders import get_user_or_404
from tracker.auth.policy.rules import Need
from tracker.db import utcnow
from tracker.downloads import send_download
from tracker.forms import db_int
from tracker.organisations.queries import organisations_by_name
from tracker.privacy.erasure import erase_user
from tracker.privacy.export import personal_data_file
from tracker.privacy.forms import EraseForm
from tracker.transaction import save_or_show_errors
from tracker.users.forms import UserForm
from tracker.users.queries import UserFilters, user_page
from tracker.users.service import chosen_organisation, save_user

bp = Blueprint("users", __name__)
bp.before_request(area_guard(Need.ADMINISTER))


@bp.route("/")
def index():
    """The accounts, by organisation, role and whether active, or found by name or email, a
    page at a time (the filters are in the address)."""
    roles = {role.value: role for role in Role}
    active = request.args.get("active", "")
    filters = UserFilters(
        text=" ".join(request.args.get("q", "").split())[:100],
        organisation_id=request.args.get("organisation", type=db_int),
        role=roles.get(request.args.get("role") or ""),
        active={"1": True, "0": False}.get(active),
    )
    return render_template(
        "users/index.html",
        page=user_page(filters, request.args.get("page", 1, type=db_int)),
        filters=filters,
        organisations=organisations_by_name(),
        roles=list(Role),
    )


@bp.route("/new", methods=["GET", "POST"])
def create():
    """Create an account (the person gets an email to set their password)."""
    return _edit(None)


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
def edit(user_id: int):
    """Change an account's name, email, role, organisation or status."""
    user = get_user_or_404(user_id)
    if user.erased_at is not None:
        flash(_("This account was erased: there is nothing left to edit."), "info")
        return redirect(url_for("users.index"))
    return _edit(user)


@bp.route("/<int:user_id>/personal-data.json")
def personal_data(user_id: int):
    """A person's data as a JSON file, for someone who asks the network for it (for example
    after leaving)."""
    body, filename = personal_data_file(get_user_or_404(user_id), utcnow())
    return send_download(body, filename, "application/json")


@bp.route("/<int:user_id>/erase", methods=["GET", "POST"])
def erase(user_id: int):
    """Erase an account's personal data (asks first)."""
    user = get_user_or_404(user_id)
    form = EraseForm()
    if form.validate_on_submit() and save_or_show_errors(
        form, lambda: erase_user(current_user, user, utcnow())
    ):
        flash(_("The account's personal data was erased."), "success")
        return redirect(url_for("users.index"))
    return render_template("users/erase.html", form=form, user=user)


def _edit(user: User | None):
    form = UserForm(organisations_by_name(), obj=user)
    if user is not None and not form.is_submitted():
        form.role.data = user.role.value
    if form.validate_on_submit() and (
        saved := save_or_show_errors(
            form,
            lambda: save_user(
                current_user,
                user,
                name=form.name.data,
                email=form.email.data,
                role=Role(form.role.data),
                organisation=chosen_organisation(form.organisation_id.data),
                job_title=form.job_title.data,
                timezone=form.timezone.data,
                language=form.language.data,
                password=form.password.data or None,
                active=form.active.data,
            ),
        )
    ):
        flash(_("Saved the account of %(name)s.", name=saved.name), "success")
        return redirect(url_for("users.index"))
    return render_template("users/edit.html", form=form, user=user)
