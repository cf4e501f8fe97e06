"""`workbench log / show / set --commit` against odd repositories and hostile input.

Run as a user would: `python -m workbench ...` in a subprocess, from inside
the repository (or a linked work tree, or a subfolder). Every case must end
with a clear message and the right exit code (DESIGN §7), never a traceback,
and change nothing it should not.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from core.conftest_writeback import CONTRACT, SEED, clean_env, git, head, make_repo

ROOT = Path(__file__).resolve().parents[2]
TIER2 = "reliability.p95_latency_ms.tier_2"


def wb(cwd: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run `python -m workbench ARGS` in `cwd`; return (exit code, stdout, stderr)."""
    full_env = clean_env({"PYTHONPATH": str(ROOT), "NO_COLOR": "1", **(env or {})})
    proc = subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=full_env,
        check=False,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, proc.stdout, proc.stderr


def _two_versions(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path)
    (repo / CONTRACT).write_bytes(SEED.replace(b"tier_2: 3500", b"tier_2: 4000"))
    git(repo, "commit", "-q", "-am", "Relax tier_2 latency")
    return repo


def test_a_stray_file_named_like_a_revision_is_not_guessed(tmp_path: Path) -> None:
    repo = _two_versions(tmp_path)
    (repo / "HEAD~1").write_text("not a contract\n")
    code, out, err = wb(repo, "show", "HEAD~1")
    assert code == 2 and "both a revision and a file" in err and out == ""
    code, out, _ = wb(repo, "show", "HEAD~1", CONTRACT)
    assert code == 0 and "initial contract" in out
    (repo / "HEAD~1").unlink()
    code, out, _ = wb(repo, "show", "HEAD~1")
    assert code == 0 and "initial contract" in out


def test_git_spellings_rev_colon_path_and_message_search(tmp_path: Path) -> None:
    repo = _two_versions(tmp_path)
    code, out, err = wb(repo, "show", f"HEAD~1:{CONTRACT}", "--format", "json")
    assert code == 0, err
    assert '"subject": "initial contract"' in out
    code, out, err = wb(repo, "show", ":/Relax")
    assert code == 0 and "Relax tier_2 latency" in out, err


@pytest.mark.parametrize(
    ("rev", "message"),
    [
        ("HEAD~1..HEAD", "range of commits"),
        ("HEAD^{tree}", "names a tree"),
        ("$(touch pwned)", "unknown revision"),
        ("--output=pwned", "No such option"),  # click stops it before we see it
        ("a" * 120_000, "too long"),
        ("HEAD\nmain", "control characters"),
    ],
)
def test_hostile_revisions_exit_2_and_create_nothing(
    tmp_path: Path, rev: str, message: str
) -> None:
    repo = _two_versions(tmp_path)
    code, out, err = wb(repo, "show", rev, CONTRACT)
    assert code == 2 and message in err and out == ""
    assert len(err) < 500  # a pasted blob is not echoed back in full
    assert not (repo / "pwned").exists()
    assert git(repo, "status", "--porcelain") == ""


def test_dash_revision_after_double_dash_is_refused(tmp_path: Path) -> None:
    repo = _two_versions(tmp_path)
    code, out, err = wb(repo, "show", "--", "--output=pwned", CONTRACT)
    assert code == 2 and "starts with '-'" in err and out == ""
    assert not (repo / "pwned").exists()


def test_overlong_path_is_a_usage_error(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    for args in (["log", "x" * 300 + ".yml"], ["show", "HEAD", "x" * 300 + ".yml"]):
        code, _, err = wb(repo, *args)
        assert code == 2 and "cannot use path" in err


def test_read_only_contract_is_refused_with_exit_3(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    (repo / CONTRACT).chmod(0o444)
    before = head(repo)
    for extra in ([], ["--commit"], ["--bump", "minor"]):
        code, _, err = wb(repo, "set", CONTRACT, f"{TIER2}=4000", *extra)
        assert code == 3 and "read-only" in err and "chmod u+w" in err
    assert (repo / CONTRACT).read_bytes() == SEED and head(repo) == before


def test_unknown_identity_refused_before_the_file_is_written(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    git(repo, "config", "--unset", "user.name")
    git(repo, "config", "--unset", "user.email")
    git(repo, "config", "user.useConfigOnly", "true")
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "XDG_CONFIG_HOME": str(home)}
    code, _, err = wb(repo, "set", CONTRACT, f"{TIER2}=4000", "--commit", env=env)
    assert code == 3 and "does not know who you are" in err
    assert (repo / CONTRACT).read_bytes() == SEED
    assert git(repo, "status", "--porcelain") == ""


def test_commit_msg_hook_rejection_keeps_the_edit_and_nothing_else(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    hook = hooks / "commit-msg"
    hook.write_text('#!/bin/sh\necho "commit-msg: add a ticket id" >&2\nexit 1\n')
    hook.chmod(0o755)
    git(repo, "config", "core.hooksPath", str(hooks))
    (repo / "README.md").write_text("staged\n")
    git(repo, "add", "README.md")
    before = head(repo)
    code, _, err = wb(repo, "set", CONTRACT, f"{TIER2}=4000", "--commit")
    assert code == 1 and "commit-msg: add a ticket id" in err and "hook rejected" in err
    assert head(repo) == before
    assert sorted(git(repo, "status", "--porcelain").splitlines()) == [
        f" M {CONTRACT}",
        "M  README.md",
    ]


def test_failing_gpg_program_with_commit_gpgsign(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    git(repo, "config", "commit.gpgsign", "true")
    git(repo, "config", "gpg.program", shutil.which("false") or "/bin/false")
    before = head(repo)
    code, _, err = wb(repo, "set", CONTRACT, f"{TIER2}=4000", "--commit", "--branch", "try")
    assert code == 1 and "commit signing failed" in err
    assert head(repo) == before and "try" not in git(repo, "branch")
    assert git(repo, "symbolic-ref", "HEAD").strip() == "refs/heads/main"


@pytest.mark.parametrize("name", ["-x", "../x", "a..b", "HEAD", "FETCH_HEAD", "v1", "main/x"])
def test_bad_branch_names_exit_3_and_change_nothing(tmp_path: Path, name: str) -> None:
    repo = make_repo(tmp_path)
    git(repo, "tag", "v1")
    refs = git(repo, "for-each-ref")
    code, _, err = wb(repo, "set", CONTRACT, f"{TIER2}=4000", "--commit", f"--branch={name}")
    assert code == 3 and "refused" in err
    assert git(repo, "for-each-ref") == refs and (repo / CONTRACT).read_bytes() == SEED


def test_linked_worktree_log_show_and_commit_from_a_subfolder(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, relpath=f"contracts/{CONTRACT}")
    wt = tmp_path / "wt"
    git(repo, "worktree", "add", "-q", "-b", "side", str(wt))
    sub = wt / "contracts"
    code, out, err = wb(sub, "log")
    assert code == 0 and "1 version" in out, err
    code, out, err = wb(sub, "set", CONTRACT, f"{TIER2}=4000", "--commit")
    assert code == 0 and "on side" in out, err
    code, out, _ = wb(sub, "show", "HEAD~1", CONTRACT)
    assert code == 0 and "initial contract" in out
    assert git(repo, "log", "-1", "--format=%s", "main").strip() == "initial contract"


def test_stray_git_environment_is_ignored(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    env = {
        "GIT_DIR": str(elsewhere / ".git"),
        "GIT_WORK_TREE": str(elsewhere),
        "GIT_INDEX_FILE": str(elsewhere / "index"),
    }
    code, out, err = wb(repo, "log", env=env)
    assert code == 0 and "1 version" in out, err
    code, out, err = wb(repo, "set", CONTRACT, f"{TIER2}=4000", "--commit", env=env)
    assert code == 0, err
    assert not elsewhere.exists()
    assert git(repo, "log", "-1", "--format=%s").startswith("tier_2")


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_repository_refused_before_writing(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    gitdir = repo / ".git"
    gitdir.chmod(0o555)
    try:
        code, _, err = wb(repo, "set", CONTRACT, f"{TIER2}=4000", "--commit")
    finally:
        gitdir.chmod(0o755)
    assert code == 3 and "not writable" in err
    assert (repo / CONTRACT).read_bytes() == SEED


def test_merge_commit_shows_in_log(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    git(repo, "switch", "-q", "-c", "feat")
    (repo / CONTRACT).write_bytes(SEED.replace(b"version: 1.0", b"version: 1.1"))
    git(repo, "commit", "-q", "-am", "feat: 1.1")
    git(repo, "switch", "-q", "main")
    (repo / CONTRACT).write_bytes(SEED + b"# note\n")
    git(repo, "commit", "-q", "-am", "main: note")
    git(repo, "merge", "-q", "--no-edit", "feat")
    code, out, err = wb(repo, "log")
    assert code == 0, err
    first = out.splitlines()[1]
    assert head(repo)[:12] in first and "1.1" in first and "Merge branch 'feat'" in first


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to hand the repository to another user")
def test_repository_owned_by_another_user_says_so(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    for path in [repo, *repo.rglob("*")]:
        os.lchown(path, 65534, 65534)
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "XDG_CONFIG_HOME": str(home)}
    for args in (["log"], ["show"], ["set", CONTRACT, f"{TIER2}=4000", "--commit"]):
        code, _, err = wb(repo, *args, env=env)
        assert code == 2 and "dubious ownership" in err and "safe.directory" in err
    assert (repo / CONTRACT).read_bytes() == SEED


def test_orphan_branch_can_still_show_other_branches(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    git(repo, "checkout", "-q", "--orphan", "fresh")
    code, _, err = wb(repo, "show")
    assert code == 2 and "current branch has no commits yet" in err
    code, out, err = wb(repo, "show", "main", CONTRACT)
    assert code == 0 and "initial contract" in out, err
    code, out, err = wb(repo, "log")
    assert code == 0 and "no commits yet on the current branch" in out, err


def test_rev_colon_path_is_from_the_top_like_git(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, relpath=f"contracts/{CONTRACT}")
    sub = repo / "contracts"
    for spelling in (f"HEAD:contracts/{CONTRACT}", f"HEAD:./{CONTRACT}"):
        code, out, err = wb(sub, "show", spelling)
        assert code == 0 and "initial contract" in out, err


def test_escape_sequences_in_history_do_not_reach_the_terminal(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    git(repo, "config", "user.name", "Ev\x1b[31mil")
    text = (repo / CONTRACT).read_bytes().replace(b"version: 1.0", b'version: "\\e]0;x\\a1.1"')
    (repo / CONTRACT).write_bytes(text)
    git(repo, "commit", "-q", "-am", "sub \x1b]0;title\x07 ject")
    for args in (["log"], ["show"]):
        code, out, err = wb(repo, *args)
        assert code == 0, err
        assert "\x1b" not in out and "\x07" not in out
        assert "sub \\x1b]0;title\\x07 ject" in out
