"""What every response to hostile input must satisfy."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urljoin, urlsplit

from tests.hostile.values import RAW_MARKUP, TEMPLATE_RESULT

MARKUP_TYPES = {"text/html", "image/svg+xml", "application/xhtml+xml", "text/xml"}
# A link, image or form that would run script when followed.
SCRIPT_LINK = re.compile(
    r"""(?:href|src|action|formaction|xlink:href)\s*=\s*["']?\s*(?:javascript|vbscript|data):""",
    re.IGNORECASE,
)
SITE = "tracker.test"


def body_of(response) -> bytes:
    data = response.get_data()
    response.close()
    return data


def check_response(response, context: str, sent: Iterable[str] = ()) -> bytes:
    """No server error, headers a real server can send, no redirect off the site, and no
    markup or template from the request coming back live. Returns the body."""
    assert response.status_code < 500, f"{context}: {response.status_code}"
    for name, value in response.headers.items():
        assert "\r" not in value and "\n" not in value, f"{context}: header {name} split"
        try:
            value.encode("latin-1")
        except UnicodeEncodeError:
            raise AssertionError(
                f"{context}: header {name}: {value!r} cannot be sent (WSGI headers are latin-1)"
            ) from None
    if "Location" in response.headers:
        assert_on_site(response.headers["Location"], context)
    body = body_of(response)
    if response.mimetype in MARKUP_TYPES:
        assert_no_live_markup(body.decode("utf-8", "replace"), context, sent)
    return body


def assert_on_site(location: str, context: str = "") -> None:
    """A redirect target that a browser resolves to a page of this site, and that is plainly
    a path or an address of the site (no backslashes or control characters to normalise)."""
    parts = urlsplit(location)
    assert parts.scheme in ("", "http", "https") and parts.netloc in ("", SITE), (
        f"{context}: redirects off the site to {location!r}"
    )
    if not parts.netloc:
        assert location.startswith("/") and not location.startswith(("//", "/\\")), (
            f"{context}: redirects to {location!r}, which a browser may take for another host"
        )
    assert "\\" not in location and not any(ord(char) < 32 for char in location), (
        f"{context}: redirects to {location!r}, which browsers normalise unpredictably"
    )
    resolved = urlsplit(urljoin(f"http://{SITE}/sign-in", _as_browsers_read(location)))
    assert resolved.netloc == SITE, f"{context}: a browser follows {location!r} off the site"


def _as_browsers_read(location: str) -> str:
    """Browsers drop surrounding spaces and control characters and tabs and line breaks
    anywhere, and read a backslash as a slash."""
    trimmed = location.strip("".join(chr(code) for code in range(33)))
    return re.sub(r"[\t\n\r]", "", trimmed).replace("\\", "/")


def assert_no_live_markup(html: str, context: str, sent: Iterable[str] = ()) -> None:
    for marker in RAW_MARKUP:
        assert marker not in html, f"{context}: unescaped {marker!r} in the page"
    assert TEMPLATE_RESULT not in html, f"{context}: a template probe was evaluated"
    match = SCRIPT_LINK.search(html)
    assert match is None, f"{context}: script link {html[match.start() : match.end() + 40]!r}"
    for value in sent:
        if "<" in value and len(value) > 3:
            assert value not in html, f"{context}: the value {value[:80]!r} came back raw"


def refused(client: Any, response: Any) -> bool:
    """Whether the app said no: a page again (with errors), an error, or a warning flashed."""
    with client.session_transaction() as flask_session:
        flashes = flask_session.pop("_flashes", [])
    return response.status_code != 302 or any(
        category in ("danger", "warning") for category, _message in flashes
    )


class Failures:
    """Failures of several routes, reported together at the end of a test."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    @contextmanager
    def collect(self, what: str) -> Iterator[None]:
        try:
            yield
        except Exception as error:  # noqa: BLE001 - reported with the others below
            notes = "\n".join(getattr(error, "__notes__", []))
            self.messages.append(f"{what}: {type(error).__name__}: {error}\n{notes}")

    def report(self) -> None:
        assert not self.messages, f"{len(self.messages)} failures:\n\n" + "\n\n".join(self.messages)


def visible_text(body: bytes) -> str:
    """A page's text without its tags, for failure messages."""
    return " ".join(re.sub(r"<[^>]+>", " ", body.decode("utf-8", "replace")).split())
