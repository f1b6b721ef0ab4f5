"""Nothing a signed-in person was shown stays in a cache (issue 15, item 5): every page and file
of the crawl, for every role, answers `Cache-Control: no-store`; the files shipped with the app
are kept for a year under versioned links."""

from __future__ import annotations

import re

from tests.hostile.discover import Discovery, endpoint_of

OWN_CACHING = {  # calendar programs poll them
    "calendars.feed": "private, max-age=300",
    "calendars.programme_feed": "private, max-age=300",
}
STATIC = {"static", "bootstrap.static"}


def test_every_page_and_file_of_the_crawl_is_not_stored(app, discovery: Discovery):
    wrong, checked = [], set()
    for (role, url), caching in discovery.caching.items():
        endpoint = endpoint_of(app, url.split("?")[0], "GET")
        if endpoint in STATIC:
            continue
        checked.add(endpoint)
        wanted = OWN_CACHING.get(endpoint, "no-store")
        if wanted not in caching:
            wrong.append(f"GET {url} as {role}: Cache-Control {caching!r}, want {wanted!r}")
    assert not wrong, "\n".join(wrong)
    assert checked >= {
        "plans.export",
        "plans.progress_upload",
        "deliverables.download",
        "infographics.download",
        "reports.download",
        "privacy.download_own",
        "calendars.visit_file",
    }


def test_static_files_linked_from_pages_are_kept_for_a_year(client, discovery: Discovery):
    page = next(body for (role, _url), body in discovery.pages.items() if role == "implementer")
    links = re.findall(r'(?:href|src)="(/(?:bootstrap/)?static/[^"]+)"', page.decode())
    assert len(links) >= 4 and all("?v=" in link for link in links)
    for link in links:
        response = client.get(link)
        response.close()
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable", link
    unversioned = client.get(links[0].split("?")[0])
    unversioned.close()
    assert "max-age=31536000" not in unversioned.headers.get("Cache-Control", "")
