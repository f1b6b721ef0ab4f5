"""The visit briefing: focus factors suggested from the city's lowest ratings."""

import re
from datetime import date

import sqlalchemy as sa

from tests.helpers import page_text
from tracker.assessments.models import Assessment, AssessmentRound, AssessmentStatus, FactorRating
from tracker.benchmarks.queries import latest_version
from tracker.catalogue.models import Example


def rate(
    session,
    city,
    theme,
    levels,
    status=AssessmentStatus.COMPLETED,
    on=date(2026, 1, 10),
    round=AssessmentRound.BASELINE,
):
    assessment = Assessment(
        city=city,
        theme=theme,
        benchmark_version=latest_version(theme.id),
        round=round,
        assessed_on=on,
        status=status,
    )
    assessment.ratings = [
        FactorRating(factor=factor, level=level, evidence=f"Evidence for {factor.key}")
        for factor, level in zip(theme.factors, levels, strict=False)
    ]
    session.add(assessment)
    session.flush()
    return assessment


def test_the_focus_suggests_the_lowest_rated_factors(client, login_as, make, scheme, session):
    pair, theme = scheme["pair"], scheme["theme"]
    rate(session, pair.implementing_city, theme, [3, 1, 4, 0, 2, 1, 3, 3, 4, 2])
    # A later draft does not count: only completed rounds do.
    rate(
        session,
        pair.implementing_city,
        theme,
        [4] * 10,
        status=AssessmentStatus.DRAFT,
        round=AssessmentRound.MIDTERM,
        on=date(2026, 2, 10),
    )
    visit = make.visit(pair)
    login_as(scheme["expert"])
    html = client.get(f"/visits/{visit.id}/focus").get_data(as_text=True)
    checked = {
        int(value)
        for tag in re.findall(r"<input[^>]*>", html)
        if "checked" in tag
        for value in re.findall(r'value="(\d+)"', tag)
    }
    assert checked == {theme.factors[3].id, theme.factors[1].id, theme.factors[5].id}


def test_without_an_assessment_there_is_no_suggestion(client, login_as, make, scheme):
    visit = make.visit(scheme["pair"])
    login_as(scheme["expert"])
    assert "has not completed a self-assessment yet" in page_text(
        client.get(f"/visits/{visit.id}/focus")
    )


def test_the_briefing_shows_focus_factors_with_rating_questions_and_mentor_examples_first(
    client, login_as, make, scheme, session
):
    pair, theme = scheme["pair"], scheme["theme"]
    factor = theme.factors[0]
    rate(session, pair.implementing_city, theme, [1] * 10)
    factor.all_examples.append(
        Example(
            city_name="Helsinki",
            city=pair.mentor_city,
            title="Mentor practice",
            summary="What Helsinki does.",
            position=len(factor.all_examples) + 1,
        )
    )
    session.flush()
    session.expire(factor, ["examples"])
    visit = make.visit(pair, agenda="Day one: partnership meeting")
    login_as(scheme["expert"])
    response = client.post(f"/visits/{visit.id}/focus", data={"factor_ids": [factor.id]})
    assert response.status_code == 302
    login_as(scheme["implementer"])  # every participant reads the briefing
    page = page_text(client.get(f"/visits/{visit.id}/briefing"))
    assert factor.title in page and factor.statement[:60] in page
    assert factor.guide_questions[0].text in page
    assert "Riga's latest rating: 1 of 4 — Evidence for" in page
    assert "Day one: partnership meeting" in page
    examples = [example.title for example in factor.examples]
    positions = [page.index(title) for title in examples if title in page]
    assert page.index("Mentor practice") == min(positions)
    assert theme.factors[1].title not in page


def test_only_the_expert_side_sets_the_focus(client, login_as, make, scheme):
    visit = make.visit(scheme["pair"])
    login_as(scheme["mentor"])
    assert client.post(f"/visits/{visit.id}/focus", data={"factor_ids": []}).status_code == 403
    assert client.get(f"/visits/{visit.id}/briefing").status_code == 200


def test_examples_are_linked_to_cities_of_the_same_name(session, make):
    from tracker.catalogue.loader import link_examples_to_cities

    munich = make.city("Munich")
    link_examples_to_cities()
    linked = session.execute(sa.select(Example).where(Example.city_id == munich.id)).scalars().all()
    assert linked and all(example.city_name == "Munich" for example in linked)


def test_the_briefing_says_what_enables_and_limits_the_change(
    client, login_as, make, scheme, session
):
    """From Riga's latest completed round, strongest first, with notes and changes since the
    baseline; a later draft does not count."""
    from tests.assessments import add_round
    from tests.assessments.test_context import notes
    from tests.infographics import RIGA_BASELINE_CONTEXT, RIGA_MIDTERM_CONTEXT
    from tracker.assessments.models import ContextEffect

    pair, theme = scheme["pair"], scheme["theme"]
    add_round(
        session, pair.implementing_city, theme, [1] * 10, on=date(2025, 10, 1),
        context=notes(theme, RIGA_BASELINE_CONTEXT),
    )  # fmt: skip
    add_round(
        session, pair.implementing_city, theme, [2] * 10, round=AssessmentRound.MIDTERM,
        on=date(2026, 2, 20), context=notes(theme, RIGA_MIDTERM_CONTEXT),
    )  # fmt: skip
    add_round(
        session, pair.implementing_city, theme, [3] * 10, round=AssessmentRound.FINAL,
        on=date(2026, 2, 27), status=AssessmentStatus.DRAFT,
        context=notes(theme, [("demography", ContextEffect.LIMITING, "Only in the draft.")]),
    )  # fmt: skip
    visit = make.visit(pair)
    login_as(scheme["mentor"])
    page = page_text(client.get(f"/visits/{visit.id}/briefing"))
    section = page[page.index("What enables and what limits the change in Riga") :]
    section = section[: section.index("Factors in focus")]
    assert section == (
        "What enables and what limits the change in Riga "
        "From the mid-term round of Riga, 20 Feb 2026. "
        "Changes are since its baseline of 1 Oct 2025. "
        "Enabling "
        "Labour market and other economic conditions — Employers are short of staff. "
        "Civil society in the city "
        "EU and international funding availability — An AMIF grant pays two advisers. "
        "(newly described since the baseline) "
        "Public perception (of host community towards migrant communities) "
        "(more enabling since the baseline) "
        "Limiting "
        "National legislation and policy — Residence permits still take a year. "
        "Political situation — Elections in May 2026. (newly described since the baseline) "
        "Data availability (newly described since the baseline) "
        "Neutral "
        "City resources — The budget is stable again. (more enabling since the baseline) "
    )
    assert "Only in the draft." not in page


def test_the_briefing_without_a_completed_round_says_so(client, login_as, make, scheme):
    visit = make.visit(scheme["pair"])
    login_as(scheme["expert"])
    page = page_text(client.get(f"/visits/{visit.id}/briefing"))
    assert "Riga has not described in a completed round yet what enables or limits the change." in (
        page
    )
