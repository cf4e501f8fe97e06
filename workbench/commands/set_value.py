"""`workbench set PATH KEY=VALUE... [--dry-run]`: a validated, byte-exact edit."""

from __future__ import annotations

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
def command(path: Path, assignments: tuple[str, ...], dry_run: bool) -> None:
    """Set values in a contract without disturbing anything else.

    KEY is a dotted path (reliability.p95_latency_ms.tier_2), VALUE a YAML
    scalar or flow list ([balanced, advanced]). The result is validated before
    anything is written; the write is atomic and keeps comments and layout.
    """
    result, validation, sha = plan_edit(path, assignments)
    for finding in validation.findings:
        click.echo(finding.format(str(path)), err=True)
    if not validation.valid:
        fail(f"refused: the edit would make {path} invalid; nothing was written", EXIT_INVALID)
    if not result.changed:
        click.echo(f"{path}: no change (the values are already set)")
        return
    if dry_run:
        click.echo(result.unified_diff(str(path)), nl=False)
        return
    try:
        atomic_write(path, read_contract(path).encode(result.new_text), expected_sha256=sha)
    except StaleFileError as exc:
        fail(f"refused: {exc}", EXIT_STATE)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}", EXIT_STATE)
    lines = ", ".join(str(n) for n in result.changed_lines) or "new lines"
    click.echo(f"{path}: updated (line {lines})")
