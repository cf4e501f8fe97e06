"""The versions of a contract in git history, fast.

One `git log --follow --raw` lists the commits that touched the file (renames
followed) together with the blob id of the file in each; blobs are read by one
`git cat-file --batch` process; each blob is parsed at most once (per-blob
cache in memory and on disk). Only full hashes reach git.

Public API (all take the repository root and a repo-relative `/` path):

- `repo_state`, `discover_contracts` (re-exported from `discover`)
- `list_versions(repo, relpath, *, skip=0, limit=None) -> list[Version]`
- `iter_version_pages(repo, relpath, page_size=100)` — pages, newest first
- `load_version(repo, commit, relpath) -> Validation`
- `draft_version(repo, relpath) -> Version | None`
- `field_history(repo, relpath, dotted_path) -> list[FieldChange]`
- `History(repo)` — the same with caches kept between calls (the app).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.findings import Finding
from workbench.core.git.blobs import read_blobs
from workbench.core.git.cache import RepoCaches, json_safe
from workbench.core.git.discover import RepoState, discover_contracts, repo_state
from workbench.core.git.revisions import read_file_at
from workbench.core.git.runner import GitError, is_full_hash, popen_git, run_git
from workbench.core.paths import value_at

if TYPE_CHECKING:  # validation pulls in pydantic: import it only when parsing
    from workbench.core.validate import Validation

__all__ = [
    "FieldChange",
    "History",
    "RepoState",
    "Version",
    "discover_contracts",
    "draft_version",
    "field_history",
    "iter_version_pages",
    "list_versions",
    "load_version",
    "repo_state",
]

_ZERO = frozenset({"0" * 40, "0" * 64})
_FIELDS = "%H%x00%aI%x00%an%x00%s"
_FORMAT = "--format=" + _FIELDS


def _record_marker() -> str:
    """A record separator no commit can contain: a subject may hold any byte but NUL
    and newline, so a fixed marker (say \x1e) in a crafted subject would split a
    record and let the rest pose as another version."""
    return "\x1e" + os.urandom(12).hex() + "\x1e"


MAX_BLOB_BYTES = 1024 * 1024


@dataclass
class Version:
    """One version of a contract: the commit that made it and what it holds."""

    commit: str  # full hash; "" for the working-tree draft
    date: str  # ISO 8601 author date
    author: str
    subject: str
    tags: list[str]
    blob: str | None  # blob id of the file; None where the commit deleted it
    path: str  # the file's path in that commit (renames followed)
    status: str = "M"  # A added, M modified, R renamed, C copied, D deleted, T type change
    contract_version: str | None = None  # the `version` field as written
    valid: bool = False
    draft: bool = False
    findings_json: list[dict[str, Any]] = field(default_factory=list, repr=False)

    @property
    def deleted(self) -> bool:
        """True for the commit that removed the file."""
        return self.status == "D"

    @property
    def findings(self) -> list[Finding]:
        """The validation findings of this version (built on first use)."""
        return [
            Finding(
                f["rule"],
                f["severity"],
                f["path"],
                f["line"],
                f["column"],
                f["message"],
                f.get("hint"),
                self.path,
            )
            for f in self.findings_json
        ]

    def to_json(self) -> dict[str, Any]:
        """The shape of `workbench log --format json` (DESIGN §7), plus a few extra keys."""
        return {
            "commit": self.commit,
            "date": self.date,
            "author": self.author,
            "subject": self.subject,
            "tags": list(self.tags),
            "contract_version": self.contract_version,
            "valid": self.valid,
            "path": self.path,
            "blob": self.blob,
            "status": self.status,
            "draft": self.draft,
            "errors": sum(1 for f in self.findings_json if f["severity"] == "error"),
            "warnings": sum(1 for f in self.findings_json if f["severity"] == "warning"),
        }


@dataclass(frozen=True)
class FieldChange:
    """The value of one field from `commit` on (until the next change)."""

    commit: str
    date: str
    author: str
    subject: str
    value: Any  # plain data; None with present=False when the field is absent
    present: bool = True


class _Missing:
    def __repr__(self) -> str:
        return "<absent>"


_ABSENT = _Missing()
_UNPARSED = _Missing()


def blob_id(raw: bytes) -> str:
    """The git (SHA-1) blob id of `raw`: the cache key of a working-tree draft."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw, usedforsecurity=False).hexdigest()


def summarize(raw: bytes) -> dict[str, Any]:
    """Validate one version's text into its cacheable summary (never raises)."""
    from workbench.core.validate import validate_text

    v = validate_text(raw, fast=True)
    return {
        "contract_version": _version_text(v),
        "valid": v.valid,
        "findings": [f.to_json() for f in v.findings],
    }


PARALLEL_MIN = 400  # below this, starting worker processes costs more than it saves


def parse_data(raw: bytes) -> dict[str, Any]:
    """One version's plain data for field history: `{"ok", "data"}` (never raises)."""
    from workbench.core.yaml_safe import parse_yaml

    parsed = parse_yaml(raw, fast=True)
    return {"ok": parsed.data is not None, "data": parsed.data}


# what a worker process may be asked to compute, by name (nothing else is callable)
_WORKER_TASKS: dict[str, Callable[[bytes], dict[str, Any]]] = {
    "summarize": summarize,
    "parse_data": parse_data,
}


def summarize_many(raws: list[bytes]) -> list[dict[str, Any]]:
    """`summarize` for many texts, in order; spread over the CPUs for a long cold history."""
    return map_texts("summarize", raws)


def map_texts(task: str, raws: list[bytes]) -> list[dict[str, Any]]:
    """Run a worker task over many texts, in order, in parallel when it pays.

    Workers are plain `python -c` processes speaking a tiny framed protocol
    (length-prefixed texts in, one JSON line out per text): no pickle, and no
    re-import of the caller's `__main__`. Any failure falls back to this process.
    """
    function = _WORKER_TASKS[task]
    workers = min(4, os.cpu_count() or 1)
    if len(raws) < PARALLEL_MIN or workers < 2:
        return [function(raw) for raw in raws]
    try:
        return _map_in_workers(task, raws, workers)
    except (OSError, ValueError, GitError):
        return [function(raw) for raw in raws]


def _map_in_workers(task: str, raws: list[bytes], workers: int) -> list[dict[str, Any]]:
    import json
    import sys
    import threading

    package_root = str(Path(__file__).resolve().parents[3])
    env = dict(os.environ)
    env["PYTHONPATH"] = package_root + (
        os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else ""
    )
    size = -(-len(raws) // workers)
    chunks = [raws[i : i + size] for i in range(0, len(raws), size)]
    outputs: list[bytes | None] = [None] * len(chunks)
    code = f"from workbench.core.git.history import _worker; _worker({task!r})"

    def run(index: int) -> None:
        request = b"".join(b"%d\n" % len(raw) + raw for raw in chunks[index])
        proc = subprocess.run(
            [sys.executable, "-c", code], input=request, capture_output=True, env=env, check=False
        )
        if proc.returncode == 0:
            outputs[index] = proc.stdout

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(chunks))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result: list[dict[str, Any]] = []
    for chunk, out in zip(chunks, outputs, strict=True):
        lines = out.splitlines() if out is not None else []
        if len(lines) != len(chunk):
            raise GitError("a history worker failed")
        result += [json.loads(line) for line in lines]
    return result


def _worker(task: str) -> None:
    """Worker side of `map_texts`: framed texts on stdin, JSON lines on stdout."""
    import json
    import sys

    function = _WORKER_TASKS[task]
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        header = stdin.readline()
        if not header.strip():
            break
        raw = stdin.read(int(header))
        stdout.write(json.dumps(function(raw), ensure_ascii=False).encode() + b"\n")
    stdout.flush()


def _version_text(v: Validation) -> str | None:
    text = v.version_text
    if text is not None:
        return text
    value = v.data.get("version") if isinstance(v.data, dict) else None
    return None if value is None or isinstance(value, (dict, list)) else str(value)


class History:
    """Versions of the contracts of one repository, with caches kept between calls.

    Not thread-safe: the app keeps one per worker thread (or guards it).
    """

    def __init__(
        self, repo: Path, *, disk_cache: bool = True, state: RepoState | None = None
    ) -> None:
        self.state = state if state is not None else repo_state(repo)
        self.repo = self.state.root
        where = (self.state.common_dir / "workbench" / "cache", not self.state.is_bare)
        self.caches = RepoCaches(self.repo, disk=disk_cache, where=where)
        self._tags: dict[str, list[str]] | None = None
        self._marker = _record_marker()

    # -- listing -----------------------------------------------------------

    def tags(self) -> dict[str, list[str]]:
        """Commit hash -> names of the tags pointing at it (annotated tags peeled)."""
        if self._tags is None:
            proc = run_git(
                self.repo,
                [
                    "for-each-ref",
                    "--format=%(objectname)%00%(*objectname)%00%(refname:strip=2)",
                    "refs/tags",
                ],
            )
            tags: dict[str, list[str]] = {}
            for line in proc.stdout.decode("utf-8", "surrogateescape").splitlines():
                parts = line.split("\0")
                if len(parts) == 3:
                    target = parts[1] or parts[0]
                    tags.setdefault(target, []).append(parts[2])
            self._tags = tags
        return self._tags

    def _log_command(self, relpath: str) -> list[str]:
        # A user's diff.renameLimit may be too low to see a rename (0: no limit;
        # --follow has one destination, so this stays cheap).
        cmd = ["-c", "log.showSignature=false", "-c", "diff.renames=true"]
        cmd += ["-c", "diff.renameLimit=0"]
        cmd += [
            "log",
            "--follow",
            "--raw",
            "--no-abbrev",
            "-z",
            "--no-color",
            "--no-mailmap",
            # log.showRoot=false would hide the commit that added the file
            "--root",
            # a merge that changed the file (vs its first parent) is a version;
            # without this git shows no diff for merges and drops them
            "--diff-merges=first-parent",
            # i18n.logOutputEncoding must not re-encode names and subjects
            "--encoding=UTF-8",
            "--format=" + self._marker + _FIELDS,
        ]
        # no --skip/--max-count: with --follow git counts commits that did not
        # touch the file, so paging is done here on the filtered stream
        assert self.state.head is not None and is_full_hash(self.state.head)
        # only a full hash as revision; the path is literal (no glob/magic)
        cmd += ["--end-of-options", self.state.head, "--", f":(literal){relpath}"]
        return cmd

    def iter_refs(
        self, relpath: str, *, skip: int = 0, limit: int | None = None
    ) -> Iterator[Version]:
        """Stream the commits that touched `relpath`, newest first, without summaries.

        git writes as it walks, so the first entries arrive long before the end
        of a long history.
        """
        _check_relpath(relpath)
        if self.state.head is None or limit == 0:
            return
        seen = 0
        for version in self._stream_refs(relpath):
            seen += 1
            if seen <= skip:
                continue
            yield version
            if limit is not None and seen >= skip + limit:
                return

    def _stream_refs(self, relpath: str) -> Iterator[Version]:
        proc = popen_git(
            self.repo, self._log_command(relpath), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert proc.stdout is not None
        tags = self.tags()
        marker = self._marker.encode()
        buffer = b""
        finished = False
        try:
            while True:
                chunk = proc.stdout.read1(1 << 16)
                if not chunk:
                    break
                buffer += chunk
                records = buffer.split(marker)
                buffer = records.pop()
                for record in records:
                    version = _parse_record(record, tags)
                    if version is not None:
                        yield version
            if buffer:
                version = _parse_record(buffer, tags)
                if version is not None:
                    yield version
            finished = True
        finally:
            if not finished:
                proc.kill()  # the caller stopped early
            proc.stdout.close()
            stderr = proc.stderr.read() if proc.stderr is not None else b""
            if proc.stderr is not None:
                proc.stderr.close()
            code = proc.wait()
        if finished and code != 0:
            raise GitError(f"git log failed: {stderr.decode('utf-8', 'replace').strip()}")

    def fill(self, versions: list[Version]) -> list[Version]:
        """Give each version its `contract_version`, `valid` and findings (cache, else parse)."""
        missing: dict[str, list[Version]] = {}
        for v in versions:
            if v.blob is None:
                if not v.deleted:  # a symlink or submodule took the file's place
                    _apply(v, _unreadable(f"{v.path} is not a regular file in this commit"))
                continue
            entry = self.caches.summaries.get(v.blob)
            if entry is None:
                missing.setdefault(v.blob, []).append(v)
            else:
                _apply(v, entry)
        if missing:
            blobs = read_blobs(self.repo, list(missing))
            present = [oid for oid in missing if oid in blobs]
            summaries = dict(
                zip(present, summarize_many([blobs[oid] for oid in present]), strict=True)
            )
            for oid, group in missing.items():
                entry = summaries.get(oid)
                if entry is None:
                    entry = _unreadable(f"blob {oid} is not in this repository")
                else:
                    self.caches.summaries.put(oid, entry)
                for v in group:
                    _apply(v, entry)
        return versions

    def list_versions(
        self, relpath: str, *, skip: int = 0, limit: int | None = None
    ) -> list[Version]:
        """The versions of `relpath`, newest first, with their summaries."""
        versions = self.fill(list(self.iter_refs(relpath, skip=skip, limit=limit)))
        self.caches.save()
        return versions

    def iter_version_pages(self, relpath: str, page_size: int = 100) -> Iterator[list[Version]]:
        """Pages of versions, newest first, each ready to show (for paging in a UI).

        The first page costs one page of parsing, not the whole history.
        """
        page: list[Version] = []
        size = max(1, page_size)
        for version in self.iter_refs(relpath):
            page.append(version)
            if len(page) >= size:
                yield self.fill(page)
                self.caches.save()
                page = []
                size = min(size * 4, 2000)  # bigger pages once the screen is full
        if page:
            yield self.fill(page)
        self.caches.save()

    # -- single versions ------------------------------------------------------

    def read(self, commit: str, relpath: str) -> bytes | None:
        """The stored bytes of `relpath` at `commit` (a full hash), or None."""
        return read_file_at(self.repo, commit, relpath)

    def commit_info(self, commit: str) -> Version:
        """Date, author, subject and tags of `commit` (a full hash), as a Version without file."""
        if not is_full_hash(commit):
            raise GitError(f"not a full commit hash: {commit!r}")
        fmt = _FORMAT
        proc = run_git(
            self.repo,
            [
                "-c",
                "log.showSignature=false",
                "log",
                "-1",
                "--no-mailmap",
                "--encoding=UTF-8",
                fmt,
                "--end-of-options",
                commit,
                "--",
            ],
        )
        version = _parse_record(proc.stdout.rstrip(b"\n"), self.tags())
        if version is None:
            raise GitError(f"cannot read commit {commit[:12]}")
        return version

    def load_version(self, commit: str, relpath: str) -> Validation:
        """Parse and validate `relpath` as it was at `commit` (a full hash).

        Raises GitError when the file does not exist in that commit.
        """
        from workbench.core.validate import validate_text

        raw = self.read(commit, relpath)
        if raw is None:
            raise GitError(f"{relpath} does not exist in commit {commit[:12]}")
        return validate_text(raw, fast=True, filename=relpath)

    def path_at(self, commit: str, relpath: str) -> str | None:
        """The name `relpath` had in `commit` (renames followed), or None if it did not exist.

        Looks at the newest version at or before `commit` in the history of
        `relpath` as it is named at HEAD.
        """
        if self.read(commit, relpath) is not None:
            return relpath
        if self.state.head is None:
            return None
        proc = run_git(self.repo, ["rev-list", "--end-of-options", commit])
        ancestors = set(proc.stdout.decode("ascii").split())
        for version in self.iter_refs(relpath):
            if version.commit in ancestors:
                return None if version.deleted else version.path
        return None

    def draft_version(self, relpath: str) -> Version | None:
        """The working-tree file as a pseudo-version when it differs from HEAD, else None."""
        _check_relpath(relpath)
        if self.state.is_bare:
            return None
        proc = run_git(
            self.repo,
            [
                "status",
                "--porcelain=v1",
                "-z",
                "--untracked-files=all",
                "--",
                f":(literal){relpath}",
            ],
        )
        if not proc.stdout.strip(b"\0"):
            return None
        on_disk = self.repo / relpath
        try:
            with open(on_disk, "rb") as fh:
                raw = fh.read(MAX_BLOB_BYTES + 1)
            mtime = datetime.fromtimestamp(on_disk.stat().st_mtime, tz=UTC).astimezone()
        except OSError:
            raw, mtime = None, datetime.now(UTC).astimezone()
        version = Version(
            commit="",
            date=mtime.isoformat(timespec="seconds"),
            author="",
            subject="uncommitted changes (working tree)"
            if raw is not None
            else "deleted in the working tree",
            tags=[],
            blob=blob_id(raw) if raw is not None else None,
            path=relpath,
            status="M" if raw is not None else "D",
            draft=True,
        )
        if raw is not None and version.blob is not None:
            entry = self.caches.summaries.get(version.blob)
            if entry is None:
                entry = summarize(raw)
                self.caches.summaries.put(version.blob, entry)
                self.caches.save()
            _apply(version, entry)
        return version

    # -- field history --------------------------------------------------------

    def data_of(self, versions: list[Version]) -> dict[str, Any]:
        """Blob id -> parsed plain data (or _UNPARSED) for these versions, one batch read."""
        result: dict[str, Any] = {}
        wanted = []
        for v in versions:
            if v.blob is None or v.blob in result:
                continue
            entry = self.caches.data.get(v.blob)
            if entry is None:
                wanted.append(v.blob)
            else:
                result[v.blob] = entry["data"] if entry.get("ok", True) else _UNPARSED
        if wanted:
            blobs = read_blobs(self.repo, wanted)
            present = [oid for oid in wanted if blobs.get(oid) is not None]
            entries = map_texts("parse_data", [blobs[oid] for oid in present])
            for oid in wanted:
                result[oid] = _UNPARSED
            for oid, entry in zip(present, entries, strict=True):
                if not entry["ok"]:
                    self.caches.data.put(oid, {"ok": False, "data": None})
                    continue
                result[oid] = entry["data"]
                if json_safe(entry["data"]):
                    self.caches.data.put(oid, entry)
        return result

    def field_history(self, relpath: str, dotted_path: str) -> list[FieldChange]:
        """Where the value at `dotted_path` started and changed, newest first.

        One entry per change (the first version holding a value included); an
        entry with `present=False` marks where the field disappeared. Versions
        that do not parse are skipped (their value is unknown).
        """
        parts = [p for p in dotted_path.split(".") if p]
        if not parts:
            raise ValueError("empty field path")
        versions = list(self.iter_refs(relpath))
        data = self.data_of(versions)
        self.caches.save()
        changes: list[FieldChange] = []
        previous: Any = _UNPARSED
        for v in reversed(versions):  # oldest first, to see where values start
            if v.deleted:
                value: Any = _ABSENT
            else:
                doc = data.get(v.blob or "", _UNPARSED)
                if doc is _UNPARSED:
                    continue
                value = value_at(doc, parts, _ABSENT)
            if previous is not _UNPARSED and _same(previous, value):
                continue
            if previous is _UNPARSED and value is _ABSENT:
                previous = value
                continue  # absent from the start: nothing to report yet
            previous = value
            present = value is not _ABSENT
            changes.append(
                FieldChange(
                    v.commit, v.date, v.author, v.subject, value if present else None, present
                )
            )
        changes.reverse()
        return changes


def _same(a: Any, b: Any) -> bool:
    if a is _ABSENT or b is _ABSENT:
        return a is b
    # 1 == 1.0 == True in Python; a change of type is a change
    return type(a) is type(b) and a == b


def _apply(version: Version, entry: dict[str, Any]) -> None:
    version.contract_version = entry["contract_version"]
    version.valid = entry["valid"]
    version.findings_json = entry["findings"]


def _unreadable(message: str) -> dict[str, Any]:
    finding = {
        "rule": "CW000",
        "severity": "error",
        "path": "",
        "line": 1,
        "column": 1,
        "message": message,
    }
    return {"contract_version": None, "valid": False, "findings": [finding]}


def _check_relpath(relpath: str) -> None:
    if not relpath or any(ord(ch) < 32 or ord(ch) == 127 for ch in relpath):
        raise GitError(f"bad path {relpath!r}")
    if relpath.startswith("/") or ".." in relpath.split("/"):
        raise GitError(f"path {relpath!r} must be relative to the repository root")


def _parse_record(record: bytes, tags: dict[str, list[str]]) -> Version | None:
    """One `git log -z --raw` record: header fields, then the raw diff entries."""
    fields = record.split(b"\0")
    if len(fields) < 4:
        return None
    commit = fields[0].decode("ascii", "replace").strip()
    if not is_full_hash(commit):
        return None
    date = fields[1].decode("utf-8", "replace")
    author = fields[2].decode("utf-8", "replace")
    subject = fields[3].decode("utf-8", "replace")
    blob: str | None = None
    path = ""
    status = "M"
    rest = fields[4:]
    i = 0
    # with --follow there is one raw entry for the followed file:
    # ":oldmode newmode oldblob newblob STATUS" then one path (two for R/C)
    while i < len(rest):
        token = rest[i].strip()
        i += 1
        if not token.startswith(b":"):
            continue
        meta = token[1:].split()
        if len(meta) < 5:
            continue
        status = meta[4][:1].decode("ascii", "replace")
        new_blob = meta[3].decode("ascii", "replace")
        npaths = 2 if status in ("R", "C") else 1
        names = [
            rest[i + k].decode("utf-8", "surrogateescape")
            for k in range(npaths)
            if i + k < len(rest)
        ]
        i += npaths
        if names:
            path = names[-1]
        blob = None if new_blob in _ZERO or status == "D" else new_blob
        if status == "D" and names:
            path = names[0]
        # regular files only: a symlink (120000) or submodule has no contract text
        new_mode = meta[1]
        if blob is not None and new_mode not in (b"100644", b"100755"):
            blob = None
    return Version(commit, date, author, subject, list(tags.get(commit, [])), blob, path, status)


# -- module-level convenience (a fresh History per call) ------------------------


def list_versions(
    repo: Path, relpath: str, *, skip: int = 0, limit: int | None = None
) -> list[Version]:
    """The versions of `relpath`, newest first (renames followed), with summaries."""
    return History(repo).list_versions(relpath, skip=skip, limit=limit)


def iter_version_pages(repo: Path, relpath: str, page_size: int = 100) -> Iterator[list[Version]]:
    """Pages of versions, newest first; the first page arrives without reading all history."""
    return History(repo).iter_version_pages(relpath, page_size)


def load_version(repo: Path, commit: str, relpath: str) -> Validation:
    """The validated contract `relpath` at `commit` (a full hash)."""
    return History(repo).load_version(commit, relpath)


def draft_version(repo: Path, relpath: str) -> Version | None:
    """The working tree as a pseudo-version when it differs from HEAD."""
    return History(repo).draft_version(relpath)


def field_history(repo: Path, relpath: str, dotted_path: str) -> list[FieldChange]:
    """Where the value at `dotted_path` started and changed across versions, newest first."""
    return History(repo).field_history(relpath, dotted_path)
