"""A CSRF token read before signing in or out does not work after it (issue 15, item 2): the
browser's session, and the secret its tokens are made from, is renewed at both moments."""

import re

import pytest

from tests.factories import PASSWORD

TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def token_of(client, path):
    return TOKEN.search(client.get(path).get_data(as_text=True)).group(1)


def sign_in(client, user, token):
    return client.post(
        "/sign-in", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )


def test_a_token_read_before_signing_in_is_refused_after_it(client, make, csrf_on):
    user = make.city_member()
    before = token_of(client, "/sign-in")
    assert sign_in(client, user, before).status_code == 302
    assert client.post("/notifications/read-all", data={"csrf_token": before}).status_code == 400
    after = token_of(client, "/account/password")
    assert after != before
    assert client.post("/notifications/read-all", data={"csrf_token": after}).status_code == 302


def test_a_token_read_before_signing_out_is_refused_after_it(client, make, csrf_on):
    user = make.city_member()
    assert sign_in(client, user, token_of(client, "/sign-in")).status_code == 302
    signed_in_token = token_of(client, "/account/password")
    assert client.post("/sign-out", data={"csrf_token": signed_in_token}).status_code == 302
    # The next person at this browser cannot be made to sign in with the old page's token.
    assert sign_in(client, user, signed_in_token).status_code == 400
    assert sign_in(client, user, token_of(client, "/sign-in")).status_code == 302
