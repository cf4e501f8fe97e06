"""The `workbench` command line: a thin face on `workbench.core`.

Subcommands live in `workbench/commands/<name>.py` (each exposes `command`)
and are imported only when run, so `workbench log` does not pay for the app,
numpy or deepdiff.
"""

from __future__ import annotations

import importlib
import sys

import click

# name -> module under workbench.commands; order is the help order
COMMANDS: dict[str, str] = {
    "open": "open",
    "demo": "demo",
    "validate": "validate",
    "log": "log",
    "show": "show",
    "diff": "diff",
    "simulate": "simulate",
    "set": "set_value",
    "schema": "schema",
    "textconv": "textconv",
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._find(cmd_name)

    @staticmethod
    def _find(name: str) -> click.Command | None:
        module_name = COMMANDS.get(name)
        if module_name is None:
            return None
        return importlib.import_module(f"workbench.commands.{module_name}").command


@click.group(cls=LazyGroup, invoke_without_command=True)
@click.version_option(package_name="contract-workbench", prog_name="workbench")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Contract Workbench: browse, diff, simulate and safely edit an AI
    platform's internal developer contract kept in git.

    Without a command, opens the app on the contract in this repository
    (or on a bundled demo repository when there is none).
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(LazyGroup._find("open"))


def main() -> None:
    """Console-script entry point."""
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)
