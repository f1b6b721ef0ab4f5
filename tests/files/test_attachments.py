"""Evidence files on progress updates and visit reports: stored and served like a deliverable's
files, listed on the action and the visit, going with what they belong to, in backups' uploads
and in the personal-data download."""

from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa

from tests.helpers import page_text
from tracker.bin.models import BinEntry
from tracker.files.models import Attachment
from tracker.files.store import file_store
from tracker.plans.models import ActionStatus, PlanStatus, ProgressUpdate
from tracker.visits.models import VisitStatus

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
    b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe"
    b"\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def action(make, scheme):
    plan = make.plan(scheme["pair"], status=PlanStatus.IN_IMPLEMENTATION)
    return make.action(plan, title="Job fair in Łódź")


@pytest.fixture
def reported(make, scheme):
    visit = make.visit(scheme["pair"], status=VisitStatus.HELD, starts_on=date(2026, 2, 20))
    make.report(visit, author=scheme["expert"])
    visit.status = VisitStatus.REPORTED
    return visit


def attachments(session) -> list[Attachment]:
    return session.execute(sa.select(Attachment).order_by(Attachment.id)).scalars().all()


def test_a_progress_update_carries_its_minutes_and_photos(
    client, login_as, scheme, session, action
):
    login_as(scheme["implementer"])
    response = client.post(
        f"/actions/{action.id}",
        data={
            "status": "on_track",
            "progress": "30",
            "note": "Forty employers came.",
            "files": [
                (io.BytesIO(PDF), "Protokół z targów.pdf"),
                (io.BytesIO(PNG), "photo.png"),
            ],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    update = session.execute(sa.select(ProgressUpdate)).scalar_one()
    minutes, photo = attachments(session)
    assert (minutes.progress_update_id, minutes.original_name, minutes.content_type) == (
        update.id,
        "Protokół z targów.pdf",
        "application/pdf",
    )
    assert file_store().read(minutes.stored_name) == PDF
    page = client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert f"/attachments/{minutes.id}" in page and "Protokół z targów.pdf" in page
    download = client.get(f"/attachments/{minutes.id}")
    assert download.data == PDF and download.headers["Content-Disposition"].startswith(
        "attachment;"
    )
    download.close()
    shown = client.get(f"/attachments/{photo.id}")
    assert shown.headers["Content-Disposition"].startswith("inline;")
    shown.close()


def test_a_file_that_is_not_accepted_refuses_the_whole_update(
    client, login_as, scheme, session, action
):
    login_as(scheme["implementer"])
    response = client.post(
        f"/actions/{action.id}",
        data={
            "status": "on_track",
            "progress": "30",
            "files": [(io.BytesIO(PDF), "ok.pdf"), (io.BytesIO(b"MZ\x90\x00"), "tool.exe")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "tool.exe: This kind of file is not accepted." in page_text(response)
    assert session.execute(sa.select(ProgressUpdate)).first() is None
    assert attachments(session) == []


def test_files_are_attached_to_a_visit_report_and_removed_from_it(
    client, login_as, scheme, session, reported
):
    login_as(scheme["expert"])
    response = client.post(
        f"/visits/{reported.id}/attachments",
        data={"files": [(io.BytesIO(PDF), "Slides Rīga.pdf")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    (slides,) = attachments(session)
    assert slides.visit_report_id == reported.report.id
    assert "Slides Rīga.pdf" in page_text(client.get(f"/visits/{reported.id}"))
    client.post(f"/attachments/{slides.id}/remove")
    assert attachments(session) == []
    assert not file_store().exists(slides.stored_name)
    login_as(scheme["mentor"])  # the cities read the report, and do not change it
    assert client.post(f"/visits/{reported.id}/attachments", data={}).status_code == 403


def test_files_go_with_their_progress_update_and_come_back_with_it(
    client, login_as, scheme, session, action
):
    login_as(scheme["implementer"])
    client.post(
        f"/actions/{action.id}",
        data={"status": "on_track", "progress": "10", "files": [(io.BytesIO(PDF), "a.pdf")]},
        content_type="multipart/form-data",
    )
    update = session.execute(sa.select(ProgressUpdate)).scalar_one()
    name = attachments(session)[0].stored_name
    client.post(f"/progress/{update.id}/delete")
    assert attachments(session) == [] and file_store().exists(name)  # in the bin, file kept
    login_as(scheme["coordinator"])
    entry = session.execute(sa.select(BinEntry)).scalar_one()
    assert entry.contents["files"] == [name]
    client.post(f"/bin/{entry.id}/restore")
    session.expire_all()
    (back,) = attachments(session)
    assert back.original_name == "a.pdf" and action.status is ActionStatus.ON_TRACK


def test_the_people_who_uploaded_find_their_files_in_their_data(
    client, login_as, scheme, session, action
):
    login_as(scheme["implementer"])
    client.post(
        f"/actions/{action.id}",
        data={"status": "on_track", "progress": "5", "files": [(io.BytesIO(PDF), "Gdańsk.pdf")]},
        content_type="multipart/form-data",
    )
    data = client.get("/account/data.json").get_json()
    assert [item["original_name"] for item in data["files_attached"]] == ["Gdańsk.pdf"]
