"""Forgot password (issue 15, item 4): a form sent twice queues one email and answers like once,
and the answer, and the time it takes, are the same whether or not the address has an account."""

import statistics
import time

import sqlalchemy as sa

from tracker.audit.models import AuditEntry
from tracker.notifications.models import OutboxEmail

ANSWER = "If an account uses this address, a link to set a new password is on its way."


def ask(client, email):
    return client.post("/account/forgot-password", data={"email": email}, follow_redirects=False)


def count(session, model):
    return session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()


def test_a_double_submitted_form_sends_one_link_and_answers_twice_the_same(app, make, session):
    user = make.city_member(email="officer@riga.example")
    first = ask(app.test_client(), "officer@riga.example")
    second = ask(app.test_client(), "Officer@Riga.example ")
    assert first.status_code == second.status_code == 302
    assert first.location == second.location == "/sign-in"
    emails = session.execute(sa.select(OutboxEmail).where(OutboxEmail.user_id == user.id)).all()
    assert len(emails) == 1
    assert count(session, AuditEntry) == 1


def test_the_answer_is_the_same_for_known_unknown_and_inactive_addresses(app, make):
    make.city_member(email="officer@riga.example")
    make.city_member(email="gone@riga.example", active=False)
    answers = []
    for email in ("officer@riga.example", "nobody@riga.example", "gone@riga.example"):
        client = app.test_client()
        response = ask(client, email)
        page = client.get(response.location).get_data(as_text=True)
        answers.append((response.status_code, response.location, ANSWER in page))
    assert answers == [(302, "/sign-in", True)] * 3


def test_an_unknown_address_leaves_nothing_behind(app, make, session):
    ask(app.test_client(), "nobody@riga.example")
    assert count(session, OutboxEmail) == 0 and count(session, AuditEntry) == 0


def median_answer_seconds(app, known, unknown):
    """The median time to answer for each list of addresses, asked in turns."""
    times = ([], [])
    for pair in zip(known, unknown, strict=True):  # in turns: a busy moment hits both alike
        for email, spent in zip(pair, times, strict=True):
            started = time.perf_counter()
            assert ask(app.test_client(), email).status_code == 302
            spent.append(time.perf_counter() - started)
    return statistics.median(times[0]), statistics.median(times[1])


def test_known_and_unknown_addresses_take_the_same_time(app, make, monkeypatch):
    floor = 0.12
    monkeypatch.setitem(app.config, "FORGOT_PASSWORD_ANSWER_SECONDS", floor)
    known = [make.city_member(email=f"officer{n}@riga.example").email for n in range(15)]
    unknown = [f"nobody{n}@riga.example" for n in range(15)]
    median_answer_seconds(app, known[:3], unknown[:3])  # warm up
    known_time, unknown_time = median_answer_seconds(app, known[3:], unknown[3:])
    print(f"known {known_time * 1000:.2f} ms, unknown {unknown_time * 1000:.2f} ms")
    # Both wait for the floor; what is left is noise (generous: the test machine may be busy).
    for spent in (known_time, unknown_time):
        assert floor <= spent < floor + 0.1
    assert abs(known_time - unknown_time) < 0.02
