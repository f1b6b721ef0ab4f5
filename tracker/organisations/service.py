"""Creating and changing organisations."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from tracker.audit.service import record
from tracker.auth.models import User
from tracker.exceptions import RuleViolation
from tracker.extensions import db
from tracker.messages import N_
from tracker.organisations.models import Organisation, OrganisationKind
from tracker.pairs.models import Pair


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
        raise RuleViolation(_("Another organisation already has this name."), "name")
    is_new = organisation is None
    if organisation is None:
        organisation = Organisation(name=name, kind=kind)
        db.session.add(organisation)
    elif organisation.kind is not kind and _in_use(organisation):
        raise RuleViolation(
            _("This organisation has members or pairs, so its kind cannot change."), "kind"
        )
    organisation.name = name
    organisation.kind = kind
    organisation.country = (country or "").strip() or None
    organisation.timezone = timezone
    organisation.website = website or None
    record(
        actor,
        "organisation.created" if is_new else "organisation.updated",
        organisation,
        N_("Created organisation %(name)s", name=organisation.name)
        if is_new
        else N_("Updated organisation %(name)s", name=organisation.name),
    )
    return organisation


def _in_use(organisation: Organisation) -> bool:
    """Whether users or pairs depend on the organisation being the kind it is."""
    members = select(User.id).where(User.organisation_id == organisation.id)
    pairs = select(Pair.id).where(
        or_(Pair.mentor_city_id == organisation.id, Pair.implementing_city_id == organisation.id)
    )
    return db.session.execute(members.union_all(pairs).limit(1)).first() is not None
