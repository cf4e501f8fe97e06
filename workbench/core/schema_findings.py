"""Turn pydantic validation errors into located findings (contract and sim inputs alike)."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any, NamedTuple

from workbench.core.findings import Finding, PathTuple, dotted
from workbench.core.yaml_safe import ParsedYaml, resolve_plain

TYPE_WORDS = {
    "string_type": "a string",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
}
EXTENSION_HINT = "prefix it with x- to keep it as a local extension"


class SchemaRuleIds(NamedTuple):
    """The rule ids a file format uses for its four kinds of schema finding."""

    wrong_type: str
    missing: str
    unknown: str
    bad_value: str


def schema_finding(
    error: Any,
    path: PathTuple,
    parsed: ParsedYaml,
    ids: SchemaRuleIds,
    allowed_keys: Callable[[PathTuple], list[str]],
    *,
    expected: str | None = None,
) -> Finding:
    """One pydantic error as a finding at its place in the file.

    `expected` overrides the wording of what a wrong-type value should be.
    """
    kind = error["type"]
    value = error.get("input")
    where = dotted(path) or "(top level)"
    if kind == "missing":
        line, column = parsed.position(path[:-1], key=True)
        parent = dotted(path[:-1]) or "the top level"
        message = f"missing key '{path[-1]}' in {parent}"
        return Finding(
            ids.missing, "error", where, line, column, message, f"add `{path[-1]}:` under {parent}"
        )
    if kind == "extra_forbidden":
        line, column = parsed.position(path, key=True)
        return Finding(
            ids.unknown,
            "error",
            where,
            line,
            column,
            f"unknown key '{path[-1]}'",
            _unknown_hint(path, allowed_keys),
        )
    # a bad mapping key (e.g. a tier id) is located at the key, not its value
    line, column = parsed.position(path, key="[key]" in error["loc"])
    if kind in TYPE_WORDS or expected is not None:
        wanted = expected or TYPE_WORDS[kind]
        message = f"{where}: expected {wanted}, got {show_value(value)}"
        return Finding(
            ids.wrong_type, "error", where, line, column, message, _type_hint(kind, value)
        )
    message = str(error["msg"]).removeprefix("Value error, ").replace("Input should be", "must be")
    message = message[:1].lower() + message[1:]
    shown = "" if isinstance(value, (dict, list)) else f", got {show_value(value)}"
    return Finding(ids.bad_value, "error", where, line, column, f"{where}: {message}{shown}")


def show_value(value: Any) -> str:
    """A value as a person reads it in a message (YAML spelling of booleans and null)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    return repr(value) if isinstance(value, str) else str(value)


def _unknown_hint(path: PathTuple, allowed_keys: Callable[[PathTuple], list[str]]) -> str:
    options = allowed_keys(path[:-1])
    close = difflib.get_close_matches(str(path[-1]), options, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    if options:
        return f"allowed keys: {', '.join(options)}; or {EXTENSION_HINT}"
    return EXTENSION_HINT


def _type_hint(kind: str, value: Any) -> str | None:
    if kind in ("int_type", "float_type") and isinstance(value, str):
        if isinstance(resolve_plain(value.strip()), (int, float)):
            return "remove the quotes around the number"
    if kind == "list_type" and isinstance(value, str):
        return f'write a list: ["{value}"]'
    return None
