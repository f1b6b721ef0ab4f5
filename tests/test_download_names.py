"""The names files are sent under (tracker/downloads.py): as written, with their ASCII form for
old clients, and nothing that could break the header or name a folder. tests/test_downloads.py
downloads every file of the app with such names."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import unquote

import pytest

from tracker.deliverables.models import DeliverableFile, DeliverableKind
from tracker.downloads import ascii_filename, clean_filename, content_disposition
from tracker.files.store import file_store
from tracker.plans.models import PlanStatus
from tracker.visits.models import VisitStatus

ODD_NAME = 'Gdańsk "Centrum" Łódź'
DISPOSITION = re.compile(
    r'^(attachment|inline); filename="([^"\\\x00-\x1f]*)"; filename\*=UTF-8\'\'([A-Za-z0-9%._~-]+)$'
)


def names_in(response) -> tuple[str, str, str]:
    """(disposition, ASCII name, UTF-8 name) of a response, checking the header's form."""
    response.close()  # a stored file is streamed from an open file
    assert response.status_code == 200, response.status_code
    header = response.headers["Content-Disposition"]
    header.encode("latin-1")  # what a WSGI server must be able to send
    match = DISPOSITION.match(header)
    assert match, header
    return match.group(1), match.group(2), unquote(match.group(3))


@pytest.fixture
def odd(make, scheme, session, app):
    """The scheme's pair with an implementing city, a plan, a held visit and a file named oddly."""
    pair = scheme["pair"]
    pair.implementing_city.name = ODD_NAME
    make.action(make.plan(pair, status=PlanStatus.IN_IMPLEMENTATION))
    visit = make.visit(pair, status=VisitStatus.HELD, starts_on=date(2026, 2, 20))
    deliverable = make.deliverable(
        pair.implementing_city, pair=pair, kind=DeliverableKind.ACTION_PLAN
    )
    stored = DeliverableFile(
        deliverable=deliverable,
        original_name=f"{ODD_NAME}.pdf",
        stored_name="cd" + "1" * 30 + ".pdf",
        content_type="application/pdf",
        size_bytes=8,
        sha256="1" * 64,
    )
    file_store().save(stored.stored_name, b"%PDF-1.4")
    session.add(stored)
    session.flush()
    return {"pair": pair, "file": stored, "visit": visit}


def test_an_infographic_of_lodz_downloads_and_shows(client, login_as, scheme, odd):
    login_as(scheme["mentor"])
    url = f"/pairs/{odd['pair'].id}/infographic.pdf"
    disposition, plain, full = names_in(client.get(url, query_string={"download": 1}))
    assert disposition == "attachment"
    assert full == 'infographic-cities-grow-B-Helsinki-Gdańsk-"Centrum"-Łódź-a4.pdf'
    assert plain == "infographic-cities-grow-B-Helsinki-Gdansk-'Centrum'-Lodz-a4.pdf"
    assert names_in(client.get(url))[0] == "inline"


def test_a_deliverable_file_keeps_its_name(client, login_as, scheme, odd):
    login_as(scheme["implementer"])
    disposition, plain, full = names_in(client.get(f"/deliverables/files/{odd['file'].id}"))
    assert (disposition, full, plain) == (
        "attachment",  # a PDF opens in the browser only from the viewer link
        f"{ODD_NAME}.pdf",
        "Gdansk 'Centrum' Lodz.pdf",
    )


@pytest.mark.parametrize(
    ("given", "clean", "plain"),
    [
        ("Rīga plan.pdf", "Rīga plan.pdf", "Riga plan.pdf"),
        ("München\r\nBcc: x@example.org.pdf", "München-Bcc- x@example.org.pdf", None),
        ("../../etc/passwd", "etc-passwd", "etc-passwd"),
        ("نقشه.pdf", "نقشه.pdf", "download.pdf"),
        ("", "download", "download"),
    ],
)
def test_file_names_lose_what_could_break_a_header_or_a_folder(given, clean, plain):
    assert clean_filename(given) == clean
    if plain is not None:
        assert ascii_filename(clean_filename(given)) == plain
    header = content_disposition(given)
    header.encode("latin-1")
    assert "\r" not in header and "\n" not in header and "/" not in header.split("filename*")[0]
