"""The tier matrix of a contract: tiers as columns, what each tier gets and owes as rows.

Built from plain data (so it works for an invalid version too: missing cells
show as absent) and rendered as plain text; the app renders the same
structure with its own widgets.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from workbench.core.paths import value_at
from workbench.core.tiers import tier_ids

ABSENT = "—"


@dataclass(frozen=True)
class MatrixRow:
    """One row of the matrix: a label and one value per tier (None where absent)."""

    key: str
    label: str
    values: list[Any]
    paths: list[str] = field(default_factory=list)  # dotted path of each cell


@dataclass(frozen=True)
class Term:
    """A contract-wide term (not per tier)."""

    key: str  # dotted path in the contract
    label: str
    value: Any  # None where absent


@dataclass(frozen=True)
class Matrix:
    """Tiers (in file order, low risk first), per-tier rows and contract-wide terms."""

    tiers: list[str]
    rows: list[MatrixRow]
    terms: list[Term]
    written: dict[str, str] = field(default_factory=dict)  # dotted path -> number as written

    def to_json(self) -> dict[str, Any]:
        """Plain data: `{"tiers", "rows": [{"key", "label", "values": {tier: value}}], "terms"}`."""
        return {
            "tiers": list(self.tiers),
            "rows": [
                {
                    "key": r.key,
                    "label": r.label,
                    "values": dict(zip(self.tiers, r.values, strict=True)),
                }
                for r in self.rows
            ],
            "terms": [{"key": t.key, "label": t.label, "value": t.value} for t in self.terms],
        }


def tier_matrix(data: Any, raw: Callable[[tuple[str, ...]], str | None] | None = None) -> Matrix:
    """The matrix of a contract's plain data (tolerant of missing or odd parts).

    `raw(path)` (e.g. `Validation.raw`) gives a scalar's text as written, so
    `8.50` and `version: 1.10` print as written rather than as 8.5 and 1.1.
    """
    # tiers named only in the SLO / cost maps still get a column (CW101 reports them)
    tiers = tier_ids(data)

    def per_tier(key: str) -> tuple[list[Any], list[str]]:
        paths = [("capability_tiers", t, key) for t in tiers]
        return [value_at(data, p) for p in paths], [".".join(p) for p in paths]

    def by_tier(*path: str) -> tuple[list[Any], list[str]]:
        paths = [(*path, t) for t in tiers]
        return [value_at(data, p) for p in paths], [".".join(p) for p in paths]

    rows = [
        MatrixRow("use_cases", "use cases", *per_tier("use_cases")),
        MatrixRow("approved_models", "approved models", *per_tier("approved_models")),
        MatrixRow(
            "requires_human_checkpoint", "human checkpoint", *per_tier("requires_human_checkpoint")
        ),
        MatrixRow("p95_latency_ms", "p95 SLO (ms)", *by_tier("reliability", "p95_latency_ms")),
        MatrixRow(
            "max_cost_per_run_usd",
            "cost cap (USD/run)",
            *by_tier("economics", "max_cost_per_run_usd"),
        ),
    ]
    term_paths = [
        ("version", "version"),
        ("owner", "owner"),
        ("review_cadence", "review cadence"),
        ("reliability.availability_slo_percent", "availability SLO (%)"),
        ("reliability.policy_decision_timeout_ms", "policy decision timeout (ms)"),
        ("governance.mandatory_controls", "mandatory controls"),
        ("governance.exception_process.approval_owner", "exception approval owner"),
        ("governance.exception_process.expiry_days", "exception expiry (days)"),
        ("economics.monthly_reserve_percent", "monthly reserve (%)"),
        ("support.incident_owner", "incident owner"),
        ("support.product_owner_duties", "product owner duties"),
    ]
    terms = [Term(key, label, value_at(data, key.split("."))) for key, label in term_paths]
    written: dict[str, str] = {}
    if raw is not None:
        numeric = [(p, v) for r in rows for p, v in zip(r.paths, r.values, strict=True)]
        numeric += [(t.key, t.value) for t in terms]
        for path, value in numeric:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                text = raw(tuple(path.split(".")))
                if text is not None:
                    written[path] = text
    return Matrix(tiers, rows, terms, written)


def cell_text(value: Any) -> str:
    """How one value reads in a cell: lists one item per line, booleans in YAML spelling."""
    if value is None:
        return ABSENT
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "\n".join(cell_text(v) for v in value) if value else "(none)"
    if isinstance(value, dict):
        return "\n".join(f"{k}: {cell_text(v)}" for k, v in value.items())
    return str(value)


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for raw in text.splitlines() or [""]:
        lines += textwrap.wrap(raw, width, break_long_words=True, break_on_hyphens=False) or [""]
    return lines


def render_text(matrix: Matrix, *, width: int = 100, max_cell: int = 26) -> str:
    """Plain-text tables: the tier matrix (split into column groups to fit `width`), then the terms."""
    out: list[str] = []
    label_width = max(len(r.label) for r in matrix.rows)
    if not matrix.tiers:
        out.append("(no capability tiers)")
    cells = {
        # one list of lines per tier
        r.key: [
            _wrap(matrix.written.get(p) or cell_text(v), max_cell)
            for v, p in zip(r.values, r.paths, strict=True)
        ]
        for r in matrix.rows
    }
    widths = []
    for i, tier in enumerate(matrix.tiers):
        widest = max((len(line) for r in matrix.rows for line in cells[r.key][i]), default=0)
        widths.append(max(len(tier), widest))
    # group tier columns so each table fits the width
    groups: list[list[int]] = []
    used = label_width
    for i, w in enumerate(widths):
        if groups and used + 3 + w <= width:
            groups[-1].append(i)
            used += 3 + w
        else:
            groups.append([i])
            used = label_width + 3 + w
    for group in groups:
        sep = "-+-".join(["-" * label_width] + ["-" * widths[i] for i in group])
        out.append(
            " | ".join(
                [" " * label_width] + [matrix.tiers[i].ljust(widths[i]) for i in group]
            ).rstrip()
        )
        out.append(sep)
        for r in matrix.rows:
            height = max(len(cells[r.key][i]) for i in group)
            for line_no in range(height):
                label = r.label if line_no == 0 else ""
                parts = [label.ljust(label_width)]
                for i in group:
                    lines = cells[r.key][i]
                    parts.append((lines[line_no] if line_no < len(lines) else "").ljust(widths[i]))
                out.append(" | ".join(parts).rstrip())
        out.append("")
    term_width = max(len(t.label) for t in matrix.terms)
    for t in matrix.terms:
        text = (matrix.written.get(t.key) or cell_text(t.value)).replace("\n", ", ")
        wrapped = _wrap(text, max(20, width - term_width - 2))
        out.append(f"{t.label.ljust(term_width)}  {wrapped[0]}")
        out += [f"{'':{term_width}}  {line}" for line in wrapped[1:]]
    return "\n".join(out).rstrip() + "\n"
