"""`workbench schema`: JSON Schema of the contract for editors' YAML language servers."""

from __future__ import annotations

import click

from workbench.commands.common import echo_json
from workbench.core.schema_export import contract_json_schema


@click.command("schema")
def command() -> None:
    """Print the JSON Schema of the v1 contract format.

    Point your editor's YAML language server at it, e.g. put
    `# yaml-language-server: $schema=contract.schema.json` at the top of the file.
    """
    echo_json(contract_json_schema())
