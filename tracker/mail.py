"""Email: every message is written to the outbox in the same transaction as the change that
caused it, and sent later by the scheduler's sender job, with retries. A rolled-back change
never mails anyone, and a slow mail server never holds up a web request."""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, render_template
from flask_mailman import EmailMultiAlternatives

from tracker.auth.models import User
from tracker.db import utcnow
from tracker.extensions import db, mail
from tracker.notifications.models import Notification, OutboxEmail, OutboxStatus

# Waits between attempts after a failure: 1 min, 5 min, 30 min, 2 h, 6 h.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)
CLAIM_TIMEOUT = timedelta(minutes=10)  # a claim older than this was left by a crashed sender


def smtp_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def absolute(link: str) -> str:
    """A link inside the tracker as a full address, for emails and calendars."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + link


def queue_email(
    key: str,
    user: User,
    subject: str,
    template: str,
    *,
    sensitive: bool = False,
    **context: object,
) -> OutboxEmail:
    """Write an email to the outbox (plain text and HTML, with a link to the preferences)."""
    text, html = render_email(template, user, subject, **context)
    email = OutboxEmail(
        key=key,
        user_id=user.id,
        to_address=user.email,
        subject=subject[:300],
        text_body=text,
        html_body=html,
        sensitive=sensitive,
        status=OutboxStatus.PENDING if smtp_configured() else OutboxStatus.HELD,
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
    status = OutboxStatus.PENDING if smtp_configured() else OutboxStatus.HELD
    db.session.execute(
        sa.insert(OutboxEmail),
        [
            {
                "key": f"notification:{notification.id}",
                "user_id": user.id,
                "notification_id": notification.id,
                "to_address": user.email,
                "subject": notification.subject[:300],
                "text_body": "",
                "html_body": "",
                "status": status,
            }
            for notification, user in recipients
        ],
    )


def render_email(template: str, user: User, subject: str, **context: object) -> tuple[str, str]:
    """The plain-text and HTML bodies of an email."""
    context = {"user": user, "subject": subject, "absolute": absolute, **context}
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


def claim_due(now: datetime, limit: int = 50) -> list[OutboxEmail]:
    """Claim emails due for sending, so that no other sender takes the same ones."""
    stale = now - CLAIM_TIMEOUT
    due = sa.or_(
        sa.and_(OutboxEmail.status == OutboxStatus.PENDING, OutboxEmail.next_attempt_at <= now),
        sa.and_(OutboxEmail.status == OutboxStatus.SENDING, OutboxEmail.claimed_at < stale),
    )
    query = sa.select(OutboxEmail.id).where(due).order_by(OutboxEmail.id).limit(limit)
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    ids = list(db.session.execute(query).scalars())
    if not ids:
        return []
    # The status condition makes the claim safe even where SKIP LOCKED does not exist.
    claimed = (
        db.session.execute(
            sa.update(OutboxEmail)
            .where(OutboxEmail.id.in_(ids), due)
            .values(status=OutboxStatus.SENDING, claimed_at=now)
            .returning(OutboxEmail.id)
        )
        .scalars()
        .all()
    )
    db.session.commit()
    return list(
        db.session.execute(
            sa.select(OutboxEmail).where(OutboxEmail.id.in_(claimed)).order_by(OutboxEmail.id)
        ).scalars()
    )


def send_claimed(emails: list[OutboxEmail]) -> int:
    """Send claimed emails over one SMTP connection; failures are retried later. Returns sent."""
    if not emails:
        return 0
    config = current_app.config
    sent = 0
    try:
        connection = mail.get_connection(
            backend="smtp",  # also under TESTING, where Flask-Mailman would pick its memory backend
            host=config["MAIL_SERVER"],
            port=config["MAIL_PORT"],
            username=config["MAIL_USERNAME"],
            password=config["MAIL_PASSWORD"],
            use_tls=config["MAIL_USE_TLS"],
            use_ssl=config["MAIL_USE_SSL"],
            timeout=config["MAIL_TIMEOUT"],
        )
        connection.open()
    except Exception as error:  # noqa: BLE001 - any failure to connect means: try again later
        for email in emails:
            _failed(email, error)
        db.session.commit()
        return 0
    try:
        for email in emails:
            try:
                connection.send_messages([_message(email, connection)])
            except Exception as error:  # noqa: BLE001 - this message fails; the others go on
                _failed(email, error)
            else:
                _sent(email)
                sent += 1
            db.session.commit()  # record each outcome at once: a crash must not resend
    finally:
        with contextlib.suppress(Exception):  # closing a broken connection may fail too
            connection.close()
    return sent


def _message(email: OutboxEmail, connection) -> EmailMultiAlternatives:
    text, html = email_bodies(email)
    if not text:
        raise LookupError("the notification this email was written from no longer exists")
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=text,
        from_email=current_app.config["MAIL_DEFAULT_SENDER"],
        to=[email.to_address],
        connection=connection,
        headers={"X-Tracker-Email": email.key, "Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    return message


def _sent(email: OutboxEmail) -> None:
    now = utcnow()
    email.status, email.sent_at, email.attempts = OutboxStatus.SENT, now, email.attempts + 1
    if email.notification_id:
        db.session.execute(
            sa.update(Notification)
            .where(Notification.id == email.notification_id)
            .values(emailed_at=now)
        )


def _failed(email: OutboxEmail, error: Exception) -> None:
    email.attempts += 1
    email.last_error = f"{type(error).__name__}: {error}"[:2000]
    if email.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        email.status = OutboxStatus.FAILED
    else:
        email.status = OutboxStatus.PENDING
        email.next_attempt_at = utcnow() + BACKOFF[min(email.attempts - 1, len(BACKOFF) - 1)]
