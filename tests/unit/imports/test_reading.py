"""The import file reader: formats, encodings, delimiters, header matching, mapping and warnings."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime, time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from patron.imports.reading import FIELDS, READ_ONLY, FileUnreadable, normalise, read, resolve
from patron.kernel.messages import catalog


def _rows(content: bytes, **kwargs: object) -> list[tuple[int, list[str]]]:
    return list(read(content, **kwargs).rows)  # type: ignore[arg-type]


def _refused(content: bytes, code: str, **kwargs: object) -> FileUnreadable:
    with pytest.raises(FileUnreadable) as raised:
        read(content, **kwargs)  # type: ignore[arg-type]
    assert raised.value.code == code
    assert raised.value.status == 422
    return raised.value


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_fields_and_read_only_fields() -> None:
    assert {"email", "customer_number", "first_name", "tags", "group_id", "company_id"} <= FIELDS
    assert "custom_fields" not in FIELDS
    assert {
        "id", "user_id", "points_balance", "loyalty_tier", "created_at", "updated_at",
        "churned_at", "deleted_at", "erased_at", "merged_into", "version", "newsletter_status",
    } == READ_ONLY  # fmt: skip
    assert not FIELDS & READ_ONLY


def test_a_comma_file_with_bom_and_crlf() -> None:
    sheet = read("\ufeffEmail,First Name\r\na@example.com , Lan\r\n".encode())
    assert (sheet.format, sheet.delimiter) == ("csv", ",")
    assert [(c.index, c.header, c.field) for c in sheet.columns] == [
        (0, "Email", "email"),
        (1, "First Name", "first_name"),
    ]
    assert list(sheet.rows) == [(2, ["a@example.com", "Lan"])]
    assert sheet.warnings == []


def test_semicolon_and_tab_files_are_sniffed() -> None:
    semicolon = read(b'email;tags;"company, name"\na@example.com;vip,new;"X, Inc"\n')
    assert semicolon.delimiter == ";"
    assert list(semicolon.rows) == [(2, ["a@example.com", "vip,new", "X, Inc"])]
    tab = read(b"email\tphone\na@example.com\t0912 345 678\n")
    assert tab.delimiter == "\t"
    assert list(tab.rows) == [(2, ["a@example.com", "0912 345 678"])]
    assert read(b"email\na@example.com\n").delimiter == ","
    assert read(b"email,phone;fax\n").delimiter == ","  # a tie goes to the comma


def test_quoted_newlines_keep_row_numbers_and_blank_rows_are_skipped() -> None:
    content = b'email,company_name\na@example.com,"Two\nlines"\n\n , \nb@example.com,B\n'
    assert _rows(content) == [(2, ["a@example.com", "Two\nlines"]), (5, ["b@example.com", "B"])]


def test_short_rows_are_padded_and_long_rows_cut() -> None:
    assert _rows(b"email,first_name\na@example.com\nb@example.com,B,extra\n") == [
        (2, ["a@example.com", ""]),
        (3, ["b@example.com", "B"]),
    ]


def test_blank_lines_before_the_header_keep_their_numbers() -> None:
    sheet = read(b"\n\nemail\na@example.com\n")
    assert [c.field for c in sheet.columns] == ["email"]
    assert list(sheet.rows) == [(4, ["a@example.com"])]


def test_a_header_without_rows_is_fine() -> None:
    sheet = read(b"email,phone\n")
    assert len(sheet.columns) == 2
    assert list(sheet.rows) == []


@pytest.mark.parametrize("content", [b"", b"  \n\r\n\t", "\ufeff".encode(), "\ufeff\n ,,\n".encode(), b",,,\n\n"])
def test_an_empty_file_is_refused(content: bytes) -> None:
    _refused(content, "import.empty_file")


def test_latin1_is_refused_naming_the_encoding_and_the_line() -> None:
    error = _refused("email,first_name\na@example.com,An\nb@example.com,René\n".encode("latin-1"), "import.not_utf8")
    text = str(error)
    assert text == (
        "The file is not UTF-8: line 3 has byte 0xE9, as written by Latin-1 / Windows-1252. "
        "Save it as CSV UTF-8 and upload it again."
    )
    assert "Latin-1" in error.detail.render("vi")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_refused_as_utf16(encoding: str) -> None:
    error = _refused("email,first_name\na@example.com,Lan\n".encode(encoding), "import.not_utf8")
    assert "UTF-16" in str(error)
    assert "line 1" in str(error)


def test_a_stray_nul_in_utf8_is_not_taken_for_utf16() -> None:
    assert _rows(b"email,first_name\na@example.com,L\x00an\n") == [(2, ["a@example.com", "L\x00an"])]


def test_malformed_csv_names_the_row() -> None:
    sheet = read(b'email,first_name\na@example.com,An\nb@example.com,"Bo"x\n')
    rows = iter(sheet.rows)
    assert next(rows) == (2, ["a@example.com", "An"])
    with pytest.raises(FileUnreadable) as raised:
        next(rows)
    assert raised.value.code == "import.malformed_csv"
    assert "row 3" in str(raised.value)
    error = _refused(b'email,"first\n', "import.malformed_csv")
    assert "row 1" in str(error)


def test_an_unclosed_quote_does_not_swallow_the_file() -> None:
    with pytest.raises(FileUnreadable) as raised:
        _rows(b'email,first_name\na@example.com,"An\nb@example.com,Bo\n')
    assert raised.value.code == "import.malformed_csv"
    assert "row 2" in str(raised.value)


def test_an_xls_file_is_refused_whatever_its_name() -> None:
    error = _refused(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "import.unsupported_format", file_name="a.csv"
    )
    assert ".xlsx or CSV UTF-8" in str(error)


def test_an_xlsx_workbook_is_read_with_cells_as_text() -> None:
    content = _xlsx(
        [
            ["Email", "Birthday", "Credit", "is_favorite", "Company Name", "custom.Score", "custom.Seen At", "Phone"],
            ["a@example.com", date(2024, 3, 1), 1500, True, None, 2.5, datetime(2024, 3, 1, 10, 30), "  0912  "],
            [None, None, None, None, None, None, None, None],
            ["b@example.com", datetime(2024, 3, 1), 3.0, False, " B ", 0.1, time(9, 15), 912345678],
        ]
    )
    sheet = read(content, file_name="customers.csv", content_type="text/csv")
    assert (sheet.format, sheet.delimiter) == ("xlsx", None)
    assert [c.field for c in sheet.columns] == [
        "email", "birthday", "credit", "is_favorite", "company_name", "custom.score", "custom.seen_at", "phone",
    ]  # fmt: skip
    assert list(sheet.rows) == [
        (2, ["a@example.com", "2024-03-01", "1500", "true", "", "2.5", "2024-03-01T10:30:00", "0912"]),
        (4, ["b@example.com", "2024-03-01", "3", "false", "B", "0.1", "09:15:00", "912345678"]),
    ]
    assert list(read(content).rows) == list(read(content).rows)


def test_an_xlsx_sheet_with_gaps_keeps_spreadsheet_row_numbers() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["B3"] = "email"
    sheet["B7"] = "a@example.com"
    out = io.BytesIO()
    workbook.save(out)
    read_back = read(out.getvalue())
    assert [(c.index, c.header, c.field) for c in read_back.columns] == [(0, "", None), (1, "email", "email")]
    assert list(read_back.rows) == [(7, ["", "a@example.com"])]


def test_an_empty_xlsx_is_an_empty_file() -> None:
    _refused(_xlsx([]), "import.empty_file")


@pytest.mark.parametrize("kind", ["truncated", "docx-like", "garbage"])
def test_a_broken_xlsx_is_unreadable(kind: str) -> None:
    if kind == "truncated":
        content = _xlsx([["email"], ["a@example.com"]])[:300]
    elif kind == "docx-like":
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("word/document.xml", "<w:document/>")
        content = out.getvalue()
    else:
        content = b"PK\x03\x04" + b"not a zip at all" * 10
    _refused(content, "import.unreadable_xlsx")


@pytest.mark.parametrize("header", ["First Name", "first-name", "FIRST_NAME", "  first name  ", "First - Name"])
def test_headers_match_fields_case_space_and_dash_insensitively(header: str) -> None:
    assert read(f"{header},email\n".encode()).columns[0].field == "first_name"


def test_custom_columns_are_normalised() -> None:
    sheet = read(b"email,Custom.Loyalty Card,CUSTOM.shoe-size,custom.\n")
    assert [c.field for c in sheet.columns] == ["email", "custom.loyalty_card", "custom.shoe_size", None]


def test_unknown_and_read_only_columns_give_one_warning_each() -> None:
    sheet = read(b"id,email,Favourite Colour,points_balance,,Newsletter Status,Shoe\n")
    assert [c.field for c in sheet.columns] == ["email" if c.header == "email" else None for c in sheet.columns]
    by_code = {w.code: w for w in sheet.warnings}
    assert set(by_code) == {"import.unknown_columns", "import.read_only_columns"}
    assert by_code["import.unknown_columns"].columns == ("Favourite Colour", "Shoe")
    assert by_code["import.read_only_columns"].columns == ("id", "points_balance", "Newsletter Status")
    assert str(by_code["import.unknown_columns"].message) == (
        'These columns are not customer fields and were ignored: "Favourite Colour", "Shoe".'
    )
    assert "Favourite Colour" in by_code["import.unknown_columns"].message.render("vi")


def test_trailing_blank_headers_are_not_columns() -> None:
    sheet = read(b"email,,\na@example.com,,x\n")
    assert len(sheet.columns) == 1
    assert list(sheet.rows) == [(2, ["a@example.com"])]


def test_duplicate_columns_are_refused_naming_both() -> None:
    error = _refused(b"Email,phone, EMAIL \n", "import.duplicate_column")
    assert '"Email" and "EMAIL"' in str(error)
    _refused(b"email,custom.a b,Custom.A-B\n", "import.duplicate_column")


def test_a_mapping_renames_and_ignores_columns() -> None:
    sheet = read(
        b"E-mail address,Vorname,Notes,first_name\na@example.com,Lan,x,ignored\n",
        mapping={"e-mail Address": "email", "VORNAME": "first_name", "notes": "custom.Notes", "First Name": None},
    )
    assert [c.field for c in sheet.columns] == ["email", "first_name", "custom.notes", None]
    assert sheet.warnings == []
    assert list(sheet.rows) == [(2, ["a@example.com", "Lan", "x", "ignored"])]
    assert [c.field for c in read(b"email,id\n", mapping={"id": ""}).columns] == ["email", None]


@pytest.mark.parametrize(
    ("mapping", "named"),
    [
        ({"email": "nonsense"}, "email"),
        ({"email": "id"}, "email"),
        ({"Phone": "phone"}, "Phone"),
        ({"x": "custom."}, "x"),
    ],
)
def test_an_invalid_mapping_is_refused_naming_the_key(mapping: dict[str, str], named: str) -> None:
    error = _refused(b"email,x\n", "import.invalid_mapping", mapping=mapping)
    assert f'"{named}"' in str(error)


def test_a_mapping_onto_a_taken_field_is_a_duplicate() -> None:
    _refused(b"email,mail\n", "import.duplicate_column", mapping={"mail": "email"})


def test_more_than_a_thousand_columns_are_refused() -> None:
    assert len(read(",".join(f"c{i}" for i in range(1000)).encode()).columns) == 1000
    error = _refused(",".join(f"c{i}" for i in range(1001)).encode(), "import.too_many_columns")
    assert "1001" in str(error)


def test_reading_twice_gives_the_same_rows() -> None:
    content = b"email,first_name\na@example.com,A\n\nb@example.com,B\n"
    assert _rows(content) == _rows(content) == [(2, ["a@example.com", "A"]), (4, ["b@example.com", "B"])]


def test_every_refusal_code_has_a_message_in_both_catalogs() -> None:
    source = (Path(__file__).parents[3] / "src/patron/imports/reading.py").read_text()
    ids = set(re.findall(r'Message\(\s*"(import\.[a-z0-9_]+)"', source))
    codes = set(re.findall(r'code="(import\.[a-z0-9_]+)"', source))
    assert codes == {
        "import.unsupported_format", "import.not_utf8", "import.malformed_csv", "import.unreadable_xlsx",
        "import.empty_file", "import.too_many_columns", "import.invalid_mapping", "import.duplicate_column",
    }  # fmt: skip
    for locale in ("en", "vi"):
        assert ids <= set(catalog(locale))


_CELL = st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")), max_size=12)


@given(
    st.sampled_from([",", ";", "\t"]),
    # Two columns at least: a one-column file has no delimiter to sniff, and "," is then one cell or two.
    st.integers(min_value=2, max_value=5).flatmap(
        lambda width: st.lists(st.lists(_CELL, min_size=width, max_size=width), max_size=8)
    ),
)
def test_a_table_written_with_csv_writer_reads_back(delimiter: str, table: list[list[str]]) -> None:
    width = len(table[0]) if table else 2
    header = [f"custom.c{i}" for i in range(width)]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(table)
    sheet = read(out.getvalue().encode())
    assert sheet.delimiter == delimiter
    expected = [
        (number, [cell.strip() for cell in row])
        for number, row in enumerate(table, start=2)
        if any(cell.strip() for cell in row)
    ]
    assert list(sheet.rows) == expected


_HEADER = st.text(st.sampled_from("abcXYZ _- \t"), max_size=12)


@given(_HEADER)
def test_header_normalisation_is_idempotent_and_insensitive(header: str) -> None:
    once = normalise(header)
    assert normalise(once) == once
    assert normalise(header.upper()) == normalise(header.lower()) == once
    assert normalise(header.replace("-", " ")) == normalise(header.replace(" ", "_")) == once
    assert normalise(f"  {header}  ") == once


@given(st.sampled_from(sorted(FIELDS)), st.sampled_from([" ", "-", "_", " - ", "  "]))
def test_every_field_name_resolves_in_any_spelling(name: str, separator: str) -> None:
    assert resolve(name) == name
    assert resolve(name.replace("_", separator)) == name
    assert resolve(name.upper().replace("_", " ")) == name
    assert resolve(f" {name.replace('_', '-').title()} ") == name
