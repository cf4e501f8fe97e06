"""Accuracy of the impact simulator against closed forms, with stated tolerances.

Tolerances are about 4-5 standard errors of the Monte Carlo estimate at the
run counts used (stated per test), so they fail for a real bias, not for noise;
with a fixed seed the tests are deterministic anyway.
"""

from __future__ import annotations

import json
import math
from fractions import Fraction
from statistics import NormalDist

import pytest
from conftest_simulation import contract, inputs, model, restrict, tier_load, workload

from workbench.core.simulation import compare, simulate
from workbench.core.simulation.inputs import Z95
from workbench.core.simulation.queueing import erlang_b, erlang_c, mmc

N = 200_000
PHI = NormalDist()


def _tier(report: dict, tier: str = "t", scenario: str = "normal") -> dict:
    return report["scenarios"][scenario]["tiers"][tier]


# --- lognormal fits -----------------------------------------------------------


def test_single_lognormal_component_quantiles() -> None:
    """Latency = TTFT alone (constant policy 0 ms, no output, no queue).

    Quantile q of LN(p50, σ) is p50·exp(σ·z_q), σ = ln(p95/p50)/z_0.95.
    Standard errors at N = 200k: p50 0.2 %, p95 0.35 %, p99 0.6 %;
    tolerances 1 %, 1.5 %, 2.5 %; mean 1 %; attainment ±0.005.
    """
    p50, p95 = 500.0, 1500.0
    sigma = math.log(p95 / p50) / Z95
    inp = inputs({"m": model(ttft=(p50, p95))}, workload({"t": tier_load()}, policy=(0.0, 0.0)))
    row = _tier(simulate(contract({"t": ["m"]}, slo={"t": 1200}), inp, runs=N))
    assert row["latency_p50_ms"] == pytest.approx(p50, rel=0.01)
    assert row["latency_p95_ms"] == pytest.approx(p95, rel=0.015)
    assert row["latency_p99_ms"] == pytest.approx(p50 * math.exp(sigma * 2.3263478740), rel=0.025)
    assert row["latency_mean_ms"] == pytest.approx(p50 * math.exp(sigma**2 / 2), rel=0.01)
    expected_attainment = PHI.cdf(math.log(1200 / p50) / sigma)
    assert row["latency_attainment"] == pytest.approx(expected_attainment, abs=0.005)


def test_constant_pair_is_exactly_constant() -> None:
    """p50 == p95 means a constant: every run takes exactly TTFT + out/tps + policy."""
    inp = inputs(
        {"m": model(ttft=(300.0, 300.0), tps=50.0)},
        workload({"t": tier_load(tokens_out=(100.0, 100.0))}, policy=(20.0, 20.0)),
    )
    row = _tier(simulate(contract({"t": ["m"]}), inp, runs=10_000))
    expected = 20.0 + 300.0 + 100.0 / 50.0 * 1000.0
    for key in ("latency_p50_ms", "latency_p95_ms", "latency_p99_ms", "latency_mean_ms"):
        assert row[key] == pytest.approx(expected, rel=1e-6)


# --- costs ----------------------------------------------------------------------


def test_exact_costs_with_constant_tokens() -> None:
    """Constant tokens, availability 1: cost = calls × (in·p_in + out·p_out) / 1000 exactly.

    Tolerance: 1e-6 relative (per-run costs are kept as float32 for quantiles;
    sums and means are float64).
    """
    inp = inputs(
        {"m": model(pin=0.003, pout=0.015)},
        workload(
            {
                "t": tier_load(
                    runs_per_month=250_000, calls=3, tokens_in=(1000, 1000), tokens_out=(200, 200)
                )
            }
        ),
    )
    row = _tier(simulate(contract({"t": ["m"]}), inp, runs=50_000))
    per_run = 3 * (1000 * 0.003 + 200 * 0.015) / 1000
    assert row["cost_mean_usd"] == pytest.approx(per_run, rel=1e-9)
    assert row["cost_p95_usd"] == pytest.approx(per_run, rel=1e-6)
    assert row["monthly_spend_usd"] == pytest.approx(250_000 * per_run, rel=1e-9)
    assert row["blocked_share"] == 0.0
    assert row["availability"] == 1.0


def test_retries_add_cost_and_fail_runs_as_geometric() -> None:
    """availability a, R retries: E[attempts] = Σ_{j≤R} q^j, run success = 1 − q^(R+1).

    q = 0.1, R = 2: E[attempts] = 1.11, availability 0.999. Standard errors at
    N = 200k: mean cost 0.08 %, availability 7e-5; tolerances 0.4 % and 3e-4.
    """
    inp = inputs(
        {"m": model(pin=0.01, availability=0.9)},
        workload({"t": tier_load(tokens_in=(1000, 1000), retries=2)}),
    )
    row = _tier(simulate(contract({"t": ["m"]}), inp, runs=N))
    assert row["cost_mean_usd"] == pytest.approx(0.01 * 1.11, rel=0.004)
    assert row["availability"] == pytest.approx(0.999, abs=3e-4)
    assert row["call_failure_share"] == pytest.approx(0.001, abs=3e-4)


def test_blocked_share_is_a_lognormal_tail_probability() -> None:
    """With budget enforcement, P(blocked) = P(cost > cap) = 1 − Φ(ln(x/p50)/σ).

    Input tokens LN(1000, 4000), price 1e-5 USD/token, cap $0.03 → x = 3000
    tokens: P ≈ 0.0962. Standard error at N = 200k is 0.00066; tolerance 0.003.
    """
    sigma = math.log(4.0) / Z95
    expected = 1.0 - PHI.cdf(math.log(3.0) / sigma)
    inp = inputs({"m": model(pin=0.01)}, workload({"t": tier_load(tokens_in=(1000, 4000))}))
    enforced = _tier(
        simulate(contract({"t": ["m"]}, caps={"t": 0.03}, enforce_budget=True), inp, runs=N)
    )
    assert enforced["blocked_share"] == pytest.approx(expected, abs=0.003)
    assert enforced["availability"] == pytest.approx(1.0 - enforced["blocked_share"], abs=1e-12)
    assert enforced["cost_p95_usd"] <= 0.03
    assert enforced["verdict"] == "breach"  # availability far below 99.5 %
    # Without the control nothing is blocked, and a p95 over the cap is a risk.
    free = _tier(simulate(contract({"t": ["m"]}, caps={"t": 0.03}), inp, runs=N))
    assert free["blocked_share"] == 0.0
    assert free["cost_p95_usd"] > 0.03
    assert free["verdict"] == "at_risk"


def test_policy_timeout_share_is_a_lognormal_tail() -> None:
    """A policy decision over the timeout fails the run: share = 1 − Φ(ln(T/p50)/σ) (±0.002)."""
    sigma = math.log(160 / 40) / Z95
    expected = 1.0 - PHI.cdf(math.log(150 / 40) / sigma)
    inp = inputs({"m": model()}, workload({"t": tier_load()}, policy=(40.0, 160.0)))
    row = _tier(simulate(contract({"t": ["m"]}, timeout_ms=150), inp, runs=N))
    assert row["policy_timeout_share"] == pytest.approx(expected, abs=0.002)
    assert row["availability"] == pytest.approx(1 - row["policy_timeout_share"], abs=1e-12)


# --- queueing ---------------------------------------------------------------------


def _erlang_c_exact(c: int, load: Fraction) -> float:
    top = load**c / math.factorial(c) * Fraction(c) / (c - load)
    return float(top / (sum(load**k / math.factorial(k) for k in range(c)) + top))


@pytest.mark.parametrize(
    ("servers", "load", "published"),
    [
        (1, 0.5, 0.5),  # M/M/1: P(wait) = ρ
        (2, 1.0, 1 / 3),  # M/M/2: 2ρ²/(1+ρ) at ρ = 0.5
        (3, 2.0, 4 / 9),  # textbook example: 3 agents, 2 Erlangs
        (11, 10.0, 0.6821),  # call-centre table: 10 Erlangs on 11 agents → 68.21 %
    ],
)
def test_erlang_c_against_published_values(servers: int, load: float, published: float) -> None:
    """Erlang C against published values (4 decimals) and exact rational arithmetic (1e-12)."""
    assert erlang_c(servers, load) == pytest.approx(published, abs=5e-5)
    assert erlang_c(servers, load) == pytest.approx(
        _erlang_c_exact(servers, Fraction(load)), rel=1e-12
    )


def test_erlang_c_is_stable_for_large_pools() -> None:
    """Thousands of servers: no overflow, matches exact arithmetic (1e-9), monotone in load."""
    value = erlang_c(1000, 900.0)
    assert value == pytest.approx(_erlang_c_exact(1000, Fraction(900)), rel=1e-9)
    assert erlang_c(1000, 950.0) > value > erlang_c(1000, 850.0)
    assert erlang_b(5000, 100.0) == 0.0 or erlang_b(5000, 100.0) < 1e-300
    assert erlang_c(4, 4.0) == 1.0 and erlang_c(4, 0.0) == 0.0


def test_sampled_queue_wait_matches_mmc() -> None:
    """Constant service, c = 2, ρ = 0.5: P(wait) = 1/3, E[wait] = C/(cμ − λ).

    Latency = 1000 ms service + wait, so the share of runs above 1000 ms is
    P(wait) (SE 0.001, tolerance 0.005) and the mean excess is E[W] (tolerance 2 %).
    """
    service_s = 1.0
    rate = 1.0  # calls per second → A = 1 Erlang on 2 servers
    runs_per_month = rate * 730 * 3600
    inp = inputs(
        {"m": model(ttft=(1000.0, 1000.0), quota=2)},
        workload({"t": tier_load(runs_per_month=runs_per_month)}, policy=(0.0, 0.0)),
    )
    report = simulate(contract({"t": ["m"]}, slo={"t": 1000}), inp, runs=N)
    row = _tier(report)
    queue = report["scenarios"]["normal"]["models"]["m"]
    assert queue["utilization"] == pytest.approx(0.5, rel=1e-9)
    assert queue["p_wait"] == pytest.approx(1 / 3, rel=1e-9)
    assert 1.0 - row["latency_attainment"] == pytest.approx(1 / 3, abs=0.005)
    expected_wait_ms = mmc(rate, service_s, 2).mean_wait_s * 1000
    assert expected_wait_ms == pytest.approx((1 / 3) / (2 / service_s - rate) * 1000)
    assert row["latency_mean_ms"] - 1000.0 == pytest.approx(expected_wait_ms, rel=0.02)


def test_saturation_is_a_breach() -> None:
    """ρ ≥ 1 on a model: every tier using it breaches; JSON stays finite (None, not inf)."""
    inp = inputs(
        {"slow": model(ttft=(2000.0, 2000.0), quota=1), "spare": model()},
        workload(
            {
                "t": tier_load(
                    runs_per_month=2 * 730 * 3600, peak=1.0
                ),  # 2 calls/s × 2 s = 4 Erlangs
                "other": tier_load(),
            }
        ),
    )
    report = simulate(contract({"t": ["slow"], "other": ["spare"]}), inp, runs=20_000)
    queue = report["scenarios"]["peak"]["models"]["slow"]
    assert queue["saturated"] and queue["utilization"] >= 1.0 and queue["p_wait"] == 1.0
    row = _tier(report, scenario="peak")
    assert row["verdict"] == "breach"
    assert row["saturated_models"] == ["slow"]
    assert row["latency_p95_ms"] is None and row["latency_attainment"] == 0.0
    assert _tier(report, "other", "peak")["verdict"] == "ok"
    json.dumps(report, allow_nan=False)  # no inf or nan anywhere


def test_peak_scenario_scales_arrival_rates() -> None:
    """Peak rate = average rate × peak_to_average; utilisation follows."""
    inp = inputs(
        {"m": model(ttft=(500.0, 500.0), quota=50)},
        workload({"t": tier_load(runs_per_month=730 * 3600, peak=3.0)}),
    )
    report = simulate(contract({"t": ["m"]}), inp, runs=5_000)
    normal = report["scenarios"]["normal"]
    peak = report["scenarios"]["peak"]
    assert normal["tiers"]["t"]["arrival_rate_per_s"] == pytest.approx(1.0)
    assert peak["tiers"]["t"]["arrival_rate_per_s"] == pytest.approx(3.0)
    assert peak["models"]["m"]["utilization"] == pytest.approx(
        3 * normal["models"]["m"]["utilization"]
    )
    assert normal["models"]["m"]["utilization"] == pytest.approx(1.0 * 0.5 / 50)


# --- model mix ----------------------------------------------------------------------


def test_removed_models_traffic_moves_to_the_others() -> None:
    """Mix {a: 0.7, b: 0.3}: mean cost 0.7·c_a + 0.3·c_b (±0.5 %); dropping a puts all on b."""
    models = {"a": model(pin=0.001), "b": model(pin=0.01)}
    load = workload({"t": tier_load(tokens_in=(1000, 1000), mix={"a": 0.7, "b": 0.3})})
    inp = inputs(models, load)
    base = contract({"t": ["a", "b"]})
    result = compare(base, restrict(base, "t", ["b"]), inp, runs=N, seed=3)
    before = _tier(result["baseline"])
    after = _tier(result["proposal"])
    assert before["cost_mean_usd"] == pytest.approx(0.7 * 0.001 + 0.3 * 0.01, rel=0.005)
    assert after["cost_mean_usd"] == pytest.approx(0.01, rel=1e-9)
    assert after["mix"] == {"b": 1.0}
    models_after = result["proposal"]["scenarios"]["normal"]["models"]
    models_before = result["baseline"]["scenarios"]["normal"]["models"]
    assert models_after["a"]["arrival_rate_per_s"] == 0.0
    assert models_after["b"]["arrival_rate_per_s"] == pytest.approx(
        models_before["a"]["arrival_rate_per_s"] + models_before["b"]["arrival_rate_per_s"]
    )
    delta = result["deltas"]["scenarios"]["normal"]["tiers"]["t"]["cost_mean_usd"]
    assert delta == pytest.approx(after["cost_mean_usd"] - before["cost_mean_usd"])


def test_missing_mix_splits_equally() -> None:
    """No model_mix: traffic is split equally over the approved models (±0.5 %)."""
    inp = inputs(
        {"a": model(pin=0.001), "b": model(pin=0.003)},
        workload({"t": tier_load(tokens_in=(1000, 1000))}),
    )
    row = _tier(simulate(contract({"t": ["a", "b"]}), inp, runs=N))
    assert row["mix"] == {"a": 0.5, "b": 0.5}
    assert row["cost_mean_usd"] == pytest.approx(0.002, rel=0.005)


# --- determinism and common random numbers ------------------------------------------------


def _seed_case() -> tuple[dict, dict]:
    from workbench.core.resources import resource_dir
    from workbench.core.simulation import load_inputs
    from workbench.core.yaml_safe import parse_yaml

    folder = resource_dir("sample_contracts")
    path = folder / "ai-internal-developer-contract.yml"
    data = parse_yaml(path.read_bytes()).data
    return data, {"inputs": load_inputs(None, None, path)}


def test_deterministic_for_a_seed_and_thread_count() -> None:
    """Same seed → identical report, whatever the number of worker threads."""
    data, ctx = _seed_case()
    one = simulate(data, ctx["inputs"], runs=30_000, seed=7, workers=1)
    two = simulate(data, ctx["inputs"], runs=30_000, seed=7, workers=2)
    assert one == two
    other = simulate(data, ctx["inputs"], runs=30_000, seed=8)
    assert (
        other["scenarios"]["normal"]["tiers"]["tier_2"]["latency_p95_ms"]
        != (one["scenarios"]["normal"]["tiers"]["tier_2"]["latency_p95_ms"])
    )


def test_unchanged_tiers_show_identical_figures() -> None:
    """Seed contract, tier_2 restricted to `advanced`: at normal load the tier_1 and tier_3
    deltas are all zero; tier_2 gets dearer and slower, as the catalog says (advanced costs
    5× and is slower). At the peak hour the moved traffic fills advanced's shared quota
    (bundled data: about 41 % → 90 %), so tier_3 waits too: its costs stay identical and
    only its latency moves; tier_1 (on fast) stays identical."""
    data, ctx = _seed_case()
    result = compare(data, restrict(data, "tier_2", ["advanced"]), ctx["inputs"], runs=50_000)
    for scenario, unchanged in (("normal", ("tier_1", "tier_3")), ("peak", ("tier_1",))):
        deltas = result["deltas"]["scenarios"][scenario]["tiers"]
        for tier in unchanged:
            assert all(v == 0 for v in deltas[tier].values()), deltas[tier]
            assert (
                result["baseline"]["scenarios"][scenario]["tiers"][tier]
                == result["proposal"]["scenarios"][scenario]["tiers"][tier]
            )
        assert deltas["tier_2"]["cost_mean_usd"] > 0.05
        assert deltas["tier_2"]["latency_p95_ms"] > 200
        assert deltas["tier_2"]["latency_p50_ms"] > 0
    peak = result["deltas"]["scenarios"]["peak"]["tiers"]
    assert peak["tier_2"]["latency_p95_ms"] > 1000  # the advanced queue at the peak hour
    assert peak["tier_3"]["cost_mean_usd"] == 0 and peak["tier_3"]["cost_p95_usd"] == 0
    assert peak["tier_3"]["latency_p95_ms"] > 0
    models = result["proposal"]["scenarios"]["peak"]["models"]
    assert 0.85 <= models["advanced"]["utilization"] < 1.0
    assert result["baseline"]["scenarios"]["peak"]["models"]["advanced"]["utilization"] < 0.6
    assert result["proposal"]["scenarios"]["peak"]["tiers"]["tier_3"]["verdict"] != "ok"


def test_shared_queue_change_reaches_other_tiers() -> None:
    """With a tight quota, moving traffic onto a shared model slows its other tier too."""
    models = {"a": model(ttft=(1000.0, 1000.0), quota=3), "b": model()}
    load = workload(
        {
            "x": tier_load(runs_per_month=730 * 3600, mix={"a": 1, "b": 1}),  # 1 run/s
            "y": tier_load(runs_per_month=730 * 3600),
        }
    )
    inp = inputs(models, load)
    base = contract({"x": ["a", "b"], "y": ["a"]})
    result = compare(base, restrict(base, "x", ["a"]), inp, runs=50_000)
    y = result["deltas"]["scenarios"]["normal"]["tiers"]["y"]
    assert y["latency_mean_ms"] > 0
    assert result["deltas"]["scenarios"]["normal"]["models"]["a"]["utilization"] == pytest.approx(
        (2.0 - 1.5) / 3
    )


def test_calls_in_a_run_pick_models_independently() -> None:
    """Two calls per run, mix 50/50 over a (100 ms) and b (1000 ms), all else constant:
    run latency is 200, 1100 or 2000 ms with probabilities 1/4, 1/2, 1/4 (±0.005)."""
    inp = inputs(
        {"a": model(ttft=(100.0, 100.0)), "b": model(ttft=(1000.0, 1000.0))},
        workload({"t": tier_load(calls=2, mix={"a": 1, "b": 1})}, policy=(0.0, 0.0)),
    )
    data = contract({"t": ["a", "b"]}, slo={"t": 1500})
    row = _tier(simulate(data, inp, runs=N))
    assert row["latency_attainment"] == pytest.approx(0.75, abs=0.005)
    assert row["latency_p50_ms"] == pytest.approx(1100.0, rel=1e-6)
    assert row["latency_mean_ms"] == pytest.approx(1100.0, rel=0.005)
    low = _tier(simulate(contract({"t": ["a", "b"]}, slo={"t": 500}), inp, runs=N))
    assert low["latency_attainment"] == pytest.approx(0.25, abs=0.005)
