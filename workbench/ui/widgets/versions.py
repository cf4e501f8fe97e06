"""The Versions view: the history list with a base mark and a filter."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from workbench.ui.session import DRAFT, VersionInfo
from workbench.ui.widgets.tables import RowTable

FILTER_DEBOUNCE_S = 0.2


class FilterInput(Input):
    """The `/` filter field: escape clears and hides it."""

    BINDINGS = [Binding("escape", "clear", "Clear filter", show=False)]

    def action_clear(self) -> None:
        """Clear, hide, and hand focus back to the table."""
        self.value = ""
        self.display = False
        view = self.screen.query_one(VersionsView)
        view.filter_text = ""
        view.set_versions(view.versions, view._status)
        self.screen.query_one("#versions-table", DataTable).focus()


class VersionsView(Vertical):
    """History of the contract; `enter` selects, `space` marks the base, `/` filters."""

    BINDINGS = [
        Binding("space", "mark_base", "Mark base"),
        Binding("slash", "filter", "Filter"),
    ]

    class Selected(Message):
        """A version was chosen as the one the other views show."""

        def __init__(self, commit: str) -> None:
            super().__init__()
            self.commit = commit

    class BaseMarked(Message):
        """The base version changed (None: cleared)."""

        def __init__(self, commit: str | None) -> None:
            super().__init__()
            self.commit = commit

    def __init__(self, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        self.versions: list[VersionInfo] = []
        self.base: str | None = None
        self.selected: str = DRAFT
        self.filter_text = ""
        self._status = ""
        self._filter_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield FilterInput(
            placeholder="filter: sha, author, subject, version, tag", id="versions-filter"
        )
        yield RowTable(id="versions-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="versions-status", markup=False)

    def on_mount(self) -> None:
        table = self.query_one("#versions-table", DataTable)
        table.add_column("", key="mark", width=1)
        table.add_column("commit", key="commit", width=7)
        table.add_column("date", key="date", width=16)
        table.add_column("ver", key="ver")
        table.add_column("ok", key="ok", width=2)
        # the subject says what changed: it comes before the author so it stays on
        # screen at 80 columns (the author scrolls off first)
        table.add_column("subject", key="subject")
        table.add_column("author", key="author")
        self.query_one("#versions-filter", Input).display = False

    def _matches(self, v: VersionInfo) -> bool:
        if not self.filter_text:
            return True
        needle = self.filter_text.lower()
        hay = " ".join(
            (v.commit, v.date, v.author, v.subject, v.contract_version, " ".join(v.tags))
        ).lower()
        return needle in hay

    def _mark(self, commit: str) -> Text:
        if commit == self.base:
            return Text("B", style="bold magenta")
        if commit == self.selected:
            return Text("▶", style="bold green")
        return Text("")

    def _row(self, v: VersionInfo) -> list[object]:
        ok = {True: Text("✓", style="green"), False: Text("✗", style="red")}.get(
            v.valid,
            Text(""),  # type: ignore[arg-type]
        )
        subject = v.subject
        if v.tags:
            subject = f"[{', '.join(v.tags)}] {subject}"
        commit = Text("draft", style="bold yellow") if v.commit == DRAFT else v.commit[:7]
        # git data is untrusted text: never let it be read as markup
        return [
            self._mark(v.commit),
            commit,
            Text(v.date),
            Text(v.contract_version),
            ok,
            Text(subject),
            Text(v.author),
        ]

    def set_versions(self, versions: list[VersionInfo], status: str) -> None:
        """Show `versions` (keeps the cursor on the same commit)."""
        self.versions = versions
        table = self.query_one("#versions-table", DataTable)
        current = None
        if table.row_count:
            current = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        table.clear()
        for v in versions:
            if self._matches(v):
                table.add_row(*self._row(v), key=v.commit)
        if current is not None and current in table.rows:
            table.move_cursor(row=table.get_row_index(current), animate=False)
        self._status = status
        self.query_one("#versions-status", Static).update(status)

    def append_versions(self, more: list[VersionInfo], status: str) -> None:
        """Add a page of older versions without touching the cursor."""
        self.versions.extend(more)
        table = self.query_one("#versions-table", DataTable)
        for v in more:
            if self._matches(v) and v.commit not in table.rows:
                table.add_row(*self._row(v), key=v.commit)
        self._status = status
        self.query_one("#versions-status", Static).update(status)

    def _refresh_marks(self) -> None:
        table = self.query_one("#versions-table", DataTable)
        for key in table.rows:
            table.update_cell(key, "mark", self._mark(str(key.value)))

    def set_selected(self, commit: str) -> None:
        """Move the ▶ mark."""
        self.selected = commit
        self._refresh_marks()

    def set_base(self, commit: str | None) -> None:
        """Move the B mark."""
        self.base = commit
        self._refresh_marks()

    def cursor_commit(self) -> str | None:
        """The commit of the row under the cursor."""
        table = self.query_one("#versions-table", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    @on(DataTable.RowSelected, "#versions-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        commit = event.row_key.value
        if commit is not None:
            self.post_message(self.Selected(commit))

    def action_mark_base(self) -> None:
        commit = self.cursor_commit()
        if commit is None:
            return
        new = None if commit == self.base else commit
        self.set_base(new)
        self.post_message(self.BaseMarked(new))

    def action_filter(self) -> None:
        field = self.query_one("#versions-filter", Input)
        field.display = True
        field.focus()

    @on(Input.Changed, "#versions-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        # refilling thousands of rows takes a good part of a second: wait for a
        # pause in typing instead of refilling on every key
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_DEBOUNCE_S, self._apply_filter)

    def _apply_filter(self) -> None:
        self._filter_timer = None
        text = self.query_one("#versions-filter", Input).value.strip()
        if text != self.filter_text:
            self.filter_text = text
            self.set_versions(self.versions, self._status)

    @on(Input.Submitted, "#versions-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._apply_filter()
        if not event.value.strip():
            event.input.display = False
        self.query_one("#versions-table", DataTable).focus()
