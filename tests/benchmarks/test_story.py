"""The whole story of issue 17 through the HTTP client: a theme's benchmark written and published
as version 1, a baseline taken against it, version 2 with a factor reworded, one retired and
one added, a mid-term round on version 2, results compared by factor, and the YAML round trip."""

import html
import re

import sqlalchemy as sa

from tests.benchmarks import (
    base,
    draft_version,
    factor_data,
    story_theme,
    upload,
)
from tests.helpers import page_text
from tracker.assessments.models import Assessment, AssessmentRound
from tracker.audit.models import AuditEntry
from tracker.benchmarks.queries import latest_version, theme_draft
from tracker.notifications.models import Notification

FACTORS = [
    ("job-offers", "Information on job offers", [("Do newcomers hear of vacancies?", "scale"),
                                                 ("How do migrants learn what work is available?", "open")]),
    ("fair-hiring", "Fair hiring in the city's own services", [("Are CVs read without names?", "scale")]),
    ("complaints", "A place to report discrimination", [("Is there a hotline?", "scale"),
                                                        ("Who answers complaints, and how fast?", "open")]),
    ("employers", "Employers' pledges", [("Have employers signed a charter?", "scale")]),
]  # fmt: skip


def round_form(assessment, levels, **extra):
    """The round form: a level per factor of the round's version, by factor key."""
    data = {"assessed_on": assessment.assessed_on.isoformat(), "version": assessment.version_id}
    for factor in assessment.benchmark_version.content["factors"]:
        if factor["key"] in levels:
            data[f"level_{factor['id']}"] = str(levels[factor["key"]])
    data.update(extra)
    return data


def start_round(client, session, pair, round, on):
    """Start the signed-in city's round on the pair's page; the round it made."""
    client.post(f"/pairs/{pair.id}/assessments/new", data={"round": round.value, "assessed_on": on})
    return session.execute(
        sa.select(Assessment).where(Assessment.round == round, Assessment.theme_id == pair.theme_id)
    ).scalar_one()


def question_ids(version):
    return {q["text"]: q["id"] for f in version.content["factors"] for q in f["guide_questions"]}


def test_a_theme_is_written_published_rated_revised_and_compared(client, login_as, make, session):
    coordinator = make.coordinator(name="Claire Dubois")
    login_as(coordinator)
    # The programme and its theme are set up in the app, as a coordinator would.
    equality = make.expert_organisation(name='Ośrodek "Równość" w Łodzi')
    programme = {"name": "Cities at work", "key": "story", "period_start": "2027-01-01",
                 "period_end": "2028-12-31", "funder": "AMIF"}  # fmt: skip
    assert client.post("/programmes/new", data=programme).status_code == 302
    theme_form = {"code": "D", "title": "Anti-discrimination on the local job market",
                  "standard": "The city acts against discrimination in hiring.",
                  "expert_organisation_id": str(equality.id)}  # fmt: skip
    assert client.post("/programmes/story/themes/new", data=theme_form).status_code == 302
    theme = story_theme(session)
    assert latest_version(theme.id) is None

    # Four factors with scale and open questions; one example from a city of the tracker.
    gdansk = make.city("Gdańsk", country="Poland")
    for key, title, questions in FACTORS:
        examples = []
        if key == "job-offers":
            examples = [
                {
                    "city_id": str(gdansk.id),
                    "title": 'The "Work in Gdańsk" desk',
                    "summary": "One desk for every newcomer.\nOpen on Saturdays.",
                    "url": "https://www.gdansk.pl/praca",
                }
            ]
        response = client.post(
            f"{base(theme)}/draft/factors/new",
            data=factor_data(key, title, questions, examples, draft_version(session, theme)),
        )
        assert response.status_code == 302, page_text(response)
    response = client.post(
        f"{base(theme)}/draft/publish",
        data={"note": "First version.", "version": draft_version(session, theme)},
        follow_redirects=True,
    )
    assert "Version 1 is published" in page_text(response)
    version_1 = latest_version(theme.id)
    assert [f["key"] for f in version_1.content["factors"]] == [k for k, _t, _q in FACTORS]
    assert version_1.content["factors"][0]["examples"][0]["country"] == "Poland"
    assert theme_draft(theme.id) is None

    # A city of a pair on the theme takes its baseline against version 1.
    lodz, rzeszow = make.city("Łódź", country="Poland"), make.city("Rzeszów", country="Poland")
    pair = make.pair(theme, mentor=lodz, implementing=rzeszow)
    member = make.city_member(rzeszow, name="Ewa Nowak")
    login_as(member)
    baseline = start_round(client, session, pair, AssessmentRound.BASELINE, "2026-02-16")
    assert baseline.benchmark_version_id == version_1.id
    form_page = page_text(client.get(f"/assessments/{baseline.id}"))
    assert "How do migrants learn what work is available?" in form_page
    assert "An open question: answer in your own words." in form_page
    questions = question_ids(version_1)
    open_answer = 'Through "word of mouth" and the\nparish noticeboard.'
    response = client.post(
        f"/assessments/{baseline.id}",
        data=round_form(
            baseline,
            {"job-offers": 1, "fair-hiring": 2, "complaints": 0, "employers": 3},
            complete="y",
            **{
                f"answer_{questions['Do newcomers hear of vacancies?']}": "partly",
                f"answer_note_{questions['How do migrants learn what work is available?']}": (
                    open_answer
                ),
            },
        ),
    )
    assert response.status_code == 302, page_text(response)

    # Version 2: factor 1 reworded, "employers" retired, a new factor added.
    login_as(coordinator)
    job_offers = version_1.content["factors"][0]
    example = job_offers["examples"][0]
    kept_example = {
        "city_id": str(gdansk.id),
        "title": example["title"],
        "summary": example["summary"],
        "url": example["url"],
    }
    response = client.post(
        f"{base(theme)}/draft/factors/job-offers/edit",
        data=factor_data(
            "job-offers",
            "Information on job offers in every language",
            [(q["text"], q["kind"]) for q in job_offers["guide_questions"]],
            [{**kept_example, "row_id": str(example["id"])}],
            draft_version(session, theme),
            statement=job_offers["statement"],
            **{
                f"questions-{i}-row_id": q["id"]
                for i, q in enumerate(job_offers["guide_questions"])
            },
        ),
    )
    assert response.status_code == 302, page_text(response)
    response = client.post(
        f"{base(theme)}/draft/factors/employers/retire",
        data={"version": draft_version(session, theme)},
    )
    assert response.status_code == 302, page_text(response)
    response = client.post(
        f"{base(theme)}/draft/factors/new",
        data=factor_data(
            "mentoring",
            "Mentoring by migrant workers",
            [("Do experienced migrant workers mentor newcomers?", "scale")],
            version=draft_version(session, theme),
        ),
    )
    assert response.status_code == 302, page_text(response)
    draft_page = page_text(client.get(f"{base(theme)}/draft"))
    assert "Compared with version 1: 1 factor added, 1 reworded, 1 retired." in draft_page
    response = client.post(
        f"{base(theme)}/draft/publish",
        data={
            "note": "Languages; employers moved to theme A.",
            "version": draft_version(session, theme),
        },
    )
    assert response.status_code == 302
    version_2 = latest_version(theme.id)
    assert version_2.number == 2
    notice = (
        session.execute(sa.select(Notification).where(Notification.kind == "benchmark_published"))
        .scalars()
        .all()
    )
    assert {n.user_id for n in notice} == {member.id}
    assert notice[0].subject == (
        "Theme D's benchmark is now version 2: 1 factor added, 1 reworded, 1 retired"
    )
    assert (
        session.execute(
            sa.select(sa.func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action.like("benchmark.%"))
        ).scalar_one()
        == 4 + 1 + 3 + 1
    )  # four added, published, three edits, published again

    # The baseline still shows version 1's texts; a mid-term round uses version 2.
    login_as(member)
    baseline_page = page_text(client.get(f"/assessments/{baseline.id}"))
    assert "Taken against version 1 of the benchmark" in baseline_page
    assert "Information on job offers in every language" not in baseline_page
    assert "Employers' pledges" in baseline_page
    assert "parish noticeboard" in baseline_page
    midterm = start_round(client, session, pair, AssessmentRound.MIDTERM, "2026-09-01")
    assert midterm.benchmark_version_id == version_2.id
    midterm_page = page_text(client.get(f"/assessments/{midterm.id}"))
    assert "Information on job offers in every language" in midterm_page
    assert "Employers' pledges" not in midterm_page
    # Only what version 2 asks was carried over: nothing about the retired factor.
    retired_id = next(f["id"] for f in version_1.content["factors"] if f["key"] == "employers")
    assert retired_id not in {rating.factor_id for rating in midterm.ratings}
    response = client.post(
        f"/assessments/{midterm.id}",
        data=round_form(
            midterm,
            {"job-offers": 3, "fair-hiring": 2, "complaints": 1, "mentoring": 2},
            complete="y",
            confirm_all="y",
        ),
    )
    assert response.status_code == 302, page_text(response)

    # The results compare the rounds by factor.
    results = client.get(f"/pairs/{pair.id}/assessments").get_data(as_text=True)
    rows = {
        page_text_of(row).split(" ")[0]: page_text_of(row)
        for row in re.findall(r"<tr>(.*?)</tr>", results, re.S)
    }
    assert "Retired in version 2" in rows["Employers'"]
    assert "No baseline: added after it" in rows["4."]  # the new factor
    assert rows["1."].startswith("1. Information on job offers in every language 1 ")
    assert " 3 Largely in place +2 " in rows["1."]

    # The comparison page says the same, word by word for the rewording.
    compare = client.get(f"{base(theme)}/compare").get_data(as_text=True)
    assert "1 factor added, 1 reworded, 1 retired" in compare
    assert "added: </span> in every language</ins>" in compare

    # Version 2 downloaded as YAML loads back as no change.
    login_as(coordinator)
    download = client.get(f"{base(theme)}/benchmark.yaml?version=2")
    assert download.headers["Content-Type"].startswith("application/yaml")
    assert "answer: open" in download.get_data(as_text=True)
    response = upload(client, download.get_data(as_text=True), "d-v2.yaml")
    assert "Catalogue loaded: nothing changed." in page_text(response)
    assert theme_draft(theme.id) is None and latest_version(theme.id).number == 2


def page_text_of(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()
