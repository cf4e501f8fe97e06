"""The semantic diff engine: every row of the DESIGN §4 table in both directions."""

from __future__ import annotations

import copy
import json
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core.diff import bump_version, commit_message, diff_contracts
from workbench.core.diff.engine import DiffResult
from workbench.core.diff.levels import MIRROR, RULES, SURFACES, DiffConfigError
from workbench.core.yaml_safe import parse_yaml

SEED = """\
version: 1.0
owner: ai-platform
review_cadence: quarterly

capability_tiers:
  tier_1:
    use_cases: ["low-risk automation", "content summarization"]
    approved_models: ["fast"]
    requires_human_checkpoint: false
  tier_2:
    use_cases: ["engineering support", "customer operations"]
    approved_models: ["balanced", "advanced"]
    requires_human_checkpoint: conditional
  tier_3:
    use_cases: ["high-impact changes", "regulated workflows"]
    approved_models: ["advanced"]
    requires_human_checkpoint: true

reliability:
  p95_latency_ms:
    tier_1: 1800
    tier_2: 3500
    tier_3: 6000
  availability_slo_percent: 99.5
  policy_decision_timeout_ms: 300

governance:
  mandatory_controls:
    - data_classification
    - prompt_and_tool_audit_log
    - budget_policy_enforcement
    - model_and_tool_allowlist
  exception_process:
    approval_owner: "platform-duty-manager"
    expiry_days: 30

economics:
  max_cost_per_run_usd:
    tier_1: 0.15
    tier_2: 1.25
    tier_3: 8.50
  monthly_reserve_percent: 15

support:
  incident_owner: "ai-platform-oncall"
  product_owner_duties:
    - provide_service_runbook
    - define_fallback_mode
    - join_incident_channel_for_tier_3
"""

Data = dict[str, Any]


def seed() -> Data:
    data = parse_yaml(SEED).data
    assert isinstance(data, dict)
    return data


def mutated(fn: Callable[[Data], None]) -> Data:
    data = seed()
    fn(data)
    return data


def rename_key(mapping: dict[str, Any], old: str, new: str) -> None:
    """Rename a key in place, keeping its position."""
    items = [(new if k == old else k, v) for k, v in mapping.items()]
    mapping.clear()
    mapping.update(items)


def _tiers(d: Data) -> dict[str, Any]:
    return d["capability_tiers"]


def _remove_tier_3(d: Data) -> None:
    del _tiers(d)["tier_3"]
    del d["reliability"]["p95_latency_ms"]["tier_3"]
    del d["economics"]["max_cost_per_run_usd"]["tier_3"]


def _rename_tier_3(d: Data) -> None:
    rename_key(_tiers(d), "tier_3", "tier_high")
    rename_key(d["reliability"]["p95_latency_ms"], "tier_3", "tier_high")
    rename_key(d["economics"]["max_cost_per_run_usd"], "tier_3", "tier_high")


def _swap_tiers(d: Data) -> None:
    tiers = _tiers(d)
    order = ["tier_2", "tier_1", "tier_3"]
    items = {k: tiers[k] for k in order}
    tiers.clear()
    tiers.update(items)


# (rule of diff(seed, mutated), its level, its sign-off, the mutation)
ROWS: list[tuple[str, str, str, Callable[[Data], None]]] = [
    ("tier-removed", "breaking", "platform", _remove_tier_3),
    ("tier-renamed", "breaking", "platform", _rename_tier_3),
    ("tier-order-changed", "info", "platform", _swap_tiers),
    (
        "use-case-removed",
        "breaking",
        "platform",
        lambda d: _tiers(d)["tier_2"]["use_cases"].remove("customer operations"),
    ),
    (
        "model-removed",
        "breaking",
        "platform",
        lambda d: _tiers(d)["tier_2"]["approved_models"].remove("balanced"),
    ),
    (
        "checkpoint-stronger",
        "breaking",
        "product",
        lambda d: _tiers(d)["tier_1"].update(requires_human_checkpoint="conditional"),
    ),
    (
        "checkpoint-stronger",
        "breaking",
        "product",
        lambda d: _tiers(d)["tier_2"].update(requires_human_checkpoint=True),
    ),
    (
        "p95-latency-raised",
        "warning",
        "platform",
        lambda d: d["reliability"]["p95_latency_ms"].update(tier_2=4000),
    ),
    (
        "p95-latency-unset",
        "warning",
        "platform",
        lambda d: d["reliability"]["p95_latency_ms"].pop("tier_2"),
    ),
    (
        "availability-slo-lowered",
        "warning",
        "platform",
        lambda d: d["reliability"].update(availability_slo_percent=99.0),
    ),
    (
        "policy-timeout-raised",
        "warning",
        "platform",
        lambda d: d["reliability"].update(policy_decision_timeout_ms=450),
    ),
    (
        "control-added",
        "breaking",
        "security",
        lambda d: d["governance"]["mandatory_controls"].append("pii_redaction"),
    ),
    (
        "exception-expiry-changed",
        "warning",
        "security",
        lambda d: d["governance"]["exception_process"].update(expiry_days=60),
    ),
    (
        "exception-owner-changed",
        "warning",
        "security",
        lambda d: d["governance"]["exception_process"].update(approval_owner="ciso-office"),
    ),
    (
        "cost-cap-lowered",
        "breaking",
        "platform",
        lambda d: d["economics"]["max_cost_per_run_usd"].update(tier_2=1.0),
    ),
    (
        "cost-cap-unset",
        "info",
        "platform",
        lambda d: d["economics"]["max_cost_per_run_usd"].pop("tier_1"),
    ),
    (
        "reserve-changed",
        "info",
        "platform",
        lambda d: d["economics"].update(monthly_reserve_percent=20),
    ),
    (
        "duty-added",
        "breaking",
        "product",
        lambda d: d["support"]["product_owner_duties"].append("keep_eval_set_current"),
    ),
    (
        "incident-owner-changed",
        "warning",
        "operations",
        lambda d: d["support"].update(incident_owner="sre-oncall"),
    ),
    ("owner-changed", "info", "platform", lambda d: d.update(owner="ml-platform")),
    (
        "review-cadence-changed",
        "info",
        "platform",
        lambda d: d.update(review_cadence="monthly"),
    ),
    ("version-changed", "info", "platform", lambda d: d.update(version=1.1)),
    ("x-key-added", "info", "platform", lambda d: d.update({"x-team": "payments"})),
    (
        "x-key-added",
        "info",
        "platform",
        lambda d: d["reliability"].update({"x-dashboard": "https://grafana/x"}),
    ),
    ("value-changed", "warning", "platform", lambda d: d.update(unknown_key=1)),
    (
        "value-changed",
        "warning",
        "platform",
        lambda d: d["reliability"].update(p95_latency_ms="fast"),
    ),
]


def _row_id(row: tuple[str, str, str, Callable[[Data], None]]) -> str:
    return row[0]


def test_rows_cover_every_rule_in_both_directions() -> None:
    covered = {rule for rule, *_ in ROWS} | {MIRROR[rule] for rule, *_ in ROWS}
    covered |= {"x-key-changed"}  # tested on its own below (its own mirror)
    assert covered == set(RULES)


@pytest.mark.parametrize("row", ROWS, ids=[_row_id(r) for r in ROWS])
def test_row_forward(row: tuple[str, str, str, Callable[[Data], None]]) -> None:
    rule, level, sign_off, fn = row
    result = diff_contracts(seed(), mutated(fn))
    assert [c.rule for c in result.changes] == [rule]
    change = result.changes[0]
    assert (change.level, change.sign_off) == (level, sign_off)
    assert change.level == RULES[rule].level
    assert change.message


@pytest.mark.parametrize("row", ROWS, ids=[_row_id(r) for r in ROWS])
def test_row_backward(row: tuple[str, str, str, Callable[[Data], None]]) -> None:
    rule, _, _, fn = row
    result = diff_contracts(mutated(fn), seed())
    assert [c.rule for c in result.changes] == [MIRROR[rule]]
    change = result.changes[0]
    spec = RULES[MIRROR[rule]]
    assert (change.level, change.sign_off) == (spec.level, spec.sign_off)
    assert change.surface == diff_contracts(seed(), mutated(fn)).changes[0].surface


@pytest.mark.parametrize(
    ("rule", "level", "sign_off"),
    [
        ("tier-added", "info", "platform"),
        ("use-case-added", "info", "platform"),
        ("model-added", "info", "platform"),
        ("checkpoint-weaker", "warning", "security"),
        ("p95-latency-lowered", "info", "platform"),
        ("availability-slo-raised", "info", "platform"),
        ("policy-timeout-lowered", "info", "platform"),
        ("control-removed", "warning", "security"),
        ("cost-cap-raised", "info", "platform"),
        ("duty-removed", "info", "product"),
    ],
)
def test_reverse_rows_match_design_table(rule: str, level: str, sign_off: str) -> None:
    assert (RULES[rule].level, RULES[rule].sign_off) == (level, sign_off)


def test_x_key_changed_nested_and_top_level() -> None:
    old = mutated(lambda d: d.update({"x-team": {"name": "a"}}))
    new = mutated(lambda d: d.update({"x-team": {"name": "b"}}))
    (change,) = diff_contracts(old, new).changes
    assert (change.rule, change.path, change.surface) == ("x-key-changed", "x-team", "metadata")
    old = mutated(lambda d: _tiers(d)["tier_1"].update({"x-note": "a"}))
    new = mutated(lambda d: _tiers(d)["tier_1"].update({"x-note": "b"}))
    (change,) = diff_contracts(old, new).changes
    assert (change.rule, change.tier, change.surface) == ("x-key-changed", "tier_1", "capability")
    assert change.path == "capability_tiers.tier_1.x-note"


# ---------------------------------------------------------------- messages


def test_messages_carry_units_and_relative_change() -> None:
    new = mutated(
        lambda d: (
            d["reliability"]["p95_latency_ms"].update(tier_2=4000),
            d["reliability"].update(availability_slo_percent=99.9),
            d["economics"]["max_cost_per_run_usd"].update(tier_3=6),
            d["governance"]["exception_process"].update(expiry_days=15),
        )
    )
    messages = {c.rule: c.message for c in diff_contracts(seed(), new).changes}
    assert (
        messages["p95-latency-raised"]
        == "tier_2 p95 latency SLO 3500 ms → 4000 ms (+14.3 %), relaxed"
    )
    assert (
        messages["availability-slo-raised"]
        == "availability SLO 99.5 % → 99.9 % (+0.4 pp), tightened"
    )
    assert (
        messages["cost-cap-lowered"] == "tier_3 cost cap $8.50 → $6.00 per run (-29.4 %), lowered"
    )
    assert messages["exception-expiry-changed"] == (
        "exception expiry 30 days → 15 days (-50.0 %), shorter"
    )


def test_set_items_are_named_never_indexed() -> None:
    new = mutated(lambda d: _tiers(d)["tier_2"].update(approved_models=["advanced", "frontier"]))
    changes = diff_contracts(seed(), new).changes
    assert [(c.rule, c.old, c.new) for c in changes] == [
        ("model-removed", "balanced", None),
        ("model-added", None, "frontier"),
    ]
    assert all(c.path == "capability_tiers.tier_2.approved_models" for c in changes)
    assert changes[0].message == "tier_2: approved model 'balanced' removed"


# ---------------------------------------------------------------- shape


def test_identical_contracts_have_no_changes() -> None:
    result = diff_contracts(seed(), seed())
    assert result.changes == []
    assert result.suggested_bump == "none"
    assert result.findings == []


def test_reorder_only_is_no_change() -> None:
    def reorder(d: Data) -> None:
        for tier in _tiers(d).values():
            tier["use_cases"].reverse()
            tier["approved_models"].reverse()
            items = list(tier.items())[::-1]
            tier.clear()
            tier.update(items)
        d["governance"]["mandatory_controls"].reverse()
        d["support"]["product_owner_duties"].reverse()
        for section in ("reliability", "economics", "governance", "support"):
            items = list(d[section].items())[::-1]
            d[section].clear()
            d[section].update(items)
        p95 = d["reliability"]["p95_latency_ms"]
        items = list(p95.items())[::-1]
        p95.clear()
        p95.update(items)
        top = list(d.items())[::-1]
        d.clear()
        d.update(top)

    assert diff_contracts(seed(), mutated(reorder)).changes == []


def test_same_number_written_differently_is_no_change() -> None:
    new = mutated(lambda d: d["reliability"]["p95_latency_ms"].update(tier_1=1800.0))
    assert diff_contracts(seed(), new).changes == []


def test_rename_keeps_slo_and_cost_comparison_under_new_id() -> None:
    def rename_and_relax(d: Data) -> None:
        _rename_tier_3(d)
        d["reliability"]["p95_latency_ms"]["tier_high"] = 7000

    changes = diff_contracts(seed(), mutated(rename_and_relax)).changes
    assert [(c.rule, c.tier) for c in changes] == [
        ("tier-renamed", "tier_high"),
        ("p95-latency-raised", "tier_high"),
    ]
    assert (changes[0].old, changes[0].new) == ("tier_3", "tier_high")
    assert (
        changes[0].message
        == "tier tier_3 renamed to tier_high (same use cases, models and checkpoint)"
    )


def test_changed_content_under_new_id_is_removal_plus_addition() -> None:
    def replace(d: Data) -> None:
        _rename_tier_3(d)
        _tiers(d)["tier_high"]["approved_models"] = ["frontier"]

    rules = [c.rule for c in diff_contracts(seed(), mutated(replace)).changes]
    assert rules == ["tier-added", "tier-removed"]


def test_tier_added_message_summarises_the_tier() -> None:
    def add(d: Data) -> None:
        _tiers(d)["tier_4"] = {
            "use_cases": ["autonomous agents"],
            "approved_models": ["advanced"],
            "requires_human_checkpoint": True,
        }
        d["reliability"]["p95_latency_ms"]["tier_4"] = 9000
        d["economics"]["max_cost_per_run_usd"]["tier_4"] = 12

    (change,) = diff_contracts(seed(), mutated(add)).changes
    assert change.rule == "tier-added"
    assert change.message == (
        "tier tier_4 added (use cases: autonomous agents; models: advanced; "
        "human checkpoint: true; p95 9000 ms; cost cap $12.00 per run)"
    )


def test_several_changes_in_deterministic_order() -> None:
    def many(d: Data) -> None:
        d["support"]["incident_owner"] = "sre"
        d["owner"] = "ml-platform"
        d["economics"]["max_cost_per_run_usd"]["tier_1"] = 0.1
        d["reliability"]["p95_latency_ms"]["tier_3"] = 7000
        d["reliability"]["p95_latency_ms"]["tier_1"] = 2000
        d["governance"]["mandatory_controls"].pop()
        _tiers(d)["tier_3"]["approved_models"].append("frontier")
        _tiers(d)["tier_1"]["use_cases"].append("translation")
        d["version"] = "2.0"

    result = diff_contracts(seed(), mutated(many))
    assert [(c.surface, c.tier, c.rule) for c in result.changes] == [
        ("capability", "tier_1", "use-case-added"),
        ("capability", "tier_3", "model-added"),
        ("reliability", "tier_1", "p95-latency-raised"),
        ("reliability", "tier_3", "p95-latency-raised"),
        ("governance", None, "control-removed"),
        ("economics", "tier_1", "cost-cap-lowered"),
        ("support", None, "incident-owner-changed"),
        ("metadata", None, "owner-changed"),
        ("metadata", None, "version-changed"),
    ]
    assert result.suggested_bump == "major"
    assert result.findings == []  # 1.0 -> 2.0 is a major bump
    again = diff_contracts(seed(), mutated(many))
    assert again.changes == result.changes


def test_surface_order_follows_design() -> None:
    assert SURFACES == (
        "capability",
        "reliability",
        "governance",
        "economics",
        "support",
        "metadata",
    )


# ---------------------------------------------------------------- invalid sides


@pytest.mark.parametrize(
    "breakage",
    [
        lambda d: d.update(capability_tiers=["tier_1"]),
        lambda d: _tiers(d).update(tier_2="balanced"),
        lambda d: _tiers(d)["tier_2"].update(use_cases="support"),
        lambda d: _tiers(d)["tier_2"].update(requires_human_checkpoint="yes"),
        lambda d: _tiers(d)["tier_2"].update(approved_models=[{"name": "x"}, ["y"]]),
        lambda d: d["reliability"]["p95_latency_ms"].update(tier_2="slow"),
        lambda d: d["reliability"]["p95_latency_ms"].update(tier_9=100),
        lambda d: d["economics"].update(max_cost_per_run_usd=None),
        lambda d: d.update(governance="strict"),
        lambda d: d["governance"].update(exception_process=[1, 2]),
        lambda d: d.update(version=True),
        lambda d: d.clear(),
    ],
)
def test_invalid_side_gives_partial_diff_never_exception(
    breakage: Callable[[Data], None],
) -> None:
    broken = mutated(breakage)
    forward = diff_contracts(seed(), broken)
    backward = diff_contracts(broken, seed())
    assert forward.changes and backward.changes
    for change in forward.changes + backward.changes:
        json.dumps(change.to_json())  # plain data all the way through


def test_none_side_is_an_empty_contract() -> None:
    result = diff_contracts(None, seed())
    assert {c.rule for c in result.changes} >= {"tier-added", "control-added", "duty-added"}
    assert diff_contracts(None, None).changes == []


# ---------------------------------------------------------------- mirror


def _signature(result: DiffResult, *, mirror: bool) -> Counter[str]:
    out: Counter[str] = Counter()
    for c in result.changes:
        rule, old, new = (MIRROR[c.rule], c.new, c.old) if mirror else (c.rule, c.old, c.new)
        out[json.dumps([rule, c.path, c.tier, c.surface, old, new], sort_keys=True)] += 1
    return out


INDEPENDENT = [fn for rule, _, _, fn in ROWS if rule not in ("tier-renamed", "value-changed")]


@settings(max_examples=60, deadline=None)
@given(st.sets(st.integers(0, len(INDEPENDENT) - 1), max_size=8))
def test_diff_b_a_mirrors_diff_a_b(picks: set[int]) -> None:
    a = seed()
    b = copy.deepcopy(a)
    for i in sorted(picks):
        try:
            INDEPENDENT[i](b)
        except (KeyError, ValueError):
            pass  # two picks touched the same entry; the data is still a contract
    forward, backward = diff_contracts(a, b), diff_contracts(b, a)
    assert _signature(forward, mirror=False) == _signature(backward, mirror=True)


def test_rename_mirrors() -> None:
    new = mutated(_rename_tier_3)
    forward, backward = diff_contracts(seed(), new), diff_contracts(new, seed())
    assert [(c.rule, c.old, c.new) for c in forward.changes] == [
        ("tier-renamed", "tier_3", "tier_high")
    ]
    assert [(c.rule, c.old, c.new) for c in backward.changes] == [
        ("tier-renamed", "tier_high", "tier_3")
    ]


# ---------------------------------------------------------------- overrides


def test_overrides_change_level_and_bump() -> None:
    new = mutated(lambda d: d["governance"]["mandatory_controls"].pop())
    plain = diff_contracts(seed(), new)
    assert (plain.changes[0].level, plain.suggested_bump) == ("warning", "minor")
    strict = diff_contracts(seed(), new, overrides={"control-removed": "breaking"})
    assert (strict.changes[0].level, strict.suggested_bump) == ("breaking", "major")


def test_override_to_info_keeps_a_minor_bump() -> None:
    new = mutated(lambda d: d["support"]["product_owner_duties"].append("x"))
    result = diff_contracts(seed(), new, overrides={"duty-added": "info"})
    assert (result.changes[0].level, result.suggested_bump) == ("info", "minor")


def test_unknown_override_rule_is_a_clear_error() -> None:
    with pytest.raises(
        DiffConfigError,
        match="unknown diff rule id 'control-remove'.*did you mean 'control-removed'",
    ):
        diff_contracts(seed(), seed(), overrides={"control-remove": "breaking"})
    with pytest.raises(DiffConfigError, match="must be one of breaking, warning, info"):
        diff_contracts(seed(), seed(), overrides={"control-removed": "fatal"})


# ---------------------------------------------------------------- versions and bumps


@pytest.mark.parametrize(
    ("old_version", "new_version", "change", "bump", "finding"),
    [
        (1.0, 1.0, "control-added", "major", "version-bump-missing"),
        (1.0, 1.1, "control-added", "major", "version-bump-missing"),
        (1.0, 2.0, "control-added", "major", None),
        ("1.2.0", "2.0.0", "control-added", "major", None),
        ("1.2.0", "1.2.1", "control-removed", "minor", "version-bump-missing"),
        ("1.2.0", "1.3.0", "control-removed", "minor", None),
        (1.0, 1.1, "control-removed", "minor", None),
        (1.0, 2, "control-removed", "minor", None),
        (1.0, 1.0, None, "none", None),
        ("2.0", "1.9", None, "none", "version-lowered"),
        (1.0, "next", "control-removed", "minor", "version-bump-missing"),
    ],
)
def test_suggested_bump_and_version_findings(
    old_version: object, new_version: object, change: str | None, bump: str, finding: str | None
) -> None:
    old = mutated(lambda d: d.update(version=old_version))

    def edit(d: Data) -> None:
        d["version"] = new_version
        if change == "control-added":
            d["governance"]["mandatory_controls"].append("pii_redaction")
        elif change == "control-removed":
            d["governance"]["mandatory_controls"].pop()

    result = diff_contracts(old, mutated(edit))
    assert result.suggested_bump == bump
    assert [f.rule for f in result.findings] == ([finding] if finding else [])


def test_version_text_as_written_wins_over_the_number() -> None:
    # `version: 1.10` parses as 1.1; the text as written is what people meant
    old = mutated(lambda d: d.update(version=1.9))
    new = mutated(lambda d: (d.update(version=1.1), d["governance"]["mandatory_controls"].pop()))
    result = diff_contracts(old, new, old_version_text="1.9", new_version_text="1.10")
    assert result.findings == []
    assert result.changes[-1].message == "version 1.9 → 1.10"


def test_version_bump_missing_is_located_and_hints_the_next_version() -> None:
    new = mutated(lambda d: d["governance"]["mandatory_controls"].append("pii"))
    result = diff_contracts(seed(), new, locate=lambda path: (1, 10))
    (finding,) = result.findings
    assert (finding.rule, finding.severity, finding.path, finding.line, finding.column) == (
        "version-bump-missing",
        "warning",
        "version",
        1,
        10,
    )
    assert "expected 2.0 or later" in finding.message


@pytest.mark.parametrize(
    ("text", "bump", "expected"),
    [
        ("1.0", "minor", "1.1"),
        ("1.0", "major", "2.0"),
        ("1.2.0", "minor", "1.3.0"),
        ("1.2.3", "major", "2.0.0"),
        ("1.9", "minor", "1.10"),
        ("3", "minor", "3.1"),
        ("3", "major", "4"),
        ("v1.4", "minor", "v1.5"),
        ("1.2.0", "none", "1.2.0"),
    ],
)
def test_bump_version(text: str, bump: str, expected: str) -> None:
    assert bump_version(text, bump) == expected


def test_bump_version_rejects_non_versions() -> None:
    with pytest.raises(ValueError, match="not MAJOR.MINOR"):
        bump_version("latest", "minor")
    with pytest.raises(ValueError, match="bump must be"):
        bump_version("1.0", "patch")


# ---------------------------------------------------------------- commit messages


def test_commit_message_names_the_main_change_and_the_bump() -> None:
    def edit(d: Data) -> None:
        d["reliability"]["p95_latency_ms"]["tier_2"] = 4000
        _tiers(d)["tier_2"]["approved_models"].remove("balanced")
        d["version"] = 2.0

    message = commit_message(diff_contracts(seed(), mutated(edit)))
    lines = message.splitlines()
    assert lines[0] == "tier_2: approved model 'balanced' removed (+2 more)"
    assert lines[1] == ""
    assert (
        "- [breaking] tier_2: approved model 'balanced' removed (sign-off: platform; model-removed)"
        in lines
    )
    assert any(
        line.startswith("- [warning] tier_2 p95 latency SLO 3500 ms → 4000 ms") for line in lines
    )
    assert lines[-1] == "Version: 1.0 → 2.0 (suggested bump: major)"
    assert len(lines[0]) <= 72


def test_commit_message_without_changes() -> None:
    message = commit_message(diff_contracts(seed(), seed()))
    assert message.splitlines()[0] == "contract: no semantic change"


def test_commit_message_subject_is_shortened() -> None:
    new = mutated(lambda d: d["support"].update(incident_owner="x" * 200))
    subject = commit_message(diff_contracts(seed(), new)).splitlines()[0]
    assert len(subject) <= 72 and subject.endswith("…")


# ---------------------------------------------------------------- any plain data


_KEYS = st.sampled_from(
    [
        "version",
        "owner",
        "capability_tiers",
        "tier_1",
        "tier_2",
        "use_cases",
        "approved_models",
        "requires_human_checkpoint",
        "reliability",
        "p95_latency_ms",
        "availability_slo_percent",
        "governance",
        "mandatory_controls",
        "exception_process",
        "expiry_days",
        "economics",
        "max_cost_per_run_usd",
        "monthly_reserve_percent",
        "support",
        "product_owner_duties",
        "x-ext",
    ]
)
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8)
    | st.just("conditional")
)
_PLAIN = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=5),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_KEYS, _PLAIN, max_size=8), st.dictionaries(_KEYS, _PLAIN, max_size=8))
def test_any_plain_data_diffs_and_renders_without_error(old: Data, new: Data) -> None:
    from workbench.core.diff.render import diff_json, markdown, plain_text
    from workbench.core.diff.textconv import _View

    result = diff_contracts(old, new)
    json.dumps(diff_json(result, "a", "b"), allow_nan=False)
    plain_text(result, "a", "b")
    markdown(result, "a", "b")
    commit_message(result)
    _View(old, None).render()
    assert diff_contracts(old, copy.deepcopy(old)).changes == []
