"""Write-back refusals on real repositories: nothing changes, the message says what to do."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest_writeback import CONTRACT, SEED, edited, git, head, make_repo

from workbench.core.git.repo_state import git_dir, head_state, operation_in_progress
from workbench.core.git.writeback import RefusedError, commit_contract_edit, sha256_hex


def _snapshot(repo: Path) -> tuple[str, str, str, bytes]:
    """Everything a refusal must leave alone."""
    return (
        git(repo, "rev-parse", "HEAD"),
        git(repo, "ls-files", "-s"),
        git(repo, "status", "--porcelain=v1", "--untracked-files=all"),
        (repo / CONTRACT).read_bytes() if (repo / CONTRACT).exists() else b"",
    )


def _refused(repo: Path, match: str, **kw: object) -> RefusedError:
    path = repo / CONTRACT
    data = path.read_bytes()
    kw.setdefault("expected_sha256", sha256_hex(data))
    before = _snapshot(repo)
    with pytest.raises(RefusedError, match=match) as info:
        commit_contract_edit(repo, CONTRACT, edited(SEED), message="m", **kw)
    assert _snapshot(repo) == before
    return info.value


def _conflicting_branches(repo: Path) -> None:
    """`side` and `main` both change README.md differently."""
    git(repo, "switch", "-q", "-c", "side")
    (repo / "README.md").write_text("side\n")
    git(repo, "commit", "-q", "-am", "side change")
    git(repo, "switch", "-q", "main")
    (repo / "README.md").write_text("main\n")
    git(repo, "commit", "-q", "-am", "main change")


def test_merge_in_progress(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    _conflicting_branches(repo)
    git(repo, "merge", "side", check=False)
    assert (git_dir(repo) / "MERGE_HEAD").exists()
    err = _refused(repo, "a merge is in progress")
    assert "git merge --abort" in str(err)


def test_plain_rebase_in_progress(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    _conflicting_branches(repo)
    git(repo, "rebase", "side", check=False)
    _refused(repo, "a rebase is in progress.*git rebase --abort")


def test_apply_backend_rebase_in_progress(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    _conflicting_branches(repo)
    git(repo, "-c", "rebase.backend=apply", "rebase", "side", check=False)
    assert (git_dir(repo) / "rebase-apply").is_dir()
    _refused(repo, "a rebase is in progress")


def test_interactive_rebase_stopped_for_edit(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    (repo / "README.md").write_text("two\n")
    git(repo, "commit", "-q", "-am", "second")
    # The sequence editor marks the commit `edit`, so the rebase stops with a clean tree.
    git(
        repo,
        "rebase",
        "-i",
        "HEAD~1",
        env={"GIT_SEQUENCE_EDITOR": "sed -i 's/^pick/edit/'"},
    )
    assert (git_dir(repo) / "rebase-merge" / "interactive").exists()
    # HEAD is detached during a rebase; the in-progress check must win.
    _refused(repo, "rebase is in progress")


def test_cherry_pick_in_progress(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    _conflicting_branches(repo)
    git(repo, "cherry-pick", "side", check=False)
    _refused(repo, "a cherry-pick is in progress.*cherry-pick --abort")


def test_revert_in_progress(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    _conflicting_branches(repo)
    (repo / "README.md").write_text("main again\n")
    git(repo, "commit", "-q", "-am", "later")
    git(repo, "revert", "--no-edit", "HEAD~1", check=False)
    assert (git_dir(repo) / "REVERT_HEAD").exists()
    _refused(repo, "a revert is in progress.*revert --abort")


def test_bisect_in_progress(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    (repo / "README.md").write_text("two\n")
    git(repo, "commit", "-q", "-am", "second")
    git(repo, "bisect", "start")
    _refused(repo, "a bisect is in progress.*git bisect reset")


def test_no_operation_in_a_clean_repo(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    assert operation_in_progress(git_dir(repo)) is None


def test_detached_head_refused_unless_allowed(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    git(repo, "switch", "-q", "--detach", "HEAD")
    err = _refused(repo, "HEAD is detached")
    assert "--branch" in str(err)
    before = head(repo)
    data = (repo / CONTRACT).read_bytes()
    result = commit_contract_edit(
        repo,
        CONTRACT,
        edited(data),
        expected_sha256=sha256_hex(data),
        message="m",
        allow_detached=True,
    )
    assert result.branch is None and result.parent == before and head_state(repo).detached


def test_detached_head_with_new_branch(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    git(repo, "switch", "-q", "--detach", "HEAD")
    data = (repo / CONTRACT).read_bytes()
    result = commit_contract_edit(
        repo, CONTRACT, edited(data), expected_sha256=sha256_hex(data), message="m", branch="fix"
    )
    assert result.branch == "fix" and git(repo, "symbolic-ref", "HEAD").strip() == "refs/heads/fix"


def test_index_lock_present_is_never_deleted(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    lock = git_dir(repo) / "index.lock"
    lock.write_bytes(b"")
    err = _refused(repo, "index.lock exists")
    assert "remove the lock file yourself" in str(err)
    assert lock.exists()


def test_symlink_refused(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    real = repo / "real.yml"
    real.write_bytes(SEED)
    git(repo, "add", "real.yml")
    (repo / CONTRACT).unlink()
    os.symlink("real.yml", repo / CONTRACT)
    git(repo, "add", CONTRACT)
    git(repo, "commit", "-q", "-m", "symlink")
    _refused(repo, "symbolic link")
    assert os.path.islink(repo / CONTRACT)


def test_symlinked_folder_refused(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, relpath="contracts/ai.yml")
    # A contract reached through a symlinked folder outside git's view.
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "ai.yml").write_bytes(SEED)
    data = SEED
    os.rename(repo / "contracts", tmp_path / "moved")
    os.symlink(outside, repo / "contracts")
    with pytest.raises(RefusedError):
        commit_contract_edit(
            repo, "contracts/ai.yml", edited(data), expected_sha256=sha256_hex(data), message="m"
        )
    assert (outside / "ai.yml").read_bytes() == SEED


def test_hard_link_refused(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    os.link(repo / CONTRACT, tmp_path / "elsewhere.yml")
    _refused(repo, "hard-linked")
    assert os.stat(repo / CONTRACT).st_nlink == 2


def test_file_changed_on_disk_since_read(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    read_sha = sha256_hex(SEED)
    (repo / CONTRACT).write_bytes(SEED + b"# someone else\n")
    _refused(repo, "changed on disk since it was read", expected_sha256=read_sha)


def test_uncommitted_changes_not_ours(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    (repo / CONTRACT).write_bytes(SEED + b"# wip\n")
    err = _refused(repo, "uncommitted changes this tool did not make")
    assert "git diff" in str(err)


def test_uncommitted_draft_that_we_wrote_is_accepted(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    draft = SEED.replace(b"tier_1: 1800", b"tier_1: 1900")
    (repo / CONTRACT).write_bytes(draft)  # as if the app had saved a draft
    result = commit_contract_edit(
        repo,
        CONTRACT,
        edited(draft),
        expected_sha256=sha256_hex(draft),
        own_draft_sha256=sha256_hex(draft),
        message="m",
    )
    committed = git(repo, "show", f"{result.commit}:{CONTRACT}").encode()
    assert b"tier_1: 1900" in committed and b"tier_2: 4000" in committed


def test_staged_changes_to_the_contract_refused(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    (repo / CONTRACT).write_bytes(SEED + b"# staged\n")
    git(repo, "add", CONTRACT)
    (repo / CONTRACT).write_bytes(SEED)
    _refused(repo, "staged changes")


def test_assume_unchanged_refused(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    git(repo, "update-index", "--assume-unchanged", CONTRACT)
    _refused(repo, "assume-unchanged")


def test_untracked_contract_refused(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    git(repo, "rm", "-q", "--cached", CONTRACT)
    git(repo, "commit", "-q", "-m", "untrack")
    _refused(repo, "not committed yet")


def test_unborn_branch_refused(tmp_path: Path) -> None:
    repo = tmp_path / "empty"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / CONTRACT).write_bytes(SEED)
    with pytest.raises(RefusedError, match="no commits yet"):
        commit_contract_edit(
            repo, CONTRACT, edited(), expected_sha256=sha256_hex(SEED), message="m"
        )
    assert (repo / CONTRACT).read_bytes() == SEED


def test_bare_repository_refused(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    bare = tmp_path / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(bare))
    with pytest.raises(RefusedError, match="bare"):
        commit_contract_edit(
            bare, CONTRACT, edited(), expected_sha256=sha256_hex(SEED), message="m"
        )


@pytest.mark.parametrize("bad", ["", "/etc/passwd", "../x.yml", "a\nb.yml"])
def test_bad_relpath(tmp_path: Path, bad: str) -> None:
    from workbench.core.git.runner import GitError

    repo = make_repo(tmp_path)
    with pytest.raises(GitError):
        commit_contract_edit(repo, bad, edited(), expected_sha256=sha256_hex(SEED), message="m")
