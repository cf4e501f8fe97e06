"""The Diff view: semantic changes grouped by surface, or the raw text diff."""

from __future__ import annotations

import difflib

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from workbench.core.diff.engine import DiffResult
from workbench.core.diff.render import text_lines

LEVEL_STYLE = {"breaking": "bold red", "warning": "yellow", "info": "cyan"}
# findings in a diff carry a severity instead of a level
TAG_STYLE = {**LEVEL_STYLE, "error": "bold red"}
_BUMP = "suggested bump: "


def render_semantic(result: DiffResult, base: str, target: str) -> Text:
    """Rich text of the core's text rendering (`core.diff.render.text_lines`), coloured
    by each line's kind and level: the app and `workbench diff` say the same thing."""
    out = Text()
    for line in text_lines(result, base, target):
        if line.kind == "title":
            out.append(line.text, style="bold")
        elif line.kind == "heading":
            out.append(line.text, style="bold underline")
        elif line.kind == "change" and line.tag:
            # "  <level> <sign-off> <message>  [rule]": colour the level, dim the rule
            indent = line.text[: len(line.text) - len(line.text.lstrip())]
            level, _, rest = line.text.lstrip().partition(" ")
            body, sep, rule = rest.rpartition("  [")
            out.append(indent)
            out.append(level, style=TAG_STYLE.get(line.tag, ""))
            out.append(" " + (body if sep else rest))
            if sep:
                out.append(sep + rule, style="dim")
        elif line.kind == "summary" and _BUMP in line.text:
            # the suggested bump is the line's point: make it stand out as before
            head, _, tail = line.text.partition(_BUMP)
            bump, space, rest = tail.partition(" ")
            out.append(head + _BUMP)
            out.append(bump, style="bold magenta" if bump != "none" else "dim")
            out.append(space + rest)
        elif line.kind == "finding" and line.tag:
            out.append(line.text, style=TAG_STYLE.get(line.tag, ""))
        else:
            out.append(line.text)
        out.append("\n")
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
