"""Coordinators create users and set their organisation and role."""

import sqlalchemy as sa

from tests.helpers import page_text
from tests.signing_in import open_session, sign_in_client
from tracker.audit.models import AuditEntry
from tracker.auth.models import Role, User


def form(organisation, **values):
    return {
        "name": "Anna Ozola",
        "email": "anna@riga.example",
        "role": "city",
        "organisation_id": organisation.id,
        "timezone": "Europe/Riga",
        "password": "a good long password",
        "active": "y",
        **values,
    }


def test_a_coordinator_creates_a_city_member_who_can_sign_in(app, client, login_as, make, session):
    coordinator = make.coordinator()
    riga = make.city("Riga")
    login_as(coordinator)
    response = client.post("/users/new", data=form(riga))
    assert response.status_code == 302
    user = session.execute(sa.select(User).where(User.email == "anna@riga.example")).scalar_one()
    assert (user.role, user.organisation_id, user.timezone) == (Role.CITY, riga.id, "Europe/Riga")
    audit = session.execute(
        sa.select(AuditEntry).where(AuditEntry.subject_id == user.id)
    ).scalar_one()
    assert audit.action == "user.created" and audit.actor_id == coordinator.id

    newcomer = app.test_client()
    signed_in = newcomer.post(
        "/sign-in", data={"email": "anna@riga.example", "password": "a good long password"}
    )
    assert signed_in.status_code == 302


def test_a_role_must_match_the_kind_of_organisation(client, login_as, make, session):
    login_as(make.coordinator())
    response = client.post("/users/new", data=form(make.city(), role="expert"))
    assert response.status_code == 200
    assert "matching kind" in page_text(response)
    assert session.execute(sa.select(User).where(User.email == "anna@riga.example")).first() is None


def test_an_email_address_is_used_by_one_account_only(client, login_as, make):
    login_as(make.coordinator())
    make.city_member(email="anna@riga.example")
    response = client.post("/users/new", data=form(make.city(), email="ANNA@riga.example"))
    assert "Another account already uses this email address." in page_text(response)


def test_a_short_password_is_refused(client, login_as, make):
    login_as(make.coordinator())
    response = client.post("/users/new", data=form(make.city(), password="short"))
    assert "at least 10 characters" in page_text(response).lower() or "between" in page_text(
        response
    )


def test_changing_a_users_role_signs_them_out(app, client, login_as, make, session):
    login_as(make.coordinator())
    member = make.city_member()
    their_device = sign_in_client(app.test_client(), open_session(member))
    assert their_device.get("/").status_code == 200
    expert_org = make.expert_organisation()
    response = client.post(
        f"/users/{member.id}/edit",
        data=form(expert_org, name=member.name, email=member.email, role="expert", password=""),
    )
    assert response.status_code == 302
    assert their_device.get("/").status_code == 302


def test_deactivated_users_are_signed_out(app, client, login_as, make):
    login_as(make.coordinator())
    member = make.city_member()
    their_device = sign_in_client(app.test_client(), open_session(member))
    data = form(member.organisation, name=member.name, email=member.email, password="")
    del data["active"]
    client.post(f"/users/{member.id}/edit", data=data)
    assert their_device.get("/").status_code == 302


def test_the_user_list_shows_every_account(client, login_as, make):
    login_as(make.coordinator())
    make.city_member(name="Someone Findable")
    assert "Someone Findable" in page_text(client.get("/users/"))


def test_a_city_can_be_added_and_must_have_a_country(client, login_as, make):
    login_as(make.coordinator())
    refused = client.post(
        "/organisations/new", data={"name": "Tartu", "kind": "city", "timezone": "Europe/Tallinn"}
    )
    assert "Give the country of the city." in page_text(refused)
    accepted = client.post(
        "/organisations/new",
        data={"name": "Tartu", "kind": "city", "country": "Estonia", "timezone": "Europe/Tallinn"},
    )
    assert accepted.status_code == 302
    assert "Tartu" in page_text(client.get("/organisations/"))
