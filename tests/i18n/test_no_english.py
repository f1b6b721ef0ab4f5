"""The main pages, emails and files in French and German show none of the interface's English.

Each page, email and file is rendered for a reader of the language, with the catalogues of
tracker/translations compiled for the test, and searched for every English sentence of the
interface (tests/i18n/catalogues.py: runs of three words or more of a message whose translation
differs). What may stay English: names, and the people's and the benchmark's own text (the
benchmark's where it has no translation, which the page marks with lang="en"). A failure names
the page and each sentence with the message it comes from.

Text in ⟦ ⟧ is a pseudo-translation's (⟦msgid⟧, a catalogue made to find untranslated text
before the real ones exist): translated by definition, it is left out of the search.
"""

from __future__ import annotations

import html as html_module
import io
import re
from datetime import UTC, date, datetime, timedelta

import openpyxl
import pytest
import sqlalchemy as sa

from tests.assessments import add_round
from tests.i18n import read_in
from tests.i18n.catalogues import (
    LANGUAGES,
    catalogue_path,
    compile_catalogues,
    english_sentences,
    translation,
)
from tracker.assessments.models import AssessmentRound, AssessmentStatus, ContextEffect
from tracker.auth.models import EmailFrequency, User
from tracker.catalogue.models import (
    ContextFactor,
    Example,
    Factor,
    GuideQuestion,
    Programme,
    Theme,
)
from tracker.extensions import babel
from tracker.mail import email_bodies
from tracker.notifications.jobs import daily_digests
from tracker.notifications.models import Notification, OutboxEmail
from tracker.organisations.models import Organisation
from tracker.plans.models import ActionStatus, PlanStatus
from tracker.reminders.jobs import run_reminders, weekly_digest
from tracker.visits.models import VisitStatus

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)

# The 20 main pages: (name, who reads it, address).
PAGES = [
    ("coordinator's dashboard", "coordinator", "/?programme=cities-grow"),
    ("city member's dashboard", "implementer", "/"),
    ("expert's dashboard", "expert", "/"),
    ("pair", "coordinator", "/pairs/{pair}"),
    ("action plan", "implementer", "/pairs/{pair}/plan"),
    ("visits", "coordinator", "/visits/"),
    ("visit report", "expert", "/visits/{visit}"),
    ("self-assessment round", "implementer", "/assessments/{round}"),
    ("self-assessment results", "implementer", "/pairs/{pair}/assessments"),
    ("deliverables", "coordinator", "/programmes/cities-grow/deliverables"),
    ("notifications", "implementer", "/notifications/"),
    ("account", "implementer", "/account/notifications"),
    ("theme and benchmark", "mentor", "/catalogue/cities-grow/themes/B"),
    ("benchmark across cities", "expert", "/catalogue/cities-grow/themes/B/across"),
    ("practice library", "implementer", "/practices"),
    ("programme report", "coordinator", "/programmes/cities-grow/report"),
    ("audit log", "coordinator", "/audit/"),
    ("people", "coordinator", "/users/"),
    ("sign-in", None, "/sign-in"),
    ("page not found", None, "/no-such-page"),
]
FILES = [
    ("action plan XLSX", "implementer", "/pairs/{pair}/plan/export.xlsx"),
    ("action plan CSV", "implementer", "/pairs/{pair}/plan/export.csv"),
    ("progress sheet XLSX", "implementer", "/pairs/{pair}/plan/progress-sheet?download=1"),
    ("benchmark across cities XLSX", "expert", "/catalogue/cities-grow/themes/B/across.xlsx"),
    ("programme report XLSX", "coordinator", "/programmes/cities-grow/report.xlsx"),
]
SHOWN = 40  # sentences listed in a failure

# Attributes a person reads or hears, besides the text of the page.
READ_ATTRIBUTES = re.compile(
    r'\s(?:title|alt|aria-label|aria-description|placeholder|data-confirm)="([^"]*)"'
)
# Benchmark text without a translation, as macros/content.html marks it.
ENGLISH_CONTENT = re.compile(r'<span lang="en">[^<]*</span>')
PSEUDO = re.compile(r"⟦[^⟦⟧]*⟧")


@pytest.fixture(autouse=True)
def compiled(app, tmp_path, monkeypatch):
    """The catalogues of tracker/translations, compiled for this test and the app's only ones."""
    for language in LANGUAGES:
        if not catalogue_path(language).exists():
            pytest.skip(f"{catalogue_path(language)} is missing (tests/i18n/test_catalogues.py)")
    compile_catalogues(tmp_path)
    monkeypatch.setattr(app.extensions["babel"], "translation_directories", [str(tmp_path)])
    monkeypatch.setattr(babel.domain_instance, "cache", {})


@pytest.fixture
def world(make, session, scheme, today):
    """The scheme (Helsinki mentoring Riga on theme B) with a plan under way, a reported visit,
    a completed baseline and a mid-term round in progress, a deliverable and a notification."""
    pair, theme = scheme["pair"], scheme["theme"]
    plan = make.plan(pair, status=PlanStatus.IN_IMPLEMENTATION, objective="Jobs for newcomers.")
    make.action(plan, theme.factors[:2], ActionStatus.AT_RISK, 40, ends_on=date(2026, 2, 1))
    visit = make.visit(pair, status=VisitStatus.HELD, starts_on=date(2026, 2, 2))
    make.report(visit, recommendations=2, author=scheme["expert"])
    make.visit(pair, status=VisitStatus.HELD, starts_on=date(2026, 2, 21))  # report missing
    contexts = theme.programme.context_factors
    add_round(session, pair.implementing_city, theme, [1] * len(theme.factors),
              context=[(c, ContextEffect.LIMITING, "Budget cut.") for c in contexts])  # fmt: skip
    progress = add_round(
        session,
        pair.implementing_city,
        theme,
        [2, None] + [None] * (len(theme.factors) - 2),
        round=AssessmentRound.MIDTERM,
        on=date(2026, 3, 1),
        status=AssessmentStatus.DRAFT,
    )
    make.deliverable(pair.implementing_city, pair, title="Plan on paper", due_on=date(2026, 3, 5))
    session.add(
        Notification(user=scheme["implementer"], kind="comment", subject="Anna wrote", link="/")
    )
    session.flush()
    return {**scheme, "pair": pair.id, "visit": visit.id, "round": progress.id}


def reader(world, who, language):
    """The user reading, with their language chosen where accounts have one."""
    user = world[who]
    if hasattr(User, "language"):
        user.language = language
    return user


def content_texts(session) -> list[str]:
    """The benchmark's, the programmes' and the organisations' own text, English by nature."""
    columns = [
        Programme.name, Programme.full_name, Programme.description, Programme.funder,
        ContextFactor.title, ContextFactor.description,
        Theme.title, Theme.standard, Theme.summary,
        Factor.title, Factor.statement, Factor.rationale,
        GuideQuestion.text, Example.title, Example.summary, Organisation.name,
    ]  # fmt: skip
    return [
        text for column in columns for text in session.execute(sa.select(column)).scalars() if text
    ]


def readable_text(page_html: str) -> str:
    """What a person reads or hears of a page: its text and read attributes, without its
    scripts and styles and without the benchmark text it marks as English."""
    page_html = re.sub(r"<(script|style)\b.*?</\1>", " ", page_html, flags=re.S)
    page_html = ENGLISH_CONTENT.sub(" ", page_html)
    attributes = " ".join(READ_ATTRIBUTES.findall(page_html))
    text = re.sub(r"<[^>]+>", " ", page_html)
    return html_module.unescape(f"{text} {attributes}")


def without_pseudo(text: str) -> str:
    previous = None
    while previous != text:
        previous, text = text, PSEUDO.sub(" ", text)
    return " ".join(text.split())


def english_found(text: str, language: str, content: list[str]) -> list[str]:
    """The interface's English sentences in a text (beyond those in the content's own)."""
    text = without_pseudo(text)
    found = []
    for sentence, message in english_sentences(language).items():
        if sentence not in text or any(sentence in own for own in content):
            continue
        if re.search(rf"(?<!\w){re.escape(sentence)}(?!\w)", text):
            found.append(f"  {sentence!r}  (from {message!r})")
    return found


def assert_translated(what: str, text: str, language: str, content: list[str]) -> None:
    found = english_found(text, language, content)
    more = f"\n  ... and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
    assert not found, (
        f"{what} in {language} shows {len(found)} English sentences:\n"
        + "\n".join(found[:SHOWN])
        + more
    )


def workbook_text(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    cells = [
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if isinstance(value, str)
    ]
    return "\n".join([*book.sheetnames, *cells])


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("name", "who", "address"), PAGES, ids=[page[0] for page in PAGES])
def test_a_main_page_shows_no_english(
    app, client, login_as, session, world, monkeypatch, language, name, who, address
):
    read_in(app, monkeypatch, language)
    if who:
        login_as(reader(world, who, language))
    response = client.get(address.format(**world))
    assert response.status_code == (404 if name == "page not found" else 200), name
    text = readable_text(response.get_data(as_text=True))
    # The page is in the language at all: the product's name is translated.
    assert translation(language, "Mentoring tracker") in text, f"{name} is not in {language}"
    assert_translated(f"The {name} page ({address})", text, language, content_texts(session))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("name", "who", "address"), FILES, ids=[file[0] for file in FILES])
def test_an_exported_file_shows_no_english(
    app, client, login_as, session, world, monkeypatch, language, name, who, address
):
    read_in(app, monkeypatch, language)
    login_as(reader(world, who, language))
    response = client.get(address.format(**world))
    assert response.status_code == 200, name
    data = response.get_data()
    text = data.decode("utf-8-sig") if "csv" in address else workbook_text(data)
    assert_translated(f"The {name} ({address})", text, language, content_texts(session))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_programme_report_pdf_prints_no_english(
    app, client, login_as, session, world, monkeypatch, language
):
    """The PDF is printed from HTML by WeasyPrint, which writes its text as font glyphs: the
    test reads the HTML WeasyPrint is given, and checks a PDF came out of it."""
    import weasyprint

    printed: list[str] = []
    original = weasyprint.HTML

    def recording(*args, **kwargs):
        printed.append(kwargs["string"])
        return original(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", recording)
    read_in(app, monkeypatch, language)
    login_as(reader(world, "coordinator", language))
    response = client.get("/programmes/cities-grow/report.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    (page_html,) = printed
    assert_translated(
        "The programme report PDF", readable_text(page_html), language, content_texts(session)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_emails_show_no_english(app, client, login_as, session, world, monkeypatch, language):
    """Five emails: an invitation, a password reset, a reminder, a daily summary and the
    coordinators' weekly digest, each to a reader of the language."""
    read_in(app, monkeypatch, language)
    for who in ("coordinator", "implementer", "mentor", "expert"):
        reader(world, who, language)
    world["implementer"].email_frequency = EmailFrequency.DAILY
    session.flush()
    login_as(world["coordinator"])
    assert client.post(f"/users/{world['mentor'].id}/invitation").status_code == 302
    client.post("/account/forgot-password", data={"email": world["expert"].email})
    with app.test_request_context(method="POST"):
        run_reminders(NOW)
        daily_digests(NOW + timedelta(hours=1))
        weekly_digest(NOW)
        session.flush()
        emails = session.execute(sa.select(OutboxEmail).order_by(OutboxEmail.id)).scalars().all()
        kinds = [email.key.split(":")[0] for email in emails]
        assert kinds.count("password") == 2 and "daily" in kinds, kinds
        assert kinds.count("notification") >= 2, kinds  # the reminder, the weekly digest
        content = content_texts(session)
        for email in emails:
            text_body, html_body = email_bodies(email)
            what = f"The email {email.key!r} to {email.to_address}"
            assert_translated(what, f"{email.subject}\n{text_body}", language, content)
            assert_translated(what, readable_text(html_body), language, content)
