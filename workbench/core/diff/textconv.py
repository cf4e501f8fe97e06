"""A normalised, line-per-fact rendering of a contract for `git diff` (textconv).

Git runs the textconv driver on each side and diffs the outputs line by
line, so the rendering puts one fact per line, each line self-describing
(`tier tier_2: approved model: balanced`), lists of names sorted (they are
sets: reordering shows no change), tiers in file order with their SLO and
cost cap beside them. Anything outside the known format is shown as
`dotted.path: json`. A file that is not readable YAML is passed through as
text under a one-line notice, so `git diff` still shows something useful.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from workbench.core.diff.engine import fmt_money, fmt_number
from workbench.core.findings import dotted
from workbench.core.safe_text import terminal_safe
from workbench.core.yaml_safe import parse_yaml

HEADER = "# workbench semantic view: one fact per line, sets sorted (levels: workbench diff)"


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return fmt_number(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _names(value: Any) -> list[str] | None:
    """A list of names as sorted, de-duplicated text; None when not a list."""
    if not isinstance(value, list):
        return None
    return sorted({_value(v) for v in value})


class _View:
    def __init__(self, data: dict[str, Any], version_text: str | None) -> None:
        self.data = data
        self.version_text = version_text  # as written: a bare 1.0 must not print as 1
        self.lines: list[str] = []

    def emit(self, text: str) -> None:
        # a value with a newline would split one fact over two diff lines
        self.lines.append(text.replace("\r", "\\r").replace("\n", "\\n"))

    def other(self, path: tuple[str, ...], value: Any) -> None:
        self.emit(f"{dotted(path)}: {_value(value)}")

    def names(self, prefix: str, noun: str, path: tuple[str, ...], value: Any) -> None:
        names = _names(value)
        if names is None:
            if value is not None:
                self.other(path, value)
            return
        for name in names:
            self.emit(f"{prefix}{noun}: {name}")

    def rest(self, path: tuple[str, ...], mapping: dict[str, Any], known: set[str]) -> None:
        for key in sorted(k for k in mapping if k not in known):
            self.other(path + (key,), mapping[key])

    def section(self, key: str) -> dict[str, Any]:
        value = self.data.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.other((key,), value)
            return {}
        return value

    def render(self) -> list[str]:
        if "version" in self.data:
            self.emit(f"version: {self.version_text or _value(self.data['version'])}")
        for key in ("owner", "review_cadence"):
            if key in self.data:
                self.emit(f"{key}: {_value(self.data[key])}")
        self.tiers()
        self.reliability()
        self.governance()
        self.economics()
        self.support()
        known = {
            "version",
            "owner",
            "review_cadence",
            "capability_tiers",
            "reliability",
            "governance",
            "economics",
            "support",
        }
        self.rest((), self.data, known)
        return self.lines

    def tiers(self) -> None:
        tiers = self.section("capability_tiers")
        p95 = self.section_map("reliability", "p95_latency_ms")
        cost = self.section_map("economics", "max_cost_per_run_usd")
        if tiers:
            self.emit(f"tier order: {', '.join(tiers)}")
        for tier, entry in tiers.items():
            prefix = f"tier {tier}: "
            base = ("capability_tiers", tier)
            if isinstance(entry, dict):
                self.names(prefix, "use case", base + ("use_cases",), entry.get("use_cases"))
                self.names(
                    prefix,
                    "approved model",
                    base + ("approved_models",),
                    entry.get("approved_models"),
                )
                if "requires_human_checkpoint" in entry:
                    checkpoint = _value(entry["requires_human_checkpoint"])
                    self.emit(f"{prefix}human checkpoint: {checkpoint}")
                self.rest(
                    base, entry, {"use_cases", "approved_models", "requires_human_checkpoint"}
                )
            else:
                self.other(base, entry)
            if tier in p95:
                self.emit(f"{prefix}p95 latency SLO: {_value(p95[tier])} ms")
            if tier in cost:
                self.emit(f"{prefix}cost cap: {fmt_money(cost[tier])} per run")
        # SLOs or caps of tiers that capability_tiers does not list (an invalid file)
        for key, mapping, fmt in (
            ("reliability.p95_latency_ms", p95, lambda v: f"{_value(v)} ms"),
            ("economics.max_cost_per_run_usd", cost, lambda v: f"{fmt_money(v)} per run"),
        ):
            for tier in sorted(t for t in mapping if t not in tiers):
                self.emit(f"{key}.{tier}: {fmt(mapping[tier])}")

    def section_map(self, section: str, key: str) -> dict[str, Any]:
        value = self.data.get(section)
        inner = value.get(key) if isinstance(value, dict) else None
        return inner if isinstance(inner, dict) else {}

    def scalar(
        self, section: dict[str, Any], key: str, label: str, fmt: Callable[[Any], str]
    ) -> None:
        if key in section:
            self.emit(f"{label}: {fmt(section[key])}")

    def reliability(self) -> None:
        rel = self.section("reliability")
        if "p95_latency_ms" in rel and not isinstance(rel["p95_latency_ms"], dict):
            self.other(("reliability", "p95_latency_ms"), rel["p95_latency_ms"])
        self.scalar(rel, "availability_slo_percent", "availability SLO", lambda v: f"{_value(v)} %")
        self.scalar(
            rel,
            "policy_decision_timeout_ms",
            "policy decision timeout",
            lambda v: f"{_value(v)} ms",
        )
        self.rest(
            ("reliability",),
            rel,
            {"p95_latency_ms", "availability_slo_percent", "policy_decision_timeout_ms"},
        )

    def governance(self) -> None:
        gov = self.section("governance")
        self.names(
            "",
            "mandatory control",
            ("governance", "mandatory_controls"),
            gov.get("mandatory_controls"),
        )
        exc = gov.get("exception_process")
        if isinstance(exc, dict):
            self.scalar(exc, "approval_owner", "exception approval owner", _value)
            self.scalar(exc, "expiry_days", "exception expiry", lambda v: f"{_value(v)} days")
            self.rest(("governance", "exception_process"), exc, {"approval_owner", "expiry_days"})
        elif exc is not None:
            self.other(("governance", "exception_process"), exc)
        self.rest(("governance",), gov, {"mandatory_controls", "exception_process"})

    def economics(self) -> None:
        eco = self.section("economics")
        if "max_cost_per_run_usd" in eco and not isinstance(eco["max_cost_per_run_usd"], dict):
            self.other(("economics", "max_cost_per_run_usd"), eco["max_cost_per_run_usd"])
        self.scalar(eco, "monthly_reserve_percent", "monthly reserve", lambda v: f"{_value(v)} %")
        self.rest(("economics",), eco, {"max_cost_per_run_usd", "monthly_reserve_percent"})

    def support(self) -> None:
        sup = self.section("support")
        self.scalar(sup, "incident_owner", "incident owner", _value)
        self.names(
            "",
            "product-owner duty",
            ("support", "product_owner_duties"),
            sup.get("product_owner_duties"),
        )
        self.rest(("support",), sup, {"incident_owner", "product_owner_duties"})


def semantic_view(raw: bytes) -> str:
    """The normalised rendering of one contract file's bytes (never raises)."""
    if not raw.strip():
        return ""
    parsed = parse_yaml(raw)
    if not isinstance(parsed.data, dict):
        reason = parsed.findings[0] if parsed.findings else None
        why = f"{reason.rule} line {reason.line}: {reason.message}" if reason else "not a mapping"
        text = raw.decode("utf-8", "replace")
        notice = f"# workbench: not a readable contract ({why}); showing the raw text"
        return notice + "\n" + text + ("" if text.endswith("\n") else "\n")
    node = parsed.nodes.get(("version",))
    raw_version = node.raw if node is not None and node.kind == "scalar" else None
    # decoded escapes ("\\e[2J" in a quoted value) must not reach the pager as controls
    body = [terminal_safe(line) for line in _View(parsed.data, raw_version).render()]
    return "\n".join([HEADER, *body]) + "\n"
