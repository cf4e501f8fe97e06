"""Regenerate docs/screenshot.svg: the demo's matrix after a simulation, at 120×36.

Run from the repository root: `python docs/make_screenshot.py`.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from workbench.core.demo import DEMO_CONTRACT, build_demo_repo
from workbench.ui.app import WorkbenchApp

OUT = Path(__file__).resolve().parent / "screenshot.svg"


async def _shoot(repo: Path) -> None:
    app = WorkbenchApp(repo, DEMO_CONTRACT)
    async with app.run_test(size=(120, 36)) as pilot:
        await _idle(pilot)
        await pilot.press("4")  # simulate (runs on first visit)
        await _idle(pilot)
        await pilot.press("2")  # the matrix, now with simulated rows
        await _idle(pilot)
        app.save_screenshot(filename=OUT.name, path=str(OUT.parent))


async def _idle(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        while any(w.is_running or w.state.name == "PENDING" for w in pilot.app.workers):
            await pilot.pause(0.05)
        await pilot.pause(0.2)


def main() -> None:
    """Build the demo in a temporary folder and save the screenshot."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = build_demo_repo(Path(tmp) / "demo")
        asyncio.run(_shoot(repo))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
