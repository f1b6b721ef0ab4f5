"""Getting people in: an invitation sent again, a set-password link to hand over when there is no
mail server, and many people or organisations invited at once from a spreadsheet.

A bulk file is checked row by row before anything is created; every problem is reported with its
row number, and the caller applies all rows in one transaction or none."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from tracker.audit.service import record
from tracker.auth.models import Role, User
from tracker.auth.service import normalise_email, send_password_link
from tracker.auth.tokens import password_token
from tracker.exceptions import RuleViolation
from tracker.extensions import db
from tracker.forms import timezone_choices
from tracker.languages import language_from_text, languages
from tracker.links import url_to
from tracker.messages import N_
from tracker.organisations.models import Organisation, OrganisationKind
from tracker.organisations.service import save_organisation
from tracker.spreadsheets import SpreadsheetError, read_table
from tracker.users.service import save_user

MAX_ROWS = 500
MAX_CELL_CHARS = 254
USER_COLUMNS = ("name", "email", "organisation", "role", "language", "time zone")
ORGANISATION_COLUMNS = ("name", "kind", "country", "time zone", "website")
LANGUAGE_NOTE = _l(
    "language: en, fr or de (or English, Français, Deutsch); empty follows the person's browser."
)


def resend_invitation(actor: User, user: User) -> bool:
    """Email the person their set-password link again; whether an email was queued (not when
    the same link was sent a moment ago)."""
    _refuse_closed(user)
    queued = send_password_link(user, new_account=user.password_hash is None)
    if queued:
        record(
            actor,
            "user.invitation_resent",
            user,
            N_("Sent %(name)s the invitation again", name=user.name),
        )
    return queued


def new_password_link(actor: User, user: User) -> str:
    """A new set-password link for the coordinator to hand over; every earlier link stops
    working. The link itself is shown once and kept nowhere, the audit says who made one."""
    _refuse_closed(user)
    user.session_version += 1  # voids the links made before (sessions are rows of their own)
    record(
        actor,
        "user.password_link_made",
        user,
        N_(
            "Made a new set-password link for %(name)s; earlier links no longer work",
            name=user.name,
        ),
    )
    return url_to("auth.set_password", token=password_token(user))


def _refuse_closed(user: User) -> None:
    if user.erased_at is not None or not user.active:
        raise RuleViolation(_("This account is closed: make it active first."))


@dataclass
class Checked:
    """An uploaded file, checked: what each good row will create, and every problem."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def check_users(data: bytes, filename: str) -> Checked:
    """Check every row of a file of people to invite; change nothing."""
    checked, rows = _read(data, filename, USER_COLUMNS)
    organisations = {
        organisation.name.lower(): organisation
        for organisation in db.session.execute(select(Organisation)).scalars()
    }
    roles = {key: role for role in Role for key in (role.value, str(role.label).lower())}
    zones = {choice.value for choice in timezone_choices()}
    seen: dict[str, int] = {}
    for number, (name, email, organisation_name, role_name, language, zone) in rows:
        problems = []
        if not name:
            problems.append(_("the name is missing"))
        elif len(name) > 200:
            problems.append(_("the name is longer than 200 characters"))
        address = _email(email, problems)
        if address and address in seen:
            problems.append(_("the email address is also on row %(row)d", row=seen[address]))
        elif address:
            seen[address] = number
            if _email_in_use(address):
                problems.append(_("another account already uses %(email)s", email=address))
        organisation = organisations.get(organisation_name.lower())
        if organisation is None:
            problems.append(
                _("no organisation is called “%(name)s”", name=organisation_name)
                if organisation_name
                else _("the organisation is missing")
            )
        role = roles.get(role_name.lower())
        if role is None:
            problems.append(
                _(
                    "“%(role)s” is not a role: write coordinator, city or expert",
                    role=role_name,
                )
            )
        elif organisation is not None and organisation.kind is not role.organisation_kind:
            problems.append(
                _(
                    "the role “%(role)s” needs an organisation of the kind “%(kind)s”, "
                    "and %(name)s is of the kind “%(its)s”",
                    role=str(role.label),
                    kind=str(role.organisation_kind.label),
                    name=organisation.name,
                    its=str(organisation.kind.label),
                )
            )
        chosen_language = language_from_text(language)
        if chosen_language is None:
            problems.append(
                _(
                    "“%(language)s” is not a language of the tracker: write %(codes)s",
                    language=language,
                    codes=", ".join(languages()),
                )
            )
        if zone and zone not in zones:
            problems.append(_("“%(zone)s” is not a time zone we know", zone=zone))
        _keep(
            checked,
            number,
            problems,
            {
                "name": name,
                "email": address,
                "organisation": organisation,
                "role": role,
                "timezone": zone or (organisation.timezone if organisation else ""),
                "language": chosen_language or None,
            },
        )
    return checked


def invite_users(actor: User, checked: Checked) -> list[User]:
    """Create every checked account, each getting its invitation (the caller commits them all
    together, or none when one fails)."""
    users = [save_user(actor, None, **row) for row in checked.rows]
    record(
        actor,
        "user.bulk_invited",
        None,
        N_("Invited %(count)d people from a file", count=len(users)),
    )
    return users


def check_organisations(data: bytes, filename: str) -> Checked:
    """Check every row of a file of organisations to add; change nothing."""
    checked, rows = _read(data, filename, ORGANISATION_COLUMNS)
    taken = {name.lower() for name in db.session.execute(select(Organisation.name)).scalars()}
    kinds = {
        key: kind for kind in OrganisationKind for key in (kind.value, str(kind.label).lower())
    }
    zones = {choice.value for choice in timezone_choices()}
    seen: dict[str, int] = {}
    for number, (name, kind_name, country, zone, website) in rows:
        problems = []
        key = name.lower()
        if not name:
            problems.append(_("the name is missing"))
        elif len(name) > 200:
            problems.append(_("the name is longer than 200 characters"))
        elif key in seen:
            problems.append(_("“%(name)s” is also on row %(row)d", name=name, row=seen[key]))
        elif key in taken:
            problems.append(_("an organisation is already called “%(name)s”", name=name))
        seen.setdefault(key, number)
        kind = kinds.get(kind_name.lower() or OrganisationKind.CITY.value)
        if kind is None:
            problems.append(
                _("“%(kind)s” is not a kind: write city, expert or network", kind=kind_name)
            )
        if kind is OrganisationKind.CITY and not country:
            problems.append(_("a city needs its country"))
        if len(country) > 100:
            problems.append(_("the country is longer than 100 characters"))
        if zone not in zones:
            problems.append(
                _("“%(zone)s” is not a time zone we know", zone=zone)
                if zone
                else _("the time zone is missing (for example Europe/Riga)")
            )
        if website and not website.startswith(("https://", "http://")):
            problems.append(_("the website must start with https:// or http://"))
        _keep(
            checked,
            number,
            problems,
            {
                "name": name,
                "kind": kind,
                "country": country,
                "timezone": zone,
                "website": website,
            },
        )
    return checked


def add_organisations(actor: User, checked: Checked) -> list[Organisation]:
    """Create every checked organisation (the caller commits them all together)."""
    added = [save_organisation(actor, None, **row) for row in checked.rows]
    record(
        actor,
        "organisation.bulk_added",
        None,
        N_("Added %(count)d organisations from a file", count=len(added)),
    )
    return added


def _read(
    data: bytes, filename: str, columns: tuple[str, ...]
) -> tuple[Checked, list[tuple[int, tuple[Any, ...]]]]:
    checked = Checked()
    try:
        rows = read_table(
            data, filename, header=columns, max_rows=MAX_ROWS, max_cell_chars=MAX_CELL_CHARS
        )
    except SpreadsheetError as error:
        checked.problems.append(str(error))
        return checked, []
    if not rows:
        checked.problems.append(_("The file has no rows under its header."))
    return checked, rows


def _keep(checked: Checked, number: int, problems: list[str], row: dict[str, Any]) -> None:
    if problems:
        checked.problems.append(
            _("Row %(row)d: %(problems)s.", row=number, problems="; ".join(problems))
        )
    else:
        checked.rows.append(row)


def _email(email: str, problems: list[str]) -> str | None:
    if not email:
        problems.append(_("the email address is missing"))
        return None
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        problems.append(_("“%(email)s” is not an email address", email=email))
        return None
    return normalise_email(email)


def _email_in_use(address: str) -> bool:
    return (
        db.session.execute(select(User.id).where(func.lower(User.email) == address)).first()
        is not None
    )
