"""The tier matrix behind `workbench show` (plain data in, structure and text out)."""

from __future__ import annotations

from core.conftest_history import SEED

from workbench.core.matrix import ABSENT, render_text, tier_matrix
from workbench.core.validate import validate_text


def test_seed_matrix_structure_and_text() -> None:
    v = validate_text(SEED)
    m = tier_matrix(v.data, v.raw)
    doc = m.to_json()
    assert doc["tiers"] == ["tier_1", "tier_2", "tier_3"]
    rows = {r["key"]: r["values"] for r in doc["rows"]}
    assert rows["approved_models"]["tier_2"] == ["balanced", "advanced"]
    assert rows["requires_human_checkpoint"] == {
        "tier_1": False,
        "tier_2": "conditional",
        "tier_3": True,
    }
    assert rows["max_cost_per_run_usd"]["tier_3"] == 8.5
    text = render_text(m, width=100)
    assert "8.50" in text and "conditional" in text
    assert "exception expiry (days)       30" in text


def test_matrix_of_broken_or_partial_data_does_not_fail() -> None:
    assert tier_matrix(None).tiers == []
    assert "(no capability tiers)" in render_text(tier_matrix({"capability_tiers": ["odd"]}))
    partial = {
        "capability_tiers": {"a": {"use_cases": ["x"]}},
        "reliability": {"p95_latency_ms": {"b": 5}},
    }
    m = tier_matrix(partial)
    assert m.tiers == ["a", "b"]  # a tier named only in the SLO map still gets a column
    text = render_text(m)
    assert ABSENT in text


def test_wide_matrix_is_split_to_fit() -> None:
    data = {
        "capability_tiers": {f"tier_{i}": {"use_cases": [f"case number {i}"]} for i in range(12)}
    }
    text = render_text(tier_matrix(data), width=80)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "tier_11" in text
