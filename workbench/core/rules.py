"""Contract rules beyond the schema (DESIGN §2), in one registry.

Adding a rule is one local change: write a function that yields `Hit`s and
decorate it with `@rule(id, severity, summary)`. Rules read plain data
defensively (the schema may have failed elsewhere) and never raise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from workbench.core.findings import PathTuple, Severity
from workbench.core.paths import value_at

BASELINE_CONTROLS = (
    "data_classification",
    "prompt_and_tool_audit_log",
    "budget_policy_enforcement",
    "model_and_tool_allowlist",
)
CHECKPOINT_STRENGTH: dict[object, int] = {False: 0, "conditional": 1, True: 2}


@dataclass(frozen=True)
class Hit:
    """One rule violation: where (path), what, and optionally another severity."""

    path: PathTuple
    message: str
    hint: str | None = None
    severity: Severity | None = None
    at_key: bool = False  # point at the key rather than the value


@dataclass(frozen=True)
class RuleContext:
    """What a rule may read: the plain data, raw scalar texts, and the model catalog."""

    data: dict[str, Any]
    raw: Callable[[PathTuple], str | None]
    catalog: frozenset[str] | None


@dataclass(frozen=True)
class Rule:
    """A registered rule: stable id, default severity, one-line summary, check."""

    id: str
    severity: Severity
    summary: str
    check: Callable[[RuleContext], Iterator[Hit]]


RULES: dict[str, Rule] = {}


def rule(
    rule_id: str, severity: Severity, summary: str
) -> Callable[[Callable[[RuleContext], Iterator[Hit]]], Callable[[RuleContext], Iterator[Hit]]]:
    """Register a rule function under a stable id."""

    def register(
        check: Callable[[RuleContext], Iterator[Hit]],
    ) -> Callable[[RuleContext], Iterator[Hit]]:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        RULES[rule_id] = Rule(rule_id, severity, summary, check)
        return check

    return register


def _mapping(data: Any, *path: str) -> dict[str, Any]:
    value = value_at(data, path)
    return value if isinstance(value, dict) else {}


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _tiers(ctx: RuleContext) -> list[str]:
    return [k for k in _mapping(ctx.data, "capability_tiers") if not k.startswith("x-")]


_TIER_MAPS = (
    (("reliability", "p95_latency_ms"), "p95 latency SLO"),
    (("economics", "max_cost_per_run_usd"), "cost cap"),
)


@rule(
    "CW101",
    "error",
    "the tier sets of capability_tiers, p95_latency_ms and max_cost_per_run_usd differ",
)
def tier_sets_match(ctx: RuleContext) -> Iterator[Hit]:
    """Every tier has a p95 SLO and a cost cap, and those maps name no unknown tier."""
    tiers = _tiers(ctx)
    if not tiers:
        return
    for path, what in _TIER_MAPS:
        if not isinstance(value_at(ctx.data, path), dict):
            continue
        entries = [k for k in _mapping(ctx.data, *path) if not k.startswith("x-")]
        for tier in tiers:
            if tier not in entries:
                yield Hit(
                    ("capability_tiers", tier),
                    f"tier '{tier}' has no {what} ({'.'.join(path)})",
                    f"add `{tier}: ...` under {'.'.join(path)}",
                    at_key=True,
                )
        for tier in entries:
            if tier not in tiers:
                yield Hit(
                    (*path, tier),
                    f"{'.'.join(path)} names tier '{tier}', which is not in capability_tiers",
                    "remove it, or add the tier to capability_tiers",
                    at_key=True,
                )


@rule(
    "CW102",
    "error",
    "policy_decision_timeout_ms is at or above the smallest tier p95 (warning above 50 % of it)",
)
def policy_timeout_fits(ctx: RuleContext) -> Iterator[Hit]:
    """The policy check must leave the model most of the smallest tier p95."""
    timeout = _number(value_at(ctx.data, ("reliability", "policy_decision_timeout_ms")))
    slos = {
        t: _number(v)
        for t, v in _mapping(ctx.data, "reliability", "p95_latency_ms").items()
        if not t.startswith("x-")  # local extensions are not tiers
    }
    slos = {t: v for t, v in slos.items() if v is not None and v > 0}
    if timeout is None or not slos:
        return
    tier, smallest = min(slos.items(), key=lambda item: item[1])
    path = ("reliability", "policy_decision_timeout_ms")
    if timeout >= smallest:
        yield Hit(
            path,
            f"policy decision timeout {timeout:g} ms ≥ {tier} p95 SLO {smallest:g} ms: the policy check alone could breach the SLO",
            "lower the timeout well below the smallest p95 SLO",
        )
    elif timeout > smallest / 2:
        yield Hit(
            path,
            f"policy decision timeout {timeout:g} ms is {timeout / smallest:.0%} of {tier} p95 SLO {smallest:g} ms, leaving little time for the model",
            "keep the policy timeout at or under half the smallest p95 SLO",
            severity="warning",
        )


@rule(
    "CW103",
    "warning",
    "a later (riskier) tier asks for a weaker human checkpoint than an earlier one",
)
def checkpoints_do_not_weaken(ctx: RuleContext) -> Iterator[Hit]:
    """Riskier (later) tiers ask for at least the human checkpoint of earlier ones."""
    strongest: tuple[str, int] | None = None
    for tier in _tiers(ctx):
        value = value_at(ctx.data, ("capability_tiers", tier, "requires_human_checkpoint"))
        if not isinstance(value, (bool, str)) or value not in CHECKPOINT_STRENGTH:
            continue
        strength = CHECKPOINT_STRENGTH[value]
        if strongest is not None and strength < strongest[1]:
            yield Hit(
                ("capability_tiers", tier, "requires_human_checkpoint"),
                f"tier '{tier}' has a weaker human checkpoint ({_yaml(value)}) than the earlier, lower-risk tier '{strongest[0]}'",
                "tiers are ordered low risk first; strengthen this checkpoint or reorder the tiers",
            )
        if strongest is None or strength > strongest[1]:
            strongest = (tier, strength)


@rule("CW104", "error", "an approved model is not in the model catalog")
def models_in_catalog(ctx: RuleContext) -> Iterator[Hit]:
    """Every approved model exists in the model catalog, when one is known."""
    if ctx.catalog is None:
        return
    for tier in _tiers(ctx):
        models = value_at(ctx.data, ("capability_tiers", tier, "approved_models"))
        for index, model in enumerate(models if isinstance(models, list) else []):
            if isinstance(model, str) and model not in ctx.catalog:
                known = ", ".join(sorted(ctx.catalog)) or "none"
                yield Hit(
                    ("capability_tiers", tier, "approved_models", index),
                    f"tier '{tier}' approves model '{model}', which is not in the model catalog",
                    f"catalog models: {known}",
                )


@rule("CW105", "warning", "exception_process.expiry_days is over 90 days")
def exceptions_short_lived(ctx: RuleContext) -> Iterator[Hit]:
    """Exceptions expire within 90 days."""
    days = _number(value_at(ctx.data, ("governance", "exception_process", "expiry_days")))
    if days is not None and days > 90:
        yield Hit(
            ("governance", "exception_process", "expiry_days"),
            f"exceptions last {days:g} days; the contract wants them short-lived (≤ 90)",
            "shorten expiry_days and renew exceptions explicitly",
        )


@rule("CW106", "warning", "one of the four baseline controls is missing from mandatory_controls")
def baseline_controls_present(ctx: RuleContext) -> Iterator[Hit]:
    """The seed's four baseline controls are all mandatory."""
    controls = value_at(ctx.data, ("governance", "mandatory_controls"))
    if not isinstance(controls, list):
        return
    for control in BASELINE_CONTROLS:
        if control not in controls:
            yield Hit(
                ("governance", "mandatory_controls"),
                f"baseline control '{control}' is not mandatory",
                f"add `- {control}` to governance.mandatory_controls",
                at_key=True,
            )


@rule(
    "CW107",
    "warning",
    "the version is a bare number whose digits YAML reads differently (1.10 reads as 1.1)",
)
def version_unambiguous(ctx: RuleContext) -> Iterator[Hit]:
    """A bare-number version reads back as written (1.10 would read as 1.1)."""
    value = ctx.data.get("version")
    raw = ctx.raw(("version",))
    if isinstance(value, (int, float)) and not isinstance(value, bool) and raw is not None:
        if isinstance(value, int) or repr(float(value)) != raw:
            yield Hit(
                ("version",),
                f"version {raw} is a bare number that reads as {value!r}",
                _version_hint(raw),
            )


def _version_hint(raw: str) -> str:
    if re.fullmatch(r"\d+\.\d+(\.\d+)?", raw):
        return f'quote it: version: "{raw}"'
    if raw.isdigit():
        return f'quote it as MAJOR.MINOR: version: "{raw}.0"'
    return 'quote it as MAJOR.MINOR, e.g. version: "1.0"'


@rule("CW108", "warning", "the availability SLO is below 90 %")
def availability_plausible(ctx: RuleContext) -> Iterator[Hit]:
    """An availability SLO under 90 % is probably a fraction written as a percent."""
    value = _number(value_at(ctx.data, ("reliability", "availability_slo_percent")))
    if value is not None and 0 < value < 90:
        yield Hit(
            ("reliability", "availability_slo_percent"),
            f"availability SLO {value:g} % is below 90 %; is it a fraction written as a percent?",
            "write the SLO as a percentage, e.g. 99.5",
        )


def _yaml(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)
