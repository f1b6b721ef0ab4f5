"""Creating and changing organisations."""

from __future__ import annotations

from sqlalchemy import func, select

from tracker.audit.service import record
from tracker.auth.models import User
from tracker.extensions import db
from tracker.organisations.models import Organisation, OrganisationKind


class DuplicateName(Exception):
    """Another organisation already has this name."""


class KindInUse(Exception):
    """The organisation's members or pairs depend on its kind."""


def save_organisation(
    actor: User,
    organisation: Organisation | None,
    *,
    name: str,
    kind: OrganisationKind,
    country: str | None,
    timezone: str,
    website: str | None,
) -> Organisation:
    """Create an organisation (when None is given) or change one."""
    name = name.strip()
    clash = db.session.execute(
        select(Organisation.id).where(func.lower(Organisation.name) == name.lower())
    ).scalar_one_or_none()
    if clash is not None and (organisation is None or clash != organisation.id):
        raise DuplicateName
    is_new = organisation is None
    if organisation is None:
        organisation = Organisation(name=name, kind=kind)
        db.session.add(organisation)
    elif organisation.kind is not kind and organisation.members:
        raise KindInUse
    organisation.name = name
    organisation.kind = kind
    organisation.country = (country or "").strip() or None
    organisation.timezone = timezone
    organisation.website = website or None
    record(
        actor,
        "organisation.created" if is_new else "organisation.updated",
        organisation,
        f"{'Created' if is_new else 'Updated'} organisation {organisation.name}",
    )
    return organisation
