"""Writing CSV and XLSX files safely: no cell can start a formula in a spreadsheet program."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe."""
    if not isinstance(value, (str, int, float, date, datetime)) and value is not None:
        value = str(value)  # translated labels and other text-like objects
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A UTF-8 CSV (with BOM, so Excel reads accents right) of neutralised cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_plain(neutralise(value)) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def new_workbook(title: str, header: Sequence[str], widths: Sequence[int] = ()) -> Workbook:
    """A workbook whose first sheet has a bold, frozen header row."""
    workbook = Workbook()
    _set_up(workbook.active, title, header, widths)
    return workbook


def add_sheet(workbook: Workbook, title: str, header: Sequence[str], widths: Sequence[int] = ()):
    """Another sheet with a bold, frozen header row."""
    return _set_up(workbook.create_sheet(), title, header, widths)


def _set_up(sheet: Any, title: str, header: Sequence[str], widths: Sequence[int]) -> Any:
    sheet.title = title[:31]
    sheet.append([str(name) for name in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    return sheet


def append_row(sheet: Any, row: Sequence[Any]) -> None:
    """Add a row of neutralised cells; text is stored as text, never as a formula."""
    sheet.append([neutralise(value) for value in row])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return "" if value is None else value
