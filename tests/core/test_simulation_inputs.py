"""Simulation inputs: strict schemas, located findings, bundled samples, cross-checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest_simulation import contract

from workbench.core.resources import resource_dir
from workbench.core.simulation import SimulationError, inputs_from_text, load_inputs, simulate
from workbench.core.simulation.inputs import cross_check

MODELS = """\
models:
  fast:
    input_usd_per_1k_tokens: 0.00015
    output_usd_per_1k_tokens: 0.0006
    ttft_ms: {p50: 300, p95: 900}
    output_tokens_per_s: 180
    availability: 0.999
    max_concurrency: 400
"""
WORKLOAD = """\
policy_decision_ms: {p50: 40, p95: 160}
peak_month_factor: 1.3
tiers:
  tier_1:
    runs_per_month: 400000
    peak_to_average: 4.0
    calls_per_run: 1
    input_tokens: {p50: 900, p95: 3500}
    output_tokens: {p50: 180, p95: 700}
    model_mix: {fast: 1.0}
    max_retries: 1
    conditional_checkpoint_rate: 0.0
"""


def _rules(findings: list) -> list[tuple[str, int, int]]:
    return [(f.rule, f.line, f.column) for f in findings]


def test_design_example_shapes_load() -> None:
    inputs = inputs_from_text(MODELS, WORKLOAD)
    assert inputs.ok and inputs.findings == []
    assert inputs.catalog.models["fast"].ttft_ms.p95 == 900
    assert inputs.workload.tiers["tier_1"].model_mix == {"fast": 1.0}


def test_bundled_samples_validate_and_cover_the_seed() -> None:
    folder = resource_dir("sample_contracts")
    inputs = load_inputs(None, None, folder / "ai-internal-developer-contract.yml")
    assert inputs.ok, [f.format() for f in inputs.findings]
    assert set(inputs.catalog.models) == {"fast", "balanced", "advanced"}
    assert set(inputs.workload.tiers) == {"tier_1", "tier_2", "tier_3"}
    # beside the contract: no notice
    assert inputs.notices == []


def test_bundled_samples_are_used_with_a_notice(tmp_path: Path) -> None:
    contract_path = tmp_path / "c.yml"
    contract_path.write_text("x: 1\n")
    inputs = load_inputs(None, None, contract_path)
    assert inputs.ok
    assert len(inputs.notices) == 2 and all("bundled sample" in n for n in inputs.notices)
    assert Path(inputs.models_file) == resource_dir("sample_contracts") / "models.yml"


def test_files_beside_the_contract_win(tmp_path: Path) -> None:
    (tmp_path / "models.yml").write_text(MODELS)
    (tmp_path / "workload.yaml").write_text(WORKLOAD)
    inputs = load_inputs(None, None, tmp_path / "c.yml")
    assert inputs.ok and inputs.notices == []
    assert inputs.models_file == str(tmp_path / "models.yml")
    assert inputs.workload_file == str(tmp_path / "workload.yaml")


def test_schema_errors_are_located() -> None:
    models = MODELS.replace("availability: 0.999", "availabilty: 0.999").replace(
        "max_concurrency: 400", 'max_concurrency: "400"'
    )
    workload = WORKLOAD.replace("{p50: 900, p95: 3500}", "{p50: 900, p95: 300}").replace(
        "calls_per_run: 1", "calls_per_run: 0"
    )
    inputs = inputs_from_text(models, workload)
    assert not inputs.ok
    by_rule = {(f.file, f.rule, f.path): f for f in inputs.findings}
    unknown = by_rule[("models.yml", "CW303", "models.fast.availabilty")]
    assert (unknown.line, unknown.column) == (
        7,
        5,
    ) and unknown.hint == "did you mean 'availability'?"
    missing = by_rule[("models.yml", "CW302", "models.fast.availability")]
    assert missing.line == 2
    quoted = by_rule[("models.yml", "CW301", "models.fast.max_concurrency")]
    assert quoted.line == 8 and quoted.hint == "remove the quotes around the number"
    order = by_rule[("workload.yml", "CW304", "tiers.tier_1.input_tokens")]
    assert order.line == 8 and "p95 (300) must not be below p50 (900)" in order.message
    calls = by_rule[("workload.yml", "CW304", "tiers.tier_1.calls_per_run")]
    assert calls.line == 7


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("models: !!python/object:os.system {}\n", "CW005"),
        ("a: &x {p50: 1}\nmodels: *x\n", "CW006"),
        ("models: {}\nmodels: {}\n", "CW010"),
        ("- 1\n", "CW011"),
        ("", "CW004"),
    ],
)
def test_unsafe_or_broken_yaml_is_a_finding(text: str, rule: str) -> None:
    inputs = inputs_from_text(text, WORKLOAD)
    assert not inputs.ok
    assert [f.rule for f in inputs.findings] == [rule]
    assert inputs.findings[0].file == "models.yml"


def test_booleans_and_nan_are_not_numbers() -> None:
    models = MODELS.replace("availability: 0.999", "availability: true").replace(
        "output_tokens_per_s: 180", "output_tokens_per_s: .nan"
    )
    inputs = inputs_from_text(models, WORKLOAD)
    assert {f.path for f in inputs.findings} == {
        "models.fast.availability",
        "models.fast.output_tokens_per_s",
    }


def test_extension_keys_are_ignored() -> None:
    models = MODELS + "x-owner: platform\n"
    workload = WORKLOAD.replace("    max_retries: 1\n", "    max_retries: 1\n    x-note: hi\n")
    assert inputs_from_text(models, workload).ok


def test_unreadable_file_is_a_finding(tmp_path: Path) -> None:
    inputs = load_inputs(tmp_path / "nope.yml", None, tmp_path / "c.yml")
    assert not inputs.ok
    assert inputs.findings[0].rule == "CW300" and "nope.yml" in inputs.findings[0].message


def test_cross_checks() -> None:
    workload = WORKLOAD.replace("model_mix: {fast: 1.0}", "model_mix: {fast: 1.0, gone: 2}")
    inputs = inputs_from_text(MODELS, workload)
    data = contract(
        {"tier_1": ["fast", "fasst"], "tier_2": ["fast"]}, checkpoints={"tier_2": "conditional"}
    )
    found = {(f.rule, f.severity, f.path) for f in cross_check(data, inputs)}
    assert ("CW310", "error", "models.fasst") in found
    assert ("CW311", "error", "tiers.tier_2") in found
    assert ("CW312", "warning", "tiers.tier_1.model_mix.gone") in found
    hint = next(f for f in cross_check(data, inputs) if f.rule == "CW310").hint
    assert hint == "did you mean 'fast'?"
    with pytest.raises(SimulationError) as caught:
        simulate(data, inputs, runs=100)
    assert {f.rule for f in caught.value.findings} >= {"CW310", "CW311"}


def test_mix_warnings() -> None:
    models = MODELS + MODELS.split("\n", 1)[1].replace("  fast:", "  other:")
    inputs = inputs_from_text(models, WORKLOAD)
    data = contract({"tier_1": ["fast", "other"]}, checkpoints={"tier_1": "conditional"})
    rules = {f.rule for f in cross_check(data, inputs)}
    assert "CW313" in rules  # other has no weight
    inputs2 = inputs_from_text(
        models, WORKLOAD.replace("    conditional_checkpoint_rate: 0.0\n", "")
    )
    assert "CW315" in {f.rule for f in cross_check(data, inputs2)}
    only_other = contract({"tier_1": ["other"]})
    found = cross_check(only_other, inputs)
    assert [f.rule for f in found] == ["CW314"]
    # and the simulation splits equally over what is approved
    row = simulate(only_other, inputs, runs=1000)["scenarios"]["normal"]["tiers"]["tier_1"]
    assert row["mix"] == {"other": 1.0}
    assert simulate(only_other, inputs, runs=1000)["findings"][0]["rule"] == "CW314"


def test_contract_without_terms_is_a_readable_error() -> None:
    inputs = inputs_from_text(MODELS, WORKLOAD)
    with pytest.raises(SimulationError, match="capability_tiers"):
        simulate({"version": "1"}, inputs, runs=10)
    with pytest.raises(SimulationError, match="runs"):
        simulate(contract({"tier_1": ["fast"]}), inputs, runs=0)


def test_resource_dir() -> None:
    from workbench.core.resources import resource_dir

    folder = resource_dir("sample_contracts")
    assert (folder / "models.yml").is_file() and (folder / "workload.yml").is_file()
    for bad in ("", "..", "a/b", "."):
        with pytest.raises(ValueError):
            resource_dir(bad)
    with pytest.raises(FileNotFoundError, match="no-such-resource"):
        resource_dir("no-such-resource")
