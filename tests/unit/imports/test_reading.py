"""Reading an uploaded file: format, encoding, delimiter, header mapping, rows (no database)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patron.imports import reading
from patron.imports.reading import FileUnreadable, normalise_header, read


def _code(content: bytes, **kwargs: object) -> str:
    with pytest.raises(FileUnreadable) as caught:
        read(content, **kwargs)  # type: ignore[arg-type]
    return caught.value.code


def test_headers_match_fields_in_any_case_with_spaces_or_dashes() -> None:
    sheet = read(b"First Name,last-name,EMAIL, Customer_Number ,custom.Shoe Size\r\n")
    assert [c.field for c in sheet.columns] == [
        "first_name",
        "last_name",
        "email",
        "customer_number",
        "custom.shoe_size",
    ]
    assert list(sheet.rows) == []


def test_a_bom_and_a_semicolon_or_tab_delimiter() -> None:
    sheet = read(b"\xef\xbb\xbfemail;first_name\r\na@example.com;Lan\r\n")
    assert (sheet.delimiter, sheet.columns[0].field) == (";", "email")
    assert list(sheet.rows) == [(2, ["a@example.com", "Lan"])]
    tabbed = read(b"email\tfirst_name\na@example.com\tLan\n")
    assert tabbed.delimiter == "\t"
    assert list(tabbed.rows) == [(2, ["a@example.com", "Lan"])]


def test_row_numbers_are_records_and_blank_rows_are_skipped() -> None:
    content = b'email,first_name\r\na@example.com,"two\r\nlines"\r\n,\r\n\r\nb@example.com,  B  \r\n'
    assert list(read(content).rows) == [(2, ["a@example.com", "two\r\nlines"]), (5, ["b@example.com", "B"])]


def test_short_rows_are_padded_and_long_rows_cut_to_the_header() -> None:
    assert list(read(b"email,first_name\na@example.com\nb@example.com,B,extra\n").rows) == [
        (2, ["a@example.com", ""]),
        (3, ["b@example.com", "B"]),
    ]


def test_latin_1_is_refused_naming_the_encoding_and_the_line() -> None:
    with pytest.raises(FileUnreadable) as caught:
        read("email,first_name\r\nzoe@example.com,Zoé\r\n".encode("latin-1"))
    assert caught.value.code == "import.not_utf8"
    text = str(caught.value.detail)
    assert "line 2" in text
    assert "0xE9" in text
    assert "Latin-1" in text


def test_utf_16_is_refused_as_utf_16() -> None:
    with pytest.raises(FileUnreadable) as caught:
        read("email\r\nzoe@example.com\r\n".encode("utf-16"))
    assert "UTF-16" in str(caught.value.detail)
    with pytest.raises(FileUnreadable) as unmarked:
        read("email\r\nzoé@example.com\r\n".encode("utf-16-le"))
    assert "UTF-16" in str(unmarked.value.detail)


@pytest.mark.parametrize("content", [b"", b"   \r\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused(content: bytes) -> None:
    assert _code(content) == "import.empty_file"


def test_a_legacy_xls_and_a_broken_zip_are_refused() -> None:
    assert _code(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest") == "import.unsupported_format"
    assert _code(b"PK\x03\x04not really a zip") == "import.unreadable_xlsx"


def test_unknown_and_read_only_columns_are_one_warning_each() -> None:
    sheet = read(b"id,email,Favourite Colour,points_balance,shoe,,newsletter_status\r\n")
    assert [(w.code, w.columns) for w in sheet.warnings] == [
        ("import.unknown_columns", ("Favourite Colour", "shoe")),
        ("import.read_only_columns", ("id", "points_balance", "newsletter_status")),
    ]
    assert [c.field for c in sheet.columns] == [None, "email", None, None, None, None, None]


def test_two_columns_for_one_field_are_refused() -> None:
    assert _code(b"Email,E MAIL\r\n".replace(b"E MAIL", b"email")) == "import.duplicate_column"
    assert _code(b"first name,First-Name\r\n") == "import.duplicate_column"


def test_a_mapping_names_columns_and_fields() -> None:
    sheet = read(
        b"Mail,Vorname,Notes\r\nx@example.com,Jan,hi\r\n",
        mapping={"mail": "email", "VORNAME": "First Name", "Notes": None},
    )
    assert [c.field for c in sheet.columns] == ["email", "first_name", None]
    assert sheet.warnings == []
    assert _code(b"Mail\r\n", mapping={"Post": "email"}) == "import.invalid_mapping"
    assert _code(b"Mail\r\n", mapping={"Mail": "shoe"}) == "import.invalid_mapping"
    assert _code(b"Mail,email\r\n", mapping={"Mail": "email"}) == "import.duplicate_column"


def test_too_many_columns_are_refused() -> None:
    header = ",".join(f"c{i}" for i in range(reading.MAX_COLUMNS + 1)).encode()
    assert _code(header) == "import.too_many_columns"


def test_an_xlsx_sheet_reads_as_its_cells_would_in_a_csv() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Email", "credit", "ratio", "is_favorite", "birthday", "seen", "first_name"])
    sheet.append(["a@example.com", 250, 1.5, True, dt.date(1990, 4, 5), dt.datetime(2024, 1, 2, 3, 4, 5), None])
    sheet.append([None, None, None, None, None, None, None])
    sheet.append(["b@example.com", 2.0, None, False, dt.datetime(1991, 1, 1), None, "  B "])
    buffer = io.BytesIO()
    book.save(buffer)
    read_back = read(buffer.getvalue(), file_name="x.xlsx")
    assert (read_back.format, read_back.delimiter) == ("xlsx", None)
    assert read_back.columns[0].field == "email"
    assert list(read_back.rows) == [
        (2, ["a@example.com", "250", "1.5", "true", "1990-04-05", "2024-01-02T03:04:05", ""]),
        (4, ["b@example.com", "2", "", "false", "1991-01-01", "", "B"]),
    ]


def test_reading_the_same_bytes_again_gives_the_same_rows() -> None:
    content = b"email,first_name\r\na@example.com,A\r\nb@example.com,B\r\n"
    assert list(read(content).rows) == list(read(content).rows)


cell = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12).map(str.strip)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 5).flatmap(lambda width: st.lists(st.lists(cell, min_size=width, max_size=width), max_size=8)),
    st.sampled_from([",", ";"]),
)
def test_any_table_written_by_a_csv_writer_reads_back_cell_for_cell(rows: list[list[str]], delimiter: str) -> None:
    width = len(rows[0]) if rows else 1
    header = ["email"] + [f"custom.c{i}" for i in range(1, width)]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows([header, *rows])
    sheet = read(buffer.getvalue().encode())
    expected = [(i + 2, row) for i, row in enumerate(rows) if any(row)]
    assert list(sheet.rows) == expected


header_text = st.text(st.sampled_from("abcXYZ _-"), min_size=1, max_size=15)


@given(header_text)
def test_header_normalisation_is_idempotent_and_ignores_case_spaces_and_dashes(text: str) -> None:
    once = normalise_header(text)
    assert normalise_header(once) == once
    assert normalise_header(text.upper().replace("_", " ")) == once
    assert normalise_header(text.replace("_", "-")) == once
