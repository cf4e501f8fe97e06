"""Atomic file replacement that keeps the file's mode and refuses stale writes."""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from pathlib import Path


class StaleFileError(Exception):
    """The file changed on disk since it was read; nothing was written."""


def sha256_of(data: bytes) -> str:
    """Hex SHA-256 of bytes (used to notice a file changed under us)."""
    return hashlib.sha256(data).hexdigest()


def atomic_write(path: Path, data: bytes, expected_sha256: str | None = None) -> None:
    """Replace `path` with `data`: temp file in the same folder, fsync, mode kept, rename.

    With `expected_sha256`, refuse (StaleFileError) when the file on disk is no
    longer what the caller read. Readers never see a half-written file.
    """
    path = Path(path)
    if expected_sha256 is not None:
        try:
            current = sha256_of(path.read_bytes())
        except FileNotFoundError:
            current = None
        if current != expected_sha256:
            raise StaleFileError(
                f"{path} changed on disk since it was read; reload it and redo the edit"
            )
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
