"""Benchmark content in several languages: translations per field in the catalogue file and in
the editor, kept in published versions and told in their difference, shown to a reader in their
language, and the English, marked as English, where a text has no translation."""

import re

import pytest

from tests.benchmarks import THEME_FILE, base, draft_version, factor_data, story_theme, upload
from tests.helpers import page_text
from tests.i18n import read_in
from tracker.benchmarks.content import Benchmark
from tracker.benchmarks.queries import latest_version, theme_draft
from tracker.catalogue.loader import CatalogueError, parse

STANDARD = """    standard:
      en: Every jobseeker is treated alike.
      de: Alle Arbeitsuchenden werden „gleich“ behandelt.
"""
FACTORS = """
    factors:
      - key: job-offers
        title: %s
        statement: Newcomers hear of vacancies.
        guide_questions:
          - Do newcomers hear of vacancies?
          - text:
              en: How do migrants learn what work is available?
              fr: Comment les personnes migrantes apprennent-elles quels emplois existent ?
            answer: open
        examples:
          - city: Łódź
            country: Poland
            title: {en: Job club, de: Jobclub}
            summary: Weekly meetings.
"""
TITLE = (
    '{en: Information on job offers, fr: "Information sur les offres d\'emploi", '
    "de: Informationen über Stellenangebote}"
)


def translated_file(title: str = TITLE) -> str:
    return (
        THEME_FILE.replace("    expert_organisation:", STANDARD + "    expert_organisation:")
        + FACTORS % title
    )


def publish(client, session, note="Translated."):
    response = client.post("/catalogue/story/drafts", data={"note": note}, follow_redirects=True)
    assert response.status_code == 200
    session.expire_all()


@pytest.fixture
def published_story(client, login_as, make, session):
    """Theme D of the story programme, loaded from the translated file by a coordinator, who
    stays signed in, and published as version 1."""
    login_as(make.coordinator())
    upload(client, translated_file())
    publish(client, session)
    return story_theme(session)


def test_translations_from_a_file_are_published_kept_in_the_version_and_shown_to_readers(
    app, client, login_as, make, session, monkeypatch
):
    login_as(make.coordinator())
    assert "1 factor added" in page_text(upload(client, translated_file()))
    publish(client, session)
    theme = story_theme(session)
    assert theme.translations == {
        "de": {"standard": "Alle Arbeitsuchenden werden „gleich“ behandelt."}
    }
    (factor,) = Benchmark.from_json(latest_version(theme.id).content).factors
    assert factor.translations == {
        "de": {"title": "Informationen über Stellenangebote"},
        "fr": {"title": "Information sur les offres d'emploi"},
    }
    assert factor.guide_questions[0].translations == {}
    assert factor.guide_questions[1].translations["fr"]["text"].startswith("Comment les")
    assert factor.examples[0].translations == {"de": {"title": "Jobclub"}}

    read_in(app, monkeypatch, "de")
    html = client.get(f"{base(theme)}").get_data(as_text=True)
    assert "Informationen über Stellenangebote" in html
    assert "Alle Arbeitsuchenden werden „gleich“ behandelt." in html
    assert "Jobclub" in html
    # Not translated into German: the English, marked as such.
    assert '<span lang="en">Newcomers hear of vacancies.</span>' in html
    assert '<span lang="en">How do migrants learn what work is available?</span>' in html
    assert '<span class="in-english">' in html  # "(in English)", in the reader's language
    read_in(app, monkeypatch, "fr")
    html = client.get(f"{base(theme)}").get_data(as_text=True)
    assert "Comment les personnes migrantes" in html
    assert '<span lang="en">Every jobseeker is treated alike.</span>' in html
    read_in(app, monkeypatch, "en")
    html = client.get(f"{base(theme)}").get_data(as_text=True)
    assert "Information on job offers" in html and "in-english" not in html


def test_a_download_writes_the_translations_and_loads_back_as_nothing_changed(
    client, session, published_story
):
    theme = published_story
    download = client.get(f"{base(theme)}/benchmark.yaml").get_data(as_text=True)
    document = parse(download)
    (factor,) = document["themes"][0]["factors"]
    assert factor["title"] == "Information on job offers"  # the loader took its English
    assert factor["translations"]["de"]["title"] == "Informationen über Stellenangebote"
    assert "de: Jobclub" in download and "en: Job club" in download
    assert "statement: Newcomers hear of vacancies." in download  # English only: plain
    page = page_text(upload(client, download, "story-d.yaml"))
    assert "Catalogue loaded: nothing changed." in page
    assert theme_draft(theme.id) is None


def test_a_changed_translation_is_a_change_of_the_benchmark_told_by_language(
    client, session, published_story
):
    theme = published_story
    changed = translated_file().replace("de: Jobclub", "de: Stellenklub")
    page = page_text(upload(client, changed))
    assert "translations changed on 1 factor" in page
    publish(client, session, "Better German.")
    compare = page_text(client.get(f"{base(theme)}/compare?from=1&to=2"))
    assert "Translations changed: German" in compare


def test_the_editor_keeps_a_translation_per_field_and_refuses_one_too_long(
    client, session, published_story
):
    theme = published_story
    form = client.get(f"{base(theme)}/draft/factors/job-offers/edit").get_data(as_text=True)
    assert 'name="title_fr"' in form and 'lang="fr"' in form
    assert "Information sur les offres d&#39;emploi" in form
    data = factor_data(
        "job-offers",
        "Information on job offers",
        [("Do newcomers hear of vacancies?", "scale")],
        version=draft_version(session, theme),
        statement="Newcomers hear of vacancies.",
        title_fr="Information sur les offres d'emploi",
        title_de="",
        statement_de="Neu Zugewanderte erfahren von offenen Stellen.\nÜberall.",
        **{"questions-0-text_de": "Erfahren Neuzugewanderte von offenen Stellen?"},
    )
    assert client.post(f"{base(theme)}/draft/factors/job-offers/edit", data=data).status_code == 302
    (factor,) = Benchmark.from_json(theme_draft(theme.id).content).factors
    assert factor.translations == {
        "de": {"statement": "Neu Zugewanderte erfahren von offenen Stellen.\nÜberall."},
        "fr": {"title": "Information sur les offres d'emploi"},
    }
    assert factor.guide_questions[0].translations == {
        "de": {"text": "Erfahren Neuzugewanderte von offenen Stellen?"}
    }
    data["title_de"] = "Ü" * 301
    data["version"] = str(draft_version(session, theme))
    before = theme_draft(theme.id).content
    response = client.post(f"{base(theme)}/draft/factors/job-offers/edit", data=data)
    assert response.status_code == 200
    assert "Field cannot be longer than 300 characters." not in response.get_data(as_text=True)
    assert "Write at most 300 characters." in page_text(response)
    session.expire_all()
    assert theme_draft(theme.id).content == before


def test_the_theme_form_keeps_the_standards_translations(client, login_as, make, session):
    login_as(make.coordinator())
    upload(client, translated_file())
    theme = story_theme(session)
    form = client.get("/programmes/story/themes/D/edit").get_data(as_text=True)
    assert "Alle Arbeitsuchenden werden „gleich“ behandelt." in form
    response = client.post(
        "/programmes/story/themes/D/edit",
        data={
            "code": "D",
            "title": theme.title,
            "standard": "Every jobseeker is treated alike.",
            "standard_fr": "Chaque demandeur d'emploi est traité de la même façon.",
            "standard_de": "",
            "expert_organisation_id": str(theme.expert_organisation_id),
        },
    )
    assert response.status_code == 302
    session.expire_all()
    assert theme.translations == {
        "fr": {"standard": "Chaque demandeur d'emploi est traité de la même façon."}
    }


@pytest.mark.parametrize(
    ("title", "problem"),
    [
        ("{fr: Titre}", "with en required"),
        ("{en: Title, it: Titolo}", "with en required"),
        ("{en: Title, fr: [a, b]}", "each language of 'title' must be text"),
        ("{en: Title, de: " + "Ä" * 301 + "}", "'title' must be at most 300 characters"),
    ],
)
def test_a_file_with_a_malformed_translation_is_refused_whole(title, problem):
    with pytest.raises(CatalogueError, match=re.escape(problem)):
        parse(translated_file(title))


def test_a_load_counts_what_it_added_in_words(client, login_as, make):
    """Said in a sentence a translation can agree with the number ("1 theme", not "1 themes")."""
    login_as(make.coordinator())
    page = page_text(upload(client, translated_file()))
    assert (
        "Catalogue loaded: 1 organisation added, 1 programme added, 1 theme added, "
        "theme D's benchmark: 1 factor added." in page
    )


def test_a_translation_with_markup_is_shown_as_text(
    app, client, login_as, make, session, monkeypatch
):
    login_as(make.coordinator())
    upload(client, translated_file('{en: Job offers, fr: "<script>alert(1)</script> & co"}'))
    publish(client, session)
    read_in(app, monkeypatch, "fr")
    html = client.get(base(story_theme(session))).get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert "<script>alert(1)" not in html
