"""Wire shapes for import jobs."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from msgspec import Meta, Struct

from patron.kernel.pagination import Page

Status = Literal["queued", "running", "succeeded", "failed"]
OnMatch = Literal["update", "skip"]


class ImportTotals(Struct):
    rows: Annotated[int | None, Meta(description="data rows in the file; null until the file has been read")]
    processed: Annotated[int, Meta(description="rows applied so far (committed)")]
    created: int
    updated: int
    unchanged: Annotated[int, Meta(description="rows whose customer already held their values (or skipped)")]
    merged: Annotated[int, Meta(description="rows folded into an earlier row of the file with the same key")]
    rejected: int


class ImportProblem(Struct):
    row: Annotated[int, Meta(description="the row as a spreadsheet numbers it: the header is row 1")]
    column: Annotated[str | None, Meta(description="the file's header of the cell, when one cell is at fault")]
    field: str | None
    code: str
    message: str


class ImportWarningRead(Struct):
    code: str
    message: str
    columns: list[str]


class ImportFailure(Struct):
    code: str
    message: str


class ImportRead(Struct):
    id: uuid.UUID
    status: Status
    dry_run: bool
    file_name: str | None
    file_format: Literal["csv", "xlsx"]
    match_on: list[str]
    on_match: OnMatch
    totals: ImportTotals
    progress: Annotated[float, Meta(description="processed / rows, 0 to 1 (0 until the file has been read)")]
    warnings: list[ImportWarningRead]
    failure: ImportFailure | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class ImportDetail(ImportRead):
    errors: Annotated[list[ImportProblem], Meta(description="the first 1,000 rejections, by row")]
    errors_total: int


class ImportPage(Page):
    items: list[ImportRead]
