"""The app's state: one contract file, its draft, and the versions in view.

This module holds no Textual code so it can be tested on its own; every
decision about contracts (validation, edits, history, diff, simulation,
write-back) is delegated to `workbench.core`. Core modules are imported
lazily so the first screen does not pay for numpy or deepdiff.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DRAFT = "draft"  # the pseudo-version id of the working tree
HEAD_LABEL = "HEAD"


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of `data` (how the app tells whether the file moved under it)."""
    return hashlib.sha256(data).hexdigest()


@dataclass
class VersionInfo:
    """One row of the Versions view (a commit, or the working-tree draft)."""

    commit: str  # full sha, or DRAFT
    date: str
    author: str
    subject: str
    tags: tuple[str, ...] = ()
    contract_version: str = ""
    valid: bool | None = None
    path: str = ""  # the file's name in that commit ("" = the current name)

    @property
    def short(self) -> str:
        """Short label for headers: 12-hex sha or `draft`."""
        return self.commit if self.commit == DRAFT else self.commit[:12]


def version_from_core(obj: Any) -> VersionInfo:
    """Adapt a version record of `workbench.core.git.history` (object or dict)."""

    def get(name: str, default: Any = None) -> Any:
        if isinstance(obj, dict):
            return obj.get(name, default)
        return getattr(obj, name, default)

    date = get("date", "")
    if hasattr(date, "strftime"):
        date = date.strftime("%Y-%m-%d %H:%M")
    tags = get("tags", ()) or ()
    version = get("contract_version", None)
    return VersionInfo(
        commit=str(get("commit", get("sha", ""))),
        date=str(date or ""),
        author=str(get("author", "") or ""),
        subject=str(get("subject", "") or ""),
        tags=tuple(str(t) for t in tags),
        contract_version="" if version is None else str(version),
        valid=get("valid", None),
    )


@dataclass
class Session:
    """The contract file the app is working on and its unsaved draft."""

    repo: Path | None
    relpath: str
    disk_bytes: bytes = b""
    disk_sha: str = ""
    draft_text: str = ""
    versions: list[VersionInfo] = field(default_factory=list)
    history_complete: bool = False
    history_truncated: bool = False
    _text_cache: dict[str, str | None] = field(default_factory=dict)
    # commit -> the file's name in that commit, for versions from before a rename
    _paths: dict[str, str] = field(default_factory=dict)
    # model aliases of a models.yml beside the contract (rule CW104), as `validate` uses
    catalog: frozenset[str] | None = None

    def add_versions(self, rows: list[VersionInfo], *, replace: bool = False) -> None:
        """Append (or replace the list with) a page of versions, remembering old names."""
        if replace:
            self.versions = list(rows)
            self._paths.clear()
        else:
            self.versions.extend(rows)
        for v in rows:
            if v.path and v.path != self.relpath:
                self._paths[v.commit] = v.path
                self._text_cache.pop(v.commit, None)  # may have been read under the new name

    @property
    def path(self) -> Path:
        """Absolute path of the contract file on disk."""
        base = self.repo if self.repo is not None else Path.cwd()
        return base / self.relpath

    @property
    def disk_text(self) -> str:
        """The file as last read from disk (lossless: invalid UTF-8 is replaced)."""
        return self.disk_bytes.decode("utf-8", "replace")

    @property
    def dirty(self) -> bool:
        """True when the in-app draft differs from the file on disk."""
        return self.draft_text.encode("utf-8") != self.disk_bytes

    def load_from_disk(self) -> None:
        """(Re)read the file; the draft becomes what is on disk."""
        data = self.path.read_bytes()
        self.disk_bytes = data
        self.disk_sha = sha256_hex(data)
        self.draft_text = data.decode("utf-8", "replace")
        self._text_cache[DRAFT] = None
        self.load_catalog()

    def load_catalog(self) -> None:
        """Read the model catalog beside the contract (the same one `workbench validate` uses)."""
        from workbench.core.contract_file import catalog_beside

        try:
            self.catalog = catalog_beside(self.path)
        except OSError:
            self.catalog = None

    def disk_changed(self) -> bool:
        """True when the file on disk no longer matches what the app loaded."""
        try:
            data = self.path.read_bytes()
        except OSError:
            return False
        return sha256_hex(data) != self.disk_sha

    # --- versions -----------------------------------------------------------

    def text_of(self, commit: str) -> str | None:
        """The contract text at `commit` (DRAFT: the in-app draft); None if absent."""
        if commit == DRAFT:
            return self.draft_text
        if commit in self._text_cache:
            return self._text_cache[commit]
        from workbench.core.git.revisions import read_file_at

        assert self.repo is not None
        # history follows renames: older versions live under the file's old name
        data = read_file_at(self.repo, commit, self._paths.get(commit, self.relpath))
        text = None if data is None else data.decode("utf-8", "replace")
        self._text_cache[commit] = text
        return text

    def name_at(self, commit: str) -> str:
        """The file's name in `commit` (it differs for versions from before a rename)."""
        return self._paths.get(commit, self.relpath)

    def head_commit(self) -> str | None:
        """Full sha of HEAD, or None (no repo, or unborn branch)."""
        if self.repo is None:
            return None
        from workbench.core.git.revisions import head_commit

        return head_commit(self.repo)

    def draft_differs_from_latest(self) -> bool:
        """True when the draft is not the text of the newest committed version (or none is known)."""
        latest = next((v.commit for v in self.versions if v.commit != DRAFT), None)
        return latest is None or self.text_of(latest) != self.draft_text

    def find_version(self, commit: str) -> VersionInfo | None:
        """The version row for `commit`, if it has paged in."""
        for v in self.versions:
            if v.commit == commit:
                return v
        return None

    def previous_of(self, commit: str) -> str | None:
        """The version just older than `commit` in the list (its natural diff base).

        For the draft that is HEAD, unless the draft *is* HEAD: then the commit
        before HEAD, so the Diff view opens on the latest change.
        """
        ids = [v.commit for v in self.versions]
        if commit == DRAFT:
            head = self.head_commit()
            if head is not None and self.text_of(head) == self.draft_text:
                i = ids.index(head) if head in ids else -1
                if 0 <= i and i + 1 < len(ids):
                    return ids[i + 1]
            return head
        if commit in ids:
            i = ids.index(commit)
            if i + 1 < len(ids):
                return ids[i + 1]
        return None

    def label(self, commit: str | None) -> str:
        """Human label for a version id."""
        if commit is None:
            return "(none)"
        if commit == DRAFT:
            return (
                "working draft" if self.draft_differs_from_latest() else "working tree (unchanged)"
            )
        v = self.find_version(commit)
        if v and v.contract_version:
            return f"{commit[:8]} (v{v.contract_version})"
        return commit[:8]


def validate(text: str, catalog: frozenset[str] | set[str] | None = None) -> Any:
    """Validate contract text with the core (returns `core.validate.Validation`)."""
    from workbench.core.validate import validate_text

    return validate_text(text, catalog=catalog)
