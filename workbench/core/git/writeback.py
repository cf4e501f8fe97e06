"""Write-back: commit one validated edit of a contract, and never lose work.

`commit_contract_edit` is the only way the product writes to a repository.
The caller has already validated the new text. Here we refuse whenever the
commit could surprise the user or touch anything but the one file:

1. checks, all before anything is written: a work tree (not bare); no merge,
   rebase, cherry-pick, revert, bisect or `git am` in progress; HEAD on a
   branch (unless allowed, or a new branch is asked for); no `index.lock`;
   the file is a regular, tracked, singly-linked file reached without
   symlinks; its bytes on disk are the ones the caller read
   (`expected_sha256`); it has no uncommitted or staged changes the tool did
   not make; the new branch name is valid and free;
2. write the new bytes atomically (temp file, fsync, same mode, replace);
3. `git commit --only -- PATH`: hooks and signing settings apply, and any
   other staged work stays staged and out of the commit;
4. verify: HEAD moved from the recorded commit to a child of it, and the
   committed blob is what we wrote (a hook may rewrite the file; we say so).

With `branch=NAME` the branch is created at HEAD and checked out before the
commit, and the user is left on it: a commit can only go to the checked-out
branch if hooks and signing are to apply, and switching back afterwards would
leave the edit as an uncommitted change on the old branch. If the commit
fails, the new branch is removed and HEAD put back, so nothing but the edited
file has changed.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from workbench.core.atomic import StaleFileError, atomic_write, sha256_of
from workbench.core.git.repo_state import git_dir, head_state, is_bare, operation_in_progress
from workbench.core.git.runner import GitError, is_full_hash, run_git


class RefusedError(GitError):
    """The repository or file is in a state where committing is unsafe.

    Nothing was changed. The message says what to do about it.
    """


class NothingToCommitError(RefusedError):
    """The edit leaves the file exactly as it is in HEAD."""


class HookRejectedError(GitError):
    """`git commit` failed (a hook or commit signing rejected it).

    The edited file is left on disk; the index, HEAD and branches are as
    they were. `output` holds what git and the hook printed.
    """

    def __init__(self, message: str, output: str) -> None:
        super().__init__(message)
        self.output = output


class HeadMovedError(GitError):
    """Something else committed while we did: the new commit is not a child
    of the HEAD we checked. The commit exists; the user should look at it."""


@dataclass(frozen=True)
class CommitResult:
    """What a successful write-back did."""

    commit: str  # full hash of the new commit
    parent: str  # the HEAD it was made on
    branch: str | None  # branch the commit is on (None: detached, when allowed)
    created_branch: bool  # True when `branch=` made a new branch (now checked out)
    hook_output: str  # what git and any hooks printed
    rewritten_by_hook: bool  # the committed blob differs from the bytes we wrote
    written_blob: str  # blob id of the bytes we wrote (after git's clean filters)
    committed_blob: str  # blob id of the file in the new commit
    worktree_matches_commit: bool  # the file on disk equals the committed blob
    signed: bool  # the commit carries a signature (commit.gpgsign or similar)
    # other files a hook added to the commit (`git add` in pre-commit); empty normally
    extra_paths: tuple[str, ...] = ()


sha256_hex = sha256_of  # the hash `expected_sha256` compares (hex sha256 of the bytes)


def literal_pathspec(relpath: str) -> str:
    """A pathspec that matches exactly `relpath`: no globbing, no magic."""
    return f":(literal){relpath}"


def check_relpath(relpath: str) -> str:
    """Normalise a repository-relative path (forward slashes) or raise RefusedError.

    Raised before anything is written, so callers can say nothing changed.
    """
    if not relpath or any(ord(ch) < 32 or ord(ch) == 127 for ch in relpath):
        raise RefusedError(
            f"the path {relpath!r} holds control characters; this tool does not commit it "
            "(rename the file, or commit it with git)"
        )
    posix = relpath.replace("\\", "/")
    parts = PurePosixPath(posix).parts
    if posix.startswith("/") or ".." in parts or not parts:
        raise RefusedError(f"path {relpath!r} must be relative to the repository root")
    return str(PurePosixPath(*[p for p in parts if p != "."]))


def check_branch_name(repo: Path, name: str) -> str:
    """Validate a new branch name with git's own rules; return the full ref."""
    # `@` and `refs/...` pass check-ref-format but make confusing refs.
    if (
        not name
        or name.startswith(("-", "refs/"))
        or name == "@"
        or any(ord(ch) < 32 or ord(ch) == 127 for ch in name)
    ):
        raise RefusedError(f"{name!r} is not a valid branch name")
    proc = run_git(repo, ["check-ref-format", "--branch", name], check=False)
    if proc.returncode != 0 or proc.stdout.decode("utf-8", "replace").strip() != name:
        raise RefusedError(
            f"{name!r} is not a valid branch name (see `git check-ref-format --help`)"
        )
    if any(len(part.encode("utf-8")) > 200 for part in name.split("/")):
        raise RefusedError(f"branch name {name[:60]!r}... is too long")
    # FETCH_HEAD, ORIG_HEAD, ... are git's own pseudo-refs: a branch of that
    # name would be shadowed by them in every later command.
    if name.rstrip("_").endswith("HEAD") and name.replace("_", "").isupper():
        raise RefusedError(f"{name!r} looks like one of git's special refs; pick another name")
    for kind, prefix in (("tag", "refs/tags/"), ("remote-tracking branch", "refs/remotes/")):
        taken = run_git(repo, ["show-ref", "--verify", "--quiet", prefix + name], check=False)
        if taken.returncode == 0:
            raise RefusedError(
                f"{name!r} is already a {kind}; a branch of the same name would make "
                "the name ambiguous, pick another one"
            )
    ref = f"refs/heads/{name}"
    exists = run_git(repo, ["show-ref", "--verify", "--quiet", ref], check=False)
    if exists.returncode == 0:
        raise RefusedError(
            f"branch {name!r} already exists; pick a new name, or switch to it with "
            f"`git switch {name}` and commit without --branch"
        )
    return ref


def _output(proc: object) -> str:
    out = getattr(proc, "stdout", b"") or b""
    err = getattr(proc, "stderr", b"") or b""
    return (out.decode("utf-8", "replace") + err.decode("utf-8", "replace")).strip()


def _check_file(repo: Path, relpath: str) -> Path:
    """The file must be a regular, singly-linked file reached without symlinks."""
    full = repo / relpath
    try:
        st = os.lstat(full)
    except FileNotFoundError:
        raise RefusedError(f"{relpath} does not exist in the work tree") from None
    if stat.S_ISLNK(st.st_mode):
        raise RefusedError(
            f"{relpath} is a symbolic link; edit the file it points to "
            f"({os.readlink(full)}) in its own repository instead"
        )
    if not stat.S_ISREG(st.st_mode):
        raise RefusedError(f"{relpath} is not a regular file")
    if not st.st_mode & stat.S_IWUSR:
        # read-only on purpose (or by a tool); the atomic rename would bypass it
        raise RefusedError(
            f"{relpath} is read-only; make it writable (`chmod u+w {relpath}`) to edit it"
        )
    if st.st_nlink > 1:
        raise RefusedError(
            f"{relpath} is hard-linked ({st.st_nlink} names); replacing it would split the links. "
            "Break the link first (copy the file over itself) if that is what you want"
        )
    # A symlinked folder on the way would write outside what git tracks.
    if os.path.realpath(full) != os.path.join(os.path.realpath(repo), *relpath.split("/")):
        raise RefusedError(
            f"{relpath} is reached through a symbolic link; refusing to write through it"
        )
    return full


def _check_can_commit(repo: Path, gdir: Path) -> None:
    """Refuse before writing when `git commit` is bound to fail for reasons we can see.

    Without this the edit would be written and then left behind by a commit
    that never had a chance (no identity, a read-only repository).
    """
    common = run_git(repo, ["rev-parse", "--git-common-dir"], check=False)
    common_dir = Path(common.stdout.decode("utf-8", "surrogateescape").strip() or gdir)
    if not common_dir.is_absolute():
        common_dir = repo / common_dir
    for folder in dict.fromkeys([gdir, common_dir, common_dir / "objects"]):
        if folder.is_dir() and not os.access(folder, os.W_OK):
            raise RefusedError(
                f"{folder} is not writable (read-only file system or permissions); "
                "git cannot commit here"
            )
    for which in ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT"):
        ident = run_git(repo, ["var", which], check=False)
        if ident.returncode != 0:
            raise RefusedError(
                "git does not know who you are: set `git config user.name` and "
                "`git config user.email` (in this repository or with --global), then redo the edit"
            )


def _tracked_blob(repo: Path, commit: str, relpath: str) -> str:
    proc = run_git(repo, ["rev-parse", "--verify", "--quiet", f"{commit}:{relpath}"], check=False)
    blob = proc.stdout.decode("ascii", "replace").strip()
    if proc.returncode != 0 or not is_full_hash(blob):
        raise RefusedError(
            f"{relpath} is not committed yet; commit it once with git (`git add` + `git commit`) first"
        )
    return blob


def _check_index_flags(repo: Path, relpath: str) -> None:
    # With assume-unchanged or skip-worktree set, git would not look at the
    # file on disk, so our dirty check and the commit could both lie.
    proc = run_git(repo, ["ls-files", "-v", "--", literal_pathspec(relpath)])
    tag = proc.stdout[:1]
    if tag == b"S" or (tag.isalpha() and tag.islower()):
        raise RefusedError(
            f"{relpath} is marked assume-unchanged or skip-worktree in the index; clear it with "
            f"`git update-index --no-assume-unchanged --no-skip-worktree {relpath}` first"
        )


def _check_clean(repo: Path, relpath: str, on_disk_sha: str, own_draft_sha256: str | None) -> None:
    spec = literal_pathspec(relpath)
    staged = run_git(repo, ["diff", "--cached", "--quiet", "HEAD", "--", spec], check=False)
    if staged.returncode not in (0, 1):
        raise GitError(f"git diff failed: {_output(staged)}")
    if staged.returncode == 1:
        raise RefusedError(
            f"{relpath} has staged changes; commit them with git or unstage them "
            f"(`git restore --staged {relpath}`) first"
        )
    dirty = run_git(repo, ["diff", "--quiet", "HEAD", "--", spec], check=False)
    if dirty.returncode not in (0, 1):
        raise GitError(f"git diff failed: {_output(dirty)}")
    if dirty.returncode == 1 and on_disk_sha != own_draft_sha256:
        raise RefusedError(
            f"{relpath} has uncommitted changes this tool did not make; commit or discard them "
            f"(`git diff {relpath}` shows them) and redo the edit"
        )


def _hash_for_path(repo: Path, relpath: str, data: bytes) -> str:
    # --path applies the file's attributes (eol, clean filters) the way
    # `git add` would, so the id is comparable with the committed blob.
    proc = run_git(repo, ["hash-object", f"--path={relpath}", "--stdin"], input=data)
    return proc.stdout.decode("ascii").strip()


def _rollback_branch(repo: Path, old_ref: str | None, old_commit: str, new_ref: str) -> None:
    """Put HEAD back where it was and remove the branch we created."""
    if old_ref is not None:
        run_git(repo, ["symbolic-ref", "HEAD", old_ref], read_only=False, check=False)
    else:
        run_git(
            repo, ["update-ref", "--no-deref", "HEAD", old_commit], read_only=False, check=False
        )
    # Deletes only if it still points where we created it: never loses a commit.
    run_git(repo, ["update-ref", "-d", new_ref, old_commit], read_only=False, check=False)


def check_writable(
    repo: Path,
    relpath: str,
    *,
    expected_sha256: str,
    branch: str | None = None,
    allow_detached: bool = False,
    own_draft_sha256: str | None = None,
) -> tuple[Path, str, str | None]:
    """Run every refusal check without writing anything.

    Returns (full path, HEAD commit, new branch ref or None). Raises
    RefusedError with a message that says what to do. Useful on its own for
    a UI that wants to tell the user before they start editing.
    """
    relpath = check_relpath(relpath)
    if is_bare(repo):
        raise RefusedError(
            f"{repo} is a bare repository: it has no work tree to edit; clone it first"
        )
    gdir = git_dir(repo)
    op = operation_in_progress(gdir)
    if op is not None:
        raise RefusedError(f"{op.name} is in progress; {op.remedy}, then redo the edit")
    head = head_state(repo)
    if head.unborn:
        raise RefusedError(
            f"branch {head.branch!r} has no commits yet; commit the contract once with git first"
        )
    assert head.commit is not None
    if head.detached and not allow_detached and branch is None:
        raise RefusedError(
            f"HEAD is detached at {head.commit[:12]}; switch to a branch (`git switch NAME`) "
            "or pass --branch NEW to commit on a new branch"
        )
    if (gdir / "index.lock").exists():
        raise RefusedError(
            f"{gdir / 'index.lock'} exists: another git process is running or one crashed. "
            "Wait for it to finish; if no git process is running, remove the lock file yourself"
        )
    _check_can_commit(repo, gdir)
    full = _check_file(repo, relpath)
    _tracked_blob(repo, head.commit, relpath)
    _check_index_flags(repo, relpath)
    on_disk_sha = sha256_hex(full.read_bytes())
    if on_disk_sha != expected_sha256:
        raise RefusedError(
            f"{relpath} changed on disk since it was read; reload it and redo the edit"
        )
    _check_clean(repo, relpath, on_disk_sha, own_draft_sha256)
    new_ref = check_branch_name(repo, branch) if branch is not None else None
    return full, head.commit, new_ref


def commit_contract_edit(
    repo: Path,
    relpath: str,
    new_bytes: bytes,
    *,
    expected_sha256: str,
    message: str,
    branch: str | None = None,
    allow_detached: bool = False,
    own_draft_sha256: str | None = None,
) -> CommitResult:
    """Write `new_bytes` to `relpath` and commit only that file.

    `repo` is the work tree root; `relpath` is relative to it.
    `expected_sha256` is the sha256 of the bytes the caller read (the edit's
    base); `own_draft_sha256`, when given, is the sha256 of a draft this tool
    wrote itself, so an on-disk difference from HEAD with exactly that hash
    is not counted as someone else's change. `branch` creates a new branch at
    HEAD, checks it out and commits there (the user stays on it).

    Raises RefusedError (nothing changed), NothingToCommitError, HookRejectedError
    (file written, nothing else changed), HeadMovedError, or GitError.
    """
    if not message.strip():
        raise RefusedError("the commit message is empty")
    repo = Path(repo)
    relpath = check_relpath(relpath)
    full, recorded, new_ref = check_writable(
        repo,
        relpath,
        expected_sha256=expected_sha256,
        branch=branch,
        allow_detached=allow_detached,
        own_draft_sha256=own_draft_sha256,
    )
    head_blob = _tracked_blob(repo, recorded, relpath)
    written_blob = _hash_for_path(repo, relpath, new_bytes)
    if written_blob == head_blob:
        raise NothingToCommitError(f"the edit leaves {relpath} as it is in HEAD; nothing to commit")

    old = head_state(repo)
    if old.commit != recorded:
        raise HeadMovedError(
            "HEAD moved while the edit was being checked; nothing was changed, redo the edit"
        )
    if new_ref is not None:
        # The new branch starts at the recorded commit; `update-ref` with an
        # all-zero old value refuses if someone created it meanwhile.
        made = run_git(
            repo,
            ["update-ref", new_ref, recorded, "0" * len(recorded)],
            read_only=False,
            check=False,
        )
        if made.returncode != 0:  # e.g. `a/b` while a branch `a` exists
            raise RefusedError(f"cannot create branch {branch!r}: {_output(made)}")
        run_git(
            repo,
            ["symbolic-ref", "-m", f"workbench: switch to {branch}", "HEAD", new_ref],
            read_only=False,
        )

    try:
        atomic_write(full, new_bytes, expected_sha256)
    except BaseException as exc:
        if new_ref is not None:
            _rollback_branch(repo, old.ref, recorded, new_ref)
        if isinstance(exc, StaleFileError):
            raise RefusedError(
                f"{relpath} changed on disk since it was read; reload it and redo the edit"
            ) from None
        raise

    proc = run_git(
        repo,
        ["commit", "--only", "--file=-", "--", literal_pathspec(relpath)],
        input=message.encode("utf-8"),
        check=False,
        read_only=False,
    )
    output = _output(proc)
    if proc.returncode != 0:
        if new_ref is not None:
            _rollback_branch(repo, old.ref, recorded, new_ref)
        lowered = output.lower()
        if "failed to sign" in lowered or "gpg failed" in lowered:
            why = "commit signing failed"
        elif "index.lock" in lowered or "cannot lock ref" in lowered:
            why = "another git process held a lock"
        else:
            why = "a hook rejected it or git refused; see the output above"
        raise HookRejectedError(
            f"git commit failed ({why}); the edit is left in {relpath}, nothing else changed. "
            f"Fix the problem and commit with git, or drop the edit with `git restore {relpath}`",
            output,
        )

    now = head_state(repo)
    new_commit = now.commit or ""
    parents = run_git(repo, ["rev-list", "--parents", "-n", "1", "--end-of-options", new_commit])
    fields = parents.stdout.decode("ascii").split()
    if now.ref != (new_ref or old.ref) or fields[1:] != [recorded]:
        raise HeadMovedError(
            f"HEAD moved during the commit: {new_commit[:12]} is not a child of {recorded[:12]} on "
            f"{(new_ref or old.ref or 'HEAD')}; check `git log` before going on"
        )
    committed_blob = _tracked_blob(repo, new_commit, relpath)
    rewritten = committed_blob != written_blob
    if rewritten:
        # A pre-commit hook changed the file and staged its version in the
        # temporary index; git leaves our version in the real index. Line the
        # index entry up with the commit so the file does not look staged.
        run_git(
            repo,
            ["restore", "--staged", "--", literal_pathspec(relpath)],
            read_only=False,
            check=False,
        )
    extra = _hook_added_paths(repo, recorded, new_commit, relpath)
    on_disk = run_git(repo, ["hash-object", "--", relpath], check=False)
    worktree_blob = on_disk.stdout.decode("ascii", "replace").strip()
    raw = run_git(repo, ["cat-file", "commit", new_commit]).stdout
    header = raw.split(b"\n\n", 1)[0]
    signed = b"\ngpgsig " in header or b"\ngpgsig-sha256 " in header
    return CommitResult(
        commit=new_commit,
        parent=recorded,
        branch=now.branch,
        created_branch=new_ref is not None,
        hook_output=output,
        rewritten_by_hook=rewritten,
        written_blob=written_blob,
        committed_blob=committed_blob,
        worktree_matches_commit=worktree_blob == committed_blob,
        signed=signed,
        extra_paths=extra,
    )


def _hook_added_paths(repo: Path, parent: str, commit: str, relpath: str) -> tuple[str, ...]:
    """Paths besides `relpath` that the commit changed: a hook `git add`ed them.

    git put them in the commit from its temporary index but left the real
    index as it was, so each looks like a staged revert of the commit (the
    user's next `git commit` would undo it). Where the real index held the
    parent's version (nothing staged by the user), line it up with the
    commit; a version the user staged themselves stays staged.
    """
    proc = run_git(
        repo, ["diff-tree", "-r", "-z", "--no-renames", "--name-only", parent, commit], check=False
    )
    names = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
    extra = tuple(n for n in names if n and n != relpath)
    for name in extra:
        spec = literal_pathspec(name)
        staged = run_git(repo, ["ls-files", "-s", "-z", "--", spec], check=False).stdout
        before = run_git(
            repo, ["ls-tree", "-z", "--end-of-options", parent, "--", spec], check=False
        ).stdout
        staged_oid = staged.split()[1] if staged else None
        before_oid = before.split()[2] if before else None
        if staged_oid == before_oid:
            run_git(repo, ["restore", "--staged", "--", spec], read_only=False, check=False)
    return extra
