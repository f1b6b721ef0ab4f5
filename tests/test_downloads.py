"""Every download works for a city named `Gdańsk "Centrum" Łódź`, through the test client on
both databases (issue 15, item 7; tests/test_served.py does the same through gunicorn)."""

from __future__ import annotations

import pytest

from tests.odd_world import DOWNLOADS, OddWorld, build_odd_world, check_disposition
from tests.signing_in import open_session, sign_in_client
from tracker.auth.models import User


@pytest.fixture
def odd_world(make) -> OddWorld:
    return build_odd_world(make)


@pytest.mark.parametrize(("who", "template", "expected"), DOWNLOADS)
def test_every_download_carries_an_odd_name_safely(
    client, session, odd_world, who, template, expected
):
    if who is not None:
        sign_in_client(client, open_session(session.get(User, odd_world.users[who])))
    url = odd_world.address(template)
    response = client.get(url)
    response.get_data()
    response.close()
    assert response.status_code == 200, url
    check_disposition(
        response.headers["Content-Disposition"], expected and odd_world.address(expected), url
    )
