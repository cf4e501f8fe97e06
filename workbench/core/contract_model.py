"""The v1 contract format (DESIGN §2) as strict pydantic models.

Strict mode: no coercion, so `yes`, `1` or `"true"` never pass for a boolean
and `"300"` never passes for a number. Unknown keys are errors; keys starting
with `x-` are local extensions and are removed before validation
(`strip_extensions`), kept untouched in the file.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

TIER_ID_PATTERN = r"^[a-z][a-z0-9_-]*$"
VERSION_PATTERN = re.compile(r"^\d+\.\d+(\.\d+)?$")

TierId = Annotated[str, StringConstraints(pattern=TIER_ID_PATTERN)]
NonEmptyStr = Annotated[str, StringConstraints(min_length=1, strip_whitespace=False)]
PositiveInt = Annotated[int, Field(gt=0)]
PositiveNumber = Annotated[float, Field(gt=0)]
Checkpoint = bool | Literal["conditional"]
Cadence = Literal["monthly", "quarterly", "semiannual", "annual"]


def _unique(values: list[str]) -> list[str]:
    seen: set[str] = set()
    for item in values:
        if item in seen:
            raise ValueError(f"'{item}' is listed twice; items must be unique")
        seen.add(item)
    return values


class _Strict(BaseModel):
    # allow_inf_nan=False: `.inf`/`.nan` are YAML floats but never a valid cap or
    # version (and JSON output refuses them)
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, allow_inf_nan=False)


class Tier(_Strict):
    """What one capability tier gets and owes."""

    use_cases: Annotated[list[NonEmptyStr], Field(min_length=1)]
    approved_models: Annotated[list[NonEmptyStr], Field(min_length=1)]
    requires_human_checkpoint: Checkpoint

    _unique_lists = field_validator("use_cases", "approved_models")(_unique)


class Reliability(_Strict):
    """SLOs: per-tier p95 latency, availability and policy decision time."""

    p95_latency_ms: dict[TierId, PositiveInt]
    availability_slo_percent: Annotated[float, Field(gt=0, lt=100)]
    policy_decision_timeout_ms: PositiveInt


class ExceptionProcess(_Strict):
    """Who approves exceptions and how long they last."""

    approval_owner: NonEmptyStr
    expiry_days: PositiveInt


class Governance(_Strict):
    """Mandatory controls and the exception process."""

    mandatory_controls: list[NonEmptyStr]
    exception_process: ExceptionProcess

    _unique_controls = field_validator("mandatory_controls")(_unique)


class Economics(_Strict):
    """Cost caps per tier and the monthly reserve."""

    max_cost_per_run_usd: dict[TierId, PositiveNumber]
    monthly_reserve_percent: Annotated[float, Field(ge=0, le=100)]


class Support(_Strict):
    """Incident ownership and what product owners must provide."""

    incident_owner: NonEmptyStr
    product_owner_duties: list[NonEmptyStr]

    _unique_duties = field_validator("product_owner_duties")(_unique)


class Contract(_Strict):
    """A whole v1 internal developer contract."""

    version: str | float
    owner: NonEmptyStr
    review_cadence: Cadence
    capability_tiers: Annotated[dict[TierId, Tier], Field(min_length=1)]
    reliability: Reliability
    governance: Governance
    economics: Economics
    support: Support

    @field_validator("version")
    @classmethod
    def _version_form(cls, value: str | float) -> str | float:
        if (isinstance(value, str) and not VERSION_PATTERN.match(value)) or (
            not isinstance(value, str) and value < 0
        ):
            raise ValueError("version must look like MAJOR.MINOR or MAJOR.MINOR.PATCH (e.g. 1.2)")
        return value


def strip_extensions(data: Any) -> Any:
    """A copy of plain data without `x-` keys at any level (local extensions)."""
    if isinstance(data, dict):
        return {
            k: strip_extensions(v)
            for k, v in data.items()
            if not (isinstance(k, str) and k.startswith("x-"))
        }
    if isinstance(data, list):
        return [strip_extensions(v) for v in data]
    return data


def allowed_keys(path: tuple[str | int, ...]) -> list[str]:
    """The keys a mapping at `path` may hold (for "did you mean" hints)."""
    model: type[BaseModel] = Contract
    for index, part in enumerate(path):
        if model is Contract and part == "capability_tiers":
            # capability_tiers.<tier id> holds a Tier; deeper levels hold lists
            return list(Tier.model_fields) if len(path) == index + 2 else []
        field = model.model_fields.get(str(part))
        annotation = field.annotation if field is not None else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return []
        model = annotation
    return list(model.model_fields)
