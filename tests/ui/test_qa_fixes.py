"""Pilot tests for what a hands-on QA pass found (one test per bug, on real repos)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from gitutil import git
from textual.widgets import DataTable, Input, Static, TextArea
from ui.conftest_app import CONTRACT, commit_all, edit_p95, history_repo, settle  # noqa: F401 - fixture

from workbench.ui.app import WorkbenchApp
from workbench.ui.fields import FIELDS_BY_KEY
from workbench.ui.modals.commit import CommitDialog
from workbench.ui.modals.dialogs import ChoiceDialog
from workbench.ui.widgets.simulate_view import delta_cell

SIZE = (120, 36)


def _text(widget: Static) -> str:
    return str(widget.render())


def test_end_and_home_move_through_the_versions(history_repo: Path) -> None:  # noqa: F811
    """`end` scrolled sideways (Textual's default) instead of reaching the oldest version."""

    async def scenario() -> None:
        app = WorkbenchApp(history_repo, CONTRACT)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("1")
            await pilot.pause()
            table = app.query_one("#versions-table", DataTable)
            assert table.has_focus and table.cursor_row == 0
            await pilot.press("end")
            await pilot.pause()
            assert table.cursor_row == table.row_count - 1
            await pilot.press("home")
            await pilot.pause()
            assert table.cursor_row == 0

    asyncio.run(scenario())


def test_versions_from_before_a_rename_are_readable(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    """History follows renames; the app read old versions under the new name (empty matrix,
    a diff where every tier was 'added')."""
    repo = make_repo()
    (repo / "old.yml").write_text(seed_text, encoding="utf-8")
    commit_all(repo, "Add the contract", "2026-01-05T10:00:00+00:00")
    git(repo, "mv", "old.yml", "contract.yml")
    commit_all(repo, "Rename the contract", "2026-02-05T10:00:00+00:00")
    path = repo / "contract.yml"
    path.write_text(path.read_text().replace("tier_2: 3500", "tier_2: 4000"), encoding="utf-8")
    commit_all(repo, "Relax tier_2", "2026-03-05T10:00:00+00:00")
    first = git(repo, "rev-list", "--max-parents=0", "HEAD").strip()

    async def scenario() -> None:
        app = WorkbenchApp(repo, "contract.yml")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert app.session is not None
            assert first in [v.commit for v in app.session.versions]
            app.select_version(first)
            await settle(pilot)
            matrix = app.query_one("#matrix-table", DataTable)
            assert matrix.row_count == 5
            assert "3500" in str(matrix.get_cell("p95", "tier_2"))
            assert "old.yml" in _text(app.query_one("#matrix-title", Static))
            app.set_base(first)
            app.select_version("draft", tab="diff")
            await settle(pilot)
            body = _text(app.query_one("#diff-body", Static))
            assert "tier_2 p95 latency SLO 3500 ms → 4000 ms" in body
            assert "added" not in body

    asyncio.run(scenario())


def test_simulated_rows_belong_to_the_version_shown(history_repo: Path) -> None:  # noqa: F811
    """Figures of one version's simulation were shown in the matrix of another."""

    async def scenario() -> None:
        app = WorkbenchApp(history_repo, CONTRACT)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert app.session is not None
            oldest = app.session.versions[-1].commit
            await pilot.press("s")  # draft (= HEAD) against the version before
            await settle(pilot, 5)
            matrix = app.query_one("#matrix-table", DataTable)
            assert "sim_p95" in matrix.rows
            # another version: the draft's figures must not appear next to its values;
            # the simulation follows the selection and comes back for it
            app.select_version(oldest, tab=None)
            await pilot.pause()
            assert "sim_p95" not in matrix.rows
            await pilot.pause(0.6)
            await settle(pilot, 5)
            assert app.sim_inputs is not None and app.sim_inputs[1] == oldest
            assert "sim_p95" in matrix.rows
            # an edit makes the draft's figures stale until the new run is in
            app.select_version("draft", tab=None)
            await pilot.pause(0.6)
            await settle(pilot, 5)
            await edit_p95(app, pilot, 2, "5000")
            if app.sim_inputs is not None and app.sim_inputs[1] == "draft":
                cell = str(matrix.get_cell("sim_p95", "tier_2"))
                assert (
                    cell == "…"
                    or app.sim_result[1]["scenarios"]["peak"]["tiers"]["tier_2"]["latency_slo_ms"]
                    == 5000
                )

    asyncio.run(scenario())


def test_bump_keeps_a_typed_commit_message(history_repo: Path) -> None:  # noqa: F811
    """Pressing Bump version regenerated the message and threw away what was typed."""

    async def scenario() -> None:
        app = WorkbenchApp(history_repo, CONTRACT)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await edit_p95(app, pilot, 2, "4500")
            await pilot.press("c")
            await settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, CommitDialog)
            summary = _text(dialog.query_one("#commit-summary", Static))
            assert "not bumped in the draft" in summary
            box = dialog.query_one("#commit-message", TextArea)
            box.text = "Relax tier_2 for the retrieval step (TICKET-42)"
            bump = dialog.query_one("#commit-bump")
            assert bump.display
            bump.press()
            await settle(pilot)
            assert box.text == "Relax tier_2 for the retrieval step (TICKET-42)"
            assert "1.1 → 1.2" in _text(dialog.query_one("#commit-summary", Static))

    asyncio.run(scenario())


def test_terms_show_every_list_item(history_repo: Path) -> None:  # noqa: F811
    """Lists of controls and duties were cut at the table's edge."""

    async def scenario() -> None:
        app = WorkbenchApp(history_repo, CONTRACT)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            terms = app.query_one("#terms-table", DataTable)
            value = str(terms.get_cell("controls", "value"))
            assert value.splitlines() == [
                "data_classification",
                "prompt_and_tool_audit_log",
                "budget_policy_enforcement",
                "model_and_tool_allowlist",
            ]
            assert [c.key.value for c in terms.columns.values()] == ["term", "value"]

    asyncio.run(scenario())


def test_matrix_cursor_survives_a_version_without_the_file(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    """Viewing a version with nothing to show sent the cursor back to the first cell."""
    repo = make_repo()
    (repo / "README.md").write_text("hello\n")
    commit_all(repo, "Start", "2026-01-01T10:00:00+00:00")
    (repo / CONTRACT).write_text(seed_text, encoding="utf-8")
    commit_all(repo, "Add the contract", "2026-01-05T10:00:00+00:00")
    start = git(repo, "rev-list", "--max-parents=0", "HEAD").strip()

    async def scenario() -> None:
        app = WorkbenchApp(repo, CONTRACT)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            matrix = app.query_one("#matrix-table", DataTable)
            matrix.move_cursor(row=matrix.get_row_index("p95"), column=2)
            app.select_version(start, tab=None)  # the file does not exist there
            await settle(pilot)
            assert matrix.row_count == 0
            app.select_version("draft", tab=None)
            await settle(pilot)
            assert matrix.cursor_coordinate == (matrix.get_row_index("p95"), 2)

    asyncio.run(scenario())


def test_app_keys_do_nothing_under_a_dialog(history_repo: Path) -> None:  # noqa: F811
    """`e` on a dialog's button opened an edit dialog on top of it."""

    async def scenario() -> None:
        app = WorkbenchApp(history_repo, CONTRACT)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("2")
            await pilot.press("x")  # remove tier? (Cancel has the focus)
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, ChoiceDialog)
            for key in ("e", "h", "c", "s", "a", "1"):
                await pilot.press(key)
                await pilot.pause()
                assert app.screen is dialog, key
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, ChoiceDialog)

    asyncio.run(scenario())


def test_footer_shows_the_keys_of_the_view(history_repo: Path) -> None:  # noqa: F811
    """View keys (edit, field history, raw diff) were in no footer; now in their view's."""

    async def scenario() -> None:
        app = WorkbenchApp(history_repo, CONTRACT)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)

            def shown() -> set[str]:
                return {
                    b.action
                    for _k, (_n, b, enabled, _t) in app.screen.active_bindings.items()
                    if enabled and b.show
                }

            await pilot.press("2")
            await pilot.pause()
            assert {"edit", "field_history"} <= shown() and "toggle_raw" not in shown()
            await pilot.press("3")
            await pilot.pause()
            assert "toggle_raw" in shown() and "edit" not in shown()

    asyncio.run(scenario())


def test_unparseable_head_puts_focus_on_the_findings(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    """With nothing in the matrix the focus sat on an empty table."""
    repo = make_repo()
    (repo / CONTRACT).write_text(seed_text + "\nowner: twice\n", encoding="utf-8")
    commit_all(repo, "Broken contract", "2026-01-05T10:00:00+00:00")

    async def scenario() -> None:
        app = WorkbenchApp(repo, CONTRACT)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("2")
            await pilot.pause()
            findings = app.query_one("#findings-table", DataTable)
            assert findings.row_count >= 1 and findings.has_focus
            assert "does not parse" in _text(app.query_one("#matrix-title", Static))

    asyncio.run(scenario())


def test_sim_deltas_hide_noise_below_the_shown_precision() -> None:
    """'+0', '−0.0%' and '−$0' appeared next to unchanged figures."""
    assert delta_cell("{:,.0f}", 1228.2, 1228.4, True).plain == "1,228"
    assert delta_cell("{:.1%}", 0.9811, 0.9809, False).plain == "98.1%"
    assert delta_cell("{:,.0f}", 2733.0, 2281.0, True).plain == "2,281 −452"


def test_field_history_counts_every_version_while_paging(history_repo: Path) -> None:  # noqa: F811
    """The count and x axis came from the versions paged in so far ("over 3000" of 5000)."""

    async def scenario() -> None:
        app = WorkbenchApp(history_repo, CONTRACT)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert app.session is not None
            app.session.versions = app.session.versions[:2]  # as if paging were not done
            app.show_field_history("reliability.p95_latency_ms.tier_2")
            await settle(pilot)
            title = _text(app.query_one("#fh-title", Static))
            assert title == "reliability.p95_latency_ms.tier_2: changed 1 time(s) over 3 version(s)"

    asyncio.run(scenario())


def test_a_model_missing_from_the_catalog_is_a_finding(history_repo: Path) -> None:  # noqa: F811
    """The app said "draft valid" for a model `workbench validate` rejects (CW104); only the
    simulation noticed, in a passing notification."""
    data = Path(__file__).parent / "data" / "models.yml"
    (history_repo / "models.yml").write_bytes(data.read_bytes())

    async def scenario() -> None:
        app = WorkbenchApp(history_repo, CONTRACT)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert "draft valid" in _text(app.query_one("#status-line", Static))
            app.edit_field(FIELDS_BY_KEY["approved_models"], "tier_1")
            await pilot.pause()
            dialog = app.screen
            dialog.query_one("#list-input", Input).value = "frontier"
            await pilot.press("enter")
            await pilot.press("ctrl+s")
            await settle(pilot)
            findings = app.query_one("#findings-table", DataTable)
            rules = [str(findings.get_row_at(i)[2]) for i in range(findings.row_count)]
            assert "CW104" in rules

    asyncio.run(scenario())


def test_tier_ids_are_checked_and_a_new_tier_is_brought_into_view(history_repo: Path) -> None:  # noqa: F811
    """'Tier 5' was accepted as a tier id (three errors after the fact) and a new tier was
    added off screen with the cursor left elsewhere."""
    from workbench.ui.modals.dialogs import PromptDialog

    async def scenario() -> None:
        app = WorkbenchApp(history_repo, CONTRACT)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("2")
            await pilot.press("a")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, PromptDialog)
            field = dialog.query_one("#prompt-input", Input)
            for bad, why in (("Tier 5", "not a tier id"), ("tier_2", "already exists")):
                field.value = bad
                await pilot.press("enter")
                await pilot.pause()
                assert app.screen is dialog
                assert why in _text(dialog.query_one("#prompt-error", Static))
            field.value = "tier_4"
            await pilot.press("enter")
            await settle(pilot)
            matrix = app.query_one("#matrix-table", DataTable)
            assert app.matrix_view.current_tier() == "tier_4"
            await pilot.press("R")
            await pilot.pause()
            rename = app.screen
            assert isinstance(rename, PromptDialog)
            rename.query_one("#prompt-input", Input).value = "agents"
            await pilot.press("enter")
            await settle(pilot)
            assert app.matrix_view.current_tier() == "agents"
            assert "agents" in [c.value for c in matrix.columns]
            assert app.session is not None and "tier_4" not in app.session.draft_text
            await pilot.press("x")
            await pilot.pause()
            app.screen.query_one("#choice-remove").press()
            await settle(pilot)
            assert "agents" not in app.session.draft_text
            assert app.session.draft_text == (history_repo / CONTRACT).read_text()

    asyncio.run(scenario())


def test_commit_dialog_opens_without_toasts_over_its_buttons(history_repo: Path) -> None:  # noqa: F811
    """At 80x24 the edit's toast covered the Commit button for four seconds."""

    async def scenario() -> None:
        app = WorkbenchApp(history_repo, CONTRACT)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await edit_p95(app, pilot, 2, "4500")
            assert len(app._notifications)  # "... updated (line N changed ...)"
            await pilot.press("c")
            await settle(pilot)
            assert isinstance(app.screen, CommitDialog)
            assert not len(app._notifications)

    asyncio.run(scenario())
