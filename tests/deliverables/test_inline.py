"""Files served inline only when that is safe (issue 15, item 9): an image that decodes as one,
of a size worth showing, with no markup in it; a PDF only from its viewer link, sandboxed.
Everything else is downloaded."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageFile

from tests.deliverables.test_files import download, files, upload


def image(kind: str, size=(32, 24), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "teal" if mode == "RGB" else 0).save(buffer, kind)
    return buffer.getvalue()


@pytest.fixture
def deliverable(make, scheme):
    return make.deliverable(scheme["pair"].implementing_city, scheme["pair"], title="Photos")


PNG = image("PNG")
SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"
PDF_WITH_JAVASCRIPT = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/OpenAction 2 0 R>>endobj\n"
    b"2 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
CASES = {
    "a PNG": (PNG, "photo.png", "inline"),
    "a JPEG": (image("JPEG"), "photo.jpg", "inline"),
    "a PNG header on an HTML page": (PNG[:16] + SCRIPT, "cat.png", "attachment"),
    "a PNG with an HTML page after it": (PNG + SCRIPT, "cat.png", "attachment"),
    "a JPEG with a script in a comment": (
        image("JPEG")[:2] + b"\xff\xfe\x00\x48" + SCRIPT[:70] + image("JPEG")[2:],
        "cat.jpg",
        "attachment",
    ),
    "an image of 20000 x 20000 pixels": (
        image("PNG", (20000, 20000), "1"),
        "huge.png",
        "attachment",
    ),
    "a truncated PNG": (PNG[: len(PNG) // 2], "half.png", "attachment"),
    "a PDF with JavaScript": (PDF_WITH_JAVASCRIPT, "plan.pdf", "attachment"),
}


@pytest.mark.parametrize("case", CASES)
def test_only_safe_images_open_in_the_browser(client, login_as, scheme, session, deliverable, case):
    data, name, disposition = CASES[case]
    login_as(scheme["implementer"])
    assert "The file is attached." in upload(client, deliverable, data, name).get_data(as_text=True)
    (stored,) = files(session)
    response = download(client, stored.id)
    assert response.headers["Content-Disposition"].startswith(disposition)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_the_viewer_link_opens_a_pdf_sandboxed(client, login_as, scheme, session, deliverable):
    login_as(scheme["implementer"])
    upload(client, deliverable, PDF_WITH_JAVASCRIPT, "plan.pdf")
    (stored,) = files(session)
    page = client.get(f"/deliverables/{deliverable.id}").get_data(as_text=True)
    assert f"/deliverables/files/{stored.id}?view=1" in page
    response = client.get(f"/deliverables/files/{stored.id}?view=1")
    response.close()
    assert response.headers["Content-Disposition"].startswith("inline")
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (PNG[: len(PNG) // 2], "half.png"),
        (image("JPEG", (64, 64))[:-200], "half.jpg"),
        (PNG[:-12] + b"\x00" * 12, "no-end.png"),
    ],
)
def test_a_truncated_image_downloads_even_once_weasyprint_is_loaded(
    client, login_as, scheme, session, deliverable, monkeypatch, data, name
):
    """WeasyPrint tells Pillow, for the whole process, to load truncated images."""
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    login_as(scheme["implementer"])
    upload(client, deliverable, data, name)
    (stored,) = files(session)
    assert download(client, stored.id).headers["Content-Disposition"].startswith("attachment")
