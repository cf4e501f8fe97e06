"""`workbench log [PATH] [--format text|json]`: the versions of a contract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from workbench.commands.common import EXIT_USAGE, FORMAT_TEXT_JSON, fail
from workbench.core.git.discover import choose_contract, locate
from workbench.core.git.history import History, Version
from workbench.core.git.runner import GitError
from workbench.core.safe_text import terminal_safe


def open_contract(path_arg: str | None) -> tuple[History, str]:
    """The history of the contract named by `path_arg` (or the repo's only one), for a command.

    Exits 2 with a message for: not a repo, several contracts, bad path.
    """
    try:
        state, relpath = locate(path_arg, Path.cwd())
        history = History(state.root, state=state)
        return history, choose_contract(state, relpath)
    except GitError as exc:
        fail(str(exc), EXIT_USAGE)


def _echo_log_json(doc: dict[str, Any]) -> None:
    """Indented JSON with one version per line.

    `json.dumps(indent=2)` runs the pure-Python encoder, which costs more than
    all the rest of a warm `log` on a long history; one compact C-encoded
    object per version keeps the output readable and diff-friendly.
    """
    parts = []
    for key, value in doc.items():
        if key == "versions" and value:
            rows = ",\n".join(
                "    " + json.dumps(v, ensure_ascii=False, allow_nan=False) for v in value
            )
            parts.append(f'  "versions": [\n{rows}\n  ]')
        else:
            text = json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False).replace(
                "\n", "\n  "
            )
            parts.append(f"  {json.dumps(key)}: {text}")
    click.echo("{\n" + ",\n".join(parts) + "\n}")


_STATE_WIDTH = len("INVALID (99 errors)")


def _line(v: Version, author_width: int) -> str:
    sha = (
        click.style("draft".ljust(12), fg="magenta")
        if v.draft
        else click.style(v.commit[:12], fg="yellow")
    )
    day = v.date[:10]
    author = terminal_safe(v.author or "(you)")[:author_width].ljust(author_width)
    version = terminal_safe(v.contract_version or "-")[:10].ljust(10)
    # pad the plain text, then colour it, so the columns stay aligned
    if v.deleted:
        state = click.style("deleted".ljust(_STATE_WIDTH), fg="red")
    elif v.valid:
        state = click.style("valid".ljust(_STATE_WIDTH), fg="green")
    else:
        errors = sum(1 for f in v.findings_json if f["severity"] == "error")
        label = f"INVALID ({errors} error{'s' * (errors != 1)})"
        state = click.style(label.ljust(_STATE_WIDTH), fg="red", bold=True)
    tags = click.style(" [" + terminal_safe(", ".join(v.tags)) + "]", fg="cyan") if v.tags else ""
    subject = terminal_safe(v.subject)
    if v.status == "R":
        subject += f"  (renamed to {terminal_safe(v.path)})"
    return f"{sha}  {day}  {author}  {version} {state} {subject}{tags}"


@click.command("log")
@click.argument("path", required=False)
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, default="text", show_default=True)
def command(path: str | None, fmt: str) -> None:
    """List the versions of a contract, newest first (renames followed).

    PATH may be left out when the repository holds one contract. Each version
    shows its commit, date, author, the contract's `version` field and whether
    it validates. Uncommitted changes show as a "draft" line on top.
    """
    history, relpath = open_contract(path)
    try:
        versions = history.list_versions(relpath)
        draft = history.draft_version(relpath)
    except GitError as exc:
        fail(str(exc), EXIT_USAGE)
    state = history.state
    if not versions and draft is None and not (state.root / relpath).exists():
        if state.unborn:
            fail(f"{relpath}: no such file, and the repository has no commits yet", EXIT_USAGE)
        fail(f"no such file in the working tree or its history: {relpath}", EXIT_USAGE)
    if fmt == "json":
        _echo_log_json(
            {
                "file": relpath,
                "versions": [v.to_json() for v in versions],
                "draft": draft.to_json() if draft is not None else None,
                "history_truncated": state.is_shallow,
                "bare": state.is_bare,
            }
        )
        return
    count = f"{len(versions)} version{'s' * (len(versions) != 1)}"
    click.echo(click.style(terminal_safe(relpath), bold=True) + f" — {count}")
    if state.is_shallow:
        click.echo(
            click.style(
                "history truncated: this is a shallow clone; older versions are not here",
                fg="yellow",
            )
        )
    if state.unborn:
        click.echo("no commits yet on the current branch")
    authors = [v.author for v in versions] + ([draft.author] if draft else [])
    width = min(18, max([len(a) for a in authors] + [5]))
    if draft is not None:
        click.echo(_line(draft, width))
    for v in versions:
        click.echo(_line(v, width))
