"""The programme report on a known data set; only coordinators see it; its downloads."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import load_workbook

from tests.helpers import QueryCounter, page_text
from tests.reports import pdf_media_boxes
from tracker.catalogue.models import Programme
from tracker.deliverables.models import DeliverableKind, DeliverableStatus
from tracker.plans.models import ActionStatus, Endorsement, EndorsementLevel, PlanStatus
from tracker.reports.queries import programme_report
from tracker.visits.models import VisitKind, VisitParticipant, VisitStatus

A, B = "A", "B"


def take_part(session, visit, *people, guests=()):
    for person in people:
        session.add(VisitParticipant(visit=visit, user=person))
    for name in guests:
        session.add(VisitParticipant(visit=visit, guest_name=name, guest_affiliation="NGO"))
    session.flush()


@pytest.fixture
def known(make, session, scheme, today):
    """Theme B: Helsinki → Riga with two held visits (four people, two guests), one to come and
    one cancelled, three recommendations and an endorsed plan; Barcelona → Nicosia with one
    held visit (the same expert and a new person) and two recommendations, no plan. Theme A:
    Munich → Dresden with a draft plan and nothing else. Four deliverables at every level."""
    riga_pair = scheme["pair"]
    expert, coordinator = scheme["expert"], scheme["coordinator"]
    first = make.visit(riga_pair, VisitKind.MENTORING, starts_on=date(2025, 11, 10))
    take_part(
        session,
        first,
        scheme["implementer"],
        scheme["mentor"],
        expert,
        guests=["Ilze Guest", "Jan External"],
    )
    recommendations = make.report(first, recommendations=3).recommendations
    second = make.visit(riga_pair, VisitKind.STUDY, VisitStatus.HELD, starts_on=date(2026, 1, 20))
    take_part(session, second, scheme["implementer"], coordinator, guests=["Jan External"])
    coming = make.visit(riga_pair, VisitKind.ONLINE, starts_on=date(2026, 4, 1))
    take_part(session, coming, scheme["outsider"], guests=["Not Yet"])
    cancelled = make.visit(
        riga_pair, VisitKind.ONLINE, VisitStatus.CANCELLED, starts_on=date(2026, 2, 1)
    )
    take_part(session, cancelled, scheme["other_expert"])
    plan = make.plan(riga_pair, PlanStatus.POLITICALLY_ENDORSED)
    make.action(plan, status=ActionStatus.ON_TRACK, progress=50, recommendation=recommendations[0])
    make.action(plan, status=ActionStatus.DONE, progress=100, recommendation=recommendations[0])
    make.action(plan, status=ActionStatus.DROPPED, progress=20, recommendation=recommendations[1])
    make.action(plan, status=ActionStatus.NOT_STARTED, progress=0)
    for level, day in (
        (EndorsementLevel.ADMINISTRATIVE, date(2026, 1, 5)),
        (EndorsementLevel.POLITICAL, date(2026, 2, 3)),
    ):
        session.add(Endorsement(plan=plan, level=level, body="Council", decided_on=day))

    nicosia_pair = make.pair(
        scheme["theme"], mentor=make.city("Barcelona"), implementing=make.city("Nicosia")
    )
    visit = make.visit(nicosia_pair, VisitKind.MENTORING, starts_on=date(2026, 2, 2))
    take_part(session, visit, expert, make.city_member(nicosia_pair.implementing_city))
    make.report(visit, recommendations=2)

    dresden_pair = make.pair(
        make.theme(code=A), mentor=make.city("Munich"), implementing=make.city("Dresden")
    )
    make.plan(dresden_pair, PlanStatus.DRAFT)

    network = coordinator.organisation
    make.deliverable(
        network,
        kind=DeliverableKind.EVENT,
        title="The conference",
        status=DeliverableStatus.APPROVED,
        submitted_at=datetime(2026, 2, 1, tzinfo=UTC),
        approved_at=datetime(2026, 2, 10, tzinfo=UTC),
        due_on=today - timedelta(days=30),
    )
    make.deliverable(
        dresden_pair.theme.expert_organisation,
        theme=dresden_pair.theme,
        kind=DeliverableKind.TOOLKIT,
        title='=HYPERLINK("http://evil.example")',
        status=DeliverableStatus.SUBMITTED,
        due_on=today - timedelta(days=3),
    )
    make.deliverable(
        network,
        riga_pair,
        kind=DeliverableKind.INFOGRAPHIC,
        title="Infographic of Riga",
        due_on=today - timedelta(days=1),
    )
    make.deliverable(
        nicosia_pair.implementing_city,
        nicosia_pair,
        kind=DeliverableKind.ACTION_PLAN,
        title="Nicosia's plan",
        status=DeliverableStatus.IN_PROGRESS,
        due_on=today + timedelta(days=40),
    )
    session.flush()
    return {**scheme, "nicosia_pair": nicosia_pair, "dresden_pair": dresden_pair}


def programme(session):
    return session.query(Programme).filter_by(key="cities-grow").one()


def test_the_figures_are_exact(session, known, today):
    report = programme_report(programme(session), today)
    assert [section.theme.code for section in report.themes] == ["A", "B", "C", "D"]
    theme_a, theme_b = report.themes[0], report.themes[1]

    riga, nicosia = theme_b.pairs
    assert riga.pair.id == known["pair"].id
    f = riga.figures
    assert (f.visits_held, f.visits_to_come, f.people, f.guests) == (2, 1, 4, 2)
    # the dropped action's recommendation counts as taken up, later dropped
    assert (f.recommendations, f.adopted, f.dropped, f.action_count) == (3, 1, 1, 4)
    assert f.action_breakdown == [
        (ActionStatus.NOT_STARTED, 1),
        (ActionStatus.ON_TRACK, 1),
        (ActionStatus.DONE, 1),
        (ActionStatus.DROPPED, 1),
    ]
    assert riga.plan.status is PlanStatus.POLITICALLY_ENDORSED
    assert riga.plan.progress == 50  # 50, 100 and 0; the dropped action left out
    assert (riga.plan.administrative_on, riga.plan.political_on) == (
        date(2026, 1, 5),
        date(2026, 2, 3),
    )
    n = nicosia.figures
    assert (n.visits_held, n.people, n.guests, n.recommendations, n.action_count) == (
        1,
        2,
        0,
        2,
        0,
    )
    assert nicosia.plan is None

    # The expert took part in both pairs: counted once for the theme.
    t = theme_b.totals
    assert (t.visits_held, t.visits_to_come, t.people, t.guests) == (3, 1, 5, 2)
    assert (t.recommendations, t.adopted, t.dropped, t.action_count) == (5, 1, 1, 4)
    assert (theme_b.plans, theme_b.administratively_endorsed, theme_b.politically_endorsed) == (
        1,
        1,
        1,
    )
    (dresden,) = theme_a.pairs
    assert dresden.plan.status is PlanStatus.DRAFT and dresden.plan.progress == 0
    assert theme_a.totals.participants == 0

    assert report.pair_count == 3
    assert (report.totals.visits_held, report.totals.people, report.totals.guests) == (3, 5, 2)
    assert (report.plans, report.politically_endorsed, report.approved) == (2, 1, 1)
    assert [d.title for d in report.deliverables] == ["The conference"]
    assert [d.title for d in theme_a.deliverables] == ['=HYPERLINK("http://evil.example")']
    assert [d.title for d in theme_b.deliverables] == ["Infographic of Riga", "Nicosia's plan"]
    overdue = {d.title for d in report.all_deliverables if d.id in report.overdue}
    assert overdue == {"Infographic of Riga"}  # the toolkit is submitted, the event approved


def test_the_page_shows_the_report(client, login_as, known):
    login_as(known["coordinator"])
    response = client.get("/programmes/cities-grow/report")
    assert response.status_code == 200
    text = page_text(response)
    for expected in (
        "Programme report: CITIES GROW",
        "Helsinki → Riga",
        "Barcelona → Nicosia",
        "Theme B in total",
        "4 people, 2 guests",
        "5 people, 2 guests",
        "1 taken up, 1 later dropped",
        "Not started 1, On track 1, Done 1, Dropped 1",
        "50% progress",
        "Administrative: 5 Jan 2026",
        "Political: 3 Feb 2026",
        "Infographic of Riga",
        "Overdue",
        "The conference",
    ):
        assert expected in text, expected
    html = response.get_data(as_text=True)
    assert "style=" not in html and "<script>" not in html


@pytest.mark.parametrize("who", ["implementer", "mentor", "expert", "outsider"])
@pytest.mark.parametrize("suffix", ["", ".xlsx", ".pdf"])
def test_only_coordinators_see_the_report(client, login_as, scheme, who, suffix):
    login_as(scheme[who])
    assert client.get(f"/programmes/cities-grow/report{suffix}").status_code == 403


def test_an_unknown_programme_is_not_found(client, login_as, scheme):
    login_as(scheme["coordinator"])
    assert client.get("/programmes/nothing/report").status_code == 404


def test_the_workbook_has_themes_pairs_and_deliverables(client, login_as, known, today):
    login_as(known["coordinator"])
    response = client.get("/programmes/cities-grow/report.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="report-cities-grow-2026-03-02.xlsx";'
    )
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["Themes", "Pairs", "Context", "Deliverables"]

    pairs = list(workbook["Pairs"].iter_rows(values_only=True))
    header = pairs[0]
    riga = dict(zip(header, next(row for row in pairs if row[2] == "Riga"), strict=True))
    assert riga["Visits held"] == 2 and riga["People"] == 4 and riga["Guests"] == 2
    assert riga["Recommendations"] == 3 and riga["Taken up as actions"] == 1
    assert riga["Taken up, later dropped"] == 1
    assert riga["Actions"] == 4 and riga["Done"] == 1 and riga["Dropped"] == 1
    assert riga["Action plan"] == "Politically endorsed" and riga["Progress %"] == 50
    assert riga["Political endorsement"].date() == date(2026, 2, 3)
    assert len(pairs) == 1 + 3

    themes = list(workbook["Themes"].iter_rows(values_only=True))
    total = dict(zip(themes[0], themes[-1], strict=True))
    assert total["Theme"] == "Total" and total["Pairs"] == 3 and total["People"] == 5

    deliverables = list(workbook["Deliverables"].iter_rows(values_only=True))
    titles = [row[2] for row in deliverables[1:]]
    assert len(titles) == 4
    # A formula in a title is written as text, never as a formula.
    assert '\'=HYPERLINK("http://evil.example")' in titles
    overdue = {row[2]: row[8] for row in deliverables[1:]}
    assert overdue["Infographic of Riga"] == "Yes" and overdue["The conference"] == "No"


def test_the_pdf_is_an_a4_document(client, login_as, known):
    login_as(known["coordinator"])
    response = client.get("/programmes/cities-grow/report.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    boxes = pdf_media_boxes(response.data)
    assert boxes, "no page size found"
    for width, height in boxes:
        assert width == pytest.approx(595, abs=1) and height == pytest.approx(842, abs=1)


def busy_pairs(make, session, count):
    """`count` pairs on theme C, each with a held visit with people, a report, a plan with an
    endorsement and actions, and a deliverable."""
    theme = make.theme(code="C")
    coordinator = make.coordinator()
    for _number in range(count):
        pair = make.pair(theme)
        visit = make.visit(pair, status=VisitStatus.HELD, starts_on=date(2026, 1, 10))
        take_part(session, visit, make.city_member(pair.implementing_city), guests=["Guest"])
        make.report(visit, recommendations=2)
        plan = make.plan(pair, PlanStatus.ADMIN_ENDORSED)
        session.add(
            Endorsement(
                plan=plan,
                level=EndorsementLevel.ADMINISTRATIVE,
                body="Board",
                decided_on=date(2026, 1, 20),
            )
        )
        make.action(plan, status=ActionStatus.ON_TRACK, progress=30)
        make.deliverable(pair.implementing_city, pair, kind=DeliverableKind.ACTION_PLAN)
    session.flush()
    return coordinator


@pytest.mark.parametrize("suffix", ["", ".xlsx"])
def test_the_report_runs_the_same_number_of_queries_for_2_and_6_pairs(
    client, login_as, make, session, today, suffix
):
    coordinator = busy_pairs(make, session, 2)
    login_as(coordinator)
    url = f"/programmes/cities-grow/report{suffix}"
    with QueryCounter() as two:
        assert client.get(url).status_code == 200
    busy_pairs(make, session, 4)
    with QueryCounter() as six:
        assert client.get(url).status_code == 200
    assert two.count == six.count, (two.statements, six.statements)


@pytest.mark.parametrize(("who", "linked"), [("coordinator", True), ("implementer", False)])
def test_the_programme_page_links_the_report_for_coordinators(
    client, login_as, scheme, who, linked
):
    login_as(scheme[who])
    html = client.get("/catalogue/cities-grow").get_data(as_text=True)
    assert ('href="/programmes/cities-grow/report"' in html) is linked
