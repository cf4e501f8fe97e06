"""Test helper: run real git (importable from any test module: `from gitutil import git`)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from workbench.core.git.runner import git_env


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Run real git in `repo` for a test; fail loudly with git's message."""
    proc = subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        env={**git_env(), **(env or {})},
        check=False,
    )
    if proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr or proc.stdout}")
    return proc.stdout
