"""Coordinators create users and set their organisation and role."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from tracker.auth.models import Role, User
from tracker.auth.policy import require_coordinator
from tracker.db import utcnow
from tracker.exceptions import RuleViolation
from tracker.extensions import db
from tracker.organisations.models import Organisation
from tracker.privacy.erasure import erase_user
from tracker.privacy.forms import EraseForm
from tracker.privacy.views import personal_data_download
from tracker.transaction import save_or_show_errors
from tracker.users.forms import UserForm
from tracker.users.service import save_user

bp = Blueprint("users", __name__)
bp.before_request(require_coordinator)


@bp.route("/")
def index():
    users = (
        db.session.execute(
            sa.select(User).options(joinedload(User.organisation)).order_by(User.name)
        )
        .scalars()
        .all()
    )
    return render_template("users/index.html", users=users)


@bp.route("/new", methods=["GET", "POST"])
def create():
    return _edit(None)


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
def edit(user_id: int):
    user = _user(user_id)
    if user.erased_at is not None:
        flash(_("This account was erased: there is nothing left to edit."), "info")
        return redirect(url_for("users.index"))
    return _edit(user)


@bp.route("/<int:user_id>/personal-data.json")
def personal_data(user_id: int):
    """For a person who asks the network for their data (for example after leaving)."""
    return personal_data_download(_user(user_id))


@bp.route("/<int:user_id>/erase", methods=["GET", "POST"])
def erase(user_id: int):
    user = _user(user_id)
    form = EraseForm()
    if form.validate_on_submit() and save_or_show_errors(
        form, lambda: erase_user(current_user, user, utcnow())
    ):
        flash(_("The account's personal data was erased."), "success")
        return redirect(url_for("users.index"))
    return render_template("users/erase.html", form=form, user=user)


def _user(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


def _edit(user: User | None):
    organisations = (
        db.session.execute(sa.select(Organisation).order_by(Organisation.name)).scalars().all()
    )
    form = UserForm(organisations, obj=user)
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
                organisation=_organisation(form.organisation_id.data),
                job_title=form.job_title.data,
                timezone=form.timezone.data,
                password=form.password.data or None,
                active=form.active.data,
            ),
        )
    ):
        flash(_("Saved the account of %(name)s.", name=saved.name), "success")
        return redirect(url_for("users.index"))
    return render_template("users/edit.html", form=form, user=user)


def _organisation(organisation_id: int) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    if organisation is None:
        raise RuleViolation(_("Choose an organisation."), "organisation_id")
    return organisation
