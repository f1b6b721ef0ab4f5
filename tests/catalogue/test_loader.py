"""The shipped catalogue, and loading catalogue files."""

import io

import pytest
import sqlalchemy as sa
import yaml

from tracker.benchmarks.models import DraftSource
from tracker.benchmarks.queries import latest_version, theme_draft
from tracker.catalogue.loader import CatalogueError, bundled_files, load_document, load_files, parse
from tracker.catalogue.models import (
    ContextFactor,
    Example,
    Factor,
    GuideQuestion,
    Programme,
    Theme,
)
from tracker.organisations.models import Organisation

EXPECTED_FACTORS = {
    ("cities-grow", "A"): 7,
    ("cities-grow", "B"): 10,
    ("cities-grow", "C"): 9,
    ("cities-grow", "D"): 0,
    ("implementoring", "A"): 8,
}


def factor_counts(session):
    rows = session.execute(
        sa.select(Programme.key, Theme.code, sa.func.count(Factor.id))
        .join(Theme, Theme.programme_id == Programme.id)
        .outerjoin(Factor, Factor.theme_id == Theme.id)
        .group_by(Programme.key, Theme.code)
    )
    return {(key, code): count for key, code, count in rows}


def row_counts(session):
    models = (Programme, Theme, Factor, GuideQuestion, Example, ContextFactor, Organisation)
    return {
        model.__name__: session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()
        for model in models
    }


def test_the_shipped_catalogue_has_the_benchmarks_of_both_programmes(session):
    assert factor_counts(session) == EXPECTED_FACTORS


def test_every_factor_has_guide_questions_and_a_statement(session):
    factors = session.execute(sa.select(Factor)).scalars().all()
    assert len(factors) == sum(EXPECTED_FACTORS.values())
    for factor in factors:
        assert factor.statement.strip(), factor.key
        assert factor.guide_questions, f"{factor.key} has no guide questions"


def test_programmes_have_their_context_factors(session):
    counts = dict(
        session.execute(
            sa.select(Programme.key, sa.func.count(ContextFactor.id))
            .join(ContextFactor)
            .group_by(Programme.key)
        ).all()
    )
    assert counts == {"cities-grow": 10, "implementoring": 7}


def test_themes_know_their_facilitating_expert_organisation(session):
    experts = dict(
        session.execute(
            sa.select(Theme.code, Organisation.name)
            .join(Programme)
            .join(Organisation, Theme.expert_organisation_id == Organisation.id)
            .where(Programme.key == "cities-grow")
        ).all()
    )
    assert experts == {
        "A": "Migration Policy Group",
        "B": "MigrationWork",
        "C": "Migration Policy Institute Europe",
        "D": "Migration Policy Group",
    }


def test_loading_the_catalogue_again_changes_nothing(session):
    before = row_counts(session)
    report = load_files(bundled_files())
    session.flush()
    assert not report.changed, report.describe()
    assert row_counts(session) == before


SMALL_CATALOGUE = """
format: tracker-catalogue/1
programme:
  key: test-programme
  name: Test programme
  context_factors:
    - key: city-resources
      title: City resources
      description: Money and staff.
themes:
  - code: A
    title: Housing
    expert_organisation: Test Experts
    standard: Everyone has a home.
    factors:
      - key: first
        title: First factor
        statement: The first thing.
        guide_questions: ["Is the first thing done?", "Who does it?"]
        examples:
          - {city: Ghent, title: A practice, summary: Ghent did it.}
      - key: second
        title: Second factor
        statement: The second thing.
        guide_questions: ["Is the second thing done?"]
"""


def load_text(tmp_path, text, name="housing.yaml"):
    """Load a file as the command line does."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_files([path])


def test_a_coordinators_own_file_is_published_as_version_1_and_reloads_as_no_change(
    session, tmp_path
):
    report = load_text(tmp_path, SMALL_CATALOGUE)
    theme = session.execute(
        sa.select(Theme).join(Programme).where(Programme.key == "test-programme")
    ).scalar_one()
    version = latest_version(theme.id)
    assert version.number == 1 and "2 factors added" in report.describe()
    assert [f.key for f in theme.factors] == ["first", "second"]
    assert [q.text for q in theme.factors[0].guide_questions] == [
        "Is the first thing done?",
        "Who does it?",
    ]
    again = load_text(tmp_path, SMALL_CATALOGUE)
    assert not again.changed, again.describe()
    assert latest_version(theme.id).number == 1


def test_an_edited_file_makes_a_draft_and_leaves_the_published_version_alone(session, tmp_path):
    load_text(tmp_path, SMALL_CATALOGUE)
    document = yaml.safe_load(SMALL_CATALOGUE)
    factors = document["themes"][0]["factors"]
    factors[0]["statement"] = "The first thing, reworded."
    factors.reverse()
    report = load_text(tmp_path, yaml.safe_dump(document, allow_unicode=True))
    theme = session.execute(
        sa.select(Theme).join(Programme).where(Programme.key == "test-programme")
    ).scalar_one()
    session.refresh(theme)
    assert [factor.key for factor in theme.factors] == ["first", "second"]
    assert theme.factors[0].statement == "The first thing."
    draft = theme_draft(theme.id)
    assert draft.source is DraftSource.FILE and draft.based_on == 1
    assert [f["key"] for f in draft.content["factors"]] == ["second", "first"]
    assert "1 factor reworded, factors reordered" in report.describe()
    assert latest_version(theme.id).number == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("format: other\nprogramme: {key: x, name: X}", "'format' must be"),
        ("format: tracker-catalogue/1\nprogramme: {key: Not A Slug}", "slug"),
        ("format: tracker-catalogue/1\nprogramme: {key: brand-new}", "must give its 'name'"),
        ("- just\n- a list", "expected a mapping"),
        ("format: tracker-catalogue/1\nprogramme: {key: x, name: X\n", "not valid YAML"),
        (
            "format: tracker-catalogue/1\nprogramme: {key: x, name: X}\nthemes:\n"
            "  - {code: A, title: T, factors: [{key: f, title: F, statement: S}]}",
            "needs at least one guide question",
        ),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message(session, text, message):
    before = row_counts(session)
    with pytest.raises(CatalogueError, match=message):
        load_document(parse(text))
    session.rollback()
    assert row_counts(session) == before


def test_coordinator_loads_a_file_from_the_browser(client, login_as, make, session):
    login_as(make.coordinator())
    response = client.post(
        "/catalogue/load",
        data={"file": (io.BytesIO(SMALL_CATALOGUE.encode()), "housing.yaml")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Catalogue loaded" in response.get_data(as_text=True)
    assert session.execute(
        sa.select(Programme).where(Programme.key == "test-programme")
    ).scalar_one()


def test_a_bad_upload_shows_the_problem_and_saves_nothing(client, login_as, make, session):
    login_as(make.coordinator())
    response = client.post(
        "/catalogue/load",
        data={"file": (io.BytesIO(b"format: nope\nprogramme: {key: zz, name: Z}"), "bad.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "must be" in response.get_data(as_text=True)
    assert session.execute(sa.select(Programme).where(Programme.key == "zz")).first() is None


def test_only_coordinators_may_load_a_catalogue(client, login_as, make):
    login_as(make.city_member())
    response = client.post(
        "/catalogue/load",
        data={"file": (io.BytesIO(SMALL_CATALOGUE.encode()), "housing.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 403
