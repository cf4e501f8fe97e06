"""JSON Schema of the contract, for editors."""

from __future__ import annotations

from typing import Any

from workbench.core.contract_model import Contract


def contract_json_schema() -> dict[str, Any]:
    """The contract's JSON Schema, with `x-` extension keys allowed on every object."""
    schema = Contract.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "AI internal developer contract (v1)"
    _allow_extensions(schema)
    return schema


def _allow_extensions(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            node["additionalProperties"] = False
            node.setdefault("patternProperties", {})["^x-"] = {}
        for value in node.values():
            _allow_extensions(value)
    elif isinstance(node, list):
        for value in node:
            _allow_extensions(value)
