"""Adversarial cases from a review with hand-written contracts: edits, diff, simulation."""

from __future__ import annotations

import pytest

from workbench.core.edit import EditError, SetValue, apply_edits


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
