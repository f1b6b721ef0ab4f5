"""Spreadsheet formula injection: no cell of any CSV or XLSX export can start a formula.

A formula is saved through every text field of every form (each field its own, in one of the
shapes spreadsheet programs evaluate, leading whitespace included); then every export the
pages link to is downloaded and read back cell by cell. The neutralising function and the
writers are also checked on their own, over any text.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from tests.hostile.checks import check_response, refused, visible_text
from tests.hostile.discover import Discovery
from tests.hostile.forms import files_of, request_data, valid_values
from tests.hostile.values import FORMULAS, examples, hostile_text
from tests.hostile.world import World, sign_in
from tracker.spreadsheets import XLSX_MIMETYPE, Workbook, csv_bytes, neutralise

FORMULA_STARTS = ("=", "+", "-", "@")
CONTROL_STARTS = ("\t", "\r", "\n")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")
SHAPES = (*FORMULAS, '=HYPERLINK("http://evil.example","x")', "  @SUM(1+1)", "\u3000=1")


def starts_formula(cell: str) -> bool:
    """Whether the text starts like a formula, once leading spaces are trimmed."""
    return cell.startswith(CONTROL_STARTS) or cell.lstrip().startswith(FORMULA_STARTS)


def evaluated(cell: str) -> bool:
    """Whether a spreadsheet program may take the text for a formula (a plain number is
    a number, whatever its sign)."""
    return starts_formula(cell) and not PLAIN_NUMBER.fullmatch(cell)


@examples(500)
@given(value=st.one_of(hostile_text(), st.sampled_from(SHAPES)))
def test_neutralised_text_never_starts_a_formula(value: str):
    result = neutralise(value)
    assert not evaluated(result), repr(result)
    assert result.endswith(value)  # only ever a prefix: nothing of the text is lost
    if not starts_formula(value):
        assert result == value


CELLS = st.one_of(
    hostile_text(),
    st.sampled_from(SHAPES),
    st.integers(min_value=0, max_value=2**31),
    st.floats(allow_nan=False, allow_infinity=False, min_value=0),
    st.dates(min_value=date(1900, 3, 1)),
    st.none(),
)


@examples(60)
@given(rows=st.lists(st.lists(CELLS, min_size=1, max_size=5), min_size=1, max_size=3))
def test_the_writers_never_write_a_formula(rows: list[list[Any]]):
    for row in read_csv(csv_bytes(["a", "b"], rows)):
        assert not any(evaluated(cell) for cell in row), row
    workbook = Workbook()
    sheet = workbook.sheet("Sheet", ["a", "b"])
    for row in rows:
        sheet.append([_real(value) for value in row])
    for cell in xlsx_cells(workbook.to_bytes()):
        assert cell.data_type != "f" and not evaluated(str(cell.value)), cell.value


def _real(value: Any) -> Any:
    """A date of the real calendar (hypothesis' dates are freezegun's under the frozen clock)."""
    return date(value.year, value.month, value.day) if isinstance(value, date) else value


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8").removeprefix("\ufeff"))))


def xlsx_cells(data: bytes) -> list[Any]:
    workbook = load_workbook(io.BytesIO(data))
    return [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def export_urls(discovery: Discovery) -> list[str]:
    """The exports: pages that gave a spreadsheet, and links that offer a download."""
    candidates = set(discovery.mimetypes) | {
        link for link in discovery.links if "download" in link or link.endswith((".csv", ".xlsx"))
    }
    return sorted(url for url in candidates if not url.endswith((".pdf", ".png", ".ics")))


def test_no_export_holds_a_formula(client, world: World, discovery: Discovery):
    saved = save_formulas(client, world, discovery)
    sign_in(client, world, "coordinator")
    exports, found = [], set()
    for role in ("coordinator", "implementer"):
        sign_in(client, world, role)
        for url in export_urls(discovery):
            response = client.get(url)
            body = check_response(response, f"GET {url} as {role}")
            if response.mimetype == "text/csv":
                cells = [cell for row in read_csv(body) for cell in row]
            elif response.mimetype == XLSX_MIMETYPE:
                parsed = xlsx_cells(body)
                assert not [cell.value for cell in parsed if cell.data_type == "f"], url
                cells = [str(cell.value) for cell in parsed]
            else:
                continue
            exports.append(url)
            injected = [cell for cell in cells if evaluated(cell)]
            assert not injected, f"{url} as {role}: cells a spreadsheet evaluates: {injected[:5]}"
            found.update(re.findall(r"fz(\d+)fz", "\n".join(cells)))
    assert {url.split("?")[0].rsplit(".", 1)[-1] for url in exports} >= {"csv", "xlsx"}
    assert any("progress-sheet" in url for url in exports), exports
    assert any("/report." in url for url in exports), exports
    assert len(found) >= 10, f"only {len(found)} of {saved} saved formulas reached an export"


def save_formulas(client, world: World, discovery: Discovery) -> int:
    """Save a numbered formula in every text field of every form; return how many."""
    count = 0
    for seen in discovery.unique_post_forms():
        texts = [
            name
            for name, item in seen.form.fields.items()
            if item.kind in ("text", "textarea") and "url" not in name and not item.pattern
        ]
        if not texts:
            continue
        role = sorted(seen.roles, key=str)[0]
        sign_in(client, world, role)
        form = seen.fresh(client)
        values = valid_values(form, world.known.get(seen.endpoint, {}))
        for name in texts:
            count += 1
            values[name] = [SHAPES[count % len(SHAPES)] + f"fz{count}fz"]
        response = client.post(
            form.action,
            data=request_data(values),
            content_type="multipart/form-data" if files_of(form) else None,
        )
        check_response(response, f"POST {form.action}")
        assert not refused(client, response), (
            f"{form.action}: the formulas were refused: {visible_text(response.get_data())[:800]}"
        )
    return count
