"""Peer reading: the cities paired in a programme read each other's plans, finished visit
reports and completed self-assessment results, once a coordinator turns it on; never a pair of
another programme, a draft, a person's data, or a way to change anything."""

from datetime import date

import pytest
import sqlalchemy as sa

from tests.assessments import add_round
from tests.helpers import QueryCounter
from tracker.assessments.models import AssessmentRound, AssessmentStatus
from tracker.audit.models import AuditEntry
from tracker.files.models import Attachment
from tracker.plans.models import PlanStatus
from tracker.sharing.models import PeerReading
from tracker.visits.models import FollowUp, VisitParticipant, VisitStatus

SHARED = "Shared within the programme."


@pytest.fixture
def world(scheme, make, session):
    """Helsinki mentors Riga on theme B (the scheme); Gdańsk implements with München on theme A
    of the same programme; Łódź is paired only in another programme."""
    pair = scheme["pair"]
    gdansk, munich = make.city("Gdańsk"), make.city("München")
    peer_pair = make.pair(make.theme(code="A"), mentor=munich, implementing=gdansk)
    lodz = make.city("Łódź")
    make.pair(make.theme("implementoring", "A"), mentor=lodz, implementing=make.city("Rīga"))
    plan = make.plan(pair, status=PlanStatus.IN_IMPLEMENTATION, objective='Jobs for "all"')
    make.action(plan, title="A one-stop shop", owner_name="Inese Kalniņa")
    visit = make.visit(pair, status=VisitStatus.HELD, starts_on=date(2026, 2, 10))
    report = make.report(visit, recommendations=2, author=scheme["expert"])
    report.summary = "The mayor's team met 12 employers.\nמעסיקים"
    visit.participants = [VisitParticipant(user=scheme["implementer"])]
    report.follow_ups = [
        FollowUp(text="Send Ilze's slides", owner_user=scheme["mentor"], due_on=date(2026, 3, 9))
    ]
    report.attachments = [
        Attachment(
            original_name="minutes-with-names.pdf",
            stored_name="cd" + "0" * 30 + ".pdf",
            content_type="application/pdf",
            size_bytes=8,
            sha256="0" * 64,
        )
    ]
    visit.status = VisitStatus.REPORTED
    unfinished = make.visit(pair, status=VisitStatus.HELD, starts_on=date(2026, 2, 20))
    make.report(unfinished).summary = "Half written"
    unfinished.status = VisitStatus.HELD
    add_round(session, pair.implementing_city, scheme["theme"], [1] * 10)
    add_round(
        session,
        pair.implementing_city,
        scheme["theme"],
        [4] * 10,
        round=AssessmentRound.MIDTERM,
        on=date(2026, 2, 1),
        status=AssessmentStatus.DRAFT,
    )
    session.flush()
    return {
        **scheme,
        "peer_pair": peer_pair,
        "gdansk_member": make.city_member(gdansk, name="Agnieszka Nowak"),
        "lodz_member": make.city_member(lodz, name="Łucja Wiśniewska"),
        "plan": plan,
        "visit": visit,
        "unfinished": unfinished,
    }


def turn(client, world, value):
    return client.post("/programmes/cities-grow/peer-reading", data={"peer_reading": value})


def test_off_by_default_and_nobody_outside_the_pair_reads(world, client, login_as):
    login_as(world["gdansk_member"])
    assert client.get(f"/pairs/{world['pair'].id}/shared").status_code == 404
    assert client.get(f"/visits/{world['visit'].id}/shared").status_code == 404
    page = client.get("/programmes/cities-grow/shared").get_data(as_text=True)
    assert "Peer reading is off in this programme" in page
    assert world["pair"].label not in page


def test_a_coordinator_turns_it_on_and_off_with_an_audit_entry(world, client, login_as, session):
    login_as(world["coordinator"])
    assert turn(client, world, "on").status_code == 302
    assert session.execute(sa.select(PeerReading)).scalar_one() is not None
    turn(client, world, "on")  # the same choice again changes and records nothing
    turn(client, world, "off")
    assert session.execute(sa.select(PeerReading)).first() is None
    actions = session.execute(
        sa.select(AuditEntry.action).where(AuditEntry.action.like("programme.peer_reading%"))
    ).scalars()
    assert list(actions) == ["programme.peer_reading_on", "programme.peer_reading_off"]


@pytest.mark.parametrize("value", ["", "yes", "on'; DROP TABLE pair; --"])
def test_a_bad_choice_changes_nothing(world, client, login_as, session, value):
    login_as(world["coordinator"])
    response = client.post(
        "/programmes/cities-grow/peer-reading", data={"peer_reading": value}, follow_redirects=True
    )
    assert "Choose on or off." in response.get_data(as_text=True)
    assert session.execute(sa.select(PeerReading)).first() is None


def test_a_city_member_may_not_turn_it_on(world, client, login_as, session):
    login_as(world["implementer"])
    assert turn(client, world, "on").status_code == 403
    assert session.execute(sa.select(PeerReading)).first() is None


def test_with_peer_reading_on_a_city_of_the_programme_reads_the_other_pair(
    world, client, login_as, session
):
    login_as(world["coordinator"])
    turn(client, world, "on")
    login_as(world["gdansk_member"])
    listing = client.get("/programmes/cities-grow/shared").get_data(as_text=True)
    assert world["pair"].label in listing
    assert world["peer_pair"].label not in listing  # their own pair is on its own pages
    assert "Rīga" not in listing  # the pair of another programme

    page = client.get(f"/pairs/{world['pair'].id}/shared").get_data(as_text=True)
    assert SHARED in page
    assert "Jobs for &#34;all&#34;" in page and "A one-stop shop" in page
    assert "Inese Kalniņa" not in page  # an action's owner is a person
    assert "Latest completed round: Baseline" in page  # the draft midterm stays out
    assert f"/visits/{world['visit'].id}/shared" in page
    assert f"/visits/{world['unfinished'].id}/shared" not in page

    report = client.get(f"/visits/{world['visit'].id}/shared").get_data(as_text=True)
    assert SHARED in report
    assert "The mayor&#39;s team met 12 employers." in report and "מעסיקים" in report
    assert "Recommendation 1" in report
    for personal in (
        "Anna Ozola",  # a participant
        "Jonathan Reed",  # the report's author
        "Mikko Virtanen",  # a follow-up's owner
        "Send Ilze",  # the follow-ups
        "minutes-with-names.pdf",  # the files
    ):
        assert personal not in report
    unfinished = client.get(f"/visits/{world['unfinished'].id}/shared").get_data(as_text=True)
    assert "Half written" not in unfinished and "not finished yet" in unfinished


def test_peer_reading_never_edits_nor_opens_the_pairs_own_pages(world, client, login_as):
    login_as(world["coordinator"])
    turn(client, world, "on")
    login_as(world["gdansk_member"])
    pair_id = world["pair"].id
    for url in (
        f"/pairs/{pair_id}",
        f"/pairs/{pair_id}/plan",
        f"/visits/{world['visit'].id}",
        f"/pairs/{pair_id}/assessments",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/pairs/{pair_id}/plan/edit", data={"objective": "x"}).status_code == 404


def test_a_draft_plan_is_not_shared(world, client, login_as):
    world["plan"].status = PlanStatus.DRAFT
    login_as(world["coordinator"])
    turn(client, world, "on")
    login_as(world["gdansk_member"])
    page = client.get(f"/pairs/{world['pair'].id}/shared").get_data(as_text=True)
    assert "A one-stop shop" not in page and "shared once it leaves the draft" in page


def test_never_a_pair_of_another_programme(world, client, login_as):
    login_as(world["coordinator"])
    turn(client, world, "on")
    login_as(world["lodz_member"])  # paired only in Implementoring, where peer reading is off
    assert client.get(f"/pairs/{world['pair'].id}/shared").status_code == 404
    listing = client.get("/programmes/cities-grow/shared").get_data(as_text=True)
    assert world["pair"].label not in listing


@pytest.mark.parametrize(
    "url", ["/programmes/cities-grow/shared", "/pairs/{pair}/shared", "/visits/{visit}/shared"]
)
def test_shared_pages_run_a_bounded_number_of_queries(world, client, login_as, make, session, url):
    login_as(world["coordinator"])
    turn(client, world, "on")
    login_as(world["gdansk_member"])
    target = url.format(pair=world["pair"].id, visit=world["visit"].id)

    def queries() -> int:
        with QueryCounter() as counter:
            response = client.get(target)
            assert response.status_code == 200
            response.get_data()
        return counter.count

    def grow(size: int) -> None:
        for number in range(size):
            make.pair(world["theme"], mentor=world["pair"].mentor_city)
            make.action(world["plan"], title=f"Action {number}")
            make.report(make.visit(world["pair"], status=VisitStatus.HELD), recommendations=2)
        session.flush()

    grow(3)
    small = queries()
    grow(30)
    assert queries() == small
