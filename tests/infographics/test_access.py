"""Who sees the infographic, and attaching it to the pair's infographic deliverable."""

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from tests.helpers import QueryCounter, page_text
from tests.infographics import known_scheme
from tracker.audit.models import AuditEntry
from tracker.deliverables.models import DeliverableFile, DeliverableKind, DeliverableStatus
from tracker.deliverables.service import add_file
from tracker.plans.queries import plan_for_pair
from tracker.visits.models import VisitKind

PAGES = ["/pairs/{id}/infographic", "/pairs/{id}/infographic.svg", "/pairs/{id}/infographic.pdf"]
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def known(make, session, scheme):
    return known_scheme(make, session, scheme)


@pytest.fixture
def infographic(make, scheme):
    """The pair's infographic deliverable; the network is responsible for it."""
    return make.deliverable(
        make.network(), scheme["pair"], kind=DeliverableKind.INFOGRAPHIC, title="Infographic"
    )


def files(session, deliverable):
    return (
        session.execute(
            sa.select(DeliverableFile)
            .where(DeliverableFile.deliverable_id == deliverable.id)
            .order_by(DeliverableFile.id)
        )
        .scalars()
        .all()
    )


@pytest.mark.parametrize("who", ["coordinator", "implementer", "mentor", "expert"])
@pytest.mark.parametrize("page", PAGES)
def test_everyone_who_sees_the_pair_sees_its_infographic(client, login_as, scheme, who, page):
    login_as(scheme[who])
    assert client.get(page.format(id=scheme["pair"].id)).status_code == 200


@pytest.mark.parametrize("who", ["outsider", "other_expert"])
@pytest.mark.parametrize("page", PAGES)
def test_others_do_not_find_it(client, login_as, scheme, who, page):
    login_as(scheme[who])
    assert client.get(page.format(id=scheme["pair"].id)).status_code == 404


def test_signing_in_is_needed(client, scheme):
    response = client.get(f"/pairs/{scheme['pair'].id}/infographic.svg")
    assert response.status_code == 302 and "/sign-in" in response.location


def test_the_page_shows_the_preview_downloads_and_the_attach_button(
    client, login_as, scheme, infographic
):
    login_as(scheme["coordinator"])
    pair_id = scheme["pair"].id
    response = client.get(f"/pairs/{pair_id}/infographic?size=a3")
    html = response.get_data(as_text=True)
    assert f'src="/pairs/{pair_id}/infographic.svg?size=a3"' in html
    for kind in ("pdf", "png", "svg"):
        assert f"/pairs/{pair_id}/infographic.{kind}?size=a3&amp;download=1" in html
    assert f'action="/pairs/{pair_id}/infographic/attach"' in html
    assert "style=" not in html and "<script>" not in html
    text = page_text(response)
    assert "Attach the PDF to the deliverable" in text
    assert "Visits held: 0 of 0." in text  # the text alternative


def test_who_may_not_attach_is_told_who_may(client, login_as, scheme, infographic):
    login_as(scheme["mentor"])
    text = page_text(client.get(f"/pairs/{scheme['pair'].id}/infographic"))
    assert "Attach the PDF" not in text
    assert f"Members of {infographic.responsible_organisation.name}" in text


def test_without_an_infographic_deliverable_the_page_says_so(client, login_as, scheme):
    login_as(scheme["coordinator"])
    text = page_text(client.get(f"/pairs/{scheme['pair'].id}/infographic"))
    assert "no infographic deliverable in the register yet" in text
    assert "Register the infographic deliverable" in text


def test_a_coordinator_attaches_the_pdf_and_a_second_time_replaces_it(
    client, login_as, session, known, infographic
):
    login_as(known["coordinator"])
    url = f"/pairs/{known['pair'].id}/infographic/attach"
    response = client.post(url)
    assert response.status_code == 302
    assert response.location == f"/deliverables/{infographic.id}#files"
    (first,) = files(session, infographic)
    assert first.content_type == "application/pdf"
    assert first.original_name == "generated-infographic-cities-grow-B-Helsinki-Riga-a4.pdf"
    assert first.size_bytes > 1000 and first.replaced_at is None

    client.post(url)
    session.expire_all()
    older, newer = files(session, infographic)
    assert older.id == first.id and older.replaced_at is not None
    assert newer.replaces_id == older.id and newer.replaced_at is None
    actions = session.execute(
        sa.select(AuditEntry.action).where(
            AuditEntry.subject_type == "Deliverable", AuditEntry.subject_id == infographic.id
        )
    ).scalars()
    assert list(actions) == ["deliverable.file_added", "deliverable.file_added"]


def test_attaching_never_replaces_a_file_uploaded_by_hand(
    client, login_as, session, scheme, infographic
):
    designed = add_file(scheme["coordinator"], infographic, "designed.pdf", PDF_BYTES)
    login_as(scheme["coordinator"])
    client.post(f"/pairs/{scheme['pair'].id}/infographic/attach")
    session.expire_all()
    assert [(f.id == designed.id, f.is_current) for f in files(session, infographic)] == [
        (True, True),
        (False, True),
    ]


def test_members_of_the_responsible_organisation_attach_it(client, login_as, make, session, scheme):
    deliverable = make.deliverable(
        scheme["pair"].implementing_city, scheme["pair"], kind=DeliverableKind.INFOGRAPHIC
    )
    login_as(scheme["implementer"])
    response = client.post(f"/pairs/{scheme['pair'].id}/infographic/attach")
    assert response.location == f"/deliverables/{deliverable.id}#files"
    assert len(files(session, deliverable)) == 1


@pytest.mark.parametrize("who", ["mentor", "expert", "implementer"])
def test_others_who_see_the_pair_may_not_attach(
    client, login_as, session, scheme, infographic, who
):
    login_as(scheme[who])
    assert client.post(f"/pairs/{scheme['pair'].id}/infographic/attach").status_code == 403
    assert files(session, infographic) == []


def test_another_city_cannot_attach(client, login_as, session, scheme, infographic):
    login_as(scheme["outsider"])
    assert client.post(f"/pairs/{scheme['pair'].id}/infographic/attach").status_code == 404
    assert files(session, infographic) == []


def test_without_an_infographic_deliverable_attaching_explains_why(
    client, login_as, make, session, scheme
):
    other = make.deliverable(make.network(), scheme["pair"], kind=DeliverableKind.VIDEO)
    login_as(scheme["coordinator"])
    response = client.post(f"/pairs/{scheme['pair'].id}/infographic/attach", follow_redirects=True)
    assert "has no infographic deliverable yet" in page_text(response)
    assert files(session, other) == []


def test_the_page_loads_in_a_fixed_number_of_queries(client, login_as, make, known, infographic):
    login_as(known["coordinator"])
    pair = known["pair"]
    url = f"/pairs/{pair.id}/infographic"
    with QueryCounter() as few:
        assert client.get(url).status_code == 200
    plan = plan_for_pair(pair)
    for number in range(10):
        visit = make.visit(pair, VisitKind.ONLINE, starts_on=date(2026, 2, number + 1))
        make.report(visit, recommendations=3)
        make.action(plan, known["theme"].factors[number : number + 2])
    with QueryCounter() as many:
        assert client.get(url).status_code == 200
    assert few.count == many.count, (few.statements, many.statements)


def test_an_approved_infographic_keeps_its_files(client, login_as, session, scheme, infographic):
    infographic.status = DeliverableStatus.APPROVED
    infographic.approved_at = datetime(2026, 2, 1, tzinfo=UTC)
    session.flush()
    login_as(scheme["coordinator"])
    page = page_text(client.get(f"/pairs/{scheme['pair'].id}/infographic"))
    assert "It is approved" in page and "Attach the PDF" not in page
    response = client.post(f"/pairs/{scheme['pair'].id}/infographic/attach", follow_redirects=True)
    assert "already approved" in page_text(response)
    assert files(session, infographic) == []
