"""Validation: safe parse → schema → rules, as located findings; never a traceback."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.findings import Finding
from workbench.core.validate import SCHEMA_RULES, validate_file, validate_text
from workbench.core.yaml_safe import LOAD_RULES

SAMPLES = Path(__file__).parents[2] / "sample_contracts"
BROKEN = SAMPLES / "broken"
SEED_PATH = SAMPLES / "ai-internal-developer-contract.yml"
SEED = SEED_PATH.read_text()
LARGE = SAMPLES / "platform-contract-large.yml"
CATALOG = frozenset({"fast", "balanced", "advanced"})

# broken file -> (rule, severity, path, line, column) of every finding, in order
EXPECTED: dict[str, list[tuple[str, str, str, int, int]]] = {
    "unknown-key-typo.yml": [
        ("CW021", "error", "review_cadence", 2, 1),
        ("CW022", "error", "review_cadance", 4, 1),
    ],
    "checkpoint-yes.yml": [
        ("CW024", "error", "capability_tiers.tier_3.requires_human_checkpoint", 18, 32)
    ],
    "checkpoint-quoted-true.yml": [
        ("CW024", "error", "capability_tiers.tier_3.requires_human_checkpoint", 18, 32)
    ],
    "checkpoint-one.yml": [
        ("CW024", "error", "capability_tiers.tier_3.requires_human_checkpoint", 18, 32)
    ],
    "wrong-type.yml": [("CW020", "error", "reliability.policy_decision_timeout_ms", 26, 31)],
    "negative-latency.yml": [("CW023", "error", "reliability.p95_latency_ms.tier_2", 23, 13)],
    "cw101-tier-without-slo.yml": [("CW101", "error", "capability_tiers.tier_3", 15, 3)],
    "cw101-slo-without-tier.yml": [("CW101", "error", "reliability.p95_latency_ms.tier_4", 25, 5)],
    "cw102-timeout-too-long.yml": [
        ("CW102", "error", "reliability.policy_decision_timeout_ms", 26, 31)
    ],
    "cw102-timeout-over-half.yml": [
        ("CW102", "warning", "reliability.policy_decision_timeout_ms", 26, 31)
    ],
    "cw103-weaker-checkpoint.yml": [
        ("CW103", "warning", "capability_tiers.tier_3.requires_human_checkpoint", 18, 32)
    ],
    "cw105-long-exceptions.yml": [
        ("CW105", "warning", "governance.exception_process.expiry_days", 36, 18)
    ],
    "cw106-missing-control.yml": [("CW106", "warning", "governance.mandatory_controls", 29, 3)],
    "cw107-ambiguous-version.yml": [("CW107", "warning", "version", 2, 10)],
    "cw108-low-availability.yml": [
        ("CW108", "warning", "reliability.availability_slo_percent", 25, 29)
    ],
}
LOAD_REJECTED = {
    "alias-bomb.yml",
    "alias.yml",
    "anchor.yml",
    "python-tag.yml",
    "binary-tag.yml",
    "custom-tag.yml",
    "str-tag.yml",
    "yaml-directive.yml",
    "two-documents.yml",
    "deep-nesting.yml",
    "duplicate-key.yml",
    "tabs.yml",
    "invalid-utf8.yml",
    "empty.yml",
    "non-mapping-root.yml",
}


def _rows(findings: list[Finding]) -> list[tuple[str, str, str, int, int]]:
    return [(f.rule, f.severity, f.path, f.line, f.column) for f in findings]


def test_every_broken_sample_is_covered() -> None:
    shipped = {p.name for p in BROKEN.glob("*.yml")}
    assert shipped == set(EXPECTED) | LOAD_REJECTED | {"cw104-unknown-model.yml"}
    readme = (BROKEN / "README.txt").read_text()
    assert all(name in readme for name in shipped)


def test_the_seed_is_valid_without_findings() -> None:
    result = validate_file(SEED_PATH, catalog=CATALOG)
    assert result.valid and result.findings == []
    assert result.contract is not None
    assert result.version_text == "1.0"  # a bare number, kept as written
    assert result.contract.version == 1.0


def test_the_large_sample_is_valid_and_keeps_its_extension() -> None:
    result = validate_file(LARGE, catalog=CATALOG)
    assert result.valid and result.findings == []
    assert len(result.contract.capability_tiers) >= 5
    assert "x-council" in result.data  # kept in the data, ignored by the model
    assert result.version_text == "2.4.1"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_schema_and_rule_sample(name: str) -> None:
    result = validate_file(BROKEN / name, catalog=CATALOG)
    assert _rows(result.findings) == EXPECTED[name]
    assert result.valid is not any(f.severity == "error" for f in result.findings)
    assert all(f.file == str(BROKEN / name) and f.message for f in result.findings)


@pytest.mark.parametrize("name", sorted(LOAD_REJECTED))
def test_each_unsafe_sample_is_rejected_in_well_under_a_second(name: str) -> None:
    start = time.perf_counter()
    result = validate_file(BROKEN / name)
    elapsed = time.perf_counter() - start
    assert not result.valid and result.data is None and result.contract is None
    assert len(result.findings) == 1
    assert result.findings[0].severity == "error" and result.findings[0].line >= 1
    assert result.findings[0].rule in LOAD_RULES
    assert elapsed < 1.0


def test_typo_gets_a_did_you_mean_hint() -> None:
    result = validate_file(BROKEN / "unknown-key-typo.yml")
    unknown = next(f for f in result.findings if f.rule == "CW022")
    assert unknown.hint == "did you mean 'review_cadence'?"
    nested = validate_text(
        SEED.replace('    approved_models: ["fast"]', '    aproved_models: ["fast"]')
    )
    found = {f.rule: f for f in nested.findings}
    assert found["CW022"].hint == "did you mean 'approved_models'?"
    assert (found["CW022"].line, found["CW022"].column) == (9, 5)
    assert found["CW021"].path == "capability_tiers.tier_1.approved_models"


def test_an_unknown_key_without_close_match_suggests_x_prefix() -> None:
    result = validate_text(SEED + "zzz: 1\n")
    assert [f.rule for f in result.findings] == ["CW022"]
    assert "x-" in (result.findings[0].hint or "")


@pytest.mark.parametrize(
    "text",
    ["yes", "on", "no", "off", "1", "0", '"true"', "'false'", "True"],
)
def test_boolish_checkpoints_are_errors(text: str) -> None:
    result = validate_text(
        SEED.replace("requires_human_checkpoint: true", f"requires_human_checkpoint: {text}")
    )
    if text == "True":  # YAML 1.2 core: True is a boolean
        assert result.valid
        return
    assert [f.rule for f in result.findings] == ["CW024"]
    assert "true, false or conditional" in result.findings[0].message


def test_x_keys_are_kept_and_ignored_everywhere() -> None:
    text = SEED.replace(
        "    requires_human_checkpoint: false",
        "    requires_human_checkpoint: false\n    x-note: {any: [thing, 1]}",
    ).replace("    tier_3: 6000\n", "    tier_3: 6000\n    x-tier_9: 1\n")
    result = validate_text(text + "x-local:\n  anything: goes\n")
    assert result.valid and result.findings == []
    assert result.data["x-local"] == {"anything": "goes"}


@pytest.mark.parametrize(
    "old, new, rule",
    [
        ("tier_1: 0.15", "tier_1: .inf", "CW023"),
        ("tier_1: 0.15", "tier_1: .nan", "CW023"),
        ("tier_1: 1800", "tier_1: 1800.0", "CW020"),
        ("review_cadence: quarterly", "review_cadence: weekly", "CW023"),
        ("owner: ai-platform", 'owner: ""', "CW023"),
        ("owner: ai-platform", "owner:", "CW020"),
        ('["fast"]', "[]", "CW023"),
        ('["balanced", "advanced"]', '["balanced", "balanced"]', "CW023"),
        ("availability_slo_percent: 99.5", "availability_slo_percent: 100", "CW023"),
        ("monthly_reserve_percent: 15", "monthly_reserve_percent: 101", "CW023"),
        ("expiry_days: 30", "expiry_days: 0", "CW023"),
        ("version: 1.0", 'version: "v1"', "CW023"),
        ("version: 1.0", "version: -1.0", "CW023"),
        ("capability_tiers:\n", "capability_tiers: []\nx-old:\n", "CW020"),
    ],
)
def test_schema_errors_are_located(old: str, new: str, rule: str) -> None:
    assert old in SEED
    result = validate_text(SEED.replace(old, new, 1))
    assert not result.valid
    assert rule in {f.rule for f in result.findings}
    line = SEED[: SEED.index(old)].count("\n") + 1
    hit = next(f for f in result.findings if f.rule == rule)
    assert hit.line in (line, line + 1)


def test_a_bad_tier_id_is_located_at_its_key() -> None:
    result = validate_text(SEED.replace("  tier_1:", "  Tier1:", 1))
    bad = next(f for f in result.findings if f.rule == "CW023")
    assert (bad.path, bad.line, bad.column) == ("capability_tiers.Tier1", 7, 3)


def test_hints_only_say_remove_the_quotes_for_numbers() -> None:
    quoted = validate_text(
        SEED.replace("availability_slo_percent: 99.5", "availability_slo_percent: '99.9'")
    )
    assert quoted.findings[0].hint == "remove the quotes around the number"
    word = validate_text(
        SEED.replace("availability_slo_percent: 99.5", "availability_slo_percent: high")
    )
    assert word.findings[0].hint is None


def test_missing_sections_are_reported_at_their_parent() -> None:
    result = validate_text(SEED.replace("reliability:\n", "x-reliability:\n"))
    missing = next(f for f in result.findings if f.rule == "CW021")
    assert missing.path == "reliability" and missing.line >= 1


def test_unreadable_file_is_a_finding(tmp_path: Path) -> None:
    result = validate_file(tmp_path / "nope.yml")
    assert not result.valid and result.findings[0].rule == "CW000"
    folder = validate_file(tmp_path)
    assert not folder.valid


def test_a_generated_file_over_one_mebibyte(tmp_path: Path) -> None:
    big = tmp_path / "big.yml"
    big.write_bytes(SEED.encode() + b"x-padding: " + b"p" * (1024 * 1024) + b"\n")
    start = time.perf_counter()
    result = validate_file(big)
    assert time.perf_counter() - start < 1.0
    assert _rows(result.findings) == [("CW003", "error", "", 1, 1)]


def test_rule_ids_are_unique_across_loader_schema_and_rules() -> None:
    from workbench.core.rules import RULES

    ids = list(LOAD_RULES) + list(SCHEMA_RULES) + list(RULES)
    assert len(ids) == len(set(ids))


def test_the_large_sample_validates_quickly() -> None:
    text = LARGE.read_bytes()
    validate_text(text)
    start = time.perf_counter()
    for _ in range(20):
        validate_text(text)
    assert (time.perf_counter() - start) / 20 < 0.05


# -- fuzz: replace any value of the seed with anything; never a traceback ------

_any_value: st.SearchStrategy[Any] = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**6), 10**6),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=8),
    ),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


def _to_flow(value: Any) -> str:
    import json

    if isinstance(value, float) and value != value:
        return ".nan"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    if isinstance(value, list):
        return "[" + ", ".join(_to_flow(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)}: {_to_flow(v)}" for k, v in value.items()) + "}"
    return json.dumps(value)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(line=st.integers(0, SEED.count("\n") - 1), value=_any_value)
def test_any_value_anywhere_gives_findings_not_tracebacks(line: int, value: Any) -> None:
    lines = SEED.split("\n")
    if ": " not in lines[line]:
        return
    head = lines[line].split(": ", 1)[0]
    lines[line] = f"{head}: {_to_flow(value)}"
    result = validate_text("\n".join(lines))
    for finding in result.findings:
        assert finding.line >= 1 and finding.column >= 1
        assert finding.severity in ("error", "warning", "info")
        assert finding.to_json()["rule"] == finding.rule
