"""A request that fails after its change was committed says so, instead of "Nothing was saved"
(which would make people send it twice); one that fails before still says nothing was saved."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from config import TestConfig
from tests.helpers import page_text
from tracker import create_app
from tracker.audit.models import AuditEntry
from tracker.audit.service import record
from tracker.extensions import db
from tracker.messages import N_


@pytest.fixture
def app(tmp_path):
    """An app with two routes that fail, one after committing and one before."""
    application = create_app(
        TestConfig,
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'errors.sqlite'}",
            "PROPAGATE_EXCEPTIONS": False,  # show the error page, as in production
        },
    )

    @application.post("/save-then-fail")
    def save_then_fail():
        record(None, "test.saved", "Test", N_("saved before failing"))
        db.session.commit()
        raise RuntimeError("the next page could not be drawn")

    @application.post("/fail-before-saving")
    def fail_before_saving():
        record(None, "test.not_saved", "Test", N_("never saved"))
        raise RuntimeError("refused before the commit")

    for view in (save_then_fail, fail_before_saving):
        view.is_public = True  # reachable without signing in, like the sign-in page
    with application.app_context():
        db.metadata.create_all(db.engine)
    yield application
    with application.app_context():
        db.engine.dispose()


def saved_actions(app) -> list[str]:
    with app.app_context():
        actions = db.session.execute(sa.select(AuditEntry.action)).scalars().all()
        db.session.remove()
    return actions


def test_a_request_failing_after_its_commit_says_the_change_was_saved(app):
    response = app.test_client().post("/save-then-fail")
    text = page_text(response)
    assert response.status_code == 500
    assert "Your change was saved" in text and "Do not send it again" in text
    assert "Nothing was saved" not in text
    assert saved_actions(app) == ["test.saved"]


def test_a_request_failing_before_any_commit_says_nothing_was_saved(app):
    response = app.test_client().post("/fail-before-saving")
    assert response.status_code == 500 and "Nothing was saved" in page_text(response)
    assert saved_actions(app) == []
