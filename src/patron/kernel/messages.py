"""User-facing messages by stable id, rendered from the gettext catalogs in `patron/locale`.

A message is an id (`customer.not_found`) and its parameters; its text lives only in the
catalogs (`locale/<lang>/LC_MESSAGES/patron.po`, msgid = the id, msgstr = the text with
`{name}` placeholders), so English and Vietnamese cannot drift apart by editing one sentence.
The catalogs are read as `.po` once per process with Babel: about 150 entries parse in a few
milliseconds, so a compiled `.mo` would add a build step for nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from babel.messages.pofile import read_po

LOCALES: Final = ("en", "vi")
DEFAULT_LOCALE: Final = "en"
LOCALE_DIR: Final = Path(__file__).resolve().parent.parent / "locale"


class Message:
    """A message id with its parameters; `str()` is the English text."""

    __slots__ = ("id", "params")

    def __init__(self, id: str, /, **params: str | int) -> None:
        self.id = id
        self.params = params

    @classmethod
    def stored(cls, id: str, params: Mapping[str, str | int]) -> Message:
        """A message read back from the database (an import's row errors), rendered when it is read
        in the reader's language; it was made with a literal id where it arose."""
        return cls(id, **params)

    def render(self, locale: str = DEFAULT_LOCALE) -> str:
        template = catalog(locale if locale in LOCALES else DEFAULT_LOCALE).get(self.id)
        if template is None:
            # Unknown ids are caught by tests/unit/kernel/test_messages.py; at run time show the id, never fail.
            return self.id
        try:
            return template.format(**self.params)
        except (KeyError, IndexError, ValueError):
            # A placeholder the call did not give (the catalog test checks every call site): the bare
            # template, rather than failing inside the error handler and answering 500.
            return template

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        params = "".join(f", {k}={v!r}" for k, v in self.params.items())
        return f"Message({self.id!r}{params})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.id, self.params) == (other.id, other.params)

    def __hash__(self) -> int:
        return hash((self.id, tuple(sorted(self.params.items()))))


@functools.cache
def catalog(locale: str) -> dict[str, str]:
    """Message id -> text template of one locale, read once."""
    path = LOCALE_DIR / locale / "LC_MESSAGES" / "patron.po"
    with path.open("rb") as file:
        entries = read_po(file, locale=locale)
    return {str(m.id): str(m.string) for m in entries if m.id and isinstance(m.id, str) and m.string}
