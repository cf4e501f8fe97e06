"""The `?` help screen: every key of the app, from `workbench.ui.keys`."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from workbench.ui.keys import KEYS


class HelpScreen(ModalScreen[None]):
    """Lists every key; escape, q or ? closes."""

    BINDINGS = [Binding("escape,q,question_mark", "close", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-help"):
            yield Label("Keys", classes="dialog-title")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            yield Static(
                "escape: close · the mouse works on tabs, rows and buttons", classes="dialog-hint"
            )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("where", key="where")
        table.add_column("keys", key="keys")
        table.add_column("what", key="what")
        for n, (where, keys, what) in enumerate(KEYS):
            table.add_row(Text(where), Text(keys), Text(what), key=str(n))
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
