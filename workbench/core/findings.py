"""Findings: located problems, reported like a compiler's diagnostics."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}

PathPart = str | int
PathTuple = tuple[PathPart, ...]


def dotted(path: PathTuple) -> str:
    """Render a path tuple as a dotted path (`reliability.p95_latency_ms.tier_2`)."""
    return ".".join(str(p) for p in path)


@dataclass(frozen=True)
class Finding:
    """One problem in a file: rule id, severity, where it is, and what to do."""

    rule: str
    severity: Severity
    path: str
    line: int
    column: int
    message: str
    hint: str | None = None
    file: str | None = field(default=None, compare=False)

    def to_json(self) -> dict[str, object]:
        """The JSON shape of DESIGN §7 (file is carried by the enclosing object)."""
        data = asdict(self)
        data.pop("file")
        return data

    def format(self, file: str | None = None) -> str:
        """`FILE:LINE:COL: severity RULE message` (+ hint on its own line)."""
        where = file or self.file or "<input>"
        text = f"{where}:{self.line}:{self.column}: {self.severity} {self.rule} {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Order findings by position, then severity, then rule id (stable output)."""
    return sorted(findings, key=lambda f: (f.line, f.column, SEVERITY_ORDER[f.severity], f.rule))


def has_errors(findings: list[Finding]) -> bool:
    """True when any finding is an error."""
    return any(f.severity == "error" for f in findings)
