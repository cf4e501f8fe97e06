"""Read many blobs through ONE `git cat-file --batch` process.

Spawning git once per version would cost milliseconds each, which is what makes
history slow; one batch process answers thousands of object names in one go.
Object names are full hashes only (never user text).
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterable
from pathlib import Path

from workbench.core.git.runner import GitError, is_full_hash, popen_git, run_git

_BATCH = ["cat-file", "--batch"]


def _check_oid(oid: str) -> None:
    if not is_full_hash(oid):
        raise GitError(f"not a full object id: {oid!r}")


def read_blobs(repo: Path, oids: Iterable[str]) -> dict[str, bytes]:
    """The contents of the given blob ids, read by one git process.

    Ids git does not have, or that are not blobs, are left out of the result.
    """
    wanted = list(dict.fromkeys(oids))  # unique, in order
    if not wanted:
        return {}
    for oid in wanted:
        _check_oid(oid)
    request = "".join(f"{oid}\n" for oid in wanted).encode("ascii")
    # communicate() writes stdin and drains stdout at the same time, so a big
    # answer cannot deadlock against a big request.
    return _parse_batch(run_git(repo, _BATCH, input=request).stdout)


def _parse_batch(out: bytes) -> dict[str, bytes]:
    result: dict[str, bytes] = {}
    pos = 0
    end = len(out)
    while pos < end:
        nl = out.index(b"\n", pos)
        raw_header = out[pos:nl]
        header = raw_header.split()
        pos = nl + 1
        if len(header) == 2 and header[1] in (b"missing", b"ambiguous"):
            continue
        if len(header) != 3:
            raise GitError(f"unexpected answer from git cat-file: {raw_header!r}")
        oid, kind, size = header[0].decode("ascii"), header[1], int(header[2])
        body = out[pos : pos + size]
        pos += size + 1  # the body is followed by a newline
        if kind == b"blob":
            result[oid] = body
    return result


class BlobReader:
    """A long-lived `git cat-file --batch` for one-at-a-time reads (the app).

    Thread-safe; close it (or use it as a context manager) when done.
    """

    def __init__(self, repo: Path) -> None:
        self._proc = popen_git(
            repo, _BATCH, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self._lock = threading.Lock()

    def read(self, oid: str) -> bytes | None:
        """The bytes of blob `oid`, or None when git has no such blob."""
        _check_oid(oid)
        with self._lock:
            stdin, stdout = self._proc.stdin, self._proc.stdout
            if stdin is None or stdout is None or self._proc.poll() is not None:
                raise GitError("git cat-file is not running")
            stdin.write(f"{oid}\n".encode("ascii"))
            stdin.flush()
            header = stdout.readline().split()
            if len(header) == 2:
                return None
            if len(header) != 3:
                raise GitError("unexpected answer from git cat-file")
            body = stdout.read(int(header[2]) + 1)[:-1]
            return body if header[1] == b"blob" else None

    def close(self) -> None:
        """Stop the git process."""
        if self._proc.stdin is not None and not self._proc.stdin.closed:
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        if self._proc.stdout is not None:
            self._proc.stdout.close()

    def __enter__(self) -> BlobReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
