"""The level table of DESIGN §4 as data, and `.workbench.toml` overrides.

Every rule id is stable: CI configurations, override files and commit
messages refer to it. `MIRROR` pairs each rule with the rule the reverse diff
reports for the same change (added <-> removed, raised <-> lowered, ...).
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Level = Literal["breaking", "warning", "info"]
Surface = Literal["capability", "reliability", "governance", "economics", "support", "metadata"]
SignOff = Literal["platform", "product", "security", "operations"]

LEVELS: tuple[str, ...] = ("breaking", "warning", "info")
LEVEL_RANK: dict[str, int] = {"breaking": 0, "warning": 1, "info": 2}
SURFACES: tuple[str, ...] = (
    "capability",
    "reliability",
    "governance",
    "economics",
    "support",
    "metadata",
)
SIGN_OFFS: tuple[str, ...] = ("platform", "product", "security", "operations")


@dataclass(frozen=True)
class RuleSpec:
    """One row of the level table: where the change lives, who it hurts, who approves."""

    rule: str
    surface: Surface
    level: Level
    sign_off: SignOff
    summary: str
    counts_for_bump: bool = True


def _r(
    rule: str,
    surface: Surface,
    level: Level,
    sign_off: SignOff,
    summary: str,
    counts: bool = True,
) -> RuleSpec:
    return RuleSpec(rule, surface, level, sign_off, summary, counts)


# Order here is the documentation order; output order comes from the engine.
RULES: dict[str, RuleSpec] = {
    spec.rule: spec
    for spec in (
        # capability: a removed promise breaks product teams; a new one is news
        _r("tier-removed", "capability", "breaking", "platform", "a capability tier was removed"),
        _r("tier-added", "capability", "info", "platform", "a capability tier was added"),
        _r(
            "tier-renamed",
            "capability",
            "breaking",
            "platform",
            "a tier reappears under a new id with the same content (callers use the id)",
        ),
        _r(
            "tier-order-changed",
            "capability",
            "info",
            "platform",
            "the tier order (low risk first) changed",
        ),
        _r("use-case-removed", "capability", "breaking", "platform", "a use case left a tier"),
        _r("use-case-added", "capability", "info", "platform", "a use case joined a tier"),
        _r("model-removed", "capability", "breaking", "platform", "an approved model left a tier"),
        _r("model-added", "capability", "info", "platform", "an approved model joined a tier"),
        _r(
            "checkpoint-stronger",
            "capability",
            "breaking",
            "product",
            "human checkpoint stronger (false → conditional → true)",
        ),
        _r(
            "checkpoint-weaker",
            "capability",
            "warning",
            "security",
            "human checkpoint weaker (true → conditional → false)",
        ),
        # reliability: a relaxed SLO is a weaker promise; a tighter one is news
        _r(
            "p95-latency-raised",
            "reliability",
            "warning",
            "platform",
            "tier p95 latency SLO raised",
        ),
        _r(
            "p95-latency-lowered", "reliability", "info", "platform", "tier p95 latency SLO lowered"
        ),
        _r(
            "p95-latency-unset",
            "reliability",
            "warning",
            "platform",
            "a tier lost its p95 latency SLO",
        ),
        _r("p95-latency-set", "reliability", "info", "platform", "a tier got a p95 latency SLO"),
        _r(
            "availability-slo-lowered",
            "reliability",
            "warning",
            "platform",
            "availability SLO lowered",
        ),
        _r("availability-slo-raised", "reliability", "info", "platform", "availability SLO raised"),
        _r(
            "policy-timeout-raised",
            "reliability",
            "warning",
            "platform",
            "policy decision timeout raised",
        ),
        _r(
            "policy-timeout-lowered",
            "reliability",
            "info",
            "platform",
            "policy decision timeout lowered",
        ),
        # governance
        _r("control-added", "governance", "breaking", "security", "mandatory control added"),
        _r("control-removed", "governance", "warning", "security", "mandatory control removed"),
        _r(
            "exception-expiry-changed",
            "governance",
            "warning",
            "security",
            "exception expiry changed",
        ),
        _r(
            "exception-owner-changed",
            "governance",
            "warning",
            "security",
            "exception approval owner changed",
        ),
        # economics
        _r("cost-cap-lowered", "economics", "breaking", "platform", "tier cost cap lowered"),
        _r("cost-cap-raised", "economics", "info", "platform", "tier cost cap raised"),
        _r("cost-cap-set", "economics", "breaking", "platform", "a tier got a cost cap"),
        _r("cost-cap-unset", "economics", "info", "platform", "a tier lost its cost cap"),
        _r("reserve-changed", "economics", "info", "platform", "monthly reserve changed"),
        # support
        _r("duty-added", "support", "breaking", "product", "product-owner duty added"),
        _r("duty-removed", "support", "info", "product", "product-owner duty removed"),
        _r(
            "incident-owner-changed",
            "support",
            "warning",
            "operations",
            "incident owner changed",
        ),
        # metadata
        _r("owner-changed", "metadata", "info", "platform", "contract owner changed"),
        _r("review-cadence-changed", "metadata", "info", "platform", "review cadence changed"),
        _r(
            "version-changed",
            "metadata",
            "info",
            "platform",
            "contract version changed (not itself a reason to bump)",
            counts=False,
        ),
        _r("x-key-added", "metadata", "info", "platform", "an `x-` extension key was added"),
        _r("x-key-removed", "metadata", "info", "platform", "an `x-` extension key was removed"),
        _r("x-key-changed", "metadata", "info", "platform", "an `x-` extension key changed"),
        _r(
            "value-changed",
            "metadata",
            "warning",
            "platform",
            "a value outside the known format changed (unknown key or wrong type)",
        ),
    )
}

# rule -> the rule the reverse diff reports for the same change
MIRROR: dict[str, str] = {}
for _a, _b in (
    ("tier-removed", "tier-added"),
    ("use-case-removed", "use-case-added"),
    ("model-removed", "model-added"),
    ("checkpoint-stronger", "checkpoint-weaker"),
    ("p95-latency-raised", "p95-latency-lowered"),
    ("p95-latency-unset", "p95-latency-set"),
    ("availability-slo-lowered", "availability-slo-raised"),
    ("policy-timeout-raised", "policy-timeout-lowered"),
    ("control-added", "control-removed"),
    ("cost-cap-lowered", "cost-cap-raised"),
    ("cost-cap-set", "cost-cap-unset"),
    ("duty-added", "duty-removed"),
    ("x-key-added", "x-key-removed"),
):
    MIRROR[_a], MIRROR[_b] = _b, _a
for _self in RULES:
    MIRROR.setdefault(_self, _self)


class DiffConfigError(ValueError):
    """The level overrides are not usable; the message says where and why."""


def check_overrides(overrides: Mapping[str, str], *, source: str = "overrides") -> dict[str, str]:
    """Validate a `{rule id: level}` mapping; raise DiffConfigError on unknown ids or levels."""
    checked: dict[str, str] = {}
    for rule, level in overrides.items():
        if rule not in RULES:
            close = difflib.get_close_matches(str(rule), list(RULES), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            known = ", ".join(sorted(RULES))
            raise DiffConfigError(
                f"{source}: unknown diff rule id '{rule}'{hint}; known rule ids: {known}"
            )
        if level not in LEVELS:
            raise DiffConfigError(
                f"{source}: level for '{rule}' must be one of breaking, warning, info"
                f" (got {level!r})"
            )
        checked[str(rule)] = str(level)
    return checked


def overrides_from_toml(text: str, *, source: str = ".workbench.toml") -> dict[str, str]:
    """Read the `[diff.levels]` table of a `.workbench.toml` text.

    ```toml
    [diff.levels]
    control-removed = "breaking"
    ```
    Other tables belong to other features and are ignored here.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DiffConfigError(f"{source}: not valid TOML: {exc}") from None
    if "levels" in data and "diff" not in data:  # a likely slip that would be ignored silently
        raise DiffConfigError(f"{source}: put level overrides under [diff.levels], not [levels]")
    diff = data.get("diff", {})
    if not isinstance(diff, dict):
        raise DiffConfigError(f"{source}: [diff] must be a table")
    levels = diff.get("levels", {})
    if not isinstance(levels, dict):
        raise DiffConfigError(f"{source}: [diff.levels] must be a table of rule id = level")
    return check_overrides(levels, source=f"{source} [diff.levels]")


def load_overrides(path: Path) -> dict[str, str]:
    """Overrides from a `.workbench.toml` file; an absent file means none."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise DiffConfigError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DiffConfigError(f"{path}: not valid UTF-8") from None
    return overrides_from_toml(text, source=str(path))
