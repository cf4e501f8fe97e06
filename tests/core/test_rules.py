"""The rule registry and rules CW101–CW108: boundaries, both directions, robustness."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core import rules as rules_module
from workbench.core.rules import BASELINE_CONTROLS, RULES, Hit, RuleContext, rule
from workbench.core.validate import validate_file, validate_text

SAMPLES = Path(__file__).parents[2] / "sample_contracts"
SEED = (SAMPLES / "ai-internal-developer-contract.yml").read_text()


def _found(text: str, catalog: set[str] | None = None) -> list[tuple[str, str, str]]:
    return [(f.rule, f.severity, f.path) for f in validate_text(text, catalog=catalog).findings]


def _seed(old: str, new: str) -> str:
    assert old in SEED, old
    return SEED.replace(old, new, 1)


def test_registry_holds_cw101_to_cw108_with_severity_and_summary() -> None:
    assert sorted(RULES) == [f"CW10{i}" for i in range(1, 9)]
    for rule_id, entry in RULES.items():
        assert entry.id == rule_id
        assert entry.severity in ("error", "warning")
        assert entry.summary and callable(entry.check)
    assert {r: RULES[r].severity for r in ("CW101", "CW102", "CW104")} == dict.fromkeys(
        ("CW101", "CW102", "CW104"), "error"
    )


def test_adding_a_rule_is_one_local_change() -> None:
    @rule("CW199", "info", "owner is the platform team (test rule)")
    def owner_named(ctx: RuleContext) -> Iterator[Hit]:
        if ctx.data.get("owner") == "ai-platform":
            yield Hit(("owner",), "owner is ai-platform")

    try:
        findings = validate_text(SEED).findings
        assert [(f.rule, f.severity, f.line, f.column) for f in findings] == [
            ("CW199", "info", 3, 8)
        ]
        with pytest.raises(ValueError, match="registered twice"):
            rule("CW199", "info", "again")(owner_named)
    finally:
        del RULES["CW199"]


# -- CW101: tier sets, both directions, both maps --------------------------------


def test_cw101_tier_without_slo_and_without_cost_cap() -> None:
    text = _seed("    tier_3: 6000\n", "").replace("    tier_3: 8.50\n", "")
    found = validate_text(text).findings
    assert [(f.rule, f.path, f.line, f.column) for f in found] == [
        ("CW101", "capability_tiers.tier_3", 15, 3),
        ("CW101", "capability_tiers.tier_3", 15, 3),
    ]
    assert {"p95 latency SLO" in f.message for f in found} == {True, False}


def test_cw101_slo_and_cost_cap_for_unknown_tier() -> None:
    text = _seed("    tier_3: 6000\n", "    tier_3: 6000\n    tier_4: 9000\n")
    text = text.replace("    tier_3: 8.50\n", "    tier_3: 8.50\n    tier_4: 20.0\n")
    assert _found(text) == [
        ("CW101", "error", "reliability.p95_latency_ms.tier_4"),
        ("CW101", "error", "economics.max_cost_per_run_usd.tier_4"),
    ]


def test_cw101_message_matches_the_design_example() -> None:
    text = _seed("    tier_3: 6000\n", "")
    finding = validate_text(text).findings[0]
    assert finding.format("contracts/ai.yml").startswith(
        "contracts/ai.yml:15:3: error CW101 tier 'tier_3' has no p95 latency SLO "
        "(reliability.p95_latency_ms)"
    )


# -- CW102: policy timeout vs the smallest p95 -----------------------------------


@pytest.mark.parametrize(
    "timeout, expected",
    [
        (1800, [("CW102", "error")]),  # equal to the smallest p95 (tier_1: 1800)
        (5000, [("CW102", "error")]),
        (1799, [("CW102", "warning")]),
        (901, [("CW102", "warning")]),
        (900, []),  # exactly half: fine
        (1, []),
    ],
)
def test_cw102_boundaries(timeout: int, expected: list[tuple[str, str]]) -> None:
    text = _seed("policy_decision_timeout_ms: 300", f"policy_decision_timeout_ms: {timeout}")
    assert [(r, s) for r, s, _ in _found(text)] == expected


def test_cw102_uses_the_smallest_slo_whatever_the_order() -> None:
    text = _seed("    tier_2: 3500\n", "    tier_2: 400\n")
    found = validate_text(text).findings
    assert [(f.rule, f.severity) for f in found] == [("CW102", "warning")]
    assert "tier_2" in found[0].message


def test_cw102_ignores_extension_keys_in_the_slo_map() -> None:
    text = _seed("    tier_3: 6000\n", "    tier_3: 6000\n    x-experimental: 10\n")
    assert _found(text) == []


# -- CW103: checkpoints never weaken with risk ---------------------------------


@pytest.mark.parametrize(
    "checkpoints, flagged",
    [
        (("false", "conditional", "true"), []),
        (("true", "true", "true"), []),
        (("false", "false", "false"), []),
        (("false", "true", "conditional"), ["tier_3"]),
        (("true", "false", "false"), ["tier_2", "tier_3"]),
        (("conditional", "false", "true"), ["tier_2"]),
    ],
)
def test_cw103(checkpoints: tuple[str, str, str], flagged: list[str]) -> None:
    text = SEED
    for tier, (old, new) in zip(
        ("tier_1", "tier_2", "tier_3"),
        zip(("false", "conditional", "true"), checkpoints, strict=True),
        strict=True,
    ):
        head = f"  {tier}:\n"
        start = text.index(head)
        end = text.index(f"requires_human_checkpoint: {old}", start)
        text = text[:end] + f"requires_human_checkpoint: {new}" + text[end + len(old) + 27 :]
    found = _found(text)
    assert found == [
        ("CW103", "warning", f"capability_tiers.{t}.requires_human_checkpoint") for t in flagged
    ]


# -- CW104: models in the catalog --------------------------------------------------


def test_cw104_needs_a_catalog_and_points_at_the_item() -> None:
    path = SAMPLES / "broken" / "cw104-unknown-model.yml"
    assert validate_file(path).findings == []
    found = validate_file(path, catalog={"fast", "balanced", "advanced"}).findings
    assert [(f.rule, f.severity, f.path, f.line, f.column) for f in found] == [
        ("CW104", "error", "capability_tiers.tier_3.approved_models.1", 17, 35)
    ]
    assert "frontier-xl" in found[0].message and "advanced" in (found[0].hint or "")


def test_cw104_with_an_empty_catalog_flags_every_model() -> None:
    found = _found(SEED, catalog=set())
    assert [r for r, _, _ in found] == ["CW104"] * 4  # fast, balanced, advanced, advanced


# -- CW105 – CW108 ----------------------------------------------------------------


@pytest.mark.parametrize("days, warned", [(90, False), (91, True), (365, True), (1, False)])
def test_cw105(days: int, warned: bool) -> None:
    found = _found(_seed("expiry_days: 30", f"expiry_days: {days}"))
    assert found == (
        [("CW105", "warning", "governance.exception_process.expiry_days")] if warned else []
    )


@pytest.mark.parametrize("control", BASELINE_CONTROLS)
def test_cw106_each_baseline_control(control: str) -> None:
    found = validate_text(_seed(f"    - {control}\n", "")).findings
    assert [(f.rule, f.severity) for f in found] == [("CW106", "warning")]
    assert control in found[0].message
    assert found[0].hint == f"add `- {control}` to governance.mandatory_controls"


def test_cw106_all_missing_gives_four_warnings() -> None:
    text = SEED
    for control in BASELINE_CONTROLS[1:]:
        text = text.replace(f"    - {control}\n", "")
    text = text.replace("    - data_classification\n", "    - something_else\n")
    assert [r for r, _, _ in _found(text)] == ["CW106"] * 4


@pytest.mark.parametrize(
    "version, warned",
    [
        ("1.0", False),
        ("2.5", False),
        ("1.10", True),
        ("1.20", True),
        ("1", True),
        ('"1.10"', False),
        ("'2.0.1'", False),
    ],
)
def test_cw107(version: str, warned: bool) -> None:
    result = validate_text(_seed("version: 1.0", f"version: {version}"))
    assert result.valid
    assert [f.rule for f in result.findings] == (["CW107"] if warned else [])
    if warned:
        assert "quote it" in (result.findings[0].hint or "")


@pytest.mark.parametrize("slo, warned", [(99.5, False), (90, False), (89.99, True), (0.995, True)])
def test_cw108(slo: float, warned: bool) -> None:
    found = _found(_seed("availability_slo_percent: 99.5", f"availability_slo_percent: {slo}"))
    assert found == (
        [("CW108", "warning", "reliability.availability_slo_percent")] if warned else []
    )


# -- robustness: rules read any shape of data without raising -----------------------

_json_like: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
_contract_like = st.fixed_dictionaries(
    {},
    optional={
        "version": _json_like,
        "capability_tiers": st.dictionaries(
            st.sampled_from(["tier_1", "tier_2", "x-a"]), _json_like
        ),
        "reliability": st.fixed_dictionaries(
            {},
            optional={
                "p95_latency_ms": _json_like,
                "policy_decision_timeout_ms": _json_like,
                "availability_slo_percent": _json_like,
            },
        ),
        "governance": _json_like,
        "economics": _json_like,
    },
)


@settings(max_examples=300, deadline=None)
@given(data=_contract_like, catalog=st.none() | st.frozensets(st.text(max_size=4)))
def test_rules_never_raise_on_odd_data(
    data: dict[str, Any], catalog: frozenset[str] | None
) -> None:
    ctx = RuleContext(data, lambda path: None, catalog)
    for entry in RULES.values():
        for hit in entry.check(ctx):
            assert isinstance(hit.path, tuple) and hit.message


def test_rules_module_has_no_ui_imports() -> None:
    source = Path(rules_module.__file__).read_text()
    assert "textual" not in source and "rich" not in source
