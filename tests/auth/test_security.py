"""Security headers, session cookies and the limits on sign-in and password-reset attempts."""

import pytest

from config import TestConfig
from tests.factories import PASSWORD
from tests.helpers import page_text
from tracker import create_app
from tracker.extensions import limiter

PAUSED = "the tracker pauses after several failed attempts"


@pytest.fixture
def limits_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "SIGN_IN_LIMIT_PER_ACCOUNT", "3 per 15 minutes")
    monkeypatch.setitem(app.config, "SIGN_IN_LIMIT_PER_ADDRESS", "6 per 15 minutes")
    monkeypatch.setitem(app.config, "PASSWORD_RESET_LIMIT", "2 per hour")
    limiter.reset()
    limiter.enabled = True
    yield
    limiter.reset()


def sign_in(client, email, password):
    return client.post("/sign-in", data={"email": email, "password": password})


def test_pages_carry_a_strict_content_security_policy(client):
    headers = client.get("/sign-in").headers
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in headers  # only over HTTPS, in production


def test_hsts_is_sent_when_configured(tmp_path):
    production = create_app(
        TestConfig,
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite'}", "HSTS_SECONDS": 31536000},
    )
    response = production.test_client().get("/sign-in")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_uploaded_files_keep_their_own_stricter_policy(app):
    with app.test_request_context():
        response = app.make_response(("x", 200, {"Content-Security-Policy": "sandbox"}))
        response = app.process_response(response)
    assert response.headers["Content-Security-Policy"] == "sandbox"


def test_the_session_cookie_is_http_only_and_same_site(client, make):
    make.city_member(email="officer@riga.example")
    response = sign_in(client, "officer@riga.example", PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_an_account_is_paused_after_failed_attempts_even_with_the_right_password(
    client, make, limits_on
):
    make.city_member(email="officer@riga.example")
    for _attempt in range(3):
        assert sign_in(client, "officer@riga.example", "guess").status_code == 200
    paused = sign_in(client, "officer@riga.example", PASSWORD)
    assert paused.status_code == 429 and PAUSED in page_text(paused)
    assert "Retry-After" in paused.headers


def test_successful_sign_ins_do_not_count(app, client, make, limits_on):
    make.city_member(email="officer@riga.example")
    for _attempt in range(8):
        assert sign_in(app.test_client(), "officer@riga.example", PASSWORD).status_code == 302


def test_one_address_trying_many_accounts_is_paused(client, make, limits_on):
    for number in range(6):
        assert sign_in(client, f"guess{number}@example.org", "guess").status_code == 200
    assert sign_in(client, "someone-else@example.org", "guess").status_code == 429


def test_password_reset_requests_are_limited(client, make, limits_on):
    for _attempt in range(2):
        client.post("/account/forgot-password", data={"email": "officer@riga.example"})
    again = client.post("/account/forgot-password", data={"email": "officer@riga.example"})
    assert again.status_code == 429


def test_signed_in_pages_and_files_are_not_stored(client, login_as, make, scheme):
    """Issue 15, item 5: the back button of a shared computer shows nothing of the last user."""
    plan = make.plan(scheme["pair"])
    make.action(plan)
    login_as(scheme["implementer"])
    pair = scheme["pair"].id
    for url in (
        "/",
        f"/pairs/{pair}/plan",
        f"/pairs/{pair}/plan/export.csv",
        f"/pairs/{pair}/plan/export.xlsx",
        f"/pairs/{pair}/plan/progress-sheet?download=1",
        f"/pairs/{pair}/infographic.svg",
        "/account/data.json",
        "/no-such-page",
    ):
        response = client.get(url)
        assert "no-store" in response.headers["Cache-Control"], url


def test_the_sign_in_page_is_not_stored_either(client):
    assert client.get("/sign-in").headers["Cache-Control"] == "no-store"
