"""The report R of DESIGN §7, reviews and reserve checks, the text rendering, and the
vectorised model against the same model written as a per-run Python loop."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest_simulation import contract, inputs, model, restrict, tier_load, workload

from workbench.core.simulation import compare, simulate
from workbench.core.simulation.model import run_tier, run_tier_loop, stream_seed
from workbench.core.simulation.plan import build_scenario, contract_terms
from workbench.core.simulation.render import plain, text_lines, usd, usd_delta

TIER_KEYS = {
    "latency_p50_ms",
    "latency_p95_ms",
    "latency_p99_ms",
    "latency_slo_ms",
    "latency_attainment",
    "availability",
    "availability_slo",
    "cost_mean_usd",
    "cost_p95_usd",
    "cost_cap_usd",
    "blocked_share",
    "monthly_spend_usd",
    "reviews_per_month",
    "verdict",
}
SHARES = ("latency_attainment", "availability", "availability_slo", "blocked_share")


def _case():
    inp = inputs(
        {
            "a": model(pin=0.002, pout=0.01, ttft=(400, 1200), tps=90, availability=0.995, quota=8),
            "b": model(pin=0.01, pout=0.03, ttft=(800, 2400), tps=50, availability=0.99, quota=4),
        },
        workload(
            {
                "t1": tier_load(
                    runs_per_month=2_000_000,
                    peak=3,
                    tokens_in=(800, 3000),
                    tokens_out=(100, 400),
                    mix={"a": 3, "b": 1},
                    retries=1,
                ),
                "t2": tier_load(
                    runs_per_month=200_000,
                    calls=3,
                    tokens_in=(4000, 16000),
                    tokens_out=(200, 600),
                    mix={"a": 1, "b": 2},
                    retries=2,
                    review_rate=0.2,
                ),
            },
            policy=(30, 120),
            peak_month=1.25,
        ),
    )
    data = contract(
        {"t1": ["a", "b"], "t2": ["a", "b"]},
        slo={"t1": 3000, "t2": 30000},
        caps={"t1": 0.05, "t2": 1.0},
        checkpoints={"t1": False, "t2": "conditional"},
        enforce_budget=True,
    )
    return data, inp


def test_report_shape_matches_design() -> None:
    data, inp = _case()
    report = simulate(data, inp, runs=20_000)
    json.dumps(report, allow_nan=False)
    assert set(report["scenarios"]) == {"normal", "peak"}
    for scenario in report["scenarios"].values():
        assert set(scenario) >= {"tiers", "models", "totals"}
        for row in scenario["tiers"].values():
            assert TIER_KEYS <= set(row)
            assert row["verdict"] in {"ok", "at_risk", "breach"}
            for key in SHARES:
                assert 0.0 <= row[key] <= 1.0
        for queue in scenario["models"].values():
            assert {"utilization", "p_wait"} <= set(queue)
            assert 0.0 <= queue["p_wait"] <= 1.0
        assert "monthly_spend_usd" in scenario["totals"]


def test_reviews_follow_checkpoints() -> None:
    data, inp = _case()
    data = json.loads(json.dumps(data))
    tiers = simulate(data, inp, runs=2_000)["scenarios"]["normal"]["tiers"]
    assert tiers["t1"]["reviews_per_month"] == 0
    assert tiers["t2"]["reviews_per_month"] == pytest.approx(0.2 * 200_000)
    data["capability_tiers"]["t1"]["requires_human_checkpoint"] = True
    tiers = simulate(data, inp, runs=2_000)["scenarios"]["normal"]["tiers"]
    assert tiers["t1"]["reviews_per_month"] == 2_000_000


def test_reserve_check() -> None:
    data, inp = _case()
    totals = simulate(data, inp, runs=5_000)["scenarios"]["normal"]["totals"]
    spend = totals["monthly_spend_usd"]
    assert totals["peak_month_spend_usd"] == pytest.approx(1.25 * spend)
    assert totals["reserve_usd"] == pytest.approx(0.15 * spend)
    assert totals["reserve_needed_usd"] == pytest.approx(0.25 * spend)
    assert totals["reserve_ok"] is False
    data["economics"]["monthly_reserve_percent"] = 30
    assert simulate(data, inp, runs=5_000)["scenarios"]["normal"]["totals"]["reserve_ok"] is True


def test_compare_deltas_and_funding() -> None:
    data, inp = _case()
    result = compare(data, restrict(data, "t1", ["b"]), inp, runs=20_000)
    d = result["deltas"]["scenarios"]["normal"]
    base = result["baseline"]["scenarios"]["normal"]
    prop = result["proposal"]["scenarios"]["normal"]
    assert d["tiers"]["t1"]["cost_mean_usd"] == pytest.approx(
        prop["tiers"]["t1"]["cost_mean_usd"] - base["tiers"]["t1"]["cost_mean_usd"]
    )
    assert d["totals"]["monthly_spend_usd"] > 0
    assert result["funding"]["proposal_peak_month_usd"] == pytest.approx(
        prop["totals"]["peak_month_spend_usd"]
    )
    assert result["funding"]["fits"] is False


def test_added_and_removed_tiers_in_deltas() -> None:
    data, inp = _case()
    smaller = json.loads(json.dumps(data))
    for section in (
        smaller["capability_tiers"],
        smaller["reliability"]["p95_latency_ms"],
        smaller["economics"]["max_cost_per_run_usd"],
    ):
        del section["t2"]
    result = compare(data, smaller, inp, runs=2_000)
    row = result["deltas"]["scenarios"]["peak"]["tiers"]["t2"]
    assert row["status"] == "removed" and row["cost_mean_usd"] is None
    text = "\n".join(plain(text_lines(result)))
    assert "removed" in text


def test_vectorised_model_agrees_with_the_python_loop() -> None:
    """Same plan, different streams: means and shares agree within ~4 standard errors."""
    data, inp = _case()
    terms = contract_terms(data)
    for scenario in ("normal", "peak"):
        plans = build_scenario(terms, inp, scenario).plans
        for tier_id, plan in plans.items():
            vec = run_tier(plan, 200_000, stream_seed(1, tier_id))
            loop = run_tier_loop(plan, 40_000, seed=2)
            for attr in ("latency_ms", "spend_usd"):
                a, b = getattr(vec, attr).astype(np.float64), getattr(loop, attr).astype(np.float64)
                a, b = a[~np.isnan(a)], b[~np.isnan(b)]  # runs that do not count
                # runs through a saturated model never finish: compare that share, then the rest
                ia, ib = np.isinf(a).mean(), np.isinf(b).mean()
                assert abs(ia - ib) < 5 * np.sqrt(max(ia, ib, 1e-5) / b.size), (tier_id, attr)
                a, b = a[np.isfinite(a)], b[np.isfinite(b)]
                if a.size == 0 or b.size == 0:
                    assert a.size == b.size == 0
                    continue
                se = float(np.sqrt(a.var() / a.size + b.var() / b.size))
                assert abs(a.mean() - b.mean()) < 5 * se + 1e-12, (tier_id, scenario, attr)
                if b.size >= 20_000:  # quantiles of a small subset are too noisy for 3 %
                    for q in (0.5, 0.9):
                        assert np.quantile(a, q) == pytest.approx(np.quantile(b, q), rel=0.03)
            for count in ("blocked", "policy_timeouts", "call_failures"):
                pa, pb = getattr(vec, count) / vec.runs, getattr(loop, count) / loop.runs
                se = np.sqrt(max(pa, pb, 1e-5) / loop.runs)
                assert abs(pa - pb) < 5 * se, (tier_id, count, pa, pb)


def test_text_report_style() -> None:
    assert usd_delta(0.31, 0.43) == "+$0.12 ($0.31 → $0.43)"
    assert usd_delta(0.5, 0.5) == "+$0 ($0.50 → $0.50)"
    assert usd(39979.03) == "$39,979"
    assert usd(0.000256) == "$0.000256"
    data, inp = _case()
    result = compare(data, restrict(data, "t1", ["b"]), inp, runs=5_000)
    lines = text_lines(result, baseline_label="HEAD", proposal_label="working tree")
    text = "\n".join(plain(lines))
    assert "HEAD → working tree" in text
    assert "NORMAL LOAD" in text and "PEAK LOAD" in text and "RESERVE" in text
    assert "p95 " in text and "(SLO 3,000)" in text
    tags = {tag for line in lines for _, tag in line}
    assert {"ok", "breach"} & tags
    t2 = [plain([line])[0] for line in lines if plain([line])[0].startswith("  t2")]
    assert t2  # t2 did not change: its figures are identical
    assert "no change" in text


@pytest.mark.parametrize("size", [7, 1_000, 60_000, 400_000])
@pytest.mark.parametrize("kind", ["plain", "nan", "inf", "ties"])
def test_sampled_selection_is_exact(size: int, kind: str) -> None:
    """The quantile selection equals numpy's linear quantile of the counted values."""
    from workbench.core.simulation.report import _quantiles

    rng = np.random.default_rng(size)
    values = rng.lognormal(5, 1, size).astype(np.float32)
    if kind == "nan":
        values[rng.random(size) < 0.1] = np.nan
    elif kind == "inf":
        values[rng.random(size) < 0.03] = np.inf
    elif kind == "ties":
        values = np.round(values / 50).astype(np.float32)
    kept = values[~np.isnan(values)].astype(np.float64)
    qs = [0.5, 0.95, 0.99]
    got = _quantiles(values.copy(), qs, kept.size)
    ordered = np.sort(kept)
    for q, value in zip(qs, got, strict=True):
        h = (kept.size - 1) * q
        lo, hi = int(np.floor(h)), min(int(np.floor(h)) + 1, kept.size - 1)
        if not np.isfinite(ordered[hi]) and (h > lo or not np.isfinite(ordered[lo])):
            assert value is None  # an infinite order statistic: no finite quantile
        else:
            assert value == pytest.approx(
                float(np.quantile(ordered[: hi + 1], h / hi if hi else 0)), rel=1e-6
            )
