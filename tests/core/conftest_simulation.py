"""Builders for simulation tests: small contracts, catalogs and workloads as plain data."""

from __future__ import annotations

import copy
import json
from typing import Any

from workbench.core.simulation import SimInputs, inputs_from_text

BIG_QUOTA = 100_000  # no queueing at all


def model(
    *,
    pin: float = 0.0,
    pout: float = 0.0,
    ttft: tuple[float, float] = (100.0, 100.0),
    tps: float = 100.0,
    availability: float = 1.0,
    quota: int = BIG_QUOTA,
) -> dict[str, Any]:
    """One catalog entry."""
    return {
        "input_usd_per_1k_tokens": pin,
        "output_usd_per_1k_tokens": pout,
        "ttft_ms": {"p50": ttft[0], "p95": ttft[1]},
        "output_tokens_per_s": tps,
        "availability": availability,
        "max_concurrency": quota,
    }


def tier_load(
    *,
    runs_per_month: float = 100_000,
    peak: float = 2.0,
    calls: int = 1,
    tokens_in: tuple[float, float] = (1000.0, 1000.0),
    tokens_out: tuple[float, float] = (0.0, 0.0),
    mix: dict[str, float] | None = None,
    retries: int = 0,
    review_rate: float | None = 0.0,
) -> dict[str, Any]:
    """One tier of the workload."""
    out: dict[str, Any] = {
        "runs_per_month": runs_per_month,
        "peak_to_average": peak,
        "calls_per_run": calls,
        "input_tokens": {"p50": tokens_in[0], "p95": tokens_in[1]},
        "output_tokens": {"p50": tokens_out[0], "p95": tokens_out[1]},
        "max_retries": retries,
    }
    if mix is not None:
        out["model_mix"] = mix
    if review_rate is not None:
        out["conditional_checkpoint_rate"] = review_rate
    return out


def workload(
    tiers: dict[str, dict[str, Any]],
    *,
    policy: tuple[float, float] = (10.0, 10.0),
    peak_month: float = 1.1,
) -> dict[str, Any]:
    """A whole workload."""
    return {
        "policy_decision_ms": {"p50": policy[0], "p95": policy[1]},
        "peak_month_factor": peak_month,
        "tiers": tiers,
    }


def contract(
    tiers: dict[str, list[str]],
    *,
    slo: dict[str, float] | None = None,
    caps: dict[str, float] | None = None,
    checkpoints: dict[str, Any] | None = None,
    enforce_budget: bool = False,
    timeout_ms: float = 300,
    availability_percent: float = 99.5,
    reserve_percent: float = 15,
) -> dict[str, Any]:
    """Plain contract data (as `validate_text(...).data` gives it)."""
    controls = ["data_classification", "prompt_and_tool_audit_log", "model_and_tool_allowlist"]
    if enforce_budget:
        controls.append("budget_policy_enforcement")
    return {
        "version": "1.0",
        "owner": "ai-platform",
        "review_cadence": "quarterly",
        "capability_tiers": {
            tier: {
                "use_cases": ["something"],
                "approved_models": list(models),
                "requires_human_checkpoint": (checkpoints or {}).get(tier, False),
            }
            for tier, models in tiers.items()
        },
        "reliability": {
            "p95_latency_ms": {t: (slo or {}).get(t, 5000) for t in tiers},
            "availability_slo_percent": availability_percent,
            "policy_decision_timeout_ms": timeout_ms,
        },
        "governance": {
            "mandatory_controls": controls,
            "exception_process": {"approval_owner": "duty", "expiry_days": 30},
        },
        "economics": {
            "max_cost_per_run_usd": {t: (caps or {}).get(t, 10.0) for t in tiers},
            "monthly_reserve_percent": reserve_percent,
        },
        "support": {"incident_owner": "oncall", "product_owner_duties": ["runbook"]},
    }


def inputs(models: dict[str, dict[str, Any]], load: dict[str, Any]) -> SimInputs:
    """SimInputs from plain data (JSON is YAML, so the safe loader reads it)."""
    built = inputs_from_text(json.dumps({"models": models}), json.dumps(load))
    assert built.ok, [f.format() for f in built.findings]
    return built


def restrict(data: dict[str, Any], tier: str, models: list[str]) -> dict[str, Any]:
    """A copy of contract data with one tier's approved models replaced."""
    out = copy.deepcopy(data)
    out["capability_tiers"][tier]["approved_models"] = list(models)
    return out
