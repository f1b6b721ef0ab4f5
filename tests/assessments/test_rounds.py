"""Taking a round: starting it, the rating scale, drafts, completing and locking, reopening,
who may edit, and stale forms."""

import re
from datetime import date

import pytest
import sqlalchemy as sa

from tests.assessments import add_round
from tests.helpers import page_text
from tracker.assessments.models import (
    RATING_MAX,
    RATING_MIN,
    Answer,
    Assessment,
    AssessmentRound,
    AssessmentStatus,
    ContextEffect,
    FactorRating,
)
from tracker.assessments.scale import LEVEL_LABELS
from tracker.assessments.service import RatingInput, save_round
from tracker.audit.models import AuditEntry
from tracker.exceptions import RuleViolation

LOCKED = "This round is completed and locked."


def start(client, pair, round="baseline", on="2026-02-16"):
    return client.post(
        f"/pairs/{pair.id}/assessments/new", data={"round": round, "assessed_on": on}
    )


def round_data(assessment, levels, button="save", **extra):
    """The round form as a browser sends it: one level per factor (None: left empty)."""
    data = {"assessed_on": assessment.assessed_on.isoformat(), "version": assessment.version_id}
    for factor, level in zip(assessment.theme.factors, levels, strict=True):
        if level is not None:
            data[f"level_{factor.id}"] = str(level)
    data[button] = "y"
    data.update(extra)
    return data


def checked(response, name):
    """The values of the checked radio buttons called `name` on the page."""
    return [
        re.search(r'value="([^"]*)"', tag).group(1)
        for tag in re.findall(r"<input[^>]*>", response.get_data(as_text=True))
        if f'name="{name}"' in tag and " checked" in tag
    ]


def audit_entries(session, action):
    return session.execute(sa.select(AuditEntry).where(AuditEntry.action == action)).scalars().all()


@pytest.fixture
def draft(session, scheme):
    """A baseline draft of the implementing city, nothing rated yet."""
    pair = scheme["pair"]
    return add_round(
        session,
        pair.implementing_city,
        scheme["theme"],
        [None] * 10,
        status=AssessmentStatus.DRAFT,
    )


def test_a_city_member_starts_a_baseline_round_and_it_is_audited(client, login_as, scheme, session):
    pair = scheme["pair"]
    login_as(scheme["implementer"])
    response = start(client, pair)
    assessment = session.execute(sa.select(Assessment)).scalar_one()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/assessments/{assessment.id}")
    assert (assessment.city_id, assessment.theme_id, assessment.round, assessment.status) == (
        pair.implementing_city_id,
        pair.theme_id,
        AssessmentRound.BASELINE,
        AssessmentStatus.DRAFT,
    )
    assert assessment.assessed_on == date(2026, 2, 16)
    (entry,) = audit_entries(session, "assessment.started")
    assert (entry.actor_id, entry.pair_id, entry.subject_id) == (
        scheme["implementer"].id,
        pair.id,
        assessment.id,
    )


def test_the_same_kind_of_round_twice_is_refused(client, login_as, scheme, session):
    login_as(scheme["implementer"])
    assert start(client, scheme["pair"]).status_code == 302
    response = start(client, scheme["pair"], on="2026-02-20")
    assert response.status_code == 200
    assert "Your city already has a baseline round on this theme." in page_text(response)
    assert session.execute(sa.select(sa.func.count(Assessment.id))).scalar_one() == 1


def test_a_mid_term_round_needs_a_completed_baseline(client, login_as, scheme, session):
    pair = scheme["pair"]
    login_as(scheme["implementer"])
    start(client, pair, on="2026-01-10")
    response = start(client, pair, round="midterm", on="2026-02-20")
    assert "Complete the baseline round before starting a mid-term round." in page_text(response)
    baseline = session.execute(sa.select(Assessment)).scalar_one()
    client.post(f"/assessments/{baseline.id}", data=round_data(baseline, [2] * 10, "complete"))
    assert start(client, pair, round="final", on="2026-02-20").status_code == 302
    dated_too_early = start(client, pair, round="midterm", on="2026-01-05")
    assert "The mid-term round cannot be dated before the baseline round" in page_text(
        dated_too_early
    )


def test_the_mentor_city_starts_its_own_round_but_cannot_edit_the_implementing_citys(
    client, login_as, scheme, session, draft
):
    pair = scheme["pair"]
    login_as(scheme["mentor"])
    assert start(client, pair).status_code == 302
    own = session.execute(
        sa.select(Assessment).where(Assessment.city_id == pair.mentor_city_id)
    ).scalar_one()
    assert own.round is AssessmentRound.BASELINE
    assert 'name="level_' in client.get(f"/assessments/{own.id}").get_data(as_text=True)

    page = client.get(f"/assessments/{draft.id}")
    assert page.status_code == 200 and 'name="level_' not in page.get_data(as_text=True)
    assert (
        client.post(f"/assessments/{draft.id}", data=round_data(draft, [3] * 10)).status_code == 403
    )
    session.expire_all()
    assert (
        session.execute(
            sa.select(sa.func.count(FactorRating.id)).where(FactorRating.assessment_id == draft.id)
        ).scalar_one()
        == 0
    )


@pytest.mark.parametrize(
    ("who", "read", "write"),
    [
        ("implementer", 200, 302),
        ("mentor", 200, 403),
        ("expert", 200, 403),
        ("coordinator", 200, 403),
        ("outsider", 404, 404),
        ("other_expert", 404, 404),
    ],
)
def test_only_the_citys_own_members_edit_its_round(
    client, login_as, scheme, draft, who, read, write
):
    login_as(scheme[who])
    page = client.get(f"/assessments/{draft.id}")
    assert page.status_code == read
    if read == 200:
        editable = 'name="level_' in page.get_data(as_text=True)
        assert editable is (who == "implementer")
    assert (
        client.post(f"/assessments/{draft.id}", data=round_data(draft, [1] * 10)).status_code
        == write
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [("expert", 403), ("coordinator", 403), ("outsider", 404), ("other_expert", 404)],
)
def test_only_city_members_of_the_pair_start_rounds(client, login_as, scheme, session, who, status):
    login_as(scheme[who])
    assert start(client, scheme["pair"]).status_code == status
    assert session.execute(sa.select(sa.func.count(Assessment.id))).scalar_one() == 0


def test_an_unknown_round_or_one_outside_every_pair_is_not_found(
    client, login_as, make, scheme, session
):
    stray = add_round(session, make.city(), scheme["theme"], [1] * 10)
    login_as(scheme["coordinator"])
    assert client.get("/assessments/999999").status_code == 404
    assert client.get(f"/assessments/{stray.id}").status_code == 404
    assert client.post(f"/assessments/{stray.id}/reopen").status_code == 404


def test_a_draft_keeps_partial_ratings_answers_and_context_notes(
    client, login_as, scheme, session, draft
):
    factors = scheme["theme"].factors
    question = factors[0].guide_questions[0]
    context_factor = scheme["theme"].programme.context_factors[0]
    login_as(scheme["implementer"])
    data = round_data(
        draft,
        [1, 3] + [None] * 8,
        **{
            f"evidence_{factors[0].id}": "  A first partnership meeting took place.  ",
            f"answer_{question.id}": "partly",
            f"answer_note_{question.id}": "Only the job centre so far.",
            f"effect_{context_factor.id}": "limiting",
            f"effect_note_{context_factor.id}": "Elections in May.",
        },
    )
    response = client.post(f"/assessments/{draft.id}", data=data)
    assert response.status_code == 302, page_text(response)
    session.expire_all()
    assert draft.status is AssessmentStatus.DRAFT
    ratings = {r.factor_id: (r.level, r.evidence) for r in draft.ratings}
    assert ratings == {
        factors[0].id: (1, "A first partnership meeting took place."),
        factors[1].id: (3, ""),
    }
    ((answer),) = draft.answers
    assert (answer.question_id, answer.answer, answer.note) == (
        question.id,
        Answer.PARTLY,
        "Only the job centre so far.",
    )
    ((note),) = draft.context_notes
    assert (note.context_factor_id, note.effect, note.note) == (
        context_factor.id,
        ContextEffect.LIMITING,
        "Elections in May.",
    )
    (entry,) = audit_entries(session, "assessment.saved")
    assert entry.pair_id == scheme["pair"].id and entry.details["rated"] == 2
    html = client.get(f"/assessments/{draft.id}").get_data(as_text=True)
    assert "A first partnership meeting took place." in html and "Elections in May." in html


def test_the_scale_labels_every_level_the_database_accepts():
    assert list(LEVEL_LABELS) == list(range(RATING_MIN, RATING_MAX + 1))


@pytest.mark.parametrize("forged", ["5", "-1", "12", "high", "2.5", ""])
def test_a_level_off_the_scale_is_refused_and_nothing_is_saved(
    client, login_as, scheme, session, draft, forged
):
    factors = scheme["theme"].factors
    login_as(scheme["implementer"])
    data = round_data(draft, [2] + [None] * 9, **{f"level_{factors[1].id}": forged})
    response = client.post(f"/assessments/{draft.id}", data=data)
    if forged == "":  # an empty choice is simply not rated yet
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert "Choose one of the levels from 0 to 4." in page_text(response)
    version = draft.version_id
    session.expire_all()
    assert draft.ratings == [] and draft.version_id == version


def test_the_service_refuses_a_level_off_the_scale(app, scheme, draft):
    factor = scheme["theme"].factors[0]
    with app.test_request_context(), pytest.raises(RuleViolation, match="from 0 to 4"):
        save_round(
            scheme["implementer"],
            draft,
            pair_id=scheme["pair"].id,
            assessed_on=draft.assessed_on,
            ratings=[RatingInput(factor.id, 5)],
            answers=[],
            context=[],
            expected_version=draft.version_id,
        )


def test_a_rating_of_another_themes_factor_is_ignored(
    client, login_as, make, scheme, session, draft
):
    foreign = make.theme(code="A").factors[0]
    login_as(scheme["implementer"])
    client.post(
        f"/assessments/{draft.id}", data=round_data(draft, [2] * 10, **{f"level_{foreign.id}": "3"})
    )
    assert (
        session.execute(
            sa.select(sa.func.count(FactorRating.id)).where(FactorRating.factor_id == foreign.id)
        ).scalar_one()
        == 0
    )


def test_completing_needs_every_factor_rated(client, login_as, scheme, session, draft):
    factors = scheme["theme"].factors
    login_as(scheme["implementer"])
    response = client.post(
        f"/assessments/{draft.id}", data=round_data(draft, [2] * 9 + [None], "complete")
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "Rate every factor to complete the round. Not rated yet: " in text
    assert f"10. {factors[9].title}" in text
    session.expire_all()
    assert draft.status is AssessmentStatus.DRAFT and draft.ratings == []
    assert checked(response, f"level_{factors[0].id}") == ["2"]  # the answers stay on the form


def test_a_completed_round_is_locked(client, login_as, scheme, session, draft):
    login_as(scheme["implementer"])
    response = client.post(f"/assessments/{draft.id}", data=round_data(draft, [2] * 10, "complete"))
    assert response.status_code == 302
    session.expire_all()
    assert draft.status is AssessmentStatus.COMPLETED
    assert draft.completed_by_id == scheme["implementer"].id and draft.completed_at is not None
    (entry,) = audit_entries(session, "assessment.completed")
    assert entry.pair_id == scheme["pair"].id

    again = client.post(f"/assessments/{draft.id}", data=round_data(draft, [4] * 10))
    assert again.status_code == 200 and LOCKED in page_text(again)
    session.expire_all()
    assert {rating.level for rating in draft.ratings} == {2}
    assert draft.status is AssessmentStatus.COMPLETED
    assert audit_entries(session, "assessment.saved") == []
    assert 'name="level_' not in client.get(f"/assessments/{draft.id}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("who", "status"),
    [("implementer", 403), ("mentor", 403), ("expert", 403), ("outsider", 404)],
)
def test_only_coordinators_reopen_a_round(client, login_as, scheme, session, who, status):
    pair = scheme["pair"]
    done = add_round(session, pair.implementing_city, scheme["theme"], [2] * 10)
    login_as(scheme[who])
    assert client.post(f"/assessments/{done.id}/reopen").status_code == status
    session.expire_all()
    assert done.status is AssessmentStatus.COMPLETED
    assert audit_entries(session, "assessment.reopened") == []


def test_a_coordinator_reopens_a_round_and_it_is_audited(client, login_as, scheme, session):
    pair = scheme["pair"]
    done = add_round(session, pair.implementing_city, scheme["theme"], [2] * 10)
    login_as(scheme["coordinator"])
    assert "Reopen the round" in page_text(client.get(f"/assessments/{done.id}"))
    assert client.post(f"/assessments/{done.id}/reopen").status_code == 302
    session.expire_all()
    assert done.status is AssessmentStatus.DRAFT and done.completed_at is None
    (entry,) = audit_entries(session, "assessment.reopened")
    assert (entry.actor_id, entry.pair_id, entry.subject_id) == (
        scheme["coordinator"].id,
        pair.id,
        done.id,
    )
    login_as(scheme["implementer"])
    response = client.post(f"/assessments/{done.id}", data=round_data(done, [3] * 10))
    assert response.status_code == 302
    session.expire_all()
    assert {rating.level for rating in done.ratings} == {3}


def test_a_stale_form_is_refused_and_keeps_the_text(client, login_as, scheme, session, draft):
    factor = scheme["theme"].factors[0]
    login_as(scheme["implementer"])
    stale_version = draft.version_id
    first = client.post(
        f"/assessments/{draft.id}",
        data=round_data(draft, [1] + [None] * 9, **{f"evidence_{factor.id}": "Colleague's text"}),
    )
    assert first.status_code == 302
    mine = round_data(
        draft,
        [3] + [None] * 9,
        version=stale_version,
        **{f"evidence_{factor.id}": "My careful evidence"},
    )
    response = client.post(f"/assessments/{draft.id}", data=mine)
    assert response.status_code == 200
    assert "Someone else saved changes" in page_text(response)
    assert "My careful evidence" in response.get_data(as_text=True)
    session.expire_all()
    (rating,) = draft.ratings
    assert (rating.level, rating.evidence) == (1, "Colleague's text")


def test_a_blank_choice_sent_for_an_answer_or_an_effect_counts_as_no_choice(
    client, login_as, scheme, session, draft
):
    """Found by the hostile-input tests: spaces sent for a radio button passed validation
    (WTForms' Optional treats them as empty) and then failed to convert: a server error."""
    question = draft.theme.factors[0].guide_questions[0]
    context = draft.theme.programme.context_factors[0]
    login_as(scheme["implementer"])
    response = client.post(
        f"/assessments/{draft.id}",
        data=round_data(
            draft, [1] + [None] * 9, **{f"answer_{question.id}": "   ", f"effect_{context.id}": " "}
        ),
    )
    assert response.status_code == 302
    session.expire_all()
    assert [rating.level for rating in draft.ratings] == [1]
    assert draft.answers == [] and draft.context_notes == []
