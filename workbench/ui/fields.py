"""What each editable cell of the matrix means: its dotted path, type and unit.

Presentation metadata only; the rules about valid values live in the core
validator, which re-checks every draft the dialogs produce.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, get_args, get_origin

from workbench.core.contract_model import Cadence, Checkpoint
from workbench.core.paths import value_at


def _choices(annotation: Any) -> tuple[Any, ...]:
    """The values a `bool | Literal[...]` model type allows, from least to most strict:
    false, the literal words, true (so the dialog lists them as the model does)."""
    if get_origin(annotation) is Literal:
        return get_args(annotation)
    words: list[Any] = []
    has_bool = False
    for arg in get_args(annotation):
        if arg is bool:
            has_bool = True
        elif get_origin(arg) is Literal:
            words.extend(get_args(arg))
    return (False, *words, True) if has_bool else tuple(words)


CHECKPOINT_CHOICES: tuple[Any, ...] = _choices(Checkpoint)
CADENCE_CHOICES: tuple[Any, ...] = _choices(Cadence)


@dataclass(frozen=True)
class FieldSpec:
    """One editable value: `path` may hold `{tier}`."""

    key: str
    label: str
    path: str
    kind: str  # text | int | float | choice | list
    unit: str = ""
    choices: tuple[Any, ...] = ()

    def dotted(self, tier: str | None = None) -> str:
        """The dotted path for one tier (or the contract-wide path)."""
        return self.path.format(tier=tier) if tier is not None else self.path


TIER_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("use_cases", "Use cases", "capability_tiers.{tier}.use_cases", "list"),
    FieldSpec(
        "approved_models", "Approved models", "capability_tiers.{tier}.approved_models", "list"
    ),
    FieldSpec(
        "checkpoint",
        "Human checkpoint",
        "capability_tiers.{tier}.requires_human_checkpoint",
        "choice",
        choices=CHECKPOINT_CHOICES,
    ),
    FieldSpec("p95", "p95 latency SLO", "reliability.p95_latency_ms.{tier}", "int", "ms"),
    FieldSpec(
        "cost_cap", "Cost cap per run", "economics.max_cost_per_run_usd.{tier}", "float", "USD"
    ),
)

TERM_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("version", "Version", "version", "text"),
    FieldSpec("owner", "Owner", "owner", "text"),
    FieldSpec(
        "review_cadence", "Review cadence", "review_cadence", "choice", choices=CADENCE_CHOICES
    ),
    FieldSpec(
        "availability", "Availability SLO", "reliability.availability_slo_percent", "float", "%"
    ),
    FieldSpec(
        "policy_timeout",
        "Policy decision timeout",
        "reliability.policy_decision_timeout_ms",
        "int",
        "ms",
    ),
    FieldSpec("controls", "Mandatory controls", "governance.mandatory_controls", "list"),
    FieldSpec(
        "approval_owner",
        "Exception approval owner",
        "governance.exception_process.approval_owner",
        "text",
    ),
    FieldSpec(
        "expiry_days", "Exception expiry", "governance.exception_process.expiry_days", "int", "days"
    ),
    FieldSpec("reserve", "Monthly reserve", "economics.monthly_reserve_percent", "float", "%"),
    FieldSpec("incident_owner", "Incident owner", "support.incident_owner", "text"),
    FieldSpec("duties", "Product-owner duties", "support.product_owner_duties", "list"),
)

FIELDS_BY_KEY: dict[str, FieldSpec] = {f.key: f for f in TIER_FIELDS + TERM_FIELDS}


def get_path(data: Any, dotted: str) -> Any:
    """The value at a dotted path in plain data, or None when absent."""
    return value_at(data, dotted.split("."))


def show_value(value: Any, unit: str = "") -> str:
    """A value as the matrix shows it (lists one item per line)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "\n".join(str(v) for v in value) if value else "(empty)"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {show_value(v)}" for k, v in value.items())
    if unit == "USD":
        return f"${value}"
    if unit == "%":
        return f"{value} %"
    return f"{value} {unit}".rstrip()
