"""Personal data: the download, erasure by a coordinator, retention, and the audit log page."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.helpers import page_text
from tests.signing_in import open_session, sign_in_client
from tracker.audit.models import AuditEntry
from tracker.audit.service import record
from tracker.auth.models import User
from tracker.extensions import db
from tracker.messages import N_
from tracker.notifications.models import Notification, OutboxEmail
from tracker.plans.models import PlanStatus, ProgressUpdate
from tracker.privacy.export import SECTIONS
from tracker.privacy.retention import apply_retention

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def riga_history(make, scheme, session):
    """Anna of Riga posted progress, commented, and has a notification and an email."""
    anna = scheme["implementer"]
    plan = make.plan(scheme["pair"], status=PlanStatus.IN_IMPLEMENTATION)
    action = make.action(plan, title="Open a one-stop shop")
    session.add_all(
        [
            ProgressUpdate(
                action=action,
                author=anna,
                status=action.status,
                progress=20,
                note="Premises found near the station",
            ),
            Notification(user=anna, kind="comment", subject="Helsinki commented", link="/"),
            Notification(user=scheme["mentor"], kind="comment", subject="Not Anna's", link="/"),
            OutboxEmail(
                key="anna-1",
                user=anna,
                to_address=anna.email,
                subject="Hello",
                text_body="x",
                html_body="x",
            ),
        ]
    )
    record(
        scheme["coordinator"],
        "user.updated",
        anna,
        N_("Updated account for %(name)s", name=anna.name),
    )
    session.flush()
    return action


def test_every_reference_to_a_person_is_in_the_download():
    covered = {(column.class_.__table__.name, column.key) for _s, column, _f in SECTIONS}
    references = {
        (table.name, fk.parent.name)
        for table in db.metadata.tables.values()
        for fk in table.foreign_keys
        if fk.column.table.name == "user"
    }
    assert references - covered == set()


def test_a_person_downloads_their_own_data(client, login_as, scheme, riga_history):
    login_as(scheme["implementer"])
    response = client.get("/account/data.json")
    assert response.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == scheme["implementer"].email
    assert data["account"]["organisation"] == "Riga"
    assert [u["note"] for u in data["progress_updates"]] == ["Premises found near the station"]
    assert [n["subject"] for n in data["notifications"]] == ["Helsinki commented"]
    assert [e["subject"] for e in data["emails"]] == ["Hello"]
    assert "Your personal data" in page_text(client.get("/account/data"))


def test_a_coordinator_downloads_a_persons_data_for_them(client, login_as, scheme, riga_history):
    login_as(scheme["coordinator"])
    response = client.get(f"/users/{scheme['implementer'].id}/personal-data.json")
    assert json.loads(response.get_data(as_text=True))["account"]["name"] == "Anna Ozola"


def test_erasure_anonymises_the_account_and_keeps_the_contributions(
    app, client, login_as, scheme, session, riga_history
):
    anna = scheme["implementer"]
    anna_browser = sign_in_client(app.test_client(), open_session(anna))
    login_as(scheme["coordinator"])

    refused = client.post(f"/users/{anna.id}/erase", data={})
    assert "Tick the box to confirm the erasure." in page_text(refused)
    assert session.get(User, anna.id).erased_at is None

    response = client.post(f"/users/{anna.id}/erase", data={"confirm": "y"})
    assert response.status_code == 302
    session.expire_all()
    erased = session.get(User, anna.id)
    assert erased.name == "Former member of Riga" and "Anna" not in erased.email
    assert erased.password_hash is None and erased.erased_at is not None
    notifications = sa.select(Notification).where(Notification.user_id == anna.id)
    assert session.execute(notifications).first() is None
    assert (
        session.execute(sa.select(OutboxEmail).where(OutboxEmail.user_id == anna.id)).first()
        is None
    )
    update = session.execute(sa.select(ProgressUpdate)).scalar_one()
    assert update.author_id == anna.id  # the contribution stays
    action_page = page_text(client.get(f"/actions/{riga_history.id}"))
    assert "Former member of Riga" in action_page and "Anna Ozola" not in action_page
    summaries = session.execute(sa.select(AuditEntry.summary)).scalars().all()
    assert not any("Anna Ozola" in summary for summary in summaries)
    assert "Erased the personal data of account" in " ".join(summaries)
    assert anna_browser.get("/").status_code == 302  # signed out everywhere
    assert "Anna Ozola" not in page_text(client.get("/users/"))


def test_a_coordinator_cannot_erase_themselves(client, login_as, scheme, session):
    coordinator = scheme["coordinator"]
    login_as(coordinator)
    page = page_text(client.post(f"/users/{coordinator.id}/erase", data={"confirm": "y"}))
    assert "You cannot erase your own account" in page
    assert session.get(User, coordinator.id).erased_at is None


def test_an_erased_account_cannot_be_edited_or_erased_again(client, login_as, scheme, session):
    login_as(scheme["coordinator"])
    anna = scheme["implementer"]
    client.post(f"/users/{anna.id}/erase", data={"confirm": "y"})
    assert client.get(f"/users/{anna.id}/edit").status_code == 302
    again = page_text(client.post(f"/users/{anna.id}/erase", data={"confirm": "y"}))
    assert "This account has been erased already." in again


def test_retention_deletes_old_notifications_and_keeps_the_audit_log(
    app, scheme, session, monkeypatch
):
    anna = scheme["implementer"]
    old, recent = NOW - timedelta(days=400), NOW - timedelta(days=10)
    session.add_all(
        [
            Notification(user=anna, kind="comment", subject="old", link="/", created_at=old),
            Notification(user=anna, kind="comment", subject="recent", link="/", created_at=recent),
            AuditEntry(action="x", subject_type="Pair", summary="old change", at=old),
        ]
    )
    session.flush()
    with app.test_request_context():
        assert apply_retention(NOW)["notifications_removed"] == 1
        subjects = session.execute(sa.select(Notification.subject)).scalars().all()
        assert subjects == ["recent"]
        assert session.execute(sa.select(sa.func.count(AuditEntry.id))).scalar_one() == 1
        monkeypatch.setitem(app.config["RETENTION"], "audit_days", 365)
        assert apply_retention(NOW)["audit_entries_removed"] == 1


def test_the_audit_log_page_lists_and_filters_changes(client, login_as, scheme, session):
    record(
        scheme["coordinator"],
        "pair.created",
        scheme["pair"],
        N_("Paired %(mentor)s with %(implementing)s", mentor="Helsinki", implementing="Riga"),
        pair_id=scheme["pair"].id,
    )
    record(scheme["expert"], "visit.reported", scheme["pair"], N_("Logged the visit report"))
    session.flush()
    login_as(scheme["coordinator"])
    page = page_text(client.get("/audit/"))
    assert "Paired Helsinki with Riga" in page and "Logged the visit report" in page
    filtered = page_text(client.get("/audit/?q=helsinki"))
    assert "Paired Helsinki with Riga" in filtered and "Logged the visit report" not in filtered
    by_expert = page_text(client.get(f"/audit/?actor={scheme['expert'].id}"))
    assert "Logged the visit report" in by_expert and "Paired Helsinki" not in by_expert
    percent = page_text(client.get("/audit/?q=%25"))
    assert "No entries match" in percent  # a % is a character to find, not a wildcard
