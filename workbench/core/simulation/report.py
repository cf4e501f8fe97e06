"""Run the simulation and build the report R of DESIGN §7, and baseline-vs-proposal deltas."""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from workbench.core.findings import has_errors
from workbench.core.simulation.inputs import SimInputs
from workbench.core.simulation.model import SCENARIOS, TierOutcome, run_tier, stream_seed
from workbench.core.simulation.plan import (
    ContractTerms,
    ScenarioPlan,
    SimulationError,
    build_scenario,
    check,
    contract_terms,
)

DEFAULT_RUNS = 200_000
MAX_RUNS = 50_000_000
VERDICT_ORDER = {"ok": 0, "at_risk": 1, "breach": 2}
# at_risk thresholds (documented in docs/simulation.md)
LATENCY_MARGIN = 0.9  # p95 above 90 % of the SLO
ERROR_BUDGET_MARGIN = 0.5  # more than half of the availability error budget used
HOT_UTILIZATION = 0.85  # a used model's queue is close to its knee


def simulate(
    contract_data: dict[str, Any],
    inputs: SimInputs,
    *,
    runs: int = DEFAULT_RUNS,
    seed: int = 0,
    workers: int | None = None,
    histograms: bool = False,
) -> dict[str, Any]:
    """Simulate a contract under normal and peak load; return the report R of DESIGN §7.

    `runs` is the number of simulated runs per tier and scenario. Deterministic
    for a seed. Raises SimulationError (with located findings) when the inputs
    or the cross-checks against the contract have errors. `histograms` adds
    40-bin latency and cost histograms per tier (for plots).
    """
    if not isinstance(runs, int) or not 1 <= runs <= MAX_RUNS:
        raise SimulationError(f"runs must be a whole number from 1 to {MAX_RUNS:,}")
    if not isinstance(seed, int) or seed < 0:
        raise SimulationError("seed must be a whole number >= 0")
    terms = contract_terms(contract_data)
    findings = check(contract_data, inputs)
    if has_errors(findings):
        raise SimulationError("the simulation inputs do not fit the contract", findings)
    scenarios = {name: build_scenario(terms, inputs, name) for name in SCENARIOS}
    jobs = [(name, tier.tier_id) for name in SCENARIOS for tier in terms.tiers]
    outcomes = _run_jobs(terms, scenarios, jobs, runs, seed, workers, histograms)
    report: dict[str, Any] = {"runs": runs, "seed": seed, "scenarios": {}}
    for name, plan in scenarios.items():
        report["scenarios"][name] = _scenario_report(terms, inputs, plan, outcomes)
    report["findings"] = [dict(f.to_json(), file=f.file) for f in findings]
    return report


def _run_jobs(
    terms: ContractTerms,
    scenarios: dict[str, ScenarioPlan],
    jobs: list[tuple[str, str]],
    runs: int,
    seed: int,
    workers: int | None,
    histograms: bool,
) -> dict[tuple[str, str], dict[str, Any]]:
    limits = {t.tier_id: (t.slo_ms, t.cap_usd) for t in terms.tiers}

    def one(job: tuple[str, str]) -> dict[str, Any]:
        name, tier_id = job
        out = run_tier(scenarios[name].plans[tier_id], runs, stream_seed(seed, tier_id))
        # Summarise in the worker: quantiles are the costliest serial step.
        return summarise(out, *limits[tier_id], histograms=histograms)

    count = workers or min(len(jobs), os.cpu_count() or 1, 8)
    if count <= 1 or len(jobs) <= 1:
        return {job: one(job) for job in jobs}
    # numpy releases the GIL in its generators and ufuncs: threads use the cores.
    with ThreadPoolExecutor(max_workers=count) as pool:
        return dict(zip(jobs, pool.map(one, jobs), strict=True))


def summarise(
    out: TierOutcome, slo_ms: float, cap_usd: float, *, histograms: bool = False
) -> dict[str, Any]:
    """The per-run figures of one tier and scenario, reduced to the report's numbers.

    Reorders `out`'s arrays in place (quantiles partition them).
    """
    completed = out.completed
    not_blocked = out.not_blocked
    # The per-run arrays are float32: keep the 7 significant digits they hold.
    p50, p95, p99 = (_g7(v) for v in _quantiles(out.latency_ms, [0.5, 0.95, 0.99], completed))
    (cost_p95,) = (_g7(v) for v in _quantiles(out.spend_usd, [0.95], not_blocked))
    stats: dict[str, Any] = {
        "runs": out.runs,
        "completed": completed,
        "latency_p50_ms": p50,
        "latency_p95_ms": p95,
        "latency_p99_ms": p99,
        "latency_mean_ms": _finite(out.latency_sum_ms / completed) if completed else None,
        "latency_attainment": out.within_slo / completed if completed else None,
        "cost_mean_usd": out.spend_sum_usd / not_blocked if not_blocked else None,
        "cost_p95_usd": cost_p95,
        # Blocked runs spend nothing (the gate refuses them before any call).
        "spend_per_run_usd": out.spend_sum_usd / out.runs,
        "blocked": out.blocked,
        "policy_timeouts": out.policy_timeouts,
        "call_failures": out.call_failures,
    }
    if histograms:
        stats["latency_hist_ms"] = _histogram(out.latency_ms, max(slo_ms, p99 or 0.0) * 1.25)
        stats["cost_hist_usd"] = _histogram(out.spend_usd, max(cap_usd, cost_p95 or 0.0) * 1.25)
    return stats


def _g7(value: float | None) -> float | None:
    return None if value is None else float(f"{value:.7g}")


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


# Below this many values a plain partition is as fast as the sampled selection.
_SELECT_DIRECTLY = 50_000


def _quantiles(values: np.ndarray, qs: list[float], count: int) -> list[float | None]:
    """Quantiles of the `count` non-NaN entries of `values`, linear interpolation.

    NaN entries (runs that do not count) are ignored. Infinite values (runs on
    a saturated model) give infinite quantiles, reported as None. Exact: the
    order statistics are found by sampled selection (a bracket from a sorted
    subsample, then a partition of the few values inside it, checked by
    counting; a whole-array partition when the bracket misses). May reorder
    `values` (the caller owns it).
    """
    if count == 0:
        return [None] * len(qs)
    found: list[float | None] = []
    sample = _sample(values, count)
    for q in qs:
        h = (count - 1) * q
        lo = int(math.floor(h))
        hi = min(lo + 1, count - 1)
        a, b = _order_stats(values, count, lo, hi, sample)
        frac = h - lo
        found.append(_finite(a if a == b or frac == 0 else a + frac * (b - a)))
    return found


def _sample(values: np.ndarray, count: int) -> np.ndarray | None:
    if count < _SELECT_DIRECTLY:
        return None
    stride = max(1, values.size // 16_384)
    sample = values[::stride]
    sample = np.sort(sample[~np.isnan(sample)])
    return sample if sample.size >= 1000 else None


def _order_stats(
    values: np.ndarray, count: int, lo: int, hi: int, sample: np.ndarray | None
) -> tuple[float, float]:
    """The lo-th and hi-th smallest non-NaN values (0-based)."""
    if sample is not None:
        size = sample.size
        slack = int(4 * math.sqrt(size)) + 2
        left = sample[max(0, int(lo / count * size) - slack)]
        right = sample[min(size - 1, int(hi / count * size) + slack)]
        below = int(np.count_nonzero(values < left))
        band = values[(values >= left) & (values <= right)]
        if below <= lo and hi < below + band.size:
            band.partition(sorted({lo - below, hi - below}))
            return float(band[lo - below]), float(band[hi - below])
    # Direct: NaN partitions to the end, so ranks below `count` are the real values.
    values.partition(sorted({lo, hi}))
    return float(values[lo]), float(values[hi])


def _scenario_report(
    terms: ContractTerms,
    inputs: SimInputs,
    plan: ScenarioPlan,
    outcomes: dict[tuple[str, str], dict[str, Any]],
) -> dict[str, Any]:
    assert inputs.workload is not None
    tiers: dict[str, Any] = {}
    for tier in terms.tiers:
        stats = outcomes[(plan.scenario, tier.tier_id)]
        work = inputs.workload.tiers[tier.tier_id]
        tiers[tier.tier_id] = _tier_report(
            tier.tier_id, tier.slo_ms, tier.cap_usd, terms, plan, stats, work.runs_per_month
        )
    models = {}
    for alias, q in plan.queues.items():
        models[alias] = {
            "utilization": q.utilization,
            "p_wait": q.p_wait,
            "mean_wait_ms": _finite(q.mean_wait_s * 1000.0),
            "arrival_rate_per_s": q.arrival_rate,
            "service_ms": q.service_s * 1000.0,
            "max_concurrency": q.servers,
            "saturated": q.saturated,
        }
    spend = sum(t["monthly_spend_usd"] for t in tiers.values())
    pmf = inputs.workload.peak_month_factor
    reserve = spend * terms.reserve_percent / 100.0
    needed = spend * (pmf - 1.0)
    totals = {
        "monthly_spend_usd": spend,
        "spend_per_hour_usd": sum(t["spend_per_hour_usd"] for t in tiers.values()),
        "runs_per_month": sum(t["runs_per_month"] for t in tiers.values()),
        "reviews_per_month": sum(t["reviews_per_month"] for t in tiers.values()),
        "reserve_percent": terms.reserve_percent,
        "peak_month_factor": pmf,
        "peak_month_spend_usd": spend * pmf,
        "reserve_usd": reserve,
        "reserve_needed_usd": needed,
        "reserve_ok": needed <= reserve + 1e-12 * max(1.0, spend),
        "verdict": max(
            (t["verdict"] for t in tiers.values()), key=VERDICT_ORDER.__getitem__, default="ok"
        ),
    }
    return {"tiers": tiers, "models": models, "totals": totals}


def _tier_report(
    tier_id: str,
    slo_ms: float,
    cap_usd: float,
    terms: ContractTerms,
    plan: ScenarioPlan,
    stats: dict[str, Any],
    runs_per_month: float,
) -> dict[str, Any]:
    runs = stats["runs"]
    mix = plan.mixes[tier_id]
    used = [m for m, w in mix.items() if w > 0]
    saturated = [m for m in used if plan.queues[m].saturated]
    row: dict[str, Any] = {
        "latency_p50_ms": stats["latency_p50_ms"],
        "latency_p95_ms": stats["latency_p95_ms"],
        "latency_p99_ms": stats["latency_p99_ms"],
        "latency_mean_ms": stats["latency_mean_ms"],
        "latency_slo_ms": slo_ms,
        "latency_attainment": stats["latency_attainment"],
        "availability": stats["completed"] / runs,
        "availability_slo": terms.availability_slo,
        "cost_mean_usd": stats["cost_mean_usd"],
        "cost_p95_usd": stats["cost_p95_usd"],
        "cost_cap_usd": cap_usd,
        "blocked_share": stats["blocked"] / runs,
        "policy_timeout_share": stats["policy_timeouts"] / runs,
        "call_failure_share": stats["call_failures"] / runs,
        "monthly_spend_usd": runs_per_month * stats["spend_per_run_usd"],
        "spend_per_hour_usd": plan.arrival_rates[tier_id] * 3600.0 * stats["spend_per_run_usd"],
        "runs_per_month": runs_per_month,
        "arrival_rate_per_s": plan.arrival_rates[tier_id],
        "reviews_per_month": runs_per_month * plan.review_rates[tier_id],
        "mix": dict(mix),
        "saturated_models": saturated,
        "runs": runs,
    }
    verdict, reasons = _verdict(row, {m: plan.queues[m].utilization for m in used})
    row["verdict"] = verdict
    row["verdict_reasons"] = reasons
    for key in ("latency_hist_ms", "cost_hist_usd"):
        if key in stats:
            row[key] = stats[key]
    return row


def _verdict(row: dict[str, Any], utilizations: dict[str, float]) -> tuple[str, list[str]]:
    breach: list[str] = []
    risk: list[str] = []
    slo, p95 = row["latency_slo_ms"], row["latency_p95_ms"]
    if row["saturated_models"]:
        breach.append(f"saturated: {', '.join(row['saturated_models'])} (utilisation ≥ 100 %)")
    if p95 is None:
        if not row["saturated_models"]:
            breach.append("no run completed")
    elif p95 > slo:
        breach.append(f"p95 latency {p95:,.0f} ms over the {slo:,.0f} ms SLO")
    elif p95 > LATENCY_MARGIN * slo:
        risk.append(f"p95 latency {p95:,.0f} ms within 10 % of the {slo:,.0f} ms SLO")
    budget = 1.0 - row["availability_slo"]
    failed = 1.0 - row["availability"]
    if row["availability"] < row["availability_slo"]:
        breach.append(
            f"availability {row['availability']:.3%} below the {row['availability_slo']:.2%} SLO"
        )
    elif budget > 0 and failed > ERROR_BUDGET_MARGIN * budget:
        risk.append(f"failures use {failed / budget:.0%} of the error budget")
    cap = row["cost_cap_usd"]
    if row["cost_mean_usd"] is not None and row["cost_mean_usd"] > cap:
        breach.append(f"mean cost ${row['cost_mean_usd']:.4g} over the ${cap:g} cap")
    elif row["cost_p95_usd"] is not None and row["cost_p95_usd"] > cap:
        risk.append(f"p95 cost ${row['cost_p95_usd']:.4g} over the ${cap:g} cap")
    hot = {m: u for m, u in utilizations.items() if HOT_UTILIZATION <= u < 1.0}
    if hot:
        model = max(hot, key=lambda m: hot[m])
        risk.append(f"{model} runs at {hot[model]:.0%} of its provider quota (queueing)")
    if breach:
        return "breach", breach + risk
    return ("at_risk", risk) if risk else ("ok", [])


def _histogram(values: np.ndarray, upper: float) -> dict[str, list[float]]:
    finite = values[np.isfinite(values)]
    if finite.size == 0 or upper <= 0:
        return {"edges": [], "counts": []}
    counts, edges = np.histogram(np.minimum(finite, upper), bins=40, range=(0.0, upper))
    return {"edges": [float(e) for e in edges], "counts": [int(c) for c in counts]}


def compare(
    baseline_data: dict[str, Any],
    proposal_data: dict[str, Any],
    inputs: SimInputs,
    runs: int = DEFAULT_RUNS,
    seed: int = 0,
    *,
    workers: int | None = None,
    histograms: bool = False,
) -> dict[str, Any]:
    """Simulate baseline and proposal with common random numbers; add the deltas.

    Returns `{"baseline": R, "proposal": R, "deltas": D, "funding": F}` where D
    mirrors R's scenarios/tiers/models/totals with proposal − baseline for every
    number (None where either side has none), and F checks the proposal's
    peak-month spend against the baseline's spend plus its reserve.
    """
    base = simulate(
        baseline_data, inputs, runs=runs, seed=seed, workers=workers, histograms=histograms
    )
    prop = simulate(
        proposal_data, inputs, runs=runs, seed=seed, workers=workers, histograms=histograms
    )
    return {
        "baseline": base,
        "proposal": prop,
        "deltas": deltas(base, prop),
        "funding": funding(base, prop),
    }


def _delta_row(old: dict[str, Any] | None, new: dict[str, Any] | None) -> dict[str, Any]:
    keys = list((old or {}).keys()) + [k for k in (new or {}) if k not in (old or {})]
    row: dict[str, Any] = {}
    for key in keys:
        a = (old or {}).get(key)
        b = (new or {}).get(key)
        if (
            isinstance(a, bool)
            or isinstance(b, bool)
            or isinstance(a, (dict, list, str))
            or isinstance(b, (dict, list, str))
        ):
            continue
        row[key] = b - a if a is not None and b is not None else None
    if old is None or new is None:
        row["status"] = "added" if old is None else "removed"
    elif old.get("verdict") != new.get("verdict") and "verdict" in old:
        row["verdict"] = f"{old['verdict']} → {new['verdict']}"
    return row


def deltas(base: dict[str, Any], prop: dict[str, Any]) -> dict[str, Any]:
    """proposal − baseline for every number of two reports (same shape as R)."""
    out: dict[str, Any] = {"scenarios": {}}
    for name in SCENARIOS:
        b = base["scenarios"][name]
        p = prop["scenarios"][name]
        scenario: dict[str, Any] = {}
        for part in ("tiers", "models"):
            keys = list(b[part]) + [k for k in p[part] if k not in b[part]]
            scenario[part] = {k: _delta_row(b[part].get(k), p[part].get(k)) for k in keys}
        scenario["totals"] = _delta_row(b["totals"], p["totals"])
        out["scenarios"][name] = scenario
    return out


def funding(base: dict[str, Any], prop: dict[str, Any]) -> dict[str, Any]:
    """Does the proposal's peak month fit in the baseline's spend plus its reserve?"""
    b = base["scenarios"]["normal"]["totals"]
    p = prop["scenarios"]["normal"]["totals"]
    funded = b["monthly_spend_usd"] * (1.0 + b["reserve_percent"] / 100.0)
    return {
        "funded_usd": funded,
        "proposal_peak_month_usd": p["peak_month_spend_usd"],
        "fits": p["peak_month_spend_usd"] <= funded + 1e-12 * max(1.0, funded),
    }
