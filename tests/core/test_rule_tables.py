"""Every rule id the code can emit is documented in its table, and vice versa."""

from __future__ import annotations

import re
from pathlib import Path

from workbench.core import rules, validate, yaml_safe
from workbench.core.simulation import inputs

ROOT = Path(__file__).resolve().parents[2]


def _emitted(*modules: object) -> set[str]:
    ids: set[str] = set()
    for module in modules:
        source = Path(module.__file__).read_text(encoding="utf-8")  # type: ignore[attr-defined]
        ids |= set(re.findall(r'"(CW\d{3})"', source))
    return ids


def test_loader_schema_and_simulation_tables_cover_what_they_emit() -> None:
    tables = {**yaml_safe.LOAD_RULES, **validate.SCHEMA_RULES, **inputs.INPUT_RULES}
    emitted = _emitted(yaml_safe, validate, inputs) - set(rules.RULES)
    assert emitted - set(tables) == set(), "add these ids to their table"


def test_every_simulation_input_rule_is_documented() -> None:
    doc = (ROOT / "docs" / "simulation.md").read_text(encoding="utf-8")
    for rule_id in inputs.INPUT_RULES:
        number = int(rule_id[2:])
        listed = rule_id in doc or any(
            int(a) <= number <= int(b) for a, b in re.findall(r"CW(\d{3})–CW(\d{3})", doc)
        )
        assert listed, f"{rule_id} is not in docs/simulation.md"
