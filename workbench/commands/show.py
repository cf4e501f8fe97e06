"""`workbench show [REV] [PATH] [--format text|json|yaml]`: one version as a tier matrix."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from workbench.commands.common import EXIT_USAGE, echo_json, fail
from workbench.commands.log import open_contract
from workbench.core.git.runner import GitError, repo_root, resolve_revision
from workbench.core.safe_text import terminal_safe


def _split_args(args: tuple[str, ...]) -> tuple[str, str | None]:
    """(REV, PATH) from zero, one or two arguments.

    A single argument is a PATH when it names a file on disk or ends in
    .yml/.yaml, a revision otherwise, and refused when it is both a file and
    a revision; git's `REV:PATH` is understood too.
    """
    if len(args) > 2:
        fail("expected at most two arguments: [REV] [PATH]", EXIT_USAGE)
    if not args:
        return "HEAD", None
    if len(args) == 2:
        return args[0], args[1]
    only = args[0]
    rev, colon, rest = only.partition(":")
    if colon and rev and rest and not rev.startswith("-") and not Path(only).exists():
        # git's REV:PATH spelling; like git, PATH is from the top of the
        # repository unless it starts with ./ or ../
        root = None if rest.startswith(("./", "../")) else repo_root(Path.cwd())
        return rev, str(root / rest) if root is not None else rest
    if only.lower().endswith((".yml", ".yaml")):
        return "HEAD", only
    try:
        is_file = Path(only).is_file()
    except OSError:  # e.g. a name too long for the file system: not a file
        is_file = False
    if not is_file:
        return only, None
    # A stray file named `main` or `HEAD~1` must not hide the revision: like
    # git, refuse to guess when the word is both.
    try:
        resolve_revision(Path.cwd(), only)
    except GitError:
        return "HEAD", only
    fail(
        f"{only!r} is both a revision and a file; say which: "
        f"`workbench show {only} CONTRACT` or `workbench show HEAD {only}`",
        EXIT_USAGE,
    )


@click.command("show")
@click.argument("args", nargs=-1, metavar="[REV] [PATH]")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "yaml"]),
    default="text",
    show_default=True,
)
def command(args: tuple[str, ...], fmt: str) -> None:
    """Show one version of a contract (default: HEAD) as a tier matrix.

    REV is any commit-ish (a hash, a tag, HEAD~3). PATH may be left out when
    the repository holds one contract; a renamed file is found under its old
    name. `--format yaml` prints the stored file byte for byte.
    """
    rev, path = _split_args(args)
    history, relpath = open_contract(path)
    try:
        try:
            commit = resolve_revision(history.repo, rev)
        except GitError:
            # an orphan branch has no HEAD, but other branches may have commits
            if history.state.unborn and rev == "HEAD":
                raise GitError(
                    "the current branch has no commits yet; there is no version to show "
                    "(name a revision of another branch)"
                ) from None
            raise
        stored_path = history.path_at(commit, relpath)
        if stored_path is None:
            raise GitError(f"{relpath} does not exist in {rev} ({commit[:12]})")
        raw = history.read(commit, stored_path)
        if raw is None:  # pragma: no cover - path_at just read it
            raise GitError(f"{stored_path} does not exist in {rev}")
        info = history.commit_info(commit)
    except GitError as exc:
        fail(str(exc), EXIT_USAGE)
    if fmt == "yaml":
        click.echo(raw, nl=False)  # bytes: written unchanged
        return

    from workbench.core.matrix import render_text, tier_matrix
    from workbench.core.validate import validate_text

    validation = validate_text(raw, fast=True, filename=stored_path)
    matrix = tier_matrix(validation.data, validation.raw)
    if fmt == "json":
        echo_json(
            {
                "file": relpath,
                "path": stored_path,
                "commit": commit,
                "date": info.date,
                "author": info.author,
                "subject": info.subject,
                "tags": info.tags,
                "contract_version": validation.version_text,
                "valid": validation.valid,
                "findings": [f.to_json() for f in validation.findings],
                "matrix": matrix.to_json(),
                "contract": validation.data,
            }
        )
        return
    verdict = (
        click.style("valid", fg="green")
        if validation.valid
        else click.style("INVALID", fg="red", bold=True)
    )
    click.echo(
        click.style(terminal_safe(stored_path), bold=True)
        + f" at {click.style(commit[:12], fg='yellow')}"
        + (
            click.style(" [" + terminal_safe(", ".join(info.tags)) + "]", fg="cyan")
            if info.tags
            else ""
        )
        + f" — version {terminal_safe(validation.version_text or '-')}, {verdict}"
    )
    click.echo(f"{info.date}  {terminal_safe(info.author)}  {terminal_safe(info.subject)}")
    if history.state.is_shallow:
        click.echo(click.style("history truncated: this is a shallow clone", fg="yellow"))
    click.echo("")
    width = shutil.get_terminal_size((100, 24)).columns
    table = render_text(matrix, width=max(60, width))
    click.echo("\n".join(terminal_safe(line) for line in table.split("\n")), nl=False)
    if validation.findings:
        click.echo("")
        for finding in validation.findings:
            click.echo(finding.format(stored_path))
