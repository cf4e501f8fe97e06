"""Simulation inputs: the model catalog (`models.yml`) and the workload (`workload.yml`).

Both files are untrusted: they are read only through the safe YAML loader and
checked against strict schemas, and every problem becomes a located finding
(rule ids CW3xx) like the contract's. Keys starting with `x-` are ignored.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from workbench.core.findings import Finding, PathTuple, dotted, has_errors, sort_findings
from workbench.core.schema_findings import SchemaRuleIds, schema_finding
from workbench.core.yaml_safe import ParsedYaml, parse_yaml

MODELS_FILE = "models.yml"
WORKLOAD_FILE = "workload.yml"

# Rule ids of the simulation inputs' findings, with their descriptions.
INPUT_RULES: dict[str, str] = {
    "CW300": "an input file cannot be read",
    "CW301": "a value has the wrong type",
    "CW302": "a required key is missing",
    "CW303": "an unknown key (keys starting with x- are allowed)",
    "CW304": "a value is out of range",
    "CW310": "a model approved by the contract is not in the model catalog",
    "CW311": "a contract tier has no workload",
    "CW312": "model_mix names a model that is not in the catalog",
    "CW313": "an approved model has no weight in the tier's model_mix (it gets no traffic)",
    "CW314": "no approved model has a weight in model_mix (traffic is split equally)",
    "CW315": "a conditional-checkpoint tier has no conditional_checkpoint_rate (0 is assumed)",
}

_STRICT = ConfigDict(strict=True, extra="forbid", frozen=True, allow_inf_nan=False)


class Quantiles(BaseModel):
    """A positive quantity given by its median and 95th percentile (lognormal).

    `p50 == p95` means a constant.
    """

    model_config = _STRICT

    # Bounds keep every sample finite in float32 (times, tokens) and every sum
    # finite in float64: far beyond real figures, far below an overflow.
    p50: float = Field(ge=0, le=1e9)
    p95: float = Field(ge=0, le=1e9)

    @model_validator(mode="after")
    def _ordered(self) -> Quantiles:
        if self.p95 < self.p50:
            raise ValueError(f"p95 ({self.p95:g}) must not be below p50 ({self.p50:g})")
        if self.p95 > self.p50 and self.p50 <= 0:
            raise ValueError("p50 must be above 0 when p95 differs from it")
        if self.p95 > MAX_SPREAD * self.p50:
            raise ValueError(
                f"p95 ({self.p95:g}) is more than {MAX_SPREAD:g} times p50 ({self.p50:g});"
                " such a spread is not a lognormal this model can use"
            )
        return self

    @property
    def sigma(self) -> float:
        """Lognormal shape: ln(p95 / p50) / z(0.95); 0 for a constant."""
        return 0.0 if self.p95 == self.p50 else math.log(self.p95 / self.p50) / Z95

    @property
    def mean(self) -> float:
        """Lognormal mean: p50 · exp(σ² / 2)."""
        return self.p50 * math.exp(self.sigma**2 / 2)


# Standard normal quantile at 0.95.
Z95 = 1.6448536269514722
# The largest p95 / p50 ratio accepted (σ ≈ 8.4).
MAX_SPREAD = 1e6


class ModelSpec(BaseModel):
    """One model alias of the catalog."""

    model_config = _STRICT

    input_usd_per_1k_tokens: float = Field(ge=0, le=1e6)
    output_usd_per_1k_tokens: float = Field(ge=0, le=1e6)
    ttft_ms: Quantiles
    output_tokens_per_s: float = Field(ge=0.01, le=1e9)
    availability: float = Field(gt=0, le=1)
    max_concurrency: int = Field(ge=1, le=1_000_000)


class ModelCatalog(BaseModel):
    """`models.yml`: model alias → prices, latency, availability and quota."""

    model_config = _STRICT

    models: dict[str, ModelSpec] = Field(min_length=1)


class TierWorkload(BaseModel):
    """The traffic of one tier."""

    model_config = _STRICT

    runs_per_month: float = Field(ge=0, le=1e12)
    peak_to_average: float = Field(ge=1, le=1000)
    calls_per_run: int = Field(ge=1, le=64)
    input_tokens: Quantiles
    output_tokens: Quantiles
    model_mix: dict[str, Annotated[float, Field(ge=0, le=1e9)]] | None = None  # relative weights
    max_retries: int = Field(default=0, ge=0, le=10)
    conditional_checkpoint_rate: float | None = Field(default=None, ge=0, le=1)


class Workload(BaseModel):
    """`workload.yml`: global policy latency, peak month, and traffic per tier."""

    model_config = _STRICT

    policy_decision_ms: Quantiles
    peak_month_factor: float = Field(ge=1, le=100)
    tiers: dict[str, TierWorkload] = Field(min_length=1)


@dataclass
class SimInputs:
    """The loaded catalog and workload, where they came from, and their findings."""

    catalog: ModelCatalog | None
    workload: Workload | None
    models_file: str
    workload_file: str
    findings: list[Finding] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    models_parsed: ParsedYaml | None = None
    workload_parsed: ParsedYaml | None = None

    @property
    def ok(self) -> bool:
        """True when both files loaded without an error finding."""
        return (
            self.catalog is not None and self.workload is not None and not has_errors(self.findings)
        )

    def cross_check(self, contract_data: dict[str, Any]) -> list[Finding]:
        """Findings about this catalog and workload against one contract's data."""
        return cross_check(contract_data, self)


def bundled_dir() -> Path:
    """The bundled `sample_contracts/` directory."""
    from workbench.core.resources import resource_dir

    return resource_dir("sample_contracts")


def _beside(contract_path: Path | None, name: str) -> Path | None:
    if contract_path is None:
        return None
    folder = contract_path.parent
    for candidate in (folder / name, folder / name.replace(".yml", ".yaml")):
        if candidate.is_file():
            return candidate
    return None


def load_inputs(
    models_path: Path | str | None,
    workload_path: Path | str | None,
    contract_path: Path | str | None,
) -> SimInputs:
    """Load `models.yml` and `workload.yml`.

    An explicit path wins; otherwise the file beside the contract; otherwise the
    bundled sample, with a notice saying so. Never raises for bad input: every
    problem is a located finding in `SimInputs.findings`.
    """
    contract = Path(contract_path) if contract_path is not None else None
    notices: list[str] = []
    chosen: dict[str, Path] = {}
    for name, given in ((MODELS_FILE, models_path), (WORKLOAD_FILE, workload_path)):
        if given is not None:
            chosen[name] = Path(given)
            continue
        found = _beside(contract, name)
        if found is None:
            found = bundled_dir() / name
            where = f"beside {contract}" if contract is not None else "given"
            notices.append(f"no {name} {where}: using the bundled sample {found}")
        chosen[name] = found
    catalog, models_parsed, f1 = _load(chosen[MODELS_FILE], ModelCatalog)
    workload, workload_parsed, f2 = _load(chosen[WORKLOAD_FILE], Workload)
    return SimInputs(
        catalog,  # type: ignore[arg-type]
        workload,  # type: ignore[arg-type]
        str(chosen[MODELS_FILE]),
        str(chosen[WORKLOAD_FILE]),
        f1 + f2,
        notices,
        models_parsed,
        workload_parsed,
    )


def inputs_from_text(models_text: str | bytes, workload_text: str | bytes) -> SimInputs:
    """Build inputs from file contents (tests, benchmarks, the app's editors)."""
    catalog, mp, f1 = _parse(models_text, ModelCatalog, MODELS_FILE)
    workload, wp, f2 = _parse(workload_text, Workload, WORKLOAD_FILE)
    return SimInputs(catalog, workload, MODELS_FILE, WORKLOAD_FILE, f1 + f2, [], mp, wp)  # type: ignore[arg-type]


def _load(
    path: Path, schema: type[BaseModel]
) -> tuple[BaseModel | None, ParsedYaml | None, list[Finding]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return (
            None,
            None,
            [Finding("CW300", "error", "", 1, 1, f"cannot read {path}: {reason}", file=str(path))],
        )
    return _parse(raw, schema, str(path))


def _parse(
    source: str | bytes, schema: type[BaseModel], filename: str
) -> tuple[BaseModel | None, ParsedYaml | None, list[Finding]]:
    parsed = parse_yaml(source)
    if parsed.data is None:
        return None, parsed, _with_file(parsed.findings, filename)
    try:
        model = schema.model_validate(_strip_extensions(parsed.data))
    except ValidationError as exc:
        findings = [_schema_finding(err, parsed, schema) for err in exc.errors(include_url=False)]
        return None, parsed, _with_file(sort_findings(findings), filename)
    return model, parsed, []


def _strip_extensions(data: Any) -> Any:
    if isinstance(data, dict):
        return {
            k: _strip_extensions(v)
            for k, v in data.items()
            if not (isinstance(k, str) and k.startswith("x-"))
        }
    if isinstance(data, list):
        return [_strip_extensions(v) for v in data]
    return data


def _with_file(findings: list[Finding], filename: str) -> list[Finding]:
    return [
        Finding(f.rule, f.severity, f.path, f.line, f.column, f.message, f.hint, filename)
        for f in findings
    ]


_IDS = SchemaRuleIds(wrong_type="CW301", missing="CW302", unknown="CW303", bad_value="CW304")


_SHAPES: dict[type[BaseModel], dict[PathTuple, type[BaseModel]]] = {
    ModelCatalog: {
        (): ModelCatalog,
        ("models", "*"): ModelSpec,
        ("models", "*", "ttft_ms"): Quantiles,
    },
    Workload: {
        (): Workload,
        ("policy_decision_ms",): Quantiles,
        ("tiers", "*"): TierWorkload,
        ("tiers", "*", "input_tokens"): Quantiles,
        ("tiers", "*", "output_tokens"): Quantiles,
    },
}


def _allowed(schema: type[BaseModel], container: PathTuple) -> list[str]:
    """Keys allowed in the mapping at `container` (for "did you mean" hints)."""
    key = tuple("*" if i == 1 else p for i, p in enumerate(container))
    model = _SHAPES[schema].get(key)
    return list(model.model_fields) if model is not None else []


def _schema_finding(error: Any, parsed: ParsedYaml, schema: type[BaseModel]) -> Finding:
    path: PathTuple = tuple(p for p in error["loc"] if p != "[key]")
    return schema_finding(error, path, parsed, _IDS, lambda container: _allowed(schema, container))


def cross_check(contract_data: dict[str, Any], inputs: SimInputs) -> list[Finding]:
    """Check a contract against the catalog and workload.

    Errors: an approved model missing from the catalog (CW310), a tier without
    workload (CW311). Warnings: a mix naming an unknown model (CW312), an
    approved model without weight (CW313), a mix with no approved model
    (CW314), a conditional tier without a checkpoint rate (CW315). Findings
    are located in models.yml / workload.yml, where the fix usually goes.
    """
    if inputs.catalog is None or inputs.workload is None:
        return []
    tiers = contract_data.get("capability_tiers") if isinstance(contract_data, dict) else None
    if not isinstance(tiers, dict):
        return []
    mp, wp = inputs.models_parsed, inputs.workload_parsed
    found: list[Finding] = []

    def at(parsed: ParsedYaml | None, path: PathTuple, *, key: bool = False) -> tuple[int, int]:
        return parsed.position(path, key=key) if parsed is not None else (1, 1)

    catalog = inputs.catalog.models
    for tier_id, tier in tiers.items():
        if not isinstance(tier, dict):
            continue
        approved = [m for m in tier.get("approved_models") or [] if isinstance(m, str)]
        for alias in approved:
            if alias not in catalog:
                line, col = at(mp, ("models",), key=True)
                close = difflib.get_close_matches(alias, list(catalog), n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"add `{alias}:` under models"
                found.append(
                    Finding(
                        "CW310",
                        "error",
                        f"models.{alias}",
                        line,
                        col,
                        f"model '{alias}' approved for {tier_id} is not in the model catalog",
                        hint,
                        inputs.models_file,
                    )
                )
        work = inputs.workload.tiers.get(str(tier_id))
        if work is None:
            line, col = at(wp, ("tiers",), key=True)
            found.append(
                Finding(
                    "CW311",
                    "error",
                    f"tiers.{tier_id}",
                    line,
                    col,
                    f"tier '{tier_id}' has no workload",
                    f"add `{tier_id}:` under tiers",
                    inputs.workload_file,
                )
            )
            continue
        found.extend(
            _mix_findings(str(tier_id), tier, approved, work, catalog, wp, inputs.workload_file)
        )
    return sort_findings(found)


def _mix_findings(
    tier_id: str,
    tier: dict[str, Any],
    approved: list[str],
    work: TierWorkload,
    catalog: dict[str, ModelSpec],
    wp: ParsedYaml | None,
    file: str,
) -> list[Finding]:
    found: list[Finding] = []

    def at(path: PathTuple) -> tuple[int, int]:
        return wp.position(path, key=True) if wp is not None else (1, 1)

    base: PathTuple = ("tiers", tier_id)
    if (
        tier.get("requires_human_checkpoint") == "conditional"
        and work.conditional_checkpoint_rate is None
    ):
        line, col = at(base)
        found.append(
            Finding(
                "CW315",
                "warning",
                dotted(base),
                line,
                col,
                f"{tier_id} has a conditional human checkpoint but no conditional_checkpoint_rate; 0 is assumed",
                "add `conditional_checkpoint_rate:` (share of runs reviewed, 0..1)",
                file,
            )
        )
    mix = work.model_mix
    if mix is None:
        return found
    for alias in mix:
        if alias not in catalog:
            line, col = at((*base, "model_mix", alias))
            found.append(
                Finding(
                    "CW312",
                    "warning",
                    dotted((*base, "model_mix", alias)),
                    line,
                    col,
                    f"model_mix of {tier_id} names '{alias}', which is not in the model catalog; it is ignored",
                    None,
                    file,
                )
            )
    usable = [a for a in approved if a in catalog]
    if usable and sum(mix.get(a, 0.0) for a in usable) <= 0:
        line, col = at((*base, "model_mix"))
        found.append(
            Finding(
                "CW314",
                "warning",
                dotted((*base, "model_mix")),
                line,
                col,
                f"no model approved for {tier_id} ({', '.join(usable)}) has a weight in model_mix; traffic is split equally",
                None,
                file,
            )
        )
        return found
    for alias in usable:
        if mix.get(alias, 0.0) <= 0:
            line, col = at((*base, "model_mix"))
            found.append(
                Finding(
                    "CW313",
                    "warning",
                    dotted((*base, "model_mix")),
                    line,
                    col,
                    f"'{alias}' is approved for {tier_id} but has no weight in model_mix, so it gets no traffic",
                    f"add `{alias}: WEIGHT` to model_mix",
                    file,
                )
            )
    return found
