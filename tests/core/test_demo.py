"""The demo repository: a real, reproducible two-year history of the seed's contract."""

from __future__ import annotations

import datetime as dt
import shlex
import sys
from pathlib import Path

import pytest
from gitutil import git

from workbench.core.contract_file import catalog_beside
from workbench.core.demo import DEMO_CONTRACT, DemoError, Step, Story, build_demo_repo, load_story
from workbench.core.diff import diff_contracts
from workbench.core.simulation import load_inputs, simulate
from workbench.core.validate import validate_text
from workbench.core.yaml_safe import parse_yaml

ROOT = Path(__file__).resolve().parents[2]

SURFACES = {"capability", "reliability", "governance", "economics", "support"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_repo(tmp_path_factory.mktemp("demo") / "demo-repo")


def _versions(repo: Path) -> list[tuple[str, str, str, str]]:
    """(sha, author, iso date, path) of the commits touching the contract, oldest first."""
    out = git(
        repo,
        "log",
        "--follow",
        "--name-only",
        "--format=%x00%H%x01%an%x01%aI",
        "--",
        DEMO_CONTRACT,
    )
    rows = []
    for chunk in out.split("\x00")[1:]:
        head, _, names = chunk.partition("\n")
        sha, author, date = head.split("\x01")
        rows.append((sha, author, date, names.strip().splitlines()[-1]))
    return rows[::-1]


def test_history_shape(demo: Path) -> None:
    versions = _versions(demo)
    assert len(versions) >= 8
    assert len({author for _, author, _, _ in versions}) >= 3
    first = dt.datetime.fromisoformat(versions[0][2])
    last = dt.datetime.fromisoformat(versions[-1][2])
    assert (last - first).days > 700  # about two years
    assert [v[2] for v in versions] == sorted(v[2] for v in versions)
    paths = [path for *_, path in versions]
    assert paths[0] == "ai-internal-developer-contract.yml" and paths[-1] == DEMO_CONTRACT
    assert git(demo, "status", "--porcelain") == ""
    assert git(demo, "symbolic-ref", "--short", "HEAD").strip() == "main"


def test_review_tags(demo: Path) -> None:
    tags = git(demo, "tag", "--list", "review/*").split()
    assert "review/2025-Q3" in tags and len(tags) >= 6
    kind = git(demo, "cat-file", "-t", "review/2025-Q3").strip()
    assert kind == "tag"  # annotated, with a tagger and a date


def test_exactly_one_invalid_version_fixed_by_the_next(demo: Path) -> None:
    versions = _versions(demo)
    valid = []
    for sha, _, _, path in versions:
        text = git(demo, "show", f"{sha}:{path}")
        folder = path.rpartition("/")[0]
        catalog_text = git(demo, "show", f"{sha}:{folder + '/' if folder else ''}models.yml")
        catalog = set(validate_text(catalog_text).parsed.data["models"])
        valid.append(validate_text(text, catalog=catalog).valid)
    assert valid.count(False) == 1
    bad = valid.index(False)
    assert 0 < bad < len(valid) - 1 and valid[bad + 1]


def test_changes_on_all_five_surfaces(demo: Path) -> None:
    versions = _versions(demo)
    seen: set[str] = set()
    for (old_sha, *_, old_path), (new_sha, *_, new_path) in zip(
        versions, versions[1:], strict=False
    ):
        old = validate_text(git(demo, "show", f"{old_sha}:{old_path}")).data
        new = validate_text(git(demo, "show", f"{new_sha}:{new_path}")).data
        seen |= {change.surface for change in diff_contracts(old, new).changes}
    assert SURFACES <= seen


def test_head_contract_is_valid_against_its_catalog(demo: Path) -> None:
    path = demo / DEMO_CONTRACT
    catalog = catalog_beside(path)
    assert catalog is not None and {"fast", "balanced", "advanced", "reasoning"} <= catalog
    assert validate_text(path.read_bytes(), catalog=catalog).valid
    workload = validate_text((demo / "contracts" / "workload.yml").read_bytes()).parsed.data
    assert set(workload["tiers"]) == {"tier_1", "tier_2", "tier_3", "tier_4"}


def test_first_version_is_the_seed(demo: Path) -> None:
    from workbench.core.resources import resource_dir

    first_sha = _versions(demo)[0][0]
    seed = (resource_dir("sample_contracts") / "ai-internal-developer-contract.yml").read_text()
    assert git(demo, "show", f"{first_sha}:ai-internal-developer-contract.yml") == seed


def test_build_is_reproducible(demo: Path, tmp_path: Path) -> None:
    again = build_demo_repo(tmp_path / "again")
    assert git(again, "rev-parse", "HEAD") == git(demo, "rev-parse", "HEAD")


def test_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "keep.txt").write_text("mine\n")
    with pytest.raises(DemoError, match="not an empty folder"):
        build_demo_repo(tmp_path / "busy")
    assert (tmp_path / "busy" / "keep.txt").read_text() == "mine\n"
    (tmp_path / "file").write_text("x")
    with pytest.raises(DemoError):
        build_demo_repo(tmp_path / "file")


def test_empty_folder_is_fine(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert (build_demo_repo(tmp_path / "empty") / DEMO_CONTRACT).is_file()


def test_global_hooks_and_signing_do_not_apply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A user whose global config signs every commit and runs a failing hook.
    home = tmp_path / "home"
    hooks = home / "hooks"
    hooks.mkdir(parents=True)
    (hooks / "pre-commit").write_text("#!/bin/sh\nexit 1\n")
    (hooks / "pre-commit").chmod(0o755)
    (home / ".gitconfig").write_text(
        f"[core]\n\thooksPath = {hooks}\n[commit]\n\tgpgsign = true\n[gpg]\n\tprogram = /bin/false\n"
    )
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    repo = build_demo_repo(tmp_path / "demo")
    assert (repo / DEMO_CONTRACT).is_file()


def test_story_data_is_consistent() -> None:
    story = load_story()
    assert len(story.steps) >= 8
    assert all(step.subject and step.date for step in story.steps)
    assert any(step.rename for step in story.steps)


def test_semantic_git_diff_driver_is_set_up(demo: Path) -> None:
    """.gitattributes (from the first commit) marks the contract at both of its paths;
    the repo's config runs this Python's `-m workbench textconv`, so `git log -p`
    shows the semantic view without a console script on PATH."""
    first = git(demo, "rev-list", "--max-parents=0", "HEAD").strip()
    assert "ai-internal-developer-contract.yml diff=workbench" in git(
        demo, "show", f"{first}:.gitattributes"
    )
    for path in ("ai-internal-developer-contract.yml", DEMO_CONTRACT):
        assert git(demo, "check-attr", "diff", "--", path).strip().endswith("diff: workbench")
    assert git(demo, "check-attr", "diff", "--", "contracts/workload.yml").endswith("unspecified\n")
    driver = git(demo, "config", "--get", "diff.workbench.textconv").strip()
    assert driver == f"{shlex.quote(sys.executable)} -m workbench textconv"
    env = {"PYTHONPATH": str(ROOT)}  # the package is importable as in a real install
    log = git(demo, "log", "-p", "--follow", "--", DEMO_CONTRACT, env=env)
    assert "tier tier_2: p95 latency SLO: 4000 ms" in log  # the relaxation in 6.1
    assert "-tier tier_2: approved model: advanced" in log  # retired in 6.0
    assert "+tier tier_1: approved model: fast" in log  # the seed, first commit
    raw = git(demo, "log", "-p", "--no-textconv", "-1", "--", DEMO_CONTRACT)
    assert "+review_cadence: monthly  # while tier_4 agents ramp up" in raw
    assert git(demo, "status", "--porcelain") == ""


def test_head_simulates_calmly_without_input_warnings(demo: Path) -> None:
    """The latest version against the demo's own models.yml/workload.yml: no CW31x
    warnings, no breach, at most one at_risk (tier_4, close to its latency SLO)."""
    path = demo / DEMO_CONTRACT
    inputs = load_inputs(None, None, path)
    assert inputs.notices == [] and inputs.findings == []
    report = simulate(parse_yaml(path.read_bytes()).data, inputs, runs=50_000)
    assert report["findings"] == []
    for scenario in ("normal", "peak"):
        scene = report["scenarios"][scenario]
        verdicts = {tier: row["verdict"] for tier, row in scene["tiers"].items()}
        assert "breach" not in verdicts.values(), verdicts
        at_risk = [tier for tier, verdict in verdicts.items() if verdict == "at_risk"]
        assert at_risk in ([], ["tier_4"]), verdicts
        tier_4 = scene["tiers"]["tier_4"]
        assert 0.8 * tier_4["latency_slo_ms"] < tier_4["latency_p95_ms"] < tier_4["latency_slo_ms"]
        assert all(m["utilization"] < 0.6 for m in scene["models"].values())
    assert report["scenarios"]["normal"]["totals"]["reserve_ok"]


def test_story_edits_must_match_exactly_once(tmp_path: Path) -> None:
    story = load_story()
    broken = Story(
        story.authors,
        [
            story.steps[0],
            Step(
                date=story.steps[1].date,
                author=story.steps[1].author,
                subject="edit a line that is not there",
                replace={"workload.yml": [("no such text", "x")]},
            ),
        ],
    )
    with pytest.raises(DemoError, match="occurs 0 times"):
        build_demo_repo(tmp_path / "broken", story=broken)
    assert not (tmp_path / "broken").exists()  # the half-built folder is removed
