"""Sessions that end: signing out, timeouts, new passwords and changed rights end a session for
every copy of its cookies, and each person sees and ends their own sessions (issue 15, item 1)."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from tests.factories import PASSWORD
from tests.helpers import QueryCounter, page_text
from tests.signing_in import open_session, sign_in_client
from tracker.auth.models import SessionEnd, UserSession
from tracker.auth.sessions import token_hash
from tracker.auth.tokens import password_token

SIGNED_IN_AT = "2026-03-02 09:00:00"
SESSION_COOKIE, REMEMBER_COOKIE = "session", "remember_token"


def sign_in(client, user, remember=False):
    data = {"email": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/sign-in", data=data)
    assert response.status_code == 302, page_text(response)
    return client


def cookie(client, name):
    found = client.get_cookie(name)
    return found.value if found is not None else None


def copy_of(app, client, *names):
    """Another browser holding copies of some of the client's cookies."""
    other = app.test_client()
    for name in names:
        other.set_cookie(name, cookie(client, name))
    return other


def signed_in(client) -> bool:
    return client.get("/").status_code == 200


def sessions_of(session, user):
    session.expire_all()
    return (
        session.execute(
            sa.select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id)
        )
        .scalars()
        .all()
    )


def test_signing_in_opens_a_session_row_that_the_cookie_names_only_by_a_random_token(
    client, make, session
):
    user = make.city_member(email="officer@riga.example")
    sign_in(client, user)
    (row,) = sessions_of(session, user)
    assert row.ended_at is None and not row.remember and row.address == "127.0.0.1"
    with client.session_transaction() as flask_session:
        token = flask_session["_user_id"]
    assert len(token) >= 40 and token_hash(token) == row.token_hash and token != row.token_hash


def test_a_session_cookie_copied_before_signing_out_is_refused_afterwards(
    app, client, make, session
):
    user = make.city_member()
    sign_in(client, user)
    thief = copy_of(app, client, SESSION_COOKIE)
    assert signed_in(thief)  # the copy works while the session lives
    client.post("/sign-out")
    assert not signed_in(client)
    assert not signed_in(thief)
    posted = thief.post("/notifications/read-all")
    assert posted.status_code == 302 and "/sign-in" in posted.location
    (row,) = sessions_of(session, user)
    assert row.end_reason is SessionEnd.SIGNED_OUT


def test_a_remember_me_cookie_alone_is_refused_after_signing_out(app, client, make):
    user = make.city_member()
    sign_in(client, user, remember=True)
    assert cookie(client, REMEMBER_COOKIE)
    restarted = copy_of(app, client, REMEMBER_COOKIE)  # a browser restart keeps only this one
    assert signed_in(restarted)
    thief = copy_of(app, client, REMEMBER_COOKIE)
    client.post("/sign-out")
    assert not signed_in(thief)
    assert cookie(thief, REMEMBER_COOKIE) is None  # and the dead cookie is deleted


def test_a_made_up_or_old_style_cookie_signs_nobody_in(app, make):
    user = make.coordinator()
    for token in (f"{user.id}:1", str(user.id), "x" * 43, ""):
        assert not signed_in(sign_in_client(app.test_client(), token))


@pytest.mark.parametrize(
    ("remember", "pause", "still_in"),
    [
        (False, timedelta(hours=7, minutes=50), True),
        (False, timedelta(hours=8, minutes=1), False),  # idle timeout
        (True, timedelta(days=6), True),
        (True, timedelta(days=7, minutes=1), False),  # idle timeout of a remembered session
    ],
)
def test_a_session_unused_for_too_long_ends(app, make, remember, pause, still_in):
    user = make.city_member()
    with freeze_time(SIGNED_IN_AT) as clock:
        client = sign_in(app.test_client(), user, remember)
        restarted = copy_of(app, client, REMEMBER_COOKIE) if remember else None
        clock.tick(pause)
        assert signed_in(client) is still_in
        if restarted is not None:  # the remember-me cookie alone is held to the same limits
            assert signed_in(restarted) is still_in


@pytest.mark.parametrize(
    ("remember", "step", "lifetime"),
    [
        (False, timedelta(hours=2), timedelta(hours=12)),
        (True, timedelta(days=5), timedelta(days=30)),
    ],
)
def test_a_session_in_constant_use_still_ends_at_its_lifetime(app, make, remember, step, lifetime):
    user = make.city_member()
    with freeze_time(SIGNED_IN_AT) as clock:
        client = sign_in(app.test_client(), user, remember)
        used = timedelta(0)
        while used + step < lifetime:
            clock.tick(step)
            used += step
            assert signed_in(client), f"signed out after {used}"
        clock.tick(lifetime - used + timedelta(minutes=1))
        assert not signed_in(client)


def test_last_use_is_written_down_at_most_every_few_minutes(app, make, session):
    user = make.city_member()
    with freeze_time(SIGNED_IN_AT) as clock:
        client = sign_in(app.test_client(), user)
        (row,) = sessions_of(session, user)
        signed_in_at = row.last_seen_at
        for _minute in range(4):
            clock.tick(timedelta(minutes=1))
            with QueryCounter() as queries:
                assert signed_in(client)
            assert not [sql for sql in queries.statements if sql.startswith("UPDATE user_session")]
        assert sessions_of(session, user)[0].last_seen_at == signed_in_at
        clock.tick(timedelta(minutes=2))
        assert signed_in(client)
        assert sessions_of(session, user)[0].last_seen_at == signed_in_at + timedelta(minutes=6)


def test_changing_the_password_ends_every_other_session_and_renews_this_one(
    app, client, make, session
):
    user = make.city_member()
    user.calendar_token = "old-calendar-token"
    session.flush()
    sign_in(client, user)
    laptop = sign_in(app.test_client(), user, remember=True)
    laptop_remember = copy_of(app, laptop, REMEMBER_COOKIE)
    before = cookie(client, SESSION_COOKIE)
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a much newer secret",
            "confirm_password": "a much newer secret",
        },
    )
    assert response.status_code == 302
    assert signed_in(client) and cookie(client, SESSION_COOKIE) != before
    assert not signed_in(laptop) and not signed_in(laptop_remember)
    # The ended sessions are gone (signing in again clears them away); one new one is live.
    assert [row.ended_at for row in sessions_of(session, user)] == [None]
    assert user.calendar_token not in (None, "old-calendar-token")  # item 10: a new feed address


def test_setting_a_password_from_a_link_ends_every_session(app, client, make, session):
    user = make.city_member()
    user.calendar_token = "old-calendar-token"
    session.flush()
    elsewhere = sign_in(app.test_client(), user)
    with app.test_request_context():
        token = password_token(user)
    response = client.post(
        f"/account/set-password/{token}",
        data={"new_password": "a much newer secret", "confirm_password": "a much newer secret"},
    )
    assert response.status_code == 302 and signed_in(client)
    assert not signed_in(elsewhere)
    session.refresh(user)
    assert user.calendar_token not in (None, "old-calendar-token")


@pytest.mark.parametrize(
    "change",
    [
        {"role": "expert"},  # with the organisation below
        {"active": None},  # unticked: deactivated
    ],
)
def test_a_coordinator_changing_rights_ends_the_users_sessions(
    app, client, login_as, make, session, change
):
    member = make.city_member()
    their_browser = sign_in(app.test_client(), member)
    login_as(make.coordinator())
    expert_org = make.expert_organisation()
    data = {
        "name": member.name,
        "email": member.email,
        "role": "city",
        "organisation_id": member.organisation_id,
        "timezone": "Europe/Brussels",
        "active": "y",
        "password": "",
    }
    if "role" in change:
        data.update(role="expert", organisation_id=expert_org.id)
    else:
        del data["active"]
    assert client.post(f"/users/{member.id}/edit", data=data).status_code == 302
    assert not signed_in(their_browser)
    (row,) = sessions_of(session, member)
    assert row.end_reason is SessionEnd.ACCOUNT_CHANGED


def test_erasure_deletes_the_persons_sessions(app, client, login_as, make, session):
    member = make.city_member()
    their_browser = sign_in(app.test_client(), member)
    login_as(make.coordinator())
    response = client.post(f"/users/{member.id}/erase", data={"confirm": "y"})
    assert response.status_code == 302
    assert not signed_in(their_browser)
    assert sessions_of(session, member) == []


def test_the_account_page_lists_ones_own_live_sessions(app, client, make, session):
    user = make.city_member()
    other = make.city_member()
    sign_in(client, user)
    firefox = app.test_client()
    firefox.environ_base["HTTP_USER_AGENT"] = (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
    )
    sign_in(firefox, user)
    open_session(other, browser="Someone else's browser")
    text = page_text(client.get("/account/sessions"))
    assert "Firefox · Windows" in text and "This browser" in text
    assert "Someone else's browser" not in text
    assert text.count("End this session") == 1 and "Sign out here" in text


def test_ending_one_session_from_the_account_page(app, client, make, session):
    user = make.city_member()
    sign_in(client, user)
    phone = sign_in(app.test_client(), user)
    phone_row = sessions_of(session, user)[1]
    response = client.post(f"/account/sessions/{phone_row.id}/end")
    assert response.status_code == 302 and response.location == "/account/sessions"
    assert not signed_in(phone) and signed_in(client)
    assert sessions_of(session, user)[1].end_reason is SessionEnd.ENDED_BY_USER


def test_ending_this_session_from_the_account_page_signs_out(client, make, session):
    user = make.city_member()
    sign_in(client, user)
    (row,) = sessions_of(session, user)
    response = client.post(f"/account/sessions/{row.id}/end")
    assert "/sign-in" in response.location and not signed_in(client)


def test_ending_all_other_sessions_keeps_only_this_one(app, client, make, session):
    user = make.city_member()
    others = [sign_in(app.test_client(), user, remember=True) for _ in range(3)]
    sign_in(client, user)
    response = client.post("/account/sessions/end-others", follow_redirects=True)
    assert "Every other session has ended" in page_text(response)
    assert signed_in(client) and not any(signed_in(other) for other in others)
    again = client.post("/account/sessions/end-others", follow_redirects=True)
    assert "You were not signed in anywhere else" in page_text(again)


def test_nobody_ends_someone_elses_session(app, client, make, session):
    victim = make.city_member()
    their_browser = sign_in(app.test_client(), victim)
    (their_row,) = sessions_of(session, victim)
    sign_in(client, make.city_member())
    assert client.post(f"/account/sessions/{their_row.id}/end").status_code == 404
    client.post("/account/sessions/end-others")
    assert signed_in(their_browser)


def test_signing_in_again_clears_away_ended_sessions(app, client, make, session):
    user = make.city_member()
    for _ in range(3):
        browser = sign_in(app.test_client(), user)
        browser.post("/sign-out")
    sign_in(client, user)
    assert [row.ended_at for row in sessions_of(session, user)] == [None]
