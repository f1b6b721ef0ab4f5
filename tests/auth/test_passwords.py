"""Passwords people cannot guess (issue 15, item 3): common passwords, runs, sequences and the
person's own name or address are refused with a reason on every form that sets a password, and
guessing the current password when changing it counts like failed sign-ins."""

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from tests.factories import PASSWORD
from tests.helpers import page_text
from tracker.auth.models import User
from tracker.auth.passwords import password_problem
from tracker.auth.tokens import password_token
from tracker.extensions import limiter

EMAIL, NAME = "anna.kalnina@riga.example", "Anna Kalniņa"
WEAK = {
    "password123": "one of the most common passwords",
    "qwertyuiop1": "one of the most common passwords",
    "aaaaaaaaaaaa": "repeats characters or words",
    "abcdefghijkl": "a simple sequence",
    "asdfghjkl;lk": "keys next to each other",
    "anna.kalnina@riga.example": "built on your name or email address",
    "AnnaKalnina2026": "built on your name or email address",
    "kalniņa-riga-1990": "built on your name or email address",
}
STRONG = ["correct horse battery", "anna likes green tea at noon", "Velvet-otter-92-lantern"]


@pytest.mark.parametrize(("password", "reason"), WEAK.items())
def test_guessable_passwords_are_refused_with_the_reason(app, password, reason):
    with app.test_request_context():
        problem = password_problem(password, email=EMAIL, name=NAME)
    assert problem is not None and reason in problem
    assert problem.startswith("This password is too easy to guess.")


@pytest.mark.parametrize("password", STRONG)
def test_hard_to_guess_passwords_are_accepted(app, password):
    with app.test_request_context():
        assert password_problem(password, email=EMAIL, name=NAME) is None


def test_a_very_long_password_is_judged_quickly(app):
    with app.test_request_context():
        assert password_problem("x" * 1024, email=EMAIL, name=NAME) is not None
        assert password_problem("tea " * 3 + "lantern otter velvet " * 40) is None


def change(client, current, new):
    return client.post(
        "/account/password",
        data={"current_password": current, "new_password": new, "confirm_password": new},
    )


def test_changing_to_a_common_password_is_refused(client, login_as, make, session):
    user = make.city_member(email=EMAIL, name=NAME)
    login_as(user)
    hash_before = user.password_hash
    for password, reason in WEAK.items():
        response = change(client, PASSWORD, password)
        assert response.status_code == 200 and reason in page_text(response), password
    session.refresh(user)
    assert user.password_hash == hash_before and client.get("/").status_code == 200


def test_setting_a_common_password_from_a_link_is_refused(app, client, make, session):
    user = make.city_member(email=EMAIL, name=NAME, password=None)
    with app.test_request_context():
        token = password_token(user)
    response = client.post(
        f"/account/set-password/{token}",
        data={"new_password": "password123", "confirm_password": "password123"},
    )
    assert response.status_code == 200
    assert "one of the most common passwords" in page_text(response)
    session.refresh(user)
    assert user.password_hash is None


@pytest.mark.parametrize("password", ["password123", "anna.kalnina@riga.example"])
def test_a_coordinator_cannot_give_a_guessable_password(client, login_as, make, session, password):
    login_as(make.coordinator())
    riga = make.city("Riga")
    response = client.post(
        "/users/new",
        data={
            "name": NAME,
            "email": EMAIL,
            "role": "city",
            "organisation_id": riga.id,
            "timezone": "Europe/Riga",
            "password": password,
            "active": "y",
        },
    )
    assert response.status_code == 200 and "too easy to guess" in page_text(response)
    assert session.execute(sa.select(User).where(User.email == EMAIL)).scalar_one_or_none() is None


def test_the_command_line_refuses_a_guessable_password(app, session):
    result = CliRunner().invoke(
        app.cli,
        ["tracker", "create-user", "--email", EMAIL, "--name", NAME, "--organisation", "Net"],
        input="AnnaKalnina2026\nAnnaKalnina2026\n",
    )
    assert result.exit_code != 0 and "built on your name or email address" in result.output
    assert session.execute(sa.select(User).where(User.email == EMAIL)).scalar_one_or_none() is None


@pytest.fixture
def limits_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "SIGN_IN_LIMIT_PER_ACCOUNT", "3 per 15 minutes")
    monkeypatch.setitem(app.config, "SIGN_IN_LIMIT_PER_ADDRESS", "6 per 15 minutes")
    limiter.reset()
    limiter.enabled = True
    yield
    limiter.reset()


def test_guessing_the_current_password_is_paused_like_signing_in(
    client, login_as, make, session, limits_on
):
    user = make.city_member()
    login_as(user)
    for _attempt in range(3):
        assert "not right" in page_text(change(client, "a wrong guess", "a much newer secret"))
    paused = change(client, PASSWORD, "a much newer secret")
    assert paused.status_code == 429
    session.refresh(user)
    assert user.session_version == 1  # the password did not change


def test_wrong_current_passwords_and_failed_sign_ins_count_together(
    app, client, login_as, make, limits_on
):
    user = make.city_member()
    for _attempt in range(2):
        failed = app.test_client().post("/sign-in", data={"email": user.email, "password": "x"})
        assert failed.status_code == 200
    login_as(user)
    assert "not right" in page_text(change(client, "a wrong guess", "a much newer secret"))
    signing_in = app.test_client().post(
        "/sign-in", data={"email": user.email, "password": PASSWORD}
    )
    assert signing_in.status_code == 429


def test_a_refused_new_password_does_not_count_as_a_guess(client, login_as, make, limits_on):
    login_as(make.city_member())
    for _attempt in range(4):
        assert change(client, PASSWORD, "password123").status_code == 200
    assert change(client, PASSWORD, "a much newer secret").status_code == 302
