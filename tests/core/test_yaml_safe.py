"""Safe loading: every rejection is a located finding, fast, and never runs anything."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from workbench.core.yaml_safe import LOAD_RULES, MAX_BYTES, MAX_NODES, parse_yaml, resolve_plain

BROKEN = Path(__file__).parents[2] / "sample_contracts" / "broken"
SEED = Path(__file__).parents[2] / "sample_contracts" / "ai-internal-developer-contract.yml"

# file -> (rule, line, column) of the one finding the loader must report
REJECTED = {
    "alias-bomb.yml": ("CW006", 51, 9),
    "alias.yml": ("CW006", 13, 22),
    "anchor.yml": ("CW006", 12, 16),
    "python-tag.yml": ("CW005", 3, 8),
    "binary-tag.yml": ("CW005", 3, 8),
    "custom-tag.yml": ("CW005", 4, 17),
    "str-tag.yml": ("CW005", 3, 8),
    "yaml-directive.yml": ("CW007", 1, 1),
    "two-documents.yml": ("CW008", 51, 1),
    "deep-nesting.yml": ("CW009", 115, 129),
    "duplicate-key.yml": ("CW010", 24, 5),
    "tabs.yml": ("CW001", 25, 1),
    "invalid-utf8.yml": ("CW002", 3, 19),
    "empty.yml": ("CW004", 1, 1),
    "non-mapping-root.yml": ("CW011", 1, 1),
}


@pytest.mark.parametrize("fast", [True, False], ids=["c-parser", "pure"])
@pytest.mark.parametrize("name", sorted(REJECTED))
def test_each_bad_input_is_one_located_error(name: str, fast: bool) -> None:
    start = time.perf_counter()
    parsed = parse_yaml((BROKEN / name).read_bytes(), fast=fast)
    elapsed = time.perf_counter() - start
    assert parsed.data is None and not parsed.ok
    assert [(f.rule, f.line, f.column) for f in parsed.findings] == [REJECTED[name]]
    finding = parsed.findings[0]
    assert finding.severity == "error" and finding.message
    assert finding.rule in LOAD_RULES
    assert elapsed < 1.0, f"{name} took {elapsed:.3f}s"


def test_the_alias_bomb_is_never_expanded() -> None:
    text = (BROKEN / "alias-bomb.yml").read_text()
    assert text.count("*l8") == 10  # 10^9 leaves if anything expanded it
    start = time.perf_counter()
    for _ in range(20):
        parsed = parse_yaml(text)
    assert (time.perf_counter() - start) / 20 < 0.02
    assert "alias bombs" in parsed.findings[0].message


def test_a_bomb_made_only_of_aliases_deeper_in_the_file_is_rejected_at_the_first_anchor() -> None:
    bomb = 'a: &a ["lol", "lol"]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(20)
    )
    parsed = parse_yaml(bomb)
    assert [(f.rule, f.line, f.column) for f in parsed.findings] == [("CW006", 1, 4)]


@pytest.mark.parametrize("fast", [True, False])
def test_a_python_tag_never_runs(tmp_path: Path, fast: bool) -> None:
    marker = tmp_path / "pwned"
    text = f'owner: !!python/object/apply:os.system ["touch {marker}"]\n'
    for source in (text, text.encode()):
        parsed = parse_yaml(source, fast=fast)
        assert parsed.findings[0].rule == "CW005"
        assert "python/object/apply:os.system" in parsed.findings[0].message
    # the shipped sample too, run from a scratch directory
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert parse_yaml((BROKEN / "python-tag.yml").read_bytes(), fast=fast).data is None
    finally:
        os.chdir(cwd)
    assert not marker.exists()
    assert not (tmp_path / "workbench-pwned.txt").exists()


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/name:os.system\n",
        "a: !!python/object:collections.OrderedDict {}\n",
        "a: !<tag:yaml.org,2002:python/object/new:os.system> [ls]\n",
        "a: !!set {x}\n",
        "a: !!timestamp 2001-12-14\n",
        "a: !!map {}\n",
        "!!map\nb: 1\n",
        "a: [!!int 1]\n",
        "a: {!!str k: v}\n",
        "%TAG !e! tag:example.com,2000:app/\n---\na: !e!foo x\n",
    ],
)
def test_any_explicit_tag_is_rejected(text: str) -> None:
    parsed = parse_yaml(text)
    assert parsed.findings[0].rule in ("CW005", "CW007")
    assert parsed.findings[0].line >= 1


def test_over_one_mebibyte_is_rejected_before_parsing() -> None:
    body = b"a: " + b"x" * MAX_BYTES + b"\n"
    for source in (body, body.decode()):
        start = time.perf_counter()
        parsed = parse_yaml(source)
        assert time.perf_counter() - start < 1.0
        assert [(f.rule, f.line, f.column) for f in parsed.findings] == [("CW003", 1, 1)]
    just_under = b"a: " + b"x" * (MAX_BYTES - 10) + b"\n"
    assert parse_yaml(just_under).ok


def test_nesting_limit_is_64_collections() -> None:
    for depth, ok in ((64, True), (65, False)):
        for leaf in ("", "1"):
            text = "a: " + "[" * (depth - 1) + leaf + "]" * (depth - 1) + "\n"
            parsed = parse_yaml(text)
            assert parsed.ok is ok, (depth, leaf)
            if not ok:
                assert parsed.findings[0].rule == "CW009"
    block = "".join("  " * i + f"k{i}:\n" for i in range(70)) + "  " * 70 + "v: 1\n"
    assert parse_yaml(block).findings[0].rule == "CW009"


def test_too_many_values_are_refused_at_the_limit() -> None:
    ok = parse_yaml("x: [" + ",".join(["1"] * (MAX_NODES - 3)) + "]\n")
    assert ok.ok
    parsed = parse_yaml("x: [" + ",".join(["1"] * 300_000) + "]\n")
    assert [f.rule for f in parsed.findings] == ["CW013"]
    assert parsed.findings[0].line == 1


def test_a_file_of_only_comments_is_empty() -> None:
    assert [f.rule for f in parse_yaml("# nothing here\n# yet\n").findings] == ["CW004"]


def test_very_deep_input_is_cheap() -> None:
    start = time.perf_counter()
    parsed = parse_yaml("a: " + "[" * 300_000 + "]" * 300_000 + "\n")
    assert time.perf_counter() - start < 1.0
    assert parsed.findings[0].rule == "CW009"


@pytest.mark.parametrize(
    "text, line, column",
    [
        ("a: 1\nb: 2\na: 3\n", 3, 1),
        ("a: {x: 1, x: 2}\n", 1, 11),
        ("a: 1\n'a': 2\n", 2, 1),
        ("top:\n  k: 1\n  k:\n    z: 1\n", 3, 3),
    ],
)
def test_duplicate_keys(text: str, line: int, column: int) -> None:
    parsed = parse_yaml(text)
    assert [(f.rule, f.line, f.column) for f in parsed.findings] == [("CW010", line, column)]
    assert "first defined on line" in parsed.findings[0].message


@pytest.mark.parametrize(
    "text, rule",
    [
        ("a:\n\tb: 1\n", "CW001"),
        ("a: [1, 2\n", "CW001"),
        ('a: "x\n', "CW001"),
        ("a:\n  b: 1\n c: 2\n", "CW001"),
        ("a: \x07\n", "CW001"),
        ("a: \x00\n", "CW001"),
        ("a: " + "9" * 5000 + "\n", "CW001"),
        ("a: \ud800\n", "CW002"),
        ("? [a]\n: 1\n", "CW012"),
        ("", "CW004"),
        ("  \n\n", "CW004"),
        ("# only a comment\n", "CW004"),
        ("hello\n", "CW011"),
        ("- a\n- b\n", "CW011"),
        ("a: 1\n---\nb: 2\n", "CW008"),
        ("%YAML 1.2\n---\na: 1\n", "CW007"),
    ],
)
def test_broken_text_gives_one_located_error(text: str, rule: str) -> None:
    for fast in (True, False):
        parsed = parse_yaml(text, fast=fast)
        assert parsed.data is None
        assert [f.rule for f in parsed.findings] == [rule]
        assert parsed.findings[0].line >= 1 and parsed.findings[0].column >= 1


def test_invalid_utf8_is_located() -> None:
    parsed = parse_yaml(b"a: 1\nb: caf\xe9\n")
    assert [(f.rule, f.line, f.column) for f in parsed.findings] == [("CW002", 2, 7)]
    assert "0xe9" in parsed.findings[0].message


def test_the_seed_parses_to_plain_data_with_positions() -> None:
    for fast in (True, False):
        parsed = parse_yaml(SEED.read_bytes(), fast=fast)
        assert parsed.ok
        assert parsed.data["version"] == 1.0
        assert parsed.data["capability_tiers"]["tier_2"]["requires_human_checkpoint"] == (
            "conditional"
        )
        assert parsed.data["economics"]["max_cost_per_run_usd"]["tier_3"] == 8.5
        node = parsed.nodes[("reliability", "p95_latency_ms", "tier_2")]
        assert (node.line, node.column, node.raw) == (23, 13, "3500")
        assert (node.key_line, node.key_column) == (23, 5)
        assert parsed.nodes[("version",)].raw == "1.0"
        assert parsed.position(("reliability", "p95_latency_ms", "tier_9")) == (22, 5)
        assert parsed.position(("reliability", "p95_latency_ms", "tier_9"), key=True) == (21, 3)
        assert parsed.position(("capability_tiers", "tier_1"), key=True) == (7, 3)


def test_plain_scalars_resolve_by_yaml_1_2_core() -> None:
    assert resolve_plain("yes") == "yes" and resolve_plain("on") == "on"
    assert resolve_plain("true") is True and resolve_plain("False") is False
    assert resolve_plain("~") is None and resolve_plain("null") is None
    assert resolve_plain("0x1F") == 31 and resolve_plain("0o17") == 15
    assert resolve_plain("1.10") == 1.1 and resolve_plain("1_000") == "1_000"
    assert resolve_plain("-.inf") == float("-inf")


def test_quoted_scalars_stay_strings() -> None:
    data = parse_yaml("a: '1'\nb: \"true\"\nc: 'null'\n").data
    assert data == {"a": "1", "b": "true", "c": "null"}


def test_crlf_and_bom_are_remembered() -> None:
    parsed = parse_yaml(b"\xef\xbb\xbfa: 1\r\nb: [x]\r\n")
    assert parsed.ok and parsed.bom and parsed.newline == "\r\n"
    assert parsed.data == {"a": 1, "b": ["x"]}
    assert parsed.nodes[("b",)].line == 2
