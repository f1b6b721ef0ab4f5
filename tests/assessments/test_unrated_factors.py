"""Completing a round with factors left unrated: the message names them, and each one's level is
marked on the form and linked from the error summary, so a long form is quick to correct."""

from datetime import date

import pytest

from tests.assessments import add_round
from tests.assessments.test_rounds import round_data
from tests.helpers import form_errors, page_text
from tracker.assessments.models import AssessmentStatus


@pytest.fixture
def draft(session, scheme):
    return add_round(
        session,
        scheme["pair"].implementing_city,
        scheme["theme"],
        [None] * len(scheme["theme"].factors),
        on=date(2026, 2, 16),
        status=AssessmentStatus.DRAFT,
    )


def test_each_unrated_factor_is_marked_and_linked_from_the_summary(client, login_as, scheme, draft):
    factors = scheme["theme"].factors
    login_as(scheme["implementer"])
    levels = [2] * 10
    levels[3] = levels[8] = None
    response = client.post(f"/assessments/{draft.id}", data=round_data(draft, levels, "complete"))
    assert response.status_code == 200
    errors = form_errors(response)
    unrated = [factors[3], factors[8]]
    assert errors.summary == [
        (
            f"#level_{factor.id}",
            f"Level of factor {factor.position}: Choose a level to complete the round.",
        )
        for factor in unrated
    ]
    # ...after the message naming them all
    assert "2 factors are not rated yet: 4. " in page_text(response)
    for factor in unrated:  # every choice of the factor's level is marked wrong
        assert all(f"level_{factor.id}-{choice}" in errors.fields for choice in range(5)), (
            errors.fields
        )
    assert not any(f"level_{factors[0].id}" in field for field in errors.fields)
