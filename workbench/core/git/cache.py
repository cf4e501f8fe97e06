"""Per-blob caches of parsed versions, in memory and on disk as JSON.

A blob's content never changes, so what we derive from it (its `version`
field, whether it validates, its findings, its plain data) can be kept by
blob id. On disk the cache lives under `<git dir>/workbench/cache/` as JSON —
never pickle, so a planted cache file can at worst be wrong, never run code.
Every file carries a format tag, a format version and a fingerprint of the
code that produced it; anything that does not match, does not parse, or has
the wrong shape is ignored (and rebuilt). Bare repositories are read-only: we
read a cache there if one exists but never write.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import stat
from pathlib import Path
from typing import Any

from workbench.core.git.runner import run_git

FORMAT = "contract-workbench-cache"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 256 * 1024 * 1024  # a cache bigger than this is not ours

_CORE = Path(__file__).resolve().parent.parent
# The modules whose behaviour decides a cached summary / cached data.
_SUMMARY_SOURCES = ("validate.py", "rules.py", "contract_model.py", "yaml_safe.py", "findings.py")
_DATA_SOURCES = ("yaml_safe.py",)


def code_fingerprint(names: tuple[str, ...]) -> str:
    """A hash of the given `workbench/core` sources: a code change invalidates the cache."""
    digest = hashlib.sha256(f"{FORMAT}/{FORMAT_VERSION}".encode())
    for name in names:
        try:
            digest.update((_CORE / name).read_bytes())
        except OSError:
            digest.update(b"missing:" + name.encode())
    return digest.hexdigest()[:32]


def cache_dir(repo: Path) -> tuple[Path, bool] | None:
    """`(<git dir>/workbench/cache, writable)` for `repo`, or None outside a repo."""
    proc = run_git(repo, ["rev-parse", "--git-common-dir", "--is-bare-repository"], check=False)
    if proc.returncode != 0:
        return None
    lines = proc.stdout.decode("utf-8", "surrogateescape").splitlines()
    if len(lines) < 2:
        return None
    git_dir = Path(lines[0])
    if not git_dir.is_absolute():
        git_dir = (repo / git_dir).resolve()
    return git_dir / "workbench" / "cache", lines[1].strip() != "true"


def _read_regular_file(path: Path) -> bytes:
    """The bytes of `path` when it is a plain file of sane size; OSError otherwise.

    Opened without following a symlink and without blocking (a FIFO planted
    as the cache would hang every command), then checked on the open handle.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_FILE_BYTES:
            raise OSError(f"{path} is not a cache file")
        return fh.read(MAX_FILE_BYTES + 1)


class JsonCache:
    """One JSON file of entries keyed by blob id, checked on load, written atomically."""

    def __init__(
        self, path: Path | None, fingerprint: str, *, writable: bool, validate_entry: Any
    ) -> None:
        self.path = path
        self.fingerprint = fingerprint
        self.writable = writable and path is not None
        self._validate_entry = validate_entry
        self._entries: dict[str, Any] | None = None
        self._dirty = False

    def _load(self) -> dict[str, Any]:
        if self._entries is None:
            self._entries = self._read_file()
        return self._entries

    def _read_file(self) -> dict[str, Any]:
        if self.path is None:
            return {}
        try:
            doc = json.loads(_read_regular_file(self.path))
        except (OSError, ValueError, RecursionError):
            return {}  # absent, unreadable, corrupt or not a plain file: start again
        if (
            not isinstance(doc, dict)
            or doc.get("format") != FORMAT
            or doc.get("version") != FORMAT_VERSION
            or doc.get("fingerprint") != self.fingerprint
            or not isinstance(doc.get("entries"), dict)
        ):
            return {}
        return doc["entries"]

    def get(self, oid: str) -> Any | None:
        """The entry for blob `oid` when present and well-formed, else None."""
        entry = self._load().get(oid)
        if entry is None:
            return None
        if not self._validate_entry(entry):
            del self._load()[oid]
            return None
        return entry

    def put(self, oid: str, entry: Any) -> None:
        """Remember `entry` for blob `oid` (written by `save`)."""
        self._load()[oid] = entry
        self._dirty = True

    def save(self) -> None:
        """Write the file when something changed; failures are silent (it is a cache)."""
        if not self._dirty or not self.writable or self.path is None:
            return
        doc = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "fingerprint": self.fingerprint,
            "entries": self._load(),
        }
        import tempfile  # only when writing: keeps a warm `log` from paying for it

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=self.path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(doc, fh, separators=(",", ":"), ensure_ascii=False)
                os.replace(tmp, self.path)  # readers see the old file or the new one
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except (OSError, ValueError):
            return
        self._dirty = False


_FINDING_KEYS = {
    "rule": str,
    "severity": str,
    "path": str,
    "line": int,
    "column": int,
    "message": str,
}


def valid_summary(entry: Any) -> bool:
    """Is `entry` a well-formed summary (`contract_version`, `valid`, `findings`)?"""
    if not isinstance(entry, dict):
        return False
    cv = entry.get("contract_version")
    if cv is not None and not isinstance(cv, str):
        return False
    if not isinstance(entry.get("valid"), bool) or not isinstance(entry.get("findings"), list):
        return False
    for f in entry["findings"]:
        if not isinstance(f, dict):
            return False
        for key, kind in _FINDING_KEYS.items():
            if not isinstance(f.get(key), kind):
                return False
        if f["severity"] not in ("error", "warning", "info"):
            return False
        if f.get("hint") is not None and not isinstance(f["hint"], str):
            return False
    return True


def valid_data(entry: Any) -> bool:
    """Is `entry` a well-formed data record (`{"data": ...}`)?"""
    return isinstance(entry, dict) and "data" in entry


def json_safe(value: Any) -> bool:
    """True when `value` survives a JSON round trip unchanged (string keys only)."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and json_safe(v) for k, v in value.items())
    if isinstance(value, list):
        return all(json_safe(v) for v in value)
    if isinstance(value, float):
        return not math.isnan(value)  # NaN != NaN would break change detection anyway
    return value is None or isinstance(value, (str, int, bool))


class RepoCaches:
    """The summary cache and the data cache of one repository."""

    def __init__(
        self, repo: Path, *, disk: bool = True, where: tuple[Path, bool] | None = None
    ) -> None:
        """`where` is `(cache folder, writable)` when the caller knows it (saves a git call)."""
        if disk and where is None:
            where = cache_dir(repo)
        if not disk:
            where = None
        base, writable = where if where is not None else (None, False)
        self.summaries = JsonCache(
            base / "summaries.json" if base else None,
            code_fingerprint(_SUMMARY_SOURCES),
            writable=writable,
            validate_entry=valid_summary,
        )
        self.data = JsonCache(
            base / "data.json" if base else None,
            code_fingerprint(_DATA_SOURCES),
            writable=writable,
            validate_entry=valid_data,
        )

    def save(self) -> None:
        """Write both caches when they changed."""
        self.summaries.save()
        self.data.save()
