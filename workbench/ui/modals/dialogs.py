"""Small modal dialogs: confirm / choose, typed value editors, list editor, source view."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from workbench.ui.fields import FieldSpec, show_value


class ChoiceDialog(ModalScreen[str | None]):
    """A question with a few buttons; dismisses with the chosen button id (None on escape)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, body: str, choices: list[tuple[str, str, str]]) -> None:
        """`choices` are (id, label, variant) triples; the first is focused."""
        super().__init__()
        self._title = title
        self._body = body
        self._choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self._title, classes="dialog-title")
            yield Static(self._body, classes="dialog-body", markup=False)
            with Horizontal(classes="dialog-buttons"):
                for cid, label, variant in self._choices:
                    yield Button(label, id=f"choice-{cid}", variant=variant)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("choice-"))

    def action_cancel(self) -> None:
        self.dismiss(None)


def parse_typed(spec: FieldSpec, raw: str) -> tuple[Any, str | None]:
    """Turn dialog text into a typed value; (value, error message or None)."""
    text = raw.strip()
    for suffix in (spec.unit, spec.unit.lower(), "$", "%"):
        if suffix and text.endswith(suffix):
            text = text[: -len(suffix)].strip()
    text = text.lstrip("$").replace("_", "").replace(",", "")
    if spec.kind == "int":
        try:
            value = int(text)
        except ValueError:
            return None, f"{spec.label}: a whole number of {spec.unit or 'units'} is needed"
        return value, None
    if spec.kind == "float":
        try:
            number = float(text)
        except ValueError:
            return None, f"{spec.label}: a number is needed"
        if not math.isfinite(number):
            return None, f"{spec.label}: a finite number is needed"
        # keep whole numbers whole so `15` stays `15`, not `15.0`
        return (int(number) if number.is_integer() and "." not in text else number), None
    if not raw.strip():
        return None, f"{spec.label}: a value is needed"
    return raw.strip(), None


class ValueDialog(ModalScreen[Any]):
    """Edit one scalar: a number with its unit, a text, or a choice."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, spec: FieldSpec, dotted: str, current: Any, text: str | None = None) -> None:
        super().__init__()
        self.spec = spec
        self.dotted = dotted
        self.current = current
        # the value as written in the file (`1.60`, not Python's `1.6`)
        self.text = text if text is not None else ("" if current is None else str(current))

    def compose(self) -> ComposeResult:
        spec = self.spec
        with Vertical(classes="dialog"):
            yield Label(f"Edit {spec.label}", classes="dialog-title")
            yield Static(self.dotted, classes="dialog-path", markup=False)
            if spec.kind == "choice":
                options = [Option(show_value(c), id=str(i)) for i, c in enumerate(spec.choices)]
                yield OptionList(*options, id="value-choice")
            else:
                with Horizontal(classes="value-row"):
                    itype = {"int": "integer", "float": "number"}.get(spec.kind, "text")
                    yield Input(
                        value=self.text,
                        type=itype,  # type: ignore[arg-type]
                        id="value-input",
                    )
                    if spec.unit:
                        yield Label(spec.unit, classes="value-unit")
            yield Static("", id="value-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Apply", id="apply", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        if self.spec.kind == "choice":
            olist = self.query_one("#value-choice", OptionList)
            if self.current in self.spec.choices:
                olist.highlighted = list(self.spec.choices).index(self.current)
            olist.focus()
        else:
            self.query_one("#value-input", Input).focus()

    def _apply(self) -> None:
        if self.spec.kind == "choice":
            index = self.query_one("#value-choice", OptionList).highlighted
            if index is None:
                return
            self.dismiss(self.spec.choices[index])
            return
        value, error = parse_typed(self.spec, self.query_one("#value-input", Input).value)
        if error:
            self.query_one("#value-error", Static).update(error)
            return
        self.dismiss(value)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self._apply()

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self._apply()

    @on(Button.Pressed, "#apply")
    def _apply_pressed(self) -> None:
        self._apply()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ListDialog(ModalScreen[list[str] | None]):
    """Edit a list of names: add, rename, remove, reorder."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("delete", "remove", "Remove item"),
        Binding("ctrl+up", "move(-1)", "Move up"),
        Binding("ctrl+down", "move(1)", "Move down"),
        Binding("ctrl+s", "apply", "Apply", priority=True),
    ]

    def __init__(self, title: str, dotted: str, items: list[Any]) -> None:
        super().__init__()
        self._title = title
        self.dotted = dotted
        self.items: list[str] = [str(i) for i in items]
        self._editing: int | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-wide"):
            yield Label(f"Edit {self._title}", classes="dialog-title")
            yield Static(self.dotted, classes="dialog-path", markup=False)
            yield OptionList(id="list-items")
            yield Input(placeholder="new item, Enter to add", id="list-input")
            yield Static(
                "enter: edit item · delete: remove · ctrl+↑/↓: move · ctrl+s: apply",
                classes="dialog-hint",
            )
            yield Static("", id="list-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Apply", id="apply", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self._refresh()
        self.query_one("#list-input", Input).focus()

    def _refresh(self, highlight: int | None = None) -> None:
        olist = self.query_one("#list-items", OptionList)
        olist.clear_options()
        olist.add_options(
            [Option(item) for item in self.items] or [Option("(empty)", disabled=True)]
        )
        if highlight is not None and self.items:
            olist.highlighted = max(0, min(highlight, len(self.items) - 1))

    def _error(self, text: str) -> None:
        self.query_one("#list-error", Static).update(text)

    @on(Input.Submitted, "#list-input")
    def _add(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if not value:
            return
        if value in self.items and self.items.index(value) != self._editing:
            self._error(f"'{value}' is already in the list")
            return
        self._error("")
        if self._editing is not None:
            self.items[self._editing] = value
            at = self._editing
            self._editing = None
            event.input.placeholder = "new item, Enter to add"
        else:
            self.items.append(value)
            at = len(self.items) - 1
        event.input.value = ""
        self._refresh(at)

    @on(OptionList.OptionSelected, "#list-items")
    def _edit(self, event: OptionList.OptionSelected) -> None:
        if not self.items:
            return
        self._editing = event.option_index
        field = self.query_one("#list-input", Input)
        field.value = self.items[event.option_index]
        field.placeholder = "rename item, Enter to keep"
        field.focus()

    def action_remove(self) -> None:
        olist = self.query_one("#list-items", OptionList)
        index = olist.highlighted
        if index is None or not self.items or not olist.has_focus:
            return
        del self.items[index]
        self._refresh(index)

    def action_move(self, step: int) -> None:
        index = self.query_one("#list-items", OptionList).highlighted
        if index is None or not self.items:
            return
        target = index + step
        if 0 <= target < len(self.items):
            self.items[index], self.items[target] = self.items[target], self.items[index]
            self._refresh(target)

    @on(Button.Pressed, "#apply")
    def action_apply(self) -> None:
        self.dismiss(list(self.items))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class PromptDialog(ModalScreen[str | None]):
    """Ask for one line of text (a tier id, a branch name...)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        title: str,
        prompt: str,
        value: str = "",
        check: Callable[[str], str | None] | None = None,
    ) -> None:
        """`check(value)` returns an error to show (the dialog stays open) or None."""
        super().__init__()
        self._title = title
        self._prompt = prompt
        self._value = value
        self._check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self._title, classes="dialog-title")
            yield Static(self._prompt, classes="dialog-body", markup=False)
            yield Input(value=self._value, id="prompt-input")
            yield Static("", id="prompt-error", classes="dialog-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("OK", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#prompt-input", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        value = self.query_one("#prompt-input", Input).value.strip()
        if not value:
            return
        error = self._check(value) if self._check is not None else None
        if error:
            self.query_one("#prompt-error", Static).update(error)
            return
        self.dismiss(value)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class SourceDialog(ModalScreen[None]):
    """Show the file with the cursor on a finding's line and column."""

    BINDINGS = [Binding("escape,q,enter", "close", "Close")]

    def __init__(self, title: str, text: str, line: int, column: int) -> None:
        super().__init__()
        self._title = title
        self._text = text
        self._line = line
        self._column = column

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-source"):
            yield Static(self._title, classes="dialog-title", markup=False)
            yield TextArea(self._text, read_only=True, show_line_numbers=True, id="source-text")
            yield Static("escape: close", classes="dialog-hint")

    def on_mount(self) -> None:
        area = self.query_one("#source-text", TextArea)
        row = max(0, self._line - 1)
        col = max(0, self._column - 1)
        area.cursor_location = (row, col)
        area.select_line(row)
        area.focus()
        self.call_after_refresh(area.scroll_cursor_visible, center=True)

    def action_close(self) -> None:
        self.dismiss(None)


class PickerDialog(ModalScreen[str | None]):
    """Pick one of several contract files in the repository."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, items: list[str]) -> None:
        super().__init__()
        self._title = title
        self._items = items

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-wide"):
            yield Label(self._title, classes="dialog-title")
            yield OptionList(*[Option(i, id=str(n)) for n, i in enumerate(self._items)])

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._items[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
