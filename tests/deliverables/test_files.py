"""Files and links: checked by content, size-limited, stored under generated names, served only
to those who may see the deliverable, old versions kept."""

import io
import os

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from tests.helpers import page_text
from tracker.deliverables.models import DeliverableFile, DeliverableLink

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'


def xlsx_bytes():
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


@pytest.fixture
def deliverable(make, scheme):
    return make.deliverable(scheme["pair"].implementing_city, scheme["pair"], title="Riga's plan")


def upload(client, deliverable, data, name, **extra):
    return client.post(
        f"/deliverables/{deliverable.id}/files",
        data={"file": (io.BytesIO(data), name), **extra},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def download(client, file_id):
    """Fetch a stored file and close the streamed response (send_file keeps it open)."""
    response = client.get(f"/deliverables/files/{file_id}")
    response.get_data()
    response.close()
    return response


def files(session):
    return session.execute(sa.select(DeliverableFile).order_by(DeliverableFile.id)).scalars().all()


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (PDF, "plan.pdf", "application/pdf"),
        (PNG, "photo.png", "image/png"),
        (SVG, "logo.svg", "image/svg+xml"),
        (
            xlsx_bytes(),
            "figures.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_accepted_kinds_are_stored_under_generated_names(
    app, client, login_as, scheme, session, deliverable, data, name, content_type
):
    login_as(scheme["implementer"])
    response = upload(client, deliverable, data, name)
    assert "The file is attached." in page_text(response)
    (stored,) = files(session)
    assert stored.content_type == content_type and stored.original_name == name
    assert name not in stored.stored_name and stored.size_bytes == len(data)
    path = os.path.join(app.config["UPLOAD_DIR"], stored.stored_name[:2], stored.stored_name)
    with open(path, "rb") as stored_file:
        assert stored_file.read() == data
    assert not path.startswith(os.path.abspath("static"))


HOSTILE = [
    (b"#!/bin/sh\nrm -rf /\n", "invoice.pdf", "not accepted"),
    (b"<html><script>alert(1)</script></html>", "cat.png", "not accepted"),
    (
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "logo.svg",
        "contains a script",
    ),
    (
        b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><rect/></a></svg>',
        "a.svg",
        "contains a script",
    ),
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "b.svg", "contains a script"),
    (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
        "xxe.svg",
        "not accepted",
    ),
    (b"", "empty.pdf", "The file is empty."),
]


@pytest.mark.parametrize(("data", "name", "message"), HOSTILE)
def test_hostile_uploads_are_refused_and_nothing_changes(
    app, client, login_as, scheme, session, deliverable, data, name, message
):
    login_as(scheme["implementer"])
    before = (
        sorted(os.listdir(app.config["UPLOAD_DIR"]))
        if os.path.isdir(app.config["UPLOAD_DIR"])
        else []
    )
    response = upload(client, deliverable, data, name)
    assert message in page_text(response)
    assert files(session) == []
    after = (
        sorted(os.listdir(app.config["UPLOAD_DIR"]))
        if os.path.isdir(app.config["UPLOAD_DIR"])
        else []
    )
    assert after == before


def test_a_file_over_the_limit_is_refused(
    app, client, login_as, scheme, session, deliverable, monkeypatch
):
    monkeypatch.setitem(app.config, "MAX_UPLOAD_MB", 1)
    login_as(scheme["implementer"])
    response = upload(client, deliverable, PDF + b"0" * (1024 * 1024), "big.pdf")
    assert "larger than 1 MB" in page_text(response)
    assert files(session) == []


def test_a_request_over_the_server_limit_gets_a_clear_page(
    app, client, login_as, scheme, deliverable, monkeypatch
):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
    login_as(scheme["implementer"])
    response = client.post(
        f"/deliverables/{deliverable.id}/files",
        data={"file": (io.BytesIO(PDF + b"0" * 4096), "big.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413 and "File too large" in page_text(response)


def test_a_path_traversal_name_is_defused(client, login_as, scheme, session, deliverable):
    login_as(scheme["implementer"])
    upload(client, deliverable, PDF, "../../../etc/passwd.pdf")
    (stored,) = files(session)
    assert "/" not in stored.original_name and ".." not in stored.original_name
    assert stored.original_name == "passwd.pdf"


def test_content_decides_the_type_not_the_name(client, login_as, scheme, session, deliverable):
    login_as(scheme["implementer"])
    upload(client, deliverable, PDF, "looks-like.png")
    (stored,) = files(session)
    assert stored.content_type == "application/pdf" and stored.original_name == "looks-like.pdf"


def test_downloads_are_for_those_who_may_see_the_deliverable(
    client, login_as, scheme, session, deliverable
):
    login_as(scheme["implementer"])
    upload(client, deliverable, SVG, "logo.svg")
    (stored,) = files(session)
    login_as(scheme["mentor"])
    response = download(client, stored.id)
    assert response.status_code == 200 and response.data == SVG
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    for who in ("outsider", "other_expert"):
        login_as(scheme[who])
        assert download(client, stored.id).status_code == 404


def test_a_pdf_is_downloaded_unless_its_viewer_link_asks(
    client, login_as, scheme, session, deliverable
):
    login_as(scheme["implementer"])
    upload(client, deliverable, PDF, "plan.pdf")
    (stored,) = files(session)
    assert download(client, stored.id).headers["Content-Disposition"].startswith("attachment")
    viewed = client.get(f"/deliverables/files/{stored.id}?view=1")
    viewed.close()
    assert viewed.headers["Content-Disposition"].startswith("inline")
    assert "sandbox" in viewed.headers["Content-Security-Policy"]


def test_replacing_a_file_keeps_the_old_version(client, login_as, scheme, session, deliverable):
    login_as(scheme["implementer"])
    upload(client, deliverable, PDF, "plan-v1.pdf")
    (first,) = files(session)
    upload(client, deliverable, PDF + b"% v2\n", "plan-v2.pdf", replaces_id=first.id)
    old, new = files(session)
    session.refresh(old)
    assert old.replaced_at is not None and new.replaces_id == old.id and new.replaced_at is None
    page = page_text(client.get(f"/deliverables/{deliverable.id}"))
    assert "plan-v2.pdf" in page and "1 older version" in page
    assert download(client, old.id).status_code == 200


@pytest.mark.parametrize("who", ["mentor", "expert"])
def test_only_the_responsible_organisation_uploads(
    client, login_as, scheme, session, deliverable, who
):
    login_as(scheme[who])
    response = client.post(
        f"/deliverables/{deliverable.id}/files",
        data={"file": (io.BytesIO(PDF), "x.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 403
    assert files(session) == []


def test_links_must_be_web_addresses(client, login_as, scheme, session, deliverable):
    login_as(scheme["implementer"])
    client.post(f"/deliverables/{deliverable.id}/links", data={"url": "javascript:alert(1)"})
    client.post(
        f"/deliverables/{deliverable.id}/links",
        data={"url": "https://video.example/riga", "label": "Film"},
    )
    links = session.execute(sa.select(DeliverableLink.url)).scalars().all()
    assert links == ["https://video.example/riga"]
