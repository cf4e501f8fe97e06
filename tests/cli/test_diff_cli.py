"""`workbench diff` and the git diff driver, on real files and real repositories."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from gitutil import git

from workbench.cli import cli
from workbench.core.git.runner import git_env

NAME = "ai-internal-developer-contract.yml"
ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> tuple[int, str, str]:
    """Invoke the CLI; return (exit code, stdout, stderr)."""
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def edit(text: str) -> str:
    """Drop `balanced` from tier 2 and relax its p95: one breaking, one warning."""
    return text.replace('["balanced", "advanced"]', '["advanced"]').replace(
        "tier_2: 3500", "tier_2: 4000"
    )


@pytest.fixture
def files(tmp_path: Path, seed_text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Two plain files outside any repository."""
    old, new = tmp_path / "old.yml", tmp_path / "new.yml"
    old.write_text(seed_text)
    new.write_text(edit(seed_text))
    monkeypatch.chdir(tmp_path)
    return old, new


@pytest.fixture
def history(
    make_repo: Callable[..., Path], seed_text: str, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A repo with two commits (v1, v2) and a working-tree draft on top."""
    repo = make_repo()
    (repo / NAME).write_text(seed_text)
    git(repo, "add", NAME)
    git(repo, "commit", "-q", "-m", "v1")
    git(repo, "tag", "v1")
    (repo / NAME).write_text(edit(seed_text).replace("version: 1.0", "version: 2.0"))
    git(repo, "commit", "-q", "-am", "v2")
    (repo / NAME).write_text(
        edit(seed_text)
        .replace("version: 1.0", "version: 2.0")
        .replace("expiry_days: 30", "expiry_days: 60")
    )
    monkeypatch.chdir(repo)
    return repo


# ---------------------------------------------------------------- plain files


def test_two_plain_files_outside_git(files: tuple[Path, Path]) -> None:
    code, out, _ = run("diff", "old.yml", "new.yml")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Semantic diff: old.yml (version 1.0) → new.yml (version 1.0)"
    assert "capability" in lines and "reliability" in lines
    assert any("breaking" in line and "approved model 'balanced' removed" in line for line in lines)
    assert "1 breaking, 1 warning, 0 info; suggested bump: major (1.0 → 2.0)" in lines
    assert any("version-bump-missing" in line and line.startswith("new.yml:") for line in lines)


def test_text_is_coloured_by_level_on_a_terminal(files: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(cli, ["diff", "old.yml", "new.yml"], color=True)
    assert "\x1b[31m\x1b[1mbreaking\x1b[0m" in result.stdout
    assert "\x1b[33mwarning\x1b[0m" in result.stdout


def test_json_output(files: tuple[Path, Path]) -> None:
    code, out, _ = run("diff", "old.yml", "new.yml", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert (data["base"], data["target"], data["suggested_bump"]) == ("old.yml", "new.yml", "major")
    assert [c["rule"] for c in data["changes"]] == ["model-removed", "p95-latency-raised"]
    assert [f["rule"] for f in data["findings"]] == ["version-bump-missing"]
    version_line = 1 + next(
        i
        for i, line in enumerate(Path("new.yml").read_text().splitlines())
        if line.startswith("version:")
    )
    assert (data["findings"][0]["line"], data["findings"][0]["column"]) == (version_line, 10)
    assert (data["base_commit"], data["target_valid"]) == (None, True)


def test_markdown_output(files: tuple[Path, Path]) -> None:
    code, out, _ = run("diff", "old.yml", "new.yml", "--format", "md")
    assert code == 0
    assert "**1 breaking** · **1 warning** · 0 info — suggested bump: **major**" in out
    assert "### Capability" in out and "### Reliability" in out


@pytest.mark.parametrize(
    ("fail_on", "edit_fn", "code"),
    [
        ("breaking", edit, 1),
        ("warning", edit, 1),
        ("breaking", lambda t: t.replace("tier_2: 3500", "tier_2: 4000"), 0),
        ("warning", lambda t: t.replace("tier_2: 3500", "tier_2: 4000"), 1),
        ("warning", lambda t: t.replace("tier_2: 3500", "tier_2: 3000"), 0),
        ("info", lambda t: t.replace("tier_2: 3500", "tier_2: 3000"), 1),
        ("breaking", lambda t: t, 0),
        ("info", lambda t: t, 0),
    ],
)
def test_fail_on_sets_the_exit_code(
    tmp_path: Path,
    seed_text: str,
    monkeypatch: pytest.MonkeyPatch,
    fail_on: str,
    edit_fn: Callable[[str], str],
    code: int,
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.yml").write_text(seed_text)
    Path("b.yml").write_text(edit_fn(seed_text))
    assert run("diff", "a.yml", "b.yml", "--fail-on", fail_on)[0] == code
    assert run("diff", "a.yml", "b.yml")[0] == 0  # without --fail-on changes are not failures


def test_identical_files(tmp_path: Path, seed_text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.yml").write_text(seed_text)
    Path("b.yml").write_text(
        seed_text.replace("capability_tiers:\n", "capability_tiers:  # tiers\n\n")
    )
    code, out, _ = run("diff", "a.yml", "b.yml", "--fail-on", "info")
    assert code == 0
    assert "no semantic changes" in out


def test_invalid_side_gives_partial_diff_and_exit_1(files: tuple[Path, Path]) -> None:
    old, new = files
    new.write_text(new.read_text().replace("tier_3: 6000", "tier_3: slow"))
    code, out, err = run("diff", "old.yml", "new.yml", "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["target_valid"] is False
    assert "value-changed" in [c["rule"] for c in data["changes"]]
    assert "model-removed" in [c["rule"] for c in data["changes"]]
    errors = [f for f in data["findings"] if f["severity"] == "error"]
    assert errors and all(f["file"] == "new.yml" and f["line"] > 0 for f in errors)
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "raw",
    [b"a: &x [1]\nb: *x\n", b"version: [unclosed\n", b"- just\n- a list\n", b""],
)
def test_unreadable_side_is_a_clear_error(files: tuple[Path, Path], raw: bytes) -> None:
    files[1].write_bytes(raw)
    code, out, err = run("diff", "old.yml", "new.yml")
    assert code == 1
    assert out == ""
    assert "cannot compare: the target side (new.yml) is not a readable contract" in err
    assert "new.yml:" in err  # the located findings come first


def test_overrides_file_beside_plain_files(files: tuple[Path, Path]) -> None:
    Path(".workbench.toml").write_text('[diff.levels]\nmodel-removed = "warning"\n')
    code, out, _ = run("diff", "old.yml", "new.yml", "--fail-on", "breaking", "--format", "json")
    assert code == 0
    assert json.loads(out)["suggested_bump"] == "minor"
    Path(".workbench.toml").write_text('[diff.levels]\nmodel-remove = "warning"\n')
    code, _, err = run("diff", "old.yml", "new.yml")
    assert code == 2
    assert "unknown diff rule id 'model-remove'" in err and "did you mean 'model-removed'" in err


def test_config_option(files: tuple[Path, Path], tmp_path: Path) -> None:
    conf = tmp_path / "levels.toml"
    conf.write_text('[diff.levels]\np95-latency-raised = "breaking"\n')
    code, out, _ = run("diff", "old.yml", "new.yml", "--config", str(conf), "--format", "json")
    assert [c["level"] for c in json.loads(out)["changes"]] == ["breaking", "breaking"]
    assert run("diff", "old.yml", "new.yml", "--config", "missing.toml")[0] == 2


def test_outside_git_a_revision_is_a_usage_error(files: tuple[Path, Path]) -> None:
    code, _, err = run("diff", "HEAD", "new.yml")
    assert code == 2
    assert "not a git repository" in err


def test_file_before_revision_is_a_usage_error(files: tuple[Path, Path]) -> None:
    code, _, err = run("diff", "old.yml", "HEAD", "new.yml")
    assert code == 2 and "PATH comes last" in err
    assert run("diff", "a", "b", "c", "d")[0] == 2


# ---------------------------------------------------------------- revisions


def test_default_is_head_against_working_tree(history: Path) -> None:
    code, out, _ = run("diff", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["base"] == f"HEAD:{NAME}"
    assert data["target"] == f"{NAME} (working tree)"
    assert data["base_commit"] == git(history, "rev-parse", "HEAD").strip()
    assert data["target_commit"] is None
    assert [c["rule"] for c in data["changes"]] == ["exception-expiry-changed"]
    assert data["suggested_bump"] == "minor"


def test_two_revisions_and_a_path(history: Path) -> None:
    code, out, _ = run("diff", "v1", "HEAD", NAME, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [c["rule"] for c in data["changes"]] == [
        "model-removed",
        "p95-latency-raised",
        "version-changed",
    ]
    assert data["findings"] == []  # 1.0 -> 2.0 covers the breaking change
    assert data["base_version"] == "1.0" and data["target_version"] == "2.0"


def test_one_revision_against_working_tree(history: Path) -> None:
    code, out, _ = run("diff", "v1", "--format", "md")
    assert code == 0
    assert (
        "**1 breaking** · **2 warning** · **1 info** — suggested bump: **major** (1.0 → 2.0)" in out
    )


def test_path_only_is_head_against_working_tree(history: Path) -> None:
    code, out, _ = run("diff", NAME)
    assert code == 0
    assert out.splitlines()[0].startswith(f"Semantic diff: HEAD:{NAME} (version 2.0) → {NAME}")


def test_overrides_file_at_repo_root(history: Path) -> None:
    (history / ".workbench.toml").write_text(
        '[diff.levels]\nexception-expiry-changed = "breaking"\n'
    )
    sub = history / "sub"
    sub.mkdir()
    os.chdir(sub)
    code, out, _ = run("diff", "--format", "json", "--fail-on", "breaking")
    assert code == 1
    assert json.loads(out)["changes"][0]["level"] == "breaking"


@pytest.mark.parametrize(
    "args",
    [
        ["--output=x"],
        ["-n1"],
        ["--", "--output=x"],
        ["--", "-n1", "HEAD"],
        ["HEAD\nx"],
        ["HEAD\x00"],
        ["", "HEAD"],
        ["no-such-rev"],
        ["v1", "no-such-rev"],
        ["HEAD~99"],
    ],
)
def test_hostile_or_unknown_revisions_exit_2_and_write_nothing(
    history: Path, args: list[str]
) -> None:
    before = sorted(p.name for p in history.iterdir())
    status = git(history, "status", "--porcelain")
    code, out, err = run("diff", *args)
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert sorted(p.name for p in history.iterdir()) == before
    assert git(history, "status", "--porcelain") == status


def test_file_missing_in_revision(history: Path, seed_text: str) -> None:
    (history / "other.yml").write_text("capability_tiers: {}\n")
    git(history, "add", "other.yml")
    git(history, "commit", "-q", "-m", "other")
    code, _, err = run("diff", "v1", "other.yml")
    assert code == 2 and "other.yml does not exist in v1" in err


def test_several_contracts_need_a_path(history: Path, seed_text: str) -> None:
    (history / "other.yml").write_text(seed_text)
    git(history, "add", "other.yml")
    git(history, "commit", "-q", "-m", "other")
    code, _, err = run("diff")
    assert code == 2 and "pass one as PATH" in err


# ---------------------------------------------------------------- the git diff driver


def _driver() -> str:
    return f"{shlex.quote(sys.executable)} -m workbench textconv"


def _git_env() -> dict[str, str]:
    # the driver runs `python -m workbench` from the test's checkout
    return {**git_env(), "PYTHONPATH": str(ROOT), "GIT_PAGER": "cat", "NO_COLOR": "1"}


def _git(repo: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, env=_git_env(), check=False
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _hunk_lines(out: str) -> list[str]:
    return [
        line
        for line in out.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_textconv_driver_in_git_diff_and_log(history: Path) -> None:
    (history / ".gitattributes").write_text("*.yml diff=workbench\n")
    git(history, "config", "diff.workbench.textconv", _driver())
    diff = _git(history, "diff", "--", NAME)
    assert _hunk_lines(diff) == [
        "-exception expiry: 30 days",
        "+exception expiry: 60 days",
    ]
    log = _git(history, "log", "-p", "-1", "--format=%s", "--", NAME)
    assert "-tier tier_2: approved model: balanced" in log
    assert "-tier tier_2: p95 latency SLO: 3500 ms" in log
    assert "+tier tier_2: p95 latency SLO: 4000 ms" in log
    assert "-version: 1.0" in log and "+version: 2.0" in log


def test_textconv_driver_hides_reordering(history: Path) -> None:
    git(history, "checkout", "-q", "--", NAME)
    text = (history / NAME).read_text()
    (history / NAME).write_text(
        text.replace(
            "    - data_classification\n    - prompt_and_tool_audit_log\n",
            "    - prompt_and_tool_audit_log\n    - data_classification\n",
        )
    )
    assert _hunk_lines(_git(history, "diff", "--", NAME))  # a plain text diff sees it
    (history / ".gitattributes").write_text("*.yml diff=workbench\n")
    git(history, "config", "diff.workbench.textconv", _driver())
    assert _hunk_lines(_git(history, "diff", "--", NAME)) == []


def test_textconv_on_broken_yaml_still_shows_text(history: Path) -> None:
    (history / ".gitattributes").write_text("*.yml diff=workbench\n")
    git(history, "config", "diff.workbench.textconv", _driver())
    (history / NAME).write_text("version: [unclosed\n")
    diff = _git(history, "diff", "--", NAME)
    assert "+# workbench: not a readable contract (" in diff
    assert "+version: [unclosed" in diff


def test_external_diff_mode_prints_levels(history: Path) -> None:
    (history / ".gitattributes").write_text("*.yml diff=workbench\n")
    git(history, "config", "diff.workbench.command", _driver())
    out = _git(history, "diff", "--ext-diff", "HEAD~1", "HEAD", "--", NAME)
    assert f"workbench diff a/{NAME} b/{NAME}" in out
    assert "breaking" in out and "approved model 'balanced' removed" in out
    assert "suggested bump: major (1.0 → 2.0)" in out
    # a file created in the range compares against nothing
    (history / "new.yml").write_text((history / NAME).read_text())
    git(history, "add", "new.yml")
    out = _git(history, "diff", "--ext-diff", "--cached", "--", "new.yml")
    assert "tier tier_1 added" in out


def test_textconv_command_errors(tmp_path: Path) -> None:
    code, _, err = run("textconv", str(tmp_path / "missing.yml"))
    assert code == 2 and "cannot read" in err
    code, _, _ = run("textconv", "a", "b")
    assert code == 2


def test_non_finite_numbers_are_reported_not_crashed_on(files: tuple[Path, Path]) -> None:
    old, new = files
    new.write_text(
        new.read_text()
        .replace("availability_slo_percent: 99.5", "availability_slo_percent: .nan")
        .replace("tier_1: 0.15", "tier_1: .inf")
    )
    code, out, err = run("diff", "old.yml", "new.yml", "--format", "json")
    assert code == 1  # the target is invalid (non-finite numbers)
    changes = {c["path"]: c for c in json.loads(out)["changes"]}
    assert changes["reliability.availability_slo_percent"]["new"] == "nan"
    assert changes["economics.max_cost_per_run_usd.tier_1"]["rule"] == "value-changed"
    assert run("textconv", "new.yml")[0] == 0


def test_missing_yml_names_are_paths_not_revisions(history: Path) -> None:
    code, _, err = run("diff", "v1", "gone.yml")
    assert code == 2 and "gone.yml" in err and "revision" not in err
    code, _, err = run("diff", "missing.yml", NAME)
    assert code == 2 and "cannot read missing.yml" in err
    (history / NAME).unlink()
    code, _, err = run("diff", "v1", "HEAD", NAME)  # deleted on disk, still in history
    assert code == 0, err
