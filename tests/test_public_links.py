"""Every absolute link follows PUBLIC_BASE_URL, `make run` sets it from HOST and PORT, and the
addresses people type out of habit lead to signing in and out (issue 18, item 2)."""

import re
import subprocess
from pathlib import Path

import sqlalchemy as sa
from icalendar import Calendar

from tests.helpers import page_text
from tracker.mail import email_bodies
from tracker.notifications.models import OutboxEmail
from tracker.plans.models import PlanStatus
from tracker.visits.models import VisitStatus

ROOT = Path(__file__).resolve().parent.parent
ELSEWHERE = "http://127.0.0.1:5101"


def test_email_and_calendar_links_follow_the_public_base_url(
    app, client, login_as, make, session, scheme, monkeypatch
):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", ELSEWHERE)
    pair = scheme["pair"]
    make.plan(pair, status=PlanStatus.UNDER_REVIEW)
    visit = make.visit(pair, status=VisitStatus.CONFIRMED)
    login_as(scheme["mentor"])
    client.post(f"/pairs/{pair.id}/plan/comments", data={"body": 'Gdańsk did it "this" way'})
    email = session.execute(
        sa.select(OutboxEmail).where(OutboxEmail.to_address == scheme["implementer"].email)
    ).scalar_one()
    with app.test_request_context():
        text, html = email_bodies(email)  # written when sent, from the notification
    assert f"{ELSEWHERE}/pairs/{pair.id}/plan#comments" in text
    assert f'href="{ELSEWHERE}/pairs/{pair.id}/plan#comments"' in html
    assert "localhost" not in text + html

    client.post("/account/calendar/reset")
    html = client.get("/account/calendar").get_data(as_text=True)
    feed = re.search(r'id="feed-url" value="([^"]+)"', html).group(1)
    assert feed.startswith(f"{ELSEWHERE}/calendar/feed/")
    calendar = Calendar.from_ical(client.get(feed.removeprefix(ELSEWHERE)).data)
    urls = {str(event["url"]) for event in calendar.walk("VEVENT")}
    assert f"{ELSEWHERE}/visits/{visit.id}" in urls


def make_variable(*arguments: str, environment: dict[str, str] | None = None) -> str:
    """PUBLIC_BASE_URL as `make run` hands it to the server and the scheduler."""
    probe = (
        "probe: export PUBLIC_BASE_URL := $(PUBLIC_BASE_URL)\nprobe:\n\t@echo $$PUBLIC_BASE_URL\n"
    )
    command = ["make", "--no-print-directory", "-f", "Makefile", "-f", "-", "probe", *arguments]
    return subprocess.run(  # noqa: S603 - make with fixed arguments, as people start `make run`
        command,
        input=probe,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", **(environment or {})},
    ).stdout.strip()


def test_make_run_points_links_at_its_own_port_unless_told_otherwise():
    assert make_variable() == "http://127.0.0.1:5000"
    assert make_variable("PORT=5101") == ELSEWHERE
    assert make_variable("HOST=0.0.0.0", "PORT=8080") == "http://0.0.0.0:8080"
    given = {"PUBLIC_BASE_URL": "https://tracker.example.eu"}
    assert make_variable("PORT=5101", environment=given) == "https://tracker.example.eu"
    run = (ROOT / "Makefile").read_text()
    assert "run: export PUBLIC_BASE_URL := $(PUBLIC_BASE_URL)" in run


def test_login_and_logout_lead_where_people_meant(client, login_as, scheme):
    response = client.get("/login?next=/visits")
    assert response.status_code == 301
    assert response.headers["Location"] == "/sign-in?next=/visits"
    assert client.get("/logout").headers["Location"] == "/sign-out"
    login_as(scheme["implementer"])
    asking = client.get("/sign-out", follow_redirects=True)
    assert "You are signed in as Anna Ozola" in page_text(asking)
    assert client.get("/").status_code == 200  # asking did not sign out
    client.post("/sign-out")
    assert "/sign-in" in client.get("/").headers["Location"]
