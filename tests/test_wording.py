"""Wording: audit actions in words, who ran a job, counts with proper plurals, our own words for
the form library's messages, and the programme report reachable from the dashboard and the menu
(issue 18, item 7)."""

import socket

import pytest

from tests.helpers import page_text
from tests.test_scheduler import job_rows
from tracker.audit.wording import ACTIONS, action_words


def test_the_audit_log_shows_actions_in_words(client, login_as, make, scheme):
    login_as(scheme["coordinator"])
    client.post(f"/users/{scheme['implementer'].id}/invitation")
    page = client.get("/audit/").get_data(as_text=True)
    assert "Invitation sent again" in page and "user.invitation_resent" not in page


def test_every_action_code_has_words_or_reads_as_its_parts():
    assert action_words("action.updated") == "Action changed"
    assert action_words("recommendation.deleted") == "Recommendation: deleted"
    assert all(not str(words).islower() for words in ACTIONS.values())


def test_a_job_run_by_a_coordinator_names_them(app, client, login_as, scheme):
    login_as(scheme["coordinator"])
    client.post("/admin/jobs/retention/run")
    row = job_rows(client)["retention"]
    assert "started by Claire Dubois" in row and f"server {socket.gethostname()}" in row
    assert "@" not in row


def test_counts_read_in_the_singular_for_one(client, login_as, scheme):
    login_as(scheme["coordinator"])
    benchmarks = page_text(client.get("/catalogue/"))
    assert " 1 themes" not in benchmarks and " 1 benchmark factors" not in benchmarks
    assert "1 pair" in page_text(client.get("/pairs/")) and "1 pairs" not in page_text(
        client.get("/pairs/")
    )


@pytest.mark.parametrize(
    "data,message",
    [
        ({"body": "", "decided_on": "2026-03-01"}, "Fill this in."),
        ({"document_url": "not a link"}, "Give a web address starting with https:// or http://."),
    ],
)
def test_form_messages_are_in_our_words(client, login_as, make, scheme, data, message):
    from tracker.plans.models import PlanStatus

    make.plan(scheme["pair"], status=PlanStatus.UNDER_REVIEW)
    login_as(scheme["implementer"])
    form = {
        "level": "administrative",
        "body": "Council decision 2026/4",
        "decided_on": "2026-03-01",
    }
    response = client.post(f"/pairs/{scheme['pair'].id}/plan/endorsements/new", data=form | data)
    text = page_text(response)
    assert message in text
    assert "Invalid URL" not in text and "This field is required" not in text


def test_a_short_text_is_refused_in_our_words(app):
    from flask_wtf import FlaskForm
    from wtforms import StringField
    from wtforms.validators import Length

    class Note(FlaskForm):
        text = StringField(validators=[Length(min=10, max=1024)])
        title = StringField(validators=[Length(max=1)])

    with app.test_request_context(method="POST", data={"text": "short", "title": "Rīga"}):
        form = Note(meta={"csrf": False})
        assert not form.validate()
        assert form.errors == {
            "text": ["Write between 10 and 1024 characters."],
            "title": ["Write at most 1 character."],
        }


def test_the_programme_report_is_in_the_menu_and_on_the_dashboard(client, login_as, scheme):
    login_as(scheme["coordinator"])
    home = client.get("/").get_data(as_text=True)
    key = scheme["theme"].programme.key
    assert f'href="/programmes/{key}/report"' in home and 'href="/reports"' in home
    reports = page_text(client.get("/reports"))
    assert "Report of CITIES GROW" in reports
    login_as(scheme["implementer"])
    assert 'href="/reports"' not in client.get("/").get_data(as_text=True)
