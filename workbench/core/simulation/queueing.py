"""M/M/c queueing with the Erlang C formula.

A model alias is a pool of `c` concurrent call slots (its provider quota).
Calls arrive at rate λ (calls/s) and hold a slot for a mean of S seconds, so
the offered load is A = λ·S Erlangs and the utilisation ρ = A / c.

For ρ < 1 the probability that a call must wait is Erlang C, C(c, A), and the
wait of a call that waits is exponential with rate θ = c/S − λ, so
P(W > t) = C(c, A) · exp(−θ t) and E[W] = C(c, A) / θ. At ρ ≥ 1 the queue
grows without bound: the model is saturated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


def erlang_b(c: int, load: float) -> float:
    """Erlang B blocking probability for `c` servers and offered load `load` (Erlangs).

    Uses the stable recursion B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1)),
    which never forms A^c / c! and so works for thousands of servers.
    """
    if c < 1:
        raise ValueError("c must be at least 1")
    if load < 0 or not math.isfinite(load):
        raise ValueError("load must be a finite number >= 0")
    b = 1.0
    for k in range(1, c + 1):
        b = load * b / (k + load * b)
    return b


def erlang_c(c: int, load: float) -> float:
    """Erlang C: probability that an arriving call waits, for `c` servers and load A.

    C = c·B / (c − A·(1 − B)) with B the Erlang B value; 1.0 when A ≥ c
    (saturated: every call waits).
    """
    if load >= c:
        return 1.0
    if load <= 0:
        return 0.0
    b = erlang_b(c, load)
    return min(1.0, c * b / (c - load * (1.0 - b)))


@dataclass(frozen=True)
class QueueStats:
    """The queue of one model in one scenario."""

    arrival_rate: float  # calls per second, all tiers, retries included
    service_s: float  # mean slot holding time of a call, seconds
    servers: int  # max_concurrency
    utilization: float  # ρ = λ·S / c (may exceed 1)
    p_wait: float  # Erlang C (1.0 when saturated)
    theta: float  # rate of the conditional wait, 1/s (0 when saturated)

    @property
    def saturated(self) -> bool:
        """True when ρ ≥ 1: the queue grows without bound."""
        return self.utilization >= 1.0

    @property
    def mean_wait_s(self) -> float:
        """E[W] = C / θ seconds (infinite when saturated)."""
        if self.saturated:
            return math.inf
        return self.p_wait / self.theta if self.p_wait > 0 else 0.0


def mmc(arrival_rate: float, service_s: float, servers: int) -> QueueStats:
    """The M/M/c figures for arrival rate λ (1/s), mean service S (s) and c servers."""
    load = arrival_rate * service_s
    rho = load / servers
    if rho >= 1.0:
        return QueueStats(arrival_rate, service_s, servers, rho, 1.0, 0.0)
    p_wait = erlang_c(servers, load)
    theta = servers / service_s - arrival_rate if service_s > 0 else math.inf
    return QueueStats(arrival_rate, service_s, servers, rho, p_wait, theta)
