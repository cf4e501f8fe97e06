"""Changes inside nested extension data are described item by item (deepdiff on plain data)."""

from __future__ import annotations

import copy

from workbench.core.diff import diff_contracts
from workbench.core.yaml_safe import parse_yaml


def _seed_with(extension: object, seed_text: str) -> dict:
    data = parse_yaml(seed_text).data
    assert data is not None
    data["x-council"] = extension
    return data


def test_inside_an_extension_each_change_is_named(seed_text: str) -> None:
    old = _seed_with({"chair": "ana", "members": ["platform", "legal"]}, seed_text)
    new = copy.deepcopy(old)
    new["x-council"] = {"chair": "bo", "members": ["legal", "security"], "quorum": 3}
    [change] = diff_contracts(old, new).changes
    assert change.rule == "x-key-changed" and change.level == "info"
    assert change.message == ("x-council: + 3 at quorum; + security; chair ana → bo; − platform")


def test_reordering_a_list_inside_an_extension_is_not_a_change(seed_text: str) -> None:
    old = _seed_with({"members": ["a", "b", "c"]}, seed_text)
    new = copy.deepcopy(old)
    new["x-council"]["members"].reverse()
    assert diff_contracts(old, new).changes == []


def test_a_scalar_extension_keeps_the_plain_message(seed_text: str) -> None:
    old, new = _seed_with("draft", seed_text), _seed_with("final", seed_text)
    [change] = diff_contracts(old, new).changes
    assert change.message == "x-council draft → final"
