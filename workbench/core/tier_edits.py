"""Edits that add, rename or remove a whole tier across the three tier maps.

A tier lives in `capability_tiers`, `reliability.p95_latency_ms` and
`economics.max_cost_per_run_usd`; changing one without the others breaks rule
CW101. These functions plan the edits (for `edit.apply_edits`) on plain data.
"""

from __future__ import annotations

import re
from typing import Any

from workbench.core.contract_model import TIER_ID_PATTERN
from workbench.core.edit import DeleteKey, Edit, RenameKey, SetValue
from workbench.core.tiers import TIER_MAPS, tier_ids, tier_map

__all__ = ["add_tier", "new_tier_problem", "remove_tier", "rename_tier", "tier_ids"]

_DEFAULT_TIER = {
    "use_cases": ["describe the use case"],
    "approved_models": ["fast"],
    "requires_human_checkpoint": True,
}


def new_tier_problem(data: Any, name: str) -> str | None:
    """Why `name` cannot be a new tier id (None: it can)."""
    if not re.match(TIER_ID_PATTERN, name):
        return f"{name!r} is not a tier id: lower-case letters, digits, _ and -, a letter first"
    if name in tier_ids(data):
        return f"tier {name!r} already exists"
    return None


def add_tier(data: Any, name: str) -> list[Edit]:
    """Add tier `name` after the last one, starting from a copy of the last tier's terms."""
    problem = new_tier_problem(data, name)
    if problem:
        raise ValueError(problem)
    tiers = tier_ids(data)
    last = tiers[-1] if tiers else None
    template = tier_map(data, ("capability_tiers",)).get(last) if last else None
    body = dict(_DEFAULT_TIER)
    if isinstance(template, dict):
        body.update({k: v for k, v in template.items() if k in _DEFAULT_TIER})
    p95 = tier_map(data, TIER_MAPS[1]).get(last, 5000) if last else 5000
    cap = tier_map(data, TIER_MAPS[2]).get(last, 1.0) if last else 1.0
    return [
        SetValue((*TIER_MAPS[0], name), body),
        SetValue((*TIER_MAPS[1], name), p95),
        SetValue((*TIER_MAPS[2], name), cap),
    ]


def rename_tier(data: Any, tier: str, new: str) -> list[Edit]:
    """Rename `tier` to `new` wherever it appears."""
    problem = new_tier_problem(data, new)
    if problem:
        raise ValueError(problem)
    return [RenameKey((*path, tier), new) for path in _maps_holding(data, tier)]


def remove_tier(data: Any, tier: str) -> list[Edit]:
    """Remove `tier` from every tier map."""
    return [DeleteKey((*path, tier)) for path in _maps_holding(data, tier)]


def _maps_holding(data: Any, tier: str) -> list[tuple[str, ...]]:
    return [path for path in TIER_MAPS if tier in tier_map(data, path)]
