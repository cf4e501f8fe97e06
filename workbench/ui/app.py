"""The Contract Workbench app: browse, compare, simulate, edit and commit a contract.

The UI is thin: every question about a contract goes to `workbench.core`.
Slow work (history paging, validation of other versions, diff, simulation)
runs in thread workers; results come back with `call_from_thread`.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import threading
import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from workbench.core.git.history import FieldChange
from workbench.core.tier_edits import tier_ids
from workbench.ui.fields import TIER_FIELDS, FieldSpec, get_path
from workbench.ui.session import DRAFT, Session, VersionInfo, sha256_hex
from workbench.ui.widgets.diff_view import DiffView, render_semantic, render_text_diff
from workbench.ui.widgets.field_history import FieldHistoryView
from workbench.ui.widgets.matrix import MatrixView
from workbench.ui.widgets.simulate_view import SimulateView, tier_figures
from workbench.ui.widgets.versions import VersionsView

TABS = ("versions", "matrix", "diff", "simulate", "history")
# actions that belong to one view (hidden from the footer and inert elsewhere)
VIEW_ACTIONS = {
    "edit": "matrix",
    "field_history": "matrix",
    "add_tier": "matrix",
    "rename_tier": "matrix",
    "remove_tier": "matrix",
    "toggle_raw": "diff",
}
# app keys that act on the main screen only (not while a dialog is open)
MAIN_SCREEN_ACTIONS = {
    *VIEW_ACTIONS,
    "tab",
    "simulate",
    "show_draft",
    "save",
    "commit",
    "external_edit",
    "reload",
    "switch_contract",
}
DEBOUNCE_S = 0.35
SIM_RUNS = 50_000  # per tier and scenario: enough for stable p95s, quick to redo after edits


def styles_dir() -> Path:
    """Where the .tcss files are: in the wheel beside the package, or at the repo top."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "styles", package.parent / "styles"):
        if candidate.is_dir():
            return candidate
    return package.parent / "styles"


def _version_from_history(v: Any) -> VersionInfo:
    info = VersionInfo(
        commit=v.commit or DRAFT,
        date=(v.date or "")[:16].replace("T", " "),
        author=v.author,
        subject=v.subject,
        tags=tuple(v.tags or ()),
        contract_version=v.contract_version or "",
        valid=v.valid,
        path=getattr(v, "path", "") or "",
    )
    return info


class WorkbenchApp(App[None]):
    """The workbench. `repo`/`relpath` name the contract; relpath None asks (picker)."""

    TITLE = "Contract Workbench"
    CSS_PATH = [str(styles_dir() / "app.tcss")]
    BINDINGS = [
        Binding("1", "tab('versions')", "Versions", show=False),
        Binding("2", "tab('matrix')", "Matrix", show=False),
        Binding("3", "tab('diff')", "Diff", show=False),
        Binding("4", "tab('simulate')", "Simulate", show=False),
        Binding("5", "tab('history')", "History", show=False),
        # view keys: shown in the footer only in their view (see check_action)
        Binding("e", "edit", "Edit"),
        Binding("h", "field_history", "History"),
        Binding("a", "add_tier", "Add tier", show=False),
        Binding("R", "rename_tier", "Rename tier", show=False),
        Binding("x", "remove_tier", "Remove tier", show=False),
        Binding("t", "toggle_raw", "Raw/semantic"),
        Binding("s", "simulate", "Simulate"),
        Binding("d", "show_draft", "Draft", show=False),
        Binding("ctrl+s", "save", "Save"),
        Binding("c", "commit", "Commit"),
        Binding("E", "external_edit", "$EDITOR", show=False),
        Binding("ctrl+r", "reload", "Reload", show=False),
        Binding("o", "switch_contract", "Contract", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(
        self,
        repo: Path | None,
        relpath: str | None,
        *,
        notice: str | None = None,
        watch_interval: float = 1.0,
        editor: str | None = None,
    ) -> None:
        super().__init__()
        self.repo = repo
        self.session: Session | None = None
        self._initial_relpath = relpath
        self._notice = notice
        self._watch_interval = watch_interval
        self._editor = editor
        self.selected: str = DRAFT
        self.base: str | None = None
        self.raw_diff = False
        self.validation: Any = None  # validation of what the matrix shows
        self.draft_validation: Any = None
        self.sim_result: tuple[Any, Any] | None = None  # (baseline, proposal)
        # what sim_result compared: (base, target, sha256 of the target's text)
        self.sim_inputs: tuple[str | None, str, str] | None = None
        self.sim_requested = False
        self._sim_timer: Timer | None = None
        self.own_draft_sha: str | None = None
        self._ignored_disk_sha: str | None = None
        self._debounce: Timer | None = None
        self._history: Any = None
        self._history_lock = threading.Lock()
        self._asking_outside = False
        self.last_diff: Any = None
        self._diff_after_first_page = False

    # --- which keys apply where ------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide view keys outside their view; app keys do nothing under a dialog."""
        from textual.screen import ModalScreen

        if action in ("quit", "help", "command_palette") or action not in MAIN_SCREEN_ACTIONS:
            return True
        if isinstance(self.screen, ModalScreen):
            # e.g. `e` on a dialog's button would stack a second dialog on top
            return False
        view = VIEW_ACTIONS.get(action)
        if view is not None:
            try:
                return self.query_one(TabbedContent).active == view
            except Exception:  # noqa: BLE001 - before compose: nothing to check against
                return True
        return True

    # --- layout -------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="◆")
        yield Static("", id="status-line", markup=False)
        with TabbedContent(initial="matrix", id="tabs"):
            with TabPane("1 Versions", id="versions"):
                yield VersionsView(id="versions-view")
            with TabPane("2 Matrix", id="matrix"):
                yield MatrixView(id="matrix-view")
            with TabPane("3 Diff", id="diff"):
                yield DiffView(id="diff-view")
            with TabPane("4 Simulate", id="simulate"):
                yield SimulateView(id="simulate-view")
            with TabPane("5 Field history", id="history"):
                yield FieldHistoryView(id="history-view")
        yield Footer()

    def on_mount(self) -> None:
        if self._notice:
            self.notify(self._notice, title="Demo", timeout=8)
        if self._initial_relpath is not None:
            self.open_contract(self._initial_relpath)
        else:
            self._pick_contract(first=True)
        self.set_interval(self._watch_interval, self._check_outside_change)

    # --- opening ------------------------------------------------------------

    def _pick_contract(self, first: bool = False) -> None:
        if self.repo is None:
            return
        try:
            from workbench.core.git.discover import discover_contracts

            found = discover_contracts(self.repo)
        except Exception as exc:  # noqa: BLE001 - shown to the user, never a traceback
            self.notify(f"cannot list contracts: {exc}", severity="error")
            return
        if not found:
            self.notify(
                "no contract files (YAML with capability_tiers) in this repository",
                severity="error",
                timeout=10,
            )
            return
        if len(found) == 1 and first:
            self.open_contract(found[0])
            return
        from workbench.ui.modals.dialogs import PickerDialog

        def chosen(relpath: str | None) -> None:
            if relpath:
                self.open_contract(relpath)
            elif first:
                self.exit()

        self.push_screen(PickerDialog("Which contract?", found), chosen)

    def open_contract(self, relpath: str) -> None:
        """Load `relpath` as the draft, show its matrix, then page history in."""
        session = Session(self.repo, relpath)
        try:
            session.load_from_disk()
        except OSError as exc:
            self.notify(f"cannot read {relpath}: {exc.strerror or exc}", severity="error")
            if self.session is None:
                self.session = session
            return
        self.session = session
        self.selected = DRAFT
        self.base = None
        self.sim_result = None
        self.sim_inputs = None
        self.own_draft_sha = None
        self._ignored_disk_sha = None
        self.sub_title = relpath
        self._validate_draft_now()
        self._warn_if_read_only()
        self.show_selected()
        self.versions_view.set_versions([], "loading history…")
        self._load_history()

    def _warn_if_read_only(self) -> None:
        """Say why a file that is not UTF-8 cannot be edited (the findings show where)."""
        session = self.session
        if session is not None and session.read_only:
            self.notify(
                f"{session.relpath} is not valid UTF-8: opened read-only (editing and saving "
                "would corrupt it). The findings in Matrix show where; fix it with E ($EDITOR).",
                severity="error",
                timeout=15,
            )

    def _refuse_read_only(self) -> bool:
        """True (with a notice) when the draft must not change: the file is not UTF-8."""
        session = self.session
        if session is None or not session.read_only:
            return False
        self.notify(
            f"{session.relpath} is read-only here: it is not valid UTF-8 (fix it with E)",
            severity="error",
        )
        return True

    @property
    def versions_view(self) -> VersionsView:
        return self.query_one(VersionsView)

    @property
    def matrix_view(self) -> MatrixView:
        return self.query_one(MatrixView)

    # --- history ------------------------------------------------------------

    def history(self) -> Any:
        """The core History object for this repository (created lazily)."""
        if self._history is None and self.repo is not None:
            from workbench.core.git.history import History

            self._history = History(self.repo)
        return self._history

    @work(thread=True, exclusive=True, group="history")
    def _load_history(self) -> None:
        session = self.session
        if session is None or self.repo is None:
            return
        try:
            with self._history_lock:
                hist = self.history()
                truncated = hist.state.is_shallow
                draft = hist.draft_version(session.relpath)
            rows: list[VersionInfo] = []
            if draft is not None:
                rows.append(_version_from_history(draft))
            else:
                rows.append(
                    VersionInfo(
                        DRAFT,
                        "",
                        "",
                        "working tree (same as HEAD)",
                        contract_version="",
                        valid=None,
                    )
                )
            if get_current_worker().is_cancelled:
                return
            self.call_from_thread(self._history_page, list(rows), True, False, truncated)
            pages = hist.iter_version_pages(session.relpath, page_size=200)
            worker = get_current_worker()
            while True:
                with self._history_lock:
                    page = next(pages, None)
                if worker.is_cancelled or self.session is not session:
                    # a newer load replaced this one (thread workers cannot be killed)
                    return
                if page is None:
                    break
                rows = [_version_from_history(v) for v in page]
                self.call_from_thread(self._history_page, rows, False, False, truncated)
                # a lock is not fair: without a pause this loop takes it straight back and
                # a field history or version load waits for all of paging (seen: 11 s)
                time.sleep(0.005)
            self.call_from_thread(self._history_page, [], False, True, truncated)
        except Exception as exc:  # noqa: BLE001
            self.call_from_thread(self.notify, f"history: {exc}", severity="error", timeout=10)

    def _history_page(
        self, rows: list[VersionInfo], first: bool, done: bool, truncated: bool
    ) -> None:
        session = self.session
        if session is None:
            return
        session.add_versions(rows, replace=first)
        if first:
            session.forget_head()  # history was (re)read: HEAD may have moved outside the app
        count = sum(1 for v in session.versions if v.commit != DRAFT)
        status = f"{count} version(s)" + ("" if done else " — loading older versions…")
        if truncated:
            status += " — shallow clone: history truncated"
        if done:
            session.history_complete = True
        view = self.versions_view
        if first:
            view.set_versions(list(rows), status)
            view.set_selected(self.selected)
            self._diff_after_first_page = True
        else:
            view.append_versions(rows, status)
            if self._diff_after_first_page and rows:
                # the natural diff base (the version before) is known only now
                self._diff_after_first_page = False
                self._refresh_diff()
        self._update_status()

    # --- what the views show -------------------------------------------------

    def _update_status(self) -> None:
        session = self.session
        if session is None:
            return
        parts = [f"viewing {session.label(self.selected)}"]
        if self.base:
            parts.append(f"base {session.label(self.base)}")
        if session.read_only:
            parts.append("read-only: not UTF-8")
        elif session.dirty:
            parts.append("● unsaved draft")
        v = self.draft_validation
        if v is not None:
            errors = sum(1 for f in v.findings if f.severity == "error")
            warnings = sum(1 for f in v.findings if f.severity == "warning")
            if errors or warnings:
                parts.append(f"draft: {errors} error(s), {warnings} warning(s)")
            else:
                parts.append("draft valid")
        self.query_one("#status-line", Static).update(" · ".join(parts))

    def _validate_draft_now(self) -> None:
        from workbench.ui.session import validate

        assert self.session is not None
        self.draft_validation = validate(self.session.draft_source(), self.session.catalog)

    def _draft_snapshot(self) -> tuple[str, Any]:
        """(draft text, its validation) taken on the UI thread for a worker: the worker
        neither reparses the draft nor sees it change under it."""
        assert self.session is not None
        return self.session.draft_text, self.draft_validation

    def _labels(
        self, base: str | None, target: str, *, with_version: bool = True
    ) -> tuple[str, str]:
        """Labels of a diff pair, on the UI thread (`label` may read git and its cache)."""
        session = self.session
        assert session is not None
        return (
            session.label(base, with_version=with_version) if base else "(nothing)",
            session.label(target, with_version=with_version),
        )

    def _side(self, commit: str | None, draft: tuple[str, Any]) -> tuple[str | None, Any]:
        """(text, validation) of one version in a worker; the draft comes from `draft`."""
        from workbench.ui.session import validate

        session = self.session
        assert session is not None
        if commit is None:
            return None, None
        if commit == DRAFT:
            return draft
        with self._history_lock:
            text = session.text_of(commit)
        return text, (None if text is None else validate(text, session.catalog))

    def show_selected(self) -> None:
        """Render the matrix for the selected version (draft: synchronous and fast)."""
        session = self.session
        if session is None:
            return
        if self.selected == DRAFT:
            self.validation = self.draft_validation
            self._render_matrix()
        else:
            self._load_selected(self.selected)
        self._update_status()
        self._refresh_diff()
        self._resimulate_soon()

    def _resimulate_soon(self) -> None:
        """Once the user has asked for a simulation, keep it on what the views show."""
        if not self.sim_requested or self.session is None:
            return
        if self.sim_inputs is not None and self.sim_inputs[:2] == self.diff_pair():
            if self.sim_inputs[1] != DRAFT:
                return  # a commit's text never changes
        if self._sim_timer is not None:
            self._sim_timer.stop()
        self._sim_timer = self.set_timer(DEBOUNCE_S, self._start_simulation)

    @work(thread=True, exclusive=True, group="selected")
    def _load_selected(self, commit: str) -> None:
        from workbench.ui.session import validate

        session = self.session
        assert session is not None
        try:
            with self._history_lock:
                text = session.text_of(commit)
            result = None if text is None else validate(text, session.catalog)
        except Exception as exc:  # noqa: BLE001
            self.call_from_thread(self.notify, f"cannot load {commit[:8]}: {exc}", severity="error")
            return

        def done() -> None:
            if self.selected != commit:
                return
            if result is None:
                self.notify(f"{session.relpath} does not exist in {commit[:8]}", severity="warning")
            self.validation = result
            self._render_matrix()

        self.call_from_thread(done)

    def _render_matrix(self) -> None:
        session = self.session
        assert session is not None
        v = self.validation
        data = v.data if v is not None else None
        where = session.label(self.selected)
        title = f"{session.name_at(self.selected)} — {where}"
        if data is not None and data.get("version") is not None and "(v" not in where:
            title += f" — contract version {v.version_text or data.get('version')}"
        if self.selected != DRAFT:
            title += "  (read-only: press d for the draft)"
        if v is not None and data is None:
            title += "\nThis version does not parse as a contract: see the findings below"
            if self.selected == DRAFT:
                title += " (enter shows the spot; E opens $EDITOR)"
        self.matrix_view.show(title, v, self._sim_rows())

    def _sim_rows(self) -> dict[str, dict[str, Any]] | None:
        """Simulated figures of the version the matrix shows (None: not simulated)."""
        if self.sim_result is None or self.sim_inputs is None or self.session is None:
            return None
        _base, target, sha = self.sim_inputs
        if target != self.selected:
            return None  # they belong to another version: never show them here
        peak = tier_figures(self.sim_result[1], "peak")
        stale = target == DRAFT and sha != sha256_hex(self.session.draft_text.encode("utf-8"))
        if stale:
            # the draft moved on; the new run is on its way (keep the rows: no jumping)
            return {tier: {"pending": True} for tier in peak}
        return {
            tier: {
                "sim_p95": fig.get("latency_p95_ms"),
                "sim_cost": fig.get("cost_p95_usd"),
                "sim_verdict": fig.get("verdict"),
            }
            for tier, fig in peak.items()
        }

    # --- diff ---------------------------------------------------------------

    def diff_pair(self) -> tuple[str | None, str]:
        """(base, target) of the Diff view."""
        assert self.session is not None
        target = self.selected
        base = self.base if self.base and self.base != target else self.session.previous_of(target)
        return base, target

    def _refresh_diff(self) -> None:
        if self.session is None:
            return
        base, target = self.diff_pair()
        # the core's title adds each side's version itself
        labels = self._labels(base, target, with_version=False)
        self._compute_diff(base, target, self.raw_diff, labels, self._draft_snapshot())

    @work(thread=True, exclusive=True, group="diff")
    def _compute_diff(
        self,
        base: str | None,
        target: str,
        raw: bool,
        labels: tuple[str, str],
        draft: tuple[str, Any],
    ) -> None:
        from workbench.core.diff import diff_validations

        session = self.session
        assert session is not None
        old_name, new_name = labels
        try:
            old, old_v = self._side(base, draft)
            new, new_v = self._side(target, draft)
            if raw:
                body = render_text_diff(old, new, old_name, new_name)
                result = None
            else:
                broken = [
                    name
                    for name, v in ((old_name, old_v), (new_name, new_v))
                    if v is not None and v.data is None
                ]
                if broken:
                    # comparing with an empty contract would report everything as removed
                    result = None
                    body = Text(
                        f"{' and '.join(broken)} does not parse as a contract (see the "
                        "findings in Matrix); showing the text diff instead.\n\n",
                        style="bold yellow",
                    )
                    body.append_text(render_text_diff(old, new, old_name, new_name))
                else:
                    result = diff_validations(old_v, new_v, session.diff_overrides())
                    # findings point into the target side's file
                    file = session.name_at(target) if target != DRAFT else session.relpath
                    result.findings = [replace(f, file=file) for f in result.findings]
                    body = render_semantic(result, old_name, new_name)
        except Exception as exc:  # noqa: BLE001
            self.call_from_thread(self.notify, f"diff: {exc}", severity="error")
            return

        def done() -> None:
            self.last_diff = result
            self.query_one(DiffView).show(body)

        self.call_from_thread(done)

    # --- draft edits ----------------------------------------------------------

    def apply_draft_edits(self, edits: list[Any], what: str) -> bool:
        """Apply core edits to the draft; on success revalidate/rediff/resimulate (debounced)."""
        from workbench.core.edit import apply_edits

        session = self.session
        if session is None or self._refuse_read_only():
            return False
        try:
            result = apply_edits(session.draft_text, edits)
        except Exception as exc:  # noqa: BLE001 - EditError and anything odd: a notice, not a crash
            self.notify(f"{what}: {exc}", severity="error", timeout=8)
            return False
        if not result.changed:
            self.notify(f"{what}: no change")
            return False
        session.draft_text = result.new_text
        lines = result.changed_lines
        if not lines:
            added = len(result.new_text.splitlines()) - len(result.old_text.splitlines())
            where = f"{max(added, 1)} line(s) added"
        else:
            where = f"line {lines[0]}" if len(lines) == 1 else f"{len(lines)} lines"
            where += " changed"
        self.notify(f"{what} ({where}; ctrl+s saves, c commits)", timeout=4)
        if self.selected != DRAFT:
            self.selected = DRAFT
            self.versions_view.set_selected(DRAFT)
        self._draft_changed()
        return True

    def _draft_changed(self) -> None:
        """Revalidate now (cheap), rediff and resimulate after a pause in editing."""
        self._validate_draft_now()
        if self.selected == DRAFT:
            self.validation = self.draft_validation
            self._render_matrix()
        self._update_status()
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE_S, self._after_edit)

    def _after_edit(self) -> None:
        self._refresh_diff()
        if self.sim_requested:
            self._start_simulation()

    def _require_draft(self) -> bool:
        if self.session is None or self._refuse_read_only():
            return False
        if self.selected != DRAFT:
            self.notify(
                "This is a past version; press d to edit the working draft.", severity="warning"
            )
            return False
        return True

    # --- actions: navigation ---------------------------------------------------

    def action_tab(self, tab: str) -> None:
        """Switch to a view."""
        self.query_one(TabbedContent).active = tab
        self._focus_tab(tab)

    def _focus_tab(self, tab: str) -> None:
        targets = {
            "versions": "#versions-table",
            "matrix": "#matrix-table",
            "diff": "#diff-view",
            "simulate": "#sim-table",
            "history": "#fh-table",
        }
        if tab == "matrix" and not self.query_one("#matrix-table", DataTable).row_count:
            targets["matrix"] = "#findings-table"  # nothing to edit: the findings say why
        try:
            self.query_one(targets[tab]).focus()
        except Exception:  # noqa: BLE001 - focus is a nicety
            pass

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        pane = event.pane.id or ""
        self.call_after_refresh(self._focus_tab, pane)
        self.refresh_bindings()  # the footer shows the keys of this view
        if pane == "simulate" and not self.sim_requested and self.session is not None:
            # first visit: run it, so the view is never an empty table
            self.sim_requested = True
            self._start_simulation()

    @on(VersionsView.Selected)
    def _version_selected(self, event: VersionsView.Selected) -> None:
        self.select_version(event.commit)

    def select_version(self, commit: str, tab: str | None = "matrix") -> None:
        """Make `commit` (or DRAFT) the version the views show."""
        self.selected = commit
        self.versions_view.set_selected(commit)
        self.show_selected()
        if tab:
            self.action_tab(tab)

    @on(VersionsView.BaseMarked)
    def _base_marked(self, event: VersionsView.BaseMarked) -> None:
        self.set_base(event.commit)

    def set_base(self, commit: str | None) -> None:
        """Mark `commit` as the diff/simulation base (None clears)."""
        self.base = commit
        self.versions_view.set_base(commit)
        assert self.session is not None
        self.notify(
            f"base: {self.session.label(commit)}" if commit else "base cleared (previous version)",
            timeout=3,
        )
        self._update_status()
        self._refresh_diff()
        self._resimulate_soon()

    def action_show_draft(self) -> None:
        """Show the working draft."""
        if self.session is not None:
            self.select_version(DRAFT, tab=None)

    def action_toggle_raw(self) -> None:
        """Toggle the Diff view between semantic and raw text."""
        self.raw_diff = not self.raw_diff
        self._refresh_diff()
        self.action_tab("diff")

    def action_help(self) -> None:
        """Show every key."""
        from workbench.ui.modals.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_switch_contract(self) -> None:
        """Pick another contract file of the repository."""
        if self.session is not None and self.session.dirty:
            self.notify("save or discard the draft first (ctrl+s / ctrl+r)", severity="warning")
            return
        self._pick_contract()

    # --- actions: editing -------------------------------------------------------

    def _matrix_cell(self) -> tuple[FieldSpec, str | None] | None:
        if self.query_one(TabbedContent).active != "matrix":
            return None
        return self.matrix_view.current_cell()

    def action_edit(self) -> None:
        """Edit the matrix cell or term under the cursor in a typed dialog."""
        cell = self._matrix_cell()
        if cell is None:
            return
        if not self._require_draft():
            return
        spec, tier = cell
        self.edit_field(spec, tier)

    def edit_field(self, spec: FieldSpec, tier: str | None) -> None:
        """Open the right dialog for `spec` and apply what it returns to the draft."""
        from workbench.core.edit import SetValue, split_path
        from workbench.ui.modals.dialogs import ListDialog, ValueDialog

        data = self.draft_validation.data if self.draft_validation is not None else None
        if data is None:
            self.notify("the draft does not parse; fix it with E ($EDITOR)", severity="error")
            return
        dotted = spec.dotted(tier)
        current = get_path(data, dotted)

        def apply(value: Any) -> None:
            if value is None:
                return
            self.apply_draft_edits([SetValue(split_path(dotted), value)], f"{dotted} updated")

        if spec.kind == "list":
            items = current if isinstance(current, list) else []
            self.push_screen(ListDialog(spec.label, dotted, items), apply)
        else:
            written = (
                self.draft_validation.raw(split_path(dotted)) if self.draft_validation else None
            )
            number = isinstance(current, (int, float)) and not isinstance(current, bool)
            self.push_screen(ValueDialog(spec, dotted, current, written if number else None), apply)

    @on(DataTable.CellSelected, "#matrix-table")
    def _cell_selected(self) -> None:
        self.action_edit()

    @on(DataTable.RowSelected, "#terms-table")
    def _term_selected(self) -> None:
        self.action_edit()

    @on(DataTable.RowSelected, "#findings-table")
    def _finding_selected(self, event: DataTable.RowSelected) -> None:
        from workbench.ui.modals.dialogs import SourceDialog

        v = self.validation
        session = self.session
        if v is None or session is None or event.row_key.value is None:
            return
        finding = list(v.findings)[int(event.row_key.value)]
        text = session.text_of(self.selected) or ""
        title = finding.format(session.relpath)
        self.push_screen(SourceDialog(title, text, finding.line, finding.column))

    def action_field_history(self) -> None:
        """Follow the value under the cursor through every version."""
        cell = self._matrix_cell()
        if cell is None or self.session is None:
            self.notify("put the cursor on a matrix cell or term first (2 → Matrix)")
            return
        spec, tier = cell
        self.show_field_history(spec.dotted(tier))

    def show_field_history(self, dotted: str) -> None:
        """Compute and show the Field history view for `dotted`."""
        self.action_tab("history")
        self.query_one(FieldHistoryView).loading = True
        self._field_history(dotted)

    @work(thread=True, exclusive=True, group="field")
    def _field_history(self, dotted: str) -> None:
        session = self.session
        assert session is not None
        commits: list[str] = []
        try:
            with self._history_lock:
                hist = self.history()
                changes = hist.field_history(session.relpath, dotted)
                # every version, not just those paged in so far: the x axis and the
                # "over N versions" count must not depend on how far paging has got
                commits = [v.commit for v in hist.iter_refs(session.relpath)]
        except Exception as exc:  # noqa: BLE001
            self.call_from_thread(self.notify, f"field history: {exc}", severity="error")
            changes = None

        def done() -> None:
            view = self.query_one(FieldHistoryView)
            view.loading = False
            if changes is not None:
                # x axis: the version's position in history, oldest = 1
                ordinals = {c: len(commits) - i for i, c in enumerate(commits)}
                points = list(changes)
                data = self.draft_validation.data if self.draft_validation else None
                if session.dirty and data is not None:
                    value = get_path(data, dotted)
                    newest = changes[0].value if changes else None
                    if value != newest:
                        ordinals[DRAFT] = len(commits) + 1
                        draft = FieldChange(
                            DRAFT, "", "", "unsaved draft", value, present=value is not None
                        )
                        points.insert(0, draft)
                view.show(dotted, points, len(commits), ordinals)

        self.call_from_thread(done)

    def action_add_tier(self) -> None:
        """Add a tier (copying the last tier's terms as a starting point)."""
        if self._matrix_cell() is None and self.query_one(TabbedContent).active != "matrix":
            return
        if not self._require_draft():
            return
        from workbench.ui.modals.dialogs import PromptDialog

        self.push_screen(
            PromptDialog(
                "Add a tier",
                "New tier id ([a-z][a-z0-9_-]*), added after the last:",
                check=self._check_new_tier_id,
            ),
            self._add_tier,
        )

    def _check_new_tier_id(self, name: str) -> str | None:
        """Why `name` cannot be a new tier id (None: it can)."""
        from workbench.core.tier_edits import new_tier_problem

        return new_tier_problem(self.draft_validation.data if self.draft_validation else None, name)

    def _add_tier(self, name: str | None) -> None:
        from workbench.core.tier_edits import add_tier, tier_ids

        data = self.draft_validation.data if self.draft_validation else None
        if not name or data is None:
            return
        try:
            edits = add_tier(data, name)
        except ValueError as exc:
            self.notify(str(exc), severity="error")
            return
        last = tier_ids(data)[-1] if tier_ids(data) else None
        if self.apply_draft_edits(edits, f"tier {name} added (copied from {last})"):
            self.matrix_view.move_to_tier(name)

    def _tier_under_cursor(self) -> str | None:
        """The matrix tier under the cursor, when the draft can be edited (else a notice)."""
        if self.query_one(TabbedContent).active != "matrix" or not self._require_draft():
            return None
        tier = self.matrix_view.current_tier()
        if tier is None:
            self.notify("put the cursor in a tier's column first")
        return tier

    def action_rename_tier(self) -> None:
        """Rename the tier under the cursor in all three tier maps."""
        tier = self._tier_under_cursor()
        if tier is None:
            return
        from workbench.ui.modals.dialogs import PromptDialog

        def done(new: str | None) -> None:
            from workbench.core.tier_edits import rename_tier

            if not new or new == tier:
                return
            try:
                edits = rename_tier(
                    self.draft_validation.data if self.draft_validation else None, tier, new
                )
            except ValueError as exc:
                self.notify(str(exc), severity="error")
                return
            if self.apply_draft_edits(edits, f"tier {tier} renamed to {new}"):
                self.matrix_view.move_to_tier(new)

        def check(new: str) -> str | None:
            return None if new == tier else self._check_new_tier_id(new)

        self.push_screen(PromptDialog("Rename tier", f"New id for {tier}:", tier, check), done)

    def action_remove_tier(self) -> None:
        """Remove the tier under the cursor (asks first)."""
        tier = self._tier_under_cursor()
        if tier is None:
            return
        from workbench.ui.modals.dialogs import ChoiceDialog

        def done(choice: str | None) -> None:
            from workbench.core.tier_edits import remove_tier

            if choice == "remove":
                data = self.draft_validation.data if self.draft_validation else None
                edits = remove_tier(data, tier)
                self.apply_draft_edits(edits, f"tier {tier} removed")

        self.push_screen(
            ChoiceDialog(
                f"Remove {tier}?",
                f"{tier} goes from capability_tiers, p95_latency_ms and max_cost_per_run_usd. "
                "Product teams on it lose access: a breaking change.",
                # Cancel first: it has the focus, so a stray enter removes nothing
                [("cancel", "Cancel", "default"), ("remove", "Remove", "error")],
            ),
            done,
        )

    # --- simulation -------------------------------------------------------------

    def action_simulate(self) -> None:
        """Simulate baseline (base or HEAD) vs proposal (selected version or draft)."""
        if self.session is None:
            return
        self.sim_requested = True
        self.action_tab("simulate")
        self._start_simulation()

    def _start_simulation(self) -> None:
        assert self.session is not None
        self._sim_timer = None
        base, target = self.diff_pair()
        self.query_one(SimulateView).loading = True
        self._simulate(base, target, self._labels(base, target), self._draft_snapshot())

    @work(thread=True, exclusive=True, group="simulate")
    def _simulate(
        self, base: str | None, target: str, labels: tuple[str, str], draft: tuple[str, Any]
    ) -> None:
        session = self.session
        assert session is not None
        base_name, target_name = labels
        try:
            from workbench.core.simulation import SimulationError, compare, load_inputs

            _old, old_v = self._side(base, draft)
            new, new_v = self._side(target, draft)
            new_sha = sha256_hex((new or "").encode("utf-8"))
            inputs = load_inputs(None, None, session.path)
            base_data = old_v.data if old_v is not None else None
            new_data = new_v.data if new_v is not None else None
            if new_data is None:
                raise ValueError(f"{target_name} does not parse; nothing to simulate")
            try:
                report = compare(
                    base_data if base_data is not None else new_data,
                    new_data,
                    inputs,
                    runs=SIM_RUNS,
                    seed=0,
                    histograms=True,
                )
            except SimulationError as exc:
                where = "; ".join(f"{f.line}:{f.column} {f.message}" for f in exc.findings[:3])
                raise ValueError(f"{exc.message}{': ' + where if where else ''}") from None
            baseline, proposal = report["baseline"], report["proposal"]
            notices = list(getattr(inputs, "notices", []) or [])
        except Exception as exc:  # noqa: BLE001
            error = str(exc)

            def failed() -> None:
                self.query_one(SimulateView).loading = False
                self.notify(f"simulation: {error}", severity="error", timeout=10)

            self.call_from_thread(failed)
            return

        def done() -> None:
            view = self.query_one(SimulateView)
            view.loading = False
            self.sim_result = (baseline, proposal)
            self.sim_inputs = (base, target, new_sha)
            title = f"baseline {base_name}  vs  proposal {target_name}"
            title += f"  ({SIM_RUNS:,} runs per tier and scenario, seed 0)"
            bundled = [n for n in ("models.yml", "workload.yml") if any(n in x for x in notices)]
            if bundled:
                title += f"\nbundled sample {' and '.join(bundled)} (none beside the contract)"
            view.show(title, baseline, proposal, tier_ids(new_data))
            self._render_matrix()

        self.call_from_thread(done)

    # --- saving, committing -------------------------------------------------------

    def action_save(self) -> None:
        """Write the draft to disk (atomic; refuses if the file moved under us)."""
        from textual.screen import ModalScreen

        if isinstance(self.screen, ModalScreen):
            return  # a dialog is open: its own ctrl+s (apply) or nothing
        self.save_draft()

    def save_draft(self) -> bool:
        """Write the draft; True on success."""
        from workbench.core.atomic import StaleFileError, atomic_write

        session = self.session
        if session is None or self._refuse_read_only():
            return False
        if not session.dirty:
            self.notify("nothing to save: the draft is the file on disk")
            return True
        data = session.draft_bytes()
        try:
            atomic_write(session.path, data, session.disk_sha)
        except StaleFileError as exc:
            self.notify(f"{exc}", severity="error", timeout=10)
            return False
        except OSError as exc:
            self.notify(f"cannot write {session.relpath}: {exc}", severity="error", timeout=10)
            return False
        session.mark_written()
        self.own_draft_sha = session.disk_sha
        self._update_status()
        self.notify(f"saved {session.relpath}", timeout=3)
        self._load_history()
        return True

    def action_commit(self) -> None:
        """Open the commit dialog for the draft."""
        session = self.session
        if session is None or self.repo is None or self._refuse_read_only():
            return
        from workbench.ui.modals.commit import CommitDialog

        self._validate_draft_now()
        # toasts sit bottom right, over the dialog's Commit button at 80x24
        self.clear_notifications()
        self.push_screen(CommitDialog(self), self._after_commit)

    def _after_commit(self, result: Any) -> None:
        session = self.session
        if result is None or session is None:
            return
        session.mark_written()
        session.forget_head()
        self.own_draft_sha = None
        self.base = None
        self.versions_view.set_base(None)
        self.notify(
            f"committed {result.commit[:8]}"
            + (f" on {result.branch}" if getattr(result, "branch", None) else ""),
            timeout=6,
        )
        self._history = None  # tags, HEAD, draft changed
        self._update_status()
        self._load_history()
        self._refresh_diff()
        self._resimulate_soon()  # the baseline is the new HEAD now

    def commit_draft(self, message: str, branch: str | None) -> Any:
        """Commit the draft through the core write-back (raises its errors). Thread-safe."""
        from workbench.core.git.writeback import commit_contract_edit

        session = self.session
        assert session is not None and self.repo is not None
        with self._history_lock:
            return commit_contract_edit(
                self.repo,
                session.relpath,
                session.draft_bytes(),
                expected_sha256=session.disk_sha,
                message=message,
                branch=branch or None,
                own_draft_sha256=self.own_draft_sha,
            )

    def file_written_by_hook_failure(self) -> None:
        """The commit failed in a hook: the file is on disk as the draft."""
        session = self.session
        if session is None:
            return
        session.mark_written()
        self.own_draft_sha = session.disk_sha
        self._update_status()

    # --- outside changes, $EDITOR, reload -------------------------------------------

    def _check_outside_change(self) -> None:
        session = self.session
        if session is None or self._asking_outside:
            return
        try:
            data = session.path.read_bytes()
        except OSError:
            return
        sha = sha256_hex(data)
        if sha == session.disk_sha or sha == self._ignored_disk_sha:
            return
        if not session.dirty:
            self._reload("reloaded: the file changed outside the app")
            return
        from workbench.ui.modals.dialogs import ChoiceDialog

        self._asking_outside = True

        def done(choice: str | None) -> None:
            self._asking_outside = False
            if choice == "load":
                self._reload("loaded the file on disk as the draft")
            else:
                self._ignored_disk_sha = sha
                self.notify(
                    "kept your draft; saving it will be refused until you reload",
                    severity="warning",
                )

        self.push_screen(
            ChoiceDialog(
                "The file changed outside the app",
                f"{session.relpath} was changed on disk and you have an unsaved draft.\n"
                "Load the file on disk as the new draft (your edits are dropped), or keep yours?",
                [("load", "Load file as draft", "primary"), ("keep", "Keep my draft", "default")],
            ),
            done,
        )

    def _reload(self, message: str) -> None:
        """Read the file again as the draft (a file that is not UTF-8 opens read-only)."""
        session = self.session
        assert session is not None
        try:
            session.load_from_disk()
        except OSError as exc:
            self.notify(f"cannot read {session.relpath}: {exc.strerror or exc}", severity="error")
            return
        self._ignored_disk_sha = None
        self.notify(message, timeout=5)
        self._warn_if_read_only()
        self._draft_changed()
        self._load_history()

    def action_reload(self) -> None:
        """Reload the file from disk, dropping the unsaved draft (asks first)."""
        session = self.session
        if session is None:
            return

        def go(choice: str | None = "reload") -> None:
            if choice == "reload":
                self._reload(f"reloaded {session.relpath}")

        if session.dirty:
            from workbench.ui.modals.dialogs import ChoiceDialog

            self.push_screen(
                ChoiceDialog(
                    "Drop the unsaved draft?",
                    "Reloading replaces your draft.",
                    [("reload", "Reload", "error"), ("cancel", "Cancel", "default")],
                ),
                go,
            )
        else:
            go()

    def action_external_edit(self) -> None:
        """Suspend, run $EDITOR on the file, reload it afterwards."""
        session = self.session
        if session is None:
            return
        if session.dirty and not self.save_draft():
            return
        editor = self._editor or os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        try:
            argv = [*shlex.split(editor), str(session.path)]
        except ValueError as exc:
            self.notify(f"cannot parse $EDITOR: {exc}", severity="error")
            return
        before = session.disk_sha
        try:
            with self.suspend():
                subprocess.run(argv, check=False)  # noqa: S603 - the user's own editor
        except Exception as exc:  # noqa: BLE001 - e.g. suspend unsupported, editor missing
            self.notify(f"cannot run {editor!r}: {exc}", severity="error", timeout=8)
            return
        try:
            data = session.path.read_bytes()
        except OSError as exc:
            self.notify(f"cannot read {session.relpath}: {exc}", severity="error")
            return
        if sha256_hex(data) == before:
            self.notify("no change made in the editor")
            return
        self.own_draft_sha = sha256_hex(data)
        self._reload("reloaded after $EDITOR")

    # --- quitting ---------------------------------------------------------------------

    async def action_quit(self) -> None:
        """Quit; with an unsaved draft ask to save, discard or stay."""
        session = self.session
        if session is None or not session.dirty:
            self.exit()
            return
        from workbench.ui.modals.dialogs import ChoiceDialog

        def done(choice: str | None) -> None:
            if choice == "save":
                if self.save_draft():
                    self.exit()
            elif choice == "discard":
                self.exit()

        self.push_screen(
            ChoiceDialog(
                "Unsaved draft",
                f"The draft of {session.relpath} has changes that are not on disk.",
                [
                    ("save", "Save and quit", "primary"),
                    ("discard", "Quit without saving", "error"),
                    ("cancel", "Stay", "default"),
                ],
            ),
            done,
        )

    # --- palette ----------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The app's own commands, then Textual's (theme, keys, screenshot...)."""
        yield SystemCommand("Open version…", "Choose a version to show", self._palette_open)
        yield SystemCommand("Compare with…", "Choose the diff base version", self._palette_base)
        yield SystemCommand("Show the working draft", "Matrix of the draft", self.action_show_draft)
        yield SystemCommand(
            "Simulate", "Baseline vs proposal, normal and peak", self.action_simulate
        )
        yield SystemCommand("Save draft", "Write the draft to the file", self.action_save)
        yield SystemCommand(
            "Commit…", "Commit the draft with a generated message", self.action_commit
        )
        yield SystemCommand(
            "Switch contract…", "Another contract file in this repo", self.action_switch_contract
        )
        yield SystemCommand("Toggle raw text diff", "Semantic or text diff", self.action_toggle_raw)
        yield SystemCommand(
            "Open in $EDITOR", "Edit the file outside the app", self.action_external_edit
        )
        yield SystemCommand("Keys", "Every key of the app (?)", self.action_help)
        for tab, label in zip(
            TABS, ("Versions", "Matrix", "Diff", "Simulate", "Field history"), strict=True
        ):
            yield SystemCommand(
                f"View: {label}", f"Go to the {label} view", lambda t=tab: self.action_tab(t)
            )
        for command in super().get_system_commands(screen):
            if command.title != "Keys":  # ours lists every key of the app; one "Keys" only
                yield command

    def _version_choices(self) -> list[str]:
        assert self.session is not None
        return [
            f"{v.short:<12} {v.date:<16} {v.contract_version:<8} {v.subject}"
            for v in self.session.versions[:2000]
        ]

    def _palette_open(self) -> None:
        self._choose_version("Open which version?", lambda c: self.select_version(c))

    def _palette_base(self) -> None:
        def go(commit: str) -> None:
            self.set_base(commit)
            self.action_tab("diff")

        self._choose_version("Compare with which version (the base)?", go)

    def _choose_version(self, title: str, then: Any) -> None:
        from workbench.ui.modals.dialogs import PickerDialog

        if self.session is None:
            return
        versions = self.session.versions[:2000]
        labels = self._version_choices()

        def chosen(label: str | None) -> None:
            if label is not None:
                then(versions[labels.index(label)].commit)

        self.push_screen(PickerDialog(title, labels), chosen)


def run_app(repo: Path | None, relpath: str | None, *, notice: str | None = None) -> None:
    """Run the app on `relpath` in `repo` (relpath None: pick among the repo's contracts)."""
    WorkbenchApp(repo, relpath, notice=notice).run()


__all__ = ["TIER_FIELDS", "WorkbenchApp", "run_app"]
