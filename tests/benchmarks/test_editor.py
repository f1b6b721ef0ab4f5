"""The benchmark editor's rules: who may edit, each bad input answered beside its field with
nothing saved, a stale save refused with the person's text kept, and reordering."""

import pytest
import sqlalchemy as sa

from tests.assessments import add_round
from tests.benchmarks import THEME_FILE, base, draft_version, factor_data, story_theme, upload
from tests.helpers import page_text
from tracker.assessments.models import AssessmentStatus
from tracker.benchmarks.models import BenchmarkVersion
from tracker.benchmarks.queries import latest_version, theme_draft
from tracker.benchmarks.service import retire_factor
from tracker.catalogue.models import Programme, Theme
from tracker.exceptions import RuleViolation

QUESTION = [("Is the first thing done?", "scale")]


def new_theme(client, login_as, make, session):
    login_as(make.coordinator())
    upload(client, THEME_FILE)
    return story_theme(session)


def add(client, session, theme, key, title="A factor", **extra):
    return client.post(
        f"{base(theme)}/draft/factors/new",
        data=factor_data(key, title, QUESTION, version=draft_version(session, theme), **extra),
    )


def test_the_facilitating_expert_edits_and_an_expert_of_another_organisation_cannot(
    client, login_as, make, session, scheme
):
    theme = scheme["theme"]
    login_as(scheme["other_expert"])
    assert client.get(f"{base(theme)}/draft").status_code == 403
    response = add(client, session, theme, "stolen", "Written by someone else")
    assert response.status_code == 403
    assert theme_draft(theme.id) is None
    login_as(scheme["expert"])
    assert client.get(f"{base(theme)}/draft").status_code == 200
    assert add(client, session, theme, "peer-review", "Peer review").status_code == 302
    assert theme_draft(theme.id).content["factors"][-1]["key"] == "peer-review"
    login_as(scheme["implementer"])
    assert client.get(f"{base(theme)}/draft").status_code == 403
    assert client.get(f"{base(theme)}/versions").status_code == 200


def test_each_bad_factor_is_answered_beside_its_field_and_nothing_is_saved(
    client, login_as, make, session
):
    theme = new_theme(client, login_as, make, session)
    assert add(client, session, theme, "first", "First").status_code == 302
    before = dict(theme_draft(theme.id).content)
    cases = [
        ({"title": " "}, "Give the factor a title."),
        ({"key": "first"}, "Another factor of this theme has the key &#39;first&#39;."),
        ({"key": "¿¡!"}, "Give a short key of letters, digits and dashes"),
        (
            {
                "examples-0-city": "Rīga",
                "examples-0-title": "Jobs fair",
                "examples-0-summary": "Twice a year.",
                "examples-0-url": "javascript:alert(1)",
            },
            "Give a web address starting with https:// or http://.",
        ),
        (
            {
                "examples-0-city": "Migration Policy Group",
                "examples-0-title": "Not a city",
                "examples-0-summary": "An expert organisation.",
            },
            "Migration Policy Group is not a city.",
        ),
        ({"questions-0-text": ""}, "Write at least one guide question."),
    ]
    for change, message in cases:
        data = factor_data("second", "Second", QUESTION, version=draft_version(session, theme))
        data.update(change)
        response = client.post(f"{base(theme)}/draft/factors/new", data=data)
        assert response.status_code == 200, change
        html = response.get_data(as_text=True)
        assert message in html, (change, page_text(response))
        assert 'class="invalid-feedback d-block"' in html  # beside the field
        assert theme_draft(theme.id).content == before


def test_a_typed_city_of_the_tracker_is_linked_and_gives_its_country(
    client, login_as, make, session
):
    theme = new_theme(client, login_as, make, session)
    munich = make.city("München", country="Germany")
    response = add(
        client,
        session,
        theme,
        "first",
        **{
            "examples-0-city": "München",
            "examples-0-title": "Welcome centre",
            "examples-0-summary": "A welcome centre for newcomers.",
            "examples-0-url": "https://www.muenchen.de",
        },
    )
    assert response.status_code == 302
    (example,) = theme_draft(theme.id).content["factors"][0]["examples"]
    assert (example["city_id"], example["country"]) == (munich.id, "Germany")


def test_publishing_without_factors_is_refused(client, login_as, make, session):
    theme = new_theme(client, login_as, make, session)
    add(client, session, theme, "only")
    client.post(
        f"{base(theme)}/draft/factors/only/retire", data={"version": draft_version(session, theme)}
    )
    response = client.post(
        f"{base(theme)}/draft/publish", data={"version": draft_version(session, theme)}
    )
    assert response.status_code == 422
    assert "A benchmark needs at least one factor before it can be published." in page_text(
        response
    )
    assert latest_version(theme.id) is None


def test_publishing_what_the_latest_version_says_is_refused(client, login_as, make, session):
    theme = new_theme(client, login_as, make, session)
    add(client, session, theme, "only")
    client.post(f"{base(theme)}/draft/publish", data={"version": draft_version(session, theme)})
    add(client, session, theme, "second")
    client.post(
        f"{base(theme)}/draft/factors/second/retire",
        data={"version": draft_version(session, theme)},
    )
    response = client.post(
        f"{base(theme)}/draft/publish", data={"version": draft_version(session, theme)}
    )
    assert "Nothing to publish: the draft says the same as version 1." in page_text(response)
    assert latest_version(theme.id).number == 1


def test_a_second_save_from_an_older_draft_is_refused_with_the_text_kept(
    client, login_as, make, session
):
    theme = new_theme(client, login_as, make, session)
    add(client, session, theme, "first", "First")
    stale = draft_version(session, theme)
    add(client, session, theme, "second", "Second")  # a colleague, a moment earlier
    response = client.post(
        f"{base(theme)}/draft/factors/new",
        data=factor_data("third", "Gdańsk's „third“ factor", QUESTION, version=stale),
    )
    html = response.get_data(as_text=True)
    assert "Someone else saved changes while you were editing, so nothing was saved." in html
    assert 'value="Gdańsk&#39;s „third“ factor"' in html  # their text is still in the form
    assert [f["key"] for f in theme_draft(theme.id).content["factors"]] == ["first", "second"]


def test_factors_move_up_and_down_with_buttons(client, login_as, make, session):
    theme = new_theme(client, login_as, make, session)
    for key in ("a", "b", "c"):
        add(client, session, theme, key)
    response = client.post(
        f"{base(theme)}/draft/factors/c/move",
        data={"direction": "up", "version": draft_version(session, theme)},
    )
    assert response.headers["Location"].endswith("/draft#factor-c")
    client.post(
        f"{base(theme)}/draft/factors/a/move",
        data={"direction": "down", "version": draft_version(session, theme)},
    )
    assert [f["key"] for f in theme_draft(theme.id).content["factors"]] == ["c", "a", "b"]
    response = client.post(
        f"{base(theme)}/draft/factors/c/move",
        data={"direction": "up", "version": draft_version(session, theme)},
        follow_redirects=True,
    )
    assert "The factor is already at that end of the list." in page_text(response)


def test_retiring_a_factor_a_draft_round_is_rating_asks_first(
    client, login_as, make, session, scheme
):
    theme, riga = scheme["theme"], scheme["pair"].implementing_city
    add_round(
        session,
        riga,
        theme,
        [2] + [None] * (len(theme.factors) - 1),
        status=AssessmentStatus.DRAFT,
    )
    factor = theme.factors[0]
    login_as(scheme["coordinator"])
    page = page_text(client.get(f"{base(theme)}/draft/factors/{factor.key}/retire"))
    assert "Riga, baseline" in page
    response = client.post(
        f"{base(theme)}/draft/factors/{factor.key}/retire",
        data={"version": draft_version(session, theme)},
    )
    assert "Tick the box to retire the factor these rounds rate." in page_text(response)
    assert theme_draft(theme.id) is None
    response = client.post(
        f"{base(theme)}/draft/factors/{factor.key}/retire",
        data={"version": draft_version(session, theme), "confirm": "y"},
    )
    assert response.status_code == 302
    assert factor.key not in [f["key"] for f in theme_draft(theme.id).content["factors"]]


def test_the_shipped_catalogue_is_version_1_of_each_theme_with_factors(session):
    versions = dict(
        session.execute(
            sa.select(Programme.key + "/" + Theme.code, BenchmarkVersion.number)
            .join(Theme, Theme.programme_id == Programme.id)
            .outerjoin(BenchmarkVersion, BenchmarkVersion.theme_id == Theme.id)
        ).all()
    )
    assert versions == {
        "cities-grow/A": 1,
        "cities-grow/B": 1,
        "cities-grow/C": 1,
        "cities-grow/D": None,  # no benchmark yet: it is written in the tracker
        "implementoring/A": 1,
    }


def test_a_key_is_made_from_what_was_typed_or_from_the_title(client, login_as, make, session):
    theme = new_theme(client, login_as, make, session)
    add(client, session, theme, "Job offers (Łódź)", "First")
    add(client, session, theme, "", "Fair hiring in München")
    keys = [f["key"] for f in theme_draft(theme.id).content["factors"]]
    assert keys == ["job-offers-lodz", "fair-hiring-in-munchen"]


def test_the_service_refuses_retiring_a_rated_factor_unconfirmed(session, make, scheme):
    """Whatever the form shows, the rule holds where the change is made."""
    theme, riga = scheme["theme"], scheme["pair"].implementing_city
    add_round(
        session, riga, theme, [3] + [None] * (len(theme.factors) - 1), status=AssessmentStatus.DRAFT
    )
    with pytest.raises(RuleViolation, match=r"rating this factor \(Riga, baseline\)"):
        retire_factor(scheme["coordinator"], theme, theme.factors[0].key, None, confirmed=False)
