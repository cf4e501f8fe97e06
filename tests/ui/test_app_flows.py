"""Pilot tests of the app's flows on real temporary git repositories."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from gitutil import git
from textual.widgets import DataTable, Input, Static
from ui.conftest_app import CONTRACT, history_repo, settle  # noqa: F401 - fixture

from workbench.ui.app import WorkbenchApp
from workbench.ui.modals.commit import CommitDialog
from workbench.ui.modals.dialogs import ChoiceDialog, ValueDialog
from workbench.ui.widgets.diff_view import DiffView

SIZE = (120, 36)


def _static_text(widget: Static) -> str:
    return str(widget.render())


async def _settle(app: WorkbenchApp, pilot, rounds: int = 3) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot, rounds)


def _press(app: WorkbenchApp, button_id: str) -> None:
    """Press a button of the current screen (a click could land on a toast)."""
    from textual.widgets import Button

    app.screen.query_one(f"#{button_id}", Button).press()


async def _edit_p95(app: WorkbenchApp, pilot, tier_col: int, value: str) -> None:  # type: ignore[no-untyped-def]
    """Put the matrix cursor on a tier's p95 cell and set it through the typed dialog."""
    await pilot.press("2")
    table = app.query_one("#matrix-table", DataTable)
    table.focus()
    row = table.get_row_index("p95")
    table.move_cursor(row=row, column=tier_col)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, ValueDialog)
    field = app.screen.query_one("#value-input", Input)
    field.value = ""
    await pilot.press(*value)
    await pilot.press("enter")
    await _settle(app, pilot)


def test_browse_mark_base_diff(history_repo: Path) -> None:  # noqa: F811
    async def scenario() -> None:
        app = WorkbenchApp(history_repo, CONTRACT)
        async with app.run_test(size=SIZE) as pilot:
            await _settle(app, pilot)
            await pilot.press("1")
            table = app.query_one("#versions-table", DataTable)
            assert table.row_count == 4  # draft row + 3 commits
            table.focus()
            table.move_cursor(row=3)  # the oldest commit
            await pilot.press("space")
            await pilot.pause()
            assert app.base is not None
            table.move_cursor(row=1)  # HEAD
            await pilot.press("enter")
            await _settle(app, pilot)
            await pilot.press("3")
            await _settle(app, pilot)
            body = _static_text(app.query_one("#diff-body", Static))
            assert "tier_2 p95 latency SLO 3500 ms → 4000 ms" in body
            assert "exception expiry 30 days → 45 days" in body
            assert "suggested bump: minor (1.0 → 1.1)" in body
            await pilot.press("t")  # raw text diff
            await _settle(app, pilot)
            body = _static_text(app.query_one("#diff-body", Static))
            assert "-    tier_2: 3500" in body and "+    tier_2: 4000" in body
            assert app.query_one(DiffView) is not None

    asyncio.run(scenario())


def test_edit_simulate_commit_one_line(history_repo: Path) -> None:  # noqa: F811
    async def scenario() -> None:
        head_before = git(history_repo, "rev-parse", "HEAD").strip()
        app = WorkbenchApp(history_repo, CONTRACT)
        async with app.run_test(size=SIZE) as pilot:
            await _settle(app, pilot)
            await _edit_p95(app, pilot, 2, "4500")
            assert app.session is not None and app.session.dirty
            assert "tier_2: 4500" in app.session.draft_text
            await pilot.press("s")
            await _settle(app, pilot, 5)
            sim = app.query_one("#sim-table", DataTable)
            assert sim.row_count == 6  # 3 tiers x 2 scenarios
            assert app.sim_result is not None
            # the matrix gains the simulated rows
            assert "sim_p95" in app.query_one("#matrix-table", DataTable).rows
            await pilot.press("c")
            await _settle(app, pilot)
            dialog = app.screen
            assert isinstance(dialog, CommitDialog)
            go = dialog.query_one("#commit-go")
            assert go.disabled  # the version was not bumped: a warning that needs an OK
            dialog.query_one("#commit-ack").value = True
            await pilot.pause()
            assert not go.disabled
            _press(app, "commit-go")
            await _settle(app, pilot, 5)
            assert not isinstance(app.screen, CommitDialog)
        head_after = git(history_repo, "rev-parse", "HEAD").strip()
        assert head_after != head_before
        assert git(history_repo, "rev-parse", "HEAD~1").strip() == head_before
        assert git(history_repo, "show", "--name-only", "--format=", "HEAD").split() == [CONTRACT]
        diff = git(history_repo, "diff", "-U0", "HEAD~1", "HEAD").splitlines()
        changed = [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]
        assert changed == ["-    tier_2: 4000", "+    tier_2: 4500"]
        assert "tier_2 p95 latency SLO 4000 ms → 4500 ms" in git(
            history_repo, "log", "-1", "--format=%B"
        )
        assert git(history_repo, "status", "--porcelain") == ""

    asyncio.run(scenario())


@pytest.mark.parametrize("state", ["dirty", "rebase"])
def test_refused_commit_changes_nothing(history_repo: Path, state: str) -> None:  # noqa: F811
    async def scenario() -> None:
        path = history_repo / CONTRACT
        if state == "dirty":
            # someone else's uncommitted change, present before the app started
            path.write_text(path.read_text().replace("owner: ai-platform", "owner: someone-else"))
        else:
            (history_repo / ".git" / "rebase-merge").mkdir()
        before_bytes = path.read_bytes()
        head_before = git(history_repo, "rev-parse", "HEAD").strip()
        app = WorkbenchApp(history_repo, CONTRACT)
        async with app.run_test(size=SIZE) as pilot:
            await _settle(app, pilot)
            await _edit_p95(app, pilot, 1, "1700")
            await pilot.press("c")
            await _settle(app, pilot)
            dialog = app.screen
            assert isinstance(dialog, CommitDialog)
            ack = dialog.query_one("#commit-ack")
            if ack.display:
                ack.value = True
                await pilot.pause()
            _press(app, "commit-go")
            await _settle(app, pilot, 5)
            assert isinstance(app.screen, CommitDialog)  # still open, showing why
            error = _static_text(app.screen.query_one("#commit-error", Static))
            assert "Refused" in error
            assert (
                ("rebase" in error.lower())
                if state == "rebase"
                else ("uncommitted" in error.lower() or "changes" in error.lower())
            )
            assert "Nothing was changed" in error
            assert app.session is not None and app.session.dirty  # the draft is kept
        assert git(history_repo, "rev-parse", "HEAD").strip() == head_before
        assert path.read_bytes() == before_bytes

    asyncio.run(scenario())


def test_quit_with_unsaved_draft_asks(history_repo: Path) -> None:  # noqa: F811
    async def scenario() -> None:
        path = history_repo / CONTRACT
        before = path.read_bytes()
        app = WorkbenchApp(history_repo, CONTRACT)
        async with app.run_test(size=SIZE) as pilot:
            await _settle(app, pilot)
            await _edit_p95(app, pilot, 1, "1700")
            await pilot.press("q")
            await pilot.pause()
            assert isinstance(app.screen, ChoiceDialog)
            _press(app, "choice-cancel")
            await pilot.pause()
            assert not isinstance(app.screen, ChoiceDialog)
            assert app.is_running
            await pilot.press("q")
            await pilot.pause()
            _press(app, "choice-save")
            await pilot.pause()
        assert not app.is_running
        after = path.read_bytes()
        assert after != before and b"tier_1: 1700" in after
        # byte-exact: only that one line differs
        old_lines, new_lines = before.splitlines(), after.splitlines()
        assert len(old_lines) == len(new_lines)
        assert sum(a != b for a, b in zip(old_lines, new_lines, strict=True)) == 1

    asyncio.run(scenario())


def test_quit_discard_leaves_file(history_repo: Path) -> None:  # noqa: F811
    async def scenario() -> None:
        path = history_repo / CONTRACT
        before = path.read_bytes()
        app = WorkbenchApp(history_repo, CONTRACT)
        async with app.run_test(size=SIZE) as pilot:
            await _settle(app, pilot)
            await _edit_p95(app, pilot, 1, "1700")
            await pilot.press("ctrl+q")
            await pilot.pause()
            _press(app, "choice-discard")
            await pilot.pause()
        assert path.read_bytes() == before

    asyncio.run(scenario())


def test_outside_edit_reloaded(history_repo: Path) -> None:  # noqa: F811
    async def scenario() -> None:
        path = history_repo / CONTRACT
        app = WorkbenchApp(history_repo, CONTRACT, watch_interval=0.1)
        async with app.run_test(size=SIZE) as pilot:
            await _settle(app, pilot)
            # no draft: reloaded silently
            path.write_text(path.read_text().replace("tier_3: 6000", "tier_3: 6500"))
            await pilot.pause(0.4)
            await _settle(app, pilot)
            assert app.session is not None and "tier_3: 6500" in app.session.draft_text
            assert not app.session.dirty
            table = app.query_one("#matrix-table", DataTable)
            assert "6500" in str(table.get_cell("p95", "tier_3"))
            # with a draft: offered as the new draft
            await _edit_p95(app, pilot, 1, "1700")
            path.write_text(path.read_text().replace("tier_3: 6500", "tier_3: 7000"))
            await pilot.pause(0.4)
            assert isinstance(app.screen, ChoiceDialog)
            _press(app, "choice-load")
            await _settle(app, pilot)
            assert "tier_3: 7000" in app.session.draft_text
            assert "tier_1: 1700" not in app.session.draft_text
            assert not app.session.dirty

    asyncio.run(scenario())


def test_findings_show_the_spot(history_repo: Path) -> None:  # noqa: F811
    async def scenario() -> None:
        path = history_repo / CONTRACT
        path.write_text(path.read_text().replace("    tier_3: 6000\n", ""))
        app = WorkbenchApp(history_repo, CONTRACT)
        async with app.run_test(size=SIZE) as pilot:
            await _settle(app, pilot)
            findings = app.query_one("#findings-table", DataTable)
            assert findings.row_count >= 1
            first = findings.get_row_at(0)
            assert ":" in str(first[0]) and "CW101" in [str(c) for c in first]
            findings.focus()
            await pilot.press("enter")
            await pilot.pause()
            from workbench.ui.modals.dialogs import SourceDialog

            assert isinstance(app.screen, SourceDialog)
            line = int(str(first[0]).split(":")[0])
            assert app.screen.query_one("#source-text").cursor_location[0] == line - 1

    asyncio.run(scenario())


def test_help_lists_every_key(history_repo: Path) -> None:  # noqa: F811
    async def scenario() -> None:
        from workbench.ui.keys import KEYS

        app = WorkbenchApp(history_repo, CONTRACT)
        async with app.run_test(size=(80, 24)) as pilot:
            await _settle(app, pilot)
            await pilot.press("question_mark")
            await pilot.pause()
            from workbench.ui.modals.help import HelpScreen

            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, HelpScreen)
            # every app binding's key appears in the reference
            listed = " ".join(keys for _, keys, _ in KEYS)
            for binding in app.BINDINGS:
                key = binding.key  # type: ignore[union-attr]
                shown = {"question_mark": "?", "ctrl+q": "ctrl+q"}.get(key, key)
                assert shown in listed, key

    asyncio.run(scenario())


def test_filter_versions_and_clear(history_repo: Path) -> None:  # noqa: F811
    async def scenario() -> None:
        app = WorkbenchApp(history_repo, CONTRACT)
        async with app.run_test(size=(80, 24)) as pilot:
            await _settle(app, pilot)
            await pilot.press("1")
            await pilot.pause()
            await pilot.press("slash")
            await pilot.press(*"exception")
            await pilot.pause(0.4)  # the filter waits for a pause in typing
            table = app.query_one("#versions-table", DataTable)
            assert table.row_count == 1
            await pilot.press("escape")
            await pilot.pause()
            assert table.row_count == 4
            assert table.has_focus
            assert app.is_running

    asyncio.run(scenario())


def test_picker_when_several_contracts(history_repo: Path, seed_text: str) -> None:  # noqa: F811
    (history_repo / "other").mkdir()
    (history_repo / "other" / "second.yml").write_text(seed_text, encoding="utf-8")
    git(history_repo, "add", "-A")
    git(history_repo, "commit", "-q", "-m", "second contract")

    async def scenario() -> None:
        from workbench.ui.modals.dialogs import PickerDialog

        app = WorkbenchApp(history_repo, None)
        async with app.run_test(size=(80, 24)) as pilot:
            await _settle(app, pilot)
            assert isinstance(app.screen, PickerDialog)
            await pilot.press("down", "enter")
            await _settle(app, pilot)
            assert app.session is not None and app.session.relpath == "other/second.yml"
            assert app.query_one("#matrix-table", DataTable).row_count == 5

    asyncio.run(scenario())


def test_unparseable_draft_diff_falls_back_to_text(history_repo: Path) -> None:  # noqa: F811
    (history_repo / CONTRACT).write_text("version: 1.0\ncapability_tiers: !!python/object:x {}\n")

    async def scenario() -> None:
        app = WorkbenchApp(history_repo, CONTRACT)
        async with app.run_test(size=SIZE) as pilot:
            await _settle(app, pilot)
            assert app.query_one("#findings-table", DataTable).row_count >= 1
            await pilot.press("3")
            await _settle(app, pilot)
            body = _static_text(app.query_one("#diff-body", Static))
            assert "does not parse" in body and "removed" not in body

    asyncio.run(scenario())


async def _commit_with(app: WorkbenchApp, pilot, branch: str | None) -> CommitDialog:  # type: ignore[no-untyped-def]
    await pilot.press("c")
    await _settle(app, pilot)
    dialog = app.screen
    assert isinstance(dialog, CommitDialog)
    ack = dialog.query_one("#commit-ack")
    if ack.display:
        ack.value = True
    if branch is not None:
        dialog.query_one("#where-new").value = True
        await pilot.pause()
        dialog.query_one("#commit-branch", Input).value = branch
    await pilot.pause()
    _press(app, "commit-go")
    await _settle(app, pilot, 5)
    return dialog


def test_commit_on_a_new_branch(history_repo: Path) -> None:  # noqa: F811
    main_before = git(history_repo, "rev-parse", "main").strip()

    async def scenario() -> None:
        app = WorkbenchApp(history_repo, CONTRACT)
        async with app.run_test(size=SIZE) as pilot:
            await _settle(app, pilot)
            await _edit_p95(app, pilot, 3, "6500")
            await _commit_with(app, pilot, "relax-tier-3")
            assert not isinstance(app.screen, CommitDialog)

    asyncio.run(scenario())
    assert git(history_repo, "rev-parse", "main").strip() == main_before
    assert git(history_repo, "rev-parse", "--abbrev-ref", "HEAD").strip() == "relax-tier-3"
    assert git(history_repo, "rev-parse", "HEAD~1").strip() == main_before


def test_hook_rejection_shows_output_and_keeps_the_edit(history_repo: Path) -> None:  # noqa: F811
    hook = history_repo / ".git" / "hooks" / "pre-commit"
    hook.parent.mkdir(exist_ok=True)
    hook.write_text("#!/bin/sh\necho 'policy-bot: contract changes need a ticket id' >&2\nexit 1\n")
    hook.chmod(0o755)
    head_before = git(history_repo, "rev-parse", "HEAD").strip()

    async def scenario() -> None:
        app = WorkbenchApp(history_repo, CONTRACT)
        async with app.run_test(size=SIZE) as pilot:
            await _settle(app, pilot)
            await _edit_p95(app, pilot, 3, "6500")
            dialog = await _commit_with(app, pilot, None)
            assert app.screen is dialog
            error = _static_text(dialog.query_one("#commit-error", Static))
            assert "policy-bot: contract changes need a ticket id" in error
            assert app.session is not None and not app.session.dirty  # the edit is on disk

    asyncio.run(scenario())
    assert git(history_repo, "rev-parse", "HEAD").strip() == head_before
    assert "tier_3: 6500" in (history_repo / CONTRACT).read_text()


def test_keys_doc_is_current() -> None:
    from workbench.ui.keys import keys_markdown

    doc = Path(__file__).resolve().parents[2] / "docs" / "keys.md"
    assert doc.read_text(encoding="utf-8") == keys_markdown(), "regenerate docs/keys.md"


def test_edits_resimulate_after_a_pause(history_repo: Path) -> None:  # noqa: F811
    async def scenario() -> None:
        app = WorkbenchApp(history_repo, CONTRACT)
        async with app.run_test(size=SIZE) as pilot:
            await _settle(app, pilot)
            await pilot.press("s")
            await _settle(app, pilot, 5)
            assert app.sim_result is not None
            first = app.sim_result[1]["scenarios"]["peak"]["tiers"]["tier_2"]["latency_slo_ms"]
            await _edit_p95(app, pilot, 2, "5000")
            await pilot.pause(0.6)  # the debounce
            await _settle(app, pilot, 5)
            second = app.sim_result[1]["scenarios"]["peak"]["tiers"]["tier_2"]["latency_slo_ms"]
            assert (first, second) == (4000, 5000)

    asyncio.run(scenario())
