"""What a write-back will commit: the final text (with a version bump) and its message.

Shared by `workbench set --commit` and the app's commit dialog, so both bump
the version and word the message the same way. Nothing here touches git or
the disk; `writeback.commit_contract_edit` does the writing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from workbench.core.diff import DiffResult, bump_version, commit_message, diff_validations
from workbench.core.edit import EditError, SetValue, apply_edits
from workbench.core.validate import Validation, validate_text

BUMPS = ("auto", "major", "minor", "none")


class PlanError(ValueError):
    """The bump or message cannot be worked out; the message says why."""


@dataclass(frozen=True)
class CommitPlan:
    """The text to commit, its validation, the semantic diff and the message."""

    new_text: str
    validation: Validation  # of new_text
    diff: DiffResult  # old text -> new_text (including the bump)
    bump: str  # the bump applied: major | minor | none
    old_version: str | None
    new_version: str | None
    message: str


def version_edit(validation: Validation, new_version: str) -> SetValue:
    """An edit setting `version` to `new_version`, keeping a bare number bare.

    A bare YAML number stays bare when the new text reads back as the same
    number (`1.0` -> `1.1`); `1.9` -> `1.10` would read as 1.1, so it becomes
    the string "1.10". A string version stays a string.
    """
    old_value = (validation.data or {}).get("version")
    was_number = isinstance(old_value, int | float) and not isinstance(old_value, bool)
    if was_number:
        try:
            as_number: int | float = (
                int(new_version) if "." not in new_version else float(new_version)
            )
        except ValueError:
            as_number = math.nan
        if isinstance(as_number, int) or repr(as_number) == new_version:
            return SetValue(("version",), as_number, new_version)
    return SetValue(("version",), new_version)


def plan_commit(
    old_text: str,
    new_text: str,
    *,
    bump: str = "none",
    message: str | None = None,
    catalog: frozenset[str] | set[str] | None = None,
    overrides: Mapping[str, str] | None = None,
    filename: str | None = None,
) -> CommitPlan:
    """Apply the version bump to `new_text` and generate the commit message.

    `bump` is auto (the semantic diff's suggestion), major, minor or none;
    the version moves from the *old* text's version, and an edit that
    already changed `version` cannot also be bumped. Without `message`, it
    is generated from the semantic diff (subject, one line per change, the
    version line). Raises PlanError.
    """
    if bump not in BUMPS:
        raise PlanError(f"--bump must be one of {', '.join(BUMPS)} (got {bump!r})")
    old_val = validate_text(old_text, catalog=catalog, filename=filename)
    new_val = validate_text(new_text, catalog=catalog, filename=filename)
    diff = diff_validations(old_val, new_val, overrides)
    applied = diff.suggested_bump if bump == "auto" else bump
    old_version = old_val.version_text
    if applied != "none":
        if new_val.version_text != old_version:
            raise PlanError(
                f"this edit already changes version ({old_version} → {new_val.version_text}); "
                "drop --bump or leave version alone"
            )
        if old_version is None:
            raise PlanError("the contract has no version to bump; set `version` first")
        try:
            target = bump_version(old_version, applied)
            new_text = apply_edits(new_text, [version_edit(new_val, target)]).new_text
        except (ValueError, EditError) as exc:
            raise PlanError(f"cannot bump version {old_version!r}: {exc}") from None
        new_val = validate_text(new_text, catalog=catalog, filename=filename)
        diff = diff_validations(old_val, new_val, overrides)
    if message is None:
        message = commit_message(diff)
    elif not message.strip():
        raise PlanError("the commit message is empty")
    return CommitPlan(
        new_text=new_text,
        validation=new_val,
        diff=diff,
        bump=applied,
        old_version=old_version,
        new_version=new_val.version_text,
        message=message,
    )
