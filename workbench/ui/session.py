"""The app's state: one contract file, its draft, and the versions in view.

This module holds no Textual code so it can be tested on its own; every
decision about contracts (validation, edits, history, diff, simulation,
write-back) is delegated to `workbench.core`. Core modules are imported
lazily so the first screen does not pay for numpy or deepdiff.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from workbench.core.contract_file import ContractFile, catalog_beside, read_contract

DRAFT = "draft"  # the pseudo-version id of the working tree
_UNKNOWN = object()  # HEAD not looked up yet


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


@dataclass
class Session:
    """The contract file the app is working on and its unsaved draft."""

    repo: Path | None
    relpath: str
    # the file as last read or written (None before the first read)
    contract: ContractFile | None = None
    draft_text: str = ""
    versions: list[VersionInfo] = field(default_factory=list)
    history_complete: bool = False
    _text_cache: dict[str, str | None] = field(default_factory=dict)
    # commit -> the file's name in that commit, for versions from before a rename
    _paths: dict[str, str] = field(default_factory=dict)
    # model aliases of a models.yml beside the contract (rule CW104), as `validate` uses
    catalog: frozenset[str] | None = None
    # HEAD's sha, looked up once: the diff base is asked for on every edit
    _head: Any = _UNKNOWN

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
    def disk_bytes(self) -> bytes:
        """The file's bytes as last read or written."""
        return self.contract.raw if self.contract is not None else b""

    @property
    def disk_sha(self) -> str:
        """SHA-256 of `disk_bytes` (the write-back refuses if the file no longer has it)."""
        return self.contract.sha256 if self.contract is not None else ""

    @property
    def read_only(self) -> bool:
        """True when the file is not UTF-8: editing or saving it would corrupt bytes."""
        return self.contract is not None and self.contract.text is None

    @property
    def dirty(self) -> bool:
        """True when the in-app draft differs from the file on disk."""
        return not self.read_only and self.draft_bytes() != self.disk_bytes

    def draft_bytes(self) -> bytes:
        """The bytes saving the draft writes (a byte-order mark is kept)."""
        if self.contract is None:
            return self.draft_text.encode("utf-8")
        return self.contract.encode(self.draft_text)

    def draft_source(self) -> str | bytes:
        """What to validate for the draft: the raw bytes of a read-only file, so its
        findings name the bad UTF-8 instead of a replacement character."""
        return self.disk_bytes if self.read_only else self.draft_text

    def load_from_disk(self) -> None:
        """(Re)read the file; the draft becomes what is on disk (OSError propagates)."""
        contract = read_contract(self.path)
        self.contract = contract
        # a file that is not UTF-8 is shown (lossily) but never edited or saved
        self.draft_text = (
            contract.text if contract.text is not None else contract.raw.decode("utf-8", "replace")
        )
        self.forget_head()
        self.load_catalog()

    def mark_written(self) -> None:
        """The draft is now the file on disk (after a save, a commit or a failed hook)."""
        if self.contract is not None and not self.read_only:
            self.contract = replace(self.contract, raw=self.draft_bytes(), text=self.draft_text)

    def load_catalog(self) -> None:
        """Read the model catalog beside the contract (the same one `workbench validate` uses)."""
        try:
            self.catalog = catalog_beside(self.path)
        except OSError:
            self.catalog = None

    def diff_overrides(self) -> dict[str, str]:
        """Level overrides of the repository's `.workbench.toml` (as `workbench diff` reads)."""
        from workbench.core.diff import load_overrides

        return {} if self.repo is None else load_overrides(self.repo / ".workbench.toml")

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

    def head_commit(self, *, fresh: bool = False) -> str | None:
        """Full sha of HEAD, or None (no repo, or unborn branch); cached until `forget_head`."""
        if self.repo is None:
            return None
        if fresh or self._head is _UNKNOWN:
            from workbench.core.git.revisions import head_commit

            self._head = head_commit(self.repo)
        return self._head  # type: ignore[no-any-return]

    def forget_head(self) -> None:
        """HEAD may have moved (a commit, a reload): look it up again next time."""
        self._head = _UNKNOWN

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

    def label(self, commit: str | None, *, with_version: bool = True) -> str:
        """Human label for a version id (`with_version`: add the contract's version)."""
        if commit is None:
            return "(none)"
        if commit == DRAFT:
            return (
                "working draft" if self.draft_differs_from_latest() else "working tree (unchanged)"
            )
        v = self.find_version(commit)
        if with_version and v and v.contract_version:
            return f"{commit[:8]} (v{v.contract_version})"
        return commit[:8]


def validate(text: str, catalog: frozenset[str] | set[str] | None = None) -> Any:
    """Validate contract text with the core (returns `core.validate.Validation`)."""
    from workbench.core.validate import validate_text

    return validate_text(text, catalog=catalog)
