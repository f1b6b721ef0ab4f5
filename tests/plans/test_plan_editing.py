"""Writing the plan: who may edit and comment, actions and their rules, adoption, locking."""

import pytest
import sqlalchemy as sa

from tests.helpers import page_text
from tracker.notifications.models import Notification
from tracker.plans.models import Action, ActionPlan, PlanComment


@pytest.fixture
def plan(make, scheme):
    plan = make.plan(scheme["pair"])
    make.action(plan, title="Supplier day")
    return plan


def action_form(factors, **values):
    return {
        "title": "Job fair with employers",
        "factor_ids": [f.id for f in factors],
        "starts_on": "2026-04-01",
        "ends_on": "2026-09-30",
        "indicator": "Employers taking part",
        "target": "40",
        **values,
    }


def test_the_implementing_city_starts_its_plan_once(client, login_as, scheme, session):
    login_as(scheme["implementer"])
    client.post(f"/pairs/{scheme['pair'].id}/plan/start")
    client.post(f"/pairs/{scheme['pair'].id}/plan/start")
    assert session.execute(sa.select(sa.func.count(ActionPlan.id))).scalar_one() == 1


def test_an_action_is_added_with_factors_of_the_theme(client, login_as, scheme, session, plan):
    login_as(scheme["implementer"])
    factors = scheme["theme"].factors[2:4]
    response = client.post(
        f"/pairs/{plan.pair_id}/plan/actions/new",
        data=action_form(factors, owner_user_id=scheme["implementer"].id),
    )
    assert response.status_code == 302
    action = session.execute(
        sa.select(Action).where(Action.title == "Job fair with employers")
    ).scalar_one()
    assert [f.id for f in action.factors] == [f.id for f in factors]
    assert action.owner_user_id == scheme["implementer"].id and action.position == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"factor_ids": []}, "Choose at least one benchmark factor"),
        ({"title": ""}, "Fill this in."),
        ({"starts_on": "2026-10-01"}, "The action cannot end before it starts."),
    ],
)
def test_bad_actions_are_refused(client, login_as, scheme, session, plan, change, message):
    login_as(scheme["implementer"])
    response = client.post(
        f"/pairs/{plan.pair_id}/plan/actions/new",
        data=action_form(scheme["theme"].factors[:1], **change),
    )
    assert message in page_text(response)
    assert len(session.execute(sa.select(Action)).scalars().all()) == 1


def test_an_action_cannot_target_another_themes_factor(client, login_as, make, scheme, plan):
    login_as(scheme["implementer"])
    foreign = make.theme(code="A").factors[:1]
    response = client.post(f"/pairs/{plan.pair_id}/plan/actions/new", data=action_form(foreign))
    assert "only target factors of the pair's theme" in page_text(response)


def test_the_owner_must_belong_to_the_implementing_city(client, login_as, scheme, plan):
    login_as(scheme["implementer"])
    response = client.post(
        f"/pairs/{plan.pair_id}/plan/actions/new",
        data=action_form(scheme["theme"].factors[:1], owner_user_id=scheme["mentor"].id),
    )
    assert "The owner must be a member of the implementing city." in page_text(response)


def test_a_mentor_city_member_comments_but_cannot_edit(client, login_as, scheme, session, plan):
    action = plan.actions[0]
    login_as(scheme["mentor"])
    pair_id = plan.pair_id
    assert client.get(f"/pairs/{pair_id}/plan").status_code == 200
    assert client.get(f"/pairs/{pair_id}/plan/edit").status_code == 403
    assert (
        client.post(
            f"/pairs/{pair_id}/plan/actions/new", data=action_form(scheme["theme"].factors[:1])
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/actions/{action.id}/edit", data=action_form(scheme["theme"].factors[:1])
        ).status_code
        == 403
    )
    assert (
        client.post(f"/actions/{action.id}", data={"status": "done", "progress": 100}).status_code
        == 403
    )
    assert (
        client.post(f"/pairs/{pair_id}/plan/status", data={"status": "under_review"}).status_code
        == 403
    )
    response = client.post(
        f"/pairs/{pair_id}/plan/comments",
        data={"body": "Add a budget line", "action_id": action.id},
    )
    assert response.status_code == 302
    comment = session.execute(sa.select(PlanComment)).scalar_one()
    assert (comment.action_id, comment.author_id) == (action.id, scheme["mentor"].id)
    notified = set(
        session.execute(
            sa.select(Notification.user_id).where(Notification.kind == "comment")
        ).scalars()
    )
    assert notified == {scheme["implementer"].id, scheme["expert"].id}
    session.refresh(action)
    assert action.title == "Supplier day" and action.progress == 0


ROUTES = [
    ("get", "/pairs/{pair}/plan"),
    ("get", "/pairs/{pair}/plan/edit"),
    ("get", "/pairs/{pair}/plan/actions/new"),
    ("get", "/actions/{action}"),
    ("get", "/actions/{action}/edit"),
    ("post", "/actions/{action}"),
    ("post", "/pairs/{pair}/plan/comments"),
    ("post", "/pairs/{pair}/plan/status"),
    ("get", "/pairs/{pair}/plan/export.csv"),
    ("get", "/pairs/{pair}/plan/export.xlsx"),
    ("get", "/pairs/{pair}/plan/print"),
    ("get", "/pairs/{pair}/plan/progress-sheet?download=1"),
    ("get", "/pairs/{pair}/plan/endorsements/new"),
]


@pytest.mark.parametrize(("method", "url"), ROUTES)
@pytest.mark.parametrize("who", ["outsider", "other_expert"])
def test_other_cities_and_experts_get_not_found_everywhere(
    client, login_as, scheme, plan, method, url, who
):
    login_as(scheme[who])
    path = url.format(pair=plan.pair_id, action=plan.actions[0].id)
    response = getattr(client, method)(path, data={"body": "x", "status": "done", "progress": 1})
    assert response.status_code == 404


def test_a_recommendation_starts_the_new_action_form_and_becomes_an_action_when_saved(
    client, login_as, make, scheme, session, plan
):
    visit = make.visit(scheme["pair"])
    report = make.report(visit, recommendations=2)
    recommendation = report.recommendations[1]
    login_as(scheme["implementer"])
    url = f"/pairs/{plan.pair_id}/plan/actions/new?recommendation={recommendation.id}"
    form = client.get(url).get_data(as_text=True)
    assert 'value="Recommendation 2"' in form and f'value="{recommendation.id}"' in form
    response = client.post(
        url,
        data=action_form(
            [recommendation.factor], title="Recommendation 2", recommendation_id=recommendation.id
        ),
    )
    assert response.status_code == 302
    action = session.execute(
        sa.select(Action).where(Action.recommendation_id == recommendation.id)
    ).scalar_one()
    assert action.title == "Recommendation 2" and [f.id for f in action.factors] == [
        recommendation.factor_id
    ]
    page = page_text(client.get(f"/pairs/{plan.pair_id}/plan"))
    assert "Recommendations taken up 1 / 2" in page
    again = client.post(
        url, data=action_form([recommendation.factor], recommendation_id=recommendation.id)
    )
    assert again.status_code == 200 and "already the action" in page_text(again)


def test_cancelling_turn_into_an_action_leaves_no_action(
    client, login_as, make, scheme, session, plan
):
    recommendation = make.report(make.visit(scheme["pair"]), recommendations=1).recommendations[0]
    login_as(scheme["implementer"])
    page = client.get(f"/pairs/{plan.pair_id}/plan").get_data(as_text=True)
    start = f"/pairs/{plan.pair_id}/plan/actions/new?recommendation={recommendation.id}"
    assert f'href="{start}"' in page.replace("&amp;", "&")
    assert client.get(start).status_code == 200  # the form, then the person cancels
    assert session.execute(sa.select(sa.func.count(Action.id))).scalar_one() == len(plan.actions)
    after = page_text(client.get(f"/pairs/{plan.pair_id}/plan"))
    assert "Recommendations taken up 0 / 1" in after and "Taken up as" not in after


def test_another_pairs_recommendation_cannot_be_adopted(
    client, login_as, make, scheme, session, plan
):
    stranger = make.report(make.visit(make.pair(scheme["theme"])), recommendations=1)
    other_id = stranger.recommendations[0].id
    login_as(scheme["implementer"])
    url = f"/pairs/{plan.pair_id}/plan/actions/new"
    assert client.get(f"{url}?recommendation={other_id}").status_code == 404
    response = client.post(
        url, data=action_form(scheme["theme"].factors[:1], recommendation_id=other_id)
    )
    assert "was not made to this pair" in page_text(response)
    assert len(plan.actions) == 1


def test_a_stale_action_form_is_refused_and_keeps_the_text(client, login_as, scheme, session, plan):
    action = plan.actions[0]
    login_as(scheme["implementer"])
    version = action.version_id
    first = client.post(
        f"/actions/{action.id}/edit",
        data=action_form(scheme["theme"].factors[:1], title="Supplier day 2026", version=version),
    )
    assert first.status_code == 302
    second = client.post(
        f"/actions/{action.id}/edit",
        data=action_form(scheme["theme"].factors[:1], title="My competing title", version=version),
    )
    assert second.status_code == 200
    assert "Someone else saved changes" in page_text(second)
    assert 'value="My competing title"' in second.get_data(as_text=True)
    session.refresh(action)
    assert action.title == "Supplier day 2026"


def test_a_stale_plan_form_is_refused(client, login_as, scheme, session, plan):
    login_as(scheme["implementer"])
    version = plan.version_id
    first = client.post(
        f"/pairs/{plan.pair_id}/plan/edit", data={"objective": "First", "version": version}
    )
    assert first.status_code == 302
    response = client.post(
        f"/pairs/{plan.pair_id}/plan/edit", data={"objective": "Second", "version": version}
    )
    assert "Someone else saved changes" in page_text(response)
    session.refresh(plan)
    assert plan.objective == "First"


def test_after_a_conflict_saving_again_is_a_deliberate_override(
    client, login_as, scheme, session, plan
):
    login_as(scheme["implementer"])
    version = plan.version_id
    client.post(f"/pairs/{plan.pair_id}/plan/edit", data={"objective": "First", "version": version})
    session.refresh(plan)
    refused = client.post(
        f"/pairs/{plan.pair_id}/plan/edit", data={"objective": "Mine", "version": version}
    )
    assert f'name="version" type="hidden" value="{plan.version_id}"' in refused.get_data(
        as_text=True
    )
    again = client.post(
        f"/pairs/{plan.pair_id}/plan/edit", data={"objective": "Mine", "version": plan.version_id}
    )
    assert again.status_code == 302
    session.refresh(plan)
    assert plan.objective == "Mine"


def test_a_change_saved_in_the_same_instant_is_refused_not_a_server_error(
    client, login_as, scheme, session, plan, monkeypatch
):
    """Another request commits between our version check and our write (as a progress post
    did on PostgreSQL): the user is told to reload, and neither change is lost silently."""
    import tracker.plans.service as service

    check_version = service.check_version

    def check_then_lose_the_race(obj, expected_version):
        check_version(obj, expected_version)
        session.execute(
            sa.update(ActionPlan)
            .where(ActionPlan.id == obj.id)
            .values(objective="Theirs", version_id=ActionPlan.version_id + 1),
            execution_options={"synchronize_session": False},
        )

    monkeypatch.setattr(service, "check_version", check_then_lose_the_race)
    login_as(scheme["implementer"])
    response = client.post(
        f"/pairs/{plan.pair_id}/plan/edit", data={"objective": "Mine", "version": plan.version_id}
    )
    assert response.status_code == 200
    assert "Someone else saved a change here at the same moment" in page_text(response)
    assert "\nMine</textarea>" in response.get_data(as_text=True)  # their text is kept
