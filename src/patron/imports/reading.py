"""The import file reader: an uploaded CSV or XLSX file as a header of columns and rows of text cells.

Pure: no database, no HTTP. `read` checks the header before it returns (a file that cannot be
imported fails the upload at once) and yields the rows lazily; reading the same bytes twice
gives the same rows, which is how the engine resumes a job.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Literal
from xml.etree.ElementTree import ParseError

import msgspec
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from patron.customers.schemas import CustomerCreate, CustomerRead
from patron.kernel.errors import PatronError
from patron.kernel.messages import Message

_CREATE = frozenset(f.name for f in msgspec.structs.fields(CustomerCreate))
FIELDS: frozenset[str] = _CREATE - {"custom_fields"}
# What an export writes but an import cannot set: CustomerRead's own fields, and the subscription.
READ_ONLY: frozenset[str] = (frozenset(f.name for f in msgspec.structs.fields(CustomerRead)) - _CREATE) | {
    "newsletter_status"
}
CUSTOM_PREFIX = "custom."
MAX_COLUMNS = 1000

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_DELIMITERS = (",", ";", "\t")  # the order breaks ties: a comma first
_SEPARATORS = re.compile(r"[\s_-]+")


class FileUnreadable(PatronError):
    """The uploaded file cannot be imported at all (as opposed to one bad row)."""

    status = 422
    code = "import.unreadable"
    title = Message("title.file_unreadable")


@dataclass(frozen=True, slots=True)
class Column:
    index: int
    header: str
    field: str | None  # a FIELDS name, "custom.<key>", or None when the column is ignored


@dataclass(frozen=True, slots=True)
class ImportWarning:  # the builtin of that name is never used here
    """Something about the columns the client should know; the import goes on."""

    code: str
    message: Message
    columns: tuple[str, ...]


Warning_ = ImportWarning  # the name the engine's first draft codes against


@dataclass(slots=True)
class Sheet:
    format: Literal["csv", "xlsx"]
    delimiter: str | None
    columns: list[Column]
    warnings: list[ImportWarning]
    rows: Iterator[tuple[int, list[str]]] = field(repr=False)


def normalise(header: str) -> str:
    """A header as matched: lower case, runs of spaces, dashes and underscores as one `_`, none at the ends."""
    return _SEPARATORS.sub("_", header.lower()).strip("_")


def resolve(name: str) -> str | None:
    """The field a header or mapping value names (a FIELDS name or `custom.<key>`), else None."""
    stripped = name.strip()
    if normalise(stripped[: len(CUSTOM_PREFIX)]) == CUSTOM_PREFIX:
        key = normalise(stripped[len(CUSTOM_PREFIX) :])
        return CUSTOM_PREFIX + key if key else None
    normal = normalise(stripped)
    return normal if normal in FIELDS else None


def read(
    content: bytes,
    *,
    file_name: str | None = None,
    content_type: str | None = None,
    mapping: Mapping[str, str | None] | None = None,
) -> Sheet:
    """The file's columns and warnings, checked now, and its rows, read as they are iterated.

    The format is told by the bytes alone: clients send CSV files named .xlsx and the reverse,
    so `file_name` and `content_type` are accepted for the caller's convenience and not trusted.
    """
    del file_name, content_type
    if content.startswith(_OLE_MAGIC):
        raise FileUnreadable(Message("import.unsupported_format"), code="import.unsupported_format")
    if content.startswith(_ZIP_MAGIC):
        header, rows = _open_xlsx(content)
        fmt: Literal["csv", "xlsx"] = "xlsx"
        delimiter = None
    else:
        delimiter, header, rows = _open_csv(content)
        fmt = "csv"
    columns, warnings = _columns(header, mapping or {})
    return Sheet(fmt, delimiter, columns, warnings, _cells(rows, len(columns)))


def _cells(rows: Iterator[tuple[int, list[str]]], width: int) -> Iterator[tuple[int, list[str]]]:
    for number, raw in rows:
        cells = [cell.strip() for cell in raw[:width]]
        if not any(cells):
            continue
        cells.extend("" for _ in range(width - len(cells)))
        yield number, cells


def _columns(header: list[str], mapping: Mapping[str, str | None]) -> tuple[list[Column], list[ImportWarning]]:
    while header and not header[-1].strip():
        header = header[:-1]  # trailing blank header cells: spreadsheet padding, not columns
    if len(header) > MAX_COLUMNS:
        raise FileUnreadable(
            Message("import.too_many_columns", count=len(header), limit=MAX_COLUMNS), code="import.too_many_columns"
        )
    mapped: dict[str, str | None] = {}
    for key, value in mapping.items():
        target = resolve(value) if value else None
        if value and (target is None or target in READ_ONLY):
            raise FileUnreadable(
                Message("import.mapping_unknown_field", column=key, field=value),
                code="import.invalid_mapping",
                extra={"columns": [key]},
            )
        mapped[normalise(key)] = target
    headers = {normalise(h) for h in header}
    for key in mapping:
        if normalise(key) not in headers:
            raise FileUnreadable(
                Message("import.mapping_unknown_column", column=key),
                code="import.invalid_mapping",
                extra={"columns": [key]},
            )
    columns: list[Column] = []
    unknown: list[str] = []
    read_only: list[str] = []
    taken: dict[str, str] = {}
    for index, raw in enumerate(header):
        text = raw.strip()
        normal = normalise(text)
        target = mapped[normal] if normal in mapped else resolve(text)
        if target is None and normal not in mapped and text:
            (read_only if normal in READ_ONLY else unknown).append(text)
        if target is not None:
            if target in taken:
                raise FileUnreadable(
                    Message("import.duplicate_column", first=taken[target], second=text, field=target),
                    code="import.duplicate_column",
                    extra={"columns": [taken[target], text]},
                )
            taken[target] = text
        columns.append(Column(index, text, target))
    warnings = []
    if unknown:
        warnings.append(
            ImportWarning(
                "import.unknown_columns", Message("import.unknown_columns", columns=_quoted(unknown)), tuple(unknown)
            )
        )
    if read_only:
        warnings.append(
            ImportWarning(
                "import.read_only_columns",
                Message("import.read_only_columns", columns=_quoted(read_only)),
                tuple(read_only),
            )
        )
    return columns, warnings


def _quoted(headers: list[str]) -> str:
    return ", ".join(f'"{h}"' for h in headers)


def _empty() -> FileUnreadable:
    return FileUnreadable(Message("import.empty_file"), code="import.empty_file")


def _header(rows: Iterator[tuple[int, list[str]]]) -> list[str]:
    """The first row with a non-blank cell; the rows after it stay in `rows`."""
    for _, cells in rows:
        if any(cell.strip() for cell in cells):
            return cells
    raise _empty()


# --- CSV ---------------------------------------------------------------------------------------


def _open_csv(content: bytes) -> tuple[str, list[str], Iterator[tuple[int, list[str]]]]:
    text = _decode(content)
    if not text.strip():
        raise _empty()
    delimiter = _sniff(text)
    rows = _csv_rows(text, delimiter)
    return delimiter, _header(rows), rows


def _decode(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _not_utf8(content, 0, "UTF-16")
    if _looks_utf16(content[:4096]):
        raise _not_utf8(content, content.index(b"\x00"), "UTF-16")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _not_utf8(content, exc.start, "Latin-1 / Windows-1252") from None


def _looks_utf16(sample: bytes) -> bool:
    # UTF-16 text of Latin letters has a NUL in every other byte; a stray NUL in UTF-8 text does not.
    half = len(sample) // 2
    return half > 0 and max(sample[0::2].count(0), sample[1::2].count(0)) * 3 >= half


def _not_utf8(content: bytes, at: int, encoding: str) -> FileUnreadable:
    line = content.count(b"\n", 0, at) + 1
    return FileUnreadable(
        Message("import.not_utf8", line=line, byte=f"0x{content[at]:02X}", encoding=encoding), code="import.not_utf8"
    )


def _sniff(text: str) -> str:
    """The delimiter the header line uses most, outside quotes; the header is the first non-blank line."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    started = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char in "\r\n":
            if started:
                break
        elif char in counts:
            counts[char] += 1
        if not char.isspace():
            started = True
    return max(_DELIMITERS, key=lambda d: counts[d])  # max keeps the first of equals: ties go to ","


def _csv_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    # strict: an unclosed quote would otherwise swallow the rest of the file into one cell.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = 0
    while True:
        number += 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise FileUnreadable(
                Message("import.malformed_csv", row=number, line=reader.line_num), code="import.malformed_csv"
            ) from None
        yield number, record


# --- XLSX --------------------------------------------------------------------------------------

# What openpyxl raises for a zip that is broken or holds no workbook (measured on truncated files,
# a .docx and a zip of text files).
_XLSX_ERRORS = (
    zipfile.BadZipFile,
    InvalidFileException,
    KeyError,
    ValueError,
    TypeError,
    OSError,
    EOFError,
    ParseError,
)


def _unreadable_xlsx() -> FileUnreadable:
    return FileUnreadable(Message("import.unreadable_xlsx"), code="import.unreadable_xlsx")


def _open_xlsx(content: bytes) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except _XLSX_ERRORS:
        raise _unreadable_xlsx() from None
    try:
        if not workbook.worksheets:
            raise _empty()
        sheet = workbook.worksheets[0]
        # The stored dimension is often wrong in files other tools write; read every cell there is.
        sheet.reset_dimensions()
        values = sheet.iter_rows(values_only=True)
        rows = _xlsx_rows(values, workbook.close)
        header = _header(rows)
    except PatronError:
        workbook.close()
        raise
    except _XLSX_ERRORS:
        workbook.close()
        raise _unreadable_xlsx() from None
    return header, rows


def _xlsx_rows(values: Iterator[tuple[object, ...]], close: Callable[[], None]) -> Iterator[tuple[int, list[str]]]:
    try:
        for number, row in enumerate(values, start=1):
            yield number, [_text(value) for value in row]
    except _XLSX_ERRORS:
        raise _unreadable_xlsx() from None
    finally:
        close()


def _text(value: object) -> str:
    """A cell value as the text a person reads in the spreadsheet."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()
