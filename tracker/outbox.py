"""Sending the outbox without holding the database while a mail server talks.

A database transaction is never open during SMTP I/O: on SQLite it would hold the one write
lock, and every person saving meanwhile would wait and fail. So each batch goes through short
transactions of its own:

1. claim: take up to MAIL_BATCH_SIZE due emails under a new claim token, stamped now, and write
   out their messages (text, HTML, headers) as plain values;
2. for each message, hand over: renew the batch's claim and mark the message as being handed
   to the server; then the SMTP exchange, outside any transaction;
3. record: its outcome (sent, or retried later, or failed for good).

A claim not renewed for MAIL_CLAIM_TIMEOUT_SECONDS belongs to a sender that stopped, and another
takes it over. What may then be sent twice is the one message its sender was handing over when
it stopped: it goes out again with the same Message-ID and is marked `interrupted_send`, which
the admin outbox shows as "may have been delivered twice".
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_mailman import EmailMultiAlternatives
from sqlalchemy.orm import selectinload

from tracker.db import reading_only, utcnow
from tracker.extensions import db, mail
from tracker.mail import SUBJECT_LENGTH, email_bodies, new_message_id
from tracker.notifications.models import Notification, OutboxEmail, OutboxStatus
from tracker.notifications.unsubscribe import unsubscribe_link
from tracker.wording import one_line

log = logging.getLogger(__name__)

# Waits between attempts after a failure: 1 min, 5 min, 30 min, 2 h, 6 h.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)
SENDABLE = (OutboxStatus.PENDING, OutboxStatus.HELD)


@dataclass(frozen=True)
class Outgoing:
    """A claimed email written out: all the SMTP exchange and its record need, no ORM object."""

    id: int
    attempts: int
    notification_id: int | None
    to_address: str
    subject: str
    text: str
    html: str
    headers: dict[str, str]


@dataclass(frozen=True)
class Batch:
    token: str
    emails: list[Outgoing]


def send_due(now: datetime) -> int:
    """Send every email due at `now`, one claimed batch at a time; return how many went out."""
    sent = 0
    while (batch := claim_batch(now)) is not None:
        sent += send_batch(batch)
    return sent


def hold_waiting() -> int:
    """Mark waiting emails as kept in the outbox: this sender has no mail server."""
    held = db.session.execute(
        sa.update(OutboxEmail)
        .where(OutboxEmail.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.HELD)
    ).rowcount
    db.session.commit()
    return held


def claim_batch(now: datetime) -> Batch | None:
    """Claim the next due emails in one short transaction and write out their messages.

    Returns None when nothing is due. An email whose message cannot be written (its
    notification is gone) is recorded as a failed attempt here and left out of the batch.
    """
    config = current_app.config
    claimed_at = utcnow()
    stale = claimed_at - timedelta(seconds=config["MAIL_CLAIM_TIMEOUT_SECONDS"])
    due = sa.or_(
        sa.and_(OutboxEmail.status.in_(SENDABLE), OutboxEmail.next_attempt_at <= now),
        sa.and_(OutboxEmail.status == OutboxStatus.SENDING, OutboxEmail.claimed_at < stale),
    )
    query = (
        sa.select(OutboxEmail.id)
        .where(due)
        .order_by(OutboxEmail.id)
        .limit(config["MAIL_BATCH_SIZE"])
    )
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    ids = list(db.session.execute(query).scalars())
    if not ids:
        db.session.rollback()
        return None
    token = uuid.uuid4().hex
    # The `due` condition again makes the claim safe where SKIP LOCKED does not exist.
    db.session.execute(
        sa.update(OutboxEmail)
        .where(OutboxEmail.id.in_(ids), due)
        .values(
            status=OutboxStatus.SENDING,
            claim_token=token,
            claimed_at=claimed_at,
            interrupted_send=sa.or_(
                OutboxEmail.interrupted_send, OutboxEmail.handed_over_at.is_not(None)
            ),
            handed_over_at=None,
        )
        .execution_options(synchronize_session=False)
    )
    # The claim is kept before the emails are written: writing them (templates, each in its
    # recipient's language) only reads, and must not hold SQLite's write lock meanwhile.
    db.session.commit()
    with reading_only():
        written, unwritable = _write_out_claimed(token)
        db.session.commit()
    for email, message in written:
        email.message_id = message.headers["Message-ID"]
    for email_id, attempts, error in unwritable:
        _record(token, email_id, attempts, None, error)
    db.session.commit()
    return Batch(token, [message for _email, message in written])


def _write_out_claimed(
    token: str,
) -> tuple[list[tuple[OutboxEmail, Outgoing]], list[tuple[int, int, Exception]]]:
    """The claimed emails written out, and those that cannot be (id, attempts, why)."""
    claimed = db.session.execute(
        sa.select(OutboxEmail)
        .where(OutboxEmail.claim_token == token)
        .order_by(OutboxEmail.id)
        .options(selectinload(OutboxEmail.notification).selectinload(Notification.user))
    ).scalars()
    written, unwritable = [], []
    for email in claimed:
        try:
            written.append((email, _written_out(email, email.message_id or new_message_id())))
        except Exception as error:  # noqa: BLE001 - this email cannot be written; others can
            unwritable.append((email.id, email.attempts, error))
    return written, unwritable


def send_batch(batch: Batch) -> int:
    """Send a claimed batch over one SMTP connection, recording each outcome at once."""
    if not batch.emails:
        return 0
    try:
        connection = _open_connection()
    except Exception as error:  # noqa: BLE001 - no connection: every email waits for the next try
        for email in batch.emails:
            _record(batch.token, email.id, email.attempts, None, error)
        db.session.commit()
        return 0
    sent = 0
    try:
        for email in batch.emails:
            if not _hand_over(batch.token, email.id):
                log.warning(
                    "Another sender took over claim %s; leaving the rest to it", batch.token
                )
                break
            error = _deliver(connection, email)
            _record(batch.token, email.id, email.attempts, email.notification_id, error)
            db.session.commit()
            sent += error is None
    finally:
        with contextlib.suppress(Exception):  # closing a broken connection may fail too
            connection.close()
    return sent


def _written_out(email: OutboxEmail, message_id: str) -> Outgoing:
    text, html = email_bodies(email)
    if not text:
        raise LookupError("the notification this email was written from no longer exists")
    headers = {
        "Message-ID": message_id,
        "X-Tracker-Email": email.key,
        "Auto-Submitted": "auto-generated",
    }
    # Sensitive emails are the account's own (a link to set a password): they come whatever
    # the preferences, so they offer no unsubscribing.
    if not email.sensitive and email.user_id is not None:
        headers["List-Unsubscribe"] = f"<{unsubscribe_link(email.user_id)}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return Outgoing(
        id=email.id,
        attempts=email.attempts,
        notification_id=email.notification_id,
        to_address=email.to_address,
        subject=one_line(email.subject, SUBJECT_LENGTH),  # also those queued before
        text=text,
        html=html,
        headers=headers,
    )


def _open_connection():
    config = current_app.config
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
    return connection


def _hand_over(token: str, email_id: int) -> bool:
    """Renew the batch's claim and mark one email as being handed over, in one short
    transaction; False if another sender has taken the claim over meanwhile."""
    now = utcnow()
    mine = sa.and_(OutboxEmail.claim_token == token, OutboxEmail.status == OutboxStatus.SENDING)
    db.session.execute(sa.update(OutboxEmail).where(mine).values(claimed_at=now))
    handed_over = db.session.execute(
        sa.update(OutboxEmail).where(mine, OutboxEmail.id == email_id).values(handed_over_at=now)
    ).rowcount
    db.session.commit()
    return bool(handed_over)


def _deliver(connection, email: Outgoing) -> Exception | None:
    """Hand one message to the SMTP server (no transaction is open); the error, if any."""
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=current_app.config["MAIL_DEFAULT_SENDER"],
        to=[email.to_address],
        connection=connection,
        headers=email.headers,
    )
    message.attach_alternative(email.html, "text/html")
    try:
        connection.send_messages([message])
    except Exception as error:  # noqa: BLE001 - this message fails; the others go on
        return error
    return None


def _record(
    token: str,
    email_id: int,
    attempts: int,
    notification_id: int | None,
    error: Exception | None,
) -> None:
    """Write one attempt's outcome, if this sender still holds the claim (the caller commits)."""
    now = utcnow()
    values: dict[str, object] = {
        "attempts": attempts + 1,
        "claim_token": None,
        "handed_over_at": None,
    }
    if error is None:
        values |= {"status": OutboxStatus.SENT, "sent_at": now}
    else:
        values |= _retry_or_give_up(attempts + 1, now)
        values["last_error"] = reason(error)[:2000]
    recorded = db.session.execute(
        sa.update(OutboxEmail)
        .where(OutboxEmail.id == email_id, OutboxEmail.claim_token == token)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if recorded and error is None and notification_id is not None:
        db.session.execute(
            sa.update(Notification).where(Notification.id == notification_id).values(emailed_at=now)
        )


def reason(error: Exception) -> str:
    """Why an attempt failed, as a coordinator reads it ("SMTPDataError: 451 4.3.0 ...")."""
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error
        if isinstance(text, bytes):
            text = text.decode(errors="replace")
        return f"{type(error).__name__}: {error.smtp_code} {text}"
    return f"{type(error).__name__}: {error}"


def _retry_or_give_up(attempts: int, now: datetime) -> dict[str, object]:
    if attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        return {"status": OutboxStatus.FAILED}
    wait = BACKOFF[min(attempts - 1, len(BACKOFF) - 1)]
    return {"status": OutboxStatus.PENDING, "next_attempt_at": now + wait}
