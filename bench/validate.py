"""Benchmark: how long validation takes on bad inputs and on the large sample.

Prints, in milliseconds (median of several runs, after a warm-up):
- each bad input (every file in sample_contracts/broken/, plus generated ones:
  a file over 1 MiB, 300 000 nested brackets, a 1 MiB-ish flow list), and the worst;
- validating sample_contracts/platform-contract-large.yml (C parser and pure);
- the same-run baseline: ruamel.yaml's own safe load of the large sample.

Run: PYTHONPATH=. /work/venv/bin/python bench/validate.py
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench.core.validate import validate_text  # noqa: E402

SAMPLES = ROOT / "sample_contracts"
SEED = (SAMPLES / "ai-internal-developer-contract.yml").read_bytes()


def timed(fn: Callable[[], object], runs: int) -> float:
    """Median wall time of `fn` in milliseconds, after one warm-up call."""
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def bad_inputs() -> dict[str, bytes]:
    """Every shipped broken sample plus generated worst cases."""
    inputs = {p.name: p.read_bytes() for p in sorted((SAMPLES / "broken").glob("*.yml"))}
    inputs["generated: > 1 MiB"] = SEED + b"x-pad: " + b"p" * (1024 * 1024) + b"\n"
    inputs["generated: 300k nested ["] = b"a: " + b"[" * 300_000 + b"]" * 300_000 + b"\n"
    items = (1024 * 1024 - len(SEED) - 20) // 3
    inputs[f"generated: x- flow list of {items:,} items (< 1 MiB, over the value limit)"] = (
        SEED + b"x-list: [" + b"1, " * (items - 1) + b"1]\n"
    )
    return inputs


def main() -> None:
    """Measure and print the figures."""
    print("bad inputs (validate_text, C parser), median ms:")
    worst = ("", 0.0)
    for name, data in bad_inputs().items():
        runs = 3 if name.startswith("generated: flow list") else 20
        ms = timed(lambda data=data: validate_text(data), runs)
        result = validate_text(data)
        verdict = (
            "valid"
            if result.valid
            else ",".join(sorted({f.rule for f in result.findings if f.severity == "error"}))
        )
        print(f"  {ms:9.3f}  {name}  [{verdict}]")
        if ms > worst[1] and not result.valid:
            worst = (name, ms)
    print(f"worst bad input: {worst[0]}: {worst[1]:.3f} ms")
    stress = next(v for k, v in bad_inputs().items() if k.startswith("generated: x- flow list"))
    stress_text = stress.decode()
    ms = timed(lambda: YAML(typ="safe").load(stress_text), 3)
    print(f"  baseline for the flow-list stress input: ruamel.yaml safe load (C) {ms:.1f} ms")

    large = (SAMPLES / "platform-contract-large.yml").read_bytes()
    assert validate_text(large).valid
    fast = timed(lambda: validate_text(large), 200)
    pure = timed(lambda: validate_text(large, fast=False), 100)
    text = large.decode()
    baseline = timed(lambda: YAML(typ="safe").load(text), 200)
    baseline_pure = timed(lambda: YAML(typ="safe", pure=True).load(text), 100)
    print(
        f"large sample ({len(large):,} bytes): validate {fast:.3f} ms (C parser), {pure:.3f} ms (pure)"
    )
    print(
        f"baseline, same run: ruamel.yaml safe load {baseline:.3f} ms (C), "
        f"{baseline_pure:.3f} ms (pure) — parsing only, no checks, no schema, no rules"
    )


if __name__ == "__main__":
    main()
