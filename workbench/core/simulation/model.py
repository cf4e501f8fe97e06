"""The Monte Carlo model of one tier in one scenario (see docs/simulation.md).

One simulated run: a policy decision (lognormal; over the timeout the run
fails), then `calls_per_run` sequential model calls. Each call picks a model
by the tier's mix, waits in that model's M/M/c queue, pays time to first token
plus output tokens ÷ throughput, and fails with probability 1 − availability,
retried up to `max_retries` times (each attempt costs the call's time and
tokens again). A call whose attempts all fail fails the run, and later calls
are not made. With budget enforcement, a run whose cost exceeds the tier's cap
is blocked before it runs (it spends nothing and counts as failed).

Random numbers: each tier has its own streams seeded from (seed, tier id),
one per source (policy, model choice, tokens in/out, TTFT) plus one per
model for waits and one for failures, shared by both scenarios. A source's
draws depend only on its own parameters, so a baseline and a proposal see
the same random numbers per tier (common random numbers) and a tier whose
inputs did not change gets identical figures.
"""

from __future__ import annotations

import math
import random
import zlib
from dataclasses import dataclass

import numpy as np

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

    `latency_ms` holds the latency of completed runs and `spend_usd` the spend
    of runs not blocked (0 for a run whose policy decision timed out: it made
    no call); other entries are NaN (or absent: the Python loop keeps only the
    counted runs). Both are float32 (8 bytes per run, for quantiles); sums and
    counts are exact float64 accumulations made while sampling.
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
        return self.runs - self.blocked - self.policy_timeouts - self.call_failures

    @property
    def not_blocked(self) -> int:
        """Runs the budget gate let through (the runs cost figures are over)."""
        return self.runs - self.blocked


STREAMS = ("policy", "model", "tokens_in", "tokens_out", "ttft")
PER_MODEL_STREAMS = ("wait", "fail")


def stream_seed(seed: int, tier_id: str) -> np.random.SeedSequence:
    """The seed of one tier's streams: stable across processes, platforms and versions.

    Normal and peak use the same streams too, so peak − normal is the effect of
    the load alone, not of different random numbers.
    """
    if seed < 0:
        raise ValueError("seed must be >= 0")
    return np.random.SeedSequence([seed, zlib.crc32(tier_id.encode("utf-8"))])


class Streams:
    """The independent random streams of one tier.

    One stream per source of randomness, and per model for queue waits and
    failures, so a source one plan needs and another does not (a second model,
    a failure rate, a non-constant quantity) never shifts the other sources'
    numbers: what did not change draws exactly the same values.
    """

    def __init__(self, seed: np.random.SeedSequence) -> None:
        self._entropy = seed.entropy
        self._key = tuple(seed.spawn_key)
        self.common = {name: self._make(i) for i, name in enumerate(STREAMS)}
        self._per_model: dict[tuple[str, str], np.random.Generator] = {}

    def _make(self, *key: int) -> np.random.Generator:
        child = np.random.SeedSequence(self._entropy, spawn_key=(*self._key, *key))
        return np.random.Generator(np.random.SFC64(child))

    def model(self, purpose: str, alias: str) -> np.random.Generator:
        """The `purpose` ("wait" or "fail") stream of model `alias` in this tier."""
        key = (purpose, alias)
        if key not in self._per_model:
            index = len(STREAMS) + PER_MODEL_STREAMS.index(purpose)
            self._per_model[key] = self._make(index, zlib.crc32(alias.encode("utf-8")))
        return self._per_model[key]


def chunk_runs(calls_per_run: int) -> int:
    """Runs per chunk for a tier (fixed by the workload, so chunks line up across runs)."""
    return max(1024, CHUNK_CALLS // calls_per_run)


def run_tier(plan: TierPlan, runs: int, seed: np.random.SeedSequence) -> TierOutcome:
    """Simulate `runs` runs of one tier, vectorised and chunked; deterministic for a seed.

    The per-run arrays of the outcome hold NaN where a run does not count
    (not completed for latency, blocked for spend); quantiles skip them.
    """
    streams = Streams(seed)
    step = chunk_runs(plan.calls_per_run)
    latency = np.empty(runs, dtype=np.float32)
    spend = np.empty(runs, dtype=np.float32)
    blocked = timeouts = failures = within = 0
    lat_sum = spend_sum = 0.0
    done = 0
    while done < runs:
        n = min(step, runs - done)
        part = _chunk(plan, streams, n)
        latency[done : done + n] = part.latency
        spend[done : done + n] = part.spend
        lat_sum += part.latency_sum
        spend_sum += part.spend_sum
        within += part.within
        blocked += part.blocked
        timeouts += part.timeouts
        failures += part.failures
        done += n
    return TierOutcome(
        runs, latency, spend, blocked, timeouts, failures, lat_sum, spend_sum, within
    )


@dataclass
class _Part:
    latency: np.ndarray  # NaN where the run did not complete
    spend: np.ndarray  # NaN where the run was blocked
    latency_sum: float
    spend_sum: float
    within: int
    blocked: int
    timeouts: int
    failures: int


_TWO_PI = np.float32(2.0 * math.pi)


def normals(rng: np.random.Generator, size: int) -> np.ndarray:
    """`size` standard normal draws (float32) by the Box-Muller transform.

    Two float32 uniforms give two independent normals through vectorised
    log/sqrt/cos/sin, about twice as fast as numpy's float64 ziggurat here.
    U₁ = 1 − U lies in (0, 1], so |Z| ≤ 5.77 (a tail of 8e-9, far below any
    figure reported).
    """
    half = (size + 1) // 2
    u = rng.random((2, half), dtype=np.float32)
    radius = np.subtract(np.float32(1.0), u[0])
    np.log(radius, out=radius)
    radius *= np.float32(-2.0)
    np.sqrt(radius, out=radius)
    angle = u[1]
    angle *= _TWO_PI
    out = np.empty(2 * half, dtype=np.float32)
    np.cos(angle, out=out[:half])
    out[:half] *= radius
    np.sin(angle, out=out[half:])
    out[half:] *= radius
    return out[:size]


def _lognormal(rng: np.random.Generator, p50: float, sigma: float, size: int) -> np.ndarray | float:
    """Lognormal draws with median p50 (float32); the constant p50 itself when σ = 0 (no draw)."""
    if sigma == 0:
        return p50
    z = normals(rng, size)
    # p50·exp(σz) rather than exp(μ + σz): exact medians, computed in place.
    z *= np.float32(sigma)
    np.exp(z, out=z)
    z *= np.float32(p50)
    return z


def _assign_models(
    plan: TierPlan, rng: np.random.Generator, calls: int, k: int
) -> tuple[list[int], np.ndarray | None]:
    """Calls per model, and where the model-sorted calls go in run order.

    Every call draws its model independently. Per-call draws are i.i.d., so
    they can be made in model-sorted order, where each model serves one
    contiguous block and all its figures are scalars (no gathers). With one
    call per run, runs are i.i.d. too and the sorted order can stay: the
    counts are multinomial. With several calls per run, each call's model is
    drawn (a uniform through the mix's CDF) and `order` maps sorted calls
    back to their runs.
    """
    if len(plan.models) == 1:
        return [calls], None
    weights = np.asarray(plan.weights, dtype=np.float64)
    weights /= weights.sum()
    if k == 1:
        return rng.multinomial(calls, weights).tolist(), None
    u = rng.random(calls)
    choice = np.zeros(calls, dtype=np.uint8)
    for bound in np.cumsum(weights)[:-1]:
        choice += u >= bound
    order = np.argsort(choice, kind="stable")  # a counting sort for small integers
    return np.bincount(choice, minlength=len(plan.models)).tolist(), order


def _part(values: np.ndarray | float, sl: slice) -> np.ndarray | float:
    return values[sl] if isinstance(values, np.ndarray) else values


def _chunk(plan: TierPlan, streams: Streams, n: int) -> _Part:
    """n runs. Calls are laid out flat (run-major, n × k); each model serves one block.

    Calls are independent and identically distributed, so which calls go to
    which model does not matter: the number per model is multinomial and
    model m serves a contiguous block, which keeps every per-model figure a
    scalar (no gathers). Waits and failures touch few calls: their counts are
    binomial and their places uniform, drawn from per-model streams.
    """
    k = plan.calls_per_run
    calls = n * k
    rs = streams.common
    counts, order = _assign_models(plan, rs["model"], calls, k)
    policy_ms = _lognormal(rs["policy"], plan.policy_p50, plan.policy_sigma, n)
    tokens_in = _lognormal(rs["tokens_in"], plan.in_p50, plan.in_sigma, calls)
    tokens_out = _lognormal(rs["tokens_out"], plan.out_p50, plan.out_sigma, calls)
    ttft_z = normals(rs["ttft"], calls) if max(plan.ttft_sigma) > 0 else None
    # Times in float32 (ample for milliseconds, half the memory traffic);
    # money in float64, so constant token counts give exact costs.
    call_ms = np.empty(calls, dtype=np.float32)
    price = np.empty(calls)
    extra_at: list[np.ndarray] = []  # calls whose first attempt failed
    extra_failures: list[np.ndarray] = []  # their further failures (geometric)
    lo = 0
    for m, count in enumerate(counts):
        sl = slice(lo, lo + count)
        block = call_ms[sl]
        if ttft_z is not None and plan.ttft_sigma[m] > 0:
            np.multiply(ttft_z[sl], np.float32(plan.ttft_sigma[m]), out=block)
            np.exp(block, out=block)
            block *= np.float32(plan.ttft_p50[m])
        else:
            block[...] = plan.ttft_p50[m]
        block += _part(tokens_out, sl) * np.float32(plan.ms_per_out_token[m])
        cost_block = price[sl]
        cost_block[...] = _part(tokens_in, sl) * plan.usd_per_in_token[m]
        cost_block += _part(tokens_out, sl) * plan.usd_per_out_token[m]
        alias = plan.models[m]
        if plan.saturated[m]:
            block[...] = np.inf  # the queue grows without bound: never served
        elif plan.p_wait[m] > 0 and count:
            # M/M/c: each call waits with probability C, then ~ Exp(θ).
            rng = streams.model("wait", alias)
            waiting = int(rng.binomial(count, plan.p_wait[m]))
            if waiting:
                spots = rng.choice(count, waiting, replace=False)
                block[spots] += rng.exponential(1.0 / plan.theta_per_ms[m], waiting)
        if plan.fail_prob[m] > 0 and count:
            # First attempt fails with q = 1 − a; further failures F ≥ j with prob q^j.
            rng = streams.model("fail", alias)
            failing = int(rng.binomial(count, plan.fail_prob[m]))
            if failing:
                extra_at.append(lo + rng.choice(count, failing, replace=False))
                extra_failures.append(rng.geometric(1.0 - plan.fail_prob[m], failing) - 1)
        lo += count

    if order is not None:
        # back from model-sorted order to run order (call c of run r at r·k + c)
        call_ms[order] = call_ms.copy()
        price[order] = price.copy()
        extra_at = [order[spots] for spots in extra_at]
    if k == 1:
        latency, cost = call_ms, price  # one call per run: no copy needed
    else:
        latency = call_ms.reshape(n, k).sum(axis=1)
        cost = price.reshape(n, k).sum(axis=1)
    failed_runs = _apply_failures(plan, k, call_ms, price, latency, cost, extra_at, extra_failures)
    latency += policy_ms

    # The few runs that do not count, as index arrays (no full-size masks).
    blocked = np.flatnonzero(cost > plan.cap_usd) if plan.enforce_budget else _NONE
    over = policy_ms > plan.policy_timeout_ms
    timed_out = (
        np.flatnonzero(over) if isinstance(over, np.ndarray) else np.arange(n if over else 0)
    )
    if blocked.size:
        timed_out = np.setdiff1d(timed_out, blocked, assume_unique=True)
    failed = failed_runs
    if failed.size and (blocked.size or timed_out.size):
        failed = np.setdiff1d(failed, np.concatenate((blocked, timed_out)), assume_unique=True)
    dropped = np.concatenate((blocked, timed_out, failed))
    latency_sum = float(latency.sum(dtype=np.float64))
    if dropped.size:
        with np.errstate(invalid="ignore"):
            latency_sum -= float(latency[dropped].sum(dtype=np.float64))
        latency[dropped] = np.nan
    if timed_out.size:
        cost[timed_out] = 0.0  # stopped by its policy check before any call
    spend_sum = float(cost.sum())
    if blocked.size:
        spend_sum -= float(cost[blocked].sum())  # refused by the gate: spends nothing
        cost[blocked] = np.nan
    if not math.isfinite(latency_sum):
        # saturated model: inf (− inf) sums; recompute over what counts
        kept = latency[~np.isnan(latency)]
        latency_sum = float(kept.sum(dtype=np.float64)) if kept.size else 0.0
    return _Part(
        latency,
        cost,
        latency_sum,
        spend_sum,
        int(np.count_nonzero(latency <= plan.slo_ms)),
        int(blocked.size),
        int(timed_out.size),
        int(failed.size),
    )


_NONE = np.empty(0, dtype=np.int64)


def _apply_failures(
    plan: TierPlan,
    k: int,
    call_ms: np.ndarray,
    price: np.ndarray,
    latency: np.ndarray,
    cost: np.ndarray,
    extra_at: list[np.ndarray],
    extra_failures: list[np.ndarray],
) -> np.ndarray:
    """Add retried attempts to the runs' time and cost; return the runs that failed.

    A call with F failures makes min(F + 1, R + 1) attempts (each repeating its
    time and tokens) and fails when F > R; a run stops at its first failed call,
    so the calls after it are not made (their time and cost are taken back).
    """
    if not extra_at:
        return np.empty(0, dtype=np.int64)
    where = np.concatenate(extra_at)
    failures = 1 + np.concatenate(extra_failures)
    order = np.argsort(where, kind="stable")
    where, failures = where[order], failures[order]
    retries = plan.max_retries
    attempts = np.minimum(failures + 1, retries + 1)
    failed = failures > retries
    runs = where // k
    if k > 1 and failed.any():
        # first failed call of each failing run; calls after it are not made
        fail_runs, first = np.unique(runs[failed], return_index=True)
        first_call = (where[failed] % k)[first]
        pos = np.searchsorted(fail_runs, runs)
        pos = np.minimum(pos, fail_runs.size - 1)
        in_failed = fail_runs[pos] == runs
        stop = np.where(in_failed, first_call[pos], k)
        made = (where % k) <= stop
        after = np.arange(k) > first_call[:, None]
        rows_ms = call_ms.reshape(-1, k)[fail_runs]
        rows_usd = price.reshape(-1, k)[fail_runs]
        with np.errstate(invalid="ignore"):
            latency[fail_runs] -= np.where(after, rows_ms, 0.0).sum(axis=1)
        cost[fail_runs] -= np.where(after, rows_usd, 0.0).sum(axis=1)
    else:
        made = np.ones(where.size, dtype=bool)
        fail_runs = np.unique(runs[failed])
    extra = (attempts - 1)[made]
    if extra.size:
        with np.errstate(invalid="ignore"):  # 0 × inf (saturated model): a failed run anyway
            np.add.at(latency, runs[made], extra * call_ms[where[made]])
        np.add.at(cost, runs[made], extra * price[where[made]])
    return fail_runs


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
