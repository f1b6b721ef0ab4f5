"""Correcting mistakes: each kind of object deleted to the bin and restored, with the figures of
the plan, the dashboards, the programme report and the infographic before, after deleting and
after restoring; refusals; the bin emptied after BIN_DAYS; conflicts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from tests.helpers import page_text
from tracker.bin.jobs import empty_bin
from tracker.bin.models import BinEntry
from tracker.dashboards.metrics import pair_rows
from tracker.deliverables.models import DeliverableKind
from tracker.deliverables.service import add_file
from tracker.files.store import file_store
from tracker.infographics.data import infographic_data
from tracker.plans.models import (
    Action,
    ActionStatus,
    Endorsement,
    EndorsementLevel,
    PlanComment,
    PlanStatus,
    ProgressUpdate,
)
from tracker.plans.queries import plan_for_pair, plan_overview
from tracker.reports.queries import programme_report
from tracker.visits.models import FollowUp, VisitStatus

NOW = datetime(2026, 3, 2, 10, tzinfo=UTC)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def world(make, scheme, session):
    """Riga's pair with a reported visit (two recommendations, one taken up), a plan in
    implementation with two actions, progress, a comment, an endorsement, and a deliverable
    with a file."""
    pair = scheme["pair"]
    visit = make.visit(pair, status=VisitStatus.HELD, starts_on=date(2026, 2, 16))
    report = make.report(visit, recommendations=2, author=scheme["expert"])
    visit.status = VisitStatus.REPORTED
    report.follow_ups.append(
        FollowUp(text="Send the map of Łódź's job centres", owner_user=scheme["implementer"],
                 due_on=date(2026, 3, 20))
    )  # fmt: skip
    plan = make.plan(pair, status=PlanStatus.POLITICALLY_ENDORSED)
    taken = make.action(plan, title='Welcome desk "Rīga works"', status=ActionStatus.ON_TRACK,
                        progress=40, recommendation=report.recommendations[0])  # fmt: skip
    make.action(plan, title="Employer breakfasts", status=ActionStatus.NOT_STARTED)
    update = ProgressUpdate(action=taken, status=ActionStatus.ON_TRACK, progress=40,
                            author=scheme["implementer"], created_at=NOW - timedelta(hours=2))  # fmt: skip
    comment = PlanComment(
        plan=plan, body="Who runs the desk on Saturdays?", author=scheme["mentor"]
    )
    endorsement = Endorsement(plan=plan, level=EndorsementLevel.POLITICAL, body="Council 2026/7",
                              decided_on=date(2026, 2, 27))  # fmt: skip
    session.add_all([update, comment, endorsement])
    deliverable = make.deliverable(pair.implementing_city, pair=pair, kind=DeliverableKind.VIDEO,
                                   title="Video of the desk")  # fmt: skip
    stored = add_file(scheme["coordinator"], deliverable, "desk.pdf", PDF)
    session.flush()
    return {
        "pair": pair,
        "visit": visit,
        "report": report,
        "plan": plan,
        "taken": taken,
        "update": update,
        "comment": comment,
        "endorsement": endorsement,
        "deliverable": deliverable,
        "file": stored,
    }


def figures(pair, session, today) -> dict[str, object]:
    """What the plan, the dashboards, the report and the infographic count for the pair."""
    session.expire_all()
    plan = plan_for_pair(pair)
    overview = plan_overview(plan, today) if plan else None
    (row,) = pair_rows([pair], today, NOW)
    totals = programme_report(pair.theme.programme, today).totals
    infographic = infographic_data(pair, today)
    return {
        "plan actions": len(plan.actions) if plan else None,
        "plan progress": overview.progress if overview else None,
        "plan status": plan.status if plan else None,
        "endorsements": len(plan.endorsements) if plan else None,
        "taken up": overview.adopted if overview else None,
        "dashboard recommendations": row.recommendations,
        "dashboard adopted": row.adopted,
        "report visits held": totals.visits_held,
        "report recommendations": totals.recommendations,
        "report actions": totals.action_count,
        "infographic visits": len(infographic.visits),
        "infographic recommendations": infographic.recommendations,
        "deliverables": len(programme_report(pair.theme.programme, today).all_deliverables),
    }


def confirm(client, path, data=None):
    """Open the asking page, then confirm with the version it shows."""
    page = client.get(path)
    assert page.status_code == 200, path
    version = _hidden_version(page.get_data(as_text=True))
    return client.post(path, data={"version": version, **(data or {})})


def _hidden_version(html: str) -> str:
    import re

    found = re.search(r'name="version"[^>]*value="(\d+)"', html) or re.search(
        r'value="(\d+)"[^>]*name="version"', html
    )
    return found.group(1) if found else ""


def restore_last(client, session) -> None:
    entry = session.execute(sa.select(BinEntry).order_by(BinEntry.id.desc())).scalars().first()
    response = client.post(f"/bin/{entry.id}/restore")
    assert response.status_code == 302
    assert "Restored" in page_text(client.get("/bin/"))


CASES = [
    # (who deletes, path from the world, what changes in the figures)
    ("implementer", lambda w: f"/actions/{w['plan'].actions[1].id}/delete",
     {"plan actions": 1, "report actions": 1, "plan progress": 40}),
    ("expert", lambda w: f"/recommendations/{w['report'].recommendations[1].id}/delete",
     {"dashboard recommendations": 1, "report recommendations": 1,
      "infographic recommendations": 1}),
    ("coordinator", lambda w: f"/endorsements/{w['endorsement'].id}/delete",
     {"plan status": PlanStatus.ADMIN_ENDORSED, "endorsements": 0}),
    ("coordinator", lambda w: f"/deliverables/{w['deliverable'].id}/delete", {"deliverables": 0}),
]  # fmt: skip


@pytest.mark.parametrize(("who", "path", "changes"), CASES)
def test_deleting_then_restoring_changes_the_figures_and_puts_them_back(
    client, login_as, scheme, session, world, today, who, path, changes
):
    before = figures(world["pair"], session, today)
    login_as(scheme[who])
    response = confirm(client, path(world))
    assert response.status_code == 302
    after = figures(world["pair"], session, today)
    assert {key: value for key, value in after.items() if before[key] != value} == changes
    login_as(scheme["coordinator"])
    restore_last(client, session)
    assert figures(world["pair"], session, today) == before


def test_a_visit_goes_with_its_report_and_comes_back_whole(
    client, login_as, scheme, session, world, today
):
    world["taken"].recommendation_id = None  # so the visit may go
    session.flush()
    before = figures(world["pair"], session, today)
    login_as(scheme["expert"])
    page = page_text(client.get(f"/visits/{world['visit'].id}/delete"))
    assert "a report with 2 recommendations" in page and "1 follow-up" in page
    assert confirm(client, f"/visits/{world['visit'].id}/delete").status_code == 302
    after = figures(world["pair"], session, today)
    assert (after["report visits held"], after["infographic visits"]) == (0, 0)
    assert after["report recommendations"] == after["dashboard recommendations"] == 0
    assert session.execute(sa.select(sa.func.count(FollowUp.id))).scalar_one() == 0
    login_as(scheme["coordinator"])
    restore_last(client, session)
    assert figures(world["pair"], session, today) == before
    session.expire_all()
    assert [r.text for r in world["report"].recommendations] == [
        "Recommendation 1",
        "Recommendation 2",
    ]
    assert world["report"].follow_ups[0].text == "Send the map of Łódź's job centres"


def test_a_recommendation_an_action_took_up_is_not_deleted(
    client, login_as, scheme, session, world
):
    login_as(scheme["expert"])
    path = f"/recommendations/{world['report'].recommendations[0].id}/delete"
    page = page_text(client.get(path))
    assert "This cannot be deleted" in page
    assert "became the action 'Welcome desk \"Rīga works\"': delete that action first." in page
    client.post(path, data={})
    assert len(world["report"].recommendations) == 2
    assert session.execute(sa.select(sa.func.count(BinEntry.id))).scalar_one() == 0


def test_a_comment_is_deleted_by_its_author_only(client, login_as, scheme, session, world):
    path = f"/comments/{world['comment'].id}/delete"
    login_as(scheme["expert"])
    assert client.get(path).status_code == 403
    login_as(scheme["mentor"])
    assert confirm(client, path).status_code == 302
    assert session.execute(sa.select(sa.func.count(PlanComment.id))).scalar_one() == 0


def test_a_progress_update_is_deleted_the_same_day_and_withdrawn_later(
    client, login_as, scheme, session, world, today
):
    login_as(scheme["implementer"])
    update, action = world["update"], world["taken"]
    assert confirm(client, f"/progress/{update.id}/delete").status_code == 302
    session.expire_all()
    assert (action.status, action.progress) == (ActionStatus.NOT_STARTED, 0)
    login_as(scheme["coordinator"])
    restore_last(client, session)
    session.expire_all()
    assert (action.status, action.progress) == (ActionStatus.ON_TRACK, 40)

    with freeze_time("2026-03-04 10:00:00"):
        login_as(scheme["implementer"])
        page = page_text(client.get(f"/progress/{update.id}/delete"))
        assert "Withdraw it instead" in page
        refused = client.post(f"/progress/{update.id}/withdraw", data={"reason": "  "})
        assert "Say why the update is withdrawn." in page_text(refused)
        done = client.post(
            f"/progress/{update.id}/withdraw", data={"reason": "Posted on the wrong action"}
        )
        assert done.status_code == 302
        history = page_text(client.get(f"/actions/{action.id}"))
    assert "Withdrawn" in history and "Posted on the wrong action" in history
    session.expire_all()
    assert (action.status, action.progress) == (ActionStatus.NOT_STARTED, 0)
    assert session.execute(sa.select(sa.func.count(ProgressUpdate.id))).scalar_one() == 1


def test_a_pair_with_activity_is_withdrawn_not_deleted_and_an_empty_one_goes(
    client, login_as, make, scheme, session, world
):
    login_as(scheme["coordinator"])
    assert "change its status to withdrawn instead" in page_text(
        client.get(f"/pairs/{world['pair'].id}/delete")
    )
    empty = make.pair(scheme["theme"])
    session.flush()
    assert confirm(client, f"/pairs/{empty.id}/delete").status_code == 302
    assert client.get(f"/pairs/{empty.id}").status_code == 410  # in the bin
    listed = client.get("/pairs/").get_data(as_text=True).split("<tbody>", 1)[1]
    assert empty.mentor_city.name not in listed  # the list, not the city filter above it
    restore_last(client, session)
    assert client.get(f"/pairs/{empty.id}").status_code == 200


def test_restoring_what_belonged_to_something_in_the_bin_offers_both(
    client, login_as, scheme, session, world
):
    follow_up = world["report"].follow_ups[0]
    world["taken"].recommendation_id = None
    session.flush()
    login_as(scheme["expert"])
    confirm(client, f"/follow-ups/{follow_up.id}/delete")
    confirm(client, f"/visits/{world['visit'].id}/delete")
    login_as(scheme["coordinator"])
    entries = session.execute(sa.select(BinEntry).order_by(BinEntry.id)).scalars().all()
    follow_up_entry = entries[0]
    asked = client.post(f"/bin/{follow_up_entry.id}/restore", follow_redirects=True)
    assert "which is in the bin too. Restore both?" in page_text(asked)
    client.post(f"/bin/{follow_up_entry.id}/restore", data={"with_parent": "1"})
    assert session.execute(sa.select(sa.func.count(BinEntry.id))).scalar_one() == 0
    session.expire_all()
    assert [f.text for f in world["report"].follow_ups] == ["Send the map of Łódź's job centres"]


def test_the_bin_is_emptied_after_its_days_with_the_files(client, login_as, scheme, session, world):
    name = world["file"].stored_name
    assert file_store().exists(name)
    login_as(scheme["coordinator"])
    confirm(client, f"/deliverables/{world['deliverable'].id}/delete")
    assert empty_bin(NOW + timedelta(days=29))["deleted"] == 0
    assert file_store().exists(name)
    assert empty_bin(NOW + timedelta(days=31))["deleted"] == 1
    assert not file_store().exists(name)
    assert session.execute(sa.select(sa.func.count(BinEntry.id))).scalar_one() == 0


def test_deleting_something_changed_meanwhile_is_refused_not_an_error(
    client, login_as, scheme, session, world
):
    action = world["plan"].actions[1]
    login_as(scheme["implementer"])
    seen = _hidden_version(client.get(f"/actions/{action.id}/delete").get_data(as_text=True))
    action.title = "Employer breakfasts in Gdańsk"
    session.flush()  # someone else saved a change: the version moved on
    response = client.post(f"/actions/{action.id}/delete", data={"version": seen})
    assert response.status_code == 302
    assert "changed or deleted this since you opened it" in page_text(
        client.get(response.headers["Location"])
    )
    assert session.get(Action, action.id) is not None


def test_changing_what_someone_else_just_deleted_says_it_is_in_the_bin(
    client, login_as, scheme, session, world
):
    action = world["plan"].actions[1]
    login_as(scheme["implementer"])
    form = client.get(f"/actions/{action.id}/edit")
    assert form.status_code == 200
    confirm(client, f"/actions/{action.id}/delete")  # as if a colleague, meanwhile
    response = client.post(f"/actions/{action.id}/edit", data={"title": "Breakfasts"})
    assert response.status_code == 410
    assert "it is in the bin now and nothing was saved" in page_text(response)
    login_as(scheme["outsider"])  # who never saw the pair learns nothing
    assert client.get(f"/actions/{action.id}").status_code == 404
