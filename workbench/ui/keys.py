"""Every key of the app in one table: the help screen and docs/keys.md come from here."""

from __future__ import annotations

# (where, keys, what)
KEYS: tuple[tuple[str, str, str], ...] = (
    ("anywhere", "1 2 3 4 5", "switch view: Versions, Matrix, Diff, Simulate, Field history"),
    ("anywhere", "tab / shift+tab", "move focus between tables and fields"),
    ("anywhere", "ctrl+s", "write the draft to the file (atomic, byte-exact)"),
    ("anywhere", "c", "commit dialog: diff summary, bump, message, branch"),
    ("anywhere", "s", "simulate: HEAD (or the base) vs the draft (or the selected version)"),
    ("anywhere", "d", "show the working draft in every view"),
    ("anywhere", "E", "open $EDITOR on the file, reload it afterwards"),
    ("anywhere", "ctrl+r", "reload the file from disk (drops the unsaved draft)"),
    ("anywhere", "o", "switch to another contract file in the repository"),
    ("anywhere", "?", "this help"),
    ("anywhere", "ctrl+p", "command palette (open version, compare, simulate, commit, theme…)"),
    ("anywhere", "q / ctrl+q", "quit (asks when the draft is not saved)"),
    ("Versions", "↑ ↓ pgup pgdn home end", "move through the history"),
    ("Versions", "enter", "select this version: Matrix, Diff and Simulate follow it"),
    ("Versions", "space", "mark / unmark this version as the diff base"),
    ("Versions", "/", "filter by sha, author, subject, version or tag; escape clears"),
    ("Matrix", "arrows", "move between cells; tab to the terms and findings tables"),
    ("Matrix", "enter or e", "edit the cell or term under the cursor (typed dialog)"),
    ("Matrix", "h", "field history of the cell or term under the cursor"),
    ("Matrix", "a", "add a tier"),
    ("Matrix", "R", "rename the tier under the cursor"),
    ("Matrix", "x", "remove the tier under the cursor"),
    ("Matrix findings", "enter", "show the finding's line and column in the file"),
    ("Diff", "t", "toggle semantic diff / raw text diff"),
    ("List editor", "enter", "add the typed item (or rename the selected one)"),
    ("List editor", "delete", "remove the selected item"),
    ("List editor", "ctrl+↑ / ctrl+↓", "move the selected item"),
    ("List editor", "ctrl+s", "apply the list"),
    ("Dialogs", "escape", "cancel"),
)


def keys_markdown() -> str:
    """The keyboard reference as Markdown (docs/keys.md)."""
    lines = [
        "# Keyboard reference",
        "",
        "Press `?` in the app for the same list. Mouse clicks work on tabs, rows, cells",
        "and buttons too.",
        "",
        "| where | keys | what |",
        "|---|---|---|",
    ]
    for where, keys, what in KEYS:
        lines.append(f"| {where} | `{keys}` | {what} |")
    return "\n".join(lines) + "\n"
