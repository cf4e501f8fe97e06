"""An `x-` key inside a tier map is a local extension, never a tier."""

from __future__ import annotations

import copy

from workbench.core.diff import diff_contracts
from workbench.core.matrix import tier_matrix
from workbench.core.tiers import tier_ids
from workbench.core.validate import validate_text


def _with_extension(seed_text: str) -> str:
    return seed_text.replace(
        "capability_tiers:\n", "capability_tiers:\n  x-note: reviewed by the council\n", 1
    )


def test_validation_matrix_and_tier_ids_ignore_it(seed_text: str) -> None:
    validation = validate_text(_with_extension(seed_text))
    assert validation.valid, validation.findings
    assert tier_ids(validation.data) == ["tier_1", "tier_2", "tier_3"]
    assert tier_matrix(validation.data).tiers == ["tier_1", "tier_2", "tier_3"]


def test_removing_it_is_an_extension_change_not_a_removed_tier(seed_text: str) -> None:
    with_note = validate_text(_with_extension(seed_text)).data
    without = copy.deepcopy(with_note)
    del without["capability_tiers"]["x-note"]
    [change] = diff_contracts(with_note, without).changes
    assert change.rule == "x-key-removed" and change.level == "info"
    without["reliability"]["p95_latency_ms"]["x-why"] = "see the incident review"
    rules = [c.rule for c in diff_contracts(with_note, without).changes]
    assert rules == ["x-key-removed", "x-key-added"] or sorted(rules) == [
        "x-key-added",
        "x-key-removed",
    ]
