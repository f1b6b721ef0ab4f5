"""Choosing a language (issue 19, item 2) and sentences kept in the database shown in the
reader's language (item 4). Expected words are computed with the catalogues, never copied, so a
better translation does not break a test; each must differ from the English to prove anything."""

from __future__ import annotations

import io
import re
from datetime import date

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import load_workbook

from tests.helpers import page_text
from tests.users.test_invitations import HEADER, csv_file, upload
from tests.users.test_user_admin import form
from tracker.audit.models import AuditEntry
from tracker.audit.service import record
from tracker.auth.models import User
from tracker.dates import long_date
from tracker.db import utcnow
from tracker.messages import N_, NP_, Percent, in_sentence
from tracker.numbers import percent
from tracker.plans.models import PlanStatus
from tracker.privacy.erasure import erase_user


def translated(language: str, message: str, **params) -> str:
    with force_locale(language):
        words = _(message, **params)
    with force_locale("en"):
        assert words != _(message, **params), f"{message!r} has no {language} translation"
    return words


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True)).group(1)


def test_the_sign_in_page_speaks_the_browsers_language(app, client):
    with app.app_context():
        sign_in = translated("de", "Sign in")
    response = client.get("/sign-in", headers={"Accept-Language": "de-AT,de;q=0.9,en;q=0.5"})
    assert html_lang(response) == "de" and sign_in in page_text(response)
    unknown = client.get("/sign-in", headers={"Accept-Language": "pl,ja"})
    assert html_lang(unknown) == "en"  # DEFAULT_LANGUAGE


def test_a_visitor_switches_language_for_themselves_only(app, client):
    with app.app_context():
        sign_in = translated("fr", "Sign in")
    german_browser = {"Accept-Language": "de"}
    switched = client.post("/language/fr", data={"next": "/sign-in?next=%2Fpairs%2F"})
    assert (
        switched.status_code == 302 and switched.headers["Location"] == "/sign-in?next=%2Fpairs%2F"
    )
    page = client.get("/sign-in", headers=german_browser)
    assert html_lang(page) == "fr" and sign_in in page_text(page)
    assert client.post("/language/xx").status_code == 404  # unknown: changes nothing
    assert html_lang(client.get("/sign-in", headers=german_browser)) == "fr"
    assert (
        client.post("/language/de", data={"next": "https://evil.example/"}).headers["Location"]
        == "/sign-in"
    )  # never sent elsewhere
    assert client.get("/language/de").status_code == 405  # a GET changes nothing


def test_the_switch_is_offered_in_each_language_on_the_sign_in_page(client):
    page = client.get("/sign-in").get_data(as_text=True)
    for code, name in (("en", "English"), ("fr", "Français"), ("de", "Deutsch")):
        assert f'lang="{code}"' in page and name in page


def test_a_persons_own_language_beats_their_browser(app, client, login_as, make, session):
    member = make.city_member(name="Łukasz Nowak")
    login_as(member)
    french_browser = {"Accept-Language": "fr"}
    assert html_lang(client.get("/", headers=french_browser)) == "fr"
    response = client.post("/account/language", data={"language": "de"}, headers=french_browser)
    assert response.status_code == 302
    session.refresh(member)
    assert member.language == "de"
    assert html_lang(client.get("/", headers=french_browser)) == "de"
    entry = session.execute(
        sa.select(AuditEntry).where(AuditEntry.action == "user.language_chosen")
    ).scalar_one()
    assert entry.actor_id == member.id and entry.params["language"] == "Deutsch"

    refused = client.post("/account/language", data={"language": "pl"})
    assert refused.status_code == 200 and "is-invalid" in refused.get_data(as_text=True)
    session.refresh(member)
    assert member.language == "de"

    client.post("/account/language", data={"language": ""})
    session.refresh(member)
    assert member.language is None  # follows the browser again
    assert html_lang(client.get("/", headers=french_browser)) == "fr"


def test_a_coordinator_sets_the_language_of_someone_they_invite(client, login_as, make, session):
    login_as(make.coordinator())
    gdansk = make.city("Gdańsk")
    for language, expected in (("fr", "fr"), ("", None)):
        email = f"{language or 'browser'}@gdansk.example"
        data = form(gdansk, email=email, language=language, password="")
        assert client.post("/users/new", data=data).status_code == 302
        user = session.execute(sa.select(User).where(User.email == email)).scalar_one()
        assert user.language == expected
    refused = client.post("/users/new", data=form(gdansk, email="x@gdansk.example", language="pl"))
    assert refused.status_code == 200
    assert session.execute(sa.select(User).where(User.email == "x@gdansk.example")).first() is None


def test_the_invitation_file_takes_a_language_by_code_or_name(client, login_as, scheme, session):
    rows = [
        HEADER,
        ("Jürgen Groß", "juergen@riga.example", "Riga", "city", "Deutsch", ""),
        ("Zoé Lefèvre", "zoe@riga.example", "Riga", "city", "FR", ""),
        ("Anna Ozola", "anna.o@riga.example", "Riga", "city", "", ""),
    ]
    login_as(scheme["coordinator"])
    assert upload(client, "/users/invite", csv_file(rows), "people.csv").status_code == 302
    languages = dict(
        session.execute(
            sa.select(User.email, User.language).where(User.email.like("%@riga.example"))
        ).all()
    )
    assert languages["juergen@riga.example"] == "de" and languages["zoe@riga.example"] == "fr"
    assert languages["anna.o@riga.example"] is None


def test_the_invitation_template_explains_the_language_column(client, login_as, scheme):
    login_as(scheme["coordinator"])
    book = load_workbook(io.BytesIO(client.get("/users/invite/template.xlsx").data))
    cells = [
        str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
    ]
    assert "language" in cells and any("Deutsch" in cell for cell in cells)
    assert "English only" not in " ".join(cells)


def test_percentages_and_dates_follow_the_language(app):
    with app.test_request_context():
        with force_locale("en"):
            assert percent(40) == "40%" and percent(33.3) == "33.3%"
            assert long_date(date(2026, 3, 5)) == "5 Mar 2026"  # English, the European way
        with force_locale("de"):
            assert percent(40) == "40\xa0%" and percent(33.3) == "33,3\xa0%"
            assert long_date(date(2026, 3, 5)) == "5. März 2026"


def test_a_status_reads_in_the_language_of_the_moment_within_one_request(app):
    """Labels are translated once per request and language: an email written in its
    recipient's language in the middle of a page gets its own words, and the page keeps its."""
    with app.test_request_context():
        with force_locale("de"):
            assert str(PlanStatus.UNDER_REVIEW.label) == "In Prüfung"
        with force_locale("fr"):
            assert str(PlanStatus.UNDER_REVIEW.label) == "En cours d'examen"
            assert PlanStatus.UNDER_REVIEW.label.lower() == "en cours d'examen"
        with force_locale("de"):
            assert f"{PlanStatus.UNDER_REVIEW.label}" == "In Prüfung"
        with force_locale("en"):
            assert str(PlanStatus.UNDER_REVIEW.label) == "Under review"
    with app.app_context(), force_locale("fr"):  # a job: no request to keep anything in
        assert str(PlanStatus.UNDER_REVIEW.label) == "En cours d'examen"


def test_an_audit_entry_reads_in_the_readers_language(app, client, login_as, scheme, session):
    pair = scheme["pair"]
    record(
        scheme["implementer"],
        "plan.status_changed",
        pair,
        N_(
            "The action plan of %(pair)s is now %(status)s",
            pair=pair.label,
            status=in_sentence(PlanStatus.UNDER_REVIEW),
        ),
        pair_id=pair.id,
    )
    session.flush()
    coordinator = scheme["coordinator"]
    coordinator.language = "de"
    session.flush()
    with app.app_context():
        expected = translated(
            "de",
            "The action plan of %(pair)s is now %(status)s",
            pair=pair.label,
            status=translated("de", "Under review"),  # German keeps a noun's capital
        )
    login_as(coordinator)
    assert expected in page_text(client.get("/audit/"))
    entry = session.execute(sa.select(AuditEntry)).scalar_one()
    assert entry.summary == f"The action plan of {pair.label} is now under review"  # English


def test_kept_sentences_write_numbers_dates_and_plurals_for_the_reader(app):
    with app.test_request_context(), force_locale("fr"):
        progress = N_("%(city)s: %(progress)s", city="Łódź", progress=Percent(42.5))
        assert progress.text() == "Łódź: 42,5\xa0%" and progress.english() == "Łódź: 42.5%"
        parts = N_("Changes: %(parts)s", parts=[NP_("%(num)d factor", "%(num)d factors", 2)])
        assert parts.english() == "Changes: 2 factors"
        when = N_("On %(date)s", date=date(2026, 3, 2))
        assert when.english() == "On 2 Mar 2026" and when.text() != when.english()


def test_erasing_a_person_clears_their_name_from_the_sentences_kept(
    app, client, login_as, scheme, session
):
    anna, coordinator = scheme["implementer"], scheme["coordinator"]
    record(coordinator, "user.updated", anna, N_("Updated account for %(name)s", name=anna.name))
    session.flush()
    with app.test_request_context():
        erase_user(coordinator, anna, utcnow())
    session.flush()
    entry = session.execute(
        sa.select(AuditEntry).where(AuditEntry.action == "user.updated")
    ).scalar_one()
    session.refresh(entry)
    assert "Anna Ozola" not in entry.summary and "Anna Ozola" not in str(entry.params)
    login_as(coordinator)
    assert "Anna Ozola" not in page_text(client.get("/audit/"))
