"""Renderings of a semantic diff: tagged text, Markdown, JSON, the textconv view, overrides."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_diff_engine import SEED, mutated, seed

from workbench.core.diff import diff_contracts
from workbench.core.diff.levels import DiffConfigError, load_overrides, overrides_from_toml
from workbench.core.diff.render import diff_json, markdown, plain_text, text_lines
from workbench.core.diff.textconv import HEADER, semantic_view


def _edit(d: dict) -> None:
    d["capability_tiers"]["tier_2"]["approved_models"].remove("balanced")
    d["reliability"]["p95_latency_ms"]["tier_2"] = 4000
    d["support"]["incident_owner"] = "sre | oncall"


def result():
    return diff_contracts(seed(), mutated(_edit))


def test_text_lines_are_grouped_by_surface_and_tagged_without_colour_codes() -> None:
    lines = text_lines(result(), "HEAD", "working tree")
    assert lines[0].text == "Semantic diff: HEAD (version 1.0) → working tree (version 1.0)"
    headings = [line.text for line in lines if line.kind == "heading"]
    assert headings == ["capability", "reliability", "support"]
    tagged = [(line.tag, line.text.split()[0]) for line in lines if line.kind == "change"]
    assert tagged == [("breaking", "breaking"), ("warning", "warning"), ("warning", "warning")]
    summary = [line.text for line in lines if line.kind == "summary"]
    assert summary == [
        "1 breaking, 2 warning, 0 info; suggested bump: major (1.0 → 2.0)",
        "sign-off: platform (2), operations (1)",
    ]
    assert all("\x1b" not in line.text for line in lines)
    findings = [line for line in lines if line.kind == "finding" and line.tag]
    assert [line.tag for line in findings] == ["warning"]
    assert "version-bump-missing" in findings[0].text


def test_plain_text_for_no_change() -> None:
    text = plain_text(diff_contracts(seed(), seed()), "a", "b")
    assert "no semantic changes" in text
    assert "0 breaking, 0 warning, 0 info; suggested bump: none" in text


def test_markdown_summary_then_a_table_per_surface() -> None:
    md = markdown(result(), "v1.0", "HEAD")
    lines = md.splitlines()
    assert lines[0] == "**Semantic diff** `v1.0` (version 1.0) → `HEAD` (version 1.0)"
    assert lines[2] == (
        "**1 breaking** · **2 warning** · 0 info — suggested bump: **major** (1.0 → 2.0)"
    )
    assert lines[4] == "Sign-off: platform (2), operations (1)"
    assert [line for line in lines if line.startswith("### ")] == [
        "### Capability",
        "### Reliability",
        "### Support",
        "### Findings",
    ]
    header = "| Level | Tier | Change | Sign-off | Rule |"
    assert lines.count(header) == 3
    assert (
        "| **breaking** | tier_2 | tier_2: approved model 'balanced' removed | platform |"
        " `model-removed` |" in lines
    )
    # a pipe in a value must not split the table cell
    row = next(line for line in lines if "incident owner" in line)
    assert "sre \\| oncall" in row
    assert row.count(" | ") == 4
    assert lines[-1].startswith("- **warning** `version-bump-missing` `version`")


def test_markdown_without_changes() -> None:
    md = markdown(diff_contracts(seed(), seed()), "a", "b")
    assert "No semantic changes." in md
    assert "suggested bump: **none**" in md
    assert "| Level |" not in md


def test_json_has_the_design_shape() -> None:
    data = diff_json(result(), "HEAD", "working tree")
    json.dumps(data)
    assert {"base", "target", "changes", "suggested_bump", "findings"} <= set(data)
    assert (data["base"], data["target"], data["suggested_bump"]) == (
        "HEAD",
        "working tree",
        "major",
    )
    for change in data["changes"]:
        assert list(change) == [
            "rule",
            "surface",
            "tier",
            "path",
            "old",
            "new",
            "level",
            "sign_off",
            "message",
        ]
    assert data["changes"][1] == {
        "rule": "p95-latency-raised",
        "surface": "reliability",
        "tier": "tier_2",
        "path": "reliability.p95_latency_ms.tier_2",
        "old": 3500,
        "new": 4000,
        "level": "warning",
        "sign_off": "platform",
        "message": "tier_2 p95 latency SLO 3500 ms → 4000 ms (+14.3 %), relaxed",
    }
    assert {"rule", "severity", "path", "line", "column", "message", "hint"} <= set(
        data["findings"][0]
    )
    assert data["counts"] == {"breaking": 1, "warning": 2, "info": 0}


# ---------------------------------------------------------------- overrides file


def test_overrides_from_toml() -> None:
    text = '[diff.levels]\ncontrol-removed = "breaking"\n"tier-added" = "warning"\n[simulate]\nruns = 3\n'
    assert overrides_from_toml(text) == {"control-removed": "breaking", "tier-added": "warning"}
    assert overrides_from_toml("[simulate]\nruns = 3\n") == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[diff.levels]\n"no-such-rule" = "info"\n', "unknown diff rule id 'no-such-rule'"),
        ('[diff.levels]\nduty-added = "low"\n', "must be one of breaking, warning, info"),
        ("[diff.levels\n", "not valid TOML"),
        ('diff = "x"\n', r"\[diff\] must be a table"),
        ("[diff]\nlevels = 3\n", r"\[diff.levels\] must be a table"),
    ],
)
def test_bad_overrides_are_clear_errors(text: str, message: str) -> None:
    with pytest.raises(DiffConfigError, match=message):
        overrides_from_toml(text)


def test_load_overrides_file(tmp_path: Path) -> None:
    assert load_overrides(tmp_path / ".workbench.toml") == {}
    (tmp_path / ".workbench.toml").write_text('[diff.levels]\nduty-added = "warning"\n')
    assert load_overrides(tmp_path / ".workbench.toml") == {"duty-added": "warning"}
    (tmp_path / ".workbench.toml").write_bytes(b"\xff\xfe")
    with pytest.raises(DiffConfigError, match="not valid UTF-8"):
        load_overrides(tmp_path / ".workbench.toml")


# ---------------------------------------------------------------- textconv view


def test_semantic_view_one_fact_per_line() -> None:
    view = semantic_view(SEED.encode()).splitlines()
    assert view[0] == HEADER
    assert "version: 1.0" in view
    assert "tier order: tier_1, tier_2, tier_3" in view
    assert "tier tier_2: approved model: balanced" in view
    assert "tier tier_2: p95 latency SLO: 3500 ms" in view
    assert "tier tier_3: cost cap: $8.50 per run" in view
    assert "mandatory control: data_classification" in view
    assert "availability SLO: 99.5 %" in view


def test_semantic_view_ignores_list_order() -> None:
    reordered = SEED.replace('["balanced", "advanced"]', '["advanced", "balanced"]').replace(
        "    - provide_service_runbook\n    - define_fallback_mode\n",
        "    - define_fallback_mode\n    - provide_service_runbook\n",
    )
    assert reordered != SEED
    assert semantic_view(reordered.encode()) == semantic_view(SEED.encode())


def test_semantic_view_of_unknown_keys_and_broken_shapes() -> None:
    text = SEED.replace("owner: ai-platform\n", "owner: ai-platform\nx-team: {a: 1}\nodd: [1]\n")
    text = text.replace("tier_2: 3500", "tier_2: slow\n    tier_9: 5")
    view = semantic_view(text.encode()).splitlines()
    assert 'x-team: {"a": 1}' in view
    assert "odd: [1]" in view
    assert "tier tier_2: p95 latency SLO: slow ms" in view
    assert "reliability.p95_latency_ms.tier_9: 5 ms" in view


@pytest.mark.parametrize(
    "raw",
    [
        b"a: &x 1\nb: *x\n",
        b"- a\n- b\n",
        b"key: [unclosed\n",
        b"\xff\xfe\x00",
        b"!!python/object:os.system x\n",
    ],
)
def test_semantic_view_of_unreadable_yaml_passes_text_through(raw: bytes) -> None:
    view = semantic_view(raw)
    assert view.startswith("# workbench: not a readable contract (")
    assert view.endswith("\n")


def test_semantic_view_of_empty_file() -> None:
    assert semantic_view(b"") == ""
    assert semantic_view(b"\n\n") == ""


def test_docs_list_every_rule_with_its_default_level() -> None:
    from workbench.core.diff.levels import RULES

    doc = (Path(__file__).resolve().parents[2] / "docs" / "git-diff-driver.md").read_text()
    for spec in RULES.values():
        assert f"| `{spec.rule}` | {spec.surface} | {spec.level} | {spec.sign_off} |" in doc
