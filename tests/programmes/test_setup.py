"""Coordinators set up a programme in the browser: the programme, a theme, context factors and
the deliverables every new pair owes; bad input is explained beside its field, nothing saved."""

from datetime import date

import pytest
import sqlalchemy as sa

from tests.helpers import form_errors, page_text
from tracker.audit.models import AuditEntry
from tracker.catalogue.models import ContextFactor, Programme, Theme
from tracker.deliverables.models import Deliverable, DeliverableKind, DeliverableStatus
from tracker.infographics.colours import network_colours
from tracker.pairs.models import Pair
from tracker.programmes.models import DeliverableTemplate, ResponsibleParty
from tracker.programmes.service import add_months

PROGRAMME = {
    "name": 'CITIES GROW "Jobs"',
    "key": "cities-grow-jobs",
    "full_name": "Cities mentoring cities\non migrants' access to work",
    "period_start": "2027-01-01",
    "period_end": "2028-12-31",
    "funder": "AMIF (European Commission)",
    "description": "مدن تنمو: second round",
    "primary_colour": "#7A1F5C",
    "accent_colour": "",
    "highlight_colour": "#ffcc00",
}


@pytest.fixture
def coordinator_client(client, login_as, make):
    login_as(make.coordinator())
    return client


def count(session, model) -> int:
    return session.execute(sa.select(sa.func.count(model.id))).scalar_one()


def audited(session, action: str) -> list[str]:
    return list(
        session.execute(sa.select(AuditEntry.summary).where(AuditEntry.action == action)).scalars()
    )


def new_programme(client, **changes) -> Programme | None:
    response = client.post("/programmes/new", data={**PROGRAMME, **changes})
    assert response.status_code == 302, page_text(response)
    return response


def template_form(**changes):
    return {
        "kind": "action_plan",
        "title": "Local action plan",
        "description": "Endorsed by the city council.",
        "months_after_start": "6",
        "responsible": "implementing_city",
        "responsible_organisation_id": "",
        **changes,
    }


def test_a_coordinator_sets_up_a_programme_with_a_theme_context_and_deliverables(
    coordinator_client, make, session
):
    expert = make.expert_organisation("Fair Work Łódź")
    network = make.network("Eurocities")
    new_programme(coordinator_client)
    programme = session.execute(
        sa.select(Programme).where(Programme.key == "cities-grow-jobs")
    ).scalar_one()
    assert programme.name == 'CITIES GROW "Jobs"'
    assert (programme.period_start, programme.period_end) == (date(2027, 1, 1), date(2028, 12, 31))
    assert (programme.primary_colour, programme.accent_colour, programme.highlight_colour) == (
        "#7a1f5c",
        None,
        "#ffcc00",
    )

    response = coordinator_client.post(
        "/programmes/cities-grow-jobs/themes/new",
        data={
            "code": "d",
            "title": "Anti-discrimination on the local job market",
            "standard": "The city acts against discrimination in hiring.",
            "summary": 'Łódź and Gdańsk\'s "fair hiring" pledge',
            "expert_organisation_id": str(expert.id),
        },
    )
    assert response.status_code == 302
    theme_page = page_text(coordinator_client.get(response.location))
    assert "D. Anti-discrimination on the local job market" in theme_page
    assert "The city acts against discrimination in hiring." in theme_page
    for title in ("Local elections", "Elections"):
        coordinator_client.post(
            "/programmes/cities-grow-jobs/context-factors/new",
            data={"title": title, "description": "A new council\nmay change course."},
        )
    coordinator_client.post(
        "/programmes/cities-grow-jobs/deliverable-templates/new", data=template_form()
    )
    coordinator_client.post(
        "/programmes/cities-grow-jobs/deliverable-templates/new",
        data=template_form(
            kind="infographic",
            title="Infographic",
            months_after_start="18",
            responsible="organisation",
            responsible_organisation_id=str(network.id),
        ),
    )

    theme = session.execute(sa.select(Theme).where(Theme.programme_id == programme.id)).scalar_one()
    assert (theme.code, theme.expert_organisation_id) == ("D", expert.id)
    factors = (
        session.execute(
            sa.select(ContextFactor)
            .where(ContextFactor.programme_id == programme.id)
            .order_by(ContextFactor.position)
        )
        .scalars()
        .all()
    )
    assert [(f.position, f.title) for f in factors] == [(1, "Local elections"), (2, "Elections")]
    assert len({f.key for f in factors}) == 2
    page = page_text(coordinator_client.get("/programmes/cities-grow-jobs"))
    for shown in (
        "D. Anti-discrimination on the local job market",
        "Fair Work Łódź",
        "Local elections",
        "Local action plan",
        "6 months after the start",
        "18 months after the start",
        "Eurocities",
        "The pair's implementing city",
        "مدن تنمو: second round",
    ):
        assert shown in page
    assert audited(session, "programme.created") == [
        'Created the programme CITIES GROW "Jobs" (cities-grow-jobs)'
    ]
    assert len(audited(session, "theme.created")) == 1
    assert len(audited(session, "context_factor.created")) == 2
    assert len(audited(session, "deliverable_template.created")) == 2


def test_a_coordinator_edits_a_programme_theme_factor_and_template(
    coordinator_client, make, session
):
    new_programme(coordinator_client)
    programme = session.execute(
        sa.select(Programme).where(Programme.key == "cities-grow-jobs")
    ).scalar_one()
    coordinator_client.post(
        "/programmes/cities-grow-jobs/themes/new", data={"code": "A", "title": "Housing"}
    )
    coordinator_client.post(
        "/programmes/cities-grow-jobs/context-factors/new", data={"title": "Elections"}
    )
    coordinator_client.post(
        "/programmes/cities-grow-jobs/deliverable-templates/new", data=template_form()
    )
    factor = programme.context_factors[0]
    template = session.execute(sa.select(DeliverableTemplate)).scalar_one()

    form = page_text(
        coordinator_client.get(
            f"/programmes/cities-grow-jobs/deliverable-templates/{template.id}/edit"
        )
    )
    assert "Local action plan" in form
    responses = [
        coordinator_client.post(
            "/programmes/cities-grow-jobs/edit",
            data={**PROGRAMME, "key": "cities-grow-2", "name": "CITIES GROW 2"},
        ),
        coordinator_client.post(
            "/programmes/cities-grow-2/themes/A/edit",
            data={"code": "B", "title": "Housing and work"},
        ),
        coordinator_client.post(
            f"/programmes/cities-grow-2/context-factors/{factor.id}/edit",
            data={"title": "Local elections"},
        ),
        coordinator_client.post(
            f"/programmes/cities-grow-2/deliverable-templates/{template.id}/edit",
            data=template_form(months_after_start="9", responsible="mentor_city"),
        ),
    ]
    assert [response.status_code for response in responses] == [302] * 4
    session.expire_all()
    assert (programme.key, programme.name) == ("cities-grow-2", "CITIES GROW 2")
    assert [(t.code, t.title) for t in programme.themes] == [("B", "Housing and work")]
    assert factor.title == "Local elections"
    assert (template.months_after_start, template.responsible) == (9, ResponsibleParty.MENTOR_CITY)
    for action in ("programme", "theme", "context_factor", "deliverable_template"):
        assert len(audited(session, f"{action}.updated")) == 1, action


@pytest.mark.parametrize("role", ["city", "expert"])
def test_city_officers_and_experts_cannot_set_up_programmes(
    client, login_as, scheme, session, role
):
    login_as(scheme["implementer"] if role == "city" else scheme["expert"])
    before = count(session, Programme), count(session, Theme), count(session, DeliverableTemplate)
    key, code = scheme["theme"].programme.key, scheme["theme"].code
    for url, data in [
        ("/programmes/new", PROGRAMME),
        (f"/programmes/{key}/edit", {**PROGRAMME, "key": key}),
        (f"/programmes/{key}/themes/new", {"code": "Z", "title": "Z"}),
        (f"/programmes/{key}/themes/{code}/edit", {"code": code, "title": "Taken over"}),
        (f"/programmes/{key}/context-factors/new", {"title": "Weather"}),
        (f"/programmes/{key}/deliverable-templates/new", template_form()),
    ]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, data=data).status_code == 403, url
    assert client.get(f"/programmes/{key}").status_code == 403
    session.expire_all()
    assert scheme["theme"].title != "Taken over"
    after = count(session, Programme), count(session, Theme), count(session, DeliverableTemplate)
    assert after == before
    assert "Set up the programme" not in page_text(client.get(f"/catalogue/{key}"))


def add_template(client, key, **changes):
    response = client.post(
        f"/programmes/{key}/deliverable-templates/new", data=template_form(**changes)
    )
    assert response.status_code == 302, page_text(response)


def pair_cities(client, theme, mentor, implementing, starts_on=""):
    response = client.post(
        "/pairs/new",
        data={
            "theme_id": theme.id,
            "mentor_city_id": mentor.id,
            "implementing_city_id": implementing.id,
            "starts_on": starts_on,
        },
    )
    assert response.status_code == 302 and "/sign-in" not in response.location
    return response


def deliverables_of(session, pair) -> list[tuple]:
    return [
        (d.kind, d.title, d.due_on, d.responsible_organisation.name)
        for d in session.execute(
            sa.select(Deliverable)
            .where(Deliverable.pair_id == pair.id)
            .order_by(Deliverable.due_on)
        ).scalars()
    ]


def test_a_new_pair_owes_the_deliverables_of_its_programmes_templates(
    today, coordinator_client, make, session
):
    theme = make.theme(code="B")  # facilitated by MigrationWork in the bundled catalogue
    key = theme.programme.key
    network = make.network("Eurocities")
    gdansk, riga, lodz, munchen = (
        make.city("Gdańsk"),
        make.city("Rīga"),
        make.city("Łódź"),
        make.city("München"),
    )
    earlier = make.pair(theme, mentor=gdansk, implementing=riga)
    add_template(coordinator_client, key)
    add_template(
        coordinator_client,
        key,
        kind="infographic",
        title="Infographic",
        months_after_start="1",
        responsible="expert_organisation",
    )
    add_template(
        coordinator_client,
        key,
        kind="event",
        title="Peer-learning event",
        months_after_start="12",
        responsible="organisation",
        responsible_organisation_id=str(network.id),
    )

    pair_cities(coordinator_client, theme, munchen, lodz, starts_on="2027-01-31")
    pair = session.execute(sa.select(Pair).where(Pair.implementing_city_id == lodz.id)).scalar_one()
    expert = theme.expert_organisation.name
    assert deliverables_of(session, pair) == [
        (DeliverableKind.INFOGRAPHIC, "Infographic: B · München → Łódź", date(2027, 2, 28), expert),
        (
            DeliverableKind.ACTION_PLAN,
            "Local action plan: B · München → Łódź",
            date(2027, 7, 31),
            "Łódź",
        ),
        (
            DeliverableKind.EVENT,
            "Peer-learning event: B · München → Łódź",
            date(2028, 1, 31),
            "Eurocities",
        ),
    ]
    assert deliverables_of(session, earlier) == []  # paired before the templates: untouched
    assert len(audited(session, "deliverable.created")) == 3
    page = page_text(coordinator_client.get(f"/pairs/{pair.id}"))
    assert "Local action plan: B · München → Łódź" in page

    # Without a start date, the months count from the day the pair is created (2 March 2026).
    pair_cities(coordinator_client, theme, riga, munchen)
    undated = session.execute(
        sa.select(Pair).where(Pair.implementing_city_id == munchen.id)
    ).scalar_one()
    assert [row[2] for row in deliverables_of(session, undated)] == [
        date(2026, 4, 2),
        date(2026, 9, 2),
        date(2027, 3, 2),
    ]


def edit_pair(client, pair, starts_on):
    response = client.post(
        f"/pairs/{pair.id}/edit",
        data={
            "theme_id": pair.theme_id,
            "mentor_city_id": pair.mentor_city_id,
            "implementing_city_id": pair.implementing_city_id,
            "starts_on": starts_on,
        },
    )
    assert response.status_code == 302 and "/sign-in" not in response.location


def test_planned_deliverables_move_with_the_pairs_start_unless_changed_by_hand(
    today, coordinator_client, make, session
):
    theme = make.theme(code="A")
    key = theme.programme.key
    add_template(coordinator_client, key)  # 6 months, the implementing city
    add_template(
        coordinator_client, key, kind="infographic", title="Infographic", months_after_start="12"
    )
    add_template(coordinator_client, key, kind="video", title="Video", months_after_start="9")
    mentor, implementing = make.city("Gdańsk"), make.city("Rīga")
    pair_cities(coordinator_client, theme, mentor, implementing)  # no start date yet
    pair = session.execute(sa.select(Pair).where(Pair.mentor_city_id == mentor.id)).scalar_one()
    owed = {
        d.kind: d
        for d in session.execute(
            sa.select(Deliverable).where(Deliverable.pair_id == pair.id)
        ).scalars()
    }
    assert owed[DeliverableKind.ACTION_PLAN].due_on == date(2026, 9, 2)  # from today, 2 March
    owed[DeliverableKind.VIDEO].due_on = date(2027, 1, 15)  # changed by hand
    owed[DeliverableKind.INFOGRAPHIC].status = DeliverableStatus.IN_PROGRESS  # under way
    session.flush()

    edit_pair(coordinator_client, pair, "2026-05-31")
    session.expire_all()
    assert deliverables_of(session, pair) == [
        (
            DeliverableKind.ACTION_PLAN,
            "Local action plan: A · Gdańsk → Rīga",
            date(2026, 11, 30),
            "Rīga",
        ),
        (DeliverableKind.VIDEO, "Video: A · Gdańsk → Rīga", date(2027, 1, 15), "Rīga"),
        (DeliverableKind.INFOGRAPHIC, "Infographic: A · Gdańsk → Rīga", date(2027, 3, 2), "Rīga"),
    ]
    assert audited(session, "deliverable.updated") == [
        "Moved 'Local action plan: A · Gdańsk → Rīga' from 2 Sep 2026 to 30 Nov 2026 with the pair's start"
    ]
    edit_pair(coordinator_client, pair, "2026-06-30")  # moves on from the date it last moved to
    session.expire_all()
    assert deliverables_of(session, pair)[0][2] == date(2026, 12, 30)
    assert len(deliverables_of(session, pair)) == 3  # editing a pair creates nothing again


@pytest.mark.parametrize(
    ("url", "data", "field", "message"),
    [
        ("/programmes/new", {"name": "  "}, "name", "Give the programme a name."),
        (
            "/programmes/new",
            {"key": "cities-grow"},
            "key",
            "Another programme already has the key cities-grow.",
        ),
        ("/programmes/new", {"key": "Cities Grow!"}, "key", "small letters, digits and hyphens"),
        ("/programmes/new", {"key": "new"}, "key", "choose another key"),
        ("/programmes/new", {"primary_colour": "red"}, "primary_colour", "six hexadecimal digits"),
        ("/programmes/new", {"accent_colour": "#12345"}, "accent_colour", "six hexadecimal digits"),
        (
            "/programmes/new",
            {"highlight_colour": "#gggggg"},
            "highlight_colour",
            "six hexadecimal digits",
        ),
        (
            "/programmes/new",
            {"period_start": "2028-01-01", "period_end": "2027-12-31"},
            "period_end",
            "The period ends before it starts.",
        ),
        (
            "/programmes/cities-grow/edit",
            {"key": "other-programme"},
            "key",
            "Another programme already has the key other-programme.",
        ),
    ],
)
def test_bad_programmes_are_refused_beside_the_field(
    coordinator_client, make, session, url, data, field, message
):
    session.add(Programme(key="other-programme", name="Other"))
    session.flush()
    before = session.execute(sa.select(Programme.key, Programme.name).order_by(Programme.key)).all()
    form = {**PROGRAMME, "key": "cities-grow" if "edit" in url else PROGRAMME["key"], **data}
    response = coordinator_client.post(url, data=form)
    assert response.status_code == 200
    assert message in form_errors(response).fields[field]
    session.expire_all()
    after = session.execute(sa.select(Programme.key, Programme.name).order_by(Programme.key)).all()
    assert after == before
    assert not audited(session, "programme.created") and not audited(session, "programme.updated")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": ""}, "title", "Give the theme a title."),
        ({"code": "b"}, "code", "already has a theme B"),
        ({"code": "B-2"}, "code", "up to 10 letters or digits"),
        ({"expert_organisation_id": "city"}, "expert_organisation_id", "Choose an expert partner"),
        (
            {"expert_organisation_id": "999999"},
            "expert_organisation_id",
            "Choose an expert partner",
        ),
    ],
)
def test_bad_themes_are_refused_beside_the_field(
    coordinator_client, make, session, data, field, message
):
    city = make.city("Gdańsk")
    if data.get("expert_organisation_id") == "city":
        data = {**data, "expert_organisation_id": str(city.id)}
    before = count(session, Theme)
    response = coordinator_client.post(
        "/programmes/cities-grow/themes/new", data={"code": "E", "title": "Health", **data}
    )
    assert response.status_code == 200
    assert message in form_errors(response).fields[field]
    assert count(session, Theme) == before
    assert not audited(session, "theme.created")


def test_a_theme_cannot_take_the_code_of_another_in_its_programme(
    coordinator_client, make, session
):
    response = coordinator_client.post(
        "/programmes/cities-grow/themes/A/edit", data={"code": "C", "title": "Renamed"}
    )
    assert "already has a theme C" in form_errors(response).fields["code"]
    session.expire_all()
    assert make.theme(code="A").title != "Renamed"


def test_a_context_factor_needs_a_title(coordinator_client, session):
    before = count(session, ContextFactor)
    response = coordinator_client.post(
        "/programmes/cities-grow/context-factors/new", data={"title": " ", "description": "x"}
    )
    assert "Give the context factor a title." in form_errors(response).fields["title"]
    assert count(session, ContextFactor) == before


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"months_after_start": "0"}, "months_after_start", "whole number from 1 to 120"),
        ({"months_after_start": "-3"}, "months_after_start", "whole number from 1 to 120"),
        ({"months_after_start": "2.5"}, "months_after_start", "whole number from 1 to 120"),
        ({"months_after_start": "six"}, "months_after_start", "whole number from 1 to 120"),
        ({"months_after_start": "121"}, "months_after_start", "whole number from 1 to 120"),
        ({"months_after_start": ""}, "months_after_start", "Give the number of months."),
        ({"title": ""}, "title", "Give the deliverable a title."),
        ({"responsible": "organisation"}, "responsible_organisation_id", "Choose the organisation"),
    ],
)
def test_bad_deliverable_templates_are_refused_beside_the_field(
    coordinator_client, session, data, field, message
):
    response = coordinator_client.post(
        "/programmes/cities-grow/deliverable-templates/new", data=template_form(**data)
    )
    assert response.status_code == 200
    assert message in form_errors(response).fields[field]
    assert count(session, DeliverableTemplate) == 0


def test_the_infographic_takes_the_programmes_colours_and_the_networks_for_the_rest(app, session):
    programme = Programme(key="p", name="P", primary_colour="#7a1f5c", accent_colour=None)
    with app.test_request_context():
        colours = network_colours(programme)
        configured = network_colours()
    assert colours.primary == "#7a1f5c"
    assert (colours.accent, colours.highlight) == (configured.accent, configured.highlight)
    assert configured.primary == app.config["INFOGRAPHIC_PRIMARY"].lower() != "#7a1f5c"


@pytest.mark.parametrize(
    ("start", "months", "due"),
    [
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2027, 11, 15), 2, date(2028, 1, 15)),
        (date(2027, 3, 1), 24, date(2029, 3, 1)),
    ],
)
def test_months_are_added_as_calendar_months(start, months, due):
    assert add_months(start, months) == due


def test_the_infographic_of_a_pair_is_drawn_in_its_programmes_colours(
    client, login_as, scheme, session
):
    login_as(scheme["coordinator"])
    pair, programme = scheme["pair"], scheme["theme"].programme
    svg = client.get(f"/pairs/{pair.id}/infographic.svg").get_data(as_text=True)
    assert 'fill="#1d4e89"' in svg and "#7a1f5c" not in svg  # the network's primary colour
    response = client.post(
        f"/programmes/{programme.key}/edit",
        data={"key": programme.key, "name": programme.name, "primary_colour": "#7A1F5C"},
    )
    assert response.status_code == 302
    svg = client.get(f"/pairs/{pair.id}/infographic.svg").get_data(as_text=True)
    assert 'fill="#7a1f5c"' in svg and 'fill="#1d4e89"' not in svg
