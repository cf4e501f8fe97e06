"""`workbench log` and `workbench show` on real repositories, run as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from core.conftest_history import SEED, build_story, commit_file, git, init_repo

ROOT = Path(__file__).resolve().parents[2]


def wb(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m workbench ARGS` in `cwd` with a clean environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["PYTHONPATH"] = str(ROOT)
    env["COLUMNS"] = "120"
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


@pytest.fixture
def story(tmp_path: Path):
    return build_story(tmp_path)


def _snapshot(repo: Path) -> tuple[list[str], str]:
    """Every file under the repo (outside .git) and git's own status."""
    files = sorted(str(p.relative_to(repo)) for p in repo.rglob("*") if ".git" not in p.parts)
    return files, git(repo, "status", "--porcelain", "--ignored")


# -- log -----------------------------------------------------------------------------


def test_log_json_shape(story) -> None:
    proc = wb(story.repo, "log", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["file"] == story.path
    assert [v["commit"] for v in doc["versions"]] == list(reversed(story.commits))
    for v in doc["versions"]:
        assert {"commit", "date", "author", "subject", "tags", "contract_version", "valid"} <= set(
            v
        )
    assert doc["versions"][2]["valid"] is False
    assert doc["versions"][-1]["tags"] == ["review/2025-Q1"]
    assert doc["draft"] is None and doc["history_truncated"] is False


def test_log_text_tells_the_story(story) -> None:
    (story.repo / story.path).write_text(SEED.replace("version: 1.0", "version: 2.0"))
    proc = wb(story.repo / "contracts", "log")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith(f"{story.path} — 5 versions")
    assert lines[1].startswith("draft") and "2.0" in lines[1]
    assert "INVALID (1 error)" in lines[4] and "Half-finished edit" in lines[4]
    assert "[review/2025-Q1]" in lines[-1] and story.commits[0][:12] in lines[-1]
    assert "renamed to contracts/ai-contract.yml" in lines[2]


def test_log_with_path_and_several_contracts(story) -> None:
    commit_file(story.repo, "b.yml", SEED, "second contract")
    proc = wb(story.repo, "log")
    assert proc.returncode == 2
    assert "2 contracts" in proc.stderr and "b.yml" in proc.stderr and story.path in proc.stderr
    proc = wb(story.repo, "log", "b.yml", "--format", "json")
    assert proc.returncode == 0
    newest = json.loads(proc.stdout)["versions"][0]
    # like `git log --follow`, a new file copied from another is followed into its source
    assert newest["subject"] == "second contract" and newest["status"] in ("A", "C")


def test_log_errors_exit_2_without_traceback(story, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    for cwd, args, words in [
        (plain, ["log"], "not a git repository"),
        (story.repo, ["log", "missing.yml"], "no such file"),
        (story.repo, ["log", "--format", "xml"], "xml"),
    ]:
        proc = wb(cwd, *args)
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
        assert words in proc.stderr and "Traceback" not in proc.stderr


def test_log_unborn_branch(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "empty")
    proc = wb(repo, "log")
    assert (
        proc.returncode == 2
        and "no contract found" in proc.stderr
        and "Traceback" not in proc.stderr
    )
    (repo / "c.yml").write_text(SEED)
    git(repo, "add", "c.yml")
    proc = wb(repo, "log")
    assert proc.returncode == 0, proc.stderr
    assert "no commits yet" in proc.stdout and "draft" in proc.stdout
    doc = json.loads(wb(repo, "log", "--format", "json").stdout)
    assert doc["versions"] == [] and doc["draft"]["valid"] is True
    proc = wb(repo, "show")
    assert proc.returncode == 2 and "no commits yet" in proc.stderr


def test_log_shallow_clone_says_truncated(story, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{story.repo}", str(clone)], check=True
    )
    proc = wb(clone, "log")
    assert proc.returncode == 0, proc.stderr
    assert "history truncated" in proc.stdout
    assert json.loads(wb(clone, "log", "--format", "json").stdout)["history_truncated"] is True
    assert "history truncated" in wb(clone, "show").stdout


def test_bare_repo_log_and_show(story, tmp_path: Path) -> None:
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(story.repo), str(bare)], check=True)
    before = sorted(p.name for p in bare.iterdir())
    proc = wb(bare, "log", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)["versions"]) == 5
    proc = wb(bare, "show", "review/2025-Q1", story.path)
    assert proc.returncode == 0, proc.stderr and "tier_1" in proc.stdout
    assert sorted(p.name for p in bare.iterdir()) == before  # nothing written


# -- show ------------------------------------------------------------------------------


def test_show_text_matrix(story) -> None:
    proc = wb(story.repo, "show")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert story.commits[-1][:12] in out and "version 1.3" in out and "valid" in out
    for label in (
        "use cases",
        "approved models",
        "human checkpoint",
        "p95 SLO (ms)",
        "cost cap (USD/run)",
    ):
        assert label in out
    header = next(line for line in out.splitlines() if "tier_1" in line)
    assert header.index("tier_1") < header.index("tier_2") < header.index("tier_3")
    assert "8.50" in out  # numbers as written
    assert "mandatory controls" in out and "ai-platform-oncall" in out


def test_show_old_revision_follows_rename(story) -> None:
    proc = wb(story.repo, "show", "review/2025-Q1", story.path, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["commit"] == story.commits[0] and doc["path"] == story.old_path
    assert doc["contract_version"] == "1.0" and doc["valid"] is True
    assert doc["tags"] == ["review/2025-Q1"] and doc["author"] == "Ada Lovelace"
    assert doc["matrix"]["tiers"] == ["tier_1", "tier_2", "tier_3"]
    p95 = next(r for r in doc["matrix"]["rows"] if r["key"] == "p95_latency_ms")
    assert p95["values"]["tier_2"] == 3500


def test_show_yaml_is_byte_exact(story) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "workbench", "show", "HEAD~2", story.path, "--format", "yaml"],
        cwd=story.repo,
        capture_output=True,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
            "PYTHONPATH": str(ROOT),
        },
        check=False,
    )
    assert proc.returncode == 0
    assert proc.stdout == git(story.repo, "show", f"{story.commits[2]}:{story.old_path}").encode()


def test_show_invalid_version_lists_findings(story) -> None:
    proc = wb(story.repo, "show", story.commits[2])
    assert proc.returncode == 0, proc.stderr
    assert "INVALID" in proc.stdout and "CW001" in proc.stdout


def test_show_single_argument_is_path_or_revision(story) -> None:
    assert wb(story.repo, "show", story.path).returncode == 0
    assert (
        json.loads(wb(story.repo, "show", "HEAD~1", "--format", "json").stdout)["commit"]
        == story.commits[3]
    )


@pytest.mark.parametrize(
    "args",
    [
        ["show", "--output=victim.txt"],
        ["show", "--", "--output=victim.txt"],
        ["show", "-n1"],
        ["show", "--", "-n1"],
        ["show", "HEAD\nvictim.txt"],
        ["show", "HEAD\nvictim.txt", "contracts/ai-contract.yml"],
        ["show", "", "contracts/ai-contract.yml"],
        ["show", "no-such-rev", "contracts/ai-contract.yml"],
        ["show", "HEAD~99", "contracts/ai-contract.yml"],
        ["show", "HEAD", "contracts/missing.yml"],
        ["log", "--output=victim.txt"],
        ["log", "--", "-n1"],
    ],
)
def test_hostile_or_bad_revisions_exit_2_and_create_nothing(story, args: list[str]) -> None:
    before = _snapshot(story.repo)
    proc = wb(story.repo, *args)
    assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
    assert proc.stderr.strip() and "Traceback" not in proc.stderr
    assert _snapshot(story.repo) == before
    assert (
        not (story.repo / "victim.txt").exists()
        and not (story.repo / "contracts" / "victim.txt").exists()
    )
