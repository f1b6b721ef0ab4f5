"""The `flask tracker` commands."""

import sqlalchemy as sa

from tests.helpers import page_text
from tracker.auth.models import Role, User
from tracker.deliverables.models import Deliverable
from tracker.demo import CITIES, DEMO_PASSWORD, PAIRS, USERS
from tracker.organisations.models import Organisation, OrganisationKind
from tracker.pairs.models import Pair


def run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=["tracker", *args], input=input)


def count(session, model, *where):
    return session.execute(sa.select(sa.func.count()).select_from(model).where(*where)).scalar_one()


def test_load_catalogue_twice_changes_nothing(app, session):
    result = run(app, "load-catalogue")
    assert result.exit_code == 0 and "nothing changed" in result.output


def test_load_catalogue_refuses_a_bad_file(app, session, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: tracker-catalogue/1\nprogramme: {key: Bad Key}\n")
    result = run(app, "load-catalogue", str(bad))
    assert result.exit_code != 0 and "slug" in result.output


def test_seed_demo_creates_cities_pairs_and_users_once(app, session):
    result = run(app, "seed-demo")
    assert result.exit_code == 0, result.output
    for demo in USERS:
        assert demo.email in result.output
    assert DEMO_PASSWORD in result.output
    cities = count(session, Organisation, Organisation.kind == OrganisationKind.CITY)
    assert cities == len(CITIES) == 16
    assert count(session, Pair, Pair.is_demo.is_(True)) == len(PAIRS)
    roles = set(session.execute(sa.select(User.role).where(User.is_demo.is_(True))).scalars())
    assert roles == set(Role)
    kinds = dict(
        session.execute(
            sa.select(Deliverable.kind, sa.func.count(Deliverable.id)).group_by(Deliverable.kind)
        ).all()
    )
    assert {kind.value: count for kind, count in kinds.items()} == {
        "action_plan": 8,
        "toolkit": 4,
        "infographic": 8,
        "video": 4,
        "event": 1,
    }

    again = run(app, "seed-demo")
    assert again.exit_code == 0
    assert count(session, Organisation, Organisation.kind == OrganisationKind.CITY) == 16
    assert count(session, Pair) == len(PAIRS)
    assert count(session, User) == len(USERS)
    assert count(session, Deliverable) == 25


def test_each_demo_user_signs_in_and_sees_their_home_and_the_benchmarks(app, session):
    run(app, "seed-demo")
    for demo in USERS:
        client = app.test_client()
        response = client.post("/sign-in", data={"email": demo.email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, demo.email
        home = page_text(client.get("/"))
        assert demo.name in home
        assert "Matching buyers and suppliers" in page_text(client.get("/catalogue/cities-grow"))


def test_the_demo_city_member_sees_their_pair_and_not_others(app, session):
    run(app, "seed-demo")
    client = app.test_client()
    client.post("/sign-in", data={"email": "riga@demo.example", "password": DEMO_PASSWORD})
    home = page_text(client.get("/"))
    assert "Helsinki" in home and "Riga" in home and "Dresden" not in home


def test_create_user_makes_the_first_coordinator(app, session):
    result = run(
        app,
        "create-user",
        "--email",
        "boss@network.example",
        "--name",
        "First Coordinator",
        "--organisation",
        "The Network",
        input="a long enough password\na long enough password\n",
    )
    assert result.exit_code == 0, result.output
    user = session.execute(sa.select(User).where(User.email == "boss@network.example")).scalar_one()
    assert user.role is Role.COORDINATOR
    assert user.organisation.kind is OrganisationKind.NETWORK


def test_create_user_refuses_a_short_password(app, session):
    result = run(
        app,
        "create-user",
        "--email",
        "b@n.example",
        "--name",
        "B",
        "--organisation",
        "N",
        input="short\nshort\n",
    )
    assert result.exit_code != 0
    assert count(session, User, User.email == "b@n.example") == 0


def test_each_demo_user_lands_on_a_dashboard_with_something_needing_attention(app, session):
    run(app, "seed-demo")
    expected = {
        "coordinator@demo.example": "Needs attention",
        "riga@demo.example": "Share a first draft of the action plan",
        "helsinki@demo.example": "Send the mentor city's data collection template",
        "expert@demo.example": "Report overdue",
    }
    for email, attention in expected.items():
        client = app.test_client()
        client.post("/sign-in", data={"email": email, "password": DEMO_PASSWORD})
        assert attention in page_text(client.get("/")), email
