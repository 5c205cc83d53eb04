"""The message catalogs: every id the code can raise has English and Vietnamese text with the same placeholders."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

import patron
from patron.kernel.errors import FieldError, InvalidValue, NotFound, ValidationFailed
from patron.kernel.messages import LOCALE_DIR, Message, catalog
from patron.kernel.validators import email_message, normalise_email

SOURCE = Path(patron.__file__).parent


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _message_calls() -> list[tuple[str, ast.Call]]:
    calls = []
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Message":
                calls.append((f"{path.relative_to(SOURCE)}:{node.lineno}", node))
    return calls


def _ids_of(call: ast.Call) -> list[str]:
    """The literal id of a Message(...) call; a conditional between two literals counts both."""
    [first] = call.args
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return [first.value]
    if isinstance(first, ast.IfExp) and all(
        isinstance(branch, ast.Constant) and isinstance(branch.value, str) for branch in (first.body, first.orelse)
    ):
        return [first.body.value, first.orelse.value]  # type: ignore[attr-defined]
    raise AssertionError(f"Message id is not a literal: {ast.unparse(first)}")


CALLS = _message_calls()


def _used_ids() -> dict[str, list[str]]:
    used: dict[str, list[str]] = {}
    for where, call in CALLS:
        for message_id in _ids_of(call):
            used.setdefault(message_id, []).append(where)
    return used


def test_the_catalogs_ship_inside_the_package() -> None:
    assert (LOCALE_DIR / "en" / "LC_MESSAGES" / "patron.po").is_file()
    assert (LOCALE_DIR / "vi" / "LC_MESSAGES" / "patron.po").is_file()
    assert LOCALE_DIR.parent == SOURCE


def test_every_message_id_is_a_literal() -> None:
    for where, call in CALLS:
        try:
            _ids_of(call)
        except (AssertionError, ValueError) as exc:
            pytest.fail(f"{where}: {exc}")


def test_every_id_used_has_english_and_vietnamese_text() -> None:
    english, vietnamese = catalog("en"), catalog("vi")
    missing = {
        message_id: where
        for message_id, where in _used_ids().items()
        if not english.get(message_id) or not vietnamese.get(message_id, "").strip()
    }
    assert missing == {}, "message ids without an en and a vi entry"


def test_english_and_vietnamese_hold_the_same_ids_and_placeholders() -> None:
    english, vietnamese = catalog("en"), catalog("vi")
    assert set(english) == set(vietnamese)
    differing = {
        message_id: (_placeholders(text), _placeholders(vietnamese[message_id]))
        for message_id, text in english.items()
        if _placeholders(text) != _placeholders(vietnamese[message_id])
    }
    assert differing == {}


def test_no_catalog_entry_is_unused() -> None:
    assert set(catalog("en")) - set(_used_ids()) == set()


def test_each_call_gives_the_parameters_its_text_names() -> None:
    english = catalog("en")
    wrong = {}
    for where, call in CALLS:
        if any(keyword.arg is None for keyword in call.keywords):
            continue  # **params: checked when rendered
        given = {keyword.arg for keyword in call.keywords}
        for message_id in _ids_of(call):
            if message_id in english and _placeholders(english[message_id]) != given:
                wrong[where] = (message_id, sorted(given), sorted(_placeholders(english[message_id])))
    assert wrong == {}


def test_vietnamese_is_not_english_copied() -> None:
    english, vietnamese = catalog("en"), catalog("vi")
    # Even the entries that wrap a library's English sentence put it in a Vietnamese frame.
    same = {message_id for message_id, text in english.items() if vietnamese[message_id] == text}
    assert same == set()


def test_a_message_renders_in_english_by_default_and_in_vietnamese_on_request() -> None:
    message = Message("field.too_short", min_length=3)
    assert str(message) == "must have at least 3 characters"
    assert message.render("vi") == "phải có ít nhất 3 ký tự"
    assert message.render("de") == str(message)


def test_errors_refuse_raw_strings() -> None:
    # mypy strict rejects these statically; the runtime check covers untyped callers.
    with pytest.raises(TypeError):
        NotFound("customer not found")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        FieldError("email", "is required")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ValidationFailed.single("email", "is required")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        InvalidValue("is empty")  # type: ignore[arg-type]


def test_errors_read_in_english_for_logs() -> None:
    assert str(NotFound(Message("customer.not_found"))) == "customer not found"
    failed = ValidationFailed(
        [FieldError("email", Message("field.required")), FieldError("x", Message("field.unknown"))]
    )
    assert str(failed) == "email: is required; x: is not a known field"


@pytest.mark.parametrize(
    ("address", "message_id"),
    [
        ("no-at-sign", "email.no_at_sign"),
        ("@example.com", "email.nothing_before_at"),
        ("someone@", "email.nothing_after_at"),
        ("someone@localhost", "email.domain_needs_period"),
        ("a..b@example.com", "email.two_periods"),
        (".a@example.com", "email.starts_with_period"),
        ("a.@example.com", "email.period_before_at"),
        ("a@example.com.", "email.ends_with_period"),
        ("a@-example.com", "email.hyphen_after_at"),
        ("a@example.invalid", "email.reserved_domain"),
        ("a b@example.com", "email.bad_characters_before_at"),
        (f"a@{'b' * 250}.com", "email.too_long_after_at"),
    ],
)
def test_email_validator_messages_get_their_own_ids(address: str, message_id: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        normalise_email(address)
    assert raised.value.message.id == message_id
    assert raised.value.message.render("vi") != str(raised.value.message)


def test_an_unknown_email_validator_text_keeps_the_library_sentence() -> None:
    message = email_message("Something new the library says.")
    assert message.id == "email.invalid"
    assert str(message) == "Something new the library says."
    assert "Something new the library says." in message.render("vi")
