"""Progress sheets built part by part, to hold what no spreadsheet program would write."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

from openpyxl import Workbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = "xl/worksheets/sheet1.xml"
HEADER = ["id", "version", "title", "status", "%", "new status", "new %", "note"]


def base_workbook() -> bytes:
    """A plain workbook with one sheet, as openpyxl writes it."""
    workbook = Workbook()
    workbook.active.append(HEADER)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_parts(data: bytes, parts: dict[str, bytes | str], *, drop: Iterable[str] = ()) -> bytes:
    """The workbook with some parts replaced or added, and some left out."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in parts and info.filename not in drop:
                target.writestr(info.filename, source.read(info.filename))
        for name, content in parts.items():
            target.writestr(name, content)
    return buffer.getvalue()


def sheet_xml(*rows: str) -> str:
    """A worksheet whose data rows (from row 2) hold the given raw <c> cells."""
    header = "".join(
        f'<c r="{chr(65 + index)}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for index, name in enumerate(HEADER)
    )
    data = "".join(f'<row r="{number}">{cells}</row>' for number, cells in enumerate(rows, 2))
    return f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">{header}</row>{data}</sheetData></worksheet>'


def row_cells(action_id: int, version: int, *extra: str, row: int = 2) -> str:
    """The cells of a row about an action: its id and version, then the crafted ones."""
    return f'<c r="A{row}"><v>{action_id}</v></c><c r="B{row}"><v>{version}</v></c>' + "".join(
        extra
    )


def crafted(*rows: str) -> bytes:
    return with_parts(base_workbook(), {SHEET: sheet_xml(*rows)})


def bomb(path: str, unpacked_bytes: int) -> None:
    """Write to `path` a workbook whose sheet is one cell of `unpacked_bytes` letters: about a
    megabyte packed for a gigabyte unpacked."""
    base = zipfile.ZipFile(io.BytesIO(base_workbook()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in base.infolist():
            if info.filename != SHEET:
                target.writestr(info.filename, base.read(info.filename))
        with target.open(SHEET, "w", force_zip64=True) as stream:
            stream.write(f'<worksheet xmlns="{MAIN}"><sheetData><row r="2">'.encode())
            stream.write(b'<c r="H2" t="inlineStr"><is><t>')
            block = b"a" * (1024 * 1024)
            for _megabyte in range(unpacked_bytes // len(block)):
                stream.write(block)
            stream.write(b"</t></is></c></row></sheetData></worksheet>")
