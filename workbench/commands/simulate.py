"""`workbench simulate [PATH] [--against REV] [--models F] [--workload F] [--runs N] [--seed S]`.

Simulates SLO attainment and cost of the contract under normal and peak load,
baseline vs proposal: by default the baseline is HEAD and the proposal the
working tree; `--against REV` picks another baseline. Outside git the file is
simulated against itself. `models.yml` and `workload.yml` come from beside the
contract (in the working tree), else the bundled samples (with a notice).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from workbench.commands.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    FORMAT_TEXT_JSON,
    echo_json,
    fail,
)

_STYLES: dict[str, dict[str, Any]] = {
    "ok": {"fg": "green", "bold": True},
    "at_risk": {"fg": "yellow", "bold": True},
    "breach": {"fg": "red", "bold": True},
    "worse": {"fg": "red"},
    "better": {"fg": "green"},
    "heading": {"bold": True},
    "dim": {"dim": True},
}


@dataclass
class Side:
    """One side of the comparison: a label and the contract's bytes."""

    label: str
    raw: bytes


def _is_file(path: str) -> bool:
    try:
        return Path(path).is_file()
    except (OSError, ValueError):
        return False


def _sides(path: str | None, against: str | None) -> tuple[Side, Side, Path, list[str]]:
    """(baseline, proposal, contract path in the working tree, notices); exit 2 on problems."""
    from workbench.core.git.discover import NotARepoError, choose_contract, locate
    from workbench.core.git.runner import GitError, check_revision_text, repo_root

    notices: list[str] = []
    if against is not None:
        try:
            # refuse option-like or control-character text before anything else
            check_revision_text(against)
        except GitError as exc:
            fail(str(exc), EXIT_USAGE)
    if path is not None and _is_file(path) and repo_root(Path(path).resolve()) is None:
        if against is not None:
            fail(f"--against needs a git repository; {path} is not in one", EXIT_USAGE)
        raw = _read(Path(path))
        notices.append("not in a git repository: simulating the file against itself")
        return Side(path, raw), Side(path, raw), Path(path), notices
    try:
        state, relpath = locate(path, Path.cwd())
        relpath = choose_contract(state, relpath)
    except NotARepoError:
        fail("not in a git repository: give the contract file to simulate", EXIT_USAGE)
    except GitError as exc:
        fail(str(exc), EXIT_USAGE)
    if state.is_bare:
        fail("a bare repository has no working tree to simulate", EXIT_USAGE)
    contract = state.root / relpath
    proposal = Side(f"{relpath} (working tree)", _read(contract))
    if against is None and state.unborn:
        notices.append(
            "the repository has no commits yet: simulating the working tree against itself"
        )
        return proposal, proposal, contract, notices
    return _at(state, relpath, against or "HEAD"), proposal, contract, notices


def _at(state: Any, relpath: str, rev: str) -> Side:
    from workbench.core.git.history import History
    from workbench.core.git.revisions import read_file_at
    from workbench.core.git.runner import GitError, resolve_revision

    try:
        if state.unborn:
            raise GitError(
                "the repository has no commits yet; there is no baseline to compare with"
            )
        commit = resolve_revision(state.root, rev)
        stored = History(state.root, state=state).path_at(commit, relpath)
        raw = read_file_at(state.root, commit, stored) if stored is not None else None
    except GitError as exc:
        fail(str(exc), EXIT_USAGE)
    if raw is None:
        fail(f"{relpath} does not exist in {rev} ({commit[:12]})", EXIT_USAGE)
    return Side(f"{rev} ({commit[:12]})", raw)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror or exc}", EXIT_USAGE)


def _contract_data(side: Side, role: str, catalog: set[str] | None) -> dict[str, Any]:
    """Validated plain data of one side; its errors are printed and end the command (exit 1)."""
    from workbench.core.safe_text import terminal_safe
    from workbench.core.validate import validate_text

    validation = validate_text(side.raw, catalog=catalog, filename=side.label)
    if not validation.valid or validation.data is None:
        for finding in validation.findings:
            if finding.severity == "error":
                click.echo(terminal_safe(finding.format(side.label)), err=True)
        fail(f"cannot simulate: the {role} ({side.label}) is not a valid contract", EXIT_INVALID)
    return validation.data


def _strict_json(value: Any) -> Any:
    """The report with any non-finite number as null: the JSON stays strict, never a crash."""
    if isinstance(value, dict):
        return {k: _strict_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_strict_json(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _echo_line(line: list[tuple[str, str | None]], color: bool | None) -> None:
    text = "".join(click.style(t, **_STYLES[tag]) if tag else t for t, tag in line)
    click.echo(text, color=color)


@click.command("simulate")
@click.argument("path", required=False)
@click.option("--against", "against", metavar="REV", help="Baseline revision (default HEAD).")
@click.option(
    "--models", "models", type=click.Path(dir_okay=False), help="Model catalog (models.yml)."
)
@click.option(
    "--workload", "workload", type=click.Path(dir_okay=False), help="Workload (workload.yml)."
)
@click.option(
    "--runs",
    type=click.IntRange(1, 50_000_000),
    default=200_000,
    show_default=True,
    help="Simulated runs per tier and scenario.",
)
@click.option(
    "--seed", type=click.IntRange(0, 2**63 - 1), default=0, show_default=True, help="Random seed."
)
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, default="text", show_default=True)
def command(
    path: str | None,
    against: str | None,
    models: str | None,
    workload: str | None,
    runs: int,
    seed: int,
    fmt: str,
) -> None:
    """Simulate SLO attainment and cost, baseline (HEAD) vs proposal (working tree).

    Per tier, under normal and peak load: latency p50/p95/p99 against the SLO,
    availability, cost per run against the cap, monthly spend, human reviews,
    model utilisation, and whether the monthly reserve covers a peak month.
    """
    from workbench.core.safe_text import terminal_safe
    from workbench.core.simulation import SimulationError, compare, load_inputs

    for given, flag in ((models, "--models"), (workload, "--workload")):
        if given is not None and not _is_file(given):
            fail(f"{flag}: no such file: {given}", EXIT_USAGE)
    baseline, proposal, contract_path, notices = _sides(path, against)
    inputs = load_inputs(models, workload, contract_path)
    notices = notices + inputs.notices
    for finding in inputs.findings:
        click.echo(terminal_safe(finding.format()), err=True)
    if not inputs.ok:
        fail("cannot simulate: fix the simulation inputs above", EXIT_INVALID)
    catalog = set(inputs.catalog.models) if inputs.catalog is not None else None
    base_data = _contract_data(baseline, "baseline", catalog)
    prop_data = _contract_data(proposal, "proposal", catalog)
    try:
        result = compare(base_data, prop_data, inputs, runs=runs, seed=seed)
    except SimulationError as exc:
        for finding in exc.findings:
            if finding.severity == "error":
                click.echo(terminal_safe(finding.format()), err=True)
        fail(f"cannot simulate: {exc.message}", EXIT_INVALID)
    shown: set[tuple[str, str, str]] = set()
    for finding in result["baseline"]["findings"] + result["proposal"]["findings"]:
        key = (finding["rule"], finding["path"], finding["message"])
        if key not in shown:  # the same warning from both sides, once
            shown.add(key)
            where = f"{finding['file']}:{finding['line']}:{finding['column']}"
            click.echo(
                terminal_safe(
                    f"{where}: {finding['severity']} {finding['rule']} {finding['message']}"
                ),
                err=True,
            )
    for notice in notices:
        click.echo(f"workbench: note: {notice}", err=True)
    if fmt == "json":
        result["baseline"]["label"] = baseline.label
        result["proposal"]["label"] = proposal.label
        result["notices"] = notices
        echo_json(_strict_json(result))
        raise SystemExit(EXIT_OK)
    from workbench.core.simulation.render import text_lines

    for line in text_lines(result, baseline_label=baseline.label, proposal_label=proposal.label):
        _echo_line(line, None)
