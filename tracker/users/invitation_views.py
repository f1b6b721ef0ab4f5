"""Coordinators get people in: the invitation again, a set-password link to hand over, and
people or organisations from a spreadsheet."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from tracker.auth.policy.guards import area_guard
from tracker.auth.policy.loaders import get_user_or_404
from tracker.auth.policy.rules import Need
from tracker.downloads import send_download
from tracker.spreadsheets import XLSX_MIMETYPE, csv_bytes, template_workbook
from tracker.transaction import save_or_flash_errors, save_or_show_errors
from tracker.users.forms import TableUploadForm
from tracker.users.invitations import (
    LANGUAGE_NOTE,
    ORGANISATION_COLUMNS,
    USER_COLUMNS,
    Checked,
    add_organisations,
    check_organisations,
    check_users,
    invite_users,
    new_password_link,
    resend_invitation,
)

bp = Blueprint("invitations", __name__)

SHOWN_ONCE = "password_link"  # the browser session's key for a link not shown yet
bp.before_request(area_guard(Need.ADMINISTER))

USER_EXAMPLES = [
    ("Anna Ozola", "anna.ozola@riga.lv", "Riga", "city", "en", "Europe/Riga"),
    ("Jonathan Reed", "j.reed@migrationwork.org", "MigrationWork", "expert", "", ""),
]
ORGANISATION_EXAMPLES = [
    ("Gdańsk", "city", "Poland", "Europe/Warsaw", "https://www.gdansk.pl"),
    ("Łódź", "city", "Poland", "Europe/Warsaw", ""),
]
USER_NOTES = [
    _l("One person per row, under the header row; keep the header as it is."),
    _l("organisation: the name of an organisation already in the tracker."),
    _l("role: coordinator (of the network), city (a member of a city) or expert."),
    LANGUAGE_NOTE,
    _l("time zone: for example Europe/Riga; empty takes the organisation's."),
    _l("Every row is checked first: all people are invited together, or nobody."),
]
ORGANISATION_NOTES = [
    _l("One organisation per row, under the header row; keep the header as it is."),
    _l("kind: city, expert or network; empty means city. A city needs its country."),
    _l("time zone: for example Europe/Warsaw. website: optional, starting with https://."),
    _l("Every row is checked first: all organisations are added together, or none."),
]


@bp.route("/users/<int:user_id>/invitation", methods=["POST"])
def resend(user_id: int):
    """Email the person their invitation (a set-password link) again."""
    user = get_user_or_404(user_id)
    outcome = save_or_flash_errors(
        lambda: "queued" if resend_invitation(current_user, user) else "already"
    )
    if outcome == "queued":
        flash(_("The invitation is on its way to %(email)s.", email=user.email), "success")
    elif outcome == "already":
        flash(_("The invitation was sent a moment ago; it is on its way."), "info")
    return redirect(url_for("users.edit", user_id=user.id))


@bp.route("/users/<int:user_id>/password-link", methods=["GET", "POST"])
def password_link(user_id: int):
    """Make a new set-password link (POST), then show it once (GET): the browser session holds
    it only until this page is shown, so reloading or coming back shows it no more."""
    user = get_user_or_404(user_id)
    if request.method == "POST":
        link = save_or_flash_errors(lambda: new_password_link(current_user, user))
        if not link:
            return redirect(url_for("users.edit", user_id=user.id))
        session[SHOWN_ONCE] = {"user": user.id, "link": link}
        return redirect(url_for("invitations.password_link", user_id=user.id))
    made = session.pop(SHOWN_ONCE, None)
    link = made["link"] if made and made.get("user") == user.id else None
    return render_template("users/password_link.html", user=user, link=link)


@bp.route("/users/invite", methods=["GET", "POST"])
def invite():
    """Invite many people from a spreadsheet."""
    return _upload(
        check_users,
        invite_users,
        lambda done: ngettext(
            "%(num)d person invited; they get an email to set a password.",
            "%(num)d people invited; each gets an email to set a password.",
            len(done),
        ),
        "users.index",
        kind="users",
    )


@bp.route("/organisations/import", methods=["GET", "POST"])
def add_many_organisations():
    """Add many organisations from a spreadsheet."""
    return _upload(
        check_organisations,
        add_organisations,
        lambda done: ngettext(
            "%(num)d organisation added.", "%(num)d organisations added.", len(done)
        ),
        "organisations.index",
        kind="organisations",
    )


@bp.route("/users/invite/template.<any(xlsx, csv):kind>")
def users_template(kind: str):
    """The file to fill in with the people to invite."""
    return _template(kind, "people", USER_COLUMNS, USER_EXAMPLES, USER_NOTES)


@bp.route("/organisations/import/template.<any(xlsx, csv):kind>")
def organisations_template(kind: str):
    """The file to fill in with the organisations to add."""
    return _template(
        kind, "organisations", ORGANISATION_COLUMNS, ORGANISATION_EXAMPLES, ORGANISATION_NOTES
    )


def _upload(
    check: Callable[[bytes, str], Checked],
    apply: Callable[[Any, Checked], list],
    done_message: Callable[[list], str],
    back_to: str,
    *,
    kind: str,
):
    form = TableUploadForm()
    checked = None
    if form.validate_on_submit():
        upload = form.file.data
        checked = check(upload.read(), upload.filename or "")
        if not checked.problems and (
            done := save_or_show_errors(form, lambda: apply(current_user, checked))
        ):
            flash(done_message(done), "success")
            return redirect(url_for(back_to))
    return render_template(
        "users/upload.html", form=form, checked=checked, kind=kind, back_to=back_to
    )


def _template(kind: str, name: str, header: tuple, examples: list, notes: list):
    if kind == "csv":
        return send_download(csv_bytes(header, examples), f"{name}.csv", "text/csv")
    body = template_workbook(name, header, examples, [str(note) for note in notes])
    return send_download(body, f"{name}.xlsx", XLSX_MIMETYPE)
