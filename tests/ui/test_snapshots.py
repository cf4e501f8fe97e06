"""Snapshot tests of the main views at 120x36 and 80x24 (fixed dates, seeds and paths)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ui.conftest_app import CONTRACT, history_repo, settle  # noqa: F401 - fixture

from workbench.ui.app import WorkbenchApp

SIZES = [(120, 36), (80, 24)]


async def _settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot, 4)


DATA = Path(__file__).parent / "data"


def _app(repo: Path) -> WorkbenchApp:
    # frozen simulation inputs beside the contract (untracked, so the draft stays = HEAD):
    # snapshots do not move when the bundled samples are retuned
    for name in ("models.yml", "workload.yml"):
        (repo / name).write_bytes((DATA / name).read_bytes())
    # no file watching: nothing changes on disk during a snapshot
    return WorkbenchApp(repo, CONTRACT, watch_interval=3600)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize(
    "view", ["1", "2", "3", "4"], ids=["versions", "matrix", "diff", "simulate"]
)
def test_view_snapshot(snap_compare, history_repo: Path, size, view: str) -> None:  # noqa: F811
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _settle(pilot)
        await pilot.press(view)
        await _settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(_app(history_repo), terminal_size=size, run_before=run_before)


def test_edit_dialog_snapshot(snap_compare, history_repo: Path) -> None:  # noqa: F811
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _settle(pilot)
        table = pilot.app.query_one("#matrix-table")
        table.focus()
        table.move_cursor(row=table.get_row_index("approved_models"), column=2)
        await pilot.press("enter")
        await _settle(pilot)

    assert snap_compare(_app(history_repo), terminal_size=(80, 24), run_before=run_before)
