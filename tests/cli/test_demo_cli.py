"""`workbench demo DIR --no-open`, then `workbench log` there: the story of the contract."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli import cli

ROOT = Path(__file__).resolve().parents[2]


def test_demo_then_log_reads_as_a_story(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["demo", "demo-repo", "--no-open"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Demo repository ready: demo-repo" in result.output
    assert "cd demo-repo" in result.output and "workbench log" in result.output
    assert (tmp_path / "demo-repo" / "contracts" / "ai-platform.yml").is_file()

    monkeypatch.chdir(tmp_path / "demo-repo")
    log = runner.invoke(cli, ["log"], catch_exceptions=False)
    assert log.exit_code == 0, log.output
    text = log.output
    for expected in (
        "contracts/ai-platform.yml",
        "Adopt the internal developer contract",
        "Add tier_4 for autonomous agents",
        "Fix tier_4",
        "review/2025-Q3",
        "Maya Chen",
        "Tomás Okafor",
        "INVALID",
    ):
        assert expected in text, expected

    # The demo's own models.yml and workload.yml: no notices, no CW31x warnings.
    sim = runner.invoke(cli, ["simulate", "--runs", "5000"], catch_exceptions=False)
    assert sim.exit_code == 0, sim.output
    assert sim.stderr == ""
    assert "tier_4  at_risk" in sim.stdout and "breach" not in sim.stdout


def test_demo_refuses_a_busy_folder(tmp_path: Path) -> None:
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine\n")
    result = CliRunner().invoke(cli, ["demo", str(busy), "--no-open"])
    assert result.exit_code == 2
    assert "not an empty folder" in result.stderr
    assert sorted(p.name for p in busy.iterdir()) == ["notes.txt"]


def test_demo_in_a_temporary_folder_without_a_terminal_does_not_open(tmp_path: Path) -> None:
    # Without DIR the demo goes to a new temp folder; with no terminal the app
    # is not started even without --no-open, so this returns.
    proc = subprocess.run(
        [sys.executable, "-m", "workbench", "demo"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={
            "PYTHONPATH": str(ROOT),
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(tmp_path),
            "TMPDIR": str(tmp_path),
        },
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    first = proc.stdout.splitlines()[0]
    assert first.startswith("Demo repository ready: ")
    built = Path(first.removeprefix("Demo repository ready: "))
    assert (built / "contracts" / "ai-platform.yml").is_file()
    assert built.is_relative_to(tmp_path)
    # Even for a user without a git identity, commits in the demo work.
    ident = subprocess.run(
        ["git", "-C", str(built), "var", "GIT_COMMITTER_IDENT"],
        capture_output=True,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)},
        check=False,
    )
    assert ident.returncode == 0, ident.stderr
