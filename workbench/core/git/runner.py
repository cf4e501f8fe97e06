"""Raw git calls, made safely.

Every call strips inherited `GIT_*` variables (a stray GIT_DIR or
GIT_INDEX_FILE must not redirect us), disables `core.fsmonitor` for reads, and
never passes a user's revision text: only full hashes resolved by
`resolve_revision`. Callers put `--end-of-options` before revisions and `--`
before paths.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

_HASH = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?\Z")


class GitError(Exception):
    """A git command failed; `message` is readable by a person."""


class RevisionError(GitError):
    """A revision was rejected or does not resolve to a commit."""


# Who is committing, as CI jobs and bots commonly say it. These name a person,
# they cannot point git at another repository, index or program.
_KEPT = frozenset(
    {"GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"}
)


def git_env() -> dict[str, str]:
    """The environment for git: ours without inherited GIT_* variables (identity kept)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") or k in _KEPT}
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["LC_ALL"] = "C"
    return env


def git_argv(repo: Path, args: Sequence[str], *, read_only: bool = True) -> list[str]:
    """The command line for `git ARGS` in `repo`, with our safety settings."""
    cmd = ["git", "-C", str(repo), "-c", "core.quotepath=false"]
    if read_only:
        cmd += ["-c", "core.fsmonitor=false"]
    return cmd + list(args)


def run_git(
    repo: Path,
    args: Sequence[str],
    *,
    input: bytes | None = None,
    check: bool = True,
    read_only: bool = True,
    extra_env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run `git ARGS` in `repo`; raise GitError with git's message on failure.

    `extra_env` adds variables we set ourselves (e.g. fixed dates for the demo).
    """
    env = {**git_env(), **(extra_env or {})}
    try:
        proc = subprocess.run(
            git_argv(repo, args, read_only=read_only),
            input=input,
            capture_output=True,
            env=env,
            check=False,
        )
    except OSError as exc:  # git missing, or an argument too long for the OS (E2BIG)
        raise GitError(f"cannot run git {args[0]}: {exc.strerror or exc}") from None
    if check and proc.returncode != 0:
        detail = (
            proc.stderr.decode("utf-8", "replace").strip()
            or proc.stdout.decode("utf-8", "replace").strip()
        )
        raise GitError(f"git {args[0]} failed: {detail}")
    return proc


def popen_git(repo: Path, args: Sequence[str], **kwargs: Any) -> subprocess.Popen[bytes]:
    """Start a long-lived read-only `git ARGS` (a batch reader, a streamed log)."""
    try:
        return subprocess.Popen(git_argv(repo, args), env=git_env(), **kwargs)
    except OSError as exc:
        raise GitError(f"cannot run git {args[0]}: {exc.strerror or exc}") from None


def is_full_hash(text: str) -> bool:
    """True for a full SHA-1 or SHA-256 object id (the only revisions we pass on)."""
    return bool(_HASH.match(text))


MAX_REVISION_CHARS = 1024  # far beyond any real ref name; keeps argv and messages sane


def shown(text: str, limit: int = 60) -> str:
    """`text` quoted for a message, shortened when long (a pasted blob must not flood stderr)."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + f"... ({len(text)} chars)"


def check_revision_text(rev: str) -> None:
    """Reject revision text that could be read as an option or hide tricks."""
    if not rev or not rev.strip():
        raise RevisionError("empty revision")
    if rev.startswith("-"):
        raise RevisionError(f"revision {shown(rev)} starts with '-' and could be read as an option")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in rev):
        raise RevisionError(f"revision {shown(rev)} contains control characters")
    if len(rev) > MAX_REVISION_CHARS:
        raise RevisionError(f"revision {shown(rev)} is too long to be a revision")


def resolve_revision(repo: Path, rev: str) -> str:
    """Resolve a user's revision to the full hash of a commit, or raise RevisionError."""
    check_revision_text(rev)
    # Resolve first, peel second: `REV^{commit}` in one go would swallow the
    # suffix into `:/message` searches and give one vague error for everything.
    proc = run_git(repo, ["rev-parse", "--verify", "--quiet", "--end-of-options", rev], check=False)
    oid = proc.stdout.decode("ascii", "replace").strip()
    if proc.returncode != 0 or not _HASH.match(oid):
        if ".." in rev or rev.endswith(("^!", "^@")) or rev.startswith("^"):
            raise RevisionError(
                f"{shown(rev)} is a range of commits; give one commit "
                "(to compare two versions use `workbench diff A B`)"
            )
        raise RevisionError(f"unknown revision {shown(rev)}: no such commit in {repo}")
    peeled = run_git(
        repo,
        ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{oid}^{{commit}}"],
        check=False,
    )
    sha = peeled.stdout.decode("ascii", "replace").strip()
    if peeled.returncode != 0 or not _HASH.match(sha):
        kind = run_git(repo, ["cat-file", "-t", oid], check=False).stdout.decode().strip()
        raise RevisionError(
            f"{shown(rev)} names a {kind or 'non-commit object'}, not a commit; give a commit "
            "(a hash, branch, tag or HEAD~N)"
        )
    return sha


def repo_root(path: Path) -> Path | None:
    """The top of the work tree holding `path`, or None outside any git repository."""
    start = path if path.is_dir() else path.parent
    proc = run_git(start, ["rev-parse", "--show-toplevel"], check=False)
    if proc.returncode != 0:
        return None
    return Path(proc.stdout.decode("utf-8", "surrogateescape").strip())
