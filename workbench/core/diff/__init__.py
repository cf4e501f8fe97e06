"""Semantic diff of contracts: engine, level table, renderers, commit messages."""

from workbench.core.diff.engine import (
    Change,
    DiffResult,
    bump_version,
    diff_contracts,
    parse_version,
)
from workbench.core.diff.levels import DiffConfigError, load_overrides, overrides_from_toml
from workbench.core.diff.message import commit_message
from workbench.core.diff.validations import diff_texts, diff_validations

__all__ = [
    "Change",
    "DiffConfigError",
    "DiffResult",
    "bump_version",
    "commit_message",
    "diff_contracts",
    "diff_texts",
    "diff_validations",
    "load_overrides",
    "overrides_from_toml",
    "parse_version",
]
