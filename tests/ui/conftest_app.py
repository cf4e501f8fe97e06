"""Fixtures for the app tests: a real repo with a short, fixed-date contract history."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from gitutil import git
from textual.widgets import DataTable, Input

from workbench.ui.modals.dialogs import ValueDialog

if TYPE_CHECKING:
    from workbench.ui.app import WorkbenchApp

CONTRACT = "contract.yml"


def commit_all(repo: Path, message: str, when: str) -> None:
    """Commit everything with fixed author/committer dates (deterministic screens)."""
    env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, env=env)


@pytest.fixture
def history_repo(make_repo: Callable[..., Path], seed_text: str) -> Path:
    """Three versions: the seed; tier_2 p95 relaxed; exception expiry lengthened."""
    repo = make_repo()
    path = repo / CONTRACT
    path.write_text(seed_text, encoding="utf-8")
    commit_all(repo, "Add the AI platform contract", "2026-01-05T10:00:00+00:00")
    path.write_text(path.read_text().replace("tier_2: 3500", "tier_2: 4000"), encoding="utf-8")
    commit_all(repo, "Relax tier_2 p95 for the new retrieval step", "2026-04-02T10:00:00+00:00")
    path.write_text(
        path.read_text()
        .replace("expiry_days: 30", "expiry_days: 45")
        .replace("version: 1.0", "version: 1.1"),
        encoding="utf-8",
    )
    commit_all(repo, "Longer exception window", "2026-07-01T10:00:00+00:00")
    return repo


async def settle(pilot, rounds: int = 3) -> None:  # type: ignore[no-untyped-def]
    """Wait until no worker runs (exclusive workers may be cancelled: that is fine)."""
    app = pilot.app
    for _ in range(rounds):
        for _ in range(2000):
            if not any(w.is_running or w.state.name == "PENDING" for w in app.workers):
                break
            await pilot.pause(0.02)
        await pilot.pause()


async def edit_p95(app: WorkbenchApp, pilot, tier_col: int, value: str) -> None:  # type: ignore[no-untyped-def]
    """Set a tier's p95 SLO through the matrix's typed edit dialog."""
    await pilot.press("2")
    table = app.query_one("#matrix-table", DataTable)
    table.focus()
    table.move_cursor(row=table.get_row_index("p95"), column=tier_col)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, ValueDialog)
    app.screen.query_one("#value-input", Input).value = value
    await pilot.press("enter")
    await settle(pilot)
