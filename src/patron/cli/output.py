"""What the commands print: the consoles, and our errors as one line each (no traceback)."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from patron.kernel.errors import PatronError, ValidationFailed

console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def fail(exc: PatronError, *, exit_code: int) -> NoReturn:
    """Print the error (each field of a 422 on its own line) and end the command with `exit_code`."""
    if isinstance(exc, ValidationFailed):
        for error in exc.errors:
            where = "" if error.position is None else f" (at character {error.position})"
            err.print(f"[red]{escape(error.field)}[/red]{where}: {escape(str(error.message))}")
    else:
        err.print(f"[red]{exc.code}[/red]: {escape(str(exc.detail))}")
    raise typer.Exit(exit_code) from None
