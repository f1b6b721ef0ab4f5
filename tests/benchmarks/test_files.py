"""The file route: downloads in the documented format, the template and the format page, and a
loaded file that becomes drafts, published only when confirmed."""

import yaml

from tests.benchmarks import THEME_FILE, story_theme, upload
from tests.helpers import page_text
from tracker.benchmarks.models import DraftSource
from tracker.benchmarks.queries import latest_version, theme_draft
from tracker.catalogue.loader import parse

THEME_WITH_FACTORS = (
    THEME_FILE
    + """
    factors:
      - key: job-offers
        title: Information on job offers
        statement: Newcomers hear of vacancies.
        rationale: Most jobs are never advertised.
        guide_questions:
          - Do newcomers hear of vacancies?
          - text: How do migrants learn what work is available?
            answer: open
        examples:
          - {city: Łódź, country: Poland, title: Job club, summary: Weekly meetings.}
"""
)


def test_a_loaded_file_becomes_a_draft_shown_before_it_is_published(
    client, login_as, make, session
):
    login_as(make.coordinator())
    response = upload(client, THEME_WITH_FACTORS)
    page = page_text(response)
    assert "Nothing is published yet" in page and "1 factor added" in page
    theme = story_theme(session)
    assert latest_version(theme.id) is None
    assert theme_draft(theme.id).source is DraftSource.FILE
    response = client.post(
        "/catalogue/story/drafts", data={"note": "From the toolkit."}, follow_redirects=True
    )
    assert "1 version is published." in page_text(response)
    version = latest_version(theme.id)
    assert version.number == 1 and version.note == "From the toolkit."
    (factor,) = theme.factors
    assert factor.rationale == "Most jobs are never advertised."
    assert [q.is_open for q in factor.guide_questions] == [False, True]

    # The file again, with a question reworded: a draft, version 1 untouched.
    changed = THEME_WITH_FACTORS.replace("hear of vacancies?", "hear of every vacancy?")
    page = page_text(upload(client, changed))
    assert "guide questions changed on 1 factor" in page
    assert latest_version(theme.id).number == 1
    session.refresh(factor)
    assert factor.guide_questions[0].text == "Do newcomers hear of vacancies?"


def test_downloads_load_back_and_the_template_and_format_page_are_served(
    client, login_as, make, session, scheme
):
    login_as(scheme["mentor"])
    whole = client.get("/catalogue/cities-grow/catalogue.yaml")
    assert whole.status_code == 200
    assert "attachment" in whole.headers["Content-Disposition"]
    document = parse(whole.get_data())
    assert [theme["code"] for theme in document["themes"]] == ["A", "B", "C", "D"]
    assert "factors" not in document["themes"][3]
    template = client.get("/catalogue/template.yaml").get_data(as_text=True)
    assert template.startswith("format: tracker-catalogue/1")
    assert "answer: open" in template
    assert yaml.safe_load(template)["programme"]["key"] == "cities-grow"
    format_page = client.get("/catalogue/format")
    assert "<h1>Benchmark catalogue format</h1>" in format_page.get_data(as_text=True)
    # The whole programme, loaded back by a coordinator, changes nothing.
    login_as(scheme["coordinator"])
    response = upload(client, whole.get_data(as_text=True), "cities-grow.yaml")
    assert "Catalogue loaded: nothing changed." in page_text(response)
    theme_b = scheme["theme"]
    assert client.get("/catalogue/cities-grow/themes/B/benchmark.yaml?version=7").status_code == 404
    assert theme_draft(theme_b.id) is None
