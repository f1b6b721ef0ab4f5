"""Email: every message is written to the outbox in the same transaction as the change that
caused it, and sent later by the scheduler's sender job (tracker/outbox.py), with retries. A
rolled-back change never mails anyone, and a slow mail server never holds up a web request.

Whether to send is decided where the sender runs: an email is always written as waiting, and a
sender without a mail server keeps it (held) until one with a server sends it.
"""

from __future__ import annotations

from email.utils import make_msgid
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, render_template

from tracker.auth.models import User
from tracker.extensions import db
from tracker.languages import speaking_to
from tracker.links import absolute, url_to
from tracker.messages import Message
from tracker.notifications.models import Notification, OutboxEmail
from tracker.wording import one_line

# A subject is one line (a header holding a line break is refused by the mail library, so a
# title typed with one would stop every email about it), and fits its column.
SUBJECT_LENGTH = 300


def smtp_configured() -> bool:
    """Whether this process has a mail server to send through."""
    return bool(current_app.config.get("MAIL_SERVER"))


def queue_email(
    key: str,
    user: User,
    subject: Message,
    template: str,
    *,
    sensitive: bool = False,
    **context: object,
) -> OutboxEmail:
    """Write an email to the outbox (plain text and HTML, with a link to the preferences), in
    the recipient's language: the subject is a message (`N_(...)`) written for them."""
    with speaking_to(user):
        subject_text = subject.text()
    text, html = render_email(template, user, subject_text, **context)
    email = OutboxEmail(
        key=key,
        user_id=user.id,
        to_address=user.email,
        subject=one_line(subject_text, SUBJECT_LENGTH),
        text_body=text,
        html_body=html,
        sensitive=sensitive,
    )
    db.session.add(email)
    return email


def queue_notification_emails(recipients: list[tuple[Notification, User]]) -> None:
    """Write each notification's email to the outbox; its text is written when it is sent.

    A reminder run can create thousands of notifications at once; rendering each email then
    would make the run many times slower, and the notification already holds everything the
    email says. One bulk insert, for the same reason.
    """
    if not recipients:
        return
    db.session.execute(
        sa.insert(OutboxEmail),
        [
            {
                "key": f"notification:{notification.id}",
                "user_id": user.id,
                "notification_id": notification.id,
                "to_address": user.email,
                "subject": one_line(_title_for(notification, user), SUBJECT_LENGTH),
                "text_body": "",
                "html_body": "",
            }
            for notification, user in recipients
        ],
    )


def _title_for(notification: Notification, user: User) -> str:
    with speaking_to(user):
        return notification.title


def render_email(template: str, user: User, subject: str, **context: object) -> tuple[str, str]:
    """The plain-text and HTML bodies of an email, in the recipient's language and time zone."""
    context = {"user": user, "subject": subject, "absolute": absolute, "url_to": url_to, **context}
    with speaking_to(user):
        return (
            render_template(f"email/{template}.txt", **context),
            render_template(f"email/{template}.html", **context),
        )


def email_bodies(email: OutboxEmail) -> tuple[str, str]:
    """An outbox email's bodies, written from its notification if it was queued without them."""
    if email.text_body or email.notification is None:
        return email.text_body, email.html_body
    notification = email.notification
    return render_email("notification", notification.user, email.subject, notification=notification)


def new_message_id() -> str:
    """A Message-ID in the domain people know the tracker by (the host of PUBLIC_BASE_URL)."""
    host = urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname or "localhost"
    return make_msgid(idstring="tracker", domain=host)
