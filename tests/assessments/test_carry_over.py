"""Rounds that start from the previous one: a mid-term or final round starts with the answers of
the city's latest completed round, each carried over until confirmed or changed, and cannot be
completed while anything is only carried over, unless everything is confirmed at once."""

import re
from datetime import date

import pytest
import sqlalchemy as sa

from tests.assessments import add_round
from tests.helpers import page_text
from tests.hostile.pages import forms_of
from tracker.assessments.models import (
    Answer,
    Assessment,
    AssessmentRound,
    AssessmentStatus,
    ContextEffect,
)
from tracker.audit.models import AuditEntry

BASELINE_LEVELS = [0, 1, 2, 1, 0, 3, 2, 1, 0, 2]
EVIDENCE = 'The "Rīga welcomes" desk opened in May.\nEmployers still hesitate.'


def audit_entries(session, action):
    return session.execute(sa.select(AuditEntry).where(AuditEntry.action == action)).scalars().all()


@pytest.fixture
def baseline(session, scheme):
    """Riga's completed baseline: ten levels with evidence, two guide-question answers and
    three context notes."""
    theme = scheme["theme"]
    factors, context = theme.factors, theme.programme.context_factors
    assessment = add_round(
        session,
        scheme["pair"].implementing_city,
        theme,
        BASELINE_LEVELS,
        on=date(2026, 1, 10),
        answers=[
            (factors[0].guide_questions[0], Answer.PARTLY, "Only the job centre so far."),
            (factors[1].guide_questions[1], Answer.NO, ""),
        ],
        context=[
            (context[0], ContextEffect.LIMITING, "A new national law on residence permits."),
            (context[3], ContextEffect.ENABLING, "Employers are short of staff."),
            (context[4], ContextEffect.NEUTRAL, ""),
        ],
    )
    assessment.ratings[0].evidence = EVIDENCE
    session.flush()
    return assessment


def start_midterm(client, scheme, on="2026-02-20", round="midterm"):
    response = client.post(
        f"/pairs/{scheme['pair'].id}/assessments/new", data={"round": round, "assessed_on": on}
    )
    assert response.status_code == 302, page_text(response)
    return response


def midterm_of(session, scheme, round=AssessmentRound.MIDTERM):
    return session.execute(
        sa.select(Assessment).where(
            Assessment.city_id == scheme["pair"].implementing_city_id, Assessment.round == round
        )
    ).scalar_one()


def as_sent(client, assessment, button, **changes):
    """The round form as the browser sends it from the page, with `changes` and `button`."""
    html = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    (form,) = [f for f in forms_of(html, "/") if "version" in f.fields]
    data = form.as_sent()
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = [value]
    data[button] = ["y"]
    return data


def carried(assessment):
    """What is still only carried over, by kind."""
    return {
        "ratings": sorted(r.factor.position for r in assessment.ratings if r.carried_over),
        "answers": sorted(a.question_id for a in assessment.answers if a.carried_over),
        "context": sorted(
            n.context_factor.position for n in assessment.context_notes if n.carried_over
        ),
    }


def test_a_mid_term_round_starts_with_the_baselines_answers_carried_over(
    client, login_as, session, scheme, baseline
):
    factors = scheme["theme"].factors
    login_as(scheme["implementer"])
    response = start_midterm(client, scheme)
    midterm = midterm_of(session, scheme)
    assert response.headers["Location"].endswith(f"/assessments/{midterm.id}")
    assert midterm.carried_from_id == baseline.id and midterm.status is AssessmentStatus.DRAFT
    assert {(r.factor_id, r.level, r.evidence, r.carried_over) for r in midterm.ratings} == {
        (factor.id, level, EVIDENCE if index == 0 else f"Evidence for {factor.key}", True)
        for index, (factor, level) in enumerate(zip(factors, BASELINE_LEVELS, strict=True))
    }
    assert {(a.question_id, a.answer, a.note, a.carried_over) for a in midterm.answers} == {
        (factors[0].guide_questions[0].id, Answer.PARTLY, "Only the job centre so far.", True),
        (factors[1].guide_questions[1].id, Answer.NO, "", True),
    }
    assert [(n.effect, n.carried_over) for n in midterm.context_notes] == [
        (ContextEffect.LIMITING, True),
        (ContextEffect.ENABLING, True),
        (ContextEffect.NEUTRAL, True),
    ]
    (entry,) = audit_entries(session, "assessment.started")
    assert entry.details["carried_from"] == baseline.id and entry.details["carried_over"] == 15
    # The baseline itself is untouched.
    session.expire_all()
    assert not any(r.carried_over for r in baseline.ratings) and len(baseline.ratings) == 10

    page = client.get(response.headers["Location"])
    html, text = page.get_data(as_text=True), page_text(page)
    assert "The round is started from your baseline round of 10 Jan 2026" in text
    assert "Started from the baseline round of 10 Jan 2026" in text
    assert "15 answers are marked “Carried over”" in text
    assert "0 of 10 factors done · 15 carried-over answers to check" in text
    assert (
        text.count("Carried over from the baseline round of 10 Jan 2026: confirm it or change it.")
        == 15
    )
    assert re.search(r'value="2"[^>]*checked|checked[^>]*value="2"', html)  # a level pre-filled
    assert "The &#34;Rīga welcomes&#34; desk opened in May.\nEmployers still hesitate." in html
    assert "Still true: confirm the carried-over answers of factor 1" in text
    assert "Still true: confirm the carried-over note on National legislation and policy" in text
    assert 'href="#factor-' + str(factors[9].id) + '"' in html  # the jump list


def test_a_baseline_starts_empty(client, login_as, session, scheme):
    login_as(scheme["implementer"])
    client.post(
        f"/pairs/{scheme['pair'].id}/assessments/new",
        data={"round": "baseline", "assessed_on": "2026-01-10"},
    )
    assessment = session.execute(sa.select(Assessment)).scalar_one()
    assert assessment.carried_from_id is None
    assert assessment.ratings == [] and assessment.context_notes == []
    page = page_text(client.get(f"/assessments/{assessment.id}"))
    assert "Carried over" not in page and "0 of 10 factors done" in page


def test_completing_is_refused_while_answers_are_only_carried_over(
    client, login_as, session, scheme, baseline
):
    login_as(scheme["implementer"])
    start_midterm(client, scheme)
    midterm = midterm_of(session, scheme)
    version = midterm.version_id
    data = as_sent(client, midterm, "complete")
    response = client.post(f"/assessments/{midterm.id}", data=data)
    assert response.status_code == 200
    text = page_text(response)
    assert (
        "15 answers carried over from the baseline round are neither confirmed nor changed yet "
        "(factors 1, 2, 3, 4, 5, 6, 7, 8, 9, 10; context: National legislation and policy; "
        "Labour market and other economic conditions; City resources)."
    ) in text
    # Beside the button that settles it all, and linked to it from the summary.
    html = response.get_data(as_text=True)
    assert 'href="#confirm_all"' in html and 'id="confirm_all-error"' in html
    session.expire_all()
    assert midterm.status is AssessmentStatus.DRAFT and midterm.version_id == version
    assert carried(midterm)["ratings"] == list(range(1, 11))
    assert audit_entries(session, "assessment.completed") == []


def test_each_answer_confirmed_or_changed_lets_the_round_complete(
    client, login_as, session, scheme, baseline
):
    factors = scheme["theme"].factors
    context = scheme["theme"].programme.context_factors
    login_as(scheme["implementer"])
    start_midterm(client, scheme)
    midterm = midterm_of(session, scheme)

    # Factor 1: its level changes, but its answer is still only carried over. Factor 2: its
    # box confirms its level and its answer. A context note's text changes.
    changes = {
        f"level_{factors[0].id}": "2",
        f"confirm_{factors[1].id}": "y",
        f"effect_note_{context[0].id}": "The law was softened in February.",
        "return_to": f"factor-{factors[1].id}",
    }
    response = client.post(
        f"/assessments/{midterm.id}", data=as_sent(client, midterm, "save", **changes)
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/assessments/{midterm.id}#factor-{factors[1].id}"
    )
    session.expire_all()
    assert carried(midterm) == {
        "ratings": [3, 4, 5, 6, 7, 8, 9, 10],
        "answers": [factors[0].guide_questions[0].id],
        "context": [4, 5],
    }
    rating = next(r for r in midterm.ratings if r.factor_id == factors[0].id)
    assert (rating.level, rating.evidence) == (2, EVIDENCE)
    (entry,) = audit_entries(session, "assessment.saved")
    assert entry.details["carried_over_settled"] == 4 and entry.details["carried_over_left"] == 11
    text = page_text(client.get(f"/assessments/{midterm.id}"))
    assert "1 of 10 factors done · 11 carried-over answers to check" in text

    still = as_sent(client, midterm, "complete")
    refused = client.post(f"/assessments/{midterm.id}", data=still)
    assert (
        "11 answers carried over from the baseline round are neither confirmed nor changed yet (factors 1, 3, 4, 5, 6, 7, 8, 9, 10; context: Labour market and other economic conditions; City resources)."
        in page_text(refused)
    )

    settle = {f"confirm_{factor.id}": "y" for factor in factors[:1] + factors[2:]}
    settle |= {f"confirm_context_{context[3].id}": "y", f"effect_{context[4].id}": "limiting"}
    response = client.post(
        f"/assessments/{midterm.id}", data=as_sent(client, midterm, "complete", **settle)
    )
    assert response.status_code == 302, page_text(response)
    session.expire_all()
    assert midterm.status is AssessmentStatus.COMPLETED
    assert carried(midterm) == {"ratings": [], "answers": [], "context": []}
    assert audit_entries(session, "assessment.carried_over_confirmed") == []


def test_confirming_everything_at_once_is_audited_and_lets_the_round_complete(
    client, login_as, session, scheme, baseline
):
    factors = scheme["theme"].factors
    login_as(scheme["implementer"])
    start_midterm(client, scheme)
    midterm = midterm_of(session, scheme)
    data = as_sent(client, midterm, "confirm_all", **{f"level_{factors[4].id}": "1"})
    response = client.post(f"/assessments/{midterm.id}", data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#carried-over")
    session.expire_all()
    assert carried(midterm) == {"ratings": [], "answers": [], "context": []}
    assert midterm.status is AssessmentStatus.DRAFT
    assert next(r.level for r in midterm.ratings if r.factor_id == factors[4].id) == 1
    (entry,) = audit_entries(session, "assessment.carried_over_confirmed")
    assert (entry.actor_id, entry.pair_id, entry.subject_id) == (
        scheme["implementer"].id,
        scheme["pair"].id,
        midterm.id,
    )
    assert entry.details == {"confirmed": 14, "carried_from": baseline.id}
    assert "Confirmed at once 14 answers carried over from the baseline round" in entry.summary
    page = client.get(f"/assessments/{midterm.id}")
    assert "Every carried-over answer is confirmed." in page_text(page)
    assert (
        "Everything carried over from the baseline round of 10 Jan 2026 is confirmed or changed."
        in page_text(page)
    )
    assert "Carried over" not in page_text(page)  # no badge, no hint is left
    assert "10 of 10 factors done" in page_text(page)

    response = client.post(f"/assessments/{midterm.id}", data=as_sent(client, midterm, "complete"))
    assert response.status_code == 302
    session.expire_all()
    assert midterm.status is AssessmentStatus.COMPLETED


def test_the_confirm_all_button_asks_first(client, login_as, session, scheme, baseline):
    login_as(scheme["implementer"])
    start_midterm(client, scheme)
    html = client.get(f"/assessments/{midterm_of(session, scheme).id}").get_data(as_text=True)
    button = re.search(r'<input[^>]*name="confirm_all"[^>]*>', html).group(0)
    assert 'type="submit"' in button
    assert 'data-confirm="Confirm all 15 carried-over answers as still true for Riga?"' in button


def test_a_final_round_starts_from_the_latest_completed_round(
    client, login_as, session, scheme, baseline
):
    theme = scheme["theme"]
    add_round(
        session,
        scheme["pair"].implementing_city,
        theme,
        [4] * 10,
        round=AssessmentRound.MIDTERM,
        on=date(2026, 2, 1),
        context=[(theme.programme.context_factors[0], ContextEffect.ENABLING, "Better now.")],
    )
    login_as(scheme["implementer"])
    start_midterm(client, scheme, on="2026-03-01", round="final")
    final = midterm_of(session, scheme, AssessmentRound.FINAL)
    assert final.carried_from.round is AssessmentRound.MIDTERM
    assert {r.level for r in final.ratings} == {4}
    assert [(n.effect, n.note) for n in final.context_notes] == [
        (ContextEffect.ENABLING, "Better now.")
    ]
    assert final.answers == []


def test_a_draft_round_is_not_carried_over(client, login_as, session, scheme, baseline):
    add_round(
        session,
        scheme["pair"].implementing_city,
        scheme["theme"],
        [4] * 10,
        round=AssessmentRound.MIDTERM,
        on=date(2026, 2, 1),
        status=AssessmentStatus.DRAFT,
    )
    login_as(scheme["implementer"])
    start_midterm(client, scheme, on="2026-03-01", round="final")
    final = midterm_of(session, scheme, AssessmentRound.FINAL)
    assert final.carried_from_id == baseline.id
    assert sorted(r.level for r in final.ratings) == sorted(BASELINE_LEVELS)


def test_text_sent_back_with_other_line_breaks_is_not_a_change(
    client, login_as, session, scheme, baseline
):
    factors = scheme["theme"].factors
    login_as(scheme["implementer"])
    start_midterm(client, scheme)
    midterm = midterm_of(session, scheme)
    browser_text = EVIDENCE.replace("\n", "\r\n") + "  "
    data = as_sent(client, midterm, "save", **{f"evidence_{factors[0].id}": browser_text})
    assert client.post(f"/assessments/{midterm.id}", data=data).status_code == 302
    session.expire_all()
    assert 1 in carried(midterm)["ratings"]


@pytest.mark.parametrize(
    "return_to", ["https://evil.example", "//evil.example", "factor-999999", "x" * 5000, ""]
)
def test_saving_comes_back_only_to_a_part_of_the_page(
    client, login_as, session, scheme, baseline, return_to
):
    login_as(scheme["implementer"])
    start_midterm(client, scheme)
    midterm = midterm_of(session, scheme)
    response = client.post(
        f"/assessments/{midterm.id}", data=as_sent(client, midterm, "save", return_to=return_to)
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/assessments/{midterm.id}")


def test_others_see_what_is_still_carried_over(client, login_as, session, scheme, baseline):
    login_as(scheme["implementer"])
    start_midterm(client, scheme)
    midterm = midterm_of(session, scheme)
    login_as(scheme["expert"])
    page = client.get(f"/assessments/{midterm.id}")
    assert page.status_code == 200 and 'name="confirm_all"' not in page.get_data(as_text=True)
    assert page_text(page).count("Carried over") == 15


def test_a_forged_answer_on_a_carried_over_round_is_refused_beside_its_field(
    client, login_as, session, scheme, baseline
):
    """Found by the hostile-input tests: the form refused the value, then counting what is
    still carried over for the page read it as an answer and failed."""
    question = scheme["theme"].factors[0].guide_questions[0]
    login_as(scheme["implementer"])
    start_midterm(client, scheme)
    midterm = midterm_of(session, scheme)
    version = midterm.version_id
    data = as_sent(client, midterm, "save", **{f"answer_{question.id}": "<script>"})
    response = client.post(f"/assessments/{midterm.id}", data=data)
    assert response.status_code == 200
    assert f'id="answer_{question.id}-error"' in response.get_data(as_text=True)
    assert "Choose yes, partly, no or not applicable." in page_text(response)
    session.expire_all()
    assert midterm.version_id == version
