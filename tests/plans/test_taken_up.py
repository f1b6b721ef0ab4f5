"""A recommendation counts as taken up while one of its actions is not dropped: the plan, the
dashboards, the infographic and the programme report agree, and say apart what was taken up
and later dropped."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.helpers import page_text
from tracker.dashboards.metrics import pair_rows
from tracker.infographics.data import infographic_data
from tracker.plans.models import ActionStatus, PlanStatus
from tracker.reports.queries import programme_report


@pytest.fixture
def recommendations(make, scheme):
    """Two recommendations to Riga: one taken up by an action under way, one whose only
    action was dropped, and a third never taken up."""
    pair = scheme["pair"]
    report = make.report(make.visit(pair), recommendations=3)
    plan = make.plan(pair, status=PlanStatus.IN_IMPLEMENTATION)
    kept, dropped, untouched = report.recommendations
    make.action(plan, title="Mentor scheme for Łódź employers", status=ActionStatus.ON_TRACK,
                recommendation=kept)  # fmt: skip
    make.action(plan, title='The "Centrum" job fair', status=ActionStatus.DROPPED,
                recommendation=dropped)  # fmt: skip
    return {"plan": plan, "kept": kept, "dropped": dropped, "untouched": untouched}


def test_a_dropped_action_does_not_count_as_taken_up_anywhere(
    client, login_as, scheme, recommendations, today
):
    pair = scheme["pair"]
    login_as(scheme["implementer"])
    plan_page = page_text(client.get(f"/pairs/{pair.id}/plan"))
    assert "Recommendations taken up 1 / 3 (1 taken up, later dropped)" in plan_page
    assert 'Taken up, later dropped: The "Centrum" job fair' in plan_page
    now = datetime(2026, 3, 2, 10, tzinfo=UTC)
    (row,) = pair_rows([pair], today, now)
    assert (row.adopted, row.recommendations) == (1, 3)
    assert infographic_data(pair, today).adopted == 1
    totals = programme_report(pair.theme.programme, today).totals
    assert (totals.recommendations, totals.adopted, totals.dropped) == (3, 1, 1)


def test_a_recommendation_whose_action_was_dropped_can_be_taken_up_again(
    client, login_as, scheme, recommendations
):
    plan, dropped = recommendations["plan"], recommendations["dropped"]
    login_as(scheme["implementer"])
    url = f"/pairs/{plan.pair_id}/plan/actions/new?recommendation={dropped.id}"
    assert f'href="{url}"' in client.get(f"/pairs/{plan.pair_id}/plan").get_data(
        as_text=True
    ).replace("&amp;", "&")
    response = client.post(
        url,
        data={
            "title": "Job fair, second try",
            "factor_ids": [dropped.factor_id],
            "recommendation_id": dropped.id,
        },
    )
    assert response.status_code == 302
    assert "Recommendations taken up 2 / 3" in page_text(client.get(f"/pairs/{plan.pair_id}/plan"))
