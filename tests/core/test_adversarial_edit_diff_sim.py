"""Adversarial cases from a review with hand-written contracts: edits, diff, simulation."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest

from workbench.core.diff import diff_contracts
from workbench.core.diff.levels import DiffConfigError, overrides_from_toml
from workbench.core.diff.render import markdown
from workbench.core.edit import EditError, SetValue, apply_edits
from workbench.core.yaml_safe import parse_yaml


def _edit(text: str, path: tuple, value: object) -> str:
    return apply_edits(text, [SetValue(path, value)]).new_text


# -- block lists: empty, replaced, inserted before/between ---------------------------

BLOCK = "a: 1\nlist:  # names\n  - x  # first\n  # between\n  - y\nz: 2\n"


@pytest.mark.parametrize(
    "value, expected",
    [
        ([], "a: 1\nlist: []  # names\nz: 2\n"),
        (["q"], "a: 1\nlist:  # names\n  - q\n  # between\nz: 2\n"),
        (
            ["q", "x", "y"],
            "a: 1\nlist:  # names\n  - q\n  - x  # first\n  # between\n  - y\nz: 2\n",
        ),
        (
            ["x", "q", "y"],
            "a: 1\nlist:  # names\n  - x  # first\n  - q\n  # between\n  - y\nz: 2\n",
        ),
        (["y", "q"], "a: 1\nlist:  # names\n  # between\n  - y\n  - q\nz: 2\n"),
    ],
)
def test_block_list_set_to_any_order_preserving_list(value: list, expected: str) -> None:
    assert _edit(BLOCK, ("list",), value) == expected


def test_block_list_emptied_at_end_of_file_without_newline_and_crlf() -> None:
    assert _edit("a: 1\nlist:\n  - x\n  - y", ("list",), []) == "a: 1\nlist: []"
    assert (
        _edit("a: 1\r\nlist:\r\n  - x\r\nb: 2\r\n", ("list",), []) == "a: 1\r\nlist: []\r\nb: 2\r\n"
    )


def test_block_list_reorder_is_still_refused_with_a_reason() -> None:
    with pytest.raises(EditError, match="reordering"):
        _edit(BLOCK, ("list",), ["y", "x"])


# -- flow collections written over several lines ---------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a: {x: 1}\n", "a: {x: 1, z: 3}\n"),
        ("a: {x: 1,}\n", "a: {x: 1, z: 3,}\n"),
        ("a: {}\n", "a: {z: 3}\n"),
        ("a: {\n  x: 1,\n  y: 2,\n}\n", "a: {\n  x: 1,\n  y: 2,\n  z: 3,\n}\n"),
        ("a: {\n  x: 1  # c\n}\n", "a: {\n  x: 1,  # c\n  z: 3\n}\n"),
        ("a: {\n  x: 1}\n", "a: {\n  x: 1, z: 3}\n"),
    ],
)
def test_new_key_in_a_flow_mapping_follows_its_layout(text: str, expected: str) -> None:
    assert _edit(text, ("a", "z"), 3) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        (["x", "y", "z"], "a: [\n  x,\n  y,\n  z\n]\n"),
        (["y"], "a: [\n  y\n]\n"),
        (["z"], "a: [\n  z\n]\n"),
    ],
)
def test_multiline_flow_list_keeps_its_lines(value: list, expected: str) -> None:
    assert _edit("a: [\n  x,\n  y\n]\n", ("a",), value) == expected


def test_new_tier_in_a_multiline_flow_p95_map_is_a_new_line() -> None:
    text = 'r:\n  p95: {\n    tier_1: 1800,   # fast\n    "tier_3": 6000\n  }\n'
    assert _edit(text, ("r", "p95", "tier-4"), 9000) == (
        'r:\n  p95: {\n    tier_1: 1800,   # fast\n    "tier_3": 6000,\n    tier-4: 9000\n  }\n'
    )


# -- diff -------------------------------------------------------------------------------

SEED_TEXT = (
    Path(__file__).parents[2] / "sample_contracts" / "ai-internal-developer-contract.yml"
).read_text()


def _seed() -> dict:
    data = parse_yaml(SEED_TEXT).data
    assert data is not None
    return copy.deepcopy(data)


def test_numbers_written_as_floats_are_no_change() -> None:
    new = _seed()
    new["governance"]["exception_process"]["expiry_days"] = 30.0
    new["reliability"]["p95_latency_ms"]["tier_1"] = 1800.0
    new["economics"]["monthly_reserve_percent"] = 15.0
    new["economics"]["max_cost_per_run_usd"]["tier_3"] = 8.5
    assert diff_contracts(_seed(), new).changes == []


def test_markdown_cells_cannot_break_the_table_or_open_html() -> None:
    new = _seed()
    new["capability_tiers"]["tier_1"]["use_cases"] += ["a | b", "<!-- hide", "c\r\nd\re"]
    md = markdown(diff_contracts(_seed(), new), "a`b.yml", "new.yml")
    rows = [line for line in md.splitlines() if line.startswith("| info")]
    assert len(rows) == 3 and all(len(re.findall(r"(?<!\\)\|", row)) == 6 for row in rows)
    assert "<!--" not in md and "&lt;!-- hide" in md and "'c d e'" in md
    assert "``a`b.yml``" in md


def test_a_top_level_levels_table_is_not_silently_ignored() -> None:
    with pytest.raises(DiffConfigError, match=r"\[diff.levels\]"):
        overrides_from_toml('[levels]\ncontrol-added = "info"\n')


def test_list_inside_a_list_item_is_refused_not_crashed() -> None:
    text = "x-list:\n- - nested\n  - list\n- {k: v}\n"
    for value in (["nested", "list", "q"], ["q"], ["list", 1, "null"]):
        with pytest.raises(EditError):
            _edit(text, ("x-list", 0), value)


def test_a_mapping_replaced_by_another_adds_before_it_removes() -> None:
    assert _edit("a:\n  b: 1\nz: 2\n", ("a",), {"c": 3}) == "a:\n  c: 3\nz: 2\n"


def test_a_wrong_type_version_is_one_finding() -> None:
    from workbench.core.validate import validate_text

    text = SEED_TEXT.replace("version: 1.0", "version: true")
    findings = [f for f in validate_text(text).findings if f.path == "version"]
    assert len(findings) == 1 and "version such as" in findings[0].message


@pytest.mark.parametrize(
    "value, words",
    [("advanced", "into a text value; write a list, e.g. [advanced]"), (None, "write []")],
)
def test_a_scalar_where_a_block_list_was_says_what_to_write(value: object, words: str) -> None:
    with pytest.raises(EditError, match=re.escape(words)):
        _edit(BLOCK, ("list",), value)


def test_control_characters_in_values_never_reach_the_terminal() -> None:
    from workbench.core.diff.render import text_lines
    from workbench.core.diff.textconv import semantic_view

    new = _seed()
    new["capability_tiers"]["tier_1"]["use_cases"].append("evil \x1b[2J\x07 \u202etxt")
    result = diff_contracts(_seed(), new)
    texts = [line.text for line in text_lines(result, "a", "b")] + [markdown(result, "a", "b")]
    view = semantic_view(SEED_TEXT.replace("content summarization", "evil \\e[2J").encode())
    for text in [*texts, view]:
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert any("evil \\x1b[2J\\x07 \\u202etxt" in t for t in texts)
    assert "evil \\x1b[2J" in view
