"""The Monte Carlo model of one tier in one scenario (see docs/simulation.md).

One simulated run: a policy decision (lognormal; over the timeout the run
fails), then `calls_per_run` sequential model calls. Each call picks a model
by the tier's mix, waits in that model's M/M/c queue, pays time to first token
plus output tokens ÷ throughput, and fails with probability 1 − availability,
retried up to `max_retries` times (each attempt costs the call's time and
tokens again). A call whose attempts all fail fails the run, and later calls
are not made. With budget enforcement, a run whose cost exceeds the tier's cap
is blocked before it runs (it spends nothing and counts as failed).

Random numbers: every run draws the same fixed set of numbers in the same
order whatever the contract says (model choice by a uniform through the mix's
inverse CDF; waits and failures by inverse CDFs too), and each tier has its
own stream seeded from (seed, tier id), shared by both scenarios. So a
baseline and a proposal see the same random numbers per tier — common random
numbers — and a tier whose inputs did not change gets identical figures.
"""

from __future__ import annotations

import math
import random
import zlib
from dataclasses import dataclass

import numpy as np

from workbench.core.simulation.inputs import Z95

SCENARIOS: tuple[str, ...] = ("normal", "peak")
# Calls per chunk: bounds the working set (about 20 float64 arrays of this size,
# ~10 MiB) and keeps it in cache; 64k measured fastest on 2 cores (bench/simulate.py).
CHUNK_CALLS = 65_536


@dataclass(frozen=True)
class TierPlan:
    """Everything the sampler needs for one tier in one scenario (plain numbers).

    Per-model arrays are aligned with `models` (the models with weight > 0).
    Prices are USD per token; times are milliseconds; `theta_per_ms` is the
    rate of the conditional queue wait.
    """

    tier_id: str
    calls_per_run: int
    max_retries: int
    in_p50: float
    in_sigma: float
    out_p50: float
    out_sigma: float
    policy_p50: float
    policy_sigma: float
    policy_timeout_ms: float
    cap_usd: float
    slo_ms: float
    enforce_budget: bool
    models: tuple[str, ...]
    weights: tuple[float, ...]
    usd_per_in_token: tuple[float, ...]
    usd_per_out_token: tuple[float, ...]
    ttft_p50: tuple[float, ...]
    ttft_sigma: tuple[float, ...]
    ms_per_out_token: tuple[float, ...]
    fail_prob: tuple[float, ...]
    p_wait: tuple[float, ...]
    theta_per_ms: tuple[float, ...]
    saturated: tuple[bool, ...]


@dataclass
class TierOutcome:
    """Per-run results of one tier and scenario.

    `latency_ms` holds the completed runs, `spend_usd` the runs not blocked (0
    for a run whose policy decision timed out: it made no call); both are
    float32 (for quantiles; 8 bytes per run). Sums and counts are exact float64
    accumulations made while sampling.
    """

    runs: int
    latency_ms: np.ndarray
    spend_usd: np.ndarray
    blocked: int = 0
    policy_timeouts: int = 0
    call_failures: int = 0
    latency_sum_ms: float = 0.0
    spend_sum_usd: float = 0.0
    within_slo: int = 0

    @property
    def completed(self) -> int:
        """Runs that finished: not blocked, no policy timeout, no failed call."""
        return int(self.latency_ms.size)


STREAMS = ("policy", "model", "tokens_in", "tokens_out", "ttft", "wait", "fail")
# 1 − U with U from Generator.random() is never below 2^-53: a wait probability
# at or under it can never be hit, so its draws may be skipped exactly.
_SMALLEST_U = 2.0**-53


def stream_seed(seed: int, tier_id: str) -> np.random.SeedSequence:
    """The seed of one tier's streams: stable across processes, platforms and versions.

    Normal and peak use the same streams too, so peak − normal is the effect of
    the load alone, not of different random numbers.
    """
    if seed < 0:
        raise ValueError("seed must be >= 0")
    return np.random.SeedSequence([seed, zlib.crc32(tier_id.encode("utf-8"))])


def chunk_runs(calls_per_run: int) -> int:
    """Runs per chunk for a tier (fixed by the workload, so chunks line up across runs)."""
    return max(1024, CHUNK_CALLS // calls_per_run)


def run_tier(plan: TierPlan, runs: int, seed: np.random.SeedSequence) -> TierOutcome:
    """Simulate `runs` runs of one tier, vectorised and chunked; deterministic for a seed.

    Each source of randomness has its own stream (spawned from `seed`), so a
    source a plan does not need (one model: no choice; availability 1: no
    failures; a constant: no draw; a wait probability too small to hit) is
    skipped without shifting the others.
    """
    streams = {
        name: np.random.Generator(np.random.SFC64(child))
        for name, child in zip(STREAMS, seed.spawn(len(STREAMS)), strict=True)
    }
    step = chunk_runs(plan.calls_per_run)
    latency = np.empty(runs, dtype=np.float32)
    spend = np.empty(runs, dtype=np.float32)
    n_lat = n_spend = 0
    blocked = timeouts = failures = within = 0
    lat_sum = spend_sum = 0.0
    done = 0
    while done < runs:
        n = min(step, runs - done)
        lat, cost, b, t, f = _chunk(plan, streams, n)
        latency[n_lat : n_lat + lat.size] = lat
        spend[n_spend : n_spend + cost.size] = cost
        n_lat += lat.size
        n_spend += cost.size
        lat_sum += float(lat.sum())
        spend_sum += float(cost.sum())
        within += int(np.count_nonzero(lat <= plan.slo_ms))
        blocked += b
        timeouts += t
        failures += f
        done += n
    return TierOutcome(
        runs,
        latency[:n_lat],
        spend[:n_spend],
        blocked,
        timeouts,
        failures,
        lat_sum,
        spend_sum,
        within,
    )


def _lognormal(
    rng: np.random.Generator, p50: float, sigma: float, shape: tuple[int, ...]
) -> np.ndarray | float:
    """Lognormal draws with median p50; the constant p50 itself when σ = 0 (no draw)."""
    if sigma == 0:
        return p50
    z = rng.standard_normal(shape)
    # p50·exp(σz) rather than exp(μ + σz): exact medians, computed in place.
    z *= sigma
    np.exp(z, out=z)
    z *= p50
    return z


def _chunk(
    plan: TierPlan, rs: dict[str, np.random.Generator], n: int
) -> tuple[np.ndarray, np.ndarray, int, int, int]:
    k = plan.calls_per_run
    shape = (n, k)
    if len(plan.models) == 1:

        def pick(values: tuple[float, ...] | tuple[bool, ...]) -> float | np.ndarray:
            return values[0]
    else:
        bounds = np.cumsum(np.asarray(plan.weights, dtype=np.float64))
        bounds /= bounds[-1]
        idx = np.searchsorted(bounds[:-1], rs["model"].random(shape), side="right")

        def pick(values: tuple[float, ...] | tuple[bool, ...]) -> float | np.ndarray:
            return np.take(np.asarray(values), idx)

    policy_ms = _lognormal(rs["policy"], plan.policy_p50, plan.policy_sigma, (n,))
    tokens_in = _lognormal(rs["tokens_in"], plan.in_p50, plan.in_sigma, shape)
    tokens_out = _lognormal(rs["tokens_out"], plan.out_p50, plan.out_sigma, shape)
    if max(plan.ttft_sigma) > 0:
        z = rs["ttft"].standard_normal(shape)
        z *= pick(plan.ttft_sigma)
        np.exp(z, out=z)
        z *= pick(plan.ttft_p50)
        call_ms = z
    else:
        call_ms = np.broadcast_to(pick(plan.ttft_p50), shape).astype(np.float64)
    call_ms += tokens_out * pick(plan.ms_per_out_token)

    if any(plan.saturated):
        call_ms[np.broadcast_to(pick(plan.saturated), shape)] = np.inf
    # Queue wait: with probability C the call waits ~ Exp(θ); inverse CDF of one uniform.
    if max(plan.p_wait) > _SMALLEST_U:
        u = rs["wait"].random(shape)
        np.subtract(1.0, u, out=u)  # (0, 1]
        c = np.broadcast_to(pick(plan.p_wait), shape)
        waits = u < c
        if waits.any():
            theta = np.broadcast_to(pick(plan.theta_per_ms), shape)
            call_ms[waits] += np.log(c[waits] / u[waits]) / theta[waits]

    price = tokens_in * pick(plan.usd_per_in_token) + tokens_out * pick(plan.usd_per_out_token)
    price = np.broadcast_to(price, shape)
    run_ok = None
    if max(plan.fail_prob) > 0:
        # Failures before a success ~ Geometric(a): F ≥ j  ⇔  U ≤ q^j, U in (0, 1].
        u = rs["fail"].random(shape)
        np.subtract(1.0, u, out=u)
        q = pick(plan.fail_prob)
        attempts = np.ones(shape)
        for j in range(1, plan.max_retries + 1):
            attempts += u <= q**j
        success = u > q ** (plan.max_retries + 1)
        if k > 1:
            # A call is made only when every earlier call of the run succeeded.
            made = np.ones(shape, dtype=bool)
            made[:, 1:] = np.logical_and.accumulate(success[:, :-1], axis=1)
            attempts *= made
        run_ok = success.all(axis=1)
        with np.errstate(invalid="ignore"):
            # a call not made on a saturated model is inf × 0: it adds nothing
            timed = (
                np.where(attempts > 0, call_ms * attempts, 0.0)
                if any(plan.saturated)
                else call_ms * attempts
            )
        priced = price * attempts
    else:
        timed, priced = call_ms, price
    if k == 1:
        latency = timed[:, 0] + policy_ms
        cost = np.array(priced[:, 0])
    else:
        latency = timed.sum(axis=1) + policy_ms
        cost = priced.sum(axis=1)

    blocked = cost > plan.cap_usd if plan.enforce_budget else np.zeros(n, dtype=bool)
    timed_out = np.asarray(policy_ms > plan.policy_timeout_ms) & ~blocked
    live = ~blocked & ~timed_out
    completed = live if run_ok is None else live & run_ok
    cost[timed_out] = 0.0  # a run stopped by its policy check makes no call
    n_blocked = int(np.count_nonzero(blocked))
    spend = cost[~blocked] if n_blocked else cost
    n_timeout = int(np.count_nonzero(timed_out))
    n_completed = int(np.count_nonzero(completed))
    n_failed = int(np.count_nonzero(live)) - n_completed
    return latency[completed], spend, n_blocked, n_timeout, n_failed


def run_tier_loop(plan: TierPlan, runs: int, seed: int) -> TierOutcome:
    """The same model as a plain per-run Python loop (reference and benchmark baseline).

    Its random streams differ from `run_tier`'s, so results agree in
    distribution, not run by run.
    """
    rnd = random.Random(seed)
    bounds = list(np.cumsum(plan.weights) / sum(plan.weights))
    latencies: list[float] = []
    spends: list[float] = []
    blocked = timeouts = failures = 0
    for _ in range(runs):
        policy = plan.policy_p50 * math.exp(plan.policy_sigma * rnd.gauss(0.0, 1.0))
        latency = policy
        cost = 0.0
        ok = True
        for _call in range(plan.calls_per_run):
            u = rnd.random()
            i = 0
            while i < len(bounds) - 1 and u >= bounds[i]:
                i += 1
            t_in = plan.in_p50 * math.exp(plan.in_sigma * rnd.gauss(0.0, 1.0))
            t_out = plan.out_p50 * math.exp(plan.out_sigma * rnd.gauss(0.0, 1.0))
            ttft = plan.ttft_p50[i] * math.exp(plan.ttft_sigma[i] * rnd.gauss(0.0, 1.0))
            if plan.saturated[i]:
                wait = math.inf
            else:
                uw = 1.0 - rnd.random()
                wait = (
                    math.log(plan.p_wait[i] / uw) / plan.theta_per_ms[i]
                    if uw < plan.p_wait[i]
                    else 0.0
                )
            attempts = 0
            success = False
            while attempts <= plan.max_retries:
                attempts += 1
                if rnd.random() >= plan.fail_prob[i]:
                    success = True
                    break
            call = wait + ttft + t_out * plan.ms_per_out_token[i]
            latency += attempts * call
            cost += attempts * (t_in * plan.usd_per_in_token[i] + t_out * plan.usd_per_out_token[i])
            if not success:
                ok = False
                break
        if plan.enforce_budget and cost > plan.cap_usd:
            blocked += 1
            continue
        if policy > plan.policy_timeout_ms:
            timeouts += 1
            spends.append(0.0)
            continue
        spends.append(cost)
        if ok:
            latencies.append(latency)
        else:
            failures += 1
    lat = np.asarray(latencies, dtype=np.float64)
    cost = np.asarray(spends, dtype=np.float64)
    within = int(np.count_nonzero(lat <= plan.slo_ms))
    return TierOutcome(
        runs,
        lat.astype(np.float32),
        cost.astype(np.float32),
        blocked,
        timeouts,
        failures,
        float(lat.sum()),
        float(cost.sum()),
        within,
    )


def lognormal_sigma(p50: float, p95: float) -> float:
    """σ of the lognormal with median p50 and 95th percentile p95 (0 for a constant)."""
    return 0.0 if p95 == p50 else math.log(p95 / p50) / Z95
