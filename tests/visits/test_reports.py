"""Experts log what a visit found; both cities read it; only the expert side edits it."""

from datetime import date

import pytest
import sqlalchemy as sa

from tests.helpers import form_errors, page_text
from tracker.audit.models import AuditEntry
from tracker.visits.models import Recommendation, VisitStatus


@pytest.fixture
def held_visit(make, scheme):
    return make.visit(scheme["pair"], status=VisitStatus.HELD, starts_on=date(2026, 2, 20))


def report_form(factors, **extra):
    data = {
        "summary": "Two busy days in Riga.",
        "observations-0-factor_id": factors[0].id,
        "observations-0-kind": "gap",
        "observations-0-text": "No baseline data on migrants in work.",
        "recommendations-0-factor_id": factors[0].id,
        "recommendations-0-priority": "high",
        "recommendations-0-text": "Map who the migrant job seekers are.",
        "recommendations-1-factor_id": factors[2].id,
        "recommendations-1-priority": "medium",
        "recommendations-1-text": "Bring the job centres and NGOs together monthly.",
        "recommendations-2-factor_id": factors[4].id,
        "recommendations-2-priority": "low",
        "recommendations-2-text": "Open the pathway courses to people without papers.",
        "recommendations-3-factor_id": "",
        "recommendations-3-text": "",
        "follow_ups-0-text": "Send the survey template.",
        "follow_ups-0-owner": f"organisation:{factors[0].theme.expert_organisation_id}",
        "follow_ups-0-due_on": "2026-03-20",
    }
    data.update(extra)
    return data


def test_the_expert_logs_an_outcome_with_three_recommendations(
    client, login_as, scheme, held_visit, session
):
    login_as(scheme["expert"])
    factors = scheme["theme"].factors
    response = client.post(f"/visits/{held_visit.id}/report", data=report_form(factors))
    assert response.status_code == 302, page_text(response)
    session.refresh(held_visit)
    report = held_visit.report
    assert held_visit.status is VisitStatus.REPORTED
    assert report.summary == "Two busy days in Riga." and report.author_id == scheme["expert"].id
    assert [(r.position, r.factor_id, r.priority.value) for r in report.recommendations] == [
        (1, factors[0].id, "high"),
        (2, factors[2].id, "medium"),
        (3, factors[4].id, "low"),
    ]
    assert [(o.factor_id, o.kind.value) for o in report.observations] == [(factors[0].id, "gap")]
    (follow_up,) = report.follow_ups
    assert follow_up.owner_organisation_id == scheme["theme"].expert_organisation_id
    assert follow_up.due_on == date(2026, 3, 20)
    audit = session.execute(
        sa.select(AuditEntry).where(AuditEntry.action == "visit.report_logged")
    ).scalar_one()
    assert audit.actor_id == scheme["expert"].id and audit.pair_id == scheme["pair"].id


def test_a_recommendation_tied_to_another_themes_factor_is_refused(
    client, login_as, make, scheme, held_visit, session
):
    login_as(scheme["expert"])
    foreign = make.theme(code="A").factors[0]
    data = report_form(scheme["theme"].factors, **{"recommendations-1-factor_id": foreign.id})
    response = client.post(f"/visits/{held_visit.id}/report", data=data)
    assert response.status_code == 200
    errors = form_errors(response)
    assert errors.fields == {
        "recommendations-1-factor_id": "Error: Tie this recommendation to a factor of this "
        "pair's theme."
    }
    session.refresh(held_visit)
    assert held_visit.report is None and held_visit.status is VisitStatus.HELD
    assert session.execute(sa.select(sa.func.count(Recommendation.id))).scalar_one() == 0


def test_a_recommendation_without_a_factor_is_refused(client, login_as, scheme, held_visit):
    login_as(scheme["expert"])
    data = report_form(scheme["theme"].factors, **{"recommendations-1-factor_id": ""})
    errors = form_errors(client.post(f"/visits/{held_visit.id}/report", data=data))
    assert list(errors.fields) == ["recommendations-1-factor_id"]


def test_a_follow_up_needs_an_owner_from_the_pair(client, login_as, scheme, held_visit):
    login_as(scheme["expert"])
    data = report_form(
        scheme["theme"].factors, **{"follow_ups-0-owner": f"user:{scheme['outsider'].id}"}
    )
    errors = form_errors(client.post(f"/visits/{held_visit.id}/report", data=data))
    assert errors.fields == {"follow_ups-0-owner": "Error: Choose who owns this follow-up."}


def test_every_wrong_row_is_reported_at_once_beside_its_field_and_in_the_summary(
    client, login_as, make, scheme, held_visit, session
):
    login_as(scheme["expert"])
    factors = scheme["theme"].factors
    foreign = make.theme(code="A").factors[0]
    data = report_form(
        factors,
        **{
            "summary": "",  # refused by the form itself, shown with the rows' problems
            "observations-0-factor_id": "",
            "observations-0-kind": "strength",
            "observations-0-text": "The Deputy Mayor leads the work in person.",
            "observations-1-factor_id": foreign.id,
            "observations-1-kind": "gap",
            "observations-1-text": "No data on who the migrant job seekers are.",
            "recommendations-0-factor_id": factors[0].id,
            "recommendations-0-text": "Map who the migrant job seekers are.",
            "follow_ups-1-text": "Send the survey template.",
        },
    )
    response = client.post(f"/visits/{held_visit.id}/report", data=data)
    assert response.status_code == 200
    errors = form_errors(response)
    assert list(errors.fields) == [
        "summary",
        "observations-0-factor_id",
        "observations-1-factor_id",
        "follow_ups-1-owner",
        "follow_ups-1-due_on",
    ]
    assert errors.fields["observations-1-factor_id"] == (
        "Error: Tie this observation to a factor of this pair's theme."
    )
    assert errors.summary == [
        ("#summary", "Summary: Fill this in."),
        (
            "#observations-0-factor_id",
            "Observation 1 — Factor: Tie this observation to a factor of this pair's theme.",
        ),
        (
            "#observations-1-factor_id",
            "Observation 2 — Factor: Tie this observation to a factor of this pair's theme.",
        ),
        ("#follow_ups-1-owner", "Follow-up 2 — Owner: Choose who owns this follow-up."),
        ("#follow_ups-1-due_on", "Follow-up 2 — Due on: Give this follow-up a due date."),
    ]
    page = response.get_data(as_text=True)
    assert "No data on who the migrant job seekers are." in page  # what was typed stays
    session.refresh(held_visit)
    assert held_visit.report is None and held_visit.status is VisitStatus.HELD


def test_the_service_refuses_a_report_with_every_wrong_row_named(
    client, login_as, make, scheme, held_visit, session
):
    login_as(scheme["expert"])
    foreign = make.theme(code="A").factors[0]
    data = report_form(
        scheme["theme"].factors,
        **{"recommendations-0-factor_id": "", "recommendations-2-factor_id": foreign.id},
    )
    errors = form_errors(client.post(f"/visits/{held_visit.id}/report", data=data))
    assert [href for href, _text in errors.summary] == [
        "#recommendations-0-factor_id",
        "#recommendations-2-factor_id",
    ]
    assert session.execute(sa.select(sa.func.count(Recommendation.id))).scalar_one() == 0


def test_each_row_names_its_fields_after_the_row(client, login_as, scheme, held_visit):
    login_as(scheme["expert"])
    page = client.get(f"/visits/{held_visit.id}/report").get_data(as_text=True)
    for row, label in (
        ("Observation 2", "Factor"),
        ("Observation 3", "Strength or gap"),
        ("Recommendation 1", "Priority"),
        ("Follow-up 3", "Due on"),
    ):
        assert f'<span class="visually-hidden">{row} — </span>{label}</label>' in page, label


def test_no_report_before_the_visit_is_held(client, login_as, make, scheme, session):
    visit = make.visit(scheme["pair"], status=VisitStatus.CONFIRMED)
    login_as(scheme["expert"])
    client.post(f"/visits/{visit.id}/report", data=report_form(scheme["theme"].factors))
    session.refresh(visit)
    assert visit.report is None and visit.status is VisitStatus.CONFIRMED


@pytest.mark.parametrize("who", ["implementer", "mentor"])
def test_both_cities_read_the_report_but_cannot_edit_it(
    client, login_as, make, scheme, held_visit, who
):
    make.report(held_visit, recommendations=2)
    login_as(scheme[who])
    page = page_text(client.get(f"/visits/{held_visit.id}"))
    assert "Recommendation 1" in page and "Recommendation 2" in page
    assert client.get(f"/visits/{held_visit.id}/report").status_code == 403
    response = client.post(
        f"/visits/{held_visit.id}/report", data=report_form(scheme["theme"].factors)
    )
    assert response.status_code == 403


def test_an_expert_of_another_organisation_cannot_see_or_edit(client, login_as, scheme, held_visit):
    login_as(scheme["other_expert"])
    assert client.get(f"/visits/{held_visit.id}").status_code == 404
    assert (
        client.post(
            f"/visits/{held_visit.id}/report", data=report_form(scheme["theme"].factors)
        ).status_code
        == 404
    )


def test_editing_a_report_is_audited_and_keeps_recommendation_ids(
    client, login_as, scheme, held_visit, session
):
    login_as(scheme["expert"])
    factors = scheme["theme"].factors
    client.post(f"/visits/{held_visit.id}/report", data=report_form(factors))
    session.refresh(held_visit)
    report = held_visit.report
    first, second, third = report.recommendations
    data = {
        "summary": "Two busy days in Riga, revised.",
        "version": report.version_id,
        "recommendations-0-row_id": first.id,
        "recommendations-0-factor_id": factors[0].id,
        "recommendations-0-priority": "high",
        "recommendations-0-text": "Map job seekers (revised).",
        "recommendations-1-row_id": second.id,
        "recommendations-1-factor_id": factors[2].id,
        "recommendations-1-priority": "medium",
        "recommendations-1-text": second.text,
        "recommendations-1-remove": "y",
        "recommendations-2-row_id": third.id,
        "recommendations-2-factor_id": factors[4].id,
        "recommendations-2-priority": "low",
        "recommendations-2-text": third.text,
        "recommendations-3-factor_id": factors[5].id,
        "recommendations-3-priority": "low",
        "recommendations-3-text": "A fourth idea.",
    }
    response = client.post(f"/visits/{held_visit.id}/report", data=data)
    assert response.status_code == 302, page_text(response)
    session.expire_all()
    rows = (
        session.execute(sa.select(Recommendation).order_by(Recommendation.position)).scalars().all()
    )
    assert [(r.id, r.position, r.text) for r in rows][:2] == [
        (first.id, 1, "Map job seekers (revised)."),
        (third.id, 3, third.text),
    ]
    assert rows[2].position == 4 and rows[2].text == "A fourth idea."
    audit = session.execute(
        sa.select(AuditEntry).where(AuditEntry.action == "visit.report_updated")
    ).scalar_one()
    assert audit.details["changes"] == {
        "recommendations changed": 1,
        "recommendations removed": 1,
        "recommendations added": 1,
    }


def test_a_stale_report_form_is_refused(client, login_as, make, scheme, held_visit, session):
    report = make.report(held_visit, recommendations=1)
    login_as(scheme["expert"])
    response = client.post(
        f"/visits/{held_visit.id}/report",
        data={"summary": "My late edit", "version": report.version_id - 1},
    )
    assert "Someone else saved changes" in page_text(response)
    session.refresh(report)
    assert report.summary == "What we saw."


def test_the_report_form_prefills_existing_rows_and_blank_ones(
    client, login_as, make, scheme, held_visit
):
    make.report(held_visit, recommendations=2)
    login_as(scheme["expert"])
    html = client.get(f"/visits/{held_visit.id}/report").get_data(as_text=True)
    assert "Recommendation 2" in html
    assert 'name="recommendations-4-text"' in html and 'name="recommendations-5-text"' not in html
