"""A row-cursor DataTable whose `home` / `end` go to the first / last row.

Textual's DataTable binds `home` / `end` to horizontal scrolling and leaves the
first / last row to `ctrl+home` / `ctrl+end`, which many terminals (and tmux)
do not send. In a list of versions people expect `end` to reach the oldest one.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable


class RowTable(DataTable):
    """DataTable with a row cursor where home/end move to the first/last row."""

    BINDINGS = [
        Binding("home", "scroll_top", "First row", show=False),
        Binding("end", "scroll_bottom", "Last row", show=False),
    ]
