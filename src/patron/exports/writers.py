"""The export's file formats: CSV streamed as rows arrive, XLSX through openpyxl's write-only mode.

Both take the rows batch by batch (an async iterator), so memory holds one batch at a time.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import anyio
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from patron.exports.columns import Column, Row, csv_formatter, xlsx_value

# Litestar adds `; charset=utf-8` to a text type (the app's encoding).
CSV_MEDIA_TYPE = "text/csv"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET = "customers"
# How much of the finished XLSX file one chunk of the download reads.
CHUNK_BYTES = 64 * 1024


async def csv_chunks(columns: Sequence[Column], batches: AsyncIterator[list[Row]]) -> AsyncIterator[bytes]:
    """The CSV, UTF-8 without BOM: the header row, then one chunk per batch of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # `,`, QUOTE_MINIMAL, CRLF line ends (RFC 4180)
    format_row = csv_formatter(columns)

    def taken() -> bytes:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode()

    writer.writerow([column.name for column in columns])
    yield taken()
    async for batch in batches:
        writer.writerows(map(format_row, batch))
        yield taken()


def _text_cell(sheet: WriteOnlyWorksheet, value: str) -> Cell:
    """A text cell, even where openpyxl would take the text (`=...`) for a formula."""
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    return cell


def _append(sheet: WriteOnlyWorksheet, batch: list[Row]) -> None:
    for row in batch:
        values: list[Any] = []
        for raw in row:
            value = xlsx_value(raw)
            values.append(_text_cell(sheet, value) if isinstance(value, str) and value.startswith("=") else value)
        sheet.append(values)


async def write_xlsx(columns: Sequence[Column], batches: AsyncIterator[list[Row]], path: Path) -> None:
    """The XLSX file at `path`: one sheet `customers`, the header row bold, then every row.

    openpyxl's write-only sheet spools rows to disk as they are appended, and the work is
    done in a worker thread so the event loop is not held up by it.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, column.name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    async for batch in batches:
        await anyio.to_thread.run_sync(_append, sheet, batch)
    await anyio.to_thread.run_sync(workbook.save, str(path))


async def file_chunks(path: Path) -> AsyncIterator[bytes]:
    """The file in chunks, deleted once read (or once the download is abandoned)."""
    try:
        async with await anyio.open_file(path, "rb") as file:
            while chunk := await file.read(CHUNK_BYTES):
                yield chunk
    finally:
        path.unlink(missing_ok=True)
