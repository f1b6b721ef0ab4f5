"""The calendar feed's address and every link in calendars come from PUBLIC_BASE_URL, never from
the Host a request carried, and a new password gives the feed a new address (issue 15, item 10)."""

import re

from icalendar import Calendar

from tests.factories import PASSWORD
from tracker.visits.models import VisitStatus

EVIL = "http://evil.example"
PUBLIC = "http://tracker.test"  # TestConfig's PUBLIC_BASE_URL


def from_evil_host(app, client):
    """A browser with the client's session that reaches the tracker as evil.example."""
    evil = app.test_client()
    evil.set_cookie("session", client.get_cookie("session").value, domain="evil.example")
    return evil


def feed_address(client, base_url="http://localhost"):
    html = client.get("/account/calendar", base_url=base_url).get_data(as_text=True)
    return re.search(r'id="feed-url" value="([^"]+)"', html).group(1)


def test_the_feed_address_is_built_from_the_public_base_url(app, client, login_as, scheme):
    login_as(scheme["implementer"])
    evil = from_evil_host(app, client)
    evil.post("/account/calendar/reset", base_url=EVIL)
    address = feed_address(evil, EVIL)
    assert address.startswith(f"{PUBLIC}/calendar/feed/") and "evil" not in address


def test_links_inside_calendars_use_the_public_base_url(app, client, login_as, make, scheme):
    visit = make.visit(scheme["pair"], status=VisitStatus.CONFIRMED)
    login_as(scheme["implementer"])
    client.post("/account/calendar/reset")
    feed = feed_address(client).removeprefix(PUBLIC)
    evil = from_evil_host(app, client)
    for path in (f"/calendar/visits/{visit.id}.ics", feed):
        calendar = Calendar.from_ical(evil.get(path, base_url=EVIL).data)
        (event,) = calendar.walk("VEVENT")
        assert str(event["url"]) == f"{PUBLIC}/visits/{visit.id}"
        assert "evil.example" not in calendar.to_ical().decode()


def test_a_new_password_gives_the_feed_a_new_address(app, client, login_as, scheme):
    login_as(scheme["implementer"])
    client.post("/account/calendar/reset")
    old = feed_address(client).removeprefix(PUBLIC)
    assert app.test_client().get(old).status_code == 200
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a much newer secret",
            "confirm_password": "a much newer secret",
        },
    )
    assert response.status_code == 302
    new = feed_address(client).removeprefix(PUBLIC)
    assert new != old and app.test_client().get(new).status_code == 200
    assert app.test_client().get(old).status_code == 404
