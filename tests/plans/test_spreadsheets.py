"""Exports safe against formula injection, and bulk progress by spreadsheet."""

import csv
import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from tests.helpers import page_text
from tracker.notifications.models import Notification
from tracker.plans.models import ActionStatus, ProgressUpdate
from tracker.spreadsheets import neutralise

HOSTILE = ['=HYPERLINK("http://evil.example","click")', "+1+1", "-2+3", "@SUM(A1:A2)"]


@pytest.fixture
def plan(make, scheme):
    plan = make.plan(scheme["pair"])
    for title in HOSTILE:
        make.action(plan, title=title, partners="=cmd|' /C calc'!A0")
    make.action(plan, title="Ordinary action")
    return plan


@pytest.mark.parametrize("value", HOSTILE + ["\tTAB", "\rCR"])
def test_neutralise_defuses_formula_starts(value):
    assert neutralise(value) == "'" + value


def test_neutralise_leaves_ordinary_values(value="Supplier day"):
    assert neutralise(value) == value and neutralise(42) == 42 and neutralise(None) is None


def test_the_csv_export_neutralises_every_cell(client, login_as, scheme, plan):
    login_as(scheme["mentor"])
    response = client.get(f"/pairs/{plan.pair_id}/plan/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][1] == "Title"
    titles = [row[1] for row in rows[1:]]
    assert titles == ["'" + value for value in HOSTILE] + ["Ordinary action"]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_xlsx_export_holds_text_not_formulas(client, login_as, scheme, plan):
    login_as(scheme["expert"])
    response = client.get(f"/pairs/{plan.pair_id}/plan/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
    assert all(not str(cell.value).startswith(("=", "+", "-", "@")) for cell in cells)
    assert sheet.cell(row=6, column=2).value == "Ordinary action"


def sheet_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["id", "version", "title", "status", "%", "new status", "new %", "note"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, plan, data, name="progress.xlsx"):
    return client.post(
        f"/pairs/{plan.pair_id}/plan/progress-sheet",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_the_downloaded_sheet_round_trips(client, login_as, scheme, session, plan):
    login_as(scheme["implementer"])
    downloaded = client.get(f"/pairs/{plan.pair_id}/plan/progress-sheet?download=1").data
    workbook = load_workbook(io.BytesIO(downloaded))
    sheet = workbook.active
    assert sheet.max_row == 6
    assert [str(rule.sqref) for rule in sheet.data_validations.dataValidation] == ["F2:F6"]
    sheet["F2"], sheet["G2"], sheet["H2"] = "On track", 30, "Venue found"
    sheet["F6"], sheet["G6"] = "Done", 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(client, plan, buffer.getvalue())
    assert response.status_code == 302, page_text(response)
    first, last = plan.actions[0], plan.actions[-1]
    session.refresh(first)
    session.refresh(last)
    assert (first.status, first.progress) == (ActionStatus.ON_TRACK, 30)
    assert (last.status, last.progress) == (ActionStatus.DONE, 100)
    assert session.execute(sa.select(sa.func.count(ProgressUpdate.id))).scalar_one() == 2
    notifications = (
        session.execute(sa.select(Notification).where(Notification.kind == "progress"))
        .scalars()
        .all()
    )
    assert (
        len(notifications) == 2
    )  # one each for the mentor city member and the expert, not per row
    assert all("2 actions" in n.subject for n in notifications)


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (lambda a: [999999, 1, "x", "", "", "On track", 10, ""], "there is no action 999999"),
        (
            lambda a: [a.id, a.version_id, "x", "", "", "Finished", 10, ""],
            "'Finished' is not a status",
        ),
        (
            lambda a: [a.id, a.version_id, "x", "", "", "On track", 140, ""],
            "whole number from 0 to 100",
        ),
        (
            lambda a: [a.id, a.version_id, "x", "", "", "On track", "lots", ""],
            "whole number from 0 to 100",
        ),
        (
            lambda a: [a.id, a.version_id - 1, "x", "", "", "On track", 20, ""],
            "changed by someone else",
        ),
    ],
)
def test_a_bad_row_refuses_the_whole_upload(client, login_as, scheme, session, plan, row, problem):
    login_as(scheme["implementer"])
    good = plan.actions[1]
    rows = [[good.id, good.version_id, "ok", "", "", "On track", 50, "fine"], row(plan.actions[0])]
    response = upload(client, plan, sheet_bytes(rows))
    assert response.status_code == 200
    text = page_text(response)
    assert "Nothing was saved" in text and problem in text
    assert session.execute(sa.select(sa.func.count(ProgressUpdate.id))).scalar_one() == 0
    session.refresh(good)
    assert good.progress == 0


def test_a_file_that_is_not_a_workbook_is_refused(client, login_as, scheme, plan):
    login_as(scheme["implementer"])
    response = upload(client, plan, b"%PDF-1.4 not a sheet")
    assert "not an Excel workbook" in page_text(response)


def test_an_empty_sheet_changes_nothing(client, login_as, scheme, plan):
    login_as(scheme["implementer"])
    response = upload(client, plan, sheet_bytes([[plan.actions[0].id, 1, "x", "", "", "", "", ""]]))
    assert "has no new status" in page_text(response)


def test_only_the_implementing_city_uploads(client, login_as, scheme, plan):
    login_as(scheme["mentor"])
    assert upload(client, plan, sheet_bytes([])).status_code == 403
