"""Impact simulation: SLO attainment and cost of a contract under normal and peak load.

Public API:

- `load_inputs(models_path, workload_path, contract_path) -> SimInputs`
- `simulate(contract_data, inputs, *, runs=200_000, seed=0) -> dict` (report R, DESIGN §7)
- `compare(baseline_data, proposal_data, inputs, runs, seed) -> {"baseline", "proposal", "deltas", "funding"}`
- `SimulationError` (with `.findings`) when inputs or cross-checks fail.

The model, its formulas and assumptions are in docs/simulation.md.
"""

from workbench.core.simulation.inputs import SimInputs, cross_check, inputs_from_text, load_inputs
from workbench.core.simulation.plan import SimulationError
from workbench.core.simulation.report import DEFAULT_RUNS, compare, deltas, simulate

__all__ = [
    "DEFAULT_RUNS",
    "SimInputs",
    "SimulationError",
    "compare",
    "cross_check",
    "deltas",
    "inputs_from_text",
    "load_inputs",
    "simulate",
]
