"""`workbench demo [DIR] [--no-open]`: build the demo repository, then open the app on it."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click

from workbench.commands.common import EXIT_STATE, EXIT_USAGE, fail


@click.command("demo")
@click.argument("directory", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--open/--no-open",
    "open_app",
    default=True,
    help="Open the app on the demo when done (default; skipped when output is not a terminal).",
)
def command(directory: Path | None, open_app: bool) -> None:
    """Create a demo repository: two years of an AI platform contract in git.

    DIR must not exist or be empty; without it, a new temporary folder is used.
    The history: two years of versions by five people, quarterly review tags
    (review/2025-Q3, ...), changes on all five surfaces, one invalid version
    fixed the next day, and a rename to contracts/ai-platform.yml.
    """
    from workbench.core.demo import DEMO_CONTRACT, DemoError, build_demo_repo, load_story
    from workbench.core.git.runner import GitError

    if directory is None:
        directory = Path(tempfile.mkdtemp(prefix="workbench-demo-")) / "demo-repo"
    try:
        story = load_story()
        root = build_demo_repo(directory, story=story)
    except DemoError as exc:
        fail(str(exc), EXIT_USAGE)
    except (GitError, OSError) as exc:
        fail(f"could not build the demo repository: {exc}", EXIT_STATE)
    first, last = story.steps[0].date[:7], story.steps[-1].date[:7]
    tags = sum(len(step.tags) for step in story.steps)
    people = len({step.author for step in story.steps})
    click.echo(f"Demo repository ready: {root}")
    click.echo(
        f"  {len(story.steps)} versions of {DEMO_CONTRACT} by {people} people, "
        f"{first} → {last}, {tags} review tags"
    )
    click.echo("")
    click.echo("Try:")
    click.echo(f"  cd {root}")
    for line in (
        "workbench log",
        "workbench show review/2025-Q1",
        "workbench diff review/2025-Q3 review/2026-Q3",
        "workbench simulate",
        f"workbench set {DEMO_CONTRACT} reliability.p95_latency_ms.tier_2=4500 --commit --bump auto",
        "workbench",
    ):
        click.echo(f"  {line}")
    if not open_app or not (sys.stdin.isatty() and sys.stdout.isatty()):
        return
    try:
        from workbench.ui.app import run_app
    except ImportError:
        return  # the app is not available in this install: the printed hints stand
    run_app(root, DEMO_CONTRACT, notice=f"Demo repository in {root}")
