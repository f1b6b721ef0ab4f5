"""Progress sheets no spreadsheet program would write (issue 15, items 6 and 11): each one gets a
clear message on the page and changes nothing; percentage cells count as the percentage shown."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from tests.helpers import page_text
from tests.plans.crafted_sheets import (
    SHEET,
    base_workbook,
    crafted,
    row_cells,
    sheet_xml,
    with_parts,
)
from tracker.plans.models import ProgressUpdate

DAMAGED = "The sheet cannot be read after row 1"
NOT_A_WORKBOOK = "This file is not an Excel workbook (.xlsx)."
TOO_BIG = "The workbook unpacks to more than a progress sheet can hold."


@pytest.fixture
def plan(make, scheme):
    plan = make.plan(scheme["pair"])
    make.action(plan, title="Supplier day")
    make.action(plan, title="Procurement guide")
    return plan


def upload(client, plan, data):
    return client.post(
        f"/pairs/{plan.pair_id}/plan/progress-sheet",
        data={"file": (io.BytesIO(data), "progress.xlsx")},
        content_type="multipart/form-data",
    )


def cell(ref, value, kind=None, style=None):
    attributes = f' t="{kind}"' if kind else ""
    attributes += f' s="{style}"' if style is not None else ""
    return f'<c r="{ref}"{attributes}><v>{value}</v></c>'


def text(ref, value):
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


HOSTILE = {
    "a number cell holding text": (
        lambda a: crafted(row_cells(a.id, 1, cell("G2", "abc"))),
        DAMAGED,
    ),
    "a shared string that does not exist": (
        lambda a: crafted(row_cells(a.id, 1, cell("F2", 999, "s"))),
        DAMAGED,
    ),
    "a column past the last one": (
        lambda a: crafted(row_cells(a.id, 1, cell("ZZZZ2", 5), text("G2", "20"))),
        DAMAGED,
    ),
    "a column that is not one": (
        lambda a: crafted(row_cells(a.id, 1, cell("Z!Z2", 5), text("G2", "20"))),
        DAMAGED,
    ),
    "a date that is not one": (
        lambda a: crafted(row_cells(a.id, 1, cell("G2", "2026-13-45", "d"))),
        DAMAGED,
    ),
    "a boolean that is not one": (
        lambda a: crafted(row_cells(a.id, 1, cell("G2", "maybe", "b"))),
        DAMAGED,
    ),
    "a row number that is not one": (
        lambda a: with_parts(
            base_workbook(),
            {SHEET: sheet_xml().replace("</sheetData>", '<row r="x"/></sheetData>')},
        ),
        "cannot be read",
    ),
    "a workbook without sheets": (
        lambda a: with_parts(
            base_workbook(),
            {
                "xl/workbook.xml": '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                "<sheets/></workbook>"
            },
            drop=[SHEET],
        ),
        "The workbook has no sheet.",
    ),
    "entities that expand": (
        lambda a: with_parts(
            base_workbook(),
            {
                SHEET: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
                '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                + sheet_xml(row_cells(a.id, 1, text("H2", "&b;")))
            },
        ),
        NOT_A_WORKBOOK,
    ),
    "a cell longer than a note may be": (
        lambda a: crafted(row_cells(a.id, 1, text("H2", "x" * 5001))),
        "Row 2: a cell holds more than 5000 characters.",
    ),
    "a row beyond the last one allowed": (
        lambda a: with_parts(
            base_workbook(),
            {
                SHEET: sheet_xml(row_cells(a.id, 1, text("H2", "note"))).replace(
                    "</sheetData>", f'<row r="2002">{text("H2002", "late")}</row></sheetData>'
                )
            },
        ),
        "The sheet has more than 2000 rows.",
    ),
    "too many parts": (
        lambda a: with_parts(base_workbook(), {f"xl/extra/{n}.xml": "<x/>" for n in range(300)}),
        "too many parts",
    ),
    "a part that unpacks to much more than it weighs": (
        lambda a: with_parts(base_workbook(), {"docProps/custom.xml": " " * (3 * 1024 * 1024)}),
        TOO_BIG,
    ),
    "a zip that is cut short": (lambda a: base_workbook()[:400], NOT_A_WORKBOOK),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_crafted_sheet_gets_a_clear_message_and_changes_nothing(
    client, login_as, scheme, session, plan, case
):
    make_sheet, message = HOSTILE[case]
    login_as(scheme["implementer"])
    response = upload(client, plan, make_sheet(plan.actions[0]))
    assert response.status_code == 200
    text_shown = page_text(response)
    assert "Nothing was saved" in text_shown and message in text_shown
    assert session.execute(sa.select(sa.func.count(ProgressUpdate.id))).scalar_one() == 0


def test_an_empty_row_far_down_the_sheet_is_no_problem(client, login_as, scheme, session, plan):
    action = plan.actions[0]
    login_as(scheme["implementer"])
    sheet = sheet_xml(row_cells(action.id, action.version_id, text("G2", "30"))).replace(
        "</sheetData>", '<row r="1048576"/></sheetData>'
    )
    response = upload(client, plan, with_parts(base_workbook(), {SHEET: sheet}))
    assert response.status_code == 302, page_text(response)


def filled_sheet(client, plan, values):
    """The downloaded progress sheet with new % cells filled in: (value, number format)."""
    workbook = load_workbook(
        io.BytesIO(client.get(f"/pairs/{plan.pair_id}/plan/progress-sheet?download=1").data)
    )
    sheet = workbook["Progress"]
    for row, (value, number_format) in enumerate(values, start=2):
        sheet.cell(row=row, column=7, value=value).number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("value", "number_format", "stored"),
    [
        (1, "0%", 100),  # typed "100 %" in a percentage cell
        (0.4, "0%", 40),
        (0.45, "0.0%", 45),
        (40, "0", 40),  # the sheet's own format for the column
        (40, "General", 40),
        ("40 %", "General", 40),
    ],
)
def test_a_percentage_cell_counts_as_the_percentage_it_shows(
    client, login_as, scheme, session, plan, value, number_format, stored
):
    login_as(scheme["implementer"])
    response = upload(client, plan, filled_sheet(client, plan, [(value, number_format)]))
    assert response.status_code == 302, page_text(response)
    action = plan.actions[0]
    session.refresh(action)
    assert action.progress == stored


@pytest.mark.parametrize(
    ("value", "number_format"), [(0.4, "General"), (1.5, "0%"), (0.404, "0.0%")]
)
def test_a_percentage_that_is_not_a_whole_one_is_refused(
    client, login_as, scheme, session, plan, value, number_format
):
    login_as(scheme["implementer"])
    response = upload(client, plan, filled_sheet(client, plan, [(value, number_format)]))
    assert "whole number from 0 to 100" in page_text(response)


def test_the_sheet_says_how_percentages_are_read(client, login_as, scheme, plan):
    login_as(scheme["implementer"])
    workbook = load_workbook(
        io.BytesIO(client.get(f"/pairs/{plan.pair_id}/plan/progress-sheet?download=1").data)
    )
    assert workbook.sheetnames == ["Progress", "How to fill in"]
    instructions = " ".join(
        str(row[0]) for row in workbook["How to fill in"].iter_rows(values_only=True)
    )
    assert "A cell formatted as a percentage counts as the percentage it shows" in instructions
    assert workbook["Progress"].column_dimensions["G"].number_format == "0"
    page = page_text(client.get(f"/pairs/{plan.pair_id}/plan/progress-sheet"))
    assert "counts as the percentage it shows (40 % is 40, 100 % is 100)" in page
