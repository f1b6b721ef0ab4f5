"""No redirect taken from the request leaves the site: `next` after signing in, and the links
of notifications (stored, so written by code that may one day take them from a user)."""

from __future__ import annotations

from urllib.parse import quote

import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import PASSWORD
from tests.hostile.checks import SITE, assert_on_site, check_response
from tests.hostile.values import examples, odd_text
from tests.hostile.world import World, sign_in
from tracker.auth.models import User
from tracker.auth.redirects import safe_next
from tracker.notifications.models import Notification

HOSTS = ["evil.example", "evil.example:443", "user@evil.example", "127.0.0.1", "[::1]"]
PREFIXES = [
    "//",
    "/\\",
    "\\\\",
    "\\/",
    "///",
    "/\t/",
    "\t//",
    " //",
    "\x00//",
    "\u3000//",
    "\uff0f\uff0f",
    "/%2F",
    "%2F%2F",
    "/%5C",
    "https://",
    "http:",
    "https:/",
    "HTTPS://",
    "javascript:alert(1)//",
    "data:text/html,",
    "/.//",
    "/..//",
    f"http://{SITE}@",
]
SUFFIXES = ["", "/", "/sign-in?next=/", "#/", "\\@" + SITE, "%2F..", "?//" + SITE]
# Shapes every redirect is tried with (NUL is refused before any redirect: tested elsewhere).
SHAPES = [
    prefix + HOSTS[0] + suffix
    for prefix in PREFIXES
    if "\x00" not in prefix
    for suffix in SUFFIXES[:2]
]


def redirect_targets() -> st.SearchStrategy[str]:
    """Would-be redirect targets: other hosts in the shapes browsers accept, some encoded."""
    shaped = st.builds(
        lambda prefix, host, suffix: prefix + host + suffix,
        st.sampled_from(PREFIXES),
        st.sampled_from(HOSTS),
        st.sampled_from(SUFFIXES),
    )
    return st.one_of(
        shaped,
        shaped.map(lambda target: quote(target, safe="")),
        shaped.map(lambda target: "/" + target),
        odd_text(),
    )


@examples(300)
@given(target=redirect_targets())
def test_safe_next_keeps_only_paths_of_this_site(target: str):
    result = safe_next(target)
    if result is not None:
        assert_on_site(result, f"safe_next({target!r})")


def test_safe_next_keeps_ordinary_paths():
    for path in ("/", "/pairs/1", "/pairs/?status=active", "/visits/3#report", "/search?q=%2F%2F"):
        assert safe_next(path) == path


def sign_in_with(client, world: World, target: str):
    sign_in(client, world, None)
    page = client.get("/sign-in", query_string={"next": target})
    check_response(page, f"GET /sign-in?next={target!r}", [target])
    email = world.known["auth.sign_in"]["email"][0]
    return client.post("/sign-in", data={"email": email, "password": PASSWORD, "next": target})


def test_signing_in_never_redirects_off_the_site(client, world: World, undone):
    for target in SHAPES:
        with undone():
            response = sign_in_with(client, world, target)
            assert response.status_code == 302
            check_response(response, f"sign-in with next={target!r}")

    @examples(20)
    @given(target=redirect_targets())
    def attack(target: str) -> None:
        with undone():
            response = sign_in_with(client, world, target)
            check_response(response, f"sign-in with next={target!r}")

    attack()


def test_signing_in_still_goes_to_a_page_of_the_site(client, world: World, undone):
    with undone():
        response = sign_in_with(client, world, "/visits/?status=planned")
        assert response.headers["Location"] == "/visits/?status=planned"


def test_a_notification_link_never_leads_off_the_site(client, world: World, session, undone):
    user = session.get(User, world.user_ids["implementer"])

    def open_notification(link: str) -> None:
        with undone():
            notification = Notification(user=user, kind="comment", subject="Look", link=link)
            session.add(notification)
            session.flush()
            sign_in(client, world, "implementer")
            response = client.post(f"/notifications/{notification.id}/open")
            assert response.status_code == 302
            check_response(response, f"opening a notification linking to {link!r}")
            read = session.execute(
                sa.select(Notification.read_at).where(Notification.id == notification.id)
            ).scalar_one()
            assert read is not None

    for link in SHAPES:
        open_notification(link)

    @examples(20)
    @given(link=redirect_targets().map(lambda link: link.replace("\x00", "")))
    def attack(link: str) -> None:  # no NUL: no text column stores one
        open_notification(link[:500])

    attack()
