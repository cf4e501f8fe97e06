"""Adversarial CLI cases from a review with hand-written contracts and inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli import cli
from workbench.core.resources import resource_dir

SAMPLES = resource_dir("sample_contracts")
SEED_TEXT = (SAMPLES / "ai-internal-developer-contract.yml").read_text()

HAND_WRITTEN = """\
# Hand-written contract
---
version: "1.0"   # bumped each quarter
owner: ai-platform\t# tab in a comment
review_cadence: quarterly

capability_tiers:
    "tier_1":   # the safe tier
        use_cases:
            - "low-risk automation"   # first
            # a comment between items
            - content summarization
        approved_models: [fast]
        requires_human_checkpoint: false
    tier_2:
        use_cases: ["engineering support", "customer operations"]
        approved_models:
          - balanced  # cheap
          # comment
          - advanced
        requires_human_checkpoint: conditional

reliability:
    p95_latency_ms: {tier_1: 1800, "tier_2": 3500}
    availability_slo_percent: 99.5  # agreed with SRE
    policy_decision_timeout_ms: 300

governance:
    mandatory_controls:
      - data_classification
      - prompt_and_tool_audit_log   # audit
      - budget_policy_enforcement
      - model_and_tool_allowlist
    exception_process:
        approval_owner: "platform-duty-manager"
        expiry_days: 30

economics:
    max_cost_per_run_usd:
        tier_1: 0.15
        tier_2: 1.25
    monthly_reserve_percent: 15

support:
    incident_owner: "ai-platform-oncall"
    product_owner_duties:
      - provide_service_runbook
      - define_fallback_mode
...
"""


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(params=["lf", "crlf-bom"])
def contract(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = tmp_path / "contract.yml"
    text = HAND_WRITTEN
    raw = (
        text.encode()
        if request.param == "lf"
        else b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
    )
    path.write_bytes(raw)
    return path


def test_adding_a_tier_in_one_set_validates_and_keeps_style(contract: Path) -> None:
    before = contract.read_bytes()
    code, _out, err = _invoke(
        "set",
        str(contract),
        "capability_tiers.tier-3.use_cases=[autonomous agents]",
        "capability_tiers.tier-3.approved_models=[advanced]",
        "capability_tiers.tier-3.requires_human_checkpoint=true",
        "reliability.p95_latency_ms.tier-3=9000",
        "economics.max_cost_per_run_usd.tier-3=12.00",
    )
    assert code == 0, err
    after = contract.read_bytes()
    crlf = before.startswith(b"\xef\xbb\xbf")
    assert after.startswith(b"\xef\xbb\xbf") == crlf
    text = after.decode("utf-8-sig")
    assert ("\r\n" in text) == crlf and (crlf or "\r" not in text)
    nl = "\r\n" if crlf else "\n"
    assert f'p95_latency_ms: {{tier_1: 1800, "tier_2": 3500, tier-3: 9000}}{nl}' in text
    assert f"        tier-3: 12.00{nl}" in text
    assert text.rstrip().endswith("...")
    assert _invoke("validate", str(contract))[0] == 0


def test_emptying_and_replacing_block_lists(contract: Path) -> None:
    code, _out, err = _invoke("set", str(contract), "support.product_owner_duties=[]")
    assert code == 0, err
    text = contract.read_bytes().decode("utf-8-sig")
    assert "product_owner_duties: []" in text and "define_fallback_mode" not in text
    code, _out, err = _invoke(
        "set", str(contract), "capability_tiers.tier_2.approved_models=[advanced]"
    )
    assert code == 0, err
    code, _out, err = _invoke(
        "set", str(contract), "capability_tiers.tier_2.approved_models=[fast]"
    )
    assert code == 0, err
    text = contract.read_bytes().decode("utf-8-sig")
    assert "- fast" in text and "- advanced" not in text and "- balanced" not in text


def test_refused_edits_leave_the_file_byte_identical(contract: Path) -> None:
    before = contract.read_bytes()
    for word in (
        "capability_tiers.tier_2.approved_models=[]",  # must not be empty
        "capability_tiers.tier_2.approved_models=[advanced, balanced]",  # reorder
        "capability_tiers.tier_1=1",
    ):
        code, _out, err = _invoke("set", str(contract), word)
        assert code == 1 and "Traceback" not in err and err.strip(), word
        assert contract.read_bytes() == before


# -- diff ------------------------------------------------------------------------------


def test_diff_fail_on_exit_codes_and_a_misplaced_levels_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    base, moved, control = tmp_path / "a.yml", tmp_path / "b.yml", tmp_path / "c.yml"
    base.write_text(SEED_TEXT)
    control.write_text(SEED_TEXT.replace("model_and_tool_allowlist", "model_tool_allowlist"))
    start, end = SEED_TEXT.index("  tier_3:"), SEED_TEXT.index("\nreliability")
    first = SEED_TEXT.index("  tier_1:")
    moved.write_text(
        SEED_TEXT[:first]
        + SEED_TEXT[start:end]
        + "\n"
        + SEED_TEXT[first:start].rstrip("\n")
        + SEED_TEXT[end:]
    )
    for target, expected in ((control, (1, 1, 1)), (moved, (0, 0, 1)), (base, (0, 0, 0))):
        codes = tuple(
            _invoke("diff", str(base), str(target), "--fail-on", level)[0]
            for level in ("breaking", "warning", "info")
        )
        assert codes == expected, target.name
    (tmp_path / ".workbench.toml").write_text('[levels]\ncontrol-added = "info"\n')
    code, _out, err = _invoke("diff", str(base), str(control))
    assert code == 2 and "[diff.levels]" in err


# -- simulate --------------------------------------------------------------------------


def _sim_dir(tmp_path: Path, models: str | None = None, workload: str | None = None) -> Path:
    (tmp_path / "contract.yml").write_text(SEED_TEXT)
    (tmp_path / "models.yml").write_text(models or (SAMPLES / "models.yml").read_text())
    (tmp_path / "workload.yml").write_text(workload or (SAMPLES / "workload.yml").read_text())
    return tmp_path / "contract.yml"


def test_alias_bomb_in_models_yml_is_refused_like_a_contract(tmp_path: Path) -> None:
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    bomb = "\n".join(lines) + "\nmodels: *i\n"
    code, _out, err = _invoke("simulate", str(_sim_dir(tmp_path, models=bomb)), "--runs", "100")
    assert code == 1 and "models.yml:1:4: error CW006" in err


@pytest.mark.parametrize(
    "old, new, where",
    [
        ("input_tokens: {p50: 900, p95: 3500}", "input_tokens: {p50: 1e300, p95: 1e308}", "p50"),
        ("output_tokens: {p50: 60, p95: 180}", "output_tokens: {p50: 0.001, p95: 1e9}", "p95"),
        ("{balanced: 0.55, advanced: 0.45}", "{balanced: 1e308, advanced: 1e308}", "model_mix"),
    ],
)
def test_absurd_workload_figures_are_located_errors(
    tmp_path: Path, old: str, new: str, where: str
) -> None:
    workload = (SAMPLES / "workload.yml").read_text()
    assert old in workload
    path = _sim_dir(tmp_path, workload=workload.replace(old, new, 1))
    code, _out, err = _invoke("simulate", str(path), "--runs", "100")
    assert code == 1 and "error CW304" in err and where in err and "Traceback" not in err


@pytest.mark.parametrize(
    "old, new",
    [
        ("ttft_ms: {p50: 250, p95: 600}", "ttft_ms: {p50: 0.000001, p95: 1e300}"),
        ("input_usd_per_1k_tokens: 0.00015", "input_usd_per_1k_tokens: 1e308"),
        ("output_tokens_per_s: 220", "output_tokens_per_s: 1e-300"),
    ],
)
def test_absurd_model_figures_are_located_errors(tmp_path: Path, old: str, new: str) -> None:
    models = (SAMPLES / "models.yml").read_text()
    assert old in models
    code, _out, err = _invoke(
        "simulate", str(_sim_dir(tmp_path, models=models.replace(old, new))), "--runs", "100"
    )
    assert code == 1 and "models.yml:" in err and "error CW304" in err


def test_saturated_and_extreme_but_accepted_inputs_give_strict_json(tmp_path: Path) -> None:
    models = (SAMPLES / "models.yml").read_text()
    for old, new in (
        ("ttft_ms: {p50: 250, p95: 600}", "ttft_ms: {p50: 1000, p95: 1e9}"),
        ("output_tokens_per_s: 220", "output_tokens_per_s: 0.01"),
        ("input_usd_per_1k_tokens: 0.00015", "input_usd_per_1k_tokens: 1e6"),
        ("availability: 0.999", "availability: 0.3"),
    ):
        models = models.replace(old, new)
    workload = (SAMPLES / "workload.yml").read_text()
    for old, new in (
        ("input_tokens: {p50: 900, p95: 3500}", "input_tokens: {p50: 1000, p95: 1e9}"),
        ("calls_per_run: 1", "calls_per_run: 64"),
        ("max_retries: 1", "max_retries: 10"),
    ):
        workload = workload.replace(old, new, 1)
    path = _sim_dir(tmp_path, models=models, workload=workload)
    path.write_text(SEED_TEXT.replace("    - budget_policy_enforcement\n", ""))
    code, out, err = _invoke("simulate", str(path), "--runs", "3000", "--format", "json")
    assert code == 0, err

    def strict(name: str) -> None:
        raise ValueError(name)

    doc = json.loads(out, parse_constant=strict)
    tier = doc["proposal"]["scenarios"]["peak"]["tiers"]["tier_1"]
    assert tier["verdict"] == "breach" and tier["latency_p95_ms"] is None
    code, out, err = _invoke("simulate", str(path), "--runs", "3000")
    assert code == 0 and "breach" in out


def test_a_crafted_key_cannot_drive_the_terminal(tmp_path: Path) -> None:
    path = tmp_path / "c.yml"
    path.write_text('"own\\e[2Jr": 1\n' + SEED_TEXT)
    code, out, _err = _invoke("validate", str(path))
    assert code == 1 and "\x1b" not in out and "own\\x1b[2Jr" in out
    code, _out, err = _invoke("simulate", str(path), "--runs", "100")
    assert code == 1 and "\x1b" not in err and "own\\x1b[2Jr" in err
