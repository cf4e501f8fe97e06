"""Helpers shared by the CLI commands: exit codes and output."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

import click

EXIT_OK = 0
EXIT_INVALID = 1  # invalid contract, refused edit, findings at --fail-on
EXIT_USAGE = 2  # usage or input error: no such file or revision, not a repo
EXIT_STATE = 3  # refused because of repository or file state; nothing changed


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print `workbench: message` to stderr and exit with `code`."""
    click.echo(f"workbench: {message}", err=True)
    sys.exit(code)


def echo_json(data: Any) -> None:
    """Print data as stable, indented JSON."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False, default=str))


FORMAT_TEXT_JSON = click.Choice(["text", "json"])
