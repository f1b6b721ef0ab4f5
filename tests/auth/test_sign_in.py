"""Signing in and out, passwords, sessions, CSRF and safe redirects."""

import re

import pytest

from tests.factories import PASSWORD
from tests.helpers import page_text
from tests.signing_in import open_session, sign_in_client

WRONG = "That email address and password do not match."


def sign_in(client, email, password, **extra):
    return client.post("/sign-in", data={"email": email, "password": password, **extra})


def test_the_right_password_signs_in_and_lands_on_home(client, make):
    user = make.city_member(email="officer@riga.example")
    response = sign_in(client, "Officer@Riga.example ", PASSWORD)
    assert response.status_code == 302 and response.location == "/"
    assert user.name in page_text(client.get("/"))


def test_a_wrong_password_is_refused_with_a_clear_message(client, make):
    make.city_member(email="officer@riga.example")
    response = sign_in(client, "officer@riga.example", "not the password")
    assert response.status_code == 200
    assert WRONG in page_text(response)
    assert client.get("/").status_code == 302  # still signed out


def test_an_unknown_account_gets_exactly_the_same_answer(client, make):
    make.city_member(email="officer@riga.example")
    known = sign_in(client, "officer@riga.example", "not the password")
    unknown = sign_in(client, "nobody@nowhere.example", "not the password")
    assert page_text(known) == page_text(unknown)


def test_an_inactive_account_cannot_sign_in(client, make):
    make.city_member(email="gone@riga.example", active=False)
    assert WRONG in page_text(sign_in(client, "gone@riga.example", PASSWORD))


def test_an_account_without_a_password_cannot_sign_in(client, make):
    make.city_member(email="invited@riga.example", password=None)
    assert WRONG in page_text(sign_in(client, "invited@riga.example", "anything at all"))


def test_an_empty_form_asks_for_both_fields(client):
    text = page_text(sign_in(client, "", ""))
    assert "Email address: Fill this in." in text
    assert "Password: Fill this in." in text


def test_pages_send_anonymous_visitors_to_sign_in_and_back(client, make):
    make.city_member(email="officer@riga.example")
    response = client.get("/pairs/")
    assert response.status_code == 302 and response.location.startswith("/sign-in?next=")
    response = sign_in(client, "officer@riga.example", PASSWORD, next="/pairs/")
    assert response.location == "/pairs/"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        " //evil.example",
    ],
)
def test_next_never_leads_off_site(client, make, target):
    make.city_member(email="officer@riga.example")
    response = sign_in(client, "officer@riga.example", PASSWORD, next=target)
    assert response.status_code == 302 and response.location == "/"


def test_sign_out_ends_the_session(client, login_as, make):
    login_as(make.city_member())
    assert client.get("/").status_code == 200
    client.post("/sign-out")
    assert client.get("/").status_code == 302


def test_sign_out_needs_a_post(client, login_as, make):
    login_as(make.city_member())
    assert client.get("/sign-out").status_code == 200  # a page that asks
    assert client.get("/").status_code == 200  # still signed in


def test_changing_the_password_signs_out_other_sessions(app, client, login_as, make):
    user = make.city_member()
    login_as(user)
    other_device = sign_in_client(app.test_client(), open_session(user))
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a much newer secret",
            "confirm_password": "a much newer secret",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # this device stays signed in
    assert other_device.get("/").status_code == 302  # the other one is signed out
    client.post("/sign-out")
    assert sign_in(client, user.email, "a much newer secret").status_code == 302


def test_a_wrong_current_password_changes_nothing(client, login_as, make, session):
    user = make.city_member()
    login_as(user)
    response = client.post(
        "/account/password",
        data={
            "current_password": "wrong one",
            "new_password": "a much newer secret",
            "confirm_password": "a much newer secret",
        },
    )
    assert "Your current password is not right." in page_text(response)
    session.refresh(user)
    assert user.session_version == 1


def test_mismatched_new_passwords_are_refused(client, login_as, make):
    login_as(make.city_member())
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a much newer secret",
            "confirm_password": "something else entirely",
        },
    )
    assert "The two new passwords do not match." in page_text(response)


def test_a_post_without_csrf_token_is_refused(app, client, login_as, make, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    login_as(make.coordinator())
    response = client.post(
        "/organisations/new",
        data={"name": "Sneaky", "kind": "city", "country": "X", "timezone": "UTC"},
    )
    assert response.status_code == 400
    response = client.post("/sign-out")
    assert response.status_code == 400


def test_a_post_with_the_csrf_token_is_accepted(app, client, make, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    make.city_member(email="officer@riga.example")
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = sign_in(client, "officer@riga.example", PASSWORD, csrf_token=token)
    assert response.status_code == 302
