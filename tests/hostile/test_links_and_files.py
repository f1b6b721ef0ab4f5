"""Web addresses that would run script, and hostile uploads: catalogue files, progress sheets
and deliverable files."""

from __future__ import annotations

import copy
import io
from datetime import date
from typing import Any

import yaml
from freezegun.api import FakeDate
from hypothesis import example, given, reject
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from tests.hostile.checks import SCRIPT_LINK, check_response, refused
from tests.hostile.discover import Discovery, SeenForm
from tests.hostile.forms import files_of, request_data, valid_values
from tests.hostile.values import SCRIPT_URLS, examples, hostile_files, hostile_text
from tests.hostile.world import World, sign_in


def url_fields(seen: SeenForm) -> list[str]:
    return [
        name
        for name, item in seen.form.fields.items()
        if item.kind == "url" or "url" in name or name in ("website", "link")
    ]


def scheme_variants() -> st.SearchStrategy[str]:
    """javascript:, data:, vbscript: and file: addresses, in mixed case, with the spaces and
    control characters browsers ignore before and inside the scheme."""
    ignored = st.sampled_from(["", " ", "\t", "\n", "\r", "\x01", "\x0c", "\u00a0"])

    @st.composite
    def variant(draw: Any) -> str:
        scheme = draw(st.sampled_from(["javascript", "data", "vbscript", "file"]))
        cased = "".join(letter.upper() if draw(st.booleans()) else letter for letter in scheme)
        cut = draw(st.integers(0, len(cased)))
        inside = cased[:cut] + draw(ignored) + cased[cut:]
        rest = draw(st.sampled_from(["alert(1)", "//example.org/%0aalert(1)", "text/html,<b>"]))
        return draw(ignored) + inside + ":" + rest

    return variant()


def test_every_web_address_field_refuses_script(
    client, world: World, discovery: Discovery, undone, row_counts
):
    forms = [seen for seen in discovery.unique_post_forms() if url_fields(seen)]
    assert {seen.endpoint for seen in forms} >= {
        "organisations.create",
        "plans.show_action",
        "plans.endorse",
        "deliverables.link",
    }
    for seen in forms:
        role = sorted(seen.roles, key=str)[0]

        def post(address: str, seen: SeenForm = seen, role: Any = role) -> None:
            values = valid_values(seen.form, world.known.get(seen.endpoint, {}))
            values.update({name: [address] for name in url_fields(seen)})
            with undone():
                sign_in(client, world, role)
                before = row_counts()
                response = client.post(
                    seen.form.action,
                    data=request_data(values),
                    content_type="multipart/form-data" if files_of(seen.form) else None,
                )
                context = f"POST {seen.form.action} with {address!r}"
                check_response(response, context)
                assert refused(client, response), f"{context}: accepted"
                assert row_counts() == before, f"{context}: refused, yet the data changed"

        for address in SCRIPT_URLS:
            post(address)

        @examples(4)
        @given(address=scheme_variants())
        def attack(address: str) -> None:
            post(address)

        attack()


CATALOGUE: dict[str, Any] = {
    "format": "tracker-catalogue/1",
    "programme": {
        "key": "hostile-test",
        "name": "Hostile test programme",
        "full_name": "A programme loaded by the hostile-input tests",
        "period_start": date(2026, 1, 1),
        "period_end": date(2027, 12, 31),
        "funder": "Nobody",
        "description": "Loaded and rolled back.",
        "context_factors": [{"key": "politics", "title": "Politics", "description": "Votes"}],
    },
    "themes": [
        {
            "code": "Z",
            "title": "A theme",
            "expert_organisation": "Hostile Experts",
            "standard": "The standard.",
            "summary": "The summary.",
            "factors": [
                {
                    "key": "first-factor",
                    "title": "First factor",
                    "statement": "The statement.",
                    "guide_questions": ["Is it so?"],
                    "examples": [
                        {
                            "city": "Riga",
                            "country": "Latvia",
                            "title": "An example",
                            "summary": "What they did.",
                            "url": "https://example.org/example",
                        }
                    ],
                }
            ],
        }
    ],
}


def leaves(document: Any, path: tuple = ()) -> list[tuple]:
    """The paths to every value of a document (and to every mapping and list)."""
    found = [path]
    if isinstance(document, dict):
        for key, value in document.items():
            found += leaves(value, (*path, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += leaves(value, (*path, index))
    return found


def replaced(document: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    copied = copy.copy(document)
    copied[path[0]] = replaced(document[path[0]], path[1:], value)
    return copied


SCALARS = st.one_of(
    hostile_text(),
    st.sampled_from(SCRIPT_URLS),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    st.booleans(),
    st.none(),
    st.dates(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


class Dumper(yaml.SafeDumper):
    """YAML of the frozen clock's dates too (freezegun makes hypothesis' dates FakeDates)."""


Dumper.add_representer(FakeDate, yaml.SafeDumper.represent_date)


def load_catalogue(client, document: Any, name: str = "catalogue.yaml"):
    data = yaml.dump(document, Dumper=Dumper, allow_unicode=True).encode()
    return client.post(
        "/catalogue/load",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_a_valid_catalogue_file_loads(client, world: World, undone):
    with undone():
        sign_in(client, world, "coordinator")
        response = load_catalogue(client, CATALOGUE)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def test_catalogue_files_with_hostile_values_never_break_the_load(
    client, world: World, undone, row_counts
):
    paths = leaves(CATALOGUE)

    @examples(25)
    @given(changes=st.lists(st.tuples(st.sampled_from(paths), SCALARS), min_size=1, max_size=3))
    @example(changes=[(("programme", "period_start"), date(2028, 1, 1))])  # after its end
    @example(changes=[(("programme", "name"), None)])
    def attack(changes: list[tuple[tuple, Any]]) -> None:
        document: Any = CATALOGUE
        for path, value in changes:
            try:
                document = replaced(document, path, value)
            except (TypeError, IndexError, KeyError):
                continue  # an earlier change replaced the container of this path
        with undone():
            sign_in(client, world, "coordinator")
            before = row_counts()
            response = load_catalogue(client, document)
            check_response(response, f"loading {changes!r:.500}")
            if response.status_code != 302:
                assert row_counts() == before
                return
            theme = client.get("/catalogue/hostile-test/themes/Z")
            body = check_response(theme, "the loaded theme")
            assert not SCRIPT_LINK.search(body.decode()), "a script link in the benchmark"

    for path in paths:  # every value of the wrong type, missing, or too long
        for value in (None, ["x"], "x" * 1001):
            attack.hypothesis.inner_test(changes=[(path, value)])
    attack()


def test_hostile_files_are_refused_or_stored_harmlessly(client, world: World, undone, row_counts):
    """Deliverable files, catalogue files and progress sheets with hostile content and names."""
    targets = [
        (f"/deliverables/{world.args['deliverable_id'][0]}/files", "implementer"),
        ("/catalogue/load", "coordinator"),
        (f"/pairs/{world.pair_id}/plan/progress-sheet", "implementer"),
    ]

    @examples(12)
    @given(target=st.sampled_from(targets), upload=hostile_files())
    def attack(target: tuple[str, str], upload: tuple[bytes, str]) -> None:
        url, role = target
        with undone():
            sign_in(client, world, role)
            before = row_counts()
            response = client.post(
                url,
                data={"file": (io.BytesIO(upload[0]), upload[1])},
                content_type="multipart/form-data",
            )
            check_response(response, f"POST {url} with {upload!r:.300}", [upload[1]])
            if refused(client, response):
                assert row_counts() == before

    attack()


SHEET_VALUES = st.one_of(
    hostile_text(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.dates(),
    st.booleans(),
    st.sampled_from(["=1+1", '=HYPERLINK("http://evil.example")', "On track", "100%", "0.5"]),
)


def test_progress_sheets_with_hostile_cells_never_break_the_upload(
    client, world: World, undone, row_counts
):
    """The downloaded sheet, with hostile values in any cell of the action's row."""
    sheet = world.known["plans.progress_upload"]["file"][0][0]

    @examples(15)
    @given(cells=st.lists(st.tuples(st.integers(1, 9), SHEET_VALUES), min_size=1, max_size=4))
    def attack(cells: list[tuple[int, Any]]) -> None:
        workbook = load_workbook(io.BytesIO(sheet))
        for column, value in cells:
            try:
                workbook.active.cell(row=2, column=column, value=value)
            except (ValueError, TypeError, IllegalCharacterError):
                continue  # a value openpyxl cannot write
        buffer = io.BytesIO()
        try:
            workbook.save(buffer)
        except (ValueError, TypeError, AttributeError):
            reject()  # openpyxl cannot write this sheet (so no one can upload it)
        url = f"/pairs/{world.pair_id}/plan/progress-sheet"
        with undone():
            sign_in(client, world, "implementer")
            before = row_counts()
            response = client.post(
                url,
                data={"file": (io.BytesIO(buffer.getvalue()), "progress.xlsx")},
                content_type="multipart/form-data",
            )
            check_response(response, f"{url} with {cells!r:.500}")
            if refused(client, response):
                assert row_counts() == before

    attack()
