"""Read a file as it was at one commit, and find HEAD.

These take *full hashes only* (from `runner.resolve_revision`), never a
user's revision text, so nothing a user types can reach git as an option.
"""

from __future__ import annotations

from pathlib import Path

from workbench.core.git.runner import GitError, is_full_hash, run_git


def _check_sha(commit: str) -> None:
    if not is_full_hash(commit):
        raise GitError(f"not a full commit hash: {commit!r}")


def _check_relpath(relpath: str) -> None:
    # A newline would end the request line of `cat-file --batch`; a leading
    # slash or `..` would not name a path inside the tree.
    if not relpath or any(ord(ch) < 32 for ch in relpath):
        raise GitError(f"bad path {relpath!r}")
    if relpath.startswith("/") or ".." in Path(relpath).parts:
        raise GitError(f"path {relpath!r} must be relative to the repository root")


def read_file_at(repo: Path, commit: str, relpath: str) -> bytes | None:
    """The bytes of `relpath` (relative to the repo root) in `commit` (a full sha).

    Returns None when the path does not exist in that commit (or is not a
    regular file there). Raises GitError for a bad hash or an unknown commit.
    """
    _check_sha(commit)
    _check_relpath(relpath)
    # `--batch` takes the object name on stdin, so the path never meets
    # option parsing; "missing" distinguishes absence from failure.
    request = f"{commit}:{relpath.replace(chr(92), '/')}\n".encode()
    proc = run_git(repo, ["cat-file", "--batch"], input=request, check=False)
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip()
        raise GitError(f"cannot read {relpath} at {commit[:12]}: {detail}")
    out = proc.stdout
    header, _, rest = out.partition(b"\n")
    # The missing-object answer echoes the request, which may hold spaces.
    if header.endswith((b" missing", b" ambiguous")):
        # Tell "path absent" apart from "commit unknown".
        probe = run_git(
            repo, ["cat-file", "-e", "--end-of-options", f"{commit}^{{commit}}"], check=False
        )
        if probe.returncode != 0:
            raise GitError(f"no such commit {commit} in {repo}")
        return None
    fields = header.split()
    if len(fields) != 3:
        raise GitError(f"unexpected answer from git cat-file: {header!r}")
    kind, size = fields[1], int(fields[2])
    if kind != b"blob":
        return None  # a directory or submodule at that path
    return rest[:size]


def head_commit(repo: Path) -> str | None:
    """The full hash of HEAD, or None on an unborn branch (empty repo).

    Raises GitError when `repo` is not a git repository.
    """
    proc = run_git(repo, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], check=False)
    sha = proc.stdout.decode("ascii", "replace").strip()
    if proc.returncode == 0 and is_full_hash(sha):
        return sha
    probe = run_git(repo, ["rev-parse", "--git-dir"], check=False)
    if probe.returncode != 0:
        raise GitError(f"not a git repository: {repo}")
    return None
