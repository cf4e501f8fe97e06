"""The README stays true: its keyboard table and the command CI runs."""

from __future__ import annotations

import re
from pathlib import Path

from workbench.ui.keys import keys_markdown

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "Quick start has a sh code block"
    return [line for line in block.group(1).splitlines() if line and not line.startswith("#")]


def test_readme_lists_every_key_of_the_app() -> None:
    rows = [
        line for line in keys_markdown().splitlines() if line.startswith("| ") and "---" not in line
    ]
    missing = [row for row in rows if row not in README]
    assert not missing, f"README keyboard reference is out of date: {missing[:3]}"


def test_quick_start_has_two_commands_and_ci_runs_the_test_one() -> None:
    commands = _quick_start_commands()
    assert len(commands) == 2
    assert "workbench" in commands[0]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci, "the README's test command must be what .ci/run runs"
