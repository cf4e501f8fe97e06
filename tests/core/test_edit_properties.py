"""Property tests: byte-exact edits on contracts written in many YAML styles.

Contracts are generated in varied styles (see conftest_contract_styles): double,
single and no quotes; flow and block lists and maps; 2- and 4-space indentation;
sequence offsets 0 and 2; full-line and inline comments; blank lines; CRLF; a
missing final newline; a `---` start line under a header comment; non-ASCII
text; lines longer than 80 characters.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))
from conftest_contract_styles import (  # noqa: E402
    contract_data,
    new_values,
    render,
    same,
    styles,
    with_value,
)

from workbench.core.edit import SetValue, apply_edits  # noqa: E402
from workbench.core.yaml_safe import parse_yaml  # noqa: E402

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _lines(text: str) -> list[str]:
    # split on "\n" only: str.splitlines would also split on \x85, \u2028 ...
    return text.split("\n")


def _scalar_paths(text: str) -> list[tuple[Any, ...]]:
    parsed = parse_yaml(text, fast=False)
    return sorted(
        (p for p, n in parsed.nodes.items() if p and n.kind == "scalar"),
        key=lambda p: parsed.nodes[p].start,
    )


@SETTINGS
@given(data=contract_data(), style=styles(), rnd=st.randoms(use_true_random=False))
def test_generated_contracts_parse_to_their_data(data, style, rnd) -> None:
    """The generator is sound: its text reads back as its data, by both parsers."""
    text = render(data, style, rnd)
    for fast in (True, False):
        parsed = parse_yaml(text, fast=fast)
        assert parsed.ok, (parsed.findings, text)
        assert same(parsed.data, data)


@SETTINGS
@given(data=contract_data(), style=styles(), rnd=st.randoms(use_true_random=False))
def test_no_edit_is_byte_identical(data, style, rnd) -> None:
    text = render(data, style, rnd)
    assert apply_edits(text, []).new_text == text


@SETTINGS
@given(
    data=contract_data(),
    style=styles(),
    rnd=st.randoms(use_true_random=False),
    pick=st.integers(min_value=0),
    value=new_values,
)
def test_one_scalar_edit_changes_only_its_line(data, style, rnd, pick, value) -> None:
    text = render(data, style, rnd)
    paths = _scalar_paths(text)
    path = paths[pick % len(paths)]
    node = parse_yaml(text, fast=False).nodes[path]

    result = apply_edits(text, [SetValue(path, value)])

    reparsed = parse_yaml(result.new_text, fast=False)
    assert reparsed.ok, reparsed.findings
    assert same(reparsed.data, with_value(data, path, value))
    before, after = _lines(text), _lines(result.new_text)
    assert len(before) == len(after), result.unified_diff()
    changed = [i + 1 for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert changed in ([], [node.line]), result.unified_diff()
    line = node.line - 1
    # the edited line keeps what stands before the value, its comment and its line ending
    assert after[line].startswith(before[line][: node.column - 1])
    if "#" in before[line][node.column - 1 :]:
        comment = before[line][before[line].rindex(" #") :]
        if not comment.startswith(" #", 0) or comment.count('"') or comment.count("'"):
            pass  # a '#' inside the old value itself: nothing to compare
        else:
            assert after[line].endswith(comment)
    assert after[line].endswith("\r") == before[line].endswith("\r")
    assert result.new_text.endswith("\n") == text.endswith("\n")


@SETTINGS
@given(
    data=contract_data(),
    style=styles(),
    rnd=st.randoms(use_true_random=False),
    pick=st.integers(min_value=0),
)
def test_same_value_edit_is_byte_identical(data, style, rnd, pick) -> None:
    text = render(data, style, rnd)
    parsed = parse_yaml(text, fast=False)
    paths = _scalar_paths(text)
    path = paths[pick % len(paths)]
    value: Any = parsed.data
    for part in path:
        value = value[part]
    result = apply_edits(text, [SetValue(path, value)])
    assert result.new_text == text
    assert not result.changed
    assert result.changed_lines == []


@SETTINGS
@given(
    data=contract_data(),
    style=styles(),
    rnd=st.randoms(use_true_random=False),
    seed=st.integers(0, 2**32 - 1),
)
def test_several_scalar_edits_change_only_their_lines(data, style, rnd, seed) -> None:
    text = render(data, style, rnd)
    paths = _scalar_paths(text)
    nodes = parse_yaml(text, fast=False).nodes
    chooser = random.Random(seed)
    targets = chooser.sample(paths, k=min(3, len(paths)))
    edits = [SetValue(p, f"edited {i} ✓") for i, p in enumerate(targets)]
    result = apply_edits(text, edits)
    expected = data
    for p in targets:
        expected = with_value(expected, p, f"edited {targets.index(p)} ✓")
    assert same(parse_yaml(result.new_text).data, expected)
    before, after = _lines(text), _lines(result.new_text)
    assert len(before) == len(after)
    changed = {i + 1 for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b}
    assert changed <= {nodes[p].line for p in targets}
