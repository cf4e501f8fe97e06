"""What state a repository is in before we write to it.

Write-back refuses to commit while git is in the middle of something (a
merge, a rebase, a cherry-pick, a revert, a bisect, `git am`) or on a
detached HEAD, because a commit there would land somewhere the user does not
expect or mix our edit into their half-finished operation. These checks read
files in the git directory directly: one `rev-parse` call finds the
directory, and the markers are the files git itself uses to detect the same
states (see `wt-status.c`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbench.core.git.runner import GitError, is_full_hash, run_git


@dataclass(frozen=True)
class Operation:
    """A git operation in progress: what it is and how to get out of it."""

    name: str  # "a merge", "an interactive rebase", ...
    remedy: str  # the commands that finish or abandon it


@dataclass(frozen=True)
class HeadState:
    """Where HEAD points."""

    branch: str | None  # short branch name, None when detached
    commit: str | None  # full hash, None on an unborn branch
    ref: str | None  # full ref name ("refs/heads/main"), None when detached

    @property
    def detached(self) -> bool:
        """True when HEAD names a commit directly rather than a branch."""
        return self.ref is None

    @property
    def unborn(self) -> bool:
        """True on a branch that has no commit yet (a fresh repository)."""
        return self.commit is None


def git_dir(repo: Path) -> Path:
    """The absolute git directory of the work tree at `repo` (per worktree)."""
    proc = run_git(repo, ["rev-parse", "--absolute-git-dir"], check=False)
    if proc.returncode != 0:
        raise GitError(f"{repo} is not inside a git repository")
    return Path(proc.stdout.decode("utf-8", "surrogateescape").strip())


def is_bare(repo: Path) -> bool:
    """True when `repo` is a bare repository (no work tree to edit)."""
    proc = run_git(repo, ["rev-parse", "--is-bare-repository"], check=False)
    return proc.returncode == 0 and proc.stdout.strip() == b"true"


def operation_in_progress(gitdir: Path) -> Operation | None:
    """The merge / rebase / cherry-pick / revert / bisect / am going on, if any.

    `gitdir` is the per-worktree git directory (`git_dir(repo)`): these
    marker files live there, not in the common directory.
    """
    # Since git 2.26 a plain rebase uses the same machinery (and marker
    # files) as `rebase -i`, so the two cannot be told apart; both are refused.
    if (gitdir / "rebase-merge").is_dir():
        return Operation(
            "a rebase",
            "finish it with `git rebase --continue` or undo it with `git rebase --abort`",
        )
    if (gitdir / "rebase-apply").is_dir():
        if (gitdir / "rebase-apply" / "applying").exists():
            return Operation(
                "`git am`", "finish it with `git am --continue` or undo it with `git am --abort`"
            )
        return Operation(
            "a rebase",
            "finish it with `git rebase --continue` or undo it with `git rebase --abort`",
        )
    if (gitdir / "MERGE_HEAD").exists():
        return Operation(
            "a merge", "finish it with `git commit` or undo it with `git merge --abort`"
        )
    if (gitdir / "CHERRY_PICK_HEAD").exists():
        return Operation(
            "a cherry-pick",
            "finish it with `git cherry-pick --continue` or undo it with `git cherry-pick --abort`",
        )
    if (gitdir / "REVERT_HEAD").exists():
        return Operation(
            "a revert",
            "finish it with `git revert --continue` or undo it with `git revert --abort`",
        )
    # A multi-commit cherry-pick or revert keeps its plan in sequencer/ even
    # between picks, when no *_HEAD file exists.
    todo = gitdir / "sequencer" / "todo"
    if todo.exists():
        return Operation(
            "a cherry-pick or revert sequence",
            "finish it with `git cherry-pick --continue` (or `git revert --continue`) or stop it with `--quit`",
        )
    if (gitdir / "BISECT_LOG").exists():
        return Operation("a bisect", "end it with `git bisect reset`")
    return None


def head_state(repo: Path) -> HeadState:
    """Read HEAD: the branch it is on (or detached) and the commit (or unborn)."""
    sym = run_git(repo, ["symbolic-ref", "--quiet", "HEAD"], check=False)
    ref = sym.stdout.decode("utf-8", "surrogateescape").strip() if sym.returncode == 0 else None
    proc = run_git(repo, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], check=False)
    sha = proc.stdout.decode("ascii", "replace").strip()
    commit = sha if proc.returncode == 0 and is_full_hash(sha) else None
    branch = ref.removeprefix("refs/heads/") if ref is not None else None
    return HeadState(branch=branch, commit=commit, ref=ref)
