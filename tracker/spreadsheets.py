"""Writing CSV and XLSX files safely (no cell can start a formula in a spreadsheet program),
and reading uploaded XLSX files without letting them break or swell the server.

An upload is an archive of XML parts, and a small one can claim to unpack to gigabytes: its
parts are counted and measured (sizes as declared, which Python's zip reader enforces) before
anything is parsed, the workbook is then read as a stream (openpyxl's read-only mode) within
limits on rows, columns and cell length, and any problem in it becomes a `SpreadsheetError`
with a message for the person who uploaded it.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from fnmatch import fnmatch
from typing import Any

import xlsxwriter
from flask_babel import gettext as _
from openpyxl import load_workbook

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

    def sheet(
        self,
        title: str,
        header: Sequence[Any],
        widths: Sequence[int] = (),
        number_formats: dict[int, str] | None = None,
    ) -> Sheet:
        """A new sheet with a bold, frozen header row (and number formats by column)."""
        worksheet = self._book.add_worksheet(str(title)[:31])
        worksheet.freeze_panes(1, 0)
        formats = number_formats or {}
        for column, width in enumerate(widths):
            number_format = formats.get(column)
            cell_format = (
                self._book.add_format({"num_format": number_format}) if number_format else None
            )
            worksheet.set_column(column, column, width, cell_format)
        worksheet.write_row(0, 0, [str(name) for name in header], self._bold)
        return Sheet(worksheet, self._date)

    def notes(self, title: str, lines: Sequence[Any]) -> None:
        """A sheet of plain text lines, one per row (instructions for the reader)."""
        worksheet = self._book.add_worksheet(str(title)[:31])
        worksheet.set_column(0, 0, 120)
        for row, line in enumerate(lines):
            worksheet.write_string(row, 0, str(neutralise(line)), self._bold if row == 0 else None)

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


MB = 1024 * 1024


@dataclass(frozen=True)
class ArchiveLimits:
    """What an uploaded workbook may hold. Parts that openpyxl loads whole (shared strings,
    styles, the workbook's list of sheets and names) get less room than worksheets, which it
    reads as a stream."""

    file_bytes: int = 10 * MB
    parts: int = 200
    total_bytes: int = 64 * MB
    part_bytes: tuple[tuple[str, int], ...] = (
        ("xl/worksheets/sheet*.xml", 40 * MB),
        ("xl/sharedStrings.xml", 8 * MB),
        ("*", 2 * MB),
    )
    ratio: int = 100  # uncompressed to compressed, for parts larger than 1 MB
    ratio_from_bytes: int = 1 * MB

    def part_limit(self, name: str) -> int:
        return next(limit for pattern, limit in self.part_bytes if fnmatch(name, pattern))


ARCHIVE_LIMITS = ArchiveLimits()


class SpreadsheetError(ValueError):
    """An uploaded workbook that cannot be read; the message says why, for its uploader."""


class Percentage(float):
    """A number from a cell formatted as a percentage, as the cell shows it (0.4 shows 40 %)."""


def check_archive(data: bytes, limits: ArchiveLimits = ARCHIVE_LIMITS) -> None:
    """Refuse a file that is not a workbook archive, or whose parts are too many or too big,
    before any of it is unpacked."""
    if len(data) > limits.file_bytes:
        raise SpreadsheetError(
            _("The file is larger than %(count)d MB.", count=limits.file_bytes // MB)
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise SpreadsheetError(_("This file is not an Excel workbook (.xlsx).")) from error
    if len(parts) > limits.parts:
        raise SpreadsheetError(_("The workbook has too many parts to be a progress sheet."))
    too_big = _("The workbook unpacks to more than a progress sheet can hold.")
    if sum(part.file_size for part in parts) > limits.total_bytes:
        raise SpreadsheetError(too_big)
    for part in parts:
        if part.file_size > limits.part_limit(part.filename) or (
            part.file_size > limits.ratio_from_bytes
            and part.file_size > limits.ratio * max(part.compress_size, 1)
        ):
            raise SpreadsheetError(too_big)


def read_rows(
    data: bytes,
    *,
    columns: int,
    max_rows: int,
    max_cell_chars: int,
    first_row: int = 2,
    limits: ArchiveLimits = ARCHIVE_LIMITS,
) -> list[tuple[int, tuple[Any, ...]]]:
    """The non-empty rows of the first sheet from `first_row` on, as (row number, values of
    the first `columns` cells). Numbers in cells formatted as percentages come as the
    Percentage they show. Raises SpreadsheetError for anything that cannot be read."""
    check_archive(data, limits)
    rows: list[tuple[int, tuple[Any, ...]]] = []
    number = first_row - 1
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds on damaged files
        raise SpreadsheetError(_("This file is not an Excel workbook (.xlsx).")) from error
    try:
        if not workbook.worksheets:
            raise SpreadsheetError(_("The workbook has no sheet."))
        sheet = workbook.worksheets[0]
        last = first_row + max_rows  # one row past the limit, to notice a longer sheet
        for number, cells in enumerate(
            sheet.iter_rows(min_row=first_row, max_row=last, max_col=columns), start=first_row
        ):
            values = tuple(_shown_value(cell) for cell in cells)
            values += (None,) * (columns - len(values))
            if all(value in (None, "") for value in values):
                continue
            if number == last:
                raise SpreadsheetError(_("The sheet has more than %(count)d rows.", count=max_rows))
            if any(isinstance(value, str) and len(value) > max_cell_chars for value in values):
                raise SpreadsheetError(
                    _(
                        "Row %(row)d: a cell holds more than %(count)d characters.",
                        row=number,
                        count=max_cell_chars,
                    )
                )
            rows.append((number, values))
    except SpreadsheetError:
        raise
    except Exception as error:  # noqa: BLE001 - a damaged part shows up while it is read
        raise SpreadsheetError(
            _(
                "The sheet cannot be read after row %(row)d: it is damaged or was not saved by a "
                "spreadsheet program. Download a new sheet and fill it in again.",
                row=number,
            )
        ) from error
    finally:
        workbook.close()
    return rows


def _shown_value(cell: Any) -> Any:
    """A cell's value as the cell shows it: a percentage-formatted 0.4 is 40 (%)."""
    value = getattr(cell, "value", None)
    percent_format = "%" in (getattr(cell, "number_format", None) or "")
    if percent_format and isinstance(value, (int, float)) and not isinstance(value, bool):
        return Percentage(round(value * 100, 6))
    return value


def read_table(
    data: bytes, filename: str, *, header: Sequence[str], max_rows: int, max_cell_chars: int
) -> list[tuple[int, tuple[Any, ...]]]:
    """The rows under the header of an uploaded CSV or XLSX table, as (row number, values of the
    header's columns, text stripped). The first row must name the columns as `header` does, so a
    file made for something else is refused whole. Raises SpreadsheetError."""
    if filename.lower().endswith(".csv"):
        rows = _csv_rows(data, len(header), max_rows + 1, max_cell_chars)
    else:
        rows = read_rows(
            data,
            columns=len(header),
            max_rows=max_rows + 1,
            max_cell_chars=max_cell_chars,
            first_row=1,
        )
    if (
        not rows
        or rows[0][0] != 1
        or [_text(v).lower() for v in rows[0][1]] != [name.lower() for name in header]
    ):
        raise SpreadsheetError(
            _(
                "The first row must name the columns: %(columns)s. Start from the template.",
                columns=", ".join(header),
            )
        )
    return [(number, tuple(_text(value) for value in values)) for number, values in rows[1:]]


def _csv_rows(
    data: bytes, columns: int, max_rows: int, max_cell_chars: int
) -> list[tuple[int, tuple[Any, ...]]]:
    if len(data) > ARCHIVE_LIMITS.file_bytes:
        raise SpreadsheetError(
            _("The file is larger than %(count)d MB.", count=ARCHIVE_LIMITS.file_bytes // MB)
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SpreadsheetError(_("Save the CSV file as UTF-8 text and upload it again.")) from error
    if "\0" in text:
        raise SpreadsheetError(_("This file is not a CSV table."))
    dialect = csv.excel_tab if text.count("\t") > text.count(",") + text.count(";") else csv.excel
    if dialect is csv.excel and text.count(";") > text.count(","):
        dialect = _Semicolons  # as spreadsheet programs in much of Europe save CSV
    rows = []
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
            values = tuple(cells[:columns]) + ("",) * (columns - len(cells[:columns]))
            if all(not value.strip() for value in values):
                continue
            if len(rows) == max_rows:
                raise SpreadsheetError(_("The sheet has more than %(count)d rows.", count=max_rows))
            if any(len(value) > max_cell_chars for value in values):
                raise SpreadsheetError(
                    _(
                        "Row %(row)d: a cell holds more than %(count)d characters.",
                        row=number,
                        count=max_cell_chars,
                    )
                )
            rows.append((number, values))
    except csv.Error as error:
        raise SpreadsheetError(_("This file is not a CSV table.")) from error
    return rows


class _Semicolons(csv.excel):
    delimiter = ";"


def _text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


def template_workbook(
    title: str, header: Sequence[str], examples: Sequence[Sequence[Any]], notes: Sequence[str]
) -> bytes:
    """A template to fill in: the header, example rows to overwrite, and a sheet of notes."""
    book = Workbook()
    sheet = book.sheet(title, header, widths=[28] * len(header))
    for row in examples:
        sheet.append(row)
    book.notes(_("How to fill it in"), notes)
    return book.to_bytes()
