"""`workbench set PATH KEY=VALUE... [--dry-run] [--commit] [-m MSG] [--bump B] [--branch NAME]`.

A validated, byte-exact edit; optionally a version bump and a commit of only
this file (see `workbench.core.git.writeback`).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import click

from workbench.commands.common import EXIT_INVALID, EXIT_STATE, fail
from workbench.core.atomic import StaleFileError, atomic_write
from workbench.core.contract_file import catalog_beside, read_contract
from workbench.core.edit import (
    EditError,
    EditResult,
    SetValue,
    apply_edits,
    parse_value,
    split_path,
)
from workbench.core.git.runner import GitError, repo_root
from workbench.core.safe_text import terminal_safe
from workbench.core.validate import Validation, validate_text


def parse_assignments(assignments: tuple[str, ...]) -> list[SetValue]:
    """Turn `KEY=VALUE` words into edits; a malformed word is a usage error."""
    edits = []
    for word in assignments:
        key, sep, value = word.partition("=")
        if not sep:
            fail(f"expected KEY=VALUE, got {word!r}")
        try:
            parsed, literal = parse_value(value)
            edits.append(SetValue(split_path(key.strip()), parsed, literal))
        except EditError as exc:
            fail(str(exc))
    return edits


def plan_edit(path: Path, assignments: tuple[str, ...]) -> tuple[EditResult, Validation, str]:
    """Read, edit and validate; exit with a message when the edit is refused.

    Returns the edit, the validation of the new text and the hash of the bytes read.
    """
    try:
        original = read_contract(path)
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror or exc}")
    if original.text is None:
        fail(f"{path} is not UTF-8 text; run `workbench validate {path}`", EXIT_INVALID)
    edits = parse_assignments(assignments)
    try:
        result = apply_edits(original.text, edits)
    except EditError as exc:
        fail(f"{path}: {exc}", EXIT_INVALID)
    validation = validate_text(result.new_text, catalog=catalog_beside(path), filename=str(path))
    return result, validation, original.sha256


@click.command("set")
@click.argument("path", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.argument("assignments", nargs=-1, required=True)
@click.option("--dry-run", is_flag=True, help="Show the change as a text diff; write nothing.")
@click.option(
    "--commit",
    "do_commit",
    is_flag=True,
    help="Commit only this file afterwards (hooks and signing apply; other staged work stays staged).",
)
@click.option("-m", "--message", help="Commit message (default: generated from the semantic diff).")
@click.option(
    "--bump",
    type=click.Choice(["auto", "major", "minor", "none"]),
    default=None,
    help="Bump `version`: auto follows the semantic diff's suggestion.",
)
@click.option(
    "--branch", help="With --commit: create this branch at HEAD, switch to it, commit there."
)
def command(
    path: Path,
    assignments: tuple[str, ...],
    dry_run: bool,
    do_commit: bool,
    message: str | None,
    bump: str | None,
    branch: str | None,
) -> None:
    """Set values in a contract without disturbing anything else.

    KEY is a dotted path (reliability.p95_latency_ms.tier_2), VALUE a YAML
    scalar or flow list ([balanced, advanced]). The result is validated before
    anything is written; the write is atomic and keeps comments and layout.

    With --commit, only this file is committed (`git commit --only`), after
    refusing (exit 3, nothing changed) when the repository is mid-merge,
    -rebase, -cherry-pick, -revert or -bisect, on a detached HEAD, when
    .git/index.lock exists, or when the file is a link, changed since it was
    read, or has changes this tool did not make. If a hook rejects the commit,
    the edit stays on disk and the exit code is 1. --branch leaves you on the
    new branch.
    """
    if not do_commit and (message is not None or branch is not None):
        fail("-m and --branch only make sense with --commit")
    if do_commit or bump not in (None, "none"):
        _set_and_commit(path, assignments, dry_run, do_commit, message, bump or "none", branch)
        return
    result, validation, sha = plan_edit(path, assignments)
    for finding in validation.findings:
        click.echo(terminal_safe(finding.format(str(path))), err=True)
    if not validation.valid:
        fail(f"refused: the edit would make {path} invalid; nothing was written", EXIT_INVALID)
    if not result.changed:
        click.echo(f"{path}: no change (the values are already set)")
        return
    if dry_run:
        click.echo(result.unified_diff(str(path)), nl=False)
        return
    _refuse_read_only(path)
    try:
        atomic_write(path, read_contract(path).encode(result.new_text), expected_sha256=sha)
    except StaleFileError as exc:
        fail(f"refused: {exc}", EXIT_STATE)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}", EXIT_STATE)
    click.echo(f"{path}: updated ({_changed_lines(result)})")


def _refuse_read_only(path: Path) -> None:
    """Exit 3 when the file has no write permission: replacing it would bypass that."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}", EXIT_STATE)
    if not mode & stat.S_IWUSR:
        fail(
            f"refused: {path} is read-only; make it writable (`chmod u+w {path}`) to edit it",
            EXIT_STATE,
        )


def _repo_relpath(path: Path) -> tuple[Path, str]:
    """The repository root and the file's path inside it (exit 2 outside a repo).

    Only the folder is resolved: resolving the file itself would follow a
    symlink and hide it from the write-back's checks.
    """
    folder = Path(os.path.realpath(path.parent))
    root = repo_root(folder)
    if root is None:
        from workbench.core.git.discover import NotARepoError, repo_state

        try:
            repo_state(folder)  # only to say why (e.g. a repository owned by someone else)
        except NotARepoError as exc:
            if "not a git repository" not in str(exc):
                fail(str(exc))
        fail(f"{path} is not inside a git repository; --commit needs one")
    try:
        rel = (folder / path.name).relative_to(Path(os.path.realpath(root)))
    except ValueError:
        fail(f"{path} is outside the repository at {root}", EXIT_STATE)
    return root, rel.as_posix()


def _set_and_commit(
    path: Path,
    assignments: tuple[str, ...],
    dry_run: bool,
    do_commit: bool,
    message: str | None,
    bump: str,
    branch: str | None,
) -> None:
    """`set` with a version bump and/or a validated commit of only this file."""
    from workbench.core.diff import DiffConfigError, load_overrides
    from workbench.core.git.commit_plan import PlanError, plan_commit
    from workbench.core.git.writeback import (
        HeadMovedError,
        HookRejectedError,
        NothingToCommitError,
        RefusedError,
        check_writable,
        commit_contract_edit,
    )

    original = read_contract(path)
    result, _validation, sha = plan_edit(path, assignments)
    if original.sha256 != sha:
        fail(f"refused: {path} changed on disk while it was read; try again", EXIT_STATE)
    assert original.text is not None  # plan_edit exits on non-UTF-8 text
    root: Path | None = None
    rel = path.name
    overrides: dict[str, str] = {}
    if do_commit:
        root, rel = _repo_relpath(path)
        try:
            overrides = load_overrides(root / ".workbench.toml")
        except DiffConfigError as exc:
            fail(str(exc))
    try:
        plan = plan_commit(
            original.text,
            result.new_text,
            bump=bump,
            message=message,
            catalog=catalog_beside(path),
            overrides=overrides,
            filename=str(path),
        )
    except PlanError as exc:
        fail(f"refused: {exc}", EXIT_INVALID)
    for finding in plan.validation.findings:
        click.echo(terminal_safe(finding.format(str(path))), err=True)
    if not plan.validation.valid:
        fail(f"refused: the edit would make {path} invalid; nothing was written", EXIT_INVALID)
    if plan.new_text == original.text:
        click.echo(f"{path}: no change (the values are already set); nothing committed")
        return
    final = EditResult(original.text, plan.new_text)
    if dry_run:
        click.echo(final.unified_diff(str(path)), nl=False)
        if do_commit and root is not None:
            try:
                check_writable(root, rel, expected_sha256=sha, branch=branch)
            except RefusedError as exc:
                fail(f"refused: {exc}", EXIT_STATE)
            click.echo("--- commit message ---")
            click.echo(plan.message, nl=False)
        return
    new_bytes = original.encode(plan.new_text)
    if not do_commit:
        _refuse_read_only(path)
        try:
            atomic_write(path, new_bytes, expected_sha256=sha)
        except StaleFileError as exc:
            fail(f"refused: {exc}", EXIT_STATE)
        except OSError as exc:
            fail(f"cannot write {path}: {exc.strerror or exc}", EXIT_STATE)
        click.echo(f"{path}: updated, version {plan.old_version} → {plan.new_version}")
        return
    assert root is not None
    try:
        done = commit_contract_edit(
            root, rel, new_bytes, expected_sha256=sha, message=plan.message, branch=branch
        )
    except NothingToCommitError as exc:
        click.echo(f"{path}: {exc}")
        return
    except RefusedError as exc:
        fail(f"refused: {exc}", EXIT_STATE)
    except HookRejectedError as exc:
        if exc.output:
            click.echo(exc.output, err=True)
        fail(str(exc), EXIT_INVALID)
    except HeadMovedError as exc:
        fail(str(exc), EXIT_STATE)
    except GitError as exc:
        fail(f"{exc}; the edit may be left in {path}", EXIT_STATE)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}", EXIT_STATE)
    subject = plan.message.splitlines()[0] if plan.message.strip() else ""
    where = f"new branch {done.branch}" if done.created_branch else (done.branch or "detached HEAD")
    click.echo(f"committed {done.commit[:12]} on {where}: {subject}")
    if plan.bump != "none":
        click.echo(f"version {plan.old_version} → {plan.new_version} ({plan.bump} bump)")
    if done.created_branch:
        click.echo(f"you are now on {done.branch}; `git switch -` goes back")
    if done.rewritten_by_hook:
        click.echo(
            f"note: a hook rewrote {rel} during the commit; the commit holds the hook's version "
            f"(blob {done.committed_blob[:12]}, not {done.written_blob[:12]})",
            err=True,
        )
        if done.hook_output:
            click.echo(done.hook_output, err=True)
    if done.extra_paths:
        click.echo(
            "note: a hook added other files to the commit: " + ", ".join(done.extra_paths),
            err=True,
        )
    if not done.worktree_matches_commit:
        click.echo(f"note: {rel} on disk differs from the commit (a hook changed it)", err=True)


def _changed_lines(result: EditResult) -> str:
    """'line 23', 'lines 13, 23' or '2 lines added' for the summary."""
    lines = result.changed_lines
    if not lines:
        added = len(result.new_text.splitlines()) - len(result.old_text.splitlines())
        return f"{added} line{'s' * (added != 1)} added"
    return f"line{'s' * (len(lines) != 1)} {', '.join(str(n) for n in lines)}"
