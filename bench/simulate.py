"""Benchmark the impact simulator: vectorised runs/s vs a plain per-run Python loop.

Builds its inputs from the bundled seed contract, models.yml and workload.yml
(3 tiers × 2 scenarios), simulates 1,000,000 runs per tier and scenario with
`simulate()` (the whole pipeline: plans, queues, sampling, report), then runs
the same model as a per-run Python loop (`run_tier_loop`) on 20,000 runs per
tier and scenario, in the same process, and prints both rates and their ratio.
Peak memory (ru_maxrss) is printed to show the chunking bounds it.

    PYTHONPATH=. python bench/simulate.py [--runs 1000000] [--loop-runs 20000] [--workers N]

Targets on a 2-core machine: >= 2,000,000 runs/s and >= 50x the loop.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench.core.resources import resource_dir  # noqa: E402
from workbench.core.simulation import load_inputs, simulate  # noqa: E402
from workbench.core.simulation.model import SCENARIOS, run_tier_loop  # noqa: E402
from workbench.core.simulation.plan import build_scenario, contract_terms  # noqa: E402
from workbench.core.yaml_safe import parse_yaml  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--runs", type=int, default=1_000_000, help="runs per tier and scenario (vectorised)"
    )
    parser.add_argument(
        "--loop-runs", type=int, default=20_000, help="runs per tier and scenario (Python loop)"
    )
    parser.add_argument("--workers", type=int, default=None, help="threads for the vectorised run")
    parser.add_argument(
        "--repeat", type=int, default=5, help="vectorised repetitions (best is reported)"
    )
    args = parser.parse_args()

    folder = resource_dir("sample_contracts")
    contract_path = folder / "ai-internal-developer-contract.yml"
    data = parse_yaml(contract_path.read_bytes()).data
    inputs = load_inputs(folder / "models.yml", folder / "workload.yml", contract_path)
    terms = contract_terms(data)
    jobs = len(terms.tiers) * len(SCENARIOS)
    print(
        f"machine: {os.cpu_count()} cores; OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '-')}"
    )
    print(f"model: {len(terms.tiers)} tiers x {len(SCENARIOS)} scenarios = {jobs} streams")

    simulate(data, inputs, runs=10_000, workers=args.workers)  # warm-up (imports, caches)
    best = best_cpu = float("inf")
    for _ in range(args.repeat):
        start, cpu = time.perf_counter(), time.process_time()
        simulate(data, inputs, runs=args.runs, workers=args.workers)
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    vec_total = args.runs * jobs
    vec_rate = vec_total / best
    print(
        f"vectorised: {vec_total:,} runs ({args.runs:,} per tier and scenario) in {best:.3f} s = {vec_rate:,.0f} runs/s (best of {args.repeat})"
    )

    plans = [
        build_scenario(terms, inputs, name).plans[t.tier_id]
        for name in SCENARIOS
        for t in terms.tiers
    ]
    start, cpu = time.perf_counter(), time.process_time()
    for i, plan in enumerate(plans):
        run_tier_loop(plan, args.loop_runs, seed=i)
    loop_time = time.perf_counter() - start
    loop_cpu = time.process_time() - cpu
    loop_total = args.loop_runs * jobs
    loop_rate = loop_total / loop_time
    print(
        f"python loop: {loop_total:,} runs ({args.loop_runs:,} per tier and scenario) in {loop_time:.3f} s = {loop_rate:,.0f} runs/s"
    )

    ratio = vec_rate / loop_rate
    # CPU time (all threads) is steadier than wall time on a shared machine.
    per_core = (vec_total / best_cpu) / (loop_total / loop_cpu)
    print(
        f"cpu time: vectorised {vec_total / best_cpu:,.0f} runs per CPU-second, "
        f"loop {loop_total / loop_cpu:,.0f}: {per_core:,.0f}x per core"
    )
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"ratio: {ratio:,.0f}x the loop")
    print(
        f"peak RSS: {peak_mib:,.0f} MiB (per-run results are 8 bytes: two float32; the working set is chunked)"
    )
    ok_rate = vec_rate >= 2_000_000
    ok_ratio = ratio >= 50
    print(
        f"targets: >= 2,000,000 runs/s {'MET' if ok_rate else 'MISSED'}; >= 50x loop {'MET' if ok_ratio else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
