"""Where am I, what kind of repository is it, and which files are contracts?

A contract is a tracked `*.yml`/`*.yaml` file whose top-level mapping has
`capability_tiers` (DESIGN §3). A repository may hold several.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from workbench.core.git.blobs import read_blobs
from workbench.core.git.runner import GitError, is_full_hash, run_git

MAX_CONTRACT_BYTES = 1024 * 1024
_TOP_KEY = re.compile(rb"""^["']?capability_tiers["']?[ \t]*:""", re.MULTILINE)


class NotARepoError(GitError):
    """The path is not inside a git repository."""


@dataclass(frozen=True)
class RepoState:
    """What the git layer needs to know about a repository before reading it."""

    root: Path  # the work tree's top, or the git dir of a bare repository
    git_dir: Path
    common_dir: Path  # shared by linked work trees: where caches live
    is_bare: bool
    is_shallow: bool  # history is truncated: older versions are not here
    head: str | None  # full hash of HEAD, None on an unborn branch

    @property
    def unborn(self) -> bool:
        """True in an empty repository (HEAD names a branch with no commit yet)."""
        return self.head is None

    def branch(self) -> str | None:
        """The current branch's short name; None on a detached HEAD."""
        proc = run_git(self.root, ["symbolic-ref", "--quiet", "--short", "HEAD"], check=False)
        name = proc.stdout.decode("utf-8", "surrogateescape").strip()
        return name if proc.returncode == 0 and name else None

    @property
    def read_only(self) -> bool:
        """Bare repositories are browsed, never written."""
        return self.is_bare


_DUBIOUS = re.compile(rb"dubious ownership in repository at '([^'\n]*)'")


def not_a_repo_message(start: Path, git_stderr: bytes) -> str:
    """Why git would not open a repository at `start`, in words a person can act on.

    A repository owned by another user (a CI checkout, a shared folder) is a
    repository git refuses to read; calling it "not a git repository" would
    send the user looking in the wrong place.
    """
    found = _DUBIOUS.search(git_stderr)
    if found:
        top = found.group(1).decode("utf-8", "surrogateescape")
        return (
            f"git refuses to read the repository at {top}: it belongs to another user "
            f'("dubious ownership"). If you trust it: git config --global --add '
            f"safe.directory {top}"
        )
    return f"not a git repository: {start}"


def repo_state(path: Path) -> RepoState:
    """Describe the repository holding `path`; raise NotARepoError outside one."""
    start = path if path.is_dir() else path.parent
    if not start.is_dir():
        raise NotARepoError(f"no such directory: {start}")
    proc = run_git(
        start,
        [
            "rev-parse",
            "--is-bare-repository",
            "--is-shallow-repository",
            "--absolute-git-dir",
            "--git-common-dir",
            "--show-cdup",
        ],
        check=False,
    )
    lines = proc.stdout.decode("utf-8", "surrogateescape").split("\n")
    if proc.returncode != 0 or len(lines) < 4:
        raise NotARepoError(not_a_repo_message(start, proc.stderr))
    is_bare = lines[0] == "true"
    git_dir = Path(lines[2])
    here = start.resolve()
    common = Path(lines[3])
    common_dir = common if common.is_absolute() else Path(os.path.normpath(here / common))
    cdup = lines[4] if len(lines) > 5 else None  # no cdup line in a bare repo or inside .git
    if is_bare:
        root = git_dir
    elif cdup is None:
        root = common_dir.parent  # inside .git of a non-bare repo: its work tree is the parent
    else:
        root = Path(os.path.normpath(here / cdup)) if cdup else here
    head_proc = run_git(start, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], check=False)
    head = head_proc.stdout.decode("ascii", "replace").strip()
    return RepoState(
        root=root,
        git_dir=git_dir,
        common_dir=common_dir,
        is_bare=is_bare,
        is_shallow=lines[1] == "true",
        head=head if head_proc.returncode == 0 and is_full_hash(head) else None,
    )


def looks_like_contract(raw: bytes) -> bool:
    """Does this text have a top-level `capability_tiers` key?

    A quick line scan first; a file that only mentions the word elsewhere is
    parsed (safely) to be sure. A file too broken to parse still counts when
    the key stands at the start of a line, so its findings get shown.
    """
    if len(raw) > MAX_CONTRACT_BYTES or b"capability_tiers" not in raw:
        return False
    if _TOP_KEY.search(raw):
        return True
    from workbench.core.yaml_safe import parse_yaml  # only for the rare odd layout

    data = parse_yaml(raw).data
    return isinstance(data, dict) and "capability_tiers" in data


def discover_contracts(repo: Path, *, state: RepoState | None = None) -> list[str]:
    """Relative paths (from the repo root, `/`-separated) of the contracts in `repo`.

    Work tree: tracked files as they are on disk (the index version when the
    file is missing on disk). Bare repository: the files of HEAD. An empty
    repository has none.
    """
    if state is None:
        state = repo_state(repo)
    entries: list[tuple[str, str]] = []  # (relpath, blob id)
    if state.is_bare:
        if state.head is None:
            return []
        proc = run_git(
            state.root, ["ls-tree", "-r", "-z", "--full-tree", "--end-of-options", state.head]
        )
        for record in proc.stdout.split(b"\0"):
            meta, _, name = record.partition(b"\t")
            parts = meta.split()
            if len(parts) == 3 and parts[1] == b"blob":
                entries.append((name.decode("utf-8", "surrogateescape"), parts[2].decode("ascii")))
    else:
        proc = run_git(state.root, ["ls-files", "-z", "-s", "--", "*.yml", "*.yaml"])
        for record in proc.stdout.split(b"\0"):
            meta, _, name = record.partition(b"\t")
            parts = meta.split()
            if len(parts) == 3 and parts[2] == b"0":  # stage 0 only (no conflict copies)
                entries.append((name.decode("utf-8", "surrogateescape"), parts[1].decode("ascii")))
    candidates = [(p, oid) for p, oid in entries if p.lower().endswith((".yml", ".yaml"))]
    found: list[str] = []
    from_index: list[tuple[str, str]] = []
    for relpath, oid in candidates:
        on_disk = None if state.is_bare else state.root / relpath
        if on_disk is not None and on_disk.is_file() and not on_disk.is_symlink():
            try:
                if os.path.getsize(on_disk) > MAX_CONTRACT_BYTES:
                    continue
                raw = on_disk.read_bytes()
            except OSError:
                continue
            if looks_like_contract(raw):
                found.append(relpath)
        else:
            from_index.append((relpath, oid))
    if from_index:
        blobs = read_blobs(state.root, [oid for _, oid in from_index])
        found += [p for p, oid in from_index if looks_like_contract(blobs.get(oid, b""))]
    return sorted(found)


def locate(path_arg: str | None, cwd: Path) -> tuple[RepoState, str | None]:
    """The repository around `cwd` (or around `path_arg`) and `path_arg` as a repo-relative path.

    The path need not exist on disk (it may only exist in history). Raises
    NotARepoError outside a repository, GitError for a path outside the repo.
    """
    if path_arg is None:
        return repo_state(cwd), None
    try:
        return _locate_path(path_arg, cwd)
    except OSError as exc:  # a name too long for the file system, a path through a file
        raise GitError(f"cannot use path {path_arg[:200]!r}: {exc.strerror or exc}") from None


def _locate_path(path_arg: str, cwd: Path) -> tuple[RepoState, str | None]:
    target = Path(path_arg)
    if not target.is_absolute():
        target = cwd / target
    probe = target if target.is_dir() else target.parent
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    state = repo_state(probe)
    if state.is_bare:
        # in a bare repo a path can only be repo-relative
        return state, Path(path_arg).as_posix().lstrip("/")
    if target.is_dir():
        raise GitError(f"{path_arg} is a directory, not a contract file")
    # resolve the folder (symlinked checkouts, `..`) but not the file itself:
    # a symlinked contract is named by its own path
    absolute = Path(os.path.realpath(target.parent)) / target.name
    try:
        rel = absolute.relative_to(Path(os.path.realpath(state.root)))
    except ValueError:
        raise GitError(f"{path_arg} is outside the repository {state.root}") from None
    return state, rel.as_posix()


def choose_contract(state: RepoState, relpath: str | None) -> str:
    """The contract to work on: `relpath` when given, else the repo's only contract.

    Raises GitError (a usage error) when there is none, or several to choose from.
    """
    if relpath is not None:
        return relpath
    found = discover_contracts(state.root, state=state)
    if len(found) == 1:
        return found[0]
    if not found:
        raise GitError(
            f"no contract found in {state.root} (a tracked *.yml with capability_tiers); pass PATH"
        )
    listing = "\n  ".join(found)
    raise GitError(f"this repository holds {len(found)} contracts; pass one as PATH:\n  {listing}")
