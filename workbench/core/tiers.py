"""Where tiers live in a contract, and their ids in file order (no heavy imports)."""

from __future__ import annotations

from typing import Any

from workbench.core.paths import value_at

# A tier appears in all three maps; rule CW101 reports one missing from any of them.
TIER_MAPS: tuple[tuple[str, ...], ...] = (
    ("capability_tiers",),
    ("reliability", "p95_latency_ms"),
    ("economics", "max_cost_per_run_usd"),
)


def tier_map(data: Any, path: tuple[str, ...]) -> dict[str, Any]:
    """The mapping at `path` in plain data, or {} when absent or not a mapping."""
    node = value_at(data, path)
    return node if isinstance(node, dict) else {}


def tier_ids(data: Any) -> list[str]:
    """Tier ids in file order: the union of the three tier maps, capability first.

    `x-` keys are local extensions, never tiers.
    """
    order: list[str] = []
    for path in TIER_MAPS:
        for key in tier_map(data, path):
            name = str(key)
            if name not in order and not name.startswith("x-"):
                order.append(name)
    return order
