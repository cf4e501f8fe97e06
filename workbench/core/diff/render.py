"""Renderings of a DiffResult: tagged text lines, Markdown, JSON.

No colour codes here (core stays free of Rich and terminals): text lines
carry their level or severity, and the CLI colours them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from workbench.core.diff.engine import Change, DiffResult, bump_version, parse_version
from workbench.core.diff.levels import RULES, SIGN_OFFS, SURFACES
from workbench.core.findings import Finding
from workbench.core.safe_text import terminal_safe

_LEVEL_WIDTH = 9
_SIGN_OFF_WIDTH = 11


@dataclass(frozen=True)
class Line:
    """One line of the text rendering.

    `kind` is title | heading | change | summary | finding | blank; `tag` is
    the change's level or the finding's severity (None otherwise).
    """

    text: str
    kind: str
    tag: str | None = None


def _side(label: str, version: str | None) -> str:
    return f"{label} (version {version})" if version is not None else label


def bump_summary(result: DiffResult) -> str:
    """`suggested bump: major (1.0 → 2.0)`."""
    text = f"suggested bump: {result.suggested_bump}"
    base = result.base_version
    if result.suggested_bump != "none" and base is not None and parse_version(base):
        text += f" ({base} → {bump_version(base, result.suggested_bump)})"
    return text


def counts_summary(result: DiffResult) -> str:
    """`2 breaking, 1 warning, 0 info`."""
    return ", ".join(f"{n} {level}" for level, n in result.counts().items())


def sign_off_summary(result: DiffResult) -> str | None:
    """`sign-off: platform (2), security (1)` in the table's order; None when nobody is needed."""
    counts: dict[str, int] = {}
    for change in result.changes:
        if RULES[change.rule].counts_for_bump:  # a version bump needs nobody's approval
            counts[change.sign_off] = counts.get(change.sign_off, 0) + 1
    if not counts:
        return None
    ordered = sorted(counts, key=SIGN_OFFS.index)
    return "sign-off: " + ", ".join(f"{who} ({counts[who]})" for who in ordered)


def by_surface(changes: Iterable[Change]) -> list[tuple[str, list[Change]]]:
    """Changes grouped by surface, in surface order, empty surfaces left out."""
    groups: dict[str, list[Change]] = {s: [] for s in SURFACES}
    for change in changes:
        groups[change.surface].append(change)
    return [(s, cs) for s, cs in groups.items() if cs]


def text_lines(result: DiffResult, base: str, target: str) -> list[Line]:
    """The human rendering: grouped by surface, one change per line, then the bump."""
    lines = [
        Line(
            f"Semantic diff: {_side(base, result.base_version)} → "
            f"{_side(target, result.target_version)}",
            "title",
        )
    ]
    if not result.changes:
        lines.append(Line("no semantic changes", "summary"))
    for surface, changes in by_surface(result.changes):
        lines.append(Line("", "blank"))
        lines.append(Line(surface, "heading"))
        for c in changes:
            text = (
                f"  {c.level:<{_LEVEL_WIDTH}} {c.sign_off:<{_SIGN_OFF_WIDTH}} {c.message}"
                f"  [{c.rule}]"
            )
            lines.append(Line(text, "change", c.level))
    lines.append(Line("", "blank"))
    lines.append(Line(f"{counts_summary(result)}; {bump_summary(result)}", "summary"))
    who = sign_off_summary(result)
    if who:
        lines.append(Line(who, "summary"))
    for finding in result.findings:
        for i, part in enumerate(_finding_text(finding).split("\n")):
            lines.append(Line(part, "finding", finding.severity if i == 0 else None))
    return [Line(terminal_safe(line.text), line.kind, line.tag) for line in lines]


def _finding_text(finding: Finding) -> str:
    """Compiler style when the finding is located, `path: severity RULE msg` when not."""
    if finding.line:
        return finding.format()
    text = f"{finding.file + ': ' if finding.file else ''}{finding.severity} {finding.rule}"
    text += f" {finding.message} ({finding.path})" if finding.path else f" {finding.message}"
    return text + (f"\n    hint: {finding.hint}" if finding.hint else "")


def plain_text(result: DiffResult, base: str, target: str) -> str:
    """The text rendering without colour, as one string."""
    return "\n".join(line.text for line in text_lines(result, base, target)) + "\n"


def _md(text: object) -> str:
    """Escape a table cell: pipes split cells, line breaks end rows, and `<` could
    open raw HTML (an `<!--` in a use case would hide the rest of the review)."""
    flat = str(text).replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    return terminal_safe(flat).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")


def _code(text: object) -> str:
    """A code span outside tables: no escapes work inside it, so only fence it safely."""
    flat = terminal_safe(" ".join(str(text).splitlines()))
    fence = "`" * (max((len(run) for run in re.findall("`+", flat)), default=0) + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def _side_md(label: str, version: str | None) -> str:
    return f"{_code(label)} (version {_md(version)})" if version is not None else _code(label)


def markdown(result: DiffResult, base: str, target: str) -> str:
    """Markdown for a pull request or review notes: summary, then a table per surface."""
    counts = result.counts()
    out = [
        f"**Semantic diff** {_side_md(base, result.base_version)} →"
        f" {_side_md(target, result.target_version)}",
        "",
        " · ".join(f"**{n} {level}**" if n else f"{n} {level}" for level, n in counts.items())
        + f" — suggested bump: **{result.suggested_bump}**"
        + _md(bump_summary(result)[len(f"suggested bump: {result.suggested_bump}") :]),
    ]
    who = sign_off_summary(result)
    if who:
        out += ["", who[0].upper() + who[1:]]
    if not result.changes:
        out += ["", "No semantic changes."]
    for surface, changes in by_surface(result.changes):
        out += [
            "",
            f"### {surface.capitalize()}",
            "",
            "| Level | Tier | Change | Sign-off | Rule |",
            "|---|---|---|---|---|",
        ]
        for c in changes:
            level = f"**{c.level}**" if c.level == "breaking" else c.level
            out.append(
                f"| {level} | {_md(c.tier or '—')} | {_md(c.message)} | {c.sign_off} | `{c.rule}` |"
            )
    if result.findings:
        out += ["", "### Findings", ""]
        for f in result.findings:
            parts = ([_md(f.file)] if f.file else []) + ([f"line {f.line}"] if f.line else [])
            where = f" ({', '.join(parts)})" if parts else ""
            hint = f" — {_md(f.hint)}" if f.hint else ""
            out.append(
                f"- **{f.severity}** `{f.rule}` {_code(f.path)}{where}: {_md(f.message)}{hint}"
            )
    return "\n".join(out) + "\n"


def finding_json(finding: Finding) -> dict[str, Any]:
    """A finding as JSON, with the file (or side) it belongs to."""
    data = finding.to_json()
    data["file"] = finding.file
    return data


def diff_json(result: DiffResult, base: str, target: str) -> dict[str, Any]:
    """The diff JSON of DESIGN §7 (plus counts and versions)."""
    return {
        "base": base,
        "target": target,
        "changes": [c.to_json() for c in result.changes],
        "suggested_bump": result.suggested_bump,
        "findings": [finding_json(f) for f in result.findings],
        "counts": result.counts(),
        "base_version": result.base_version,
        "target_version": result.target_version,
    }
