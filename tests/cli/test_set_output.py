"""What `workbench set` prints: which lines changed, and nothing a terminal would run."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from workbench.cli import cli


def test_an_insert_reports_lines_added(tmp_path: Path, seed_text: str) -> None:
    path = tmp_path / "c.yml"
    path.write_text(seed_text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["set", str(path), "x-review.note=checked"])
    assert result.exit_code == 0, result.output
    assert "updated (2 lines added)" in result.output or "updated (1 line added)" in result.output


def test_a_one_line_edit_names_its_line(tmp_path: Path, seed_text: str) -> None:
    path = tmp_path / "c.yml"
    path.write_text(seed_text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["set", str(path), "reliability.p95_latency_ms.tier_2=4000"])
    assert result.exit_code == 0, result.output
    assert "updated (line 23)" in result.output


def test_findings_never_carry_escape_sequences(tmp_path: Path, seed_text: str) -> None:
    path = tmp_path / "c.yml"
    path.write_text(seed_text.replace("owner: ai-platform", 'ownr: "a"'), encoding="utf-8")
    result = CliRunner().invoke(cli, ["set", str(path), 'support.incident_owner="\\e[2Jops"'])
    assert "\x1b" not in result.output + result.stderr
