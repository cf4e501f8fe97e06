"""`workbench validate PATH... [--format text|json]`."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.commands.common import EXIT_INVALID, EXIT_OK, FORMAT_TEXT_JSON, echo_json, fail
from workbench.core.contract_file import catalog_beside
from workbench.core.safe_text import terminal_safe
from workbench.core.validate import validate_file

_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}


@click.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, default="text", show_default=True)
def command(paths: tuple[Path, ...], fmt: str) -> None:
    """Check contract files: schema, rules and unsafe YAML, like a compiler.

    A `models.yml` beside a contract is used as the model catalog (rule CW104).
    Exit 0 when every file is valid (warnings allowed), 1 otherwise.
    """
    folders = [str(p) for p in paths if p.is_dir()]
    if folders:
        fail(f"not a file (a directory): {', '.join(folders)}; give contract files")
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        fail(f"no such file: {', '.join(missing)}")
    results = [(path, validate_file(path, catalog=catalog_beside(path))) for path in paths]
    if fmt == "json":
        echo_json(
            {
                "files": [
                    {
                        "file": str(p),
                        "valid": v.valid,
                        "findings": [f.to_json() for f in v.findings],
                    }
                    for p, v in results
                ]
            }
        )
    else:
        for path, validation in results:
            for finding in validation.findings:
                # a crafted key or value must not drive the terminal through a message
                text = terminal_safe(finding.format(str(path)))
                head, _, rest = text.partition(f" {finding.severity} ")
                click.echo(
                    f"{head} {click.style(finding.severity, fg=_COLOURS[finding.severity], bold=True)} {rest}"
                )
            errors = sum(f.severity == "error" for f in validation.findings)
            warnings = sum(f.severity == "warning" for f in validation.findings)
            verdict = (
                click.style("valid", fg="green")
                if validation.valid
                else click.style("invalid", fg="red")
            )
            click.echo(
                f"{path}: {verdict} ({errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)})"
            )
    raise SystemExit(EXIT_OK if all(v.valid for _, v in results) else EXIT_INVALID)
