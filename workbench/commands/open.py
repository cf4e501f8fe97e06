"""`workbench open [PATH]`: the app (bare `workbench` runs this too).

In a repository it opens PATH, or the contract found there (a picker when
there are several). Outside any repository, or in one with no contract, it
builds the bundled demo repository in a temporary folder and opens that.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from workbench.commands.common import EXIT_USAGE, fail


def _demo() -> tuple[Path, str | None, str]:
    """Build the bundled demo repository in a new temporary folder."""
    from workbench.core.demo import DEMO_CONTRACT, build_demo_repo

    dest = Path(tempfile.mkdtemp(prefix="workbench-demo-")) / "demo"
    try:
        root = build_demo_repo(dest)
    except Exception as exc:  # noqa: BLE001 - a readable message, never a traceback
        fail(f"cannot build the demo repository: {exc}", EXIT_USAGE)
    return root, DEMO_CONTRACT, f"No contract here: opened the demo repository in {root}"


def resolve_target(path_arg: str | None, cwd: Path) -> tuple[Path, str | None, str | None]:
    """(repo root, contract relpath or None to pick, notice) for `workbench open`.

    Raises click exceptions for a PATH that is not usable.
    """
    from workbench.core.git.discover import NotARepoError, discover_contracts, locate
    from workbench.core.git.runner import GitError

    try:
        state, relpath = locate(path_arg, cwd)
    except NotARepoError:
        if path_arg is not None:
            fail(f"{path_arg} is not inside a git repository", EXIT_USAGE)
        return _demo()
    except GitError as exc:
        fail(str(exc), EXIT_USAGE)
    if state.is_bare:
        fail("bare repositories have no working file to edit; use `workbench log` or clone it")
    if relpath is not None:
        if not (state.root / relpath).is_file():
            fail(f"{path_arg}: no such file in the working tree", EXIT_USAGE)
        return state.root, relpath, None
    found = discover_contracts(state.root)
    if not found:
        root, rel, notice = _demo()
        return root, rel, f"No contract in {state.root}. " + notice
    return state.root, (found[0] if len(found) == 1 else None), None


@click.command(name="open")
@click.argument("path", required=False)
def command(path: str | None) -> None:
    """Open the app on PATH (default: the contract in this repository, or the demo)."""
    repo, relpath, notice = resolve_target(path, Path.cwd())
    from workbench.ui.app import run_app

    run_app(repo, relpath, notice=notice)
