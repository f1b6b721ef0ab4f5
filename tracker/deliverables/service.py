"""The deliverables register: what is owed, by whom, by when; files, links, review."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import gettext as _

from tracker.audit.service import record
from tracker.auth.models import Role, User
from tracker.auth.policy.rules import can, deliverable_move_need
from tracker.catalogue.models import Programme, Theme
from tracker.db import utcnow
from tracker.deliverables.models import (
    REVIEW_MOVES,
    Deliverable,
    DeliverableFile,
    DeliverableKind,
    DeliverableLink,
    DeliverableStatus,
)
from tracker.exceptions import RuleViolation
from tracker.extensions import db
from tracker.files.storage import check_upload, store
from tracker.links import path_to
from tracker.locking import check_version, touch
from tracker.messages import N_
from tracker.notifications.service import notify
from tracker.organisations.models import Organisation
from tracker.pairs.models import Pair
from tracker.workflow import check_transition

D = DeliverableStatus
DELIVERABLE_TRANSITIONS = {
    D.PLANNED: frozenset({D.IN_PROGRESS, D.SUBMITTED}),
    D.IN_PROGRESS: frozenset({D.SUBMITTED}),
    D.SUBMITTED: frozenset({D.APPROVED, D.IN_PROGRESS}),
    D.APPROVED: frozenset(),
}


def deliverable_link(deliverable: Deliverable) -> str:
    return path_to("deliverables.show", deliverable_id=deliverable.id)


def save_deliverable(
    actor: User,
    deliverable: Deliverable | None,
    *,
    programme_id: int,
    theme_id: int | None,
    pair_id: int | None,
    kind: DeliverableKind,
    title: str,
    description: str,
    responsible_organisation_id: int,
    due_on: date,
    expected_version: int | None = None,
) -> Deliverable:
    """Register a deliverable (when None is given) or change one, at programme, theme or pair level."""
    if deliverable is not None:
        check_version(deliverable, expected_version)
    programme = db.session.get(Programme, programme_id) if programme_id else None
    if programme is None:
        raise RuleViolation(_("Choose a programme."), "programme_id")
    pair = db.session.get(Pair, pair_id) if pair_id else None
    if pair_id and pair is None:
        raise RuleViolation(_("Choose a pair."), "pair_id")
    theme = pair.theme if pair else (db.session.get(Theme, theme_id) if theme_id else None)
    if theme is not None and theme.programme_id != programme.id:
        raise RuleViolation(_("The theme or pair belongs to another programme."), "theme_id")
    if theme_id and pair is not None and pair.theme_id != theme_id:
        raise RuleViolation(_("The pair works on another theme."), "pair_id")
    organisation = (
        db.session.get(Organisation, responsible_organisation_id)
        if responsible_organisation_id
        else None
    )
    if organisation is None:
        raise RuleViolation(
            _("Choose the responsible organisation."), "responsible_organisation_id"
        )
    if not title.strip():
        raise RuleViolation(_("Give the deliverable a title."), "title")
    is_new = deliverable is None
    if deliverable is None:
        deliverable = Deliverable(status=DeliverableStatus.PLANNED)
        db.session.add(deliverable)
    deliverable.programme, deliverable.theme, deliverable.pair = programme, theme, pair
    deliverable.kind, deliverable.title = kind, title.strip()
    deliverable.description = description.strip()
    deliverable.responsible_organisation, deliverable.due_on = organisation, due_on
    touch(deliverable)
    db.session.flush()
    described = {"title": deliverable.title, "date": due_on, "organisation": organisation.name}
    record(
        actor,
        "deliverable.created" if is_new else "deliverable.updated",
        deliverable,
        (
            N_(
                "Registered the deliverable '%(title)s' (due %(date)s, %(organisation)s)",
                **described,
            )
            if is_new
            else N_(
                "Changed the deliverable '%(title)s' (due %(date)s, %(organisation)s)",
                **described,
            )
        ),
        pair_id=pair.id if pair else None,
    )
    return deliverable


def change_deliverable_status(
    actor: User, deliverable: Deliverable, status: DeliverableStatus, comment: str = ""
) -> None:
    """Move a deliverable on; approval and sending back are reviews (see the policy), and
    sending back says why."""
    check_transition(DELIVERABLE_TRANSITIONS, deliverable.status, status)
    move = (deliverable.status, status)
    if not can(actor, deliverable_move_need(*move), deliverable):
        raise RuleViolation(_("Only a coordinator approves a deliverable or sends it back."))
    if move == (D.SUBMITTED, D.IN_PROGRESS) and not comment.strip():
        raise RuleViolation(
            _("Say what still needs doing when sending a deliverable back."), "comment"
        )
    previous, deliverable.status = deliverable.status, status
    if status is D.SUBMITTED:
        deliverable.submitted_at = utcnow()
    if status is D.APPROVED:
        deliverable.approved_at, deliverable.approved_by_id = utcnow(), actor.id
    if move == (D.SUBMITTED, D.IN_PROGRESS):
        deliverable.review_note = comment.strip()
    touch(deliverable)
    record(
        actor,
        "deliverable.status_changed",
        deliverable,
        N_(
            "Deliverable '%(title)s': %(previous)s → %(status)s (%(comment)s)",
            title=deliverable.title,
            previous=previous,
            status=status,
            comment=comment.strip(),
        )
        if comment.strip()
        else N_(
            "Deliverable '%(title)s': %(previous)s → %(status)s",
            title=deliverable.title,
            previous=previous,
            status=status,
        ),
        pair_id=deliverable.pair_id,
        previous=previous,
        status=status,
    )
    _notify_status(actor, deliverable, move, comment.strip())


def _notify_status(actor: User, deliverable: Deliverable, move: tuple, comment: str) -> None:
    if move[1] is D.SUBMITTED:
        recipients = _coordinators()
        subject = N_("'%(title)s' was submitted for approval", title=deliverable.title)
        kind = "deliverable_submitted"
    elif move in REVIEW_MOVES:
        recipients = _members(deliverable.responsible_organisation_id)
        subject = (
            N_("'%(title)s' was approved", title=deliverable.title)
            if move[1] is D.APPROVED
            else N_("'%(title)s' was sent back for more work", title=deliverable.title)
        )
        kind = "deliverable_reviewed"
    else:
        return
    notify(recipients, kind, subject, deliverable_link(deliverable), body=comment, actor=actor)


def add_file(
    actor: User,
    deliverable: Deliverable,
    filename: str | None,
    data: bytes,
    replaces_id: int | None = None,
) -> DeliverableFile:
    """Check and keep an uploaded file; a replaced file is kept as an older version."""
    checked = check_upload(filename, data)
    replaced = None
    if replaces_id is not None:
        replaced = next(
            (f for f in deliverable.files if f.id == replaces_id and f.is_current), None
        )
        if replaced is None:
            raise RuleViolation(
                _("Choose a current file of this deliverable to replace."), "replaces_id"
            )
    stored = DeliverableFile(
        original_name=checked.display_name,
        stored_name=store(data, checked.extension),
        content_type=checked.content_type,
        size_bytes=checked.size,
        sha256=checked.sha256,
        uploaded_by_id=actor.id,
        replaces_id=replaced.id if replaced else None,
    )
    deliverable.files.append(stored)
    if replaced is not None:
        replaced.replaced_at = utcnow()
    db.session.flush()
    record(
        actor,
        "deliverable.file_added",
        deliverable,
        N_(
            "Added the file %(file)s to '%(title)s' (replacing %(replaced)s)",
            file=stored.original_name,
            title=deliverable.title,
            replaced=replaced.original_name,
        )
        if replaced
        else N_(
            "Added the file %(file)s to '%(title)s'",
            file=stored.original_name,
            title=deliverable.title,
        ),
        pair_id=deliverable.pair_id,
        file_id=stored.id,
    )
    return stored


def add_link(actor: User, deliverable: Deliverable, url: str, label: str = "") -> DeliverableLink:
    """Attach a link (a video, a web page) to the deliverable."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise RuleViolation(_("Give a web address starting with https:// or http://."), "url")
    link = DeliverableLink(
        url=url.strip(), label=label.strip() or parts.netloc, added_by_id=actor.id
    )
    deliverable.links.append(link)
    db.session.flush()
    record(
        actor,
        "deliverable.link_added",
        deliverable,
        N_("Added the link %(url)s to '%(title)s'", url=link.url, title=deliverable.title),
        pair_id=deliverable.pair_id,
    )
    return link


def _coordinators() -> list[User]:
    return list(
        db.session.execute(
            sa.select(User).where(User.role == Role.COORDINATOR, User.active.is_(True))
        ).scalars()
    )


def _members(organisation_id: int) -> list[User]:
    return list(
        db.session.execute(
            sa.select(User).where(User.organisation_id == organisation_id, User.active.is_(True))
        ).scalars()
    )
