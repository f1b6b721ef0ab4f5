"""Writing CSV and XLSX files safely: no cell can start a formula in a spreadsheet program."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

import xlsxwriter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe (also after
    leading spaces, which spreadsheet programs may trim before they look)."""
    if not isinstance(value, (str, int, float, date, datetime)) and value is not None:
        value = str(value)  # translated labels and other text-like objects
    if isinstance(value, str) and (
        value.startswith(FORMULA_STARTS) or value.lstrip().startswith(FORMULA_STARTS)
    ):
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


class Workbook:
    """An Excel workbook written in one pass (XlsxWriter: fast, and strings are never
    turned into formulas or links)."""

    def __init__(self) -> None:
        self._buffer = io.BytesIO()
        self._book = xlsxwriter.Workbook(
            self._buffer,
            {
                "in_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        self._bold = self._book.add_format({"bold": True})
        self._date = self._book.add_format({"num_format": "yyyy-mm-dd"})

    def sheet(self, title: str, header: Sequence[Any], widths: Sequence[int] = ()) -> Sheet:
        """A new sheet with a bold, frozen header row."""
        worksheet = self._book.add_worksheet(str(title)[:31])
        worksheet.freeze_panes(1, 0)
        for column, width in enumerate(widths):
            worksheet.set_column(column, column, width)
        worksheet.write_row(0, 0, [str(name) for name in header], self._bold)
        return Sheet(worksheet, self._date)

    def to_bytes(self) -> bytes:
        self._book.close()
        return self._buffer.getvalue()


class Sheet:
    def __init__(self, worksheet: Any, date_format: Any) -> None:
        self._worksheet = worksheet
        self._date = date_format
        self.rows = 1  # the header

    def append(self, row: Sequence[Any]) -> None:
        """Add a row of neutralised cells; text is stored as text, never as a formula."""
        for column, raw in enumerate(row):
            value = neutralise(raw)
            if value is None or value == "":
                continue
            if isinstance(value, str):
                self._worksheet.write_string(self.rows, column, value)
            elif isinstance(value, (date, datetime)):
                self._worksheet.write_datetime(self.rows, column, value, self._date)
            else:
                self._worksheet.write_number(self.rows, column, value)
        self.rows += 1

    def choose_from(self, column: int, options: Sequence[str]) -> None:
        """Offer a drop-down list of options in a column, on every row written so far."""
        self._worksheet.data_validation(
            1,
            column,
            max(self.rows - 1, 1),
            column,
            {"validate": "list", "source": [str(option) for option in options]},
        )


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return "" if value is None else value
