"""`workbench simulate` on real repositories: HEAD vs working tree, --against, outside git,
hostile revisions, bad inputs, and the JSON shape of DESIGN §7."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from gitutil import git

from workbench.cli import cli
from workbench.core.resources import resource_dir

SEED = "ai-internal-developer-contract.yml"
RUNS = ["--runs", "20000"]


def _run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["simulate", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def restricted_repo(seed_repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seed's contract committed; tier_2 restricted to `advanced` in the working tree."""
    path = seed_repo / SEED
    text = path.read_text()
    edited = text.replace(
        'approved_models: ["balanced", "advanced"]', 'approved_models: ["advanced"]'
    )
    assert edited != text
    path.write_text(edited)
    monkeypatch.chdir(seed_repo)
    return seed_repo


def test_done_when_tier_2_moves_and_the_others_do_not(restricted_repo: Path) -> None:
    code, out, err = _run([*RUNS, "--format", "json"])
    assert code == 0, err
    doc = json.loads(out)
    assert set(doc) >= {"baseline", "proposal"}
    # normal load: the done-when, tier_1 and tier_3 do not move at all
    # peak hour: tier_2's traffic fills advanced's quota, so tier_3 (on advanced) waits too
    for scenario, unchanged in (("normal", ("tier_1", "tier_3")), ("peak", ("tier_1",))):
        tiers = doc["deltas"]["scenarios"][scenario]["tiers"]
        for tier in unchanged:
            assert all(v == 0 for v in tiers[tier].values()), (scenario, tier)
        assert tiers["tier_2"]["cost_mean_usd"] > 0.05  # advanced costs 5× balanced
        assert tiers["tier_2"]["latency_p95_ms"] > 200  # and is slower
    peak = doc["deltas"]["scenarios"]["peak"]["tiers"]
    assert peak["tier_3"]["cost_mean_usd"] == 0 and peak["tier_3"]["latency_p95_ms"] > 0
    advanced = doc["proposal"]["scenarios"]["peak"]["models"]["advanced"]
    assert 0.85 <= advanced["utilization"] < 1.0
    assert "bundled sample" in err  # no models.yml beside the contract


def test_text_report(restricted_repo: Path) -> None:
    code, out, err = _run(RUNS)
    assert code == 0, err
    assert "HEAD (" in out and "(working tree)" in out
    assert "NORMAL LOAD" in out and "PEAK LOAD" in out
    lines = out.splitlines()
    peak_at = lines.index(next(line for line in lines if line.startswith("PEAK LOAD")))
    normal, peak = lines[:peak_at], lines[peak_at:]
    tier_1 = normal.index(next(line for line in normal if line.startswith("  tier_1")))
    assert "no change" in normal[tier_1 + 1]
    assert "+$0 (" in normal[tier_1 + 3]
    # normal load: tier_2 on advanced only is slower and dearer, close to its SLO
    tier_2 = normal.index(next(line for line in normal if line.startswith("  tier_2")))
    assert "ok → at_risk" in normal[tier_2] and "of the 3,500 ms SLO" in normal[tier_2]
    assert re.search(r"p95 [\d,]+ → 3,[\d,]+ ms \(SLO 3,500\)  \+\d", normal[tier_2 + 1])
    assert normal[tier_2 + 2].startswith("    cost     +$0.")
    assert "per run (cap $1.25)" in normal[tier_2 + 2]
    tier_3 = normal.index(next(line for line in normal if line.startswith("  tier_3")))
    assert "no change" in normal[tier_3 + 1]
    # peak hour: advanced's quota fills up; tier_3 slows down too, and the report says why
    tier_2 = peak.index(next(line for line in peak if line.startswith("  tier_2")))
    assert "ok → breach" in peak[tier_2] and "over the 3,500 ms SLO" in peak[tier_2]
    tier_3 = peak.index(next(line for line in peak if line.startswith("  tier_3")))
    assert re.search(r"ok → (at_risk|breach)", peak[tier_3])
    assert "advanced runs at 9" in peak[tier_3]
    assert "no change" not in peak[tier_3 + 1] and "(SLO 6,000)  +" in peak[tier_3 + 1]
    assert "+$0 (" in peak[tier_3 + 2]  # the same runs, only slower
    models = next(line for line in peak if line.startswith("  models"))
    assert re.search(r"advanced [4-5]\d\.\d % → (8[5-9]|9\d)\.\d % \(P\(wait\)", models)
    assert "RESERVE" in out and "DOES NOT FIT" in out  # +$196k a month is not funded


def test_against_a_revision_and_seed(restricted_repo: Path) -> None:
    git(restricted_repo, "commit", "-qam", "Restrict tier_2")
    code, out, _ = _run([*RUNS, "--against", "HEAD~1", "--format", "json", "--seed", "5"])
    assert code == 0
    doc = json.loads(out)
    assert doc["baseline"]["seed"] == 5 and doc["baseline"]["label"].startswith("HEAD~1 (")
    assert doc["deltas"]["scenarios"]["normal"]["tiers"]["tier_2"]["cost_mean_usd"] > 0
    # HEAD vs a clean working tree: nothing moves
    code, out, _ = _run([*RUNS, "--format", "json"])
    deltas = json.loads(out)["deltas"]["scenarios"]["normal"]["tiers"]
    assert all(v == 0 for row in deltas.values() for v in row.values())


@pytest.mark.parametrize("rev", ["--output=x", "-n1", "HEAD\nx", "HEAD\x00", "no-such-rev"])
def test_hostile_or_unknown_against_is_refused(restricted_repo: Path, rev: str) -> None:
    code, out, err = _run([*RUNS, f"--against={rev}"])
    assert code == 2
    assert out == ""
    assert "workbench:" in err
    assert not (restricted_repo / "x").exists()


def test_outside_git_the_file_against_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "c.yml"
    target.write_text((resource_dir("sample_contracts") / SEED).read_text())
    code, out, err = _run([str(target), *RUNS, "--format", "json"])
    assert code == 0, err
    doc = json.loads(out)
    assert doc["baseline"]["scenarios"] == doc["proposal"]["scenarios"]
    assert "against itself" in " ".join(doc["notices"])
    code, _, err = _run([str(target), *RUNS, "--against", "HEAD"])
    assert code == 2 and "git repository" in err
    code, _, err = _run(RUNS)
    assert code == 2 and "not in a git repository" in err


def test_inputs_beside_the_contract_are_used(restricted_repo: Path) -> None:
    folder = resource_dir("sample_contracts")
    models = (
        (folder / "models.yml")
        .read_text()
        .replace("input_usd_per_1k_tokens: 0.015", "input_usd_per_1k_tokens: 0.030")
    )
    (restricted_repo / "models.yml").write_text(models)
    (restricted_repo / "workload.yml").write_text((folder / "workload.yml").read_text())
    code, out, err = _run([*RUNS, "--format", "json"])
    assert code == 0
    assert "bundled" not in err
    doc = json.loads(out)
    tier_3 = doc["baseline"]["scenarios"]["normal"]["tiers"]["tier_3"]
    assert tier_3["cost_mean_usd"] > 0.4  # advanced's input price doubled


def test_bad_inputs_are_located_findings(restricted_repo: Path, tmp_path: Path) -> None:
    bad = tmp_path / "models.yml"
    bad.write_text("models:\n  fast:\n    input_usd_per_1k_tokens: cheap\n")
    code, out, err = _run([*RUNS, "--models", str(bad)])
    assert code == 1 and out == ""
    assert f"{bad}:3:30: error CW301" in err
    code, _, err = _run([*RUNS, "--models", str(tmp_path / "missing.yml")])
    assert code == 2 and "no such file" in err
    code, _, _ = _run(["--runs", "0"])
    assert code == 2


def test_catalog_without_an_approved_model(restricted_repo: Path, tmp_path: Path) -> None:
    models = (resource_dir("sample_contracts") / "models.yml").read_text()
    only = tmp_path / "models.yml"
    only.write_text(models.split("  balanced:")[0])  # fast only
    code, _, err = _run([*RUNS, "--models", str(only)])
    assert code == 1
    assert "CW104" in err or "CW310" in err


def test_invalid_proposal_exits_1(restricted_repo: Path) -> None:
    path = restricted_repo / SEED
    path.write_text(path.read_text().replace("tier_3: 6000", "tier_3: fast"))
    code, _, err = _run(RUNS)
    assert code == 1
    assert "not a valid contract" in err and "tier_3" in err


def test_unborn_repo_simulates_the_draft(
    make_repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo()
    (repo / SEED).write_text((resource_dir("sample_contracts") / SEED).read_text())
    monkeypatch.chdir(repo)
    code, out, err = _run([SEED, *RUNS])
    assert code == 0, err
    assert "no commits yet" in err


def test_module_entry_point_json(restricted_repo: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "workbench", "simulate", "--runs", "5000", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=restricted_repo,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    row = doc["proposal"]["scenarios"]["peak"]["tiers"]["tier_2"]
    for key in ("latency_p95_ms", "latency_attainment", "availability", "cost_mean_usd", "verdict"):
        assert key in row
    assert set(doc["proposal"]["scenarios"]["peak"]["models"]["advanced"]) >= {
        "utilization",
        "p_wait",
    }
