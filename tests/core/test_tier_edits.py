"""Whole-tier edits keep the three tier maps in step (rule CW101 stays quiet)."""

from __future__ import annotations

import pytest

from workbench.core.edit import apply_edits
from workbench.core.tier_edits import add_tier, new_tier_problem, remove_tier, rename_tier, tier_ids
from workbench.core.validate import validate_text


def _apply(text: str, edits) -> str:  # type: ignore[no-untyped-def]
    return apply_edits(text, edits).new_text


def test_add_copies_the_last_tier_and_validates(seed_text: str) -> None:
    data = validate_text(seed_text).data
    new = _apply(seed_text, add_tier(data, "tier_4"))
    result = validate_text(new)
    assert result.valid, result.findings
    assert tier_ids(result.data) == ["tier_1", "tier_2", "tier_3", "tier_4"]
    assert result.data["capability_tiers"]["tier_4"] == data["capability_tiers"]["tier_3"]
    assert result.data["reliability"]["p95_latency_ms"]["tier_4"] == 6000


def test_rename_and_remove_touch_all_three_maps(seed_text: str) -> None:
    data = validate_text(seed_text).data
    renamed = validate_text(_apply(seed_text, rename_tier(data, "tier_2", "standard")))
    assert renamed.valid and tier_ids(renamed.data) == ["tier_1", "standard", "tier_3"]
    removed = validate_text(_apply(seed_text, remove_tier(data, "tier_2")))
    assert removed.valid and tier_ids(removed.data) == ["tier_1", "tier_3"]


@pytest.mark.parametrize(
    ("name", "problem"), [("Tier 5", "not a tier id"), ("tier_1", "already exists")]
)
def test_bad_new_ids_are_refused(seed_text: str, name: str, problem: str) -> None:
    data = validate_text(seed_text).data
    assert problem in (new_tier_problem(data, name) or "")
    with pytest.raises(ValueError, match=problem):
        add_tier(data, name)
