"""An uploaded file as a header and rows of text cells: CSV (UTF-8, `,` `;` or tab) or XLSX.

Pure Python. `read` checks what can be checked at once (the format, the encoding, the header
and its mapping to fields), so an unreadable file is refused when it is uploaded; the rows are
read lazily, and reading the same bytes again gives the same rows (a resumed job reads its file
again).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Literal

from patron.customers.schemas import CustomerCreate, CustomerRead
from patron.kernel.errors import PatronError
from patron.kernel.messages import Message

# The importable customer fields (their cells are validated as POST /customers validates them).
FIELDS = frozenset(name for name in CustomerCreate.__struct_fields__ if name != "custom_fields")
# What an export writes that an import does not take: server-owned and derived fields.
READ_ONLY = frozenset(
    name for name in CustomerRead.__struct_fields__ if name not in FIELDS and name != "custom_fields"
) | {"newsletter_status", "custom_fields"}
CUSTOM_PREFIX = "custom."
MAX_COLUMNS = 1_000
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"
_BOMS = {b"\xef\xbb\xbf": "utf-8", b"\xff\xfe": "UTF-16", b"\xfe\xff": "UTF-16"}
_SEPARATORS = re.compile(r"[\s_\-]+")
# csv refuses fields over 128 KiB by default; a customer's cell is far smaller, a broken quote is not.
csv.field_size_limit(1 << 20)


class FileUnreadable(PatronError):
    """The file cannot be imported as it is: its format, encoding or header (422, a code per case)."""

    status = 422
    code = "import.unreadable"
    title = Message("title.validation_failed")


@dataclass(frozen=True, slots=True)
class Column:
    index: int
    header: str
    field: str | None  # a FIELDS name, "custom.<key>", or None when the column is ignored


@dataclass(frozen=True, slots=True)
class ImportWarning:
    code: str
    message: Message
    columns: tuple[str, ...]


@dataclass(slots=True)
class Sheet:
    format: Literal["csv", "xlsx"]
    delimiter: str | None
    columns: list[Column]
    warnings: list[ImportWarning]
    rows: Iterator[tuple[int, list[str]]]


def normalise_header(header: str) -> str:
    """`First Name`, `first-name`, `FIRST_NAME` → `first_name`; `Custom.VIP Since` → `custom.vip_since`."""
    text = _SEPARATORS.sub("_", header.strip().lower()).strip("_")
    if text.startswith(CUSTOM_PREFIX):
        return CUSTOM_PREFIX + text.removeprefix(CUSTOM_PREFIX).strip("_")
    return text


def read(
    content: bytes,
    *,
    file_name: str | None = None,
    content_type: str | None = None,
    mapping: Mapping[str, str | None] | None = None,
) -> Sheet:
    """The file's header mapped to fields and its rows (lazily); FileUnreadable says why it cannot be.

    The format is told by the bytes (a ZIP is XLSX, whatever the name or type claims); the name
    and type only make the message for a legacy workbook clearer.
    """
    del file_name, content_type  # the bytes decide
    if content.startswith(_OLE):
        raise FileUnreadable(Message("import.unsupported_format"), code="import.unsupported_format")
    if content.startswith(_ZIP):
        header, rows, delimiter, kind = *_xlsx(content), None, "xlsx"
    else:
        text = _text(content)
        delimiter = _delimiter(text)
        header, rows = _csv(text, delimiter)
        kind = "csv"
    columns, warnings = _columns(header, mapping or {})
    return Sheet(kind, delimiter, columns, warnings, _cells(rows, len(columns)))  # type: ignore[arg-type]


def _text(content: bytes) -> str:
    for bom, name in _BOMS.items():
        if content.startswith(bom) and name != "utf-8":
            raise FileUnreadable(Message("import.not_utf8_bom", encoding=name), code="import.not_utf8")
    body = content.removeprefix(b"\xef\xbb\xbf")
    if not body.strip():
        raise FileUnreadable(Message("import.empty_file"), code="import.empty_file")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        byte = body[exc.start]
        # Every other byte NUL: UTF-16 written without its mark.
        looks = "UTF-16" if body[1:200:2].count(0) > len(body[1:200:2]) // 2 else "Latin-1 / Windows-1252"
        raise FileUnreadable(
            Message("import.not_utf8", line=line, byte=f"0x{byte:02X}", encoding=looks), code="import.not_utf8"
        ) from None


def _delimiter(text: str) -> str:
    """`,`, `;` or tab: the one the header line holds most often outside quotes (ties: `,`)."""
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif not quoted:
            if char in "\r\n":
                break
            if char in counts:
                counts[char] += 1
    best = max(counts.values())
    return "," if best == 0 or counts[","] == best else (";" if counts[";"] == best else "\t")


def _csv(text: str, delimiter: str) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(records, None)
    except csv.Error as exc:
        raise FileUnreadable(
            Message("import.malformed_csv", row=1, reason=str(exc)), code="import.malformed_csv"
        ) from None
    if header is None:
        raise FileUnreadable(Message("import.empty_file"), code="import.empty_file")

    def rows() -> Iterator[tuple[int, list[Any]]]:
        number = 1
        while True:
            number += 1
            try:
                record = next(records)
            except StopIteration:
                return
            except csv.Error as exc:
                raise FileUnreadable(
                    Message("import.malformed_csv", row=number, reason=str(exc)), code="import.malformed_csv"
                ) from None
            yield number, record

    return header, rows()


def _xlsx(content: bytes) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    import openpyxl  # only an XLSX upload pays for importing it

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileUnreadable(
            Message("import.unreadable_xlsx", reason=str(exc)), code="import.unreadable_xlsx"
        ) from None
    if not book.worksheets:
        book.close()
        raise FileUnreadable(Message("import.empty_file"), code="import.empty_file")
    records = book.worksheets[0].iter_rows(values_only=True)
    header_cells = next(records, None)
    if header_cells is None or not any(cell is not None and str(cell).strip() for cell in header_cells):
        book.close()
        raise FileUnreadable(Message("import.empty_file"), code="import.empty_file")
    header = [_xlsx_text(cell) for cell in header_cells]

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, record in enumerate(records, start=2):
                yield number, [_xlsx_text(cell) for cell in record]
        finally:
            book.close()

    return header, rows()


def _xlsx_text(cell: Any) -> str:
    """A typed spreadsheet cell as the text a CSV of it would hold."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, int):
        return str(cell)
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() and abs(cell) < 1e16 else repr(cell)
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == time(0) else cell.isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell).strip()


def _columns(header: list[str], mapping: Mapping[str, str | None]) -> tuple[list[Column], list[ImportWarning]]:
    if len(header) > MAX_COLUMNS:
        raise FileUnreadable(
            Message("import.too_many_columns", count=len(header), limit=MAX_COLUMNS), code="import.too_many_columns"
        )
    header = [str(h).strip() for h in header]
    header = [h.removeprefix("\ufeff") for h in header]
    mapped = _mapping(header, mapping)
    columns: list[Column] = []
    unknown: list[str] = []
    read_only: list[str] = []
    claimed: dict[str, str] = {}
    for index, text in enumerate(header):
        name = normalise_header(text)
        if name in mapped:
            field = mapped[name]
        elif name in FIELDS or (name.startswith(CUSTOM_PREFIX) and len(name) > len(CUSTOM_PREFIX)):
            field = name
        else:
            field = None
            if name in READ_ONLY:
                read_only.append(text)
            elif text:
                unknown.append(text)
        if field is not None:
            if field in claimed:
                raise FileUnreadable(
                    Message("import.duplicate_column", first=claimed[field], second=text, field=field),
                    code="import.duplicate_column",
                )
            claimed[field] = text
        columns.append(Column(index, text, field))
    warnings = []
    if unknown:
        warnings.append(
            ImportWarning(
                "import.unknown_columns", Message("import.unknown_columns", columns=", ".join(unknown)), tuple(unknown)
            )
        )
    if read_only:
        warnings.append(
            ImportWarning(
                "import.read_only_columns",
                Message("import.read_only_columns", columns=", ".join(read_only)),
                tuple(read_only),
            )
        )
    return columns, warnings


def _mapping(header: list[str], mapping: Mapping[str, str | None]) -> dict[str, str | None]:
    """The mapping by normalised header, each target checked; a key naming no column is refused."""
    present = {normalise_header(h) for h in header}
    found: dict[str, str | None] = {}
    for key, target in mapping.items():
        name = normalise_header(key)
        if name not in present:
            raise FileUnreadable(Message("import.mapping_unknown_column", column=key), code="import.invalid_mapping")
        if target is None or not target.strip():
            found[name] = None
            continue
        field = normalise_header(target)
        if field not in FIELDS and not (field.startswith(CUSTOM_PREFIX) and len(field) > len(CUSTOM_PREFIX)):
            raise FileUnreadable(
                Message("import.mapping_unknown_field", column=key, field=target), code="import.invalid_mapping"
            )
        found[name] = field
    return found


def _cells(rows: Iterator[tuple[int, list[Any]]], width: int) -> Iterator[tuple[int, list[str]]]:
    """Each row as exactly `width` stripped text cells; blank rows are skipped."""
    for number, record in rows:
        cells = [str(cell).strip() for cell in record[:width]]
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        if any(cells):
            yield number, cells
