"""`workbench diff [REV_A [REV_B]] [PATH] [--format text|md|json] [--fail-on LEVEL]`.

Arguments: an existing file (or a name ending in .yml/.yaml) is a PATH,
anything else a revision (checked and resolved to a full hash before git
sees it). Forms:

- `diff`                    HEAD vs the working tree (the repo's only contract)
- `diff PATH`               HEAD vs the working tree of PATH
- `diff REV [PATH]`         REV vs the working tree
- `diff REV_A REV_B [PATH]` REV_A vs REV_B
- `diff OLD.yml NEW.yml`    two plain files; works outside git
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from workbench.commands.common import EXIT_INVALID, EXIT_OK, EXIT_USAGE, echo_json, fail
from workbench.core.diff.engine import DiffResult
from workbench.core.diff.levels import DiffConfigError, load_overrides
from workbench.core.diff.render import diff_json, markdown, text_lines
from workbench.core.diff.validations import diff_validations
from workbench.core.findings import Finding
from workbench.core.git.runner import GitError, RevisionError, check_revision_text, repo_root
from workbench.core.safe_text import terminal_safe
from workbench.core.validate import Validation, validate_text

_LEVEL_STYLE: dict[str, dict[str, Any]] = {
    "breaking": {"fg": "red", "bold": True},
    "warning": {"fg": "yellow"},
    "info": {"fg": "cyan"},
    "error": {"fg": "red", "bold": True},
}
_CONFIG_NAME = ".workbench.toml"


@dataclass
class Side:
    """One side of the comparison: its label, bytes, and commit when from git."""

    label: str
    raw: bytes
    commit: str | None = None
    file: str | None = None


def _is_file(arg: str) -> bool:
    try:
        return Path(arg).is_file()
    except (OSError, ValueError):  # e.g. a NUL byte or a name too long
        return False


def _is_dir(arg: str) -> bool:
    try:
        return Path(arg).is_dir()
    except (OSError, ValueError):
        return False


def _split(args: tuple[str, ...]) -> tuple[list[str], str | None, bool]:
    """(revisions, path, plain-files mode) from the positional arguments."""
    if len(args) > 3:
        fail("expected at most three arguments: [REV_A [REV_B]] [PATH]", EXIT_USAGE)
    if len(args) == 2 and _is_file(args[0]) and _is_dir(args[1]):
        # two paths meant; a directory name could also be a revision, so only here
        fail(f"{args[1]!r} is a directory: give two contract files", EXIT_USAGE)
    # an existing file, or a name ending in .yml/.yaml (it may exist only in
    # history), is a path; anything else is a revision
    files = [_is_file(a) or a.lower().endswith((".yml", ".yaml")) for a in args]
    if len(args) == 2 and all(files):
        return [], None, True
    if any(files[:-1]):
        first = args[files.index(True)]
        fail(
            f"{first!r} is a file: PATH comes last (or give two files to compare them)",
            EXIT_USAGE,
        )
    if args and files[-1]:
        return list(args[:-1]), args[-1], False
    if len(args) == 3:  # the last can only be a path (one that exists only in history)
        return list(args[:2]), args[2], False
    return list(args), None, False


def _read_plain(path: str) -> Side:
    try:
        return Side(path, Path(path).read_bytes(), file=path)
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror or exc}", EXIT_USAGE)


def _git_sides(revs: list[str], path: str | None) -> tuple[Side, Side, Path]:
    """Read both sides from git (and the working tree); exit 2 on any problem."""
    from workbench.commands.log import open_contract
    from workbench.core.git.revisions import read_file_at
    from workbench.core.git.runner import resolve_revision

    history, relpath = open_contract(path)
    repo = history.repo
    state = history.state

    def at(rev: str) -> Side:
        try:
            if state.unborn:
                raise GitError("the repository has no commits yet; nothing to compare with")
            commit = resolve_revision(repo, rev)
            stored = history.path_at(commit, relpath)
            raw = read_file_at(repo, commit, stored) if stored is not None else None
        except GitError as exc:
            fail(str(exc), EXIT_USAGE)
        if raw is None:
            fail(f"{relpath} does not exist in {rev} ({commit[:12]})", EXIT_USAGE)
        return Side(f"{rev}:{stored}", raw, commit, stored)

    def worktree() -> Side:
        if state.is_bare:
            fail("a bare repository has no working tree: give two revisions", EXIT_USAGE)
        try:
            raw = (repo / relpath).read_bytes()
        except OSError as exc:
            fail(f"cannot read {relpath} in the working tree: {exc.strerror or exc}", EXIT_USAGE)
        return Side(f"{relpath} (working tree)", raw, None, relpath)

    base_rev = revs[0] if revs else "HEAD"
    base = at(base_rev)
    target = at(revs[1]) if len(revs) == 2 else worktree()
    return base, target, repo


def _overrides(config: Path | None, near: Path | None) -> dict[str, str]:
    """Level overrides from --config, else `.workbench.toml` at the repo root or here."""
    try:
        if config is not None:
            if not config.is_file():
                fail(f"no such config file: {config}", EXIT_USAGE)
            return load_overrides(config)
        folder = near if near is not None else Path.cwd()
        return load_overrides(folder / _CONFIG_NAME)
    except DiffConfigError as exc:
        fail(str(exc), EXIT_USAGE)


def _load(side: Side, role: str) -> Validation:
    """Validate one side; a side that is not readable YAML at all ends the command."""
    validation = validate_text(side.raw, filename=side.label)
    if validation.data is None:
        for finding in validation.findings:
            click.echo(terminal_safe(finding.format(side.label)), err=True)
        fail(
            f"cannot compare: the {role} side ({side.label}) is not a readable contract",
            EXIT_INVALID,
        )
    return validation


def _side_findings(validation: Validation, label: str) -> list[Finding]:
    """The errors that make a side invalid (they explain a partial diff)."""
    return [
        Finding(f.rule, f.severity, f.path, f.line, f.column, f.message, f.hint, label)
        for f in validation.findings
        if f.severity == "error"
    ]


def _echo_text(result: DiffResult, base: str, target: str) -> None:
    for line in text_lines(result, base, target):
        if line.kind == "title":
            click.echo(click.style(line.text, bold=True))
        elif line.kind == "heading":
            click.echo(click.style(line.text, bold=True, underline=True))
        elif line.kind == "change" and line.tag:
            level, _, rest = line.text.lstrip().partition(" ")
            click.echo("  " + click.style(level, **_LEVEL_STYLE[line.tag]) + " " + rest)
        elif line.kind == "finding" and line.tag:
            click.echo(click.style(line.text, **_LEVEL_STYLE.get(line.tag, {})))
        else:
            click.echo(line.text)


@click.command("diff")
@click.argument("args", nargs=-1, metavar="[REV_A [REV_B]] [PATH]")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "md", "json"]),
    default="text",
    show_default=True,
    help="text for people, md for pull requests and review notes, json for CI.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["breaking", "warning", "info"]),
    default=None,
    help="Exit 1 when a change at this level or more severe is present.",
)
@click.option(
    "--config",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Level overrides file (default: .workbench.toml at the repo root, or here).",
)
def command(args: tuple[str, ...], fmt: str, fail_on: str | None, config: Path | None) -> None:
    """Show what changed between two versions of a contract, by meaning.

    Each change has a level for product teams (breaking, warning, info) and
    who must sign off. Default: HEAD vs the working tree. Two existing files
    are compared directly, also outside git. Exit 1 with --fail-on LEVEL when
    such a change is present, or when a side is not a valid contract (the
    diff is then partial and its errors are listed); exit 2 for a bad
    revision, path or config.
    """
    revs, path, plain = _split(args)
    for rev in revs:
        try:
            check_revision_text(rev)
        except RevisionError as exc:
            fail(str(exc), EXIT_USAGE)
    if plain:
        base, target = _read_plain(args[0]), _read_plain(args[1])
        near = _repo_of(Path(args[1]))
    else:
        base, target, near = _git_sides(revs, path)
    overrides = _overrides(config, near)

    old, new = _load(base, "base"), _load(target, "target")
    try:
        result = diff_validations(old, new, overrides)
    except DiffConfigError as exc:  # pragma: no cover - overrides were checked on load
        fail(str(exc), EXIT_USAGE)
    result.findings = [
        Finding(f.rule, f.severity, f.path, f.line, f.column, f.message, f.hint, target.label)
        for f in result.findings
    ]
    invalid = _side_findings(old, base.label) + _side_findings(new, target.label)
    result.findings = invalid + result.findings

    if fmt == "json":
        data = diff_json(result, base.label, target.label)
        data["base_commit"], data["target_commit"] = base.commit, target.commit
        data["base_valid"], data["target_valid"] = old.valid, new.valid
        echo_json(data)
    elif fmt == "md":
        click.echo(markdown(result, base.label, target.label), nl=False)
    else:
        _echo_text(result, base.label, target.label)

    if invalid:
        raise SystemExit(EXIT_INVALID)
    if fail_on is not None and result.has_level(fail_on):
        raise SystemExit(EXIT_INVALID)
    raise SystemExit(EXIT_OK)


def _repo_of(path: Path) -> Path | None:
    """The work tree holding a plain file, for its `.workbench.toml` (None outside git)."""
    try:
        return repo_root(path.resolve().parent)
    except (GitError, OSError):
        return None
