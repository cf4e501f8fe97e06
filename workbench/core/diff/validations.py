"""Diff two validated contract texts: the one entry point the CLI, write-back and app share."""

from __future__ import annotations

from collections.abc import Mapping

from workbench.core.diff.engine import DiffResult, diff_contracts
from workbench.core.validate import Validation, validate_text


def diff_validations(
    old: Validation | None, new: Validation | None, overrides: Mapping[str, str] | None = None
) -> DiffResult:
    """Semantic diff of two validations (None: the side is absent).

    Versions are compared as written (`1.10` is not 1.1) and findings are
    located in the new side.
    """
    return diff_contracts(
        old.data if old is not None else None,
        new.data if new is not None else None,
        overrides=overrides,
        old_version_text=old.version_text if old is not None else None,
        new_version_text=new.version_text if new is not None else None,
        locate=new.parsed.position if new is not None else None,
    )


def diff_texts(
    old: str | bytes | None, new: str | bytes | None, overrides: Mapping[str, str] | None = None
) -> DiffResult:
    """Semantic diff of two contract texts (None: the side is absent)."""
    return diff_validations(
        validate_text(old) if old is not None else None,
        validate_text(new) if new is not None else None,
        overrides,
    )
