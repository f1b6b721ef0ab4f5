"""Catalogue files that would exhaust the loader (issue 15, item 6): too big, nested too deep,
aliases that multiply, numbers too long to read. Each is refused with the reason, through the
command's parser and through the upload page, and nothing is saved."""

import io
import re

import pytest
import sqlalchemy as sa

from tests.helpers import page_text
from tracker.catalogue.loader import CatalogueError, parse
from tracker.catalogue.models import Programme

HEAD = "format: tracker-catalogue/1\nprogramme: {key: hostile, name: Hostile"
ALIASES = "".join(f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]\n" for n in range(1, 8)).replace(
    "*l0", "x"
)
HOSTILE = {
    "deeply nested brackets": (
        HEAD + ", description: " + "[" * 5000 + "]" * 5000 + "}",
        "nested deeper than 20 levels",
    ),
    "deeply nested blocks": (
        "format: tracker-catalogue/1\nprogramme:\n"
        + "".join("  " * depth + "a:\n" for depth in range(1, 400)),
        "nested deeper than 20 levels",
    ),
    "aliases that multiply": (ALIASES + HEAD + "}\nthemes: *l7\n", "aliases (*name) are not used"),
    "a number too long to read": (
        HEAD + ", funder: " + "9" * 5000 + "}",
        "a number longer than 30 characters",
    ),
    "a float too long to read": (
        HEAD + ", funder: 1." + "5" * 400 + "}",
        "a number longer than 30 characters",
    ),
    "a file over 1 MB": (
        HEAD + ", description: '" + "x" * (1024 * 1024) + "'}",
        "larger than 1 MB",
    ),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_the_parser_refuses_it_with_the_reason(case):
    text, reason = HOSTILE[case]
    with pytest.raises(CatalogueError, match=re.escape(reason)):
        parse(text)
    with pytest.raises(CatalogueError, match=re.escape(reason)):
        parse(text.encode())


@pytest.mark.parametrize("case", [case for case in HOSTILE if "1 MB" not in case])
def test_the_upload_page_refuses_it_and_saves_nothing(client, login_as, make, session, case):
    text, reason = HOSTILE[case]
    login_as(make.coordinator())
    response = client.post(
        "/catalogue/load",
        data={"file": (io.BytesIO(text.encode()), "hostile.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200 and reason in page_text(response)
    assert session.execute(sa.select(Programme).where(Programme.key == "hostile")).first() is None
