"""Creating and changing user accounts."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from tracker.audit.service import record
from tracker.auth.models import Role, SessionEnd, User
from tracker.auth.service import normalise_email, send_password_link, set_password
from tracker.auth.sessions import end_sessions
from tracker.exceptions import RuleViolation
from tracker.extensions import db
from tracker.messages import N_
from tracker.organisations.models import Organisation


def save_user(
    actor: User | None,
    user: User | None,
    *,
    name: str,
    email: str,
    role: Role,
    organisation: Organisation,
    job_title: str | None = None,
    timezone: str = "Europe/Brussels",
    language: str | None = None,
    password: str | None = None,
    active: bool = True,
) -> User:
    """Create a user (when None is given) or change one; role and organisation must agree."""
    email = normalise_email(email)
    clash = db.session.execute(
        select(User.id).where(func.lower(User.email) == email)
    ).scalar_one_or_none()
    if clash is not None and (user is None or clash != user.id):
        raise RuleViolation(_("Another account already uses this email address."), "email")
    if organisation.kind is not role.organisation_kind:
        raise RuleViolation(
            _(
                "This role needs an organisation of the matching kind: coordinators belong to "
                "the network, city members to a city, experts to an expert partner."
            ),
            "organisation_id",
        )
    is_new = user is None
    if user is None:
        user = User(email=email, name=name, role=role, organisation=organisation, session_version=1)
        db.session.add(user)
    elif user.role is not role or user.organisation_id != organisation.id or user.active != active:
        user.session_version += 1  # voids set-password links made for the old rights
        end_sessions(user, SessionEnd.ACCOUNT_CHANGED)  # signed out now, not at the next sign-in
    user.name, user.email, user.role, user.organisation = name.strip(), email, role, organisation
    user.job_title, user.timezone, user.active = (job_title or None), timezone, active
    user.language = language or None
    if password:
        set_password(user, password)
    if is_new and actor is not None:
        db.session.flush()
        send_password_link(user, new_account=True)
    record(
        actor,
        "user.created" if is_new else "user.updated",
        user,
        N_(
            "Created account for %(name)s (%(role)s, %(organisation)s)",
            name=user.name,
            role=role,
            organisation=organisation.name,
        )
        if is_new
        else N_(
            "Updated account for %(name)s (%(role)s, %(organisation)s)",
            name=user.name,
            role=role,
            organisation=organisation.name,
        ),
    )
    return user


def chosen_organisation(organisation_id: int | None) -> Organisation:
    """The organisation picked for an account (RuleViolation when none or an unknown one)."""
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    if organisation is None:
        raise RuleViolation(_("Choose an organisation."), "organisation_id")
    return organisation
