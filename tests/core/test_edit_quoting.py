"""A value typed over a quoted string keeps the file's quotes."""

from __future__ import annotations

from workbench.core.edit import SetValue, apply_edits, parse_value


def _set(text: str, key: str, typed: str) -> str:
    value, literal = parse_value(typed)
    return apply_edits(text, [SetValue((key,), value, literal)]).new_text


def test_a_number_typed_over_a_quoted_version_stays_a_quoted_string() -> None:
    text = 'version: "1.0"\nowner: x\n'
    assert _set(text, "version", "1.10") == 'version: "1.10"\nowner: x\n'
    assert _set("version: '1.0'\n", "version", "2.0") == "version: '2.0'\n"


def test_a_bare_number_stays_bare() -> None:
    assert _set("version: 1.0\n", "version", "1.1") == "version: 1.1\n"


def test_booleans_and_text_are_not_affected() -> None:
    assert _set('flag: "x"\n', "flag", "true") == "flag: true\n"
    assert _set('name: "a"\n', "name", "b") == 'name: "b"\n'
