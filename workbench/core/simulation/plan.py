"""From contract data + inputs to per-tier sampling plans and per-model queues."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbench.core.findings import Finding, has_errors
from workbench.core.simulation.inputs import SimInputs, TierWorkload, cross_check
from workbench.core.simulation.model import TierPlan
from workbench.core.simulation.queueing import QueueStats, mmc

HOURS_PER_MONTH = 730
SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600
BUDGET_CONTROL = "budget_policy_enforcement"


class SimulationError(Exception):
    """The contract or the inputs cannot be simulated; `findings` say where."""

    def __init__(self, message: str, findings: list[Finding] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.findings = findings or []


@dataclass(frozen=True)
class TierTerms:
    """What the contract says about one tier."""

    tier_id: str
    approved: tuple[str, ...]
    checkpoint: bool | str
    slo_ms: float
    cap_usd: float


@dataclass(frozen=True)
class ContractTerms:
    """The contract terms the simulation uses (tiers in file order)."""

    tiers: tuple[TierTerms, ...]
    availability_slo: float  # fraction
    policy_timeout_ms: float
    enforce_budget: bool
    reserve_percent: float


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def contract_terms(data: Any) -> ContractTerms:
    """Read the simulated terms from plain contract data; SimulationError if absent.

    The contract should have been validated first; this only guards against
    data the simulation cannot use, with a readable message.
    """
    if not isinstance(data, dict):
        raise SimulationError("the contract is not a mapping")

    def section(name: str) -> dict[str, Any]:
        value = data.get(name)
        if not isinstance(value, dict):
            raise SimulationError(f"the contract has no '{name}' mapping")
        return value

    tiers_raw = section("capability_tiers")
    reliability = section("reliability")
    economics = section("economics")
    governance = data.get("governance") if isinstance(data.get("governance"), dict) else {}
    p95 = reliability.get("p95_latency_ms")
    caps = economics.get("max_cost_per_run_usd")
    if not isinstance(p95, dict) or not isinstance(caps, dict):
        raise SimulationError(
            "the contract needs reliability.p95_latency_ms and economics.max_cost_per_run_usd"
        )
    tiers = []
    for tier_id, tier in tiers_raw.items():
        if not isinstance(tier, dict):
            raise SimulationError(f"capability_tiers.{tier_id} is not a mapping")
        approved = tier.get("approved_models")
        if (
            not isinstance(approved, list)
            or not approved
            or not all(isinstance(m, str) for m in approved)
        ):
            raise SimulationError(
                f"capability_tiers.{tier_id}.approved_models must be a non-empty list of names"
            )
        slo, cap = p95.get(tier_id), caps.get(tier_id)
        if not _number(slo) or not _number(cap):
            raise SimulationError(f"tier '{tier_id}' needs a p95 latency SLO and a cost cap")
        checkpoint = tier.get("requires_human_checkpoint", False)
        tiers.append(
            TierTerms(
                str(tier_id), tuple(dict.fromkeys(approved)), checkpoint, float(slo), float(cap)
            )
        )
    availability = reliability.get("availability_slo_percent")
    timeout = reliability.get("policy_decision_timeout_ms")
    if not _number(availability) or not _number(timeout):
        raise SimulationError(
            "the contract needs reliability.availability_slo_percent and policy_decision_timeout_ms"
        )
    controls = governance.get("mandatory_controls") if isinstance(governance, dict) else None
    enforce = isinstance(controls, list) and BUDGET_CONTROL in controls
    reserve = economics.get("monthly_reserve_percent", 0)
    return ContractTerms(
        tuple(tiers),
        float(availability) / 100.0,
        float(timeout),
        enforce,
        float(reserve) if _number(reserve) else 0.0,
    )


def mix_for(terms: TierTerms, work: TierWorkload, catalog: set[str]) -> dict[str, float]:
    """The tier's traffic shares over the approved models in the catalog (sum 1).

    The workload's `model_mix` is renormalised over the approved models, so a
    model the contract drops hands its traffic to the others; without a mix,
    or when no approved model has a weight, traffic is split equally.
    """
    usable = [m for m in terms.approved if m in catalog]
    if not usable:
        raise SimulationError(f"no model approved for {terms.tier_id} is in the model catalog")
    weights = {m: 1.0 for m in usable}
    if work.model_mix is not None:
        given = {m: float(work.model_mix.get(m, 0.0)) for m in usable}
        if sum(given.values()) > 0:
            weights = given
    total = sum(weights.values())
    return {m: w / total for m, w in weights.items()}


def checkpoint_rate(terms: TierTerms, work: TierWorkload) -> float:
    """Share of runs a human reviews: true → 1, false → 0, conditional → the workload's rate."""
    if terms.checkpoint is True:
        return 1.0
    if terms.checkpoint == "conditional":
        return work.conditional_checkpoint_rate or 0.0
    return 0.0


def expected_attempts(availability: float, max_retries: int) -> float:
    """E[attempts per call] = Σ_{j=0..R} (1 − a)^j."""
    q = 1.0 - availability
    return sum(q**j for j in range(max_retries + 1))


@dataclass
class ScenarioPlan:
    """Sampling plans, queues and the facts the report needs, for one scenario."""

    scenario: str
    plans: dict[str, TierPlan]
    queues: dict[str, QueueStats]
    arrival_rates: dict[str, float]  # runs per second per tier
    mixes: dict[str, dict[str, float]]
    review_rates: dict[str, float]


def check(contract_data: dict[str, Any], inputs: SimInputs) -> list[Finding]:
    """All findings that stop or qualify a simulation (inputs + cross-checks)."""
    return list(inputs.findings) + cross_check(contract_data, inputs)


def build_scenario(terms: ContractTerms, inputs: SimInputs, scenario: str) -> ScenarioPlan:
    """Plans for every tier of the contract in `scenario` ("normal" or "peak")."""
    if inputs.catalog is None or inputs.workload is None or has_errors(inputs.findings):
        raise SimulationError("the simulation inputs have errors", list(inputs.findings))
    catalog = inputs.catalog.models
    workload = inputs.workload
    rates: dict[str, float] = {}
    mixes: dict[str, dict[str, float]] = {}
    reviews: dict[str, float] = {}
    # Per model: call arrival rate and the rate-weighted mean slot holding time.
    # Every catalog model gets a queue (an unused one shows 0 %), in catalog order.
    call_rate: dict[str, float] = dict.fromkeys(catalog, 0.0)
    busy: dict[str, float] = dict.fromkeys(call_rate, 0.0)
    for tier in terms.tiers:
        work = workload.tiers.get(tier.tier_id)
        if work is None:
            raise SimulationError(f"tier '{tier.tier_id}' has no workload")
        rate = work.runs_per_month / SECONDS_PER_MONTH
        if scenario == "peak":
            rate *= work.peak_to_average
        rates[tier.tier_id] = rate
        mixes[tier.tier_id] = mix_for(tier, work, set(catalog))
        reviews[tier.tier_id] = checkpoint_rate(tier, work)
        for alias, share in mixes[tier.tier_id].items():
            spec = catalog[alias]
            calls = (
                rate
                * work.calls_per_run
                * share
                * expected_attempts(spec.availability, work.max_retries)
            )
            hold_s = spec.ttft_ms.mean / 1000.0 + work.output_tokens.mean / spec.output_tokens_per_s
            call_rate[alias] += calls
            busy[alias] += calls * hold_s
    queues = {}
    for alias in call_rate:
        spec = catalog[alias]
        lam = call_rate[alias]
        # With no traffic, report the holding time of an average call of nobody: 0 load.
        service = busy[alias] / lam if lam > 0 else spec.ttft_ms.mean / 1000.0
        queues[alias] = mmc(lam, service, spec.max_concurrency)
    plans = {}
    for tier in terms.tiers:
        work = workload.tiers[tier.tier_id]
        mix = {m: w for m, w in mixes[tier.tier_id].items() if w > 0}
        models = tuple(mix)
        specs = [catalog[m] for m in models]
        qs = [queues[m] for m in models]
        plans[tier.tier_id] = TierPlan(
            tier_id=tier.tier_id,
            calls_per_run=work.calls_per_run,
            max_retries=work.max_retries,
            in_p50=work.input_tokens.p50,
            in_sigma=work.input_tokens.sigma,
            out_p50=work.output_tokens.p50,
            out_sigma=work.output_tokens.sigma,
            policy_p50=workload.policy_decision_ms.p50,
            policy_sigma=workload.policy_decision_ms.sigma,
            policy_timeout_ms=terms.policy_timeout_ms,
            cap_usd=tier.cap_usd,
            slo_ms=tier.slo_ms,
            enforce_budget=terms.enforce_budget,
            models=models,
            weights=tuple(mix[m] for m in models),
            usd_per_in_token=tuple(s.input_usd_per_1k_tokens / 1000.0 for s in specs),
            usd_per_out_token=tuple(s.output_usd_per_1k_tokens / 1000.0 for s in specs),
            ttft_p50=tuple(s.ttft_ms.p50 for s in specs),
            ttft_sigma=tuple(s.ttft_ms.sigma for s in specs),
            ms_per_out_token=tuple(1000.0 / s.output_tokens_per_s for s in specs),
            fail_prob=tuple(1.0 - s.availability for s in specs),
            # a saturated model's calls never finish (inf); no finite wait to draw
            p_wait=tuple(0.0 if q.saturated else q.p_wait for q in qs),
            theta_per_ms=tuple(q.theta / 1000.0 for q in qs),
            saturated=tuple(q.saturated for q in qs),
        )
    return ScenarioPlan(scenario, plans, queues, rates, mixes, reviews)
