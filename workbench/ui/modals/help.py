"""The `?` help screen: every key of the app, from `workbench.ui.keys`."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from workbench.ui.keys import KEYS


def keys_table() -> Table:
    """Every key as a Rich table (wraps to the width it is given)."""
    table = Table(expand=True, box=None, show_edge=False, pad_edge=False)
    table.add_column("where", style="bold", no_wrap=True, ratio=1)
    table.add_column("keys", style="bold cyan", ratio=1)
    table.add_column("what", ratio=3)
    for where, keys, what in KEYS:
        table.add_row(Text(where), Text(keys), Text(what))
    return table


class HelpScreen(ModalScreen[None]):
    """Lists every key; escape, q or ? closes."""

    BINDINGS = [Binding("escape,q,question_mark", "close", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-help"):
            yield Label("Keys", classes="dialog-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(keys_table(), id="help-table")
            yield Static(
                "escape: close · the mouse works on tabs, rows, cells and buttons",
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)
