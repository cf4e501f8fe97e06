"""`workbench set ... --commit` on real repositories, through the click CLI."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner
from core.conftest_writeback import CONTRACT, SEED, git, head, make_repo, write_hook

from workbench.cli import cli

TIER2 = "reliability.p95_latency_ms.tier_2"


def run(*args: str) -> tuple[int, str, str]:
    """Invoke the CLI; return (exit code, stdout, stderr)."""
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_commit_with_generated_message_and_auto_bump(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    (repo / "README.md").write_text("staged work\n")
    git(repo, "add", "README.md")
    before = head(repo)

    code, out, err = run("set", str(repo / CONTRACT), f"{TIER2}=4000", "--commit", "--bump", "auto")

    assert code == 0, err
    assert "committed" in out and "on main" in out and "1.0 → 1.1" in out
    assert git(repo, "rev-parse", "HEAD~1").strip() == before
    body = git(repo, "log", "-1", "--format=%B")
    assert body.startswith("tier_2 p95 latency SLO 3500 ms → 4000 ms")
    assert "[warning]" in body and "Version: 1.0 → 1.1" in body
    committed = git(repo, "show", f"HEAD:{CONTRACT}")
    assert "version: 1.1\n" in committed and "tier_2: 4000" in committed
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [CONTRACT]
    assert git(repo, "diff", "--cached", "--name-only").split() == ["README.md"]


def test_major_bump_for_breaking_change_and_explicit_message(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    code, out, err = run(
        "set",
        str(repo / CONTRACT),
        "economics.max_cost_per_run_usd.tier_1=0.10",
        "--commit",
        "--bump",
        "auto",
        "-m",
        "Cut tier_1 cost cap (FINOPS-12)",
    )
    assert code == 0, err
    assert git(repo, "log", "-1", "--format=%B").strip() == "Cut tier_1 cost cap (FINOPS-12)"
    assert "version: 2.0\n" in git(repo, "show", f"HEAD:{CONTRACT}")


def test_without_bump_version_is_untouched(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    code, _, err = run("set", str(repo / CONTRACT), f"{TIER2}=4000", "--commit")
    assert code == 0, err
    assert "version: 1.0\n" in git(repo, "show", f"HEAD:{CONTRACT}")


def test_new_branch(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    before = head(repo)
    code, out, err = run(
        "set", str(repo / CONTRACT), f"{TIER2}=4000", "--commit", "--branch", "relax-tier-2"
    )
    assert code == 0, err
    assert "new branch relax-tier-2" in out
    assert git(repo, "symbolic-ref", "--short", "HEAD").strip() == "relax-tier-2"
    assert git(repo, "rev-parse", "main").strip() == before


def test_dry_run_commit_shows_message_and_writes_nothing(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    before = head(repo)
    code, out, err = run(
        "set", str(repo / CONTRACT), f"{TIER2}=4000", "--commit", "--bump", "auto", "--dry-run"
    )
    assert code == 0, err
    assert "+    tier_2: 4000" in out and "+version: 1.1" in out
    assert "--- commit message ---" in out and "Version: 1.0 → 1.1" in out
    assert head(repo) == before and (repo / CONTRACT).read_bytes() == SEED


def test_dry_run_commit_reports_refusal(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    git(repo, "switch", "-q", "--detach", "HEAD")
    code, _, err = run("set", str(repo / CONTRACT), f"{TIER2}=4000", "--commit", "--dry-run")
    assert code == 3 and "detached" in err


def test_message_and_branch_need_commit(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    code, _, err = run("set", str(repo / CONTRACT), f"{TIER2}=4000", "-m", "x")
    assert code == 2 and "--commit" in err
    assert (repo / CONTRACT).read_bytes() == SEED


def test_index_lock_refused_with_exit_3(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    lock = repo / ".git" / "index.lock"
    lock.write_bytes(b"")
    code, out, err = run("set", str(repo / CONTRACT), f"{TIER2}=4000", "--commit")
    assert code == 3 and "index.lock" in err
    assert lock.exists() and (repo / CONTRACT).read_bytes() == SEED


def test_uncommitted_changes_refused(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    dirty = SEED + b"# work in progress\n"
    (repo / CONTRACT).write_bytes(dirty)
    code, _, err = run("set", str(repo / CONTRACT), f"{TIER2}=4000", "--commit")
    assert code == 3 and "uncommitted changes" in err
    assert (repo / CONTRACT).read_bytes() == dirty


def test_merge_in_progress_refused(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    git(repo, "switch", "-q", "-c", "side")
    (repo / "README.md").write_text("side\n")
    git(repo, "commit", "-q", "-am", "side")
    git(repo, "switch", "-q", "main")
    (repo / "README.md").write_text("main\n")
    git(repo, "commit", "-q", "-am", "main")
    git(repo, "merge", "side", check=False)
    code, _, err = run("set", str(repo / CONTRACT), f"{TIER2}=4000", "--commit")
    assert code == 3 and "merge is in progress" in err and "git merge --abort" in err


def test_symlink_refused(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    (repo / "real.yml").write_bytes(SEED)
    (repo / CONTRACT).unlink()
    os.symlink("real.yml", repo / CONTRACT)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "link")
    code, _, err = run("set", str(repo / CONTRACT), f"{TIER2}=4000", "--commit")
    assert code == 3 and "symbolic link" in err
    assert (repo / "real.yml").read_bytes() == SEED


def test_hook_rejection_shows_output_and_keeps_edit(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    before = head(repo)
    write_hook(repo, "pre-commit", 'echo "contract-lint: needs CAB approval" >&2\nexit 1\n')
    code, _, err = run("set", str(repo / CONTRACT), f"{TIER2}=4000", "--commit")
    assert code == 1
    assert "contract-lint: needs CAB approval" in err and "hook rejected" in err
    assert head(repo) == before
    assert b"tier_2: 4000" in (repo / CONTRACT).read_bytes()
    assert git(repo, "diff", "--cached", "--name-only") == ""


def test_hook_rewrite_is_reported(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    write_hook(repo, "pre-commit", f"sed -i 's/4000/4100/' {CONTRACT}\ngit add {CONTRACT}\n")
    code, _, err = run("set", str(repo / CONTRACT), f"{TIER2}=4000", "--commit")
    assert code == 0
    assert "a hook rewrote" in err
    assert "tier_2: 4100" in git(repo, "show", f"HEAD:{CONTRACT}")


def test_invalid_edit_refused_before_any_git(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    before = head(repo)
    code, _, err = run("set", str(repo / CONTRACT), f"{TIER2}=-5", "--commit")
    assert code == 1 and "invalid" in err
    assert head(repo) == before and (repo / CONTRACT).read_bytes() == SEED


def test_bump_with_version_edit_is_refused(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    code, _, err = run(
        "set", str(repo / CONTRACT), f"{TIER2}=4000", "version=3.0", "--commit", "--bump", "major"
    )
    assert code == 1 and "already changes version" in err
    assert (repo / CONTRACT).read_bytes() == SEED


def test_not_a_repository(tmp_path: Path) -> None:
    path = tmp_path / CONTRACT
    path.write_bytes(SEED)
    code, _, err = run("set", str(path), f"{TIER2}=4000", "--commit")
    assert code == 2 and "not inside a git repository" in err
    assert path.read_bytes() == SEED


def test_bump_without_commit_writes_only(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    before = head(repo)
    code, out, err = run("set", str(repo / CONTRACT), f"{TIER2}=4000", "--bump", "minor")
    assert code == 0, err
    assert head(repo) == before
    text = (repo / CONTRACT).read_text()
    assert "version: 1.1\n" in text and "tier_2: 4000" in text


def test_plain_set_still_writes_without_committing(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    before = head(repo)
    code, out, _ = run("set", str(repo / CONTRACT), f"{TIER2}=4000")
    assert code == 0 and "updated" in out
    assert head(repo) == before and b"tier_2: 4000" in (repo / CONTRACT).read_bytes()
