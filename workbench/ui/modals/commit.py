"""The commit dialog: diff summary, bump, editable message, current or new branch.

Errors in the draft block the commit; warnings need an explicit OK; a refusal
or a hook's output is shown in full and nothing is lost (the core guarantees
what happens on disk and in git).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Static, TextArea

from workbench.ui.widgets.diff_view import LEVEL_STYLE

if TYPE_CHECKING:
    from workbench.core.validate import Validation
    from workbench.ui.app import WorkbenchApp


class CommitDialog(ModalScreen[Any]):
    """Commits the app's draft; dismisses with the core's CommitResult (None: cancelled)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, app_ref: WorkbenchApp) -> None:
        super().__init__()
        self.wb = app_ref
        self.result: Any = None
        self.head_text: str | None = None
        self._generated_message: str | None = None  # what we last put in the message box

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-commit"):
            yield Label("Commit the draft", classes="dialog-title")
            with VerticalScroll(id="commit-scroll"):
                yield Static("computing the diff against HEAD…", id="commit-summary")
                yield Static("", id="commit-findings")
                with Horizontal(id="commit-checks"):
                    yield Checkbox(
                        "I have read the warnings; commit anyway", id="commit-ack", compact=True
                    )
                    yield Button("Bump version", id="commit-bump", compact=True, variant="primary")
                yield Label("Message")
                yield TextArea("", id="commit-message", soft_wrap=True)
                with RadioSet(id="commit-where", compact=True):
                    yield RadioButton(
                        "current branch", value=True, id="where-current", compact=True
                    )
                    yield RadioButton("new branch:", id="where-new", compact=True)
                yield Input(placeholder="new branch name", id="commit-branch")
                yield Static("", id="commit-error", classes="dialog-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Commit", id="commit-go", variant="success", disabled=True)
                yield Button("Cancel", id="commit-cancel")

    def on_mount(self) -> None:
        self.query_one("#commit-ack").display = False
        self.query_one("#commit-bump").display = False
        self.query_one("#commit-branch").display = False
        self._prepare(self.wb.draft_validation)

    @work(thread=True, exclusive=True)
    def _prepare(self, draft: Validation) -> None:
        """Diff HEAD against the draft's validation (taken on the UI thread: not reparsed)."""
        from workbench.core.diff import commit_message, diff_validations
        from workbench.ui.session import validate

        session = self.wb.session
        assert session is not None
        try:
            with self.wb._history_lock:
                head = session.head_commit(fresh=True)  # HEAD may have moved outside the app
                old = session.text_of(head) if head else None
            old_v = validate(old, session.catalog) if old is not None else None
            result = diff_validations(old_v, draft, session.diff_overrides())
            message = commit_message(result)
        except Exception as exc:  # noqa: BLE001
            self.app.call_from_thread(self._show_error, f"cannot prepare the commit: {exc}")
            return
        self.head_text = old
        self.app.call_from_thread(self._show, result, message)

    def _show_error(self, text: str) -> None:
        self.query_one("#commit-error", Static).update(text)

    def _show(self, result: Any, message: str) -> None:
        self.result = result
        counts = result.counts()
        summary = Text()
        summary.append(f"{len(result.changes)} change(s) vs HEAD  ", style="bold")
        for level in ("breaking", "warning", "info"):
            summary.append(f"{counts.get(level, 0)} {level}  ", style=LEVEL_STYLE[level])
        summary.append("\nsuggested bump: ")
        summary.append(str(result.suggested_bump).upper(), style="bold magenta")
        if result.base_version == result.target_version:
            summary.append(f"   version {result.base_version} (not bumped in the draft)\n")
        else:
            summary.append(f"   version {result.base_version} → {result.target_version}\n")
        for change in result.changes[:12]:
            summary.append(f"  {change.level:<9}", style=LEVEL_STYLE.get(change.level, ""))
            summary.append(f" {change.message}\n")
        if len(result.changes) > 12:
            summary.append(f"  … {len(result.changes) - 12} more\n", style="dim")
        self.query_one("#commit-summary", Static).update(summary)
        box = self.query_one("#commit-message", TextArea)
        if self._generated_message is None or box.text == self._generated_message:
            box.text = message  # never overwrite what the user typed (e.g. after Bump)
            self._generated_message = message

        validation = self.wb.draft_validation
        findings = list(validation.findings if validation is not None else [])
        findings += list(result.findings)
        errors = [f for f in findings if f.severity == "error"]
        warnings = [f for f in findings if f.severity == "warning"]
        lines = Text()
        for f in errors + warnings:
            style = "bold red" if f.severity == "error" else "yellow"
            lines.append(f"{f.line}:{f.column} {f.severity} {f.rule} ", style=style)
            lines.append(f"{f.message}\n")
        self.query_one("#commit-findings", Static).update(lines)
        self.has_errors = bool(errors)
        self._show_error("The draft has errors: fix them before committing." if errors else "")
        ack = self.query_one("#commit-ack", Checkbox)
        ack.display = bool(warnings) and not errors
        ack.value = False
        bump_missing = any(f.rule == "version-bump-missing" for f in findings)
        self.query_one("#commit-bump", Button).display = bump_missing
        self._update_go()
        message_box = self.query_one("#commit-message", TextArea)
        message_box.focus()
        self.call_after_refresh(message_box.scroll_visible, animate=False)

    def _update_go(self) -> None:
        ack = self.query_one("#commit-ack", Checkbox)
        ok = self.result is not None and not getattr(self, "has_errors", True)
        if ack.display and not ack.value:
            ok = False
        self.query_one("#commit-go", Button).disabled = not ok

    @on(Checkbox.Changed)
    def _ack(self) -> None:
        self._update_go()

    @on(Input.Submitted, "#commit-branch")
    def _branch_submitted(self) -> None:
        if not self.query_one("#commit-go", Button).disabled:
            self._go()

    @on(RadioSet.Changed)
    def _where(self, event: RadioSet.Changed) -> None:
        new = event.pressed.id == "where-new"
        field = self.query_one("#commit-branch", Input)
        field.display = new
        if new:
            field.focus()

    @on(Button.Pressed, "#commit-bump")
    def _bump(self) -> None:
        """Set `version` to the suggested bump in the draft, then recompute.

        The edit is the core's `version_edit`, as `workbench set --commit --bump`
        makes it: `version: 1.0` becomes `version: 1.1`, not the string "1.1".
        """
        from workbench.core.diff import bump_version
        from workbench.core.git.commit_plan import version_edit

        result = self.result
        draft = self.wb.draft_validation
        if result is None or not result.base_version or draft is None:
            return
        try:
            new_version = bump_version(result.base_version, result.suggested_bump)
        except ValueError as exc:
            self._show_error(str(exc))
            return
        if self.wb.apply_draft_edits(
            [version_edit(draft, new_version)], f"version → {new_version}"
        ):
            self.query_one("#commit-go", Button).disabled = True
            self._prepare(self.wb.draft_validation)

    @on(Button.Pressed, "#commit-go")
    def _go(self) -> None:
        message = self.query_one("#commit-message", TextArea).text
        branch = None
        if self.query_one("#where-new", RadioButton).value:
            branch = self.query_one("#commit-branch", Input).value.strip()
            if not branch:
                self._show_error("type a name for the new branch")
                return
        self.query_one("#commit-go", Button).disabled = True
        self._show_error("committing…")
        self._commit(message, branch)

    @work(thread=True, exclusive=True, group="commit")
    def _commit(self, message: str, branch: str | None) -> None:
        from workbench.core.git.writeback import HookRejectedError, RefusedError

        session = self.wb.session
        assert session is not None and self.wb.repo is not None
        try:
            result = self.wb.commit_draft(message, branch)
        except HookRejectedError as exc:
            text = f"The commit was rejected: {exc}\n\n{exc.output}\n\nThe edited file is on disk; nothing else changed."
            self.app.call_from_thread(self.wb.file_written_by_hook_failure)
            self.app.call_from_thread(self._failed, text)
            return
        except RefusedError as exc:
            self.app.call_from_thread(
                self._failed, f"Refused: {exc}\nNothing was changed; your draft stays open here."
            )
            return
        except Exception as exc:  # noqa: BLE001
            self.app.call_from_thread(self._failed, f"Commit failed: {exc}")
            return
        self.app.call_from_thread(self.dismiss, result)

    def _failed(self, text: str) -> None:
        self._show_error(text)
        self._update_go()
        self.query_one("#commit-scroll", VerticalScroll).scroll_end(animate=False)

    @on(Button.Pressed, "#commit-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
