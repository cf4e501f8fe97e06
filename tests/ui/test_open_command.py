"""`workbench open`: which repository and contract the app opens on."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from ui.conftest_app import CONTRACT, history_repo  # noqa: F401 - fixture

from workbench.cli import cli
from workbench.commands.open import resolve_target


def test_in_a_repo_with_one_contract(history_repo: Path) -> None:  # noqa: F811
    root, relpath, notice = resolve_target(None, history_repo)
    assert root.resolve() == history_repo.resolve()
    assert relpath == CONTRACT and notice is None


def test_explicit_path(history_repo: Path) -> None:  # noqa: F811
    root, relpath, _ = resolve_target(str(history_repo / CONTRACT), Path("/"))
    assert relpath == CONTRACT


def test_outside_a_repo_builds_the_demo(tmp_path: Path) -> None:
    from workbench.core.demo import DEMO_CONTRACT

    root, relpath, notice = resolve_target(None, tmp_path)
    assert relpath == DEMO_CONTRACT
    assert (root / DEMO_CONTRACT).is_file()
    assert notice and "demo" in notice


def test_missing_file_is_a_usage_error(history_repo: Path) -> None:  # noqa: F811
    result = CliRunner().invoke(cli, ["open", str(history_repo / "nope.yml")])
    assert result.exit_code == 2
    assert "no such file" in result.output
    assert "Traceback" not in result.output
