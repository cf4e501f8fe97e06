"""Pilot tests for what the code review found (non-UTF-8 files, the bump, HEAD caching)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from gitutil import git
from textual.widgets import DataTable, Static
from ui.conftest_app import CONTRACT, commit_all, edit_p95, history_repo, settle  # noqa: F401 - fixture

from workbench.core.git.commit_plan import plan_commit
from workbench.ui.app import WorkbenchApp
from workbench.ui.modals.commit import CommitDialog
from workbench.ui.modals.dialogs import ValueDialog
from workbench.ui.session import DRAFT, Session

SIZE = (120, 36)


def _latin1_repo(make_repo: Callable[..., Path], seed_text: str) -> tuple[Path, bytes]:
    """A repo whose contract has a Latin-1 byte in a comment (not UTF-8)."""
    repo = make_repo()
    commit_all_text = seed_text.replace("version: 1.0", "version: 1.0  # caf\udce9", 1)
    raw = commit_all_text.encode("utf-8", "surrogateescape")
    assert b"caf\xe9" in raw
    (repo / CONTRACT).write_bytes(raw)
    commit_all(repo, "Add a contract saved as Latin-1", "2026-01-05T10:00:00+00:00")
    return repo, raw


def test_non_utf8_contract_opens_read_only_and_is_never_rewritten(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    """The file opened as an "unsaved draft" and ctrl+s wrote U+FFFD over the bad byte."""
    repo, raw = _latin1_repo(make_repo, seed_text)

    async def scenario() -> None:
        app = WorkbenchApp(repo, CONTRACT)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            session = app.session
            assert session is not None and session.read_only and not session.dirty
            status = str(app.query_one("#status-line", Static).render())
            assert "read-only: not UTF-8" in status and "unsaved" not in status
            assert any("not valid UTF-8" in n.message for n in app._notifications)
            # the findings say where the bad byte is
            findings = app.query_one("#findings-table", DataTable)
            assert findings.row_count >= 1
            assert any(f.severity == "error" for f in app.draft_validation.findings)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert not app.save_draft()
            assert not app.apply_draft_edits([], "anything")
            await pilot.press("2", "e")
            await pilot.pause()
            assert not isinstance(app.screen, ValueDialog)
            await pilot.press("c")
            await settle(pilot)
            assert not isinstance(app.screen, CommitDialog)
        assert (repo / CONTRACT).read_bytes() == raw

    asyncio.run(scenario())


def test_saving_keeps_a_byte_order_mark(make_repo: Callable[..., Path], seed_text: str) -> None:
    """The draft was written as plain UTF-8: a file with a BOM lost it on save."""
    repo = make_repo()
    (repo / CONTRACT).write_bytes(b"\xef\xbb\xbf" + seed_text.encode("utf-8"))
    commit_all(repo, "Add a contract with a BOM", "2026-01-05T10:00:00+00:00")

    async def scenario() -> None:
        app = WorkbenchApp(repo, CONTRACT)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert app.session is not None and not app.session.dirty
            await edit_p95(app, pilot, 2, "4500")
            assert app.session.dirty
            assert app.save_draft()
            assert not app.session.dirty
        expected = seed_text.replace("tier_2: 3500", "tier_2: 4500")
        assert (repo / CONTRACT).read_bytes() == b"\xef\xbb\xbf" + expected.encode("utf-8")

    asyncio.run(scenario())


def test_bump_version_keeps_a_bare_number_like_set_commit(history_repo: Path) -> None:  # noqa: F811
    """Bump version wrote `version: "1.2"`; `set --commit --bump` keeps `version: 1.2`."""

    async def scenario() -> None:
        head_text = (history_repo / CONTRACT).read_text(encoding="utf-8")
        app = WorkbenchApp(history_repo, CONTRACT)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await edit_p95(app, pilot, 2, "4500")
            assert app.session is not None
            edited = app.session.draft_text
            await pilot.press("c")
            await settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, CommitDialog)
            bump = dialog.query_one("#commit-bump")
            assert bump.display
            bump.press()
            await settle(pilot)
            assert "version: 1.2\n" in app.session.draft_text
            assert '"1.2"' not in app.session.draft_text
            # the same text the CLI's plan would commit
            plan = plan_commit(head_text, edited, bump="minor")
            assert app.session.draft_text == plan.new_text
            assert "1.1 → 1.2" in str(dialog.query_one("#commit-summary", Static).render())

    asyncio.run(scenario())


def test_head_is_cached_until_a_commit_or_reload(history_repo: Path) -> None:  # noqa: F811
    """`previous_of(DRAFT)` ran `git rev-parse HEAD` on every edit."""
    session = Session(history_repo, CONTRACT)
    session.load_from_disk()
    head = git(history_repo, "rev-parse", "HEAD").strip()
    assert session.head_commit() == head
    # a commit made elsewhere is not seen until the app forgets HEAD (commit, reload)
    (history_repo / "notes.txt").write_text("x\n", encoding="utf-8")
    commit_all(history_repo, "Unrelated", "2026-08-01T10:00:00+00:00")
    new_head = git(history_repo, "rev-parse", "HEAD").strip()
    assert session.previous_of(DRAFT) == head
    session.forget_head()
    assert session.head_commit() == new_head
    (history_repo / "notes.txt").write_text("y\n", encoding="utf-8")
    commit_all(history_repo, "Unrelated again", "2026-08-02T10:00:00+00:00")
    session.load_from_disk()  # a reload looks HEAD up again
    assert session.head_commit() == git(history_repo, "rev-parse", "HEAD").strip()


def test_matrix_rows_map_to_edit_specs_by_path(history_repo: Path) -> None:  # noqa: F811
    """Rows were mapped to edit specs by position (TIER_FIELDS[0..4]): now by cell path."""
    from workbench.core.matrix import tier_matrix
    from workbench.ui.fields import TIER_FIELDS
    from workbench.ui.session import validate
    from workbench.ui.widgets.matrix import row_spec

    v = validate((history_repo / CONTRACT).read_text(encoding="utf-8"))
    matrix = tier_matrix(v.data, v.raw)
    specs = [row_spec(row.paths, matrix.tiers) for row in matrix.rows]
    assert [s.key for s in specs if s] == [s.key for s in TIER_FIELDS]
    # a row whose cells are not a known field's paths is shown, never edited as another
    moved = [p.replace("p95_latency_ms", "p99_latency_ms") for p in matrix.rows[3].paths]
    assert row_spec(moved, matrix.tiers) is None
    assert row_spec([], []) is None


def test_field_history_shows_the_unsaved_draft(history_repo: Path) -> None:  # noqa: F811
    """The draft point is a core FieldChange (no dict-or-object helper in the view)."""

    async def scenario() -> None:
        app = WorkbenchApp(history_repo, CONTRACT)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await edit_p95(app, pilot, 2, "4500")
            app.show_field_history("reliability.p95_latency_ms.tier_2")
            await settle(pilot)
            table = app.query_one("#fh-table", DataTable)
            first = [str(c) for c in table.get_row_at(0)]
            assert first[0].strip() == "draft" and first[2] == "4500"
            assert first[3] == "unsaved draft"
            assert [str(c) for c in table.get_row_at(table.row_count - 1)][2] == "3500"

    asyncio.run(scenario())


def test_choices_come_from_the_contract_model() -> None:
    """The dialog's choices were copied from contract_model; now derived from it."""
    from typing import get_args

    from workbench.core.contract_model import Cadence
    from workbench.ui.fields import CADENCE_CHOICES, CHECKPOINT_CHOICES

    assert CADENCE_CHOICES == get_args(Cadence)
    assert CHECKPOINT_CHOICES == (False, "conditional", True)
