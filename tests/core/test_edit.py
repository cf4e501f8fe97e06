"""Byte-exact edits: set, insert, delete, rename as minimal text patches."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.atomic import StaleFileError, atomic_write, sha256_of
from workbench.core.edit import (
    DeleteKey,
    EditError,
    RenameKey,
    SetValue,
    apply_edits,
    parse_value,
    split_path,
)
from workbench.core.yaml_safe import parse_yaml

SAMPLES = Path(__file__).parents[2] / "sample_contracts"
SEED = (SAMPLES / "ai-internal-developer-contract.yml").read_text()
LARGE = (SAMPLES / "platform-contract-large.yml").read_text()


def _edit(text: str, *edits) -> str:
    return apply_edits(text, list(edits)).new_text


# -- the seed and the large sample ---------------------------------------------


@pytest.mark.parametrize("text", [SEED, LARGE], ids=["seed", "large"])
def test_no_edit_is_byte_identical(text: str) -> None:
    result = apply_edits(text, [])
    assert result.new_text == text and not result.changed and result.changed_lines == []


def test_seed_one_scalar_changes_one_line() -> None:
    result = apply_edits(SEED, [SetValue(("reliability", "p95_latency_ms", "tier_2"), 4000)])
    assert result.changed_lines == [23]
    assert result.new_text == SEED.replace("    tier_2: 3500\n", "    tier_2: 4000\n")
    assert "-    tier_2: 3500\n+    tier_2: 4000\n" in result.unified_diff("c.yml")


@pytest.mark.parametrize(
    "path, value, old_line, new_line",
    [
        (("version",), "1.1", "version: 1.0", 'version: "1.1"'),
        (("version",), 1.1, "version: 1.0", "version: 1.1"),
        (
            ("economics", "max_cost_per_run_usd", "tier_3"),
            9.25,
            "    tier_3: 8.50",
            "    tier_3: 9.25",
        ),
        (
            ("economics", "max_cost_per_run_usd", "tier_3"),
            9.0,
            "    tier_3: 8.50",
            "    tier_3: 9.00",
        ),
        (
            ("governance", "exception_process", "approval_owner"),
            "duty-lead",
            '    approval_owner: "platform-duty-manager"',
            '    approval_owner: "duty-lead"',
        ),
        (
            ("capability_tiers", "tier_2", "approved_models", 1),
            "frontier",
            '    approved_models: ["balanced", "advanced"]',
            '    approved_models: ["balanced", "frontier"]',
        ),
        (
            ("capability_tiers", "tier_2", "requires_human_checkpoint"),
            True,
            "    requires_human_checkpoint: conditional",
            "    requires_human_checkpoint: true",
        ),
        (
            ("support", "product_owner_duties", 0),
            "écrire le runbook",
            "    - provide_service_runbook",
            "    - écrire le runbook",
        ),
    ],
)
def test_seed_scalar_edits_keep_style(path, value, old_line: str, new_line: str) -> None:
    result = apply_edits(SEED, [SetValue(path, value)])
    assert result.new_text == SEED.replace(old_line + "\n", new_line + "\n", 1)
    assert len(result.changed_lines) == 1


def test_literal_is_written_as_typed() -> None:
    value, literal = parse_value("12.50")
    out = _edit(SEED, SetValue(("economics", "max_cost_per_run_usd", "tier_3"), value, literal))
    assert "    tier_3: 12.50\n" in out


def test_same_value_is_byte_identical_even_if_spelt_differently() -> None:
    for path, value in [
        (("version",), 1.0),
        (("economics", "max_cost_per_run_usd", "tier_3"), 8.5),
        (("governance", "exception_process", "approval_owner"), "platform-duty-manager"),
        (("capability_tiers", "tier_1", "approved_models"), ["fast"]),
    ]:
        result = apply_edits(SEED, [SetValue(path, value)])
        assert result.new_text == SEED and not result.changed


def test_large_sample_keeps_comments_and_extension() -> None:
    result = apply_edits(
        LARGE, [SetValue(("capability_tiers", "tier_2", "requires_human_checkpoint"), True)]
    )
    assert result.changed_lines == [37]
    assert "requires_human_checkpoint: true # a person checks when confidence < 0.8" in (
        result.new_text
    )


# -- inserts, deletes, renames, lists ------------------------------------------------


def test_adding_a_tier_slo_touches_no_existing_line() -> None:
    result = apply_edits(SEED, [SetValue(("reliability", "p95_latency_ms", "tier_4"), 9000)])
    assert result.changed_lines == []
    assert "    tier_3: 6000\n    tier_4: 9000\n  availability_slo_percent" in result.new_text


def test_adding_a_whole_tier_follows_the_file_style() -> None:
    tier = {
        "use_cases": ["agents"],
        "approved_models": ["advanced"],
        "requires_human_checkpoint": True,
    }
    result = apply_edits(SEED, [SetValue(("capability_tiers", "tier_4"), tier)])
    assert result.changed_lines == []
    assert (
        '  tier_4:\n    use_cases: ["agents"]\n    approved_models: ["advanced"]\n'
        "    requires_human_checkpoint: true\n\nreliability:" in result.new_text
    )


def test_appending_and_removing_block_list_items() -> None:
    path = ("governance", "mandatory_controls")
    controls = parse_yaml(SEED).data["governance"]["mandatory_controls"]
    added = apply_edits(SEED, [SetValue(path, [*controls, "pii_redaction"])])
    assert added.changed_lines == []
    assert "    - model_and_tool_allowlist\n    - pii_redaction\n" in added.new_text
    removed = apply_edits(SEED, [DeleteKey((*path, 1))])
    assert removed.changed_lines == [31]
    assert "prompt_and_tool_audit_log" not in removed.new_text


def test_flow_list_edits_stay_on_their_line() -> None:
    path = ("capability_tiers", "tier_2", "approved_models")
    result = apply_edits(SEED, [SetValue(path, ["balanced", "advanced", "frontier, v2"])])
    assert result.changed_lines == [13]
    assert '["balanced", "advanced", "frontier, v2"]' in result.new_text


def test_rename_and_delete_keys() -> None:
    renamed = apply_edits(SEED, [RenameKey(("capability_tiers", "tier_3"), "tier_x")])
    assert renamed.changed_lines == [15]
    deleted = apply_edits(SEED, [DeleteKey(("reliability", "p95_latency_ms", "tier_3"))])
    assert deleted.changed_lines == [24]


@pytest.mark.parametrize(
    "text, edit, expected",
    [
        ("a: [x, y]\n", SetValue(("a", 0), "p, q"), 'a: ["p, q", y]\n'),
        ("a: {k: v}\n", SetValue(("a", "k"), "p}"), 'a: {k: "p}"}\n'),
        ("a: x # c\n", SetValue(("a",), "p #q"), 'a: "p #q" # c\n'),
        ("a: 'x'\n", SetValue(("a",), "it's"), "a: 'it''s'\n"),
        ("a: 'x'\n", SetValue(("a",), "bell\x07"), 'a: "bell\\x07"\n'),
        ("a: x\n", SetValue(("a",), "line\u2028sep"), 'a: "line\\Lsep"\n'),
        ("a: x\n", SetValue(("a",), "1.10"), 'a: "1.10"\n'),
        ("a: x\n", SetValue(("a",), "yes"), "a: yes\n"),
        ("a: 1\n", SetValue(("a",), "1"), 'a: "1"\n'),
        ("a: 1.50\n", SetValue(("a",), 1e300), "a: 1e+300\n"),
        ("a:\nb: 2\n", SetValue(("a",), 1), "a: 1\nb: 2\n"),
        ("a:   # c\nb: 2\n", SetValue(("a",), 1), "a: 1   # c\nb: 2\n"),
        ("a: |\n  text\n\nb: 1\n", SetValue(("a",), "new"), "a: new\n\nb: 1\n"),
        ("\ufeffa: 1\n", SetValue(("a",), 2), "\ufeffa: 2\n"),
        ("a: 1\r\nb: 2\r\n", SetValue(("c",), 3), "a: 1\r\nb: 2\r\nc: 3\r\n"),
        ("a: 1\nb:\n  c: 2", SetValue(("b", "d"), 3), "a: 1\nb:\n  c: 2\n  d: 3"),
        ("a: 1\nb:\n  c: 2\n  d: 3", DeleteKey(("b", "d")), "a: 1\nb:\n  c: 2"),
        ("a: [1, 2, 3]\n", DeleteKey(("a", 1)), "a: [1, 3]\n"),
        (
            "x:\n  b: 1\n  a: |\n    text\n\ny: 1\n",
            SetValue(("x", "c"), 2),
            "x:\n  b: 1\n  a: |\n    text\n  c: 2\n\ny: 1\n",
        ),
    ],
)
def test_patch_cases(text: str, edit, expected: str) -> None:
    assert _edit(text, edit) == expected


@pytest.mark.parametrize(
    "text, edit, message",
    [
        ("a: [1]\n", SetValue(("a", 5), 1), "out of range"),
        ("a: 1\n", SetValue(("a", "b"), 1), "not a mapping"),
        ("a:\n  b: 1\n", SetValue(("a",), 5), "cannot turn a mapping"),
        ("a:\n- 1\n- 2\n", SetValue(("a",), [2, 1]), "reordering"),
        ("a:\n  b: 1\n", DeleteKey(("a", "b")), "only entry"),
        ("a: 1\n", DeleteKey(("z",)), "nothing to remove"),
        ("a: 1\nb: 2\n", RenameKey(("a",), "b"), "already exists"),
        ("a: &x 1\n", SetValue(("a",), 2), "does not parse"),
    ],
)
def test_refused_edits_say_why(text: str, edit, message: str) -> None:
    with pytest.raises(EditError, match=message):
        apply_edits(text, [edit])


# -- CLI value and key parsing ------------------------------------------------------


@pytest.mark.parametrize(
    "text, value, literal",
    [
        ("4000", 4000, "4000"),
        ("8.50", 8.5, "8.50"),
        ("yes", "yes", "yes"),
        ('"true"', "true", None),
        ("true", True, "true"),
        ("conditional", "conditional", "conditional"),
        ("[balanced, advanced]", ["balanced", "advanced"], None),
        ("élan", "élan", "élan"),
    ],
)
def test_parse_value(text: str, value, literal) -> None:
    assert parse_value(text) == (value, literal)


@pytest.mark.parametrize(
    "text", ["a: b", "{a: 1}", "[[1]]", "&x 1", "!!python/name:os.system", "[a,"]
)
def test_parse_value_refuses_non_scalars_and_unsafe_yaml(text: str) -> None:
    with pytest.raises(EditError):
        parse_value(text)


def test_split_path() -> None:
    assert split_path("reliability.p95_latency_ms.tier_2") == (
        "reliability",
        "p95_latency_ms",
        "tier_2",
    )
    assert split_path("governance.mandatory_controls.0") == ("governance", "mandatory_controls", 0)
    for bad in ("", "a..b", ".a", "a."):
        with pytest.raises(EditError):
            split_path(bad)


# -- atomic write ------------------------------------------------------------------


def test_atomic_write_keeps_mode_and_refuses_stale(tmp_path: Path) -> None:
    path = tmp_path / "c.yml"
    path.write_bytes(b"a: 1\n")
    path.chmod(0o640)
    atomic_write(path, b"a: 2\n", expected_sha256=sha256_of(b"a: 1\n"))
    assert path.read_bytes() == b"a: 2\n"
    assert path.stat().st_mode & 0o777 == 0o640
    with pytest.raises(StaleFileError):
        atomic_write(path, b"a: 3\n", expected_sha256=sha256_of(b"a: 1\n"))
    assert path.read_bytes() == b"a: 2\n"
    assert [p.name for p in tmp_path.iterdir()] == ["c.yml"]  # no temp file left
