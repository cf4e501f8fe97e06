"""The Diff view: semantic changes grouped by surface, or the raw text diff."""

from __future__ import annotations

import difflib
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

LEVEL_STYLE = {"breaking": "bold red", "warning": "yellow", "info": "cyan"}
SURFACE_ORDER = ("capability", "reliability", "governance", "economics", "support", "metadata")


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def render_semantic(header: str, result: Any) -> Text:
    """Rich text of a `core.diff.DiffResult`: changes grouped by surface, coloured by level."""
    out = Text()
    out.append(header + "\n", style="bold")
    changes = list(_get(result, "changes", []) or [])
    bump = _get(result, "suggested_bump", "none") or "none"
    counts = {lvl: sum(1 for c in changes if _get(c, "level") == lvl) for lvl in LEVEL_STYLE}
    out.append("Suggested bump: ")
    out.append(str(bump).upper(), style="bold magenta" if bump != "none" else "dim")
    out.append(
        f"   {counts['breaking']} breaking · {counts['warning']} warning · {counts['info']} info\n"
    )
    if not changes:
        out.append("\nNo semantic changes.\n", style="dim")
    surfaces = sorted(
        {str(_get(c, "surface", "metadata")) for c in changes},
        key=lambda s: SURFACE_ORDER.index(s) if s in SURFACE_ORDER else len(SURFACE_ORDER),
    )
    for surface in surfaces:
        out.append(f"\n{surface}\n", style="bold underline")
        for c in changes:
            if str(_get(c, "surface", "metadata")) != surface:
                continue
            level = str(_get(c, "level", "info"))
            out.append(f"  {level:<9}", style=LEVEL_STYLE.get(level, ""))
            out.append(f" {_get(c, 'message', '')}")
            sign = _get(c, "sign_off")
            if sign:
                out.append(f"  [sign-off: {sign}]", style="dim")
            out.append(
                f"\n            {_get(c, 'path', '')} · {_get(c, 'rule', '')}\n", style="dim"
            )
    findings = list(_get(result, "findings", []) or [])
    if findings:
        out.append("\nFindings\n", style="bold underline")
        for f in findings:
            sev = str(_get(f, "severity", "warning"))
            style = {"error": "bold red", "warning": "yellow"}.get(sev, "cyan")
            out.append(f"  {sev} {_get(f, 'rule', '')} ", style=style)
            out.append(f"{_get(f, 'message', '')}\n")
    return out


def render_text_diff(old: str | None, new: str | None, old_name: str, new_name: str) -> Text:
    """A coloured unified diff of two texts (the raw view)."""
    lines = difflib.unified_diff(
        (old or "").splitlines(keepends=True),
        (new or "").splitlines(keepends=True),
        fromfile=old_name,
        tofile=new_name,
    )
    out = Text()
    empty = True
    for line in lines:
        empty = False
        style = ""
        if line.startswith("+") and not line.startswith("+++"):
            style = "green"
        elif line.startswith("-") and not line.startswith("---"):
            style = "red"
        elif line.startswith("@@"):
            style = "cyan"
        out.append(line if line.endswith("\n") else line + "\n", style=style)
    if empty:
        out.append("The two texts are identical.\n", style="dim")
    return out


class DiffView(VerticalScroll):
    """Holds the rendered diff; `t` (app binding) toggles semantic / raw."""

    def compose(self) -> ComposeResult:
        yield Static(
            "Mark a base version with space in Versions, or edit the draft.", id="diff-body"
        )

    def show(self, content: Text | str) -> None:
        """Replace the body."""
        self.query_one("#diff-body", Static).update(content)
