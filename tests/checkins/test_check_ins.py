"""After the programme: check-ins 6 and 12 months after a pair completed, on a fixed clock.

Riga's pair with Helsinki completed on 2 September 2025 (noon in Brussels); the scheme's day is
2 March 2026, the day the 6-month check-in opens.
"""

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from config import Config
from tracker.audit.models import AuditEntry
from tracker.checkins.models import ActionOutcome, CheckIn
from tracker.checkins.schedule import add_months
from tracker.notifications.models import Notification
from tracker.pairs.models import PairStatus
from tracker.plans.models import PlanStatus
from tracker.reminders.jobs import run_reminders

COMPLETED_AT = datetime(2025, 9, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def completed(scheme, make, session):
    """The scheme's pair, completed on 2 September 2025, with a plan of two actions and a
    second member of Riga (both are asked)."""
    pair = scheme["pair"]
    pair.status, pair.completed_at = PairStatus.COMPLETED, COMPLETED_AT
    plan = make.plan(pair, status=PlanStatus.COMPLETED)
    make.action(plan, title="Open the “Łódź” one-stop shop")
    make.action(plan, title="Train 40 staff")
    scheme["second_implementer"] = make.city_member(pair.implementing_city, name="Jānis Bērziņš")
    session.flush()
    return scheme


def check_in_reminders(session):
    return sorted(
        session.execute(
            sa.select(Notification.user_id, Notification.key).where(Notification.kind == "check_in")
        ).all()
    )


def run_on(day: str) -> int:
    """Run every rule at 09:00 UTC on the day, as the scheduler would; the check-ins' count."""
    moment = datetime.fromisoformat(f"{day}T09:00:00+00:00")
    with freeze_time(moment):
        return run_reminders(moment)["check_ins_due"]


def test_asked_at_6_and_12_months_and_reminded_once_after_14_days(completed, session):
    riga = sorted([completed["implementer"].id, completed["second_implementer"].id])
    pair_id = completed["pair"].id
    key = f"pair:{pair_id}:check-in:%d:2025-09-02:%s"

    assert run_on("2026-03-01") == 0  # nothing before the day
    assert check_in_reminders(session) == []
    assert run_on("2026-03-02") == 2
    assert run_on("2026-03-02") == 0  # a second run on the same day: nothing twice
    assert run_on("2026-03-15") == 0
    assert run_on("2026-03-16") == 2  # 14 days later, still unanswered
    assert run_on("2026-03-17") == 0
    assert run_on("2026-04-30") == 0
    assert check_in_reminders(session) == sorted(
        (user, key % (6, occasion)) for user in riga for occasion in ("asked", "reminder")
    )
    assert run_on("2026-09-01") == 0
    assert run_on("2026-09-02") == 2
    assert run_on("2026-09-16") == 2
    assert run_on("2026-09-16") == 0
    assert len(check_in_reminders(session)) == 8
    assert {key % (12, "asked"), key % (12, "reminder")} <= {
        k for _user, k in check_in_reminders(session)
    }


def test_an_answered_check_in_is_not_reminded(completed, session, client, login_as):
    assert run_on("2026-03-02") == 2
    login_as(completed["implementer"])
    response = client.post(f"/pairs/{completed['pair'].id}/check-ins/6", data=good_answers())
    assert response.status_code == 302
    assert run_on("2026-03-16") == 0


def test_a_run_after_downtime_sends_only_the_reminder(completed, session):
    assert run_on("2026-03-20") == 2
    assert {key.rsplit(":", 1)[1] for _user, key in check_in_reminders(session)} == {"reminder"}
    assert run_on("2026-03-21") == 0


def test_pairs_not_completed_or_completed_too_long_ago_are_not_asked(completed, session):
    completed["pair"].status = PairStatus.ACTIVE
    assert run_on("2026-03-02") == 0
    completed["pair"].status = PairStatus.COMPLETED
    # Moments older than the catch-up window (30 days) are not caught up on.
    assert run_on("2026-05-01") == 0


def test_the_months_come_from_the_setting(completed, session, app, monkeypatch):
    monkeypatch.setitem(app.config, "CHECK_IN_MONTHS", "3")
    assert run_on("2026-03-02") == 0
    assert run_on("2025-12-02") == 2


def good_answers(**changes):
    return {
        "actions-0-outcome": "continued",
        "actions-0-note": "Open since May, with a second desk.",
        "actions-1-outcome": "stopped",
        "actions-1-note": "",
        "plan_still_endorsed": "yes",
        "what_changed": 'The council made the shop permanent, and "Gdańsk" asked how.',
        **changes,
    }


def test_the_implementing_city_answers_and_everyone_of_the_pair_reads_it(
    completed, session, client, login_as
):
    pair = completed["pair"]
    login_as(completed["implementer"])
    page = client.get(f"/pairs/{pair.id}/check-ins/6").get_data(as_text=True)
    assert "Open the “Łódź” one-stop shop" in page and "Send the check-in" in page

    response = client.post(f"/pairs/{pair.id}/check-ins/6", data=good_answers())
    assert response.status_code == 302
    answer = session.execute(sa.select(CheckIn)).scalar_one()
    assert (answer.months, answer.completed_on, answer.plan_still_endorsed) == (
        6,
        date(2025, 9, 2),
        True,
    )
    assert [(row.title, row.outcome, row.note) for row in answer.actions] == [
        (
            "Open the “Łódź” one-stop shop",
            ActionOutcome.CONTINUED,
            "Open since May, with a second desk.",
        ),
        ("Train 40 staff", ActionOutcome.STOPPED, ""),
    ]
    assert answer.answered_by_id == completed["implementer"].id
    entry = session.execute(
        sa.select(AuditEntry).where(AuditEntry.action == "check_in.answered")
    ).scalar_one()
    assert entry.pair_id == pair.id and entry.details["months"] == 6

    login_as(completed["mentor"])
    pair_page = client.get(f"/pairs/{pair.id}").get_data(as_text=True)
    assert "After the programme" in pair_page
    assert "The council made the shop permanent, and &#34;Gdańsk&#34; asked how." in pair_page
    assert "Open since May, with a second desk." in pair_page
    # The mentor city reads it but may not answer it.
    assert client.post(f"/pairs/{pair.id}/check-ins/6", data=good_answers()).status_code == 403

    login_as(completed["outsider"])
    assert client.get(f"/pairs/{pair.id}/check-ins/6").status_code == 404

    login_as(completed["coordinator"])
    report = client.get(f"/programmes/{pair.theme.programme.key}/report").get_data(as_text=True)
    assert "The council made the shop permanent" in report and "Train 40 staff" in report


def test_a_check_in_is_answered_once(completed, session, client, login_as):
    pair = completed["pair"]
    login_as(completed["implementer"])
    client.post(f"/pairs/{pair.id}/check-ins/6", data=good_answers())
    login_as(completed["second_implementer"])
    again = client.post(
        f"/pairs/{pair.id}/check-ins/6", data=good_answers(what_changed="Something else.")
    )
    assert "This check-in has already been answered." in again.get_data(as_text=True)
    assert session.execute(sa.select(sa.func.count(CheckIn.id))).scalar_one() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"actions-1-outcome": ""}, "Choose continued, finished or stopped."),
        ({"actions-0-outcome": "forgotten"}, "Not a valid choice"),
        ({"plan_still_endorsed": ""}, "Answer yes or no."),
        ({"what_changed": "   \n "}, "Write one sentence."),
        ({"what_changed": "x" * 301}, "300"),
        ({"actions-0-note": "n" * 2001}, "2000"),
    ],
)
def test_bad_answers_are_refused_beside_the_field(
    completed, session, client, login_as, changes, message
):
    login_as(completed["implementer"])
    response = client.post(
        f"/pairs/{completed['pair'].id}/check-ins/6", data=good_answers(**changes)
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page and "invalid-feedback" in page
    assert session.execute(sa.select(sa.func.count(CheckIn.id))).scalar_one() == 0


def test_a_check_in_not_due_yet_cannot_be_answered(completed, session, client, login_as):
    pair = completed["pair"]
    login_as(completed["implementer"])
    page = client.get(f"/pairs/{pair.id}/check-ins/12").get_data(as_text=True)
    assert "This check-in opens on" in page and "Send the check-in" not in page
    refused = client.post(f"/pairs/{pair.id}/check-ins/12", data=good_answers())
    assert "This check-in is not due yet." in refused.get_data(as_text=True)
    assert session.execute(sa.select(sa.func.count(CheckIn.id))).scalar_one() == 0
    # A number of months the setting does not name, or a pair not completed: back to the pair.
    assert client.get(f"/pairs/{pair.id}/check-ins/7").status_code == 302
    pair.status = PairStatus.ACTIVE
    session.flush()
    assert client.get(f"/pairs/{pair.id}/check-ins/6").status_code == 302


def test_the_coordinator_dashboard_lists_the_follow_up_due(completed, session, client, login_as):
    pair = completed["pair"]
    login_as(completed["coordinator"])
    board = client.get(f"/?programme={pair.theme.programme.key}").get_data(as_text=True)
    assert "Follow-up due" in board and f"/pairs/{pair.id}/check-ins/6" in board
    login_as(completed["implementer"])
    client.post(f"/pairs/{pair.id}/check-ins/6", data=good_answers())
    login_as(completed["coordinator"])
    board = client.get(f"/?programme={pair.theme.programme.key}").get_data(as_text=True)
    assert "Follow-up due" not in board


def test_completing_a_pair_records_when_and_reopening_forgets_it(scheme, session, client, login_as):
    pair = scheme["pair"]
    login_as(scheme["coordinator"])
    client.post(f"/pairs/{pair.id}/status", data={"status": "completed"})
    session.refresh(pair)
    assert pair.completed_at == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    client.post(f"/pairs/{pair.id}/status", data={"status": "active"})
    session.refresh(pair)
    assert pair.completed_at is None


@pytest.mark.parametrize(
    ("day", "months", "due"),
    [
        (date(2025, 9, 2), 6, date(2026, 3, 2)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2025, 12, 15), 12, date(2026, 12, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
    ],
)
def test_months_are_added_as_people_count_them(day, months, due):
    assert add_months(day, months) == due


@pytest.mark.parametrize("value", ["", "6;12", "0", "six", "6,,12", "-6"])
def test_a_malformed_months_setting_is_refused_at_start(monkeypatch, value):
    monkeypatch.setattr(Config, "CHECK_IN_MONTHS", value)
    with pytest.raises(RuntimeError, match="CHECK_IN_MONTHS"):
        Config.check()
