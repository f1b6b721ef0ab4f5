"""Onboarding without a mail server: the invitation again, a set-password link copied and used,
and people and organisations invited from a spreadsheet, all rows or none (issue 18, item 1)."""

import csv
import html
import io
import re

import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from tests.helpers import page_text
from tracker.audit.models import AuditEntry
from tracker.auth.models import Role, User
from tracker.auth.tokens import password_token
from tracker.notifications.models import OutboxEmail
from tracker.organisations.models import Organisation, OrganisationKind

HEADER = ["name", "email", "organisation", "role", "language", "time zone"]


def count(session, model, *where):
    return session.execute(sa.select(sa.func.count()).select_from(model).where(*where)).scalar_one()


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_file(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def upload(client, url, data: bytes, name: str):
    return client.post(
        url, data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def test_a_copied_link_sets_the_password_without_a_mail_server(
    app, client, login_as, make, session, scheme
):
    assert not app.config.get("MAIL_SERVER")
    person = make.city_member(scheme["pair"].implementing_city, name="Līga Bērziņa", password=None)
    with app.test_request_context():
        emailed = password_token(person)  # the link in the invitation email
    login_as(scheme["coordinator"])
    response = client.post(f"/users/{person.id}/password-link", follow_redirects=True)
    assert response.status_code == 200
    link = html.unescape(re.search(r'id="password-link" value="([^"]+)"', response.text).group(1))
    assert link.startswith("http://tracker.test/account/set-password/")
    assert "no longer works" in page_text(response)
    entry = session.execute(
        sa.select(AuditEntry).where(AuditEntry.action == "user.password_link_made")
    ).scalar_one()
    assert entry.actor_id == scheme["coordinator"].id and entry.subject_id == person.id
    assert link.rsplit("/", 1)[1] not in entry.summary + str(entry.details)
    again = client.get(f"/users/{person.id}/password-link")
    assert 'id="password-link"' not in again.text and "shown once and is not kept" in again.text

    stranger = app.test_client()
    assert "no longer works" in page_text(stranger.get(f"/account/set-password/{emailed}"))
    path = link.removeprefix("http://tracker.test")
    secret = "Gdańsk harbour at dawn, 1997"
    response = stranger.post(path, data={"new_password": secret, "confirm_password": secret})
    assert response.status_code == 302
    session.refresh(person)
    assert person.password_hash is not None
    assert "no longer works" in page_text(stranger.get(path))  # once only


def test_the_invitation_can_be_sent_again(client, login_as, make, session, scheme):
    person = make.city_member(scheme["pair"].implementing_city, password=None)
    login_as(scheme["coordinator"])
    response = client.post(f"/users/{person.id}/invitation", follow_redirects=True)
    assert f"The invitation is on its way to {person.email}" in page_text(response)
    assert count(session, OutboxEmail, OutboxEmail.to_address == person.email) == 1
    again = client.post(f"/users/{person.id}/invitation", follow_redirects=True)
    assert "sent a moment ago" in page_text(again)  # a double click sends one email
    assert count(session, OutboxEmail, OutboxEmail.to_address == person.email) == 1
    assert count(session, AuditEntry, AuditEntry.action == "user.invitation_resent") == 1


def test_fifty_people_invited_from_a_workbook(client, login_as, make, session, scheme):
    riga = scheme["pair"].implementing_city
    rows = [HEADER] + [
        (f"Person {n} Ozola", f"person{n}@riga.example", "riga", "city", "en", "Europe/Riga")
        for n in range(1, 50)
    ]
    rows.append(("Jonathan “Jon” Reed", "JON@Example.org", "MigrationWork", "Expert", "", ""))
    login_as(scheme["coordinator"])
    before = count(session, User)
    response = upload(client, "/users/invite", xlsx(rows), "people.xlsx")
    assert response.status_code == 302, page_text(response)
    assert count(session, User) == before + 50
    assert count(session, User, User.organisation_id == riga.id, User.role == Role.CITY) >= 49
    jon = session.execute(sa.select(User).where(User.email == "jon@example.org")).scalar_one()
    assert jon.role is Role.EXPERT and jon.name == "Jonathan “Jon” Reed"
    assert count(session, OutboxEmail, OutboxEmail.to_address.like("person%@riga.example")) == 49


def test_a_file_with_three_bad_rows_creates_nobody_and_names_all_three(
    client, login_as, make, session, scheme
):
    make.city_member(scheme["pair"].implementing_city, email="taken@riga.example")
    rows = [
        HEADER,
        ("Anna Ozola", "anna@riga.example", "Riga", "city", "", ""),
        ("Nobody Known", "nobody@x.example", "Atlantis", "city", "", ""),
        ("Twice", "anna@riga.example", "Riga", "city", "", ""),
        ("Ruler", "ruler@riga.example", "Riga", "mayor", "", ""),
        ("Fine Person", "fine@riga.example", "Riga", "city", "en", "Europe/Riga"),
    ]
    login_as(scheme["coordinator"])
    before = count(session, User)
    response = upload(client, "/users/invite", csv_file(rows), "people.csv")
    text = page_text(response)
    assert response.status_code == 200 and "Nothing was saved" in text
    assert "Row 3: no organisation is called “Atlantis”" in text
    assert "Row 4: the email address is also on row 2" in text
    assert "Row 5: “mayor” is not a role" in text
    assert "Row 2" not in text and "Row 6" not in text
    assert count(session, User) == before
    assert count(session, OutboxEmail) == 0


def test_an_existing_address_and_a_wrong_kind_are_refused(client, login_as, make, scheme):
    make.city_member(scheme["pair"].implementing_city, email="taken@riga.example")
    rows = [
        HEADER,
        ("Again", "Taken@Riga.example", "Riga", "city", "", ""),
        ("Wrong Kind", "wrong@riga.example", "Riga", "expert", "Polski", "Mars/Olympus"),
    ]
    login_as(scheme["coordinator"])
    text = page_text(upload(client, "/users/invite", csv_file(rows), "people.csv"))
    assert "Row 2: another account already uses taken@riga.example" in text
    assert (
        "Row 3: the role “Expert” needs an organisation of the kind “Expert partner”, "
        "and Riga is of the kind “City”" in text
    )
    assert "“Polski” is not a language of the tracker: write en, fr, de" in text
    assert "“Mars/Olympus” is not a time zone" in text


def test_a_file_that_is_not_the_template_is_refused_whole(client, login_as, scheme):
    login_as(scheme["coordinator"])
    text = page_text(
        upload(client, "/users/invite", csv_file([["who", "what"], ["a", "b"]]), "x.csv")
    )
    assert "The first row must name the columns: name, email, organisation" in text


def test_organisations_from_a_spreadsheet(client, login_as, session, scheme):
    header = ["name", "kind", "country", "time zone", "website"]
    login_as(scheme["coordinator"])
    bad = [
        header,
        ("Gdańsk", "city", "Poland", "Europe/Warsaw", ""),
        ("Riga", "city", "Latvia", "Europe/Riga", ""),
        ("Łódź", "", "", "Europe/Warsaw", "ftp://lodz"),
    ]
    text = page_text(upload(client, "/organisations/import", csv_file(bad), "o.csv"))
    assert "Row 3: an organisation is already called “Riga”" in text
    assert "Row 4: a city needs its country; the website must start with https://" in text
    assert count(session, Organisation, Organisation.name == "Gdańsk") == 0
    good = [header, bad[1], ("München", "City", "Germany", "Europe/Berlin", "https://muenchen.de")]
    response = upload(client, "/organisations/import", xlsx(good), "o.xlsx")
    assert response.status_code == 302
    munich = session.execute(
        sa.select(Organisation).where(Organisation.name == "München")
    ).scalar_one()
    assert (munich.kind, munich.country, munich.timezone) == (
        OrganisationKind.CITY,
        "Germany",
        "Europe/Berlin",
    )


def test_the_templates_are_what_the_upload_reads(client, login_as, scheme):
    login_as(scheme["coordinator"])
    book = load_workbook(io.BytesIO(client.get("/users/invite/template.xlsx").data))
    assert [cell.value for cell in book.worksheets[0][1]] == HEADER
    assert len(book.worksheets) == 2  # the notes
    text = client.get("/organisations/import/template.csv").data.decode("utf-8-sig")
    assert text.splitlines()[0] == "name,kind,country,time zone,website"
